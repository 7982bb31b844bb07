package screen

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"vigil/internal/datasets"
	"vigil/internal/extract"
)

// corpus reads the named corpora from the shared data directory, skipping
// the test when it is absent (failing under CI=true).
func corpus(tb testing.TB, sources []string, limit int) []datasets.Message {
	tb.Helper()
	dir := filepath.Dir(datasets.Path(tb, "text"))
	var all []datasets.Message
	for _, src := range sources {
		ms, err := datasets.Messages(dir, src)
		if err != nil {
			tb.Fatal(err)
		}
		if limit > 0 && len(ms) > limit {
			ms = ms[:limit]
		}
		all = append(all, ms...)
	}
	return all
}

// Over real texts in every language Vigil reads: spans within the text,
// Text the text between them, explanations present, risk in [0, 1].
func TestCorpusSignalsValid(t *testing.T) {
	limit := 0
	if testing.Short() {
		limit = 300
	}
	sources := append(append([]string{}, datasets.BenchSources...), "jobs/zh", "jobs/en", "fraud_r1/jobs")
	kinds := map[string]string{"jobs/zh": KindJob, "jobs/en": KindJob, "fraud_r1/jobs": KindJob}
	n := 0
	for _, m := range corpus(t, sources, limit) {
		kind := kinds[m.Source]
		if kind == "" {
			kind = KindMessage
		}
		r := RulesOnly(m.Text, kind, extractor.Extract(m.Text).Matches)
		checkSignals(t, m.Text, r.Signals)
		if !(r.Risk >= 0 && r.Risk <= 1) {
			t.Fatalf("%s #%d: risk %v", m.Source, m.Key, r.Risk)
		}
		n += len(r.Signals)
	}
	t.Logf("%d signals", n)
}

func FuzzSignals(f *testing.F) {
	for _, c := range append(append([]screenCase{}, typeCases...), jobCases...) {
		f.Add(c.text, c.kind)
	}
	f.Add("月薪", KindJob)
	f.Add("salary $", KindJob)
	f.Add("月薪9999999999999999999万", KindJob)
	f.Add("\xff\xfe护照\xe6", KindMessage)
	f.Fuzz(func(t *testing.T, text, kind string) {
		r := RulesOnly(text, kind, extractor.Extract(text).Matches)
		checkSignals(t, text, r.Signals)
		if !(r.Risk >= 0 && r.Risk <= 1) {
			t.Fatalf("risk %v", r.Risk)
		}
		var sum float64
		for _, ts := range r.TypeScores {
			sum += ts.Score
		}
		if len(r.TypeScores) > 0 && (sum < 0.999 || sum > 1.001) {
			t.Fatalf("type scores sum to %v", sum)
		}
	})
}

// benchTexts returns the throughput corpora with the extractor's matches
// of each text, and sets the benchmark's bytes per pass.
func benchTexts(b *testing.B) ([]datasets.Message, [][]extract.Match) {
	ms := corpus(b, datasets.BenchSources, 0)
	matches := make([][]extract.Match, len(ms))
	var size int64
	for i, m := range ms {
		matches[i] = extractor.Extract(m.Text).Matches
		size += int64(len(m.Text))
	}
	load()
	b.SetBytes(size)
	b.ResetTimer()
	return ms, matches
}

// BenchmarkSignals measures Signals alone on one core over the throughput
// corpora, with the extractor's matches computed beforehand (screening is
// given them, it does not extract again).
func BenchmarkSignals(b *testing.B) {
	ms, matches := benchTexts(b)
	for b.Loop() {
		for i, m := range ms {
			Signals(m.Text, KindMessage, matches[i])
		}
	}
}

// BenchmarkRulesOnly adds scoring and the language guess.
func BenchmarkRulesOnly(b *testing.B) {
	ms, matches := benchTexts(b)
	for b.Loop() {
		for i, m := range ms {
			RulesOnly(m.Text, KindMessage, matches[i])
		}
	}
}

// BenchmarkScreenCorpus and BenchmarkExtractOnly run in one go over the
// same texts: screening (extraction, signals, language, model) against
// extraction alone. docs/benchmarks.md reports the ratio.
func BenchmarkScreenCorpus(b *testing.B) {
	ms, _ := benchTexts(b)
	s := &Screener{X: extract.New(extract.Options{})}
	ctx := context.Background()
	for b.Loop() {
		for _, m := range ms {
			if _, err := s.Screen(ctx, m.Text, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkExtractOnly(b *testing.B) {
	ms, _ := benchTexts(b)
	x := extract.New(extract.Options{})
	for b.Loop() {
		for _, m := range ms {
			x.Extract(m.Text)
		}
	}
}

// BenchmarkScreenOverExtract measures screening and extraction alone in
// turns, message by message, so that the machine's drift hits both alike,
// and reports how many times extraction's cost screening adds
// (screen/extract - 1; the target is at most 3).
func BenchmarkScreenOverExtract(b *testing.B) {
	ms := corpus(b, datasets.BenchSources, 0)
	// Each side has its own extractor: neither profits from values the
	// other's extractor has remembered.
	x := extract.New(extract.Options{})
	s := &Screener{X: extract.New(extract.Options{})}
	ctx := context.Background()
	var tx, ts time.Duration
	for b.Loop() {
		for _, m := range ms {
			t0 := time.Now()
			x.Extract(m.Text)
			t1 := time.Now()
			if _, err := s.Screen(ctx, m.Text, Options{}); err != nil {
				b.Fatal(err)
			}
			tx += t1.Sub(t0)
			ts += time.Since(t1)
		}
	}
	b.ReportMetric(float64(ts)/float64(tx)-1, "added×extract")
	b.ReportMetric(float64(tx.Milliseconds())/float64(b.N), "extract-ms/pass")
	b.ReportMetric(float64(ts.Milliseconds())/float64(b.N), "screen-ms/pass")
}
