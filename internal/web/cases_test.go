package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"vigil/internal/report"
	"vigil/internal/store"
)

// The case the fake knows before any is filed, and its link and code.
const (
	knownToken = "Kx7fQ2mZ-pL9_vT4"
	knownCode  = "2468-1357"
)

// fakeCases keeps cases in memory as the API server does, minus the
// store: it checks token and code, applies additions and validates.
type fakeCases struct {
	mu sync.Mutex
	// fileErr, getErr and addErr are answered instead of the work.
	fileErr, getErr, addErr error
	cases                   map[string]*report.Case // by token
	codes                   map[string]string
	filed                   []*report.Case
	keys                    []string // the filings' idempotency keys
	adds                    []fakeAddition
	gets                    int
}

type fakeAddition struct {
	token    string
	add      report.CaseAddition
	file     []byte
	fileName string
}

func newFakeCases() *fakeCases {
	c := knownCase()
	return &fakeCases{cases: map[string]*report.Case{knownToken: &c}, codes: map[string]string{knownToken: knownCode}}
}

// knownCase is a case with everything a family may see and what it may
// not: a caseworker's note, the owner, the assignee, the indicators and
// the hashes of the evidence.
func knownCase() report.Case {
	at := time.Date(2026, 3, 25, 8, 30, 0, 0, time.UTC)
	deadline := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	return report.Case{ID: "c-1", Status: report.CaseRescueUnderway, Urgency: "critical", Consent: "anonymised",
		Org: "org-secret-ngo", Assignee: "u-caseworker-7", Source: "web",
		Subject: report.Person{Names: []string{"李明", "Li Ming"}, Age: 19, Sex: "male", Nationality: []string{"CN"},
			Accounts: []string{"wechat: liming_2006"}},
		Reporter:     report.CaseReporter{Name: "王芳", Relationship: "mother"},
		Recruitment:  report.Recruitment{Method: "online_ad", Channel: "wechat", Lure: "高薪客服，月薪两万"},
		Journey:      []report.Stop{{Place: "KK Park", Type: "last_known"}},
		Exploitation: report.Exploitation{Types: []string{"forced_criminality"}, Controls: []string{"withholds_documents"}},
		ContactLog: []report.ContactEntry{{At: at, Channel: "wechat", From: "liming_2006", FromRole: report.RoleSubject,
			Text: "妈，我们被骗到缅甸了"}},
		Demands: []report.Demand{{At: at, Amount: &report.Money{Amount: "450000", Currency: "CNY"}, Deadline: &deadline,
			Payment: []string{"TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"}}},
		Notes: []report.Note{{At: at, Author: "u-caseworker-7", Text: "Partner police informed; informant Zaw"},
			{At: at, Author: "family", Text: "He called from a new number"}},
		Indicators: []report.Link{{Value: "lead-only-value", Role: report.RoleRecruiter}},
		Evidence: []report.EvidenceRef{{ID: "e-1", Name: "photo.jpg", ContentType: "image/jpeg", Size: 123456,
			SHA256: "5ecre7hash5ecre7hash", PHash: "ffee0011", AddedAt: at}},
	}
}

func (f *fakeCases) FileCase(ctx context.Context, r *http.Request, c *report.Case, key string) (string, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fileErr != nil {
		return "", "", f.fileErr
	}
	f.filed = append(f.filed, c)
	f.keys = append(f.keys, key)
	token, code := fmt.Sprintf("tok-%d", len(f.filed)), fmt.Sprintf("1357-000%d", len(f.filed))
	cp := *c
	f.cases[token], f.codes[token] = &cp, code
	return token, code, nil
}

// open is the case of a token and code, as the API answers.
func (f *fakeCases) open(token, code string) (*report.Case, error) {
	c, ok := f.cases[token]
	if !ok || f.codes[token] != code {
		return nil, fmt.Errorf("api: family case: %w", store.ErrNotFound)
	}
	return c, nil
}

func (f *fakeCases) FamilyCase(ctx context.Context, r *http.Request, token, code string) (report.Case, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gets++
	if f.getErr != nil {
		return report.Case{}, f.getErr
	}
	c, err := f.open(token, code)
	if err != nil {
		return report.Case{}, err
	}
	// Everything, caseworkers' notes too: the page must show only what
	// the family may see.
	return *c, nil
}

