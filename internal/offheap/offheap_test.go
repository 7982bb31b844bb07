package offheap

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// phiInverse is phi's inverse modulo 2^64: keyAt uses it to make keys
// that land on chosen slots.
var phiInverse = func() uint64 {
	x := uint64(phi) // Newton's iteration for the inverse of an odd number
	for range 6 {
		x *= 2 - phi*x
	}
	return x
}()

// keyAt returns a key whose home in a table of 2^(64-shift) slots is
// slot i; low tells keys with the same home apart.
func keyAt(shift uint, i int, low uint64) uint64 {
	return (uint64(i)<<shift | low) * phiInverse
}

// check holds m to want: the same length, every wanted key's value, and
// All yielding exactly the wanted entries.
func check(t *testing.T, m *Map, want map[uint64]uint64) {
	t.Helper()
	if m.Len() != len(want) {
		t.Fatalf("Len %d, want %d", m.Len(), len(want))
	}
	for k, v := range want {
		if got, ok := m.Get(k); !ok || got != v {
			t.Fatalf("Get(%#x) = %d, %v; want %d", k, got, ok, v)
		}
	}
	seen := map[uint64]bool{}
	for k, v := range m.All() {
		if seen[k] {
			t.Fatalf("All yields %#x twice", k)
		}
		seen[k] = true
		if w, ok := want[k]; !ok || w != v {
			t.Fatalf("All yields %#x=%d; want %d, %v", k, v, w, ok)
		}
	}
	if len(seen) != len(want) {
		t.Fatalf("All yields %d entries, want %d", len(seen), len(want))
	}
}

func TestKeyAt(t *testing.T) {
	if phi*phiInverse != 1 {
		t.Fatalf("phi * phiInverse = %d", uint64(phi*phiInverse))
	}
	tb := newTable(minSlots)
	defer tb.free()
	for i := range minSlots {
		if h := tb.home(keyAt(tb.shift, i, 7)); h != i {
			t.Fatalf("keyAt(%d) lands on %d", i, h)
		}
	}
}

// TestMatchesGoMap runs random sets and deletes, over few enough keys
// that many are set again and deleted, and holds the map to a Go map
// throughout, through growth from empty.
func TestMatchesGoMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	m := &Map{}
	defer m.Free()
	want := map[uint64]uint64{}
	for i := range 200000 {
		k := uint64(r.IntN(20000))
		if r.IntN(3) == 0 {
			m.Delete(k)
			delete(want, k)
		} else {
			m.Set(k, uint64(i))
			want[k] = uint64(i)
		}
		if i%20000 == 0 {
			check(t, m, want)
		}
		if _, ok := m.Get(k + 20000); ok {
			t.Fatalf("Get(%d): a key never set is there", k+20000)
		}
	}
	check(t, m, want)
	if m.Bytes() < m.Len()*16*4/3 {
		t.Fatalf("%d entries in %d bytes: fuller than 3/4", m.Len(), m.Bytes())
	}
}

