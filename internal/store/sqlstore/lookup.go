package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/bits"

	"vigil/internal/indicator"
	"vigil/internal/report"
	"vigil/internal/store"
)

const lookupColumns = `SELECT i.kind, i.value, i.reports, i.reporters, i.first_seen, i.last_seen, i.scam_types, i.sources, i.known_good,
	i.over_common, i.network_id, COALESCE(n.size, 0) FROM indicators i LEFT JOIN networks n ON n.id = i.network_id`

// Lookup answers what is known of each key. Once the key index is loaded,
// a value it does not hold is unknown without a query, and a known one is
// one row read by primary key; until then, and on a hash collision, the
// (kind, value) index answers.
func (db *DB) Lookup(ctx context.Context, keys []store.Key) ([]store.IndicatorInfo, error) {
	out := make([]store.IndicatorInfo, len(keys))
	// A point query takes microseconds: cancelling one buys nothing, and a
	// cancellable context costs goroutines per query in database/sql.
	qctx := context.WithoutCancel(ctx)
	indexed := db.index.ready.Load()
	for i, k := range keys {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, fmt.Errorf("store: lookup: %w", ctx.Err())
		}
		out[i].Key = k
		var found bool
		var err error
		if indexed {
			id, ok := db.index.get(k.Kind, k.Value)
			if !ok && db.index.complete() {
				continue
			}
			if ok {
				if found, err = db.lookupRow(ctx, db.byID.QueryRowContext(qctx, id), k, &out[i]); err == nil && found {
					continue
				}
			}
		}
		if err == nil {
			_, err = db.lookupRow(ctx, db.byKey.QueryRowContext(qctx, string(k.Kind), k.Value), k, &out[i])
		}
		if err != nil {
			return nil, fmt.Errorf("store: lookup: %w", err)
		}
	}
	return out, nil
}

// lookupRow reads a lookup row into info if it is the row of k.
func (db *DB) lookupRow(ctx context.Context, row *sql.Row, k store.Key, info *store.IndicatorInfo) (bool, error) {
	var kind, value string
	var first, last sql.NullInt64
	var types, sources int64
	var kg, net sql.NullString
	var oc int
	var r store.IndicatorInfo
	err := row.Scan(&kind, &value, &r.Reports, &r.Reporters, &first, &last, &types, &sources, &kg, &oc, &net, &r.Network)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (indicator.Kind(kind) != k.Kind || value != k.Value) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	r.Key = k
	r.FirstSeen, r.LastSeen = fromMS(first), fromMS(last)
	r.ScamTypes = report.ScamTypesOf(types)
	if r.Sources, err = db.sourceNames(ctx, sources); err != nil {
		return false, err
	}
	r.KnownGood, r.NetworkID, r.OverCommon = kg.String, net.String, oc != 0
	r.Known = r.Reports > 0 || len(r.Sources) > 0
	*info = r
	return true, nil
}

// sourceNames turns a bit set of sources into their names.
func (db *DB) sourceNames(ctx context.Context, set int64) ([]string, error) {
	var out []string
	for set != 0 {
		b := bits.TrailingZeros64(uint64(set))
		set &^= 1 << b
		db.srcMu.Lock()
		name, ok := db.srcName[b]
		db.srcMu.Unlock()
		if !ok {
			if err := db.r.QueryRowContext(ctx, db.q("SELECT name FROM sources WHERE id = ?"), b).Scan(&name); err != nil {
				return nil, fmt.Errorf("store: source %d: %w", b, err)
			}
			db.srcMu.Lock()
			db.srcName[b] = name
			db.srcMu.Unlock()
		}
		out = append(out, name)
	}
	return out, nil
}

// IndexReady reports whether lookups go through the in-memory key index
// (loaded in the background after Open).
func (db *DB) IndexReady() bool { return db.index.ready.Load() }

// Holds reports whether the store surely holds an indicator row for the
// key: the in-memory key index is loaded and has it. False means "not
// known here", not "absent".
func (db *DB) Holds(kind indicator.Kind, value string) bool {
	if !db.index.ready.Load() {
		return false
	}
	_, ok := db.index.get(kind, value)
	return ok
}
