package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"vigil/internal/report"
	"vigil/internal/store"
	"vigil/internal/testlog"
)

// held reports whether db answers k from memory.
func held(db *DB, k store.Key) bool {
	e, ok := db.index.find(db.index.hash(k.Kind, k.Value))
	return ok && e.held
}

func lookupOne(t *testing.T, db *DB, k store.Key) store.IndicatorInfo {
	t.Helper()
	is, err := db.Lookup(context.Background(), store.Viewer{}, []store.Key{k})
	if err != nil {
		t.Fatal(err)
	}
	return is[0]
}

// sqlAnswer is what SQL alone answers for k (the store as before its
// index has loaded).
func sqlAnswer(t *testing.T, path string, k store.Key) store.IndicatorInfo {
	t.Helper()
	db, err := Open(context.Background(), path, Options{Keys: testKeys})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return lookupOne(t, db, k)
}

// The index holds every stored row's answer, the one SQL gives; rows
// listed alike share one; a write of this process is in it when the write
// returns, and one that cannot change an answer leaves it be.
func TestLookupAnswersHeld(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "vigil.db")
	db, err := Open(ctx, path, Options{Keys: testKeys, LookupIndex: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a, b := store.Key{Kind: "phone", Value: "+8613800138000"}, store.Key{Kind: "phone", Value: "+8613800138001"}
	if err := db.AddListed(ctx, "feed", false, []store.Key{a}, store.ImportState{}); err != nil {
		t.Fatal(err)
	}
	waitIndex(t, db)
	if err := db.AddListed(ctx, "feed", false, []store.Key{b}, store.ImportState{}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []store.Key{a, b} {
		got := lookupOne(t, db, k)
		if !held(db, k) || !got.Known || !slices.Equal(got.Sources, []string{"feed"}) {
			t.Fatalf("%v: %+v, held %v", k, got, held(db, k))
		}
		if want := sqlAnswer(t, path, k); !reflect.DeepEqual(got, want) {
			t.Errorf("%v from memory %+v, from SQL %+v", k, got, want)
		}
	}

	if err := db.AppendAudit(ctx, "test.quiet", "x", ""); err != nil {
		t.Fatal(err)
	}
	// A report naming a: the next lookup says so, from memory.
	r := &report.Report{Kind: "scam", ScamType: "investment", Channel: "other", Narrative: "x", Status: "new", Reporter: "r1", Source: "api",
		Indicators: []report.Link{{Kind: a.Kind, Value: a.Value, Role: report.RoleScammerContact, Origin: "named"},
			{Kind: "qq", Value: "12345678", Role: report.RoleScammerContact, Origin: "named"}}}
	id, _, err := db.AddReport(ctx, r, store.Idempotency{})
	if err != nil {
		t.Fatal(err)
	}
	qq := store.Key{Kind: "qq", Value: "12345678"}
	for _, k := range []store.Key{a, qq} {
		got := lookupOne(t, db, k)
		if !held(db, k) || got.Reports != 1 || got.Network != 1 || !slices.Equal(got.ScamTypes, []string{"investment"}) {
			t.Errorf("%v after a report: %+v, held %v", k, got, held(db, k))
		}
		if want := sqlAnswer(t, path, k); !reflect.DeepEqual(got, want) {
			t.Errorf("%v from memory %+v, from SQL %+v", k, got, want)
		}
	}
	// A second report joins the network: its size changes for both.
	r2 := &report.Report{Kind: "scam", ScamType: "investment", Channel: "other", Narrative: "y", Status: "new", Reporter: "r2", Source: "api",
		Indicators: []report.Link{{Kind: qq.Kind, Value: qq.Value, Role: report.RoleScammerContact, Origin: "named"}}}
	if _, _, err := db.AddReport(ctx, r2, store.Idempotency{}); err != nil {
		t.Fatal(err)
	}
	if got := lookupOne(t, db, a); got.Network != 2 {
		t.Errorf("network size after a second report: %+v", got)
	}
	// Deleting the report deletes the qq row nothing else names.
	if err := db.DeleteReport(ctx, id); err != nil {
		t.Fatal(err)
	}
	for _, k := range []store.Key{a, qq} {
		if got, want := lookupOne(t, db, k), sqlAnswer(t, path, k); !reflect.DeepEqual(got, want) {
			t.Errorf("%v after deletion, from memory %+v, from SQL %+v", k, got, want)
		}
	}
	// An answer's slices are the caller's to change.
	got := lookupOne(t, db, b)
	got.Sources[0] = "changed"
	if again := lookupOne(t, db, b); again.Sources[0] != "feed" {
		t.Errorf("a caller's change reached the answer held: %v", again.Sources)
	}
	// Values listed together say the same: one answer.
	c, d := store.Key{Kind: "phone", Value: "+8613800138002"}, store.Key{Kind: "phone", Value: "+8613800138003"}
	if err := db.AddListed(ctx, "feed", false, []store.Key{c, d}, store.ImportState{}); err != nil {
		t.Fatal(err)
	}
	db.index.mu.RLock()
	vc, _ := db.index.ids.Get(db.index.hash(c.Kind, c.Value))
	vd, _ := db.index.ids.Get(db.index.hash(d.Kind, d.Value))
	nc, nd := vc>>idBits, vd>>idBits
	db.index.mu.RUnlock()
	if nc == 0 || nc != nd {
		t.Errorf("values listed together hold answers %d and %d", nc, nd)
	}
}

// A change by another process reaches the index within a refresh.
func TestLookupAnswersFollowOtherWriters(t *testing.T) {
	ctx := context.Background()
	a, b := openPair(t)
	k := store.Key{Kind: "phone", Value: "+8613800138000"}
	if err := b.AddListed(ctx, "one", false, []store.Key{k}, store.ImportState{}); err != nil {
		t.Fatal(err)
	}
	waitIndex(t, a)
	listedBy := func(want ...string) func() bool {
		return func() bool { return slices.Equal(lookupOne(t, a, k).Sources, want) && held(a, k) }
	}
	eventually(t, "another process's listing is held", listedBy("one"))
	if err := b.AddListed(ctx, "two", false, []store.Key{k}, store.ImportState{}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "another process's second listing is held", listedBy("one", "two"))
}

// A hash that two rows have (here one key's deleted row and its new one)
// is answered by key, never from memory, until the deleted row is seen
// gone.
func TestKeyIndexSharedHash(t *testing.T) {
	x := newKeyIndex()
	row := func(id int64, reports int) indexedRow {
		return indexedRow{id: id, kind: "qq", value: "12345678", a: rowAnswer{answer: answer{reports: reports}}}
	}
	h := x.hash("qq", "12345678")
	x.put([]indexedRow{row(7, 1)})
	if e, _ := x.find(h); !e.held || e.a.reports != 1 {
		t.Fatalf("answer not held: %+v", e)
	}
	x.put([]indexedRow{row(9, 2)})
	if e, ok := x.find(h); !ok || !e.shared || e.held {
		t.Fatalf("after a second row with the hash: %+v", e)
	}
	x.put([]indexedRow{row(9, 3)})
	if e, _ := x.find(h); e.held {
		t.Error("an answer was kept for a shared hash")
	}
	// Seen gone (only its own row), the key is entered anew.
	x.gone([]indexedRow{{id: 7, kind: "qq", value: "12345678"}})
	if _, ok := x.find(h); !ok {
		t.Fatal("a shared entry was dropped for one of its rows")
	}
}

// Answers no row holds any more are dropped when the table of answers is
// full, and the rest keep their rows.
func TestKeyIndexCompacts(t *testing.T) {
	x := newKeyIndex()
	var rows []indexedRow
	for i := range maxAnswers + 10 {
		rows = append(rows, indexedRow{id: int64(i + 1), kind: "qq", value: fmt.Sprint(10000000 + i),
			a: rowAnswer{answer: answer{reports: i + 1}}})
	}
	x.put(rows[:maxAnswers-1])
	// Every row changes to one shared answer: the old ones are garbage.
	for i := range rows[:maxAnswers-1] {
		rows[i].a = rowAnswer{answer: answer{reports: 1}}
	}
	x.put(rows[:maxAnswers-1])
	x.put(rows[maxAnswers-1:])
	if len(x.answers) > 20 {
		t.Errorf("%d answers held after compaction, want about 11", len(x.answers))
	}
	for _, r := range []indexedRow{rows[0], rows[maxAnswers/2], rows[len(rows)-1]} {
		e, _ := x.find(x.hash(r.kind, r.value))
		if !e.held || e.a.reports != r.a.reports {
			t.Errorf("row %d: %+v, want %d reports", r.id, e, r.a.reports)
		}
	}
}

// Known-good reasons and network ids are held by number: a held answer
// gives them back, with the network's size, and rows that differ only in
// them hold different answers.
func TestKeyIndexNames(t *testing.T) {
	x := newKeyIndex()
	rows := []indexedRow{named(1, "", "01NET", 4), named(2, "", "01NET", 4), named(3, "official", "", 0), named(4, "", "", 0)}
	x.put(rows)
	want := []struct {
		kg, net string
		size    int
	}{{"", "01NET", 4}, {"", "01NET", 4}, {"official", "", 0}, {"", "", 0}}
	for i, r := range rows {
		e, _ := x.find(x.hash(r.kind, r.value))
		if !e.held || e.knownGood != want[i].kg || e.network != want[i].net || e.size != want[i].size {
			t.Errorf("row %d: %+v, want %+v", r.id, e, want[i])
		}
	}
	if got := len(x.answers) - 1; got != 3 {
		t.Errorf("%d answers held, want 3 (rows 1 and 2 share one)", got)
	}
}

// named is a row of QQ number 10000000+id with a known-good reason and a
// network of size.
func named(id int64, kg, net string, size int) indexedRow {
	r := indexedRow{id: id, kind: "qq", value: fmt.Sprint(10000000 + id), a: rowAnswer{answer: answer{reports: 2}, size: size}}
	r.a.kg = sql.NullString{String: kg, Valid: kg != ""}
	r.a.net = sql.NullString{String: net, Valid: net != ""}
	return r
}

// A store has about as many networks as reports: the index names only
// those its held answers hold, and drops a name when the last answer
// holding it goes (here, when network 01A is merged into 01C).
func TestKeyIndexDropsNames(t *testing.T) {
	x := newKeyIndex()
	x.put([]indexedRow{named(1, "", "01A", 2), named(2, "", "01B", 3), named(3, "official", "", 0)})
	// An answer that cannot be held names nothing.
	x.answers = append(x.answers, make([]answer, maxAnswers-len(x.answers))...)
	x.made = 0
	x.put([]indexedRow{named(4, "", "01UNHELD", 9)})
	if _, ok := x.nameOf["01UNHELD"]; ok {
		t.Error("a network no held answer holds was named")
	}
	x.answers = x.answers[:4]
	// Row 1's network merges into 01C, which has 5 reports.
	x.put([]indexedRow{named(1, "", "01C", 5)})
	x.compact()
	got := slices.Sorted(slices.Values(x.names))
	if !slices.Equal(got, []string{"", "01B", "01C", "official"}) {
		t.Errorf("names after compaction: %q, want 01A (merged away) gone", x.names)
	}
	want := map[int64]struct {
		kg, net string
		size    int
	}{1: {"", "01C", 5}, 2: {"", "01B", 3}, 3: {"official", "", 0}}
	for id, w := range want {
		r := named(id, "", "", 0)
		e, _ := x.find(x.hash(r.kind, r.value))
		if !e.held || e.knownGood != w.kg || e.network != w.net || e.size != w.size {
			t.Errorf("row %d after compaction: %+v, want %+v", id, e, w)
		}
	}
	if len(x.netSize) != len(x.names) || len(x.nameOf) != len(x.names)-1 {
		t.Errorf("%d names, %d sizes, %d numbered", len(x.names), len(x.netSize), len(x.nameOf))
	}
}

// A held answer holds no pointers, so the collector need not read the
// table of them (lookup.go says why). A field with a pointer in it fails
// here before it slows every collection down.
func TestAnswerHoldsNoPointers(t *testing.T) {
	var walk func(reflect.Type) bool
	walk = func(t reflect.Type) bool {
		switch t.Kind() {
		case reflect.Struct:
			for i := range t.NumField() {
				if !walk(t.Field(i).Type) {
					return false
				}
			}
			return true
		case reflect.Array:
			return walk(t.Elem())
		case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
			return true
		}
		return false
	}
	if !walk(reflect.TypeFor[answer]()) {
		t.Errorf("answer holds a pointer: %v", reflect.TypeFor[answer]())
	}
}

// await waits until log holds want, n times in all.
func await(t *testing.T, log *testlog.Buffer, want string, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		text := log.String()
		got := strings.Count(text, want)
		if got == n {
			return
		}
		if got > n || time.Now().After(deadline) {
			t.Fatalf("log holds %q %d times, want %d:\n%s", want, got, n, text)
		}
	}
}

// The index says when it has loaded, and when loading or refreshing
// fails and recovers, once each rather than at every retry.
func TestKeyIndexLogs(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "vigil.db")
	plain, err := Open(ctx, path, Options{Keys: testKeys})
	if err != nil {
		t.Fatal(err)
	}
	if err := plain.AddListed(ctx, "feed", false, []store.Key{{Kind: "phone", Value: "+8613800138000"}}, store.ImportState{}); err != nil {
		t.Fatal(err)
	}
	// A table the index reads as it loads (the names of the row's feeds),
	// and nothing else does at the start, is gone when it starts.
	if _, err := plain.w.ExecContext(ctx, "ALTER TABLE sources RENAME TO sources_away"); err != nil {
		t.Fatal(err)
	}
	plain.Close()

	var log testlog.Buffer
	db, err := Open(ctx, path, Options{Keys: testKeys, LookupIndex: true, Log: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	await(t, &log, "loading failed", 1)
	time.Sleep(1200 * time.Millisecond) // two more failed retries, not logged
	if db.IndexReady() {
		t.Fatal("the index is ready without the column")
	}
	if _, err := db.w.ExecContext(ctx, "ALTER TABLE sources_away RENAME TO sources"); err != nil {
		t.Fatal(err)
	}
	await(t, &log, "lookup index loaded", 1)
	await(t, &log, "keys=1 ", 1)
	await(t, &log, "loading failed", 1)

	if _, err := db.w.ExecContext(ctx, "ALTER TABLE lookup_version RENAME TO lookup_version_away"); err != nil {
		t.Fatal(err)
	}
	await(t, &log, "refresh failed", 1)
	time.Sleep(1200 * time.Millisecond)
	if _, err := db.w.ExecContext(ctx, "ALTER TABLE lookup_version_away RENAME TO lookup_version"); err != nil {
		t.Fatal(err)
	}
	await(t, &log, "refreshing again", 1)
	await(t, &log, "refresh failed", 1)
}

// A store's rows are loaded in ranges of ids read at once: every row is in
// the index afterwards, with the answer SQL gives, and nothing else is.
func TestKeyIndexLoadsInRanges(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4)) // four ranges
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "vigil.db")
	plain, err := Open(ctx, path, Options{Keys: testKeys})
	if err != nil {
		t.Fatal(err)
	}
	var keys []store.Key
	for i := range 10001 {
		keys = append(keys, store.Key{Kind: "phone", Value: fmt.Sprintf("+86138%08d", i)})
	}
	for i := 0; i < len(keys); i += 3000 {
		if err := plain.AddListed(ctx, fmt.Sprintf("feed%d", i%2), false, keys[i:min(i+3000, len(keys))], store.ImportState{}); err != nil {
			t.Fatal(err)
		}
	}
	want := map[store.Key]store.IndicatorInfo{}
	for _, k := range []store.Key{keys[0], keys[2999], keys[3000], keys[5000], keys[10000]} {
		want[k] = lookupOne(t, plain, k)
	}
	plain.Close()

	db, err := Open(ctx, path, Options{Keys: testKeys, LookupIndex: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	waitIndex(t, db)
	if n, bytes := db.IndexSize(); n != len(keys) || bytes < 16*n*4/3 {
		t.Fatalf("the index holds %d keys in %d bytes, want %d keys in at least %d", n, bytes, len(keys), 16*len(keys)*4/3)
	}
	for _, k := range keys {
		if _, r := db.Recall(k.Kind, k.Value); r != store.RecallAnswer {
			t.Fatalf("%s: recall %v, want an answer", k.Value, r)
		}
	}
	for k, w := range want {
		if got, _ := db.Recall(k.Kind, k.Value); !reflect.DeepEqual(got, w) {
			t.Errorf("%s: memory answers %+v, SQL %+v", k.Value, got, w)
		}
	}
	if _, r := db.Recall("phone", "+8613900000000"); r != store.RecallAbsent {
		t.Errorf("an unstored number: recall %v, want absent", r)
	}
}
