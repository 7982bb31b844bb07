package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"vigil/internal/api"
	"vigil/internal/auth"
	"vigil/internal/extract"
	"vigil/internal/store/sqlstore"
)

// runProfiled is the hidden "profile" mode: Vigil's API on a store, put
// together as vigil serve does (internal/cli/serve.go, default flags), in a
// process of its own, with a CPU profile of the whole process written when
// it is interrupted, and then a profile of the heap in use (after a
// collection) beside it, named as the CPU profile with ".heap" added. vigil serve has no profiling endpoint; this is the
// same handler with one.
func runProfiled(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("lookupbench profile", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on")
	dsn := fs.String("db", "", "the store")
	out := fs.String("cpuprofile", "", "the CPU profile to write")
	if err := fs.Parse(args); err != nil || *dsn == "" || *out == "" {
		fmt.Fprintln(stderr, "usage: lookupbench profile --db FILE --cpuprofile FILE [--addr HOST:PORT]")
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	if err := serveProfiled(ctx, log, *addr, *dsn, *out); err != nil {
		log.Error("profile", "err", err)
		return 1
	}
	return 0
}

func serveProfiled(ctx context.Context, log *slog.Logger, addr, dsn, out string) error {
	// The key file where vigil serve looks for it: beside the database.
	ring, _, err := auth.LoadKeyring("", strings.TrimSuffix(dsn, filepath.Ext(dsn))+".key")
	if err != nil {
		return err
	}
	db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{LookupIndex: true, Keys: ring})
	if err != nil {
		return err
	}
	defer db.Close()
	// As vigil serve is measured: with its lookup index loaded, which the
	// profile should not count.
	for !db.IndexReady() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	h, err := api.New(ctx, api.Config{Extract: extract.Options{}, Store: db, ReportsPerHour: 20}, log, nil)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	defer pprof.StopCPUProfile()
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	go func() { <-ctx.Done(); srv.Close() }()
	log.Info("profiled vigil listening", "url", "http://"+ln.Addr().String())
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	hf, err := os.Create(out + ".heap")
	if err != nil {
		return err
	}
	defer hf.Close()
	runtime.GC()
	return pprof.Lookup("heap").WriteTo(hf, 0)
}
