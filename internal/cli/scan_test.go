package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata")

const (
	withIndicators    = "微信 abc_123456\n"
	withoutIndicators = "hello, nothing to see here\n"
)

// mixedText has indicators of many kinds, some written to dodge filters,
// and a card number that must never be printed in full.
const mixedText = `联系微信 abc_123456，转账到 USDT-TRC20 TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp
电话：１３８ ００１３ ８０００ 邮箱 Bob@Example.COM
telegram @scam_boss, see hxxps://evil[.]com/login?a=1&b=2
卡号 6222 0212 3456 7890 128
公司在妙瓦底，拨打 96110
`

// The card number in mixedText and cardTexts, Luhn-valid (UnionPay).
const (
	cardDigits = "6222021234567890128"
	cardMasked = "622202*********0128"
)

// stableFields are on every json and jsonl record (scan --help).
var stableFields = []string{"id", "kind", "value", "raw", "start", "end", "confidence", "hint"}

// csvFields is the documented csv header.
var csvFields = []string{"id", "kind", "value", "raw", "start", "end", "confidence", "hint",
	"known_good", "region", "network", "note", "warning", "tags"}

func TestScanExitCodes(t *testing.T) {
	good := writeFile(t, "good.txt", withIndicators)
	none := writeFile(t, "none.txt", withoutIndicators)
	missing := filepath.Join(t.TempDir(), "missing.txt")
	dir := t.TempDir()
	tests := []struct {
		name       string
		stdin      string
		args       []string
		wantCode   int
		wantStdout string // a substring; "" means stdout must hold no record
		wantStderr string // a substring
	}{
		{"stdin with indicators", withIndicators, nil, ExitOK, "abc_123456", ""},
		{"stdin as -", withIndicators, []string{"-"}, ExitOK, "abc_123456", ""},
		{"stdin without indicators", withoutIndicators, nil, ExitNone, "", ""},
		{"empty stdin", "", nil, ExitNone, "", ""},
		{"file with indicators", "", []string{good}, ExitOK, "abc_123456", ""},
		{"flags after the file", "", []string{good, "--format", "jsonl"}, ExitOK, "abc_123456", ""},
		{"file without indicators", "", []string{none}, ExitNone, "", ""},
		{"one file with, one without", "", []string{none, good}, ExitOK, "abc_123456", ""},
		{"missing file", "", []string{missing}, ExitError, "", "missing.txt"},
		{"good then missing file", "", []string{good, missing}, ExitError, "abc_123456", "missing.txt"},
		{"missing then good file", "", []string{missing, good}, ExitError, "abc_123456", "missing.txt"},
		{"directory", "", []string{dir}, ExitError, "", "is a directory"},
		{"directory then good file", "", []string{dir, good}, ExitError, "abc_123456", "is a directory"},
		{"all below min confidence", withIndicators, []string{"--min-confidence", "1"}, ExitNone, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"scan", "--format", "jsonl"}, tt.args...)
			got := run(t, tt.stdin, args...)
			if got.code != tt.wantCode {
				t.Errorf("vigil %q: exit code %d, want %d\nstderr: %s", args, got.code, tt.wantCode, got.stderr)
			}
			recs := decodeJSONL(t, got.stdout)
			if tt.wantStdout == "" && len(recs) > 0 {
				t.Errorf("vigil %q: want no record, got:\n%s", args, got.stdout)
			}
			if !strings.Contains(got.stdout, tt.wantStdout) {
				t.Errorf("vigil %q: stdout does not contain %q:\n%s", args, tt.wantStdout, got.stdout)
			}
			if tt.wantStderr == "" && got.stderr != "" {
				t.Errorf("vigil %q: want nothing on stderr, got:\n%s", args, got.stderr)
			}
			if !strings.Contains(got.stderr, tt.wantStderr) {
				t.Errorf("vigil %q: stderr does not contain %q:\n%s", args, tt.wantStderr, got.stderr)
			}
		})
	}
}