func (f *fakeCases) FamilyAdd(ctx context.Context, r *http.Request, token, code string, add report.CaseAddition, file []byte, fileName string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.addErr != nil {
		return f.addErr
	}
	c, err := f.open(token, code)
	if err != nil {
		return err
	}
	grown := *c
	grown.ContactLog, grown.Demands, grown.Notes = slices.Clone(c.ContactLog), slices.Clone(c.Demands), slices.Clone(c.Notes)
	grown.Journey, grown.Subject.Accounts = slices.Clone(c.Journey), slices.Clone(c.Subject.Accounts)
	add.Apply(&grown, time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC))
	if err := grown.Validate(); err != nil {
		return err
	}
	*c = grown
	f.adds = append(f.adds, fakeAddition{token: token, add: add, file: file, fileName: fileName})
	return nil
}

func (f *fakeCases) counts() (filed, adds, gets int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.filed), len(f.adds), f.gets
}

func newCaseHandler(t testing.TB, fc *fakeCases, log *slog.Logger) http.Handler {
	t.Helper()
	return newHandler(Config{Submit: &fakeSubmitter{}, Cases: fc, Log: log})
}

// completeCase is the form for a new case filled in everywhere, as a
// mother would.
func completeCase() url.Values {
	return url.Values{
		"subject_names": {"李明\r\n Li Ming \r\n\r\n"}, "subject_aliases": {"Xiao Ming"}, "subject_age": {" 19 "},
		"subject_sex": {"male"}, "subject_nationality": {"cn"}, "subject_description": {"1.75 m, a scar on the left hand"},
		"subject_accounts": {"+86 139 0013 9000\r\nwechat: liming_2006"},
		"reporter_name":    {"王芳"}, "reporter_relationship": {"mother"}, "reporter_contact": {"+86 138 0013 8000"},
		"reporter_language":  {"zh"},
		"recruitment_method": {"online_ad"}, "recruitment_lure": {"高薪客服，月薪两万，包吃包住\r\n泰国"},
		"recruitment_channel": {"wechat"}, "recruitment_date": {"2026-03-01"}, "recruitment_place": {"Kunming"},
		"recruitment_recruiters": {"wechat: hr_thai_job88\r\nhttps://jobs-thai.example/apply"},
		"last_place":             {"KK Park"}, "last_date": {"2026-03-20"}, "journey_transit": {"Bangkok\r\nMae Sot"},
		"exploitation_types":    {"forced_criminality", "forced_labour"},
		"exploitation_controls": {"withholds_documents", "debt_bondage", "physical_abuse"},
		"exploitation_detail":   {"He works 16 hours a day."},
		"msg_at":                {"2026-03-25"}, "msg_channel": {"wechat"}, "msg_from": {"liming_2006"},
		"msg_from_role": {"subject_contact"}, "msg_text": {"妈，我们被骗到缅甸了"},
		"demand_amount": {"450000"}, "demand_currency": {"cny"}, "demand_deadline": {"2026-04-01"},
		"demand_intermediaries": {"+95 9 123 456 789"}, "demand_payment": {"TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"},
		"urgency": {"critical"}, "consent": {"full"},
	}
}

