package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"

	"vigil/internal/auth"
	"vigil/internal/report"
	"vigil/internal/store"
	"vigil/internal/web"
)

// TestCaseFilingReplays: a family's filing retried with its
// Idempotency-Key, on another server of the same store (or after a
// restart), gets the first case, link and code; no second case is made.
func TestCaseFilingReplays(t *testing.T) {
	a := newServerWith(t, Config{})
	db := storeOf(t, a)
	// A second server over the same store, as behind a load balancer.
	h, err := New(context.Background(), Config{Store: db, PasswordParams: testPasswords}, slog.New(slog.NewTextHandler(io.Discard, nil)), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	b := httptest.NewServer(h)
	defer b.Close()
	body := `{"subject":{"names":["Li Wei"]},"recruitment":{"lure":"jade transport job, Xishuangbanna"}}`
	file := func(srv *httptest.Server, body string) (int, http.Header, caseCreated) {
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/cases", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", "family-retry-1")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out caseCreated
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, resp.Header, out
	}
	code, _, first := file(a, body)
	if code != 201 || first.Family == nil {
		t.Fatalf("filing: %d %+v", code, first)
	}
	code, hdr, again := file(b, body)
	if code != 201 || again.ID != first.ID || again.Family == nil || *again.Family != *first.Family || hdr.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry on another server: %d %+v, want %+v replayed", code, again, first)
	}
	if code, _, _ := file(b, strings.Replace(body, "Li Wei", "Li Wen", 1)); code != 409 {
		t.Errorf("the key with another body: %d, want 409", code)
	}
	cs, _, err := db.Cases(context.Background(), store.Viewer{AllCases: true}, store.CaseQuery{})
	if err != nil || len(cs) != 1 {
		t.Errorf("%d cases stored (%v), want 1", len(cs), err)
	}
	// The replayed link and code open the case.
	req, _ := http.NewRequest("GET", b.URL+"/api/v1/family/cases/"+again.Family.Token, nil)
	req.Header.Set("X-Case-Code", again.Family.Code)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("the replayed link and code: %d", resp.StatusCode)
	}
}

