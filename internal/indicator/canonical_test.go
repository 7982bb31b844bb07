package indicator

import (
	"errors"
	"strings"
	"testing"
)

// Addresses used across the canonical and fuzz tests. The BTC, ETH, TRX,
// XRP and DOGE ones are well-known public addresses; the LTC, TON and
// P2SH variants were built for these tests from fixed payloads.
const (
	btcP2PKH   = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa" // genesis coinbase
	btcP2SH    = "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"
	btcBech32  = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4" // BIP-173
	btcTaproot = "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297"
	btcTestnet = "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx"
	ethLower   = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
	ethEIP55   = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed" // EIP-55
	trxUSDT    = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"         // USDT TRC-20 contract
	ltcP2PKH   = "LaMT348PWRnrqeeWArpwQPbuanpXDZGEUz"
	ltcP2SH    = "M7zcZZoXtZLFZv2AsNn2kbdC9hw3ubpgoZ"
	ltcBech32  = "ltc1qqv8pjfp08fz4qkmxw97g0y5a4zemajw55sztx3"
	dogeP2PKH  = "DH5yaieqoZN36fDVciNyRueRGvGLR3mr7L"
	dogeP2SH   = "9rXizXTU1WMifn7kBdT7B61AXaie3x9cwg"
	xrpGenesis = "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh"
	tonEQ      = "EQDtFpEwcFAEcRe5mLVh2N6C0x-_hJEM7W61_JLnSF74p4q2" // bounceable
	tonUQ      = "UQDtFpEwcFAEcRe5mLVh2N6C0x-_hJEM7W61_JLnSF74p9dz" // same account, non-bounceable
	tonUQStd   = "UQDtFpEwcFAEcRe5mLVh2N6C0x+/hJEM7W61/JLnSF74p9dz" // same, standard base64
	tonMaster  = "Ef_tFpEwcFAEcRe5mLVh2N6C0x-_hJEM7W61_JLnSF74p3X-" // workchain -1
	tonRaw     = "0:ed1691307050047117b998b561d8de82d31fbf84910ced6eb5fc92e7485ef8a7"
)

type canonicalTest struct {
	kind   Kind
	in     string
	region string
	want   string // "" when Canonical must fail
}

