// Package phrase finds many fixed phrases in text in one pass: keywords such
// as "微信" or "WhatsApp" that give an indicator its meaning, and the names of
// places in the gazetteer. Latin letters match without regard to case and
// only as whole words; other scripts (Chinese, Thai, Burmese, Khmer) have no
// spaces between words and match anywhere.
//
// Lookup is by the first two bytes of a phrase (ASCII letters folded to
// lower case) in a 64K table, so a position that starts no phrase costs one
// table read; positions inside a Latin word are skipped outright.
package phrase

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Set is an immutable set of phrases, each with an ID the caller chooses.
type Set struct {
	// byPair[b0<<8|b1] is 1 + the index in groups of the phrases starting
	// with those two bytes (lower-cased), or 0 for none; first[b0] says
	// whether any phrase starts with the byte at all.
	byPair *[1 << 16]uint16
	// pairs has bit b0<<8|b1 set where byPair is not 0: a table small
	// enough to stay in the fastest cache, read before byPair.
	pairs [1 << 10]uint64
	// starts3 has bit r set for each character r of three UTF-8 bytes
	// (Chinese, Thai, Burmese, Khmer ...) that starts a phrase: most such
	// characters of a text start none and are passed over on one bit.
	starts3 [1 << 10]uint64
	first   [256]bool
	// class tells, by a text's byte, what the scanner does there: most
	// bytes start no phrase and are passed over without further lookups.
	class [256]uint8
	// runs has bit runHash(w) set for the leading ASCII letters w of every
	// phrase that starts with an ASCII letter ("whats" for "whats app").
	// A word of the text followed by ASCII can start a phrase only if its
	// letters are such a run: most words are passed over on one bit.
	runs   *[1 << 10]uint64
	groups []group
}

// Byte classes.
const (
	classOther uint8 = iota // ASCII that starts no phrase and is no letter: one byte on
	classWord               // a Latin letter that starts no phrase: the rest of its word on
	classThree              // the lead byte of a three-byte character: see starts3
	classRune               // another non-ASCII byte that starts no phrase: one character on
	classStart              // a byte that may start a phrase
)

// group holds the phrases that start with one pair of bytes, bucketed by
// their key byte (its low six bits: continuation bytes of CJK text and
// ASCII letters spread well), so that a position is compared with a handful
// of phrases, not every phrase of a common first character. The key byte
// is the third (index 2), or for phrases that start with a three-byte
// character (Chinese, Thai) the last byte of their second character (index
// 5): the third byte of those is the end of the first character, the same
// for the whole group.
type group struct {
	keyAt   int        // index of the key byte: 2 or 5
	third   thirdSet   // key bytes any phrase goes on with
	buckets [65]uint16 // entries[buckets[b]:buckets[b+1]] have key byte b (low six bits)
	entries []entry    // longer than keyAt bytes, bucketed, longest first in each bucket
	short   []entry    // phrases too short to have a key byte, and case-folded ones: always tried
}

type thirdSet struct {
	bits [4]uint64
	any  bool // a two-byte phrase: no third byte needed
}

func (t *thirdSet) add(c byte)      { t.bits[c>>6] |= 1 << (c & 63) }
func (t *thirdSet) has(c byte) bool { return t.bits[c>>6]&(1<<(c&63)) != 0 }

type entry struct {
	// p4 and m4 are the first four bytes of text and a mask of those that
	// exist, for a quick reject before the full comparison.
	p4, m4 uint32
	text   string // lower-cased
	id     int
	words  bool // must stand as whole words (starts or ends with a Latin-script letter)
	// fold is set when the phrase has non-ASCII letters with case
	// (Vietnamese, Cyrillic): those need a Unicode-aware comparison.
	fold bool
	// wide is the offset of the phrase's first non-ASCII byte, or -1. Text
	// that is ASCII up to and at that offset cannot match a case-folded
	// phrase: nothing ASCII folds to a non-ASCII letter, and ASCII text
	// lines up byte for byte with an ASCII start.
	wide int
}

