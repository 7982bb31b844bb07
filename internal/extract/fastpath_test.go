package extract

import (
	"math/rand/v2"
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
