package sqlstore

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"vigil/internal/auth"
	"vigil/internal/extract"
	"vigil/internal/place"
	"vigil/internal/report"
	"vigil/internal/store"
)

// caseSeeds are a case's personal data, which the store must never hold
// in the clear.
var caseSeeds = []string{
	"Chen Xiaoming",                      // the subject's name
	"陈小明",                                // in Chinese
	"chen_son_wechat",                    // the subject's own WeChat
	"kk_recruiter_hr",                    // the recruiter's WeChat
	"chen-mother@example.org",            // the family's contact
	"we were tricked and sold",           // a message
	"TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL", // the ransom wallet
	"photo-of-chen-xiaoming.jpg",         // a file's name
	"JPEG bytes of the son's face",       // a file's bytes
}

var caseViewer = store.Viewer{User: "cw", Org: "ngo", Member: true, AmberOrgs: []string{"ngo"}, CaseReader: true}

// seedCase files a case holding every seed, and a file.
func seedCase(t *testing.T, db *DB) (string, report.EvidenceRef) {
	t.Helper()
	ctx := context.Background()
	c := &report.Case{Org: "ngo", Source: "web",
		Subject:     report.Person{Names: []string{caseSeeds[0], caseSeeds[1]}, Accounts: []string{"wechat: " + caseSeeds[2]}},
		Reporter:    report.CaseReporter{Name: "Chen Mother", Contact: caseSeeds[4]},
		Recruitment: report.Recruitment{Recruiters: []string{"wechat: " + caseSeeds[3]}},
		ContactLog:  []report.ContactEntry{{Text: caseSeeds[5]}},
		Demands:     []report.Demand{{Payment: []string{caseSeeds[6]}}},
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := report.ResolveCase(extract.New(extract.Options{}), place.Default(), c); err != nil {
		t.Fatal(err)
	}
	id, _, err := db.AddCase(ctx, c, store.CaseFiling{Family: &store.FamilyAccess{TokenHash: "th", CodeHash: "ch"}})
	if err != nil {
		t.Fatal(err)
	}
	e, err := db.AddEvidence(ctx, id, report.EvidenceRef{Name: caseSeeds[7], ContentType: "image/jpeg", PHash: "0123456789abcdef"}, []byte(caseSeeds[8]))
	if err != nil {
		t.Fatal(err)
	}
	// A report names the subject's WeChat: a lead, and the report marked.
	r := &report.Report{Kind: "scam", ScamType: "romance", Channel: "wechat", Narrative: "n", Status: "new", Reporter: "v", Source: "api",
		Indicators: []report.Link{{Kind: "wechat", Value: caseSeeds[2], Role: report.RoleScammerContact, Origin: "named"}}}
	rid, _, err := db.AddReport(ctx, r, store.Idempotency{})
	if err != nil {
		t.Fatal(err)
	}
	if m, err := db.ForcedScammer(ctx, []string{rid}); err != nil || !m[rid] {
		t.Fatalf("ForcedScammer: %v %v", m, err)
	}
	return id, e
}

func assertNoCaseData(t *testing.T, what string, data []byte) {
	t.Helper()
	for _, s := range caseSeeds {
		if s == caseSeeds[2] {
			// The subject's WeChat is also a reported scam indicator
			// now: the indicators table holds what reports name.
			continue
		}
		for _, form := range [][]byte{[]byte(s), utf16le(s)} {
			if bytes.Contains(data, form) {
				t.Errorf("%s holds %q in the clear", what, s)
			}
		}
	}
}

// TestCaseSealed: the SQLite file holds none of a case's personal data;
// after the data key rotates, the case, its file, its leads and the
// matching by blind key all still work, and lead ids stay the same.
func TestCaseSealed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path, keyPath := filepath.Join(dir, "vigil.db"), filepath.Join(dir, "vigil.key")
	keys, _, err := auth.LoadKeyring("", keyPath)
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, path, Options{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	id, e := seedCase(t, db)
	var all []byte
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	assertNoCaseData(t, "the SQLite file and WAL", all)
	before, err := db.Leads(ctx, caseViewer, id)
	if err != nil || len(before) != 1 || before[0].Kind != store.LeadForcedScammer {
		t.Fatalf("leads before rotation: %+v %v", before, err)
	}

	if err := keys.Rotate(keyPath); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RotateData(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := db.Case(ctx, caseViewer, id)
	if err != nil || c.Subject.Names[0] != caseSeeds[0] || len(c.Evidence) != 1 || c.Evidence[0].Name != caseSeeds[7] {
		t.Fatalf("case after rotation: %+v %v", c, err)
	}
	if _, b, err := db.Evidence(ctx, caseViewer, id, e.ID); err != nil || string(b) != caseSeeds[8] {
		t.Errorf("file after rotation: %q %v", b, err)
	}
	after, err := db.Leads(ctx, caseViewer, id)
	if err != nil || len(after) != 1 || after[0].ID != before[0].ID || !after[0].Since.Equal(before[0].Since) {
		t.Errorf("leads after rotation: %+v %v, before %+v", after, err, before)
	}
	// The blind keys were rebuilt: a new report naming the recruiter
	// finds the case.
	r := &report.Report{Kind: "job_offer", ScamType: "job", Channel: "wechat", Narrative: "n", Status: "new", Reporter: "w", Source: "api",
		Indicators: []report.Link{{Kind: "wechat", Value: caseSeeds[3], Role: report.RoleRecruiter, Origin: "named"}}}
	rid, _, err := db.AddReport(ctx, r, store.Idempotency{})
	if err != nil {
		t.Fatal(err)
	}
	if n := recordedLeads(t, db, id); len(n) != 2 {
		t.Errorf("after rotation, a report naming the recruiter: recorded leads %v", n)
	}
	if m, err := db.ForcedScammer(ctx, []string{rid}); err != nil || m[rid] {
		t.Errorf("the recruiter's report is not the subject's: %v %v", m, err)
	}
}

// TestPostgresDumpHoldsNoCaseData runs pg_dump on a store with a case.
func TestPostgresDumpHoldsNoCaseData(t *testing.T) {
	dsn := freshPostgres(t, postgresURL(t))
	db, err := Open(context.Background(), dsn, Options{Keys: testKeys})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	seedCase(t, db)
	out, err := exec.Command("pg_dump", "--no-owner", dsn).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	if !bytes.Contains(out, []byte("case_indicators")) {
		t.Fatalf("pg_dump printed no store: %.300s", out)
	}
	assertNoCaseData(t, "pg_dump", out)
}

// recordedLeads lists the leads table's current (not gone) lead ids of a
// case.
func recordedLeads(t *testing.T, db *DB, caseID string) []string {
	t.Helper()
	rows, err := db.r.QueryContext(context.Background(), db.q("SELECT lead_id FROM leads WHERE case_id = ? AND gone_at IS NULL ORDER BY lead_id"), caseID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	return out
}

// TestLeadAlerts: the writes that change a case's leads record them and
// announce them to the case's watchers, in their own transaction: a
// report naming a value, its rejection and reinstatement, a report the
// organisation may not see (none), a dispute upheld, a shared value in
// another case, a near photo, the case's closing.
func TestLeadAlerts(t *testing.T) {
	dialects(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		x := extract.New(extract.Options{})
		mk := func(org string, accounts, payment []string) string {
			c := &report.Case{Org: org, Subject: report.Person{Names: []string{"someone"}, Accounts: accounts}}
			if payment != nil {
				c.Demands = []report.Demand{{Payment: payment}}
			}
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
			if err := report.ResolveCase(x, place.Default(), c); err != nil {
				t.Fatal(err)
			}
			id, _, err := db.AddCase(ctx, c, store.CaseFiling{})
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		const wallet = "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"
		id := mk("ngo", []string{"wechat: alert_son01"}, []string{wallet})
		w, err := db.AddWatch(ctx, store.Watch{User: "cw", Kind: store.WatchCase, Target: id})
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		events := func() []string {
			t.Helper()
			as, err := db.Alerts(ctx, "cw", 100)
			if err != nil {
				t.Fatal(err)
			}
			slices.Reverse(as) // oldest first
			var out []string
			for _, a := range as[seen:] {
				if a.Watch != w.ID || a.Case != id || a.Lead == "" {
					t.Errorf("alert %+v", a)
				}
				out = append(out, a.Event+" "+a.LeadKind)
			}
			seen = len(as)
			return out
		}
		// Within one write, events come in lead id order: compare sorted.
		expect := func(step string, want ...string) {
			t.Helper()
			got := events()
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s: alerts %v, want %v", step, got, want)
			}
		}
		pay := func(reporter, tlp string) string {
			r := &report.Report{Kind: "scam", ScamType: "investment", Channel: "wechat", Narrative: "n", Status: "new", Reporter: reporter,
				Source: "api", TLP: tlp, Author: "someone-else", Indicators: []report.Link{{Kind: "trx", Value: wallet, Role: report.RolePayment, Origin: "named"}}}
			rid, _, err := db.AddReport(ctx, r, store.Idempotency{})
			if err != nil {
				t.Fatal(err)
			}
			return rid
		}
		expect("filing")
		red := pay("r0", report.TLPRed)
		expect("a red report of another author")
		r1 := pay("r1", report.TLPClear)
		expect("a report naming the wallet", "lead.new reports")
		pay("r2", report.TLPClear)
		expect("a second one: the same lead")
		if err := db.SetReportStatus(ctx, r1, report.StatusRejected, ""); err != nil {
			t.Fatal(err)
		}
		expect("one of two rejected")
		if err := db.DeleteReport(ctx, red); err != nil {
			t.Fatal(err)
		}
		expect("a hidden report deleted")
		// The owner's caseworker reads the lead that was recorded.
		if ls, err := db.Leads(ctx, caseViewer, id); err != nil || len(ls) != 1 || !slices.Equal(recordedLeads(t, db, id), []string{ls[0].ID}) {
			t.Errorf("recorded leads %v, read %+v %v", recordedLeads(t, db, id), ls, err)
		}
		other := mk("ngo2", []string{"wechat: other_son01"}, []string{wallet})
		expect("another case with the wallet", "lead.new case")
		d, err := db.AddDispute(ctx, store.Dispute{Kind: "trx", Value: wallet})
		if err != nil {
			t.Fatal(err)
		}
		expect("disputed: marked, not gone")
		if _, err := db.ResolveDispute(ctx, d.ID, true, "an exchange's"); err != nil {
			t.Fatal(err)
		}
		expect("upheld: known-good", "lead.gone case", "lead.gone reports")
		if _, err := db.AddEvidence(ctx, id, report.EvidenceRef{ContentType: "image/jpeg", PHash: "00000000000000ff"}, []byte("a")); err != nil {
			t.Fatal(err)
		}
		expect("a photo, alone")
		if _, err := db.AddEvidence(ctx, other, report.EvidenceRef{ContentType: "image/jpeg", PHash: "00000000000000f0"}, []byte("b")); err != nil {
			t.Fatal(err)
		}
		expect("the same photo in the other case", "lead.new photo")
		c, err := db.Case(ctx, caseViewer, id)
		if err != nil {
			t.Fatal(err)
		}
		c.Status = report.CaseClosed
		if err := db.UpdateCase(ctx, &c); err != nil {
			t.Fatal(err)
		}
		expect("closed", "lead.gone photo")
		if got := recordedLeads(t, db, other); len(got) != 0 {
			t.Errorf("the other case still records leads on a closed case: %v", got)
		}
	})
}
