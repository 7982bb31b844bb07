package report

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"vigil/internal/extract"
	"vigil/internal/indicator"
)

// Resolve fills r.Indicators with canonical links: the indicators the
// reporter named (each read as written, kept with its role) and those the
// extractor finds in the narrative (with a role from the words around
// them). A named value that is not a recognisable indicator is a field
// error; a value both named and found keeps the reporter's role. Places
// are not indicators: the gazetteer ids of those the narrative names go to
// r.Places.
func Resolve(x *extract.Extractor, r *Report) error {
	region := r.VictimCountry
	var fe []FieldError
	var links []Link
	seen := map[string]int{}
	add := func(l Link) {
		key := string(l.Kind) + "\x00" + l.Value
		if i, ok := seen[key]; ok {
			if links[i].Origin == "extracted" && l.Origin == "named" {
				links[i].Role, links[i].Origin = l.Role, l.Origin
			}
			return
		}
		seen[key] = len(links)
		links = append(links, l)
	}
	for i, n := range r.Indicators {
		m, err := Interpret(x, n.Value, n.Kind, region)
		if err != nil {
			fe = append(fe, FieldError{fmt.Sprintf("/indicators/%d/value", i), err.Error()})
			continue
		}
		role := n.Role
		if role == "" {
			role = roleFromHint(m[0].Hint)
		}
		add(Link{Kind: m[0].Kind, Value: m[0].Value, Raw: strings.TrimSpace(n.Value), Role: role, Origin: "named", KnownGood: knownGood(m[0])})
	}
	if len(fe) > 0 {
		return &ValidationError{fe}
	}
	var places []string
	if strings.TrimSpace(r.Narrative) != "" {
		for _, m := range x.Extract(r.Narrative).Matches {
			if m.Kind == indicator.Place {
				places = append(places, m.Value)
				continue
			}
			add(Link{Kind: m.Kind, Value: m.Value, Raw: m.Raw, Role: roleFromHint(m.Hint), Origin: "extracted", KnownGood: knownGood(m)})
		}
	}
	r.Indicators = links
	slices.Sort(places)
	r.Places = slices.Compact(places)
	return nil
}

func knownGood(m extract.Match) string {
	if !m.KnownGood {
		return ""
	}
	if m.Note != "" {
		return m.Note
	}
	return "known-good"
}

func roleFromHint(h extract.Hint) string {
	switch h {
	case extract.HintContact:
		return RoleScammerContact
	case extract.HintPayment:
		return RolePayment
	case extract.HintRecruiter:
		return RoleRecruiter
	case extract.HintRansom:
		return RoleRansomIntermediary
	}
	return RoleMentioned
}

// Interpret reads one value as a person writes it ("+86 138-0013-8000",
// "hxxps://evil[.]com", "TBhCf...", "@scam_desk", "wechat: abc_123") and
// returns its readings, best first. With kind set, only that kind is
// tried. region reads national phone numbers; empty means guess. A value
// with no reading is an error that says so.
func Interpret(x *extract.Extractor, s string, kind indicator.Kind, region string) ([]extract.Match, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("is empty")
	}
	if len(s) > 2048 {
		return nil, fmt.Errorf("is longer than 2048 bytes")
	}
	if kind != "" {
		v, err := indicator.Canonical(kind, s, region)
		if err != nil {
			return nil, fmt.Errorf("is not a valid %s: %v", kind, err)
		}
		return []extract.Match{{Kind: kind, Value: v, Raw: s, End: len(s), Confidence: 1}}, nil
	}
	var out []extract.Match
	seen := map[string]bool{}
	keep := func(m extract.Match) {
		k := string(m.Kind) + "\x00" + m.Value
		if !seen[k] && m.Kind != indicator.Place {
			seen[k] = true
			out = append(out, m)
		}
	}
	// The extractor's readings that cover the value, longest first.
	var best []extract.Match
	for _, m := range x.Extract(s).Matches {
		if covers(s, m.Start, m.End) {
			best = append(best, m)
		}
	}
	for _, m := range best {
		keep(m)
	}
	// A bare token the extractor had no context for: a handle, a QQ
	// number, a phone number written nationally.
	bare := strings.TrimPrefix(s, "@")
	if d := strings.Map(dropSeparator, bare); d != bare && allDigits(d) {
		bare = d
	}
	if strings.HasPrefix(s, "@") {
		if v, err := indicator.ParseTelegram(bare); err == nil {
			keep(extract.Match{Kind: indicator.Telegram, Value: v, Raw: s, End: len(s), Confidence: 0.7})
		}
	}
	if allDigits(bare) {
		if v, err := indicator.Canonical(indicator.Phone, bare, region); err == nil {
			keep(extract.Match{Kind: indicator.Phone, Value: v, Raw: s, End: len(s), Confidence: 0.6})
		}
		if v, err := indicator.ParseQQ(bare); err == nil {
			keep(extract.Match{Kind: indicator.QQ, Value: v, Raw: s, End: len(s), Confidence: 0.5})
		}
	} else if v, err := indicator.ParseWeChat(bare); err == nil {
		keep(extract.Match{Kind: indicator.WeChat, Value: v, Raw: s, End: len(s), Confidence: 0.5})
		if v, err := indicator.ParseTelegram(bare); err == nil && !strings.HasPrefix(s, "@") {
			keep(extract.Match{Kind: indicator.Telegram, Value: v, Raw: s, End: len(s), Confidence: 0.4})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("is not a phone number, link, domain, email, IP, wallet, IBAN, card, bank account or messaging account Vigil can read; name its kind")
	}
	return out, nil
}

// covers reports whether [start, end) covers all of s but for labels and
// punctuation around it ("WeChat: abc_123" is covered by "abc_123").
func covers(s string, start, end int) bool {
	outside := s[:start] + " " + s[end:]
	n := 0
	for _, r := range outside {
		if unicode.IsDigit(r) {
			return false
		}
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n <= 12
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// dropSeparator drops what people put between digits: spaces, dashes,
// dots, brackets.
func dropSeparator(r rune) rune {
	switch r {
	case ' ', '-', '.', '(', ')', '\u00a0':
		return -1
	}
	return r
}
