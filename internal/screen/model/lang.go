package model

import (
	"math/bits"
	"unicode"
	"unicode/utf8"
)

// Languages the detector can name. Anything else is "".
const (
	LangZh = "zh"
	LangEn = "en"
	LangID = "id"
	LangTh = "th"
	LangVi = "vi"
)

// Detect guesses the language of text: "zh", "en", "id", "th", "vi", or ""
// when it is something else (Japanese, Korean, Khmer, Malay, Tagalog,
// Spanish, French, ...) or there is nothing to go on. Han and Thai are told
// by script; Latin text by Vietnamese letters and small stop-word lists.
//
// confident is false when the evidence is thin (a few characters, no stop
// word, two languages close): the caller should then not treat the text as
// one the model has seen. Latin text without any stop word is guessed as
// "en" with confident false, since short English SMS slang ("ok lar") is
// the commonest such text in the corpora.
func Detect(text string) (lang string, confident bool) {
	if len(text) > detectPrefix {
		// The first kilobytes tell the language as well as the whole; a
		// character cut in two is one invalid rune, which counts for none.
		text = text[:detectPrefix]
	}
	var han, kana, hangul, thai, latin, other, viLetters int
	for _, r := range text {
		switch {
		case r < 0x80:
			if r|0x20 >= 'a' && r|0x20 <= 'z' {
				latin++
			}
		case r >= 0x0E00 && r <= 0x0E7F:
			thai++
		case r >= 0x4E00 && r <= 0x9FFF || unicode.Is(unicode.Han, r):
			// The common CJK block first: unicode.Is searches tables.
			han++
		case unicode.In(r, unicode.Hiragana, unicode.Katakana):
			kana++
		case unicode.Is(unicode.Hangul, r):
			hangul++
		case unicode.Is(unicode.Latin, r):
			latin++
			if isVietnameseLetter(r) {
				viLetters++
			}
		case unicode.IsLetter(r):
			other++
		}
	}
	// Weigh scripts by rough "words": a Han character is about a word, a
	// Thai or Latin word about five letters.
	hanW, thaiW, latinW := float64(han), float64(thai)/4, float64(latin)/5
	otherW := float64(other)/4 + float64(kana) + float64(hangul)
	switch {
	case hanW+thaiW+latinW+otherW == 0:
		return "", false
	case kana > 0 && float64(kana) >= 0.1*float64(han+kana):
		return "", han+kana >= 4 // Japanese
	case otherW >= hanW && otherW >= thaiW && otherW >= latinW:
		return "", otherW >= 2
	case hanW >= thaiW && hanW >= latinW:
		return LangZh, han >= 4
	case thaiW >= latinW:
		return LangTh, thai >= 8
	}
	return detectLatin(text, latin, viLetters)
}

// isVietnameseLetter reports whether r is a letter that, among the Latin
// languages Vigil meets, only Vietnamese writes.
func isVietnameseLetter(r rune) bool {
	r = unicode.ToLower(r)
	switch r {
	case 'ă', 'đ', 'ơ', 'ư', 'ĩ', 'ũ':
		return true
	}
	return r >= 0x1EA0 && r <= 0x1EF9 // Latin Extended Additional: ạ ả ấ ầ ... ỹ
}

// Stop-word weights per Latin language. Only words frequent in SMS and
// rare in the other languages are listed; Indonesian and Malay share most
// function words, so only the ones that tell them apart are given to ms.
var latinStop = map[string][]string{
	LangEn: {"the", "and", "you", "your", "to", "is", "are", "for", "of", "in", "on", "it", "this", "that", "with", "have", "be", "will", "me", "my", "we", "our", "not", "can", "get", "now", "call", "free", "please", "what", "how", "when", "i'm", "im", "u", "ur", "it's", "don't", "just", "from", "at", "or", "if", "so", "was", "all", "no", "yes", "ok", "got", "txt", "text", "reply", "send", "won", "claim", "been", "has", "he", "she", "they", "do", "but", "lol", "know", "going", "pls", "there", "here", "an", "by", "go", "want", "need", "would", "should", "could", "dear", "customer", "account", "click", "link", "dont", "cant", "wat", "lor", "lar", "later", "then", "hi", "hey", "love", "day", "time", "home", "work"},
	LangID: {"yang", "dan", "di", "ke", "dari", "ini", "itu", "untuk", "dengan", "tidak", "bisa", "sudah", "saya", "aku", "kamu", "anda", "kami", "kita", "ada", "akan", "juga", "atau", "karena", "jadi", "sama", "lagi", "mau", "gak", "nggak", "ga", "aja", "yg", "udah", "belum", "sekarang", "hanya", "segera", "hubungi", "silakan", "selamat", "info", "pulsa", "hadiah", "rp", "dgn", "utk", "tdk", "sy", "dr", "jg", "kalau", "kalo", "nih", "dong", "deh", "sih", "banget", "uang", "terima", "kasih", "mohon", "pak", "bu", "mas", "mbak", "nomor", "apa", "gimana", "pelanggan", "tsb", "ya", "klik", "bapak", "ibu"},
	"ms":   {"boleh", "kerana", "sahaja", "awak", "wang", "tak", "nak", "sila", "akaun", "percuma", "anda", "dengan", "untuk", "ini", "ke", "tidak", "kami", "encik", "cik", "telah", "sebarang", "maklumat", "tuan", "puan", "kenapa", "macam", "mahu"},
	"tl":   {"ang", "ng", "mga", "sa", "ko", "mo", "po", "na", "ka", "ako", "ikaw", "siya", "namin", "natin", "kayo", "hindi", "oo", "lang", "naman", "kasi", "ba", "pa", "nga", "yung", "kung", "para", "salamat"},
	"es":   {"el", "la", "los", "las", "de", "que", "y", "en", "por", "para", "con", "su", "usted", "es", "una", "un", "del", "al", "se", "no", "tu", "mi", "ha", "este", "esta", "pero", "como", "hola", "gracias", "cuenta", "su"},
	"fr":   {"le", "la", "les", "de", "des", "du", "et", "est", "une", "un", "vous", "votre", "pour", "sur", "avec", "dans", "que", "qui", "pas", "nous", "je", "tu", "merci", "bonjour", "compte", "au", "aux"},
	"pt":   {"o", "os", "da", "do", "das", "dos", "que", "e", "em", "para", "com", "uma", "um", "seu", "sua", "voce", "você", "não", "nao", "obrigado", "conta"},
	"de":   {"der", "die", "das", "und", "ist", "nicht", "sie", "ich", "mit", "für", "auf", "ein", "eine", "ihr", "ihre", "zu", "den", "dem", "bitte", "danke"},
	"nl":   {"de", "het", "een", "en", "van", "is", "niet", "uw", "je", "op", "met", "voor", "dat", "deze", "wij", "ons", "bedankt"},
	LangVi: {"cua", "va", "cac", "khong", "duoc", "quy", "khach", "tai", "den", "voi", "nhan", "ban", "la", "trong", "cho", "tien", "soan", "gui", "ngay", "thang", "dong", "chi", "tiet", "hang", "nhung", "nay", "se", "da", "vui", "long", "lien", "he", "tk", "tb", "dang", "ky", "goi", "cuoc", "mien", "phi", "nguoi", "toi", "anh", "em", "chi", "oi", "nha", "roi", "di", "vay", "thi", "hay", "ma", "mot", "hon", "tu", "ve", "sau", "truoc", "theo", "tra", "dung", "thue", "bao", "ngan", "trieu", "dich", "vu"},
}

