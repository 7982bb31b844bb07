package storetest

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"vigil/internal/report"
	"vigil/internal/store"
)

// testLeads walks the story: reports name the ransom wallet as payment
// and the son's own WeChat as the scammer's contact; the case gains a
// reports lead and a possible-forced-scammer lead with their paths, and
// they follow rejections, deletions, disputes and the case's closing.
func testLeads(t *testing.T, open Opener) {
	s := open(t, 0)
	id := addCase(t, s, newCase(t, "ngoA", nil), nil)
	if ls := leadsOf(t, s, workerA, id); len(ls) != 0 {
		t.Fatalf("leads before any report: %+v", ls)
	}
	p1 := add(t, s, rep("victim1", "investment", "payment=trx:"+ransomWallet, "phone:+8613800138000"))
	p2 := add(t, s, rep("victim2", "investment", "payment=trx:"+ransomWallet))
	f1 := add(t, s, rep("victim3", "romance", "wechat:"+sonWeChat))
	f2 := add(t, s, rep("victim4", "romance", "wechat:"+sonWeChat, "payment=trx:TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL"))
	add(t, s, rep("victim5", "investment", "victim_contact=wechat:"+recruiterChat))

	ls := leadsOf(t, s, workerA, id)
	if got := kinds(ls); !slices.Equal(got, []string{store.LeadForcedScammer, store.LeadReports}) {
		t.Fatalf("lead kinds %v (a victim's own contact makes no lead): %+v", got, ls)
	}
	pay := leadOf(ls, store.LeadReports)
	net := netOf(t, s, p1)
	if pay.Indicator == nil || *pay.Indicator != (store.Key{Kind: "trx", Value: ransomWallet}) || pay.Role != report.RolePayment ||
		pay.ReportCount != 2 || pay.Reporters != 2 || !slices.Equal(pay.Reports, []string{p2, p1}) ||
		!slices.Equal(pay.ReportRoles, []string{report.RolePayment}) || !slices.Equal(pay.ScamTypes, []string{"investment"}) ||
		!slices.Equal(pay.Networks, []string{net}) || pay.FirstSeen == nil || pay.LastSeen.Before(*pay.FirstSeen) || pay.Disputed ||
		pay.Strength != 0.75 || pay.Level != "high" || pay.ID == "" || pay.Since.IsZero() {
		t.Errorf("payment lead: %+v", pay)
	}
	month := pay.FirstSeen.Format("2006-01")
	if want := "the payment account in this case (TBhCfA…) is named as payment in 2 reports (investment) in network " + net + ", " + month; pay.Path != want {
		t.Errorf("payment path:\n got %q\nwant %q", pay.Path, want)
	}
	forced := leadOf(ls, store.LeadForcedScammer)
	if forced.Indicator == nil || forced.Indicator.Value != sonWeChat || forced.Role != report.RoleSubject || forced.ReportCount != 2 ||
		!slices.Equal(forced.Reports, []string{f2, f1}) || !slices.Equal(forced.ReportRoles, []string{report.RoleScammerContact}) ||
		!slices.Equal(forced.ScamTypes, []string{"romance"}) {
		t.Errorf("forced-scammer lead: %+v", forced)
	}
	if !strings.HasPrefix(forced.Path, "the subject's own WeChat account (zw_son…) is given as the contact in 2 scam reports (romance)") ||
		!strings.HasSuffix(forced.Path, ": they may be made to use it") {
		t.Errorf("forced-scammer path: %q", forced.Path)
	}
	for _, word := range []string{"scammer", "criminal", "perpetrator", "offender", "suspect"} {
		if strings.Contains(strings.ToLower(forced.Path), word) {
			t.Errorf("the forced-scammer path calls the subject a %s: %q", word, forced.Path)
		}
	}
	again := leadsOf(t, s, workerA, id)
	if leadOf(again, store.LeadReports).ID != pay.ID || leadOf(again, store.LeadForcedScammer).ID != forced.ID ||
		!leadOf(again, store.LeadReports).Since.Equal(pay.Since) {
		t.Errorf("lead ids or times moved between two reads: %+v then %+v", ls, again)
	}

	// Rejected and deleted reports leave the leads at once.
	if err := s.SetReportStatus(ctx, f1, report.StatusRejected, ""); err != nil {
		t.Fatal(err)
	}
	if l := leadOf(leadsOf(t, s, workerA, id), store.LeadForcedScammer); l == nil || l.ReportCount != 1 || l.ID != forced.ID {
		t.Errorf("after one report was rejected: %+v", l)
	}
	if err := s.DeleteReport(ctx, f2); err != nil {
		t.Fatal(err)
	}
	if l := leadOf(leadsOf(t, s, workerA, id), store.LeadForcedScammer); l != nil {
		t.Errorf("a lead on a rejected and a deleted report: %+v", l)
	}
	if err := s.SetReportStatus(ctx, f1, report.StatusVerified, ""); err != nil {
		t.Fatal(err)
	}
	if l := leadOf(leadsOf(t, s, workerA, id), store.LeadForcedScammer); l == nil || l.ID != forced.ID || l.Strength != 0.65 {
		t.Errorf("a verified report brings the lead back, stronger: %+v", l)
	}

	// A disputed value is marked and weakened; upheld, it is known-good
	// and makes no lead.
	d, err := s.AddDispute(ctx, store.Dispute{Kind: "trx", Value: ransomWallet, Reason: "my exchange's hot wallet"})
	if err != nil {
		t.Fatal(err)
	}
	if l := leadOf(leadsOf(t, s, workerA, id), store.LeadReports); l == nil || !l.Disputed || l.Strength != 0.375 || l.Level != "low" ||
		!strings.HasSuffix(l.Path, "; its holder disputes the listing") {
		t.Errorf("disputed: %+v", l)
	}
	if _, err := s.ResolveDispute(ctx, d.ID, true, "it is the exchange's"); err != nil {
		t.Fatal(err)
	}
	if l := leadOf(leadsOf(t, s, workerA, id), store.LeadReports); l != nil {
		t.Errorf("a lead on a value upheld as known-good: %+v", l)
	}

	// A closed case has no leads.
	c, err := s.Case(ctx, workerA, id)
	if err != nil {
		t.Fatal(err)
	}
	c.Status, c.ClosedReason = report.CaseClosed, "returned home"
	if err := s.UpdateCase(ctx, &c); err != nil {
		t.Fatal(err)
	}
	if ls := leadsOf(t, s, workerA, id); len(ls) != 0 {
		t.Errorf("a closed case has leads: %+v", ls)
	}
}

