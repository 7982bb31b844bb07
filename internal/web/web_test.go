package web

import (
	"context"
	"encoding/base64"
	"fmt"
	"html"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"vigil/internal/extract"
	"vigil/internal/indicator"
	"vigil/internal/lookup"
	"vigil/internal/report"
	"vigil/internal/store"
)

// knownPhone is the one value the fake store knows.
var knownPhone = store.Key{Kind: indicator.Phone, Value: "+8613800138000"}

var (
	firstSeen = time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	lastSeen  = time.Date(2026, 3, 10, 23, 30, 0, 0, time.UTC)
)

// fakeStore knows knownPhone and nothing else.
type fakeStore struct{}

func (fakeStore) Lookup(ctx context.Context, v store.Viewer, keys []store.Key) ([]store.IndicatorInfo, error) {
	out := make([]store.IndicatorInfo, len(keys))
	for i, k := range keys {
		out[i].Key = k
		if k == knownPhone {
			out[i] = store.IndicatorInfo{Key: k, Known: true, Reports: 7, Reporters: 4,
				Sources: []string{"anti-fraud-feed"}, FirstSeen: firstSeen, LastSeen: lastSeen,
				ScamTypes: []string{"investment", "task"}, NetworkID: "n-1", Network: 12}
		}
	}
	return out, nil
}

// fakeSubmitter records what it is given and answers err.
type fakeSubmitter struct {
	mu       sync.Mutex
	err      error
	reports  []*report.Report
	clients  []string
	sessions []string
}

func (f *fakeSubmitter) SubmitReport(ctx context.Context, r *report.Report, client, session string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return "", f.err
	}
	f.reports = append(f.reports, r)
	f.clients = append(f.clients, client)
	f.sessions = append(f.sessions, session)
	return fmt.Sprintf("r-%d", len(f.reports)), nil
}

func (f *fakeSubmitter) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.reports)
}

// extractor is built once: it is safe for concurrent use.
var extractor = sync.OnceValue(func() *extract.Extractor { return extract.New(extract.Options{}) })

func newTestHandler(t testing.TB, sub Submitter, log *slog.Logger) http.Handler {
	t.Helper()
	return newHandler(Config{Submit: sub, Log: log})
}

// newHandler is New over the fake store, keyed with testKey unless cfg
// says otherwise.
func newHandler(cfg Config) http.Handler {
	cfg.Lookup = &lookup.Service{X: extractor(), Store: fakeStore{}, Now: func() time.Time { return lastSeen }}
	if cfg.CSRFKey == nil {
		cfg.CSRFKey = testKey
	}
	return New(cfg)
}

// testKey keys the CSRF tokens of the test handlers; testCookie is a CSRF
// cookie and testToken its token, as a page of the site gives them.
var (
	testKey    = []byte("a CSRF key for the tests only...")
	testCookie = base64.RawURLEncoding.EncodeToString([]byte("thirty-two bytes of cookie value"))
	testToken  = csrfToken(testKey, testCookie)
)

