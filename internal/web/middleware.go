package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// handlerFunc is a handler that returns its error; handle writes the page
// for it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts a handlerFunc: it bounds the body, tells the pages who
// is asking (visitor.go), turns an error or a panic into an error page, and
// logs server errors.
func (s *server) handle(h handlerFunc) http.Handler { return s.handleBody(h, maxForm) }

// handleBody is handle for a route whose body may be up to limit bytes.
func (s *server) handleBody(h handlerFunc, limit int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		r = s.withVisitor(r)
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.fail(w, r, fmt.Errorf("web: panic: %v", v))
			}
		}()
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// statusOf maps an error to its status code and the catalogue key of its
// message: the one place where error kinds become status codes.
func statusOf(err error) (int, string) {
	switch {
	case errors.Is(err, errNotFound):
		return http.StatusNotFound, "err_not_found"
	case errors.Is(err, errMethod):
		return http.StatusMethodNotAllowed, "err_method"
	case errors.Is(err, errForbidden):
		return http.StatusForbidden, "err_forbidden"
	case errors.Is(err, errTooLarge):
		return http.StatusRequestEntityTooLarge, "err_too_large"
	case errors.Is(err, errBadForm):
		return http.StatusBadRequest, "err_bad_form"
	}
	return http.StatusInternalServerError, "err_internal"
}

// fail writes the error page for err.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, key := statusOf(err)
	if status >= 500 {
		// A path may hold a family's capability token (/case/{token}):
		// the route's pattern is logged instead.
		path := r.URL.Path
		if strings.Contains(r.Pattern, "{") {
			path = r.Pattern
		}
		s.log.Error("web request failed", "method", r.Method, "path", path, "err", err)
	}
	p := newPage(r)
	// The switch link of an error page leads home: the path that failed
	// may be anything.
	p.Switch = p.otherLink("/")
	data := errorPage{page: p, Title: p.T[key+"_title"], Message: p.T[key]}
	if err := s.render(w, status, "error", data); err != nil {
		s.log.Error("web error page failed", "err", err)
		http.Error(w, http.StatusText(status), status)
	}
}

// sameOrigin refuses a form posted from another site: the first defence
// against cross-site request forgery, which needs no cookie; the token of
// csrf.go is the second, for browsers that send neither header. A
// browser's Sec-Fetch-Site must be same-origin or none; without it (older
// browsers), an Origin must name this host. http.CrossOriginProtection applies these
// rules; it trusts Sec-Fetch-Site over Origin, so a proxy that rewrites
// Host does not lock out every modern browser.
func sameOrigin(h handlerFunc) handlerFunc {
	cop := http.NewCrossOriginProtection()
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := cop.Check(r); err != nil {
			return fmt.Errorf("%w: %v (Origin %q, Sec-Fetch-Site %q, Host %q)", errForbidden, err,
				r.Header.Get("Origin"), r.Header.Get("Sec-Fetch-Site"), r.Host)
		}
		return h(w, r)
	}
}
