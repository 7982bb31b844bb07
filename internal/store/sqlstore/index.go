package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"hash/maphash"
	"log/slog"
	"math"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"vigil/internal/indicator"
	"vigil/internal/offheap"
)

// keyIndex holds, in memory, what a public lookup answers for every stored
// indicator: a hash of (kind, value) maps to the row id and to the row's
// answer. A lookup of a value the store has never seen (most lookups) or of
// a known one touches no SQL at all. Answers are shared: the rows one
// import batch listed all say the same and hold one answer, so a feed's
// millions of values cost the map entry alone (about 20-40 bytes each).
// Rows whose answer is not held (past maxAnswers, mostly reported values)
// are read by primary key.
//
// The index follows the table exactly, whoever writes: every write that
// can change an answer moves the lookup version first (DB.tx), and the
// triggers of migration 0006 stamp the indicator and network rows it
// changes with it and record the indicators it deletes. A refresh reads
// rows newer than the highest id read, rows and networks stamped since the
// version it last read, and deletions. This process refreshes as each of
// its writes commits, before the write returns, and every refreshEvery for
// writes by others (vigil import, other servers sharing a store).
//
// A row id reused after a delete is caught by comparing the row's kind and
// value on the SQL path; a hash two stored keys share is marked and always
// answered by the (kind, value) index. A value never stored whose 64-bit
// hash equals a stored one's would be answered as that one: about one
// lookup in 10^12 with 10 million values (docs/store.md).
type keyIndex struct {
	seed maphash.Seed
	log  *slog.Logger
	// on is set when the index is followed (Options.LookupIndex); off, it
	// keeps nothing, so importing millions of rows does not grow a map no
	// lookup will read.
	on    bool
	ready atomic.Bool
	// partial is set when a row could not be indexed (an id beyond
	// idBits): a key the index lacks is then never surely absent.
	partial atomic.Bool

	// refreshing lets one refresh run at a time; seen is the lookup
	// version the last one read past.
	refreshing sync.Mutex
	seen       int64

	mu sync.RWMutex
	// ids maps a key's hash to its row id (the low idBits) and the number
	// of its answer (the bits above; 0 for none, shared for a hash two
	// stored keys have). It is held off the Go heap (package offheap
	// says why); close frees it.
	ids   *offheap.Map
	maxID int64
	// answers[n] is answer n (0 is none), which answerOf finds by its
	// columns.
	answers  []answer
	answerOf map[answer]uint64
	made     int // answers made since the last compaction
	// names numbers the known-good reasons and network ids held answers
	// hold (names[0] is ""), nameOf finds a name's number, and netSize[n]
	// is the size of network names[n]. A name is added with the first
	// answer that holds it, and dropped by the compaction after the last
	// one goes, so there are never more than two per answer in the table
	// (a store has about as many networks as reports, most never asked
	// about).
	names   []string
	nameOf  map[string]uint32
	netSize []int
}

const (
	idBits = 40
	idMask = 1<<idBits - 1
	// shared marks a hash two stored keys have.
	shared = 1<<(64-idBits) - 1
	// maxAnswers bounds the distinct answers held (about 200 bytes each
	// with answerOf's entry, none of it scanned by the collector); past
	// it, rows are read from SQL until a compaction frees some.
	maxAnswers = 1 << 17
)

// refreshEvery is how soon writes by other processes are seen.
const refreshEvery = time.Second

func newKeyIndex() *keyIndex {
	x := &keyIndex{seed: maphash.MakeSeed(), ids: offheap.New(0)}
	x.resetNames()
	x.resetAnswers()
	return x
}

func (x *keyIndex) resetAnswers() {
	x.answers, x.answerOf, x.made = []answer{{}}, map[answer]uint64{}, 0
}

func (x *keyIndex) resetNames() {
	x.names, x.nameOf, x.netSize = []string{""}, map[string]uint32{}, []int{0}
}

// name returns the number of a name, given one if new. Called with mu
// held.
func (x *keyIndex) name(s string) uint32 {
	if s == "" {
		return 0
	}
	n, ok := x.nameOf[s]
	if !ok {
		n = uint32(len(x.names))
		x.names, x.netSize = append(x.names, s), append(x.netSize, 0)
		x.nameOf[s] = n
	}
	return n
}

func (x *keyIndex) hash(kind indicator.Kind, value string) uint64 {
	var h maphash.Hash
	h.SetSeed(x.seed)
	h.WriteString(string(kind))
	h.WriteByte(0)
	h.WriteString(value)
	return h.Sum64()
}

