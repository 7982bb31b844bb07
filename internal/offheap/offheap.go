// Package offheap holds a map from uint64 to uint64 in memory that the Go
// runtime does not manage: for a table of millions of entries that lives
// as long as the process, such as the store's lookup index.
//
// Why not a Go map: the collector lets the heap grow to twice what is live
// before it collects (GOGC=100), so a 300 MB table on the heap lets 300 MB
// of a server's short-lived garbage build up between collections, every
// page of it cold by the time it is used again. On these machines that
// alone put a lookup server's p99 at 4-5 ms against 0.3-0.6 ms with the
// same table held here, the heap then being a few megabytes
// (docs/benchmarks.md). The table holds no pointers, so the collector has
// nothing to find in it either way.
//
// The map is an open-addressing hash table with linear probing, at most
// three-quarters full, in one anonymous memory mapping (a Go slice where
// mappings are not available). Keys are mixed by a multiplicative hash
// before they choose a slot, so they need not be random themselves.
//
// On Linux the mapping asks for transparent huge pages (MADV_HUGEPAGE;
// honoured unless the system's setting is "never"). A lookup is a random
// read into hundreds of megabytes: on 4 KB pages nearly every one also
// misses the TLB, and in a virtual machine each such miss walks two page
// tables; 2 MB pages put the whole table in reach of the TLB.
//
// A Map is not safe for concurrent use: callers lock, as for a Go map.
// Free returns its memory at once; a Map dropped without Free returns it
// when the collector finds it unreachable.
package offheap

import (
	"iter"
	"math/bits"
	"runtime"
)

// Map maps uint64 keys to uint64 values. The zero Map is empty and ready.
type Map struct {
	t *table
	// n counts the entries in t; the key 0, which marks a free slot there,
	// is held apart.
	n       int
	zero    uint64
	hasZero bool
}

type slot struct{ k, v uint64 }

// table is one allocation of slots: a power of two of them.
type table struct {
	slots   []slot
	shift   uint // 64 - log2(len(slots))
	mapped  []byte
	cleanup runtime.Cleanup
}

// phi is 2^64 divided by the golden ratio, odd: multiplying by it spreads
// keys that differ in any bit over the high bits, which choose the slot.
const phi = 0x9E3779B97F4A7C15

// minSlots is the smallest table: 4 KiB, a page.
const minSlots = 256

// New returns a Map with room for hint entries before it grows.
func New(hint int) *Map {
	m := &Map{}
	if hint > 0 {
		m.t = newTable(slotsFor(hint))
	}
	return m
}

// slotsFor is the size of table that holds n entries at most 3/4 full.
func slotsFor(n int) int {
	need := n + n/3 + 1
	if need <= minSlots {
		return minSlots
	}
	return 1 << bits.Len(uint(need-1))
}

func newTable(n int) *table {
	t := &table{shift: uint(64 - bits.TrailingZeros(uint(n)))}
	if mem, slots := mapSlots(n); slots != nil {
		t.mapped, t.slots = mem, slots
		t.cleanup = runtime.AddCleanup(t, unmap, mem)
	} else {
		t.slots = make([]slot, n)
	}
	return t
}

// free returns t's memory; t must not be used again.
func (t *table) free() {
	if t.mapped != nil {
		t.cleanup.Stop()
		unmap(t.mapped)
	}
	t.slots, t.mapped = nil, nil
}

func (t *table) home(k uint64) int { return int(k * phi >> t.shift) }

// find returns the slot holding k, or the free slot where k would go.
func (t *table) find(k uint64) int {
	mask := len(t.slots) - 1
	for i := t.home(k); ; i = (i + 1) & mask {
		if s := t.slots[i].k; s == k || s == 0 {
			return i
		}
	}
}

// Len is the number of entries.
func (m *Map) Len() int {
	if m.hasZero {
		return m.n + 1
	}
	return m.n
}

// Get returns the value of k and whether k is in the map.
func (m *Map) Get(k uint64) (uint64, bool) {
	if k == 0 {
		return m.zero, m.hasZero
	}
	if m.t == nil {
		return 0, false
	}
	t := m.t
	s := &t.slots[t.find(k)]
	if s.k != k {
		return 0, false
	}
	v := s.v
	runtime.KeepAlive(t) // its cleanup would unmap the slots
	return v, true
}

// Set makes v the value of k.
func (m *Map) Set(k, v uint64) {
	if k == 0 {
		m.zero, m.hasZero = v, true
		return
	}
	if m.t == nil {
		m.t = newTable(minSlots)
	}
	i := m.t.find(k)
	if m.t.slots[i].k == k {
		m.t.slots[i].v = v
		return
	}
	if (m.n+1)*4 > len(m.t.slots)*3 {
		m.grow()
		i = m.t.find(k)
	}
	m.t.slots[i] = slot{k, v}
	m.n++
	runtime.KeepAlive(m.t)
}

// grow moves the entries to a table twice the size.
func (m *Map) grow() {
	old := m.t
	m.t = newTable(2 * len(old.slots))
	for _, s := range old.slots {
		if s.k != 0 {
			m.t.slots[m.t.find(s.k)] = s
		}
	}
	old.free()
}

// Delete removes k, if present.
func (m *Map) Delete(k uint64) {
	if k == 0 {
		m.zero, m.hasZero = 0, false
		return
	}
	if m.t == nil {
		return
	}
	t := m.t
	i := t.find(k)
	if t.slots[i].k != k {
		return
	}
	// Close the gap: an entry further along the run moves back into it
	// when the gap lies between the entry's home and where it is, so that
	// a probe from its home still reaches it before a free slot.
	mask := len(t.slots) - 1
	for j := (i + 1) & mask; t.slots[j].k != 0; j = (j + 1) & mask {
		h := t.home(t.slots[j].k)
		if (i-h)&mask < (j-h)&mask {
			t.slots[i] = t.slots[j]
			i = j
		}
	}
	t.slots[i] = slot{}
	m.n--
	runtime.KeepAlive(t)
}

// All yields every entry once, in no particular order. The loop may Set
// keys already in the map (their slots do not move) but must not add or
// delete any.
func (m *Map) All() iter.Seq2[uint64, uint64] {
	return func(yield func(uint64, uint64) bool) {
		if m.hasZero && !yield(0, m.zero) {
			return
		}
		if m.t == nil {
			return
		}
		t := m.t
		for i := range t.slots {
			if s := t.slots[i]; s.k != 0 && !yield(s.k, s.v) {
				break
			}
			if m.t != t {
				panic("offheap: entries added or deleted during All")
			}
		}
		runtime.KeepAlive(t)
	}
}

// Bytes is the memory the map's table takes.
func (m *Map) Bytes() int {
	if m.t == nil {
		return 0
	}
	return len(m.t.slots) * 16
}

// Free empties the map and returns its table's memory at once.
func (m *Map) Free() {
	if m.t != nil {
		m.t.free()
	}
	*m = Map{}
}
