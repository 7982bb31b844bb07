package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"syscall"
	"time"

	"vigil/internal/store"
)

// Store is what the sender needs of the store (store.Watches).
type Store interface {
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]store.PendingDelivery, error)
	RecordDelivery(ctx context.Context, id string, a store.Attempt, next time.Time) error
}

// Defaults of a Sender.
const (
	DefaultInterval    = time.Second
	DefaultMaxAttempts = 8
	// Timeout bounds one attempt, from dialling to the end of the answer.
	Timeout = 10 * time.Second
	// batch is how many deliveries one round sends at once.
	batch = 16
	// minBackoff keeps a retry out of the Flush that made it.
	minBackoff = time.Second
)

// DefaultBackoff waits 30 s after the first failed attempt and doubles
// the wait after each one after, up to an hour: 30 s, 1 min, 2, 4, 8,
// 16, 32 min, 1 h.
func DefaultBackoff(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	if attempt > 8 {
		return time.Hour
	}
	return min(30*time.Second<<(attempt-1), time.Hour)
}

// Sender sends the store's due deliveries. The zero values of its fields
// other than Store are the defaults.
type Sender struct {
	Store Store
	// Client sends the requests; it is used as given except that
	// redirects are never followed (a 3xx is a failed attempt). The
	// default has a 10 s timeout and refuses loopback, private and
	// link-local addresses (see AllowPrivate).
	Client *http.Client
	// AllowPrivate lets the default client reach loopback, private and
	// link-local addresses: a receiver on the same host or network as
	// Vigil. Off, a watch's URL cannot probe the servers behind Vigil.
	AllowPrivate bool
	// Backoff is the wait after the attempt-th failed attempt (1 for the
	// first); DefaultBackoff when nil. Waits under a second count as one.
	Backoff func(attempt int) time.Duration
	// MaxAttempts is how many attempts a delivery gets before it is
	// marked failed; DefaultMaxAttempts when not positive.
	MaxAttempts int
	// Interval is how often Run looks for due deliveries.
	Interval time.Duration
	Logger   *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time

	once   sync.Once
	client *http.Client
}

func (s *Sender) init() {
	s.once.Do(func() {
		if s.Client != nil {
			c := *s.Client
			s.client = &c
		} else {
			dialer := &net.Dialer{Timeout: Timeout}
			if !s.AllowPrivate {
				dialer.Control = refusePrivate
			}
			s.client = &http.Client{Timeout: Timeout, Transport: &http.Transport{
				DialContext: dialer.DialContext, TLSHandshakeTimeout: Timeout, ResponseHeaderTimeout: Timeout,
				MaxIdleConnsPerHost: 2, IdleConnTimeout: time.Minute, ForceAttemptHTTP2: true,
			}}
		}
		s.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	})
}

// refusePrivate refuses a connection to an address that is not public.
// It runs on the address actually dialled, after name resolution, so a
// name that resolves to a private address is refused too.
func refusePrivate(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("webhook: refusing to connect to %s: %w", address, err)
	}
	ip := ap.Addr().Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsUnspecified() || sharedSpace.Contains(ip) || thisNetwork.Contains(ip) {
		return fmt.Errorf("webhook: refusing to connect to %s: not a public address", ip)
	}
	return nil
}

var (
	sharedSpace = netip.MustParsePrefix("100.64.0.0/10") // carrier-grade NAT
	thisNetwork = netip.MustParsePrefix("0.0.0.0/8")
)

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Sender) log() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Run sends due deliveries every Interval until ctx is done.
func (s *Sender) Run(ctx context.Context) {
	every := s.Interval
	if every <= 0 {
		every = DefaultInterval
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.Flush(ctx); err != nil && ctx.Err() == nil {
			s.log().Error("webhook: flush", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Flush sends every delivery due now once and records each attempt. It
// returns the number of attempts made.
func (s *Sender) Flush(ctx context.Context) (int, error) {
	s.init()
	now := s.now()
	seen := map[string]bool{}
	sent := 0
	var errs []error
	for ctx.Err() == nil {
		due, err := s.Store.DueDeliveries(ctx, now, batch)
		if err != nil {
			return sent, fmt.Errorf("webhook: flush: %w", err)
		}
		var todo []store.PendingDelivery
		for _, d := range due {
			if !seen[d.ID] {
				seen[d.ID] = true
				todo = append(todo, d)
			}
		}
		if len(todo) == 0 {
			break
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		for _, d := range todo {
			wg.Go(func() {
				err := s.deliver(ctx, d)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, err)
				} else if ctx.Err() == nil {
					sent++
				}
			})
		}
		wg.Wait()
		if len(due) < batch {
			break
		}
	}
	return sent, errors.Join(errs...)
}

// deliver makes one attempt at d and records it. An attempt cut short
// because ctx ended (the server stopping) is not recorded: the delivery
// is sent again once the store's lease on it runs out.
func (s *Sender) deliver(ctx context.Context, d store.PendingDelivery) error {
	at := s.now()
	a := store.Attempt{At: at}
	retry := true
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Body))
	if err != nil {
		a.Error, retry = err.Error(), false // a URL that cannot make a request will not later
	} else {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", UserAgent)
		req.Header.Set(DeliveryHeader, d.ID)
		req.Header.Set(SignatureHeader, Sign(d.Secret, at, d.Body))
		resp, err := s.client.Do(req)
		if ctx.Err() != nil {
			if err == nil {
				resp.Body.Close()
			}
			return nil
		}
		if err != nil {
			a.Error = err.Error()
		} else {
			io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
			a.Code = resp.StatusCode
			if a.Code < 200 || a.Code > 299 {
				a.Error = resp.Status
			}
		}
	}
	var next time.Time
	attempts := d.Attempts + 1
	limit := s.MaxAttempts
	if limit <= 0 {
		limit = DefaultMaxAttempts
	}
	log := s.log().With("delivery", d.ID, "watch", d.Watch, "attempt", attempts, "code", a.Code)
	switch {
	case a.Error == "":
		log.Info("webhook delivered")
	case retry && attempts < limit:
		backoff := DefaultBackoff
		if s.Backoff != nil {
			backoff = s.Backoff
		}
		next = at.Add(max(backoff(attempts), minBackoff))
		log.Warn("webhook attempt failed, will retry", "err", a.Error, "next", next)
	default:
		log.Error("webhook delivery failed, giving up", "err", a.Error)
	}
	if err := s.Store.RecordDelivery(ctx, d.ID, a, next); err != nil {
		return fmt.Errorf("webhook: delivery %s: %w", d.ID, err)
	}
	return nil
}
