package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"vigil/internal/place"
	"vigil/internal/report"
	"vigil/internal/store"
)

// The sessions of the desk's tests: a caseworker who may do everything,
// an analyst who may read no case.
const (
	workerSession  = "tok-worker"
	analystSession = "tok-a"
)

// fakeDesk keeps one case, knownCase, as the API server does minus the
// store: it tells the caseworker's session from the others, checks the
// version of a change and validates it.
type fakeDesk struct {
	mu sync.Mutex
	// err, when set, is what every method answers.
	err     error
	c       report.Case
	leads   []store.Lead
	updates int
	watches []string
	exports []string
}

func newFakeDesk() *fakeDesk {
	c := knownCase()
	c.Version = 4
	c.UpdatedAt = time.Date(2026, 3, 26, 10, 0, 0, 0, time.UTC)
	c.Places = []string{"mm-kk-park"}
	seen := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	return &fakeDesk{c: c, leads: []store.Lead{
		{ID: "l-1", Kind: store.LeadReports, Strength: 0.7, Level: "high", Indicator: &store.Key{Kind: "trx", Value: "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"},
			Role: report.RolePayment, Reports: []string{"r-pay-1", "r-pay-2"}, ReportCount: 2, Networks: []string{"n-41"},
			ScamTypes: []string{"investment"}, FirstSeen: &seen, LastSeen: &seen,
			Path: "the payment account in this case (TBhCfA…) is named as payment in 2 reports (investment) in network n-41, 2026-03"},
		{ID: "l-2", Kind: store.LeadForcedScammer, Strength: 0.4, Level: "medium", Indicator: &store.Key{Kind: "wechat", Value: "liming_2006"},
			Role: report.RoleSubject, Reports: []string{"r-forced-1"}, ReportCount: 1, ReportRoles: []string{report.RoleScammerContact},
			FirstSeen: &seen, LastSeen: &seen,
			Path: "the subject's own WeChat account (liming_2006) is given as the contact in 1 scam report, 2026-03: they may be made to use it"},
	}}
}

// who is the permission of a request: nil for the caseworker.
func (f *fakeDesk) who(r *http.Request) error {
	if f.err != nil {
		return f.err
	}
	ck, err := r.Cookie(SessionCookie)
	switch {
	case err != nil:
		return fmt.Errorf("desk: %w", ErrSignIn)
	case ck.Value != workerSession:
		return fmt.Errorf("desk: %w", ErrNotAllowed)
	}
	return nil
}

func (f *fakeDesk) Cases(ctx context.Context, r *http.Request, q store.CaseQuery) ([]report.Case, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.who(r); err != nil {
		return nil, "", err
	}
	if q.Status != "" && q.Status != f.c.Status {
		return nil, "", nil
	}
	next := ""
	if q.Cursor == "" {
		next = "cursor-2"
	}
	return []report.Case{f.c}, next, nil
}

func (f *fakeDesk) Case(ctx context.Context, r *http.Request, id string) (report.Case, []store.Lead, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.who(r); err != nil {
		return report.Case{}, nil, err
	}
	if id != f.c.ID {
		return report.Case{}, nil, fmt.Errorf("desk: case %s: %w", id, store.ErrNotFound)
	}
	return f.c, f.leads, nil
}

func (f *fakeDesk) UpdateCase(ctx context.Context, r *http.Request, id string, version int, edit func(*report.Case)) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.who(r); err != nil {
		return err
	}
	if id != f.c.ID {
		return fmt.Errorf("desk: case %s: %w", id, store.ErrNotFound)
	}
	if version != f.c.Version {
		return fmt.Errorf("desk: case at %d: %w", f.c.Version, store.ErrConflict)
	}
	c := f.c
	c.Notes = slices.Clone(c.Notes)
	edit(&c)
	if err := c.Validate(); err != nil {
		return err
	}
	if c.Assignee != f.c.Assignee && c.Assignee != "u-worker" && c.Assignee != "" {
		return &report.ValidationError{Fields: []report.FieldError{{Pointer: "/assignee", Detail: "must be a caseworker of the case's organisation"}}}
	}
	c.Version++
	f.c = c
	f.updates++
	return nil
}

