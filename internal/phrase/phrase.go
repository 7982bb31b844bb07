// Package phrase finds many fixed phrases in text in one pass: keywords such
// as "微信" or "WhatsApp" that give an indicator its meaning, and the names of
// places in the gazetteer. Latin letters match without regard to case and
// only as whole words; other scripts (Chinese, Thai, Burmese, Khmer) have no
// spaces between words and match anywhere.
package phrase

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Set is an immutable set of phrases, each with an ID the caller chooses.
type Set struct {
	// first holds, per lower-cased first rune, the phrases starting with it,
	// longest first so that the longest phrase at a position wins.
	first map[rune][]entry
	// bits marks first runes below 0x10000 for a quick test.
	bits [1 << 16 / 64]uint64
}

type entry struct {
	text  string // lower-cased
	id    int
	words bool // Latin-script phrase: must stand as whole words
}

// New builds a Set. phrases[i] gets ID ids[i].
func New(phrases []string, ids []int) *Set {
	s := &Set{first: map[rune][]entry{}}
	for i, p := range phrases {
		lp := strings.ToLower(p)
		if lp == "" {
			continue
		}
		r, _ := utf8.DecodeRuneInString(lp)
		s.first[r] = append(s.first[r], entry{text: lp, id: ids[i], words: latinEdges(lp)})
		if r < 1<<16 {
			s.bits[r/64] |= 1 << (r % 64)
		}
	}
	for r := range s.first {
		es := s.first[r]
		sort.SliceStable(es, func(a, b int) bool { return len(es[a].text) > len(es[b].text) })
	}
	return s
}

// latinEdges reports whether a phrase starts or ends with a letter or digit
// of a script that separates words with spaces, so it must match whole words
// ("line" must not match inside "online").
func latinEdges(p string) bool {
	r, _ := utf8.DecodeRuneInString(p)
	l, _ := utf8.DecodeLastRuneInString(p)
	return spaced(r) || spaced(l)
}

func spaced(r rune) bool {
	return r < 0x250 && (unicode.IsLetter(r) || unicode.IsDigit(r)) ||
		unicode.Is(unicode.Cyrillic, r) || unicode.Is(unicode.Greek, r)
}

// Match is one phrase found.
type Match struct {
	Start, End int
	ID         int
}

// Find calls fn for every phrase occurrence in text, left to right; at one
// position only the longest phrase is reported, and matches do not overlap.
func (s *Set) Find(text string, fn func(Match)) {
	for i := 0; i < len(text); {
		c := text[i]
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			r = rune(c)
		} else {
			r, size = utf8.DecodeRuneInString(text[i:])
			if r < 0x2E80 { // scripts with case; CJK and beyond have none
				r = unicode.ToLower(r)
			}
		}
		if r >= 1<<16 || s.bits[r/64]&(1<<(r%64)) != 0 {
			if n, id := s.at(text, i, r); n > 0 {
				fn(Match{Start: i, End: i + n, ID: id})
				i += n
				continue
			}
		}
		i += size
	}
}

// at returns the length and ID of the longest phrase starting at text[i:],
// whose first rune (lower-cased) is r.
func (s *Set) at(text string, i int, r rune) (int, int) {
	es := s.first[r]
	if len(es) == 0 {
		return 0, 0
	}
	for _, e := range es {
		n, ok := prefixFold(text[i:], e.text)
		if !ok {
			continue
		}
		if e.words && (!wordEdge(text, i, true) || !wordEdge(text, i+n, false)) {
			continue
		}
		return n, e.id
	}
	return 0, 0
}

// prefixFold reports whether s starts with the lower-case phrase p, ignoring
// case, and how many bytes of s it covers.
func prefixFold(s, p string) (int, bool) {
	i, j := 0, 0
	for j < len(p) {
		if i >= len(s) {
			return 0, false
		}
		a, b := s[i], p[j]
		if a < utf8.RuneSelf && b < utf8.RuneSelf {
			if a >= 'A' && a <= 'Z' {
				a += 'a' - 'A'
			}
			if a != b {
				return 0, false
			}
			i++
			j++
			continue
		}
		ra, na := utf8.DecodeRuneInString(s[i:])
		rb, nb := utf8.DecodeRuneInString(p[j:])
		if unicode.ToLower(ra) != rb {
			return 0, false
		}
		i += na
		j += nb
	}
	return i, true
}

// wordEdge reports whether position i of text is a word boundary on the
// side given: the rune before (start) or at (end) i is not a letter of a
// space-separated script. Digits count as a boundary, so "QQ12345" and
// "VX:abc" find their keywords.
func wordEdge(text string, i int, start bool) bool {
	var r rune
	if start {
		if i == 0 {
			return true
		}
		r, _ = utf8.DecodeLastRuneInString(text[:i])
	} else {
		if i >= len(text) {
			return true
		}
		r, _ = utf8.DecodeRuneInString(text[i:])
	}
	return !(r < 0x250 && unicode.IsLetter(r) || unicode.Is(unicode.Cyrillic, r) || unicode.Is(unicode.Greek, r))
}
