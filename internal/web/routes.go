package web

import "net/http"

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
	return s.pagesForUnrouted(mux)
}

// pagesForUnrouted answers requests no route takes with a page: 404, or
// 405 with Allow for a known path and another method. Redirects the mux
// makes (a cleaned path) pass through.
func (s *server) pagesForUnrouted(mux *http.ServeMux) http.Handler {
	notFound := s.handle(func(http.ResponseWriter, *http.Request) error { return errNotFound })
	notAllowed := s.handle(func(http.ResponseWriter, *http.Request) error { return errMethod })
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		rec := &headerRecorder{header: http.Header{}}
		h.ServeHTTP(rec, r)
		switch rec.status {
		case http.StatusNotFound:
			notFound.ServeHTTP(w, r)
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", rec.header.Get("Allow"))
			notAllowed.ServeHTTP(w, r)
		default:
			mux.ServeHTTP(w, r)
		}
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
