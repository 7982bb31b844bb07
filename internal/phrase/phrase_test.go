package phrase

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// span is a Match with the text it covers, for readable diffs.
type span struct {
	Text string
	ID   int
}

func find(s *Set, text string) []span {
	var got []span
	s.Find(text, func(m Match) { got = append(got, span{text[m.Start:m.End], m.ID}) })
	return got
}

func newSet(phrases ...string) *Set {
	ids := make([]int, len(phrases))
	for i := range ids {
		ids[i] = i
	}
	return New(phrases, ids)
}

type findTest struct {
	text string
	want []span
}

func runFindTests(t *testing.T, s *Set, tests []findTest) {
	t.Helper()
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, find(s, tt.text)); diff != "" {
			t.Errorf("Find(%q) mismatch (-want +got):\n%s", tt.text, diff)
		}
	}
}

func TestFindLatinWholeWords(t *testing.T) {
	s := newSet("line", "WhatsApp", "wechat", "vx", "qq", "KK Park")
	runFindTests(t, s, []findTest{
		{"add me on LINE", []span{{"LINE", 0}}},
		{"Line: abc123", []span{{"Line", 0}}},
		{"(line)", []span{{"line", 0}}},
		{"line.", []span{{"line", 0}}},
		{"online", nil},
		{"lines", nil},
		{"linea", nil},
		{"underline me", nil},
		{"line_id", []span{{"line", 0}}}, // "_" is not a letter
		{"whatsapp", []span{{"whatsapp", 1}}},
		{"WHATSAPP+8613800138000", []span{{"WHATSAPP", 1}}},
		{"whatsappx", nil},
		{"xwhatsapp", nil},
		{"WeChat/QQ", []span{{"WeChat", 2}, {"QQ", 4}}},
		{"KK park", []span{{"KK park", 5}}},
		{"kk  park", nil}, // the space inside a phrase is literal
		{"KK Parks", nil},
		// Neighbouring letters of other spaced scripts block a match too.
		{"linée", nil},
		{"åline", nil},
		{"lineд", nil},
		{"дline", nil},
		{"λline", nil},
		// Letters of unspaced scripts are boundaries.
		{"加LINE好友", []span{{"LINE", 0}}},
		{"ไลน์line", []span{{"line", 0}}},
		{"", nil},
	})
}

func TestFindDigitsAreBoundaries(t *testing.T) {
	s := newSet("qq", "vx", "line")
	runFindTests(t, s, []findTest{
		{"QQ12345", []span{{"QQ", 0}}},
		{"12345qq", []span{{"qq", 0}}},
		{"qq号12345678", []span{{"qq", 0}}},
		{"VX:abc", []span{{"VX", 1}}},
		{"加vx123", []span{{"vx", 1}}},
		{"line1line2", []span{{"line", 2}, {"line", 2}}},
		{"QQQ", nil},
		{"qqq123", nil},
	})
}

func TestFindCJKAnywhere(t *testing.T) {
	s := newSet("微信", "微信号", "飞机", "ไลน์", "金三角", "金三角经济特区", "テレグラム")
	runFindTests(t, s, []findTest{
		{"加我微信号abc", []span{{"微信号", 1}}},
		{"加我微信abc", []span{{"微信", 0}}},
		{"微信微信", []span{{"微信", 0}, {"微信", 0}}},
		{"加飞机联系", []span{{"飞机", 2}}},
		{"薇信", nil},
		{"微", nil},
		{"แอดไลน์มา", []span{{"ไลน์", 3}}},
		{"在金三角经济特区工作", []span{{"金三角经济特区", 5}}},
		{"金三角经济", []span{{"金三角", 4}}},
		{"テレグラムで連絡", []span{{"テレグラム", 6}}},
		{"abc微信def", []span{{"微信", 0}}}, // CJK phrases need no boundaries
	})
}

func TestFindLongestAndNonOverlapping(t *testing.T) {
	runFindTests(t, newSet("kk", "kk park", "kk park special"), []findTest{
		{"kk park special zone", []span{{"kk park special", 2}}},
		{"KK Park.", []span{{"KK Park", 1}}},
		// The longest phrase here fails the word boundary; the next longest wins.
		{"kk parking", []span{{"kk", 0}}},
		{"kk park specialist", []span{{"kk park", 1}}},
	})
	// Leftmost first: once a match is reported, text it covers is not
	// searched again.
	runFindTests(t, newSet("微信", "信号"), []findTest{
		{"微信号", []span{{"微信", 0}}},
		{"信号", []span{{"信号", 1}}},
	})
	runFindTests(t, newSet("a b", "b c"), []findTest{
		{"a b c", []span{{"a b", 0}}},
	})
}

