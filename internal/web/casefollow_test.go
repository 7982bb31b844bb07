package web

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"vigil/internal/report"
)

// secrets are what the family must never see of their case, and what
// no page shows before the code is given.
var (
	caseworkerOnly = []string{"Partner police informed", "org-secret-ngo", "u-caseworker-7", "lead-only-value", "5ecre7hash", "ffee0011"}
	caseData       = []string{"李明", "Li Ming", "liming_2006", "450000", "KK Park", "photo.jpg", "He called from a new number"}
)

// TestCaseCode: a case's link asks for the code and shows nothing of any
// case, the same for a link that opens none.
func TestCaseCode(t *testing.T) {
	h := newCaseHandler(t, newFakeCases(), nil)
	// With the same CSRF cookie, for the same token in the forms.
	cookie := map[string]string{"Cookie": csrfCookie + "=" + testCookie}
	known := do(h, "GET", "/case/"+knownToken, cookie, "")
	if known.Code != http.StatusOK {
		t.Fatalf("status %d", known.Code)
	}
	checkPrivate(t, "code page", known)
	checkBody(t, known.Body.String(), []string{"Enter the code you were given", `<label for="code">Code</label>`,
		`action="/case/` + knownToken + `?lang=en"`}, append(caseData, caseworkerOnly...))
	checkPageRules(t, "code page", known.Body.String())
	for _, token := range []string{"AAAAAAAAAAAAAAAA", "tok-404"} {
		other := do(h, "GET", "/case/"+token, cookie, "")
		if other.Code != known.Code || strings.ReplaceAll(other.Body.String(), token, knownToken) != known.Body.String() {
			t.Errorf("GET /case/%s differs from the page of a known case: status %d\n%s", token, other.Code, other.Body)
		}
	}
	zh := do(h, "GET", "/case/"+knownToken+"?lang=zh-Hans", nil, "")
	checkBody(t, zh.Body.String(), []string{"请输入您报告亲人失踪时得到的验证码", "切勿告诉扣押您亲人的人"}, nil)
}

// TestFollowCase: the right code shows the case as the family may see it,
// its status in words, and the form to add to it; a wrong code, an
// unknown link and a malformed one all get the same neutral page.
func TestFollowCase(t *testing.T) {
	fc := newFakeCases()
	h := newCaseHandler(t, fc, nil)
	rec := post(h, "/case/"+knownToken, nil, "code=+"+knownCode+"+")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d; body %s", rec.Code, rec.Body)
	}
	checkPrivate(t, "follow", rec)
	body := rec.Body.String()
	checkBody(t, body, append(caseData, "Status: Rescue under way", "A rescue is under way.",
		"Forced to commit crimes (forced scamming)", "Passport or documents taken", "2026-03-25 08:30", "The person themself",
		"450000 CNY", "photo.jpg (120 KB, 2026-03-25 08:30)", "Critical: life in danger", "Facts without names, contacts or photos",
		`<input type="hidden" name="code" value="`+knownCode+`">`, `action="/case/`+knownToken+`/add?lang=en"`,
		`enctype="multipart/form-data"`, `name="msg_text"`, `name="demand_payment"`, `name="subject_accounts"`, `name="info"`, `name="file"`),
		caseworkerOnly)
	for _, l := range linkAttrs.FindAllStringSubmatch(body, -1) {
		if strings.Contains(l[1], knownCode) {
			t.Errorf("the code is in an address: %s", l[1])
		}
	}
	checkPageRules(t, "follow", body)
	zh := post(h, "/case/"+knownToken+"?lang=zh-Hans", nil, "code="+knownCode)
	checkBody(t, zh.Body.String(), []string{"状态：正在营救", "被迫从事犯罪（被迫诈骗）", "扣押证件", "本人", "紧急：生命危险"}, nil)

	neutral := post(h, "/case/"+knownToken, nil, "code=0000-0000")
	if neutral.Code != http.StatusNotFound {
		t.Errorf("wrong code: status %d, want 404", neutral.Code)
	}
	checkPrivate(t, "wrong code", neutral)
	checkBody(t, neutral.Body.String(), []string{"Vigil does not recognise this link or code."}, append(caseData, caseworkerOnly...))
	for _, token := range []string{"AAAAAAAAAAAAAAAA", "tok..bad token"} {
		escaped := url.PathEscape(token)
		other := post(h, "/case/"+escaped, nil, "code="+knownCode)
		if other.Code != neutral.Code || strings.ReplaceAll(other.Body.String(), escaped, knownToken) != neutral.Body.String() {
			t.Errorf("token %q: the page differs from that of a wrong code: status %d\n%s", token, other.Code, other.Body)
		}
	}
	if _, _, gets := fc.counts(); gets != 4 {
		t.Errorf("Cases was asked %d times, want 4 (not for the malformed token)", gets)
	}
	empty := post(h, "/case/"+knownToken, nil, "code=+")
	if empty.Code != http.StatusBadRequest {
		t.Errorf("no code: status %d, want 400", empty.Code)
	}
	checkBody(t, empty.Body.String(), []string{"Enter your code."}, nil)
}