// do sends one request; the body of a POST is form-encoded.
func do(h http.Handler, method, target string, header map[string]string, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// post sends a form as a page of the site does: with the CSRF cookie (and
// the cookies of header), and the token first in the body.
func post(h http.Handler, target string, header map[string]string, body string) *httptest.ResponseRecorder {
	hd := map[string]string{}
	maps.Copy(hd, header)
	hd["Cookie"] = strings.TrimPrefix(hd["Cookie"]+"; "+csrfCookie+"="+testCookie, "; ")
	return do(h, http.MethodPost, target, hd, csrfField+"="+testToken+"&"+body)
}

// checkBody reports each want missing from the page's text (entities
// decoded) and each mustNot found in its raw bytes.
func checkBody(t *testing.T, body string, want, mustNot []string) {
	t.Helper()
	text := html.UnescapeString(body)
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	for _, m := range mustNot {
		if strings.Contains(body, m) {
			t.Errorf("page contains %q", m)
		}
	}
	if t.Failed() {
		t.Logf("page:\n%s", body)
	}
}

// TestPages is the scenario table of the pages that read nothing: method,
// path, headers, the status wanted, text that must be on the page and text
// that must not.
func TestPages(t *testing.T) {
	h := newTestHandler(t, &fakeSubmitter{}, nil)
	known := "/check?q=" + url.QueryEscape("+86 138 0013 8000")
	tests := []struct {
		name, method, path string
		header             map[string]string
		status             int
		want, mustNot      []string
	}{
		{"home", "GET", "/", nil, 200,
			[]string{`<html lang="en">`, "<title>Check before you act – Vigil</title>", "Vigil helps you check",
				`href="/static/style.css"`, `<label for="q">`, `href="/report?lang=en"`, `href="/?lang=zh-Hans"`,
				"Reports are anonymous: Vigil never shows who reported."}, []string{"<script", "style="}},
		{"home in Chinese by lang", "GET", "/?lang=zh-Hans", nil, 200,
			[]string{`<html lang="zh-Hans">`, "行动前，先查询", `href="/report?lang=zh-Hans"`, `href="/?lang=en"`,
				`<input type="hidden" name="lang" value="zh-Hans">`, "举报是匿名的"}, nil},
		{"home in Chinese by Accept-Language", "GET", "/", map[string]string{"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}, 200,
			[]string{`<html lang="zh-Hans">`, "行动前，先查询", `href="/report?lang=zh-Hans"`}, nil},
		{"lang wins over Accept-Language", "GET", "/?lang=en", map[string]string{"Accept-Language": "zh-CN"}, 200,
			[]string{`<html lang="en">`, "Check before you act"}, nil},
		{"known value", "GET", known, nil, 200,
			[]string{"Reported to Vigil as used in scams", "<dt>Kind</dt><dd>Phone number</dd>", "<code>+8613800138000</code>",
				"<dt>Reports</dt><dd>7</dd>", "<dt>Different reporters</dt><dd>4</dd>", "2026-01-05", "2026-03-10",
				"Investment or crypto scam (pig-butchering)", "Task or order-brushing scam",
				"<dd>12</dd>", "High (97%)", "anti-fraud-feed", `value="+86 138 0013 8000"`,
				`href="/check?lang=zh-Hans&q=%2B86+138+0013+8000"`}, nil},
		{"known value in Chinese", "GET", known + "&lang=zh-Hans", nil, 200,
			[]string{`<html lang="zh-Hans">`, "已有人向 Vigil 举报", "<dt>类型</dt><dd>电话号码</dd>", "<dt>举报次数</dt><dd>7</dd>",
				"投资理财、虚拟币诈骗（杀猪盘）", "刷单返利诈骗", "高（97%）"}, []string{"Investment or crypto scam"}},
		{"known value with its kind", "GET", known + "&kind=phone", nil, 200, []string{"<dt>Reports</dt><dd>7</dd>"}, nil},
		{"official number", "GET", "/check?q=" + url.QueryEscape("call 110"), nil, 200,
			[]string{"An official number or on a known-good list", "<dt>Known as</dt>"}, []string{"<dt>Reports</dt>"}},
		{"unknown value", "GET", "/check?q=" + url.QueryEscape("https://evil-shop.com/pay"), nil, 200,
			[]string{"Not reported to Vigil", "That does not make it safe", "<dd>Link</dd>"}, []string{"<dt>Reports</dt>"}},
		{"unknown value in Chinese", "GET", "/check?lang=zh-Hans&q=" + url.QueryEscape("https://evil-shop.com/pay"), nil, 200,
			[]string{"尚无人向 Vigil 举报"}, nil},
		{"empty value", "GET", "/check?q=+", nil, 400,
			[]string{"Enter a phone number, link, wallet or account to check.", `aria-invalid="true"`}, []string{"Check result"}},
		{"unreadable value", "GET", "/check?q=" + url.QueryEscape("!!! ???"), nil, 400,
			[]string{"Vigil cannot read this", `value="!!! ???"`, `id="q-error"`}, []string{"Check result"}},
		{"unreadable value in Chinese", "GET", "/check?lang=zh-Hans&q=" + url.QueryEscape("!!!"), nil, 400,
			[]string{"Vigil 无法将其识别为"}, nil},
		{"unknown kind", "GET", "/check?q=abc&kind=fax", nil, 400, []string{"Choose a kind from the list."}, nil},
		{"wrong kind", "GET", "/check?q=abc&kind=btc", nil, 400, []string{"Vigil cannot read this"}, nil},
		{"report form", "GET", "/report", nil, 200,
			[]string{"<h1>Report a scam</h1>", `<form class="report" method="post" action="/report?lang=en">`,
				`<option value="investment">Investment or crypto scam (pig-butchering)</option>`, `<option value="wechat">WeChat</option>`,
				`<textarea id="narrative"`, `name="loss_amount"`, `name="loss_currency"`, `type="date"`, `name="victim_country"`,
				`name="value5"`, `<option value="payment">Where money was to be paid</option>`, `<button type="submit">Send report</button>`},
			[]string{`name="value6"`}},
		{"report form in Chinese", "GET", "/report?lang=zh-Hans", nil, 200,
			[]string{`<html lang="zh-Hans">`, "网恋交友诈骗", "收款账户", "提交举报", `action="/report?lang=zh-Hans"`}, nil},
		{"thanks", "GET", "/report/thanks?id=r-42&lang=zh-Hans", nil, 200, []string{"感谢您的举报", "举报编号", "<code>r-42</code>"}, nil},
		{"thanks shows only an ID", "GET", "/report/thanks?id=" + url.QueryEscape("Pay 100 USDT to TBhCf to unlock"), nil, 200,
			[]string{"Thank you"}, []string{"Report ID", "<code>"}},
		{"not found", "GET", "/nope", nil, 404, []string{"Page not found", `href="/?lang=zh-Hans"`}, nil},
		{"wrong method", "POST", "/check", nil, 405, []string{"Not allowed"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(h, tt.method, tt.path, tt.header, "")
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			checkBody(t, rec.Body.String(), tt.want, tt.mustNot)
		})
	}
}

func TestLanguage(t *testing.T) {
	h := newTestHandler(t, &fakeSubmitter{}, nil)
	tests := []struct{ query, accept, want string }{
		{"", "", "en"},
		{"", "zh", "zh-Hans"},
		{"", "zh-CN", "zh-Hans"},
		{"", "zh-Hans", "zh-Hans"},
		{"", "zh-SG", "zh-Hans"},
		// Traditional Chinese reads Simplified more easily than English.
		{"", "zh-TW", "zh-Hans"},
		{"", "zh-Hans-CN;q=0.9, en;q=0.5", "zh-Hans"},
		{"", "fr, zh-CN;q=0.8", "zh-Hans"},
		{"", "en-GB", "en"},
		{"", "th", "en"},
		{"", "not a tag;;;", "en"},
		{"zh-hans", "", "zh-Hans"},
		{"en", "zh-CN", "en"},
		{"klingon", "zh-CN", "zh-Hans"},
	}
	for _, tt := range tests {
		rec := do(h, "GET", "/?lang="+url.QueryEscape(tt.query), map[string]string{"Accept-Language": tt.accept}, "")
		if want := `<html lang="` + tt.want + `">`; !strings.Contains(rec.Body.String(), want) {
			t.Errorf("lang=%q Accept-Language %q: want %s", tt.query, tt.accept, want)
		}
	}
}

// TestEscaping: markup in any input is shown as text, never run.
func TestEscaping(t *testing.T) {
	h := newTestHandler(t, &fakeSubmitter{}, nil)
	for _, payload := range []string{`<script>alert(1)</script>`, `"><script>alert(1)</script>`, `'><img src=x onerror=alert(1)>`} {
		e := url.QueryEscape(payload)
		form := url.Values{"narrative": {payload}, "value1": {payload}, "role1": {payload}, "scam_type": {payload},
			"loss_amount": {payload}, "loss_currency": {payload}, "victim_country": {payload}, "occurred_at": {payload}}.Encode()
		requests := []struct{ method, path, body string }{
			{"GET", "/check?q=" + e, ""},
			{"GET", "/check?q=" + e + "&lang=zh-Hans", ""},
			{"GET", "/check?q=x&kind=" + e, ""},
			{"GET", "/?lang=" + e, ""},
			{"GET", "/report/thanks?id=" + e, ""},
			{"GET", "/nope?q=" + e, ""},
			{"POST", "/report?lang=" + e, form},
		}
		for _, r := range requests {
			rec := do(h, r.method, r.path, nil, r.body)
			if r.method == http.MethodPost {
				rec = post(h, r.path, nil, r.body)
			}
			body := rec.Body.String()
			if strings.Contains(body, "<script") || strings.Contains(body, "<img") {
				t.Errorf("%s %s: markup from the request is on the page:\n%s", r.method, r.path, body)
			}
		}
	}
}

// TestPageRules: every input of every page has a label, for screen
// readers; and no page needs what the Content-Security-Policy forbids
// (inline styles or scripts, anything from another origin), signed in or
// not.
func TestPageRules(t *testing.T) {
	h := newHandler(Config{Submit: &fakeSubmitter{}, Accounts: newFakeAccounts()})
	pages := []struct{ method, path, body string }{
		{"GET", "/", ""}, {"GET", "/?lang=zh-Hans", ""}, {"GET", "/check?q=%2B8613800138000", ""}, {"GET", "/check?q=", ""},
		{"GET", "/report", ""}, {"GET", "/report?lang=zh-Hans", ""}, {"POST", "/report", "loss_amount=x&value2=y&role2=z"},
		{"GET", "/report/thanks?id=r-1", ""}, {"GET", "/nope", ""}, {"GET", "/screen", ""}, {"POST", "/screen", "text=hello"},
		{"GET", "/login", ""}, {"POST", "/login", "login=alice&password=wrong"},
	}
	for _, pg := range pages {
		// Each page as the public sees it, and with the header of a
		// signed-in person and its sign-out form.
		for _, cookie := range []string{"", SessionCookie + "=tok-a"} {
			path := pg.method + " " + pg.path + " " + cookie
			header := map[string]string{"Cookie": cookie}
			rec := do(h, pg.method, pg.path, header, pg.body)
			if pg.method == http.MethodPost {
				rec = post(h, pg.path, header, pg.body)
			}
			if rec.Code == http.StatusForbidden || rec.Code >= 500 {
				t.Errorf("%s: status %d", path, rec.Code)
			}
			checkPageRules(t, path, rec.Body.String())
		}
	}
}

var (
	inputTags  = regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`)
	idAttrs    = regexp.MustCompile(`\bid="([^"]+)"`)
	inlineCode = regexp.MustCompile(`(?i)<script|<style|\sstyle=|\son[a-z]+=|javascript:`)
	linkAttrs  = regexp.MustCompile(`\s(?:href|src|action)="([^"]*)"`)
)

