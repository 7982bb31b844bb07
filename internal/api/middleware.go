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
			r = r.WithContext(store.WithActor(ctx, c.actor(s)))
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

// The headers every response carries, as name and value pairs. The API's
// are those OWASP's REST Security Cheat Sheet asks of every API response
// (and Content-Type, which each handler sets); the web pages add
// Referrer-Policy, since a page's links carry case tokens in their paths.
// A JSON answer is never a document that navigates or loads anything, so
// it has no referrer to protect: every header is work on every response,
// and the lookup is the cheapest, busiest request there is.
var (
	apiHeaders = []string{
		"X-Content-Type-Options", "nosniff",
		"Content-Security-Policy", apiCSP,
		"Cache-Control", "no-store",
	}
	webHeaders = []string{
		"X-Content-Type-Options", "nosniff",
		"Content-Security-Policy", webCSP,
		"Cache-Control", "no-store",
		"Referrer-Policy", "no-referrer",
	}
)

// securityHeaders sets headers, name and value pairs, on every response.
//
// The values are made once and shared by every response (Header.Set would
// allocate a slice per header per request). The names are made canonical,
// as Set would make them. Sharing is safe: net/http only reads them, and a
// handler that Sets or Adds one of these headers replaces or appends to a
// slice whose capacity is its length, so it gets a copy.
func securityHeaders(pairs []string, next http.Handler) http.Handler {
	type header struct {
		name  string
		value []string
	}
	var hs []header
	for i := 0; i+1 < len(pairs); i += 2 {
		hs = append(hs, header{http.CanonicalHeaderKey(pairs[i]), []string{pairs[i+1]}})
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, x := range hs {
			h[x.name] = x.value[:1:1]
		}
		next.ServeHTTP(w, r)
	})
}
