package storetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"vigil/internal/extract"
	"vigil/internal/place"
	"vigil/internal/report"
	"vigil/internal/store"
)

// Values of the watch tests.
const (
	watchedAccount = "held_son_acct01"
	watchedWallet  = "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL"
	caseWallet     = "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7"
	watchSubject   = "Chen Jie, watched"
)

// watchAlerts returns a user's alerts, newest first, with their ids and
// times checked and blanked for comparison.
func watchAlerts(t *testing.T, s store.Store, user string) []store.Alert {
	t.Helper()
	as, err := s.Alerts(ctx, user, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range as {
		if as[i].ID == "" || as[i].CreatedAt.IsZero() || i > 0 && as[i].ID > as[i-1].ID {
			t.Errorf("alerts of %s: %+v (ids, times, newest first)", user, as)
			break
		}
	}
	for i := range as {
		as[i].ID, as[i].CreatedAt = "", time.Time{}
	}
	return as
}

// testWatches: watches of each kind hear of the changes the store's own
// writes make (a report naming a value, a report joining a network also
// after a merge, a lead appearing and going on a case); webhooks get
// deliveries carrying ids only; the delivery log records each attempt;
// a watch is its owner's alone.
func testWatches(t *testing.T, open Opener) {
	t.Run("TLP", func(t *testing.T) { testWatchesTLP(t, open) })
	s := open(t, 0)
	for _, w := range []store.Watch{
		{User: "u1", Kind: "person", Target: "x"},
		{User: "u1", Kind: store.WatchValue, Target: ""},
		{User: "u1", Kind: store.WatchCase, Target: "01JC", WebhookURL: "mailto:a@example.org"},
		{User: "u1", Kind: store.WatchCase, Target: "01JC", WebhookURL: "//example.org/hook"},
	} {
		if _, err := s.AddWatch(ctx, w); !errors.Is(err, report.ErrInvalid) {
			t.Errorf("AddWatch(%+v): %v, want report.ErrInvalid", w, err)
		}
	}
	if _, err := s.AddWatch(ctx, store.Watch{User: "u1", Kind: store.WatchNetwork, Target: "01JNOSUCHNETWORK00000000"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("watching a network that does not exist: %v, want ErrNotFound", err)
	}
	watch := func(w store.Watch) store.Watch {
		t.Helper()
		got, err := s.AddWatch(ctx, w)
		if err != nil {
			t.Fatalf("AddWatch(%+v): %v", w, err)
		}
		if got.ID == "" || got.CreatedAt.IsZero() || (w.WebhookURL != "") != (got.Secret != "") {
			t.Errorf("AddWatch(%+v) = %+v", w, got)
		}
		return got
	}

	// u1 watches an account (no webhook) and a wallet (webhook).
	account := watch(store.Watch{User: "u1", Kind: store.WatchValue, Target: "wechat:" + watchedAccount})
	wallet := watch(store.Watch{User: "u1", Kind: store.WatchValue, Target: "trx:" + watchedWallet, WebhookURL: "https://hooks.example.org/u1"})
	if len(wallet.Secret) != 64 {
		t.Errorf("made secret %q, want 64 hex digits", wallet.Secret)
	}
	// u2 watches the network of b, which loses its label when c merges
	// it with a's (the older network keeps its label when sizes tie).
	a := add(t, s, rep("wa", "investment", "wechat:left_net_01"))
	b := add(t, s, rep("wb", "investment", "wechat:right_net_01"))
	network := watch(store.Watch{User: "u2", Kind: store.WatchNetwork, Target: netOf(t, s, b), WebhookURL: "https://hooks.example.org/u2", Secret: "u2's own secret, long enough"})
	// u3 watches a case whose ransom wallet no report names yet.
	caseID, _, err := s.AddCase(ctx, caseForWatch(t), store.CaseFiling{})
	if err != nil {
		t.Fatal(err)
	}
	onCase := watch(store.Watch{User: "u3", Kind: store.WatchCase, Target: caseID, WebhookURL: "https://hooks.example.org/u3"})

	named := add(t, s, rep("wn", "romance", "wechat:"+watchedAccount, "recruiter=wechat:"+watchedAccount))
	paid := add(t, s, rep("wp", "investment", "payment=trx:"+watchedWallet))
	add(t, s, rep("wx", "investment", "wechat:unwatched_acct")) // nobody's
	c := add(t, s, rep("wc", "investment", "wechat:left_net_01", "wechat:right_net_01"))
	merged := netOf(t, s, c)
	if merged == network.Target || netOf(t, s, a) != merged || netOf(t, s, b) != merged {
		t.Fatalf("the networks did not merge under a's label: watched %s, merged %s", network.Target, merged)
	}
	d := add(t, s, rep("wd", "investment", "wechat:right_net_01"))
	ransom := add(t, s, rep("wr", "investment", "payment=trx:"+caseWallet))
	if err := s.SetReportStatus(ctx, ransom, report.StatusRejected, ""); err != nil {
		t.Fatal(err)
	}

	if diff := cmp.Diff([]store.Alert{
		{Watch: wallet.ID, Event: "report.new", Report: paid, Network: netOf(t, s, paid)},
		{Watch: account.ID, Event: "report.new", Report: named, Network: netOf(t, s, named)},
	}, watchAlerts(t, s, "u1")); diff != "" {
		t.Errorf("u1's alerts (a value named, once however often; -want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]store.Alert{
		{Watch: network.ID, Event: "report.new", Report: d, Network: merged},
		{Watch: network.ID, Event: "report.new", Report: c, Network: merged},
	}, watchAlerts(t, s, "u2")); diff != "" {
		t.Errorf("u2's alerts (reports joining the network, through a merge; -want +got):\n%s", diff)
	}
	leads := watchAlerts(t, s, "u3")
	var lead string
	if len(leads) == 2 {
		lead = leads[0].Lead
	}
	if diff := cmp.Diff([]store.Alert{
		{Watch: onCase.ID, Event: "lead.gone", Case: caseID, Lead: lead, LeadKind: store.LeadReports},
		{Watch: onCase.ID, Event: "lead.new", Case: caseID, Lead: lead, LeadKind: store.LeadReports},
	}, leads); diff != "" || lead == "" {
		t.Errorf("u3's alerts (a lead on the case, gone when its report was rejected; -want +got):\n%s", diff)
	}

	// Deliveries: for the watches with a webhook only, due now, bodies
	// the alerts with their type, ids only.
	due, err := s.DueDeliveries(ctx, time.Now().Add(time.Second), 100)
	if err != nil {
		t.Fatal(err)
	}
	perWatch := map[string]int{}
	secrets := map[string]string{wallet.ID: wallet.Secret, network.ID: network.Secret, onCase.ID: onCase.Secret}
	for _, p := range due {
		perWatch[p.Watch]++
		if p.Status != "pending" || p.Attempts != 0 || string(p.Secret) != secrets[p.Watch] {
			t.Errorf("due delivery %+v, secret %q", p.Delivery, p.Secret)
		}
		var body map[string]any
		if err := json.Unmarshal(p.Body, &body); err != nil || body["type"] != "vigil.alert" || body["id"] != p.Alert || body["watch"] != p.Watch {
			t.Errorf("body %s: %v", p.Body, err)
		}
		for _, personal := range []string{watchedAccount, watchedWallet, caseWallet, watchSubject, "narrative of"} {
			if bytes.Contains(p.Body, []byte(personal)) {
				t.Errorf("body %s holds %q", p.Body, personal)
			}
		}
	}
	if want := map[string]int{wallet.ID: 1, network.ID: 2, onCase.ID: 2}; !cmp.Equal(want, perWatch) {
		t.Errorf("deliveries per watch: %v, want %v", perWatch, want)
	}

	// The delivery log records each attempt.
	var hook string
	for _, p := range due {
		if p.Watch == wallet.ID {
			hook = p.ID
		}
	}
	retry := time.Now().Add(30 * time.Second).UTC().Truncate(time.Millisecond)
	if err := s.RecordDelivery(ctx, hook, store.Attempt{At: time.Now(), Code: 500, Error: "500 Internal Server Error"}, retry); err != nil {
		t.Fatal(err)
	}
	log, err := s.Deliveries(ctx, "u1", wallet.ID, 0)
	if err != nil || len(log) != 1 {
		t.Fatalf("delivery log: %+v %v", log, err)
	}
	if l := log[0]; l.ID != hook || l.Status != "pending" || l.Attempts != 1 || l.LastCode != 500 || l.LastError == "" ||
		l.NextAt == nil || !l.NextAt.Equal(retry) || l.URL != wallet.WebhookURL {
		t.Errorf("after a failed attempt: %+v", l)
	}
	if err := s.RecordDelivery(ctx, hook, store.Attempt{At: time.Now(), Code: 200}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if log, err = s.Deliveries(ctx, "u1", wallet.ID, 0); err != nil || log[0].Status != "delivered" || log[0].Attempts != 2 || log[0].DeliveredAt == nil {
		t.Errorf("after a delivered attempt: %+v %v", log, err)
	}
	if log, err := s.Deliveries(ctx, "u1", account.ID, 0); err != nil || len(log) != 0 {
		t.Errorf("deliveries of a watch without a webhook: %+v %v", log, err)
	}

	// A watch is its owner's alone; the list shows the value watched and
	// the network's label now, never the secret.
	ws, err := s.Watches(ctx, "u1")
	if err != nil {
		t.Fatal(err)
	}
	for i := range ws {
		ws[i].CreatedAt = time.Time{}
	}
	if diff := cmp.Diff([]store.Watch{
		{ID: account.ID, User: "u1", Kind: store.WatchValue, Target: "wechat:" + watchedAccount},
		{ID: wallet.ID, User: "u1", Kind: store.WatchValue, Target: "trx:" + watchedWallet, WebhookURL: wallet.WebhookURL},
	}, ws); diff != "" {
		t.Errorf("u1's watches (-want +got):\n%s", diff)
	}
	if ws, err := s.Watches(ctx, "u2"); err != nil || len(ws) != 1 || ws[0].Target != merged || ws[0].Secret != "" {
		t.Errorf("u2's watches: %+v %v", ws, err)
	}
	if _, err := s.Deliveries(ctx, "u2", wallet.ID, 0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another user's delivery log: %v, want ErrNotFound", err)
	}
	if err := s.DeleteWatch(ctx, "u2", wallet.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another user deleting: %v, want ErrNotFound", err)
	}
	if as := watchAlerts(t, s, "u2"); len(as) != 2 {
		t.Errorf("another user's alerts changed: %+v", as)
	}
	if err := s.DeleteWatch(ctx, "u1", account.ID); err != nil {
		t.Fatal(err)
	}
	add(t, s, rep("wz", "romance", "wechat:"+watchedAccount))
	if as := watchAlerts(t, s, "u1"); len(as) != 1 || as[0].Watch != wallet.ID {
		t.Errorf("after deleting the account watch: %+v", as)
	}
	if err := s.DeleteWatch(ctx, "u1", account.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleting twice: %v, want ErrNotFound", err)
	}
}

// testWatchesTLP: a watch hears only of reports its owner may see: an
// alert naming a hidden report would tell that it exists and names the
// value.
func testWatchesTLP(t *testing.T, open Opener) {
	s := open(t, 0)
	orgA, err := s.AddOrg(ctx, store.Org{Name: "NGO A"})
	if err != nil {
		t.Fatal(err)
	}
	orgB, err := s.AddOrg(ctx, store.Org{Name: "NGO B"})
	if err != nil {
		t.Fatal(err)
	}
	member, err := s.AddUser(ctx, store.User{Login: "watcher-a@ngo.example", Name: "Watcher A", Role: "caseworker", Org: orgA.ID, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddKey(ctx, store.APIKey{ID: "kb1", Hash: "hash-of-kb1", Name: "B's system", Org: orgB.ID, CreatedBy: "adm", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	watchers := map[string]string{"member of A": member.ID, "key of B": "key:kb1", "no organisation": "someone-else"}
	ids := map[string]string{}
	for name, user := range watchers {
		w, err := s.AddWatch(ctx, store.Watch{User: user, Kind: store.WatchValue, Target: "wechat:" + watchedAccount})
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = w.ID
	}
	labelled := func(reporter, tlp, org, author string) string {
		r := rep(reporter, "investment", "wechat:"+watchedAccount)
		r.TLP, r.Org, r.Author = tlp, org, author
		return add(t, s, r)
	}
	clear := labelled("t1", report.TLPClear, "", "")
	green := labelled("t2", report.TLPGreen, orgB.ID, "")
	amberA := labelled("t3", report.TLPAmber, orgA.ID, "")
	amberB := labelled("t4", report.TLPAmber, orgB.ID, "")
	red := labelled("t5", report.TLPRed, orgA.ID, member.ID)
	names := map[string]string{clear: "clear", green: "green", amberA: "amber of A", amberB: "amber of B", red: "red, written by the member"}
	want := map[string][]string{
		"member of A":     {"clear", "green", "amber of A", "red, written by the member"},
		"key of B":        {"clear", "green", "amber of B"},
		"no organisation": {"clear"},
	}
	for name, user := range watchers {
		var got []string
		as := watchAlerts(t, s, user)
		for i := len(as) - 1; i >= 0; i-- {
			if as[i].Watch != ids[name] {
				t.Errorf("%s got an alert of another watch: %+v", name, as[i])
			}
			got = append(got, names[as[i].Report])
		}
		if diff := cmp.Diff(want[name], got); diff != "" {
			t.Errorf("alerts of the %s (-want +got):\n%s", name, diff)
		}
	}
}

// caseForWatch is a case whose ransom is to be paid into caseWallet.
func caseForWatch(t *testing.T) *report.Case {
	t.Helper()
	at := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	c := &report.Case{Org: "ngoW", Source: "api", Subject: report.Person{Names: []string{watchSubject}, Nationality: []string{"CN"}},
		Demands: []report.Demand{{At: at, Amount: &report.Money{Amount: "300000", Currency: "CNY"}, Payment: []string{caseWallet}}}}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := report.ResolveCase(extract.New(extract.Options{}), place.Default(), c); err != nil {
		t.Fatal(err)
	}
	return c
}