// maxStop is the length in bytes of the longest stop word.
var maxStop = func() int {
	n := 0
	for _, words := range latinStop {
		for _, w := range words {
			n = max(n, len(w))
		}
	}
	return n
}()

// stopPacked maps a stop word of up to 8 bytes, packed into an integer, to
// the set of latinLangs listing it (bit i for latinLangs[i]); stopLong
// holds the longer ones. Integer keys spare hashing a string per word.
var stopPacked, stopLong = func() (map[uint64]uint16, map[string]uint16) {
	short, long := map[uint64]uint16{}, map[string]uint16{}
	for lang, words := range latinStop {
		for _, w := range words {
			if len(w) <= 8 {
				short[pack([]byte(w))] |= 1 << latinIndex[lang]
			} else {
				long[w] |= 1 << latinIndex[lang]
			}
		}
	}
	return short, long
}()

// pack packs up to 8 bytes into an integer, with the length in the top
// byte's spare room so "a" and "a\x00" differ.
func pack(b []byte) uint64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v ^ uint64(len(b))<<60
}

// detectPrefix is how much of a text Detect reads.
const detectPrefix = 512

// latinLangs are the Latin-script languages told apart by stop words, in
// the order that breaks ties; latinIndex finds one's place.
var latinLangs = [...]string{LangEn, LangID, LangVi, "ms", "tl", "es", "fr", "pt", "de", "nl"}

var latinIndex = func() map[string]int {
	m := map[string]int{}
	for i, l := range latinLangs {
		m[l] = i
	}
	return m
}()

// detectLatin decides among the Latin-script languages.
func detectLatin(text string, letters, viLetters int) (string, bool) {
	if viLetters >= 2 && viLetters*20 >= letters {
		return LangVi, viLetters >= 4
	}
	var score [len(latinLangs)]float64
	var buf [32]byte
	words := 0
	for i := 0; i < len(text); {
		// Take the next run of letters and apostrophes, lower-cased.
		n := 0
		for i < len(text) {
			if c := text[i]; c < utf8.RuneSelf {
				// ASCII, the common case: no decoding.
				if !(c|0x20 >= 'a' && c|0x20 <= 'z') && c != '\'' {
					break
				}
				if n < len(buf) {
					buf[n] = c | 0x20
					if c == '\'' {
						buf[n] = c
					}
					n++
				}
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(text[i:])
			if !unicode.IsLetter(r) {
				break
			}
			i += size
			if n+4 <= len(buf) {
				n += utf8.EncodeRune(buf[n:], unicode.ToLower(r))
			}
		}
		if n > 0 {
			words++
			if n > maxStop {
				continue // longer than any stop word: no lookup
			}
			var set uint16
			if n <= 8 {
				set = stopPacked[pack(buf[:n])]
			} else {
				set = stopLong[string(buf[:n])]
			}
			if set != 0 {
				w := 1 / float64(bits.OnesCount16(set))
				for ; set != 0; set &= set - 1 {
					score[bits.TrailingZeros16(set)] += w
				}
			}
			continue
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	bi, si := -1, -1
	for k := range latinLangs {
		switch {
		case bi < 0 || score[k] > score[bi]:
			bi, si = k, bi
		case si < 0 || score[k] > score[si]:
			si = k
		}
	}
	best := latinLangs[bi]
	msScore, idScore := score[latinIndex["ms"]], score[latinIndex[LangID]]
	top, margin := score[bi], score[bi]-score[si]
	if top == 0 {
		return LangEn, false
	}
	// Malay and Indonesian: Indonesian unless Malay-only words outweigh.
	if best == "ms" && msScore-idScore < 1.5 {
		best = LangID
	}
	confident := top >= 1.5 && margin >= 1 && (words < 4 || top*10 >= float64(words))
	switch best {
	case LangEn, LangID, LangVi:
		return best, confident
	}
	return "", confident
}
