package extract

import (
	"unicode/utf8"
)

// folded is text rewritten so that the detectors see one spelling of each
// character that matters: full-width ASCII becomes ASCII, circled and other
// decorated digits become digits, runs of Chinese numerals long enough to be
// a number become digits, defanged dots and at-signs ("[.]", "(dot)",
// "[at]") become "." and "@", and zero-width characters disappear. pos maps
// every byte of text back to the byte of the original it came from, so
// matches report offsets and raw text of the original.
type folded struct {
	text string
	pos  []int32 // len(text)+1 entries; nil when text is the original
	// Script counts of letters seen, for guessing the region of national
	// phone numbers.
	han, thai, khmer, burmese, lao, hangul, kana, viet, latin int
}

// orig returns the original byte offset of folded offset i.
func (f *folded) orig(i int) int {
	if f.pos == nil {
		return i
	}
	return int(f.pos[i])
}

// fold prepares s for the detectors. Pure ASCII text with nothing to
// refang is used as is, without a copy.
func fold(s string) *folded {
	f := &folded{}
	if plainASCII(s) {
		f.text = s
		f.countLatin(s)
		return f
	}
	b := make([]byte, 0, len(s))
	pos := make([]int32, 0, len(s)+1)
	emit := func(c byte, at int) {
		b = append(b, c)
		pos = append(pos, int32(at))
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == '[' || c == '(' || c == '{' {
				if rep, n := defang(s[i:]); n > 0 {
					for k := 0; k < len(rep); k++ {
						emit(rep[k], i)
					}
					i += n
					continue
				}
			}
			if isLetter(c) {
				f.latin++
			}
			emit(c, i)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
			emit(byte(r-0xFEE0), i)
		case r == 0x3000 || r == 0x00A0 || (r >= 0x2000 && r <= 0x200A) || r == 0x202F || r == 0x205F:
			emit(' ', i)
		case r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 || r == 0xFEFF || r == 0x00AD:
			// zero-width and soft hyphen: dropped
		case r >= 0x2010 && r <= 0x2015 || r == 0x2212 || r == 0xFE63:
			emit('-', i)
		case (r == '。' || r == '点' || r == '點' || r == '｡') && between(b, s[i+size:]):
			emit('.', i)
		case decoratedDigit(r) >= 0:
			d := decoratedDigit(r)
			if d >= 10 { // ⑩..⑳: two digits
				emit(byte('0'+d/10), i)
				emit(byte('0'+d%10), i)
			} else {
				emit(byte('0'+d), i)
			}
		case chineseDigit(r) >= 0:
			if n := numeralRun(s[i:]); n > 0 {
				for j := i; j < i+n; {
					r2, sz := utf8.DecodeRuneInString(s[j:])
					if d := chineseDigit(r2); d >= 0 {
						emit(byte('0'+d), j)
					} else if r2 >= 0xFF10 && r2 <= 0xFF19 {
						emit(byte(r2-0xFF10+'0'), j)
					} else if r2 < utf8.RuneSelf {
						emit(byte(r2), j)
					} else {
						emit(' ', j) // full-width space or dash inside the run
					}
					j += sz
				}
				i += n
				continue
			}
			f.han++
			for k := 0; k < size; k++ {
				emit(s[i+k], i)
			}
		default:
			f.count(r)
			for k := 0; k < size; k++ {
				emit(s[i+k], i+k)
			}
		}
		i += size
	}
	pos = append(pos, int32(len(s)))
	f.text, f.pos = string(b), pos
	return f
}

// plainASCII reports whether s is ASCII with no bracket that could open a
// defanged "[.]" or "(dot)".
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || c == '[' || c == '(' || c == '{' {
			return false
		}
	}
	return true
}

func (f *folded) countLatin(s string) {
	for i := 0; i < len(s); i++ {
		if isLetter(s[i]) {
			f.latin++
		}
	}
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
	case r < 0x250 && r > 0xBF:
		f.latin++
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

// between reports whether a Chinese full stop or 点 sits between two ASCII
// letters or digits ("baidu点com", "www。abc。com"), where it is a dot.
func between(before []byte, after string) bool {
	if len(before) == 0 || !isAlnum(before[len(before)-1]) || len(after) == 0 {
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

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isAlnum(c byte) bool  { return isDigit(c) || isLetter(c) }

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
