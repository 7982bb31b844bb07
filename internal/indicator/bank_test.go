package indicator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/big"
	"sort"
	"strings"
	"testing"
)

func TestParseIBAN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"DE89370400440532013000", "DE89370400440532013000"},
		{"DE89 3704 0044 0532 0130 00", "DE89370400440532013000"},
		{"de89 3704 0044 0532 0130 00", "DE89370400440532013000"},
		{"DE89-3704-0044-0532-0130-00", "DE89370400440532013000"},
		{"  DE89  3704 0044 0532 0130 00 ", "DE89370400440532013000"},
		{"GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"},
		{"gb82west12345698765432", "GB82WEST12345698765432"},
		{"NO9386011117947", "NO9386011117947"},                                   // shortest format (15)
		{"FR1420041010050500013M02606", "FR1420041010050500013M02606"},           // letter in a "c" field
		{"BR1800360305000010009795493C1", "BR1800360305000010009795493C1"},       // "1!a1!c" tail
		{"MT84MALT011000012345MTLCAST001S", "MT84MALT011000012345MTLCAST001S"},   // 31
		{"LC55HEMM000100010012001200023015", "LC55HEMM000100010012001200023015"}, // 32
	}
	for _, tt := range tests {
		got, err := ParseIBAN(tt.in)
		if err != nil {
			t.Errorf("ParseIBAN(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseIBAN(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseIBANRejects(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"only separators", " - - "},
		{"too short", "DE89"},
		{"too long", strings.Repeat("1", 35)},
		{"unknown country", "XX89370400440532013000"},
		{"US does not use IBAN", "US89370400440532013000"},
		{"digits for country", "1289370400440532013000"},
		{"one short", "DE8937040044053201300"},
		{"one long", "DE893704004405320130000"},
		{"bad check digits", "DE88370400440532013000"},
		{"letter check digits", "DEAB370400440532013000"},
		{"letter in numeric BBAN", "DE89370400440532013O00"},
		{"digit in bank code letters", "GB82W3ST12345698765432"},
		{"transposed digits", "DE89370400440532031000"},
		{"underscore", "DE89_3704_0044_0532_0130_00"},
		{"dot", "DE89.3704.0044.0532.0130.00"},
		{"fullwidth digits", "DE89３７０４００４４０５３２０１３０００"},
		{"non-breaking space", "DE89\u00a03704004405320130\u00a000"},
	}
	for _, tt := range tests {
		got, err := ParseIBAN(tt.in)
		if err == nil {
			t.Errorf("%s: ParseIBAN(%q) = %q, want error", tt.name, tt.in, got)
		} else if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: ParseIBAN(%q) error %v does not wrap ErrInvalid", tt.name, tt.in, err)
		}
	}
}

// ibanCheck computes IBAN check digits with math/big, independently of
// mod97: BBAN, country and "00" with letters as 10..35, 98 minus the
// remainder.
func ibanCheck(country, bban string) string {
	var b strings.Builder
	for _, c := range bban + country + "00" {
		if c >= 'A' && c <= 'Z' {
			b.WriteString(big.NewInt(int64(c - 'A' + 10)).String())
		} else {
			b.WriteRune(c)
		}
	}
	n, _ := new(big.Int).SetString(b.String(), 10)
	r := new(big.Int).Mod(n, big.NewInt(97)).Int64()
	d := 98 - r
	return string([]byte{byte('0' + d/10), byte('0' + d%10)})
}

// exampleBBAN builds a BBAN that follows a SWIFT format such as
// "4!a6!n8!n", with a seed to vary the digits.
func exampleBBAN(format string, seed int) string {
	var b strings.Builder
	k := seed
	for i := 0; i < len(format); {
		n := 0
		for format[i] >= '0' && format[i] <= '9' {
			n = n*10 + int(format[i]-'0')
			i++
		}
		if format[i] == '!' {
			i++
		}
		class := format[i]
		i++
		for j := 0; j < n; j++ {
			k = (k*31 + 7) % 1000003
			switch class {
			case 'n':
				b.WriteByte(byte('0' + k%10))
			case 'a':
				b.WriteByte(byte('A' + k%26))
			default: // 'c'
				if k%2 == 0 {
					b.WriteByte(byte('A' + k%26))
				} else {
					b.WriteByte(byte('0' + k%10))
				}
			}
		}
	}
	return b.String()
}

