package sqlstore

import (
	"context"
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"

	"vigil/internal/indicator"
)

// keyIndex maps a hash of (kind, value) to the indicator's row id, in
// memory: a lookup of a value the store has never seen (most lookups)
// touches no SQL at all, and one of a known value reads a single row by
// its primary key. It costs about 20-40 bytes per indicator.
//
// The index follows the table: this process adds the rows it writes as
// soon as they commit, and a refresher reads rows added by other
// processes (vigil import, other servers sharing a PostgreSQL store)
// every refreshEvery. A hash collision or a row id reused after a delete
// is caught by comparing the row's kind and value, and answered by the
// (kind, value) index instead.
type keyIndex struct {
	seed maphash.Seed
	// on is set when the index is followed (Options.LookupIndex); off, it
	// keeps nothing, so importing millions of rows does not grow a map no
	// lookup will read.
	on    bool
	ready atomic.Bool
	// gen counts writes whose rows were not added here (bulk listing);
	// caughtUp is the gen the refresher has read past. While it lags, a
	// key the index lacks may still be in the table.
	gen, caughtUp atomic.Int64

	mu    sync.RWMutex
	ids   map[uint64]int64
	maxID int64
}

// refreshEvery is how soon rows written by other processes are seen.
const refreshEvery = time.Second

func newKeyIndex() *keyIndex {
	return &keyIndex{seed: maphash.MakeSeed(), ids: map[uint64]int64{}}
}

func (x *keyIndex) hash(kind indicator.Kind, value string) uint64 {
	var h maphash.Hash
	h.SetSeed(x.seed)
	h.WriteString(string(kind))
	h.WriteByte(0)
	h.WriteString(value)
	return h.Sum64()
}

// get returns the row id of a key, if the index has it.
func (x *keyIndex) get(kind indicator.Kind, value string) (int64, bool) {
	h := x.hash(kind, value)
	x.mu.RLock()
	id, ok := x.ids[h]
	x.mu.RUnlock()
	return id, ok
}

// keyID is a row written by this process, to add once committed.
type keyID struct {
	kind  indicator.Kind
	value string
	id    int64
}

func (x *keyIndex) add(rows []keyID) {
	if !x.on || len(rows) == 0 {
		return
	}
	x.mu.Lock()
	for _, r := range rows {
		x.ids[x.hash(r.kind, r.value)] = r.id
	}
	x.mu.Unlock()
}

// behind marks rows committed without being added: until the refresher
// has read them, misses are checked in the table.
func (x *keyIndex) behind() { x.gen.Add(1) }

// complete reports whether a key missing from the index is missing from
// the table.
func (x *keyIndex) complete() bool { return x.caughtUp.Load() >= x.gen.Load() }

// follow loads the table into the index, then keeps reading new rows
// until ctx ends. Lookups use the index once the first load is complete.
func (x *keyIndex) follow(ctx context.Context, db *DB) {
	for {
		g := x.gen.Load()
		n, err := x.readNew(ctx, db)
		if ctx.Err() != nil {
			return
		}
		if err == nil && n == 0 {
			x.caughtUp.Store(g)
			x.ready.Store(true)
		}
		if err != nil || n == 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(refreshEvery):
			}
		}
	}
}

// readNew reads up to a chunk of rows newer than the highest id read.
func (x *keyIndex) readNew(ctx context.Context, db *DB) (int, error) {
	x.mu.RLock()
	from := x.maxID
	x.mu.RUnlock()
	rows, err := db.r.QueryContext(ctx, db.q("SELECT id, kind, value FROM indicators WHERE id > ? ORDER BY id LIMIT 50000"), from)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var batch []keyID
	for rows.Next() {
		var r keyID
		var kind string
		if err := rows.Scan(&r.id, &kind, &r.value); err != nil {
			return 0, err
		}
		r.kind = indicator.Kind(kind)
		batch = append(batch, r)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	x.add(batch)
	if len(batch) > 0 {
		x.mu.Lock()
		x.maxID = max(x.maxID, batch[len(batch)-1].id)
		x.mu.Unlock()
	}
	return len(batch), nil
}
