package sqlstore

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"vigil/internal/auth"
	"vigil/internal/report"
	"vigil/internal/store"
)

// piiSeeds are personal data the store must never hold in the clear.
var piiSeeds = []string{
	"Zhang Wei was taken to KK Park", // a narrative
	"mother-of-zhang@example.org",    // a reporter's contact
	"+8613912345678",                 // a victim's own number
	"caseworker.li@ngo.example",      // an account's login
	"Li Caseworker",                  // an account's name
	"owner-of-shop@example.org",      // a disputer's contact
	"I own this shop in Kunming",     // a dispute's reason
}

// seedPII writes every kind of personal data through the store.
func seedPII(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	r := &report.Report{Kind: "scam", ScamType: "job", Channel: "wechat", Status: "new", Reporter: "r1", Source: "api",
		Narrative: piiSeeds[0] + "; 高薪招聘", Contact: piiSeeds[1],
		Indicators: []report.Link{{Kind: "phone", Value: piiSeeds[2], Role: report.RoleVictimContact, Origin: "named"},
			{Kind: "wechat", Value: "recruiter_kk01", Role: report.RoleRecruiter, Origin: "named"}}}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.AddReport(ctx, r, store.Idempotency{}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddUser(ctx, store.User{Login: piiSeeds[3], Name: piiSeeds[4], Role: auth.RoleCaseworker, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddDispute(ctx, store.Dispute{Kind: "wechat", Value: "recruiter_kk01", Contact: piiSeeds[5], Reason: piiSeeds[6]}); err != nil {
		t.Fatal(err)
	}
	// It all reads back, for those who may read it.
	got, _, err := db.SearchReports(ctx, store.Viewer{All: true}, store.Query{Text: "KK Park"})
	if err != nil || len(got) != 1 || got[0].Contact != piiSeeds[1] {
		t.Fatalf("search over the blind index: %v %+v", err, got)
	}
	if u, err := db.UserByLogin(ctx, "CASEWORKER.LI@ngo.example"); err != nil || u.Name != piiSeeds[4] {
		t.Fatalf("login lookup: %v %+v", err, u)
	}
}

func assertNoPII(t *testing.T, what string, data []byte) {
	t.Helper()
	if len(data) == 0 {
		t.Fatalf("%s: nothing to search", what)
	}
	for _, s := range piiSeeds {
		for _, form := range [][]byte{[]byte(s), utf16le(s)} {
			if bytes.Contains(data, form) {
				t.Errorf("%s holds %q in the clear", what, s)
			}
		}
	}
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

// TestSQLiteFileHoldsNoPII reads the SQLite file and its write-ahead log
// byte for byte.
func TestSQLiteFileHoldsNoPII(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vigil.db")
	db, err := Open(context.Background(), path, Options{Keys: testKeys})
	if err != nil {
		t.Fatal(err)
	}
	seedPII(t, db)
	var all []byte
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	assertNoPII(t, "the SQLite file and WAL (open)", all)
	db.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	assertNoPII(t, "the SQLite file (closed)", b)
}

// TestPostgresDumpHoldsNoPII runs pg_dump on the store's database.
func TestPostgresDumpHoldsNoPII(t *testing.T) {
	base := postgresURL(t)
	dsn := freshPostgres(t, base)
	db, err := Open(context.Background(), dsn, Options{Keys: testKeys})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	seedPII(t, db)
	out, err := exec.Command("pg_dump", "--no-owner", dsn).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	if !bytes.Contains(out, []byte("report_terms")) {
		t.Fatalf("pg_dump printed no store: %.300s", out)
	}
	assertNoPII(t, "pg_dump", out)
}
