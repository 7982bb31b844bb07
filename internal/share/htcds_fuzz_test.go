package share

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"vigil/internal/report"
)

// FuzzWriteHTCDS: whatever text a case holds, the export does not panic,
// the CSV parses back with a row as wide as its header, no cell can run
// as a formula, the JSON parses, and a case without consent exports
// nothing but its process fields.
func FuzzWriteHTCDS(f *testing.F) {
	f.Add("Wang Lei", "=HYPERLINK(\"x\")", "+86 139 0013 9000", "KK Park", "full", uint8(3))
	f.Add("", "", "", "", "anonymised", uint8(0))
	f.Add("a;b\\c", "\"quoted\"\r\nline", "@x", "\tTab", "none", uint8(1))
	f.Add("\xff\xfe", "-1+1", "-3.5", "mm-kk-park", "bogus", uint8(7))
	f.Fuzz(func(t *testing.T, name, text, account, where, consent string, n uint8) {
		when := time.Date(2025, 3, 2, 8, 0, 0, 0, time.UTC)
		c := report.Case{ID: name, Status: text, Urgency: account, Consent: consent, Assignee: where, ClosedReason: text,
			Subject: report.Person{Names: []string{name, text}, Aliases: []string{account}, Sex: text, Age: int(n),
				Nationality: []string{where}, Languages: []string{text}, Accounts: []string{account, name}, Photo: name, Description: text},
			Reporter:     report.CaseReporter{Name: name, Relationship: text, Contact: account, Language: where},
			Recruitment:  report.Recruitment{Method: text, Lure: text, Channel: where, Date: &when, Place: where, Recruiters: []string{account}},
			Exploitation: report.Exploitation{Types: []string{text, "forced_criminality"}, Controls: []string{where}, Detail: text},
			Indicators:   []report.Link{{Kind: "phone", Value: account, Raw: name, Role: report.RoleSubject}},
			CreatedAt:    when, UpdatedAt: when,
		}
		for i := range int(n % 4) {
			c.Journey = append(c.Journey, report.Stop{Place: where, Type: text, Date: &when, Note: text})
			c.ContactLog = append(c.ContactLog, report.ContactEntry{At: when, Channel: where, From: account, FromRole: text, Text: text})
			c.Demands = append(c.Demands, report.Demand{At: when, Amount: &report.Money{Amount: text, Currency: where}, Deadline: &when,
				Intermediaries: []string{account}, Payment: []string{name}, Note: text})
			c.Notes = append(c.Notes, report.Note{At: when, Author: name, Text: strconv.Itoa(i) + text})
		}
		other := c
		other.Consent, other.Journey = "full", nil

		var b bytes.Buffer
		if err := WriteHTCDS(&b, "csv", []report.Case{c, other}); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatalf("the CSV does not parse: %v", err)
		}
		if len(rows) != 3 {
			t.Fatalf("%d rows, want 3", len(rows))
		}
		for _, row := range rows[1:] {
			for i, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					if _, err := strconv.ParseFloat(cell, 64); err != nil {
						t.Fatalf("column %s: cell %q would run as a formula", rows[0][i], cell)
					}
				}
			}
		}
		if Redaction(consent) == RedactionProcess {
			process := map[string]bool{"vigil_CaseID": true, "vigil_Redaction": true, "vigil_Redacted": true, "cas_Status": true,
				"con_Consent": true, "vigil_Consent": true, "vigil_Status": true, "vigil_Urgency": true, "vigil_Created": true}
			for i, cell := range rows[1] {
				if cell != "" && !process[rows[0][i]] {
					t.Fatalf("consent %q: column %s holds %q", consent, rows[0][i], cell)
				}
			}
		}
		b.Reset()
		if err := WriteHTCDS(&b, "json", []report.Case{c, other}); err != nil {
			t.Fatal(err)
		}
		var recs []map[string]string
		if err := json.Unmarshal(b.Bytes(), &recs); err != nil || len(recs) != 2 {
			t.Fatalf("the JSON does not parse into 2 records: %v\n%s", err, b.Bytes())
		}
	})
}
