package api

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSecurityHeadersAndLimits: every answer, API or page, carries a CSP
// without unsafe-inline that forbids framing, no-sniff and no-store, and
// every page no-referrer; bodies are bounded; anonymous writes and
// sign-ins are rate-limited.
func TestSecurityHeadersAndLimits(t *testing.T) {
	srv := newServerWith(t, Config{MaxBody: 4 << 10, ReportBurst: 2, ReportsPerHour: 1})
	for _, p := range []string{"/", "/check?q=13800138000", "/report", "/screen", "/login", "/desk/cases", "/desk/alerts", "/places/mm-kk-park", "/nope", "/healthz", "/api/v1/lookup?q=x", "/api/openapi.json", "/api/v1/nope"} {
		res, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", p)
		}
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", p, res.Header.Get("Cache-Control"))
		}
		page := !strings.HasPrefix(p, "/api/") && p != "/healthz"
		if got := res.Header.Get("Referrer-Policy"); page && got != "no-referrer" {
			t.Errorf("%s: Referrer-Policy %q", p, got)
		}
	}
	c := client{t: t, base: srv.URL}
	big := `{"narrative":"` + strings.Repeat("x", 5<<10) + `"}`
	for _, p := range []string{"/api/v1/reports", "/api/v1/session", "/api/v1/disputes", "/api/v1/lookup"} {
		if code, _, _ := c.do("POST", p, big); code != 413 {
			t.Errorf("POST %s with a body over the limit: %d", p, code)
		}
	}
	// Anonymous reports: a burst of 2, then 429 with Retry-After.
	for i := range 2 {
		c.json("POST", "/api/v1/reports", `{"narrative":"tip"}`, 201, nil)
		_ = i
	}
	code, h, _ := c.do("POST", "/api/v1/reports", `{"narrative":"tip"}`)
	if code != 429 || h.Get("Retry-After") == "" {
		t.Errorf("third anonymous report: %d %v", code, h)
	}
	// Disputes draw on their own allowance of the same size.
	for range 2 {
		c.json("POST", "/api/v1/disputes", `{"value":"some_handle01","kind":"wechat","reason":"mine"}`, 201, nil)
	}
	if code, _, _ := c.do("POST", "/api/v1/disputes", `{"value":"some_handle01","kind":"wechat","reason":"mine"}`); code != 429 {
		t.Errorf("third anonymous dispute: %d", code)
	}
	// Failed sign-ins: after five, 429 with Retry-After, even with the
	// right password.
	for i := range 5 {
		if code, _, _ := c.do("POST", "/api/v1/session", `{"login":"nobody@example.org","password":"wrong password 123"}`); code != 401 {
			t.Errorf("failed sign-in %d: %d", i, code)
		}
	}
	code, h, _ = c.do("POST", "/api/v1/session", `{"login":"nobody@example.org","password":"wrong password 123"}`)
	if code != 429 || h.Get("Retry-After") == "" {
		t.Errorf("sixth failed sign-in: %d %v", code, h)
	}
}

// TestSignInFlow: a one-time password signs in to nothing but a password
// change; then the role's permissions apply, and a state-changing request
// of the browser needs its CSRF token.
func TestSignInFlow(t *testing.T) {
	w := newWorld(t)
	code, body := w.actors["admin"].do(t, w.srv, "POST", "/api/v1/users", `{"login":"Analyst.New@example.org","role":"analyst","org":"`+w.orgA+`"}`)
	if code != 201 {
		t.Fatal(code, body)
	}
	var created struct{ Password string }
	decodeInto(t, body, &created)
	c := client{t: t, base: w.srv.URL}
	res, err := http.DefaultClient.Do(c.request("POST", "/api/v1/session", `{"login":"analyst.new@EXAMPLE.org","password":"`+created.Password+`"}`, nil))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var cookie *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "vigil_session" {
			cookie = ck
		}
	}
	if res.StatusCode != 200 || cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
		t.Fatalf("sign-in: %d %+v", res.StatusCode, cookie)
	}
	session := func(method, path, body, csrf string) (int, string) {
		req := c.request(method, path, body, nil)
		req.AddCookie(cookie)
		if csrf != "" {
			req.Header.Set("X-CSRF-Token", csrf)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := res.Body.Read(buf)
			b.WriteString(string(buf[:n]))
			if err != nil {
				break
			}
		}
		for _, ck := range res.Cookies() {
			if ck.Name == "vigil_session" && ck.Value != "" {
				cookie = ck
			}
		}
		return res.StatusCode, b.String()
	}
	code, body = session("GET", "/api/v1/session", "", "")
	var s struct {
		CSRF       string `json:"csrf_token"`
		MustChange bool   `json:"must_change_password"`
	}
	decodeInto(t, body, &s)
	if code != 200 || s.CSRF == "" {
		t.Fatalf("session: %d %s", code, body)
	}
	if code, _ := session("GET", "/api/v1/reports", "", ""); code != 403 {
		t.Errorf("searching with a one-time password: %d", code)
	}
	if code, _ := session("POST", "/api/v1/session/password", `{"current":"`+created.Password+`","new":"a much better password"}`, ""); code != 403 {
		t.Errorf("a state change without the CSRF token: %d", code)
	}
	if code, body := session("POST", "/api/v1/session/password", `{"current":"`+created.Password+`","new":"a much better password"}`, s.CSRF); code != 200 {
		t.Fatalf("password change: %d %s", code, body)
	}
	if code, body := session("GET", "/api/v1/reports", "", ""); code != 200 {
		t.Errorf("searching after the change: %d %s", code, body)
	}
	if code, _ := session("DELETE", "/api/v1/session", "", ""); code != 403 {
		t.Errorf("sign-out without the CSRF token: %d", code)
	}
}

