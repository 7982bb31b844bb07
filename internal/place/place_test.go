package place

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestDefaultParses(t *testing.T) {
	g, err := Parse(builtin)
	if err != nil {
		t.Fatalf("Parse(gazetteer.tsv): %v", err)
	}
	rows := 0
	for i, line := range strings.Split(builtin, "\n") {
		if i > 0 && strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "#") {
			rows++
		}
	}
	if len(g.Places()) != rows || rows < 40 {
		t.Fatalf("Parse(gazetteer.tsv) gave %d places from %d rows", len(g.Places()), rows)
	}
	if d := Default(); d == nil || len(d.Places()) != rows {
		t.Fatalf("Default() has %d places, want %d", len(d.Places()), rows)
	}
	if first, again := Default(), Default(); first != again {
		t.Error("Default() built the gazetteer twice")
	}
}

var (
	idRe      = regexp.MustCompile(`^[a-z]{2}-[a-z0-9]+(-[a-z0-9]+)*$`)
	kinds     = map[string]bool{"compound": true, "sez": true, "town": true, "region": true, "crossing": true, "casino": true}
	evidences = map[string]bool{"corroborated": true, "circumstantial": true, "speculative": true}
)

// TestDefaultEntries checks every built-in entry: a unique id that starts
// with its country, known kind and evidence, coordinates on the globe, and
// at least one alias, each with text and a language.
func TestDefaultEntries(t *testing.T) {
	g := Default()
	seen := map[string]bool{}
	for i, p := range g.Places() {
		if seen[p.ID] {
			t.Errorf("id %q used twice", p.ID)
		}
		seen[p.ID] = true
		if !idRe.MatchString(p.ID) || !strings.HasPrefix(p.ID, strings.ToLower(p.Country)+"-") {
			t.Errorf("%s: id is not country-name in lower case (country %q)", p.ID, p.Country)
		}
		if len(p.Country) != 2 || strings.ToUpper(p.Country) != p.Country {
			t.Errorf("%s: country %q is not ISO 3166-1 alpha-2", p.ID, p.Country)
		}
		if !kinds[p.Kind] {
			t.Errorf("%s: unknown kind %q", p.ID, p.Kind)
		}
		if !evidences[p.Evidence] {
			t.Errorf("%s: unknown evidence %q", p.ID, p.Evidence)
		}
		if p.Name == "" || p.Sources == "" {
			t.Errorf("%s: no name or no sources", p.ID)
		}
		if p.Lat < -90 || p.Lat > 90 || p.Lon < -180 || p.Lon > 180 || p.Uncertainty <= 0 {
			t.Errorf("%s: position %v,%v ±%dm is not on the globe", p.ID, p.Lat, p.Lon, p.Uncertainty)
		}
		if len(p.Aliases) == 0 {
			t.Errorf("%s: no aliases", p.ID)
		}
		if !hasAlias(p.Aliases, p.Name) {
			t.Errorf("%s: its name %q is not among its aliases", p.ID, p.Name)
		}
		for _, a := range p.Aliases {
			if a.Text == "" || a.Text != strings.TrimSpace(a.Text) || a.Lang == "" {
				t.Errorf("%s: alias %+v", p.ID, a)
			}
			if _, ok := templates[a.Lang]; !ok {
				t.Errorf("%s: alias %q has language %q, which TestFindEveryAlias has no sentence for", p.ID, a.Text, a.Lang)
			}
		}
		got, ok := g.ByID(p.ID)
		if !ok || got != &g.Places()[i] {
			t.Errorf("ByID(%q) = %v, %v; want entry %d", p.ID, got, ok, i)
		}
	}
	if p, ok := g.ByID("xx-nowhere"); ok || p != nil {
		t.Errorf("ByID(xx-nowhere) = %v, %v", p, ok)
	}
	if p, ok := g.ByID(""); ok || p != nil {
		t.Errorf(`ByID("") = %v, %v`, p, ok)
	}
}

// TestDefaultAliasesUnambiguous: no alias names two places, or Find would
// report whichever came first.
func TestDefaultAliasesUnambiguous(t *testing.T) {
	owner := map[string]string{}
	for _, p := range Default().Places() {
		for _, a := range p.Aliases {
			k := strings.ToLower(a.Text)
			if o, ok := owner[k]; ok && o != p.ID {
				t.Errorf("alias %q names both %s and %s", a.Text, o, p.ID)
			}
			owner[k] = p.ID
		}
	}
}

