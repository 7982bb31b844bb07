package web

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// tokenOnPage is the CSRF token of the page's forms, "" when it has none.
var tokenOnPage = regexp.MustCompile(`<input type="hidden" name="csrf" value="([^"]*)">`)

func pageToken(body string) string {
	if m := tokenOnPage.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// csrfSet is the CSRF cookie a page sets: what the tests look at.
type csrfSet struct {
	Path     string
	MaxAge   int
	HttpOnly bool
	Secure   bool
	SameSite http.SameSite
}

// TestCSRFCookie: a page with a POST form gives a browser without the CSRF
// cookie a new one, and carries its token; other pages set no cookie.
func TestCSRFCookie(t *testing.T) {
	h := newHandler(Config{Submit: &fakeSubmitter{}, Accounts: newFakeAccounts()})
	plain := &csrfSet{Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode}
	secure := &csrfSet{Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode}
	mine := map[string]string{"Cookie": csrfCookie + "=" + testCookie}
	tests := []struct {
		name, target string
		header       map[string]string
		cookie       *csrfSet // nil: none set
		token        bool     // the page carries a token
	}{
		{"report form", "/report", nil, plain, true},
		{"screening form", "/screen?lang=zh-Hans", nil, plain, true},
		{"sign-in form", "/login", nil, plain, true},
		{"report form over TLS", "https://example.com/report", nil, secure, true},
		{"report form behind a TLS proxy", "/report", map[string]string{"X-Forwarded-Proto": "HTTPS, http"}, secure, true},
		{"report form with the cookie", "/report", mine, nil, true},
		{"report form with a cookie Vigil did not make", "/report", map[string]string{"Cookie": csrfCookie + "=abc"}, plain, true},
		{"home", "/", nil, nil, false},
		{"check", "/check?q=%2B8613800138000", nil, nil, false},
		{"thanks", "/report/thanks?id=r-1", nil, nil, false},
		{"not found", "/nope", nil, nil, false},
		{"home, signed in", "/", map[string]string{"Cookie": SessionCookie + "=tok-a"}, plain, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(h, "GET", tt.target, tt.header, "")
			c := cookieSet(rec, csrfCookie)
			var got *csrfSet
			if c != nil {
				got = &csrfSet{Path: c.Path, MaxAge: c.MaxAge, HttpOnly: c.HttpOnly, Secure: c.Secure, SameSite: c.SameSite}
			}
			if diff := cmp.Diff(tt.cookie, got); diff != "" {
				t.Errorf("CSRF cookie (-want +got):\n%s", diff)
			}
			token := pageToken(rec.Body.String())
			if (token != "") != tt.token {
				t.Fatalf("token %q on the page, want one: %v", token, tt.token)
			}
			switch {
			case c != nil:
				if b, err := base64.RawURLEncoding.DecodeString(c.Value); err != nil || len(b) != 32 {
					t.Errorf("cookie %q is not 32 bytes in base64url", c.Value)
				}
				if token != csrfToken(testKey, c.Value) {
					t.Errorf("token %q is not that of the new cookie", token)
				}
			case tt.token && token != testToken:
				t.Errorf("token %q is not that of the browser's cookie", token)
			}
		})
	}
}

// TestCSRFRefused: a POST without the cookie, or without its token, is
// refused before anything is done.
func TestCSRFRefused(t *testing.T) {
	otherCookie := base64.RawURLEncoding.EncodeToString([]byte("another thirty-two bytes cookie!"))
	withCookie := func(c string) map[string]string {
		return map[string]string{"Cookie": SessionCookie + "=tok-a; " + csrfCookie + "=" + c}
	}
	forms := map[string]string{
		"/report": validForm().Encode(),
		"/screen": url.Values{"text": {"call me on +86 138 0013 8000"}}.Encode(),
		"/login":  url.Values{"login": {"alice"}, "password": {"correct horse"}}.Encode(),
		"/logout": "",
	}
	tests := []struct {
		name   string
		query  string
		header map[string]string
		token  string // "-": no field
	}{
		{"no token", "", withCookie(testCookie), "-"},
		{"empty token", "", withCookie(testCookie), ""},
		{"wrong token", "", withCookie(testCookie), "AAAA" + testToken[4:]},
		{"token of another cookie", "", withCookie(testCookie), csrfToken(testKey, otherCookie)},
		{"token under another key", "", withCookie(testCookie), csrfToken([]byte("another key, another server....."), testCookie)},
		{"no cookie", "", map[string]string{"Cookie": SessionCookie + "=tok-a"}, testToken},
		{"empty cookie", "", withCookie(""), csrfToken(testKey, "")},
		{"cookie Vigil did not make", "", withCookie("abc"), csrfToken(testKey, "abc")},
		{"token in the address only", "?csrf=" + testToken, withCookie(testCookie), "-"},
		{"good token, cross-site", "", map[string]string{"Cookie": withCookie(testCookie)["Cookie"], "Sec-Fetch-Site": "cross-site"}, testToken},
	}
	for path, form := range forms {
		for _, tt := range tests {
			t.Run(path+"/"+tt.name, func(t *testing.T) {
				sub, acc := &fakeSubmitter{}, newFakeAccounts()
				h := newHandler(Config{Submit: sub, Accounts: acc})
				body := form
				if tt.token != "-" {
					body = csrfField + "=" + url.QueryEscape(tt.token) + "&" + form
				}
				rec := do(h, "POST", path+tt.query, tt.header, body)
				if rec.Code != http.StatusForbidden {
					t.Errorf("status %d, want 403", rec.Code)
				}
				if sub.count() != 0 || len(acc.seen()) != 0 {
					t.Errorf("done anyway: %d reports, calls %q", sub.count(), acc.seen())
				}
				if c := cookieSet(rec, SessionCookie); c != nil {
					t.Errorf("session cookie set: %v", c)
				}
				// The page still says who is signed in: only the form is refused.
				checkBody(t, rec.Body.String(), []string{"Form not accepted", "Signed in as alice"}, nil)
			})
		}
	}
}

