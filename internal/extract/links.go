package extract

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"vigil/internal/indicator"
)

// maxLink bounds a link's length; longer runs are cut there. Streaming
// windows overlap by more than this, so no link is lost at a window edge.
const maxLink = 2048

// links finds URLs, bare domains, email addresses and IPv4 addresses by
// looking around every dot, then IPv6 addresses around colons. It claims
// their spans so that the number scanner does not read digits inside them.
func (s *scan) links() {
	t := s.f.text
	for i := 0; i < len(t); {
		j := strings.IndexByte(t[i:], '.')
		if j < 0 {
			break
		}
		d := i + j
		i = max(s.linkAt(d), d+1) // always move past this dot
	}
	s.ipv6()
	s.sortClaims()
}

// linkAt examines the dot at d and returns where scanning resumes.
func (s *scan) linkAt(d int) int {
	t := s.f.text
	if d == 0 || d+1 >= len(t) || !hostByteAt(t, d-1, true) || !hostByteAt(t, d+1, false) {
		return d + 1
	}
	hs, he := hostStart(t, d), hostEnd(t, d)
	for hs < he && (t[hs] == '.' || t[hs] == '-') {
		hs++
	}
	for he > hs && (t[he-1] == '.' || t[he-1] == '-') {
		he--
	}
	next := max(he, d+1)
	if !allDigitsAndDots(t[hs:he]) {
		if ips, ipe, ok := embeddedIPv4(t, hs, he); ok {
			// "http200.60.235.177.NCUAupdate.htm": an address in text whose
			// punctuation was stripped.
			s.ipv4(ips, ipe)
			return max(ipe, d+1)
		}
	}
	hs = s.hostStartAtWWW(hs, he)
	host := t[hs:he]
	if strings.IndexByte(host, '.') < 0 || strings.Contains(host, "..") || he-hs > 253 {
		return next
	}
	if allDigitsAndDots(host) {
		return s.ipv4(hs, he)
	}

	last := host[strings.LastIndexByte(host, '.')+1:]
	scheme, ss := s.schemeBefore(hs)
	www := len(host) > 4 && strings.EqualFold(host[:4], "www.")
	if !plausibleTLD(last) || !indicator.IsTLD(strings.ToLower(last)) {
		// "www.Ldew.com1win150ppm", "uidai.gov.inOTP": a name run into the
		// next words. Cut the last label at the longest TLD it starts with
		// where letters change case or digits begin.
		cut := tldPrefix(last)
		if !www && scheme == "" && (cut == 0 || isDigit(last[cut])) {
			return next
		}
		if cut == 0 {
			return next
		}
		he -= len(last) - cut
		host, last, next = t[hs:he], last[:cut], he
	}
	// What surrounds the host decides the kind.
	if scheme == "" && hs > 0 && t[hs-1] == '@' {
		return s.email(hs, he)
	}
	port, rest, end := s.urlTail(he)
	switch {
	case scheme != "" || www || rest != "":
		start := hs
		if scheme != "" {
			start = ss
		}
		s.url(start, end, scheme, host, port, rest)
		return end
	case port != "":
		return end
	}
	if hs > 0 && (t[hs-1] == '_' || t[hs-1] == '/' || t[hs-1] == '\\') {
		return next // a piece of a mangled address or a file path
	}
	s.domain(hs, he, host, last)
	return next
}

// hostStartAtWWW moves the start of a host to a "www." inside it, dropping
// words glued before it ("100juta.www.x.com", "httpwww.x.com" whose "://"
// was lost).
func (s *scan) hostStartAtWWW(hs, he int) int {
	t := s.f.text
	for i := hs; i+4 < he; i++ {
		if t[i]|0x20 != 'w' || !strings.EqualFold(t[i:i+4], "www.") {
			continue
		}
		if i == hs || t[i-1] == '.' || i-hs >= 4 && strings.EqualFold(t[i-4:i], "http") || i-hs >= 5 && strings.EqualFold(t[i-5:i], "https") {
			return i
		}
	}
	return hs
}

// tldPrefix returns the length of the longest top-level domain that label
// starts with, followed by a digit or upper-case letter ("com1win" -> 3).
func tldPrefix(label string) int {
	for n := min(len(label)-1, 6); n >= 2; n-- {
		c := label[n]
		if (isDigit(c) || isUpper(c) != isUpper(label[0])) && indicator.IsTLD(strings.ToLower(label[:n])) {
			return n
		}
	}
	return 0
}