func (f *fakeDesk) Evidence(ctx context.Context, r *http.Request, caseID, evidenceID string) (report.EvidenceRef, []byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.who(r); err != nil {
		return report.EvidenceRef{}, nil, err
	}
	for _, e := range f.c.Evidence {
		if caseID == f.c.ID && e.ID == evidenceID {
			return e, []byte("<html><script>alert(1)</script>"), nil
		}
	}
	return report.EvidenceRef{}, nil, fmt.Errorf("desk: file %s: %w", evidenceID, store.ErrNotFound)
}

func (f *fakeDesk) Export(ctx context.Context, r *http.Request, ids []string, format string, w io.Writer) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.who(r); err != nil {
		return err
	}
	f.exports = append(f.exports, strings.Join(ids, ",")+" "+format)
	_, err := fmt.Fprintf(w, "id\n%s\n", strings.Join(ids, "\n"))
	return err
}

func (f *fakeDesk) Watch(ctx context.Context, r *http.Request, kind, target string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.who(r); err != nil {
		return err
	}
	f.watches = append(f.watches, kind+" "+target)
	return nil
}

func (f *fakeDesk) Alerts(ctx context.Context, r *http.Request) ([]store.Alert, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.who(r); err != nil {
		return nil, err
	}
	at := time.Date(2026, 3, 27, 6, 0, 0, 0, time.UTC)
	return []store.Alert{{ID: "a-2", Event: "lead.new", Case: f.c.ID, Lead: "l-2", LeadKind: store.LeadForcedScammer, Report: "r-forced-1", CreatedAt: at},
		{ID: "a-1", Event: "report.new", Report: "r-pay-2", Network: "n-41", CreatedAt: at.Add(-time.Hour)}}, nil
}

func (f *fakeDesk) Place(ctx context.Context, r *http.Request, id string) (place.Place, store.PlaceActivity, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return place.Place{}, store.PlaceActivity{}, f.err
	}
	p, ok := place.Default().ByID(id)
	if !ok {
		return place.Place{}, store.PlaceActivity{}, fmt.Errorf("desk: place %s: %w", id, store.ErrNotFound)
	}
	a := store.PlaceActivity{Place: id, Reports: []string{"r-1", "r-2", "r-3"}}
	if f.who(r) == nil {
		a.Cases = []store.PlaceCase{{ID: f.c.ID, Status: f.c.Status, Urgency: f.c.Urgency}}
	}
	return *p, a, nil
}

func (f *fakeDesk) state() (c report.Case, updates int, watches, exports []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.c, f.updates, slices.Clone(f.watches), slices.Clone(f.exports)
}

// newDeskHandler is the pages over fd, with the caseworker's and the
// analyst's sessions.
func newDeskHandler(t testing.TB, fd *fakeDesk, log *slog.Logger) http.Handler {
	t.Helper()
	acc := newFakeAccounts()
	acc.sessions[workerSession] = [2]string{"carol", "caseworker"}
	return newHandler(Config{Submit: &fakeSubmitter{}, Accounts: acc, Desk: fd, Log: log})
}

// as is the header of a request with a session cookie ("" for none).
func as(session string) map[string]string {
	if session == "" {
		return nil
	}
	return map[string]string{"Cookie": SessionCookie + "=" + session}
}

const deskCase1 = "/desk/cases/c-1"

