package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"
)

// queries returns m lookup paths, half for loaded values (0..n-1) and half
// for unknown ones (n..2n-1), in random order, with each value URL-encoded
// as a client would send it ("+" as %2B).
func queries(n, m int, seed uint64) (paths []string, known []bool) {
	r := rand.New(rand.NewPCG(seed, 99))
	for k := range m {
		i, isKnown := r.IntN(n), k%2 == 0
		if !isKnown {
			i += n
		}
		paths = append(paths, "/api/v1/lookup?q="+url.QueryEscape(value(i)))
		known = append(known, isKnown)
	}
	r.Shuffle(m, func(a, b int) {
		paths[a], paths[b] = paths[b], paths[a]
		known[a], known[b] = known[b], known[a]
	})
	return paths, known
}

// newClient returns a keep-alive client with a connection for each worker.
func newClient(conc int) *http.Client {
	return &http.Client{
		Transport: &http.Transport{MaxIdleConns: conc, MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc,
			DisableCompression: true, IdleConnTimeout: time.Minute},
		Timeout: 30 * time.Second,
	}
}

// verify asks base for every path, with the real lookup path behind it, and
// checks that a loaded value is known under its own value and an unknown
// one is not.
func verify(ctx context.Context, c *http.Client, base string, paths []string, known []bool) error {
	for k, p := range paths {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+p, nil)
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		var a struct {
			Query, Value string
			Known        bool
		}
		err = json.NewDecoder(resp.Body).Decode(&a)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: status %d, %v", p, resp.StatusCode, err)
		}
		if a.Known != known[k] || a.Value != a.Query {
			return fmt.Errorf("GET %s: known=%v value=%q, want known=%v value=%q", p, a.Known, a.Value, known[k], a.Query)
		}
	}
	return nil
}

// result is one measured run against one target.
type result struct {
	Target   string
	Conc     int // client workers
	Round    int
	Requests int
	Errors   int // transport errors and non-200 answers
	Bytes    int64
	Elapsed  time.Duration
	Lat      []time.Duration // sorted
}

func (r result) rate() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

// percentile returns the q-quantile (0..1) of sorted latencies.
func percentile(lat []time.Duration, q float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	return lat[min(len(lat)-1, int(q*float64(len(lat))))]
}

// hammer has conc workers ask base for random paths, back to back, for d.
func hammer(ctx context.Context, c *http.Client, base string, paths []string, conc int, d time.Duration) result {
	var (
		mu  sync.Mutex
		res result
		wg  sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for w := range conc {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), uint64(start.UnixNano())))
			lat := make([]time.Duration, 0, 1<<14)
			errs := 0
			var bytes int64
			for ctx.Err() == nil {
				t0 := time.Now()
				if !t0.Before(deadline) {
					break
				}
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+paths[r.IntN(len(paths))], nil)
				resp, err := c.Do(req)
				if err != nil {
					errs++
					continue
				}
				n, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat = append(lat, time.Since(t0))
				bytes += n
				if resp.StatusCode != http.StatusOK {
					errs++
				}
			}
			mu.Lock()
			res.Lat = append(res.Lat, lat...)
			res.Errors += errs
			res.Bytes += bytes
			mu.Unlock()
		})
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	res.Requests = len(res.Lat)
	slices.Sort(res.Lat)
	return res
}
