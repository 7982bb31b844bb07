// Package web is Vigil's public web page, rendered on the server in English
// and Simplified Chinese: anyone can check a phone number, link, wallet or
// account, and report a scam, without an account. It asks the same lookup
// service as the API, needs no JavaScript, and works under a
// Content-Security-Policy that allows only its own stylesheet.
package web

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"

	"vigil/internal/lookup"
	"vigil/internal/report"
	"vigil/internal/screen"
)

// Submitter stores a report from the public; client identifies the
// submitter's network for rate limits and reporter identity.
type Submitter interface {
	SubmitReport(ctx context.Context, r *report.Report, client string) (id string, err error)
}

// Config is what the web page needs.
type Config struct {
	Lookup *lookup.Service
	Submit Submitter
	// Screen screens pasted texts (a default screener over Lookup when nil).
	Screen *screen.Screener
	// Log receives server errors (nil: discard).
	Log *slog.Logger
}

// ErrRateLimited is what a Submitter returns (wrapped or not) when a
// client has sent too many reports: the page asks the person to wait a
// minute.
var ErrRateLimited = errors.New("rate limited")

// Errors handlers return; statusOf maps them to status codes.
var (
	errNotFound  = errors.New("not found")
	errMethod    = errors.New("method not allowed")
	errForbidden = errors.New("cross-origin form")
	errTooLarge  = errors.New("request body too large")
)

// maxForm bounds a form body: a long narrative is 64 KiB, and the rest of
// the form is small.
const maxForm = 256 << 10

// server holds what the handlers share.
type server struct {
	lookup   *lookup.Service
	screener *screen.Screener
	submit   Submitter
	log      *slog.Logger
	pages    map[string]*template.Template
}

// New returns the web page's handler. Its templates are parsed here, once.
func New(cfg Config) http.Handler {
	s := &server{lookup: cfg.Lookup, screener: cfg.Screen, submit: cfg.Submit, log: cfg.Log, pages: parsePages()}
	if s.screener == nil && cfg.Lookup != nil {
		s.screener = &screen.Screener{X: cfg.Lookup.X, Known: cfg.Lookup}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s.routes()
}