// templates put an alias inside a sentence of its own script. CJK, Thai,
// Burmese, Khmer and Lao are written without spaces between words, so the
// alias is glued to the words around it.
var templates = map[string]string{
	"en":      "Last year she was trafficked to %s and held there for months.",
	"vi":      "Năm ngoái anh ấy bị lừa sang %s để làm việc.",
	"zh":      "去年他被骗到%s工作了半年。",
	"zh-Hant": "去年他被騙到%s工作了半年。",
	"ja":      "昨年、彼は%sで働かされていた。",
	"th":      "ปีที่แล้วเขาถูกหลอกไปทำงานที่%sหลายเดือน",
	"my":      "မနှစ်ကသူ့ကို%sသို့ခေါ်သွားခဲ့သည်။",
	"km":      "កាលពីឆ្នាំមុនគាត់ត្រូវបានគេនាំទៅ%sដើម្បីធ្វើការ។",
	"lo":      "ປີກາຍນີ້ລາວຖືກຫຼອກໄປ%sເພື່ອເຮັດວຽກ.",
}

// found is a Mention reduced to what the tests compare.
type found struct {
	Start, End int
	ID         string
	Alias      string // lower case: case variants of one alias are one phrase
}

func findAll(g *Gazetteer, text string) []found {
	var fs []found
	for _, m := range g.Find(text) {
		fs = append(fs, found{m.Start, m.End, m.Place.ID, strings.ToLower(m.Alias.Text)})
	}
	return fs
}

func isLatin(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.Is(unicode.Latin, r)
}

// TestFindEveryAlias embeds every alias of every place in a sentence of its
// own script and checks that Find reports exactly that alias, there. Latin
// names are also looked for in Chinese text, which often quotes them.
func TestFindEveryAlias(t *testing.T) {
	g := Default()
	n := 0
	for _, p := range g.Places() {
		for _, a := range p.Aliases {
			tmpls := []string{templates[a.Lang]}
			if isLatin(a.Text) {
				tmpls = append(tmpls, templates["zh"], "%s", "(%s)")
			}
			for _, tmpl := range tmpls {
				if tmpl == "" {
					continue // reported by TestDefaultEntries
				}
				for _, text := range []string{a.Text, strings.ToUpper(a.Text)} {
					if text != a.Text && !isLatin(a.Text) {
						continue
					}
					n++
					sentence := fmt.Sprintf(tmpl, text)
					start := strings.Index(tmpl, "%s")
					want := []found{{start, start + len(text), p.ID, strings.ToLower(a.Text)}}
					if diff := cmp.Diff(want, findAll(g, sentence)); diff != "" {
						t.Errorf("%s alias %q (%s): Find(%q) mismatch (-want +got):\n%s", p.ID, a.Text, a.Lang, sentence, diff)
					}
				}
			}
		}
	}
	if n < 400 {
		t.Fatalf("only %d sentences tried", n)
	}
}

// TestFindLatinWholeWords: a Latin alias glued to letters is part of a
// longer word and is not a mention there.
func TestFindLatinWholeWords(t *testing.T) {
	g := Default()
	for _, p := range g.Places() {
		for _, a := range p.Aliases {
			if !isLatin(a.Text) {
				continue
			}
			for _, glue := range []string{"x", "é", "ж"} {
				// Glued before: no mention may start where the alias does.
				text := "the " + glue + a.Text + " area"
				for _, m := range g.Find(text) {
					if m.Start == len("the "+glue) {
						t.Errorf("Find(%q) = %q (%s) at %d: matched inside a word", text, text[m.Start:m.End], m.Place.ID, m.Start)
					}
				}
				// Glued after: no mention may end where the alias does.
				text = "the " + a.Text + glue + " area"
				for _, m := range g.Find(text) {
					if m.End == len("the "+a.Text) {
						t.Errorf("Find(%q) = %q (%s) at %d: matched inside a word", text, text[m.Start:m.End], m.Place.ID, m.Start)
					}
				}
			}
		}
	}
}

