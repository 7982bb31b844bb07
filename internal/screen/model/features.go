package model

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxText is how much of a text is read: a scam shows itself in its first
// pages, and the bound keeps the cost of a huge input fixed.
const maxText = 64 << 10

// Feature kinds. The kind seeds the hash, so the same letters as a word
// and as a character n-gram are different features.
const (
	kindWord uint8 = iota + 1
	kindBigram
	kindChar
	kindClass // a class token standing for a URL, number, ...
	kindShape // a whole-text property: has a URL, length bucket, ...
)

// Class tokens replace what varies and would not generalise (the link, the
// number) by what it is. They are words of the text for bigrams.
const (
	clsURL = iota
	clsEmail
	clsPhone // 8 or more digits, perhaps with separators
	clsNum5  // 5-7 digits: short codes, amounts
	clsNum3  // 3-4 digits
	clsNum1  // 1-2 digits
	shapeURL
	shapeEmail
	shapePhone
	shapeAmount
	shapeCaps
	shapeBang
	shapeLen   // + length bucket
	numClasses = shapeLen + 8
)

var classNames = func() []string {
	n := []string{"<url>", "<email>", "<phone>", "<num5-7>", "<num3-4>", "<num1-2>",
		"[has url]", "[has email]", "[has phone]", "[has amount]", "[mostly capitals]", "[!!]"}
	for _, b := range []string{"<20", "<50", "<100", "<200", "<500", "<1000", "<4000", ">=4000"} {
		n = append(n, "[length "+b+" chars]")
	}
	return n
}()

// lenBuckets are the upper bounds (in runes) of the length buckets.
var lenBuckets = [...]int{20, 50, 100, 200, 500, 1000, 4000}

// feature is one hashed feature of a text. start and end locate the text
// it came from (for explanations); for class and shape features start is
// the class number and end is -1.
type feature struct {
	hash       uint32
	start, end int32
	kind       uint8
}

// extractor turns texts into features. It keeps its buffers between calls;
// it is not safe for concurrent use.
type extractor struct {
	feats []feature
}

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

func seed(kind uint8) uint32 { return (fnvOffset ^ uint32(kind)) * fnvPrime }

func hashBytes(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * fnvPrime
	}
	return h
}

func mix(a, b uint32) uint32 {
	h := a*0x9E3779B1 ^ b
	h ^= h >> 15
	h *= 0x85EBCA77
	h ^= h >> 13
	return h
}

func classHash(c int) uint32 { return mix(seed(kindClass), uint32(c)) }