var canonicalTests = []canonicalTest{
	{Phone, "+86 138-0013-8000", "", "+8613800138000"},
	{Phone, " +8613800138000\t", "", "+8613800138000"},
	{Phone, "138 0013 8000", "CN", "+8613800138000"},
	{Phone, "008613800138000", "cn", "+8613800138000"},
	{Phone, "110", "CN", "110"},     // short code: national digits
	{Phone, "96110", "CN", "96110"}, // anti-fraud line
	{Phone, "13800138000", "", ""},  // national without region
	{Phone, "110", "", ""},          // short code without region
	{Phone, "12", "CN", ""},
	{Phone, "not a number", "CN", ""},
	{WhatsApp, "+1 201-555-0123", "", "+12015550123"},
	{WhatsApp, "0912345678", "VN", "+84912345678"},
	{WhatsApp, "110", "CN", ""}, // short codes are phones only
	{Zalo, "0912 345 678", "VN", "+84912345678"},
	{Zalo, "+84 912 345 678", "", "+84912345678"},
	{Zalo, "96110", "CN", ""},

	{Email, " Foo.Bar@Example.COM ", "", "foo.bar@example.com"},
	{Email, "a@例子.中国", "", "a@xn--fsqu00a.xn--fiqs8s"},
	{Email, "a@foo.local", "", ""},
	{Domain, "WWW.Example.co.uk.", "", "www.example.co.uk"},
	{Domain, "例子.中国", "", "xn--fsqu00a.xn--fiqs8s"},
	{Domain, "blogspot.com", "", ""},
	{Domain, "paypal.con", "", ""},
	{URL, "HTTPS://Example.COM:443/a?b=1#c", "", "https://example.com/a?b=1#c"},
	{URL, "example.com/path", "", "http://example.com/path"},
	{URL, "http://user:pw@example.com/", "", "http://example.com/"},
	{URL, "http://example.com:8080", "", "http://example.com:8080"},
	{URL, "http://[2001:DB8::1]:8080/x", "", "http://[2001:db8::1]:8080/x"},
	{URL, "http://1.2.3.4/", "", "http://1.2.3.4/"},
	{URL, "http://例子.中国/路径", "", "http://xn--fsqu00a.xn--fiqs8s/%E8%B7%AF%E5%BE%84"},
	{URL, "http://example.com/a b", "", "http://example.com/a%20b"},
	{URL, "http://example.com/?", "", "http://example.com/?"},
	{URL, "http://", "", ""},
	{URL, "http://bank.local/", "", ""},
	{URL, "http://[1.2.3.4]/", "", ""},
	{IP, "::ffff:8.8.8.8", "", "8.8.8.8"},
	{IP, "2001:DB8::0:1", "", "2001:db8::1"},
	{IP, "1.2.3.256", "", ""},

	{BTC, btcP2PKH, "", btcP2PKH},
	{BTC, btcP2SH, "", btcP2SH},
	{BTC, strings.ToUpper(btcBech32), "", btcBech32},
	{BTC, " " + btcTaproot + " ", "", btcTaproot},
	{BTC, btcTestnet, "", ""}, // test network
	{BTC, btcP2PKH[:len(btcP2PKH)-1] + "b", "", ""},
	{ETH, ethLower, "", ethEIP55},
	{ETH, "0X" + strings.ToUpper(ethLower[2:]), "", ethEIP55},
	{ETH, ethEIP55, "", ethEIP55},
	{ETH, ethEIP55[:41] + "D", "", ""}, // broken checksum
	{TRX, trxUSDT, "", trxUSDT},
	{LTC, ltcP2PKH, "", ltcP2PKH},
	{LTC, ltcP2SH, "", ltcP2SH},
	{LTC, strings.ToUpper(ltcBech32), "", ltcBech32},
	{DOGE, dogeP2PKH, "", dogeP2PKH},
	{DOGE, dogeP2SH, "", dogeP2SH},
	{XRP, xrpGenesis, "", xrpGenesis},
	{XRP, "rrrrrrrrrrrrrrrrrrrrrhoLvTp", "", "rrrrrrrrrrrrrrrrrrrrrhoLvTp"},
	{TON, tonEQ, "", tonRaw},
	{TON, tonUQ, "", tonRaw},
	{TON, tonUQStd, "", tonRaw},
	{TON, tonMaster, "", "-1" + tonRaw[1:]},

	// A valid address of another chain is not an address of the kind asked.
	{ETH, btcP2PKH, "", ""},
	{BTC, ethLower, "", ""},
	{BTC, ltcP2PKH, "", ""},
	{BTC, ltcBech32, "", ""},
	{BTC, trxUSDT, "", ""},
	{LTC, btcP2SH, "", ""}, // version 0x05 is read as Bitcoin
	{LTC, btcBech32, "", ""},
	{TRX, btcP2PKH, "", ""},
	{TRX, ethEIP55, "", ""},
	{DOGE, ltcP2PKH, "", ""},
	{XRP, btcP2PKH, "", ""},
	{TON, ethEIP55, "", ""},
	{TON, xrpGenesis, "", ""},

	{IBAN, "de89 3704 0044 0532 0130 00", "", "DE89370400440532013000"},
	{IBAN, "DE88370400440532013000", "", ""},
	{Card, "4111 1111 1111 1111", "", "411111******1111"},
	{Card, "4111-1111-1111-1111", "", "411111******1111"},
	{Card, "6222021234567890128", "", "622202*********0128"},
	{Card, "4111 1111 1111 1112", "", ""}, // Luhn
	{Card, "79927398713", "", ""},         // 11 digits
	{Card, "41111111111111111113", "", ""},
	{BankAccount, "6222 0212-3456", "", "622202123456"},
	{BankAccount, "123456", "", "123456"},
	{BankAccount, strings.Repeat("9", 30), "", strings.Repeat("9", 30)},
	{BankAccount, "12345", "", ""},
	{BankAccount, strings.Repeat("9", 31), "", ""},
	{BankAccount, "6222a0212", "", ""},
	{BankAccount, "6222.0212.3456", "", ""},
	{WeChat, "WXID_abc123", "", "wxid_abc123"},
	{WeChat, "abc", "", ""},
	{QQ, "123456789", "", "123456789"},
	{QQ, "0123456", "", ""},
	{Telegram, "@Durov", "", "durov"},
	{Telegram, "+AbCdEfGhIjKl", "", "+AbCdEfGhIjKl"},
	{Telegram, "du", "", ""},
	{LINE, "@OfficialAcct", "", "@officialacct"},
	{LINE, "Scammer.01", "", "scammer.01"},
	{LINE, "ab", "", ""},

	// Places are canonicalised by package place.
	{Place, "mm-kk-park", "", ""},
	{Kind("nonsense"), "abc", "", ""},
}

func TestCanonical(t *testing.T) {
	covered := map[Kind]bool{}
	for _, tt := range canonicalTests {
		covered[tt.kind] = true
		got, err := Canonical(tt.kind, tt.in, tt.region)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("Canonical(%s, %q, %q) = %q, want error", tt.kind, tt.in, tt.region, got)
		case tt.want == "" && !errors.Is(err, ErrInvalid):
			t.Errorf("Canonical(%s, %q, %q) error %v does not wrap ErrInvalid", tt.kind, tt.in, tt.region, err)
		case tt.want != "" && err != nil:
			t.Errorf("Canonical(%s, %q, %q): %v, want %q", tt.kind, tt.in, tt.region, err, tt.want)
		case got != tt.want:
			t.Errorf("Canonical(%s, %q, %q) = %q, want %q", tt.kind, tt.in, tt.region, got, tt.want)
		}
	}
	for _, k := range Kinds {
		if !covered[k] {
			t.Errorf("no Canonical test for kind %s", k)
		}
	}
}