// hostByteAt reports whether the byte at i can be part of a host name seen
// from a dot: ASCII letters, digits, hyphens, or (going left) the last byte
// of a letter of a script used in internationalised names.
func hostByteAt(t string, i int, left bool) bool {
	c := t[i]
	if c < utf8.RuneSelf {
		return isAlnum(c) || c == '-'
	}
	var r rune
	if left {
		r, _ = utf8.DecodeLastRuneInString(t[:i+1])
	} else {
		r, _ = utf8.DecodeRuneInString(t[i:])
	}
	return idnLetter(r)
}

// idnLetter reports whether r may appear in a host name found in running
// text. Scripts written without spaces (Han, Thai, Khmer ...) are left out:
// a Chinese sentence running into "example.com" must not become its host.
func idnLetter(r rune) bool {
	switch {
	case r < 0x80:
		return isAlnum(byte(r)) || r == '-'
	case r >= 0xC0 && r < 0x250 && r != 0xD7 && r != 0xF7: // Latin-1 and Latin Extended letters
		return true
	case unicode.Is(unicode.Cyrillic, r), unicode.Is(unicode.Greek, r), unicode.Is(unicode.Armenian, r):
		return unicode.IsLetter(r)
	}
	return false
}

func hostStart(t string, d int) int {
	i := d
	for i > 0 && d-i < 253 {
		c := t[i-1]
		if c < utf8.RuneSelf {
			if !isAlnum(c) && c != '-' && c != '.' {
				break
			}
			i--
			continue
		}
		r, size := utf8.DecodeLastRuneInString(t[:i])
		if !idnLetter(r) {
			break
		}
		i -= size
	}
	return i
}

