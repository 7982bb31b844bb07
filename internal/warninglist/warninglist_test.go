package warninglist

import (
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vigil/internal/datasets"
	"vigil/internal/extract"
	"vigil/internal/indicator"
)

func loadShared(t *testing.T) *Set {
	t.Helper()
	var s Set
	if err := s.Load(datasets.Path(t, "indicators", "misp_warninglists")); err != nil {
		t.Fatal(err)
	}
	if err := s.Load(datasets.Path(t, "indicators", "eth_phishing_detect_npm", "config.json")); err != nil {
		t.Fatal(err)
	}
	if len(s.Lists()) < 130 {
		t.Fatalf("loaded %d lists", len(s.Lists()))
	}
	return &s
}

func TestCheck(t *testing.T) {
	s := loadShared(t)
	tests := []struct {
		kind        indicator.Kind
		value       string
		hit, benign bool
		list        string // expected list name, if it matters
	}{
		{indicator.Domain, "google.com", true, true, ""},
		{indicator.Domain, "mail.google.com", true, true, ""},
		{indicator.Domain, "myetherwallet.com", true, true, ""},
		{indicator.Domain, "scam-site-that-is-on-no-list-7f3a.com", false, false, ""},
		{indicator.URL, "https://www.google.com", true, true, ""},
		{indicator.URL, "https://docs.google.com/forms/d/e/1FAIpQL/viewform", true, false, ""}, // someone's form, not Google's
		{indicator.Domain, "bit.ly", true, true, ""},                                           // the service itself
		{indicator.URL, "http://bit.ly/3xYz", true, false, ""},
		{indicator.Domain, "evil.duckdns.org", true, false, "dynamic-dns"},
		{indicator.IP, "8.8.8.8", true, true, ""},
		{indicator.IP, "10.1.2.3", true, true, "rfc1918"},
		{indicator.Email, "abuse@example.com", true, true, "common-contact-emails"},
		{indicator.Email, "someone@mailinator.com", true, false, "disposable-email"},
		{indicator.Phone, "+12025550123", true, true, "phone_numbers"},
		{indicator.Phone, "+8613800138000", false, false, ""},
	}
	for _, tt := range tests {
		hit, ok := s.Check(tt.kind, tt.value)
		if ok != tt.hit || (ok && hit.Benign != tt.benign) || (tt.list != "" && ok && hit.List.Name != tt.list) {
			name := ""
			if ok {
				name = hit.List.Name
			}
			t.Errorf("Check(%s, %s) = list %q benign=%v hit=%v; want hit=%v benign=%v list %q", tt.kind, tt.value, name, hit.Benign, ok, tt.hit, tt.benign, tt.list)
		}
	}
}

// TestSubdomainsOfPublicSuffixes: a list entry never covers sites of their
// own under a public suffix (scam.blogspot.com is not Google's).
func TestSubdomainsOfPublicSuffixes(t *testing.T) {
	var s Set
	l := &List{Name: "test", Benign: true}
	s.addHost("blogspot.com", l)
	s.addHost("example.com", l)
	if _, ok := s.Check(indicator.Domain, "scam.blogspot.com"); ok {
		t.Error("scam.blogspot.com matched blogspot.com")
	}
	if _, ok := s.Check(indicator.Domain, "www.example.com"); !ok {
		t.Error("www.example.com did not match example.com")
	}
}