// checkPageRules reports what on a page the Content-Security-Policy
// forbids, links and forms that leave the site, and inputs without a
// label.
func checkPageRules(t *testing.T, path, body string) {
	t.Helper()
	if m := inlineCode.FindString(body); m != "" {
		t.Errorf("%s: %q is forbidden by the Content-Security-Policy", path, m)
	}
	for _, l := range linkAttrs.FindAllStringSubmatch(body, -1) {
		if !strings.HasPrefix(l[1], "/") && !strings.HasPrefix(l[1], "#") || strings.HasPrefix(l[1], "//") {
			t.Errorf("%s: link %q leaves the site", path, l[1])
		}
	}
	for _, tag := range inputTags.FindAllString(body, -1) {
		if strings.Contains(tag, `type="hidden"`) {
			continue
		}
		m := idAttrs.FindStringSubmatch(tag)
		if m == nil {
			t.Errorf("%s: %s has no id", path, tag)
			continue
		}
		if !strings.Contains(body, `<label for="`+m[1]+`">`) {
			t.Errorf("%s: %s has no label", path, tag)
		}
	}
}

func TestStyle(t *testing.T) {
	h := newTestHandler(t, &fakeSubmitter{}, nil)
	rec := do(h, "GET", "/static/style.css", nil, "")
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") || !strings.Contains(rec.Body.String(), "system-ui") {
		t.Errorf("status %d, Content-Type %q, body %.80q", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
}

// TestCatalogue: both languages have every string, with the same verbs.
func TestCatalogue(t *testing.T) {
	keys := func(m map[string]string) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	if diff := cmp.Diff(keys(catalogue[english]), keys(catalogue[chinese])); diff != "" {
		t.Errorf("keys differ (-en +zh-Hans):\n%s", diff)
	}
	verbs := regexp.MustCompile(`%[^a-z%]*[a-z%]`)
	for k, en := range catalogue[english] {
		zh := catalogue[chinese][k]
		if strings.TrimSpace(en) == "" || strings.TrimSpace(zh) == "" {
			t.Errorf("%s is empty", k)
		}
		if diff := cmp.Diff(verbs.FindAllString(en, -1), verbs.FindAllString(zh, -1)); diff != "" {
			t.Errorf("%s: verbs differ (-en +zh-Hans):\n%s", k, diff)
		}
	}
	for _, k := range indicator.Kinds {
		if _, ok := catalogue[english]["kind_"+string(k)]; !ok {
			t.Errorf("kind %s has no name", k)
		}
	}
	for _, l := range []string{report.LevelNone, report.LevelUnverified, report.LevelLow, report.LevelMedium, report.LevelHigh} {
		if _, ok := catalogue[english]["level_"+l]; !ok {
			t.Errorf("level %s has no name", l)
		}
	}
}