// wantCase is the case completeCase describes, validated.
func wantCase(t *testing.T) *report.Case {
	t.Helper()
	day := func(m time.Month, d int) *time.Time { t := time.Date(2026, m, d, 0, 0, 0, 0, time.UTC); return &t }
	c := &report.Case{Source: "web", Urgency: "critical", Consent: "full",
		Subject: report.Person{Names: []string{"李明", "Li Ming"}, Aliases: []string{"Xiao Ming"}, Age: 19, Sex: "male",
			Nationality: []string{"CN"}, Description: "1.75 m, a scar on the left hand",
			Accounts: []string{"+86 139 0013 9000", "wechat: liming_2006"}},
		Reporter: report.CaseReporter{Name: "王芳", Relationship: "mother", Contact: "+86 138 0013 8000", Language: "zh"},
		Recruitment: report.Recruitment{Method: "online_ad", Lure: "高薪客服，月薪两万，包吃包住\n泰国", Channel: "wechat",
			Date: day(3, 1), Place: "Kunming", Recruiters: []string{"wechat: hr_thai_job88", "https://jobs-thai.example/apply"}},
		Journey: []report.Stop{{Place: "Bangkok", Type: "transit"}, {Place: "Mae Sot", Type: "transit"},
			{Place: "KK Park", Type: "last_known", Date: day(3, 20)}},
		Exploitation: report.Exploitation{Types: []string{"forced_criminality", "forced_labour"},
			Controls: []string{"withholds_documents", "debt_bondage", "physical_abuse"}, Detail: "He works 16 hours a day."},
		ContactLog: []report.ContactEntry{{At: *day(3, 25), Channel: "wechat", From: "liming_2006", FromRole: report.RoleSubject,
			Text: "妈，我们被骗到缅甸了"}},
		Demands: []report.Demand{{Amount: &report.Money{Amount: "450000", Currency: "CNY"}, Deadline: day(4, 1),
			Intermediaries: []string{"+95 9 123 456 789"}, Payment: []string{"TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"}}},
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return c
}

// postFiles sends a form as multipart/form-data, as a page of the site
// does (with the CSRF cookie and token unless header says otherwise), and
// a file when name is not empty.
func postFiles(h http.Handler, target string, header map[string]string, v url.Values, name string, file []byte) *httptest.ResponseRecorder {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if _, ok := v[csrfField]; !ok {
		mw.WriteField(csrfField, testToken)
	}
	for k, vs := range v {
		for _, s := range vs {
			mw.WriteField(k, s)
		}
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(file)
	}
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, target, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Cookie", csrfCookie+"="+testCookie)
	for k, s := range header {
		req.Header.Set(k, s)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// checkPrivate reports a case page that a cache may keep or whose address
// may leave in a Referer.
func checkPrivate(t *testing.T, name string, rec *httptest.ResponseRecorder) {
	t.Helper()
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("%s: Cache-Control %q, want no-store", name, got)
	}
	if got := rec.Header().Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("%s: Referrer-Policy %q, want no-referrer", name, got)
	}
}

// TestCaseForm: the form for a new case, in both languages, offers every
// term of every vocabulary it uses, and every input.
func TestCaseForm(t *testing.T) {
	h := newCaseHandler(t, newFakeCases(), nil)
	vocabularies := [][]report.Term{report.Sexes, report.RecruitmentMethods, report.Channels, report.ExploitationTypes,
		report.ControlMethods, report.Urgencies, report.Consents}
	for _, lang := range []string{english, chinese} {
		rec := do(h, "GET", "/cases/new?lang="+lang, nil, "")
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", lang, rec.Code)
		}
		checkPrivate(t, lang, rec)
		body := rec.Body.String()
		var want []string
		for _, terms := range vocabularies {
			for _, term := range terms {
				want = append(want, map[string]string{english: term.En, chinese: term.Zh}[lang])
			}
		}
		for _, name := range newCaseInputs {
			want = append(want, `name="`+name+`"`)
		}
		want = append(want, `enctype="multipart/form-data"`, `action="/cases/new?lang=`+lang+`"`,
			`<input type="radio" id="urgency-medium" name="urgency" value="medium" checked>`,
			`<input type="radio" id="consent-none" name="consent" value="none" checked>`,
			`<input type="checkbox" id="exploitation_controls-debt_bondage" name="exploitation_controls" value="debt_bondage">`,
			catalogue[lang]["case_new_title"], catalogue[lang]["case_safety"], catalogue[lang]["consent_help_anonymised"])
		mustNot := []string{}
		if lang == chinese {
			want = append(want, `<option value="zh" selected>中文</option>`)
			mustNot = append(mustNot, "Report a missing or held person")
		}
		checkBody(t, body, want, mustNot)
		checkPageRules(t, "GET /cases/new "+lang, body)
	}
}