// TestParseIBANEveryCountry builds an IBAN for every country in the registry
// table, with check digits computed independently, and checks that it is
// accepted in electronic and print form and that any single changed
// character is refused: MOD 97-10 detects every single substitution.
func TestParseIBANEveryCountry(t *testing.T) {
	countries := make([]string, 0, len(ibanFormats))
	for c := range ibanFormats {
		countries = append(countries, c)
	}
	sort.Strings(countries)
	if len(countries) < 80 {
		t.Fatalf("only %d countries in the IBAN table", len(countries))
	}
	for _, cc := range countries {
		f := ibanFormats[cc]
		for seed := range 3 {
			bban := exampleBBAN(f.bban, seed+len(cc)*int(cc[0]))
			iban := cc + ibanCheck(cc, bban) + bban
			if len(iban) != f.length {
				t.Fatalf("%s: built %q of length %d, table says %d", cc, iban, len(iban), f.length)
			}
			if got, err := ParseIBAN(iban); err != nil || got != iban {
				t.Errorf("%s: ParseIBAN(%q) = %q, %v", cc, iban, got, err)
				continue
			}
			if got, err := ParseIBAN(strings.ToLower(printIBAN(iban))); err != nil || got != iban {
				t.Errorf("%s: ParseIBAN(%q) = %q, %v; want %q", cc, printIBAN(iban), got, err, iban)
			}
			for i := 2; i < len(iban); i++ { // any check digit or BBAN character
				var alt byte
				switch c := iban[i]; {
				case c >= '0' && c <= '9':
					alt = '0' + (c-'0'+1)%10
				default:
					alt = 'A' + (c-'A'+1)%26
				}
				bad := iban[:i] + string(alt) + iban[i+1:]
				if got, err := ParseIBAN(bad); err == nil {
					t.Errorf("%s: %q (position %d of %q changed) accepted as %q", cc, bad, i, iban, got)
				}
			}
		}
	}
}

func printIBAN(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}

