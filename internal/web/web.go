// Package web is Vigil's public web page, rendered on the server in English
// and Simplified Chinese: anyone can check a phone number, link, wallet or
// account, and report a scam, without an account; people who have one may
// sign in, and their reports are then theirs. It asks the same lookup
// service as the API, needs no JavaScript, and works under a
// Content-Security-Policy that allows only its own stylesheet.
package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"vigil/internal/lookup"
	"vigil/internal/report"
	"vigil/internal/screen"
)

// Submitter stores a report from the public; client identifies the
// submitter's network for rate limits and reporter identity. session is
// the token of the submitter's session cookie ("" when none), so that the
// report of a signed-in person is attributed to their account.
type Submitter interface {
	SubmitReport(ctx context.Context, r *report.Report, client, session string) (id string, err error)
}

// Accounts signs people in and out; the API server implements it over the
// store.
type Accounts interface {
	// SignIn checks a login and password from client (the client's IP
	// address) and returns a new session token. It returns an error
	// wrapping ErrBadLogin for a wrong login or password (never saying
	// which), or a *ThrottledError when too many attempts failed.
	SignIn(ctx context.Context, login, password, client string) (token string, err error)
	// SignOut ends the session of token.
	SignOut(ctx context.Context, token string) error
	// Who names the signed-in account of a session token: its login and
	// role; ok is false when the token is not a live session.
	Who(ctx context.Context, token string) (login, role string, ok bool)
}

// SessionCookie is the name of the cookie that carries a session token.
const SessionCookie = "vigil_session"

// ErrBadLogin is what Accounts.SignIn returns (wrapped or not) for a wrong
// login or password. It never says which of the two was wrong, so that the
// form cannot be used to find out which logins exist.
var ErrBadLogin = errors.New("wrong login or password")

// ThrottledError is what Accounts.SignIn returns when too many attempts to
// sign in failed: the person may try again after RetryAfter.
type ThrottledError struct{ RetryAfter time.Duration }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed sign-ins: try again in %s", e.RetryAfter)
}

// Config is what the web page needs.
type Config struct {
	Lookup *lookup.Service
	Submit Submitter
	// Screen screens pasted texts (a default screener over Lookup when nil).
	Screen *screen.Screener
	// Accounts signs people in (nil: the pages offer no sign-in, and
	// /login is not found).
	Accounts Accounts
	// Cases files and follows families' cases (nil: the pages offer no
	// way to report a missing person, and /cases/new is not found).
	Cases Cases
	// Desk shows caseworkers their cases, and everyone the gazetteer's
	// places (nil: /desk and /places are not found).
	Desk Desk
	// CSRFKey keys the tokens of the forms (csrf.go): servers behind one
	// address share it, so that a form from one is taken by another. It
	// should be 32 random bytes; nil: a random key made in New, good for
	// one process.
	CSRFKey []byte
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
	errForbidden = errors.New("forged form")
	errTooLarge  = errors.New("request body too large")
	errBadForm   = errors.New("unreadable form")
)

// maxForm bounds a form body: a long narrative is 64 KiB, and the rest of
// the form is small.
const maxForm = 256 << 10

// server holds what the handlers share.
type server struct {
	lookup   *lookup.Service
	screener *screen.Screener
	submit   Submitter
	accounts Accounts
	cases    Cases
	desk     Desk
	csrfKey  []byte
	log      *slog.Logger
	pages    map[string]*template.Template
}

// New returns the web page's handler. Its templates are parsed here, once.
func New(cfg Config) http.Handler {
	s := &server{lookup: cfg.Lookup, screener: cfg.Screen, submit: cfg.Submit, accounts: cfg.Accounts,
		cases: cfg.Cases, desk: cfg.Desk, csrfKey: bytes.Clone(cfg.CSRFKey), log: cfg.Log, pages: parsePages()}
	parseDeskPages(s.pages)
	if len(s.csrfKey) == 0 {
		s.csrfKey = make([]byte, 32)
		rand.Read(s.csrfKey)
	}
	if s.screener == nil && cfg.Lookup != nil {
		s.screener = &screen.Screener{X: cfg.Lookup.X, Known: cfg.Lookup}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s.routes()
}
