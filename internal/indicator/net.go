package indicator

import (
	"net/netip"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// Host is a validated domain name.
type Host struct {
	Value string // lower-case, punycode ("xn--...") for internationalised names
	// Site is the registrable domain (eTLD+1): "example.co.uk" for
	// "www.example.co.uk".
	Site string
	IDN  bool // the name has non-ASCII labels
	// PrivateSuffix is true when the name sits under a suffix that a company
	// runs for its customers (blogspot.com, vercel.app) rather than ICANN.
	PrivateSuffix bool
}

var hostProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.StrictDomainName(true), idna.Transitional(false), idna.VerifyDNSLength(true))

// ParseDomain validates a host name: valid IDNA, every label 1..63
// characters, and a top-level domain that ICANN delegates (a name ending in
// ".con" or ".local" is not a domain).
func ParseDomain(s string) (Host, error) {
	s = strings.TrimSuffix(s, ".")
	if len(s) < 3 || len(s) > 253 || strings.IndexByte(s, '.') < 1 || strings.Contains(s, "..") {
		return Host{}, invalid(Domain, s, "not a dotted name")
	}
	if !utf8.ValidString(s) {
		return Host{}, invalid(Domain, s, "not valid UTF-8")
	}
	ascii := strings.ToLower(s)
	idn := false
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			idn = true
			break
		}
	}
	if idn || strings.Contains(ascii, "xn--") {
		a, err := hostProfile.ToASCII(s)
		if err != nil || len(a) > 253 || strings.Contains(a, "..") {
			return Host{}, invalid(Domain, s, "not a valid internationalised name")
		}
		ascii, idn = a, true
	} else if !ldhName(ascii) {
		return Host{}, invalid(Domain, s, "not letters, digits and hyphens")
	}
	tld := ascii[strings.LastIndexByte(ascii, '.')+1:]
	if !IsTLD(tld) {
		return Host{}, invalid(Domain, s, "unknown top-level domain ."+tld)
	}
	ps, icann := publicsuffix.PublicSuffix(ascii)
	if len(ps) >= len(ascii) {
		return Host{}, invalid(Domain, s, "a public suffix, not a domain")
	}
	// The registrable domain: the label before the public suffix, and it.
	rest := ascii[:len(ascii)-len(ps)-1]
	site := rest[strings.LastIndexByte(rest, '.')+1:] + "." + ps
	return Host{Value: ascii, Site: site, IDN: idn, PrivateSuffix: !icann}, nil
}

// IsTLD reports whether tld (lower-case ASCII, no dot) is a top-level domain
// in the ICANN section of the Public Suffix List. Answers are remembered:
// text holds few distinct TLDs and many candidates.
func IsTLD(tld string) bool {
	if tld == "" || len(tld) > 63 || isDigit(tld[0]) {
		return false
	}
	tldMu.RLock()
	ok, known := tldCache[tld]
	tldMu.RUnlock()
	if known {
		return ok
	}
	// A wildcard rule ("*.kh": registrations sit under gov.kh, com.kh ...)
	// makes the suffix of "x.kh" "x.kh" itself.
	ps, icann := publicsuffix.PublicSuffix("x." + tld)
	ok = icann && (ps == tld || ps == "x."+tld)
	tldMu.Lock()
	if len(tldCache) < 1<<16 { // bounded: junk TLDs are endless
		tldCache[strings.Clone(tld)] = ok // a clone: tld may be a slice of a large text
	}
	tldMu.Unlock()
	return ok
}

var (
	tldMu    sync.RWMutex
	tldCache = map[string]bool{}
)

// ldhName reports whether s is dot-separated labels of letters, digits and
// hyphens, each 1..63 long and not starting or ending with a hyphen.
func ldhName(s string) bool {
	label := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.':
			if label == 0 || s[i-1] == '-' {
				return false
			}
			label = 0
			continue
		case c == '-':
			if label == 0 {
				return false
			}
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		default:
			return false
		}
		label++
		if label > 63 {
			return false
		}
	}
	return label > 0 && s[len(s)-1] != '-'
}

