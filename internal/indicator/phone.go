package indicator

import (
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// PhoneNumber is a validated telephone number.
type PhoneNumber struct {
	// Value is the E.164 form ("+8613800138000"). A short code has no E.164
	// form and keeps its national digits ("96110"); Region says where.
	Value  string
	Region string // ISO 3166-1 alpha-2 region the number belongs to ("001" for global services)
	Type   string // "mobile", "fixed_line", "toll_free", "premium_rate", "voip", "short", ...
}

// phoneTypes names the library's number types, which are small integers.
var phoneTypes = [...]string{
	phonenumbers.FIXED_LINE:           "fixed_line",
	phonenumbers.MOBILE:               "mobile",
	phonenumbers.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
	phonenumbers.TOLL_FREE:            "toll_free",
	phonenumbers.PREMIUM_RATE:         "premium_rate",
	phonenumbers.SHARED_COST:          "shared_cost",
	phonenumbers.VOIP:                 "voip",
	phonenumbers.PERSONAL_NUMBER:      "personal",
	phonenumbers.PAGER:                "pager",
	phonenumbers.UAN:                  "uan",
	phonenumbers.VOICEMAIL:            "voicemail",
	phonenumbers.UNKNOWN:              "unknown",
}

// ParsePhone validates a number written as digits with an optional leading
// "+" (international form) against libphonenumber's metadata. A number
// without "+" is read in region, the default region for national numbers
// ("CN"); its international dialling prefix ("00" in CN, "011" in the US) is
// understood. Separators are ignored.
func ParsePhone(number, region string) (PhoneNumber, error) {
	n, err := parsePhone(number, region)
	if err != nil {
		return PhoneNumber{}, err
	}
	// A number is valid exactly when its type is known: IsValidNumber is
	// that test (phonetype.go).
	nsn := nationalSignificant(n)
	r, t := regionAndType(n.GetCountryCode(), nsn)
	if t == phonenumbers.UNKNOWN {
		return PhoneNumber{}, invalid(Phone, number, "not a valid number")
	}
	return PhoneNumber{
		Value:  "+" + strconv.Itoa(int(n.GetCountryCode())) + nsn, // Format(n, E164)
		Region: r,
		Type:   phoneTypes[t],
	}, nil
}

// ParseE164 validates s when it is written in E.164 form ("+", the calling
// code and the national significant number, nothing else) as ParsePhone
// does, without allocating: ok is true exactly when ParsePhone(s, "")
// succeeds and gives s back as the Value. It answers a pasted number;
// anything else is ParsePhone's to read.
func ParseE164(s string) (PhoneNumber, bool) {
	if len(s) < 4 || len(s) > 20 || s[0] != '+' {
		return PhoneNumber{}, false
	}
	for i := 1; i < len(s); i++ {
		if !isDigit(s[i]) {
			return PhoneNumber{}, false
		}
	}
	phoneMetaOnce.Do(loadPhoneMeta)
	cc, national := splitCallingCode(s[1:])
	if cc == 0 || len(national) < phonenumbers.MIN_LENGTH_FOR_NSN || len(national) > phonenumbers.MAX_LENGTH_FOR_NSN ||
		significant(national, metaForCode(cc)) != national {
		return PhoneNumber{}, false
	}
	r, t := regionAndType(int32(cc), national)
	if t == phonenumbers.UNKNOWN {
		return PhoneNumber{}, false
	}
	return PhoneNumber{Value: s, Region: r, Type: phoneTypes[t]}, true
}

// ParseShortNumber validates a short code dialled within region (emergency
// and service numbers such as "110" or "96110" in CN).
func ParseShortNumber(number, region string) (PhoneNumber, error) {
	region = strings.ToUpper(region)
	// Separators are dropped; anything else is not a short code.
	digits := make([]byte, 0, len(number))
	for i := 0; i < len(number); i++ {
		switch c := number[i]; {
		case isDigit(c):
			digits = append(digits, c)
		case c == ' ' || c == '-' || c == '(' || c == ')':
		default:
			return PhoneNumber{}, invalid(Phone, number, "not a short code")
		}
	}
	return parseShortDigits(string(digits), region)
}

func parseShortDigits(digits, region string) (PhoneNumber, error) {
	if len(digits) < 3 || len(digits) > 8 || region == "" {
		return PhoneNumber{}, invalid(Phone, digits, "not a short code")
	}
	if _, ok := Official(region, digits); ok {
		// Official hotlines are short codes whatever the metadata says
		// (libphonenumber lacks some, such as 12381 in CN).
		return PhoneNumber{Value: digits, Region: region, Type: "short"}, nil
	}
	n, err := phonenumbers.Parse(digits, region)
	if err != nil || !phonenumbers.IsValidShortNumberForRegion(n, region) {
		return PhoneNumber{}, invalid(Phone, digits, "not a valid short code in "+region)
	}
	return PhoneNumber{Value: digits, Region: region, Type: "short"}, nil
}

func parsePhone(number, region string) (*phonenumbers.PhoneNumber, error) {
	digits := make([]byte, 0, len(number))
	for i := 0; i < len(number); i++ {
		c := number[i]
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == '+' && len(digits) == 0:
			digits = append(digits, c)
		}
	}
	if len(digits) < 4 || len(digits) > 20 {
		return nil, invalid(Phone, number, "wrong number of digits")
	}
	if digits[0] != '+' && region == "" {
		return nil, invalid(Phone, number, "national number without a region")
	}
	region = strings.ToUpper(region)
	if n, ok := parseDigits(string(digits), region); ok {
		return n, nil
	}
	n, err := phonenumbers.Parse(string(digits), region)
	if err != nil {
		return nil, invalid(Phone, number, err.Error())
	}
	return n, nil
}

// CallingCodeRegion returns the main region of an international calling code
// such as 86, or "" when there is none.
func CallingCodeRegion(code int) string {
	r := phonenumbers.GetRegionCodeForCountryCode(code)
	if r == "ZZ" {
		return ""
	}
	return r
}

// RegionKnown reports whether r (ISO 3166-1 alpha-2) is a region with
// telephone numbering metadata.
func RegionKnown(r string) bool {
	return len(r) == 2 && phonenumbers.GetCountryCodeForRegion(strings.ToUpper(r)) != 0
}
