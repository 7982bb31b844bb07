package api

import (
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"vigil/internal/auth"
)

// routes lists every route, top to bottom, with the permission it needs
// (docs/permissions.md; none: open to all, the handler may narrow it).
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	route := func(pattern, name string, perm auth.Permission, h func(http.ResponseWriter, *http.Request) error) {
		mux.Handle(pattern, s.handle(name, perm, h))
	}
	route("GET /healthz", "healthz", "", s.healthz)
	route("GET /api/openapi.json", "openapi", "", s.openapi)

	route("POST /api/v1/session", "sign_in", "", s.signIn)
	route("GET /api/v1/session", "get_session", "", s.getSession)
	route("DELETE /api/v1/session", "sign_out", "", s.signOut)
	route("POST /api/v1/session/password", "change_password", "", s.changePassword)

	route("POST /api/v1/scan", "scan", auth.PermScreen, s.scan)
	route("POST /api/v1/screen", "screen", auth.PermScreen, s.screenText)
	route("GET /api/v1/lookup", "lookup", auth.PermLookup, s.lookupOne)
	route("POST /api/v1/lookup", "lookup_batch", auth.PermLookup, s.lookupBatch)

	route("POST /api/v1/reports", "create_report", auth.PermReportSubmit, s.createReport)
	route("GET /api/v1/reports", "search_reports", auth.PermReportSearch, s.searchReports)
	route("GET /api/v1/reports/{id}", "get_report", auth.PermReportRead, s.getReport)
	route("DELETE /api/v1/reports/{id}", "withdraw_report", auth.PermReportWithdrawOwn, s.withdrawReport)
	route("POST /api/v1/reports/{id}/status", "set_report_status", auth.PermReportVerify, s.setReportStatus)
	route("GET /api/v1/reports/{a}/path/{b}", "report_path", auth.PermNetworkRead, s.reportPath)
	route("GET /api/v1/networks/{id}", "get_network", auth.PermNetworkRead, s.getNetwork)
	route("GET /api/v1/stats", "stats", auth.PermStatsRead, s.stats)

	route("POST /api/v1/disputes", "file_dispute", auth.PermDisputeFile, s.fileDispute)
	route("GET /api/v1/disputes", "list_disputes", auth.PermDisputeResolve, s.listDisputes)
	route("POST /api/v1/disputes/{id}/resolve", "resolve_dispute", auth.PermDisputeResolve, s.resolveDispute)

	route("GET /api/v1/users", "list_users", auth.PermUserManage, s.listUsers)
	route("POST /api/v1/users", "create_user", auth.PermUserManage, s.createUser)
	route("PATCH /api/v1/users/{id}", "update_user", auth.PermUserManage, s.updateUser)
	route("GET /api/v1/orgs", "list_orgs", auth.PermOrgManage, s.listOrgs)
	route("POST /api/v1/orgs", "create_org", auth.PermOrgManage, s.createOrg)
	route("PUT /api/v1/orgs/{id}/partners", "set_partners", auth.PermOrgManage, s.setPartners)
	route("GET /api/v1/keys", "list_keys", auth.PermKeyManage, s.listKeys)
	route("POST /api/v1/keys", "create_key", auth.PermKeyManage, s.createKey)
	route("DELETE /api/v1/keys/{id}", "revoke_key", auth.PermKeyManage, s.revokeKey)
	route("GET /api/v1/audit", "audit_log", auth.PermAuditRead, s.auditLog)

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