// TestCanonicalIdempotent: a canonical value, canonicalised again, is
// itself. Cards are the exception by design: their canonical form is masked
// and can no longer be checked.
func TestCanonicalIdempotent(t *testing.T) {
	for _, tt := range canonicalTests {
		if tt.want == "" || tt.kind == Card || tt.kind == TON {
			continue // TON: see TestCanonicalTONRaw
		}
		got, err := Canonical(tt.kind, tt.want, tt.region)
		if err != nil || got != tt.want {
			t.Errorf("Canonical(%s, %q, %q) = %q, %v; want it unchanged", tt.kind, tt.want, tt.region, got, err)
		}
	}
}

// TestCanonicalTONRaw: a TON address's canonical value is its raw form
// "workchain:hex", which Canonical must accept as a TON address too, or no
// stored TON value can be looked up again.
func TestCanonicalTONRaw(t *testing.T) {
	for _, raw := range []string{tonRaw, "-1" + tonRaw[1:]} {
		if got, err := Canonical(TON, raw, ""); err != nil || got != raw {
			t.Errorf("Canonical(TON, %q) = %q, %v; want it unchanged", raw, got, err)
		}
	}
}

// TestCanonicalShortNumberDigits: the canonical value of a short code is
// its national digits (Kind Phone: "national digits of a short code"), so
// two spellings of one number compare equal.
func TestCanonicalShortNumberDigits(t *testing.T) {
	for _, in := range []string{"96 110", "961-10", "(96110)", "96110"} {
		if got, err := Canonical(Phone, in, "CN"); err != nil || got != "96110" {
			t.Errorf(`Canonical(Phone, %q, "CN") = %q, %v; want "96110"`, in, got, err)
		}
	}
	for _, in := range []string{"1-1-0", "1 1 0", "١١٠"} {
		got, err := Canonical(Phone, in, "CN")
		if err == nil && got != "110" {
			t.Errorf(`Canonical(Phone, %q, "CN") = %q; want "110" or an error`, in, got)
		}
	}
}

// TestCanonicalWrongChainSaysWhich: the error for an address of another
// chain names the chain it belongs to.
func TestCanonicalWrongChainSaysWhich(t *testing.T) {
	tests := []struct {
		kind  Kind
		in    string
		found Kind
	}{
		{ETH, btcP2PKH, BTC},
		{BTC, ethLower, ETH},
		{LTC, btcP2SH, BTC},
		{BTC, ltcBech32, LTC},
		{TRX, dogeP2PKH, DOGE},
		{XRP, tonEQ, TON},
	}
	for _, tt := range tests {
		_, err := Canonical(tt.kind, tt.in, "")
		if err == nil {
			t.Errorf("Canonical(%s, %q) accepted an address of %s", tt.kind, tt.in, tt.found)
			continue
		}
		if want := "an address of " + string(tt.found); !strings.Contains(err.Error(), want) {
			t.Errorf("Canonical(%s, %q) error %q does not say %q", tt.kind, tt.in, err, want)
		}
	}
}

// TestCanonicalCardErrorHidesNumber: a refused card number is never echoed
// in full in the error, which may be logged.
func TestCanonicalCardErrorHidesNumber(t *testing.T) {
	for _, in := range []string{"4111 1111 1111 1112", "4111111111111112", "41111111111111111113", "4111111111"} {
		_, err := Canonical(Card, in, "")
		if err == nil {
			t.Fatalf("Canonical(Card, %q) accepted", in)
		}
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, in)
		for _, leak := range []string{in, digits, digits[4:]} {
			if strings.Contains(err.Error(), leak) {
				t.Errorf("Canonical(Card, %q) error %q contains %q", in, err, leak)
			}
		}
	}
}

func TestParseKind(t *testing.T) {
	for _, k := range Kinds {
		for _, s := range []string{string(k), strings.ToUpper(string(k)), " " + string(k) + "\n"} {
			if got, err := ParseKind(s); err != nil || got != k {
				t.Errorf("ParseKind(%q) = %q, %v; want %q", s, got, err, k)
			}
		}
	}
	for _, s := range []string{"", "wallet", "bank account", "tg", "phones"} {
		if got, err := ParseKind(s); err == nil || !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseKind(%q) = %q, %v; want an ErrInvalid error", s, got, err)
		}
	}
}

func TestKindClasses(t *testing.T) {
	wallets := map[Kind]bool{BTC: true, ETH: true, TRX: true, LTC: true, DOGE: true, XRP: true, TON: true}
	handles := map[Kind]bool{WeChat: true, QQ: true, Telegram: true, WhatsApp: true, LINE: true, Zalo: true}
	seen := map[Kind]bool{}
	for _, k := range Kinds {
		if seen[k] {
			t.Errorf("kind %s listed twice in Kinds", k)
		}
		seen[k] = true
		if got := k.IsWallet(); got != wallets[k] {
			t.Errorf("%s.IsWallet() = %v, want %v", k, got, wallets[k])
		}
		if got := k.IsHandle(); got != handles[k] {
			t.Errorf("%s.IsHandle() = %v, want %v", k, got, handles[k])
		}
	}
}
