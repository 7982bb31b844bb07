package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeAccounts knows alice, whose password is "correct horse", and the
// sessions it was made with. It records each call that changes something.
type fakeAccounts struct {
	mu sync.Mutex
	// throttle, when set, is the RetryAfter of every SignIn; err, when
	// set, is what SignIn and SignOut answer.
	throttle time.Duration
	err      error
	sessions map[string][2]string // token: login, role
	calls    []string
}

func newFakeAccounts() *fakeAccounts {
	return &fakeAccounts{sessions: map[string][2]string{"tok-a": {"alice", "analyst"}, "tok-m": {`<b>mallory</b>`, "reporter"}}}
}

func (f *fakeAccounts) SignIn(ctx context.Context, login, password, client string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf("SignIn %s %s", login, client))
	switch {
	case f.throttle > 0:
		return "", &ThrottledError{RetryAfter: f.throttle}
	case f.err != nil:
		return "", f.err
	case login != "alice" || password != "correct horse":
		return "", fmt.Errorf("accounts: sign in %q: %w", login, ErrBadLogin)
	}
	token := fmt.Sprintf("tok-%d", len(f.calls))
	f.sessions[token] = [2]string{"alice", "analyst"}
	return token, nil
}

func (f *fakeAccounts) SignOut(ctx context.Context, token string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "SignOut "+token)
	if f.err != nil {
		return f.err
	}
	delete(f.sessions, token)
	return nil
}

func (f *fakeAccounts) Who(ctx context.Context, token string) (login, role string, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.sessions[token]
	return s[0], s[1], ok
}

func (f *fakeAccounts) seen() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// cookieSet is the cookie name the response sets, nil when none.
func cookieSet(rec *httptest.ResponseRecorder, name string) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// sessionSet is the session cookie set by a sign-in: what the tests look at.
type sessionSet struct {
	Value    string
	Path     string
	MaxAge   int
	HttpOnly bool
	Secure   bool
	SameSite http.SameSite
}

func sessionOf(c *http.Cookie) *sessionSet {
	if c == nil {
		return nil
	}
	return &sessionSet{Value: c.Value, Path: c.Path, MaxAge: c.MaxAge, HttpOnly: c.HttpOnly, Secure: c.Secure, SameSite: c.SameSite}
}