// TestDeleteInRuns deletes from runs of keys with one home and from runs
// that wrap past the table's last slot: every key left must still be
// found, which a deletion that only cleared its slot would break.
func TestDeleteInRuns(t *testing.T) {
	m := New(100)
	defer m.Free()
	shift := m.t.shift
	want := map[uint64]uint64{}
	n := 0
	for _, home := range []int{3, 3, 3, 4, 3, 5, minSlots - 2, minSlots - 2, minSlots - 1, minSlots - 2, 0, 1, minSlots - 1, 0} {
		k := keyAt(shift, home, uint64(n+1))
		m.Set(k, uint64(n))
		want[k] = uint64(n)
		n++
	}
	check(t, m, want)
	keys := make([]uint64, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	for _, k := range keys {
		m.Delete(k)
		delete(want, k)
		check(t, m, want)
	}
	for i, s := range m.t.slots {
		if s.k != 0 {
			t.Fatalf("slot %d still holds %#x", i, s.k)
		}
	}
}

func TestZeroKey(t *testing.T) {
	var m Map
	if _, ok := m.Get(0); ok {
		t.Fatal("empty map has key 0")
	}
	m.Set(0, 9)
	m.Set(1, 10)
	check(t, &m, map[uint64]uint64{0: 9, 1: 10})
	m.Delete(0)
	check(t, &m, map[uint64]uint64{1: 10})
	m.Free()
	check(t, &m, map[uint64]uint64{})
}

// TestHint: a map made for n entries takes them without growing.
func TestHint(t *testing.T) {
	for _, n := range []int{1, 192, 193, 1000, 100000} {
		m := New(n)
		before := m.Bytes()
		for i := range n {
			m.Set(uint64(i+1), 1)
		}
		if m.Bytes() != before {
			t.Errorf("New(%d) grew from %d to %d bytes", n, before, m.Bytes())
		}
		if m.Bytes() > 2*16*(n+n/3+1) && m.Bytes() > minSlots*16 {
			t.Errorf("New(%d) took %d bytes", n, m.Bytes())
		}
		m.Free()
	}
}

// TestAllSetsExisting: the loop may change the values of the keys it is
// given; adding one is refused rather than reading freed memory.
func TestAllSetsExisting(t *testing.T) {
	m := New(0)
	defer m.Free()
	want := map[uint64]uint64{}
	for i := range uint64(1000) {
		m.Set(i, i)
		want[i] = i * 2
	}
	for k, v := range m.All() {
		m.Set(k, v*2)
	}
	check(t, m, want)
	defer func() {
		if recover() == nil {
			t.Fatal("growing the map during All did not panic")
		}
	}()
	next := uint64(1000)
	for range m.All() {
		m.Set(next, 0) // grows before long
		next++
	}
}

func TestFree(t *testing.T) {
	m := New(10000)
	for i := range uint64(10000) {
		m.Set(i, i)
	}
	m.Free()
	check(t, m, map[uint64]uint64{})
	if m.Bytes() != 0 {
		t.Fatalf("Bytes %d after Free", m.Bytes())
	}
	m.Set(5, 6) // a freed map is an empty one
	check(t, m, map[uint64]uint64{5: 6})
	m.Free()
}

// FuzzMap runs any sequence of sets and deletes against a Go map. Keys
// are made to land on a few slots, so runs form, wrap and are closed up.
func FuzzMap(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17})
	f.Add([]byte{255, 254, 253, 0, 0, 0, 255, 255, 255})
	f.Fuzz(func(t *testing.T, ops []byte) {
		m := &Map{}
		defer m.Free()
		want := map[uint64]uint64{}
		for i := 0; i+3 <= len(ops); i += 3 {
			op, home, low := ops[i], int(ops[i+1]), uint64(ops[i+2]%8)
			k := keyAt(64-8, home, low)
			if home == 255 && low == 7 {
				k = 0
			}
			if op%4 == 0 {
				m.Delete(k)
				delete(want, k)
			} else {
				v := binary.LittleEndian.Uint64(append(ops[i:i+3:i+3], 0, 0, 0, 0, 0))
				m.Set(k, v)
				want[k] = v
			}
		}
		check(t, m, want)
	})
}

var sink uint64

// BenchmarkGet times one lookup at a time among a million entries, each
// key chosen from the last lookup's result (as in a server, where no other
// lookup's memory access overlaps it), against a Go map. A present key's
// value is the next key's place; after an absent one, the next place is
// a step of a random sequence.
func BenchmarkGet(b *testing.B) {
	const n = 1 << 20
	r := rand.New(rand.NewPCG(5, 6))
	keys := make([]uint64, n)
	for i := range keys {
		keys[i] = r.Uint64()
	}
	// Each key's value is where the next present lookup goes: a random
	// cycle through all of them (Sattolo's shuffle).
	next := make([]uint64, n)
	for i := range next {
		next[i] = uint64(i)
	}
	for i := n - 1; i > 0; i-- {
		j := r.IntN(i)
		next[i], next[j] = next[j], next[i]
	}
	m, gm := New(n), make(map[uint64]uint64, n)
	defer m.Free()
	for i, k := range keys {
		m.Set(k, next[i])
		gm[k] = next[i]
	}
	for _, absent := range []uint64{0, 1} { // keys[j]^1 is never a key
		name := map[uint64]string{0: "present", 1: "absent"}[absent]
		b.Run("offheap/"+name, func(b *testing.B) {
			j := uint64(0)
			for b.Loop() {
				v, _ := m.Get(keys[j] ^ absent)
				j = (j*absent*6364136223846793005 + absent*1442695040888963407 + v) & (n - 1)
			}
			sink += j
		})
		b.Run("gomap/"+name, func(b *testing.B) {
			j := uint64(0)
			for b.Loop() {
				v := gm[keys[j]^absent]
				j = (j*absent*6364136223846793005 + absent*1442695040888963407 + v) & (n - 1)
			}
			sink += j
		})
	}
}