// TestFollowCaseErrors: throttling and failures of Cases.
func TestFollowCaseErrors(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		status     int
		retryAfter string
		want       []string
	}{
		{"rate limited", ErrRateLimited, 429, "60", []string{"Too many tries in a short time. Please wait a minute"}},
		{"throttled", fmt.Errorf("api: %w", &ThrottledError{RetryAfter: 14*time.Minute + time.Second}), 429, "841",
			[]string{"Please wait 15 minutes"}},
		{"failure", errors.New("store down"), 500, "", []string{"Something went wrong"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := newFakeCases()
			fc.getErr = tt.err
			rec := post(newCaseHandler(t, fc, nil), "/case/"+knownToken, nil, "code="+knownCode)
			if rec.Code != tt.status || rec.Header().Get("Retry-After") != tt.retryAfter {
				t.Errorf("status %d, Retry-After %q; want %d, %q", rec.Code, rec.Header().Get("Retry-After"), tt.status, tt.retryAfter)
			}
			checkPrivate(t, tt.name, rec)
			checkBody(t, rec.Body.String(), tt.want, []string{"store down"})
		})
	}
}

// addForm is an addition filled in everywhere.
func addForm() url.Values {
	return url.Values{"code": {knownCode},
		"msg_at": {"2026-04-02T21:15"}, "msg_channel": {"telegram"}, "msg_from": {"@kk_finance"},
		"msg_from_role": {"ransom_intermediary"}, "msg_text": {"Pay 200000 more\r\nor he is sold on"},
		"demand_amount": {"200000"}, "demand_currency": {"CNY"}, "demand_deadline": {"2026-04-05"},
		"demand_intermediaries": {"@kk_finance"}, "demand_payment": {"6222 0212 3456 7890 123"},
		"subject_accounts": {"+95 9 987 654 321"}, "place": {"Shwe Kokko"}, "place_date": {"2026-04-01"},
		"info": {"He was moved at night."}}
}

// TestAddToCase: an addition reaches Cases as the family wrote it, with
// its file, and the page shows the case again with what was added.
func TestAddToCase(t *testing.T) {
	fc := newFakeCases()
	h := newCaseHandler(t, fc, nil)
	rec := postFiles(h, "/case/"+knownToken+"/add", nil, addForm(), "screenshot.png", []byte("png bytes"))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d; body %s", rec.Code, rec.Body)
	}
	day := func(d int) *time.Time { t := time.Date(2026, 4, d, 0, 0, 0, 0, time.UTC); return &t }
	want := []fakeAddition{{token: knownToken, fileName: "screenshot.png", file: []byte("png bytes"), add: report.CaseAddition{
		ContactLog: []report.ContactEntry{{At: time.Date(2026, 4, 2, 21, 15, 0, 0, time.UTC), Channel: "telegram",
			From: "@kk_finance", FromRole: report.RoleRansomIntermediary, Text: "Pay 200000 more\nor he is sold on"}},
		Demands: []report.Demand{{Amount: &report.Money{Amount: "200000", Currency: "CNY"}, Deadline: day(5),
			Intermediaries: []string{"@kk_finance"}, Payment: []string{"6222 0212 3456 7890 123"}}},
		Accounts: []string{"+95 9 987 654 321"},
		Journey:  []report.Stop{{Place: "Shwe Kokko", Type: "last_known", Date: day(1)}},
		Info:     "He was moved at night."}}}
	if diff := cmp.Diff(want, fc.adds, cmp.AllowUnexported(fakeAddition{})); diff != "" {
		t.Errorf("addition (-want +got):\n%s", diff)
	}
	checkPrivate(t, "added", rec)
	checkBody(t, rec.Body.String(), []string{"Added to the case.", "Pay 200000 more\nor he is sold on", "2026-04-02 21:15",
		"Someone asking for money", "200000 CNY", "Shwe Kokko", "He was moved at night.", "李明",
		`<input type="hidden" name="code" value="` + knownCode + `">`}, caseworkerOnly)
	// The form is empty again.
	checkBody(t, rec.Body.String(), nil, []string{`value="@kk_finance"`})

	// A file alone is an addition; a plain form is taken too.
	if rec := postFiles(h, "/case/"+knownToken+"/add", nil, url.Values{"code": {knownCode}}, "voice.m4a", []byte("m4a")); rec.Code != 200 {
		t.Errorf("a file alone: status %d", rec.Code)
	}
	if rec := post(h, "/case/"+knownToken+"/add", nil, "code="+knownCode+"&info=more"); rec.Code != 200 {
		t.Errorf("a plain form: status %d", rec.Code)
	}
	if len(fc.adds) != 3 || fc.adds[1].fileName != "voice.m4a" || !fc.adds[1].add.Empty() || fc.adds[2].add.Info != "more" {
		t.Errorf("additions: %+v", fc.adds)
	}
}