func TestCaseCodes(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		c := newCaseCode()
		if !regexp.MustCompile(`^[0-9]{4}-[0-9]{4}$`).MatchString(c) {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
	}
	if len(seen) < 49 {
		t.Errorf("50 codes, %d distinct", len(seen))
	}
	for in, want := range map[string]string{"1234-5678": "12345678", " 1234 5678 ": "12345678", "12345678": "12345678", "1234.5678": "1234x5678", "１２３４": "xxxx", strings.Repeat("1", 65): ""} {
		if got := caseCodeDigits(in); got != want {
			t.Errorf("caseCodeDigits(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]int{`"3"`: 3, `W/"12"`: 12, "7": 7, `"x"`: -1, `"-1"`: -1, "": -1} {
		got, ok := parseETag(in)
		if !ok {
			got = -1
		}
		if got != want {
			t.Errorf("parseETag(%q) = %d, want %d", in, got, want)
		}
	}
}

// TestAdditionError: a family's addition that fails validation is named
// by the addition's fields, not the case's.
func TestAdditionError(t *testing.T) {
	before := report.Case{ContactLog: make([]report.ContactEntry, 3), Demands: make([]report.Demand, 1),
		Subject: report.Person{Accounts: []string{"a", "b"}}, Notes: make([]report.Note, 2)}
	err := &report.ValidationError{Fields: []report.FieldError{
		{Pointer: "/contact_log/4/from", Detail: "x"}, {Pointer: "/contact_log/1/text", Detail: "x"},
		{Pointer: "/demands/1/payment/0", Detail: "x"}, {Pointer: "/subject/accounts/2", Detail: "x"},
		{Pointer: "/subject/accounts", Detail: "x"}, {Pointer: "/journey/0/place", Detail: "x"},
		{Pointer: "/notes/2/text", Detail: "x"}, {Pointer: "/subject/names", Detail: "x"},
	}}
	var got []string
	var ve *report.ValidationError
	if !errors.As(additionError(err, before), &ve) {
		t.Fatal("not a ValidationError")
	}
	for _, f := range ve.Fields {
		got = append(got, f.Pointer)
	}
	want := []string{"/contact_log/1/from", "/contact_log/1/text", "/demands/0/payment/0", "/accounts/0", "/accounts", "/journey/0/place", "/info", "/subject/names"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pointers (-want +got):\n%s", diff)
	}
}

// TestCaseOwners: who owns a case depends on who files it.
func TestCaseOwners(t *testing.T) {
	srv, db, intake := newIntakeServer(t)
	ctx := context.Background()
	ngo, err := db.AddOrg(ctx, store.Org{Name: "NGO"})
	if err != nil {
		t.Fatal(err)
	}
	worker := account(t, srv, "worker@ngo.example.org", auth.RoleCaseworker, ngo.ID)
	admin := account(t, srv, "admin@example.org", auth.RoleAdmin, "")
	family := account(t, srv, "mother@example.org", auth.RoleFamily, "")
	public := actor{name: "public"}
	file := func(who actor, body string, status int) caseCreated {
		t.Helper()
		code, got := who.do(t, srv, "POST", "/api/v1/cases", body)
		if code != status {
			t.Fatalf("as %s: %d, want %d: %s", who.name, code, status, got)
		}
		var c caseCreated
		if code == 201 {
			decodeInto(t, got, &c)
		}
		return c
	}
	owner := func(id string) report.Case {
		t.Helper()
		c, err := db.Case(ctx, store.Viewer{All: true}, id)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// The public's and family accounts' cases: the org named when it
	// exists, else the intake; what caseworkers decide is theirs.
	c := file(public, `{"subject":{"names":["A"]},"org":"`+ngo.ID+`","status":"rescued","assignee":"`+worker.userID+`","notes":[{"text":"forged"}]}`, 201)
	if got := owner(c.ID); got.Org != ngo.ID || got.Status != "reported" || got.Assignee != "" || len(got.Notes) != 0 || c.Family == nil || got.Source != "api" {
		t.Errorf("public, naming the NGO: %+v", got)
	}
	c = file(public, `{"subject":{"names":["B"]},"org":"no-such-org"}`, 201)
	if got := owner(c.ID); got.Org != intake.ID {
		t.Errorf("public, naming no organisation that exists: owner %q, want the intake %q", got.Org, intake.ID)
	}
	c = file(family, `{"subject":{"names":["C"]},"family_access":false}`, 201)
	if got := owner(c.ID); got.Org != intake.ID || c.Family == nil {
		t.Errorf("a family account: %+v %+v", got, c)
	}
	// A caseworker's: their organisation's, as they set it, a family
	// link only when asked for.
	c = file(worker, `{"subject":{"names":["D"]},"status":"located","assignee":"`+worker.userID+`","notes":[{"text":"seen"}]}`, 201)
	if got := owner(c.ID); got.Org != ngo.ID || got.Status != "located" || got.Assignee != worker.userID || len(got.Notes) != 1 || got.Notes[0].Author != worker.userID || c.Family != nil {
		t.Errorf("a caseworker's: %+v %+v", got, c)
	}
	file(worker, `{"subject":{"names":["E"]},"org":"`+intake.ID+`"}`, 400)
	file(worker, `{"subject":{"names":["E"]},"assignee":"`+admin.userID+`"}`, 400)
	// An admin's: the organisation chosen.
	c = file(admin, `{"subject":{"names":["F"]},"org":"`+intake.ID+`","family_access":true}`, 201)
	if got := owner(c.ID); got.Org != intake.ID || c.Family == nil {
		t.Errorf("an admin's: %+v %+v", got, c)
	}
	file(admin, `{"subject":{"names":["G"]},"org":"no-such-org"}`, 400)
}

// TestCaseUnowned: without an intake organisation, a family's case
// belongs to no one, and only admins see it until they assign it.
func TestCaseUnowned(t *testing.T) {
	srv := newServerWith(t, Config{})
	ngo, err := storeOf(t, srv).AddOrg(context.Background(), store.Org{Name: "NGO"})
	if err != nil {
		t.Fatal(err)
	}
	worker := account(t, srv, "worker@ngo.example.org", auth.RoleCaseworker, ngo.ID)
	admin := account(t, srv, "admin@example.org", auth.RoleAdmin, "")
	code, body := actor{}.do(t, srv, "POST", "/api/v1/cases", `{"subject":{"names":["Unowned Person"]}}`)
	if code != 201 {
		t.Fatal(code, body)
	}
	var c caseCreated
	decodeInto(t, body, &c)
	if code, _ := worker.do(t, srv, "GET", "/api/v1/cases/"+c.ID, ""); code != 404 {
		t.Errorf("a caseworker sees an unowned case: %d", code)
	}
	if code, _ := admin.do(t, srv, "PATCH", "/api/v1/cases/"+c.ID, `{"version":1,"org":"`+ngo.ID+`","assignee":"`+worker.userID+`"}`); code != 200 {
		t.Errorf("the admin assigns it: %d", code)
	}
	if code, body := worker.do(t, srv, "GET", "/api/v1/cases/"+c.ID, ""); code != 200 || !strings.Contains(body, "Unowned Person") {
		t.Errorf("the assigned caseworker: %d %s", code, body)
	}
}

// TestCasePatch: a change merges onto the stored case, at the version
// read.
func TestCasePatch(t *testing.T) {
	srv := newServerWith(t, Config{})
	ngo, _ := storeOf(t, srv).AddOrg(context.Background(), store.Org{Name: "NGO"})
	worker := account(t, srv, "worker@ngo.example.org", auth.RoleCaseworker, ngo.ID)
	code, body := worker.do(t, srv, "POST", "/api/v1/cases", `{"subject":{"names":["Ko Ko"],"age":20},"urgency":"high","notes":[{"text":"first"}]}`)
	if code != 201 {
		t.Fatal(code, body)
	}
	var c caseCreated
	decodeInto(t, body, &c)
	var got report.Case
	patch := func(body string, status int, headers ...string) {
		t.Helper()
		code, b := worker.do(t, srv, "PATCH", "/api/v1/cases/"+c.ID, body, headers...)
		if code != status {
			t.Fatalf("PATCH %s: %d, want %d: %s", body, code, status, b)
		}
		if code == 200 {
			decodeInto(t, b, &got)
		}
	}
	patch(`{"version":1,"subject":{"age":21},"recruitment":{"recruiters":["@recruiter_ko"]}}`, 200)
	if got.Version != 2 || got.Subject.Age != 21 || len(got.Subject.Names) != 1 || got.Urgency != "high" || len(got.Notes) != 1 {
		t.Errorf("an object given merges, the rest stays: %+v", got)
	}
	if len(got.Indicators) != 1 || got.Indicators[0].Role != report.RoleRecruiter {
		t.Errorf("the case's values are read again: %+v", got.Indicators)
	}
	patch(`{"notes":[]}`, 200, "If-Match", `"2"`)
	if len(got.Notes) != 0 || got.Version != 3 {
		t.Errorf("a list given replaces the list: %+v", got)
	}
	patch(`{"version":2,"urgency":"low"}`, 409)
	patch(`{"urgency":"low"}`, 409, "If-Match", `"2"`)
	patch(`{"version":3,"created_at":"2020-01-01T00:00:00Z","places":[]}`, 400)
	patch(`{"version":3,"subject":{"names":[],"aliases":[]}}`, 400)
	patch(`{"version":3,"recruitment":{"recruiters":["not a thing at all !!"]}}`, 400)
	patch(`{"version":"3"}`, 400)
	patch(`[]`, 400)
	patch(`null`, 400)
	patch(`{"version":3,"status":"closed","closed_reason":"home"}`, 200)
	if got.Status != "closed" || got.Version != 4 {
		t.Errorf("closing: %+v", got)
	}
}

// TestFamilyAccess: the family's view, its additions (audited as the
// family's), concurrent additions and the audit of a family's reads.
func TestFamilyAccess(t *testing.T) {
	w := newWorld(t)
	c := seedCase(t, w)
	public := w.actors["public"]
	fam := "/api/v1/family/cases/" + c.token
	var wg sync.WaitGroup
	codes := make([]int, 4)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _ = public.do(t, w.srv, "POST", fam+"/additions", fmt.Sprintf(`{"info":"news %d","accounts":["wechat: alt_account_%d"]}`, i, i), "X-Case-Code", c.code)
		}()
	}
	wg.Wait()
	code, body := public.do(t, w.srv, "GET", fam, "", "X-Case-Code", c.code)
	var v familyView
	decodeInto(t, body, &v)
	if code != 200 || len(v.Notes) != 4 || len(v.Subject.Accounts) != 5 {
		t.Errorf("four additions at once (%v): %d notes, accounts %v", codes, len(v.Notes), v.Subject.Accounts)
	}
	for _, n := range v.Notes {
		if n.Author != "family" || !strings.HasPrefix(n.Text, "news ") {
			t.Errorf("a family's note: %+v", n)
		}
	}
	code, body = public.do(t, w.srv, "POST", fam+"/additions", `{"contact_log":[{"from":"not a thing at all !!"}]}`, "X-Case-Code", c.code)
	if code != 400 || !strings.Contains(body, `"pointer":"/contact_log/0/from"`) {
		t.Errorf("an addition's error names its field: %d %s", code, body)
	}
	if code, _ := public.do(t, w.srv, "GET", fam, "", "X-Case-Code", "0000-0000"); code != 404 {
		t.Errorf("a wrong code: %d, want 404", code)
	}
	code, body = w.actors["admin"].do(t, w.srv, "GET", "/api/v1/audit?limit=1000", "")
	if code != 200 || !strings.Contains(body, `"Actor":"family:`+c.id+`","Action":"case.update"`) {
		t.Errorf("the family's additions are audited as theirs: %d %.2000s", code, body)
	}
	// Reads are audited as the family's once the code holds; a wrong code
	// is recorded as such, never as a read.
	var log struct {
		Events []struct{ Actor, Action, Target string }
	}
	decodeInto(t, body, &log)
	reads, wrong := 0, 0
	for _, e := range log.Events {
		switch {
		case e.Action == "case.read" && e.Target == c.id && e.Actor == "family:"+c.id:
			reads++
		case e.Action == "case.read" && e.Target == c.id && strings.HasPrefix(e.Actor, "public:"):
			t.Errorf("a family read audited as %s", e.Actor)
		case e.Action == "case.family_code_wrong" && e.Target == c.id:
			wrong++
		}
	}
	if reads == 0 || wrong != 1 {
		t.Errorf("audit: %d family reads, %d wrong codes; want some and 1", reads, wrong)
	}
}

// TestWebCases: the family pages' calls (web.Cases) take the API's path
// and answer the errors the pages tell apart.
func TestWebCases(t *testing.T) {
	srv := newServerWith(t, Config{})
	s, err := newServer(context.Background(), Config{Store: storeOf(t, srv), PasswordParams: testPasswords, ReportBurst: 2},
		slog.New(slog.DiscardHandler), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("POST", "/cases/new", nil)
	r.RemoteAddr = "192.0.2.10:5555"
	ctx := context.Background()
	c := &report.Case{Subject: report.Person{Names: []string{"Web Person"}, Accounts: []string{"wechat: web_person_1"}}}
	token, code, err := s.FileCase(ctx, r, c, "WEBFORMKEY2345672")
	if err != nil || token == "" || code == "" {
		t.Fatalf("FileCase: %q %q %v", token, code, err)
	}
	// The form sent again (a refresh) shows the same link and code.
	c2 := &report.Case{Subject: report.Person{Names: []string{"Web Person"}, Accounts: []string{"wechat: web_person_1"}}}
	if t2, c2code, err := s.FileCase(ctx, r, c2, "WEBFORMKEY2345672"); err != nil || t2 != token || c2code != code {
		t.Errorf("the form sent again: %q %q %v, want the first link and code", t2, c2code, err)
	}
	got, err := s.FamilyCase(ctx, r, token, code)
	if err != nil || got.DisplayName() != "Web Person" || got.Source != "web" || got.Org != "" {
		t.Errorf("FamilyCase: %+v %v", got, err)
	}
	if _, err := s.FamilyCase(ctx, r, token, "0000-0000"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a wrong code: %v", err)
	}
	if _, err := s.FamilyCase(ctx, r, "unknown", code); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an unknown link: %v", err)
	}
	var ve *report.ValidationError
	err = s.FamilyAdd(ctx, r, token, code, report.CaseAddition{Accounts: []string{"ok_account_1", "not a thing at all !!"}}, nil, "")
	if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Pointer != "/accounts/1" {
		t.Errorf("a bad account: %v", err)
	}
	err = s.FamilyAdd(ctx, r, token, code, report.CaseAddition{}, []byte("MZ\x90\x00 an executable"), "setup.exe")
	if !errors.As(err, &ve) || ve.Fields[0].Pointer != "/file" {
		t.Errorf("an executable: %v", err)
	}
	if err := s.FamilyAdd(ctx, r, token, code, report.CaseAddition{Info: "a photo"}, testPNG(t, 3), "photo.png"); err != nil {
		t.Errorf("an addition with a photo: %v", err)
	}
	if got, _ := s.FamilyCase(ctx, r, token, code); len(got.Evidence) != 1 || got.Evidence[0].Name != "photo.png" || got.Evidence[0].SHA256 != "" {
		t.Errorf("the photo as the family sees it: %+v", got.Evidence)
	}
	for range 5 {
		s.FamilyCase(ctx, r, token, "1111-1111")
	}
	if _, err := s.FamilyCase(ctx, r, token, code); !errors.Is(err, web.ErrRateLimited) {
		t.Errorf("after 5 wrong codes: %v", err)
	}
	// The web form's filings are rate-limited per network, as the API's.
	var last error
	for range 3 {
		_, _, last = s.FileCase(ctx, r, &report.Case{Subject: report.Person{Names: []string{"Again"}}}, "")
	}
	if !errors.Is(last, web.ErrRateLimited) {
		t.Errorf("the third filing from one network with a burst of 2: %v", last)
	}
}

// TestFamilyAdditionsLimited: one link cannot add without end (a script
// looping uploads): past a burst, 429 with Retry-After, and nothing more
// is added until the budget refills.
func TestFamilyAdditionsLimited(t *testing.T) {
	w := newWorld(t)
	c := seedCase(t, w)
	public := w.actors["public"]
	fam := "/api/v1/family/cases/" + c.token
	codes := map[int]int{}
	for i := range 35 {
		code, _ := public.do(t, w.srv, "POST", fam+"/additions", fmt.Sprintf(`{"info":"note %d"}`, i), "X-Case-Code", c.code)
		codes[code]++
	}
	if codes[200]+codes[201] != 30 || codes[429] != 5 {
		t.Errorf("35 additions in a burst: %v, want 30 taken and 5 refused", codes)
	}
	code, body := public.do(t, w.srv, "GET", fam, "", "X-Case-Code", c.code)
	var v familyView
	decodeInto(t, body, &v)
	if code != 200 || len(v.Notes) != 30 {
		t.Errorf("%d notes after the burst, want 30", len(v.Notes))
	}
}
