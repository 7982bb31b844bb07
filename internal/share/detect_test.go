package share

import (
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mustOpen(t testing.TB, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func readJSONFile(t testing.TB, path string, v any) {
	t.Helper()
	if err := json.NewDecoder(mustOpen(t, path)).Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// head returns the first DetectSize bytes of a file.
func head(t testing.TB, path string) []byte {
	t.Helper()
	b := make([]byte, DetectSize)
	n, err := io.ReadFull(mustOpen(t, path), b)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	return b[:n]
}

func writeFile(t testing.TB, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		rel  string
		want Format
	}{
		{"cryptoscamdb_blacklist/urls.yaml", FormatCryptoScamDB},
		{"cryptoscamdb_blacklist/uris.yaml", FormatCryptoScamDB},
		{"eth_phishing_detect_npm/config.json", FormatEthPhishing},
		{"eth_phishing_detect_npm/hosts.txt", FormatPlain},
		{"scamsniffer_scam_database/address.json", FormatScamSniffer},
		{"scamsniffer_scam_database/combined.json", FormatScamSniffer},
		{"scamsniffer_scam_database/archive_domains_first_seen.tsv", FormatScamSniffer},
		{"scamsniffer_scam_database/archive_addresses_first_seen.tsv", FormatScamSniffer},
		{"ftc_dnc_reported_numbers/90days.csv", FormatFTC},
		{"jarelllama_scam_blocklist/lists_wildcard_domains_scams_light.txt", FormatJarelllama},
		{"jarelllama_scam_blocklist/data_raw_light.txt", FormatJarelllama},
		{"jarelllama_scam_blocklist/config_whitelist.txt", FormatJarelllama},
		{"misp_warninglists/lists/bank-website/list.json", FormatMISP},
		{"misp_warninglists/lists/vpn-ipv4/list.json", FormatMISP},
		{"misp_warninglists/lists/phone_numbers/list.json", FormatMISP},
	} {
		path := data(t, strings.Split(tc.rel, "/")...)
		if got, err := Detect(path, head(t, path)); got != tc.want || err != nil {
			t.Errorf("Detect(%s) = %q, %v; want %q", tc.rel, got, err, tc.want)
		}
	}
	junk := make([]byte, 512)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range junk {
		junk[i] = byte(rng.Uint32())
	}
	for _, tc := range []struct {
		name string
		head []byte
		want Format
	}{
		{"reports.jsonl", []byte(`{"narrative":"x"}`), FormatReportsJSONL},
		{"export.json", []byte(`{"scam_type":"task","indicators":[{"value":"+8613800138000"}]}` + "\n{}"), FormatReportsJSONL},
		{"reports.csv", []byte("id,narrative,indicators\r\n1,x,y\r\n"), FormatReportsCSV},
		{"mine.txt", []byte("evil.example.com\n+8613800138000\n"), FormatPlain},
		{"junk.bin", junk, ""},
		{"junk.txt", junk, ""},
		{"README.md", []byte("# Vigil\n\ntext"), ""},
		{"empty.txt", nil, ""},
		{"data.csv", []byte("a,b,c\n1,2,3\n"), ""},
		{"list.yaml", []byte("key: value\n"), ""},
		{"other.json", []byte(`{"a": 1}`), ""},
	} {
		got, err := Detect(tc.name, tc.head)
		if got != tc.want || (tc.want == "") != (err != nil) {
			t.Errorf("Detect(%s) = %q, %v; want %q", tc.name, got, err, tc.want)
		}
		if err != nil && (!errors.Is(err, ErrUnknownFormat) || !strings.Contains(err.Error(), "reports-csv")) {
			t.Errorf("Detect(%s) error %q: want ErrUnknownFormat listing the formats", tc.name, err)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats {
		if got, err := ParseFormat(" " + strings.ToUpper(string(f))); got != f || err != nil {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
	if _, err := ParseFormat("yaml"); !errors.Is(err, ErrUnknownFormat) || !strings.Contains(err.Error(), "misp-warninglist") {
		t.Errorf("ParseFormat(yaml) error %v: want ErrUnknownFormat listing the formats", err)
	}
	if err := Read(t.Context(), writeFile(t, "x.txt", "a.com\n"), "yaml", 0, func(Record) error { return nil }); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("Read with an unknown format: %v", err)
	}
}
