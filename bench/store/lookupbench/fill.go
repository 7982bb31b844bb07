package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"vigil/internal/auth"
	"vigil/internal/indicator"
	"vigil/internal/store"
	"vigil/internal/store/sqlstore"
)

// fillResult is what filling the store measured.
type fillResult struct {
	Rows    int           // rows added by this run (0 when the file was full)
	Elapsed time.Duration // time of this run's AddListed calls
	Size    int64         // the file's size afterwards
}

// listSource is the feed the synthetic values are listed by.
const listSource = "lookupbench"

// fill makes the store at path hold values 0..n-1, through AddListed in
// batches, as vigil import does. Progress is recorded with every batch (in
// the store's imports table), so an interrupted fill resumes where it
// stopped and a full file is left as it is.
func fill(ctx context.Context, log *slog.Logger, path string, n, batch int) (fillResult, error) {
	var res fillResult
	// The key file where vigil serve looks for it: beside the database.
	ring, _, err := auth.LoadKeyring("", strings.TrimSuffix(path, filepath.Ext(path))+".key")
	if err != nil {
		return res, err
	}
	db, err := sqlstore.Open(ctx, path, sqlstore.Options{Keys: ring})
	if err != nil {
		return res, err
	}
	defer db.Close()
	key := fmt.Sprintf("lookupbench:%d", n)
	st, err := db.ImportProgress(ctx, key)
	if err != nil {
		return res, err
	}
	if st.Done {
		log.Info("store already filled", "db", path, "n", n)
	} else {
		log.Info("filling store", "db", path, "n", n, "from", st.Line, "batch", batch)
	}
	keys := make([]store.Key, 0, batch)
	lastLog := time.Now()
	for from := int(st.Line); !st.Done && from < n; from += batch {
		to := min(from+batch, n)
		keys = keys[:0]
		for i := from; i < to; i++ {
			keys = append(keys, store.Key{Kind: indicator.Phone, Value: value(i)})
		}
		done := store.ImportState{Key: key, Path: "synthetic", Line: int64(to), Done: to == n}
		t0 := time.Now()
		if err := db.AddListed(ctx, listSource, false, keys, done); err != nil {
			return res, err
		}
		res.Elapsed += time.Since(t0)
		res.Rows += len(keys)
		if time.Since(lastLog) > 15*time.Second {
			log.Info("filling", "rows", to, "rows_per_s", int(float64(res.Rows)/res.Elapsed.Seconds()))
			lastLog = time.Now()
		}
	}
	if err := db.Close(); err != nil {
		return res, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return res, err
	}
	res.Size = fi.Size()
	return res, nil
}
