package extract

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// folded is text rewritten so that the detectors see one spelling of each
// character that matters: full-width ASCII becomes ASCII, circled and other
// decorated digits become digits, runs of Chinese numerals long enough to be
// a number become digits, defanged dots and at-signs ("[.]", "(dot)",
// "[at]") become "." and "@", and zero-width characters disappear. Offsets
// in text map back to the original through shifts, so matches report
// offsets and raw text of the original.
type folded struct {
	text string
	// shifts records where the folded text stops lining up with the
	// original: from folded offset at on, original = folded + delta. Sorted
	// by at; empty when nothing changed length.
	shifts []shift
	// Script counts of letters seen, for guessing the region of national
	// phone numbers.
	han, thai, khmer, burmese, lao, hangul, kana, viet int
}

type shift struct{ at, delta int }

// orig returns the original byte offset of folded offset i.
func (f *folded) orig(i int) int {
	k := sort.Search(len(f.shifts), func(k int) bool { return f.shifts[k].at > i })
	if k == 0 {
		return i
	}
	return i + f.shifts[k-1].delta
}

// folder builds a folded text: unchanged stretches of the original are
// copied in bulk, replacements are recorded with a shift.
type folder struct {
	src  string
	b    []byte
	f    *folded
	from int // start of the stretch of src not yet copied
}

func (w *folder) flush(upto int) {
	w.b = append(w.b, w.src[w.from:upto]...)
	w.from = upto
}

// replace puts rep in place of src[i:j]. Every byte of rep maps to i; the
// text after maps on from j.
func (w *folder) replace(i, j int, rep string) {
	w.flush(i)
	at := len(w.b)
	if len(rep) > 0 {
		w.mark(at, i)
		if len(rep) > 1 {
			// Bytes of a multi-byte replacement all map to the start.
			for k := 1; k < len(rep); k++ {
				w.mark(at+k, i)
			}
		}
	}
	w.b = append(w.b, rep...)
	w.from = j
	w.mark(len(w.b), j)
}

func (w *folder) mark(at, orig int) {
	d := orig - at
	sh := w.f.shifts
	if n := len(sh); n > 0 && sh[n-1].at == at {
		sh[n-1].delta = d
		w.f.shifts = sh
		return
	}
	if n := len(sh); (n == 0 && d == 0) || (n > 0 && sh[n-1].delta == d) {
		return
	}
	w.f.shifts = append(sh, shift{at, d})
}

// fold prepares s for the detectors. Pure ASCII text with nothing to
// refang is used as is, without a copy.
func fold(s string) *folded {
	f := &folded{}
	f.fold(s, nil)
	return f
}

