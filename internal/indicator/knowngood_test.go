package indicator

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestOfficial(t *testing.T) {
	tests := []struct {
		region, number string
		wantOK         bool
		wantName       string
	}{
		{"CN", "110", true, "Police"},
		{"cn", "110", true, "Police"}, // region is case-insensitive
		{"CN", "96110", true, "Anti-fraud warning line (公安反诈专线)"},
		{"CN", "95588", true, "ICBC"},
		{"CN", "10086", true, "China Mobile"},
		{"HK", "18222", true, "Anti-Scam Helpline (防騙易熱線)"},
		{"TW", "165", true, "Anti-fraud hotline (反詐騙諮詢專線)"},
		{"TW", "110", true, "Police"},
		{"TH", "1441", true, "Anti Online Scam Operation Center"},
		{"GB", "159", true, "Stop Scams UK bank line"},
		{"AU", "000", true, "Emergency"},

		{"CN", "999", false, ""}, // Hong Kong's, not the mainland's
		{"US", "110", false, ""}, // China's police number, not US
		{"CN", "+86110", false, ""},
		{"CN", " 110", false, ""}, // digits as dialled, no trimming
		{"CN", "1 1 0", false, ""},
		{"CN", "13800138000", false, ""},
		{"", "110", false, ""},
		{"CHN", "110", false, ""},
		{"CN", "", false, ""},
	}
	for _, tt := range tests {
		o, ok := Official(tt.region, tt.number)
		if ok != tt.wantOK {
			t.Errorf("Official(%q, %q) ok = %v, want %v", tt.region, tt.number, ok, tt.wantOK)
			continue
		}
		if !ok {
			if o != (OfficialNumber{}) {
				t.Errorf("Official(%q, %q) = %+v with ok=false", tt.region, tt.number, o)
			}
			continue
		}
		want := OfficialNumber{Region: strings.ToUpper(tt.region), Number: tt.number, Name: tt.wantName}
		if diff := cmp.Diff(want, o); diff != "" {
			t.Errorf("Official(%q, %q) mismatch (-want +got):\n%s", tt.region, tt.number, diff)
		}
	}
}

// TestOfficialTable checks the hand-kept table: one entry per region and
// number, known regions, digits only, a name for each.
func TestOfficialTable(t *testing.T) {
	seen := map[string]bool{}
	for _, o := range officialNumbers {
		key := o.Region + ":" + o.Number
		if seen[key] {
			t.Errorf("%s listed twice", key)
		}
		seen[key] = true
		if !RegionKnown(o.Region) || o.Region != strings.ToUpper(o.Region) {
			t.Errorf("%s: region %q is not an upper-case region with numbering metadata", key, o.Region)
		}
		if len(o.Number) < 3 || len(o.Number) > 8 || strings.Trim(o.Number, "0123456789") != "" {
			t.Errorf("%s: number %q is not 3-8 digits", key, o.Number)
		}
		if strings.TrimSpace(o.Name) == "" {
			t.Errorf("%s: no name", key)
		}
		if got, ok := Official(o.Region, o.Number); !ok || got != o {
			t.Errorf("Official(%q, %q) = %+v, %v; want %+v", o.Region, o.Number, got, ok, o)
		}
	}
}

func TestOfficialRegions(t *testing.T) {
	tests := []struct {
		digits string
		want   []string
	}{
		{"110", []string{"CN", "TW", "ID"}},
		{"999", []string{"HK", "MY", "SG", "GB"}},
		{"112", []string{"ID", "GB", "IN"}},
		{"96110", []string{"CN"}},
		{"911", []string{"PH", "US"}},
		{"123456", nil},
		{"", nil},
		{" 110", nil},
	}
	for _, tt := range tests {
		got := OfficialRegions(tt.digits)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("OfficialRegions(%q) mismatch (-want +got):\n%s", tt.digits, diff)
		}
		for _, r := range got {
			if _, ok := Official(r, tt.digits); !ok {
				t.Errorf("OfficialRegions(%q) lists %s, but Official(%s, %q) is false", tt.digits, r, r, tt.digits)
			}
		}
	}
}

func TestIsShortener(t *testing.T) {
	tests := []struct {
		host string
		want bool
	}{
		{"bit.ly", true},
		{"www.bit.ly", true},
		{"t.cn", true},
		{"url.cn", true},
		{"tinyurl.com", true},
		{"www.tinyurl.com", true},
		{"bit.ly.id", true},
		{"2.gp", true},
		{"lihi1.com", true},
		{"reurl.cc", true},

		{"", false},
		{"www", false},
		{"www.", false},
		{"example.com", false},
		{"www.example.com", false},
		{"notbit.ly", false},
		{"bit.ly.evil.com", false},
		{"m.bit.ly", false},       // only "www." is stripped
		{"www.www.bit.ly", false}, // once
		{"wwwbit.ly", false},
		{"BIT.LY", false}, // hosts are canonical (lower-case) by contract
		{"bit.ly.", false},
	}
	for _, tt := range tests {
		if got := IsShortener(tt.host); got != tt.want {
			t.Errorf("IsShortener(%q) = %v, want %v", tt.host, got, tt.want)
		}
	}
}

// TestShortenersAreCanonical: every entry of the shortener list is a
// canonical domain, or IsShortener, which takes canonical hosts, could never
// match it.
func TestShortenersAreCanonical(t *testing.T) {
	if len(shorteners) < 50 {
		t.Fatalf("only %d shorteners", len(shorteners))
	}
	for h := range shorteners {
		d, err := ParseDomain(h)
		if err != nil || d.Value != h {
			t.Errorf("shortener %q: ParseDomain = %q, %v", h, d.Value, err)
		}
		if !IsShortener(h) || !IsShortener("www."+h) {
			t.Errorf("IsShortener(%q) or IsShortener(www.%s) is false", h, h)
		}
	}
}
