package api

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

type client struct {
	t     *testing.T
	base  string
	token string
	// from is the loopback address requests come from ("" the default,
	// 127.0.0.1): another /24 is another network, an independent reporter.
	from string
}

// fromAddr returns an HTTP client whose connections come from ip.
func fromAddr(ip string) *http.Client {
	if ip == "" {
		return http.DefaultClient
	}
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
}

// request builds a request; headers are name, value pairs.
func (c client) request(method, path, body string, headers []string) *http.Request {
	c.t.Helper()
	var r io.Reader = http.NoBody
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return req
}

// do sends a request and returns the status, headers and body.
func (c client) do(method, path, body string, headers ...string) (int, http.Header, string) {
	c.t.Helper()
	res, err := fromAddr(c.from).Do(c.request(method, path, body, headers))
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

func (c client) json(method, path, body string, want int, v any, headers ...string) http.Header {
	c.t.Helper()
	code, h, b := c.do(method, path, body, headers...)
	if code != want {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, code, want, b)
	}
	if v != nil {
		if err := json.Unmarshal([]byte(b), v); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return h
}

// TestReportsLookupsNetworks walks the service as its users do: reports
// come in, lookups count them, shared indicators form a network, and the
// path between two reports names what links them.
func TestReportsLookupsNetworks(t *testing.T) {
	srv := newServerWith(t, Config{ReportBurst: 100})
	anon := client{t: t, base: srv.URL}
	analyst := client{t: t, base: srv.URL, token: analystKey(t, srv), from: "127.0.1.1"}

	var r1, r2, r3 struct {
		ID         string
		NetworkID  string `json:"network_id"`
		Indicators []struct{ Kind, Value, Role string }
	}
	anon.json("POST", "/api/v1/reports", `{"kind":"scam","scam_type":"investment","channel":"telegram",
		"narrative":"她让我在平台充值 USDT，地址 TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp，我的电话 13900139000",
		"loss":{"amount":1200,"currency":"USD"},"victim_country":"CN",
		"indicators":[{"value":"@crypto_mentor_lisa","role":"scammer_contact"},{"value":"13900139000","kind":"phone","role":"victim_contact"}]}`, 201, &r1)
	analyst.json("POST", "/api/v1/reports", `{"tlp":"CLEAR","scam_type":"romance","narrative":"He asked me to send USDT to TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp",
		"loss":{"amount":"300.50","currency":"usd"},"indicators":[{"value":"wechat: lonely_heart88","role":"scammer_contact"}]}`, 201, &r2)
	anon.json("POST", "/api/v1/reports", `{"scam_type":"romance","narrative":"add my wechat lonely_heart88",
		"indicators":[{"value":"lonely_heart88","kind":"wechat"}]}`, 201, &r3)
	if r1.ID == "" || r1.NetworkID == "" || r1.NetworkID != r2.NetworkID || r2.NetworkID != r3.NetworkID {
		t.Fatalf("reports sharing a wallet and a WeChat ID form one network: %+v %+v %+v", r1, r2, r3)
	}
	for _, l := range r1.Indicators {
		if l.Role == "victim_contact" || strings.Contains(l.Value, "13900139000") {
			t.Errorf("the victim's own number is shown: %+v", l)
		}
	}

	// Lookups: anything as written.
	var a struct {
		Kind, Value string
		Known       bool
		Reports     int
		Reporters   int
		ScamTypes   []string `json:"scam_types"`
		Network     int      `json:"network_size"`
		Confidence  float64
		Level       string
	}
	anon.json("GET", "/api/v1/lookup?q="+urlq("TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"), "", 200, &a)
	if a.Kind != "trx" || !a.Known || a.Reports != 2 || a.Reporters != 2 || a.Network != 3 || a.Confidence < 0.7 || a.Level == "unverified" {
		t.Errorf("wallet lookup: %+v", a)
	}
	anon.json("GET", "/api/v1/lookup?q="+urlq("+86 139-0013-9000"), "", 200, &a)
	if a.Known || a.Reports != 0 {
		t.Errorf("the victim's own number is not a scam indicator: %+v", a)
	}
	anon.json("GET", "/api/v1/lookup?q="+urlq("@Crypto_Mentor_Lisa"), "", 200, &a)
	if a.Kind != "telegram" || a.Value != "crypto_mentor_lisa" || a.Reports != 1 || a.Level != "unverified" {
		t.Errorf("one reporter leaves a value unverified: %+v", a)
	}
	var batch struct {
		Results []struct {
			Kind, Value, Error string
			Known              bool
			Reports            int
		}
	}
	anon.json("POST", "/api/v1/lookup", `{"values":["lonely_heart88","TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp","not a thing at all !!"]}`, 200, &batch)
	if len(batch.Results) != 3 || batch.Results[0].Reports != 2 || batch.Results[1].Reports != 2 || batch.Results[2].Error == "" {
		t.Errorf("batch: %+v", batch)
	}

	// Networks and paths.
	var n struct {
		Size      int
		ScamTypes []string                            `json:"scam_types"`
		Loss      []struct{ Amount, Currency string } `json:"total_loss"`
		Reports   []struct{ ID string }
	}
	anon.json("GET", "/api/v1/networks/"+r1.NetworkID, "", 200, &n)
	if n.Size != 3 || len(n.Reports) != 3 || len(n.Loss) != 1 || n.Loss[0].Amount != "1500.5" || n.Loss[0].Currency != "USD" {
		t.Errorf("network: %+v", n)
	}
	var p struct {
		Path []struct {
			Report    string
			Indicator *struct{ Kind, Value string }
		}
	}
	anon.json("GET", "/api/v1/reports/"+r1.ID+"/path/"+r3.ID, "", 200, &p)
	if len(p.Path) != 5 || p.Path[0].Report != r1.ID || p.Path[1].Indicator == nil || p.Path[1].Indicator.Kind != "trx" ||
		p.Path[2].Report != r2.ID || p.Path[3].Indicator.Value != "lonely_heart88" || p.Path[4].Report != r3.ID {
		t.Errorf("path: %+v", p)
	}

	// Reading reports: the public sees no narrative and no victim contact.
	code, _, body := anon.do("GET", "/api/v1/reports/"+r1.ID, "")
	if code != 200 || strings.Contains(body, "平台充值") || strings.Contains(body, "13900139000") || !strings.Contains(body, `"redacted":true`) {
		t.Errorf("public read of a report: %d %s", code, body)
	}
	code, _, body = analyst.do("GET", "/api/v1/reports/"+r1.ID, "")
	if code != 200 || !strings.Contains(body, "平台充值") || strings.Contains(body, "reporter") {
		t.Errorf("analyst read of a report: %d %s", code, body)
	}
	var list struct {
		Reports []struct{ ID string }
		Next    string `json:"next_cursor"`
	}
	analyst.json("GET", "/api/v1/reports?q="+urlq("充值"), "", 200, &list)
	if len(list.Reports) != 1 || list.Reports[0].ID != r1.ID {
		t.Errorf("search 充值: %+v", list)
	}
	analyst.json("GET", "/api/v1/reports?type=romance&limit=1", "", 200, &list)
	if len(list.Reports) != 1 || list.Next == "" {
		t.Errorf("page of 1: %+v", list)
	}
	if code, _, _ := anon.do("GET", "/api/v1/reports?q=x", ""); code != 401 {
		t.Errorf("anonymous narrative search: %d, want 401", code)
	}
}

func urlq(s string) string {
	return strings.NewReplacer("+", "%2B", " ", "%20", "@", "%40", "#", "%23").Replace(s)
}

func TestIdempotencyKey(t *testing.T) {
	srv := newServerWith(t, Config{})
	c := client{t: t, base: srv.URL}
	body := `{"scam_type":"task","narrative":"刷单 加QQ 12345678"}`
	var a, b struct{ ID string }
	c.json("POST", "/api/v1/reports", body, 201, &a, "Idempotency-Key", "abc")
	h := c.json("POST", "/api/v1/reports", body, 201, &b, "Idempotency-Key", "abc")
	if a.ID != b.ID || h.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry with the same key: %s then %s (%v)", a.ID, b.ID, h)
	}
	code, _, _ := c.do("POST", "/api/v1/reports", `{"scam_type":"loan","narrative":"other"}`, "Idempotency-Key", "abc")
	if code != 409 {
		t.Errorf("same key, other body: %d, want 409", code)
	}
	var n struct{ Reports int }
	c.json("GET", "/api/v1/lookup?q=12345678&kind=qq", "", 200, &n)
	if n.Reports != 1 {
		t.Errorf("stored %d times", n.Reports)
	}
}