// New builds a Set. phrases[i] gets ID ids[i]. Phrases shorter than two
// bytes are ignored.
func New(phrases []string, ids []int) *Set {
	s := &Set{byPair: new([1 << 16]uint16), runs: new([1 << 10]uint64)}
	byKey := map[uint16][]entry{}
	for i, p := range phrases {
		// Rune by rune: strings.ToLower's special casing would turn "İ"
		// into "i" plus a combining dot, longer than any text writes it.
		lp := strings.Map(unicode.ToLower, p)
		if len(lp) < 2 {
			continue
		}
		e := entry{text: lp, id: ids[i], words: latinEdges(lp), fold: casedNonASCII(p) || casedNonASCII(lp), wide: -1}
		for k := 0; k < len(lp); k++ {
			if lp[k] >= utf8.RuneSelf {
				e.wide = k
				break
			}
		}
		for k := 0; k < 4 && k < len(lp); k++ {
			if e.fold && (lp[k] >= utf8.RuneSelf || lp[k] == 'i' || lp[k] == 'k' || lp[k] == 's') {
				// A case-folded phrase is compared byte for byte only up
				// to its first letter that text may write in other bytes:
				// a non-ASCII one, or i, k, s (İ, the Kelvin sign, ſ).
				break
			}
			e.p4 |= uint32(lp[k]) << (8 * k)
			e.m4 |= 0xFF << (8 * k)
		}
		// Index under the first two bytes of the phrase as it may be
		// written: lower case, and for cased scripts also upper and title
		// case ("Đà Nẵng", "ĐÀ NẴNG").
		keys := map[uint16]bool{key(lp): true, key(p): true}
		if e.fold {
			up := strings.ToUpper(lp)
			r, n := utf8.DecodeRuneInString(lp)
			keys[key(up)] = true
			keys[key(string(unicode.ToUpper(r))+lp[n:])] = true
		}
		for k := range keys {
			byKey[k] = append(byKey[k], e)
			s.first[k>>8] = true
		}
		if isLetter(lp[0]) {
			k := 0
			for k < len(lp) && isLetter(lp[k]) {
				k++
			}
			h := runStart
			for _, c := range []byte(lp[:k]) {
				h = runStep(h, lowerByte(c))
			}
			h = runIndex(h)
			s.runs[h>>6] |= 1 << (h & 63)
		}
		for _, v := range []string{lp, p, strings.ToUpper(lp), strings.ToUpper(p)} {
			if r, n := utf8.DecodeRuneInString(v); n == 3 {
				s.starts3[r>>6] |= 1 << (r & 63)
			}
		}
	}
	keys := make([]int, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, int(k))
	}
	sort.Ints(keys)
	for _, k := range keys {
		es := byKey[uint16(k)]
		sort.SliceStable(es, func(a, b int) bool { return len(es[a].text) > len(es[b].text) })
		g := group{keyAt: 2}
		if k>>8 >= 0xE0 && k>>8 < 0xF0 {
			g.keyAt = 5
		}
		var byBucket [64][]entry
		for _, e := range es {
			if len(e.text) <= g.keyAt || e.fold {
				g.third.any = true // too short, or case-folded beyond bytes
				g.short = append(g.short, e)
				continue
			}
			c := e.text[g.keyAt]
			g.third.add(c)
			if c >= 'a' && c <= 'z' {
				g.third.add(c - 'a' + 'A')
			}
			byBucket[c&63] = append(byBucket[c&63], e)
		}
		for b := 0; b < 64; b++ {
			g.buckets[b] = uint16(len(g.entries))
			g.entries = append(g.entries, byBucket[b]...)
		}
		g.buckets[64] = uint16(len(g.entries))
		s.groups = append(s.groups, g)
		s.byPair[k] = uint16(len(s.groups))
		s.pairs[k>>6] |= 1 << (k & 63)
	}
	for c := range 256 {
		b := byte(c)
		switch {
		case b < utf8.RuneSelf && s.first[lowerByte(b)], b >= utf8.RuneSelf && b < 0xE0 && s.first[b], b >= 0xF0 && s.first[b]:
			s.class[c] = classStart
		case isLetter(b):
			s.class[c] = classWord
		case b < utf8.RuneSelf:
			s.class[c] = classOther
		case b >= 0xE0 && b < 0xF0:
			s.class[c] = classThree
		default:
			s.class[c] = classRune
		}
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
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) || isWordLetter(r)
}

