package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"vigil/internal/api"
)

const serveHelp = `
Run Vigil's HTTP service: the JSON API under /api/v1 (POST /api/v1/scan
finds the indicators in a text, as "vigil scan" does), /healthz, Prometheus
/metrics and the OpenAPI document at /api/openapi.json. It needs no
configuration: "vigil serve" listens on 127.0.0.1:8080. Stop it with Ctrl-C;
requests under way are given 10 seconds to finish.

Environment: VIGIL_ADDR (the --addr default), VIGIL_WARNINGLISTS (as for scan).
`

func runServe(e *env, args []string) int {
	fs := newFlagSet(e, "serve", "serve [flags]", serveHelp, args)
	defAddr := os.Getenv("VIGIL_ADDR")
	if defAddr == "" {
		defAddr = "127.0.0.1:8080"
	}
	addr := fs.String("addr", defAddr, "address to listen on (host:port)")
	var lists stringList
	fs.Var(&lists, "warninglists", "MISP warninglists directory or eth-phishing-detect config.json (repeatable)")
	maxBody := fs.Int64("max-body", api.DefaultMaxBody, "largest request body accepted, in bytes")
	if _, err := parseFlags(fs, args); err != nil {
		return flagErr(err)
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	sf := scanFlags{lists: lists}
	x, err := sf.extractOptions()
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil serve: %v\n", err)
		return ExitError
	}
	h, err := api.New(api.Config{MaxBody: *maxBody, Extract: x}, log, nil)
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil serve: %v\n", err)
		return ExitError
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil serve: %v\n", err)
		return ExitError
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
	host := ln.Addr().String()
	if strings.HasPrefix(host, "[::]") || strings.HasPrefix(host, "0.0.0.0") {
		host = "localhost" + host[strings.LastIndexByte(host, ':'):]
	}
	log.Info("vigil listening", "url", "http://"+host)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		fmt.Fprintf(e.stderr, "vigil serve: %v\n", err)
		return ExitError
	case <-e.ctx.Done():
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintf(e.stderr, "vigil serve: %v\n", err)
		return ExitError
	}
	log.Info("vigil stopped")
	return ExitOK
}