// TestAddProblems: an addition with problems comes back kept, each
// problem by its input, and nothing is added; a wrong code adds nothing.
func TestAddProblems(t *testing.T) {
	with := func(kv ...string) url.Values {
		v := addForm()
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	tests := []struct {
		name    string
		form    url.Values
		addErr  error
		status  int
		want    []string
		mustNot []string
	}{
		{"bad currency", with("demand_currency", "RMB!"), nil, 400,
			[]string{`id="demand_amount-error"`, `unknown currency "RMB!"`, `value="RMB!"`, "Pay 200000 more", "李明"}, nil},
		{"bad date", with("msg_at", "yesterday"), nil, 400, []string{`id="msg_at-error"`, `value="yesterday"`}, nil},
		{"bad place date", with("place_date", "1800-01-01"), nil, 400, []string{`id="place_date-error"`, "is not a plausible date"}, nil},
		{"nothing to add", url.Values{"code": {knownCode}, "msg_from_role": {"recruiter"}}, nil, 400,
			[]string{"Fill in at least one thing to add.", "李明"}, nil},
		{"refused by the server", addForm(), &report.ValidationError{Fields: []report.FieldError{
			{Pointer: "/accounts/0", Detail: "is not a readable account"}, {Pointer: "/contact_log/0/from", Detail: "is too long"}}}, 400,
			[]string{`id="subject_accounts-error"`, "is not a readable account", `id="msg_from-error"`, "+95 9 987 654 321"}, nil},
		{"rate limited", addForm(), fmt.Errorf("api: %w", ErrRateLimited), 429,
			[]string{"Please wait a minute", "Pay 200000 more"}, []string{"李明"}},
		{"wrong code", with("code", "1111-2222"), nil, 404, []string{"Vigil does not recognise this link or code."}, caseData},
		{"no code", with("code", ""), nil, 404, []string{"Vigil does not recognise this link or code."}, caseData},
		{"failure", addForm(), errors.New("disk full"), 500, []string{"Something went wrong"}, []string{"disk full"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := newFakeCases()
			fc.addErr = tt.addErr
			rec := postFiles(newCaseHandler(t, fc, nil), "/case/"+knownToken+"/add", nil, tt.form, "", nil)
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			if _, adds, _ := fc.counts(); adds != 0 {
				t.Errorf("%d added", adds)
			}
			checkPrivate(t, tt.name, rec)
			checkBody(t, rec.Body.String(), tt.want, append(tt.mustNot, caseworkerOnly...))
		})
	}
}

// TestCaseNotFound: other addresses under /case/ are not found, and
// private: they may hold a token.
func TestCaseNotFound(t *testing.T) {
	h := newCaseHandler(t, newFakeCases(), nil)
	for _, path := range []string{"/case/", "/case/" + knownToken + "/add", "/case/" + knownToken + "/evidence/e-1"} {
		rec := do(h, "GET", path, nil, "")
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, rec.Code)
		}
		checkPrivate(t, path, rec)
	}
}

