// Package storetest is the conformance suite every store.Store passes:
// run it from the implementation's tests with Run.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"vigil/internal/auth"

	"vigil/internal/indicator"
	"vigil/internal/report"
	"vigil/internal/store"
)

// Opener opens a fresh, empty store for one test; overCommon is the
// over-common threshold (0: the default).
type Opener func(t *testing.T, overCommon int) store.Store

// all sees every report: the suite's reads of what it wrote.
var seeAll = store.Viewer{All: true}

// Run runs the suite.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, Opener)
	}{
		{"RoundTrip", testRoundTrip},
		{"Idempotency", testIdempotency},
		{"ImportKey", testImportKey},
		{"Lookup", testLookup},
		{"Networks", testNetworks},
		{"NonConnecting", testNonConnecting},
		{"OverCommon", testOverCommon},
		{"RejectAndDelete", testRejectAndDelete},
		{"Search", testSearch},
		{"Feeds", testFeeds},
		{"Imported", testImported},
		{"NetworksMatchRecomputation", testNetworksRandom},
		{"Visibility", testVisibility},
		{"Watches", testWatches},
		{"CaseRoundTrip", testCaseRoundTrip},
		{"CaseVisibility", testCaseVisibility},
		{"CaseList", testCaseList},
		{"CaseConflict", testCaseConflict},
		{"CaseFiling", testCaseFiling},
		{"Evidence", testEvidence},
		{"Leads", testLeads},
		{"CaseLeads", testCaseLeads},
		{"PhotoLeads", testPhotoLeads},
		{"LeadsTLP", testLeadsTLP},
		{"Place", testPlace},
		{"ForcedScammer", testForcedScammer},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

var ctx = context.Background()

// rep makes a report with links; values are "kind:value".
func rep(reporter, scamType string, links ...string) *report.Report {
	r := &report.Report{Kind: "scam", ScamType: scamType, Channel: "wechat", Narrative: "narrative of " + reporter,
		Status: report.StatusNew, Reporter: reporter, Source: "api"}
	for _, l := range links {
		role := report.RoleScammerContact
		if r, v, ok := strings.Cut(l, "="); ok {
			role, l = r, v
		}
		kind, value, _ := strings.Cut(l, ":")
		r.Indicators = append(r.Indicators, report.Link{Kind: indicator.Kind(kind), Value: value, Role: role, Origin: "named"})
	}
	return r
}

func add(t *testing.T, s store.Store, r *report.Report) string {
	t.Helper()
	id, created, err := s.AddReport(ctx, r, store.Idempotency{})
	if err != nil || !created {
		t.Fatalf("AddReport: %v (created %v)", err, created)
	}
	return id
}

func info(t *testing.T, s store.Store, kind, value string) store.IndicatorInfo {
	t.Helper()
	is, err := s.Lookup(ctx, store.Viewer{}, []store.Key{{Kind: indicator.Kind(kind), Value: value}})
	if err != nil {
		t.Fatal(err)
	}
	return is[0]
}

func netOf(t *testing.T, s store.Store, id string) string {
	t.Helper()
	r, err := s.Report(ctx, seeAll, id)
	if err != nil {
		t.Fatal(err)
	}
	return r.NetworkID
}

func size(t *testing.T, s store.Store, id string) int {
	t.Helper()
	n, err := s.Network(ctx, store.Viewer{}, netOf(t, s, id))
	if err != nil {
		t.Fatalf("network of %s: %v", id, err)
	}
	return n.Size
}

func testRoundTrip(t *testing.T, open Opener) {
	s := open(t, 0)
	when := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	r := rep("alice", "investment", "phone:+8613800138000", "payment=trx:TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp", "victim_contact=phone:+8613900139000")
	r.Narrative = "他让我转 USDT 到这个地址"
	r.Loss = &report.Money{Amount: "1200.5", Currency: "USD"}
	r.OccurredAt, r.VictimCountry, r.Language = &when, "CN", "zh-Hans"
	id := add(t, s, r)
	got, err := s.Report(ctx, seeAll, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != id || got.Narrative != r.Narrative || got.ScamType != "investment" || got.Channel != "wechat" || got.Status != "new" ||
		got.Loss == nil || *got.Loss != *r.Loss || got.OccurredAt == nil || !got.OccurredAt.Equal(when) || got.VictimCountry != "CN" ||
		got.Language != "zh-Hans" || got.Source != "api" || got.CreatedAt.IsZero() || got.NetworkID == "" {
		t.Errorf("round trip: got %+v", got)
	}
	if len(got.Indicators) != 3 {
		t.Fatalf("indicators: %+v", got.Indicators)
	}
	roles := map[string]string{}
	for _, l := range got.Indicators {
		roles[l.Value] = l.Role
	}
	if roles["+8613900139000"] != report.RoleVictimContact || roles["TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"] != report.RolePayment {
		t.Errorf("roles: %v", roles)
	}
	if _, err := s.Report(ctx, seeAll, "01HNOSUCHREPORT0000000000"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing report: %v, want ErrNotFound", err)
	}
}

func testIdempotency(t *testing.T, open Opener) {
	s := open(t, 0)
	idem := store.Idempotency{Key: "k-1", Hash: "h-1"}
	id1, created, err := s.AddReport(ctx, rep("a", "romance", "phone:+8613800138000"), idem)
	if err != nil || !created {
		t.Fatal(err, created)
	}
	id2, created, err := s.AddReport(ctx, rep("a", "romance", "phone:+8613800138000"), idem)
	if err != nil || created || id2 != id1 {
		t.Errorf("repeat: id %s created %v err %v, want %s false nil", id2, created, err, id1)
	}
	if _, _, err := s.AddReport(ctx, rep("a", "loan"), store.Idempotency{Key: "k-1", Hash: "other"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("same key, other request: %v, want ErrConflict", err)
	}
	if got := info(t, s, "phone", "+8613800138000"); got.Reports != 1 {
		t.Errorf("reports %d after a retried write, want 1", got.Reports)
	}
}

func testImportKey(t *testing.T, open Opener) {
	s := open(t, 0)
	r := rep("feed", "task", "wechat:scam_agent01")
	r.ImportKey = "row-1"
	id1, created, err := s.AddReport(ctx, r, store.Idempotency{})
	if err != nil || !created {
		t.Fatal(err)
	}
	r2 := rep("feed", "task", "wechat:scam_agent01")
	r2.ImportKey = "row-1"
	id2, created, err := s.AddReport(ctx, r2, store.Idempotency{})
	if err != nil || created || id2 != id1 {
		t.Errorf("same import key: %s %v %v", id2, created, err)
	}
}

func testLookup(t *testing.T, open Opener) {
	s := open(t, 0)
	add(t, s, rep("alice", "investment", "phone:+8613800138000"))
	add(t, s, rep("alice", "investment", "phone:+8613800138000"))
	add(t, s, rep("bob", "romance", "phone:+8613800138000", "victim_contact=phone:+8613900139000"))
	got := info(t, s, "phone", "+8613800138000")
	if !got.Known || got.Reports != 3 || got.Reporters != 2 {
		t.Errorf("reports %d reporters %d known %v, want 3, 2 (alice twice counts once), true", got.Reports, got.Reporters, got.Known)
	}
	if !slices.Equal(got.ScamTypes, []string{"investment", "romance"}) {
		t.Errorf("scam types %v", got.ScamTypes)
	}
	if got.FirstSeen.IsZero() || got.LastSeen.Before(got.FirstSeen) || got.Network != 3 || got.NetworkID == "" {
		t.Errorf("seen %v..%v, network %s of %d", got.FirstSeen, got.LastSeen, got.NetworkID, got.Network)
	}
	if v := info(t, s, "phone", "+8613900139000"); v.Known || v.Reports != 0 || v.NetworkID != "" {
		t.Errorf("the victim's own number is not a scam indicator: %+v", v)
	}
	if v := info(t, s, "phone", "+8613700137000"); v.Known || v.Reports != 0 {
		t.Errorf("unknown value: %+v", v)
	}
	// A batch answers in order.
	is, err := s.Lookup(ctx, store.Viewer{}, []store.Key{{Kind: "phone", Value: "+1"}, {Kind: "phone", Value: "+8613800138000"}})
	if err != nil || len(is) != 2 || is[0].Known || is[1].Reports != 3 {
		t.Errorf("batch: %+v %v", is, err)
	}
}

func testNetworks(t *testing.T, open Opener) {
	s := open(t, 0)
	a := add(t, s, rep("r1", "investment", "phone:+8613800138000"))
	b := add(t, s, rep("r2", "investment", "phone:+8613800138000", "payment=trx:TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"))
	c := add(t, s, rep("r3", "romance", "payment=trx:TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"))
	d := add(t, s, rep("r4", "loan", "wechat:other_guy"))
	if netOf(t, s, a) != netOf(t, s, c) || size(t, s, a) != 3 {
		t.Errorf("a, b, c share indicators: networks %s %s %s, size %d", netOf(t, s, a), netOf(t, s, b), netOf(t, s, c), size(t, s, a))
	}
	if netOf(t, s, d) == netOf(t, s, a) || size(t, s, d) != 1 {
		t.Errorf("d is alone")
	}
	path, err := s.Path(ctx, store.Viewer{}, a, c)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"report " + a, "indicator phone:+8613800138000", "report " + b, "indicator trx:TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp", "report " + c}
	if got := steps(path); !slices.Equal(got, want) {
		t.Errorf("path a->c:\n got %v\nwant %v", got, want)
	}
	if _, err := s.Path(ctx, store.Viewer{}, a, d); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("path to an unlinked report: %v, want ErrNotFound", err)
	}
	// A report that joins two networks merges them.
	e := add(t, s, rep("r5", "loan", "wechat:other_guy", "phone:+8613800138000"))
	if netOf(t, s, d) != netOf(t, s, a) || size(t, s, e) != 5 {
		t.Errorf("merge: d %s a %s size %d", netOf(t, s, d), netOf(t, s, a), size(t, s, e))
	}
	n, err := s.Network(ctx, store.Viewer{}, netOf(t, s, a))
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Reports) != 5 || len(n.Indicators) != 3 || !slices.Equal(n.ScamTypes, []string{"investment", "romance", "loan"}) || n.FirstSeen.After(n.LastSeen) {
		t.Errorf("network: %+v", n)
	}
}