// testCaseLeads: two open cases sharing a recruiter lead to each other;
// another organisation's case is named by its organisation only.
func testCaseLeads(t *testing.T, open Opener) {
	s := open(t, 0)
	only := func(account string) func(*report.Case) {
		return func(c *report.Case) { c.Subject.Accounts, c.Demands = []string{"wechat: " + account}, nil }
	}
	a1 := addCase(t, s, newCase(t, "ngoA", only("first_son01")), nil)
	a2 := addCase(t, s, newCase(t, "ngoA", only("second_son01")), nil)
	b := addCase(t, s, newCase(t, "ngoB", only("third_son01")), nil)
	lone := addCase(t, s, newCase(t, "ngoA", func(c *report.Case) {
		only("fourth_son01")(c)
		c.Recruitment.Recruiters, c.Recruitment.Lure = nil, ""
	}), nil)

	caseLeads := func(v store.Viewer, id string) map[string]store.Lead {
		t.Helper()
		out := map[string]store.Lead{}
		for _, l := range leadsOf(t, s, v, id) {
			if l.Kind != store.LeadCase {
				t.Errorf("case %s: unexpected %s lead %+v", id, l.Kind, l)
			}
			out[l.CaseOrg+"/"+l.Case] = l
		}
		return out
	}
	got := caseLeads(workerA, a1)
	if len(got) != 2 {
		t.Fatalf("leads of a1: %+v", got)
	}
	if l, ok := got["ngoA/"+a2]; !ok || l.Indicator == nil || l.Indicator.Value != recruiterChat || l.Role != report.RoleRecruiter ||
		l.Level != "high" || !strings.Contains(l.Path, "(case "+a2+")") {
		t.Errorf("a1 -> a2 (same organisation): %+v", l)
	}
	hidden, ok := got["ngoB/"]
	if !ok || strings.Contains(hidden.Path, b) || !strings.Contains(hidden.Path, "held by organisation ngoB") {
		t.Errorf("a1 -> b (another organisation, named by it only): %+v in %+v", hidden, got)
	}
	if got := caseLeads(workerA, a2); len(got) != 2 || got["ngoA/"+a1].Kind == "" {
		t.Errorf("leads of a2: %+v", got)
	}
	fromB := caseLeads(workerB, b)
	if len(fromB) != 1 || fromB["ngoA/"].Kind == "" {
		t.Errorf("b's caseworker sees both other cases as ngoA's, without ids: %+v", fromB)
	}
	if l := fromB["ngoA/"]; strings.Contains(l.Path, a1) || strings.Contains(l.Path, a2) {
		t.Errorf("b's lead names another organisation's case: %q", l.Path)
	}
	if got := caseLeads(admin, b); len(got) != 2 || got["ngoA/"+a1].Kind == "" || got["ngoA/"+a2].Kind == "" {
		t.Errorf("an admin sees every case id: %+v", got)
	}
	if got := caseLeads(workerA, lone); len(got) != 0 {
		t.Errorf("a case sharing nothing: %+v", got)
	}
	// Closing a2 removes it from the others' leads.
	c, err := s.Case(ctx, workerA, a2)
	if err != nil {
		t.Fatal(err)
	}
	c.Status = report.CaseClosed
	if err := s.UpdateCase(ctx, &c); err != nil {
		t.Fatal(err)
	}
	if got := caseLeads(workerA, a1); len(got) != 1 || got["ngoB/"].Kind == "" {
		t.Errorf("after a2 closed, a1's leads: %+v", got)
	}
}

