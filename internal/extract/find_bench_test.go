package extract

import (
	"strings"
	"testing"
)

func BenchmarkFindCues(b *testing.B) {
	text := strings.Join(benchCorpus(b), "\n")
	x := New(Options{})
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for range b.N {
		x.findAnchors(text, nil, nil)
	}
}

func BenchmarkFold(b *testing.B) {
	text := strings.Join(benchCorpus(b), "\n")
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for range b.N {
		fold(text)
	}
}