func steps(p []store.Step) []string {
	var out []string
	for _, s := range p {
		if s.Indicator != nil {
			out = append(out, "indicator "+string(s.Indicator.Kind)+":"+s.Indicator.Value)
		} else {
			out = append(out, "report "+s.Report)
		}
	}
	return out
}

func testNonConnecting(t *testing.T, open Opener) {
	s := open(t, 0)
	a := add(t, s, rep("r1", "investment", "victim_contact=phone:+8613900139000", "wechat:aaa_scam"))
	b := add(t, s, rep("r2", "investment", "victim_contact=phone:+8613900139000", "wechat:bbb_scam"))
	if netOf(t, s, a) == netOf(t, s, b) {
		t.Errorf("a victim's own number connected two reports")
	}
	kg := rep("r3", "phishing", "phone:110")
	kg.Indicators[0].KnownGood = "Police"
	c := add(t, s, kg)
	kg2 := rep("r4", "phishing", "phone:110")
	kg2.Indicators[0].KnownGood = "Police"
	d := add(t, s, kg2)
	if netOf(t, s, c) == netOf(t, s, d) {
		t.Errorf("a known-good number connected two reports")
	}
	if v := info(t, s, "phone", "110"); v.KnownGood != "Police" {
		t.Errorf("known-good: %+v", v)
	}
}

