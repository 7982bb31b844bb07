package indicator

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// longName is a 253-character name, the longest DNS allows: three 63-letter
// labels, one of 57 and ".com".
var longName = strings.Repeat("a", 63) + "." + strings.Repeat("b", 63) + "." +
	strings.Repeat("c", 63) + "." + strings.Repeat("d", 57) + ".com"

func TestParseDomain(t *testing.T) {
	tests := []struct {
		in   string
		want Host
	}{
		{"example.com", Host{Value: "example.com", Site: "example.com"}},
		{"EXAMPLE.COM.", Host{Value: "example.com", Site: "example.com"}},
		{"www.example.co.uk", Host{Value: "www.example.co.uk", Site: "example.co.uk"}},
		{"a.b.c.example.com", Host{Value: "a.b.c.example.com", Site: "example.com"}},
		{"my-site.org", Host{Value: "my-site.org", Site: "my-site.org"}},
		{"1.com", Host{Value: "1.com", Site: "1.com"}},
		{"foo.onion", Host{Value: "foo.onion", Site: "foo.onion"}},
		{strings.Repeat("a", 63) + ".com", Host{Value: strings.Repeat("a", 63) + ".com", Site: strings.Repeat("a", 63) + ".com"}},
		{longName, Host{Value: longName, Site: strings.Repeat("d", 57) + ".com"}},
		// Internationalised names: Unicode and punycode spellings give the
		// same punycode value.
		{"例子.中国", Host{Value: "xn--fsqu00a.xn--fiqs8s", Site: "xn--fsqu00a.xn--fiqs8s", IDN: true}},
		{"xn--fsqu00a.xn--fiqs8s", Host{Value: "xn--fsqu00a.xn--fiqs8s", Site: "xn--fsqu00a.xn--fiqs8s", IDN: true}},
		{"XN--FSQU00A.XN--FIQS8S", Host{Value: "xn--fsqu00a.xn--fiqs8s", Site: "xn--fsqu00a.xn--fiqs8s", IDN: true}},
		{"bücher.de", Host{Value: "xn--bcher-kva.de", Site: "xn--bcher-kva.de", IDN: true}},
		{"BÜCHER.de", Host{Value: "xn--bcher-kva.de", Site: "xn--bcher-kva.de", IDN: true}},
		{"www.münchen.de", Host{Value: "www.xn--mnchen-3ya.de", Site: "xn--mnchen-3ya.de", IDN: true}},
		{"пример.рф", Host{Value: "xn--e1afmkfd.xn--p1ai", Site: "xn--e1afmkfd.xn--p1ai", IDN: true}},
		{"ไทย.ไทย", Host{Value: "xn--o3cw4h.xn--o3cw4h", Site: "xn--o3cw4h.xn--o3cw4h", IDN: true}},
		// Private suffixes: the site is the customer's name, not the company's.
		{"foo.blogspot.com", Host{Value: "foo.blogspot.com", Site: "foo.blogspot.com", PrivateSuffix: true}},
		{"www.foo.blogspot.com", Host{Value: "www.foo.blogspot.com", Site: "foo.blogspot.com", PrivateSuffix: true}},
		{"scam.github.io", Host{Value: "scam.github.io", Site: "scam.github.io", PrivateSuffix: true}},
		{"Fake-Bank.vercel.app", Host{Value: "fake-bank.vercel.app", Site: "fake-bank.vercel.app", PrivateSuffix: true}},
	}
	for _, tt := range tests {
		got, err := ParseDomain(tt.in)
		if err != nil {
			t.Errorf("ParseDomain(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseDomain(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseDomainRejects(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"one letter", "a"},
		{"two letters", "ab"},
		{"bare TLD", "com"},
		{"bare TLD with dot", "com."},
		{"leading dot", ".com"},
		{"no dot", "example"},
		{"no dot IDN", "例子"},
		{"empty label", "a..com"},
		{"leading hyphen", "-a.com"},
		{"trailing hyphen", "a-.com"},
		{"underscore", "a_b.com"},
		{"space", "exa mple.com"},
		{"dollar", "exa$mple.com"},
		{"NUL", "a\x00.com"},
		{"slash", "example.com/path"},
		{"port", "example.com:80"},
		{"label 64", strings.Repeat("a", 64) + ".com"},
		{"name 254", "a" + longName},
		{"typo TLD .con", "paypal.con"},
		{"mDNS .local", "printer.local"},
		{"reserved .test", "example.test"},
		{"reserved .localhost", "foo.localhost"},
		{"IPv4", "192.168.1.1"},
		{"numeric TLD", "example.123"},
		{"public suffix co.uk", "co.uk"},
		{"public suffix com.cn", "com.cn"},
		{"private suffix blogspot.com", "blogspot.com"},
		{"private suffix github.io", "github.io"},
		{"bad punycode", "xn--abc.com"},
		{"bad punycode TLD", "example.xn--zz"},
	}
	for _, tt := range tests {
		h, err := ParseDomain(tt.in)
		if err == nil {
			t.Errorf("%s: ParseDomain(%q) = %+v, want error", tt.name, tt.in, h)
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: ParseDomain(%q) error %v does not wrap ErrInvalid", tt.name, tt.in, err)
		}
		if h != (Host{}) {
			t.Errorf("%s: ParseDomain(%q) returned %+v with its error", tt.name, tt.in, h)
		}
	}
}

// TestParseDomainWildcardCcTLD covers country-code TLDs whose Public Suffix
// List entry is a wildcard ("*.kh", "*.mm"): Cambodia and Myanmar are where
// the compounds are, and their government and business sites are under
// .gov.kh, .com.kh, .gov.mm, .com.mm.
func TestParseDomainWildcardCcTLD(t *testing.T) {
	for _, tld := range []string{"kh", "mm", "ck", "np"} {
		if !IsTLD(tld) {
			t.Errorf("IsTLD(%q) = false, want true (ICANN-delegated ccTLD)", tld)
		}
	}
	tests := []struct {
		in   string
		want Host
	}{
		{"www.mptc.gov.kh", Host{Value: "www.mptc.gov.kh", Site: "mptc.gov.kh"}},
		{"example.com.kh", Host{Value: "example.com.kh", Site: "example.com.kh"}},
		{"www.mofa.gov.mm", Host{Value: "www.mofa.gov.mm", Site: "mofa.gov.mm"}},
	}
	for _, tt := range tests {
		got, err := ParseDomain(tt.in)
		if err != nil {
			t.Errorf("ParseDomain(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseDomain(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

// TestParseDomainIDNLength checks the documented limits (every label 1..63
// characters, at most 253 in all) for internationalised names, where they
// apply to the punycode form.
func TestParseDomainIDNLength(t *testing.T) {
	for _, n := range []int{60, 62} {
		in := strings.Repeat("ü", n) + ".de"
		if h, err := ParseDomain(in); err == nil {
			label := h.Value[:strings.IndexByte(h.Value, '.')]
			t.Errorf("ParseDomain(%d × ü + .de) = %q, a %d-character label; want error", n, h.Value, len(label))
		}
	}
	in := strings.Repeat(strings.Repeat("a", 55)+"ü.", 4) + "de" // 234 bytes, each label 63 as punycode
	if h, err := ParseDomain(in); err == nil {
		t.Errorf("ParseDomain(%q) = %q, a %d-character name; want error", in, h.Value, len(h.Value))
	}
}

// TestParseDomainIDNEmptyLabel: an internationalised name with an empty
// label is not a name. The ASCII path refuses "a..com"; the IDNA profile
// lets "xn--bcher-kva..de" through, and since ParseDomain stopped calling
// publicsuffix.EffectiveTLDPlusOne (commit 9ce231a) nothing else catches it.
func TestParseDomainIDNEmptyLabel(t *testing.T) {
	for _, in := range []string{"bücher..de", "xn--bcher-kva..de", "例子..中国", "www..例子.中国"} {
		if h, err := ParseDomain(in); err == nil {
			t.Errorf("ParseDomain(%q) = %+v, want error", in, h)
		}
	}
}

// TestParseDomainInvalidUTF8: bytes that are not UTF-8 are not a name. The
// IDNA conversion reads each as U+FFFD and encodes that as punycode, giving
// a value that ParseDomain itself refuses.
func TestParseDomainInvalidUTF8(t *testing.T) {
	for _, in := range []string{"\xa5.ac", "ex\xffample.com", "例子\xff.中国", "0\xf6.ua"} {
		if h, err := ParseDomain(in); err == nil {
			t.Errorf("ParseDomain(%q) = %q, want error", in, h.Value)
		}
	}
	if v, err := ParseEmail("0@\xa1.org"); err == nil {
		t.Errorf("ParseEmail(%q) = %q, want error", "0@\xa1.org", v)
	}
	if v, err := Canonical(URL, "http://\xa5.ac/", ""); err == nil {
		t.Errorf("Canonical(URL, %q) = %q, want error", "http://\xa5.ac/", v)
	}
}

func TestIsTLD(t *testing.T) {
	tests := []struct {
		tld  string
		want bool
	}{
		{"com", true},
		{"uk", true},
		{"cn", true},
		{"app", true},
		{"xn--fiqs8s", true}, // .中国
		{"xn--p1ai", true},   // .рф
		{"", false},
		{"con", false},
		{"local", false},
		{"localhost", false},
		{"blogspot", false},
		{"1com", false},
		{"123", false},
	}
	for _, tt := range tests {
		if got := IsTLD(tt.tld); got != tt.want {
			t.Errorf("IsTLD(%q) = %v, want %v", tt.tld, got, tt.want)
		}
	}
}

func TestParseEmail(t *testing.T) {
	local64 := strings.Repeat("x", 64)
	tests := []struct{ in, want string }{
		{"user@example.com", "user@example.com"},
		{"Foo.Bar@Example.COM", "foo.bar@example.com"},
		{"user+tag@example.co.uk", "user+tag@example.co.uk"},
		{"x_y-z=1~%@example.org", "x_y-z=1~%@example.org"},
		{"a@example.com.", "a@example.com"},
		{"a@例子.中国", "a@xn--fsqu00a.xn--fiqs8s"},
		{"Kefu@BÜCHER.de", "kefu@xn--bcher-kva.de"},
		{"support@foo.blogspot.com", "support@foo.blogspot.com"},
		{local64 + "@example.com", local64 + "@example.com"},
	}
	for _, tt := range tests {
		got, err := ParseEmail(tt.in)
		if err != nil {
			t.Errorf("ParseEmail(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseEmail(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseEmailRejects(t *testing.T) {
	for _, in := range []string{
		"",
		"@example.com",
		"example.com",
		"a@",
		"a@b",
		"a@localhost",
		"a@foo.local",
		"a@co.uk",
		"a@-x.com",
		"a@b@example.com",
		"a..b@example.com",
		".a@example.com",
		"a.@example.com",
		"a b@example.com",
		"a(b)@example.com",
		`"a"@example.com`,
		"用户@example.com",
		"ü@example.com",
		strings.Repeat("x", 65) + "@example.com",
	} {
		if got, err := ParseEmail(in); err == nil {
			t.Errorf("ParseEmail(%q) = %q, want error", in, got)
		} else if !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseEmail(%q) error %v does not wrap ErrInvalid", in, err)
		}
	}
}

func TestParseIP(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1.2.3.4", "1.2.3.4"},
		{"8.8.8.8", "8.8.8.8"},
		{"::ffff:8.8.8.8", "8.8.8.8"}, // IPv4-mapped addresses are unmapped
		{"2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
		{"2001:0db8::0001", "2001:db8::1"},
		{"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
		{"::1", "::1"},
		{"::", "::"},
	}
	for _, tt := range tests {
		a, err := ParseIP(tt.in)
		if err != nil {
			t.Errorf("ParseIP(%q): %v", tt.in, err)
			continue
		}
		if got := a.String(); got != tt.want {
			t.Errorf("ParseIP(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	for _, in := range []string{"", "1.2.3", "1.2.3.256", "01.2.3.4", "1.2.3.4.5", "fe80::1%eth0",
		"1.2.3.4/24", "[::1]", "example.com", " 1.2.3.4", "1.2.3.4:80", "2001:db8:::1"} {
		if a, err := ParseIP(in); err == nil {
			t.Errorf("ParseIP(%q) = %s, want error", in, a)
		} else if !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseIP(%q) error %v does not wrap ErrInvalid", in, err)
		}
	}
}

func TestPublicIP(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"8.8.8.8", true},
		{"1.1.1.1", true},
		{"100.63.255.255", true}, // just below CGNAT
		{"100.128.0.0", true},    // just above CGNAT
		{"192.0.3.1", true},      // just past TEST-NET-1
		{"2606:4700::1111", true},
		{"2001:4860:4860::8888", true},
		{"::ffff:8.8.8.8", true},

		{"10.0.0.1", false},
		{"172.16.0.1", false},
		{"172.31.255.255", false},
		{"192.168.1.1", false},
		{"127.0.0.1", false},
		{"169.254.1.1", false},
		{"224.0.0.1", false},
		{"0.0.0.0", false},
		{"255.255.255.255", false},
		{"100.64.0.1", false},      // CGNAT
		{"100.127.255.255", false}, // CGNAT
		{"192.0.2.1", false},       // TEST-NET-1
		{"198.51.100.7", false},    // TEST-NET-2
		{"203.0.113.9", false},     // TEST-NET-3
		{"::", false},
		{"::1", false},
		{"fe80::1", false},
		{"ff02::1", false},
		{"fc00::1", false},
		{"fd12:3456::1", false},
		{"2001:db8::1", false}, // documentation
		{"::ffff:10.0.0.1", false},
	}
	for _, tt := range tests {
		a, err := ParseIP(tt.in)
		if err != nil {
			t.Fatalf("ParseIP(%q): %v", tt.in, err)
		}
		if got := PublicIP(a); got != tt.want {
			t.Errorf("PublicIP(%s) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if PublicIP(netip.Addr{}) {
		t.Error("PublicIP(zero Addr) = true, want false")
	}
}

func TestCanonicalURL(t *testing.T) {
	tests := []struct {
		name     string
		in       URLParts
		want     string
		wantHost Host
	}{
		{"case and default https port", URLParts{Scheme: "HTTPS", Host: "Example.COM", Port: "443", Rest: "/Path?Q=1#F"},
			"https://example.com/Path?Q=1#F", Host{Value: "example.com", Site: "example.com"}},
		{"empty scheme is http", URLParts{Host: "example.com"},
			"http://example.com", Host{Value: "example.com", Site: "example.com"}},
		{"default http port", URLParts{Scheme: "http", Host: "example.com", Port: "80", Rest: "/"},
			"http://example.com/", Host{Value: "example.com", Site: "example.com"}},
		{"https on 80 keeps port", URLParts{Scheme: "https", Host: "example.com", Port: "80"},
			"https://example.com:80", Host{Value: "example.com", Site: "example.com"}},
		{"http on 443 keeps port", URLParts{Scheme: "http", Host: "example.com", Port: "443"},
			"http://example.com:443", Host{Value: "example.com", Site: "example.com"}},
		{"other scheme keeps port", URLParts{Scheme: "FTP", Host: "files.example.com", Port: "21", Rest: "/pub"},
			"ftp://files.example.com:21/pub", Host{Value: "files.example.com", Site: "example.com"}},
		{"trailing dot", URLParts{Scheme: "http", Host: "www.example.co.uk.", Rest: "?a=1"},
			"http://www.example.co.uk?a=1", Host{Value: "www.example.co.uk", Site: "example.co.uk"}},
		{"IDN host, rest as written", URLParts{Scheme: "http", Host: "例子.中国", Rest: "/路径"},
			"http://xn--fsqu00a.xn--fiqs8s/路径", Host{Value: "xn--fsqu00a.xn--fiqs8s", Site: "xn--fsqu00a.xn--fiqs8s", IDN: true}},
		{"private suffix", URLParts{Scheme: "https", Host: "Fake-Bank.blogspot.com", Rest: "/login"},
			"https://fake-bank.blogspot.com/login", Host{Value: "fake-bank.blogspot.com", Site: "fake-bank.blogspot.com", PrivateSuffix: true}},
		{"IPv4 host", URLParts{Scheme: "http", Host: "1.2.3.4", Port: "8080", Rest: "/x"},
			"http://1.2.3.4:8080/x", Host{}},
		{"IPv6 host", URLParts{Scheme: "http", Host: "[2001:DB8:0::1]", Rest: "/"},
			"http://[2001:db8::1]/", Host{}},
		{"IPv6 loopback", URLParts{Scheme: "https", Host: "[::1]", Port: "443"},
			"https://[::1]", Host{}},
	}
	for _, tt := range tests {
		got, h, err := CanonicalURL(tt.in)
		if err != nil {
			t.Errorf("%s: CanonicalURL(%+v): %v", tt.name, tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s: CanonicalURL(%+v) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
		if diff := cmp.Diff(tt.wantHost, h); diff != "" {
			t.Errorf("%s: CanonicalURL(%+v) host mismatch (-want +got):\n%s", tt.name, tt.in, diff)
		}
	}
}

func TestCanonicalURLRejects(t *testing.T) {
	tests := []struct {
		name string
		in   URLParts
	}{
		{"empty host", URLParts{Scheme: "http"}},
		{"IPv4 in brackets", URLParts{Scheme: "http", Host: "[1.2.3.4]"}},
		{"not an address in brackets", URLParts{Scheme: "http", Host: "[example.com]"}},
		{"zone in brackets", URLParts{Scheme: "http", Host: "[fe80::1%eth0]"}},
		{"unbracketed IPv6", URLParts{Scheme: "http", Host: "2001:db8::1"}},
		{"unknown TLD", URLParts{Scheme: "http", Host: "bank.local"}},
		{"typo TLD", URLParts{Scheme: "https", Host: "paypal.con"}},
		{"public suffix", URLParts{Scheme: "http", Host: "co.uk"}},
		{"leading zero IPv4", URLParts{Scheme: "http", Host: "01.2.3.4"}},
	}
	for _, tt := range tests {
		got, _, err := CanonicalURL(tt.in)
		if err == nil {
			t.Errorf("%s: CanonicalURL(%+v) = %q, want error", tt.name, tt.in, got)
		} else if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: CanonicalURL(%+v) error %v does not wrap ErrInvalid", tt.name, tt.in, err)
		}
	}
}
