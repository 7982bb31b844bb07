// Package place is Vigil's gazetteer of scam-compound areas: compounds,
// special economic zones, hub towns and border crossings in South-east Asia,
// each with the names it is known by in every script (KK Park, KK园区;
// Myawaddy, 妙瓦底, မြဝတီ, เมียวดี). It finds their mentions in text.
//
// The built-in table (gazetteer.tsv) was seeded from
// ../shared/data/places and extended from public reporting; SOURCES.md says
// how. Coordinates are approximate centres with an honest radius.
package place

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"vigil/internal/phrase"
)

// Place is a gazetteer entry.
type Place struct {
	ID          string  `json:"id"` // "mm-kk-park"
	Name        string  `json:"name"`
	Kind        string  `json:"kind"`    // compound, sez, town, region, crossing, casino
	Country     string  `json:"country"` // ISO 3166-1 alpha-2
	Admin       string  `json:"admin,omitempty"`
	Lat         float64 `json:"lat"`
	Lon         float64 `json:"lon"`
	Uncertainty int     `json:"uncertainty_m"`
	Evidence    string  `json:"evidence"` // corroborated, circumstantial, speculative
	Aliases     []Alias `json:"aliases"`
	Sources     string  `json:"sources,omitempty"`
}

// Alias is one name of a place.
type Alias struct {
	Text string `json:"text"`
	Lang string `json:"lang"` // en, zh, zh-Hant, my, th, km, lo, vi, ...
	// Ambiguous marks a name with an everyday meaning too (老街 is also "old
	// street" and Lao Cai in Vietnam): it counts only with supporting
	// context.
	Ambiguous bool `json:"ambiguous,omitempty"`
}

// Gazetteer is a set of places that can find their names in text.
type Gazetteer struct {
	places  []Place
	byID    map[string]int
	names   *phrase.Set
	aliases []aliasRef // indexed by phrase ID
}

type aliasRef struct {
	place int
	alias int
}

// Mention is a place name found in text.
type Mention struct {
	Start, End int
	Place      *Place
	Alias      Alias
}

//go:embed gazetteer.tsv
var builtin string

var (
	defaultOnce sync.Once
	defaultGaz  *Gazetteer
)

// Default returns the built-in gazetteer.
func Default() *Gazetteer {
	defaultOnce.Do(func() {
		g, err := Parse(builtin)
		if err != nil {
			panic("place: built-in gazetteer: " + err.Error()) // a build defect, caught by tests
		}
		defaultGaz = g
	})
	return defaultGaz
}

// Parse reads a gazetteer table: tab-separated, a header line, then
// id, name, kind, country, admin, lat, lon, uncertainty_m, evidence,
// aliases ("text@lang;..." with a trailing "!" on ambiguous names), sources.
func Parse(tsv string) (*Gazetteer, error) {
	g := &Gazetteer{byID: map[string]int{}}
	var texts []string
	var ids []int
	for n, line := range strings.Split(tsv, "\n") {
		line = strings.TrimRight(line, "\r")
		if n == 0 || strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 11 {
			return nil, fmt.Errorf("line %d: %d columns, want 11", n+1, len(cols))
		}
		p := Place{ID: cols[0], Name: cols[1], Kind: cols[2], Country: cols[3], Admin: cols[4], Evidence: cols[8], Sources: cols[10]}
		var err error
		if p.Lat, err = strconv.ParseFloat(cols[5], 64); err != nil {
			return nil, fmt.Errorf("line %d: lat: %w", n+1, err)
		}
		if p.Lon, err = strconv.ParseFloat(cols[6], 64); err != nil {
			return nil, fmt.Errorf("line %d: lon: %w", n+1, err)
		}
		if p.Uncertainty, err = strconv.Atoi(cols[7]); err != nil {
			return nil, fmt.Errorf("line %d: uncertainty: %w", n+1, err)
		}
		if !(p.Lat >= -90 && p.Lat <= 90) || !(p.Lon >= -180 && p.Lon <= 180) || p.Uncertainty < 0 {
			return nil, fmt.Errorf("line %d: coordinates %v,%v ±%d m out of range", n+1, p.Lat, p.Lon, p.Uncertainty)
		}
		if _, dup := g.byID[p.ID]; dup || p.ID == "" {
			return nil, fmt.Errorf("line %d: duplicate or empty id %q", n+1, p.ID)
		}
		for _, a := range strings.Split(cols[9], ";") {
			a = strings.TrimSpace(a)
			if a == "" {
				continue
			}
			ambiguous := strings.HasSuffix(a, "!")
			a = strings.TrimSuffix(a, "!")
			at := strings.LastIndexByte(a, '@')
			if at < 1 || at == len(a)-1 {
				return nil, fmt.Errorf("line %d: alias %q is not text@lang", n+1, a)
			}
			p.Aliases = append(p.Aliases, Alias{Text: a[:at], Lang: a[at+1:], Ambiguous: ambiguous})
		}
		// The place's own name is an alias too.
		if !hasAlias(p.Aliases, p.Name) {
			p.Aliases = append(p.Aliases, Alias{Text: p.Name, Lang: "en"})
		}
		g.byID[p.ID] = len(g.places)
		for ai, a := range p.Aliases {
			texts = append(texts, a.Text)
			ids = append(ids, len(g.aliases))
			g.aliases = append(g.aliases, aliasRef{place: len(g.places), alias: ai})
		}
		g.places = append(g.places, p)
	}
	g.names = phrase.New(texts, ids)
	return g, nil
}

func hasAlias(as []Alias, text string) bool {
	for _, a := range as {
		if strings.EqualFold(a.Text, text) {
			return true
		}
	}
	return false
}

// Places returns every entry, in table order.
func (g *Gazetteer) Places() []Place { return g.places }

// ByID returns the place with the given ID.
func (g *Gazetteer) ByID(id string) (*Place, bool) {
	i, ok := g.byID[id]
	if !ok {
		return nil, false
	}
	return &g.places[i], true
}

// Name is one name of one place.
type Name struct {
	Place *Place
	Alias Alias
}

// Names lists every name of every place, for callers that match them
// together with phrases of their own.
func (g *Gazetteer) Names() []Name {
	out := make([]Name, len(g.aliases))
	for i, ref := range g.aliases {
		p := &g.places[ref.place]
		out[i] = Name{Place: p, Alias: p.Aliases[ref.alias]}
	}
	return out
}

// Find returns the place names mentioned in text, left to right.
func (g *Gazetteer) Find(text string) []Mention {
	var ms []Mention
	g.names.Find(text, func(m phrase.Match) {
		ref := g.aliases[m.ID]
		p := &g.places[ref.place]
		ms = append(ms, Mention{Start: m.Start, End: m.End, Place: p, Alias: p.Aliases[ref.alias]})
	})
	return ms
}
