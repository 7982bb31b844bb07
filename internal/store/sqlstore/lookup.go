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
// a value it does not hold is unknown without a query, a known one is
// answered from memory, or, when its answer is not held, by one row read
// by primary key; until then, and for a hash two keys share, the (kind,
// value) index answers.
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
	for i, k := range keys {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, fmt.Errorf("store: lookup: %w", ctx.Err())
		}
		info, r, id := db.recall(k)
		if r == store.RecallAbsent || r == store.RecallAnswer {
			out[i] = info
			continue
		}
		out[i].Key = k
		var found bool
		var err error
		if r == store.RecallHeld {
			found, err = db.lookupRow(ctx, db.byID.QueryRowContext(qctx, id), k, &out[i])
		}
		if err == nil && !found {
			_, err = db.lookupRow(ctx, db.byKey.QueryRowContext(qctx, string(k.Kind), k.Value), k, &out[i])
		}
		if err != nil {
			return nil, fmt.Errorf("store: lookup: %w", err)
		}
	}
	return out, nil
}

// answer is a lookup row's columns but its key, its network's size and
// the text of its known-good reason and network id, which the key index
// holds by number in its names (0 for none; rowAnswer holds the text).
// Rows that agree on them give the same answer. It holds no pointers: the
// index keeps up to maxAnswers of them, and the collector, which reads
// every pointer on the heap at every cycle, then has nothing to read in
// them.
type answer struct {
	reports, reporters, trusted int
	first, last                 sql.NullInt64
	types, sources              int64
	overCommon, disputed        int
	knownGood, network          uint32
}

// rowAnswer is an answer as read from a row.
type rowAnswer struct {
	answer
	kg, net sql.NullString
	// size is the size of network net when the row was read (0 for none).
	size int
}

// info is the public's answer for k, but for its network's size.
func (a *answer) info(k store.Key, knownGood, network string, sources *[maxSources]string) store.IndicatorInfo {
	r := store.IndicatorInfo{Key: k, Reports: a.reports, Reporters: a.reporters, Trusted: a.trusted,
		FirstSeen: fromMS(a.first), LastSeen: fromMS(a.last), ScamTypes: report.ScamTypesOf(a.types),
		Sources: namesOf(sources, a.sources), KnownGood: knownGood, NetworkID: network,
		OverCommon: a.overCommon != 0, Disputed: a.disputed != 0}
	r.Known = r.Reports > 0 || len(r.Sources) > 0
	return r
}

// lookupRow reads a lookup row into info if it is the row of k.
func (db *DB) lookupRow(ctx context.Context, row *sql.Row, k store.Key, info *store.IndicatorInfo) (bool, error) {
	// The scan targets in one value: Scan takes their addresses, which
	// would otherwise move each to the heap on its own.
	var sc struct {
		kind, value string
		a           rowAnswer
	}
	a := &sc.a
	err := row.Scan(&sc.kind, &sc.value, &a.reports, &a.reporters, &a.trusted, &a.disputed, &a.first, &a.last, &a.types, &a.sources, &a.kg, &a.overCommon, &a.net, &a.size)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (indicator.Kind(sc.kind) != k.Kind || sc.value != k.Value) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	r, err := db.answerOf(ctx, k, a)
	if err != nil {
		return false, err
	}
	r.Network = a.size
	*info = r
	return true, nil
}

// answerOf is the public's answer for k from its row's columns, but for
// the network's size.
func (db *DB) answerOf(ctx context.Context, k store.Key, a *rowAnswer) (store.IndicatorInfo, error) {
	if err := db.readSources(ctx, a.sources); err != nil {
		return store.IndicatorInfo{}, err
	}
	return a.info(k, a.kg.String, a.net.String, db.srcNames.Load()), nil
}

// sourceNames turns a bit set of sources into their names.
func (db *DB) sourceNames(ctx context.Context, set int64) ([]string, error) {
	if err := db.readSources(ctx, set); err != nil {
		return nil, err
	}
	return namesOf(db.srcNames.Load(), set), nil
}

// namesOf returns the names of a bit set's sources.
func namesOf(names *[maxSources]string, set int64) []string {
	var out []string
	for set != 0 {
		b := bits.TrailingZeros64(uint64(set))
		set &^= 1 << b
		out = append(out, names[b])
	}
	return out
}

// readSources makes sure db.srcNames names every source in set.
func (db *DB) readSources(ctx context.Context, set int64) error {
	names := db.srcNames.Load()
	for set != 0 {
		b := bits.TrailingZeros64(uint64(set))
		set &^= 1 << b
		if b >= maxSources {
			return fmt.Errorf("store: source %d: beyond the %d a bit set holds", b, maxSources)
		}
		if names[b] != "" {
			continue
		}
		var name string
		if err := db.r.QueryRowContext(ctx, db.q("SELECT name FROM sources WHERE id = ?"), b).Scan(&name); err != nil {
			return fmt.Errorf("store: source %d: %w", b, err)
		}
		db.srcMu.Lock()
		next := *db.srcNames.Load()
		next[b] = name
		names = &next
		db.srcNames.Store(names)
		db.srcMu.Unlock()
	}
	return nil
}

// IndexReady reports whether lookups go through the in-memory key index
// (loaded in the background after Open).
func (db *DB) IndexReady() bool { return db.index.ready.Load() }

// IndexSize returns how many keys the in-memory key index holds and the
// bytes its table takes. The table is outside the Go heap, so Go's own
// memory metrics do not count it.
func (db *DB) IndexSize() (keys, bytes int) { return db.index.size() }

// Recall tells from the in-memory key index alone what the store holds
// for a key: the public's answer, a row whose answer Lookup reads, no row
// at all, or that it cannot tell (the index is loading; a hash two keys
// share). A public lookup of a value it answers needs no Lookup.
func (db *DB) Recall(kind indicator.Kind, value string) (store.IndicatorInfo, store.Recall) {
	info, r, _ := db.recall(store.Key{Kind: kind, Value: value})
	return info, r
}

// recall is Recall with the row id of a held key (a row id may have been
// handed out again since: the row read by it must still be k's).
func (db *DB) recall(k store.Key) (store.IndicatorInfo, store.Recall, int64) {
	if !db.index.ready.Load() {
		return store.IndicatorInfo{}, store.RecallUnsure, 0
	}
	e, ok := db.index.find(db.index.hash(k.Kind, k.Value))
	switch {
	case !ok && db.index.complete():
		return store.IndicatorInfo{Key: k}, store.RecallAbsent, 0
	case !ok || e.shared:
		return store.IndicatorInfo{}, store.RecallUnsure, 0
	case e.held:
		info := e.a.info(k, e.knownGood, e.network, db.srcNames.Load())
		info.Network = e.size
		return info, store.RecallAnswer, e.id
	}
	return store.IndicatorInfo{}, store.RecallHeld, e.id
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
