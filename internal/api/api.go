// Package api is Vigil's JSON HTTP API under /api/v1, with /healthz,
// Prometheus /metrics and the OpenAPI document at /api/openapi.json.
// Handlers return errors; one adapter turns them into RFC 9457 problem
// documents. The web UI and the CLI call the same domain packages.
package api

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"vigil/internal/extract"
)

// Config configures the API.
type Config struct {
	// MaxBody bounds request bodies in bytes.
	MaxBody int64
	// Extract configures the extractor behind /api/v1/scan.
	Extract extract.Options
}

// DefaultMaxBody is the default request body limit: 2 MiB, room for a long
// chat export, far from a denial of service.
const DefaultMaxBody = 2 << 20

// Server holds what the handlers share.
type Server struct {
	cfg     Config
	log     *slog.Logger
	x       *extract.Extractor
	metrics *metrics
}

// New returns the API's handler.
func New(cfg Config, log *slog.Logger, reg prometheus.Registerer) (http.Handler, error) {
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: log, x: extract.New(cfg.Extract), metrics: m}
	return s.routes(), nil
}

// Errors handlers return; problem maps them to status codes.
var (
	ErrInvalid  = errors.New("invalid request")
	ErrNotFound = errors.New("not found")
	ErrTooLarge = errors.New("request body too large")
)
