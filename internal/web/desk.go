package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"vigil/internal/auth"
	"vigil/internal/place"
	"vigil/internal/report"
	"vigil/internal/store"
)

// Desk is the caseworkers' side of trafficking cases: the cases of their
// organisation, their leads, the changes they make, files, exports,
// watches and alerts; and what mentions a place. *api.Server implements
// it over the API's own steps. r is the page's request: its session
// cookie says who asks, and each method checks that they may.
//
// The errors the pages tell apart (wrapped or not): ErrSignIn, the public
// asking for what needs an account; ErrNotAllowed, an account without the
// permission; store.ErrNotFound, no such case, file or place, or a case
// the caller may not see (the same answer, so that a page tells no one
// that a case exists); store.ErrConflict, UpdateCase of a case changed
// since version; a *report.ValidationError naming each invalid field by
// its JSON pointer in the case (/status, /urgency, /assignee,
// /closed_reason, /notes/3/text).
type Desk interface {
	// Cases lists the cases the caller may see (permission case.read),
	// most recently updated first, and the cursor of the next page.
	Cases(ctx context.Context, r *http.Request, q store.CaseQuery) ([]report.Case, string, error)
	// Case is one case in full and its leads (case.read). The read is
	// audited.
	Case(ctx context.Context, r *http.Request, id string) (report.Case, []store.Lead, error)
	// UpdateCase applies edit to the case as stored, provided it is at
	// version, validates and stores it (case.edit). A note that edit
	// appends unsigned is signed by the caller.
	UpdateCase(ctx context.Context, r *http.Request, id string, version int, edit func(*report.Case)) error
	// Evidence is one file of a case, unsealed (case.read; audited).
	Evidence(ctx context.Context, r *http.Request, caseID, evidenceID string) (report.EvidenceRef, []byte, error)
	// Export writes cases as HTCDS records in format, json or csv,
	// redacted by each one's consent (case.export; audited).
	Export(ctx context.Context, r *http.Request, ids []string, format string, w io.Writer) error
	// Watch has the caller watch kind (store.WatchCase ...) target
	// (watch.manage); watching what is watched already changes nothing.
	Watch(ctx context.Context, r *http.Request, kind, target string) error
	// Alerts are the caller's newest alerts, newest first (watch.manage).
	Alerts(ctx context.Context, r *http.Request) ([]store.Alert, error)
	// Place is a gazetteer entry and what mentions it that the caller may
	// see: open to everyone; the open cases only for case readers.
	Place(ctx context.Context, r *http.Request, id string) (place.Place, store.PlaceActivity, error)
}

// Errors a Desk returns (wrapped) for a caller who may not do what they
// ask.
var (
	ErrSignIn     = errors.New("sign in needed")
	ErrNotAllowed = errors.New("not allowed")
)

// deskFailed answers an error of a Desk: the sign-in form for the
// public, a page that says the account may not for another, 404 for a
// case the caller may not see; anything else goes to the error page.
func (s *server) deskFailed(w http.ResponseWriter, r *http.Request, err error) error {
	p := newPage(r)
	// The switch link of a refusal leads home, as an error page's does:
	// the page says nothing of what the address names.
	p.Switch = p.otherLink("/")
	switch {
	case errors.Is(err, ErrSignIn) && s.accounts != nil:
		return s.render(w, http.StatusUnauthorized, "login", loginPage{page: p, Problem: p.T["desk_sign_in"]})
	case errors.Is(err, ErrSignIn), errors.Is(err, ErrNotAllowed):
		return s.render(w, http.StatusForbidden, "error", errorPage{page: p, Title: p.T["desk_forbidden_title"], Message: p.T["desk_forbidden"]})
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("%w: %w", errNotFound, err)
	}
	return fmt.Errorf("web: desk: %w", err)
}

// ReadsCases says whether the signed-in account's role may read cases:
// the navigation then leads to them.
func (p page) ReadsCases() bool {
	if !p.v.desk {
		return false
	}
	_, role, ok := p.v.account()
	return ok && auth.RolePermissions(auth.Role(role)).Has(auth.PermCaseRead)
}

// deskPath is the address of a case on the desk.
func deskPath(id string) string { return "/desk/cases/" + url.PathEscape(id) }

// deskCasesPage lists cases.
type deskCasesPage struct {
	page
	Cases []report.Case
	// Status filters the list; Next is the address of the next page.
	Status  *caseField
	Next    string
	Problem string
}

// deskCases lists the caller's cases, a page at a time, by status.
func (s *server) deskCases(w http.ResponseWriter, r *http.Request) error {
	p := newPage(r)
	q := store.CaseQuery{Status: r.URL.Query().Get("status"), Cursor: r.URL.Query().Get("cursor"), Limit: 50}
	dp := deskCasesPage{page: p, Status: &caseField{Name: "status", Label: p.T["desk_filter_status"],
		Options: p.options(report.CaseStatuses, q.Status, p.T["desk_all_statuses"])}}
	if q.Status != "" && !known(report.CaseStatuses, q.Status) || len(q.Cursor) > 200 {
		dp.Problem = p.T["desk_bad_filter"]
		return s.render(w, http.StatusBadRequest, "desk_cases", dp)
	}
	cs, next, err := s.desk.Cases(r.Context(), r, q)
	if err != nil {
		var invalid *report.ValidationError
		if errors.As(err, &invalid) {
			dp.Problem = p.T["desk_bad_filter"]
			return s.render(w, http.StatusBadRequest, "desk_cases", dp)
		}
		return s.deskFailed(w, r, err)
	}
	dp.Cases = cs
	if next != "" {
		dp.Next = p.Link("/desk/cases", "status", q.Status, "cursor", next)
	}
	return s.render(w, http.StatusOK, "desk_cases", dp)
}

