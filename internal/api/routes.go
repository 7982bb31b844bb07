package api

import (
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// routes lists every route, top to bottom.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", s.handle("healthz", s.healthz))
	mux.Handle("GET /api/openapi.json", s.handle("openapi", s.openapi))
	mux.Handle("POST /api/v1/scan", s.handle("scan", s.scan))
	mux.Handle("POST /api/v1/reports", s.handle("create_report", s.createReport))
	mux.Handle("GET /api/v1/reports", s.handle("search_reports", s.searchReports))
	mux.Handle("GET /api/v1/reports/{id}", s.handle("get_report", s.getReport))
	mux.Handle("GET /api/v1/reports/{a}/path/{b}", s.handle("report_path", s.reportPath))
	mux.Handle("GET /api/v1/networks/{id}", s.handle("get_network", s.getNetwork))
	mux.Handle("GET /api/v1/lookup", s.handle("lookup", s.lookupOne))
	mux.Handle("POST /api/v1/lookup", s.handle("lookup_batch", s.lookupBatch))
	mux.Handle("POST /api/v1/screen", s.handle("screen", s.screenText))
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.gatherer, promhttp.HandlerOpts{}))
	api := s.recoverPanics(securityHeaders(apiCSP, problemsForUnrouted(mux)))
	web := s.recoverPanics(securityHeaders(webCSP, s.web))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == "/healthz" || r.URL.Path == "/metrics" {
			api.ServeHTTP(w, r)
			return
		}
		web.ServeHTTP(w, r)
	})
}

// problemsForUnrouted answers requests no route takes (404, or 405 with
// Allow for a known path and another method) with a problem document.
func problemsForUnrouted(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		rec := &headerRecorder{header: http.Header{}}
		h.ServeHTTP(rec, r)
		if allow := rec.header.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		p := problemFor(ErrNotFound)
		if rec.status == http.StatusMethodNotAllowed {
			p = problem{Type: "about:blank", Title: "Method not allowed", Status: http.StatusMethodNotAllowed}
		}
		writeProblem(w, p)
	})
}

// headerRecorder keeps the status and headers a handler writes, and drops
// its body.
type headerRecorder struct {
	header http.Header
	status int
}

func (h *headerRecorder) Header() http.Header         { return h.header }
func (h *headerRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (h *headerRecorder) WriteHeader(code int)        { h.status = code }
