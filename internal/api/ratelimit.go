package api

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter rate-limits anonymous report submissions per client network.
type limiter struct {
	every time.Duration
	burst int

	mu      sync.Mutex
	clients map[string]*rate.Limiter
}

func newLimiter(perHour float64, burst int) *limiter {
	if perHour <= 0 {
		perHour = 20
	}
	if burst <= 0 {
		burst = 5
	}
	return &limiter{every: time.Duration(float64(time.Hour) / perHour), burst: burst, clients: map[string]*rate.Limiter{}}
}

// allow takes one submission from client's allowance.
func (l *limiter) allow(client string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.clients[client]
	if !ok {
		if len(l.clients) >= 100000 {
			l.sweep()
		}
		lim = rate.NewLimiter(rate.Every(l.every), l.burst)
		l.clients[client] = lim
	}
	return lim.Allow()
}

// sweep forgets clients whose allowance is full again: they are as new.
func (l *limiter) sweep() {
	now := time.Now()
	for c, lim := range l.clients {
		if lim.TokensAt(now) >= float64(l.burst) {
			delete(l.clients, c)
		}
	}
}

func (l *limiter) retryAfter() time.Duration {
	return max(time.Second, l.every)
}