func TestSignIn(t *testing.T) {
	good := url.Values{"login": {" alice "}, "password": {"correct horse"}}.Encode()
	bad := url.Values{"login": {"alice"}, "password": {"wrong horse"}}.Encode()
	signedIn := func(secure bool) *sessionSet {
		return &sessionSet{Value: "tok-1", Path: "/", MaxAge: 12 * 60 * 60, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode}
	}
	tests := []struct {
		name, target string
		header       map[string]string
		body         string
		throttle     time.Duration
		err          error
		status       int
		location     string
		cookie       *sessionSet
		retryAfter   string
		want         []string
		mustNot      []string
		calls        []string
	}{
		{name: "signed in", target: "/login", body: good, status: 303, location: "/?lang=en", cookie: signedIn(false),
			calls: []string{"SignIn alice 192.0.2.1"}},
		{name: "signed in, in Chinese", target: "/login?lang=zh-Hans", body: good, status: 303, location: "/?lang=zh-Hans", cookie: signedIn(false),
			calls: []string{"SignIn alice 192.0.2.1"}},
		{name: "signed in over TLS", target: "https://example.com/login", body: good, status: 303, location: "/?lang=en", cookie: signedIn(true),
			calls: []string{"SignIn alice 192.0.2.1"}},
		{name: "signed in behind a TLS proxy", target: "/login", header: map[string]string{"X-Forwarded-Proto": "https"}, body: good,
			status: 303, location: "/?lang=en", cookie: signedIn(true), calls: []string{"SignIn alice 192.0.2.1"}},
		{name: "signed in behind a plain proxy", target: "/login", header: map[string]string{"X-Forwarded-Proto": "http"}, body: good,
			status: 303, location: "/?lang=en", cookie: signedIn(false), calls: []string{"SignIn alice 192.0.2.1"}},
		{name: "wrong password", target: "/login", body: bad, status: 401,
			want: []string{"The login or the password is wrong.", `value="alice"`, `aria-describedby="login-problem"`}, mustNot: []string{"wrong horse"},
			calls: []string{"SignIn alice 192.0.2.1"}},
		{name: "unknown login", target: "/login?lang=zh-Hans", body: url.Values{"login": {"bob"}, "password": {"correct horse"}}.Encode(), status: 401,
			want: []string{"登录名或密码不正确。", `value="bob"`}, mustNot: []string{"correct horse"}, calls: []string{"SignIn bob 192.0.2.1"}},
		{name: "throttled", target: "/login", body: good, throttle: 5 * time.Minute, status: 429, retryAfter: "300",
			want: []string{"Please wait 5 minutes"}, calls: []string{"SignIn alice 192.0.2.1"}},
		{name: "throttled briefly", target: "/login?lang=zh-Hans", body: good, throttle: 1500 * time.Millisecond, status: 429, retryAfter: "2",
			want: []string{"请等待一分钟后再试"}, calls: []string{"SignIn alice 192.0.2.1"}},
		{name: "no password", target: "/login", body: "login=alice&password=", status: 400,
			want: []string{"Enter your login and your password."}},
		{name: "accounts failing", target: "/login", body: good, err: errors.New("database exploded"), status: 500,
			want: []string{"Something went wrong"}, mustNot: []string{"exploded"}, calls: []string{"SignIn alice 192.0.2.1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			acc := newFakeAccounts()
			acc.throttle, acc.err = tt.throttle, tt.err
			h := newHandler(Config{Submit: &fakeSubmitter{}, Accounts: acc})
			rec := post(h, tt.target, tt.header, tt.body)
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			if got := rec.Header().Get("Location"); got != tt.location {
				t.Errorf("Location %q, want %q", got, tt.location)
			}
			if got := rec.Header().Get("Retry-After"); got != tt.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, tt.retryAfter)
			}
			if diff := cmp.Diff(tt.cookie, sessionOf(cookieSet(rec, SessionCookie))); diff != "" {
				t.Errorf("session cookie (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.calls, acc.seen()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			checkBody(t, rec.Body.String(), tt.want, tt.mustNot)
		})
	}
}

