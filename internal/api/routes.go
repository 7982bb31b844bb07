package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"vigil/internal/auth"
	"vigil/internal/media"
	"vigil/internal/web"
)

// routes lists every route, top to bottom, with the permission it needs
// (docs/permissions.md; none: open to all, the handler may narrow it).
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	// Evidence files are larger than any JSON body: the routes that take
	// them are handled by a copy of the server that differs only in the
	// body limit, media.MaxSize.
	uploads := map[string]bool{"add_evidence": true, "family_evidence": true}
	files := *s
	files.cfg.MaxBody = media.MaxSize
	route := func(pattern, name string, perm auth.Permission, h func(http.ResponseWriter, *http.Request) error) {
		if uploads[name] {
			mux.Handle(pattern, files.handle(name, perm, h))
			return
		}
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

	route("POST /api/v1/cases", "create_case", auth.PermCaseFile, s.createCase)
	route("GET /api/v1/cases", "list_cases", auth.PermCaseRead, s.listCases)
	route("GET /api/v1/cases/{id}", "get_case", auth.PermCaseRead, s.getCase)
	route("PATCH /api/v1/cases/{id}", "update_case", auth.PermCaseEdit, s.updateCase)
	route("GET /api/v1/cases/{id}/leads", "case_leads", auth.PermCaseRead, s.caseLeads)
	route("POST /api/v1/cases/{id}/evidence", "add_evidence", auth.PermCaseEdit, s.postEvidence)
	route("GET /api/v1/cases/{id}/evidence/{eid}", "get_evidence", auth.PermCaseRead, s.getEvidence)
	route("GET /api/v1/cases/{id}/export", "export_case", auth.PermCaseExport, s.exportCase)
	route("POST /api/v1/cases/export", "export_cases", auth.PermCaseExport, s.exportCases)

	// A family's routes: the capability token in the path, the code in
	// X-Case-Code.
	route("GET /api/v1/family/cases/{token}", "family_case", auth.PermCaseFile, s.getFamilyCase)
	route("POST /api/v1/family/cases/{token}/additions", "family_addition", auth.PermCaseFile, s.postFamilyAddition)
	route("POST /api/v1/family/cases/{token}/evidence", "family_evidence", auth.PermCaseFile, s.postFamilyEvidence)

	route("GET /api/v1/places", "list_places", auth.PermPlaceRead, s.listPlaces)
	route("GET /api/v1/places/{id}", "get_place", auth.PermPlaceRead, s.getPlace)

	route("POST /api/v1/watches", "create_watch", auth.PermWatch, s.createWatch)
	route("GET /api/v1/watches", "list_watches", auth.PermWatch, s.listWatches)
	route("DELETE /api/v1/watches/{id}", "delete_watch", auth.PermWatch, s.deleteWatch)
	route("GET /api/v1/watches/{id}/deliveries", "watch_deliveries", auth.PermWatch, s.watchDeliveries)
	route("GET /api/v1/alerts", "list_alerts", auth.PermWatch, s.listAlerts)

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
	mux.Handle("/", web.Unrouted(mux, func(w http.ResponseWriter, r *http.Request, allow []string) {
		p := problemFor(ErrNotFound)
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			p = problem{Type: "about:blank", Title: "Method not allowed", Status: http.StatusMethodNotAllowed}
		}
		writeProblem(w, p)
	}))
	api := s.recoverPanics(securityHeaders(apiHeaders, mux))
	pages := s.recoverPanics(securityHeaders(webHeaders, s.web))
	proxies := s.cfg.TrustedProxies
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if proxies != nil {
			// First, before anything reads the client's address.
			r = behindProxy(r, proxies)
		}
		if r.Body != http.NoBody {
			// The deadline for the body, here rather than as the server's
			// ReadTimeout, which would arm a timer for every request,
			// bodiless lookups included. (Not supported by a test's
			// recorder: then there is no connection to wait on.)
			http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.cfg.BodyTimeout))
		}
		if strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == "/healthz" || r.URL.Path == "/metrics" {
			api.ServeHTTP(w, r)
			return
		}
		pages.ServeHTTP(w, r)
	})
}
