package webhook

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"vigil/internal/store"
	"vigil/internal/testlog"
)

// memStore keeps deliveries as store.Watches does: DueDeliveries hands a
// due delivery out and leases it, RecordDelivery sets the outcome.
type memStore struct {
	mu sync.Mutex
	ds map[string]*store.PendingDelivery
}

func newMemStore(ds ...store.PendingDelivery) *memStore {
	m := &memStore{ds: map[string]*store.PendingDelivery{}}
	for i := range ds {
		d := ds[i]
		m.ds[d.ID] = &d
	}
	return m
}

func (m *memStore) DueDeliveries(_ context.Context, now time.Time, limit int) ([]store.PendingDelivery, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []store.PendingDelivery
	for _, d := range m.ds {
		if d.Status == "pending" && !d.NextAt.After(now) && len(out) < limit {
			lease := now.Add(2 * time.Minute)
			d.NextAt = &lease
			out = append(out, *d)
		}
	}
	return out, nil
}

func (m *memStore) RecordDelivery(_ context.Context, id string, a store.Attempt, next time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	d := m.ds[id]
	if d == nil {
		return store.ErrNotFound
	}
	if d.Status != "pending" {
		return store.ErrConflict
	}
	d.Attempts++
	d.LastCode, d.LastError, d.NextAt = a.Code, a.Error, nil
	switch {
	case a.Error == "" && a.Code/100 == 2:
		d.Status, d.DeliveredAt = "delivered", &a.At
	case next.IsZero():
		d.Status = "failed"
	default:
		d.NextAt = &next
	}
	return nil
}

func (m *memStore) get(id string) store.PendingDelivery {
	m.mu.Lock()
	defer m.mu.Unlock()
	return *m.ds[id]
}

var t0 = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

func pending(id, url string) store.PendingDelivery {
	return store.PendingDelivery{
		Delivery: store.Delivery{ID: id, Alert: "A-" + id, Watch: "W1", URL: url, Status: "pending", NextAt: &t0, CreatedAt: t0},
		Body:     []byte(`{"type":"vigil.alert","id":"A-` + id + `","watch":"W1","event":"report.new","report":"R1"}`),
		Secret:   []byte("0123456789abcdef0123456789abcdef"),
	}
}

// receiver is a webhook endpoint answering codes[i] to the i-th request
// (the last code after that) and keeping what it received.
type receiver struct {
	*httptest.Server
	mu    sync.Mutex
	codes []int
	got   []*http.Request
	body  [][]byte
}

func newReceiver(t *testing.T, codes ...int) *receiver {
	r := &receiver{codes: codes}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		code := r.codes[min(len(r.got), len(r.codes)-1)]
		r.got, r.body = append(r.got, req), append(r.body, b)
		r.mu.Unlock()
		w.WriteHeader(code)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) requests() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// clock is a test clock the sender reads and the test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newSender(st Store, c *clock, log io.Writer) *Sender {
	return &Sender{Store: st, Now: c.now, AllowPrivate: true, Logger: slog.New(slog.NewTextHandler(log, nil))}
}

func flush(t *testing.T, s *Sender, want int) {
	t.Helper()
	n, err := s.Flush(context.Background())
	if err != nil || n != want {
		t.Fatalf("Flush = %d, %v; want %d attempts", n, err, want)
	}
}

