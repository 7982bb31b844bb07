package screen

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"vigil/internal/extract"
	"vigil/internal/lookup"
	"vigil/internal/report"
	"vigil/internal/store"
	"vigil/internal/store/sqlstore"
	"vigil/internal/store/storetest"
)

func ids(sigs []Signal) []string {
	var out []string
	for _, s := range sigs {
		out = append(out, s.ID)
	}
	return out
}

func TestScreenCombines(t *testing.T) {
	ctx := context.Background()
	s := &Screener{X: extract.New(extract.Options{})}
	a, err := s.Screen(ctx, "您好，我是公安局民警，您的银行账户涉嫌洗钱，请立即将资金转入安全账户配合调查，否则将冻结您的账户。", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Verdict != VerdictScam || a.Type != "impersonation_official" || a.Lang != "zh" || !a.LangSeen || a.ModelRisk == nil || *a.ModelRisk < 0.5 {
		t.Errorf("police impersonation: %+v", a)
	}
	i := slices.IndexFunc(a.Signals, func(s Signal) bool { return s.ID == "safe-account" })
	if i < 0 || a.Signals[i].Text != "安全账户" || a.Signals[i].Explain["en"] == "" || a.Signals[i].Explain["zh-Hans"] == "" {
		t.Errorf("safe-account signal: %v", a.Signals)
	}
	for _, sg := range a.Signals {
		if sg.Start < 0 || sg.End > len("您好，我是公安局民警，您的银行账户涉嫌洗钱，请立即将资金转入安全账户配合调查，否则将冻结您的账户。") || sg.Start > sg.End {
			t.Errorf("span out of the text: %+v", sg)
		}
	}

	benign, err := s.Screen(ctx, "Hi mum, I'll be home for dinner around 7, can you save me some rice?", Options{Kind: KindMessage})
	if err != nil || benign.Verdict != VerdictNoSign || benign.Type != "" {
		t.Errorf("benign: %+v %v", benign, err)
	}

	// A language the model has not seen: the model is not used, and
	// phrase signals do not count.
	es, err := s.Screen(ctx, "Felicidades, usted ha ganado un premio. Reclame aquí: https://bit.ly/3xYzAbc antes de mañana", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if es.LangSeen || es.ModelRisk != nil || es.Note == "" || !slices.Contains(ids(es.Signals), "link-shortener") {
		t.Errorf("unseen language: %+v", es)
	}
	for _, sg := range es.Signals {
		if sg.Lang != "" {
			t.Errorf("a phrase signal counted in an unseen language: %+v", sg)
		}
	}
}

func TestScreenKnownIndicator(t *testing.T) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "v.db"), sqlstore.Options{Keys: storetest.Keys()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, who := range []string{"a", "b", "c"} {
		r := &report.Report{Kind: "scam", ScamType: "investment", Channel: "telegram", Narrative: "x", Status: "new", Reporter: who, Source: "api",
			Indicators: []report.Link{{Kind: "trx", Value: "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp", Role: report.RolePayment, Origin: "named"}}}
		if _, _, err := db.AddReport(ctx, r, store.Idempotency{}); err != nil {
			t.Fatal(err)
		}
	}
	x := extract.New(extract.Options{})
	text := "Hello, please send the deposit to TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp today"
	plain, err := (&Screener{X: x}).Screen(ctx, text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	known, err := (&Screener{X: x, Known: &lookup.Service{X: x, Store: db}}).Screen(ctx, text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(known.Signals, func(s Signal) bool { return s.ID == "known-indicator" })
	if i < 0 || known.Risk <= plain.Risk || known.Signals[i].Text != "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp" || !strings.Contains(known.Signals[i].Explain["en"], "3 reports") {
		t.Errorf("a reported wallet raises the risk and says why: plain %.2f known %.2f %+v", plain.Risk, known.Risk, known.Signals)
	}
	if len(known.Indicators) != 1 || known.Indicators[0].Lookup == nil || !known.Indicators[0].Lookup.Known {
		t.Errorf("indicators with lookups: %+v", known.Indicators)
	}
}

func TestScreenRejects(t *testing.T) {
	s := &Screener{X: extract.New(extract.Options{})}
	for _, c := range []struct{ text, kind string }{{"x", "tweet"}, {"\xff\xfe", ""}, {strings.Repeat("a", MaxText+1), ""}} {
		if _, err := s.Screen(context.Background(), c.text, Options{Kind: c.kind}); !errors.Is(err, ErrInvalid) {
			t.Errorf("kind %q, %d bytes: %v, want ErrInvalid", c.kind, len(c.text), err)
		}
	}
}

func FuzzScreen(f *testing.F) {
	s := &Screener{X: extract.New(extract.Options{})}
	for _, t := range []string{"安全账户", "you have won a prize, click https://bit.ly/x", "ยินดีด้วย", "", "\xff"} {
		f.Add(t, "")
	}
	f.Fuzz(func(t *testing.T, text, kind string) {
		a, err := s.Screen(context.Background(), text, Options{Kind: kind})
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v", err)
			}
			return
		}
		if a.Risk < 0 || a.Risk > 1 {
			t.Fatalf("risk %v", a.Risk)
		}
		for _, sg := range a.Signals {
			if sg.Start < 0 || sg.End > len(text) || sg.Start > sg.End || text[sg.Start:sg.End] != sg.Text {
				t.Fatalf("bad span %+v", sg)
			}
		}
	})
}
