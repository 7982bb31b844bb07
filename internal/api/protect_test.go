package api

import (
	"fmt"
	"strings"
	"testing"
)

type lookupAnswer struct {
	Known     bool
	Reports   int
	Reporters int
	Level     string
	KnownGood bool `json:"known_good"`
	Disputed  bool
}

func lookupAs(t *testing.T, a actor, w *world, q string) lookupAnswer {
	t.Helper()
	code, body := a.do(t, w.srv, "GET", "/api/v1/lookup?q="+urlq(q), "")
	if code != 200 {
		t.Fatalf("lookup %s: %d %s", q, code, body)
	}
	var l lookupAnswer
	decodeInto(t, body, &l)
	return l
}

// TestPoisoning: 1,000 reports from one account, or many from one network
// range or one session, leave a value "unverified"; a known-good value
// (an official number) can never be listed.
func TestPoisoning(t *testing.T) {
	w := newWorld(t)
	reporter := w.actors["reporter"]
	for i := range 1000 {
		// One account, from many networks.
		c := client{t: t, base: w.srv.URL, from: fmt.Sprintf("127.%d.%d.1", 1+i/250, i%250)}
		req := c.request("POST", "/api/v1/reports", `{"tlp":"CLEAR","narrative":"x","indicators":[{"value":"poison_one_account","kind":"wechat"}]}`, nil)
		req.Header.Set("Cookie", "vigil_session="+reporter.session)
		req.Header.Set("X-CSRF-Token", reporter.csrf)
		res, err := fromAddr(c.from).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 201 {
			t.Fatalf("report %d: %d", i, res.StatusCode)
		}
	}
	if l := lookupAs(t, w.actors["public"], w, "poison_one_account"); l.Reports != 1000 || l.Reporters != 1 || l.Level != "unverified" {
		t.Errorf("1,000 reports of one account: %+v", l)
	}
	// Many accounts (new sessions) from one network range.
	for i := range 100 {
		c := client{t: t, base: w.srv.URL, from: fmt.Sprintf("127.9.9.%d", 1+i)}
		c.json("POST", "/api/v1/reports", `{"narrative":"y","indicators":[{"value":"poison_one_range","kind":"wechat"}]}`, 201, nil)
	}
	if l := lookupAs(t, w.actors["public"], w, "poison_one_range"); l.Reports != 100 || l.Reporters != 1 || l.Level != "unverified" {
		t.Errorf("100 reports from one /24: %+v", l)
	}
	// An official number, reported from many networks, stays known-good.
	for i := range 20 {
		c := client{t: t, base: w.srv.URL, from: fmt.Sprintf("127.20.%d.1", i)}
		c.json("POST", "/api/v1/reports", `{"victim_country":"CN","narrative":"对方冒充反诈中心，说请拨打96110核实"}`, 201, nil)
	}
	code, body := w.actors["public"].do(t, w.srv, "GET", "/api/v1/lookup?q=96110&region=CN", "")
	var l lookupAnswer
	decodeInto(t, body, &l)
	if code != 200 || l.Known || !l.KnownGood || l.Level != "none" {
		t.Errorf("an official number was listed: %d %s", code, body)
	}
	// Independent reporters do lift it.
	for i := range 3 {
		c := client{t: t, base: w.srv.URL, from: fmt.Sprintf("127.30.%d.1", i)}
		c.json("POST", "/api/v1/reports", `{"narrative":"z","indicators":[{"value":"real_scammer_01","kind":"wechat"}]}`, 201, nil)
	}
	if l := lookupAs(t, w.actors["public"], w, "real_scammer_01"); l.Reporters != 3 || l.Level == "unverified" {
		t.Errorf("three independent reporters: %+v", l)
	}
}

