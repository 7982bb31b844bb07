package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// findings gathers the figures and prints them as Markdown.
type findings struct {
	cfg                   config
	start                 time.Time
	loadBefore, loadAfter string
	fill                  fillResult
	emptyMem, mem         memory
	runs                  []measured
}

// measured is a run with the CPU time of the server and of the client,
// and the machine's activity during it.
type measured struct {
	result
	cpu, client time.Duration
	machine     cpuTimes
}

func (rep *findings) add(m measured) { rep.runs = append(rep.runs, m) }

// write prints the report.
func (rep *findings) write(w io.Writer) {
	c := rep.cfg
	fmt.Fprintf(w, "### Lookup API, %s indicators (bench/store/lookupbench)\n\n", thousands(c.n))
	fmt.Fprintf(w, "%s, %d cores (%s), %s; %s of warm-up per server, then %d rounds, each a window of %s per server at every load, the servers and the loads in ABBA order (bare, vigil, then vigil, bare; the loads in turn one way, then the other); load average %s before, %s after.\n\n",
		rep.start.UTC().Format("2006-01-02 15:04 UTC"), runtime.NumCPU(), cpuModel(), runtime.Version(),
		c.warmup, c.rounds, c.duration, rep.loadBefore, rep.loadAfter)

	f := rep.fill
	fmt.Fprintf(w, "Store: SQLite, %s (%.0f bytes per indicator on disk). ", mib(f.Size), float64(f.Size)/float64(c.n))
	if f.Rows > 0 {
		fmt.Fprintf(w, "Filled through AddListed in batches of %d: %s rows in %s, **%s rows/s**.\n\n",
			c.batch, thousands(f.Rows), f.Elapsed.Round(time.Second), thousands(int(float64(f.Rows)/f.Elapsed.Seconds())))
	} else {
		fmt.Fprintf(w, "(Already filled by an earlier run: no load rate this time.)\n\n")
	}

	// Each round is a window of each server; the ratio judged is the
	// median of the rounds' ratios, p99 the median of the rounds' p99s
	// (the worst round's and that of all requests pooled are shown too).
	fmt.Fprintln(w, "| workers | bare: requests/s | vigil: requests/s | vigil ÷ bare (>= 0.7x): median of rounds | min | max | pooled | CPU per request: bare | vigil | client | p50: bare | vigil | p99: bare (worst, pooled) | vigil (worst, pooled) | machine busy (steal) |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	rateMet := "yes"
	for _, conc := range c.concs {
		bare, vigil := rep.load("bare", conc), rep.load("vigil", conc)
		ratios := ratios(bare, vigil)
		med := median(ratios)
		if med < 0.7 {
			rateMet = "no"
		}
		pb, pv := bare.pooled(), vigil.pooled()
		var machine cpuTimes
		var client time.Duration
		for _, r := range append(bare, vigil...) {
			machine = machine.add(r.machine)
			client += r.client
		}
		fmt.Fprintf(w, "| %d | %s | %s | **%.2fx** | %.2fx | %.2fx | %.2fx | %s | %s | %s | %s | %s | %s | %s | %.0f%% (%.0f%%) |\n", conc,
			thousands(int(bare.medianRate())), thousands(int(vigil.medianRate())), med, ratios[0], ratios[len(ratios)-1],
			pv.rate()/pb.rate(), bare.cpuPer(), vigil.cpuPer(), us(client/time.Duration(max(1, pb.Requests+pv.Requests))),
			ms(percentile(pb.Lat, 0.5)), ms(percentile(pv.Lat, 0.5)),
			p99Cell(bare, pb, "%s"), p99Cell(vigil, pv, "**%s**"),
			100*machine.busy(), 100*machine.stealShare())
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Lookup rate >= 0.7x of the bare handler's (median of rounds) at every load: **%s**. ", rateMet)
	rep.writeKnee(w)

	delta := rep.mem.RSS - rep.emptyMem.RSS
	fmt.Fprintln(w, "| vigil serve, after the rounds | VmRSS | RssAnon | RssFile | VmHWM (peak) | RSS per indicator |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	e, m := rep.emptyMem, rep.mem
	fmt.Fprintf(w, "| empty store (baseline) | %s | %s | %s | %s | |\n", mib(e.RSS), mib(e.Anon), mib(e.File), mib(e.HWM))
	fmt.Fprintf(w, "| %s indicators | %s | %s | %s | %s | %.1f bytes |\n", thousands(c.n), mib(m.RSS), mib(m.Anon), mib(m.File), mib(m.HWM), float64(m.RSS)/float64(c.n))
	fmt.Fprintf(w, "| difference | %s | %s | %s | | %.1f bytes |\n\n", mib(delta), mib(m.Anon-e.Anon), mib(m.File-e.File), float64(delta)/float64(c.n))
}

// p99Cell is a server's p99 at one load: the median of its rounds (set in
// format), the worst round's, and that of all its requests, pooled.
func p99Cell(rs rounds, pooled result, format string) string {
	return fmt.Sprintf(format+" (%s, %s)", ms(rs.medianP99()), ms(rs.worstP99()), ms(percentile(pooled.Lat, 0.99)))
}

// writeKnee says where the p99 target is judged: at the knee of the bare
// handler's curve, the fewest workers at which its median round reaches
// 90% of the best median round at any load, and at every lighter load.
// Past the knee a closed loop's extra clients add no answers, only a
// queue: each waits for the others' requests (Little's law: mean latency =
// workers / rate), so the tail there measures how many clients were
// started as much as the server. The figures past the knee are printed all
// the same. A load's p99 is the median of its rounds': a host stall of
// tens of milliseconds in one window (both servers suffer them) moves the
// pooled p99 of that load, not the median.
func (rep *findings) writeKnee(w io.Writer) {
	concs := slices.Sorted(slices.Values(rep.cfg.concs))
	var best float64
	for _, conc := range concs {
		best = max(best, rep.load("bare", conc).medianRate())
	}
	knee := concs[len(concs)-1]
	for _, conc := range concs {
		if rep.load("bare", conc).medianRate() >= 0.9*best {
			knee = conc
			break
		}
	}
	met := "yes"
	var past []string
	for _, conc := range concs {
		v := rep.load("vigil", conc)
		if conc <= knee {
			if v.medianP99() >= 5*time.Millisecond {
				met = "no"
			}
			continue
		}
		past = append(past, fmt.Sprintf("%d workers: vigil %s, bare %s", conc, ms(v.medianP99()), ms(rep.load("bare", conc).medianP99())))
	}
	fmt.Fprintf(w, "Knee of the bare handler's curve: **%d workers** (the fewest reaching 90%% of its best, %s requests/s). p99 < 5 ms for vigil (median of rounds) at the knee and every lighter load: **%s**.", knee, thousands(int(best)), met)
	if len(past) > 0 {
		fmt.Fprintf(w, " Past the knee (queueing, not answers): %s.", strings.Join(past, "; "))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)
}

// rounds are the windows of one server at one load, by round.
type rounds []measured

// load returns the rounds against target with conc workers.
func (rep *findings) load(target string, conc int) rounds {
	var rs rounds
	for _, r := range rep.runs {
		if r.Target == target && r.Conc == conc {
			rs = append(rs, r)
		}
	}
	return rs
}

// ratios returns the ratio of vigil's rate to bare's in each round, sorted.
func ratios(bare, vigil rounds) []float64 {
	var out []float64
	for i := range min(len(bare), len(vigil)) {
		out = append(out, vigil[i].rate()/bare[i].rate())
	}
	if len(out) == 0 {
		out = append(out, 0)
	}
	slices.Sort(out)
	return out
}

func (rs rounds) medianRate() float64 {
	var xs []float64
	for _, r := range rs {
		xs = append(xs, r.rate())
	}
	slices.Sort(xs)
	return median(xs)
}

// p99s returns each round's p99, sorted.
func (rs rounds) p99s() []time.Duration {
	var ds []time.Duration
	for _, r := range rs {
		ds = append(ds, percentile(r.Lat, 0.99))
	}
	slices.Sort(ds)
	return ds
}

func (rs rounds) medianP99() time.Duration { return median(rs.p99s()) }

func (rs rounds) worstP99() time.Duration {
	ds := rs.p99s()
	if len(ds) == 0 {
		return 0
	}
	return ds[len(ds)-1]
}

// cpuPer is the server's CPU time per request over the rounds.
func (rs rounds) cpuPer() string {
	var cpu time.Duration
	n := 0
	for _, r := range rs {
		cpu += r.cpu
		n += r.Requests
	}
	return us(cpu / time.Duration(max(1, n)))
}

// pooled merges the rounds into one result.
func (rs rounds) pooled() result {
	var t result
	for _, r := range rs {
		t.Requests += r.Requests
		t.Elapsed += r.Elapsed
		t.Lat = append(t.Lat, r.Lat...)
	}
	slices.Sort(t.Lat)
	return t
}

// median is the median of sorted xs (0 when there are none).
func median[T ~float64 | ~int64](xs []T) T {
	switch n := len(xs); {
	case n == 0:
		return 0
	case n%2 == 1:
		return xs[n/2]
	default:
		return (xs[n/2-1] + xs[n/2]) / 2
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }
func us(d time.Duration) string { return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond)) }
func mib(b int64) string        { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

// thousands writes n with thousands separators.
func thousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// clockTick is USER_HZ, the unit of /proc CPU times (100 on Linux).
const clockTick = 10 * time.Millisecond

// procCPU returns the user and system CPU time process pid has used.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name, which may hold spaces: state is
	// field 3, utime 14, stime 15.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+st) * clockTick
}

// cpuTimes is the machine's CPU time from /proc/stat, in ticks.
type cpuTimes struct{ total, idle, steal int64 }

func machineCPU() cpuTimes {
	var t cpuTimes
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return t
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal ...
	for i, v := range f[1:] {
		n, _ := strconv.ParseInt(v, 10, 64)
		if i >= 8 {
			break // guest time is counted in user already
		}
		t.total += n
		switch i {
		case 3, 4:
			t.idle += n
		case 7:
			t.steal += n
		}
	}
	return t
}

func (t cpuTimes) sub(o cpuTimes) cpuTimes {
	return cpuTimes{t.total - o.total, t.idle - o.idle, t.steal - o.steal}
}

func (t cpuTimes) add(o cpuTimes) cpuTimes {
	return cpuTimes{t.total + o.total, t.idle + o.idle, t.steal + o.steal}
}

func (t cpuTimes) busy() float64 {
	return 1 - float64(t.idle)/float64(max(1, t.total))
}

func (t cpuTimes) stealShare() float64 { return float64(t.steal) / float64(max(1, t.total)) }
