package main

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// measuredRun is a run of n requests in one second, each taking lat.
func measuredRun(target string, conc, n int, lat time.Duration) measured {
	r := result{Target: target, Conc: conc, Requests: n, Elapsed: time.Second}
	for range n {
		r.Lat = append(r.Lat, lat)
	}
	return measured{result: r}
}

// The knee is the fewest workers at which the bare handler's median round
// reaches 90% of the best median round; the p99 verdict (median of rounds)
// covers it and every lighter load, and the loads past it are named with
// their figures. One disturbed round moves neither.
func TestKnee(t *testing.T) {
	rep := &findings{cfg: config{concs: []int{32, 16, 8, 4}}}
	for _, round := range []struct {
		n    int           // bare's requests at 8 workers
		slow time.Duration // vigil's latency at 8 workers
	}{{910, 3 * time.Millisecond}, {300, 40 * time.Millisecond}, {910, 3 * time.Millisecond}} {
		for _, m := range []measured{
			measuredRun("bare", 32, 1000, 6*time.Millisecond), measuredRun("vigil", 32, 900, 7*time.Millisecond),
			measuredRun("bare", 16, 950, 4*time.Millisecond), measuredRun("vigil", 16, 900, 4*time.Millisecond),
			measuredRun("bare", 8, round.n, 2*time.Millisecond), measuredRun("vigil", 8, 850, round.slow),
			measuredRun("bare", 4, 600, 1*time.Millisecond), measuredRun("vigil", 4, 500, 1*time.Millisecond),
		} {
			rep.add(m)
		}
	}
	var b strings.Builder
	rep.writeKnee(&b)
	got := b.String()
	for _, want := range []string{"**8 workers**", "1,000 requests/s", "lighter load: **yes**", "16 workers: vigil 4.00 ms, bare 4.00 ms; 32 workers: vigil 7.00 ms"} {
		if !strings.Contains(got, want) {
			t.Errorf("report %q lacks %q", got, want)
		}
	}
	// A miss at or under the knee in most rounds is a no.
	rep.runs[5] = measuredRun("vigil", 8, 850, 6*time.Millisecond)
	rep.runs[21] = measuredRun("vigil", 8, 850, 6*time.Millisecond)
	b.Reset()
	rep.writeKnee(&b)
	if !strings.Contains(b.String(), "lighter load: **no**") {
		t.Errorf("a p99 of 6 ms at the knee passed: %q", b.String())
	}
}

// The rate is judged by the median of the rounds' ratios, each round
// pairing a window of each server.
func TestRatios(t *testing.T) {
	bare := rounds{measuredRun("bare", 8, 1000, time.Millisecond), measuredRun("bare", 8, 500, time.Millisecond), measuredRun("bare", 8, 1000, time.Millisecond)}
	vigil := rounds{measuredRun("vigil", 8, 800, time.Millisecond), measuredRun("vigil", 8, 600, time.Millisecond), measuredRun("vigil", 8, 600, time.Millisecond)}
	rs := ratios(bare, vigil)
	if want := []float64{0.6, 0.8, 1.2}; !slices.Equal(rs, want) {
		t.Errorf("ratios = %v, want %v", rs, want)
	}
	if m := median(rs); m != 0.8 {
		t.Errorf("median = %v, want 0.8", m)
	}
	if m := median([]float64{0.6, 0.7}); m < 0.6499 || m > 0.6501 {
		t.Errorf("median of two = %v, want their mean", m)
	}
	if p := vigil.pooled(); p.Requests != 2000 || p.Elapsed != 3*time.Second {
		t.Errorf("pooled = %d requests in %v", p.Requests, p.Elapsed)
	}
}
