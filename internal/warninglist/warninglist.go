// Package warninglist knows values that are not scam indicators even when a
// scam message mentions them: the sites of banks and big services, public
// DNS resolvers, reserved phone numbers, security scanners. It reads MISP
// warninglists (https://github.com/MISP/misp-warninglists) and MetaMask's
// eth-phishing-detect allow-list.
//
// Lists fall in two groups. Benign lists (top sites, banks, universities,
// public resolvers, reserved ranges) mark a value known-good. Shared-
// infrastructure lists (cloud and CDN ranges, dynamic DNS, link shorteners,
// link-in-bio pages, IPFS gateways, parking, disposable mail, VPNs) are
// warnings only: scams are hosted there too, so a hit is reported but the
// value stays an indicator.
//
// Hosts match at the level of the registrable domain or below: a list entry
// "google.com" covers "mail.google.com", but "blogspot.com" does not cover
// "scam.blogspot.com", a site of its own under a public suffix. A link is
// known-good only when its host is and it has no path: a form on
// docs.google.com is the scammer's, not Google's.
package warninglist

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"vigil/internal/indicator"
)

// List describes one loaded list.
type List struct {
	Name        string
	Description string
	Type        string // string, hostname, substring, cidr, regex
	Benign      bool   // a hit means known-good, not just a warning
	Entries     int
}

// Hit is a value found on a list.
type Hit struct {
	List   *List
	Benign bool
}

// Set holds loaded lists, indexed for lookups. The zero value is empty and
// usable. A Set is safe for concurrent reads once loading is done.
type Set struct {
	lists   []*List
	hosts   map[string]lists // hostname entries and ".name" strings: the name and the names under it
	exact   map[string]lists // string entries: exact values (lower case)
	subs    []subEntry       // substring entries
	nets    map[int]map[netip.Prefix]lists
	netBits []int // prefix lengths present, longest first
	phones  []reEntry
	emails  []reEntry
}

// lists are the first benign and the first infrastructure list naming a
// value.
type lists struct{ benign, infra *List }

func (ls *lists) add(l *List) {
	switch {
	case l.Benign && ls.benign == nil:
		ls.benign = l
	case !l.Benign && ls.infra == nil:
		ls.infra = l
	}
}

type subEntry struct {
	text string
	list *List
}

type reEntry struct {
	re   *regexp.Regexp
	list *List
}

// infrastructure names lists whose hits are warnings, not known-good.
var infrastructure = map[string]bool{
	"akamai": true, "amazon-aws": true, "bunny-net": true, "cloudflare": true, "fastly": true, "github": true,
	"google-gcp": true, "microsoft-azure": true, "microsoft-azure-china": true, "microsoft-azure-germany": true,
	"microsoft-azure-us-gov": true, "oracle-oci": true, "ovh-cluster": true, "stackpath": true, "zscaler": true,
	"dynamic-dns": true, "link-in-bio": true, "url-shortener": true, "public-ipfs-gateways": true,
	"parking-domain": true, "parking-domain-ns": true, "disposable-email": true, "vpn-ipv4": true, "vpn-ipv6": true,
	"icloud-private-relay": true, "smtp-sending-ips": true, "smtp-receiving-ips": true, "second-level-tlds": true,
	"tlds": true, "palo-alto-networks-cortex-cloud": true, "lots-project": true, "automated-malware-analysis": true,
}

// ErrFormat reports a list file that is not a MISP warninglist.
var ErrFormat = errors.New("not a warninglist")

// Lists returns the lists loaded, by name.
func (s *Set) Lists() []*List { return s.lists }

