package report

import (
	"fmt"
	"slices"
	"strings"

	"vigil/internal/extract"
	"vigil/internal/indicator"
	"vigil/internal/place"
)

// ResolveCase fills c.Indicators and c.Places: every value the case names
// (the subject's accounts, the recruiters, the senders of messages, the
// demands' intermediaries and payment accounts), read as written and kept
// with its role, and those the extractor finds in the lure and the
// messages; every gazetteer place named on the journey, as the place of
// recruitment, or in the texts. A named value that is not a recognisable
// indicator is a field error: a family must learn that the number they
// typed could not be read, not have it silently dropped.
func ResolveCase(x *extract.Extractor, g *place.Gazetteer, c *Case) error {
	region := ""
	if len(c.Subject.Nationality) > 0 {
		region = c.Subject.Nationality[0]
	}
	var fe []FieldError
	var links []Link
	seen := map[string]int{}
	add := func(l Link) {
		key := string(l.Kind) + "\x00" + l.Value
		if i, ok := seen[key]; ok {
			// The subject's own role wins: their account must never be
			// read as a scammer's because a message also named it.
			if l.Role == RoleSubject || (links[i].Origin == "extracted" && l.Origin == "named" && links[i].Role != RoleSubject) {
				links[i].Role, links[i].Origin = l.Role, l.Origin
			}
			return
		}
		seen[key] = len(links)
		links = append(links, l)
	}
	named := func(ptr, v, role string) {
		ms, err := Interpret(x, v, "", region)
		if err != nil {
			fe = append(fe, FieldError{ptr, err.Error()})
			return
		}
		m := ms[0]
		add(Link{Kind: m.Kind, Value: m.Value, Raw: strings.TrimSpace(v), Role: role, Origin: "named", KnownGood: knownGood(m)})
	}
	places := map[string]bool{}
	found := func(text, role string) {
		if strings.TrimSpace(text) == "" {
			return
		}
		for _, m := range x.Extract(text).Matches {
			if m.Kind == indicator.Place {
				places[m.Value] = true
				continue
			}
			r := roleFromHint(m.Hint)
			if r == RoleMentioned {
				r = role
			}
			add(Link{Kind: m.Kind, Value: m.Value, Raw: m.Raw, Role: r, Origin: "extracted", KnownGood: knownGood(m)})
		}
	}
	placeOf := func(s string) {
		s = strings.TrimSpace(s)
		if s == "" {
			return
		}
		if p, ok := g.ByID(s); ok {
			places[p.ID] = true
			return
		}
		for _, m := range g.Find(s) {
			places[m.Place.ID] = true
		}
	}

	for i, v := range c.Subject.Accounts {
		named(fmt.Sprintf("/subject/accounts/%d", i), v, RoleSubject)
	}
	for i, v := range c.Recruitment.Recruiters {
		named(fmt.Sprintf("/recruitment/recruiters/%d", i), v, RoleRecruiter)
	}
	for i, d := range c.Demands {
		for j, v := range d.Intermediaries {
			named(fmt.Sprintf("/demands/%d/intermediaries/%d", i, j), v, RoleRansomIntermediary)
		}
		for j, v := range d.Payment {
			named(fmt.Sprintf("/demands/%d/payment/%d", i, j), v, RolePayment)
		}
		found(d.Note, RoleMentioned)
	}
	for i, e := range c.ContactLog {
		if strings.TrimSpace(e.From) != "" {
			named(fmt.Sprintf("/contact_log/%d/from", i), e.From, e.FromRole)
		}
		found(e.Text, RoleMentioned)
	}
	found(c.Recruitment.Lure, RoleRecruiter)
	placeOf(c.Recruitment.Place)
	for _, st := range c.Journey {
		placeOf(st.Place)
		found(st.Note, RoleMentioned)
	}
	if len(fe) > 0 {
		return &ValidationError{fe}
	}
	// The victim's own contact role means nothing in a case: a family
	// names the subject's accounts as the subject's.
	for i := range links {
		if links[i].Role == RoleVictimContact {
			links[i].Role = RoleSubject
		}
	}
	c.Indicators = links
	c.Places = make([]string, 0, len(places))
	for p := range places {
		c.Places = append(c.Places, p)
	}
	slices.Sort(c.Places)
	return nil
}