func TestFind(t *testing.T) {
	tests := []struct {
		text string
		want []string // place IDs, left to right
	}{
		{"We visited the museum in Yangon.", nil},
		{"She was amused by the offer.", nil},
		{"The Muses sang.", nil},
		{"Crossed at MUSE into Ruili.", []string{"mm-muse"}},
		{"muse", []string{"mm-muse"}},
		{"Bambang Sutrisno called.", nil},
		{"Bamban, Tarlac raid", []string{"ph-bamban"}},
		{"Poracle is not a place.", nil},
		{"Laukkaing and Laukkai", []string{"mm-laukkai", "mm-laukkai"}},
		{"Laukkaingx", nil},
		{"KK Parking lot", nil},
		{"KK Park.", []string{"mm-kk-park"}},
		{"kk park", []string{"mm-kk-park"}},
		{"KK-Park", []string{"mm-kk-park"}},
		{"Kokang SAZ fighting", []string{"mm-kokang"}},
		{"Kings Romansville", nil},
		{"Kings Romans Casino", []string{"la-kings-romans"}},
		{"Golden Triangle SEZ near the Golden Triangle", []string{"la-golden-triangle-sez", "la-golden-triangle"}},
		{"Lucky South 99 Outsourcing", []string{"ph-lucky-south-99"}},
		{"O’Smach Resort and O'Smach", []string{"kh-o-smach-resort", "kh-o-smach"}},
		{"Moved from Shwe Kokko to KK Park, then Sihanoukville.", []string{"mm-shwe-kokko", "mm-kk-park", "kh-sihanoukville"}},
		{"我在妙瓦底的KK园区被关了三个月，后来转到西港。", []string{"mm-myawaddy", "mm-kk-park", "kh-sihanoukville"}},
		{"被卖到缅北果敢自治区", []string{"mm-northern-myanmar", "mm-kokang"}},
		{"金三角经济特区和金三角", []string{"la-golden-triangle-sez", "la-golden-triangle"}},
		{"จากแม่สอดข้ามไปเมียวดี", []string{"th-mae-sot", "mm-myawaddy"}},
		{"ទៅប៉ោយប៉ែតហើយទៅបាវិត", []string{"kh-poipet", "kh-bavet"}},
		{"မြဝတီမှ မူဆယ်မြို့", []string{"mm-myawaddy", "mm-muse"}},
		{"Tôi ở Mộc Bài", []string{"kh-bavet"}},
		{"", nil},
	}
	g := Default()
	for _, tt := range tests {
		var got []string
		for _, m := range g.Find(tt.text) {
			got = append(got, m.Place.ID)
			if !strings.EqualFold(tt.text[m.Start:m.End], m.Alias.Text) {
				t.Errorf("Find(%q): span %q is not alias %q", tt.text, tt.text[m.Start:m.End], m.Alias.Text)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Find(%q) mismatch (-want +got):\n%s", tt.text, diff)
		}
	}
}

const header = "id\tname\tkind\tcountry\tadmin\tlat\tlon\tuncertainty_m\tevidence\taliases\tsources\n"

func row(cols ...string) string { return strings.Join(cols, "\t") + "\n" }

func TestParse(t *testing.T) {
	tsv := header +
		"# a comment line\n" +
		"\n" +
		row("mm-test", "Test Park", "compound", "MM", "Kayin", "16.5", "98.5", "3000", "corroborated",
			" Test Park@en ; 测试园区@zh;老街@zh!;a@b@en;;", "made up") +
		row("kh-other", "Other Town", "town", "KH", "", "-10.25", "103", "500", "speculative", "Otra@es", "") +
		"mm-crlf\tCRLF Place\tregion\tMM\t\t0\t0\t1\tcircumstantial\t\t\r\n"
	g, err := Parse(tsv)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []Place{
		{ID: "mm-test", Name: "Test Park", Kind: "compound", Country: "MM", Admin: "Kayin", Lat: 16.5, Lon: 98.5,
			Uncertainty: 3000, Evidence: "corroborated", Sources: "made up", Aliases: []Alias{
				{Text: "Test Park", Lang: "en"},
				{Text: "测试园区", Lang: "zh"},
				{Text: "老街", Lang: "zh", Ambiguous: true},
				{Text: "a@b", Lang: "en"},
			}},
		{ID: "kh-other", Name: "Other Town", Kind: "town", Country: "KH", Lat: -10.25, Lon: 103,
			Uncertainty: 500, Evidence: "speculative", Aliases: []Alias{
				{Text: "Otra", Lang: "es"},
				{Text: "Other Town", Lang: "en"}, // the name is always an alias
			}},
		{ID: "mm-crlf", Name: "CRLF Place", Kind: "region", Country: "MM", Uncertainty: 1, Evidence: "circumstantial",
			Aliases: []Alias{{Text: "CRLF Place", Lang: "en"}}},
	}
	if diff := cmp.Diff(want, g.Places()); diff != "" {
		t.Errorf("Parse mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"mm-test", "mm-test", "kh-other"}, ids(g.Find("老街 Test Park; other town"))); diff != "" {
		t.Errorf("Find on the parsed table mismatch (-want +got):\n%s", diff)
	}

	// A header alone is an empty gazetteer.
	empty, err := Parse(header)
	if err != nil || len(empty.Places()) != 0 || len(empty.Find("Test Park 老街")) != 0 {
		t.Errorf("Parse(header only) = %v, %v", empty, err)
	}
}

func ids(ms []Mention) []string {
	var s []string
	for _, m := range ms {
		s = append(s, m.Place.ID)
	}
	return s
}

func TestParseRejects(t *testing.T) {
	good := []string{"mm-test", "Test", "compound", "MM", "", "16.5", "98.5", "3000", "corroborated", "Test@en", "src"}
	with := func(i int, v string) string {
		cols := append([]string(nil), good...)
		cols[i] = v
		return row(cols...)
	}
	tests := []struct {
		name, tsv, wantLine string
	}{
		{"10 columns", header + row(good[:10]...), "line 2"},
		{"12 columns", header + row(append(good, "extra")...), "line 2"},
		{"spaces for tabs", header + strings.Join(good, " ") + "\n", "line 2"},
		{"lat not a number", header + with(5, "16,5"), "line 2"},
		{"lat empty", header + with(5, ""), "line 2"},
		{"lat with degree sign", header + with(5, "16.5°"), "line 2"},
		{"lon not a number", header + with(6, "east"), "line 2"},
		{"uncertainty not an integer", header + with(7, "1.5"), "line 2"},
		{"duplicate id", header + row(good...) + "\n" + row(good...), "line 4"},
		{"empty id", header + with(0, ""), "line 2"},
		{"alias without @lang", header + with(9, "KK Park"), "line 2"},
		{"second alias without @lang", header + with(9, "KK Park@en;KK园区"), "line 2"},
		{"alias of @lang only", header + with(9, "@en"), "line 2"},
		{"bad row after good rows", header + row(good...) + with(0, "kh-x")[:20] + "\n", "line 3"},
	}
	for _, tt := range tests {
		g, err := Parse(tt.tsv)
		if err == nil {
			t.Errorf("%s: Parse accepted %q: %d places", tt.name, tt.tsv, len(g.Places()))
			continue
		}
		if g != nil {
			t.Errorf("%s: Parse returned a gazetteer with its error", tt.name)
		}
		if !strings.Contains(err.Error(), tt.wantLine+":") {
			t.Errorf("%s: Parse error %q does not name %s", tt.name, err, tt.wantLine)
		}
	}
}

// TestParseRejectsBadValues: values that parse as numbers or text but are
// not a place's: a latitude off the globe, an alias with "@" but no
// language.
func TestParseRejectsBadValues(t *testing.T) {
	good := []string{"mm-test", "Test", "compound", "MM", "", "16.5", "98.5", "3000", "corroborated", "Test@en", "src"}
	with := func(i int, v string) string {
		cols := append([]string(nil), good...)
		cols[i] = v
		return header + row(cols...)
	}
	for _, tt := range []struct{ name, tsv string }{
		{"lat 200", with(5, "200")},
		{"lat -91", with(5, "-91")},
		{"lat NaN", with(5, "NaN")},
		{"lat Inf", with(5, "Inf")},
		{"lon 400", with(6, "400")},
		{"alias with empty lang", with(9, "Foo@")},
	} {
		if g, err := Parse(tt.tsv); err == nil {
			p := g.Places()[0]
			t.Errorf("%s: Parse accepted lat %v lon %v aliases %+v", tt.name, p.Lat, p.Lon, p.Aliases)
		}
	}
}
