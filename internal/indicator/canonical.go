package indicator

import (
	"net/url"
	"strings"
)

// Canonical returns the canonical form of s read as an indicator of kind k.
// region is the default region for national phone numbers and may be empty
// when s is in international form. Places are not handled here: their
// canonical value is a gazetteer ID (package place).
func Canonical(k Kind, s, region string) (string, error) {
	s = strings.TrimSpace(s)
	switch k {
	case Phone, WhatsApp, Zalo:
		p, err := ParsePhone(s, region)
		if err != nil {
			if sp, serr := ParseShortNumber(s, region); serr == nil && k == Phone {
				return sp.Value, nil
			}
			return "", err
		}
		return p.Value, nil
	case Email:
		return ParseEmail(s)
	case Domain:
		h, err := ParseDomain(s)
		return h.Value, err
	case URL:
		return canonicalURLString(s)
	case IP:
		a, err := ParseIP(s)
		if err != nil {
			return "", err
		}
		return a.String(), nil
	case BTC, ETH, TRX, LTC, DOGE, XRP, TON:
		w, err := ParseWallet(s)
		if err != nil {
			return "", err
		}
		if w.Kind != k {
			return "", invalid(k, s, "an address of "+string(w.Kind))
		}
		return w.Value, nil
	case IBAN:
		return ParseIBAN(s)
	case Card:
		d := digitsOnly(s)
		if len(d) < 12 || len(d) > 19 || !Luhn(d) {
			return "", invalid(Card, MaskCard(d), "not a card number")
		}
		return MaskCard(d), nil
	case BankAccount:
		d := digitsOnly(s)
		if len(d) < 6 || len(d) > 30 || len(d) != countDigitsAndSeparators(s) {
			return "", invalid(BankAccount, s, "not 6-30 digits")
		}
		return d, nil
	case WeChat:
		return ParseWeChat(s)
	case QQ:
		return ParseQQ(s)
	case Telegram:
		return ParseTelegram(s)
	case LINE:
		return ParseLINE(s)
	}
	return "", invalid(k, s, "kind has no canonical form here")
}

func canonicalURLString(s string) (string, error) {
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "", invalid(URL, s, "not a link")
	}
	rest := u.EscapedPath()
	if u.RawQuery != "" || u.ForceQuery {
		rest += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		rest += "#" + u.EscapedFragment()
	}
	host := u.Hostname()
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	c, _, err := CanonicalURL(URLParts{Scheme: u.Scheme, Host: host, Port: u.Port(), Rest: rest})
	return c, err
}

func digitsOnly(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// countDigitsAndSeparators counts the digits of s, or returns -1 when s
// holds anything but digits, spaces and hyphens.
func countDigitsAndSeparators(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isDigit(c):
			n++
		case c == ' ' || c == '-':
		default:
			return -1
		}
	}
	return n
}
