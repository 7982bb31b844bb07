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
	fmt.Fprintf(w, "%s, %d cores (%s), %s, %s warm-up + %s measured per run, %d rounds of bare then vigil per client concurrency; load average %s before, %s after.\n\n",
		rep.start.UTC().Format("2006-01-02 15:04 UTC"), runtime.NumCPU(), cpuModel(), runtime.Version(),
		c.warmup, c.duration, c.rounds, rep.loadBefore, rep.loadAfter)

	f := rep.fill
	fmt.Fprintf(w, "Store: SQLite, %s (%.0f bytes per indicator on disk). ", mib(f.Size), float64(f.Size)/float64(c.n))
	if f.Rows > 0 {
		fmt.Fprintf(w, "Filled through AddListed in batches of %d: %s rows in %s, **%s rows/s**.\n\n",
			c.batch, thousands(f.Rows), f.Elapsed.Round(time.Second), thousands(int(float64(f.Rows)/f.Elapsed.Seconds())))
	} else {
		fmt.Fprintf(w, "(Already filled by an earlier run: no load rate this time.)\n\n")
	}

	fmt.Fprintln(w, "| target | workers | round | requests/s | p50 | p90 | p99 | max | errors | bytes/answer | CPU per request: server | client | machine busy (steal) |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rep.runs {
		per := func(d time.Duration) string { return us(d / time.Duration(max(1, r.Requests))) }
		fmt.Fprintf(w, "| %s | %d | %d | %s | %s | %s | %s | %s | %d | %d | %s | %s | %.0f%% (%.0f%%) |\n", r.Target, r.Conc, r.Round,
			thousands(int(r.rate())), ms(percentile(r.Lat, 0.5)), ms(percentile(r.Lat, 0.9)), ms(percentile(r.Lat, 0.99)),
			ms(percentile(r.Lat, 1)), r.Errors, r.Bytes/int64(max(1, r.Requests)),
			per(r.cpu), per(r.client), 100*r.machine.busy(), 100*r.machine.stealShare())
	}
	fmt.Fprintln(w)

	// p99 is judged against the machine: at each load, the bare handler
	// shows what the machine itself gives.
	fmt.Fprintln(w, "| workers | bare: requests/s | p50 | p99 | vigil: requests/s | p50 | p99 | vigil ÷ bare (>= 0.7x) | p99 < 5 ms: bare | vigil |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|")
	for _, conc := range c.concs {
		bare, vigil := rep.total("bare", conc), rep.total("vigil", conc)
		fmt.Fprintf(w, "| %d | %s | %s | %s | %s | %s | **%s** | **%.2fx** | %s | **%s** |\n", conc,
			thousands(int(bare.rate())), ms(percentile(bare.Lat, 0.5)), ms(percentile(bare.Lat, 0.99)),
			thousands(int(vigil.rate())), ms(percentile(vigil.Lat, 0.5)), ms(percentile(vigil.Lat, 0.99)),
			vigil.rate()/bare.rate(), under(bare), under(vigil))
	}
	fmt.Fprintln(w)
	rep.writeKnee(w)

	delta := rep.mem.RSS - rep.emptyMem.RSS
	fmt.Fprintf(w, "| vigil serve, after the load (%d workers) | VmRSS | RssAnon | RssFile | VmHWM (peak) | RSS per indicator |\n", c.concs[0])
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	e, m := rep.emptyMem, rep.mem
	fmt.Fprintf(w, "| empty store (baseline) | %s | %s | %s | %s | |\n", mib(e.RSS), mib(e.Anon), mib(e.File), mib(e.HWM))
	fmt.Fprintf(w, "| %s indicators | %s | %s | %s | %s | %.1f bytes |\n", thousands(c.n), mib(m.RSS), mib(m.Anon), mib(m.File), mib(m.HWM), float64(m.RSS)/float64(c.n))
	fmt.Fprintf(w, "| difference | %s | %s | %s | | %.1f bytes |\n\n", mib(delta), mib(m.Anon-e.Anon), mib(m.File-e.File), float64(delta)/float64(c.n))
}

// writeKnee says where the p99 target is judged: at the knee of the bare
// handler's curve, the fewest workers at which it reaches 90% of the best
// rate it reached at any load, and at every lighter load. Past the knee a
// closed loop's extra clients add no answers, only a queue: each waits for
// the others' requests (Little's law: mean latency = workers / rate), so
// the tail there measures how many clients were started as much as the
// server. The figures past the knee are printed all the same.
func (rep *findings) writeKnee(w io.Writer) {
	concs := slices.Sorted(slices.Values(rep.cfg.concs))
	var best float64
	for _, conc := range concs {
		best = max(best, rep.total("bare", conc).rate())
	}
	knee := concs[len(concs)-1]
	for _, conc := range concs {
		if rep.total("bare", conc).rate() >= 0.9*best {
			knee = conc
			break
		}
	}
	met := "yes"
	var past []string
	for _, conc := range concs {
		v := rep.total("vigil", conc)
		if conc <= knee {
			if under(v) == "no" {
				met = "no"
			}
			continue
		}
		past = append(past, fmt.Sprintf("%d workers: vigil %s, bare %s", conc, ms(percentile(v.Lat, 0.99)), ms(percentile(rep.total("bare", conc).Lat, 0.99))))
	}
	fmt.Fprintf(w, "Knee of the bare handler's curve: **%d workers** (the fewest reaching 90%% of its best, %s requests/s). p99 < 5 ms for vigil at the knee and every lighter load: **%s**.", knee, thousands(int(best)), met)
	if len(past) > 0 {
		fmt.Fprintf(w, " Past the knee (queueing, not answers): %s.", strings.Join(past, "; "))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)
}

// under says whether r's p99 is under the 5 ms target.
func under(r result) string {
	if percentile(r.Lat, 0.99) < 5*time.Millisecond {
		return "yes"
	}
	return "no"
}

// total merges the runs against one target with conc workers.
func (rep *findings) total(target string, conc int) result {
	var t result
	for _, r := range rep.runs {
		if r.Target == target && r.Conc == conc {
			t.Requests += r.Requests
			t.Elapsed += r.Elapsed
			t.Lat = append(t.Lat, r.Lat...)
		}
	}
	slices.Sort(t.Lat)
	return t
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

func (t cpuTimes) busy() float64 {
	return 1 - float64(t.idle)/float64(max(1, t.total))
}

func (t cpuTimes) stealShare() float64 { return float64(t.steal) / float64(max(1, t.total)) }