// TestFileCase: a complete form, with a photo, files the case it
// describes and shows the link and the code once; the photo is added to
// the case.
func TestFileCase(t *testing.T) {
	fc := newFakeCases()
	h := newCaseHandler(t, fc, nil)
	photo := []byte("\x89PNG\r\n\x1a\n a photo of Li Ming")
	rec := postFiles(h, "/cases/new?lang=zh-Hans", map[string]string{"Origin": "http://example.com"}, completeCase(), "li-ming.png", photo)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200; body %s", rec.Code, rec.Body)
	}
	if filed, _, _ := fc.counts(); filed != 1 {
		t.Fatalf("%d cases filed, want 1", filed)
	}
	got, want := fc.filed[0], wantCase(t)
	// The demand's time is when the case was filed.
	if at := got.Demands[0].At; time.Since(at) > time.Minute {
		t.Errorf("demand at %v, want now", at)
	}
	want.Demands[0].At = got.Demands[0].At
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("filed case (-want +got):\n%s", diff)
	}
	wantAdd := []fakeAddition{{token: "tok-1", file: photo, fileName: "li-ming.png"}}
	if diff := cmp.Diff(wantAdd, fc.adds, cmp.AllowUnexported(fakeAddition{})); diff != "" {
		t.Errorf("file added (-want +got):\n%s", diff)
	}
	checkPrivate(t, "filed", rec)
	checkBody(t, rec.Body.String(), []string{"Vigil 已收到您的报告", "<code class=\"secret\">http://example.com/case/tok-1</code>",
		"<code class=\"secret\">1357-0001</code>", "验证码只显示这一次", "切勿交给扣押您亲人的人", `href="/case/tok-1?lang=zh-Hans"`},
		[]string{"您的文件未能添加"})
	checkPageRules(t, "filed", rec.Body.String())

	// Over TLS the link is https; a form without a file is taken as a
	// plain form too.
	rec = post(h, "/cases/new", map[string]string{"X-Forwarded-Proto": "https"}, "subject_names=Li+Ming")
	if rec.Code != http.StatusOK || len(fc.adds) != 1 {
		t.Fatalf("status %d, %d additions; want 200 and no more", rec.Code, len(fc.adds))
	}
	checkBody(t, rec.Body.String(), []string{"https://example.com/case/tok-2", "1357-0002", "Write these down now"}, nil)
}

// TestFileCaseFileFails: when the file cannot be added, the case stands,
// its link and code are shown, and the page says to send the file again.
func TestFileCaseFileFails(t *testing.T) {
	fc := newFakeCases()
	fc.addErr = errors.New("sealing exploded")
	var logs bytes.Buffer
	h := newCaseHandler(t, fc, slog.New(slog.NewTextHandler(&logs, nil)))
	rec := postFiles(h, "/cases/new", nil, url.Values{"subject_names": {"Li Ming"}}, "a.jpg", []byte("jpeg"))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	checkBody(t, rec.Body.String(), []string{"1357-0001", "Your file could not be added."}, []string{"sealing exploded"})
	if !strings.Contains(logs.String(), "sealing exploded") {
		t.Errorf("the failure is not logged: %s", logs.String())
	}

	// A file refused for what it is: the page says why, and nothing is
	// logged.
	logs.Reset()
	fc.addErr = &report.ValidationError{Fields: []report.FieldError{{Pointer: "/file", Detail: "is not a photo, recording or document"}}}
	rec = postFiles(h, "/cases/new", nil, url.Values{"subject_names": {"Li Ming"}}, "a.exe", []byte("MZ"))
	checkBody(t, rec.Body.String(), []string{"1357-0002", "Your file could not be added.", "is not a photo, recording or document"}, nil)
	if logs.Len() != 0 {
		t.Errorf("logged: %s", logs.String())
	}
}

