package indicator

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nyaruka/phonenumbers"
	"google.golang.org/protobuf/proto"
)

func TestParsePhone(t *testing.T) {
	cnMobile := PhoneNumber{Value: "+8613800138000", Region: "CN", Type: "mobile"}
	tests := []struct {
		name, number, region string
		want                 PhoneNumber
	}{
		{"international", "+8613800138000", "", cnMobile},
		{"international with spaces", "+86 138 0013 8000", "", cnMobile},
		{"international with hyphens", "+86-138-0013-8000", "", cnMobile},
		{"international in brackets", "(+86) 138-0013-8000", "", cnMobile},
		{"international ignores region", "+8613800138000", "US", cnMobile},
		{"national", "13800138000", "CN", cnMobile},
		{"national, lower-case region", "138 0013 8000", "cn", cnMobile},
		{"00 prefix in CN", "008613800138000", "CN", cnMobile},
		{"00 prefix with spaces", "00 86 138 0013 8000", "CN", cnMobile},
		{"011 prefix in US", "011 86 138 0013 8000", "US", cnMobile},
		{"00 prefix to GB", "0044 7400 123456", "CN", PhoneNumber{Value: "+447400123456", Region: "GB", Type: "mobile"}},
		{"US", "+1 201-555-0123", "", PhoneNumber{Value: "+12015550123", Region: "US", Type: "fixed_line_or_mobile"}},
		{"US toll-free", "800 234 5678", "US", PhoneNumber{Value: "+18002345678", Region: "US", Type: "toll_free"}},
		{"global service", "+800 1234 5678", "", PhoneNumber{Value: "+80012345678", Region: "001", Type: "toll_free"}},
		{"VN national", "0912 345 678", "VN", PhoneNumber{Value: "+84912345678", Region: "VN", Type: "mobile"}},
		{"TH", "+66 81 234 5678", "", PhoneNumber{Value: "+66812345678", Region: "TH", Type: "mobile"}},
		{"KH", "+855 12 345 678", "", PhoneNumber{Value: "+85512345678", Region: "KH", Type: "mobile"}},
		{"PH", "+63 917 123 4567", "", PhoneNumber{Value: "+639171234567", Region: "PH", Type: "mobile"}},
	}
	for _, tt := range tests {
		got, err := ParsePhone(tt.number, tt.region)
		if err != nil {
			t.Errorf("%s: ParsePhone(%q, %q): %v", tt.name, tt.number, tt.region, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: ParsePhone(%q, %q) mismatch (-want +got):\n%s", tt.name, tt.number, tt.region, diff)
		}
		// The E.164 value parses to itself anywhere.
		again, err := ParsePhone(got.Value, "")
		if err != nil || again != got {
			t.Errorf("%s: ParsePhone(%q, \"\") = %+v, %v; want %+v", tt.name, got.Value, again, err, got)
		}
	}
}

func TestParsePhoneRejects(t *testing.T) {
	tests := []struct{ name, number, region string }{
		{"empty", "", "CN"},
		{"three digits", "123", "CN"},
		{"plus only", "+", ""},
		{"national without region", "13800138000", ""},
		{"00 prefix without region", "008613800138000", ""},
		{"00 is not the US prefix", "008613800138000", "US"},
		{"CN mobile read in US", "13800138000", "US"},
		{"one digit short", "+86 138 0013 800", ""},
		{"no such calling code", "+999 1234567", ""},
		{"calling code 0", "+0123456789", ""},
		{"unknown region", "13800138000", "XX"},
		{"21 digits", "+86" + strings.Repeat("1", 18), ""},
		{"short code", "110", "CN"},
	}
	for _, tt := range tests {
		got, err := ParsePhone(tt.number, tt.region)
		if err == nil {
			t.Errorf("%s: ParsePhone(%q, %q) = %+v, want error", tt.name, tt.number, tt.region, got)
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: ParsePhone(%q, %q) error %v does not wrap ErrInvalid", tt.name, tt.number, tt.region, err)
		}
		if got != (PhoneNumber{}) {
			t.Errorf("%s: ParsePhone(%q, %q) returned %+v with its error", tt.name, tt.number, tt.region, got)
		}
	}
}

func TestParseShortNumber(t *testing.T) {
	tests := []struct {
		digits, region string
		want           PhoneNumber
	}{
		{"110", "CN", PhoneNumber{Value: "110", Region: "CN", Type: "short"}},
		{"96110", "cn", PhoneNumber{Value: "96110", Region: "CN", Type: "short"}},
		{"12110", "CN", PhoneNumber{Value: "12110", Region: "CN", Type: "short"}},
		{"10086", "CN", PhoneNumber{Value: "10086", Region: "CN", Type: "short"}},
		{"95588", "CN", PhoneNumber{Value: "95588", Region: "CN", Type: "short"}},
		{"18222", "HK", PhoneNumber{Value: "18222", Region: "HK", Type: "short"}},
		{"1599", "TH", PhoneNumber{Value: "1599", Region: "TH", Type: "short"}},
		{"911", "US", PhoneNumber{Value: "911", Region: "US", Type: "short"}},
		{"999", "GB", PhoneNumber{Value: "999", Region: "GB", Type: "short"}},
		{"000", "AU", PhoneNumber{Value: "000", Region: "AU", Type: "short"}},
	}
	for _, tt := range tests {
		got, err := ParseShortNumber(tt.digits, tt.region)
		if err != nil {
			t.Errorf("ParseShortNumber(%q, %q): %v", tt.digits, tt.region, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseShortNumber(%q, %q) mismatch (-want +got):\n%s", tt.digits, tt.region, diff)
		}
	}
	for _, c := range []struct{ digits, region string }{
		{"110", ""},
		{"11", "CN"},
		{"123456789", "CN"},
		{"110", "XX"},
		{"99999", "CN"},
		{"911", "CN"},
		{"13800138000", "CN"},
		{"", "CN"},
	} {
		if got, err := ParseShortNumber(c.digits, c.region); err == nil {
			t.Errorf("ParseShortNumber(%q, %q) = %+v, want error", c.digits, c.region, got)
		} else if !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseShortNumber(%q, %q) error %v does not wrap ErrInvalid", c.digits, c.region, err)
		}
	}
}

// TestParseShortNumberValueIsDigits: Value is the short code's national
// digits (PhoneNumber.Value: "keeps its national digits").
func TestParseShortNumberValueIsDigits(t *testing.T) {
	for _, in := range []string{"1-1-0", "(110)", "96 110", "96110x", "١١٠", "1１0"} {
		p, err := ParseShortNumber(in, "CN")
		if err != nil {
			continue // refusing odd spellings is fine; returning them is not
		}
		if strings.Trim(p.Value, "0123456789") != "" {
			t.Errorf(`ParseShortNumber(%q, "CN").Value = %q, want digits only`, in, p.Value)
		}
	}
}

func TestRegionKnown(t *testing.T) {
	tests := []struct {
		region string
		want   bool
	}{
		{"CN", true},
		{"cn", true},
		{"MM", true},
		{"KH", true},
		{"US", true},
		{"XK", true}, // Kosovo has numbering metadata
		{"", false},
		{"C", false},
		{"CHN", false},
		{"XX", false},
		{"ZZ", false},
		{"AQ", false},
		{"001", false},
		{"UN", false},
	}
	for _, tt := range tests {
		if got := RegionKnown(tt.region); got != tt.want {
			t.Errorf("RegionKnown(%q) = %v, want %v", tt.region, got, tt.want)
		}
	}
}

func TestCallingCodeRegion(t *testing.T) {
	tests := []struct {
		code int
		want string
	}{
		{1, "US"},
		{7, "RU"},
		{44, "GB"},
		{86, "CN"},
		{95, "MM"},
		{855, "KH"},
		{800, "001"},
		{0, ""},
		{-1, ""},
		{999, ""},
		{1000, ""},
	}
	for _, tt := range tests {
		if got := CallingCodeRegion(tt.code); got != tt.want {
			t.Errorf("CallingCodeRegion(%d) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

// TestPhoneTypeMatchesLibrary holds phonetype.go to libphonenumber's own
// answers (IsValidNumber, GetRegionCodeForNumber, GetNumberType) on numbers
// built to be near valid: every region's and non-geographic service's
// example numbers of every type, as they are and with a digit changed,
// added or dropped.
func TestPhoneTypeMatchesLibrary(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var examples []*phonenumbers.PhoneNumber
	types := []phonenumbers.PhoneNumberType{phonenumbers.MOBILE, phonenumbers.FIXED_LINE, phonenumbers.TOLL_FREE,
		phonenumbers.PREMIUM_RATE, phonenumbers.SHARED_COST, phonenumbers.VOIP, phonenumbers.PERSONAL_NUMBER,
		phonenumbers.PAGER, phonenumbers.UAN, phonenumbers.VOICEMAIL}
	for region := range phonenumbers.GetSupportedRegions() {
		for _, typ := range types {
			if ex := phonenumbers.GetExampleNumberForType(region, typ); ex != nil {
				examples = append(examples, ex)
			}
		}
	}
	for cc := range phonenumbers.GetSupportedGlobalNetworkCallingCodes() {
		if ex := phonenumbers.GetExampleNumberForNonGeoEntity(cc); ex != nil {
			examples = append(examples, ex)
		}
	}
	checked, valid := 0, 0
	for _, ex := range examples {
		for k := range 6 {
			e164 := []byte(phonenumbers.Format(ex, phonenumbers.E164))
			switch d := byte('0' + rng.IntN(10)); k % 4 {
			case 1: // change any digit after the first of the calling code
				e164[2+rng.IntN(len(e164)-2)] = d
			case 2:
				e164 = append(e164, d)
			case 3:
				e164 = e164[:len(e164)-1]
			}
			n, err := phonenumbers.Parse(string(e164), "")
			if err != nil {
				continue
			}
			got, perr := ParsePhone(string(e164), "")
			want := phonenumbers.IsValidNumber(n)
			if want != (perr == nil) {
				t.Errorf("%s: ParsePhone valid=%v, IsValidNumber=%v", e164, perr == nil, want)
			}
			if want {
				valid++
				if v := phonenumbers.Format(n, phonenumbers.E164); got.Value != v {
					t.Errorf("%s: value %q, library %q", e164, got.Value, v)
				}
				if r := phonenumbers.GetRegionCodeForNumber(n); got.Region != r {
					t.Errorf("%s: region %q, library %q", e164, got.Region, r)
				}
				if typ := phoneTypes[phonenumbers.GetNumberType(n)]; got.Type != typ {
					t.Errorf("%s: type %q, library %q", e164, got.Type, typ)
				}
			}
			checked++
		}
	}
	if checked < 5000 || valid < checked/10 || valid > checked*9/10 {
		t.Fatalf("%d numbers checked, %d valid: too few, or too one-sided to tell", checked, valid)
	}
	t.Logf("%d numbers checked, %d valid", checked, valid)
}

// phoneInput is a number as written and the region it is read in.
type phoneInput struct{ number, region string }

// phoneInputs are every region's example numbers written internationally
// ("+", the region's international prefix, the calling code without "+")
// and nationally (with and without the national prefix), read in their own
// region and in others, with digits changed, added or dropped; and random
// digit strings.
func phoneInputs() []phoneInput {
	rng := rand.New(rand.NewPCG(3, 4))
	type input = phoneInput
	var inputs []input
	var regions []string
	for region := range phonenumbers.GetSupportedRegions() {
		regions = append(regions, region)
	}
	slices.Sort(regions)
	add := func(number, region string) {
		inputs = append(inputs, input{number, region}, input{number, regions[rng.IntN(len(regions))]})
		b := []byte(number)
		if len(b) > 2 {
			b[1+rng.IntN(len(b)-1)] = byte('0' + rng.IntN(10))
			inputs = append(inputs, input{string(b), region}, input{string(b[:len(b)-1]), region},
				input{string(b) + strconv.Itoa(rng.IntN(10)), region})
		}
	}
	for _, region := range regions {
		cc := strconv.Itoa(phonenumbers.GetCountryCodeForRegion(region))
		prefix := phonenumbers.GetNddPrefixForRegion(region, true)
		for _, typ := range []phonenumbers.PhoneNumberType{phonenumbers.MOBILE, phonenumbers.FIXED_LINE, phonenumbers.TOLL_FREE} {
			ex := phonenumbers.GetExampleNumberForType(region, typ)
			if ex == nil {
				continue
			}
			nsn := phonenumbers.GetNationalSignificantNumber(ex)
			add("+"+cc+nsn, region)
			add("+"+cc+prefix+nsn, region)
			add(nsn, region)
			add(prefix+nsn, region)
			add(cc+nsn, region)
			add(cc+prefix+nsn, region)
			add("00"+cc+nsn, region)
			add("011"+cc+nsn, region)
			add("0"+nsn, region)
			add("000"+nsn, region) // an international prefix followed by 0 is not one
			add("0000"+cc+nsn, region)
		}
	}
	for range 20000 {
		b := []byte{}
		if rng.IntN(3) == 0 {
			b = append(b, '+')
		}
		for range 2 + rng.IntN(17) {
			b = append(b, byte('0'+rng.IntN(10)))
		}
		inputs = append(inputs, input{string(b), regions[rng.IntN(len(regions))]})
	}
	return inputs
}

// TestParseDigitsMatchesLibrary holds parseDigits to phonenumbers.Parse on
// phoneInputs.
func TestParseDigitsMatchesLibrary(t *testing.T) {
	inputs := phoneInputs()
	same, parsed := 0, 0
	for _, in := range inputs {
		want, err := phonenumbers.Parse(in.number, in.region)
		got, ok := parseDigits(in.number, in.region)
		switch {
		case err != nil && ok:
			t.Errorf("%s in %s: parsed as %v, the library says %v", in.number, in.region, got, err)
		case ok && !proto.Equal(got, want):
			t.Errorf("%s in %s: %v, the library gives %v", in.number, in.region, got, want)
		default:
			same++
			if ok {
				parsed++
			}
		}
	}
	// parseDigits may leave a number to the library, never contradict it;
	// it must answer nearly all by itself to be worth having.
	if parsed < same*8/10 {
		t.Errorf("parseDigits answered only %d of %d inputs itself", parsed, same)
	}
	t.Logf("%d of %d inputs parsed alike, %d of them without the library", same, len(inputs), parsed)
}

// ParseE164 says yes exactly when ParsePhone reads a number as itself, and
// then gives ParsePhone's answer.
func TestParseE164MatchesParsePhone(t *testing.T) {
	valid := 0
	for _, in := range phoneInputs() {
		for _, number := range []string{in.number, "+" + strings.TrimPrefix(in.number, "+")} {
			got, ok := ParseE164(number)
			want, err := ParsePhone(number, "")
			switch {
			case ok != (err == nil && want.Value == number):
				t.Errorf("ParseE164(%q) = %+v, %v; ParsePhone gives %+v, %v", number, got, ok, want, err)
			case ok && got != want:
				t.Errorf("ParseE164(%q) = %+v; ParsePhone gives %+v", number, got, want)
			case ok:
				valid++
			}
		}
	}
	if valid < 1000 {
		t.Errorf("only %d valid numbers among the inputs: the test no longer tests ParseE164", valid)
	}
}

func BenchmarkParseE164(b *testing.B) {
	for b.Loop() {
		if _, ok := ParseE164("+8613812345678"); !ok {
			b.Fatal("not valid")
		}
	}
}
