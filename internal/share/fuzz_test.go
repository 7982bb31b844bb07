package share

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Fuzz targets for the readers of outside input: whatever the file, a
// read never panics, keeps the record invariants (read checks them),
// gives well-formed reports, and resumes exactly.

func fuzzRead(t *testing.T, name string, content []byte, f Format) {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, content, 0o600); err != nil {
		t.Fatal(err)
	}
	var all []Record
	err := Read(context.Background(), p, f, 0, func(r Record) error {
		checkRecord(t, r, lastPos(all), 0)
		if r.Report != nil && (len(r.Report.ImportKey) != 64 || r.Report.Source != "import" || r.Report.Validate() != nil) {
			t.Fatalf("line %d: report not valid or without its key: %+v", r.Pos, r.Report)
		}
		if r.Err != nil && r.Err.Error() == "" {
			t.Fatalf("line %d: empty reason", r.Pos)
		}
		all = append(all, r)
		return nil
	})
	if err != nil {
		if f != FormatReportsCSV || !strings.Contains(err.Error(), "header") {
			t.Fatalf("Read: %v", err)
		}
		return
	}
	checkResume(t, p, f, all)
}

func lastPos(rs []Record) int64 {
	if len(rs) == 0 {
		return 0
	}
	return rs[len(rs)-1].Pos
}

func FuzzReportsJSONL(f *testing.F) {
	for _, s := range []string{
		goodJSON, goodJSON + "\n{bad\n" + goodJSON,
		`{"narrative":"x","loss":{"amount":1e400,"currency":"USD"}}`,
		`{"indicators":[{"value":"0x9fAfDd6748BA31C41a23C8303Be53320Ed41901C","kind":"eth"}]}`,
		`{"narrative":"a","occurred_at":"2024-02-30"}` + "\r\n\r\n" + `{"narrative":"\u0000"}`,
		"\xef\xbb\xbf{\"narrative\":\"x\"}\n\xff", `null`, `{"loss":null,"indicators":null,"narrative":"x"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, "r.jsonl", b, FormatReportsJSONL) })
}

func FuzzReportsCSV(f *testing.F) {
	for _, s := range []string{
		"id,narrative,loss_amount,loss_currency,indicators,occurred_at\n1,x,1,USD,payment:a.com;b.com,2024-01-01\n",
		"narrative\n\"multi\nline\"\n\"open\n",
		"narrative,indicators\r\nx,\"a\"\"b\"\r\n2,3,4\r\n,\n",
		"NARRATIVE , Indicators\n\"x\" ,y\nbare\"quote,z\n",
		"narrative\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, "r.csv", b, FormatReportsCSV) })
}

func FuzzPlain(f *testing.F) {
	for _, s := range []string{
		"# list\nevil.com\n0x9fAfDd6748BA31C41a23C8303Be53320Ed41901C\n+8613800138000\nhttps://a.com/x # c\n",
		"0.0.0.0 a.b.com\n@telegram_user\nDE89370400440532013000\n0:" + strings.Repeat("a", 64) + "\n",
		"mailto:a@b.com\nhttp://[::1]/\nxn--80ak6aa92e.com\n\xff\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRead(t, "list.txt", b, FormatPlain) })
}