// isWordLetter reports whether r is a letter of a script written with spaces
// between words: Latin (Vietnamese included), Cyrillic, Greek.
func isWordLetter(r rune) bool {
	if r < 0x80 {
		return isLetter(byte(r))
	}
	return unicode.Is(unicode.Latin, r) || unicode.Is(unicode.Cyrillic, r) || unicode.Is(unicode.Greek, r) ||
		unicode.Is(unicode.Mn, r) && r < 0x370 // combining marks on Latin letters
}

// Match is one phrase found.
type Match struct {
	Start, End int
	ID         int
}

func lowerByte(c byte) byte { return lower[c] }

var lower = func() (t [256]byte) {
	for c := range t {
		t[c] = byte(c)
		if c >= 'A' && c <= 'Z' {
			t[c] += 'a' - 'A'
		}
	}
	return t
}()

// Find calls fn for every phrase occurrence in text, left to right; at one
// position only the longest phrase is reported, and matches do not overlap.
func (s *Set) Find(text string, fn func(Match)) {
	s.FindRange(text, 0, len(text), fn)
}

// FindRange is Find for the phrases that start in text[from:to]; they may
// end beyond to. The rest of text is read only to tell word boundaries.
func (s *Set) FindRange(text string, from, to int, fn func(Match)) {
	n := len(text)
	for from > 0 && from < n && !utf8.RuneStart(text[from]) {
		from++ // start on a character, not inside one
	}
	end := min(to, n-1) // a phrase has two bytes at least
	for i := from; i < end; {
		c := text[i]
		switch s.class[c] {
		case classOther:
			i++
			continue
		case classWord:
			// No phrase starts inside a Latin word: skip to its end.
			for i++; i < n && isLetter(text[i]); i++ {
			}
			continue
		case classThree:
			// Characters of three bytes (Chinese, Thai) that start no
			// phrase are passed over in a run of their own.
			for i+2 < n {
				b := text[i : i+3]
				if b[1]&0xC0 != 0x80 || b[2]&0xC0 != 0x80 {
					break
				}
				r := uint32(c&0x0F)<<12 | uint32(b[1]&0x3F)<<6 | uint32(b[2]&0x3F)
				if s.starts3[r>>6]&(1<<(r&63)) != 0 && s.first[c] {
					break // may start one
				}
				if i += 3; i >= end {
					break
				}
				if c = text[i]; s.class[c] != classThree {
					break
				}
			}
			if i >= end || s.class[c] != classThree {
				continue
			}
			if !(i+2 < n && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80) && !s.first[c] {
				_, size := utf8.DecodeRuneInString(text[i:]) // 1 for an invalid byte
				i += size
				continue
			}
		case classRune:
			_, size := utf8.DecodeRuneInString(text[i:])
			i += size
			continue
		case classStart:
			if isLetter(c) {
				// A word: it can start a phrase only if its letters start
				// one, unless a non-ASCII letter follows, which may fold to
				// ASCII ("İ" to "i").
				j, h := i+1, runStep(runStart, lowerByte(c))
				for ; j < n; j++ {
					l := lowerLetter[text[j]]
					if l == 0 {
						break
					}
					h = runStep(h, l)
				}
				if h = runIndex(h); (j == n || text[j] < utf8.RuneSelf) && s.runs[h>>6]&(1<<(h&63)) == 0 {
					i = j
					continue
				}
			}
		}
		if k := uint16(lowerByte(c))<<8 | uint16(lowerByte(text[i+1])); s.pairs[k>>6]&(1<<(k&63)) != 0 {
			if g := &s.groups[s.byPair[k]-1]; g.third.any || i+g.keyAt < n && g.third.has(text[i+g.keyAt]) {
				if m, id := s.at(text, i, g); m > 0 {
					fn(Match{Start: i, End: i + m, ID: id})
					i += m
					continue
				}
			}
		}
		switch {
		case isLetter(c):
			for i++; i < n && isLetter(text[i]); i++ {
			}
		case c < utf8.RuneSelf:
			i++
		case c >= 0xE0 && c < 0xF0 && i+2 < n && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80:
			i += 3 // the common case: a CJK character
		default:
			_, size := utf8.DecodeRuneInString(text[i:]) // 1 for an invalid byte
			i += size
		}
	}
}

