package auth

import (
	"container/list"
	"sync"
	"time"
)

// Throttle parameters: the first failures are free (people mistype), then
// each attempt waits twice as long as the last, up to a ceiling that still
// lets the real owner in the same hour.
const (
	throttleFree     = 5
	throttleFirst    = time.Second
	throttleMax      = 15 * time.Minute
	throttleForget   = 24 * time.Hour // a key with no failure for this long starts over
	throttleCapacity = 100_000
)

// Throttle slows down password guessing, in memory. Callers check and record
// failures under two keys per login, "user:<login>" and "ip:<network>", so
// that guessing one account from many addresses and many accounts from one
// address are both slowed. After 5 failures under a key, each further
// attempt must wait 1 s, then 2 s, 4 s ... up to 15 minutes after the last
// failure. It keeps at most 100,000 keys, dropping the one whose last
// failure is oldest, so a flood of keys cannot exhaust memory. It is safe
// for concurrent use.
//
// Being in memory, it forgets on restart and is not shared between
// processes; it slows guessing, it does not replace strong passwords.
type Throttle struct {
	mu    sync.Mutex
	keys  map[string]*list.Element // of *throttleEntry
	order *list.List               // least recently failed first
	max   int
}

// throttleEntry is the failure record of one key.
type throttleEntry struct {
	key      string
	failures int
	last     time.Time // of the last failure
	until    time.Time // no attempt before
}

// NewThrottle returns an empty Throttle.
func NewThrottle() *Throttle {
	return &Throttle{keys: map[string]*list.Element{}, order: list.New(), max: throttleCapacity}
}

// Check reports whether an attempt under key may be made at now, and if
// not, how long until it may.
func (t *Throttle) Check(key string, now time.Time) (ok bool, retryAfter time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	el, found := t.keys[key]
	if !found {
		return true, 0
	}
	e := el.Value.(*throttleEntry)
	if now.Sub(e.last) >= throttleForget {
		t.remove(el)
		return true, 0
	}
	if wait := e.until.Sub(now); wait > 0 {
		return false, wait
	}
	return true, 0
}

// Fail records a failed attempt under key at now.
func (t *Throttle) Fail(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	el, found := t.keys[key]
	if found && now.Sub(el.Value.(*throttleEntry).last) >= throttleForget {
		t.remove(el)
		found = false
	}
	if !found {
		if t.order.Len() >= t.max {
			t.remove(t.order.Front())
		}
		el = t.order.PushBack(&throttleEntry{key: key})
		t.keys[key] = el
	}
	t.order.MoveToBack(el)
	e := el.Value.(*throttleEntry)
	e.failures++
	e.last = now
	if n := e.failures - throttleFree; n >= 0 {
		wait := throttleMax
		if n < 20 { // beyond, the shift overflows long after the ceiling
			wait = min(throttleFirst<<n, throttleMax)
		}
		e.until = now.Add(wait)
	}
}

// Succeed forgets the failures under key, after a successful login.
func (t *Throttle) Succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if el, found := t.keys[key]; found {
		t.remove(el)
	}
}

// remove drops an entry; the caller holds t.mu.
func (t *Throttle) remove(el *list.Element) {
	delete(t.keys, el.Value.(*throttleEntry).key)
	t.order.Remove(el)
}
