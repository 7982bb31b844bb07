package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMain clears the environment variables scan reads, so that output
// does not depend on the machine the tests run on.
func TestMain(m *testing.M) {
	os.Unsetenv("VIGIL_WARNINGLISTS")
	os.Unsetenv("VIGIL_CARD_KEY")
	os.Exit(m.Run())
}

// result is what one run of the command line gave.
type result struct {
	code           int
	stdout, stderr string
}

// run runs vigil with args, stdin as standard input.
func run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	return runReader(t, strings.NewReader(stdin), args...)
}

func runReader(t *testing.T, stdin io.Reader, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(t.Context(), args, stdin, &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

// writeFile writes content to name in a new temporary directory and returns
// its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// outRecord is one record of json/jsonl output. ID is decoded with
// UseNumber, so a JSON number stays a json.Number and a string a string.
type outRecord struct {
	ID         any      `json:"id"`
	Kind       string   `json:"kind"`
	Value      string   `json:"value"`
	Raw        string   `json:"raw"`
	Start      int      `json:"start"`
	End        int      `json:"end"`
	Confidence float64  `json:"confidence"`
	Hint       string   `json:"hint"`
	KnownGood  bool     `json:"known_good"`
	Region     string   `json:"region"`
	Network    string   `json:"network"`
	Note       string   `json:"note"`
	Warning    string   `json:"warning"`
	Tags       []string `json:"tags"`
}

// decodeJSONL decodes jsonl output strictly: one object per line, no blank
// lines, no unknown fields.
func decodeJSONL(t *testing.T, out string) []outRecord {
	t.Helper()
	var recs []outRecord
	if out == "" {
		return nil
	}
	if !strings.HasSuffix(out, "\n") {
		t.Errorf("jsonl output does not end in a newline: %q", out)
	}
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		recs = append(recs, decodeRecord(t, []byte(line), i+1))
	}
	return recs
}

func decodeRecord(t *testing.T, b []byte, line int) outRecord {
	t.Helper()
	var r outRecord
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("record %d is not a valid output record: %v\n%s", line, err, b)
	}
	if dec.More() {
		t.Fatalf("record %d has more than one JSON value: %s", line, b)
	}
	return r
}

// decodeJSON decodes json output: one array of records.
func decodeJSON(t *testing.T, out string) []outRecord {
	t.Helper()
	var raw []json.RawMessage
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("json output is not a JSON array: %v\n%s", err, out)
	}
	if raw == nil {
		t.Fatalf("json output is null, want an array: %s", out)
	}
	recs := make([]outRecord, 0, len(raw))
	for i, b := range raw {
		recs = append(recs, decodeRecord(t, b, i+1))
	}
	return recs
}

func TestRunUsage(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout bool // usage on stdout; otherwise on stderr
	}{
		{"no args", nil, ExitError, false},
		{"--help", []string{"--help"}, ExitOK, true},
		{"-h", []string{"-h"}, ExitOK, true},
		{"help", []string{"help"}, ExitOK, true},
		{"help unknown command", []string{"help", "bogus"}, ExitOK, true},
		{"unknown command", []string{"bogus"}, ExitError, false},
		{"flag as command", []string{"--format", "json"}, ExitError, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, "", tt.args...)
			if got.code != tt.wantCode {
				t.Errorf("vigil %q: exit code %d, want %d\nstderr: %s", tt.args, got.code, tt.wantCode, got.stderr)
			}
			usageOut, otherOut := got.stderr, got.stdout
			if tt.wantStdout {
				usageOut, otherOut = got.stdout, got.stderr
			}
			for _, want := range []string{"Usage: vigil <command>", "scan", "version"} {
				if !strings.Contains(usageOut, want) {
					t.Errorf("vigil %q: usage does not contain %q:\n%s", tt.args, want, usageOut)
				}
			}
			if tt.wantStdout && otherOut != "" {
				t.Errorf("vigil %q: want nothing on stderr, got:\n%s", tt.args, otherOut)
			}
			if !tt.wantStdout && otherOut != "" {
				t.Errorf("vigil %q: want nothing on stdout, got:\n%s", tt.args, otherOut)
			}
		})
	}
}

func TestRunUnknownCommandNamesIt(t *testing.T) {
	got := run(t, "", "bogus")
	if want := `unknown command "bogus"`; !strings.Contains(got.stderr, want) {
		t.Errorf("stderr does not contain %q:\n%s", want, got.stderr)
	}
}