func hostEnd(t string, d int) int {
	i := d
	for i < len(t) && i-d < 253 {
		c := t[i]
		if c < utf8.RuneSelf {
			if !isAlnum(c) && c != '-' && c != '.' {
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(t[i:])
		if !idnLetter(r) {
			break
		}
		i += size
	}
	return i
}

// embeddedIPv4 finds a dotted quad inside a host-like run whose
// punctuation was stripped: four groups of 1-3 digits joined by dots,
// with letters, not digits or dots, on either side.
func embeddedIPv4(t string, hs, he int) (int, int, bool) {
	for i := hs; i < he; i++ {
		if !isDigit(t[i]) || (i > hs && (isDigit(t[i-1]) || t[i-1] == '.')) {
			continue
		}
		j, groups, n := i, 0, 0
		for j < he {
			if isDigit(t[j]) {
				n++
				if n > 3 {
					break
				}
				j++
				continue
			}
			if t[j] == '.' && n > 0 && groups < 3 && j+1 < he && isDigit(t[j+1]) {
				groups, n = groups+1, 0
				j++
				continue
			}
			break
		}
		if groups == 3 && n > 0 && (j == he || !isDigit(t[j])) && (j-i) < he-hs {
			return i, j, true
		}
	}
	return 0, 0, false
}

func allDigitsAndDots(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && s[i] != '.' {
			return false
		}
	}
	return true
}

// plausibleTLD is a fast filter before the Public Suffix List is asked: the
// last label is letters (or punycode) in one case, so that a sentence run
// together ("it.Now") is not a domain.
func plausibleTLD(tld string) bool {
	if len(tld) < 2 || len(tld) > 63 {
		return false
	}
	upper, lower := false, false
	for i := 0; i < len(tld); i++ {
		c := tld[i]
		switch {
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= utf8.RuneSelf, c == '-' || isDigit(c):
			if !strings.HasPrefix(strings.ToLower(tld), "xn--") && c < utf8.RuneSelf {
				return false
			}
		}
	}
	// "COM" and "com" are fine; "Now" in "it.Now" is a sentence run
	// together.
	return !(upper && lower)
}

// schemeBefore returns the scheme written before a host at hs ("http",
// also defanged "hxxp") and where it starts.
func (s *scan) schemeBefore(hs int) (string, int) {
	t := s.f.text
	if hs >= 4 && t[hs-4:hs] == ":///" {
		hs-- // "http:///host": one slash too many
	}
	if hs >= 7 && t[hs-3:hs] == " //" {
		// "http //host": the colon lost, as in much forwarded spam.
		if hs >= 8 && strings.EqualFold(t[hs-8:hs-3], "https") {
			return "https", hs - 8
		}
		if strings.EqualFold(t[hs-7:hs-3], "http") {
			return "http", hs - 7
		}
		return "", 0
	}
	if hs < 3 || t[hs-3:hs] != "://" {
		return "", 0
	}
	i := hs - 3
	for i > 0 && hs-3-i < 10 && (isLetter(t[i-1]) || t[i-1] == '*' || t[i-1] == '_') {
		i--
	}
	name := strings.ToLower(t[i : hs-3])
	switch name {
	case "http", "https", "ftp":
		return name, i
	case "hxxp", "hxxps", "hxtp", "hxtps", "h**p", "h**ps", "h__p", "h__ps", "hxxxp", "hxxxps", "httx", "httxs":
		if strings.HasSuffix(name, "s") {
			return "https", i
		}
		return "http", i
	case "fxp":
		return "ftp", i
	}
	// Letters glued before the scheme ("点击https://"): take the scheme at
	// the end of the run.
	for _, sc := range []string{"https", "http", "hxxps", "hxxp"} {
		if strings.HasSuffix(name, sc) {
			if strings.HasPrefix(sc, "hxx") {
				return "http" + sc[4:], hs - 3 - len(sc)
			}
			return sc, hs - 3 - len(sc)
		}
	}
	return "", 0
}

// urlTail reads an optional ":port" and a path, query and fragment after a
// host ending at he. It returns the port, the rest (from "/", "?" or "#")
// and where the link ends, with trailing punctuation left out.
func (s *scan) urlTail(he int) (port, rest string, end int) {
	t := s.f.text
	end = he
	if end < len(t) && t[end] == ':' {
		j := end + 1
		for j < len(t) && j-end <= 5 && isDigit(t[j]) {
			j++
		}
		if j > end+1 && (j == len(t) || !isAlnum(t[j])) {
			port, end = t[end+1:j], j
		}
	}
	if end >= len(t) || (t[end] != '/' && t[end] != '?' && t[end] != '#') {
		return port, "", end
	}
	j := end
	for j < len(t) && j-end < maxLink && urlByte(t[j]) {
		j++
	}
	// Trailing punctuation belongs to the sentence, and a closing bracket
	// to the text unless the link opened one.
	for j > end {
		c := t[j-1]
		if strings.IndexByte(".,;:!?'\"*", c) >= 0 {
			j--
			continue
		}
		if open := opening(c); open != 0 &&
			strings.Count(t[end:j], string(open)) < strings.Count(t[end:j], string(c)) {
			j--
			continue
		}
		break
	}
	return port, t[end:j], j
}

// opening returns the bracket that c closes, or 0.
func opening(c byte) byte {
	switch c {
	case ')':
		return '('
	case ']':
		return '['
	case '}':
		return '{'
	}
	return 0
}

func urlByte(c byte) bool {
	return c > ' ' && c < utf8.RuneSelf && c != '"' && c != '<' && c != '>' && c != '`' && c != '\\' && c != '^' && c != '|' && c != '{' && c != '}'
}

func (s *scan) url(fs, fe int, scheme, host, port, rest string) {
	h, hostText, ok := s.x.urlHost(host)
	if !ok {
		return
	}
	canon := indicator.JoinURL(scheme, hostText, port, rest)
	s.claim(fs, fe)
	if m, ok := s.handleLink(h.Value, rest); ok {
		s.add(m, fs, fe, prioLink)
		return
	}
	if (rest == "" || rest == "/") && messagingHosts[h.Value] {
		return // "wa.me/" with the number masked: nothing to look up
	}
	m := Match{Kind: indicator.URL, Value: canon, Confidence: 0.95}
	if scheme == "" {
		m.Confidence = 0.9
		if !strings.HasPrefix(h.Value, "www.") {
			m.Confidence = 0.85
		}
	}
	s.linkTags(&m, fs, fe, h)
	s.add(m, fs, fe, prioLink)
}

func (s *scan) linkTags(m *Match, fs, fe int, h indicator.Host) {
	raw := s.orig[s.f.orig(fs):s.f.orig(fe)]
	if defanged(raw) {
		m.Tags = append(m.Tags, TagDefanged)
	}
	if h.IDN {
		m.Tags = append(m.Tags, TagIDN)
	}
	if indicator.IsShortener(h.Value) {
		m.Tags = append(m.Tags, TagShortener)
		m.Note = "link shortener: where it leads is hidden"
	}
}

func defanged(raw string) bool {
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case c == '[' || c == '(' || c == '{':
			return true
		case c >= 0xE3 && i+2 < len(raw):
			switch raw[i : i+3] {
			case "点", "。", "點":
				return true
			}
		}
	}
	if len(raw) < 3 {
		return false
	}
	return hasPrefixLower(raw, "hxx") || hasPrefixLower(raw, "h**") || hasPrefixLower(raw, "fxp") || hasPrefixLower(raw, "h__")
}