// TestCaseProblems: a form with problems comes back with what was written
// kept and each problem by its input, and nothing is filed.
func TestCaseProblems(t *testing.T) {
	with := func(kv ...string) url.Values {
		v := completeCase()
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	tests := []struct {
		name string
		form url.Values
		want []string
	}{
		{"no name", with("subject_names", " \r\n ", "subject_aliases", ""),
			[]string{`<a href="#subject_names">Write the name of the person`, `id="subject_names-error"`, `value="KK Park"`, "is required"}},
		{"bad age", with("subject_age", "nineteen"), []string{`id="subject_age-error"`, "Give the age as a number", `value="nineteen"`}},
		{"age out of range", with("subject_age", "130"), []string{`id="subject_age-error"`, "must be between 0 and 120"}},
		{"bad nationality", with("subject_nationality", "CN, XX"), []string{`id="subject_nationality-error"`, `value="CN, XX"`}},
		{"bad currency", with("demand_currency", "DOLLARS"), []string{`id="demand_amount-error"`, `unknown currency "DOLLARS"`, `value="DOLLARS"`}},
		{"bad deadline", with("demand_deadline", "next week"), []string{`id="demand_deadline-error"`, "Give a date such as 2024-05-31"}},
		{"implausible date", with("recruitment_date", "1900-01-01"), []string{`id="recruitment_date-error"`, "is not a plausible date"}},
		{"bad last date", with("last_date", "2026-02-30"), []string{`id="last_date-error"`, `value="2026-02-30"`}},
		{"message from the future", with("msg_at", "2999-01-01"), []string{`id="msg_at-error"`, "is in the future"}},
		{"unknown exploitation", with("exploitation_types", "bogus"),
			[]string{`<a href="#exploitation_types">Choose from the list.`, "must be one of forced_criminality"}},
		{"bad consent", with("consent", "everyone"), []string{`<a href="#consent">Choose from the list.`}},
		{"bad method", with("recruitment_method", "magic"), []string{`id="recruitment_method-error"`}},
		{"bad sender", with("msg_from_role", "boss"), []string{`id="msg_from_role-error"`, "must be subject_contact"}},
		{"in Chinese", with("subject_age", "x", "lang", "zh-Hans"),
			[]string{"您的举报有需要修改的地方", "请用数字填写年龄", `<option value="male" selected>男</option>`}},
		{"file chosen again", with("subject_age", "x"), []string{"If you chose a file, choose it again"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := newFakeCases()
			h := newCaseHandler(t, fc, nil)
			path := "/cases/new?lang=" + tt.form.Get("lang")
			rec := postFiles(h, path, nil, tt.form, "photo.jpg", []byte("jpeg"))
			if rec.Code != http.StatusBadRequest {
				t.Errorf("status %d, want 400", rec.Code)
			}
			if filed, adds, _ := fc.counts(); filed+adds != 0 {
				t.Errorf("%d filed, %d added", filed, adds)
			}
			checkPrivate(t, tt.name, rec)
			// What was written is kept, every box ticked still ticked.
			want := append(tt.want, `妈，我们被骗到缅甸了`, `<input type="checkbox" id="exploitation_controls-debt_bondage" name="exploitation_controls" value="debt_bondage" checked>`)
			checkBody(t, rec.Body.String(), want, nil)
		})
	}
}

// TestFileCaseErrors: what Cases answers decides the page.
func TestFileCaseErrors(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		status     int
		retryAfter string
		want       []string
		mustNot    []string
	}{
		{"rate limited", fmt.Errorf("api: client 192.0.2.1: %w", ErrRateLimited), 429, "60",
			[]string{"Please wait a minute", "高薪客服，月薪两万"}, []string{"192.0.2.1"}},
		{"unreadable values", &report.ValidationError{Fields: []report.FieldError{
			{Pointer: "/recruitment/recruiters/1", Detail: "is not a readable value"},
			{Pointer: "/demands/0/payment/0", Detail: "is not a valid trx"},
			{Pointer: "/journey/1/place", Detail: "is too vague"},
			{Pointer: "/subject/photo", Detail: "is not a file of the case"}}}, 400, "",
			[]string{`id="recruitment_recruiters-error"`, "is not a readable value", `id="demand_payment-error"`, "is not a valid trx",
				`id="journey_transit-error"`, "is too vague", "Vigil could not accept this report.", "/subject/photo is not a file of the case",
				`value="450000"`}, nil},
		{"invalid otherwise", fmt.Errorf("resolve: %w", report.ErrInvalid), 400, "",
			[]string{"Vigil could not accept this report.", "resolve: invalid report"}, nil},
		{"store failure", errors.New("database exploded at 10.0.0.7"), 500, "",
			[]string{"Something went wrong"}, []string{"database exploded", "李明"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := newFakeCases()
			fc.fileErr = tt.err
			h := newCaseHandler(t, fc, nil)
			rec := postFiles(h, "/cases/new", nil, completeCase(), "", nil)
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			if got := rec.Header().Get("Retry-After"); got != tt.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, tt.retryAfter)
			}
			checkPrivate(t, tt.name, rec)
			checkBody(t, rec.Body.String(), tt.want, tt.mustNot)
		})
	}
}

