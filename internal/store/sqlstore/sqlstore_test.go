package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"vigil/internal/store"
	"vigil/internal/store/storetest"
)

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T, overCommon int) store.Store {
		db, err := Open(context.Background(), filepath.Join(t.TempDir(), "vigil.db"), Options{OverCommon: overCommon})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
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
		db, err := Open(context.Background(), freshPostgres(t, base), Options{OverCommon: overCommon})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

func TestMigrateRecordsAndRepeats(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	db, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := db.Migrations(context.Background())
	if err != nil || len(ms) == 0 || !ms[0].Applied {
		t.Fatalf("migrations %+v %v", ms, err)
	}
	db.Close()
	db, err = Open(context.Background(), path, Options{})
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