var messagingHosts = map[string]bool{"t.me": true, "wa.me": true, "line.me": true, "zalo.me": true, "telegram.me": true}

// linkHosts are the hosts whose links name a messaging account.
var linkHosts = map[string]bool{"t.me": true, "telegram.me": true, "telegram.dog": true, "www.t.me": true,
	"wa.me": true, "api.whatsapp.com": true, "web.whatsapp.com": true, "whatsapp.com": true, "www.whatsapp.com": true,
	"zalo.me": true, "line.me": true, "page.line.me": true, "wpa.qq.com": true}

// handleLink turns links to a messaging account into that account:
// t.me/name, wa.me/number, line.me/ti/p/~id, zalo.me/number, wpa.qq.com uin.
func (s *scan) handleLink(host, rest string) (Match, bool) {
	if !linkHosts[host] {
		return Match{}, false
	}
	path, query, _ := strings.Cut(strings.SplitN(rest, "#", 2)[0], "?")
	path = strings.Trim(path, "/")
	seg := strings.Split(path, "/")
	switch host {
	case "t.me", "telegram.me", "telegram.dog", "www.t.me":
		name := seg[0]
		switch {
		case name == "joinchat" && len(seg) > 1:
			name = "+" + seg[1]
		case name == "s" && len(seg) > 1:
			name = seg[1]
		}
		if v, err := indicator.ParseTelegram(name); err == nil {
			return Match{Kind: indicator.Telegram, Value: v, Confidence: 0.95}, true
		}
		if strings.HasPrefix(name, "+") {
			// t.me/+8613800138000 opens the Telegram account of a number.
			if p, err := indicator.ParsePhone(name, ""); err == nil {
				return Match{Kind: indicator.Phone, Value: p.Value, Region: p.Region, Confidence: 0.95, Tags: []string{"telegram"}}, true
			}
		}
	case "wa.me", "api.whatsapp.com", "web.whatsapp.com", "whatsapp.com", "www.whatsapp.com":
		number := seg[0]
		if host != "wa.me" {
			q, _ := url.ParseQuery(query)
			number = q.Get("phone")
		}
		if p, err := indicator.ParsePhone("+"+strings.TrimPrefix(number, "+"), ""); err == nil {
			return Match{Kind: indicator.WhatsApp, Value: p.Value, Region: p.Region, Confidence: 0.95}, true
		}
	case "zalo.me":
		number := seg[0]
		region := ""
		if strings.HasPrefix(number, "0") {
			region = "VN"
		} else {
			number = "+" + number
		}
		if p, err := indicator.ParsePhone(number, region); err == nil {
			return Match{Kind: indicator.Zalo, Value: p.Value, Region: p.Region, Confidence: 0.95}, true
		}
	case "line.me", "page.line.me":
		// line.me/ti/p/~id is a personal ID; line.me/R/ti/p/@id an official
		// account. line.me/ti/p/<code> is a QR code, not an ID: kept as a link.
		if len(seg) >= 3 {
			id := seg[len(seg)-1]
			if strings.HasPrefix(id, "~") || strings.HasPrefix(id, "@") || strings.HasPrefix(id, "%40") {
				id = strings.TrimPrefix(strings.Replace(id, "%40", "@", 1), "~")
				if v, err := indicator.ParseLINE(id); err == nil {
					return Match{Kind: indicator.LINE, Value: v, Confidence: 0.95}, true
				}
			}
		}
	case "wpa.qq.com":
		q, _ := url.ParseQuery(query)
		if v, err := indicator.ParseQQ(q.Get("uin")); err == nil {
			return Match{Kind: indicator.QQ, Value: v, Confidence: 0.95}, true
		}
	}
	return Match{}, false
}

