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

const lookupColumns = `SELECT i.kind, i.value, i.reports, i.reporters, i.trusted, i.disputed, i.first_seen, i.last_seen, i.scam_types, i.sources,
	i.known_good, i.over_common, i.network_id, COALESCE(n.size, 0) FROM indicators i LEFT JOIN networks n ON n.id = i.network_id`

// Lookup answers what is known of each key. Once the key index is loaded,
// a value it does not hold is unknown without a query, and a known one is
// one row read by primary key; until then, and on a hash collision, the
// (kind, value) index answers.
//
// The stored figures are the public's (TLP:CLEAR reports); for any other
// viewer they are counted from the links of the reports it sees.
func (db *DB) Lookup(ctx context.Context, v store.Viewer, keys []store.Key) ([]store.IndicatorInfo, error) {
	if !v.Public() {
		return db.lookupSeen(ctx, v, keys)
	}
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
	// The scan targets in one value: Scan takes their addresses, which
	// would otherwise move each to the heap on its own.
	var sc struct {
		kind, value    string
		first, last    sql.NullInt64
		types, sources int64
		kg, net        sql.NullString
		oc, disputed   int
		r              store.IndicatorInfo
	}
	r := &sc.r
	err := row.Scan(&sc.kind, &sc.value, &r.Reports, &r.Reporters, &r.Trusted, &sc.disputed, &sc.first, &sc.last, &sc.types, &sc.sources, &sc.kg, &sc.oc, &sc.net, &r.Network)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (indicator.Kind(sc.kind) != k.Kind || sc.value != k.Value) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	r.Key = k
	r.FirstSeen, r.LastSeen = fromMS(sc.first), fromMS(sc.last)
	r.ScamTypes = report.ScamTypesOf(sc.types)
	if r.Sources, err = db.sourceNames(ctx, sc.sources); err != nil {
		return false, err
	}
	r.KnownGood, r.NetworkID, r.OverCommon, r.Disputed = sc.kg.String, sc.net.String, sc.oc != 0, sc.disputed != 0
	r.Known = r.Reports > 0 || len(r.Sources) > 0
	*info = *r
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

// maxLookupNetwork bounds the walk that sizes a network for a lookup.
const maxLookupNetwork = 10000

// lookupSeen answers a viewer who is not the public from the links of the
// reports it sees.
func (db *DB) lookupSeen(ctx context.Context, v store.Viewer, keys []store.Key) ([]store.IndicatorInfo, error) {
	out := make([]store.IndicatorInfo, len(keys))
	vis, vargs := visible(v)
	for i, k := range keys {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("store: lookup: %w", err)
		}
		info := &out[i]
		info.Key = k
		var id, sources int64
		var kg, net sql.NullString
		var disputed int
		err := db.r.QueryRowContext(ctx, db.q("SELECT id, sources, known_good, disputed, network_id FROM indicators WHERE kind = ? AND value = ?"),
			string(k.Kind), k.Value).Scan(&id, &sources, &kg, &disputed, &net)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("store: lookup: %w", err)
		}
		const seen = ` FROM report_indicators ri JOIN reports r ON r.seq = ri.report_seq WHERE ri.indicator_id = ? AND r.status <> 'rejected' AND `
		var accounts, networks int
		var first, last sql.NullInt64
		err = db.r.QueryRowContext(ctx, db.q("SELECT COUNT(*), COUNT(DISTINCT r.reporter), COUNT(DISTINCT r.reporter_net), COUNT(DISTINCT r.trusted_org), MIN(r.created_at), MAX(r.created_at)"+seen+vis),
			append([]any{id}, vargs...)...).Scan(&info.Reports, &accounts, &networks, &info.Trusted, &first, &last)
		if err != nil {
			return nil, fmt.Errorf("store: lookup: %w", err)
		}
		info.Reporters = min(accounts, networks)
		info.FirstSeen, info.LastSeen = fromMS(first), fromMS(last)
		rows, err := db.r.QueryContext(ctx, db.q("SELECT DISTINCT r.scam_type"+seen+vis), append([]any{id}, vargs...)...)
		if err != nil {
			return nil, fmt.Errorf("store: lookup: %w", err)
		}
		var types int64
		for rows.Next() {
			var st string
			if err := rows.Scan(&st); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: lookup: %w", err)
			}
			types |= report.ScamTypeBit(st)
		}
		rows.Close()
		info.ScamTypes = report.ScamTypesOf(types)
		if info.Sources, err = db.sourceNames(ctx, sources); err != nil {
			return nil, err
		}
		info.KnownGood, info.Disputed = kg.String, disputed != 0
		info.OverCommon = info.Reports > db.overCommon
		info.Known = info.Reports > 0 || len(info.Sources) > 0
		if info.Reports == 0 || info.KnownGood != "" || info.OverCommon {
			continue
		}
		seeds, _, err := db.seenReportsOf(ctx, db.r, v, id)
		if err != nil {
			return nil, fmt.Errorf("store: lookup: %w", err)
		}
		size := 0
		if _, _, err := db.walk(ctx, db.r, v, seeds, maxLookupNetwork, func(_, _, _ int64) bool { size++; return true }); err != nil {
			return nil, fmt.Errorf("store: lookup: %w", err)
		}
		// The public network's id when there is one (every viewer's
		// network holds it), else the id of the viewer's first report.
		info.NetworkID, info.Network = net.String, size
		if info.NetworkID == "" && len(seeds) > 0 {
			if err := db.r.QueryRowContext(ctx, db.q("SELECT id FROM reports WHERE seq = ?"), seeds[0]).Scan(&info.NetworkID); err != nil {
				return nil, fmt.Errorf("store: lookup: %w", err)
			}
		}
	}
	return out, nil
}
