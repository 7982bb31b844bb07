package model

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"sync"
	"testing"
	"time"

	"vigil/internal/datasets"
)

var trainFlag = flag.Bool("train", false, "retrain shipped.bin and rewrite testdata/report.md")

var corpus = sync.OnceValues(func() ([]Example, error) {
	dir, err := datasets.Dir()
	if err != nil {
		return nil, err
	}
	return Corpus(dir)
})

// examples returns the labelled corpus, skipping (or failing under CI) when
// the shared data is absent.
func examples(t testing.TB) []Example {
	t.Helper()
	datasets.Path(t, "text")
	ex, err := corpus()
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// TestTrainShipped retrains the shipped model and its report. Run with
// -train; it takes about a minute.
// TestTrainShipped checks that shipped.bin is what training on the data
// gives (training is deterministic), so the model card's figures belong to
// the shipped model. With -train it rewrites shipped.bin and
// testdata/report.md instead.
func TestTrainShipped(t *testing.T) {
	ex := examples(t)
	start := time.Now()
	m := Train(ex, DefaultOptions())
	took := time.Since(start)
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	if !*trainFlag {
		shipped, err := os.ReadFile("shipped.bin")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(shipped, buf.Bytes()) {
			t.Fatalf("shipped.bin (%d bytes) is not what training gives (%d bytes): retrain with go test ./internal/screen/model -run TestTrainShipped -args -train", len(shipped), buf.Len())
		}
		return
	}
	if err := os.WriteFile("shipped.bin", buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	_, dev := Split(ex)
	r := Evaluate(loaded, dev)
	r.Cross = CrossSource(ex, DefaultOptions())
	train, _ := Split(ex)
	head := fmt.Sprintf("# Shipped model: evaluation on the dev split\n\nTrained on %d texts from %v in %s; dev split %d texts; shipped.bin %d bytes.\n\n",
		len(train), m.Sources(), took.Round(time.Second/10), len(dev), buf.Len())
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("testdata/report.md", []byte(head+r.Markdown()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Log(head + r.Markdown())
}

// TestTrainSmall trains on a sample in a few seconds and checks the model
// has learnt something.
func TestTrainSmall(t *testing.T) {
	ex := examples(t)
	var sample []Example
	for i, e := range ex {
		if e.Dev || i%4 == 0 {
			sample = append(sample, e)
		}
	}
	m := Train(sample, Options{Bits: 16, TypeBits: 12, Epochs: 2})
	_, dev := Split(ex)
	r := Evaluate(m, dev)
	if r.Overall.AUC < 0.85 || r.Overall.F1 < 0.6 {
		t.Errorf("small model on dev: AUC %.3f F1 %.3f, want >= 0.85 and >= 0.6", r.Overall.AUC, r.Overall.F1)
	}
}

// TestShippedFloors holds the shipped model to the dev-split quality it
// was measured at (testdata/report.md), a little below.
func TestShippedFloors(t *testing.T) {
	ex := examples(t)
	_, dev := Split(ex)
	r := Evaluate(Shipped(), dev)
	floors := []struct {
		group  string
		metric string
		min    float64
	}{
		{"all", "AUC", 0.98},
		{"all", "F1", 0.93},
		{"sms/uci", "F1", 0.80},
		{"sms/mendeley", "F1", 0.78},
		{"zh/telecom", "F1", 0.98},
		{"ml/id", "F1", 0.75},
		{"ml/th", "F1", 0.70}, // 53 dev texts: one error moves F1 by ~0.03
		{"ml/vi", "F1", 0.55},
		{"ml/vi", "AUC", 0.93},
		{"fraud_r1/raw", "Recall", 0.85},
		{"sms/nus", "FPR", -0.01}, // negative: a ceiling
		{"sms/exais", "FPR", -0.02},
		{"email/spamassassin", "FPR", -0.02},
		{"jobs/zh", "FPR", -0.05},
	}
	get := func(m Metrics, metric string) float64 {
		switch metric {
		case "AUC":
			return m.AUC
		case "F1":
			return m.F1
		case "Recall":
			return m.Recall
		case "FPR":
			return m.FPR
		}
		panic(metric)
	}
	groups := map[string]Metrics{"all": r.Overall}
	for _, m := range r.BySource {
		groups[m.Group] = m
	}
	for _, f := range floors {
		m, ok := groups[f.group]
		if !ok {
			t.Errorf("%s: no dev texts", f.group)
			continue
		}
		got := get(m, f.metric)
		switch {
		case math.IsNaN(got):
			t.Errorf("%s %s undefined", f.group, f.metric)
		case f.min >= 0 && got < f.min:
			t.Errorf("%s %s = %.3f, want >= %.3f", f.group, f.metric, got, f.min)
		case f.min < 0 && got > -f.min:
			t.Errorf("%s %s = %.3f, want <= %.3f", f.group, f.metric, got, -f.min)
		}
	}
	if t.Failed() {
		t.Log(r.Markdown())
	}
}