// TestSlowBody: a client that stops sending a request's body is answered
// once Config.BodyTimeout has passed (4xx, nothing stored), on the API and
// on a page's form alike, rather than holding its connection open.
func TestSlowBody(t *testing.T) {
	srv := newServerWith(t, Config{BodyTimeout: 200 * time.Millisecond})
	for _, p := range []string{"/api/v1/reports", "/report"} {
		conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		// The server must answer well before the client gives up.
		conn.SetDeadline(time.Now().Add(20 * time.Second))
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: vigil\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"kind\":\"scam\",", p)
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("POST %s with a stalled body: no answer: %v", p, err)
		}
		res.Body.Close()
		if res.StatusCode < 400 || res.StatusCode >= 500 {
			t.Errorf("POST %s with a stalled body: %d, want a 4xx", p, res.StatusCode)
		}
	}
	if n, err := storeOf(t, srv).CountReports(context.Background()); err != nil || n != 0 {
		t.Errorf("%d reports stored from stalled bodies (%v)", n, err)
	}
}

// TestPublicCallers: the public's callers are made once per client
// address and shared; addresses of one network share its name in the audit
// log and in rate limits, other networks do not; a full cache starts again.
func TestPublicCallers(t *testing.T) {
	srv := newServerWith(t, Config{})
	s, err := newServer(context.Background(), Config{Store: storeOf(t, srv), PasswordParams: testPasswords}, discardLog(), nil)
	if err != nil {
		t.Fatal(err)
	}
	from := func(addr string) *caller {
		r, _ := http.NewRequest("GET", "/api/v1/lookup?q=x", nil)
		r.RemoteAddr = addr
		c, err := s.authenticate(r)
		if err != nil {
			t.Fatal(err)
		}
		if !c.p.IsPublic() {
			t.Fatalf("%s: not the public", addr)
		}
		return c
	}
	a, a2, b, v6 := from("203.0.113.7:1000"), from("203.0.113.7:2000"), from("203.0.113.9:1000"), from("[2001:db8:1:2::7]:443")
	c := from("198.51.100.7:1000")
	if a != a2 {
		t.Error("one address, two callers")
	}
	if a == b || a.client != b.client || a.actor(s) != b.actor(s) {
		t.Errorf("one network: %q %q, %q %q", a.client, b.client, a.actor(s), b.actor(s))
	}
	if a.client != "203.0.113.0/24" || v6.client != "2001:db8:1::/48" {
		t.Errorf("networks %q, %q", a.client, v6.client)
	}
	if a.actor(s) == c.actor(s) || !strings.HasPrefix(a.actor(s), "public:") || a.actor(s) != (&caller{p: a.p, client: a.client}).actor(s) {
		t.Errorf("audit names: %q, %q", a.actor(s), c.actor(s))
	}
	for i := range maxPublicCallers {
		from(fmt.Sprintf("10.%d.%d.1:80", i/256, i%256))
	}
	if n := len(s.public.m); n > maxPublicCallers {
		t.Errorf("%d callers held, at most %d", n, maxPublicCallers)
	}
	if from("203.0.113.7:1000") == a {
		t.Error("the cache was not cleared when full")
	}
}