// TestDisputeRoundTrip: the holder of a listed value disputes it, an
// analyst upholds the dispute, the value is delisted for good, and both
// steps are in the audit log.
func TestDisputeRoundTrip(t *testing.T) {
	w := newWorld(t)
	for i := range 3 {
		c := client{t: t, base: w.srv.URL, from: fmt.Sprintf("127.40.%d.1", i)}
		c.json("POST", "/api/v1/reports", `{"scam_type":"investment","narrative":"paid","indicators":[{"value":"honest_shop_88","kind":"wechat","role":"payment"}]}`, 201, nil)
	}
	public := w.actors["public"]
	if l := lookupAs(t, public, w, "honest_shop_88"); !l.Known || l.Level == "unverified" {
		t.Fatalf("before: %+v", l)
	}
	code, body := public.do(t, w.srv, "POST", "/api/v1/disputes", `{"value":"honest_shop_88","kind":"wechat","reason":"this is my shop, I was impersonated","contact":"shop-owner@example.org"}`)
	if code != 201 || strings.Contains(body, "shop-owner@example.org") {
		t.Fatalf("file: %d %s", code, body)
	}
	var d struct{ ID, Status string }
	decodeInto(t, body, &d)
	if l := lookupAs(t, public, w, "honest_shop_88"); !l.Disputed {
		t.Errorf("a disputed value says so: %+v", l)
	}
	analyst := w.actors["analystA"]
	if code, body := analyst.do(t, w.srv, "GET", "/api/v1/disputes?status=open", ""); code != 200 || !strings.Contains(body, "shop-owner@example.org") || !strings.Contains(body, d.ID) {
		t.Errorf("analyst list: %d %s", code, body)
	}
	if code, body := analyst.do(t, w.srv, "POST", "/api/v1/disputes/"+d.ID+"/resolve", `{"upheld":true,"note":"verified ownership"}`); code != 200 || !strings.Contains(body, `"upheld"`) {
		t.Fatalf("resolve: %d %s", code, body)
	}
	if code, _ := analyst.do(t, w.srv, "POST", "/api/v1/disputes/"+d.ID+"/resolve", `{"upheld":false}`); code != 409 {
		t.Errorf("resolving twice: %d", code)
	}
	l := lookupAs(t, public, w, "honest_shop_88")
	if l.Known || !l.KnownGood || l.Level != "none" || l.Disputed {
		t.Errorf("after the upheld dispute: %+v", l)
	}
	// Reported again, it stays delisted.
	c := client{t: t, base: w.srv.URL, from: "127.41.0.1"}
	c.json("POST", "/api/v1/reports", `{"narrative":"again","indicators":[{"value":"honest_shop_88","kind":"wechat"}]}`, 201, nil)
	if l := lookupAs(t, public, w, "honest_shop_88"); l.Known || !l.KnownGood {
		t.Errorf("relisted: %+v", l)
	}
	code, body = w.actors["admin"].do(t, w.srv, "GET", "/api/v1/audit?limit=1000", "")
	if code != 200 || !strings.Contains(body, "dispute.create") || !strings.Contains(body, "dispute.resolve") || !strings.Contains(body, "user:"+analyst.userID) {
		t.Errorf("audit log: %d %.500s", code, body)
	}
}

// TestWithdraw: an anonymous reporter withdraws their report with the
// token given at submission; what depended on it is recomputed.
func TestWithdraw(t *testing.T) {
	w := newWorld(t)
	public := w.actors["public"]
	code, body := public.do(t, w.srv, "POST", "/api/v1/reports", `{"narrative":"pay to withdraw_me_01","indicators":[{"value":"withdraw_me_01","kind":"wechat"}]}`)
	if code != 201 {
		t.Fatal(code, body)
	}
	var r struct {
		ID    string
		Token string `json:"withdraw_token"`
	}
	decodeInto(t, body, &r)
	if r.Token == "" {
		t.Fatal("no withdrawal token")
	}
	if code, _ := public.do(t, w.srv, "DELETE", "/api/v1/reports/"+r.ID, "", "X-Withdraw-Token", r.Token+"x"); code != 403 {
		t.Errorf("wrong token: %d", code)
	}
	if code, _ := w.actors["analystA"].do(t, w.srv, "DELETE", "/api/v1/reports/"+r.ID, ""); code != 403 {
		t.Errorf("not the author: %d", code)
	}
	if code, _ := public.do(t, w.srv, "DELETE", "/api/v1/reports/"+r.ID, "", "X-Withdraw-Token", r.Token); code != 204 {
		t.Errorf("withdraw: %d", code)
	}
	if l := lookupAs(t, public, w, "withdraw_me_01"); l.Known || l.Reports != 0 {
		t.Errorf("after withdrawal: %+v", l)
	}
	// An account withdraws its own report.
	reporter := w.actors["reporter"]
	if code, _ := reporter.do(t, w.srv, "DELETE", "/api/v1/reports/"+w.ids["red"], ""); code != 204 {
		t.Errorf("own report: %d", code)
	}
}