func (s *scan) email(hs, he int) int {
	t := s.f.text
	at := hs - 1
	ls := at
	for ls > 0 && at-ls < 64 && emailLocalByte(t[ls-1]) {
		ls--
	}
	for ls < at && (t[ls] == '.' || t[ls] == '-') {
		ls++
	}
	if ls == at {
		return he
	}
	v, err := indicator.ParseEmail(t[ls:he])
	if err != nil || messageIDLine(t, ls) || masked(strings.ToLower(t[ls:at])) || !s.plausibleBareHost(t[hs:he]) {
		return he
	}
	s.claim(ls, he)
	m := Match{Kind: indicator.Email, Value: v, Confidence: 0.95}
	if defanged(s.orig[s.f.orig(ls):s.f.orig(he)]) {
		m.Tags = append(m.Tags, TagDefanged)
	}
	s.add(m, ls, he, prioLink)
	return he
}

func emailLocalByte(c byte) bool {
	return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '=' || c == '~'
}

// plausibleBareHost rejects names under a rarely used TLD whose registrable
// label is text shorthand rather than a name: "de.am", "no.pin",
// "763179369.GRATIS", "400sq.mtr" (square metres).
func (s *scan) plausibleBareHost(host string) bool {
	h, ok := s.x.domain(host)
	if !ok {
		return false
	}
	return plausibleSite(h)
}

func plausibleSite(h indicator.Host) bool {
	tld := h.Value[strings.LastIndexByte(h.Value, '.')+1:]
	if commonTLDs[tld] || h.IDN {
		return true
	}
	sld := h.Site[:strings.IndexByte(h.Site, '.')]
	return len(sld) > 2 && !isDigit(sld[0])
}

// upperTLDs are the TLDs written in capitals after a mixed-case name
// ("Example.COM") often enough to trust.
var upperTLDs = map[string]bool{"com": true, "net": true, "org": true, "info": true, "biz": true}

// fileExtensions are TLDs that are also common file name endings: a bare
// "setup.zip" or "notes.md" is a file, not a domain.
var fileExtensions = map[string]bool{"zip": true, "mov": true, "sh": true, "py": true, "md": true, "rs": true, "pl": false, "ps": true, "cs": true, "mp": true, "doc": true, "jpg": true, "png": true}

// commonTLDs are the TLDs seen in most real links, scam links included.
// A bare name under one of them is very likely a domain; under a newer
// dictionary-word TLD (.how, .now, .you) it may be a typo between words.
var commonTLDs = map[string]bool{}

func init() {
	for _, t := range strings.Fields(`com net org info biz edu gov mil int io co me cc tv ws mobi name pro asia
		top xyz vip club shop online site live icu fun store tech app dev link click win bid loan work today
		cn hk tw mo sg my th vn id ph kh la mm in jp kr au nz uk us ca de fr ru ng za br eu es it nl`) {
		commonTLDs[t] = true
	}
}

func (s *scan) domain(hs, he int, host, tld string) {
	h, ok := s.x.domain(host)
	if !ok {
		return
	}
	var buf [16]byte
	ltld := appendLower(buf[:0], tld) // read as string(ltld): no copy
	if fileExtensions[string(ltld)] {
		return
	}
	switch {
	case hasPrefixLower(host, "href") || hasPrefixLower(host, "mailto"):
		return // HTML with its punctuation stripped: "hrefhttpbank.com"
	case isUpper(tld[0]) && !upperTLDs[string(ltld)] && strings.ContainsAny(host, "abcdefghijklmnopqrstuvwxyz"):
		return // "construction.Software.MS", "account.TH": words, not names ("123Turnkey.COM" is one)
	case string(ltld) == "br" && strings.Count(h.Value, ".") < 2:
		return // "answered.br": an HTML <br> with its brackets stripped
	case !plausibleSite(h):
		return
	}
	conf := 0.8
	if !commonTLDs[string(ltld)] && !h.IDN {
		conf = 0.5
	}
	m := Match{Kind: indicator.Domain, Value: h.Value, Confidence: conf}
	s.linkTags(&m, hs, he, h)
	s.claim(hs, he)
	s.add(m, hs, he, prioLink)
}