// isCJK reports whether r is written without spaces between words and so
// gets character n-grams: Han, Thai and, so that unseen languages still
// produce features, kana, Hangul, Lao, Khmer and Myanmar.
func isCJK(r rune) bool {
	switch {
	case r < 0x0E00:
		return false
	case r <= 0x0EFF: // Thai, Lao
		return true
	case r >= 0x1000 && r <= 0x109F, r >= 0x1780 && r <= 0x17FF: // Myanmar, Khmer
		return true
	case r < 0x2E80:
		return false
	}
	if r >= 0x4E00 && r <= 0x9FFF { // CJK Unified Ideographs, the common case
		return true
	}
	return unicode.Is(unicode.Han, r) || unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// currencyWords are the hashes (as words) of words that follow or precede
// an amount in the corpora's languages.
var currencyWords = func() map[uint32]struct{} {
	set := map[uint32]struct{}{}
	for _, w := range []string{"rp", "rs", "usd", "vnd", "baht", "naira", "ngn", "pounds", "dollars",
		"trieu", "triệu", "đồng", "eur", "rmb", "php", "inr", "ringgit", "rm", "bath", "ribu", "juta"} {
		set[hashBytes(seed(kindWord), w)] = struct{}{}
	}
	return set
}()

// extract returns the features of text, valid until the next call. lang,
// when not "", adds a per-language bias feature.
func (x *extractor) extract(text, lang string) []feature {
	if len(text) > maxText {
		text = text[:maxText]
		for len(text) > 0 && !utf8.RuneStart(text[len(text)-1]) {
			text = text[:len(text)-1]
		}
	}
	x.feats = x.feats[:0]
	var (
		prevWord          uint32 // hash of the previous word or class token, 0 if none
		prevStart         int32
		urlChecked        int // ASCII runs before this offset were checked for URLs
		runes, letters    int
		upper, bangs      int
		hasNum, hasCurSym bool
		hasCurWord        bool
		seen              [numClasses]bool
		// the last three CJK runes' offsets, for n-grams
		c0, c1 = -1, -1
	)
	word := func(h uint32, start, end int, kind uint8) {
		x.feats = append(x.feats, feature{hash: h, start: int32(start), end: int32(end), kind: kind})
		if prevWord != 0 {
			x.feats = append(x.feats, feature{hash: mix(prevWord, h) ^ uint32(kindBigram), start: prevStart, end: int32(end), kind: kindBigram})
		}
		prevWord, prevStart = h, int32(start)
	}
	class := func(c, start, end int) {
		seen[c] = true
		h := classHash(c)
		x.feats = append(x.feats, feature{hash: h, start: int32(c), end: -1, kind: kindClass})
		if prevWord != 0 {
			x.feats = append(x.feats, feature{hash: mix(prevWord, h) ^ uint32(kindBigram), start: prevStart, end: int32(end), kind: kindBigram})
		}
		prevWord, prevStart = h, int32(start)
	}
	for i := 0; i < len(text); {
		b := text[i]
		// Links and e-mail addresses: checked once per run of URL characters.
		if i >= urlChecked && urlByte[b] && b != '.' && b != '/' {
			j, punct := i, false
			for j < len(text) && urlByte[text[j]] {
				if c := text[j]; c == '.' || c == ':' || c == '@' {
					punct = true
				}
				j++
			}
			urlChecked = j
			if c := -1; punct {
				if c = urlClass(text[i:j]); c >= 0 {
					class(c, i, j)
					c0, c1 = -1, -1
					i = j
					continue
				}
			}
		}
		if b >= '0' && b <= '9' {
			j, digits := i, 0
			for j < len(text) {
				if d := text[j]; d >= '0' && d <= '9' {
					digits++
					j++
				} else if (d == ' ' || d == '-' || d == '.' || d == ',') && j+1 < len(text) && text[j+1] >= '0' && text[j+1] <= '9' && digits < 16 {
					j++
				} else {
					break
				}
			}
			runes += j - i
			hasNum = true
			switch {
			case digits >= 8:
				class(clsPhone, i, j)
			case digits >= 5:
				class(clsNum5, i, j)
			case digits >= 3:
				class(clsNum3, i, j)
			default:
				class(clsNum1, i, j)
			}
			c0, c1 = -1, -1
			i = j
			continue
		}
		r, size := rune(b), 1
		if b >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		runes++
		cjk := isCJK(r)
		if !cjk && isLetterOrMark(r) {
			// A word: letters and combining marks, hashed lower-cased.
			h, start := seed(kindWord), i
			for i < len(text) {
				r, size := rune(text[i]), 1
				if r >= utf8.RuneSelf {
					r, size = utf8.DecodeRuneInString(text[i:])
				}
				if !isLetterOrMark(r) || isCJK(r) {
					break
				}
				if size == 1 {
					c := byte(r)
					if c >= 'A' && c <= 'Z' {
						upper++
						c += 'a' - 'A'
					}
					h = (h ^ uint32(c)) * fnvPrime
				} else {
					if unicode.IsUpper(r) {
						upper++
						r = unicode.ToLower(r)
					}
					var buf [4]byte
					n := utf8.EncodeRune(buf[:], r)
					for k := 0; k < n; k++ {
						h = (h ^ uint32(buf[k])) * fnvPrime
					}
				}
				letters++
				runes++
				i += size
			}
			runes-- // the first rune was counted above
			if !hasCurWord && i-start <= 8 {
				_, hasCurWord = currencyWords[h]
			}
			word(h, start, i, kindWord)
			c0, c1 = -1, -1
			continue
		}
		if cjk {
			// c1 and c0 are the offsets of the previous CJK rune and the one
			// before it, -1 after anything else.
			end := i + size
			x.feats = append(x.feats, feature{hash: hashBytes(seed(kindChar), text[i:end]), start: int32(i), end: int32(end), kind: kindChar})
			if c1 >= 0 {
				x.feats = append(x.feats, feature{hash: hashBytes(seed(kindChar), text[c1:end]), start: int32(c1), end: int32(end), kind: kindChar})
				if c0 >= 0 {
					x.feats = append(x.feats, feature{hash: hashBytes(seed(kindChar), text[c0:end]), start: int32(c0), end: int32(end), kind: kindChar})
				}
			}
			c0, c1 = c1, i
			if r == '元' || r == '万' || r == '块' {
				hasCurWord = true
			}
			prevWord = 0
			i = end
			continue
		}
		switch {
		case r == '!' || r == '！':
			bangs++
		case unicode.Is(unicode.Sc, r):
			hasCurSym = true
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			// Spaces do not break Thai or Chinese n-grams.
			i += size
			continue
		}
		c0, c1 = -1, -1
		i += size
	}
	shape := func(c int) {
		x.feats = append(x.feats, feature{hash: classHash(c), start: int32(c), end: -1, kind: kindShape})
	}
	if seen[clsURL] {
		shape(shapeURL)
	}
	if seen[clsEmail] {
		shape(shapeEmail)
	}
	if seen[clsPhone] {
		shape(shapePhone)
	}
	if hasNum && (hasCurSym || hasCurWord) {
		shape(shapeAmount)
	}
	if letters >= 10 && upper*2 > letters {
		shape(shapeCaps)
	}
	if bangs >= 2 {
		shape(shapeBang)
	}
	bucket := len(lenBuckets)
	for k, ub := range lenBuckets {
		if runes < ub {
			bucket = k
			break
		}
	}
	shape(shapeLen + bucket)
	if lang != "" {
		x.feats = append(x.feats, feature{hash: hashBytes(seed(kindShape), lang), start: -1, end: -1, kind: kindShape})
	}
	return x.feats
}

func isLetterOrMark(r rune) bool {
	if r < utf8.RuneSelf {
		return r|0x20 >= 'a' && r|0x20 <= 'z'
	}
	return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r)
}

