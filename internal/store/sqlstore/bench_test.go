package sqlstore

import (
	"bufio"
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"vigil/internal/datasets"
	"vigil/internal/indicator"
	"vigil/internal/store"
)

// benchBatch is the batch size of both import benchmarks: vigil import's
// default (--batch 2000).
const benchBatch = 2000

// ftcNumbers returns the FTC Do Not Call reported numbers as vigil import
// reads them (valid US numbers in E.164), each once: real values, in the
// file's order.
func ftcNumbers(b *testing.B) []store.Key {
	b.Helper()
	path := datasets.Path(b, "indicators", "ftc_dnc_reported_numbers", "90days.csv")
	ftcOnce.Do(func() {
		f, err := os.Open(path)
		if err != nil {
			ftcErr = err
			return
		}
		defer f.Close()
		seen := map[string]bool{}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			p, err := indicator.ParsePhone(strings.Trim(sc.Text(), `"' `), "US")
			if err != nil || seen[p.Value] {
				continue // the header, invalid numbers, repeats
			}
			seen[p.Value] = true
			ftc = append(ftc, store.Key{Kind: indicator.Phone, Value: p.Value})
		}
		ftcErr = sc.Err()
	})
	if ftcErr != nil {
		b.Fatal(ftcErr)
	}
	return ftc
}

var (
	ftcOnce sync.Once
	ftc     []store.Key
	ftcErr  error
)

// BenchmarkAddListed imports the FTC numbers into a fresh store per
// iteration through AddListed, in batches of benchBatch. Its peer is
// BenchmarkRawInsert; bench/store/run.sh prints the ratio.
func BenchmarkAddListed(b *testing.B) {
	keys := ftcNumbers(b)
	ctx := context.Background()
	n := 0
	for b.Loop() {
		n++
		b.StopTimer()
		db, err := Open(ctx, filepath.Join(b.TempDir(), "vigil.db"), Options{Keys: testKeys})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for j := 0; j < len(keys); j += benchBatch {
			batch := keys[j:min(j+benchBatch, len(keys))]
			done := store.ImportState{Key: "bench", Path: "90days.csv", Line: int64(j + len(batch)), Done: j+len(batch) == len(keys)}
			if err := db.AddListed(ctx, "ftc-dnc", false, batch, done); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(keys)*n)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkRawInsert is BenchmarkAddListed's peer: the same rows with
// database/sql and the same driver and pragmas (WAL, synchronous=FULL),
// into a plain table with the same unique key, one transaction and one
// prepared INSERT per batch. It is the floor of what any SQLite import in
// this driver costs.
func BenchmarkRawInsert(b *testing.B) {
	keys := ftcNumbers(b)
	ctx := context.Background()
	n := 0
	for b.Loop() {
		n++
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "raw.db")
		pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_txlock=immediate"
		db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+pragmas)
		if err != nil {
			b.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		if _, err := db.ExecContext(ctx, "CREATE TABLE indicators (kind TEXT NOT NULL, value TEXT NOT NULL, UNIQUE (kind, value))"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for j := 0; j < len(keys); j += benchBatch {
			if err := rawBatch(ctx, db, keys[j:min(j+benchBatch, len(keys))]); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(keys)*n)/b.Elapsed().Seconds(), "rows/s")
}

func rawBatch(ctx context.Context, db *sql.DB, keys []store.Key) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO indicators (kind, value) VALUES (?, ?)")
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, k := range keys {
		if _, err := stmt.ExecContext(ctx, string(k.Kind), k.Value); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// BenchmarkLookup asks the store for one value at a time from every core,
// as the lookup API does per request: half FTC numbers it holds, half
// values it does not. bench/store/lookupbench measures the whole API.
func BenchmarkLookup(b *testing.B) {
	keys := ftcNumbers(b)
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "vigil.db"), Options{Keys: testKeys})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for j := 0; j < len(keys); j += benchBatch {
		if err := db.AddListed(ctx, "ftc-dnc", false, keys[j:min(j+benchBatch, len(keys))], store.ImportState{}); err != nil {
			b.Fatal(err)
		}
	}
	var next atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(next.Add(1))
			k := keys[i%len(keys)]
			if i%2 == 1 {
				k.Value += "0" // not stored
			}
			infos, err := db.Lookup(ctx, store.Viewer{}, []store.Key{k})
			if err != nil {
				b.Error(err)
				return
			}
			if infos[0].Known != (i%2 == 0) {
				b.Errorf("%s: known=%v", k.Value, infos[0].Known)
				return
			}
		}
	})
}