// known tells whether code is a term of terms.
func known(terms []report.Term, code string) bool {
	for _, t := range terms {
		if t.Code == code {
			return true
		}
	}
	return false
}

// CasePath is the address of a case on the desk, in the page's language.
func (p page) CasePath(id string) string { return p.Link(deskPath(id)) }

// deskCase shows one case in full, leads first.
func (s *server) deskCase(w http.ResponseWriter, r *http.Request) error {
	done := r.URL.Query().Get("done")
	return s.showCase(w, r, http.StatusOK, deskForm{}, func(cp *deskCasePage) {
		if _, ok := changes[done]; ok || done == "watch" {
			cp.Done = cp.T["desk_done_"+done]
		}
	})
}

// deskEvidence sends a file of a case as an attachment that the browser
// may neither show in the page, nor sniff, nor run.
func (s *server) deskEvidence(w http.ResponseWriter, r *http.Request) error {
	ref, data, err := s.desk.Evidence(r.Context(), r, r.PathValue("id"), r.PathValue("eid"))
	if err != nil {
		return s.deskFailed(w, r, err)
	}
	name := ref.Name
	if name == "" {
		name = "evidence-" + ref.ID
	}
	ct := ref.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; frame-ancestors 'none'")
	w.WriteHeader(http.StatusOK)
	w.Write(data)
	return nil
}

// exportTypes are the formats of an export and their media types.
var exportTypes = map[string]string{"csv": "text/csv; charset=utf-8", "json": "application/json"}

// deskExport sends a case as an HTCDS record to download, for referral.
func (s *server) deskExport(w http.ResponseWriter, r *http.Request) error {
	format, id := r.URL.Query().Get("format"), r.PathValue("id")
	ct, ok := exportTypes[format]
	if !ok {
		return fmt.Errorf("%w: format %q: want csv or json", errBadForm, format)
	}
	var b bytes.Buffer
	if err := s.desk.Export(r.Context(), r, []string{id}, format, &b); err != nil {
		return s.deskFailed(w, r, err)
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape("vigil-case-"+id+"."+format))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(b.Bytes())
	return nil
}

// deskAlertsPage lists the caller's alerts.
type deskAlertsPage struct {
	page
	Alerts []store.Alert
}

func (s *server) deskAlerts(w http.ResponseWriter, r *http.Request) error {
	as, err := s.desk.Alerts(r.Context(), r)
	if err != nil {
		return s.deskFailed(w, r, err)
	}
	return s.render(w, http.StatusOK, "desk_alerts", deskAlertsPage{page: newPage(r), Alerts: as})
}

// AlertEvent says what an alert is about.
func (p page) AlertEvent(event string) string {
	if s, ok := p.T["alert_"+event]; ok {
		return s
	}
	return event
}

// placePage is a gazetteer entry and what mentions it.
type placePage struct {
	page
	Place   place.Place
	Reports int
	// Cases are the open cases that mention it, for case readers; nil
	// for everyone else.
	Cases []store.PlaceCase
}

// placeInfo shows a gazetteer entry, the number of reports that mention
// it and, to case readers only, the open cases that do.
func (s *server) placeInfo(w http.ResponseWriter, r *http.Request) error {
	pl, a, err := s.desk.Place(r.Context(), r, r.PathValue("id"))
	if err != nil {
		return s.deskFailed(w, r, err)
	}
	return s.render(w, http.StatusOK, "place", placePage{page: newPage(r), Place: pl, Reports: len(a.Reports), Cases: a.Cases})
}

// PlaceKind names a kind of place.
func (p page) PlaceKind(kind string) string {
	if s, ok := p.T["place_kind_"+kind]; ok {
		return s
	}
	return kind
}

// Coordinates writes a place's latitude and longitude.
func (p page) Coordinates(pl place.Place) string {
	return fmt.Sprintf("%.4f, %.4f", pl.Lat, pl.Lon)
}

// parseDeskPages adds the desk's pages and the place page to pages. The
// case page shares the inputs of the families' case pages.
func parseDeskPages(pages map[string]*template.Template) {
	for _, name := range []string{"desk_cases", "desk_case", "desk_alerts", "place"} {
		files := []string{"templates/layout.html", "templates/" + name + ".html", "templates/case_parts.html"}
		t := template.New(name).Option("missingkey=error")
		pages[name] = template.Must(t.ParseFS(templateFS, files...))
	}
}

// PlaceEvidence says how well a place's being a scam hub is established.
func (p page) PlaceEvidence(evidence string) string {
	if s, ok := p.T["place_evidence_"+evidence]; ok {
		return s
	}
	return evidence
}