// entry is what the index holds for one hash.
type entry struct {
	id int64
	// held is set when a is the public's answer for the row, with the
	// names it holds by number and its network's size.
	held               bool
	a                  answer
	knownGood, network string
	size               int
	// shared is set when two stored keys have the hash.
	shared bool
}

// find returns the index's entry for hash h, if it has one.
func (x *keyIndex) find(h uint64) (entry, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	v, ok := x.ids.Get(h)
	if !ok {
		return entry{}, false
	}
	e := entry{id: int64(v & idMask)}
	switch n := v >> idBits; {
	case n == shared:
		e.shared = true
	case n != 0:
		e.held, e.a = true, x.answers[n]
		e.knownGood, e.network, e.size = x.names[e.a.knownGood], x.names[e.a.network], x.netSize[e.a.network]
	}
	return e, true
}

// size returns how many keys the index holds and the bytes its table takes.
func (x *keyIndex) size() (keys, bytes int) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.ids.Len(), x.ids.Bytes()
}

// close frees the index's memory; lookups then go to SQL.
func (x *keyIndex) close() {
	x.ready.Store(false)
	x.mu.Lock()
	x.ids.Free()
	x.mu.Unlock()
}

// complete reports whether a key missing from the index is missing from
// the table (as of the last refresh).
func (x *keyIndex) complete() bool { return !x.partial.Load() }

// indexedRow is a row as a refresh reads it.
type indexedRow struct {
	id    int64
	kind  indicator.Kind
	value string
	a     rowAnswer
}

// put enters rows read from the table. Called with mu held.
func (x *keyIndex) put(rows []indexedRow) {
	for i := range rows {
		r := &rows[i]
		if r.id < 0 || r.id > idMask {
			x.partial.Store(true)
			continue
		}
		x.maxID = max(x.maxID, r.id)
		h := x.hash(r.kind, r.value)
		v, ok := x.ids.Get(h)
		if ok && (int64(v&idMask) != r.id || v>>idBits == shared) {
			// Another row has the hash: another key, or this key's
			// earlier row, deleted. Either way, ask by key.
			x.ids.Set(h, uint64(r.id)|shared<<idBits)
			continue
		}
		x.ids.Set(h, uint64(r.id)|x.answerFor(r)<<idBits)
	}
}

// answerFor returns the number of r's answer, made if new; 0 when no more
// answers can be held. Called with mu held.
func (x *keyIndex) answerFor(r *indexedRow) uint64 {
	kg, net := r.a.kg.String, r.a.net.String
	a := r.a.answer
	var haveKG, haveNet bool
	a.knownGood, haveKG = x.numberOf(kg)
	a.network, haveNet = x.numberOf(net)
	if haveKG && haveNet {
		if n, ok := x.answerOf[a]; ok {
			x.netSize[a.network] = r.a.size // as fresh as the row
			return n
		}
	}
	if len(x.answers) >= maxAnswers {
		if x.made < maxAnswers/2 {
			return 0
		}
		x.compact()
		if len(x.answers) >= maxAnswers {
			return 0
		}
	}
	// Named only now that the answer is held (a compaction renumbers
	// names).
	a.knownGood, a.network = x.name(kg), x.name(net)
	x.netSize[a.network] = r.a.size
	n := uint64(len(x.answers))
	x.answers = append(x.answers, a)
	x.answerOf[a] = n
	x.made++
	return n
}

// numberOf returns the number of a name the index holds.
func (x *keyIndex) numberOf(s string) (uint32, bool) {
	if s == "" {
		return 0, true
	}
	n, ok := x.nameOf[s]
	return n, ok
}

// compact drops the answers no row holds any more, and the names no kept
// answer holds, renumbering the rest. Called with mu held.
func (x *keyIndex) compact() {
	old, names, sizes := x.answers, x.names, x.netSize
	x.resetAnswers()
	x.resetNames()
	renumbered := map[uint64]uint64{}
	for h, v := range x.ids.All() {
		n := v >> idBits
		if n == 0 || n == shared {
			continue
		}
		m, ok := renumbered[n]
		if !ok {
			a := old[n]
			a.knownGood, a.network = x.name(names[a.knownGood]), x.name(names[a.network])
			x.netSize[a.network] = sizes[old[n].network]
			m = uint64(len(x.answers))
			x.answers = append(x.answers, a)
			x.answerOf[a] = m
			renumbered[n] = m
		}
		x.ids.Set(h, v&idMask|m<<idBits)
	}
}

