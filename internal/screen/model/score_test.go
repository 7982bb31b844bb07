package model

import (
	"math"
	"strings"
	"testing"

	"vigil/internal/datasets"
)

func TestScoreExplains(t *testing.T) {
	m := Shipped()
	risk, types, contrib := m.Score("【公安局】您好，您的账户涉嫌洗钱，请立即将资金转入安全账户配合调查，否则将被冻结。", LangZh)
	if risk < 0.5 {
		t.Errorf("police impersonation: risk %.3f, want >= 0.5", risk)
	}
	if len(types) == 0 || types[0].Type != "impersonation_official" {
		t.Errorf("police impersonation: types %v, want impersonation_official first", types)
	}
	if len(contrib) == 0 || contrib[0].Text == "" {
		t.Errorf("no explanation: %v", contrib)
	}
	for i := 1; i < len(contrib); i++ {
		if math.Abs(contrib[i].Weight) > math.Abs(contrib[i-1].Weight) {
			t.Errorf("contributions not sorted by effect: %v", contrib)
		}
	}
	risk, _, _ = m.Score("ok see you at 7 for dinner, I'll bring the wine", LangEn)
	if risk > 0.5 {
		t.Errorf("dinner chat: risk %.3f, want < 0.5", risk)
	}
	want := []string{"impersonation_official", "loan", "customer_service", "impersonation_acquaintance", "job", "phishing", "romance"}
	for _, w := range want {
		if !strings.Contains(strings.Join(m.Types(), ","), w) {
			t.Errorf("shipped model lacks type %s: %v", w, m.Types())
		}
	}
	for _, l := range []string{LangZh, LangEn, LangID, LangTh, LangVi} {
		if !m.Seen(l) {
			t.Errorf("shipped model not trained on %s: %v", l, m.Langs())
		}
	}
	if m.Seen("ms") || m.Seen("") {
		t.Errorf("Seen(ms) or Seen(\"\") true")
	}
}

func TestFeatures(t *testing.T) {
	var x extractor
	has := func(text, want string) bool {
		for _, f := range x.extract(text, "") {
			if describe(text, f) == want {
				return true
			}
		}
		return false
	}
	for _, c := range []struct{ text, want string }{
		{"click http://bit.ly/abc now", "<url>"},
		{"click www.example.com now", "[has url]"},
		{"visit paypal-secure.xyz/login", "<url>"},
		{"mail me at a.b@example.com", "<email>"},
		{"call 0906 170 1461 now", "<phone>"},
		{"call 0906 170 1461 now", "[has phone]"},
		{"you won £1000 cash", "[has amount]"},
		{"Dapatkan Rp 5000000 sekarang", "[has amount]"},
		{"每天500元", "[has amount]"},
		{"您的账户", "账户"},
		{"您的账户", "的账户"},
		{"Free Prize", "free prize"},
		{"end.Then we go", "end"},
	} {
		if !has(c.text, c.want) {
			var got []string
			for _, f := range x.extract(c.text, "") {
				got = append(got, describe(c.text, f))
			}
			t.Errorf("features of %q lack %q: %q", c.text, c.want, got)
		}
	}
	if has("end.Then we go", "<url>") {
		t.Errorf("end.Then taken for a link")
	}
}

func FuzzScore(f *testing.F) {
	for _, s := range []string{"", "a", "您好", "http://x.y", "ค่ะ", "0906 170 1461", "\xff\xfe", "Quý khách", "a.b@c.de", strings.Repeat("9 ", 40)} {
		f.Add(s)
	}
	m := Shipped()
	f.Fuzz(func(t *testing.T, text string) {
		lang, _ := Detect(text)
		risk, types, contrib := m.Score(text, lang)
		if !(risk >= 0 && risk <= 1) {
			t.Fatalf("risk %v out of [0,1]", risk)
		}
		sum := 0.0
		for _, ts := range types {
			sum += ts.P
		}
		if len(types) > 0 && math.Abs(sum-1) > 1e-6 {
			t.Fatalf("type probabilities sum to %v", sum)
		}
		if len(contrib) > maxContrib {
			t.Fatalf("%d contributions", len(contrib))
		}
	})
}

// BenchmarkScore scores the benchmark corpora's texts (datasets.BenchSources),
// as the extractor's benchmark reads them.
func BenchmarkScore(b *testing.B) {
	dir := datasets.Path(b)
	var texts []string
	var total int64
	for _, src := range datasets.BenchSources {
		ms, err := datasets.Messages(dir, src)
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range ms {
			texts = append(texts, m.Text)
			total += int64(len(m.Text))
		}
	}
	m := Shipped()
	b.SetBytes(total)
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			m.Score(t, "")
		}
	}
}

// BenchmarkDetect is Detect over the same texts.
func BenchmarkDetect(b *testing.B) {
	dir := datasets.Path(b)
	var texts []string
	var total int64
	for _, src := range datasets.BenchSources {
		ms, err := datasets.Messages(dir, src)
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range ms {
			texts = append(texts, m.Text)
			total += int64(len(m.Text))
		}
	}
	b.SetBytes(total)
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			Detect(t)
		}
	}
}
