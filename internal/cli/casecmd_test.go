package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"vigil/internal/extract"
	"vigil/internal/place"
	"vigil/internal/report"
	"vigil/internal/store"
)

// TestCaseCommands works a case from the command line: list, show, its
// leads, a status change, an export redacted by consent, and the exit
// codes of mistakes. Every read lands in the audit log.
func TestCaseCommands(t *testing.T) {
	path := newCLIStore(t)
	mustRun(t, ExitOK, "migrate", "--db", path)
	db := openCLIStore(t, path)
	ctx := context.Background()
	x := extract.New(extract.Options{})
	c := report.Case{
		Consent:  "anonymised",
		Subject:  report.Person{Names: []string{"Li Wei 李伟"}, Age: 19, Nationality: []string{"CN"}, Accounts: []string{"微信 liwei_2006"}},
		Reporter: report.CaseReporter{Name: "Zhang Min", Relationship: "mother", Contact: "+86 139 0013 9000"},
		Recruitment: report.Recruitment{Method: "online_ad", Lure: "高薪招聘，到西双版纳运送玉石，包吃住",
			Recruiters: []string{"wechat: jade_boss88"}},
		Demands: []report.Demand{{Amount: &report.Money{Amount: "450000", Currency: "CNY"}, Payment: []string{"TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"}}},
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := report.ResolveCase(x, place.Default(), &c); err != nil {
		t.Fatal(err)
	}
	id, _, err := db.AddCase(ctx, &c, store.CaseFiling{})
	if err != nil {
		t.Fatal(err)
	}
	r := report.Report{ScamType: "investment", Narrative: "paid USDT",
		Indicators: []report.Link{{Value: "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp", Role: report.RolePayment}}}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := report.Resolve(x, &r); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.AddReport(ctx, &r, store.Idempotency{}); err != nil {
		t.Fatal(err)
	}

	var list struct {
		Cases []report.Case `json:"cases"`
	}
	out := mustRun(t, ExitOK, "case", "list", "--db", path, "--format", "json")
	if err := json.Unmarshal([]byte(out.stdout), &list); err != nil || len(list.Cases) != 1 || list.Cases[0].ID != id {
		t.Fatalf("case list: %v\n%s", err, out.stdout)
	}
	if out := mustRun(t, ExitOK, "case", "list", "--db", path); !strings.Contains(out.stdout, "Li Wei") {
		t.Errorf("case list table lacks the name:\n%s", out.stdout)
	}
	var shown report.Case
	out = mustRun(t, ExitOK, "case", "show", id, "--db", path)
	if err := json.Unmarshal([]byte(out.stdout), &shown); err != nil || shown.Reporter.Contact != "+86 139 0013 9000" {
		t.Fatalf("case show: %v\n%s", err, out.stdout)
	}
	var leads struct {
		Leads []store.Lead `json:"leads"`
	}
	out = mustRun(t, ExitOK, "case", "leads", id, "--db", path, "--format", "json")
	if err := json.Unmarshal([]byte(out.stdout), &leads); err != nil || len(leads.Leads) != 1 || leads.Leads[0].Kind != store.LeadReports {
		t.Fatalf("case leads: %v\n%s", err, out.stdout)
	}

	out = mustRun(t, ExitOK, "case", "export", id, "--db", path)
	rows, err := csv.NewReader(strings.NewReader(out.stdout)).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("case export: %d rows, %v\n%s", len(rows), err, out.stdout)
	}
	for _, secret := range []string{"Li Wei", "李伟", "liwei_2006", "Zhang Min", "13900139000", "玉石"} {
		if strings.Contains(out.stdout, secret) {
			t.Errorf("the anonymised export shows %q", secret)
		}
	}

	mustRun(t, ExitOK, "case", "status", id, "closed", "--db", path)
	out = mustRun(t, ExitOK, "case", "leads", id, "--db", path, "--format", "json")
	if err := json.Unmarshal([]byte(out.stdout), &leads); err != nil || len(leads.Leads) != 0 {
		t.Errorf("a closed case has leads: %v\n%s", err, out.stdout)
	}

	mustRun(t, ExitNone, "case", "show", "01JNOSUCHCASE0000000000000", "--db", path)
	mustRun(t, ExitError, "case", "status", id, "found", "--db", path)
	mustRun(t, ExitError, "case", "export", id, "--format", "xml", "--db", path)
	mustRun(t, ExitError, "case", "show", "--db", path)
	mustRun(t, ExitError, "case", "frobnicate", "--db", path)

	events, err := db.AuditLog(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, ev := range events {
		if ev.Actor == "cli" || strings.HasPrefix(ev.Actor, "cli") {
			seen[ev.Action] = true
		}
	}
	for _, a := range []string{"case.read", "case.list", "case.export", "case.update"} {
		if !seen[a] {
			t.Errorf("no %s event by the command line in the audit log: %v", a, seen)
		}
	}
}