func TestRateLimit(t *testing.T) {
	srv := newServerWith(t, Config{ReportBurst: 2, ReportsPerHour: 1})
	c := client{t: t, base: srv.URL}
	for i := range 2 {
		c.json("POST", "/api/v1/reports", fmt.Sprintf(`{"narrative":"report %d"}`, i), 201, nil)
	}
	code, h, body := c.do("POST", "/api/v1/reports", `{"narrative":"one too many"}`)
	if code != 429 || h.Get("Retry-After") == "" || !strings.Contains(body, `"status":429`) {
		t.Errorf("third anonymous report: %d %v %s", code, h, body)
	}
	c.token = analystKey(t, srv)
	c.json("POST", "/api/v1/reports", `{"narrative":"the analyst is not limited"}`, 201, nil)
}

// TestBadReports: bad input gets a problem document and stores nothing.
func TestBadReports(t *testing.T) {
	srv := newServerWith(t, Config{MaxBody: 64 << 10, ReportBurst: 1000})
	c := client{t: t, base: srv.URL, token: analystKey(t, srv)}
	huge := `{"narrative":"` + strings.Repeat("x", 70<<10) + `"}`
	cases := []struct {
		name, body string
		status     int
		want       string
	}{
		{"malformed", `{"narrative":`, 400, ""},
		{"wrong type", `{"narrative":12}`, 400, `"/narrative"`},
		{"loss not a number", `{"narrative":"x","loss":{"amount":"12abc","currency":"USD"}}`, 400, ""},
		{"bad currency", `{"narrative":"x","loss":{"amount":5,"currency":"XXXX"}}`, 400, `"/loss"`},
		{"negative loss", `{"narrative":"x","loss":{"amount":-5,"currency":"USD"}}`, 400, `"/loss"`},
		{"unknown field", `{"narrative":"x","reporter_ip":"1.2.3.4"}`, 400, "unknown field"},
		{"unknown scam type", `{"narrative":"x","scam_type":"ponzi-ish"}`, 400, `"/scam_type"`},
		{"unknown role", `{"narrative":"x","indicators":[{"value":"+8613800138000","role":"boss"}]}`, 400, `"/indicators/0/role"`},
		{"unreadable indicator", `{"narrative":"x","indicators":[{"value":"??"}]}`, 400, `"/indicators/0/value"`},
		{"wrong kind for value", `{"narrative":"x","indicators":[{"value":"hello","kind":"eth"}]}`, 400, `"/indicators/0/value"`},
		{"unknown kind", `{"narrative":"x","indicators":[{"value":"x","kind":"myspace"}]}`, 400, `"/indicators/0/kind"`},
		{"empty", `{}`, 400, `"/narrative"`},
		{"not an object", `[1,2]`, 400, ""},
		{"invalid UTF-8", "{\"narrative\":\"\xff\xfe\"}", 400, "UTF-8"},
		{"NUL", `{"narrative":"a\u0000b"}`, 400, `"/narrative"`},
		{"future", `{"narrative":"x","occurred_at":"2999-01-01T00:00:00Z"}`, 400, `"/occurred_at"`},
		{"bad time", `{"narrative":"x","occurred_at":"yesterday"}`, 400, ""},
		{"bad country", `{"narrative":"x","victim_country":"Narnia"}`, 400, `"/victim_country"`},
		{"huge", huge, 413, ""},
	}
	for _, tc := range cases {
		code, h, body := c.do("POST", "/api/v1/reports", tc.body)
		if code != tc.status || !strings.HasPrefix(h.Get("Content-Type"), "application/problem+json") || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d %s %s, want %d with %q", tc.name, code, h.Get("Content-Type"), body, tc.status, tc.want)
		}
	}
	var list struct{ Reports []any }
	c.json("GET", "/api/v1/reports", "", 200, &list)
	if len(list.Reports) != 0 {
		t.Errorf("bad requests stored %d reports", len(list.Reports))
	}
	// Injection strings are data.
	inj := `{"narrative":"'; DROP TABLE reports; -- <script>alert(1)</script> ${jndi:ldap://x}","scam_type":"other"}`
	var r struct{ ID string }
	c.json("POST", "/api/v1/reports", inj, 201, &r)
	code, _, body := c.do("GET", "/api/v1/reports?q="+urlq("DROP TABLE"), "")
	if code != 200 || !strings.Contains(body, r.ID) {
		t.Errorf("search for the injection text: %d %s", code, body)
	}
	for _, path := range []string{"/api/v1/reports/nope", "/api/v1/networks/nope", "/api/v1/reports/a/path/b", "/api/v1/reports?since=yesterday",
		"/api/v1/reports?limit=0", "/api/v1/reports?type=nope", "/api/v1/lookup", "/api/v1/lookup?q=%3F%3F", "/api/v1/lookup?q=x&kind=nope",
		"/api/v1/lookup?q=1&region=ZZZ", "/api/v1/reports?cursor=" + strings.Repeat("z", 100)} {
		code, h, _ := c.do("GET", path, "")
		if code < 400 || code >= 500 || !strings.HasPrefix(h.Get("Content-Type"), "application/problem+json") {
			t.Errorf("GET %s: %d %s", path, code, h.Get("Content-Type"))
		}
	}
	tooMany := `{"values":[` + strings.Repeat(`"1",`, 10000) + `"1"]}`
	srvBig := newServerWith(t, Config{})
	if code, _, body := (client{t: t, base: srvBig.URL}).do("POST", "/api/v1/lookup", tooMany); code != 400 || !strings.Contains(body, "10000") {
		t.Errorf("10,001 values: %d %s", code, body)
	}
}

