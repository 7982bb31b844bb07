package extract

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// randomText returns text of n bytes drawn mostly from alphabet, with a
// multi-byte character now and then.
func randomText(r *rand.Rand, n int, alphabet string) string {
	b := make([]byte, 0, n+4)
	for len(b) < n {
		if r.IntN(40) == 0 {
			b = utf8.AppendRune(b, []rune("微信é①１")[r.IntN(5)])
			continue
		}
		b = append(b, alphabet[r.IntN(len(alphabet))])
	}
	return string(b)
}

// TestPlainRun holds the word-at-a-time scan to the byte-at-a-time
// definition.
func TestPlainRun(t *testing.T) {
	naive := func(s string) int {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c >= utf8.RuneSelf || c == '[' || c == '(' || c == '{' {
				return i
			}
		}
		return len(s)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		s := randomText(r, r.IntN(40), "abcXYZ 09.:;([{}])\x7f\x00zZ")
		if got, want := plainRun(s), naive(s); got != want {
			t.Fatalf("plainRun(%q) = %d, want %d", s, got, want)
		}
	}
}

// TestSkipPlain checks that what skipPlain passes over holds nothing the
// token scan acts on: only ASCII letters and separators other than + ( - _
// and digits, in words that end before the scan resumes and are too short
// for a wallet.
func TestSkipPlain(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for n := range 50000 {
		alphabet := "abcdefghijklmnopqrstuvwxyzABC    .,;:!?'\"(+-_19"
		switch n % 4 {
		case 0:
			alphabet = "abcdefghijklmnopqrstuvwxyz      ."
		case 1:
			alphabet = "abcdefghijklmnopqrstuvwxyz " // words about as long as a wallet
		}
		s := randomText(r, r.IntN(80), alphabet)
		// The scan stands at the start of the text or after a separator.
		i := 0
		if n%3 == 0 && len(s) > 0 {
			i = r.IntN(len(s))
			for i > 0 && isAlnum(s[i-1]) {
				i--
			}
		}
		end := skipPlain(s, i)
		if end < i || end > len(s) || end > i && isLetter(s[end-1]) && end < len(s) && isLetter(s[end]) {
			t.Fatalf("skipPlain(%q, %d) = %d: out of range or inside a word", s, i, end)
		}
		word := 0
		for k := i; k < end; k++ {
			c := s[k]
			if c >= utf8.RuneSelf || isDigit(c) || c == '+' || c == '(' || c == '-' || c == '_' {
				t.Fatalf("skipPlain(%q, %d) = %d: passes over %q at %d", s, i, end, c, k)
			}
			if isLetter(c) {
				word++
			} else {
				word = 0
			}
			if word >= 25 {
				t.Fatalf("skipPlain(%q, %d) = %d: passes over a word of 25 letters", s, i, end)
			}
		}
	}
}

// TestCaseHelpers holds the copy-free case tests to the strings.ToLower
// definitions they replace, with characters whose lower case is ASCII
// ("İ" is "i", the Kelvin sign "k").
func TestCaseHelpers(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for range 50000 {
		s := randomText(r, r.IntN(8), "hHrRxX*_fFpPmMaAiIlLtToOsSuUdDbB")
		if r.IntN(4) == 0 {
			s = []string{"İ", "\u212a", "\xc4", "ſ"}[r.IntN(4)] + s
		}
		for _, p := range []string{"href", "mailto", "hxx", "h**", "rs", "usd", "rmb"} {
			if got, want := hasPrefixLower(s, p), strings.HasPrefix(strings.ToLower(s), p); got != want {
				t.Fatalf("hasPrefixLower(%q, %q) = %v, want %v", s, p, got, want)
			}
		}
		for _, p := range []string{"rs", "usd", "rmb", "rp"} {
			if got, want := hasSuffixFold(s, p), strings.HasSuffix(strings.ToLower(s), p); got != want {
				t.Fatalf("hasSuffixFold(%q, %q) = %v, want %v", s, p, got, want)
			}
		}
		if got, want := string(appendLower(nil, s)), strings.ToLower(s); got != want {
			t.Fatalf("appendLower(%q) = %q, want %q", s, got, want)
		}
		if d := s + randomText(r, r.IntN(6), "ab[({.点。點"); defanged(d) != defangedByCopy(d) {
			t.Fatalf("defanged(%q) = %v, want %v", d, defanged(d), defangedByCopy(d))
		}
		if len(s) <= 8 {
			if got, want := isGluedKeyword(s), gluedKeyword[strings.ToLower(s)] && allLetters(s); got != want && allLetters(s) {
				t.Fatalf("isGluedKeyword(%q) = %v, want %v", s, got, want)
			}
		}
	}
}

func allLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isLetter(s[i]) {
			return false
		}
	}
	return true
}

// defangedByCopy is defanged as it was written first.
func defangedByCopy(raw string) bool {
	if strings.ContainsAny(raw, "[({") || strings.Contains(raw, "点") || strings.Contains(raw, "。") || strings.Contains(raw, "點") {
		return true
	}
	if len(raw) < 3 {
		return false
	}
	switch strings.ToLower(raw[:3]) {
	case "hxx", "h**", "fxp", "h__":
		return true
	}
	return false
}

// TestFoldKeeps holds fold's table of characters kept as they are
// (foldKeeps) to its full switch: every character of the Basic
// Multilingual Plane, alone, twice, and between a letter and a digit
// (where "点" is a dot), folds the same with the table and without it.
func TestFoldKeeps(t *testing.T) {
	table := foldKeeps
	defer func() { foldKeeps = table }()
	fold2 := func(s string) (withTable, without folded) {
		foldKeeps = table
		withTable = *fold(s)
		foldKeeps = [1 << 10]uint64{}
		without = *fold(s)
		return withTable, without
	}
	for r := rune(0x80); r < 0x10000; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		for _, s := range []string{string(r), "a" + string(r) + "1", string(r) + string(r)} {
			if got, want := fold2(s); !reflect.DeepEqual(got, want) {
				t.Fatalf("fold(%q) = %+v with foldKeeps, %+v without", s, got, want)
			}
		}
	}
}