// urlByte tells the bytes that may be part of a URL or e-mail address.
var urlByte = func() (t [256]bool) {
	for b := range 256 {
		t[b] = b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' ||
			strings.IndexByte("-._~:/?#@%&=+", byte(b)) >= 0
	}
	return t
}()

// urlClass returns clsURL or clsEmail when s (a run of URL characters) is
// a link or an e-mail address, else -1.
func urlClass(s string) int {
	s = strings.TrimRight(s, ".:?")
	if len(s) < 4 {
		return -1
	}
	if strings.Contains(s, "://") || hasPrefixFold(s, "www.") {
		return clsURL
	}
	if at := strings.IndexByte(s, '@'); at > 0 {
		if dot := strings.LastIndexByte(s[at:], '.'); dot > 1 && dot < len(s[at:])-2 {
			return clsEmail
		}
		return -1
	}
	host := s
	if k := strings.IndexAny(host, "/?#"); k >= 0 {
		host = host[:k]
	}
	dot := strings.LastIndexByte(host, '.')
	if dot <= 0 || dot == len(host)-1 {
		return -1
	}
	if tld := strings.ToLower(host[dot+1:]); knownTLD[tld] {
		return clsURL
	}
	return -1
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// knownTLD lists top-level domains that, after a dot, make a word a link.
// Only these: "end.Then" in an SMS is not a link.
var knownTLD = map[string]bool{
	"com": true, "net": true, "org": true, "info": true, "biz": true, "io": true, "co": true, "me": true,
	"ly": true, "gl": true, "to": true, "cc": true, "xyz": true, "top": true, "vip": true, "shop": true,
	"online": true, "site": true, "club": true, "app": true, "link": true, "live": true, "mobi": true,
	"cn": true, "vn": true, "th": true, "id": true, "my": true, "ph": true, "sg": true, "kh": true,
	"mm": true, "la": true, "hk": true, "tw": true, "uk": true, "in": true, "ng": true, "us": true,
	"tk": true, "ml": true, "ga": true, "cf": true, "gq": true, "ru": true, "de": true, "fr": true,
	"es": true, "it": true, "nl": true, "au": true, "ca": true, "jp": true, "kr": true, "icu": true,
	"cyou": true, "fun": true, "asia": true, "pro": true, "win": true, "bet": true, "ws": true,
}

// describe returns the text a feature stands for, for explanations.
func describe(text string, f feature) string {
	switch f.kind {
	case kindClass, kindShape:
		if f.start >= 0 && int(f.start) < len(classNames) {
			return classNames[f.start]
		}
		return "[language]"
	}
	if f.start < 0 || int(f.end) > len(text) || f.start > f.end {
		return ""
	}
	s := text[f.start:f.end]
	if f.kind == kindBigram {
		s = strings.Join(strings.Fields(s), " ")
	}
	return strings.ToLower(s)
}