// FuzzReports: no body makes report creation, lookups or screening answer
// 5xx or panic.
func FuzzReports(f *testing.F) {
	for _, s := range []string{`{"narrative":"加微信 abc_123456"}`, `{"loss":{"amount":"1e400","currency":"USD"},"narrative":"x"}`,
		`{"indicators":[{"value":"0x52908400098527886E0F7030069857D2E4169EE7"}]}`, `{"occurred_at":"0001-01-01T00:00:00Z","narrative":"x"}`} {
		f.Add(s)
	}
	h := newHandler(f, Config{MaxBody: 1 << 16, ReportBurst: 1 << 30, ReportsPerHour: 1 << 30})
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/api/v1/reports", "/api/v1/lookup", "/api/v1/screen"} {
			req := httptest.NewRequest("POST", path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("POST %s: status %d for %q: %s", path, rec.Code, body, rec.Body)
			}
		}
	})
}

// TestScreen: the screening endpoint answers with signals and spans, and a
// wallet reported to this server raises the risk.
func TestScreen(t *testing.T) {
	srv := newServerWith(t, Config{ReportBurst: 100})
	c := client{t: t, base: srv.URL}
	var a struct {
		Risk     float64
		Verdict  string
		Type     string
		LangSeen bool `json:"lang_seen"`
		Signals  []struct {
			ID, Text   string
			Start, End int
			Explain    map[string]string
		}
	}
	c.json("POST", "/api/v1/screen", `{"text":"高薪招聘打字员，月薪2万，无需经验，包机票，到缅甸妙瓦底工作，护照由公司保管，加飞机详谈","kind":"job"}`, 200, &a)
	var sigs []string
	for _, s := range a.Signals {
		sigs = append(sigs, s.ID)
		if s.Explain["en"] == "" || s.Explain["zh-Hans"] == "" {
			t.Errorf("signal %s lacks an explanation", s.ID)
		}
	}
	if a.Verdict != "scam" || a.Type != "job" || !a.LangSeen || !strings.Contains(strings.Join(sigs, ","), "job-hub-destination") {
		t.Errorf("job lure: %+v", a)
	}
	text := `{"text":"please pay the deposit to TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp today"}`
	c.json("POST", "/api/v1/screen", text, 200, &a)
	before := a.Risk
	for _, n := range []string{"a", "b"} {
		c.json("POST", "/api/v1/reports", `{"scam_type":"investment","narrative":"`+n+` paid TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"}`, 201, nil, "X-Test", n)
	}
	c.json("POST", "/api/v1/screen", text, 200, &a)
	if a.Risk <= before {
		t.Errorf("a reported wallet did not raise the risk: %.2f then %.2f", before, a.Risk)
	}
	if code, _, _ := c.do("POST", "/api/v1/screen", `{"kind":"job"}`); code != 400 {
		t.Errorf("no text: %d", code)
	}
}

// TestWebAndAPIShareTheLimit: a report through the web form and one through
// the API from the same network draw on one allowance.
func TestWebAndAPIShareTheLimit(t *testing.T) {
	srv := newServerWith(t, Config{ReportBurst: 1, ReportsPerHour: 1})
	browser, token := webForm(t, srv.URL+"/report")
	res, err := browser.PostForm(srv.URL+"/report", map[string][]string{"narrative": {"加微信 scam_agent01 刷单"}, "scam_type": {"task"}, "csrf": {token}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode >= 400 {
		t.Fatalf("web report: %d", res.StatusCode)
	}
	c := client{t: t, base: srv.URL}
	if code, _, body := c.do("POST", "/api/v1/reports", `{"narrative":"second"}`); code != 429 {
		t.Errorf("second report from the same network through the API: %d %s", code, body)
	}
}

// webForm opens a web page holding a form as a browser would and returns
// the browser (with its cookies) and the form's CSRF token.
func webForm(t *testing.T, url string) (*http.Client, string) {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	browser := &http.Client{Jar: jar}
	res, err := browser.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token in %s", url)
	}
	return browser, html.UnescapeString(string(m[1]))
}