// TestScanMissingFileJSON checks that the json array is still closed when
// one of the files cannot be read.
func TestScanMissingFileJSON(t *testing.T) {
	good := writeFile(t, "good.txt", withIndicators)
	got := run(t, "", "scan", "--format", "json", good, filepath.Join(t.TempDir(), "missing.txt"))
	if got.code != ExitError {
		t.Errorf("exit code %d, want %d", got.code, ExitError)
	}
	recs := decodeJSON(t, got.stdout)
	if len(recs) != 1 || recs[0].Value != "abc_123456" || recs[0].ID != good {
		t.Errorf("want the one record of %s, got %+v", good, recs)
	}
}

func TestScanCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var stdout, stderr strings.Builder
	code := Run(ctx, []string{"scan", "--format", "json"}, strings.NewReader(withIndicators), &stdout, &stderr)
	if code != ExitError {
		t.Errorf("exit code %d with a cancelled context, want %d", code, ExitError)
	}
	decodeJSON(t, stdout.String())
}

// TestScanFormats runs every output format on the same input and checks
// each against the jsonl records.
func TestScanFormats(t *testing.T) {
	out := map[string]string{}
	for _, f := range []string{"jsonl", "json", "csv", "table"} {
		got := run(t, mixedText, "scan", "--region", "CN", "--format", f)
		if got.code != ExitOK || got.stderr != "" {
			t.Fatalf("--format %s: exit code %d, stderr %q; want %d and nothing", f, got.code, got.stderr, ExitOK)
		}
		out[f] = got.stdout
	}
	recs := decodeJSONL(t, out["jsonl"])
	if len(recs) < 8 {
		t.Fatalf("want at least 8 records from mixedText, got %d:\n%s", len(recs), out["jsonl"])
	}

	t.Run("stable fields", func(t *testing.T) {
		var objs []map[string]json.RawMessage
		for line := range strings.Lines(out["jsonl"]) {
			var m map[string]json.RawMessage
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatal(err)
			}
			objs = append(objs, m)
		}
		var arr []map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out["json"]), &arr); err != nil {
			t.Fatal(err)
		}
		for i, m := range append(objs, arr...) {
			for _, f := range stableFields {
				if _, ok := m[f]; !ok {
					t.Errorf("record %d has no %q field: %v", i+1, f, m)
				}
			}
		}
	})

	t.Run("json", func(t *testing.T) {
		if diff := cmp.Diff(recs, decodeJSON(t, out["json"])); diff != "" {
			t.Errorf("json records differ from jsonl (-jsonl +json):\n%s", diff)
		}
	})

	t.Run("csv", func(t *testing.T) {
		rows, err := csv.NewReader(strings.NewReader(out["csv"])).ReadAll()
		if err != nil {
			t.Fatalf("csv output does not parse: %v\n%s", err, out["csv"])
		}
		var want [][]string
		want = append(want, csvFields)
		for _, r := range recs {
			want = append(want, csvRow(r))
		}
		if diff := cmp.Diff(want, rows); diff != "" {
			t.Errorf("csv rows (-want +got):\n%s", diff)
		}
	})

	t.Run("table", func(t *testing.T) {
		lines := strings.Split(strings.TrimSuffix(out["table"], "\n"), "\n")
		if got := strings.Fields(lines[0]); !slices.Equal(got, []string{"KIND", "VALUE", "AS", "WRITTEN", "OFFSETS", "CONF", "HINT", "NOTE"}) {
			t.Errorf("table header = %q", lines[0])
		}
		if len(lines) != len(recs)+1 {
			t.Fatalf("table has %d lines, want a header and %d rows:\n%s", len(lines), len(recs), out["table"])
		}
		for i, r := range recs {
			f := strings.Fields(lines[i+1])
			offsets := fmt.Sprintf("%d-%d", r.Start, r.End)
			if len(f) < 2 || f[0] != r.Kind || f[1] != r.Value || !slices.Contains(f, offsets) {
				t.Errorf("table row %d = %q, want kind %s, value %s, offsets %s", i+1, lines[i+1], r.Kind, r.Value, offsets)
			}
		}
	})
}