func TestFindCyrillicAndGreek(t *testing.T) {
	s := newSet("москва", "Телеграм", "σοφία")
	runFindTests(t, s, []findTest{
		{"в МОСКВА!", []span{{"МОСКВА", 0}}},
		{"Москва", []span{{"Москва", 0}}},
		{"в москве", nil}, // a whole word only
		{"подмосква", nil},
		{"ТЕЛЕГРАМ123", []span{{"ТЕЛЕГРАМ", 1}}},
		{"телеграммы", nil},
		{"пиши в телеграм: @abc", []span{{"телеграм", 1}}},
		{"ΣΟΦΊΑ", []span{{"ΣΟΦΊΑ", 2}}},
		{"Σοφίας", nil},
	})
}

func TestFindOffsetsAndIDs(t *testing.T) {
	s := New([]string{"", "qq", "微信"}, []int{7, 42, -1})
	text := "加QQ和微信"
	var got []Match
	s.Find(text, func(m Match) { got = append(got, m) })
	want := []Match{
		{Start: len("加"), End: len("加QQ"), ID: 42},
		{Start: len("加QQ和"), End: len(text), ID: -1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Find(%q) mismatch (-want +got):\n%s", text, diff)
	}
	// An empty set and empty phrases find nothing.
	for _, s := range []*Set{New(nil, nil), newSet(""), newSet("", "")} {
		if got := find(s, "anything 微信 qq"); got != nil {
			t.Errorf("Find on an empty set = %v", got)
		}
	}
}

func TestFindInvalidUTF8(t *testing.T) {
	s := newSet("qq", "微信")
	runFindTests(t, s, []findTest{
		{"\xffqq\xff", []span{{"qq", 0}}},
		{"\xe5\xbe微信", []span{{"微信", 1}}}, // a truncated rune before the phrase
		{"微\xff信", nil},
		{"\xff\xfe\xfd", nil},
	})
}

// TestFindCasedScriptsAboveCJK: letters with case above U+2E80 — fullwidth
// Latin, which Chinese text uses for "ＱＱ" and "ＶＸ", Latin Extended-D —
// match case-insensitively too, and a phrase at least matches its own text.
// (The first version of Find lower-cased only runes below U+2E80 and missed
// these.)
func TestFindCasedScriptsAboveCJK(t *testing.T) {
	runFindTests(t, newSet("ＱＱ", "ＶＸ"), []findTest{
		{"加ＱＱ123", []span{{"ＱＱ", 0}}},
		{"加ｑｑ123", []span{{"ｑｑ", 0}}},
		{"ＶＸ：abc", []span{{"ＶＸ", 1}}},
	})
	runFindTests(t, newSet("Ꞵeta"), []findTest{{"Ꞵeta", []span{{"Ꞵeta", 0}}}})
}

// TestFindVietnameseWholeWords: Vietnamese letters such as "ộ" and "ữ"
// (Latin Extended Additional, U+1E00-U+1EFF) are Latin letters, so a Latin
// phrase glued to one is inside a word.
func TestFindVietnameseWholeWords(t *testing.T) {
	runFindTests(t, newSet("line", "ở"), []findTest{
		{"lineộ", nil},
		{"ữline", nil},
		{"chở hàng", nil},
		{"ở đâu", []span{{"ở", 1}}},
	})
}

// FuzzFind checks, for any text and any extra phrase, that matches are in
// bounds, increasing and non-overlapping, that each covers its phrase
// (ignoring case) and that Latin phrases stand as whole words; and, against
// simple oracles, that nothing is missed.
func FuzzFind(f *testing.F) {
	for _, c := range []struct{ text, phrase string }{
		{"加我微信号abc QQ12345 line", "微信号"},
		{"add me on LINE or whatsapp", "WhatsApp"},
		{"online lines", "line"},
		{"в МОСКВА!", "москва"},
		{"KK Parking KK Park", "kk park"},
		{"\xffqq\xff", "\xff"},
		{"ＱＱ", "ＱＱ"},
		{"İstanbul ISTANBUL", "İstanbul"},
		{"", ""},
	} {
		f.Add(c.text, c.phrase)
	}
	fixed := []string{"qq", "微信", "微信号", "whatsapp", "line", "Москва", "kk park", "kk", "ไลน์", "σοφία"}
	f.Fuzz(func(t *testing.T, text, phrase string) {
		phrases := append(append([]string(nil), fixed...), phrase)
		s := newSet(phrases...)
		prevEnd := 0
		s.Find(text, func(m Match) {
			if m.Start < prevEnd || m.End <= m.Start || m.End > len(text) {
				t.Fatalf("Find(%q): match %+v after end %d, or out of bounds", text, m, prevEnd)
			}
			prevEnd = m.End
			if m.ID < 0 || m.ID >= len(phrases) {
				t.Fatalf("Find(%q): match %+v with unknown ID", text, m)
			}
			p := phrases[m.ID]
			if got := strings.ToLower(text[m.Start:m.End]); got != strings.ToLower(p) {
				t.Fatalf("Find(%q): match %+v covers %q, not phrase %q", text, m, text[m.Start:m.End], p)
			}
			if latinEdges(strings.ToLower(p)) && (wordLetterBefore(text, m.Start) || wordLetterAt(text, m.End)) {
				t.Fatalf("Find(%q): Latin phrase %q matched inside a word at %d", text, p, m.Start)
			}
		})

		// Oracle 1: a lone CJK phrase is found wherever strings.Index finds it.
		cjk := newSet("微信")
		var got, want []int
		cjk.Find(text, func(m Match) { got = append(got, m.Start) })
		for i := 0; ; {
			j := strings.Index(text[i:], "微信")
			if j < 0 {
				break
			}
			want = append(want, i+j)
			i += j + len("微信")
		}
		if !cmp.Equal(want, got) {
			t.Fatalf("Find(%q) for 微信 at %v, want %v", text, got, want)
		}

		// Oracle 2: a lone Latin phrase, any case, whole words only.
		got, want = nil, nil
		newSet("qq").Find(text, func(m Match) { got = append(got, m.Start) })
		for i := 0; i+2 <= len(text); i++ {
			if strings.EqualFold(text[i:i+2], "qq") && !wordLetterBefore(text, i) && !wordLetterAt(text, i+2) {
				want = append(want, i)
				i++
			}
		}
		if !cmp.Equal(want, got) {
			t.Fatalf("Find(%q) for qq at %v, want %v", text, got, want)
		}

		// Oracle 3: a phrase is found in its own text. (Phrases that are
		// not UTF-8, or shorter than two bytes, are not meaningful.)
		if len(strings.ToLower(phrase)) < 2 || !utf8.ValidString(phrase) {
			return
		}
		var self []Match
		newSet(phrase).Find(phrase, func(m Match) { self = append(self, m) })
		if len(self) != 1 || self[0].Start != 0 || self[0].End != len(phrase) {
			t.Fatalf("Find(%q) in a set of itself = %+v, want one match of the whole text", phrase, self)
		}
	})
}

// wordLetterBefore and wordLetterAt restate the package's word rule: a
// letter of a script that separates words with spaces (Latin below U+0250,
// Cyrillic, Greek) joins a Latin phrase to its neighbour.
func wordLetterBefore(text string, i int) bool {
	if i == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return wordLetter(r)
}

func wordLetterAt(text string, i int) bool {
	if i >= len(text) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return wordLetter(r)
}

func wordLetter(r rune) bool {
	return unicode.Is(unicode.Latin, r) || unicode.Is(unicode.Cyrillic, r) || unicode.Is(unicode.Greek, r) ||
		unicode.Is(unicode.Mn, r) && r < 0x370
}

// TestFindCaseFoldedAfterASCII covers case-folded phrases that start in
// ASCII: text that stays ASCII where the phrase turns non-ASCII is passed
// over early, but a non-ASCII letter folding to an ASCII one after the
// first two bytes ("İ" to "i") still matches.
func TestFindCaseFoldedAfterASCII(t *testing.T) {
	runFindTests(t, newSet("soạn", "kết bạn", "chiến"), []findTest{
		{"some soon soạn SOẠN Soạn so", []span{{"soạn", 0}, {"SOẠN", 0}, {"Soạn", 0}}},
		{"kết bạn KẾT BẠN Kết bạn ket ban", []span{{"kết bạn", 1}, {"KẾT BẠN", 1}, {"Kết bạn", 1}}},
		{"CHİẾN chien CHIẾN", []span{{"CHİẾN", 2}, {"CHIẾN", 2}}},
	})
}