func isLetter(c byte) bool { return letters[c] }

// lowerLetter maps ASCII letters to lower case and every other byte to 0.
var lowerLetter = func() (t [256]byte) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-32] = byte(c), byte(c)
	}
	return t
}()

// runStart, runStep and runIndex hash a run of lower-case ASCII letters
// (FNV-1a) to a bit of Set.runs.
const runStart uint32 = 2166136261

func runStep(h uint32, c byte) uint32 { return (h ^ uint32(c)) * 16777619 }
func runIndex(h uint32) uint32        { return (h ^ h>>16) & (1<<16 - 1) }

var letters = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-32] = true, true
	}
	return t
}()

// key is the table index of a phrase: its first two bytes, ASCII lower-cased.
func key(s string) uint16 {
	if len(s) < 2 {
		return 0
	}
	return uint16(lowerByte(s[0]))<<8 | uint16(lowerByte(s[1]))
}

// casedNonASCII reports whether s has a non-ASCII letter with an upper and
// a lower case.
func casedNonASCII(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf && unicode.ToUpper(r) != unicode.ToLower(r) {
			return true
		}
	}
	return false
}

// at returns the length and ID of the longest phrase of group g at
// text[i:].
func (s *Set) at(text string, i int, g *group) (int, int) {
	var k4 uint32 // the next four bytes, ASCII lower-cased
	if i+4 <= len(text) {
		t := text[i : i+4]
		k4 = uint32(lowerByte(t[0])) | uint32(lowerByte(t[1]))<<8 | uint32(lowerByte(t[2]))<<16 | uint32(lowerByte(t[3]))<<24
	} else {
		for k := 0; i+k < len(text); k++ {
			k4 |= uint32(lowerByte(text[i+k])) << (8 * k)
		}
	}
	bestN, bestID := 0, 0
	if i+g.keyAt < len(text) {
		b := lowerByte(text[i+g.keyAt]) & 63
		for _, e := range g.entries[g.buckets[b]:g.buckets[b+1]] {
			if k4&e.m4 != e.p4 || !prefixASCIIFold(text[i:], e.text) {
				continue
			}
			if n := len(e.text); !e.words || wordEdge(text, i, true) && wordEdge(text, i+n, false) {
				bestN, bestID = n, e.id
				break
			}
		}
	}
	for _, e := range g.short {
		n := len(e.text)
		if n <= bestN {
			continue
		}
		if e.fold {
			var ok bool
			if k4&e.m4 != e.p4 || asciiThrough(text, i, e.wide) {
				continue
			}
			if n, ok = prefixFold(text[i:], e.text); !ok || n <= bestN {
				continue
			}
		} else if k4&e.m4 != e.p4 || !prefixASCIIFold(text[i:], e.text) {
			continue
		}
		if !e.words || wordEdge(text, i, true) && wordEdge(text, i+n, false) {
			bestN, bestID = n, e.id
		}
	}
	return bestN, bestID
}

// asciiThrough reports whether text[i:i+k+1] is there and all ASCII.
func asciiThrough(text string, i, k int) bool {
	if k < 0 || i+k >= len(text) {
		return false
	}
	for j := i; j <= i+k; j++ {
		if text[j] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// prefixASCIIFold reports whether s starts with the lower-case phrase p,
// ignoring the case of ASCII letters in s.
func prefixASCIIFold(s, p string) bool {
	if len(s) < len(p) {
		return false
	}
	for j := 0; j < len(p); j++ {
		if lowerByte(s[j]) != p[j] {
			return false
		}
	}
	return true
}

// prefixFold reports whether s starts with the lower-case phrase p,
// ignoring case in any script, and how many bytes of s it covers.
func prefixFold(s, p string) (int, bool) {
	i, j := 0, 0
	for j < len(p) {
		if i >= len(s) {
			return 0, false
		}
		a, b := s[i], p[j]
		if a < utf8.RuneSelf && b < utf8.RuneSelf {
			if lowerByte(a) != b {
				return 0, false
			}
			i++
			j++
			continue
		}
		ra, na := utf8.DecodeRuneInString(s[i:])
		rb, nb := utf8.DecodeRuneInString(p[j:])
		if ra != rb && unicode.ToLower(ra) != rb {
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
	return !isWordLetter(r)
}
