package indicator

import (
	"errors"
	"math/big"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// Fuzz targets for the parsers of outside input. Each checks that the parser
// never panics, that a refusal wraps ErrInvalid, that an accepted value is
// canonical (parsing or canonicalising it again gives it back) and that its
// length is bounded. Inputs that once failed are kept in testdata/fuzz.

var (
	e164Re     = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
	shortRe    = regexp.MustCompile(`^[0-9]{3,8}$`)
	maskedRe   = regexp.MustCompile(`^[0-9]{6}\*{2,9}[0-9]{4}$`)
	tonRawRe   = regexp.MustCompile(`^(0|-1):[0-9a-f]{64}$`)
	ibanRe     = regexp.MustCompile(`^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$`)
	hostnameRe = regexp.MustCompile(`^[a-z0-9-]+(\.[a-z0-9-]+)+$`)
)

// skipIfInvalidUTF8 marks a failed check on an input that is not UTF-8 as
// the known bug of TestParseDomainInvalidUTF8 rather than a new failure.
func skipIfInvalidUTF8(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("invalid UTF-8 accepted as a host name (read as U+FFFD, punycode xn--zn7c): %q; see TestParseDomainInvalidUTF8", s)
	}
}

func refused(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("%s: error %v does not wrap ErrInvalid", what, err)
	}
}

func FuzzParseWallet(f *testing.F) {
	for _, s := range []string{
		btcP2PKH, btcP2SH, btcBech32, strings.ToUpper(btcBech32), btcTaproot, ethLower, ethEIP55,
		trxUSDT, ltcP2PKH, ltcP2SH, ltcBech32, dogeP2PKH, dogeP2SH, xrpGenesis, tonEQ, tonUQStd, tonMaster,
		// Invalid: test network, broken checksums, wrong shapes.
		btcTestnet, ethEIP55[:41] + "D", btcP2PKH[:33] + "b", "", "0x", "bc1", "ltc1", tonRaw,
		strings.Repeat("1", 34), "r" + strings.Repeat("r", 34), "EQ" + strings.Repeat("A", 46),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ParseWallet(s)
		if err != nil {
			refused(t, "ParseWallet", err)
			if w != (Wallet{}) {
				t.Fatalf("ParseWallet(%q) = %+v with error %v", s, w, err)
			}
			return
		}
		if !w.Kind.IsWallet() || w.Type == "" || w.Value == "" || len(w.Value) > 90 {
			t.Fatalf("ParseWallet(%q) = %+v", s, w)
		}
		if c, err := Canonical(w.Kind, s, ""); err != nil || c != w.Value {
			t.Fatalf("Canonical(%s, %q) = %q, %v; ParseWallet gave %q", w.Kind, s, c, err, w.Value)
		}
		if w.Kind == TON {
			if !tonRawRe.MatchString(w.Value) {
				t.Fatalf("ParseWallet(%q) = TON %q, not workchain:hex", s, w.Value)
			}
		}
		again, err := ParseWallet(w.Value)
		if err != nil || again.Kind != w.Kind || again.Value != w.Value || again.Type != w.Type {
			t.Fatalf("ParseWallet(%q) = %+v, but ParseWallet(%q) = %+v, %v", s, w, w.Value, again, err)
		}
	})
}

func FuzzParseIBAN(f *testing.F) {
	for _, s := range []string{
		"DE89370400440532013000", "de89 3704 0044 0532 0130 00", "GB82-WEST-1234-5698-7654-32",
		"NO9386011117947", "MT84MALT011000012345MTLCAST001S", "BR1800360305000010009795493C1",
		"DE88370400440532013000", "XX89370400440532013000", "DE89", "", strings.Repeat("9", 40),
		"GB82W3ST12345698765432", "DE89_3704",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseIBAN(s)
		if err != nil {
			refused(t, "ParseIBAN", err)
			return
		}
		format, ok := ibanFormats[v[:min(2, len(v))]]
		if !ibanRe.MatchString(v) || !ok || len(v) != format.length {
			t.Fatalf("ParseIBAN(%q) = %q: not an IBAN of its country's length", s, v)
		}
		// MOD 97-10, computed independently.
		var b strings.Builder
		for _, c := range v[4:] + v[:4] {
			if c >= 'A' && c <= 'Z' {
				b.WriteString(big.NewInt(int64(c - 'A' + 10)).String())
			} else {
				b.WriteRune(c)
			}
		}
		n, _ := new(big.Int).SetString(b.String(), 10)
		if r := new(big.Int).Mod(n, big.NewInt(97)); r.Int64() != 1 {
			t.Fatalf("ParseIBAN(%q) = %q, whose MOD 97 remainder is %s", s, v, r)
		}
		for _, form := range []string{v, printIBAN(v), strings.ToLower(printIBAN(v))} {
			if again, err := ParseIBAN(form); err != nil || again != v {
				t.Fatalf("ParseIBAN(%q) = %q, but ParseIBAN(%q) = %q, %v", s, v, form, again, err)
			}
		}
	})
}

