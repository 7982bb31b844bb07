package web

import (
	"net/http"
	"strings"
)

// routes lists every route, top to bottom. Every POST goes through
// posted, which refuses forged forms (csrf.go).
func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", s.handle(s.home))
	mux.Handle("GET /check", s.handle(s.check))
	mux.Handle("GET /report", s.handle(s.reportForm))
	mux.Handle("POST /report", s.handle(s.posted(s.submitReport)))
	mux.Handle("GET /report/thanks", s.handle(s.thanks))
	mux.Handle("GET /screen", s.handle(s.screenForm))
	mux.Handle("POST /screen", s.handle(s.posted(s.screenText)))
	if s.accounts != nil {
		mux.Handle("GET /login", s.handle(s.loginForm))
		mux.Handle("POST /login", s.handle(s.posted(s.signIn)))
		mux.Handle("POST /logout", s.handle(s.posted(s.signOut)))
	}
	if s.cases != nil {
		// A family's case: no account, a private link and a code.
		mux.Handle("GET /cases/new", s.handle(private(s.newCaseForm)))
		mux.Handle("POST /cases/new", s.handleBody(private(s.postedFiles(s.fileCase)), maxCaseBody))
		mux.Handle("GET /case/{token}", s.handle(private(s.caseCode)))
		mux.Handle("POST /case/{token}", s.handle(private(s.posted(s.followCase))))
		mux.Handle("POST /case/{token}/add", s.handleBody(private(s.postedFiles(s.addToCase)), maxCaseBody))
		// Any other address under /case/ is not found, and private too:
		// it may hold a token.
		mux.Handle("/case/", s.handle(private(func(http.ResponseWriter, *http.Request) error { return errNotFound })))
	}
	if s.desk != nil {
		// A caseworker's cases: signed in, never kept by a cache.
		mux.Handle("GET /desk/cases", s.handle(private(s.deskCases)))
		mux.Handle("GET /desk/cases/{id}", s.handle(private(s.deskCase)))
		mux.Handle("POST /desk/cases/{id}/status", s.handle(private(s.posted(s.changeCase("status")))))
		mux.Handle("POST /desk/cases/{id}/urgency", s.handle(private(s.posted(s.changeCase("urgency")))))
		mux.Handle("POST /desk/cases/{id}/assignee", s.handle(private(s.posted(s.changeCase("assignee")))))
		mux.Handle("POST /desk/cases/{id}/note", s.handle(private(s.posted(s.changeCase("note")))))
		mux.Handle("POST /desk/cases/{id}/watch", s.handle(private(s.posted(s.watchCase))))
		mux.Handle("GET /desk/cases/{id}/evidence/{eid}", s.handle(private(s.deskEvidence)))
		mux.Handle("GET /desk/cases/{id}/export", s.handle(private(s.deskExport)))
		mux.Handle("GET /desk/alerts", s.handle(private(s.deskAlerts)))
		// A place: public, but a case reader's page lists cases.
		mux.Handle("GET /places/{id}", s.handle(private(s.placeInfo)))
	}
	mux.HandleFunc("GET /static/style.css", serveStyle)
	notFound := s.handle(func(http.ResponseWriter, *http.Request) error { return errNotFound })
	notAllowed := s.handle(func(http.ResponseWriter, *http.Request) error { return errMethod })
	mux.Handle("/", Unrouted(mux, func(w http.ResponseWriter, r *http.Request, allow []string) {
		if len(allow) == 0 {
			notFound.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		notAllowed.ServeHTTP(w, r)
	}))
	return mux
}

// Unrouted is the handler of the catch-all route "/" of mux: the
// requests no other route takes, 404 (allow empty) or 405 for a path
// routed for other methods (allow lists them), which miss calls. Routed
// requests are routed once, by the mux; only a miss pays for asking it
// which methods the path takes. Redirects the mux makes (a cleaned path,
// a trailing slash) happen before any route is chosen and pass through.
// The API answers its misses the same way.
func Unrouted(mux *http.ServeMux, miss func(w http.ResponseWriter, r *http.Request, allow []string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range []string{http.MethodDelete, http.MethodGet, http.MethodHead, http.MethodPatch, http.MethodPost, http.MethodPut} {
			probe := *r
			probe.Method = m
			if _, pattern := mux.Handler(&probe); pattern != "" && pattern != "/" {
				allow = append(allow, m)
			}
		}
		miss(w, r, allow)
	})
}
