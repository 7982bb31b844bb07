package report

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"vigil/internal/extract"
	"vigil/internal/indicator"
	"vigil/internal/place"
)

var caseExtractor = sync.OnceValue(func() *extract.Extractor { return extract.New(extract.Options{}) })

func TestCaseValidateDefaults(t *testing.T) {
	c := Case{Subject: Person{Names: []string{"Li Wei"}, Nationality: []string{"cn"}},
		ContactLog: []ContactEntry{{Text: "妈，救我"}}}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Status != CaseReported || c.Urgency != "medium" || c.Consent != "none" {
		t.Errorf("defaults: status %q urgency %q consent %q", c.Status, c.Urgency, c.Consent)
	}
	if c.Subject.Nationality[0] != "CN" || c.ContactLog[0].FromRole != RoleMentioned || c.ContactLog[0].At.IsZero() {
		t.Errorf("normalised: %+v %+v", c.Subject.Nationality, c.ContactLog[0])
	}
}

func TestCaseValidateErrors(t *testing.T) {
	future := time.Now().Add(5 * 365 * 24 * time.Hour)
	tests := []struct {
		name string
		edit func(*Case)
		want []string // pointers
	}{
		{"no name", func(c *Case) { c.Subject.Names = nil }, []string{"/subject/names"}},
		{"vocabularies", func(c *Case) {
			c.Status, c.Urgency, c.Consent, c.Subject.Sex = "found", "extreme", "some", "x"
		}, []string{"/status", "/urgency", "/consent", "/subject/sex"}},
		{"age", func(c *Case) { c.Subject.Age = 130 }, []string{"/subject/age"}},
		{"nationality", func(c *Case) { c.Subject.Nationality = []string{"XX"} }, []string{"/subject/nationality/0"}},
		{"recruitment", func(c *Case) {
			c.Recruitment = Recruitment{Method: "magic", Channel: "pigeon", Date: &future}
		}, []string{"/recruitment/method", "/recruitment/channel", "/recruitment/date"}},
		{"journey", func(c *Case) { c.Journey = []Stop{{Place: " ", Type: "holiday"}} }, []string{"/journey/0/place", "/journey/0/type"}},
		{"exploitation", func(c *Case) {
			c.Exploitation = Exploitation{Types: []string{"forced_criminality", "nope"}, Controls: []string{"nope"}}
		}, []string{"/exploitation/types/1", "/exploitation/controls/0"}},
		{"contact log", func(c *Case) {
			c.ContactLog = []ContactEntry{{FromRole: "villain", Channel: "pigeon", Text: "a\x00b"}}
		}, []string{"/contact_log/0/channel", "/contact_log/0/from_role", "/contact_log/0/text"}},
		{"demand", func(c *Case) {
			c.Demands = []Demand{{Amount: &Money{Amount: "-5", Currency: "CNY"}}}
		}, []string{"/demands/0/amount"}},
		{"invalid UTF-8", func(c *Case) { c.Reporter.Contact = "\xff" }, []string{"/reporter/contact"}},
		{"too long", func(c *Case) { c.Recruitment.Lure = strings.Repeat("x", MaxCaseText+1) }, []string{"/recruitment/lure"}},
		{"too many", func(c *Case) { c.Subject.Accounts = make([]string, MaxCaseValues+1) }, []string{"/subject/accounts"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Case{Subject: Person{Names: []string{"Li Wei"}}}
			tt.edit(&c)
			err := c.Validate()
			ve, ok := err.(*ValidationError)
			if !ok {
				t.Fatalf("Validate: %v, want a *ValidationError", err)
			}
			var got []string
			for _, f := range ve.Fields {
				got = append(got, f.Pointer)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("pointers (-want +got):\n%s", d)
			}
		})
	}
}

