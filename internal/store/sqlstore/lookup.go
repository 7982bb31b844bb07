package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/bits"

	"vigil/internal/report"
	"vigil/internal/store"
)

const lookupQuery = `SELECT i.reports, i.reporters, i.first_seen, i.last_seen, i.scam_types, i.sources, i.known_good, i.over_common,
	i.network_id, COALESCE(n.size, 0) FROM indicators i LEFT JOIN networks n ON n.id = i.network_id WHERE i.kind = ? AND i.value = ?`

// Lookup answers what is known of each key, with one indexed query each
// on one read connection.
func (db *DB) Lookup(ctx context.Context, keys []store.Key) ([]store.IndicatorInfo, error) {
	out := make([]store.IndicatorInfo, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	conn, err := db.r.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: lookup: %w", err)
	}
	defer conn.Close()
	stmt, err := conn.PrepareContext(ctx, db.q(lookupQuery))
	if err != nil {
		return nil, fmt.Errorf("store: lookup: %w", err)
	}
	defer stmt.Close()
	for i, k := range keys {
		info := store.IndicatorInfo{Key: k}
		var first, last sql.NullInt64
		var types, sources int64
		var kg, net sql.NullString
		var oc int
		err := stmt.QueryRowContext(ctx, string(k.Kind), k.Value).Scan(&info.Reports, &info.Reporters, &first, &last, &types, &sources, &kg, &oc, &net, &info.Network)
		if errors.Is(err, sql.ErrNoRows) {
			out[i] = info
			continue
		} else if err != nil {
			return nil, fmt.Errorf("store: lookup: %w", err)
		}
		info.FirstSeen, info.LastSeen = fromMS(first), fromMS(last)
		info.ScamTypes = report.ScamTypesOf(types)
		if info.Sources, err = db.sourceNames(ctx, sources); err != nil {
			return nil, err
		}
		info.KnownGood, info.NetworkID, info.OverCommon = kg.String, net.String, oc != 0
		info.Known = info.Reports > 0 || len(info.Sources) > 0
		out[i] = info
	}
	return out, nil
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
