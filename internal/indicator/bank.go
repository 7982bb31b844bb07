package indicator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

//go:generate go run ./internal/geniban

type ibanFormat struct {
	length int
	bban   string // SWIFT notation, e.g. "4!n4!n12!c"
}

// ParseIBAN validates an IBAN in electronic ("DE89370400440532013000") or
// print form (groups of four separated by spaces) against the country's
// length and BBAN format in the SWIFT registry and the ISO 7064 MOD 97-10
// check digits. It returns the electronic form.
func ParseIBAN(s string) (string, error) {
	b := make([]byte, 0, 34)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '-':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		default:
			return "", invalid(IBAN, s, "not alphanumeric")
		}
		if len(b) == 34 {
			return "", invalid(IBAN, s, "too long")
		}
		b = append(b, c)
	}
	if len(b) < 5 {
		return "", invalid(IBAN, s, "too short")
	}
	f, ok := ibanFormats[string(b[:2])]
	if !ok {
		return "", invalid(IBAN, s, "country "+string(b[:2])+" does not use IBAN")
	}
	if len(b) != f.length {
		return "", invalid(IBAN, s, "wrong length for "+string(b[:2]))
	}
	if !isDigit(b[2]) || !isDigit(b[3]) || !matchBBAN(b[4:], f.bban) {
		return "", invalid(IBAN, s, "does not follow the country's format")
	}
	if cd := string(b[2:4]); cd < "02" || cd > "98" {
		return "", invalid(IBAN, s, "check digits outside 02..98")
	}
	if mod97(b) != 1 {
		return "", invalid(IBAN, s, "bad check digits")
	}
	return string(b), nil
}

// mod97 computes the IBAN remainder: the first four characters moved to the
// end, letters read as 10..35.
func mod97(b []byte) int {
	r := 0
	add := func(c byte) {
		if isDigit(c) {
			r = (r*10 + int(c-'0')) % 97
		} else {
			r = (r*100 + int(c-'A'+10)) % 97
		}
	}
	for _, c := range b[4:] {
		add(c)
	}
	for _, c := range b[:4] {
		add(c)
	}
	return r
}

// matchBBAN checks b against a SWIFT format such as "4!n4!n12!c": n digits,
// a capital letters, c alphanumerics. All formats in the registry are fixed
// length ("!").
func matchBBAN(b []byte, format string) bool {
	pos := 0
	for i := 0; i < len(format); {
		n := 0
		for i < len(format) && isDigit(format[i]) {
			n = n*10 + int(format[i]-'0')
			i++
		}
		if i < len(format) && format[i] == '!' {
			i++
		}
		if i >= len(format) || pos+n > len(b) {
			return false
		}
		class := format[i]
		i++
		for _, c := range b[pos : pos+n] {
			switch class {
			case 'n':
				if !isDigit(c) {
					return false
				}
			case 'a':
				if c < 'A' || c > 'Z' {
					return false
				}
			}
		}
		pos += n
	}
	return pos == len(b)
}

// Luhn reports whether a string of ASCII digits passes the Luhn check.
func Luhn(digits string) bool {
	if len(digits) < 2 {
		return false
	}
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		c := digits[i]
		if !isDigit(c) {
			return false
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// CardNetwork names the payment network of a card number from its issuer
// prefix, or "" when the prefix is not one in common use.
func CardNetwork(digits string) string {
	n := len(digits)
	p := func(k int) int {
		v := 0
		for i := 0; i < k && i < n; i++ {
			v = v*10 + int(digits[i]-'0')
		}
		return v
	}
	switch {
	case n < 12 || n > 19:
		return ""
	case digits[0] == '4':
		return "visa"
	case p(2) >= 51 && p(2) <= 55, p(4) >= 2221 && p(4) <= 2720:
		return "mastercard"
	case p(2) == 34 || p(2) == 37:
		return "amex"
	case p(2) == 62 || p(2) == 81:
		return "unionpay"
	case p(2) == 35:
		return "jcb"
	case p(4) == 6011 || p(2) == 65 || (p(3) >= 644 && p(3) <= 649):
		return "discover"
	case p(2) == 36 || p(2) == 38 || p(2) == 30:
		return "diners"
	case p(2) == 50 || (p(2) >= 56 && p(2) <= 69):
		return "maestro"
	}
	return ""
}

// MaskCard returns a card number's first six and last four digits with the
// rest masked ("622202******1234"). Vigil never outputs a full card number.
func MaskCard(digits string) string {
	if len(digits) < 12 {
		return strings.Repeat("*", len(digits))
	}
	return digits[:6] + strings.Repeat("*", len(digits)-10) + digits[len(digits)-4:]
}

// CardToken returns a correlation token for a card number: the first 16 hex
// digits of HMAC-SHA256 under key (SHA-256 with a fixed label when key is
// empty). Two reports of one card share a token without either storing the
// number. With no key, the masked form plus the Luhn digit leave only ~10^5
// candidates, so the token is a correlation aid, not secrecy.
func CardToken(digits string, key []byte) string {
	if len(key) == 0 {
		key = []byte("vigil card token v1")
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(digits))
	return hex.EncodeToString(m.Sum(nil)[:8])
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
