package auth

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestThrottle(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	// step is one action on the key "user:ana" at t0+at: a failure, a
	// success, or a check with its expected answer.
	type step struct {
		at        time.Duration
		action    string // "fail", "succeed", "check"
		wantOK    bool
		wantRetry time.Duration
	}
	fails := func(n int, at time.Duration) []step {
		var s []step
		for range n {
			s = append(s, step{at: at, action: "fail"})
		}
		return s
	}
	cat := func(parts ...[]step) []step {
		var s []step
		for _, p := range parts {
			s = append(s, p...)
		}
		return s
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"unknown key", []step{{0, "check", true, 0}}},
		{"four failures are free", cat(fails(4, 0), []step{{0, "check", true, 0}})},
		{"fifth failure waits a second", cat(fails(5, 0), []step{
			{0, "check", false, time.Second},
			{999 * time.Millisecond, "check", false, time.Millisecond},
			{time.Second, "check", true, 0},
		})},
		{"doubling", cat(fails(5, 0), []step{
			{time.Second, "fail", false, 0},
			{time.Second, "check", false, 2 * time.Second},
			{3 * time.Second, "fail", false, 0},
			{3 * time.Second, "check", false, 4 * time.Second},
			{7 * time.Second, "fail", false, 0},
			{7 * time.Second, "check", false, 8 * time.Second},
		})},
		{"ceiling of 15 minutes", cat(fails(30, 0), []step{{0, "check", false, 15 * time.Minute}})},
		{"ceiling after many failures", cat(fails(200, 0), []step{{0, "check", false, 15 * time.Minute}})},
		{"success forgets", cat(fails(7, 0), []step{{0, "succeed", false, 0}, {0, "check", true, 0}}, fails(4, 0), []step{{0, "check", true, 0}})},
		{"a quiet day forgets", cat(fails(9, 0), []step{{24 * time.Hour, "check", true, 0}}, fails(1, 24*time.Hour), []step{{24 * time.Hour, "check", true, 0}})},
		{"failures within the day accumulate", cat(fails(4, 0), fails(1, 23*time.Hour), []step{{23 * time.Hour, "check", false, time.Second}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := NewThrottle()
			for i, s := range tt.steps {
				now := t0.Add(s.at)
				switch s.action {
				case "fail":
					th.Fail("user:ana", now)
				case "succeed":
					th.Succeed("user:ana")
				case "check":
					ok, retry := th.Check("user:ana", now)
					if ok != s.wantOK || retry != s.wantRetry {
						t.Errorf("step %d: Check at +%v = %v, %v; want %v, %v", i, s.at, ok, retry, s.wantOK, s.wantRetry)
					}
				}
			}
			if ok, _ := th.Check("ip:192.0.2.0/24", t0); !ok {
				t.Error("another key is throttled")
			}
		})
	}
}

func TestThrottleCapacity(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	th := NewThrottle()
	th.max = 3
	for range 5 {
		th.Fail("user:first", t0)
	}
	for i := range 3 {
		for range 5 {
			th.Fail(fmt.Sprintf("user:%d", i), t0)
		}
	}
	if n := len(th.keys); n != 3 || th.order.Len() != 3 {
		t.Errorf("%d keys (%d in order), want 3", n, th.order.Len())
	}
	if ok, _ := th.Check("user:first", t0); !ok {
		t.Error("the oldest key was not dropped")
	}
	if ok, _ := th.Check("user:2", t0); ok {
		t.Error("the newest key was dropped")
	}
	// A failure makes a key the newest again.
	th.Fail("user:0", t0)
	th.Fail("user:new", t0)
	if _, kept := th.keys["user:0"]; !kept {
		t.Error("user:0 was dropped after its failure made it the newest")
	}
	if _, kept := th.keys["user:1"]; kept {
		t.Error("user:1, the oldest, was kept")
	}
}

func TestThrottleConcurrent(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	th := NewThrottle()
	th.max = 50
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				key := fmt.Sprintf("ip:%d", (g*7+i)%100)
				th.Check(key, t0)
				th.Fail(key, t0)
				if i%10 == 0 {
					th.Succeed(key)
				}
			}
		})
	}
	wg.Wait()
	if len(th.keys) > 50 || len(th.keys) != th.order.Len() {
		t.Errorf("%d keys, %d in order; want at most 50, equal", len(th.keys), th.order.Len())
	}
}
