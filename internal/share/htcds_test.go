package share

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"vigil/internal/extract"
	"vigil/internal/place"
	"vigil/internal/report"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func day(s string) *time.Time {
	t := at(s + "T00:00:00Z")
	return &t
}

// privateValues are what an anonymised or process-only export must not
// contain: names, accounts, contacts, texts, ids of files, exact dates.
var privateValues = []string{
	"Wang Lei", "王磊", "Xiao Lei", "13900139000", "139 0013 9000", "wanglei2006", "Zhang Min", "13800138000",
	"138 0013 8000", "thai_jobs_hr", "高薪客服", "HYPERLINK", "SUM(", "Ah Kun", "building B7", "glasses",
	"被卖到缅甸", "sold again", "16 hours", "Embassy", "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp", "765 4321", "817654321",
	"01JPHOTO", "e3b0c44298fc1c14", "2025-02-14", "2025-02-20", "2025-03-01", "2025-03-02", "2025-05-11",
	"2025-05-20", "2025-06-10", "2025-03-03", "Kunming", "别报警", "139-0013",
}

// testCase is the story: a 19-year-old lured by a job ad on
// Telegram, taken through Mae Sot to KK Park, made to scam, a ransom
// demanded. His own WeChat message is filed, by mistake, under the
// scammers' role.
func testCase(t *testing.T, consent string) report.Case {
	t.Helper()
	c := report.Case{
		ID: "01JCASE00000000000000000001", Status: report.CaseLocated, Urgency: "critical",
		Org: "org-ngo-1", Assignee: "user-cw-7", Consent: consent,
		Subject: report.Person{
			Names: []string{"Wang Lei", "王磊"}, Aliases: []string{"Xiao Lei"}, Age: 19, Sex: "male",
			Nationality: []string{"CN"}, Languages: []string{"zh-Hans-CN", "en"},
			Accounts: []string{"+86 139 0013 9000", "wanglei2006@163.com"},
			Photo:    "01JPHOTO00000000000000000", Description: "Wears glasses; scar on left hand",
		},
		Reporter: report.CaseReporter{Name: "Zhang Min", Relationship: "mother", Contact: "+86 138 0013 8000", Language: "zh"},
		Recruitment: report.Recruitment{
			Method: "online_ad", Channel: "telegram", Date: day("2025-02-14"), Place: "Kunming",
			Lure:       "高薪客服 月薪2万 包吃住 泰国 联系 t.me/thai_jobs_hr",
			Recruiters: []string{"https://t.me/thai_jobs_hr"},
		},
		Journey: []report.Stop{
			{Place: "Mae Sot", Type: "transit", Date: day("2025-02-20"), Note: "crossed the river at night with a driver called Ah Kun"},
			{Place: "mm-kk-park", Type: "exploitation", Date: day("2025-03-01")},
			{Place: "KK Park building B7", Type: "last_known", Date: day("2025-06-10")},
		},
		Exploitation: report.Exploitation{
			Types:    []string{"forced_criminality"},
			Controls: []string{"withholds_documents", "debt_bondage", "physical_abuse", "restricts_movement", "threats"},
			Detail:   "Made to run romance scripts 16 hours a day",
		},
		ContactLog: []report.ContactEntry{
			{At: at("2025-03-02T08:10:00Z"), Channel: "wechat", From: "+86 139 0013 9000", FromRole: report.RoleScammerContact, Text: "妈，我们被骗了，被卖到缅甸了"},
			{At: at("2025-03-05T22:00:00Z"), Channel: "sms", From: "139-0013-9000", FromRole: report.RoleScammerContact, Text: "别报警"},
			{At: at("2025-05-11T14:00:00Z"), Channel: "telegram", From: "+66 81 765 4321", FromRole: report.RoleRansomIntermediary, Text: "Pay 450000 or he is sold again"},
		},
		Demands: []report.Demand{{
			At: at("2025-05-11T14:00:00Z"), Amount: &report.Money{Amount: "450000", Currency: "CNY"}, Deadline: day("2025-05-20"),
			Intermediaries: []string{"+66 81 765 4321"}, Payment: []string{"TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"},
			Note: `=HYPERLINK("http://example.com/x","click")`,
		}},
		Notes: []report.Note{
			{At: at("2025-06-11T09:00:00Z"), Author: "user-cw-7", Text: "Embassy in Yangon informed"},
			{At: at("2025-06-12T09:00:00Z"), Author: "family", Text: "@SUM(1+1)"},
		},
		Source: "web", CreatedAt: at("2025-03-03T09:00:00Z"), UpdatedAt: at("2025-06-12T09:00:00Z"), Version: 4,
		Evidence: []report.EvidenceRef{{ID: "01JPHOTO00000000000000000", ContentType: "image/jpeg", Size: 120000,
			SHA256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", AddedAt: at("2025-03-03T09:05:00Z")}},
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := report.ResolveCase(extract.New(extract.Options{}), place.Default(), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func export(t *testing.T, format string, cases ...report.Case) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTCDS(&b, format, cases); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", "htcds", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", p, diff)
	}
}

// TestHTCDSGolden: one case at each consent level, as CSV and as JSON
// (indented here so the golden file reads one field a line).
func TestHTCDSGolden(t *testing.T) {
	for _, consent := range []string{"full", "anonymised", "none"} {
		c := testCase(t, consent)
		golden(t, consent+".csv.golden", export(t, "csv", c))
		var j bytes.Buffer
		if err := json.Indent(&j, export(t, "json", c), "", "  "); err != nil {
			t.Fatal(err)
		}
		golden(t, consent+".json.golden", j.Bytes())
	}
}

// TestHTCDSFields checks the fields the standard and the issue fix,
// whatever else the layout holds.
func TestHTCDSFields(t *testing.T) {
	for _, c := range []struct {
		consent string
		want    map[string]string
	}{
		{"full", map[string]string{
			"vigil_Redaction": "unredacted", "vigil_Redacted": "", "prs_FirstName": "Wang Lei", "vigil_OtherNames": "王磊",
			"prs_Gender": "Masculine", "prs_Citizenship": "CN", "prs_PrimaryLanguage": "zh", "prs_SecondaryLanguage": "en",
			"prs_MobilePhone": "+8613900139000", "prs_Email": "wanglei2006@163.com",
			"vic_TraffickingStatus": "PossibleVictimOfTrafficking", "vic_AgeWhenTrafficked": "19",
			"vic_MethodOfRecruitment": "ThroughAnOnlineAdvertisement", "vic_RecruitmentWebsitesAndApps": "Telegram",
			"vic_LocationOfRecruitment": "Kunming", "vic_TypeOfExploitation": "ForcedLabour",
			"vic_MethodsOfControl":    "WithholdsDocuments;DebtBondage;PhysicalAbuse;RestrictsMovement;PhysicalThreats",
			"vigil_ExploitationTypes": "forced_criminality", "cas_Status": "Active", "cas_CaseOwner": "user-cw-7",
			"hte_Type_1": "Transit", "hte_City_1": "Mae Sot", "hte_Country_1": "TH", "hte_Date_1": "2025-02-20",
			"hte_Type_2": "Exploitation", "hte_City_2": "KK Park", "vigil_PlaceID_2": "mm-kk-park",
			"hte_Type_3": "", "vigil_StopType_3": "last_known", "hte_City_3": "KK Park building B7",
			"vigil_LastKnownPlace": "KK Park building B7", "con_Consent": "true", "vigil_Consent": "full",
			"vigil_Urgency": "critical", "vigil_Status": "located", "vigil_Created": "2025-03-03T09:00:00Z",
			"vigil_DemandAmounts": "450000 CNY", "vigil_PaymentAccounts": "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp",
			"vigil_Recruiters": "https://t.me/thai_jobs_hr", "vigil_ContactFromRole_1": "subject_contact",
			"vigil_ContactFromRole_2": "subject_contact", "vigil_ContactFromRole_3": "ransom_intermediary", "cco_CaseComment_1": "Embassy in Yangon informed",
		}},
		{"anonymised", map[string]string{
			"vigil_Redaction": "anonymised", "vigil_Redacted": "consent_anonymised", "prs_FirstName": "", "vigil_OtherNames": "",
			"prs_Gender": "Masculine", "prs_Citizenship": "CN", "prs_MobilePhone": "", "prs_Email": "",
			"vic_TraffickingStatus": "PossibleVictimOfTrafficking", "vic_AgeWhenTrafficked": "15-19",
			"vic_MethodOfRecruitment": "ThroughAnOnlineAdvertisement", "vic_LocationOfRecruitment": "",
			"vic_TypeOfExploitation": "ForcedLabour", "cas_Status": "Active",
			"hte_Type_1": "Transit", "hte_City_1": "Mae Sot", "hte_Country_1": "TH", "hte_Date_1": "2025-02",
			"hte_Description_1": "", "hte_City_2": "KK Park", "hte_City_3": "KK Park", "vigil_LastKnownPlace": "KK Park",
			"con_Consent": "true", "vigil_Consent": "anonymised", "vigil_Created": "2025-03",
			"vigil_DemandAmounts": "450000 CNY", "vigil_DemandAmount_1": "450000", "vigil_DemandCurrency_1": "CNY",
			"vigil_DemandDeadline_1": "2025-05", "vigil_PaymentAccounts": "", "vigil_Recruiters": "", "vigil_Lure": "",
			"vigil_ReporterName": "", "vigil_ReporterContact": "", "vigil_ReporterRelationship": "mother",
			"vigil_ContactText_1": "", "vigil_ContactFrom_1": "", "vigil_ContactAt_1": "2025-03", "vigil_Photo": "",
		}},
		{"none", map[string]string{
			"vigil_CaseID": "01JCASE00000000000000000001", "vigil_Redaction": "process_only", "vigil_Redacted": "consent_none",
			"cas_Status": "Active", "vigil_Status": "located", "vigil_Urgency": "critical", "vigil_Consent": "none",
			"con_Consent": "false", "vigil_Created": "2025-03", "prs_Gender": "", "prs_Citizenship": "",
			"vic_TraffickingStatus": "", "vigil_DemandAmounts": "", "cas_CaseOwner": "",
		}},
	} {
		r := HTCDS(testCase(t, c.consent))
		for name, want := range c.want {
			got, ok := r.Get(name)
			if !ok || got != want {
				t.Errorf("%s: %s = %q (present %v), want %q", c.consent, name, got, ok, want)
			}
		}
	}
}

// TestHTCDSMustNotContain proves that nothing personal leaves in an
// anonymised or process-only export, in either format, and that no
// export at any level calls the subject a criminal.
func TestHTCDSMustNotContain(t *testing.T) {
	for _, consent := range []string{"anonymised", "none", "", "bogus"} {
		for _, format := range []string{"csv", "json"} {
			c := testCase(t, "none")
			c.Consent = consent // "" and "bogus" as an unvalidated case might hold
			out := string(export(t, format, testCase(t, "full"), c))
			// The first record is full; look only at the second.
			var rec string
			if format == "csv" {
				rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				rec = strings.Join(rows[2], "\x1f")
			} else {
				var recs []map[string]string
				if err := json.Unmarshal([]byte(out), &recs); err != nil {
					t.Fatal(err)
				}
				b, _ := json.Marshal(recs[1])
				rec = string(b)
			}
			for _, v := range privateValues {
				if strings.Contains(rec, v) {
					t.Errorf("consent %q, %s: the export holds %q", consent, format, v)
				}
			}
		}
	}
	for _, consent := range []string{"full", "anonymised", "none"} {
		for _, format := range []string{"csv", "json"} {
			out := strings.ToLower(string(export(t, format, testCase(t, consent))))
			for _, word := range []string{"scammer", "perpetrator", "offender", "trafficker", "per_roleinprocess", "criminal\""} {
				if strings.Contains(out, word) {
					t.Errorf("consent %q, %s: the export says %q", consent, format, word)
				}
			}
		}
	}
}

// TestHTCDSCSV: the CSV parses back, one header and a row a case, every
// row as wide as the header; formula cells are neutralised.
func TestHTCDSCSV(t *testing.T) {
	short := testCase(t, "full")
	short.ID, short.Journey, short.Demands = "01JCASE00000000000000000002", nil, nil
	out := export(t, "csv", testCase(t, "full"), short, testCase(t, "anonymised"))
	rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want a header and 3", len(rows))
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for _, name := range []string{"vigil_CaseID", "prs_FirstName", "hte_Type_3", "vigil_DemandNote_1", "cco_CaseComment_2", "vigil_Redaction"} {
		if _, ok := col[name]; !ok {
			t.Errorf("no column %s in %v", name, rows[0])
		}
	}
	for _, c := range []struct{ col, want string }{
		{"vigil_DemandNote_1", `'=HYPERLINK("http://example.com/x","click")`},
		{"cco_CaseComment_2", "'@SUM(1+1)"},
		{"prs_MobilePhone", "+8613900139000"}, // a plain number is no formula
	} {
		if got := rows[1][col[c.col]]; got != c.want {
			t.Errorf("%s = %q, want %q", c.col, got, c.want)
		}
	}
	if got := rows[2][col["hte_Type_1"]]; got != "" {
		t.Errorf("a case without a journey has hte_Type_1 %q", got)
	}
	// JSON has the same keys in the same order.
	var recs []json.RawMessage
	if err := json.Unmarshal(export(t, "json", testCase(t, "full"), short, testCase(t, "anonymised")), &recs); err != nil {
		t.Fatal(err)
	}
	for i, raw := range recs {
		dec := json.NewDecoder(bytes.NewReader(raw))
		var keys []string
		dec.Token()
		for dec.More() {
			k, _ := dec.Token()
			keys = append(keys, k.(string))
			dec.Token()
		}
		if diff := cmp.Diff(rows[0], keys); diff != "" {
			t.Errorf("JSON record %d keys (-csv header +json):\n%s", i, diff)
		}
	}
}

func TestSameAccount(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"+86 139 0013 9000", "13900139000", true},
		{"+86 139 0013 9000", "0086-139-0013-9000", true},
		{"WangLei2006", "wanglei_2006", true},
		{"@wang_lei", "wang.lei", true},
		{"+86 139 0013 9000", "+86 139 0013 9001", false},
		{"12345", "912345", false}, // too short to say
		{"", "", false},
		{"wanglei", "wanglei2006", false},
	} {
		if got := sameAccount(c.a, c.b); got != c.want {
			t.Errorf("sameAccount(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestCellSafe(t *testing.T) {
	for in, want := range map[string]string{
		"":                 "",
		"plain":            "plain",
		"=1+1":             "'=1+1",
		"+1+cmd|' /C calc": "'+1+cmd|' /C calc",
		"-2+3":             "'-2+3",
		"@SUM(A1)":         "'@SUM(A1)",
		"\tx":              "'\tx",
		"\rx":              "'\rx",
		"+8613900139000":   "+8613900139000",
		"-3.5":             "-3.5",
		"-Inf":             "'-Inf",
		"+NaN":             "'+NaN",
		"-0x1p3":           "'-0x1p3",
		"a=b":              "a=b",
	} {
		if got := cellSafe(in); got != want {
			t.Errorf("cellSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHTCDSEdges(t *testing.T) {
	if err := WriteHTCDS(&bytes.Buffer{}, "xml", nil); err == nil {
		t.Error("format xml: no error")
	}
	if got := string(export(t, "json")); got != "[\n]\n" {
		t.Errorf("no cases as JSON: %q", got)
	}
	rows, err := csv.NewReader(bytes.NewReader(export(t, "csv"))).ReadAll()
	if err != nil || len(rows) != 1 {
		t.Errorf("no cases as CSV: %d rows, %v; want the header alone", len(rows), err)
	}
	for _, c := range []struct {
		years int
		full  bool
		want  string
	}{{0, false, ""}, {19, true, "19"}, {19, false, "15-19"}, {20, false, "20-24"}, {4, false, "0-4"}, {120, false, "120-124"}} {
		if got := age(c.years, c.full); got != c.want {
			t.Errorf("age(%d, %v) = %q, want %q", c.years, c.full, got, c.want)
		}
	}
	if got := join([]string{"a;b", `c\d`, "e"}); got != `a\;b;c\\d;e` {
		t.Errorf("join = %q", got)
	}
}