// TestDeskPages: each page of the desk, in both languages, as the
// caseworker sees it.
func TestDeskPages(t *testing.T) {
	var logs strings.Builder
	h := newDeskHandler(t, newFakeDesk(), slog.New(slog.NewTextHandler(&logs, nil)))
	tests := []struct {
		name, path    string
		status        int
		want, mustNot []string
	}{
		{"list", "/desk/cases", 200, []string{"<h1>Cases</h1>", `href="/desk/cases/c-1?lang=en"`, "李明", "Rescue under way",
			"Critical: life in danger", "2026-03-26 10:00", `<option value="located">Located</option>`,
			`href="/desk/cases?cursor=cursor-2&lang=en&status="`, `href="/desk/cases?lang=en">Cases</a>`}, nil},
		{"list in Chinese", "/desk/cases?lang=zh-Hans", 200, []string{"<h1>案件</h1>", "正在营救", "更多案件"}, []string{"Rescue under way"}},
		{"list by status", "/desk/cases?status=located", 200, []string{"No cases."}, []string{"李明"}},
		{"list by an unknown status", "/desk/cases?status=gone", 400, []string{"Vigil cannot read this filter."}, []string{"李明"}},
		{"case", deskCase1, 200, []string{"<h1>李明</h1>", "Leads", "Rescue lead: they may be held in a scam operation",
			"The account they may be made to use", "<code>liming_2006</code>", "<code>r-forced-1</code>", "they may be made to use it",
			"Named in scam reports", "<code>r-pay-1</code>", "<code>n-41</code>", "Investment or crypto scam", "High",
			"高薪客服，月薪两万", "王芳", "妈，我们被骗到缅甸了", "450000 CNY", "Partner police informed; informant Zaw",
			"He called from a new number", `href="/places/mm-kk-park?lang=en">KK Park</a>`, `href="/desk/cases/c-1/evidence/e-1"`,
			"photo.jpg", `href="/desk/cases/c-1/export?format=csv&lang=en"`, `action="/desk/cases/c-1/status?lang=en"`,
			`action="/desk/cases/c-1/note?lang=en"`, `action="/desk/cases/c-1/watch?lang=en"`, `name="version" value="4"`,
			`<option value="rescue_underway" selected>`, `value="u-caseworker-7"`, "Passport or documents taken"},
			[]string{"criminal"}},
		{"case in Chinese", deskCase1 + "?lang=zh-Hans", 200, []string{"线索", "营救线索：当事人可能被困于诈骗窝点", "他们可能被迫使用的账号",
			"处理案件", "添加备注", `lang="en">the subject's own WeChat account`}, []string{"Rescue lead"}},
		{"case changed", deskCase1 + "?done=note", 200, []string{"The note is added."}, nil},
		{"case with a made-up change", deskCase1 + "?done=<b>x</b>", 200, nil, []string{"<b>x</b>"}},
		{"unknown case", "/desk/cases/c-2", 404, []string{"Page not found"}, []string{"李明"}},
		{"alerts", "/desk/alerts", 200, []string{"Your alerts", "A new lead · Rescue lead", `href="/desk/cases/c-1?lang=en"`,
			"<code>r-forced-1</code>", "A new report", "<code>n-41</code>", "2026-03-27 06:00"}, nil},
		{"alerts in Chinese", "/desk/alerts?lang=zh-Hans", 200, []string{"我的提醒", "新线索 · 营救线索", "新举报"}, nil},
		{"place", "/places/mm-kk-park", 200, []string{"<h1>KK Park</h1>", "Scam compound", "KK园区", "Reports that mention it</dt><dd>3",
			"Open cases that mention it", `href="/desk/cases/c-1?lang=en"`, "Rescue under way"}, nil},
		{"place in Chinese", "/places/mm-kk-park?lang=zh-Hans", 200, []string{"诈骗园区", "提到此地的举报", "提到此地的未结案件"}, nil},
		{"unknown place", "/places/nowhere", 404, []string{"Page not found"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(h, "GET", tt.path, as(workerSession), "")
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			checkPrivate(t, tt.path, rec)
			checkBody(t, rec.Body.String(), tt.want, tt.mustNot)
			checkPageRules(t, tt.path, rec.Body.String())
		})
	}
	if logs.Len() > 0 {
		t.Errorf("logs: %s", logs.String())
	}
}

