package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"vigil/internal/extract"
	"vigil/internal/place"
	"vigil/internal/report"
	"vigil/internal/store"
)

var extractor = sync.OnceValue(func() *extract.Extractor { return extract.New(extract.Options{}) })

// Values of the cases below.
const (
	ransomWallet  = "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"
	sonWeChat     = "zw_son_2006"
	recruiterChat = "hr_kkpark88"
)

// Viewers of the case tests: caseworkers of two organisations, an analyst
// of the first (no case permission), an admin and the public.
var (
	workerA = store.Viewer{User: "cwA", Org: "ngoA", Member: true, AmberOrgs: []string{"ngoA"}, CaseReader: true}
	workerB = store.Viewer{User: "cwB", Org: "ngoB", Member: true, AmberOrgs: []string{"ngoB"}, CaseReader: true}
	analyst = store.Viewer{User: "anA", Org: "ngoA", Member: true, AmberOrgs: []string{"ngoA"}}
	admin   = store.Viewer{User: "adm", AllCases: true}
	public  = store.Viewer{}
)

// newCase is the story's case, owned by org: a son lured to Myawaddy by a
// recruiter's WeChat, his own WeChat, and a ransom to be paid into a
// wallet. edit changes it before it is resolved.
func newCase(t *testing.T, org string, edit func(*report.Case)) *report.Case {
	t.Helper()
	at := time.Date(2025, 4, 2, 10, 0, 0, 0, time.UTC)
	c := &report.Case{Org: org, Source: "api", Urgency: "high", Consent: "full",
		Subject: report.Person{Names: []string{"Zhang Wei", "张伟"}, Age: 19, Sex: "male", Nationality: []string{"CN"},
			Accounts: []string{"wechat: " + sonWeChat}},
		Reporter:    report.CaseReporter{Name: "Li Mei", Relationship: "mother", Contact: "limei-mother@example.org"},
		Recruitment: report.Recruitment{Method: "online_ad", Lure: "高薪招聘客服，月薪两万，包机票", Recruiters: []string{"wechat: " + recruiterChat}},
		Journey:     []report.Stop{{Place: "Myawaddy", Type: "last_known", Date: &at}},
		ContactLog:  []report.ContactEntry{{At: at, Channel: "wechat", Text: "妈，我们被骗卖到缅甸了"}},
		Demands:     []report.Demand{{At: at, Amount: &report.Money{Amount: "450000", Currency: "CNY"}, Payment: []string{ransomWallet}}},
	}
	if edit != nil {
		edit(c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := report.ResolveCase(extractor(), place.Default(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

func addCase(t *testing.T, s store.Store, c *report.Case, family *store.FamilyAccess) string {
	t.Helper()
	id, _, err := s.AddCase(ctx, c, store.CaseFiling{Family: family})
	if err != nil {
		t.Fatalf("AddCase: %v", err)
	}
	return id
}

func leadsOf(t *testing.T, s store.Store, v store.Viewer, caseID string) []store.Lead {
	t.Helper()
	ls, err := s.Leads(ctx, v, caseID)
	if err != nil {
		t.Fatalf("Leads: %v", err)
	}
	return ls
}

func leadOf(ls []store.Lead, kind string) *store.Lead {
	for i := range ls {
		if ls[i].Kind == kind {
			return &ls[i]
		}
	}
	return nil
}

func kinds(ls []store.Lead) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Kind)
	}
	slices.Sort(out)
	return out
}

func testCaseRoundTrip(t *testing.T, open Opener) {
	s := open(t, 0)
	c := newCase(t, "ngoA", nil)
	want := *c
	family := &store.FamilyAccess{TokenHash: "token-hash-1", CodeHash: "code-hash-1"}
	id := addCase(t, s, c, family)
	if c.ID != id || c.Version != 1 || c.CreatedAt.IsZero() || !c.UpdatedAt.Equal(c.CreatedAt) {
		t.Errorf("AddCase set id %q version %d created %v updated %v", c.ID, c.Version, c.CreatedAt, c.UpdatedAt)
	}
	want.ID, want.Version, want.CreatedAt, want.UpdatedAt, want.Evidence = id, 1, c.CreatedAt, c.UpdatedAt, []report.EvidenceRef{}
	got, err := s.Case(ctx, workerA, id)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
	if len(got.Indicators) != 3 || !slices.Equal(got.Places, []string{"mm-myawaddy"}) {
		t.Errorf("resolved values %+v, places %v", got.Indicators, got.Places)
	}
	byToken, code, err := s.CaseByToken(ctx, "token-hash-1")
	if err != nil || code != "code-hash-1" || byToken.ID != id || byToken.Subject.Names[0] != "Zhang Wei" {
		t.Errorf("CaseByToken: %v %q %+v", err, code, byToken)
	}
	if _, _, err := s.CaseByToken(ctx, "no-such-token"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown token: %v, want ErrNotFound", err)
	}
	if _, _, err := s.AddCase(ctx, newCase(t, "ngoA", nil), store.CaseFiling{Family: family}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a token already in use: %v, want ErrConflict", err)
	}
	if _, err := s.Case(ctx, workerA, "01HNOSUCHCASE000000000000"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing case: %v, want ErrNotFound", err)
	}
	// Every read is in the audit log. A family's read is recorded by the
	// caller once it has checked the code, not by CaseByToken.
	events, err := s.AuditLog(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for _, e := range events {
		if e.Target == id {
			seen = append(seen, e.Action+" "+e.Detail)
		}
	}
	if !slices.Contains(seen, "case.read ") {
		t.Errorf("audit log of the case %v lacks a read", seen)
	}
	if slices.Contains(seen, "case.read family") {
		t.Errorf("CaseByToken audited a read before the code was checked: %v", seen)
	}
	if !slices.ContainsFunc(seen, func(s string) bool { return strings.HasPrefix(s, "case.create ") }) {
		t.Errorf("audit log of the case %v lacks case.create", seen)
	}
}

// testCaseVisibility: a case is seen by its organisation's caseworkers
// and by admins, by no one else, and a case one may not see does not
// exist for them.
func testCaseVisibility(t *testing.T, open Opener) {
	s := open(t, 0)
	a := addCase(t, s, newCase(t, "ngoA", nil), nil)
	b := addCase(t, s, newCase(t, "ngoB", func(c *report.Case) { c.Subject.Accounts = nil }), nil)
	orphan := addCase(t, s, newCase(t, "", func(c *report.Case) { c.Subject.Accounts = nil }), nil)
	ev, err := s.AddEvidence(ctx, a, report.EvidenceRef{Name: "ransom.png", ContentType: "image/png"}, []byte("png bytes"))
	if err != nil {
		t.Fatal(err)
	}
	viewers := map[string]store.Viewer{"workerA": workerA, "workerB": workerB, "analyst": analyst, "admin": admin, "public": public,
		"all": {All: true}}
	want := map[string][]string{"workerA": {a}, "workerB": {b}, "analyst": nil, "admin": {a, b, orphan}, "public": nil, "all": {a, b, orphan}}
	for name, v := range viewers {
		var sees []string
		for _, id := range []string{a, b, orphan} {
			_, err := s.Case(ctx, v, id)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				t.Fatal(err)
			}
			_, _, everr := s.Evidence(ctx, v, a, ev.ID)
			_, lerr := s.Leads(ctx, v, id)
			if err == nil {
				sees = append(sees, id)
				if lerr != nil {
					t.Errorf("%s sees case %s but not its leads: %v", name, id, lerr)
				}
			} else if !errors.Is(lerr, store.ErrNotFound) {
				t.Errorf("%s: leads of a case it may not see: %v", name, lerr)
			}
			if id == a && (err == nil) != (everr == nil) {
				t.Errorf("%s: case %v, its evidence %v", name, err, everr)
			}
		}
		slices.Sort(sees)
		w := slices.Clone(want[name])
		slices.Sort(w)
		if !slices.Equal(sees, w) {
			t.Errorf("%s sees %v, want %v", name, sees, w)
		}
		listed, _, err := s.Cases(ctx, v, store.CaseQuery{})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range listed {
			ids = append(ids, c.ID)
		}
		slices.Sort(ids)
		if !slices.Equal(ids, w) {
			t.Errorf("%s lists %v, want %v", name, ids, w)
		}
		if got := v.SeesCase("ngoA"); got != slices.Contains(w, a) {
			t.Errorf("%s: Viewer.SeesCase says %t, the store %t", name, got, slices.Contains(w, a))
		}
	}
}

func testCaseList(t *testing.T, open Opener) {
	s := open(t, 0)
	var ids []string
	for i := range 5 {
		c := newCase(t, "ngoA", func(c *report.Case) {
			c.Subject.Accounts = []string{fmt.Sprintf("wechat: list_case_%d", i)}
			if i%2 == 1 {
				c.Status, c.Assignee = report.CaseLocated, "cw-1"
			}
			if i == 4 {
				c.Journey = []report.Stop{{Place: "KK Park", Type: "last_known"}}
			}
		})
		ids = append(ids, addCase(t, s, c, nil))
	}
	list := func(q store.CaseQuery) []int {
		t.Helper()
		cs, _, err := s.Cases(ctx, workerA, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []int
		for _, c := range cs {
			out = append(out, slices.Index(ids, c.ID))
		}
		return out
	}
	for _, c := range []struct {
		q    store.CaseQuery
		want []int
	}{
		{store.CaseQuery{}, []int{4, 3, 2, 1, 0}},
		{store.CaseQuery{Status: report.CaseLocated}, []int{3, 1}},
		{store.CaseQuery{Assignee: "cw-1"}, []int{3, 1}},
		{store.CaseQuery{Place: "mm-kk-park"}, []int{4}},
		{store.CaseQuery{Place: "mm-myawaddy"}, []int{3, 2, 1, 0}},
		{store.CaseQuery{Status: report.CaseRescued}, nil},
	} {
		if got := list(c.q); !slices.Equal(got, c.want) {
			t.Errorf("cases %+v: got %v, want %v", c.q, got, c.want)
		}
	}
	// An update moves a case to the top.
	c, err := s.Case(ctx, workerA, ids[1])
	if err != nil {
		t.Fatal(err)
	}
	c.Urgency = "critical"
	if err := s.UpdateCase(ctx, &c); err != nil {
		t.Fatal(err)
	}
	var paged []string
	cursor := ""
	for range 5 {
		page, next, err := s.Cases(ctx, workerA, store.CaseQuery{Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page {
			paged = append(paged, c.ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if want := []string{ids[1], ids[4], ids[3], ids[2], ids[0]}; !slices.Equal(paged, want) {
		t.Errorf("pages: %v, want %v", paged, want)
	}
	if _, _, err := s.Cases(ctx, workerA, store.CaseQuery{Cursor: "garbage"}); !errors.Is(err, report.ErrInvalid) {
		t.Errorf("bad cursor: %v, want ErrInvalid", err)
	}
}

// testCaseConflict: an update made on an older version is refused, so
// two editors cannot overwrite each other unseen.
func testCaseConflict(t *testing.T, open Opener) {
	s := open(t, 0)
	id := addCase(t, s, newCase(t, "ngoA", nil), &store.FamilyAccess{TokenHash: "t", CodeHash: "c"})
	first, err := s.Case(ctx, workerA, id)
	if err != nil {
		t.Fatal(err)
	}
	second := first
	first.Status, first.Assignee = report.CaseUnderReview, "cw-1"
	first.Notes = append(first.Notes, report.Note{At: time.Now().UTC(), Author: "cw-1", Text: "called the mother"})
	if err := s.UpdateCase(ctx, &first); err != nil {
		t.Fatal(err)
	}
	if first.Version != 2 {
		t.Errorf("version after an update: %d, want 2", first.Version)
	}
	second.Urgency = "low"
	if err := s.UpdateCase(ctx, &second); !errors.Is(err, store.ErrConflict) {
		t.Errorf("update of version 1 after version 2: %v, want ErrConflict", err)
	}
	got, err := s.Case(ctx, workerA, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || got.Status != report.CaseUnderReview || got.Assignee != "cw-1" || got.Urgency != "high" || len(got.Notes) != 1 ||
		!got.CreatedAt.Equal(first.CreatedAt) || !got.UpdatedAt.After(got.CreatedAt) {
		t.Errorf("after the updates: %+v", got)
	}
	if byToken, _, err := s.CaseByToken(ctx, "t"); err != nil || byToken.Status != report.CaseUnderReview {
		t.Errorf("the family follows the status: %v %q", err, byToken.Status)
	}
	ghost := got
	ghost.ID = "01HNOSUCHCASE000000000000"
	if err := s.UpdateCase(ctx, &ghost); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("update of a missing case: %v, want ErrNotFound", err)
	}
}

// testCaseFiling: a filing retried with its Idempotency-Key stores one
// case and gets the first answer back; the key with another request is a
// conflict; a filing that failed leaves the key free.
func testCaseFiling(t *testing.T, open Opener) {
	s := open(t, 0)
	idem := store.Idempotency{Key: "public:abc:k1", Hash: "h1"}
	answer := []byte(`{"token":"tok","code":"1234-5678"}`)
	id, replay, err := s.AddCase(ctx, newCase(t, "ngoA", nil), store.CaseFiling{Family: &store.FamilyAccess{TokenHash: "t1", CodeHash: "c"}, Idem: idem, Answer: answer})
	if err != nil || replay != nil || id == "" {
		t.Fatalf("first filing: %q %q %v", id, replay, err)
	}
	// The retry makes its own token, which must not be stored.
	again, replay, err := s.AddCase(ctx, newCase(t, "ngoA", nil), store.CaseFiling{Family: &store.FamilyAccess{TokenHash: "t2", CodeHash: "c"}, Idem: idem, Answer: []byte("other")})
	if err != nil || again != id || string(replay) != string(answer) {
		t.Errorf("retry: %q %q %v; want %q and the first answer", again, replay, err, id)
	}
	if _, _, err := s.CaseByToken(ctx, "t2"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a retry stored its own family access: %v", err)
	}
	if _, _, err := s.AddCase(ctx, newCase(t, "ngoA", nil), store.CaseFiling{Idem: store.Idempotency{Key: idem.Key, Hash: "h2"}}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("the key with another request: %v, want ErrConflict", err)
	}
	// A filing that fails (its token is taken) does not keep the key.
	k2 := store.Idempotency{Key: "public:abc:k2", Hash: "h"}
	if _, _, err := s.AddCase(ctx, newCase(t, "ngoA", nil), store.CaseFiling{Family: &store.FamilyAccess{TokenHash: "t1", CodeHash: "c"}, Idem: k2}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("a taken token: %v", err)
	}
	if _, replay, err := s.AddCase(ctx, newCase(t, "ngoA", nil), store.CaseFiling{Idem: k2}); err != nil || replay != nil {
		t.Errorf("the key of a failed filing: %q %v, want a new case", replay, err)
	}
	cs, _, err := s.Cases(ctx, store.Viewer{AllCases: true}, store.CaseQuery{})
	if err != nil || len(cs) != 2 {
		t.Errorf("%d cases stored, want 2 (%v)", len(cs), err)
	}
}

func testEvidence(t *testing.T, open Opener) {
	s := open(t, 0)
	id := addCase(t, s, newCase(t, "ngoA", nil), nil)
	data := []byte("\x89PNG a photo of the demand")
	sum := sha256.Sum256(data)
	e, err := s.AddEvidence(ctx, id, report.EvidenceRef{Name: "demand.png", ContentType: "image/png", SHA256: hex.EncodeToString(sum[:]),
		PHash: "F0F0F0F0F0F0F0F0", Note: "sent by the intermediary"}, data)
	if err != nil {
		t.Fatal(err)
	}
	if e.ID == "" || e.Size != int64(len(data)) || e.AddedAt.IsZero() || e.PHash != "f0f0f0f0f0f0f0f0" {
		t.Errorf("AddEvidence returned %+v", e)
	}
	got, b, err := s.Evidence(ctx, workerA, id, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != string(data) {
		t.Errorf("bytes %q, want %q", b, data)
	}
	if d := cmp.Diff(e, got); d != "" {
		t.Errorf("evidence (-want +got):\n%s", d)
	}
	c, err := s.Case(ctx, workerA, id)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]report.EvidenceRef{e}, c.Evidence); d != "" {
		t.Errorf("the case lists (-want +got):\n%s", d)
	}
	if _, _, err := s.Evidence(ctx, workerA, id, "01HNOSUCHFILE000000000000"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing file: %v", err)
	}
	other := addCase(t, s, newCase(t, "ngoA", nil), nil)
	if _, _, err := s.Evidence(ctx, workerA, other, e.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a file through another case: %v", err)
	}
	for name, ref := range map[string]report.EvidenceRef{
		"wrong SHA-256": {ContentType: "image/png", SHA256: strings.Repeat("0", 64)},
		"bad phash":     {ContentType: "image/png", PHash: "xyz"},
	} {
		if _, err := s.AddEvidence(ctx, id, ref, data); !errors.Is(err, report.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if _, err := s.AddEvidence(ctx, "01HNOSUCHCASE000000000000", report.EvidenceRef{ContentType: "image/png"}, data); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("file of a missing case: %v", err)
	}
}