func testOverCommon(t *testing.T, open Opener) {
	s := open(t, 3)
	var ids []string
	for i := range 4 {
		ids = append(ids, add(t, s, rep(fmt.Sprint("r", i), "investment", "domain:popular.example", fmt.Sprintf("wechat:own_id_%d", i))))
	}
	if v := info(t, s, "domain", "popular.example"); !v.OverCommon || v.NetworkID != "" || v.Reports != 4 {
		t.Errorf("after 4 reports with threshold 3: %+v", v)
	}
	for _, id := range ids {
		if size(t, s, id) != 1 {
			t.Errorf("report %s: network size %d, want 1 (an over-common value does not connect)", id, size(t, s, id))
		}
	}
	if err := s.DeleteReport(ctx, ids[3]); err != nil {
		t.Fatal(err)
	}
	if v := info(t, s, "domain", "popular.example"); v.OverCommon || v.Reports != 3 {
		t.Errorf("after a delete: %+v", v)
	}
	if size(t, s, ids[0]) != 3 || netOf(t, s, ids[0]) != netOf(t, s, ids[2]) {
		t.Errorf("back under the threshold, the value connects again: size %d", size(t, s, ids[0]))
	}
}

func testRejectAndDelete(t *testing.T, open Opener) {
	s := open(t, 0)
	a := add(t, s, rep("r1", "investment", "phone:+8613800138000"))
	b := add(t, s, rep("r2", "romance", "phone:+8613800138000", "payment=trx:TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"))
	c := add(t, s, rep("r3", "romance", "payment=trx:TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"))
	if err := s.SetReportStatus(ctx, b, report.StatusRejected, ""); err != nil {
		t.Fatal(err)
	}
	if netOf(t, s, a) == netOf(t, s, c) || size(t, s, a) != 1 || size(t, s, c) != 1 || netOf(t, s, b) != "" {
		t.Errorf("rejecting the middle report splits the network: a %s c %s b %q", netOf(t, s, a), netOf(t, s, c), netOf(t, s, b))
	}
	if v := info(t, s, "phone", "+8613800138000"); v.Reports != 1 || v.Reporters != 1 || !slices.Equal(v.ScamTypes, []string{"investment"}) {
		t.Errorf("a rejected report does not count: %+v", v)
	}
	if _, err := s.Path(ctx, store.Viewer{}, a, c); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("path through a rejected report: %v", err)
	}
	if err := s.SetReportStatus(ctx, b, report.StatusVerified, ""); err != nil {
		t.Fatal(err)
	}
	if netOf(t, s, a) != netOf(t, s, c) || size(t, s, a) != 3 {
		t.Errorf("verifying it again joins them")
	}
	if err := s.DeleteReport(ctx, b); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Report(ctx, seeAll, b); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted report: %v", err)
	}
	if netOf(t, s, a) == netOf(t, s, c) || size(t, s, a) != 1 {
		t.Errorf("deleting the middle report splits the network")
	}
	if err := s.DeleteReport(ctx, a); err != nil {
		t.Fatal(err)
	}
	if v := info(t, s, "phone", "+8613800138000"); v.Known {
		t.Errorf("a value no report names any more is not known: %+v", v)
	}
	if err := s.DeleteReport(ctx, a); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
	if err := s.SetReportStatus(ctx, c, "bogus", ""); !errors.Is(err, report.ErrInvalid) {
		t.Errorf("bad status: %v", err)
	}
}