// testPhotoLeads: near perceptual hashes in two open cases link them.
func testPhotoLeads(t *testing.T, open Opener) {
	s := open(t, 0)
	mk := func(org, account string) string {
		return addCase(t, s, newCase(t, org, func(c *report.Case) {
			c.Subject.Accounts, c.Demands, c.Recruitment.Recruiters, c.Recruitment.Lure = []string{"wechat: " + account}, nil, nil, ""
		}), nil)
	}
	a, b, far := mk("ngoA", "photo_son_a"), mk("ngoB", "photo_son_b"), mk("ngoA", "photo_son_c")
	photo := func(id, phash string) report.EvidenceRef {
		e, err := s.AddEvidence(ctx, id, report.EvidenceRef{Name: "photo.jpg", ContentType: "image/jpeg", PHash: phash}, []byte("jpeg of "+id))
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	ea := photo(a, "f0f0f0f0f0f0f0f0")
	photo(b, "f0f0f0f0f0f0f0f3") // 2 bits apart
	photo(far, "0f0f0f0f0f0f0f0f")
	if _, err := s.AddEvidence(ctx, far, report.EvidenceRef{Name: "voice.ogg", ContentType: "audio/ogg"}, []byte("ogg")); err != nil {
		t.Fatal(err)
	}
	ls := leadsOf(t, s, workerA, a)
	if len(ls) != 1 || ls[0].Kind != store.LeadPhoto || ls[0].Evidence != ea.ID || ls[0].Distance != 2 || ls[0].Case != "" ||
		ls[0].CaseOrg != "ngoB" || ls[0].Level != "high" || !strings.Contains(ls[0].Path, "2 bits apart") {
		t.Errorf("photo leads of a: %+v", ls)
	}
	if ls := leadsOf(t, s, admin, b); len(ls) != 1 || ls[0].Case != a || ls[0].Distance != 2 {
		t.Errorf("photo leads of b, as an admin: %+v", ls)
	}
	if ls := leadsOf(t, s, workerA, far); len(ls) != 0 {
		t.Errorf("a photo 64 bits apart: %+v", ls)
	}
}

// testLeadsTLP: a lead holds only the reports its reader may see.
func testLeadsTLP(t *testing.T, open Opener) {
	s := open(t, 0)
	id := addCase(t, s, newCase(t, "ngoA", nil), nil)
	red := rep("rr", "investment", "payment=trx:"+ransomWallet)
	red.TLP, red.Author = report.TLPRed, "userR"
	redID := add(t, s, red)
	amber := rep("rb", "investment", "payment=trx:"+ransomWallet)
	amber.TLP, amber.Org, amber.Author = report.TLPAmber, "ngoB", "userB"
	amberID := add(t, s, amber)
	clear := add(t, s, rep("rc", "job", "recruiter=wechat:"+recruiterChat))

	ls := leadsOf(t, s, workerA, id)
	if len(ls) != 1 || ls[0].Kind != store.LeadReports || !slices.Equal(ls[0].Reports, []string{clear}) {
		t.Errorf("ngoA's caseworker sees the reports lead of the recruiter only: %+v", ls)
	}
	for _, l := range ls {
		if slices.Contains(l.Reports, redID) || slices.Contains(l.Reports, amberID) {
			t.Errorf("a lead shows a report its reader may not see: %+v", l)
		}
	}
	author := store.Viewer{User: "userR", AllCases: true}
	if l := leadOf(leadsOf(t, s, author, id), store.LeadReports); l == nil {
		t.Error("no reports lead for the red report's author")
	}
	found := false
	for _, l := range leadsOf(t, s, author, id) {
		if slices.Equal(l.Reports, []string{redID}) && l.ReportCount == 1 {
			found = true
		}
	}
	if !found {
		t.Errorf("the red report's author does not see it in the wallet's lead: %+v", leadsOf(t, s, author, id))
	}
}

// testPlace: a place lists the reports v may see and, for those who may
// read cases, the open cases v may see.
func testPlace(t *testing.T, open Opener) {
	s := open(t, 0)
	named := func(reporter, tlp string) *report.Report {
		r := rep(reporter, "job", "recruiter=wechat:"+reporter+"_hr01")
		r.TLP, r.Places = tlp, []string{"mm-kk-park", "mm-myawaddy"}
		return r
	}
	r1 := add(t, s, named("placeone", report.TLPClear))
	r2 := add(t, s, named("placetwo", report.TLPClear))
	rejected := add(t, s, named("placethree", report.TLPClear))
	if err := s.SetReportStatus(ctx, rejected, report.StatusRejected, ""); err != nil {
		t.Fatal(err)
	}
	green := add(t, s, named("placefour", report.TLPGreen))
	if got, err := s.Report(ctx, seeAll, r1); err != nil || !slices.Equal(got.Places, []string{"mm-kk-park", "mm-myawaddy"}) {
		t.Errorf("a report's places: %v %v", got.Places, err)
	}
	at := func(place string) func(*report.Case) {
		return func(c *report.Case) { c.Journey = []report.Stop{{Place: place, Type: "last_known"}} }
	}
	open1 := addCase(t, s, newCase(t, "ngoA", at("KK Park")), nil)
	closed := newCase(t, "ngoA", at("KK Park"))
	closed.Status = report.CaseClosed
	addCase(t, s, closed, nil)
	other := addCase(t, s, newCase(t, "ngoB", at("KK Park")), nil)

	for _, c := range []struct {
		name        string
		v           store.Viewer
		reports     []string
		cases       []string
		casesListed bool
	}{
		{"public", public, []string{r2, r1}, nil, false},
		{"analyst", analyst, []string{green, r2, r1}, nil, false},
		{"workerA", workerA, []string{green, r2, r1}, []string{open1}, true},
		{"workerB", workerB, []string{green, r2, r1}, []string{other}, true},
		{"admin", admin, []string{r2, r1}, []string{other, open1}, true},
	} {
		a, err := s.Place(ctx, c.v, "mm-kk-park")
		if err != nil {
			t.Fatal(err)
		}
		var cases []string
		for _, pc := range a.Cases {
			cases = append(cases, pc.ID)
			if pc.Status == "" || pc.Urgency == "" {
				t.Errorf("%s: place case %+v", c.name, pc)
			}
		}
		if a.Place != "mm-kk-park" || !slices.Equal(a.Reports, c.reports) || !slices.Equal(cases, c.cases) || (a.Cases != nil) != c.casesListed {
			t.Errorf("%s: place lists reports %v cases %v (%v), want %v and %v", c.name, a.Reports, cases, a.Cases != nil, c.reports, c.cases)
		}
	}
	if a, err := s.Place(ctx, public, "mm-myawaddy"); err != nil || len(a.Reports) != 2 {
		t.Errorf("another place: %+v %v", a, err)
	}
	if _, err := s.Place(ctx, public, "xx-nowhere"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown place: %v, want ErrNotFound", err)
	}
}

// testForcedScammer: a report naming a subject's own account is marked,
// by a case open or closed; others are not.
func testForcedScammer(t *testing.T, open Opener) {
	s := open(t, 0)
	forced := add(t, s, rep("fs1", "romance", "wechat:"+sonWeChat))
	wallet := add(t, s, rep("fs2", "investment", "payment=trx:"+ransomWallet))
	victim := add(t, s, rep("fs3", "romance", "victim_contact=wechat:"+sonWeChat, "wechat:other_scam01"))
	ids := []string{forced, wallet, victim, "01HNOSUCHREPORT0000000000"}
	got, err := s.ForcedScammer(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if got[forced] || len(got) != 4 {
		t.Errorf("before any case: %v", got)
	}
	id := addCase(t, s, newCase(t, "ngoA", nil), nil)
	want := map[string]bool{forced: true, wallet: false, victim: false, "01HNOSUCHREPORT0000000000": false}
	if got, err := s.ForcedScammer(ctx, ids); err != nil || !maps.Equal(got, want) {
		t.Errorf("with the case: %v %v, want %v", got, err, want)
	}
	c, err := s.Case(ctx, workerA, id)
	if err != nil {
		t.Fatal(err)
	}
	c.Status = report.CaseClosed
	if err := s.UpdateCase(ctx, &c); err != nil {
		t.Fatal(err)
	}
	if got, err := s.ForcedScammer(ctx, ids); err != nil || !maps.Equal(got, want) {
		t.Errorf("after the case closed: %v %v, want %v", got, err, want)
	}
}