// TestCSRFTaken: a form posted with its token does what it is for.
func TestCSRFTaken(t *testing.T) {
	alice := map[string]string{"Cookie": SessionCookie + "=tok-a"}
	tests := []struct {
		path   string
		header map[string]string
		body   string
		status int
		calls  []string
		n      int
	}{
		{"/report", nil, validForm().Encode(), 303, nil, 1},
		{"/screen", nil, "text=hello", 200, nil, 0},
		{"/login", nil, "login=alice&password=correct+horse", 303, []string{"SignIn alice 192.0.2.1"}, 0},
		{"/logout", alice, "", 303, []string{"SignOut tok-a"}, 0},
	}
	for _, tt := range tests {
		sub, acc := &fakeSubmitter{}, newFakeAccounts()
		h := newHandler(Config{Submit: sub, Accounts: acc})
		rec := post(h, tt.path, tt.header, tt.body)
		if rec.Code != tt.status || sub.count() != tt.n {
			t.Errorf("%s: status %d, %d reports; want %d, %d", tt.path, rec.Code, sub.count(), tt.status, tt.n)
		}
		if diff := cmp.Diff(tt.calls, acc.seen()); diff != "" {
			t.Errorf("%s: calls (-want +got):\n%s", tt.path, diff)
		}
	}
}

// TestCSRFRoundTrip: a browser reads the report form, sends it with a
// problem, corrects it on the page that comes back, and sends it again.
func TestCSRFRoundTrip(t *testing.T) {
	sub := &fakeSubmitter{}
	h := newHandler(Config{Submit: sub})
	rec := do(h, "GET", "/report", nil, "")
	c := cookieSet(rec, csrfCookie)
	if c == nil {
		t.Fatal("the report form sets no CSRF cookie")
	}
	cookie := map[string]string{"Cookie": c.Name + "=" + c.Value}
	form := validForm()
	form.Set("loss_currency", "DOLLARS")
	form.Set(csrfField, pageToken(rec.Body.String()))
	rec = do(h, "POST", "/report", cookie, form.Encode())
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", rec.Code)
	}
	if c := cookieSet(rec, csrfCookie); c != nil {
		t.Errorf("a new cookie %v: the browser has one", c)
	}
	form.Set("loss_currency", "USDT")
	form.Set(csrfField, pageToken(rec.Body.String()))
	if rec = do(h, "POST", "/report", cookie, form.Encode()); rec.Code != http.StatusSeeOther || sub.count() != 1 {
		t.Errorf("status %d, %d reports; want 303, 1", rec.Code, sub.count())
	}
}

// TestCSRFKey: servers that share a key take each other's forms; servers
// that make their own do not.
func TestCSRFKey(t *testing.T) {
	key := []byte("a key that two servers share....")
	for _, tt := range []struct {
		name   string
		a, b   []byte
		status int
	}{
		{"shared key", key, key, http.StatusSeeOther},
		// An empty key is no key: each server makes its own.
		{"keys of their own", []byte{}, []byte{}, http.StatusForbidden},
	} {
		a := newHandler(Config{Submit: &fakeSubmitter{}, CSRFKey: tt.a})
		b := newHandler(Config{Submit: &fakeSubmitter{}, CSRFKey: tt.b})
		rec := do(a, "GET", "/report", nil, "")
		c := cookieSet(rec, csrfCookie)
		form := validForm()
		form.Set(csrfField, pageToken(rec.Body.String()))
		if rec := do(b, "POST", "/report", map[string]string{"Cookie": c.Name + "=" + c.Value}, form.Encode()); rec.Code != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, rec.Code, tt.status)
		}
	}
}

// TestUnreadableForm: a malformed form is refused whole, after its token.
func TestUnreadableForm(t *testing.T) {
	sub := &fakeSubmitter{}
	h := newTestHandler(t, sub, nil)
	rec := post(h, "/report", nil, "narrative=%zz&value1=%2B86+138+0013+8000")
	if rec.Code != http.StatusBadRequest || sub.count() != 0 {
		t.Errorf("status %d, %d reports; want 400, none", rec.Code, sub.count())
	}
	checkBody(t, rec.Body.String(), []string{"Form not readable"}, nil)
	if rec := do(h, "POST", "/report", nil, "narrative=%zz"); rec.Code != http.StatusForbidden {
		t.Errorf("without a token: status %d, want 403", rec.Code)
	}
}