// fold fills f for s, using buf (returned, possibly grown) as scratch
// space and f.shifts' capacity, so that pooled scans allocate little.
func (f *folded) fold(s string, buf []byte) []byte {
	*f = folded{shifts: f.shifts[:0]}
	i := plainRun(s)
	if i == len(s) {
		f.text = s
		return buf
	}
	w := &folder{src: s, f: f, b: buf[:0]}
	var one [1]byte
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == '[' || c == '(' || c == '{' {
				if rep, n := defang(s[i:]); n > 0 {
					w.replace(i, i+n, rep)
					i += n
					continue
				}
			}
			if i++; i < len(s) && s[i] < utf8.RuneSelf {
				i += plainRun(s[i:])
			}
			continue
		}
		if c >= 0xE4 && c <= 0xE9 && i+2 < len(s) && !cjkSpecialPair[uint16(c)<<8|uint16(s[i+1])] && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			// The common case in Chinese text: ideographs kept as they
			// are, a run of them at a time.
			han := 0
			for {
				han, i = han+1, i+3
				if i+2 >= len(s) {
					break
				}
				b := s[i : i+3]
				if c = b[0]; c < 0xE4 || c > 0xE9 || cjkSpecialPair[uint16(c)<<8|uint16(b[1])] || b[1]&0xC0 != 0x80 || b[2]&0xC0 != 0x80 {
					break
				}
			}
			f.han += han
			continue
		}
		r, size := decodeRune(s[i:])
		if r < 0x10000 && foldKeeps[r>>6]&(1<<(r&63)) != 0 {
			f.count(r) // punctuation, Thai, Vietnamese letters ...: kept as is
			i += size
			continue
		}
		switch {
		case r >= 0xFF01 && r <= 0xFF5E && foldWide(r): // full-width ASCII that matters
			one[0] = byte(r - 0xFEE0)
			w.replace(i, i+size, string(one[:]))
		case r == 0x3000 || r == 0x00A0 || (r >= 0x2000 && r <= 0x200A) || r == 0x202F || r == 0x205F:
			w.replace(i, i+size, " ")
		case r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 || r == 0xFEFF || r == 0x00AD:
			w.replace(i, i+size, "") // zero-width and soft hyphen: dropped
		case r >= 0x2010 && r <= 0x2015 || r == 0x2212 || r == 0xFE63:
			w.replace(i, i+size, "-")
		case (r == '。' || r == '点' || r == '點' || r == '｡') && w.between(i, s[i+size:]):
			w.replace(i, i+size, ".")
		case decoratedDigit(r) >= 0:
			d := decoratedDigit(r)
			if d >= 10 { // ⑩..⑳: two digits
				w.replace(i, i+size, string([]byte{byte('0' + d/10), byte('0' + d%10)}))
			} else {
				one[0] = byte('0' + d)
				w.replace(i, i+size, string(one[:]))
			}
		case chineseDigit(r) >= 0:
			n := numeralRun(s[i:])
			if n == 0 {
				f.han++
				break
			}
			for j := i; j < i+n; {
				r2, sz := utf8.DecodeRuneInString(s[j:])
				switch {
				case chineseDigit(r2) >= 0:
					one[0] = byte('0' + chineseDigit(r2))
					w.replace(j, j+sz, string(one[:]))
				case r2 >= 0xFF10 && r2 <= 0xFF19:
					one[0] = byte(r2 - 0xFF10 + '0')
					w.replace(j, j+sz, string(one[:]))
				case r2 >= utf8.RuneSelf:
					w.replace(j, j+sz, " ") // full-width space or dash inside the run
				}
				j += sz
			}
			i += n
			continue
		default:
			f.count(r)
		}
		i += size
	}
	if len(w.b) == 0 && w.from == 0 {
		f.text = s // nothing replaced
		return w.b
	}
	w.flush(len(s))
	f.text = string(w.b)
	return w.b
}

// foldKeeps has bit r set for each character r of the Basic Multilingual
// Plane that fold keeps as it is: everything but what mayFold names.
var foldKeeps = func() (t [1 << 10]uint64) {
	for r := rune(0); r < 0x10000; r++ {
		if !mayFold(r) {
			t[r>>6] |= 1 << (r & 63)
		}
	}
	return t
}()

// mayFold reports whether fold may rewrite r: the cases of its switch.
func mayFold(r rune) bool {
	return r < utf8.RuneSelf || r >= 0xFF01 && r <= 0xFF5E && foldWide(r) ||
		r == 0x3000 || r == 0x00A0 || (r >= 0x2000 && r <= 0x200A) || r == 0x202F || r == 0x205F ||
		r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 || r == 0xFEFF || r == 0x00AD ||
		r >= 0x2010 && r <= 0x2015 || r == 0x2212 || r == 0xFE63 ||
		r == '。' || r == '点' || r == '點' || r == '｡' ||
		decoratedDigit(r) >= 0 || chineseDigit(r) >= 0
}

// foldWide reports whether a full-width form is one the detectors must see
// as ASCII: letters, digits and the punctuation inside indicators (":" after
// 微信, "@", ".", "+", "-", "(", ")", "/", "_", "="). Full-width commas,
// stops and quotes separate words either way, so Chinese text that uses
// only those needs no copy.
func foldWide(r rune) bool {
	c := r - 0xFEE0
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' ||
		c == ':' || c == '@' || c == '.' || c == '+' || c == '-' || c == '(' || c == ')' || c == '/' || c == '_' || c == '=' || c == '#' || c == '~' || c == '[' || c == ']'
}

// cjkSpecialPair marks the first two UTF-8 bytes of the CJK ideographs fold
// may rewrite, so that every other ideograph is passed over by one lookup.
var cjkSpecialPair = func() (t [1 << 16]bool) {
	for r := rune(0x4E00); r <= 0x9FFF; r++ {
		if cjkSpecial(r) {
			var b [4]byte
			utf8.EncodeRune(b[:], r)
			t[uint16(b[0])<<8|uint16(b[1])] = true
		}
	}
	return t
}()

// cjkSpecial reports whether a CJK ideograph is one fold rewrites: a
// numeral, or 点 used as a dot.
func cjkSpecial(r rune) bool {
	return chineseDigit(r) >= 0 || r == '点' || r == '點'
}

