package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"vigil/internal/auth"
	"vigil/internal/store"
	"vigil/internal/store/sqlstore"
	"vigil/internal/store/storetest"
	"vigil/internal/webhook"
)

// newIntakeServer starts the API on a fresh SQLite store with an intake
// organisation, which owns the cases families file without naming one.
func newIntakeServer(t *testing.T) (*httptest.Server, *sqlstore.DB, store.Org) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "vigil.db"), sqlstore.Options{Keys: storetest.Keys()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	intake, err := db.AddOrg(ctx, store.Org{Name: "Missing Persons Hotline"})
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(ctx, Config{Store: db, IntakeOrg: intake.ID, ReportBurst: 100, PasswordParams: testPasswords},
		slog.New(slog.NewTextHandler(io.Discard, nil)), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	stores.Store(srv.URL, db)
	t.Cleanup(func() { stores.Delete(srv.URL) })
	return srv, db, intake
}

// hookReceiver is a partner's webhook endpoint: it keeps what it is sent.
type hookReceiver struct {
	mu    sync.Mutex
	calls []hookCall
}

type hookCall struct {
	signature string
	body      []byte
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	h.calls = append(h.calls, hookCall{signature: r.Header.Get(webhook.SignatureHeader), body: b})
	h.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (h *hookReceiver) received() []hookCall {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]hookCall(nil), h.calls...)
}