// Load reads a MISP warninglists checkout (the directory holding lists/, or
// lists/ itself) or an eth-phishing-detect config.json, whichever path is.
func (s *Set) Load(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("warninglist: %w", err)
	}
	if !st.IsDir() {
		return s.LoadEthPhishingDetect(path)
	}
	if sub := filepath.Join(path, "lists"); isDir(sub) {
		path = sub
	}
	files, err := filepath.Glob(filepath.Join(path, "*", "list.json"))
	if err != nil {
		return fmt.Errorf("warninglist: %w", err)
	}
	if len(files) == 0 {
		return fmt.Errorf("warninglist: %s holds no */list.json: %w", path, ErrFormat)
	}
	sort.Strings(files)
	for _, f := range files {
		if err := s.LoadMISPFile(f); err != nil {
			return err
		}
	}
	return nil
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// LoadMISPFile reads one MISP list.json.
func (s *Set) LoadMISPFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("warninglist: %w", err)
	}
	var doc struct {
		Name        string   `json:"name"`
		Description string   `json:"description"`
		Type        string   `json:"type"`
		List        []string `json:"list"`
		Attributes  []string `json:"matching_attributes"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || doc.Type == "" {
		return fmt.Errorf("warninglist: %s: %w", path, ErrFormat)
	}
	name := filepath.Base(filepath.Dir(path))
	l := &List{Name: name, Description: doc.Name, Type: doc.Type, Benign: !infrastructure[name], Entries: len(doc.List)}
	attrs := strings.Join(doc.Attributes, " ")
	s.lists = append(s.lists, l)
	for _, v := range doc.List {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		switch doc.Type {
		case "hostname":
			s.addHost(strings.TrimPrefix(strings.ToLower(v), "."), l)
		case "string":
			s.addString(strings.ToLower(v), l)
		case "substring":
			s.subs = append(s.subs, subEntry{strings.ToLower(v), l})
		case "cidr":
			s.addNet(v, l)
		case "regex":
			re, err := compileMISPRegex(v)
			if err != nil {
				continue // a PCRE feature RE2 lacks: skip the entry
			}
			switch {
			case strings.Contains(attrs, "phone-number"):
				s.phones = append(s.phones, reEntry{re, l})
			case strings.Contains(attrs, "email"):
				s.emails = append(s.emails, reEntry{re, l})
			}
		}
	}
	return nil
}

// LoadEthPhishingDetect reads MetaMask's config.json and adds its
// allow-list ("whitelist") as a benign hostname list.
func (s *Set) LoadEthPhishingDetect(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("warninglist: %w", err)
	}
	var doc struct {
		Whitelist []string `json:"whitelist"`
		Blacklist []string `json:"blacklist"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || doc.Whitelist == nil {
		return fmt.Errorf("warninglist: %s: %w", path, ErrFormat)
	}
	l := &List{Name: "eth-phishing-detect-allowlist", Description: "MetaMask eth-phishing-detect allow-list", Type: "hostname", Benign: true, Entries: len(doc.Whitelist)}
	s.lists = append(s.lists, l)
	for _, h := range doc.Whitelist {
		s.addHost(strings.ToLower(strings.TrimSpace(h)), l)
	}
	return nil
}

func keep(m map[string]lists, v string, l *List) {
	ls := m[v]
	ls.add(l)
	m[v] = ls
}

// hostKey writes a host name as the extractor does: lower case, punycode.
func hostKey(h string) string {
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	for i := 0; i < len(h); i++ {
		if h[i] >= 0x80 {
			if d, err := indicator.ParseDomain(h); err == nil {
				return d.Value
			}
			return h
		}
	}
	return h
}

func (s *Set) addHost(h string, l *List) {
	if s.hosts == nil {
		s.hosts = map[string]lists{}
	}
	keep(s.hosts, hostKey(h), l)
}

// addString indexes a string entry: exact, or, written with a leading dot
// (".google.com"), the name and every name under it.
func (s *Set) addString(v string, l *List) {
	if s.exact == nil {
		s.exact = map[string]lists{}
	}
	if strings.HasPrefix(v, ".") {
		s.addHost(v[1:], l)
		return
	}
	keep(s.exact, hostKey(v), l)
}

