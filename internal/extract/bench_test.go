package extract

import (
	"runtime"
	"strings"
	"sync"
	"testing"

	"vigil/internal/datasets"
)

// benchCorpus is the benchmark input: every message of the corpora in
// datasets.BenchSources, which bench/run.sh also gives the peer tools.
func benchCorpus(b testing.TB) []string {
	b.Helper()
	dir, err := datasets.Dir()
	if err != nil {
		b.Skip(err)
	}
	var texts []string
	for _, src := range datasets.BenchSources {
		ms, err := datasets.Messages(dir, src)
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range ms {
			if strings.TrimSpace(m.Text) != "" {
				texts = append(texts, m.Text)
			}
		}
	}
	return texts
}

func totalBytes(texts []string) int64 {
	var n int64
	for _, t := range texts {
		n += int64(len(t))
	}
	return n
}

// BenchmarkExtractCorpus is extraction of every kind over the real corpus,
// one message at a time, the way batch pipelines call it.
func BenchmarkExtractCorpus(b *testing.B) {
	texts := benchCorpus(b)
	x := New(Options{})
	b.SetBytes(totalBytes(texts))
	b.ResetTimer()
	for range b.N {
		for _, t := range texts {
			x.Extract(t)
		}
	}
}

// BenchmarkExtractCorpusParallel is the cold pass on every core: a fresh
// Extractor per pass, shared by GOMAXPROCS workers, as vigil scan and vigil
// serve use it.
func BenchmarkExtractCorpusParallel(b *testing.B) {
	texts := benchCorpus(b)
	b.SetBytes(totalBytes(texts))
	workers := runtime.GOMAXPROCS(0)
	b.ResetTimer()
	for range b.N {
		x := New(Options{})
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(texts); i += workers {
					x.Extract(texts[i])
				}
			}()
		}
		wg.Wait()
	}
}

// BenchmarkExtractCorpusCold is the same with a fresh Extractor (an empty
// phone-number cache) each pass: what a one-off "vigil scan" of the corpus
// costs, and what bench/run.sh compares with the peers.
func BenchmarkExtractCorpusCold(b *testing.B) {
	texts := benchCorpus(b)
	b.SetBytes(totalBytes(texts))
	b.ResetTimer()
	for range b.N {
		x := New(Options{})
		for _, t := range texts {
			x.Extract(t)
		}
	}
}

// pathological inputs: long runs that could make a scanner quadratic.
var pathological = map[string]string{
	"digits":        "1",
	"spaced-digits": "1 ",
	"dots":          "a.",
	"dashes":        "1-",
	"at":            "a@",
	"hex":           "0x",
	"base58":        "T1",
	"cjk":           "微信",
	"numerals":      "一三八",
	"defang":        "[.]",
	"colons":        "a:",
	"url":           "http://a.co/",
	"mixed":         "微信 abc_123 138 0013 8000 x.com ",
}

func benchPathological(b *testing.B, size int) {
	for name, unit := range pathological {
		text := strings.Repeat(unit, size/len(unit))
		b.Run(name, func(b *testing.B) {
			x := New(Options{})
			b.SetBytes(int64(len(text)))
			for range b.N {
				x.Extract(text)
			}
		})
	}
}

func BenchmarkPathological1MB(b *testing.B)  { benchPathological(b, 1<<20) }
func BenchmarkPathological10MB(b *testing.B) { benchPathological(b, 10<<20) }

// BenchmarkStream is streaming throughput over the corpus as one text.
func BenchmarkStream(b *testing.B) {
	text := strings.Join(benchCorpus(b), "\n")
	x := New(Options{})
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for range b.N {
		x.Stream(strings.NewReader(text), StreamOptions{}, func(Match) error { return nil })
	}
}

// BenchmarkReadInternational reads pasted E.164 numbers of the countries
// the lookup benchmark asks about (bench/store/lookupbench/gen.go).
func BenchmarkReadInternational(b *testing.B) {
	x := New(Options{})
	for _, c := range []struct{ name, number string }{
		{"US", "+12125550123"}, {"CN", "+8613812345678"}, {"IN", "+919912345678"}, {"GB", "+447812345678"},
		{"PH", "+639171234567"}, {"TH", "+66812345678"}, {"VN", "+84901234567"}, {"MY", "+60121234567"},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, ok := x.ReadInternational(c.number); !ok {
					b.Fatal(c.number)
				}
			}
		})
	}
}