// TestTraffickingScenario walks the story of issue 6 over HTTP. A mother
// whose 19-year-old son wrote "we were tricked and sold to Myanmar" files
// a case without an account: the job ad that lured him, the recruiter's
// WeChat, the ransom demanded into a TRON (USDT) wallet, and his own
// WeChat. A caseworker of the intake organisation watches it with a
// webhook. Separately, scam reports arrive: one paid into that wallet,
// another naming the son's WeChat as the scammer's contact. The case gains
// a lead for each, with its path; the webhook receives verifiable signed
// alerts; the public lookup of the son's WeChat says nothing of any case
// or crime, while an analyst reading the report learns that its "scammer"
// may be forced. Rejecting the wallet's report removes its lead, closing
// the case removes all, and the family follows the status with its code.
func TestTraffickingScenario(t *testing.T) {
	srv, db, intake := newIntakeServer(t)
	ctx := context.Background()
	const (
		son       = "Li Wei"
		sonWeChat = "li_wei_2006"
		recruiter = "hr_thai_jobs88"
		wallet    = "TY1D5C4GvSCeFHd29acUJ4ar649rfcbnhU"
		lure      = "Customer service job in Bangkok, 15,000 yuan a month, flights paid. Add WeChat hr_thai_jobs88."
	)
	mother := client{t: t, base: srv.URL, from: "127.0.0.1"}

	// 1. The mother files the case: no account, no organisation named.
	var filed caseCreated
	mother.json("POST", "/api/v1/cases", fmt.Sprintf(`{"urgency":"critical","consent":"full",
		"subject":{"names":[%q,"李伟"],"age":19,"sex":"male","nationality":["CN"],"accounts":["wechat: %s"]},
		"reporter":{"name":"Wang Fang","relationship":"mother","contact":"+86 139 0013 9000"},
		"recruitment":{"method":"online_ad","channel":"wechat","lure":%q,"recruiters":["wechat: %s"]},
		"journey":[{"place":"Mae Sot","type":"transit"},{"place":"KK Park","type":"last_known"}],
		"exploitation":{"types":["forced_criminality"],"controls":["withholds_documents","debt_bondage"]},
		"contact_log":[{"channel":"wechat","from":"%s","from_role":"subject_contact","text":"Mum, we were tricked and sold to Myanmar."}],
		"demands":[{"amount":{"amount":"450000","currency":"CNY"},"payment":["%s"],"note":"Pay in USDT or he is sold on."}]}`,
		son, sonWeChat, lure, recruiter, sonWeChat, wallet), 201, &filed)
	if filed.Family == nil || filed.Status != "reported" {
		t.Fatalf("the family's filing: %+v", filed)
	}

	// 2. A caseworker of the intake organisation finds it and watches it.
	worker := account(t, srv, "duty@hotline.example.org", auth.RoleCaseworker, intake.ID)
	if code, body := worker.do(t, srv, "GET", "/api/v1/cases", ""); code != 200 || !strings.Contains(body, filed.ID) {
		t.Fatalf("the intake caseworker's list: %d %s", code, body)
	}
	receiver := &hookReceiver{}
	hook := httptest.NewServer(receiver)
	defer hook.Close()
	code, body := worker.do(t, srv, "POST", "/api/v1/watches", `{"kind":"case","target":"`+filed.ID+`","webhook_url":"`+hook.URL+`/vigil"}`)
	if code != 201 {
		t.Fatalf("watch: %d %s", code, body)
	}
	var watch store.Watch
	decodeInto(t, body, &watch)
	if watch.Secret == "" {
		t.Fatalf("no webhook secret: %s", body)
	}

	// 3. Scam reports arrive from other people: an investment scam paid
	// into the wallet, a romance scam from the son's WeChat.
	var invest, romance reportCreated
	client{t: t, base: srv.URL, from: "127.0.2.1"}.json("POST", "/api/v1/reports", `{"scam_type":"investment","channel":"telegram",
		"narrative":"The tutor had me deposit USDT for a trading platform.","indicators":[{"value":"`+wallet+`","role":"payment"}]}`, 201, &invest)
	client{t: t, base: srv.URL, from: "127.0.3.1"}.json("POST", "/api/v1/reports", `{"scam_type":"romance","channel":"wechat",
		"narrative":"A young man chatted with me for weeks, then asked for money.","indicators":[{"value":"`+sonWeChat+`","kind":"wechat","role":"scammer_contact"}]}`, 201, &romance)

	// 4. The case has a lead for each, with the path that made it.
	leads := func() []store.Lead {
		t.Helper()
		code, body := worker.do(t, srv, "GET", "/api/v1/cases/"+filed.ID+"/leads", "")
		if code != 200 {
			t.Fatalf("leads: %d %s", code, body)
		}
		var l leadList
		decodeInto(t, body, &l)
		return l.Leads
	}
	find := func(ls []store.Lead, kind, value string) *store.Lead {
		for i, l := range ls {
			if l.Kind == kind && l.Indicator != nil && l.Indicator.Value == value {
				return &ls[i]
			}
		}
		return nil
	}
	ls := leads()
	walletLead, forced := find(ls, store.LeadReports, wallet), find(ls, store.LeadForcedScammer, sonWeChat)
	if walletLead == nil || forced == nil {
		t.Fatalf("want a reports lead for the wallet and a possible forced scammer lead for the WeChat: %+v", ls)
	}
	if len(walletLead.Reports) != 1 || walletLead.Reports[0] != invest.ID || walletLead.Path == "" || !strings.Contains(walletLead.Path, "investment") {
		t.Errorf("the wallet's lead and its path: %+v", *walletLead)
	}
	if len(forced.Reports) != 1 || forced.Reports[0] != romance.ID || forced.Path == "" {
		t.Errorf("the forced scammer lead and its path: %+v", *forced)
	}

	// 5. The watcher's webhook receives signed alerts, ids only.
	sender := &webhook.Sender{Store: db, AllowPrivate: true}
	if _, err := sender.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	calls := receiver.received()
	kinds := map[string]bool{}
	for _, c := range calls {
		if err := webhook.Verify([]byte(watch.Secret), c.signature, c.body, time.Now(), 0); err != nil {
			t.Errorf("a delivery does not verify: %v: %s", err, c.body)
		}
		if err := webhook.Verify([]byte("another secret entirely"), c.signature, c.body, time.Now(), 0); err == nil {
			t.Errorf("a delivery verifies under another secret")
		}
		var a struct {
			Event, Case string
			LeadKind    string `json:"lead_kind"`
		}
		if err := json.Unmarshal(c.body, &a); err != nil {
			t.Errorf("delivery body: %v: %s", err, c.body)
		}
		if a.Case == filed.ID && a.Event == "lead.new" {
			kinds[a.LeadKind] = true
		}
		for _, secret := range []string{son, sonWeChat, wallet, recruiter, "Wang Fang"} {
			if strings.Contains(string(c.body), secret) {
				t.Errorf("a delivery carries %q: %s", secret, c.body)
			}
		}
	}
	if !kinds[store.LeadReports] || !kinds[store.LeadForcedScammer] {
		t.Errorf("deliveries %d, lead kinds alerted %v: want both", len(calls), kinds)
	}
	if code, body := worker.do(t, srv, "GET", "/api/v1/watches/"+watch.ID+"/deliveries", ""); code != 200 || !strings.Contains(body, `"delivered"`) {
		t.Errorf("delivery log: %d %s", code, body)
	}

	// 6. The public lookup of the son's WeChat: how often reported, and
	// nothing of any case or crime.
	public := client{t: t, base: srv.URL, from: "127.0.9.1"}
	code, _, body = public.do("GET", "/api/v1/lookup?q="+sonWeChat, "")
	if code != 200 || !strings.Contains(body, `"reports":1`) {
		t.Errorf("public lookup: %d %s", code, body)
	}
	for _, word := range []string{"criminal", "scammer", "forced", "trafficking", "case", filed.ID, son, "李伟"} {
		if strings.Contains(strings.ToLower(body), strings.ToLower(word)) {
			t.Errorf("the public lookup of the son's WeChat says %q: %s", word, body)
		}
	}
	// The analyst reading the report learns its "scammer" may be forced;
	// the public reading it does not.
	analyst := account(t, srv, "analyst@police.example.org", auth.RoleAnalyst, "")
	if code, body := analyst.do(t, srv, "GET", "/api/v1/reports/"+romance.ID, ""); code != 200 || !strings.Contains(body, `"possible_forced_labour":true`) {
		t.Errorf("the analyst's report: %d %s", code, body)
	}
	if code, _, body := public.do("GET", "/api/v1/reports/"+romance.ID, ""); code != 200 || strings.Contains(body, "forced") {
		t.Errorf("the public's report: %d %s", code, body)
	}
	if code, body := analyst.do(t, srv, "GET", "/api/v1/reports/"+invest.ID, ""); code != 200 || strings.Contains(body, "possible_forced_labour") {
		t.Errorf("the wallet's report is no forced scammer's: %d %s", code, body)
	}

	// 7. The wallet's report is rejected: its lead is gone.
	if code, body := analyst.do(t, srv, "POST", "/api/v1/reports/"+invest.ID+"/status", `{"status":"rejected"}`); code != 200 {
		t.Fatalf("reject: %d %s", code, body)
	}
	ls = leads()
	if find(ls, store.LeadReports, wallet) != nil || find(ls, store.LeadForcedScammer, sonWeChat) == nil {
		t.Errorf("after the rejection: %+v", ls)
	}

	// 8. The son is rescued and the case closed: no leads.
	var c struct{ Version int }
	if code, body = worker.do(t, srv, "GET", "/api/v1/cases/"+filed.ID, ""); code != 200 {
		t.Fatalf("read the case: %d %s", code, body)
	}
	decodeInto(t, body, &c)
	code, body = worker.do(t, srv, "PATCH", "/api/v1/cases/"+filed.ID, fmt.Sprintf(`{"version":%d,"status":"closed","closed_reason":"Rescued and home."}`, c.Version))
	if code != 200 {
		t.Fatalf("close: %d %s", code, body)
	}
	if ls := leads(); len(ls) != 0 {
		t.Errorf("a closed case has leads: %+v", ls)
	}

	// 9. The family follows the status with the code; a wrong code is a
	// 404 like an unknown link.
	family := "/api/v1/family/cases/" + filed.Family.Token
	code, _, body = mother.do("GET", family, "", "X-Case-Code", filed.Family.Code)
	var seen familyView
	if code == 200 {
		decodeInto(t, body, &seen)
	}
	if code != 200 || seen.Status != "closed" || seen.StatusLabel.En != "Closed" || seen.StatusLabel.Zh == "" || len(seen.Notes) != 0 {
		t.Errorf("the family's view: %d %s", code, body)
	}
	if code, _, body := mother.do("GET", family, "", "X-Case-Code", "9999-9999"); code != 404 || strings.Contains(body, son) {
		t.Errorf("a wrong code: %d %s", code, body)
	}
	if code, _, _ := mother.do("GET", "/api/v1/family/cases/not-a-link", "", "X-Case-Code", filed.Family.Code); code != 404 {
		t.Errorf("an unknown link: %d", code)
	}
}