func (s *Set) addNet(v string, l *List) {
	p, err := netip.ParsePrefix(v)
	if err != nil {
		a, aerr := netip.ParseAddr(v)
		if aerr != nil {
			return
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	p = p.Masked()
	bits := p.Bits()
	if !p.Addr().Is4() {
		bits += 1000 // keep IPv6 lengths apart from IPv4 ones
	}
	if s.nets == nil {
		s.nets = map[int]map[netip.Prefix]lists{}
	}
	m := s.nets[bits]
	if m == nil {
		m = map[netip.Prefix]lists{}
		s.nets[bits] = m
		s.netBits = append(s.netBits, bits)
		sort.Sort(sort.Reverse(sort.IntSlice(s.netBits)))
	}
	ls := m[p]
	ls.add(l)
	m[p] = ls
}

// compileMISPRegex turns "/pattern/flags" into an anchored RE2 expression.
func compileMISPRegex(v string) (*regexp.Regexp, error) {
	flags := ""
	if strings.HasPrefix(v, "/") {
		end := strings.LastIndexByte(v, '/')
		if end > 0 {
			flags = v[end+1:]
			v = v[1:end]
		}
	}
	prefix := ""
	if strings.Contains(flags, "i") {
		prefix = "(?i)"
	}
	return regexp.Compile(prefix + "^(?:" + v + ")$")
}

// Check looks a canonical indicator value up.
func (s *Set) Check(kind indicator.Kind, value string) (Hit, bool) {
	switch kind {
	case indicator.Domain:
		return s.host(value)
	case indicator.URL:
		host, path := urlHostPath(value)
		if path == "" || path == "/" {
			if hit, ok := s.host(host); ok {
				return hit, true
			}
		} else if hh := s.lookupHost(host); hh.infra != nil || hh.exact != nil || hh.parent != nil {
			// A page on a known host is someone's content (a form on
			// docs.google.com, a short link): a warning only, naming the
			// infrastructure list when there is one.
			l := hh.infra
			if l == nil {
				l = hh.exact
			}
			if l == nil {
				l = hh.parent
			}
			return Hit{l, false}, true
		}
		if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
			return s.ip(a)
		}
	case indicator.IP:
		if a, err := netip.ParseAddr(value); err == nil {
			return s.ip(a)
		}
	case indicator.Email:
		for _, e := range s.emails {
			if e.re.MatchString(value) {
				return Hit{e.list, e.list.Benign}, true
			}
		}
		_, domain, _ := strings.Cut(value, "@")
		for _, sub := range s.subs {
			if sub.list.Name == "disposable-email" && (domain == sub.text || strings.HasSuffix(domain, "."+sub.text)) {
				return Hit{sub.list, false}, true
			}
		}
	case indicator.Phone:
		for _, e := range s.phones {
			if e.re.MatchString(value) {
				return Hit{e.list, true}, true
			}
		}
	}
	return Hit{}, false
}

// hostHits are the lists a host name is on.
type hostHits struct {
	exact  *List // a benign list naming this very host
	infra  *List // a shared-infrastructure list naming it or a parent
	parent *List // a benign list naming a parent at or below its registrable domain
}

// hosts looks a host name up: exact string entries, hostname entries for
// the host or a parent at or below its registrable domain (so
// "blogspot.com" does not cover "scam.blogspot.com"), substring entries.
func (s *Set) lookupHost(h string) hostHits {
	var hh hostHits
	note := func(l *List, exact bool) {
		switch {
		case !l.Benign:
			if hh.infra == nil {
				hh.infra = l
			}
		case exact:
			if hh.exact == nil {
				hh.exact = l
			}
		case hh.parent == nil:
			hh.parent = l
		}
	}
	noteAll := func(ls lists, exact, belowSite bool) {
		if ls.benign != nil && belowSite {
			note(ls.benign, exact)
		}
		if ls.infra != nil {
			note(ls.infra, exact)
		}
	}
	if ls, ok := s.exact[h]; ok {
		noteAll(ls, true, true)
	}
	site := h
	if d, err := indicator.ParseDomain(h); err == nil {
		site = d.Site
	}
	// Benign entries count at or below the registrable domain; shared
	// infrastructure at any level (duckdns.org is a public suffix, yet
	// evil.duckdns.org is dynamic DNS).
	below := true
	for cur := h; ; {
		if ls, ok := s.hosts[cur]; ok {
			noteAll(ls, cur == h, below)
		}
		if cur == site {
			below = false
		}
		i := strings.IndexByte(cur, '.')
		if i < 0 {
			break
		}
		cur = cur[i+1:]
	}
	for _, sub := range s.subs {
		if sub.list.Name != "disposable-email" && strings.Contains(h, sub.text) {
			note(sub.list, false)
		}
	}
	return hh
}

// host decides for a bare host name: named on a benign list itself, it is
// known-good (bit.ly the service is no scam, though it is a shortener);
// under a shared-infrastructure name it is a warning (evil.duckdns.org);
// under a benign site, known-good (mail.google.com).
func (s *Set) host(h string) (Hit, bool) {
	hh := s.lookupHost(h)
	switch {
	case hh.exact != nil:
		return Hit{hh.exact, true}, true
	case hh.infra != nil:
		return Hit{hh.infra, false}, true
	case hh.parent != nil:
		return Hit{hh.parent, true}, true
	}
	return Hit{}, false
}

func (s *Set) ip(a netip.Addr) (Hit, bool) {
	a = a.Unmap()
	for _, bits := range s.netBits {
		b, v6 := bits, bits >= 1000
		if v6 {
			b -= 1000
		}
		if v6 == a.Is4() {
			continue
		}
		p, err := a.Prefix(b)
		if err != nil {
			continue
		}
		if ls, ok := s.nets[bits][p]; ok {
			// The most specific range decides; at one range a benign list
			// (a public resolver, a sinkhole) beats a hosting range.
			if ls.benign != nil {
				return Hit{ls.benign, true}, true
			}
			return Hit{ls.infra, false}, true
		}
	}
	return Hit{}, false
}

func urlHostPath(u string) (string, string) {
	_, rest, ok := strings.Cut(u, "://")
	if !ok {
		rest = u
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		return hostOnly(rest), ""
	}
	return hostOnly(rest[:end]), rest[end:]
}

func hostOnly(hostport string) string {
	if strings.HasPrefix(hostport, "[") {
		if i := strings.IndexByte(hostport, ']'); i > 0 {
			return hostport[:i+1]
		}
	}
	if i := strings.LastIndexByte(hostport, ':'); i > 0 {
		return hostport[:i]
	}
	return hostport
}

// KnownGood adapts a Set for the extractor: benign hits are known-good,
// infrastructure hits are reported as warnings.
func (s *Set) KnownGood(kind indicator.Kind, value string) (string, bool, bool) {
	hit, ok := s.Check(kind, value)
	if !ok {
		return "", false, false
	}
	return "MISP warninglist " + hit.List.Name + ": " + hit.List.Description, hit.Benign, true
}

// Infrastructure reports whether the MISP list called name is a shared-
// infrastructure list: its hits are warnings, not known-good.
func Infrastructure(name string) bool { return infrastructure[name] }