// TestDeskRefused: the public gets the sign-in form and an account that
// may not read cases a page that says so, with nothing of any case; the
// place page shows them the place and the count of reports, and nothing
// of any case.
func TestDeskRefused(t *testing.T) {
	fd := newFakeDesk()
	h := newDeskHandler(t, fd, nil)
	c := knownCase()
	secrets := []string{"c-1", c.Subject.Names[0], c.Subject.Names[1], "liming_2006", c.Recruitment.Lure, "王芳", "Partner police",
		"TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp", "r-forced-1", "Rescue under way", "正在营救", "Open cases that mention it"}
	paths := []string{"/desk/cases", deskCase1, deskCase1 + "?lang=zh-Hans", deskCase1 + "/evidence/e-1", deskCase1 + "/export?format=csv",
		"/desk/alerts", "/desk/cases/c-2"}
	for _, session := range []string{"", analystSession} {
		want := map[string]int{"": 401, analystSession: 403}[session]
		for _, path := range paths {
			rec := do(h, "GET", path, as(session), "")
			if rec.Code != want {
				t.Errorf("GET %s as %q: status %d, want %d", path, session, rec.Code, want)
			}
			checkBody(t, rec.Body.String(), nil, secrets)
			if session == "" && !strings.Contains(rec.Body.String(), `action="/login?lang=`) {
				t.Errorf("GET %s: no sign-in form", path)
			}
		}
		rec := do(h, "GET", "/places/mm-kk-park", as(session), "")
		if rec.Code != 200 {
			t.Errorf("place as %q: %d", session, rec.Code)
		}
		checkBody(t, rec.Body.String(), []string{"KK Park", "Reports that mention it</dt><dd>3"}, append(secrets, "/desk/cases"))
	}
	if _, updates, watches, exports := fd.state(); updates != 0 || len(watches) != 0 || len(exports) != 0 {
		t.Errorf("refused callers changed something: %d %v %v", updates, watches, exports)
	}
	// Only a case reader is offered the cases.
	checkBody(t, do(h, "GET", "/", as(analystSession), "").Body.String(), nil, []string{"/desk/cases"})
	checkBody(t, do(h, "GET", "/", as(workerSession), "").Body.String(), []string{`href="/desk/cases?lang=en"`}, nil)
	checkBody(t, do(newHandler(Config{Accounts: newFakeAccounts()}), "GET", "/", as(workerSession), "").Body.String(), nil, []string{"/desk/cases"})
}

// TestDeskErrors: a failing Desk is a logged error page, never a case.
func TestDeskErrors(t *testing.T) {
	fd := newFakeDesk()
	fd.err = errors.New("store down")
	var logs strings.Builder
	h := newDeskHandler(t, fd, slog.New(slog.NewTextHandler(&logs, nil)))
	for _, path := range []string{"/desk/cases", deskCase1, "/places/mm-kk-park"} {
		if rec := do(h, "GET", path, as(workerSession), ""); rec.Code != 500 {
			t.Errorf("GET %s: %d", path, rec.Code)
		}
	}
	if !strings.Contains(logs.String(), "store down") {
		t.Errorf("logs: %s", logs.String())
	}
}