// listEntries reads the entries of one MISP list.
func listEntries(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(datasets.Path(t, "indicators", "misp_warninglists", "lists", name), "list.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		List []string `json:"list"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.List
}

// TestKnownGoodListsProduceNoScamOutput is the acceptance test: values on
// the known-good lists (MISP benign lists and the eth-phishing-detect
// allow-list), written in a sentence, come out of the extractor marked
// known-good, never as scam-looking indicators.
func TestKnownGoodListsProduceNoScamOutput(t *testing.T) {
	s := loadShared(t)
	x := extract.New(extract.Options{KnownGood: s, Region: "US"})
	b, err := os.ReadFile(datasets.Path(t, "indicators", "eth_phishing_detect_npm", "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	var eth struct {
		Whitelist []string `json:"whitelist"`
	}
	if err := json.Unmarshal(b, &eth); err != nil {
		t.Fatal(err)
	}
	sources := map[string][]string{"eth-phishing-detect allow-list": eth.Whitelist}
	for _, name := range []string{"bank-website", "google", "microsoft", "microsoft-office365", "cloudflare-top1k", "alexa",
		"tranco10k", "moz-top500", "covid-19-cyber-threat-coalition-whitelist", "security-provider-blogpost", "majestic_million"} {
		sources[name] = listEntries(t, name)
	}
	var uni []string
	for i, e := range listEntries(t, "university_domains") {
		if i%5 == 0 {
			uni = append(uni, e)
		}
	}
	sources["university_domains (every fifth)"] = uni

	for src, entries := range sources {
		found, checked := 0, 0
		for _, e := range entries {
			e = strings.TrimPrefix(strings.TrimSpace(e), ".")
			if e == "" || strings.ContainsAny(e, "*/ ") || strings.Contains(e, "..") {
				continue
			}
			checked++
			for _, text := range []string{"Visit " + e + " today", "请访问 https://" + e + " 了解详情"} {
				for _, m := range x.Extract(text).Matches {
					found++
					if !m.KnownGood {
						t.Errorf("%s: %q in %q came out as %s %q, not known-good", src, e, text, m.Kind, m.Value)
					}
				}
			}
		}
		t.Logf("%s: %d entries, %d matches, all known-good", src, checked, found)
		if checked > 50 && found < checked/2 {
			t.Errorf("%s: only %d matches for %d entries: the extractor misses the known-good values", src, found, checked)
		}
	}

	// Public resolvers and reserved ranges: the first address of each range.
	for _, name := range []string{"public-dns-v4", "rfc1918", "rfc5735", "sinkholes"} {
		found := 0
		for i, e := range listEntries(t, name) {
			if name == "public-dns-v4" && i%50 != 0 {
				continue
			}
			p, err := netip.ParsePrefix(e)
			if err != nil {
				a, aerr := netip.ParseAddr(e)
				if aerr != nil {
					continue
				}
				p = netip.PrefixFrom(a, a.BitLen())
			}
			for _, m := range x.Extract("server " + p.Masked().Addr().String() + " replied").Matches {
				found++
				if !m.KnownGood {
					t.Errorf("%s: %s came out as %s %q, not known-good", name, e, m.Kind, m.Value)
				}
			}
		}
		t.Logf("%s: %d addresses found, all known-good", name, found)
	}

	// Reserved fictional numbers (MISP phone_numbers).
	for _, n := range []string{"+1 202 555 0123", "+1-312-555-0187"} {
		for _, m := range x.Extract("call " + n).Matches {
			if !m.KnownGood {
				t.Errorf("fictional number %s came out as %s %q, not known-good", n, m.Kind, m.Value)
			}
		}
	}
}

// TestInfrastructureIsOnlyAWarning: a link shortener or a dynamic-DNS host
// stays an indicator, with a warning.
func TestInfrastructureIsOnlyAWarning(t *testing.T) {
	s := loadShared(t)
	x := extract.New(extract.Options{KnownGood: s})
	for _, text := range []string{"click bit.ly/3xYzAbc", "see https://evil.duckdns.org/login"} {
		ms := x.Extract(text).Matches
		if len(ms) != 1 || ms[0].KnownGood || ms[0].Warning == "" {
			t.Errorf("%q: %+v, want one match with a warning, not known-good", text, ms)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	var s Set
	dir := t.TempDir()
	if err := s.Load(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing path loaded")
	}
	if err := s.Load(dir); err == nil {
		t.Error("empty directory loaded")
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"not":"a list"}`), 0o644)
	if err := s.Load(bad); err == nil {
		t.Error("a JSON file that is no list loaded")
	}
}