// ParseEmail validates local@domain. The canonical form is lower case; the
// domain is punycode.
func ParseEmail(s string) (string, error) {
	at := strings.LastIndexByte(s, '@')
	if at < 1 || at > 64 {
		return "", invalid(Email, s, "no local part")
	}
	local := s[:at]
	for i := 0; i < len(local); i++ {
		if !emailLocalChar(local[i]) {
			return "", invalid(Email, s, "bad character in local part")
		}
	}
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return "", invalid(Email, s, "bad dots in local part")
	}
	h, err := ParseDomain(s[at+1:])
	if err != nil {
		return "", invalid(Email, s, "bad domain")
	}
	return strings.ToLower(local) + "@" + h.Value, nil
}

func emailLocalChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '=' || c == '~'
}

// ParseIP validates an IPv4 or IPv6 address and returns its canonical text
// (RFC 5952 for IPv6). Zones are refused.
func ParseIP(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, invalid(IP, s, "not an IP address")
	}
	return a.Unmap(), nil
}

// PublicIP reports whether a is routable on the Internet: not private,
// loopback, link-local, multicast, unspecified, shared (CGNAT),
// documentation, benchmarking or reserved. Only such addresses can identify
// a scammer's server.
func PublicIP(a netip.Addr) bool {
	return a.IsGlobalUnicast() && !a.IsPrivate() && !documentation(a)
}

// docPrefixes are special-purpose ranges (RFC 6890) that IsGlobalUnicast
// does not exclude.
var docPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"), netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"), netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"), netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"), netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("2001:db8::/32"),
}

func documentation(a netip.Addr) bool {
	for _, p := range docPrefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// URLParts is a link split for canonicalisation.
type URLParts struct {
	Scheme string // "http", "https", "ftp", ...; empty means http
	Host   string // a domain or an IP literal (IPv6 in brackets)
	Port   string // without ":"; empty for the default
	Rest   string // path, query and fragment as written, from the first "/", "?" or "#"
}

// CanonicalURL builds the canonical form of a link: lower-case scheme,
// canonical host, default port dropped, the rest kept as written.
func CanonicalURL(p URLParts) (string, Host, error) {
	host, hostText, err := URLHost(p.Host)
	if err != nil {
		return "", Host{}, err
	}
	return JoinURL(p.Scheme, hostText, p.Port, p.Rest), host, nil
}

// URLHost validates the host of a link: a domain name (returned as Host
// too), an IPv4 address or a bracketed IPv6 literal. hostText is its
// canonical form in a URL.
func URLHost(text string) (host Host, hostText string, err error) {
	if strings.HasPrefix(text, "[") && strings.HasSuffix(text, "]") {
		a, err := ParseIP(text[1 : len(text)-1])
		if err != nil || !a.Is6() {
			return Host{}, "", invalid(URL, text, "bad IPv6 literal")
		}
		return Host{}, "[" + a.String() + "]", nil
	}
	if looksIPv4(text) {
		a, err := ParseIP(text)
		if err != nil || !a.Is4() {
			return Host{}, "", invalid(URL, text, "bad IPv4 address")
		}
		return Host{}, a.String(), nil
	}
	h, err := ParseDomain(text)
	if err != nil {
		return Host{}, "", err
	}
	return h, h.Value, nil
}

// JoinURL assembles a canonical URL from its parts, the host already
// canonical (URLHost): the scheme lower-cased ("http" when none), a
// default port dropped, the rest kept as written.
func JoinURL(scheme, hostText, port, rest string) string {
	scheme = strings.ToLower(scheme)
	if scheme == "" {
		scheme = "http"
	}
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	var b strings.Builder
	b.Grow(len(scheme) + 3 + len(hostText) + len(port) + 1 + len(rest))
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(hostText)
	if port != "" {
		b.WriteByte(':')
		b.WriteString(port)
	}
	b.WriteString(rest)
	return b.String()
}

func looksIPv4(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && s[i] != '.' {
			return false
		}
	}
	return len(s) > 0
}
