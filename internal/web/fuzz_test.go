package web

import (
	"io"
	"net/url"
	"strings"
	"testing"
)

// FuzzCheck: no value makes a check answer 5xx or panic.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"+86 138 0013 8000", "", "   ", "<script>alert(1)</script>", "hxxps://evil[.]com/a?b=c",
		"TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp", "@scam_desk", "wechat: abc_123", "12345678", "\xff\xfe", "\x00", strings.Repeat("9", 3000)} {
		f.Add(s, "")
	}
	f.Add("12345678", "qq")
	f.Add("x", "place")
	h := newTestHandler(f, &fakeSubmitter{}, nil)
	f.Fuzz(func(t *testing.T, q, kind string) {
		rec := do(h, "GET", "/check?"+url.Values{"q": {q}, "kind": {kind}}.Encode(), nil, "")
		if rec.Code >= 500 || (rec.Code != 200 && rec.Code != 400) {
			t.Fatalf("status %d for q %q kind %q: %s", rec.Code, q, kind, rec.Body)
		}
	})
}

// FuzzReportForm: no form body makes the report form answer 5xx or panic.
func FuzzReportForm(f *testing.F) {
	for _, s := range []string{validForm().Encode(), "", "narrative=x", "narrative=%zz", "loss_amount=1e9&loss_currency=BTC&narrative=x",
		"value1=%2B86+138+0013+8000&role1=payment", "occurred_at=0001-01-01&narrative=x", "narrative=%00", "narrative=%ff%fe",
		"value5=" + strings.Repeat("a", 3000), "victim_country=zz&narrative=x", "a=b&a=c&&&==&narrative=y"} {
		f.Add(s)
	}
	h := newTestHandler(f, &fakeSubmitter{}, nil)
	f.Fuzz(func(t *testing.T, body string) {
		rec := post(h, "/report", nil, body)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		io.Copy(io.Discard, rec.Body)
	})
}

// FuzzLoginForm: no form body makes the sign-in form answer 5xx or panic,
// or sign in with anything but alice's password.
func FuzzLoginForm(f *testing.F) {
	for _, s := range []string{"login=alice&password=correct+horse", "", "login=alice", "password=x", "login=%zz&password=x",
		"login=alice&password=correct+horse&login=bob", "login=" + strings.Repeat("a", 3000) + "&password=b", "login=%00&password=%ff"} {
		f.Add(s)
	}
	h := newHandler(Config{Submit: &fakeSubmitter{}, Accounts: newFakeAccounts()})
	f.Fuzz(func(t *testing.T, body string) {
		rec := post(h, "/login", nil, body)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		if c := cookieSet(rec, SessionCookie); c != nil && !strings.Contains(body, "password=correct+horse") {
			t.Fatalf("signed in by %q", body)
		}
	})
}
