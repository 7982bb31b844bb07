package main

import (
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

// The knee is the fewest workers at which the bare handler reaches 90% of
// its best rate; the p99 verdict covers it and every lighter load, and the
// loads past it are named with their figures.
func TestKnee(t *testing.T) {
	rep := &findings{cfg: config{concs: []int{32, 16, 8, 4}}}
	for _, m := range []measured{
		measuredRun("bare", 32, 1000, 6*time.Millisecond), measuredRun("vigil", 32, 900, 7*time.Millisecond),
		measuredRun("bare", 16, 950, 4*time.Millisecond), measuredRun("vigil", 16, 900, 4*time.Millisecond),
		measuredRun("bare", 8, 910, 2*time.Millisecond), measuredRun("vigil", 8, 850, 3*time.Millisecond),
		measuredRun("bare", 4, 600, 1*time.Millisecond), measuredRun("vigil", 4, 500, 1*time.Millisecond),
	} {
		rep.add(m)
	}
	var b strings.Builder
	rep.writeKnee(&b)
	got := b.String()
	for _, want := range []string{"**8 workers**", "1,000 requests/s", "lighter load: **yes**", "16 workers: vigil 4.00 ms, bare 4.00 ms; 32 workers: vigil 7.00 ms"} {
		if !strings.Contains(got, want) {
			t.Errorf("report %q lacks %q", got, want)
		}
	}
	// A miss at or under the knee is a no.
	rep.runs[5] = measuredRun("vigil", 8, 850, 6*time.Millisecond)
	b.Reset()
	rep.writeKnee(&b)
	if !strings.Contains(b.String(), "lighter load: **no**") {
		t.Errorf("a p99 of 6 ms at the knee passed: %q", b.String())
	}
}