func FuzzParsePhone(f *testing.F) {
	for _, c := range []struct{ number, region string }{
		{"+8613800138000", ""}, {"138 0013 8000", "CN"}, {"008613800138000", "CN"},
		{"011 86 138 0013 8000", "US"}, {"+1 201-555-0123", ""}, {"+800 1234 5678", ""},
		{"0912 345 678", "VN"}, {"110", "CN"}, {"96110", "cn"}, {"911", "US"},
		{"13800138000", ""}, {"+999 1234567", ""}, {"", ""}, {"+", "CN"}, {"12345678901234567890123", "CN"},
		{"1-1-0", "CN"}, {"13800138000", "XX"},
	} {
		f.Add(c.number, c.region)
	}
	f.Fuzz(func(t *testing.T, number, region string) {
		e, ok := ParseE164(number)
		if p, err := ParsePhone(number, ""); ok != (err == nil && p.Value == number) || ok && e != p {
			t.Fatalf("ParseE164(%q) = %+v, %v; ParsePhone(%q, \"\") = %+v, %v", number, e, ok, number, p, err)
		}
		if p, err := ParsePhone(number, region); err != nil {
			refused(t, "ParsePhone", err)
		} else {
			if !e164Re.MatchString(p.Value) || p.Region == "" || p.Type == "" {
				t.Fatalf("ParsePhone(%q, %q) = %+v", number, region, p)
			}
			for _, r := range []string{"", region} {
				if again, err := ParsePhone(p.Value, r); err != nil || again != p {
					t.Fatalf("ParsePhone(%q, %q) = %+v, but ParsePhone(%q, %q) = %+v, %v", number, region, p, p.Value, r, again, err)
				}
			}
		}
		sp, err := ParseShortNumber(number, region)
		if err != nil {
			refused(t, "ParseShortNumber", err)
			return
		}
		if sp.Type != "short" || sp.Region != strings.ToUpper(region) || len(sp.Value) < 3 || len(sp.Value) > 8 {
			t.Fatalf("ParseShortNumber(%q, %q) = %+v", number, region, sp)
		}
		if !shortRe.MatchString(sp.Value) {
			t.Fatalf("ParseShortNumber(%q, %q).Value = %q, not digits; see TestParseShortNumberValueIsDigits", number, region, sp.Value)
		}
	})
}

func FuzzParseDomain(f *testing.F) {
	for _, s := range []string{
		"example.com", "EXAMPLE.COM.", "www.example.co.uk", "foo.blogspot.com", "例子.中国",
		"xn--fsqu00a.xn--fiqs8s", "bücher.de", "пример.рф", "ไทย.ไทย", longName,
		"", "com", "co.uk", "blogspot.com", "a..com", "-a.com", "a_b.com", "paypal.con",
		"xn--abc.com", "192.168.1.1", strings.Repeat("a", 64) + ".com", "例子。中国", "bücher..de",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseDomain(s)
		if err != nil {
			refused(t, "ParseDomain", err)
			if h != (Host{}) {
				t.Fatalf("ParseDomain(%q) = %+v with error %v", s, h, err)
			}
			return
		}
		checkHost(t, s, h)
		for _, form := range []string{h.Value, h.Value + ".", strings.ToUpper(h.Value)} {
			again, err := ParseDomain(form)
			if err != nil || again.Value != h.Value || again.Site != h.Site || again.PrivateSuffix != h.PrivateSuffix {
				skipIfInvalidUTF8(t, s)
				t.Fatalf("ParseDomain(%q) = %+v, but ParseDomain(%q) = %+v, %v", s, h, form, again, err)
			}
			if again.IDN != strings.Contains(h.Value, "xn--") {
				t.Fatalf("ParseDomain(%q).IDN = %v", form, again.IDN)
			}
		}
	})
}

// checkHost checks the shape of an accepted host name.
func checkHost(t *testing.T, in string, h Host) {
	t.Helper()
	if h.IDN && (strings.Contains(h.Value, "..") || strings.HasPrefix(h.Site, ".")) {
		t.Fatalf("ParseDomain(%q) = %+v has an empty label; see TestParseDomainIDNEmptyLabel", in, h)
	}
	if h.IDN && len(h.Value) > 253 {
		t.Fatalf("ParseDomain(%q) gives a %d-character punycode name; see TestParseDomainIDNLength", in, len(h.Value))
	}
	if !hostnameRe.MatchString(h.Value) || len(h.Value) > 253 {
		t.Fatalf("ParseDomain(%q).Value = %q: not a lower-case ASCII name of at most 253 characters", in, h.Value)
	}
	if h.Value != h.Site && !strings.HasSuffix(h.Value, "."+h.Site) || !strings.Contains(h.Site, ".") {
		t.Fatalf("ParseDomain(%q) = %+v: site is not a registrable suffix of the name", in, h)
	}
	for _, label := range strings.Split(h.Value, ".") {
		if len(label) > 63 && h.IDN {
			t.Fatalf("ParseDomain(%q) gives a %d-character punycode label; see TestParseDomainIDNLength", in, len(label))
		}
		if label == "" || len(label) > 63 {
			t.Fatalf("ParseDomain(%q).Value = %q has label %q", in, h.Value, label)
		}
	}
}