// ipv4 handles a run of digits and dots at [hs, he): an IPv4 address when it
// has exactly four parts, each 0..255, optionally followed by a port or path
// (a link to an IP).
func (s *scan) ipv4(hs, he int) int {
	t := s.f.text
	if strings.Count(t[hs:he], ".") != 3 {
		return he
	}
	var buf [15]byte // the address with leading zeros dropped
	b := buf[:0]
	for p := range strings.SplitSeq(t[hs:he], ".") {
		if p == "" || len(p) > 3 {
			return he
		}
		p = strings.TrimLeft(p, "0")
		if p == "" {
			p = "0"
		}
		if len(p) == 3 && p > "255" {
			return he
		}
		if len(b) > 0 {
			b = append(b, '.')
		}
		b = append(b, p...)
	}
	a, err := indicator.ParseIP(string(b))
	if err != nil {
		return he
	}
	scheme, ss := s.schemeBefore(hs)
	port, rest, end := s.urlTail(he)
	if scheme != "" || rest != "" {
		start := hs
		if scheme != "" {
			start = ss
		}
		canon, _, err := indicator.CanonicalURL(indicator.URLParts{Scheme: scheme, Host: a.String(), Port: port, Rest: rest})
		if err == nil {
			s.claim(start, end)
			s.add(Match{Kind: indicator.URL, Value: canon, Confidence: 0.9}, start, end, prioLink)
			return end
		}
	}
	m := Match{Kind: indicator.IP, Value: a.String(), Confidence: 0.9}
	if !indicator.PublicIP(a) {
		m.Confidence = 0.4
		m.Tags = append(m.Tags, TagReserved)
	}
	s.claim(hs, he)
	s.add(m, hs, he, prioLink)
	return he
}

// ipv6 finds IPv6 addresses: runs of hex digits and colons holding "::" or
// seven colons, that the standard parser accepts.
func (s *scan) ipv6() {
	t := s.f.text
	var claims []span
	defer func() { s.claimed = append(s.claimed, claims...) }()
	for i := 0; i < len(t); {
		j := strings.IndexByte(t[i:], ':')
		if j < 0 {
			return
		}
		c := i + j
		a, b := c, c
		for a > 0 && c-a < 45 && (isHex(t[a-1]) || t[a-1] == ':') {
			a--
		}
		for b < len(t) && b-c < 45 && (isHex(t[b]) || t[b] == ':' || t[b] == '.') {
			b++
		}
		for b > c && (t[b-1] == '.' || t[b-1] == ':') && !strings.HasSuffix(t[a:b], "::") {
			b--
		}
		cand := t[a:b]
		if (a > 0 && isAlnum(t[a-1])) || (b < len(t) && isAlnum(t[b])) ||
			(!strings.Contains(cand, "::") && strings.Count(cand, ":") != 7) || strings.Count(cand, ":") < 2 || s.isClaimed(a, b) {
			i = max(b, c+1)
			continue
		}
		if addr, err := indicator.ParseIP(cand); err == nil && addr.Is6() && !addr.Is4In6() && cand != "::" {
			m := Match{Kind: indicator.IP, Value: addr.String(), Confidence: 0.9}
			if !indicator.PublicIP(addr) {
				m.Confidence = 0.4
				m.Tags = append(m.Tags, TagReserved)
			}
			claims = append(claims, span{a, b})
			s.add(m, a, b, prioLink)
		}
		i = max(b, c+1)
	}
}

func isHex(c byte) bool { return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f' }

// messageIDLine reports whether position i is on an email header line that
// holds message identifiers (Message-ID, References, In-Reply-To), whose
// "local@host" tokens are not addresses.
func messageIDLine(t string, i int) bool {
	ls := strings.LastIndexByte(t[:i], '\n') + 1
	line := strings.ToLower(t[ls:min(len(t), ls+16)])
	for _, h := range []string{"message-id:", "references:", "in-reply-to:", "content-id:", "x-message-id:", "resent-message-id"} {
		if strings.HasPrefix(line, h) {
			return true
		}
	}
	// A continuation line of a References header.
	return strings.HasPrefix(strings.TrimLeft(line, " \t"), "<") && ls > 1 && strings.Contains(strings.ToLower(t[max(0, ls-400):ls]), "references:")
}
