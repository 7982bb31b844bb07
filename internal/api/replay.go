package api

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"sync"
	"time"

	"vigil/internal/store"
)

// replays keeps the answers to case filings by Idempotency-Key, so that a
// family whose connection dropped after filing gets the same case, link
// and code on retrying, not a second case with a link they never saw.
//
// Reports keep their keys in the store; the store's case contract has no
// key (store.Cases.AddCase), so these live in memory: they survive a retry,
// not a restart, and each server of several has its own. The answer held
// carries the family's token and code, which is why entries expire after
// a day and are never written anywhere.
type replays struct {
	mu      sync.Mutex
	entries map[string]*replay
	max     int
	ttl     time.Duration
}

type replay struct {
	hash   string
	done   bool // false while the first request is under way
	answer caseCreated
	at     time.Time
}

func newReplays() *replays {
	return &replays{entries: map[string]*replay{}, max: 10_000, ttl: 24 * time.Hour}
}

// idempotencyKey returns the caller-scoped Idempotency-Key of a request
// and a hash of its body; "" when the request has none.
func (s *Server) idempotencyKey(r *http.Request, c *caller, body []byte) (key, hash string, err error) {
	k := r.Header.Get("Idempotency-Key")
	if k == "" {
		return "", "", nil
	}
	if len(k) > 255 {
		return "", "", &invalidError{[]fieldError{{"Idempotency-Key", "is longer than 255 characters"}}}
	}
	sum := sha256.Sum256(body)
	// Scoped to the caller, so that one caller's key cannot replay
	// another's answer.
	return c.actor(s) + ":" + k, hex.EncodeToString(sum[:]), nil
}

// begin claims key for a request with body hash. It returns the stored
// answer of an earlier request with the same key and hash; ErrConflict
// (wrapped) when the key was used with another body or its first request
// is still under way; nil, nil when the caller is to go ahead and then
// call finish or abort.
func (p *replays) begin(key, hash string, now time.Time) (*caseCreated, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e, ok := p.entries[key]; ok && now.Sub(e.at) < p.ttl {
		switch {
		case e.hash != hash:
			return nil, fmt.Errorf("%w: the Idempotency-Key was used for another request", store.ErrConflict)
		case !e.done:
			return nil, fmt.Errorf("%w: a request with this Idempotency-Key is under way", store.ErrConflict)
		}
		answer := e.answer
		return &answer, nil
	}
	if len(p.entries) >= p.max {
		p.evict(now)
	}
	p.entries[key] = &replay{hash: hash, at: now}
	return nil, nil
}

// finish stores the answer to the request that claimed key.
func (p *replays) finish(key string, answer caseCreated) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e, ok := p.entries[key]; ok {
		e.done, e.answer = true, answer
	}
}

// abort releases key after its request failed, so that it may be retried.
func (p *replays) abort(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.entries, key)
}

// evict drops expired entries and, when none had expired, the oldest
// finished one; the caller holds p.mu.
func (p *replays) evict(now time.Time) {
	var oldest string
	for k, e := range p.entries {
		if now.Sub(e.at) >= p.ttl {
			delete(p.entries, k)
			continue
		}
		if e.done && (oldest == "" || e.at.Before(p.entries[oldest].at)) {
			oldest = k
		}
	}
	if len(p.entries) >= p.max && oldest != "" {
		delete(p.entries, oldest)
	}
}