func FuzzParseEmail(f *testing.F) {
	for _, s := range []string{
		"user@example.com", "Foo.Bar@Example.COM", "user+tag@example.co.uk", "a@例子.中国",
		"x_y-z=1~%@example.org", "", "@example.com", "a@", "a@b@example.com", "a..b@example.com",
		".a@example.com", "用户@example.com", "a@foo.local", strings.Repeat("x", 65) + "@example.com",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseEmail(s)
		if err != nil {
			refused(t, "ParseEmail", err)
			return
		}
		local, domain, ok := strings.Cut(v, "@")
		if !ok || strings.Contains(domain, "@") || local == "" || len(local) > 64 || len(v) > 64+1+253 {
			t.Fatalf("ParseEmail(%q) = %q", s, v)
		}
		if local != strings.ToLower(local) {
			t.Fatalf("ParseEmail(%q) = %q: local part not lower case", s, v)
		}
		h, err := ParseDomain(domain)
		if err != nil || h.Value != domain {
			skipIfInvalidUTF8(t, s)
			t.Fatalf("ParseEmail(%q) = %q, whose domain is not canonical: %+v, %v", s, v, h, err)
		}
		if again, err := ParseEmail(v); err != nil || again != v {
			t.Fatalf("ParseEmail(%q) = %q, but ParseEmail(%q) = %q, %v", s, v, v, again, err)
		}
	})
}

func FuzzCanonical(f *testing.F) {
	index := map[Kind]uint8{}
	for i, k := range Kinds {
		index[k] = uint8(i)
	}
	for _, tt := range canonicalTests {
		if i, ok := index[tt.kind]; ok {
			f.Add(i, tt.in, tt.region)
		}
	}
	f.Fuzz(func(t *testing.T, ki uint8, s, region string) {
		k := Kinds[int(ki)%len(Kinds)]
		v, err := Canonical(k, s, region)
		if err != nil {
			refused(t, "Canonical", err)
			if v != "" {
				t.Fatalf("Canonical(%s, %q, %q) = %q with error %v", k, s, region, v, err)
			}
			return
		}
		if v == "" || v != strings.TrimSpace(v) || len(v) > maxCanonicalLen(k, s) {
			t.Fatalf("Canonical(%s, %q, %q) = %q (length %d)", k, s, region, v, len(v))
		}
		switch k {
		case Phone, WhatsApp, Zalo:
			if k == Phone && !strings.HasPrefix(v, "+") && !shortRe.MatchString(v) {
				t.Fatalf("Canonical(phone, %q, %q) = %q, a short code that is not digits; see TestCanonicalShortNumberDigits", s, region, v)
			}
			if !e164Re.MatchString(v) && !(k == Phone && shortRe.MatchString(v)) {
				t.Fatalf("Canonical(%s, %q, %q) = %q: not E.164", k, s, region, v)
			}
		case Card:
			// The canonical form is masked by design, so it cannot be
			// checked again: check its shape only.
			if !maskedRe.MatchString(v) {
				t.Fatalf("Canonical(card, %q) = %q: not a masked card number", s, v)
			}
			return
		case TON:
			if !tonRawRe.MatchString(v) {
				t.Fatalf("Canonical(ton, %q) = %q, not workchain:hex", s, v)
			}
		case BankAccount:
			if strings.Trim(v, "0123456789") != "" {
				t.Fatalf("Canonical(bank_account, %q) = %q: not digits", s, v)
			}
		case IBAN:
			if !ibanRe.MatchString(v) {
				t.Fatalf("Canonical(iban, %q) = %q", s, v)
			}
		case Domain:
			h, err := ParseDomain(v)
			if err != nil {
				skipIfInvalidUTF8(t, s)
				t.Fatalf("Canonical(domain, %q) = %q, which ParseDomain refuses: %v", s, v, err)
			}
			checkHost(t, s, h)
		}
		again, err := Canonical(k, v, region)
		if err != nil || again != v {
			skipIfInvalidUTF8(t, s)
			t.Fatalf("Canonical(%s, %q, %q) = %q, but Canonical(%s, %q, %q) = %q, %v", k, s, region, v, k, v, region, again, err)
		}
	})
}

// maxCanonicalLen bounds the canonical value of an input s of kind k.
func maxCanonicalLen(k Kind, s string) int {
	switch k {
	case Phone, WhatsApp, Zalo:
		return 16 // "+" and at most 15 digits
	case Email:
		return 64 + 1 + 253
	case Domain:
		return 253
	case URL:
		// The path and fragment may be percent-encoded (3 bytes for 1);
		// "http://" may be added; the host may grow as punycode.
		return 4*len(s) + 16
	case IP:
		return 39 // eight groups of four hex digits
	case BTC, ETH, TRX, LTC, DOGE, XRP, TON:
		return 90
	case IBAN:
		return 34
	case Card:
		return 19
	case BankAccount:
		return 30
	case WeChat:
		return 20
	case QQ:
		return 11
	case Telegram:
		return 33
	case LINE:
		return 21
	}
	return 0
}