// TestDeskChanges: each form of a case's page changes the case at the
// version it was made from, and only with the page's CSRF token.
func TestDeskChanges(t *testing.T) {
	tests := []struct {
		name, change, form string
		status             int
		want               []string
		check              func(report.Case) bool
	}{
		{"status", "status", "version=4&status=located", 303, nil, func(c report.Case) bool { return c.Status == report.CaseLocated }},
		{"closing", "status", "version=4&status=closed&closed_reason=Home+safe", 303, nil,
			func(c report.Case) bool { return c.Status == report.CaseClosed && c.ClosedReason == "Home safe" }},
		{"urgency", "urgency", "version=4&urgency=low", 303, nil, func(c report.Case) bool { return c.Urgency == "low" }},
		{"assignee", "assignee", "version=4&assignee=+u-worker+", 303, nil, func(c report.Case) bool { return c.Assignee == "u-worker" }},
		{"no assignee", "assignee", "version=4&assignee=", 303, nil, func(c report.Case) bool { return c.Assignee == "" }},
		{"note", "note", "version=4&note=Called+the+embassy%0D%0Atwice", 303, nil, func(c report.Case) bool {
			return len(c.Notes) == 3 && c.Notes[2].Text == "Called the embassy\ntwice"
		}},
		{"closing without a reason", "status", "version=4&status=closed", 400, []string{"Say why the case is closed.", `href="#closed_reason"`}, nil},
		{"no status", "status", "version=4&status=", 400, []string{"Choose a status from the list."}, nil},
		{"an unknown status", "status", "version=4&status=gone", 400, []string{"Choose a status from the list.", "must be one of"}, nil},
		{"no urgency", "urgency", "version=4", 400, []string{"Choose an urgency from the list."}, nil},
		{"an empty note", "note", "version=4&note=+", 400, []string{"Write the note, at most 64 KB."}, nil},
		{"an assignee of another organisation", "assignee", "version=4&assignee=u-other", 400,
			[]string{"Enter the account ID of a caseworker of the case", `value="u-other"`}, nil},
		{"a stale version", "note", "version=3&note=KEPT+NOTE", 409, []string{"Someone else changed this case since you opened it.",
			"KEPT NOTE", `name="version" value="4"`}, nil},
		{"no version", "urgency", "urgency=low", 400, []string{"Form not readable"}, nil},
		{"a version that is no number", "urgency", "version=four&urgency=low", 400, []string{"Form not readable"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fd := newFakeDesk()
			h := newDeskHandler(t, fd, nil)
			rec := post(h, deskCase1+"/"+tt.change+"?lang=en", as(workerSession), tt.form)
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			checkPrivate(t, tt.name, rec)
			c, updates, _, _ := fd.state()
			if tt.check != nil {
				if loc := rec.Header().Get("Location"); loc != deskCase1+"?done="+tt.change+"&lang=en" {
					t.Errorf("Location %q", loc)
				}
				if updates != 1 || c.Version != 5 || !tt.check(c) {
					t.Errorf("the case after %d updates: %+v", updates, c)
				}
				return
			}
			if updates != 0 {
				t.Errorf("the case changed: %+v", c)
			}
			checkBody(t, rec.Body.String(), tt.want, nil)
			checkPageRules(t, tt.name, rec.Body.String())
		})
	}
}

// TestDeskForgery: a form without the page's token, or from another
// site, changes nothing, whoever sends it.
func TestDeskForgery(t *testing.T) {
	fd := newFakeDesk()
	h := newDeskHandler(t, fd, nil)
	worker := SessionCookie + "=" + workerSession
	for _, change := range []string{"status", "urgency", "assignee", "note", "watch"} {
		path := deskCase1 + "/" + change
		form := "version=4&status=closed&closed_reason=x&urgency=low&assignee=u-worker&note=forged"
		for name, rec := range map[string]*httptest.ResponseRecorder{
			"no token":       do(h, "POST", path, map[string]string{"Cookie": worker + "; " + csrfCookie + "=" + testCookie}, form),
			"a wrong token":  do(h, "POST", path, map[string]string{"Cookie": worker + "; " + csrfCookie + "=" + testCookie}, csrfField+"=x"+testToken+"&"+form),
			"no CSRF cookie": do(h, "POST", path, map[string]string{"Cookie": worker}, csrfField+"="+testToken+"&"+form),
			"another site":   post(h, path, map[string]string{"Cookie": worker, "Sec-Fetch-Site": "cross-site"}, form),
		} {
			if rec.Code != http.StatusForbidden {
				t.Errorf("%s %s: status %d, want 403", change, name, rec.Code)
			}
		}
		// The public and an analyst with the page's token.
		if rec := post(h, path, nil, form); rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), `action="/login`) {
			t.Errorf("%s as the public: status %d", change, rec.Code)
		}
		if rec := post(h, path, as(analystSession), form); rec.Code != http.StatusForbidden {
			t.Errorf("%s as an analyst: status %d", change, rec.Code)
		}
	}
	if c, updates, watches, _ := fd.state(); updates != 0 || len(watches) != 0 || c.Status != report.CaseRescueUnderway {
		t.Errorf("forged forms changed the case: %d updates, watches %v", updates, watches)
	}
	// With the token, the caseworker watches the case.
	rec := post(h, deskCase1+"/watch", as(workerSession), "")
	if _, _, watches, _ := fd.state(); rec.Code != 303 || !slices.Equal(watches, []string{"case c-1"}) {
		t.Errorf("watch: %d %v", rec.Code, watches)
	}
	checkBody(t, do(h, "GET", rec.Header().Get("Location"), as(workerSession), "").Body.String(), []string{"You are watching this case."}, nil)
}