// gone removes the entries of deleted rows. Called with mu held.
func (x *keyIndex) gone(rows []indexedRow) {
	for _, r := range rows {
		h := x.hash(r.kind, r.value)
		if v, ok := x.ids.Get(h); ok && int64(v&idMask) == r.id && v>>idBits != shared {
			x.ids.Delete(h)
		}
	}
}

// follow loads the table into the index, then refreshes it every
// refreshEvery until ctx ends. Lookups use the index once the first load
// is complete; until then, and while refreshes fail, they are answered
// from SQL alone or from what the index last read. A failure is logged
// when it begins and when it ends, not at every retry.
func (x *keyIndex) follow(ctx context.Context, db *DB) {
	start := time.Now()
	failing := false
	for !x.ready.Load() {
		err := x.load(ctx, db)
		if err == nil {
			x.ready.Store(true)
			keys, _ := x.size()
			x.log.Info("lookup index loaded", "keys", keys, "took", time.Since(start).Round(time.Millisecond))
			break
		}
		if ctx.Err() != nil {
			return
		}
		if !failing {
			x.log.Warn("lookup index: loading failed; retrying every second, lookups meanwhile read SQL", "err", err)
			failing = true
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(refreshEvery):
		}
	}
	failing = false
	var failedAt time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(refreshEvery):
		}
		switch err := x.refresh(ctx, db); {
		case err != nil && ctx.Err() != nil:
			return
		case err != nil && !failing:
			x.log.Warn("lookup index: refresh failed; lookups answer from what it last read until a retry succeeds", "err", err)
			failing, failedAt = true, time.Now()
		case err == nil && failing:
			x.log.Info("lookup index: refreshing again", "failed_for", time.Since(failedAt).Round(time.Second))
			failing = false
		}
	}
}