func TestScanHelp(t *testing.T) {
	for _, args := range [][]string{{"scan", "--help"}, {"scan", "-h"}, {"help", "scan"}, {"scan", "a.txt", "--help"}} {
		got := run(t, "", args...)
		if got.code != ExitOK {
			t.Errorf("vigil %q: exit code %d, want %d", args, got.code, ExitOK)
		}
		if got.stderr != "" {
			t.Errorf("vigil %q: want nothing on stderr, got:\n%s", args, got.stderr)
		}
		for _, want := range []string{
			"Usage: vigil scan",
			// Exit codes.
			"0 indicators were found", "1 none were found", "2 an error",
			// Output fields.
			"id, kind, value, raw, start, end,\nconfidence, hint",
			"known_good, region, network, note,\nwarning, tags",
			// Every flag.
			"-format", "-input", "-region", "-kinds", "-min-confidence", "-progress", "-warninglists",
		} {
			if !strings.Contains(got.stdout, want) {
				t.Errorf("vigil %q: help does not contain %q:\n%s", args, want, got.stdout)
			}
		}
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}, {"version", "--format", "text"}} {
		got := run(t, "", args...)
		if got.code != ExitOK || got.stderr != "" {
			t.Errorf("vigil %q: exit code %d, stderr %q; want %d and nothing", args, got.code, got.stderr, ExitOK)
		}
		if want := "vigil " + Version + " ("; !strings.HasPrefix(got.stdout, want) {
			t.Errorf("vigil %q: stdout = %q, want it to start with %q", args, got.stdout, want)
		}
		if !strings.Contains(got.stdout, runtime.Version()) || strings.Count(got.stdout, "\n") != 1 {
			t.Errorf("vigil %q: stdout = %q, want one line naming %s", args, got.stdout, runtime.Version())
		}
	}
}

func TestVersionJSON(t *testing.T) {
	got := run(t, "", "version", "--format", "json")
	if got.code != ExitOK || got.stderr != "" {
		t.Fatalf("exit code %d, stderr %q; want %d and nothing", got.code, got.stderr, ExitOK)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(got.stdout), &v); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, got.stdout)
	}
	want := map[string]any{"version": Version, "go": runtime.Version()}
	gotSome := map[string]any{"version": v["version"], "go": v["go"]}
	if diff := cmp.Diff(want, gotSome); diff != "" {
		t.Errorf("version JSON (-want +got):\n%s\nfull output: %s", diff, got.stdout)
	}
}

// TestBadFlags checks that every bad flag value is refused before anything
// is scanned: exit 2, a message naming the problem, nothing on stdout.
func TestBadFlags(t *testing.T) {
	const text = "微信 abc_123456 电话 +86 138 0013 8000\n"
	tests := []struct {
		args []string
		want string // on stderr
	}{
		{[]string{"scan", "--format", "xml"}, `unknown --format "xml"`},
		{[]string{"scan", "--format", ""}, `unknown --format ""`},
		{[]string{"scan", "--input", "csv"}, `unknown --input "csv"`},
		{[]string{"scan", "--region", "XX"}, `unknown --region "XX"`},
		{[]string{"scan", "--region", "CHN"}, `unknown --region "CHN"`},
		{[]string{"scan", "--kinds", "bogus"}, `"bogus"`},
		{[]string{"scan", "--kinds", "phone,bogus"}, `"bogus"`},
		{[]string{"scan", "--min-confidence", "1.5"}, "--min-confidence 1.5 is outside 0..1"},
		{[]string{"scan", "--min-confidence", "-0.1"}, "--min-confidence -0.1 is outside 0..1"},
		{[]string{"scan", "--min-confidence", "high"}, `invalid value "high" for flag -min-confidence`},
		{[]string{"scan", "--progress", "sometimes"}, `unknown --progress "sometimes"`},
		{[]string{"scan", "--no-such-flag"}, "flag provided but not defined: -no-such-flag"},
		{[]string{"scan", "--format"}, "flag needs an argument: -format"},
		{[]string{"scan", "--warninglists", "/nonexistent/vigil-warninglists"}, "/nonexistent/vigil-warninglists"},
		{[]string{"version", "--format", "xml"}, `unknown format "xml"`},
		{[]string{"version", "--bogus"}, "flag provided but not defined: -bogus"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			got := run(t, text, tt.args...)
			if got.code != ExitError {
				t.Errorf("vigil %q: exit code %d, want %d", tt.args, got.code, ExitError)
			}
			if got.stdout != "" {
				t.Errorf("vigil %q: want nothing on stdout, got:\n%s", tt.args, got.stdout)
			}
			if !strings.Contains(got.stderr, tt.want) {
				t.Errorf("vigil %q: stderr does not contain %q:\n%s", tt.args, tt.want, got.stderr)
			}
		})
	}
}