// TestDeskEscaping: markup in any field of a case, of a lead or of an
// alert is shown as text, never run.
func TestDeskEscaping(t *testing.T) {
	for _, payload := range []string{`<script>alert(1)</script>`, `"><script>alert(1)</script>`, `'><img src=x onerror=alert(1)>`} {
		fd := newFakeDesk()
		c := &fd.c
		at := c.UpdatedAt
		c.Subject = report.Person{Names: []string{payload}, Aliases: []string{payload}, Nationality: []string{payload},
			Languages: []string{payload}, Accounts: []string{payload}, Description: payload, Sex: payload}
		c.Status, c.Urgency, c.Consent, c.Assignee, c.ClosedReason = payload, payload, payload, payload, payload
		c.Reporter = report.CaseReporter{Name: payload, Relationship: payload, Contact: payload, Language: payload}
		c.Recruitment = report.Recruitment{Method: payload, Lure: payload, Channel: payload, Place: payload, Recruiters: []string{payload}}
		c.Journey = []report.Stop{{Place: payload, Type: payload, Note: payload}}
		c.Exploitation = report.Exploitation{Types: []string{payload}, Controls: []string{payload}, Detail: payload}
		c.ContactLog = []report.ContactEntry{{At: at, Channel: payload, From: payload, FromRole: payload, Text: payload}}
		c.Demands = []report.Demand{{At: at, Amount: &report.Money{Amount: payload, Currency: payload}, Intermediaries: []string{payload},
			Payment: []string{payload}, Note: payload}}
		c.Notes = []report.Note{{At: at, Author: payload, Text: payload}}
		c.Evidence = []report.EvidenceRef{{ID: payload, Name: payload, ContentType: payload, SHA256: payload, Note: payload, AddedAt: at}}
		c.Places = []string{payload, "mm-kk-park"}
		for i := range fd.leads {
			l := &fd.leads[i]
			l.Indicator.Value, l.Path, l.Level, l.Case, l.CaseOrg = payload, payload, payload, payload, payload
			l.Reports, l.Networks, l.ScamTypes = []string{payload}, []string{payload}, []string{payload}
		}
		h := newDeskHandler(t, fd, nil)
		for _, path := range []string{"/desk/cases", deskCase1, deskCase1 + "?lang=zh-Hans", "/desk/alerts", "/places/mm-kk-park",
			"/desk/cases?status=" + url.QueryEscape(payload), "/desk/cases?cursor=" + url.QueryEscape(payload)} {
			body := do(h, "GET", path, as(workerSession), "").Body.String()
			if strings.Contains(body, "<script") || strings.Contains(body, "<img") {
				t.Errorf("GET %s: markup from the case is on the page:\n%s", path, body)
			}
		}
		rec := post(h, deskCase1+"/note", as(workerSession), "version=3&note="+url.QueryEscape(payload))
		if rec.Code != 409 || strings.Contains(rec.Body.String(), "<script") || strings.Contains(rec.Body.String(), "<img") {
			t.Errorf("the conflict page shows the note as markup: %d", rec.Code)
		}
	}
}

