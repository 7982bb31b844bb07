package api

import (
	"context"
	"encoding/base64"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"vigil/internal/report"
	"vigil/internal/store"
)

// deskCookie is a CSRF cookie as the web pages make them; the tests read
// the token of the forms from a page served with it.
var deskCookie = base64.RawURLEncoding.EncodeToString([]byte("thirty-two bytes of a test value"))

// noRedirects answers a redirect as it is, so that a test sees the 303.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// page sends a web request as a: its session cookie and the CSRF cookie,
// and form, when not nil, as the body of a POST.
func (a actor) page(t *testing.T, w *world, method, path string, form url.Values) (int, http.Header, string) {
	t.Helper()
	var body io.Reader = http.NoBody
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, w.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.AddCookie(&http.Cookie{Name: "vigil_csrf", Value: deskCookie})
	if a.session != "" {
		req.AddCookie(&http.Cookie{Name: "vigil_session", Value: a.session})
	}
	res, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, string(b)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// formToken is the CSRF token of the forms of a page a may read.
func (a actor) formToken(t *testing.T, w *world, path string) string {
	t.Helper()
	status, _, body := a.page(t, w, "GET", path, nil)
	m := csrfInput.FindStringSubmatch(body)
	if status != 200 || m == nil {
		t.Fatalf("GET %s as %s: %d, no form token", path, a.name, status)
	}
	return html.UnescapeString(m[1])
}

// storedCase is the case as stored, read as the operator.
func storedCase(t *testing.T, w *world, id string) report.Case {
	t.Helper()
	c, err := w.db.Case(context.Background(), store.Viewer{All: true}, id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDeskMatrix fetches every page of the desk and a place's page as
// every kind of signed-in or anonymous caller: the status, and that
// nothing of the case reaches a caller who may not see it.
func TestDeskMatrix(t *testing.T) {
	w := newWorld(t)
	c := seedCase(t, w)
	everyone := []string{"public", "reporter", "family", "analystA", "caseworkerA", "caseworkerB", "admin"}
	seers := map[string]bool{"caseworkerA": true, "admin": true}
	watchers := map[string]bool{"analystA": true, "caseworkerA": true, "caseworkerB": true, "admin": true}
	caseData := []string{caseSubject, caseSubjectZh, caseAccount, caseRecruiter, caseWallet, caseLure, caseContact, caseNote, caseEvidence, c.id}
	refused := func(who string) int {
		if who == "public" {
			return 401 // the sign-in form
		}
		return 403
	}
	caseRoute := func(who string) int {
		switch {
		case seers[who]:
			return 200
		case who == "caseworkerB":
			return 404
		}
		return refused(who)
	}
	routes := []struct {
		path   string
		status func(who string) int
		want   []string // for those who may see the case
	}{
		{"/desk/cases", func(who string) int {
			if seers[who] || who == "caseworkerB" {
				return 200
			}
			return refused(who)
		}, []string{caseSubject, "/desk/cases/" + c.id, "Critical"}},
		{"/desk/cases/" + c.id, caseRoute, []string{caseSubject, caseSubjectZh, caseLure, caseContact, caseNote, caseAccount, caseWallet,
			"Rescue lead: they may be held in a scam operation", "The account they may be made to use", c.forcedReport,
			"they may be made to use it", `href="/places/mm-kk-park?lang=en"`, "voice.txt"}},
		{"/desk/cases/" + c.id + "?lang=zh-Hans", caseRoute, []string{caseSubjectZh, "营救线索", "他们可能被迫使用的账号", "处理案件"}},
		{"/desk/cases/" + c.id + "/evidence/" + c.evidence, caseRoute, []string{caseEvidence}},
		{"/desk/cases/" + c.id + "/export?format=csv", caseRoute, []string{caseSubject}},
		{"/desk/cases/" + c.id + "/export?format=json", caseRoute, []string{caseSubject}},
		{"/desk/alerts", func(who string) int {
			if watchers[who] {
				return 200
			}
			return refused(who)
		}, nil},
		{"/places/mm-kk-park", func(string) int { return 200 }, []string{"KK Park", "KK园区", "Reports that mention it", "Open cases that mention it", c.id}},
		{"/places/nowhere", func(string) int { return 404 }, nil},
	}
	for _, who := range everyone {
		a := w.actors[who]
		for _, rt := range routes {
			status, _, body := a.page(t, w, "GET", rt.path, nil)
			if want := rt.status(who); status != want {
				t.Errorf("GET %s as %s: status %d, want %d: %.300s", rt.path, who, status, want, body)
				continue
			}
			text := html.UnescapeString(body)
			if seers[who] {
				for _, s := range rt.want {
					if !strings.Contains(text, s) {
						t.Errorf("GET %s as %s: want %q", rt.path, who, s)
					}
				}
				continue
			}
			never := append([]string{"Open cases that mention it", "提到此地的未结案件"}, caseData...)
			for _, s := range never {
				if strings.Contains(text, s) && !strings.Contains(rt.path, s) {
					t.Errorf("GET %s as %s: LEAK of %q in %.400s", rt.path, who, s, body)
				}
			}
		}
	}
	// The public sees no link to cases; a caseworker does.
	if _, _, body := w.actors["public"].page(t, w, "GET", "/", nil); strings.Contains(body, "/desk/cases") {
		t.Errorf("the public's home page links to the cases")
	}
	if _, _, body := w.actors["caseworkerA"].page(t, w, "GET", "/", nil); !strings.Contains(body, `href="/desk/cases?lang=en"`) {
		t.Errorf("a caseworker's home page has no link to the cases")
	}
}

// TestDeskChanges changes a case through its page as a caseworker would,
// and as those who may not: forged, stale and invalid forms change
// nothing.
func TestDeskChanges(t *testing.T) {
	w := newWorld(t)
	c := seedCase(t, w)
	worker := w.actors["caseworkerA"]
	path := "/desk/cases/" + c.id
	token := worker.formToken(t, w, path)
	version := storedCase(t, w, c.id).Version
	form := func(kv ...string) url.Values {
		v := url.Values{"csrf": {token}, "version": {strconv.Itoa(version)}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	refusals := []struct {
		name   string
		who    string
		change string
		form   url.Values
		status int
		want   string
	}{
		{"no CSRF token", "caseworkerA", "status", url.Values{"version": {strconv.Itoa(version)}, "status": {"located"}}, 403, "Form not accepted"},
		{"a wrong CSRF token", "caseworkerA", "note", url.Values{"csrf": {"x" + token}, "version": {strconv.Itoa(version)}, "note": {"forged"}}, 403, "Form not accepted"},
		{"the public", "public", "status", form("status", "located"), 401, "Sign in with a caseworker's account"},
		{"an analyst", "analystA", "note", form("note", "an analyst's note"), 403, "Your account may not do this"},
		{"another organisation", "caseworkerB", "status", form("status", "located"), 404, "Page not found"},
		{"closed without a reason", "caseworkerA", "status", form("status", "closed"), 400, "Say why the case is closed."},
		{"a stale version", "caseworkerA", "note", url.Values{"csrf": {token}, "version": {strconv.Itoa(version - 1)}, "note": {"KEPT-NOTE-TEXT"}},
			409, "Someone else changed this case"},
		{"an assignee of another organisation", "caseworkerA", "assignee", form("assignee", w.actors["caseworkerB"].userID), 400,
			"Enter the account ID of a caseworker of the case's organisation."},
		{"an unknown status", "caseworkerA", "status", form("status", "vanished"), 400, "Choose a status from the list."},
		{"no version", "caseworkerA", "urgency", url.Values{"csrf": {token}, "urgency": {"low"}}, 400, "Form not readable"},
	}
	for _, tt := range refusals {
		status, _, body := w.actors[tt.who].page(t, w, "POST", path+"/"+tt.change, tt.form)
		if status != tt.status || !strings.Contains(html.UnescapeString(body), tt.want) {
			t.Errorf("%s: status %d, want %d with %q: %.600s", tt.name, status, tt.status, tt.want, body)
		}
		if got := storedCase(t, w, c.id); got.Version != version {
			t.Errorf("%s: the case changed to version %d", tt.name, got.Version)
		}
	}
	if _, _, body := worker.page(t, w, "POST", path+"/note", url.Values{"csrf": {token}, "version": {strconv.Itoa(version - 1)}, "note": {"KEPT-NOTE-TEXT"}}); !strings.Contains(body, "KEPT-NOTE-TEXT") || !strings.Contains(body, `name="version" value="`+strconv.Itoa(version)+`"`) {
		t.Errorf("the conflict page lacks the note as sent or the current version")
	}

	changes := []struct {
		change string
		form   url.Values
		check  func(report.Case) bool
	}{
		{"status", form("status", "closed", "closed_reason", "Found <b>safe</b> at home"), func(c report.Case) bool {
			return c.Status == report.CaseClosed && c.ClosedReason == "Found <b>safe</b> at home"
		}},
		{"urgency", form("urgency", "low"), func(c report.Case) bool { return c.Urgency == "low" }},
		{"assignee", form("assignee", worker.userID), func(c report.Case) bool { return c.Assignee == worker.userID }},
		{"note", form("note", "Called the family <script>"), func(c report.Case) bool {
			n := c.Notes[len(c.Notes)-1]
			return n.Text == "Called the family <script>" && n.Author == worker.userID
		}},
		{"status", form("status", "under_review", "closed_reason", "ignored"), func(c report.Case) bool {
			return c.Status == report.CaseUnderReview && c.ClosedReason == ""
		}},
	}
	for _, ch := range changes {
		ch.form.Set("version", strconv.Itoa(version))
		status, h, body := worker.page(t, w, "POST", path+"/"+ch.change, ch.form)
		if status != 303 || h.Get("Location") != path+"?done="+ch.change+"&lang=en" {
			t.Fatalf("%s: status %d, Location %q: %.400s", ch.change, status, h.Get("Location"), body)
		}
		got := storedCase(t, w, c.id)
		if got.Version != version+1 || !ch.check(got) {
			t.Errorf("%s: the case is now %+v", ch.change, got)
		}
		version = got.Version
	}
	if _, _, body := worker.page(t, w, "GET", path+"?done=note", nil); !strings.Contains(body, "The note is added.") ||
		!strings.Contains(body, "Called the family &lt;script&gt;") {
		t.Errorf("the case page after a note: %.600s", body)
	}

	// Watching twice is one watch.
	for range 2 {
		if status, h, _ := worker.page(t, w, "POST", path+"/watch", url.Values{"csrf": {token}}); status != 303 || !strings.Contains(h.Get("Location"), "done=watch") {
			t.Errorf("watch: %d %q", status, h.Get("Location"))
		}
	}
	ws, err := w.db.Watches(context.Background(), worker.userID)
	if err != nil || len(ws) != 1 || ws[0].Kind != store.WatchCase || ws[0].Target != c.id {
		t.Errorf("watches after watching twice: %+v %v", ws, err)
	}
	if status, _, _ := w.actors["caseworkerB"].page(t, w, "POST", path+"/watch", url.Values{"csrf": {token}}); status != 404 {
		t.Errorf("another organisation's caseworker watches the case: %d", status)
	}
}

// TestDeskDownloads: a file and an export are attachments no cache keeps;
// a file is one the browser may neither sniff nor run; the export is
// audited.
func TestDeskDownloads(t *testing.T) {
	w := newWorld(t)
	c := seedCase(t, w)
	worker := w.actors["caseworkerA"]
	status, h, body := worker.page(t, w, "GET", "/desk/cases/"+c.id+"/evidence/"+c.evidence, nil)
	want := map[string]string{"Content-Disposition": "attachment; filename*=UTF-8''voice.txt", "X-Content-Type-Options": "nosniff",
		"Cache-Control": "no-store", "Content-Security-Policy": "sandbox; default-src 'none'; frame-ancestors 'none'",
		"Referrer-Policy": "no-referrer"}
	if status != 200 || body != caseEvidence {
		t.Errorf("evidence: %d %q", status, body)
	}
	for k, v := range want {
		if h.Get(k) != v {
			t.Errorf("evidence: %s %q, want %q", k, h.Get(k), v)
		}
	}
	status, h, body = worker.page(t, w, "GET", "/desk/cases/"+c.id+"/export?format=csv", nil)
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") ||
		h.Get("Cache-Control") != "no-store" || !strings.Contains(body, caseSubject) {
		t.Errorf("export: %d %v %.300s", status, h, body)
	}
	if status, _, _ := worker.page(t, w, "GET", "/desk/cases/"+c.id+"/export?format=xml", nil); status != 400 {
		t.Errorf("export as xml: %d", status)
	}
	events, err := w.db.AuditLog(context.Background(), 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	exported := false
	for _, e := range events {
		exported = exported || e.Action == "case.export" && e.Target == c.id && e.Actor == "user:"+worker.userID
	}
	if !exported {
		t.Errorf("the export is not in the audit log as the caseworker's")
	}
}