// TestCaseForgery: a form without its token, or from another site, is
// refused before Cases hears of it.
func TestCaseForgery(t *testing.T) {
	code := url.Values{"code": {knownCode}, "info": {"he was moved"}}
	tests := []struct {
		name   string
		send   func(h http.Handler) *httptest.ResponseRecorder
		status int
	}{
		{"new case, no token", func(h http.Handler) *httptest.ResponseRecorder {
			return do(h, "POST", "/cases/new", map[string]string{"Cookie": csrfCookie + "=" + testCookie}, completeCase().Encode())
		}, 403},
		{"new case with a file, wrong token", func(h http.Handler) *httptest.ResponseRecorder {
			v := completeCase()
			v.Set(csrfField, "forged")
			return postFiles(h, "/cases/new", nil, v, "a.jpg", []byte("x"))
		}, 403},
		{"new case, no cookie", func(h http.Handler) *httptest.ResponseRecorder {
			return do(h, "POST", "/cases/new", nil, csrfField+"="+testToken+"&subject_names=x")
		}, 403},
		{"new case from another site", func(h http.Handler) *httptest.ResponseRecorder {
			return postFiles(h, "/cases/new", map[string]string{"Sec-Fetch-Site": "cross-site"}, completeCase(), "", nil)
		}, 403},
		{"open a case, no token", func(h http.Handler) *httptest.ResponseRecorder {
			return do(h, "POST", "/case/"+knownToken, map[string]string{"Cookie": csrfCookie + "=" + testCookie}, code.Encode())
		}, 403},
		{"add, no token", func(h http.Handler) *httptest.ResponseRecorder {
			v := url.Values{"code": {knownCode}, "info": {"he was moved"}, csrfField: {""}}
			return postFiles(h, "/case/"+knownToken+"/add", nil, v, "a.jpg", []byte("x"))
		}, 403},
		{"add from another site", func(h http.Handler) *httptest.ResponseRecorder {
			return postFiles(h, "/case/"+knownToken+"/add", map[string]string{"Origin": "https://evil.example"}, code, "", nil)
		}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := newFakeCases()
			rec := tt.send(newCaseHandler(t, fc, nil))
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			if filed, adds, gets := fc.counts(); filed+adds+gets != 0 {
				t.Errorf("Cases was asked: %d filed, %d added, %d read", filed, adds, gets)
			}
			checkBody(t, rec.Body.String(), []string{"Form not accepted"}, []string{"李明"})
		})
	}
}

// TestFileCaseKey: the new-case form carries its own idempotency key, so
// that the same form sent again (a refresh) gets the first link and code;
// a key the form could not have made is not passed on.
func TestFileCaseKey(t *testing.T) {
	fc := newFakeCases()
	h := newCaseHandler(t, fc, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/cases/new", nil))
	m := regexp.MustCompile(`<input type="hidden" name="filing" value="([A-Z2-7]{26})">`).FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("no filing key in the form:\n%s", rec.Body)
	}
	post(h, "/cases/new", nil, "subject_names=Li+Ming&filing="+m[1])
	post(h, "/cases/new", nil, "subject_names=Li+Ming&filing=%3Cscript%3E")
	// A form that comes back with problems keeps its key.
	rec = post(h, "/cases/new", nil, "subject_age=300&filing="+m[1])
	if !strings.Contains(rec.Body.String(), `name="filing" value="`+m[1]+`"`) {
		t.Errorf("a form with problems lost its key")
	}
	if diff := cmp.Diff([]string{m[1], ""}, fc.keys); diff != "" {
		t.Errorf("keys passed on (-want +got):\n%s", diff)
	}
}
