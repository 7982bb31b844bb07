package indicator

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// metadataPatterns returns every digit pattern of libphonenumber's
// metadata the automaton is asked to run: each region's and non-geographic
// entity's national-number patterns (general and per type) and leading
// digits, with an example number for each where the metadata has one.
func metadataPatterns(t testing.TB) map[string][]string {
	phoneMetaOnce.Do(loadPhoneMeta)
	out := map[string][]string{}
	addDesc := func(d *phonenumbers.PhoneNumberDesc) {
		if d == nil || d.GetNationalNumberPattern() == "" {
			return
		}
		out[d.GetNationalNumberPattern()] = append(out[d.GetNationalNumberPattern()], d.GetExampleNumber())
	}
	var metas []*phonenumbers.PhoneMetadata
	for _, m := range metaByRegion {
		metas = append(metas, m)
	}
	for _, m := range metaNonGeo {
		metas = append(metas, m)
	}
	if len(metas) < 200 {
		t.Fatalf("only %d regions of metadata", len(metas))
	}
	for _, m := range metas {
		for _, d := range []*phonenumbers.PhoneNumberDesc{m.GetGeneralDesc(), m.GetFixedLine(), m.GetMobile(),
			m.GetTollFree(), m.GetPremiumRate(), m.GetSharedCost(), m.GetPersonalNumber(), m.GetVoip(),
			m.GetPager(), m.GetUan(), m.GetVoicemail()} {
			addDesc(d)
		}
		if ld := m.GetLeadingDigits(); ld != "" {
			out[ld] = append(out[ld], "")
		}
	}
	return out
}

// TestDigitDFAMatchesRegexp holds every pattern's automaton to regexp's
// answers, whole and as a prefix, on the metadata's example numbers, every
// prefix of each and each with one digit changed, added or dropped, and
// random digit strings of every length a national number has.
func TestDigitDFAMatchesRegexp(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	patterns := metadataPatterns(t)
	built, compared, matched := 0, 0, 0
	for source, examples := range patterns {
		p := newDigitPattern(source)
		if p.dfa == nil {
			t.Errorf("pattern %q: no automaton (it would fall back to regexp)", source)
			continue
		}
		built++
		full, start := compiled("^(?:"+source+")$"), compiled("^(?:"+source+")")
		var inputs []string
		for _, ex := range examples {
			for i := 0; i <= len(ex); i++ {
				inputs = append(inputs, ex[:i])
			}
			for range 20 {
				b := []byte(ex)
				d := byte('0' + rng.IntN(10))
				switch i := rng.IntN(len(b) + 1); rng.IntN(3) {
				case 0:
					if i < len(b) {
						b[i] = d
					}
				case 1:
					b = slices.Insert(b, i, d)
				case 2:
					if i < len(b) {
						b = slices.Delete(b, i, i+1)
					}
				}
				inputs = append(inputs, string(b))
			}
		}
		for n := range 18 {
			for range 20 {
				var b strings.Builder
				for range n {
					b.WriteByte(byte('0' + rng.IntN(10)))
				}
				inputs = append(inputs, b.String())
			}
		}
		for _, s := range inputs {
			want := full.MatchString(s)
			if got := p.Matches(s); got != want {
				t.Errorf("pattern %q, %q: automaton %v, regexp %v", source, s, got, want)
			}
			if got, want := p.MatchesStart(s), start.MatchString(s); got != want {
				t.Errorf("pattern %q, prefix of %q: automaton %v, regexp %v", source, s, got, want)
			}
			compared++
			if want {
				matched++
			}
		}
	}
	// The comparison must have met both answers often, or it shows little.
	if built < 1000 || matched < compared/50 {
		t.Fatalf("built %d automata, compared %d strings, %d matched in full: too few to tell", built, compared, matched)
	}
	t.Logf("%d patterns, %d strings compared, %d full matches", built, compared, matched)
}

// TestDigitPatternOtherBytes leaves strings holding more than digits to
// regexp, and patterns with assertions too.
func TestDigitPatternOtherBytes(t *testing.T) {
	p := newDigitPattern(`1\d{2}`)
	if p.dfa == nil {
		t.Fatal("no automaton for 1\\d{2}")
	}
	for s, want := range map[string]bool{"123": true, "12": false, "1234": false, "1a3": false, "": false, "１23": false} {
		if got := p.Matches(s); got != want {
			t.Errorf("matches(%q) = %v, want %v", s, got, want)
		}
	}
	if !p.MatchesStart("1234") || p.MatchesStart("12") || p.MatchesStart("x123") {
		t.Error("matchesStart wrong")
	}
	if newDigitDFA(`^1\d`) != nil || newDigitDFA(`1\b`) != nil {
		t.Error("a pattern with an assertion got an automaton")
	}
	if q := newDigitPattern(`^1\d`); !q.Matches("12") || q.Matches("1") {
		t.Error("a pattern without automaton is not matched by regexp")
	}
	if newDigitDFA(`(`) != nil {
		t.Error("a malformed pattern got an automaton")
	}
	// Both match the empty string alike.
	if e := newDigitPattern(`\d*`); !e.Matches("") || !e.MatchesStart("") || !e.MatchesStart("x") {
		t.Error("empty matches wrong")
	}
}

// FuzzDigitPattern holds the automata to regexp on any input, digits or
// not, for any pattern of the metadata.
func FuzzDigitPattern(f *testing.F) {
	var sources []string
	for source := range metadataPatterns(f) {
		sources = append(sources, source)
	}
	slices.Sort(sources)
	f.Add(uint16(0), "2025550123")
	f.Add(uint16(17), "")
	f.Add(uint16(400), "13812345678")
	f.Add(uint16(900), "0１2x")
	f.Fuzz(func(t *testing.T, i uint16, s string) {
		source := sources[int(i)%len(sources)]
		p := PatternOf(source)
		if got, want := p.Matches(s), compiled("^(?:"+source+")$").MatchString(s); got != want {
			t.Errorf("pattern %q, %q: Matches %v, regexp %v", source, s, got, want)
		}
		if got, want := p.MatchesStart(s), compiled("^(?:"+source+")").MatchString(s); got != want {
			t.Errorf("pattern %q, prefix of %q: MatchesStart %v, regexp %v", source, s, got, want)
		}
	})
}
