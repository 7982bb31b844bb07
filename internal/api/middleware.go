package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"vigil/internal/auth"
	"vigil/internal/store"
)

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// handle adapts a handler that returns an error: it bounds the body,
// resolves the caller and checks perm (the one place a request's
// permission is checked; empty for routes open to all), writes a problem
// document for an error, logs 5xx, and counts requests.
func (s *Server) handle(name string, perm auth.Permission, h func(http.ResponseWriter, *http.Request) error) http.Handler {
	counts := s.metrics.route(name)
	actors := newActorCache()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		if r.Body != http.NoBody { // the server's body of a request without one
			r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
		}
		sw := &statusWriter{ResponseWriter: w}
		err := func() error {
			c, err := s.authenticate(r)
			if err != nil {
				return err
			}
			if err := s.authorize(r, c, perm); err != nil {
				return err
			}
			ctx := context.WithValue(r.Context(), callerKey{}, c)
			r = r.WithContext(store.WithActor(ctx, actors.of(s, c)))
			return h(sw, r)
		}()
		if err != nil {
			p := problemFor(err)
			if p.Status >= 500 {
				// The route, not the path: a family's path holds the capability
				// token of their case, which must not reach the logs.
				s.log.Error("request failed", "route", name, "method", r.Method, "err", err)
			}
			writeProblem(sw, p)
		}
		counts.observe(sw.status, time.Since(start))
	})
}

func writeProblem(w http.ResponseWriter, p problem) {
	b, _ := json.Marshal(p)
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	w.Write(append(b, '\n'))
}

// recoverPanics turns a panic into a logged 500 problem rather than a
// dropped connection.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				// r.Pattern (set once routed), never the path: see handle.
				s.log.Error("panic", "method", r.Method, "pattern", r.Pattern, "panic", v)
				writeProblem(w, problemFor(nil))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Content security policies: the API serves no active content; the web
// pages load their own stylesheet and post forms to themselves, nothing
// else (no scripts, no third parties).
const (
	apiCSP = "default-src 'none'; frame-ancestors 'none'"
	webCSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

// securityHeaders sets the headers every response carries.
//
// The values are made once and shared by every response (Header.Set would
// allocate four slices a request). The keys are canonical, as Set would
// make them. Sharing is safe: net/http only reads them, and a handler that
// Sets or Adds one of these headers replaces or appends to a slice whose
// capacity is its length, so it gets a copy.
func securityHeaders(csp string, next http.Handler) http.Handler {
	nosniff, policy, referrer, noStore := []string{"nosniff"}, []string{csp}, []string{"no-referrer"}, []string{"no-store"}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["X-Content-Type-Options"] = nosniff[:1:1]
		h["Content-Security-Policy"] = policy[:1:1]
		h["Referrer-Policy"] = referrer[:1:1]
		h["Cache-Control"] = noStore[:1:1]
		next.ServeHTTP(w, r)
	})
}