// TestResolveCase: every value the case names is read with its role, the
// subject's own role wins over what a message says of the same account,
// values in the texts are found, and places are matched to the gazetteer.
func TestResolveCase(t *testing.T) {
	c := Case{
		Subject: Person{Names: []string{"Li Wei"}, Nationality: []string{"CN"}, Accounts: []string{"微信 liwei_2006", "138 0013 8000"}},
		Recruitment: Recruitment{Lure: "高薪招聘，到妙瓦底做客服，加微信 jade_boss88 详聊", Place: "Xishuangbanna",
			Recruiters: []string{"@jade_recruiter"}},
		Journey: []Stop{{Place: "KK Park", Type: "last_known"}, {Place: "mm-shwe-kokko"}},
		ContactLog: []ContactEntry{{From: "liwei_2006", FromRole: RoleScammerContact, Text: "wechat liwei_2006"},
			{From: "+95 9 212 3456", FromRole: RoleRansomIntermediary, Text: "pay 450000 to TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"}},
		Demands: []Demand{{Payment: []string{"TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"}, Intermediaries: []string{"+95 9 212 3456"}}},
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := ResolveCase(caseExtractor(), place.Default(), &c); err != nil {
		t.Fatal(err)
	}
	roles := map[string]string{}
	for _, l := range c.Indicators {
		roles[string(l.Kind)+":"+l.Value] = l.Role
	}
	want := map[string]string{
		"wechat:liwei_2006":                      RoleSubject,
		"phone:+8613800138000":                   RoleSubject,
		"telegram:jade_recruiter":                RoleRecruiter,
		"wechat:jade_boss88":                     RoleRecruiter,
		"phone:+9592123456":                      RoleRansomIntermediary,
		"trx:TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp": RolePayment,
	}
	for k, r := range want {
		if roles[k] != r {
			t.Errorf("%s: role %q, want %q (all: %v)", k, roles[k], r, roles)
		}
	}
	for _, p := range []string{"mm-kk-park", "mm-shwe-kokko", "mm-myawaddy"} {
		if !slices.Contains(c.Places, p) {
			t.Errorf("places %v lack %s", c.Places, p)
		}
	}
	if !slices.IsSorted(c.Places) {
		t.Errorf("places not sorted: %v", c.Places)
	}

	bad := Case{Subject: Person{Names: []string{"x"}, Accounts: []string{"ok_account_1", "not a thing at all !!"}}}
	err := ResolveCase(caseExtractor(), place.Default(), &bad)
	ve, ok := err.(*ValidationError)
	if !ok || len(ve.Fields) != 1 || ve.Fields[0].Pointer != "/subject/accounts/1" {
		t.Errorf("an unreadable account: %v", err)
	}
}

func TestCaseAdditionAndFamilyView(t *testing.T) {
	at := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	c := Case{Org: "ngo", Assignee: "cw", Notes: []Note{{Author: "cw", Text: "informant"}},
		Indicators: []Link{{Kind: indicator.WeChat, Value: "x"}},
		Evidence:   []EvidenceRef{{ID: "e1", Name: "p.jpg", SHA256: "abc", PHash: "ff"}}}
	if !(CaseAddition{}).Empty() {
		t.Error("an empty addition is not empty")
	}
	add := CaseAddition{Accounts: []string{"wechat: a"}, Info: "he called", ContactLog: []ContactEntry{{Text: "hi"}}}
	add.Apply(&c, at)
	if len(c.Subject.Accounts) != 1 || len(c.ContactLog) != 1 || c.Notes[1] != (Note{At: at, Author: "family", Text: "he called"}) {
		t.Errorf("after Apply: %+v", c)
	}
	f := c.ForFamily()
	if f.Org != "" || f.Assignee != "" || len(f.Indicators) != 0 || len(f.Notes) != 1 || f.Notes[0].Author != "family" ||
		f.Evidence[0].SHA256 != "" || f.Evidence[0].PHash != "" || f.Evidence[0].Name != "p.jpg" {
		t.Errorf("ForFamily: %+v", f)
	}
	if len(c.Notes) != 2 || c.Evidence[0].SHA256 != "abc" {
		t.Errorf("ForFamily changed the case: %+v", c)
	}
}

// FuzzCase: any JSON a family or a partner sends is validated and
// resolved without a panic, and a case that passes holds only readable
// values with a role.
func FuzzCase(f *testing.F) {
	f.Add(`{"subject":{"names":["Li"],"accounts":["微信 liwei_2006"]},"recruitment":{"lure":"加V jade88 到妙瓦底"}}`)
	f.Add(`{"subject":{"names":["x"]},"demands":[{"amount":{"amount":"1e9999","currency":"CNY"},"payment":["0x52908400098527886E0F7030069857D2E4169EE7"]}]}`)
	f.Add(`{"subject":{"aliases":["\u0000"]},"journey":[{"place":"KK园区","date":"1900-01-01T00:00:00Z"}],"contact_log":[{"from":"@x","from_role":"victim_contact"}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		var c Case
		if json.Unmarshal([]byte(s), &c) != nil {
			return
		}
		if c.Validate() != nil {
			return
		}
		if ResolveCase(caseExtractor(), place.Default(), &c) != nil {
			return
		}
		for _, l := range c.Indicators {
			if l.Value == "" || l.Role == "" || l.Role == RoleVictimContact {
				t.Errorf("indicator %+v", l)
			}
		}
	})
}
