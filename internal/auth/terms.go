package auth

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// runClass is what a character is to the tokeniser.
type runClass uint8

const (
	classSep      runClass = iota // ends a word
	classSpaced                   // letter or number of a script written with spaces
	classUnspaced                 // letter or number of a script written without them
	classMark                     // combining mark: belongs to the word before it
)

// unspacedScripts are written without spaces between words (or, for
// Hangul, glue endings to words), so a word cannot be found by splitting on
// spaces; overlapping pairs of characters find it instead, as in the
// "bigram" indexes of Lucene and PostgreSQL's pg_bigm. Besides the Chinese,
// Japanese, Korean and Thai, Vigil's reports are often in Burmese, Khmer
// and Lao, written the same way.
var unspacedScripts = []*unicode.RangeTable{
	unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul,
	unicode.Thai, unicode.Myanmar, unicode.Khmer, unicode.Lao,
}

// classOf returns the class of r.
func classOf(r rune) runClass {
	wordChar := unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
	switch {
	case !wordChar:
		return classSep
	// The prolonged sound mark and 〆 are in the Common script but written
	// inside Japanese words.
	case unicode.IsOneOf(unspacedScripts, r) || r == 'ー' || r == '〆':
		return classUnspaced
	case unicode.IsMark(r):
		return classMark
	}
	return classSpaced
}

// Tokens returns the search tokens of text, each once, in order of first
// appearance. The text is put in Unicode form NFKC (so full-width "ＷｅＣｈａｔ"
// is "wechat") and lower-cased, then cut into words: runs of letters,
// numbers and combining marks. Within a word, a run of characters of a
// script written without spaces (Han, Hiragana, Katakana, Hangul, Thai,
// Myanmar, Khmer, Lao) gives each overlapping pair of its characters, or
// the character itself if it stands alone; any other run gives the whole
// run if it is at least two characters long. Bytes that are not UTF-8 end
// words.
//
// So a query finds a text when each of its words is a whole word of the
// text, or for the unspaced scripts a run of at least two characters of
// the text. A single Chinese character finds only texts where it stands
// alone: the price of not indexing every character on its own.
func Tokens(text string) []string {
	s := norm.NFKC.String(strings.ToLower(norm.NFKC.String(text)))
	var (
		out   []string
		seen  = map[string]bool{}
		run   []rune
		class = classSep
	)
	emit := func(t string) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	flush := func() {
		switch {
		case class == classSpaced && len(run) >= 2:
			emit(string(run))
		case class == classUnspaced && len(run) == 1:
			emit(string(run))
		case class == classUnspaced:
			for i := 0; i+1 < len(run); i++ {
				emit(string(run[i : i+2]))
			}
		}
		run = run[:0]
	}
	for _, r := range s {
		c := classOf(r)
		if c == classMark {
			c = class // an accent stays with its letter
		}
		if c != class {
			flush()
			class = c
		}
		if c != classSep {
			run = append(run, r)
		}
	}
	flush()
	return out
}

// Terms returns the blind-index terms of text: Blind("term", t) for each
// of Tokens(text). The store keeps them beside an encrypted narrative so
// that it can be searched without being decrypted.
func (k *Keyring) Terms(text string) [][]byte {
	return k.blindAll(Tokens(text))
}

// QueryTerms returns the blind-index terms of a search query. The query is
// tokenised as a text is, so a text matches when its terms include all of
// the query's.
func (k *Keyring) QueryTerms(q string) [][]byte {
	return k.blindAll(Tokens(q))
}

// blindAll blinds tokens under one current key, even if a rotation happens
// meanwhile.
func (k *Keyring) blindAll(tokens []string) [][]byte {
	if len(tokens) == 0 {
		return nil
	}
	bk := k.current().blind
	out := make([][]byte, len(tokens))
	for i, t := range tokens {
		out[i] = blindWith(bk, termDomain, t)
	}
	return out
}