// csvRow is the csv row a record should give. Values a spreadsheet would
// read as a formula get a leading quote; "+" is left alone, as phone
// numbers start with it.
func csvRow(r outRecord) []string {
	id := fmt.Sprint(r.ID)
	safe := func(s string) string {
		if s != "" && strings.ContainsAny(s[:1], "=-@\t\r") {
			return "'" + s
		}
		return s
	}
	return []string{id, r.Kind, safe(r.Value), safe(r.Raw), strconv.Itoa(r.Start), strconv.Itoa(r.End),
		strconv.FormatFloat(r.Confidence, 'f', 2, 64), r.Hint, strconv.FormatBool(r.KnownGood),
		r.Region, r.Network, r.Note, r.Warning, strings.Join(r.Tags, " ")}
}

func TestScanFormatsNothingFound(t *testing.T) {
	tests := []struct{ format, want string }{
		{"json", "[\n]\n"},
		{"jsonl", ""},
		{"csv", strings.Join(csvFields, ",") + "\n"},
		{"table", "no indicators found\n"},
	}
	for _, tt := range tests {
		got := run(t, withoutIndicators, "scan", "--format", tt.format)
		if got.code != ExitNone {
			t.Errorf("--format %s: exit code %d, want %d", tt.format, got.code, ExitNone)
		}
		if diff := cmp.Diff(tt.want, got.stdout); diff != "" {
			t.Errorf("--format %s: stdout (-want +got):\n%s", tt.format, diff)
		}
	}
	if got := decodeJSON(t, run(t, "", "scan", "--format", "json").stdout); len(got) != 0 {
		t.Errorf("json of empty input = %v, want []", got)
	}
}

// TestScanRaw checks that raw is the input between start and end, for text
// and for jsonl records; card numbers are masked instead.
func TestScanRaw(t *testing.T) {
	check := func(t *testing.T, text string, r outRecord) {
		t.Helper()
		if r.Start < 0 || r.Start >= r.End || r.End > len(text) {
			t.Errorf("%s %s: offsets %d-%d outside the %d-byte text", r.Kind, r.Value, r.Start, r.End, len(text))
			return
		}
		want := text[r.Start:r.End]
		if r.Kind == "card" {
			want = cardMasked
		}
		if r.Raw != want {
			t.Errorf("%s %s: raw = %q, want %q (input %d-%d)", r.Kind, r.Value, r.Raw, want, r.Start, r.End)
		}
	}
	t.Run("text", func(t *testing.T) {
		for _, text := range []string{mixedText, goldenText, encodingText} {
			for _, r := range decodeJSONL(t, run(t, text, "scan", "--format", "jsonl").stdout) {
				check(t, text, r)
			}
		}
	})
	t.Run("jsonl", func(t *testing.T) {
		lines := strings.Split(strings.TrimSuffix(mixedText, "\n"), "\n")
		var in strings.Builder
		for i, l := range lines {
			b, _ := json.Marshal(map[string]any{"id": i, "text": l})
			in.Write(append(b, '\n'))
		}
		for _, r := range decodeJSONL(t, run(t, in.String(), "scan", "--input", "jsonl", "--format", "jsonl").stdout) {
			n, err := strconv.Atoi(fmt.Sprint(r.ID))
			if err != nil || n >= len(lines) {
				t.Fatalf("record with id %v, want a line number", r.ID)
			}
			check(t, lines[n], r)
		}
	})
}

var cardTexts = []string{
	"卡号 6222 0212 3456 7890 128",
	"卡号6222021234567890128",
	"卡号：6222-0212-3456-7890-128",
	"银行卡 6222021234567890128 户名 张三",
	mixedText,
}

// TestScanCardNeverInFull checks every format and input mode for a card
// number written in full, in any grouping.
func TestScanCardNeverInFull(t *testing.T) {
	for _, text := range cardTexts {
		jl, _ := json.Marshal(map[string]string{"id": "m1", "text": text})
		for _, input := range []string{"text", "jsonl"} {
			stdin := text
			if input == "jsonl" {
				stdin = string(jl)
			}
			for _, f := range []string{"table", "json", "jsonl", "csv"} {
				got := run(t, stdin, "scan", "--input", input, "--format", f)
				if got.code != ExitOK {
					t.Errorf("%q --input %s --format %s: exit code %d, want %d", text, input, f, got.code, ExitOK)
				}
				all := strings.NewReplacer(" ", "", "-", "", "\t", "", "\n", "").Replace(got.stdout + got.stderr)
				if strings.Contains(all, cardDigits) {
					t.Errorf("%q --input %s --format %s: the full card number is in the output:\n%s%s", text, input, f, got.stdout, got.stderr)
				}
				if !strings.Contains(got.stdout, cardMasked) {
					t.Errorf("%q --input %s --format %s: no masked card %s in the output:\n%s", text, input, f, cardMasked, got.stdout)
				}
			}
		}
	}
}