// TestDeskDownloads: a file of a case is an attachment that the browser
// may not show in the page, sniff or run, and no cache keeps; so is an
// export.
func TestDeskDownloads(t *testing.T) {
	fd := newFakeDesk()
	h := newDeskHandler(t, fd, nil)
	rec := do(h, "GET", deskCase1+"/evidence/e-1", as(workerSession), "")
	want := map[string]string{"Content-Type": "image/jpeg", "Content-Disposition": "attachment; filename*=UTF-8''photo.jpg",
		"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox; default-src 'none'; frame-ancestors 'none'",
		"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
	if rec.Code != 200 || rec.Body.String() != "<html><script>alert(1)</script>" {
		t.Errorf("evidence: %d %q", rec.Code, rec.Body.String())
	}
	for k, v := range want {
		if got := rec.Header().Get(k); got != v {
			t.Errorf("evidence: %s %q, want %q", k, got, v)
		}
	}
	if rec := do(h, "GET", deskCase1+"/evidence/e-2", as(workerSession), ""); rec.Code != 404 {
		t.Errorf("an unknown file: %d", rec.Code)
	}
	for format, ct := range map[string]string{"csv": "text/csv; charset=utf-8", "json": "application/json"} {
		rec := do(h, "GET", deskCase1+"/export?format="+format, as(workerSession), "")
		if rec.Code != 200 || rec.Header().Get("Content-Type") != ct || rec.Body.String() != "id\nc-1\n" ||
			rec.Header().Get("Content-Disposition") != "attachment; filename*=UTF-8''vigil-case-c-1."+format {
			t.Errorf("export %s: %d %v %q", format, rec.Code, rec.Header(), rec.Body.String())
		}
		checkPrivate(t, "export", rec)
	}
	if rec := do(h, "GET", deskCase1+"/export?format=xml", as(workerSession), ""); rec.Code != 400 {
		t.Errorf("export as xml: %d", rec.Code)
	}
	if _, _, _, exports := fd.state(); !slices.Equal(exports, []string{"c-1 csv", "c-1 json"}) && !slices.Equal(exports, []string{"c-1 json", "c-1 csv"}) {
		t.Errorf("exports: %v", exports)
	}
}

var routePattern = regexp.MustCompile(`mux\.Handle\("((?:GET|POST) /(?:desk|places)/[^"]*)"`)

// TestDeskRoutes: every route of the desk and of places, as routes.go
// lists them, is private, and gives the public nothing of any case.
func TestDeskRoutes(t *testing.T) {
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	routes := routePattern.FindAllStringSubmatch(string(src), -1)
	if len(routes) < 11 {
		t.Fatalf("routes.go lists %d routes of the desk", len(routes))
	}
	h := newDeskHandler(t, newFakeDesk(), nil)
	for _, m := range routes {
		method, path, _ := strings.Cut(m[1], " ")
		path = strings.NewReplacer("{id}", "c-1", "{eid}", "e-1").Replace(path)
		if strings.HasPrefix(path, "/places/") {
			path = "/places/mm-kk-park"
		}
		rec := do(h, method, path+"?format=csv", nil, "")
		if method == "POST" {
			rec = post(h, path, nil, "version=4")
		}
		want := http.StatusUnauthorized
		if strings.HasPrefix(path, "/places/") {
			want = http.StatusOK
		}
		if rec.Code != want {
			t.Errorf("%s as the public: status %d, want %d", m[1], rec.Code, want)
		}
		checkPrivate(t, m[1], rec)
		checkBody(t, rec.Body.String(), nil, []string{"李明", "Li Ming", "liming_2006", "Rescue under way"})
	}
}