// load reads the whole table, then what changed meanwhile.
func (x *keyIndex) load(ctx context.Context, db *DB) error {
	x.refreshing.Lock()
	defer x.refreshing.Unlock()
	v, err := db.lookupVersion(ctx)
	if err != nil {
		return err
	}
	x.seen = v
	var rows int
	var last sql.NullInt64
	if err := db.r.QueryRowContext(ctx, "SELECT count(*), max(id) FROM indicators").Scan(&rows, &last); err != nil {
		return err
	}
	// Start empty: what a failed attempt read may since have been deleted,
	// and no record read from version v on says so. Lookups do not read
	// the index before a load succeeds. The map is made as large as the
	// table at once: growing it row by row to millions rehashes it over
	// and over.
	x.mu.Lock()
	x.ids.Free()
	x.ids, x.maxID = offheap.New(rows), 0
	x.resetNames()
	x.resetAnswers()
	x.partial.Store(false)
	x.mu.Unlock()
	// The rows up to the last are read in as many ranges of ids as there
	// are processors, at once: reading and decoding rows, not entering
	// them, is most of the time a load takes.
	parts := int64(max(1, min(runtime.GOMAXPROCS(0), 4)))
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for p := range parts {
		wg.Go(func() { errs[p] = x.readRange(ctx, db, last.Int64*p/parts, last.Int64*(p+1)/parts) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := x.readNew(ctx, db); err != nil {
		return err
	}
	return x.refreshLocked(ctx, db)
}

// readRange reads the rows whose ids are in (from, to], a chunk at a
// time, each into the last one's buffer (put keeps copies, not rows).
func (x *keyIndex) readRange(ctx context.Context, db *DB, from, to int64) error {
	var buf []indexedRow
	for from < to {
		rows, err := x.readRows(ctx, db, buf[:0], indexColumns+" WHERE id > ? AND id <= ? ORDER BY id LIMIT "+strconv.Itoa(chunkRows), true, from, to)
		if err != nil || len(rows) == 0 {
			return err
		}
		from = rows[len(rows)-1].id
		x.mu.Lock()
		x.put(rows)
		x.mu.Unlock()
		if len(rows) < chunkRows {
			return nil
		}
		buf = rows
	}
	return nil
}

// refresh reads what changed in the table since the last refresh.
func (x *keyIndex) refresh(ctx context.Context, db *DB) error {
	x.refreshing.Lock()
	defer x.refreshing.Unlock()
	return x.refreshLocked(ctx, db)
}

func (x *keyIndex) refreshLocked(ctx context.Context, db *DB) error {
	v, err := db.lookupVersion(ctx)
	if err != nil {
		return err
	}
	if v != x.seen {
		// Deletions first: a deleted row's key may be back in a new row.
		gone, err := x.readRows(ctx, db, nil, "SELECT id, kind, value FROM lookup_gone WHERE version > ?", false, x.seen)
		if err != nil {
			return err
		}
		x.mu.Lock()
		x.gone(gone)
		x.mu.Unlock()
		// An id at or below the highest read may have been handed out
		// again (SQLite reuses the highest after a delete).
		for _, g := range gone {
			again, err := x.readRows(ctx, db, nil, indexColumns+" WHERE id = ?", true, g.id)
			if err != nil {
				return err
			}
			x.mu.Lock()
			x.put(again)
			x.mu.Unlock()
		}
		if err := x.readNetworks(ctx, db, x.seen); err != nil {
			return err
		}
		if err := x.readChunked(ctx, db, indexColumns+" WHERE version > ?", x.seen); err != nil {
			return err
		}
	}
	if err := x.readNew(ctx, db); err != nil {
		return err
	}
	x.seen = v
	return nil
}

// stampVersion is the lookup version, for statements that stamp the rows
// they change themselves (the triggers stamp the others).
const stampVersion = "(SELECT n FROM lookup_version WHERE id = 1)"

// indexColumns are the columns a refresh reads of a row.
// The network's size is read with the row (a correlated subquery, not a
// join, so that queries may add conditions on the indicators' columns by
// name), so that an answer made for a network the index has not named
// yet has its size.
const indexColumns = `SELECT id, kind, value, reports, reporters, trusted, disputed, first_seen, last_seen, scam_types, sources,
	known_good, over_common, network_id, COALESCE((SELECT size FROM networks WHERE networks.id = indicators.network_id), 0) FROM indicators`

// readNew reads the rows newer than the highest id read.
func (x *keyIndex) readNew(ctx context.Context, db *DB) error {
	x.mu.RLock()
	from := x.maxID
	x.mu.RUnlock()
	return x.readRange(ctx, db, from, math.MaxInt64)
}

// chunkRows is how many rows a load or refresh reads and enters at a time.
const chunkRows = 50000

// readChunked reads the rows a query returns, entering them a chunk at a
// time so that lookups are not held up.
func (x *keyIndex) readChunked(ctx context.Context, db *DB, query string, args ...any) error {
	rows, err := db.r.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var chunk []indexedRow
	flush := func() {
		x.mu.Lock()
		x.put(chunk)
		x.mu.Unlock()
		chunk = chunk[:0]
	}
	for rows.Next() {
		r, err := db.scanIndexed(ctx, rows, true)
		if err != nil {
			return err
		}
		if chunk = append(chunk, r); len(chunk) == 1000 {
			flush()
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	flush()
	return nil
}

// readRows reads a query's rows, appended to out: with their answers
// (full) or only the id, kind and value.
func (x *keyIndex) readRows(ctx context.Context, db *DB, out []indexedRow, query string, full bool, args ...any) ([]indexedRow, error) {
	rows, err := db.r.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := db.scanIndexed(ctx, rows, full)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (db *DB) scanIndexed(ctx context.Context, rows *sql.Rows, full bool) (indexedRow, error) {
	var r indexedRow
	var kind string
	if !full {
		err := rows.Scan(&r.id, &kind, &r.value)
		r.kind = indicator.Kind(kind)
		return r, err
	}
	a := &r.a
	if err := rows.Scan(&r.id, &kind, &r.value, &a.reports, &a.reporters, &a.trusted, &a.disputed, &a.first, &a.last, &a.types, &a.sources,
		&a.kg, &a.overCommon, &a.net, &a.size); err != nil {
		return r, err
	}
	r.kind = indicator.Kind(kind)
	// The index holds sources by bit; their names must be known to answer.
	return r, db.readSources(ctx, a.sources)
}

// readNetworks reads the sizes of the networks stamped after version
// since that held answers name (the others' sizes come with the rows
// that name them, if one is ever held).
func (x *keyIndex) readNetworks(ctx context.Context, db *DB, since int64) error {
	rows, err := db.r.QueryContext(ctx, db.q("SELECT id, size FROM networks WHERE version > ?"), since)
	if err != nil {
		return err
	}
	defer rows.Close()
	sizes := map[string]int{}
	for rows.Next() {
		var id string
		var size int
		if err := rows.Scan(&id, &size); err != nil {
			return err
		}
		sizes[id] = size
	}
	if err := rows.Err(); err != nil {
		return err
	}
	x.mu.Lock()
	for id, size := range sizes {
		if n, ok := x.nameOf[id]; ok {
			x.netSize[n] = size
		}
	}
	x.mu.Unlock()
	return nil
}

// lookupVersion reads the lookup version.
func (db *DB) lookupVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.r.QueryRowContext(ctx, "SELECT n FROM lookup_version WHERE id = 1").Scan(&v)
	return v, err
}
