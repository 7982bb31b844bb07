package lookup

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"vigil/internal/datasets"
	"vigil/internal/extract"
	"vigil/internal/indicator"
	"vigil/internal/report"
)

// marks is a known-good list of two numbers: one official, one a warning.
type marks struct{}

func (marks) KnownGood(k indicator.Kind, v string) (string, bool, bool) {
	switch {
	case k == indicator.Phone && v == "+8613800138000":
		return "test official number", true, true
	case k == indicator.Phone && v == "+12125550100":
		return "test shared line", false, true
	}
	return "", false, false
}

// internationalInputs are numbers people paste: valid ones of many
// countries (the FTC's reported numbers, mobile ranges of the countries
// Vigil serves), random digit strings after "+", and near misses.
func internationalInputs(t *testing.T) []string {
	in := []string{"+8613800138000", "+12125550100", "+8613800138000 ", " +6281234567890", "+0123456789", "+86", "+861380013800012345",
		"+44 7911 123456", "++8613800138000", "+8695588", "+861", "+19005550123"}
	f, err := os.Open(datasets.Path(t, "indicators", "ftc_dnc_reported_numbers", "90days.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 0; sc.Scan() && n < 20000; n++ {
		in = append(in, "+1"+sc.Text())
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, prefix := range []string{"+86138", "+86150", "+9199", "+4478", "+63917", "+6681", "+8490", "+6012", "+855", "+95", "+856", "+62", "+7", "+44"} {
		for range 2000 {
			in = append(in, prefix+fmt.Sprint(r.IntN(1_000_000_000)))
		}
	}
	for range 20000 {
		in = append(in, "+"+fmt.Sprint(r.Uint64N(1<<52)))
	}
	return in
}

// A pasted international number read without scanning is read as the
// extractor reads it: the same one reading, kind, value and marks.
func TestReadInternationalAsExtractor(t *testing.T) {
	s := &Service{X: extract.New(extract.Options{KnownGood: marks{}})}
	fast, official, warned := 0, 0, 0
	for _, q := range internationalInputs(t) {
		m, ok := s.X.ReadInternational(q)
		if !ok {
			continue
		}
		fast++
		official += b2i(m.KnownGood)
		warned += b2i(m.Warning != "")
		want, err := report.Interpret(s.X, q, "", "")
		if err != nil || len(want) != 1 {
			t.Errorf("%q: read alone as %+v; the extractor reads %+v, %v", q, m, want, err)
			continue
		}
		w := want[0]
		if m.Kind != w.Kind || m.Value != w.Value || m.KnownGood != w.KnownGood || m.Note != w.Note || m.Warning != w.Warning {
			t.Errorf("%q: read alone as %+v; the extractor reads %+v", q, m, w)
		}
	}
	if fast < 20000 || official != 1 || warned != 1 {
		t.Errorf("%d numbers read alone (%d official, %d warned): the test no longer tests the fast path", fast, official, warned)
	}
}

// FuzzReadInternational holds the same for any input.
func FuzzReadInternational(f *testing.F) {
	for _, q := range []string{"+8613800138000", "+12125550100", "+447911123456", "+0", "+", "8613800138000"} {
		f.Add(q)
	}
	x := extract.New(extract.Options{KnownGood: marks{}})
	f.Fuzz(func(t *testing.T, q string) {
		m, ok := x.ReadInternational(q)
		if !ok {
			return
		}
		want, err := report.Interpret(x, q, "", "")
		if err != nil || len(want) != 1 || want[0].Kind != m.Kind || want[0].Value != m.Value || want[0].KnownGood != m.KnownGood ||
			want[0].Note != m.Note || want[0].Warning != m.Warning {
			t.Errorf("%q: read alone as %+v; the extractor reads %+v, %v", q, m, want, err)
		}
	})
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