// TestCaseLogs: a failure on a case page is logged without the address,
// which holds the token.
func TestCaseLogs(t *testing.T) {
	fc := newFakeCases()
	fc.getErr = errors.New("store down")
	var logs strings.Builder
	h := newHandler(Config{Submit: &fakeSubmitter{}, Cases: fc, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	post(h, "/case/"+knownToken, nil, "code="+knownCode)
	if !strings.Contains(logs.String(), "store down") || strings.Contains(logs.String(), knownToken) {
		t.Errorf("log: %s", logs.String())
	}
}

// TestCaseEscaping: markup in any input, and in any part of a case, is
// shown as text.
func TestCaseEscaping(t *testing.T) {
	for _, payload := range []string{`<script>alert(1)</script>`, `"><script>alert(1)</script>`, `'><img src=x onerror=alert(1)>`} {
		fc := newFakeCases()
		c := fc.cases[knownToken]
		c.Subject = report.Person{Names: []string{payload}, Aliases: []string{payload}, Sex: payload, Nationality: []string{payload},
			Description: payload, Accounts: []string{payload}}
		c.Status, c.Urgency, c.Consent = payload, payload, payload
		c.Reporter = report.CaseReporter{Name: payload, Relationship: payload, Contact: payload, Language: payload}
		c.Recruitment = report.Recruitment{Method: payload, Lure: payload, Channel: payload, Place: payload, Recruiters: []string{payload}}
		c.Journey = []report.Stop{{Place: payload, Type: payload, Note: payload}}
		c.Exploitation = report.Exploitation{Types: []string{payload}, Controls: []string{payload}, Detail: payload}
		c.ContactLog = []report.ContactEntry{{Channel: payload, From: payload, FromRole: payload, Text: payload}}
		c.Demands = []report.Demand{{Amount: &report.Money{Amount: payload, Currency: payload}, Intermediaries: []string{payload},
			Payment: []string{payload}, Note: payload}}
		c.Notes = []report.Note{{Author: "family", Text: payload}}
		c.Evidence = []report.EvidenceRef{{Name: payload, ContentType: payload}}
		h := newCaseHandler(t, fc, nil)
		every := url.Values{"code": {knownCode}}
		for _, name := range append(newCaseInputs, addInputs...) {
			every.Set(name, payload)
		}
		e := url.QueryEscape(payload)
		pages := map[string]string{
			"new form":      postFiles(h, "/cases/new?lang="+e, nil, every, "", nil).Body.String(),
			"new form file": postFiles(h, "/cases/new", nil, url.Values{"subject_names": {"x"}}, payload, []byte("x")).Body.String(),
			"code page":     do(h, "GET", "/case/"+url.PathEscape(payload)+"?lang="+e, nil, "").Body.String(),
			"follow":        post(h, "/case/"+knownToken, nil, "code="+knownCode).Body.String(),
			"add":           postFiles(h, "/case/"+knownToken+"/add", nil, every, payload, []byte("x")).Body.String(),
			"wrong code":    post(h, "/case/"+url.PathEscape(payload), nil, "code="+e).Body.String(),
		}
		for name, body := range pages {
			if strings.Contains(body, "<script") || strings.Contains(body, "<img") {
				t.Errorf("%s: markup from the request is on the page:\n%s", name, body)
			}
		}
		if !strings.Contains(pages["follow"], "&lt;") {
			t.Errorf("follow: the payload is not shown:\n%s", pages["follow"])
		}
	}
}

// TestCaseLinks: the home page and the navigation lead to the form when
// the server files cases, and nothing does when it does not.
func TestCaseLinks(t *testing.T) {
	with := do(newCaseHandler(t, newFakeCases(), nil), "GET", "/?lang=zh-Hans", nil, "")
	checkBody(t, with.Body.String(), []string{`<a href="/cases/new?lang=zh-Hans">报告失踪亲人</a>`, "亲人失踪或被扣押？"}, nil)
	without := newTestHandler(t, &fakeSubmitter{}, nil)
	checkBody(t, do(without, "GET", "/", nil, "").Body.String(), nil, []string{"/cases/new"})
	for _, path := range []string{"/cases/new", "/case/" + knownToken} {
		if rec := do(without, "GET", path, nil, ""); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s without Cases: status %d, want 404", path, rec.Code)
		}
	}
}

// TestCaseTooLarge: a file over the limit is a problem of the file input
// when the form could be read, and a page of its own when it could not;
// nothing is filed either way.
func TestCaseTooLarge(t *testing.T) {
	fc := newFakeCases()
	h := newCaseHandler(t, fc, nil)
	rec := postFiles(h, "/cases/new", nil, completeCase(), "big.jpg", make([]byte, maxMedia+1))
	if rec.Code != http.StatusBadRequest {
		t.Errorf("file over the limit: status %d, want 400", rec.Code)
	}
	checkBody(t, rec.Body.String(), []string{`id="file-error"`, "Vigil cannot take this file.", `value="KK Park"`}, nil)
	rec = postFiles(h, "/case/"+knownToken+"/add", nil, url.Values{"code": {knownCode}}, "big.mp4", make([]byte, maxCaseBody))
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("body over the limit: status %d, want 413", rec.Code)
	}
	checkPrivate(t, "too large", rec)
	checkBody(t, rec.Body.String(), []string{"Too large to send", "at most 20 MB"}, nil)
	if filed, adds, _ := fc.counts(); filed+adds != 0 {
		t.Errorf("%d filed, %d added", filed, adds)
	}
}

