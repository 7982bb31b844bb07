package share

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"vigil/internal/datasets"
	"vigil/internal/indicator"
)

// tally is what a read gave.
type tally struct {
	records, values, bad, notices, reports int
	good                                   int // records of known-good values
	seen                                   int // records with a first-seen time
	kinds                                  map[indicator.Kind]int
	sources                                map[string]int
	first, last                            int64 // positions
}

func (c tally) String() string {
	return fmt.Sprintf("records=%d values=%d bad=%d notices=%d reports=%d good=%d seen=%d kinds=%v sources=%v pos=%d..%d",
		c.records, c.values, c.bad, c.notices, c.reports, c.good, c.seen, c.kinds, c.sources, c.first, c.last)
}

// read reads a file and counts what it gave, checking the invariants every
// read keeps: positions never go back, and each record is exactly one of
// values, report, error and notice.
func read(t testing.TB, path string, f Format, from int64) (tally, []Record) {
	t.Helper()
	c := tally{kinds: map[indicator.Kind]int{}, sources: map[string]int{}}
	var recs []Record
	err := Read(context.Background(), path, f, from, func(r Record) error {
		checkRecord(t, r, c.last, from)
		c.records++
		if c.first == 0 {
			c.first = r.Pos
		}
		c.last = r.Pos
		c.sources[r.Source]++
		switch {
		case r.Err != nil:
			c.bad++
		case r.Notice != "":
			c.notices++
		case r.Report != nil:
			c.reports++
		default:
			c.values += len(r.Values)
			for _, v := range r.Values {
				c.kinds[v.Kind]++
			}
			if r.KnownGood {
				c.good++
			}
			if !r.Seen.IsZero() {
				c.seen++
			}
		}
		if len(recs) < 1_000_000 {
			recs = append(recs, r)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Read(%s, %s, %d): %v", path, f, from, err)
	}
	return c, recs
}

func checkRecord(t testing.TB, r Record, last, from int64) {
	t.Helper()
	set := 0
	for _, b := range []bool{len(r.Values) > 0, r.Report != nil, r.Err != nil, r.Notice != ""} {
		if b {
			set++
		}
	}
	if set != 1 {
		t.Fatalf("record at %d sets %d of values, report, error and notice: %+v", r.Pos, set, r)
	}
	if r.Pos < last || r.Pos <= from || r.Pos < 1 {
		t.Fatalf("record at %d after %d (from %d)", r.Pos, last, from)
	}
	for _, v := range r.Values {
		if v.Value == "" || v.Kind == "" {
			t.Fatalf("record at %d: empty value %+v", r.Pos, v)
		}
	}
}

// reasonClass is an error's reason without the value in it, to count by.
func reasonClass(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, "\": "); i >= 0 {
		s = s[i+3:]
	}
	return strings.TrimSuffix(s, ": "+indicator.ErrInvalid.Error())
}

func data(t testing.TB, rel ...string) string {
	t.Helper()
	return datasets.Path(t, append([]string{"indicators"}, rel...)...)
}

// positions counts the distinct positions of records: entries or lines.
func positions(recs []Record) int {
	n, last := 0, int64(0)
	for _, r := range recs {
		if r.Pos != last {
			n++
			last = r.Pos
		}
	}
	return n
}

// count is the part of a tally the real-file tests pin.
type count struct {
	Records, Positions, Values, Bad, Notices, Good, Seen int
}

// The counts each real file gives. Where SOURCE.txt states a count it is
// cross-checked: positions are entries or data lines (9,889 CryptoScamDB
// entries; 13,752 + 1,138 eth-phishing-detect entries; 2,530 ScamSniffer
// addresses and 2,577 domains; 352,600 + 808 archive rows; 253,033 FTC rows;
// 18,254 and 16,874 jarelllama domains and 1,195 allow-list lines).
var realFiles = []struct {
	rel    string
	f      Format
	want   count
	kinds  map[indicator.Kind]int
	source string
}{
	{"cryptoscamdb_blacklist/urls.yaml", FormatCryptoScamDB, count{10067, 9889, 15402, 177, 148, 0, 0},
		map[indicator.Kind]int{"btc": 1367, "doge": 35, "domain": 9694, "email": 1, "eth": 3980, "ip": 3, "ltc": 69, "trx": 40, "url": 40, "xrp": 173}, "cryptoscamdb"},
	// uris.yaml is not valid YAML as a whole (an entry at line 26 lacks a
	// key): read entry by entry, that entry is one bad row.
	{"cryptoscamdb_blacklist/uris.yaml", FormatCryptoScamDB, count{16, 16, 28, 1, 0, 0, 0},
		map[indicator.Kind]int{"eth": 13, "url": 15}, "cryptoscamdb"},
	{"eth_phishing_detect_npm/config.json", FormatEthPhishing, count{14890, 14890, 14874, 16, 0, 1136, 0},
		map[indicator.Kind]int{"domain": 14874}, ""},
	{"scamsniffer_scam_database/address.json", FormatScamSniffer, count{2530, 2530, 2530, 0, 0, 0, 0},
		map[indicator.Kind]int{"eth": 2530}, "scamsniffer"},
	{"scamsniffer_scam_database/combined.json", FormatScamSniffer, count{2577, 2577, 2576, 1, 0, 0, 0},
		map[indicator.Kind]int{"domain": 2576}, "scamsniffer"},
	{"scamsniffer_scam_database/archive_addresses_first_seen.tsv", FormatScamSniffer, count{808, 808, 808, 0, 0, 0, 808},
		map[indicator.Kind]int{"eth": 808}, "scamsniffer"},
	{"scamsniffer_scam_database/archive_domains_first_seen.tsv", FormatScamSniffer, count{352600, 352600, 352547, 53, 0, 0, 352547},
		map[indicator.Kind]int{"domain": 352547}, "scamsniffer"},
	{"ftc_dnc_reported_numbers/90days.csv", FormatFTC, count{253033, 253033, 249763, 3270, 0, 0, 0},
		map[indicator.Kind]int{"phone": 249763}, "ftc-dnc"},
	{"jarelllama_scam_blocklist/lists_wildcard_domains_scams_light.txt", FormatJarelllama, count{18254, 18254, 18249, 5, 0, 0, 0},
		map[indicator.Kind]int{"domain": 18249}, "jarelllama"},
	{"jarelllama_scam_blocklist/data_raw_light.txt", FormatJarelllama, count{16874, 16874, 16870, 4, 0, 0, 0},
		map[indicator.Kind]int{"domain": 16870}, "jarelllama"},
	// 1,182 "^name\.tld$" patterns (104 of them public suffixes such as
	// pages.dev, bad rows), 13 other patterns skipped with a notice.
	{"jarelllama_scam_blocklist/config_whitelist.txt", FormatJarelllama, count{1195, 1195, 1078, 104, 13, 1078, 0},
		map[indicator.Kind]int{"domain": 1078}, "jarelllama-allow"},
	// A hosts file read as a plain list: 1,071 domains and "localhost".
	{"eth_phishing_detect_npm/hosts.txt", FormatPlain, count{1072, 1072, 1071, 1, 0, 0, 0},
		map[indicator.Kind]int{"domain": 1071}, "hosts"},
}

func TestReadRealFiles(t *testing.T) {
	for _, tc := range realFiles {
		t.Run(tc.rel, func(t *testing.T) {
			c, recs := read(t, data(t, strings.Split(tc.rel, "/")...), tc.f, 0)
			got := count{c.records, positions(recs), c.values, c.bad, c.notices, c.good, c.seen}
			if got != tc.want {
				t.Errorf("counts:\n got %+v\nwant %+v", got, tc.want)
			}
			if fmt.Sprint(c.kinds) != fmt.Sprint(tc.kinds) {
				t.Errorf("kinds: got %v, want %v", c.kinds, tc.kinds)
			}
			if tc.source != "" && (len(c.sources) != 1 || c.sources[tc.source] != c.records) {
				t.Errorf("sources: got %v, want all %q", c.sources, tc.source)
			}
		})
	}
}

// TestEthPhishingSources checks the allow-list's records against
// SOURCE.txt: 1,138 whitelist entries, first in the file, known-good.
func TestEthPhishingSources(t *testing.T) {
	c, recs := read(t, data(t, "eth_phishing_detect_npm", "config.json"), FormatEthPhishing, 0)
	if c.sources["eth-phishing-detect-allow"] != 1138 || c.sources["eth-phishing-detect"] != 13752 {
		t.Fatalf("sources: %v, want 1138 allow and 13752 block", c.sources)
	}
	for _, r := range recs {
		if allow := r.Source == "eth-phishing-detect-allow"; allow != (r.Pos <= 1138) || (r.Err == nil && r.KnownGood != allow) {
			t.Fatalf("record %+v: allow-list entries are positions 1..1138 and known-good", r)
		}
	}
}

// TestCryptoScamDBWallets cross-checks the wallet errors with the data
// set's own validation (SOURCE.txt: ETH 1 bad EIP-55 checksum, BTC 3
// invalid Base58Check), and that notices are only for chains Vigil does
// not store while the address, not its label, decides the kind.
func TestCryptoScamDBWallets(t *testing.T) {
	_, recs := read(t, data(t, "cryptoscamdb_blacklist", "urls.yaml"), FormatCryptoScamDB, 0)
	reasons := map[string]map[string]bool{}
	mislabelled := false
	for _, r := range recs {
		if chain, ok := strings.CutPrefix(r.Notice, "skipped: "); ok {
			chain, _, _ = strings.Cut(chain, " ")
			if vigilChains[chain] {
				t.Errorf("line %d: %s", r.Pos, r.Notice)
			}
		}
		for _, v := range r.Values {
			// Filed under ETH (lines 49233 and 49535), a Bitcoin address.
			mislabelled = mislabelled || v == Value{indicator.BTC, "16FVNrp2nfsRH9cWRidV6ZVZf4mDPBnJG9"}
		}
		if r.Err == nil || !strings.HasPrefix(r.Err.Error(), "addresses/") {
			continue
		}
		chain, _, _ := strings.Cut(strings.TrimPrefix(r.Err.Error(), "addresses/"), ":")
		why := reasonClass(r.Err)
		if reasons[chain+" "+why] == nil {
			reasons[chain+" "+why] = map[string]bool{}
		}
		reasons[chain+" "+why][r.Err.Error()] = true
	}
	got := map[string]int{}
	for k, v := range reasons {
		got[k] = len(v)
	}
	want := map[string]int{
		"ETH bad EIP-55 checksum":      1,
		"BTC bad Base58Check":          2,
		"BTC too long for Base58Check": 1,  // "1PSHt9... (btc)"
		"ETH not 0x and 40 hex digits": 16, // SOURCE's 17 malformed less one BTC address filed under ETH, read as BTC
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("distinct wallet errors: got %v, want %v", got, want)
	}
	if !mislabelled {
		t.Error("the BTC address filed under ETH was not read as BTC")
	}
}

// TestFTCCounts cross-checks against SOURCE.txt's lengths: of 253,033
// rows, 250,508 have 10 digits; every valid number is +1.
func TestFTCCounts(t *testing.T) {
	path := data(t, "ftc_dnc_reported_numbers", "90days.csv")
	lengths := map[int64]int{}
	tens := 0
	lr := newLineReader(mustOpen(t, path))
	for {
		b, err := lr.next()
		if err != nil {
			break
		}
		lengths[lr.n] = len(b)
		if lr.n > 1 && len(b) == 10 {
			tens++
		}
	}
	if tens != 250508 {
		t.Fatalf("10-digit rows: %d, SOURCE.txt says 250,508", tens)
	}
	_, recs := read(t, path, FormatFTC, 0)
	valid := map[int]int{} // by number of digits
	for _, r := range recs {
		if r.Err != nil {
			continue
		}
		valid[lengths[r.Pos]]++
		if !strings.HasPrefix(r.Values[0].Value, "+1") {
			t.Fatalf("line %d (%d digits) gave %v", r.Pos, lengths[r.Pos], r.Values)
		}
	}
	// 761 ten-digit rows are not valid NANP numbers (204 of them have an
	// area code or exchange starting 0 or 1). The 16 valid 12-digit rows
	// are "11" and ten digits, libphonenumber reading the national prefix
	// "1" written twice.
	if want := map[int]int{10: 249747, 12: 16}; fmt.Sprint(valid) != fmt.Sprint(want) {
		t.Errorf("valid numbers by length: got %v, want %v", valid, want)
	}
}

// TestMISPLists reads every list of the checkout: string and hostname lists
// give one record per entry, the others one notice. The entries add up to
// SOURCE.txt's 528,972.
func TestMISPLists(t *testing.T) {
	files, err := WarninglistFiles(data(t, "misp_warninglists"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 136 {
		t.Fatalf("%d lists, SOURCE.txt says 136", len(files))
	}
	var total, exact, values, bad, notices int
	for _, f := range files {
		var doc struct {
			Type string   `json:"type"`
			List []string `json:"list"`
		}
		readJSONFile(t, f, &doc)
		total += len(doc.List)
		c, _ := read(t, f, FormatMISP, 0)
		want := "misp:" + filepath.Base(filepath.Dir(f))
		if c.sources[want] != c.records || c.good+c.bad+c.notices != c.records {
			t.Errorf("%s: %v: want every record from %s, known-good", f, c, want)
		}
		if c.notices == 0 {
			exact += len(doc.List)
		} else if c.records != 1 {
			t.Errorf("%s: %v: a skipped list gives one notice and nothing else", f, c)
		}
		values, bad, notices = values+c.values, bad+c.bad, notices+c.notices
	}
	if total != 528972 {
		t.Errorf("entries: %d, SOURCE.txt says 528,972", total)
	}
	got := [4]int{exact, values, bad, notices}
	if want := [4]int{344773, 330331, 14442, 92}; got != want {
		t.Errorf("exact entries, values, bad, notices: got %v, want %v", got, want)
	}
	if values+bad != exact {
		t.Errorf("%d values + %d bad rows != %d entries of exact lists", values, bad, exact)
	}
}

func TestWarninglistFiles(t *testing.T) {
	one := data(t, "misp_warninglists", "lists", "bank-website", "list.json")
	if got, err := WarninglistFiles(one); err != nil || len(got) != 1 || got[0] != one {
		t.Errorf("WarninglistFiles(file) = %v, %v", got, err)
	}
	if _, err := WarninglistFiles(t.TempDir()); err == nil {
		t.Error("WarninglistFiles(empty dir): no error")
	}
	c, recs := read(t, one, FormatMISP, 0)
	if c.records != 2226 || recs[0].Source != "misp:bank-website" || !recs[0].KnownGood {
		t.Errorf("bank-website: %v, first %+v", c, recs[0])
	}
	c, recs = read(t, data(t, "misp_warninglists", "lists", "phone_numbers", "list.json"), FormatMISP, 0)
	if c.records != 1 || recs[0].Notice != "skipped: type regex is matched by the extractor's warninglist loader, not stored" {
		t.Errorf("phone_numbers: %+v", recs)
	}
}

// TestResumeRealFiles: reading from a position gives exactly the records
// after it, and from the last position nothing.
func TestResumeRealFiles(t *testing.T) {
	for _, rel := range []string{"cryptoscamdb_blacklist/urls.yaml", "eth_phishing_detect_npm/config.json",
		"scamsniffer_scam_database/combined.json", "scamsniffer_scam_database/archive_addresses_first_seen.tsv",
		"jarelllama_scam_blocklist/config_whitelist.txt",
		"misp_warninglists/lists/bank-website/list.json"} {
		t.Run(rel, func(t *testing.T) {
			path := data(t, strings.Split(rel, "/")...)
			f, err := Detect(path, head(t, path))
			if err != nil {
				t.Fatal(err)
			}
			_, all := read(t, path, f, 0)
			checkResume(t, path, f, all)
		})
	}
}

// describe writes a record as text to compare: a report by its key.
func describe(r Record) string {
	key := ""
	if r.Report != nil {
		key = r.Report.ImportKey
	}
	return fmt.Sprintf("%d %s %v %v %v %q %s", r.Pos, r.Source, r.KnownGood, r.Values, r.Err, r.Notice, key)
}

// checkResume reads path again from a position inside all and from its
// last, comparing with the first pass.
func checkResume(t testing.TB, path string, f Format, all []Record) {
	t.Helper()
	if len(all) == 0 {
		return
	}
	mid := all[len(all)/2].Pos
	_, rest := read(t, path, f, mid)
	var want []Record
	for _, r := range all {
		if r.Pos > mid {
			want = append(want, r)
		}
	}
	if len(rest) != len(want) || len(want) > 0 && describe(rest[0]) != describe(want[0]) {
		t.Fatalf("from %d: %d records, want %d", mid, len(rest), len(want))
	}
	if _, more := read(t, path, f, all[len(all)-1].Pos); len(more) != 0 {
		t.Fatalf("from the last position %d: %d more records", all[len(all)-1].Pos, len(more))
	}
}
