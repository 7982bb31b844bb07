package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"vigil/internal/report"
	"vigil/internal/store"
	"vigil/internal/store/storetest"
)

// TestSQLite runs the suite with lookups through the in-memory key index.
func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T, overCommon int) store.Store {
		db, err := Open(context.Background(), filepath.Join(t.TempDir(), "vigil.db"), Options{Keys: testKeys, OverCommon: overCommon, LookupIndex: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		waitIndex(t, db)
		return checked{t, db}
	})
}

// checked is a store whose every public lookup is also answered by SQL
// alone, which the index's answer and Recall's must equal: the suite's
// writes and lookups then test that the index follows every write.
type checked struct {
	t *testing.T
	*DB
}

func (c checked) Lookup(ctx context.Context, v store.Viewer, keys []store.Key) ([]store.IndicatorInfo, error) {
	got, err := c.DB.Lookup(ctx, v, keys)
	if err != nil || !v.Public() {
		return got, err
	}
	for i, k := range keys {
		want := store.IndicatorInfo{Key: k}
		found, err := c.DB.lookupRow(ctx, c.DB.byKey.QueryRowContext(ctx, string(k.Kind), k.Value), k, &want)
		if err != nil {
			return nil, err
		}
		if !reflect.DeepEqual(normal(got[i]), normal(want)) {
			c.t.Errorf("lookup %v: the index answers %+v, SQL %+v", k, got[i], want)
		}
		// What the lookup service asks first must agree too.
		switch info, r := c.DB.Recall(k.Kind, k.Value); {
		case r == store.RecallAnswer && !reflect.DeepEqual(normal(info), normal(want)):
			c.t.Errorf("recall %v: memory answers %+v, SQL %+v", k, info, want)
		case r == store.RecallAbsent && found, r == store.RecallHeld && !found:
			c.t.Errorf("recall %v: memory says %v, SQL found a row: %v", k, r, found)
		}
	}
	return got, nil
}

// normal makes empty and nil slices alike.
func normal(i store.IndicatorInfo) store.IndicatorInfo {
	if len(i.Sources) == 0 {
		i.Sources = nil
	}
	if len(i.ScamTypes) == 0 {
		i.ScamTypes = nil
	}
	return i
}

// TestSQLiteWithoutIndex runs the suite with lookups through SQL only, as
// before the key index has loaded.
func TestSQLiteWithoutIndex(t *testing.T) {
	storetest.Run(t, func(t *testing.T, overCommon int) store.Store {
		db, err := Open(context.Background(), filepath.Join(t.TempDir(), "vigil.db"), Options{Keys: testKeys, OverCommon: overCommon})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

// openPair opens one SQLite file twice, as two processes would: a with
// the lookup index, b without.
func openPair(t *testing.T) (a, b *DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "vigil.db")
	var err error
	if a, err = Open(context.Background(), path, Options{Keys: testKeys, LookupIndex: true}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if b, err = Open(context.Background(), path, Options{Keys: testKeys}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return a, b
}

// eventually fails the test unless ok holds within a few refreshes.
func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * refreshEvery); !ok(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("not after %v: %s", 5*refreshEvery, what)
		}
	}
}

func waitIndex(t *testing.T, db *DB) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !db.IndexReady(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("key index not ready after 10 s")
		}
	}
}

// TestKeyIndexFollowsOtherWriters: a value written through another handle
// (another process) is found within the refresh interval; a value whose
// row was deleted and whose id was reused by another value is not
// mistaken for it.
func TestKeyIndexFollowsOtherWriters(t *testing.T) {
	ctx := context.Background()
	a, b := openPair(t)
	waitIndex(t, a)
	k := store.Key{Kind: "phone", Value: "+8613800138000"}
	if err := b.AddListed(ctx, "feed", false, []store.Key{k}, store.ImportState{}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "a value written by another process is known", func() bool {
		is, err := a.Lookup(ctx, store.Viewer{}, []store.Key{k})
		if err != nil {
			t.Fatal(err)
		}
		return is[0].Known
	})
	// Reuse of a deleted row's id (SQLite hands out max(id)+1 again).
	r := &report.Report{Kind: "scam", ScamType: "other", Channel: "other", Narrative: "x", Status: "new", Reporter: "r", Source: "api",
		Indicators: []report.Link{{Kind: "qq", Value: "12345678", Role: report.RoleScammerContact, Origin: "named"}}}
	id, _, err := a.AddReport(ctx, r, store.Idempotency{})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.DeleteReport(ctx, id); err != nil {
		t.Fatal(err)
	}
	r2 := &report.Report{Kind: "scam", ScamType: "other", Channel: "other", Narrative: "y", Status: "new", Reporter: "r", Source: "api",
		Indicators: []report.Link{{Kind: "qq", Value: "87654321", Role: report.RoleScammerContact, Origin: "named"}}}
	if _, _, err := a.AddReport(ctx, r2, store.Idempotency{}); err != nil {
		t.Fatal(err)
	}
	is, err := a.Lookup(ctx, store.Viewer{}, []store.Key{{Kind: "qq", Value: "12345678"}, {Kind: "qq", Value: "87654321"}})
	if err != nil {
		t.Fatal(err)
	}
	if is[0].Known || !is[1].Known || is[1].Reports != 1 {
		t.Errorf("after a deleted row's id was reused: %+v", is)
	}
}

// postgresURL is the server the PostgreSQL tests use: $VIGIL_TEST_POSTGRES,
// else the local server of these machines. Each test gets a database of
// its own, dropped afterwards.
func postgresURL(t *testing.T) string {
	u := os.Getenv("VIGIL_TEST_POSTGRES")
	if u == "" {
		u = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	admin, err := sql.Open("pgx", u)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = admin.PingContext(ctx)
		cancel()
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at %s: %v (CI needs it)", redact(u), err)
		}
		t.Skipf("no PostgreSQL at %s: %v (set VIGIL_TEST_POSTGRES)", redact(u), err)
	}
	return u
}

// freshPostgres creates an empty database for one test.
func freshPostgres(t *testing.T, base string) string {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	name := fmt.Sprintf("vigil_test_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	i := strings.LastIndex(base, "/")
	rest := ""
	if q := strings.Index(base[i:], "?"); q >= 0 {
		rest = base[i+q:]
	}
	return base[:i+1] + name + rest
}

func TestPostgres(t *testing.T) {
	base := postgresURL(t)
	storetest.Run(t, func(t *testing.T, overCommon int) store.Store {
		db, err := Open(context.Background(), freshPostgres(t, base), Options{Keys: testKeys, OverCommon: overCommon, LookupIndex: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		waitIndex(t, db)
		return checked{t, db}
	})
}

func TestMigrateRecordsAndRepeats(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	db, err := Open(context.Background(), path, Options{Keys: testKeys})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := db.Migrations(context.Background())
	if err != nil || len(ms) == 0 || !ms[0].Applied {
		t.Fatalf("migrations %+v %v", ms, err)
	}
	db.Close()
	db, err = Open(context.Background(), path, Options{Keys: testKeys})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	again, err := db.Migrate(context.Background())
	if err != nil || len(again) != 0 {
		t.Errorf("second migrate applied %v, %v", again, err)
	}
	if ok, err := db.IntegrityCheck(context.Background()); ok != "ok" || err != nil {
		t.Errorf("integrity %q %v", ok, err)
	}
}

var testKeys = storetest.Keys()