// TestScanCardWithoutChineseCue checks card numbers named in English or
// written in groups of four with no words.
func TestScanCardWithoutChineseCue(t *testing.T) {
	for _, text := range []string{"card 6222 0212 3456 7890 128", "6222 0212 3456 7890 128"} {
		recs := decodeJSONL(t, run(t, text, "scan", "--format", "jsonl").stdout)
		var got []string
		for _, r := range recs {
			got = append(got, r.Kind+" "+r.Value)
		}
		if diff := cmp.Diff([]string{"card " + cardMasked}, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", text, diff)
		}
	}
}

// TestScanHelpExample runs the example in "vigil scan --help".
func TestScanHelpExample(t *testing.T) {
	got := run(t, "加微信 abc_123456 转账到 TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp\n", "scan", "--format", "json")
	var kv []string
	for _, r := range decodeJSON(t, got.stdout) {
		kv = append(kv, r.Kind+" "+r.Value)
	}
	if diff := cmp.Diff([]string{"wechat abc_123456", "trx TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"}, kv); diff != "" {
		t.Errorf("help example (-want +got):\n%s", diff)
	}
}

func TestCSVSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"abc_123456", "abc_123456"},
		{"=HYPERLINK(\"http://evil.com\")", "'=HYPERLINK(\"http://evil.com\")"},
		{"-2+3", "'-2+3"},
		{"@scam_boss", "'@scam_boss"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"+8613800138000", "+8613800138000"},
		{"a=1", "a=1"},
	}
	for _, tt := range tests {
		if got := csvSafe(tt.in); got != tt.want {
			t.Errorf("csvSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestScanCSVFormulaInID checks that an id from the input cannot smuggle a
// formula into a spreadsheet.
func TestScanCSVFormulaInID(t *testing.T) {
	got := run(t, `{"id":"=1+1","text":"微信 abc_123456"}`, "scan", "--input", "jsonl", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(got.stdout)).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("want a header and one row, got %v (%v)", rows, err)
	}
	if rows[1][0] != "'=1+1" {
		t.Errorf("id cell = %q, want %q", rows[1][0], "'=1+1")
	}
}

// TestScanJSONLIDs checks that ids keep their JSON type in json and jsonl
// output and are written as they are in csv and table output.
func TestScanJSONLIDs(t *testing.T) {
	const in = `{"id":"msg-1","text":"微信 abc_123456"}
{"id":42,"text":"telegram @scam_boss"}` + "\r\n" + `{"text":"电话 +86 138 0013 8000","id":"42"}

{"id":12345678901234567890,"text":"公司在妙瓦底"}
{"id":-3.5,"text":"邮箱 bob@example.com"}
`
	wantIDs := []any{"msg-1", json.Number("42"), "42", json.Number("12345678901234567890"), json.Number("-3.5")}
	wantText := []string{"msg-1", "42", "42", "12345678901234567890", "-3.5"}

	out := map[string]result{}
	for _, f := range []string{"jsonl", "json", "csv", "table"} {
		out[f] = run(t, in, "scan", "--input", "jsonl", "--format", f)
		if out[f].code != ExitOK || out[f].stderr != "" {
			t.Fatalf("--format %s: exit code %d, stderr %q; want %d and nothing", f, out[f].code, out[f].stderr, ExitOK)
		}
	}
	for _, f := range []string{"jsonl", "json"} {
		var recs []outRecord
		if f == "jsonl" {
			recs = decodeJSONL(t, out[f].stdout)
		} else {
			recs = decodeJSON(t, out[f].stdout)
		}
		var ids []any
		for _, r := range recs {
			ids = append(ids, r.ID)
		}
		if diff := cmp.Diff(wantIDs, ids); diff != "" {
			t.Errorf("--format %s: ids (-want +got):\n%s", f, diff)
		}
	}
	rows, err := csv.NewReader(strings.NewReader(out["csv"].stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var csvIDs []string
	for _, row := range rows[1:] {
		csvIDs = append(csvIDs, row[0])
	}
	if diff := cmp.Diff(wantText, csvIDs); diff != "" {
		t.Errorf("csv ids (-want +got):\n%s", diff)
	}
	// The table names each record's id on a line of its own before its rows.
	var tableIDs []string
	for _, line := range strings.Split(strings.TrimSuffix(out["table"].stdout, "\n"), "\n")[1:] {
		if id, ok := strings.CutPrefix(line, "── "); ok {
			tableIDs = append(tableIDs, id)
		}
	}
	if diff := cmp.Diff(wantText, tableIDs); diff != "" {
		t.Errorf("table ids (-want +got):\n%s", diff)
	}
}

func TestScanJSONLBadLines(t *testing.T) {
	const in = `{"id":"a","text":"微信 abc_123456"}
not json
{"id":"b"}
{"id":{"x":1},"text":"微信 def_654321"}

{"id":[1],"text":"微信 ghi_111111"}
{"id":true,"text":"微信 jkl_222222"}
{"id":"c","text":"telegram @scam_boss"}
   
{"id":"d","text":null}
`
	path := writeFile(t, "msgs.jsonl", in)
	for _, args := range [][]string{{"-"}, {path}} {
		got := run(t, in, append([]string{"scan", "--input", "jsonl", "--format", "jsonl"}, args...)...)
		if got.code != ExitError {
			t.Errorf("exit code %d, want %d", got.code, ExitError)
		}
		var kv []string
		for _, r := range decodeJSONL(t, got.stdout) {
			kv = append(kv, fmt.Sprint(r.ID)+" "+r.Value)
		}
		if diff := cmp.Diff([]string{"a abc_123456", "c scam_boss"}, kv); diff != "" {
			t.Errorf("records of the good lines (-want +got):\n%s", diff)
		}
		name := args[0]
		for _, want := range []string{
			name + ":2: not a JSON object",
			name + `:3: no "text" field`,
			name + `:4: "id" must be a string or a number`,
			name + `:6: "id" must be a string or a number`,
			name + `:7: "id" must be a string or a number`,
			name + `:10: no "text" field`,
		} {
			if !strings.Contains(got.stderr, want) {
				t.Errorf("stderr does not contain %q:\n%s", want, got.stderr)
			}
		}
		for _, blank := range []string{name + ":5:", name + ":9:"} {
			if strings.Contains(got.stderr, blank) {
				t.Errorf("stderr names blank line %q:\n%s", blank, got.stderr)
			}
		}
	}
}

// TestScanJSONLWithoutID checks that a record without an id still gives
// the stable fields, id among them.
func TestScanJSONLWithoutID(t *testing.T) {
	got := run(t, `{"text":"微信 abc_123456"}`, "scan", "--input", "jsonl", "--format", "jsonl")
	if got.code == ExitError && got.stdout == "" {
		return // refusing the line is fine too
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(got.stdout), &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["id"]; !ok {
		t.Errorf("record has no id field: %s", got.stdout)
	}
}

// encodingText is mostly Chinese, as GB18030 detection needs.
const encodingText = "联系微信 abc_123456，转账到 TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp，电话 +86 138 0013 8000，公司在妙瓦底。\n"

func TestScanEncodings(t *testing.T) {
	encode := func(e encoding.Encoding) string {
		s, err := e.NewEncoder().String(encodingText)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	inputs := []struct{ name, text string }{
		{"utf-8 with BOM", "\xEF\xBB\xBF" + encodingText},
		{"utf-16le with BOM", encode(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM))},
		{"utf-16be with BOM", encode(unicode.UTF16(unicode.BigEndian, unicode.UseBOM))},
		{"gb18030", encode(simplifiedchinese.GB18030)},
		{"gbk", encode(simplifiedchinese.GBK)},
	}
	want := decodeJSONL(t, run(t, encodingText, "scan", "--format", "jsonl").stdout)
	var kinds []string
	for _, r := range want {
		kinds = append(kinds, r.Kind)
	}
	if diff := cmp.Diff([]string{"wechat", "trx", "phone", "place"}, kinds); diff != "" {
		t.Fatalf("utf-8 kinds (-want +got):\n%s", diff)
	}
	for _, in := range inputs {
		if in.text == encodingText {
			t.Fatalf("%s: encoding changed nothing", in.name)
		}
		got := run(t, in.text, "scan", "--format", "jsonl")
		if got.code != ExitOK {
			t.Errorf("%s: exit code %d, want %d; stderr: %s", in.name, got.code, ExitOK, got.stderr)
		}
		if diff := cmp.Diff(want, decodeJSONL(t, got.stdout)); diff != "" {
			t.Errorf("%s: records differ from utf-8 (-utf-8 +%s):\n%s", in.name, in.name, diff)
		}
		// The same from a file, whose name is the id.
		path := writeFile(t, "in.txt", in.text)
		fromFile := decodeJSONL(t, run(t, "", "scan", "--format", "jsonl", path).stdout)
		for i := range fromFile {
			fromFile[i].ID = "-"
		}
		if diff := cmp.Diff(want, fromFile); diff != "" {
			t.Errorf("%s file: records differ from utf-8 (-utf-8 +%s):\n%s", in.name, in.name, diff)
		}
	}
}

func TestScanRegion(t *testing.T) {
	const text = "联系 0812 345 6789\n"
	for _, region := range []string{"ID", "id"} {
		got := run(t, text, "scan", "--format", "jsonl", "--region", region)
		recs := decodeJSONL(t, got.stdout)
		if len(recs) != 1 || recs[0].Value != "+628123456789" || recs[0].Region != "ID" || slices.Contains(recs[0].Tags, "region-guessed") {
			t.Errorf("--region %s: want one phone +628123456789 in ID, not guessed; got %+v", region, recs)
		}
		if got.stderr != "" {
			t.Errorf("--region %s: want nothing on stderr, got %q", region, got.stderr)
		}
	}

	for _, input := range []string{"text", "jsonl"} {
		stdin := text
		if input == "jsonl" {
			stdin = `{"id":1,"text":"联系 0812 345 6789"}`
		}
		got := run(t, stdin, "scan", "--format", "jsonl", "--input", input)
		recs := decodeJSONL(t, got.stdout)
		if len(recs) != 1 || !slices.Contains(recs[0].Tags, "region-guessed") {
			t.Errorf("--input %s, no --region: want one phone tagged region-guessed, got %+v", input, recs)
		}
		for _, want := range []string{"no --region given", "1 national phone number", "give --region"} {
			if !strings.Contains(got.stderr, want) {
				t.Errorf("--input %s, no --region: stderr does not contain %q: %q", input, want, got.stderr)
			}
		}
	}

	// International numbers need no region: no note.
	if got := run(t, "电话 +86 138 0013 8000\n", "scan", "--format", "jsonl"); got.stderr != "" {
		t.Errorf("international number: want nothing on stderr, got %q", got.stderr)
	}
}

func TestScanKinds(t *testing.T) {
	all := decodeJSONL(t, run(t, mixedText, "scan", "--format", "jsonl").stdout)
	tests := []struct {
		kinds    string
		want     []string
		wantCode int
	}{
		{"phone,trx", []string{"phone", "trx"}, ExitOK},
		{"WeChat", []string{"wechat"}, ExitOK},
		{"card, place", []string{"card", "place"}, ExitOK},
		{"iban", nil, ExitNone},
	}
	for _, tt := range tests {
		got := run(t, mixedText, "scan", "--format", "jsonl", "--kinds", tt.kinds)
		if got.code != tt.wantCode {
			t.Errorf("--kinds %q: exit code %d, want %d", tt.kinds, got.code, tt.wantCode)
		}
		var kinds []string
		recs := decodeJSONL(t, got.stdout)
		for _, r := range recs {
			if !slices.Contains(kinds, r.Kind) {
				kinds = append(kinds, r.Kind)
			}
		}
		slices.Sort(kinds)
		if diff := cmp.Diff(tt.want, kinds); diff != "" {
			t.Errorf("--kinds %q: kinds (-want +got):\n%s", tt.kinds, diff)
		}
		// Filtering by kind changes nothing else.
		var want []outRecord
		for _, r := range all {
			if slices.Contains(tt.want, r.Kind) {
				want = append(want, r)
			}
		}
		if diff := cmp.Diff(want, recs); diff != "" {
			t.Errorf("--kinds %q: records (-want +got):\n%s", tt.kinds, diff)
		}
	}
}

func TestScanMinConfidence(t *testing.T) {
	all := decodeJSONL(t, run(t, mixedText, "scan", "--format", "jsonl").stdout)
	for _, min := range []float64{0, 0.8, 0.85, 0.9, 0.95, 1} {
		var want []outRecord
		for _, r := range all {
			if r.Confidence >= min {
				want = append(want, r)
			}
		}
		wantCode := ExitOK
		if len(want) == 0 {
			wantCode = ExitNone
		}
		got := run(t, mixedText, "scan", "--format", "jsonl", "--min-confidence", strconv.FormatFloat(min, 'f', -1, 64))
		if got.code != wantCode {
			t.Errorf("--min-confidence %v: exit code %d, want %d", min, got.code, wantCode)
		}
		if diff := cmp.Diff(want, decodeJSONL(t, got.stdout)); diff != "" {
			t.Errorf("--min-confidence %v (-want +got):\n%s", min, diff)
		}
	}
	confs := map[float64]bool{}
	for _, r := range all {
		confs[r.Confidence] = true
	}
	if len(confs) < 2 {
		t.Errorf("mixedText should give matches of several confidences, got %+v", all)
	}
}

// TestScanProgress checks that the progress bar goes to stderr and leaves
// stdout parseable.
func TestScanProgress(t *testing.T) {
	path := writeFile(t, "progress-input.txt", mixedText)
	want := decodeJSONL(t, run(t, mixedText, "scan", "--region", "CN", "--format", "jsonl").stdout)
	tests := []struct {
		progress string
		args     []string
		stdin    string
		wantBar  string // on stderr; "" means stderr must be empty
	}{
		{"always", nil, mixedText, "stdin"},
		{"always", []string{path}, "", "progress-input.txt"},
		{"never", []string{path}, "", ""},
		{"auto", []string{path}, "", ""}, // stderr is not a terminal
		{"auto", nil, mixedText, ""},
	}
	for _, tt := range tests {
		args := append([]string{"scan", "--region", "CN", "--format", "jsonl", "--progress", tt.progress}, tt.args...)
		got := run(t, tt.stdin, args...)
		if got.code != ExitOK {
			t.Errorf("vigil %q: exit code %d, want %d; stderr: %s", args, got.code, ExitOK, got.stderr)
		}
		recs := decodeJSONL(t, got.stdout)
		for i := range recs {
			recs[i].ID = "-"
		}
		if diff := cmp.Diff(want, recs); diff != "" {
			t.Errorf("vigil %q: records (-want +got):\n%s", args, diff)
		}
		if tt.wantBar == "" && got.stderr != "" {
			t.Errorf("vigil %q: want nothing on stderr, got %q", args, got.stderr)
		}
		if !strings.Contains(got.stderr, tt.wantBar) {
			t.Errorf("vigil %q: stderr does not contain %q: %q", args, tt.wantBar, got.stderr)
		}
	}
}

// goldenText mixes Chinese and English as scam messages do.
const goldenText = `你好！高薪招聘，联系微信 abc_123456 详谈。
押金请转账到 USDT-TRC20 地址 TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp
Log in at hxxps://evil[.]com/login to confirm your job offer.
Call us on +86 138 0013 8000 any time.
如遇诈骗请拨打 96110 举报。
公司在妙瓦底。
`

func TestScanGolden(t *testing.T) {
	for _, f := range []string{"jsonl", "table"} {
		t.Run(f, func(t *testing.T) {
			got := run(t, goldenText, "scan", "--format", f)
			if got.code != ExitOK || got.stderr != "" {
				t.Errorf("exit code %d, stderr %q; want %d and nothing", got.code, got.stderr, ExitOK)
			}
			path := filepath.Join("testdata", "scan", "mixed."+f+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got.stdout), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got.stdout); diff != "" {
				t.Errorf("%s (-want +got; go test -update rewrites it):\n%s", path, diff)
			}
		})
	}
}