func TestLuhn(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"79927398713", true},
		{"79927398710", false},
		{"4111111111111111", true},
		{"4111111111111112", false},
		{"6011111111111117", true},
		{"378282246310005", true},
		{"00", true},
		{"18", true},
		{"", false},
		{"0", false},
		{"4111-1111-1111-1111", false},
		{"4111 1111 1111 1111", false},
		{"411111111111111a", false},
		{"４１１１１１１１１１１１１１１１", false},
	}
	for _, tt := range tests {
		if got := Luhn(tt.in); got != tt.want {
			t.Errorf("Luhn(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestLuhnSingleDigitError: the Luhn check catches every single changed
// digit.
func TestLuhnSingleDigitError(t *testing.T) {
	for _, card := range []string{"4111111111111111", "5555555555554444", "6222021234567890128", "79927398713"} {
		if !Luhn(card) {
			t.Fatalf("Luhn(%s) = false", card)
		}
		for i := range len(card) {
			for d := byte('0'); d <= '9'; d++ {
				if d == card[i] {
					continue
				}
				bad := card[:i] + string(d) + card[i+1:]
				if Luhn(bad) {
					t.Errorf("Luhn(%s) = true; position %d of %s changed", bad, i, card)
				}
			}
		}
	}
}

func TestCardNetwork(t *testing.T) {
	tests := []struct{ in, want string }{
		{"4111111111111111", "visa"},
		{"4222222222222", "visa"}, // 13 digits
		{"4000000000000000006", "visa"},
		{"5555555555554444", "mastercard"},
		{"5105105105105100", "mastercard"},
		{"2221000000000009", "mastercard"},
		{"2720990000000000", "mastercard"},
		{"378282246310005", "amex"},
		{"340000000000009", "amex"},
		{"6222021234567890", "unionpay"},
		{"6200000000000005", "unionpay"},
		{"8100000000000000", "unionpay"},
		{"3530111333300000", "jcb"},
		{"3566002020360505", "jcb"},
		{"6011111111111117", "discover"},
		{"6500000000000002", "discover"},
		{"6445644564456445", "discover"},
		{"6490000000000000", "discover"},
		{"30569309025904", "diners"},
		{"38520000023237", "diners"},
		{"36000000000008", "diners"},
		{"6759649826438453", "maestro"},
		{"5018000000000009", "maestro"},
		{"5600000000000000", "maestro"},
		{"6400000000000000", "maestro"}, // 640-643 are not Discover

		{"2721000000000000", ""},
		{"2220999999999999", ""},
		{"1234567890123456", ""},
		{"9999999999999999", ""},
		{"41111111111", ""},          // 11 digits
		{"41111111111111111111", ""}, // 20 digits
		{"", ""},
	}
	for _, tt := range tests {
		if got := CardNetwork(tt.in); got != tt.want {
			t.Errorf("CardNetwork(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMaskCard(t *testing.T) {
	tests := []struct{ in, want string }{
		{"4111111111111111", "411111******1111"},
		{"6222021234567890", "622202******7890"},
		{"123456789012", "123456**9012"},
		{"4000000000000000006", "400000*********0006"},
		{"378282246310005", "378282*****0005"},
		{"12345678901", "***********"},
		{"1234", "****"},
		{"", ""},
	}
	for _, tt := range tests {
		got := MaskCard(tt.in)
		if got != tt.want {
			t.Errorf("MaskCard(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if len(got) != len(tt.in) {
			t.Errorf("MaskCard(%q) has length %d, want %d", tt.in, len(got), len(tt.in))
		}
		// Everything but the first six and last four is masked.
		if len(got) >= 12 && strings.Trim(got[6:len(got)-4], "*") != "" {
			t.Errorf("MaskCard(%q) = %q shows middle digits", tt.in, got)
		}
	}
}

func TestCardToken(t *testing.T) {
	const card = "4111111111111111"
	hmacHex := func(key []byte, msg string) string {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(msg))
		return hex.EncodeToString(m.Sum(nil))[:16]
	}
	label := []byte("vigil card token v1")
	key := []byte("deployment secret")

	tests := []struct {
		name string
		got  string
		want string
	}{
		{"nil key uses the fixed label", CardToken(card, nil), hmacHex(label, card)},
		{"empty key uses the fixed label", CardToken(card, []byte{}), hmacHex(label, card)},
		{"keyed", CardToken(card, key), hmacHex(key, card)},
		{"other card", CardToken("5555555555554444", key), hmacHex(key, "5555555555554444")},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: CardToken = %q, want %q", tt.name, tt.got, tt.want)
		}
		if len(tt.got) != 16 || strings.Trim(tt.got, "0123456789abcdef") != "" {
			t.Errorf("%s: CardToken = %q, want 16 lower-case hex digits", tt.name, tt.got)
		}
	}

	if a, b := CardToken(card, key), CardToken(card, key); a != b {
		t.Errorf("CardToken not deterministic: %q then %q", a, b)
	}
	if a, b := CardToken(card, nil), CardToken(card, key); a == b {
		t.Errorf("CardToken ignores its key: %q under both", a)
	}
	if a, b := CardToken(card, key), CardToken(card, []byte("another secret")); a == b {
		t.Errorf("CardToken gives %q under two different keys", a)
	}
	if a, b := CardToken(card, key), CardToken("4111111111111129", key); a == b {
		t.Errorf("CardToken gives %q for two different cards", a)
	}
}
