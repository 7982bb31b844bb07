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
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
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
		s.metrics.observe(name, sw.status, time.Since(start))
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
func securityHeaders(csp string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", csp)
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}