// TestDeliveredFirstTime: one signed POST, the headers receivers rely on,
// and the delivery recorded as delivered.
func TestDeliveredFirstTime(t *testing.T) {
	rcv := newReceiver(t, 204)
	d := pending("D1", rcv.URL+"/vigil")
	st, c := newMemStore(d), &clock{t: t0}
	flush(t, newSender(st, c, io.Discard), 1)
	if rcv.requests() != 1 {
		t.Fatalf("receiver got %d requests", rcv.requests())
	}
	req, body := rcv.got[0], rcv.body[0]
	for h, want := range map[string]string{"Content-Type": "application/json", "User-Agent": UserAgent, DeliveryHeader: "D1"} {
		if got := req.Header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	if req.Method != http.MethodPost || req.URL.Path != "/vigil" || !bytes.Equal(body, d.Body) {
		t.Errorf("request %s %s %s", req.Method, req.URL.Path, body)
	}
	if err := Verify(d.Secret, req.Header.Get(SignatureHeader), body, t0, 0); err != nil {
		t.Errorf("signature with the watch's secret: %v", err)
	}
	if err := Verify([]byte("another watch's secret"), req.Header.Get(SignatureHeader), body, t0, 0); !errors.Is(err, ErrMismatch) {
		t.Errorf("signature with another secret: %v, want ErrMismatch", err)
	}
	if err := Verify(d.Secret, req.Header.Get(SignatureHeader), append(body, ' '), t0, 0); !errors.Is(err, ErrMismatch) {
		t.Errorf("signature of a modified body: %v, want ErrMismatch", err)
	}
	// The same request captured and replayed an hour later.
	if err := Verify(d.Secret, req.Header.Get(SignatureHeader), body, t0.Add(time.Hour), 0); !errors.Is(err, ErrStale) {
		t.Errorf("a replay an hour later: %v, want ErrStale", err)
	}
	got := st.get("D1")
	if got.Status != "delivered" || got.Attempts != 1 || got.LastCode != 204 || got.LastError != "" || got.DeliveredAt == nil || !got.DeliveredAt.Equal(t0) {
		t.Errorf("recorded %+v", got.Delivery)
	}
	flush(t, newSender(st, c, io.Discard), 0)
}

// TestRetriedThenDelivered: a 500 is recorded and retried after the
// backoff; the second attempt delivers, and the log shows both.
func TestRetriedThenDelivered(t *testing.T) {
	rcv := newReceiver(t, 500, 200)
	st, c, log := newMemStore(pending("D1", rcv.URL)), &clock{t: t0}, &testlog.Buffer{}
	s := newSender(st, c, log)
	flush(t, s, 1)
	got := st.get("D1")
	if got.Status != "pending" || got.Attempts != 1 || got.LastCode != 500 || got.LastError != "500 Internal Server Error" ||
		got.NextAt == nil || !got.NextAt.Equal(t0.Add(30*time.Second)) {
		t.Fatalf("after a 500: %+v", got.Delivery)
	}
	c.add(29 * time.Second)
	flush(t, s, 0)
	c.add(time.Second)
	flush(t, s, 1)
	if got := st.get("D1"); got.Status != "delivered" || got.Attempts != 2 || got.LastCode != 200 {
		t.Errorf("after the retry: %+v", got.Delivery)
	}
	if rcv.requests() != 2 || rcv.got[0].Header.Get(DeliveryHeader) != rcv.got[1].Header.Get(DeliveryHeader) {
		t.Errorf("receiver got %d requests, or a retry under another id", rcv.requests())
	}
	if sig0, sig1 := rcv.got[0].Header.Get(SignatureHeader), rcv.got[1].Header.Get(SignatureHeader); sig0 == sig1 {
		t.Errorf("the retry was not signed anew at its own time: %q", sig1)
	}
	for _, want := range []string{"attempt=1 code=500", "attempt=2 code=200", "will retry", "webhook delivered"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}

// TestGivesUp: a receiver that always fails gets MaxAttempts attempts,
// spaced by the backoff; then the delivery is failed and left alone.
func TestGivesUp(t *testing.T) {
	rcv := newReceiver(t, 503)
	st, c := newMemStore(pending("D1", rcv.URL)), &clock{t: t0}
	s := newSender(st, c, io.Discard)
	var waits []time.Duration
	for i := range DefaultMaxAttempts {
		flush(t, s, 1)
		got := st.get("D1")
		if got.Attempts != i+1 {
			t.Fatalf("attempt %d recorded as %d", i+1, got.Attempts)
		}
		if got.NextAt != nil {
			waits = append(waits, got.NextAt.Sub(c.now()))
			c.t = *got.NextAt
		}
	}
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 32 * time.Minute}
	if len(waits) != len(want) {
		t.Fatalf("waits %v, want %v", waits, want)
	}
	for i := range want {
		if waits[i] != want[i] {
			t.Errorf("wait after attempt %d: %v, want %v", i+1, waits[i], want[i])
		}
	}
	if got := st.get("D1"); got.Status != "failed" || got.LastCode != 503 || got.NextAt != nil {
		t.Errorf("after %d attempts: %+v", DefaultMaxAttempts, got.Delivery)
	}
	c.add(24 * time.Hour)
	flush(t, s, 0)
	if rcv.requests() != DefaultMaxAttempts {
		t.Errorf("receiver got %d requests, want %d", rcv.requests(), DefaultMaxAttempts)
	}
}

func TestDefaultBackoff(t *testing.T) {
	for attempt, want := range map[int]time.Duration{0: 30 * time.Second, 1: 30 * time.Second, 2: time.Minute, 7: 32 * time.Minute, 8: time.Hour, 9: time.Hour, 1000: time.Hour} {
		if got := DefaultBackoff(attempt); got != want {
			t.Errorf("DefaultBackoff(%d) = %v, want %v", attempt, got, want)
		}
	}
}

// TestNoRedirects: a 3xx is a failed attempt; its target never hears.
func TestNoRedirects(t *testing.T) {
	target := newReceiver(t, 200)
	redirect := httptest.NewServer(http.RedirectHandler(target.URL, http.StatusFound))
	defer redirect.Close()
	st, c := newMemStore(pending("D1", redirect.URL)), &clock{t: t0}
	flush(t, newSender(st, c, io.Discard), 1)
	if got := st.get("D1"); got.Status != "pending" || got.LastCode != http.StatusFound || target.requests() != 0 {
		t.Errorf("after a redirect: %+v, target got %d requests", got.Delivery, target.requests())
	}
}

// TestTransportError: no answer is a failed attempt with the error kept.
func TestTransportError(t *testing.T) {
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	st, c := newMemStore(pending("D1", gone.URL), pending("D2", "http://[::1]:namedport/")), &clock{t: t0}
	flush(t, newSender(st, c, io.Discard), 2)
	if got := st.get("D1"); got.Status != "pending" || got.LastCode != 0 || !strings.Contains(got.LastError, "refused") {
		t.Errorf("a closed port: %+v", got.Delivery)
	}
	if got := st.get("D2"); got.Status != "failed" || got.LastError == "" {
		t.Errorf("a URL that cannot make a request: %+v", got.Delivery)
	}
}

// TestRefusesPrivate: the default client will not reach loopback or
// private addresses unless allowed, so a watch's URL cannot probe the
// servers behind Vigil.
func TestRefusesPrivate(t *testing.T) {
	rcv := newReceiver(t, 200)
	st, c := newMemStore(pending("D1", rcv.URL), pending("D2", "http://10.255.255.1:9/"), pending("D3", "http://[fe80::1]:9/")), &clock{t: t0}
	s := newSender(st, c, io.Discard)
	s.AllowPrivate = false
	flush(t, s, 3)
	for _, id := range []string{"D1", "D2", "D3"} {
		if got := st.get(id); got.Status != "pending" || !strings.Contains(got.LastError, "not a public address") {
			t.Errorf("%s: %+v", id, got.Delivery)
		}
	}
	if rcv.requests() != 0 {
		t.Errorf("a loopback receiver was reached")
	}
	st = newMemStore(pending("D1", rcv.URL))
	flush(t, newSender(st, c, io.Discard), 1) // AllowPrivate
	if got := st.get("D1"); got.Status != "delivered" {
		t.Errorf("allowed: %+v", got.Delivery)
	}
}

// TestFlushMany: more deliveries than one round holds all go, once each.
func TestFlushMany(t *testing.T) {
	rcv := newReceiver(t, 200)
	var ds []store.PendingDelivery
	for i := range 3*batch + 5 {
		ds = append(ds, pending(string(rune('a'+i/26))+string(rune('a'+i%26)), rcv.URL))
	}
	st, c := newMemStore(ds...), &clock{t: t0}
	flush(t, newSender(st, c, io.Discard), len(ds))
	if rcv.requests() != len(ds) {
		t.Errorf("receiver got %d requests, want %d", rcv.requests(), len(ds))
	}
	seen := map[string]bool{}
	for _, r := range rcv.got {
		id := r.Header.Get(DeliveryHeader)
		if seen[id] {
			t.Errorf("%s sent twice", id)
		}
		seen[id] = true
	}
}

// TestRunStops: Run sends what is due and returns when its context ends.
func TestRunStops(t *testing.T) {
	rcv := newReceiver(t, 200)
	st := newMemStore(pending("D1", rcv.URL))
	s := &Sender{Store: st, AllowPrivate: true, Interval: 10 * time.Millisecond, Now: func() time.Time { return t0 }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	for deadline := time.Now().Add(5 * time.Second); st.get("D1").Status != "delivered"; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("not delivered by Run within 5 s")
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}
