package screen

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"vigil/internal/phrase"
)

// table is the signal table compiled into one phrase set, so a text is
// read once whatever the number of phrases.
type table struct {
	set     *phrase.Set
	entries []entry // by phrase ID
	cue     map[string]int32
	// The roles of the cue groups the code reads.
	recruit, highPay, salary, callback int32
}

// entry is what one phrase means: the signals and cue groups it belongs to
// ("月薪" is a recruitment word and a salary word), and its language.
type entry struct {
	roles []int32 // >= 0: an index in defs; < 0: cue group -1-role
	lang  string
}

// The cue groups the code reads by name.
const (
	cueRecruit      = "recruit"
	cueHighPay      = "high-pay"
	cueSalary       = "salary"
	cueCallback     = "callback"
	maxPerSignal    = 4 // occurrences of one signal reported, in a long text
	repeatDecay     = 0.3
	warningID       = "anti-fraud-warning"
	jobPrimaryShare = 0.5 // a signal mostly of type job makes a text a job ad
)

var (
	tableOnce sync.Once
	compiled  *table
)

// load compiles the table on first use: it takes a few milliseconds and
// most programs that import screen screen something.
func load() *table {
	tableOnce.Do(func() { compiled = build(defs, cues) })
	return compiled
}

func build(defs []Def, cues map[string]map[string][]string) *table {
	t := &table{cue: map[string]int32{}}
	byText := map[string]int{}
	var phrases []string
	var ids []int
	add := func(p, lang string, role int32) {
		k := strings.Map(unicode.ToLower, p) // as phrase.New folds it
		i, ok := byText[k]
		if !ok {
			i = len(t.entries)
			byText[k] = i
			t.entries = append(t.entries, entry{lang: lang})
			phrases, ids = append(phrases, p), append(ids, i)
		}
		if e := &t.entries[i]; !slices.Contains(e.roles, role) {
			e.roles = append(e.roles, role)
		}
	}
	addLang := func(lang string, ps []string, role int32) {
		for _, p := range ps {
			switch lang {
			case "zh-Hans":
				if h := hant(p); h != p {
					add(p, "zh-Hans", role)
					add(h, "zh-Hant", role)
				} else {
					add(p, "zh", role) // written the same in both
				}
			case "vi":
				add(p, lang, role)
				if u := unaccented(p); u != p {
					add(u, lang, role)
				}
			default:
				add(p, lang, role)
			}
		}
	}
	// Map iteration order would make a phrase's language vary between
	// runs when two languages share it ("refund"): go in a fixed order.
	langs := []string{"zh-Hans", "en", "id", "th", "vi"}
	for i, d := range defs {
		for _, l := range langs {
			addLang(l, d.Phrases[l], int32(i))
		}
	}
	names := make([]string, 0, len(cues))
	for name := range cues {
		names = append(names, name)
	}
	slices.Sort(names)
	for i, name := range names {
		role := int32(-1 - i)
		t.cue[name] = role
		for _, l := range langs {
			addLang(l, cues[name][l], role)
		}
	}
	for _, d := range defs {
		for _, c := range d.Pair {
			if _, ok := t.cue[c]; c != "" && !ok {
				panic("screen: signal " + d.ID + " pairs unknown cue group " + c) // a table defect, caught by tests
			}
		}
	}
	t.recruit, t.highPay, t.salary, t.callback = t.cue[cueRecruit], t.cue[cueHighPay], t.cue[cueSalary], t.cue[cueCallback]
	t.set = phrase.New(phrases, ids)
	return t
}

// hit is one phrase found, in one of its roles.
type hit struct {
	start, end int
	role       int32
	lang       string
}

// scan finds every phrase of the table in text, in one pass.
func (t *table) scan(text string, hits []hit) []hit {
	t.set.Find(text, func(m phrase.Match) {
		e := &t.entries[m.ID]
		for _, r := range e.roles {
			hits = append(hits, hit{m.Start, m.End, r, e.lang})
		}
	})
	return hits
}

// highAmount reports whether a salary word ending at i is followed by a
// monthly pay far above what unskilled work pays, and where the amount
// ends. Thresholds: 15,000 (yuan) in Chinese, 2,000 (dollars) a month in
// English; other languages rely on their "high pay" words.
func highAmount(text string, i int, lang string) (int, bool) {
	j := i
	for j < len(text) && j-i < 12 {
		r, size := utf8.DecodeRuneInString(text[j:])
		if !strings.ContainsRune(" :：$¥￥为是达約约", r) {
			break
		}
		j += size
	}
	v, n := 0.0, 0
	frac := 0.0
	for ; j < len(text) && n < 12; j++ {
		c := text[j]
		switch {
		case c >= '0' && c <= '9':
			if frac > 0 {
				v += float64(c-'0') * frac
				frac /= 10
			} else {
				v = v*10 + float64(c-'0')
			}
			n++
			continue
		case c == ',' && frac == 0 && n > 0:
			continue
		case c == '.' && frac == 0 && n > 0:
			frac = 0.1
			continue
		}
		break
	}
	if n == 0 {
		return 0, false
	}
	switch rest := text[j:]; {
	case strings.HasPrefix(rest, "万"):
		v, j = v*10000, j+len("万")
	case strings.HasPrefix(rest, "千"):
		v, j = v*1000, j+len("千")
	case len(rest) > 0 && (rest[0] == 'w' || rest[0] == 'W'):
		v, j = v*10000, j+1
	case len(rest) > 0 && (rest[0] == 'k' || rest[0] == 'K'):
		v, j = v*1000, j+1
	}
	if strings.HasPrefix(lang, "zh") {
		return j, v >= 15000
	}
	if lang == "en" {
		after := strings.ToLower(text[j:min(len(text), j+24)])
		return j, v >= 2000 && v < 100000 && strings.Contains(after, "month")
	}
	return j, false
}
