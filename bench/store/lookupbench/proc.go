package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// server is a server process under test.
type server struct {
	name string
	url  string
	cmd  *exec.Cmd
	logs chan string // its stderr after the listening line, for errors
}

// startServer runs bin with args and waits for its "url=http://..." line
// on stderr, as vigil serve prints when it listens.
func startServer(ctx context.Context, name, bin string, args ...string) (*server, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout = os.Stderr
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	s := &server{name: name, cmd: cmd, logs: make(chan string, 100)}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		listening := false
		for sc.Scan() {
			line := sc.Text()
			if i := strings.Index(line, "url=http://"); i >= 0 && !listening {
				u, _, _ := strings.Cut(line[i+len("url="):], " ")
				found <- u
				listening = true
				continue
			}
			select {
			case s.logs <- line:
			default: // keep the first lines; drop the rest
			}
		}
		close(found)
	}()
	select {
	case u, ok := <-found:
		if !ok {
			cmd.Wait()
			return nil, fmt.Errorf("%s exited before listening: %s", name, s.drain())
		}
		s.url = u
		return s, s.waitIndex()
	case <-time.After(2 * time.Minute):
		s.stop()
		return nil, fmt.Errorf("%s did not listen within 2 minutes", name)
	}
}

// drain returns the stderr lines kept so far.
func (s *server) drain() string {
	var lines []string
	for {
		select {
		case l := <-s.logs:
			lines = append(lines, l)
		default:
			return strings.Join(lines, "\n")
		}
	}
}

// stop interrupts the server (vigil serve shuts down gracefully) and
// kills it if it has not exited after 15 seconds.
func (s *server) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// memory is a process's resident memory, from /proc/PID/status, in
// bytes. RSS is Anon (the heap, SQLite's page caches) plus File (mapped
// files, counted once per mapping: a database file mapped by eight
// connections counts eight times, though the page cache holds it once).
type memory struct {
	RSS, HWM   int64 // VmRSS and VmHWM (the peak)
	Anon, File int64 // RssAnon and RssFile
}

func (s *server) memory() (memory, error) {
	var m memory
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return m, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || f[2] != "kB" {
			continue
		}
		v, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			m.RSS = v << 10
		case "VmHWM:":
			m.HWM = v << 10
		case "RssAnon:":
			m.Anon = v << 10
		case "RssFile:":
			m.File = v << 10
		}
	}
	if m.RSS == 0 {
		return m, errors.New("no VmRSS in " + fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	}
	return m, nil
}

// bareBody is the bare server's answer: vigil's answer for a loaded value,
// copied. (Vigil's answer for an unknown value is 97 bytes shorter, so the
// bare server sends about 50 bytes more than vigil on average.)
const bareBody = `{"query":"+12122000000","kind":"phone","value":"+12122000000","known":true,"reports":0,"reporters":0,"sources":["lookupbench"],"first_seen":"2026-11-26T01:35:15.21Z","last_seen":"2026-11-26T01:35:15.21Z","scam_types":[],"network_size":0,"confidence":0.5,"level":"unverified","known_good":false}` + "\n"

// runBare is the hidden "bare" mode: the peer, a bare net/http server in a
// process of its own, with one route answering a fixed body. It stops on
// an interrupt. With --touch MB it also reads one random word of an array
// of MB megabytes for each request: the memory access of an in-memory
// index of that size without any of its work. The array is on the Go heap,
// or with --offheap mapped outside it, as Vigil's index is (package
// offheap): on the heap, the collector lets as much garbage build up
// between collections as the array is large, which is what a server with
// a large heap pays in its tail latency (docs/benchmarks.md).
func runBare(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("lookupbench bare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on")
	touch := fs.Int("touch", 0, "megabytes of memory to read one random word of per request")
	offheap := fs.Bool("offheap", false, "map the touched memory outside the Go heap")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 || *touch < 0 {
		fmt.Fprintln(stderr, "usage: lookupbench bare [--addr HOST:PORT] [--touch MB [--offheap]]")
		return 2
	}
	var words []uint64
	if *offheap && *touch > 0 {
		var err error
		if words, err = mapWords(*touch << 17); err != nil {
			fmt.Fprintln(stderr, "lookupbench bare --offheap:", err)
			return 1
		}
	} else {
		words = make([]uint64, *touch<<17)
	}
	for i := range words {
		words[i] = uint64(i) // every page written, as a loaded index's are
	}
	var sum atomic.Uint64
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/lookup", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("q") == "" {
			http.Error(w, "q is required", http.StatusBadRequest)
			return
		}
		if len(words) > 0 {
			sum.Add(words[rand.IntN(len(words))])
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, bareBody)
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	log.Info("bare listening", "url", "http://"+ln.Addr().String())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	go func() { <-ctx.Done(); srv.Close() }()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}

// waitIndex waits until a Vigil server's /healthz says its lookup index is
// loaded (a server without the field is ready at once): measuring before
// would measure the start-up path.
func (s *server) waitIndex() error {
	for deadline := time.Now().Add(10 * time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		res, err := http.Get(s.url + "/healthz")
		if err != nil {
			continue
		}
		var h struct {
			Index string `json:"lookup_index"`
		}
		json.NewDecoder(res.Body).Decode(&h)
		res.Body.Close()
		if h.Index == "" || h.Index == "ready" {
			return nil
		}
	}
	s.stop()
	return fmt.Errorf("%s: lookup index not ready after 10 minutes", s.name)
}
