package api

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"vigil/internal/store"
	"vigil/internal/store/sqlstore"
	"vigil/internal/store/storetest"
)

// BenchmarkLookup measures the lookup handler's own cost (no network):
// half known, half unknown phone numbers, on a store of 100,000 values.
func BenchmarkLookup(b *testing.B) {
	ctx := context.Background()
	db, keys := listedStore(b, 100000)
	for !db.IndexReady() {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond) // the refresher catches up with the bulk listing
	srvH, err := New(ctx, Config{Store: db}, discardLog(), prometheus.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		q := keys[i%len(keys)].Value
		if i%2 == 1 {
			q = fmt.Sprintf("+86139%08d", i)
		}
		req := httptest.NewRequest("GET", "/api/v1/lookup?q="+url.QueryEscape(q), nil)
		rec := httptest.NewRecorder()
		srvH.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
}

// listedStore opens a SQLite store that follows its lookup index and
// lists n Chinese mobile numbers in it, in batches of 5000 (closed when tb
// ends).
func listedStore(tb testing.TB, n int) (*sqlstore.DB, []store.Key) {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(tb.TempDir(), "v.db"), sqlstore.Options{LookupIndex: true, Keys: storetest.Keys()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	keys := make([]store.Key, n)
	for i := range keys {
		keys[i] = store.Key{Kind: "phone", Value: fmt.Sprintf("+86138%08d", i)}
	}
	for batch := range slices.Chunk(keys, 5000) {
		if err := db.AddListed(ctx, "feed", false, batch, store.ImportState{}); err != nil {
			tb.Fatal(err)
		}
	}
	return db, keys
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