func testSearch(t *testing.T, open Opener) {
	s := open(t, 0)
	texts := []struct{ kind, typ, text string }{
		{"scam", "task", "对方让我刷单返利，先转了三千元"},
		{"scam", "investment", "Met her on a dating app; she showed me a crypto investment platform"},
		{"job_offer", "job", "高薪招聘打字员，包机票，去西港工作"},
		{"scam", "investment", "USDT 投资平台无法提现"},
	}
	var ids []string
	for i, x := range texts {
		r := rep(fmt.Sprint("r", i), x.typ)
		r.Kind, r.Narrative = x.kind, x.text
		ids = append(ids, add(t, s, r))
	}
	cases := []struct {
		q    store.Query
		want []int
	}{
		{store.Query{Text: "刷单"}, []int{0}},
		{store.Query{Text: "提现"}, []int{3}},
		{store.Query{Text: "投资平台"}, []int{3}},
		{store.Query{Text: "CRYPTO investment"}, []int{1}},
		// Whole words: the blind index holds keyed hashes of words, not
		// of every substring.
		{store.Query{Text: "invest"}, nil},
		{store.Query{Text: "platform crypto"}, []int{1}},
		{store.Query{Text: "平台 USDT"}, []int{3}},
		{store.Query{Text: "西港"}, []int{2}},
		{store.Query{Text: "100%_"}, nil},
		{store.Query{Text: `"quoted"`}, nil},
		{store.Query{ScamType: "investment"}, []int{3, 1}},
		{store.Query{Kind: "job_offer"}, []int{2}},
		{store.Query{Since: time.Now().Add(time.Hour)}, nil},
		{store.Query{}, []int{3, 2, 1, 0}},
	}
	for _, c := range cases {
		got, _, err := s.SearchReports(ctx, seeAll, c.q)
		if err != nil {
			t.Errorf("%+v: %v", c.q, err)
			continue
		}
		var gotIdx []int
		for _, r := range got {
			gotIdx = append(gotIdx, slices.Index(ids, r.ID))
		}
		if !slices.Equal(gotIdx, c.want) {
			t.Errorf("search %+v: got %v, want %v", c.q, gotIdx, c.want)
		}
	}
	// Pages of two, then the rest.
	var all []string
	cursor := ""
	for range 5 {
		page, next, err := s.SearchReports(ctx, seeAll, store.Query{Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page {
			all = append(all, r.ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	want := slices.Clone(ids)
	slices.Reverse(want)
	if !slices.Equal(all, want) {
		t.Errorf("pages: %v, want %v", all, want)
	}
}

func testFeeds(t *testing.T, open Opener) {
	s := open(t, 0)
	keys := []store.Key{{Kind: "domain", Value: "scam.example"}, {Kind: "eth", Value: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"}}
	for range 2 {
		if err := s.AddListed(ctx, "cryptoscamdb", false, keys, store.ImportState{Key: "f1", Path: "urls.yaml", Line: 2}); err != nil {
			t.Fatal(err)
		}
	}
	v := info(t, s, "domain", "scam.example")
	if !v.Known || v.Reports != 0 || !slices.Equal(v.Sources, []string{"cryptoscamdb"}) || v.FirstSeen.IsZero() {
		t.Errorf("listed value: %+v", v)
	}
	if err := s.AddListed(ctx, "scamsniffer", false, keys[:1], store.ImportState{}); err != nil {
		t.Fatal(err)
	}
	if v := info(t, s, "domain", "scam.example"); !slices.Equal(v.Sources, []string{"cryptoscamdb", "scamsniffer"}) {
		t.Errorf("two feeds: %v", v.Sources)
	}
	p, err := s.ImportProgress(ctx, "f1")
	if err != nil || p.Line != 2 || p.Path != "urls.yaml" {
		t.Errorf("progress %+v %v", p, err)
	}
	// A value later found on a known-good list stops connecting.
	a := add(t, s, rep("r1", "phishing", "domain:bank.example"))
	b := add(t, s, rep("r2", "phishing", "domain:bank.example"))
	if netOf(t, s, a) != netOf(t, s, b) {
		t.Fatal("not connected before")
	}
	if err := s.AddListed(ctx, "misp:bank-website", true, []store.Key{{Kind: "domain", Value: "bank.example"}}, store.ImportState{}); err != nil {
		t.Fatal(err)
	}
	if netOf(t, s, a) == netOf(t, s, b) {
		t.Errorf("a known-good value still connects reports")
	}
	if v := info(t, s, "domain", "bank.example"); v.KnownGood != "misp:bank-website" || v.NetworkID != "" {
		t.Errorf("known-good listing: %+v", v)
	}
}

func testImported(t *testing.T, open Opener) {
	s := open(t, 0)
	var batch []*report.Report
	for i := range 3 {
		r := rep("ngo-file", "job", "wechat:recruiter_hk")
		r.ImportKey = fmt.Sprint("row-", i)
		r.Source = "import"
		batch = append(batch, r)
	}
	n, err := s.AddImported(ctx, batch, store.ImportState{Key: "file-1", Path: "r.jsonl", Line: 3, Done: true})
	if err != nil || n != 3 {
		t.Fatalf("added %d, %v", n, err)
	}
	n, err = s.AddImported(ctx, batch, store.ImportState{Key: "file-1", Path: "r.jsonl", Line: 3, Done: true})
	if err != nil || n != 0 {
		t.Errorf("again: added %d, %v", n, err)
	}
	if v := info(t, s, "wechat", "recruiter_hk"); v.Reports != 3 || v.Reporters != 1 {
		t.Errorf("one source file is one reporter: %+v", v)
	}
	if p, _ := s.ImportProgress(ctx, "file-1"); !p.Done || p.Line != 3 {
		t.Errorf("progress %+v", p)
	}
}

// testNetworksRandom applies random adds, rejections, reinstatements and
// deletions, and checks after each step that the stored networks are the
// connected components recomputed from scratch.
func testNetworksRandom(t *testing.T, open Opener) {
	const threshold = 4
	s := open(t, threshold)
	rng := rand.New(rand.NewPCG(1, 2))
	pool := []string{"phone:+8613800138000", "phone:+8613800138001", "wechat:aaa_111", "wechat:bbb_222", "domain:a.example",
		"domain:b.example", "trx:TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp", "qq:12345678", "qq:87654321", "telegram:scamdesk"}
	type live struct {
		id       string
		links    []string
		rejected bool
	}
	var reports []*live
	steps := 60
	if testing.Short() {
		steps = 25
	}
	for step := range steps {
		switch op := rng.IntN(10); {
		case op < 6 || len(reports) == 0:
			var links []string
			for range 1 + rng.IntN(2) {
				l := pool[rng.IntN(len(pool))]
				if rng.IntN(6) == 0 {
					l = "victim_contact=" + l
				}
				if !slices.ContainsFunc(links, func(x string) bool { return strings.HasSuffix(x, l) || strings.HasSuffix(l, x) }) {
					links = append(links, l)
				}
			}
			r := rep(fmt.Sprint("r", rng.IntN(5)), "investment", links...)
			reports = append(reports, &live{id: add(t, s, r), links: links})
		case op < 8:
			r := reports[rng.IntN(len(reports))]
			status := report.StatusRejected
			if r.rejected {
				status = report.StatusVerified
			}
			if err := s.SetReportStatus(ctx, r.id, status, ""); err != nil {
				t.Fatal(err)
			}
			r.rejected = !r.rejected
		default:
			i := rng.IntN(len(reports))
			if err := s.DeleteReport(ctx, reports[i].id); err != nil {
				t.Fatal(err)
			}
			reports = slices.Delete(reports, i, i+1)
		}
		// Expected components by union-find over connecting links.
		parent := map[string]string{}
		var find func(string) string
		find = func(x string) string {
			if parent[x] == "" || parent[x] == x {
				parent[x] = x
				return x
			}
			parent[x] = find(parent[x])
			return parent[x]
		}
		uses := map[string][]string{}
		for _, r := range reports {
			if r.rejected {
				continue
			}
			find(r.id)
			for _, l := range r.links {
				if !strings.HasPrefix(l, "victim_contact=") {
					uses[l] = append(uses[l], r.id)
				}
			}
		}
		for _, ids := range uses {
			if len(ids) > threshold {
				continue
			}
			for _, id := range ids[1:] {
				parent[find(id)] = find(ids[0])
			}
		}
		groups := map[string][]string{}
		for _, r := range reports {
			if !r.rejected {
				groups[find(r.id)] = append(groups[find(r.id)], r.id)
			}
		}
		for _, g := range groups {
			sort.Strings(g)
			net := netOf(t, s, g[0])
			n, err := s.Network(ctx, store.Viewer{}, net)
			if err != nil {
				t.Fatalf("step %d: network of %s: %v", step, g[0], err)
			}
			var got []string
			for _, r := range n.Reports {
				got = append(got, r.ID)
			}
			if !slices.Equal(got, g) || n.Size != len(g) {
				t.Fatalf("step %d: network %s holds %v (size %d), want %v", step, net, got, n.Size, g)
			}
		}
		for _, r := range reports {
			if r.rejected && netOf(t, s, r.id) != "" {
				t.Fatalf("step %d: rejected report %s is in network %s", step, r.id, netOf(t, s, r.id))
			}
		}
		for l, ids := range uses {
			kind, value, _ := strings.Cut(l, ":")
			v := info(t, s, kind, value)
			if v.Reports != len(ids) || v.OverCommon != (len(ids) > threshold) {
				t.Fatalf("step %d: %s counts %d reports (over-common %v), want %d", step, l, v.Reports, v.OverCommon, len(ids))
			}
		}
	}
}

// Keys is a fixed data keyring for tests.
func Keys() *auth.Keyring {
	k, err := auth.NewKeyring([]byte("vigil test data key: 32 bytes..."))
	if err != nil {
		panic(err)
	}
	return k
}
