package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"time"

	"vigil/internal/api"
	"vigil/internal/auth"
	"vigil/internal/store"
	"vigil/internal/store/sqlstore"
	"vigil/internal/webhook"
)

// dbFlag declares --db: a SQLite file or a postgres:// URL.
func dbFlag(fs *flag.FlagSet) *string {
	def := os.Getenv("VIGIL_DB")
	if def == "" {
		def = "vigil.db"
	}
	return fs.String("db", def, "the store: a SQLite file, or postgres://user@host/db")
}

const serveHelp = `
Run Vigil's HTTP service: the public web page at / (check a value, report a
scam, in English and Chinese), the JSON API under /api/v1 (reports, lookups,
networks, scans), /healthz, Prometheus /metrics and the OpenAPI document at
/api/openapi.json. It needs no configuration: "vigil serve" listens on
127.0.0.1:8080 and keeps its data in the SQLite file vigil.db in the current
directory (--db names another file, or a PostgreSQL server with
postgres://...). Migrations are applied at start. Stop it with Ctrl-C;
requests under way are given 10 seconds to finish.

The first start creates an administrator account, "admin", and prints its
one-time password, to be changed at the first sign-in; "vigil user" adds
more accounts. Personal data is encrypted with the data key: $VIGIL_DATA_KEY,
or the key file ($VIGIL_KEY_FILE, by default beside the SQLite file:
vigil.key), made on first start. Back the key file up.

Trafficking cases that families file without naming an organisation go to
--intake-org (an NGO's intake desk; "vigil org list" shows ids), else to
no one until an admin assigns them. Watches' webhooks are delivered while
the server runs, signed and retried; by default they may not reach
loopback or private addresses (--webhooks-private allows it).

Behind a reverse proxy (nginx, Caddy, a load balancer) every request comes
from the proxy, and the public would share one rate limit and one reporter
pseudonym: --trusted-proxy names the proxies (addresses or CIDR prefixes).
A request from one of them comes from the client its X-Forwarded-For names,
read from the right: the first address that is not a trusted proxy. The
proxy must append to that header or overwrite it (nginx: proxy_set_header
X-Forwarded-For $proxy_add_x_forwarded_for; Caddy does by default). The
Forwarded header (RFC 7239) is not read; without --trusted-proxy neither is
X-Forwarded-For.

Environment: VIGIL_ADDR (the --addr default), VIGIL_DB (the --db default),
VIGIL_INTAKE_ORG (the --intake-org default), VIGIL_TRUSTED_PROXY (the
--trusted-proxy default, comma-separated), VIGIL_DATA_KEY, VIGIL_KEY_FILE,
VIGIL_WARNINGLISTS (as for scan).
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
	dsn := dbFlag(fs)
	overCommon := fs.Int("over-common", sqlstore.DefaultOverCommon, "reports above which an indicator is over-common and stops connecting reports")
	perHour := fs.Float64("report-rate", 20, "anonymous reports accepted per client network per hour")
	intake := fs.String("intake-org", os.Getenv("VIGIL_INTAKE_ORG"), "the organisation (id) that owns the cases families file without naming one")
	privateHooks := fs.Bool("webhooks-private", false, "let watches' webhooks reach loopback and private addresses (a receiver beside Vigil)")
	var proxies prefixList
	fs.Var(&proxies, "trusted-proxy", "a reverse proxy whose X-Forwarded-For names the client: an address or `CIDR` prefix (repeatable or comma-separated)")
	if _, err := parseFlags(fs, args); err != nil {
		return flagErr(err)
	}
	if v := os.Getenv("VIGIL_TRUSTED_PROXY"); len(proxies) == 0 && v != "" {
		if err := proxies.Set(v); err != nil {
			fmt.Fprintf(e.stderr, "vigil serve: VIGIL_TRUSTED_PROXY: %v\n", err)
			return ExitError
		}
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	sf := scanFlags{lists: lists}
	x, err := sf.extractOptions()
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil serve: %v\n", err)
		return ExitError
	}
	db, err := openStore(e, *dsn, sqlstore.Options{OverCommon: *overCommon, LookupIndex: true, Log: log})
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil serve: %v\n", err)
		return ExitError
	}
	defer db.Close()
	if err := ensureAdmin(e, db); err != nil {
		fmt.Fprintf(e.stderr, "vigil serve: %v\n", err)
		return ExitError
	}
	h, err := api.New(e.ctx, api.Config{MaxBody: *maxBody, Extract: x, Store: db, ReportsPerHour: *perHour, IntakeOrg: *intake, TrustedProxies: proxies}, log, nil)
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil serve: %v\n", err)
		return ExitError
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil serve: %v\n", err)
		return ExitError
	}
	// No ReadTimeout: the API gives a request with a body its own deadline
	// (api.Config.BodyTimeout), and one without needs none past its headers.
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
	host := ln.Addr().String()
	if strings.HasPrefix(host, "[::]") || strings.HasPrefix(host, "0.0.0.0") {
		host = "localhost" + host[strings.LastIndexByte(host, ':'):]
	}
	log.Info("vigil listening", "url", "http://"+host, "store", db.Dialect())
	// The webhook sender delivers watches' alerts while the server runs;
	// what is due when it stops is sent by the next start.
	hooks := &webhook.Sender{Store: db, Logger: log, AllowPrivate: *privateHooks}
	hookCtx, stopHooks := context.WithCancel(context.Background())
	hooksDone := make(chan struct{})
	go func() {
		defer close(hooksDone)
		hooks.Run(hookCtx)
	}()
	stop := func() {
		stopHooks()
		<-hooksDone
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		stop()
		fmt.Fprintf(e.stderr, "vigil serve: %v\n", err)
		return ExitError
	case <-e.ctx.Done():
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = srv.Shutdown(ctx)
	stop()
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintf(e.stderr, "vigil serve: %v\n", err)
		return ExitError
	}
	log.Info("vigil stopped")
	return ExitOK
}

// prefixList is a repeatable flag of comma-separated CIDR prefixes; a bare
// address is a prefix of its own.
type prefixList []netip.Prefix

func (l *prefixList) String() string {
	s := make([]string, len(*l))
	for i, p := range *l {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}

func (l *prefixList) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		s = strings.TrimSpace(s)
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil || a.Zone() != "" {
				return fmt.Errorf("%q is neither an IP address nor a CIDR prefix (10.0.0.0/8, 2001:db8::/32)", s)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if p.Addr().Is4In6() && p.Bits() >= 96 {
			// Clients' addresses are compared unmapped: so are prefixes
			// (and addresses, as prefixes of 128 bits).
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		*l = append(*l, p.Masked())
	}
	return nil
}

// ensureAdmin creates the first account, an administrator with a one-time
// password, when the store has none.
func ensureAdmin(e *env, db *sqlstore.DB) error {
	n, err := db.CountUsers(e.ctx)
	if err != nil || n > 0 {
		return err
	}
	pw := auth.GeneratePassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	_, err = db.AddUser(cliActor(e), store.User{Login: "admin", Name: "Administrator", Role: auth.RoleAdmin, PasswordHash: hash, MustChange: true})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, `
  First start: created the administrator account.
    login:    admin
    password: %s   (one-time: change it at the first sign-in)

`, pw)
	return nil
}
