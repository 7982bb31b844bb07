// Command lookupbench measures the lookup API on a large store against a
// bare net/http handler on the same machine (bench/store/run.sh runs it):
//
//  1. it fills a SQLite store with --n synthetic, valid phone numbers of
//     eight countries through AddListed, as vigil import does (resumable:
//     a filled file is used as it is);
//  2. it starts "vigil serve" on that store, and itself in the hidden mode
//     "lookupbench bare", a bare net/http server answering a fixed body of
//     about the same size, each in a process of its own;
//  3. a keep-alive client with --conc workers asks both for random loaded
//     and unknown values (half each): after a warm-up of each, in --rounds
//     rounds, each a short window per server at every load, the servers
//     and the loads in ABBA order (bare, vigil, then vigil, bare; 32, 4,
//     then 4, 32), recording requests/s, latency and the CPU time each
//     side spent; --conc 32,4 measures 32 and 4 workers. Each round gives
//     a ratio per load, and the report judges the median of them: on a
//     shared host each server's speed drifts by tens of percent within
//     minutes, and one disturbed long run would decide a ratio of two long
//     runs, or one load's place on the latency curve;
//  4. it reads the vigil process's resident memory after the rounds,
//     and that of vigil serving an empty store, the baseline.
//
// The hidden mode "lookupbench paths --n N --pool M" prints the queries it
// asks, one path a line, for another client (bench/store/wrk.sh).
//
// With --cpuprofile it then profiles the same handler under the same load
// (hidden mode "lookupbench profile"; vigil serve has no pprof endpoint).
// It prints Markdown on stdout and its progress on stderr. A quick check:
//
//	go run ./bench/store/lookupbench --n 100000 --duration 3s --warmup 1s
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// config is the benchmark's flags.
type config struct {
	db, bin, profile string
	n, batch         int
	concs            []int // client workers of each load; the first warms the servers up and is profiled
	rounds           int
	pool, sample     int
	duration, warmup time.Duration
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "bare" {
		return runBare(ctx, args[1:], stderr)
	}
	if len(args) > 0 && args[0] == "profile" {
		return runProfiled(ctx, args[1:], stderr)
	}
	if len(args) > 0 && args[0] == "paths" {
		return printPaths(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("lookupbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	fs.IntVar(&c.n, "n", 10_000_000, "indicators in the store")
	fs.StringVar(&c.db, "db", "", "the SQLite file (default: lookupbench-N.db in the temporary directory); kept, and reused when full")
	fs.IntVar(&c.batch, "batch", 2000, "values per AddListed batch (vigil import's default)")
	fs.StringVar(&c.bin, "bin", "", "the vigil binary (default: go build vigil/cmd/vigil into a temporary directory)")
	concs := fs.String("conc", "32", "concurrent client workers (and keep-alive connections); a list such as 32,4 measures each load in every round, the first also warming the servers up and, with --cpuprofile, profiled")
	fs.DurationVar(&c.duration, "duration", 5*time.Second, "measured time of each window")
	fs.DurationVar(&c.warmup, "warmup", 3*time.Second, "unmeasured warm-up of each server at the first load, before the rounds")
	fs.IntVar(&c.rounds, "rounds", 8, "rounds, each a window of each server at every load, in ABBA order")
	fs.IntVar(&c.pool, "pool", 200_000, "distinct queries asked (half loaded, half unknown)")
	fs.StringVar(&c.profile, "cpuprofile", "", "after the rounds, profile Vigil's API (the same handler in a process of its own) under the same load into this file, and its heap in use afterwards into this file + \".heap\"")
	fs.IntVar(&c.sample, "sample", 20_000, "generated values checked with ParsePhone before filling")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	for _, f := range strings.Split(*concs, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			fmt.Fprintf(stderr, "lookupbench: bad --conc %q\n", *concs)
			return 2
		}
		c.concs = append(c.concs, n)
	}
	if c.db == "" {
		c.db = filepath.Join(os.TempDir(), fmt.Sprintf("lookupbench-%d.db", c.n))
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	if err := bench(ctx, log, c, stdout); err != nil {
		log.Error("lookupbench failed", "err", err)
		return 1
	}
	return 0
}

func bench(ctx context.Context, log *slog.Logger, c config, stdout io.Writer) error {
	tmp, err := os.MkdirTemp("", "lookupbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if c.bin == "" {
		c.bin = filepath.Join(tmp, "vigil")
		log.Info("building vigil", "bin", c.bin)
		cmd := exec.CommandContext(ctx, "go", "build", "-o", c.bin, "vigil/cmd/vigil")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build: %w", err)
		}
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	rep := findings{cfg: c, start: time.Now(), loadBefore: loadavg()}

	if err := checkValues(c.n, c.sample); err != nil {
		return err
	}
	if rep.fill, err = fill(ctx, log, c.db, c.n, c.batch); err != nil {
		return fmt.Errorf("fill %s: %w", c.db, err)
	}
	paths, _ := queries(c.n, c.pool, 1)
	client := newClient(slices.Max(c.concs))

	// The baseline: vigil on an empty store, after a warm-up of the same
	// load (every value unknown to it).
	empty, err := startServer(ctx, "vigil (empty store)", c.bin, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(tmp, "empty.db"))
	if err != nil {
		return err
	}
	hammer(ctx, client, empty.url, paths, c.concs[0], c.warmup)
	rep.emptyMem, err = empty.memory()
	empty.stop()
	if err != nil {
		return err
	}

	// The file is read once so that both servers start with it in the
	// page cache, not the first runs with a cold disk.
	if err := readAll(c.db); err != nil {
		return err
	}
	vigil, err := startServer(ctx, "vigil", c.bin, "serve", "--addr", "127.0.0.1:0", "--db", c.db)
	if err != nil {
		return err
	}
	defer vigil.stop()
	bare, err := startServer(ctx, "bare", self, "bare")
	if err != nil {
		return err
	}
	defer bare.stop()
	vpaths, vknown := queries(c.n, 400, 2)
	if err := verify(ctx, client, vigil.url, vpaths, vknown); err != nil {
		return fmt.Errorf("vigil answers wrongly: %w", err)
	}
	log.Info("vigil answers 200 sampled loaded values as known and 200 unknown ones as unknown")

	// The loads are interleaved, as the servers are: each round measures
	// every load, in turn one way and the other (32, 16, 8, 4, then 4, 8,
	// 16, 32), each load's two windows in ABBA order. The host's speed
	// drifts by tens of percent over minutes; measured one load after
	// another, the loads would be compared across that drift, and the knee
	// (the bare handler's rates compared across loads) with it.
	for _, s := range []*server{bare, vigil} {
		hammer(ctx, client, s.url, paths, c.concs[0], c.warmup)
	}
	for round := 1; round <= c.rounds; round++ {
		concs, order := c.concs, []*server{bare, vigil}
		if round%2 == 0 {
			concs, order = slices.Clone(concs), []*server{vigil, bare}
			slices.Reverse(concs)
		}
		for _, conc := range concs {
			for _, s := range order {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				cpu0, own0, busy0 := procCPU(s.cmd.Process.Pid), procCPU(os.Getpid()), machineCPU()
				r := hammer(ctx, client, s.url, paths, conc, c.duration)
				r.Target, r.Round, r.Conc = s.name, round, conc
				cpu1, own1, busy1 := procCPU(s.cmd.Process.Pid), procCPU(os.Getpid()), machineCPU()
				rep.add(measured{r, cpu1 - cpu0, own1 - own0, busy1.sub(busy0)})
				log.Info("run", "target", s.name, "workers", conc, "round", round, "req_per_s", int(r.rate()),
					"p50", percentile(r.Lat, 0.5), "p99", percentile(r.Lat, 0.99), "errors", r.Errors)
				if r.Errors > 0 {
					log.Warn("server errors", "target", s.name, "stderr", s.drain())
				}
			}
		}
	}
	// Memory after every load, the heaviest included.
	if rep.mem, err = vigil.memory(); err != nil {
		return err
	}
	rep.loadAfter = loadavg()
	rep.write(stdout)
	if c.profile != "" {
		if err := profile(ctx, log, c, self, client, paths); err != nil {
			return err
		}
	}
	if ctx.Err() != nil {
		return errors.New("interrupted")
	}
	return nil
}

// profile runs Vigil's API with a CPU profile under the same load.
func profile(ctx context.Context, log *slog.Logger, c config, self string, client *http.Client, paths []string) error {
	s, err := startServer(ctx, "vigil (profiled)", self, "profile", "--db", c.db, "--cpuprofile", c.profile)
	if err != nil {
		return err
	}
	defer s.stop()
	hammer(ctx, client, s.url, paths, c.concs[0], c.warmup)
	r := hammer(ctx, client, s.url, paths, c.concs[0], time.Duration(c.rounds)*c.duration)
	log.Info("profiled run", "req_per_s", int(r.rate()), "p50", percentile(r.Lat, 0.5), "p99", percentile(r.Lat, 0.99), "profile", c.profile)
	return nil
}

// readAll reads a file (and its WAL) to bring it into the page cache.
func readAll(path string) error {
	for _, p := range []string{path, path + "-wal"} {
		f, err := os.Open(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		} else if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, f)
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// printPaths is the hidden "paths" mode: the queries the benchmark asks.
func printPaths(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("lookupbench paths", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 10_000_000, "indicators in the store")
	pool := fs.Int("pool", 200_000, "distinct queries (half loaded, half unknown)")
	if err := fs.Parse(args); err != nil || *n < 1 || *pool < 1 {
		return 2
	}
	paths, _ := queries(*n, *pool, 1)
	w := bufio.NewWriter(stdout)
	for _, p := range paths {
		fmt.Fprintln(w, p)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}
