package share

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"vigil/internal/indicator"
)

// kindSet is the kinds a value may be read as; nil means any.
type kindSet map[indicator.Kind]bool

func (ks kindSet) has(k indicator.Kind) bool { return ks == nil || ks[k] }

// domainValue reads a host name as a domain.
func domainValue(s string) ([]Value, error) {
	h, err := indicator.ParseDomain(strings.TrimSpace(s))
	if err != nil {
		return nil, err
	}
	return []Value{{indicator.Domain, h.Value}}, nil
}

// walletValue reads an address of any chain Vigil knows; the address, not
// a label beside it, decides the kind.
func walletValue(s string) ([]Value, error) {
	w, err := indicator.ParseWallet(strings.TrimSpace(s))
	if err != nil {
		return nil, err
	}
	return []Value{{w.Kind, w.Value}}, nil
}

// linkValues reads a link as what it lists: the host alone (a domain or an
// IP) when the link has no path, the link itself when it has one. A page
// on a host is not the host: a scam form on docs.google.com or a post on
// medium.com must not list google.com's or medium.com's name, which is
// also why the warninglist package calls such links someone's content.
// A "mailto:" link is its email address.
func linkValues(s string) ([]Value, error) {
	s = strings.TrimSpace(s)
	if rest, ok := cutPrefixFold(s, "mailto:"); ok {
		e, err := indicator.ParseEmail(strings.SplitN(rest, "?", 2)[0])
		if err != nil {
			return nil, err
		}
		return []Value{{indicator.Email, e}}, nil
	}
	full := s
	if !strings.Contains(s, "://") {
		full = "http://" + s
	}
	u, err := url.Parse(full)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return nil, fmt.Errorf("url %q: not a link: %w", clip(s), indicator.ErrInvalid)
	}
	if (u.Path == "" || u.Path == "/") && u.RawQuery == "" && u.Fragment == "" && !u.ForceQuery {
		host := u.Hostname()
		if ip, err := indicator.ParseIP(host); err == nil {
			return []Value{{indicator.IP, ip.String()}}, nil
		}
		return domainValue(host)
	}
	c, err := indicator.Canonical(indicator.URL, s, "")
	if err != nil {
		return nil, err
	}
	return []Value{{indicator.URL, c}}, nil
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// errKind reports a value whose kind cannot be told from its shape.
var errKind = errors.New("cannot tell what kind of indicator this is")

// guessKind names the kind a value's shape says it is, or "" when the
// shape says nothing. The shape decides before any parse so that a value
// that looks like a wallet and fails is reported as a bad wallet (a bad
// checksum), not as "not a domain".
func guessKind(s string) indicator.Kind {
	lower := strings.ToLower(s)
	switch {
	case strings.Contains(s, "://") || strings.HasPrefix(lower, "mailto:"):
		return indicator.URL
	case strings.HasPrefix(lower, "0x") && len(s) > 2 && hexDigits(s[2:]):
		return indicator.ETH
	case strings.HasPrefix(lower, "bc1") || strings.HasPrefix(lower, "ltc1") || strings.HasPrefix(lower, "tb1"):
		return indicator.BTC
	case strings.HasPrefix(s, "0:") || strings.HasPrefix(s, "-1:"):
		return indicator.TON
	case strings.HasPrefix(s, "@"):
		return indicator.Telegram
	case strings.Contains(s, "@"):
		return indicator.Email
	}
	if _, err := indicator.ParseIP(s); err == nil {
		return indicator.IP
	}
	switch {
	case strings.HasPrefix(s, "+") && phoneChars(s[1:]):
		return indicator.Phone
	case isIBANShape(s):
		return indicator.IBAN
	case strings.Contains(s, "/") && strings.Contains(s, "."):
		return indicator.URL
	case strings.Contains(s, "."):
		return indicator.Domain
	case len(s) >= 25 && len(s) <= 48 && base58ish(s):
		return indicator.BTC // any wallet: ParseWallet tells which
	}
	return ""
}

// readValue reads s as an indicator of one of kinds (any kind when nil),
// the kind told by its shape. A phone number must be in international
// form ("+86 ..."): a list says nothing of the region of a national one.
func readValue(s string, kinds kindSet) ([]Value, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("empty value")
	}
	k := guessKind(s)
	if k == "" {
		// The list's own kind, when it says, gives the clearer reason
		// ("not a dotted name" for a TLD on a list of domains).
		for _, try := range []indicator.Kind{indicator.Domain, indicator.Email, indicator.IP, indicator.Phone} {
			if kinds != nil && kinds[try] {
				k = try
				break
			}
		}
	}
	if k == "" {
		return nil, fmt.Errorf("%q: %w", clip(s), errKind)
	}
	switch {
	case k == indicator.URL:
		vs, err := linkValues(s)
		if err == nil && !kinds.has(vs[0].Kind) {
			return nil, fmt.Errorf("%q is a %s, not one of this list's kinds", clip(s), vs[0].Kind)
		}
		return vs, err
	case k.IsWallet():
		vs, err := walletValue(s)
		if err == nil && !kinds.has(vs[0].Kind) {
			return nil, fmt.Errorf("%q is a %s address, not one of this list's kinds", clip(s), vs[0].Kind)
		}
		return vs, err
	case !kinds.has(k):
		return nil, fmt.Errorf("%q looks like a %s, not one of this list's kinds", clip(s), k)
	}
	v, err := indicator.Canonical(k, strings.TrimPrefix(s, "@"), "")
	if err != nil {
		return nil, err
	}
	return []Value{{k, v}}, nil
}

func hexDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func phoneChars(s string) bool {
	digits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == ' ' || c == '-' || c == '(' || c == ')' || c == '.':
		default:
			return false
		}
	}
	return digits > 0
}

// isIBANShape: two letters, two digits, then 11 to 30 letters and digits,
// spaces allowed between groups.
func isIBANShape(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
		digit := c >= '0' && c <= '9'
		switch {
		case i < 2 && !letter, i >= 2 && i < 4 && !digit, !letter && !digit:
			return false
		}
	}
	return true
}

func base58ish(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '1' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '_' || c == '+' || c == '/' || c == '=') {
			return false
		}
	}
	return true
}

// mispKinds maps MISP attribute types to the kinds Vigil reads them as.
var mispKinds = map[string][]indicator.Kind{
	"domain": {indicator.Domain}, "hostname": {indicator.Domain}, "hostname|port": {indicator.Domain},
	"url": {indicator.URL, indicator.Domain, indicator.IP}, "uri": {indicator.URL, indicator.Domain, indicator.IP},
	"domain|ip": {indicator.Domain, indicator.IP}, "ip-src": {indicator.IP}, "ip-dst": {indicator.IP},
	"email": {indicator.Email}, "email-src": {indicator.Email}, "email-dst": {indicator.Email},
	"target-email": {indicator.Email}, "whois-registrant-email": {indicator.Email},
	"phone-number": {indicator.Phone}, "whois-registrant-phone": {indicator.Phone},
	"btc": {indicator.BTC}, "iban": {indicator.IBAN},
}