func TestSignOut(t *testing.T) {
	cleared := func(secure bool) *sessionSet {
		return &sessionSet{Path: "/", MaxAge: -1, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode}
	}
	tests := []struct {
		name, target string
		header       map[string]string
		err          error
		status       int
		cookie       *sessionSet
		calls        []string
	}{
		{"signed in", "/logout", map[string]string{"Cookie": SessionCookie + "=tok-a"}, nil, 303, cleared(false), []string{"SignOut tok-a"}},
		{"signed in over TLS", "https://example.com/logout?lang=zh-Hans", map[string]string{"Cookie": SessionCookie + "=tok-a"}, nil, 303,
			cleared(true), []string{"SignOut tok-a"}},
		{"not signed in", "/logout", nil, nil, 303, cleared(false), nil},
		// The cookie stays, so that the person can try again.
		{"session not ended", "/logout", map[string]string{"Cookie": SessionCookie + "=tok-a"}, errors.New("database exploded"), 500,
			nil, []string{"SignOut tok-a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			acc := newFakeAccounts()
			acc.err = tt.err
			var logs bytes.Buffer
			h := newHandler(Config{Submit: &fakeSubmitter{}, Accounts: acc, Log: slog.New(slog.NewTextHandler(&logs, nil))})
			rec := post(h, tt.target, tt.header, "")
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			if tt.status == 303 && !strings.HasPrefix(rec.Header().Get("Location"), "/?lang=") {
				t.Errorf("Location %q, want the home page", rec.Header().Get("Location"))
			}
			if diff := cmp.Diff(tt.cookie, sessionOf(cookieSet(rec, SessionCookie))); diff != "" {
				t.Errorf("session cookie (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.calls, acc.seen()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if tt.status == 500 && !strings.Contains(logs.String(), "database exploded") {
				t.Errorf("the failure is not logged: %s", logs.String())
			}
		})
	}
}

// TestHeader: the header of every page says who is signed in and offers
// to sign out, or offers to sign in when Vigil has accounts.
func TestHeader(t *testing.T) {
	acc := newFakeAccounts()
	h := newHandler(Config{Submit: &fakeSubmitter{}, Accounts: acc})
	noAccounts := newHandler(Config{Submit: &fakeSubmitter{}})
	alice := map[string]string{"Cookie": SessionCookie + "=tok-a"}
	signOut := `<form class="account" method="post" action="/logout?lang=en">`
	tests := []struct {
		name    string
		h       http.Handler
		path    string
		header  map[string]string
		status  int
		want    []string
		mustNot []string
	}{
		{"no accounts", noAccounts, "/", nil, 200, nil, []string{"Sign in", "/login", "Signed in", "csrf"}},
		{"no accounts, signed in", noAccounts, "/", alice, 200, nil, []string{"Sign in", "Signed in", "/logout"}},
		{"not signed in", h, "/", nil, 200, []string{`<a href="/login?lang=en">Sign in</a>`}, []string{"Signed in", "/logout"}},
		{"session not live", h, "/", map[string]string{"Cookie": SessionCookie + "=tok-gone"}, 200,
			[]string{`<a href="/login?lang=en">Sign in</a>`}, []string{"Signed in"}},
		{"signed in", h, "/", alice, 200,
			[]string{"<span>Signed in as alice (analyst)</span>", signOut, `<button type="submit">Sign out</button>`}, []string{`href="/login`}},
		{"signed in, in Chinese", h, "/check?q=x&lang=zh-Hans", alice, 400,
			[]string{"已登录：alice（分析员）", "退出登录", `action="/logout?lang=zh-Hans"`}, nil},
		{"signed in, on an error page", h, "/nope", alice, 404, []string{"Page not found", "Signed in as alice (analyst)", signOut}, nil},
		{"signed in, on a form", h, "/report", alice, 200, []string{"Signed in as alice (analyst)", signOut}, nil},
		{"a login is text", h, "/", map[string]string{"Cookie": SessionCookie + "=tok-m"}, 200,
			[]string{"Signed in as <b>mallory</b> (reporter)"}, []string{"<b>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(tt.h, "GET", tt.path, tt.header, "")
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			checkBody(t, rec.Body.String(), tt.want, tt.mustNot)
			// A page with the sign-out form gives the CSRF cookie its token is for.
			if strings.Contains(rec.Body.String(), signOut) {
				c := cookieSet(rec, csrfCookie)
				if c == nil || !strings.Contains(rec.Body.String(), `name="csrf" value="`+csrfToken(testKey, c.Value)+`"`) {
					t.Errorf("the sign-out form does not carry the token of the cookie %v", c)
				}
			}
		})
	}
	if diff := cmp.Diff([]string(nil), acc.seen()); diff != "" {
		t.Errorf("pages changed accounts (-want +got):\n%s", diff)
	}
	for name, rec := range map[string]*httptest.ResponseRecorder{
		"GET /login":   do(noAccounts, "GET", "/login", nil, ""),
		"POST /login":  post(noAccounts, "/login", nil, "login=alice&password=correct+horse"),
		"POST /logout": post(noAccounts, "/logout", alice, ""),
	} {
		if rec.Code != 404 {
			t.Errorf("without accounts, %s: %d, want 404", name, rec.Code)
		}
	}
}

func TestLoginForm(t *testing.T) {
	h := newHandler(Config{Submit: &fakeSubmitter{}, Accounts: newFakeAccounts()})
	rec := do(h, "GET", "/login?lang=zh-Hans", nil, "")
	if rec.Code != 200 {
		t.Errorf("status %d", rec.Code)
	}
	checkBody(t, rec.Body.String(), []string{"<h1>登录</h1>", `<form class="login" method="post" action="/login?lang=zh-Hans">`,
		`<input type="text" id="login" name="login" value="" autocomplete="username"`,
		`<input type="password" id="password" name="password" autocomplete="current-password" required>`}, nil)
}

// TestReportAttributed: the report of a signed-in person carries their
// session to the Submitter.
func TestReportAttributed(t *testing.T) {
	sub := &fakeSubmitter{}
	h := newHandler(Config{Submit: sub, Accounts: newFakeAccounts()})
	if rec := post(h, "/report", map[string]string{"Cookie": SessionCookie + "=tok-a"}, validForm().Encode()); rec.Code != 303 {
		t.Fatalf("status %d, want 303", rec.Code)
	}
	if diff := cmp.Diff([]string{"tok-a"}, sub.sessions); diff != "" {
		t.Errorf("sessions (-want +got):\n%s", diff)
	}
}
