// Package api is Vigil's JSON HTTP API under /api/v1, with /healthz,
// Prometheus /metrics, the OpenAPI document at /api/openapi.json and the
// public web pages (package web) at /. Handlers return errors; one adapter
// turns them into RFC 9457 problem documents. The web UI and the CLI call
// the same domain packages.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"vigil/internal/auth"
	"vigil/internal/extract"
	"vigil/internal/lookup"
	"vigil/internal/report"
	"vigil/internal/screen"
	"vigil/internal/store"
	"vigil/internal/web"
)

// Store is what the API needs of the store.
type Store interface {
	store.Store
	// Secret returns a random secret kept in the store (the key of
	// reporter pseudonyms), the same for every server sharing it.
	Secret(ctx context.Context, name string) ([]byte, error)
	// Ping tells whether the store answers (for /healthz).
	Ping(ctx context.Context) error
	// IndexReady tells whether lookups use the in-memory key index yet
	// (it loads in the background after start; until then lookups are
	// answered from SQL, correctly but slower).
	IndexReady() bool
	// IndexSize tells how many keys the index holds and the bytes it
	// takes (for /metrics: it is outside the Go heap).
	IndexSize() (keys, bytes int)
}

// Config configures the API.
type Config struct {
	// MaxBody bounds request bodies in bytes.
	MaxBody int64
	// BodyTimeout bounds the time a client takes to send a request's body,
	// from the moment its headers are read (default DefaultBodyTimeout).
	// The server bounds the headers (http.Server.ReadHeaderTimeout); a
	// request without a body has nothing more to wait for.
	BodyTimeout time.Duration
	// Extract configures the extractor behind scans, reports and lookups.
	Extract extract.Options
	// Store keeps reports; required.
	Store Store
	// PasswordParams are the argon2id parameters of new password hashes
	// (auth.DefaultPasswordParams when zero; tests use small ones).
	PasswordParams auth.PasswordParams
	// K is the k of k-anonymous public statistics (auth.DefaultK when 0).
	K int
	// ReportsPerHour and ReportBurst rate-limit anonymous report
	// submissions per client network (defaults 20 and 5).
	ReportsPerHour float64
	ReportBurst    int
	// IntakeOrg is the organisation that owns the cases the public files
	// without naming one (an NGO's intake desk); empty: such cases are
	// owned by none, and only admins see them until they assign them.
	IntakeOrg string
	// TrustedProxies are the reverse proxies (and load balancers) whose
	// X-Forwarded-For names the client: a request from one of them is
	// taken to come from the address the header gives (see
	// forwardedClient). None: RemoteAddr is the client, and the header is
	// ignored, as a client could write anything in it.
	TrustedProxies []netip.Prefix
}

// DefaultMaxBody is the default request body limit: 2 MiB, room for a long
// chat export or a batch lookup of 10,000 values, far from a denial of
// service.
const DefaultMaxBody = 2 << 20

// DefaultBodyTimeout is the default Config.BodyTimeout.
const DefaultBodyTimeout = time.Minute

// Server holds what the handlers share.
type Server struct {
	cfg     Config
	log     *slog.Logger
	x       *extract.Extractor
	metrics *metrics
	store   Store
	lookup  *lookup.Service
	limiter *limiter
	// additions limits what one family link adds: a few things a day, a
	// burst when they sit down with their phone's screenshots.
	additions *limiter
	secret    []byte
	web       http.Handler
	screener  *screen.Screener
	throttle  *auth.Throttle
	// public holds the callers of the public's recent addresses.
	public *publicCallers
	// inspecting bounds the evidence files decoded at once (media.Inspect).
	inspecting chan struct{}
	csrfKey    []byte
	// dummyHash is checked for unknown logins, so that they take as long
	// as wrong passwords.
	dummyHash string
}

// New returns the API's handler.
func New(ctx context.Context, cfg Config, log *slog.Logger, reg prometheus.Registerer) (http.Handler, error) {
	s, err := newServer(ctx, cfg, log, reg)
	if err != nil {
		return nil, err
	}
	return s.routes(), nil
}

// newServer checks cfg and builds the server behind New's handler.
func newServer(ctx context.Context, cfg Config, log *slog.Logger, reg prometheus.Registerer) (*Server, error) {
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.BodyTimeout <= 0 {
		cfg.BodyTimeout = DefaultBodyTimeout
	}
	if cfg.Store == nil {
		return nil, errors.New("api: no store")
	}
	m, err := newMetrics(reg, cfg.Store)
	if err != nil {
		return nil, err
	}
	secret, err := cfg.Store.Secret(ctx, "reporter-key")
	if err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	csrfKey, err := cfg.Store.Secret(ctx, "csrf-key")
	if err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	if cfg.PasswordParams == (auth.PasswordParams{}) {
		cfg.PasswordParams = auth.DefaultPasswordParams
	}
	if cfg.K <= 0 {
		cfg.K = auth.DefaultK
	}
	if cfg.IntakeOrg != "" {
		if _, err := cfg.Store.Org(ctx, cfg.IntakeOrg); err != nil {
			return nil, fmt.Errorf("api: intake organisation %q: %w", cfg.IntakeOrg, err)
		}
	}
	x := extract.New(cfg.Extract)
	s := &Server{cfg: cfg, log: log, x: x, metrics: m, store: cfg.Store, secret: secret, csrfKey: csrfKey,
		lookup:    &lookup.Service{X: x, Store: cfg.Store},
		limiter:   newLimiter(cfg.ReportsPerHour, cfg.ReportBurst),
		additions: newLimiter(60, 30),
		throttle:  auth.NewThrottle(), public: newPublicCallers(), inspecting: make(chan struct{}, 2)}
	if s.dummyHash, err = s.hashPassword(auth.GeneratePassword()); err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	s.screener = &screen.Screener{X: x, Known: s.lookup}
	s.web = web.New(web.Config{Lookup: s.lookup, Screen: s.screener, Submit: webSubmitter{s}, Accounts: s, Cases: s, Desk: s, CSRFKey: csrfKey, Log: log})
	return s, nil
}

// webSubmitter takes reports from the web form through the API's path.
type webSubmitter struct{ s *Server }

func (w webSubmitter) SubmitReport(ctx context.Context, r *report.Report, host, session string) (string, error) {
	c := &caller{p: auth.Public(), client: network(host)} // the web form gives the host address
	if session != "" {
		if err := w.s.signedIn(ctx, c, session); err != nil {
			return "", err
		}
	}
	if c.p.IsPublic() && !w.s.limiter.allow(c.client) {
		return "", web.ErrRateLimited
	}
	r.Source = "web"
	id, _, err := w.s.submit(store.WithActor(ctx, c.actor(w.s)), r, c, store.Idempotency{})
	return id, err
}

// Errors handlers return; problemFor maps them to status codes.
var (
	ErrInvalid      = errors.New("invalid request")
	ErrNotFound     = errors.New("not found")
	ErrTooLarge     = errors.New("request body too large")
	ErrRateLimited  = errors.New("too many requests")
	ErrUnauthorized = errors.New("unauthorized")
)