// plainRun returns the length of the prefix of s that fold passes over
// as it is: ASCII with no bracket that could open a defanged "[.]" or
// "(dot)". It reads eight bytes at a time, which makes the English half of
// a corpus cheap to pass over.
func plainRun(s string) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := load64(s, i)
		// '[' and '{' differ only in bit 0x20: one test finds both.
		if w&highs != 0 || hasZeroByte((w|0x20*ones)^'{'*ones) || hasZeroByte(w^'('*ones) {
			break
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || c == '[' || c == '(' || c == '{' {
			break
		}
	}
	return i
}

// load64 reads s[i:i+8] as a little-endian word (the compiler makes it one
// load).
func load64(s string, i int) uint64 {
	b := s[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// hasZeroByte reports whether any byte of w is zero.
func hasZeroByte(w uint64) bool {
	return (w-0x0101010101010101)&^w&0x8080808080808080 != 0
}

func (f *folded) count(r rune) {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF, r >= 0x3400 && r <= 0x4DBF:
		f.han++
	case r >= 0x0E00 && r <= 0x0E7F:
		f.thai++
	case r >= 0x1780 && r <= 0x17FF:
		f.khmer++
	case r >= 0x1000 && r <= 0x109F:
		f.burmese++
	case r >= 0x0E80 && r <= 0x0EFF:
		f.lao++
	case r >= 0xAC00 && r <= 0xD7AF:
		f.hangul++
	case r >= 0x3040 && r <= 0x30FF:
		f.kana++
	case r == 'ă' || r == 'Ă' || r == 'đ' || r == 'Đ' || r == 'ơ' || r == 'Ơ' || r == 'ư' || r == 'Ư',
		r >= 0x1EA0 && r <= 0x1EF9:
		f.viet++
	}
}

// defang recognises a defanged separator at the start of s and returns what
// it stands for and its length: "[.]" "(.)" "{.}" "[dot]" "(dot)" -> ".",
// "[at]" "(at)" "[@]" -> "@", "[:]" -> ":", "[://]" -> "://".
func defang(s string) (string, int) {
	if len(s) < 3 {
		return "", 0
	}
	closeFor := map[byte]byte{'[': ']', '(': ')', '{': '}'}[s[0]]
	end := -1
	for i := 1; i < len(s) && i < 7; i++ {
		if s[i] == closeFor {
			end = i
			break
		}
	}
	if end < 0 {
		return "", 0
	}
	inner := s[1:end]
	switch lowerASCII(inner) {
	case ".", "dot", " . ", " dot ":
		return ".", end + 1
	case "at", "@", " at ":
		return "@", end + 1
	case ":":
		return ":", end + 1
	case "://":
		return "://", end + 1
	}
	return "", 0
}

// between reports whether a Chinese full stop or 点 at src[i] sits between
// two ASCII letters or digits ("baidu点com", "www。abc。com"), where it is a
// dot. The character before may be a full-width letter already folded.
func (w *folder) between(i int, after string) bool {
	var prev byte
	switch {
	case i == 0:
	case w.from == i && len(w.b) > 0:
		prev = w.b[len(w.b)-1] // the last replacement ended here
	default:
		prev = w.src[i-1]
	}
	if !isAlnum(prev) || len(after) == 0 {
		return false
	}
	c := after[0]
	if c == 0xEF && len(after) >= 3 { // full-width letter or digit
		r, _ := utf8.DecodeRuneInString(after)
		return r >= 0xFF10 && r <= 0xFF5A
	}
	return isAlnum(c)
}

// decoratedDigit maps circled, parenthesised, full-stop, dingbat, super- and
// subscript and mathematical digits to their value (0..20), or -1.
func decoratedDigit(r rune) int {
	switch {
	case r >= 0xFF10 && r <= 0xFF19: // handled as full-width ASCII, kept for completeness
		return int(r - 0xFF10)
	case r >= 0x2460 && r <= 0x2473: // ①..⑳
		return int(r-0x2460) + 1
	case r >= 0x2474 && r <= 0x2487: // ⑴..⒇
		return int(r-0x2474) + 1
	case r >= 0x2488 && r <= 0x249B: // ⒈..⒛
		return int(r-0x2488) + 1
	case r == 0x24EA || r == 0x24FF || r == 0x1F10B || r == 0x1F10C: // ⓪ ⓿
		return 0
	case r >= 0x24F5 && r <= 0x24FE: // ⓵..⓾
		return int(r-0x24F5) + 1
	case r >= 0x2776 && r <= 0x277F: // ❶..❿
		return int(r-0x2776) + 1
	case r >= 0x2780 && r <= 0x2789: // ➀..➉
		return int(r-0x2780) + 1
	case r >= 0x278A && r <= 0x2793: // ➊..➓
		return int(r-0x278A) + 1
	case r == 0x2070:
		return 0
	case r == 0x00B9:
		return 1
	case r == 0x00B2:
		return 2
	case r == 0x00B3:
		return 3
	case r >= 0x2074 && r <= 0x2079:
		return int(r-0x2074) + 4
	case r >= 0x2080 && r <= 0x2089:
		return int(r - 0x2080)
	case r >= 0x1D7CE && r <= 0x1D7FF: // mathematical bold, double-struck, sans, mono digits
		return int(r-0x1D7CE) % 10
	}
	return -1
}

// chineseDigit maps a Chinese numeral used digit by digit (as in reading out
// a phone number: 一三八, 幺 for one, 〇 and 零 for zero, financial 壹贰叁)
// to its value, or -1. 十, 百, 千, 万 are not digits.
func chineseDigit(r rune) int {
	switch r {
	case '〇', '零', '洞':
		return 0
	case '一', '幺', '壹', '弌':
		return 1
	case '二', '两', '贰', '貳', '弍':
		return 2
	case '三', '叁', '參', '弎':
		return 3
	case '四', '肆':
		return 4
	case '五', '伍':
		return 5
	case '六', '陆', '陸':
		return 6
	case '七', '柒':
		return 7
	case '八', '捌':
		return 8
	case '九', '玖':
		return 9
	}
	return -1
}

// numeralRun returns the byte length of a run of Chinese numerals mixed
// with digits and separators at the start of s, if the run holds at least
// five digits (the shortest QQ number); otherwise 0. "三五成群" and "一个"
// stay words.
func numeralRun(s string) int {
	digits, numerals, end := 0, 0, 0
	for i := 0; i < len(s) && i < 200; {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case chineseDigit(r) >= 0:
			numerals++
			digits++
		case r >= '0' && r <= '9', r >= 0xFF10 && r <= 0xFF19:
			digits++
		case r == ' ' || r == '-' || r == 0x3000 || r == 0xFF0D:
			i += size
			continue
		default:
			i = len(s)
			continue
		}
		i += size
		end = i
	}
	if digits >= 5 && numerals >= 1 {
		return end
	}
	return 0
}