// TestCaseInputAt: every pointer the validator names lands on its input.
func TestCaseInputAt(t *testing.T) {
	journey := []string{"journey_transit", "journey_transit", "last_place"}
	tests := []struct{ pointer, name, key string }{
		{"/subject/names", "subject_names", "case_err_names"},
		{"/subject/names/3", "subject_names", "case_err_names"},
		{"/subject/nationality/1", "subject_nationality", "case_err_nationality"},
		{"/subject/accounts/0", "subject_accounts", "case_err_lines"},
		{"/accounts/2", "subject_accounts", "case_err_lines"},
		{"/demands/0/payment/0", "demand_payment", "case_err_lines"},
		{"/demands/7/amount", "demand_amount", "case_err_amount"},
		{"/contact_log/12/text", "msg_text", "case_err_text"},
		{"/journey/1/place", "journey_transit", "case_err_lines"},
		{"/journey/2/place", "last_place", "case_err_place"},
		{"/journey/2/date", "last_date", "case_err_date"},
		{"/journey/9/date", "last_date", "case_err_date"},
		{"/exploitation/controls/0", "exploitation_controls", "case_err_choose"},
		{"/notes/4/text", "info", "case_err_text"},
		{"/file", "file", "case_err_file"},
		{"/subject/photo", "", ""},
		{"/journey/0/note", "", ""},
		{"", "", ""},
		{"subject/names", "", ""},
		{"/", "", ""},
	}
	for _, tt := range tests {
		name, key, ok := caseInputAt(tt.pointer, journey)
		if name != tt.name || key != tt.key || ok != (tt.name != "") {
			t.Errorf("caseInputAt(%q) = %q, %q, %v; want %q, %q", tt.pointer, name, key, ok, tt.name, tt.key)
		}
		if ok && catalogue[english][key] == "" {
			t.Errorf("%s: no message %s", tt.pointer, key)
		}
	}
	// The add form's place.
	if name, _, _ := caseInputAt("/journey/5/date", []string{"place"}); name != "place_date" {
		t.Errorf("/journey/5/date on the add form: %q, want place_date", name)
	}
	// Every input has a label in both languages.
	for _, name := range append(newCaseInputs, addInputs...) {
		for _, lang := range []string{english, chinese} {
			if catalogue[lang]["f_"+name] == "" {
				t.Errorf("%s: no label in %s", name, lang)
			}
		}
	}
}

// FuzzCaseForm: no body makes the form for a new case answer 5xx or
// panic, and a case filed from it is valid.
func FuzzCaseForm(f *testing.F) {
	for _, s := range []string{completeCase().Encode(), "", "subject_names=x", "subject_names=%zz", "subject_age=-1&subject_names=x",
		"subject_names=x&demand_amount=1e999999&demand_currency=BTC", "subject_names=%00", "subject_names=%ff%fe",
		"subject_names=x&exploitation_types=forced_labour&exploitation_types=bogus&exploitation_types=",
		"subject_names=x&last_date=0001-01-01&msg_at=9999-12-31T23:59", "subject_nationality=%EF%BC%8C%E3%80%81&subject_names=x",
		"subject_accounts=" + strings.Repeat("a%0A", 60) + "&subject_names=x", "a=b&a=c&&&==&subject_names=y"} {
		f.Add(s)
	}
	fc := newFakeCases()
	h := newCaseHandler(f, fc, nil)
	f.Fuzz(func(t *testing.T, body string) {
		rec := post(h, "/cases/new", nil, body)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		io.Copy(io.Discard, rec.Body)
		fc.mu.Lock()
		defer fc.mu.Unlock()
		for _, c := range fc.filed {
			if err := c.Validate(); err != nil {
				t.Fatalf("filed an invalid case from %q: %v", body, err)
			}
		}
		fc.filed = fc.filed[:0]
	})
}

// FuzzCaseAddForm: no body makes the form that adds to a case answer 5xx
// or panic.
func FuzzCaseAddForm(f *testing.F) {
	for _, s := range []string{addForm().Encode(), "", "code=" + knownCode, "code=" + knownCode + "&info=%00",
		"code=" + knownCode + "&demand_amount=x", "code=x&info=y", "code=" + knownCode + "&place_date=2026-99-99&place=p",
		"code=" + knownCode + "&msg_at=2026-01-01T25:61", "code=" + knownCode + "&code=other&info=z"} {
		f.Add(s)
	}
	h := newCaseHandler(f, newFakeCases(), nil)
	f.Fuzz(func(t *testing.T, body string) {
		rec := post(h, "/case/"+knownToken+"/add", nil, body)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
	})
}