// byteClass classifies ASCII bytes for the scanners' inner loops.
var byteClass = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = classDigit
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-32] = classLetter, classLetter
	}
	return t
}()

const (
	classDigit  = 1 // tokens counts digits by this bit
	classLetter = 2
)

func isLetter(c byte) bool { return byteClass[c] == classLetter }
func isDigit(c byte) bool  { return byteClass[c] == classDigit }
func isAlnum(c byte) bool  { return byteClass[c] != 0 }

// decodeRune is utf8.DecodeRuneInString with the three-byte sequences of
// CJK text decoded inline.
func decodeRune(s string) (rune, int) {
	if len(s) >= 3 {
		c0, c1, c2 := s[0], s[1], s[2]
		if c0&0xF0 == 0xE0 && c1&0xC0 == 0x80 && c2&0xC0 == 0x80 {
			r := rune(c0&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F)
			if r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
				return r, 3
			}
		}
	}
	return utf8.DecodeRuneInString(s)
}

func lowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasSuffixFold reports whether s ends with the lower-case ASCII suffix p,
// ignoring the case of ASCII letters in s: strings.ToLower(s) ends with p
// for such p, without the copy.
func hasSuffixFold(s, p string) bool {
	if len(s) < len(p) {
		return false
	}
	s = s[len(s)-len(p):]
	for i := 0; i < len(p); i++ {
		if lowerByte(s[i]) != p[i] {
			return false
		}
	}
	return true
}

// hasPrefixLower reports whether strings.ToLower(s) starts with the
// lower-case ASCII prefix p, copying s only when a non-ASCII character
// comes first (Unicode case mapping can turn one into ASCII: "İ" is "i").
func hasPrefixLower(s, p string) bool {
	for i := 0; i < len(p); i++ {
		switch {
		case i >= len(s):
			return false
		case s[i] >= utf8.RuneSelf:
			return strings.HasPrefix(strings.ToLower(s), p)
		case lowerByte(s[i]) != p[i]:
			return false
		}
	}
	return true
}

// appendLower appends strings.ToLower(s) to b, copying s through a string
// only when it is not ASCII.
func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return append(b, strings.ToLower(s)...)
		}
	}
	for i := 0; i < len(s); i++ {
		b = append(b, lowerByte(s[i]))
	}
	return b
}

// lowerASCII lower-cases ASCII letters only.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
