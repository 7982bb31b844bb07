package auth

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// auditKey is the audit key of the test keyring of testKey(1).
var auditKey = func() []byte {
	k, err := NewKeyring(testKey(1))
	if err != nil {
		panic(err)
	}
	return k.AuditKey()
}()

// chain returns n chained events.
func chain(key []byte, n int) []AuditEvent {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var events []AuditEvent
	var prev []byte
	for i := 1; i <= n; i++ {
		e := AuditEvent{
			Seq:    int64(i),
			At:     t0.Add(time.Duration(i) * time.Second),
			Actor:  "u1",
			Action: "report.verify",
			Target: fmt.Sprintf("report-%d", i),
			Detail: "status=verified",
			Prev:   prev,
		}
		e.Hash = ChainHash(key, prev, e)
		prev = e.Hash
		events = append(events, e)
	}
	return events
}

func TestChainHash(t *testing.T) {
	base := AuditEvent{Seq: 1, At: time.UnixMilli(1_700_000_000_123), Actor: "ab", Action: "c"}
	h := ChainHash(auditKey, nil, base)
	if len(h) != 32 {
		t.Fatalf("ChainHash is %d bytes", len(h))
	}
	same := base
	same.At = base.At.In(time.FixedZone("ICT", 7*3600)).Add(400 * time.Microsecond)
	same.Prev, same.Hash = []byte("ignored"), []byte("ignored")
	if !bytes.Equal(ChainHash(auditKey, nil, same), h) {
		t.Error("ChainHash depends on the time zone, sub-millisecond time, Prev or Hash")
	}
	changes := map[string]func(*AuditEvent){
		"seq":            func(e *AuditEvent) { e.Seq = 2 },
		"millisecond":    func(e *AuditEvent) { e.At = e.At.Add(time.Millisecond) },
		"actor":          func(e *AuditEvent) { e.Actor = "ab " },
		"field boundary": func(e *AuditEvent) { e.Actor, e.Action = "a", "bc" },
		"target":         func(e *AuditEvent) { e.Target = "x" },
		"detail":         func(e *AuditEvent) { e.Detail = "x" },
	}
	for name, change := range changes {
		e := base
		change(&e)
		if bytes.Equal(ChainHash(auditKey, nil, e), h) {
			t.Errorf("%s: changing it does not change the hash", name)
		}
	}
	if bytes.Equal(ChainHash(auditKey, []byte{0}, base), h) {
		t.Error("prev does not change the hash")
	}
	if bytes.Equal(ChainHash(testKey(2), nil, base), h) {
		t.Error("the key does not change the hash")
	}
}

func TestVerifyChain(t *testing.T) {
	tests := []struct {
		name   string
		tamper func([]AuditEvent) []AuditEvent
		want   *ChainError
	}{
		{"clean", func(e []AuditEvent) []AuditEvent { return e }, nil},
		{"empty", func([]AuditEvent) []AuditEvent { return nil }, nil},
		{"modified detail", func(e []AuditEvent) []AuditEvent { e[4].Detail = "status=rejected"; return e }, &ChainError{5, ChainModified}},
		{"modified time", func(e []AuditEvent) []AuditEvent { e[2].At = e[2].At.Add(-time.Hour); return e }, &ChainError{3, ChainModified}},
		{"edited hash", func(e []AuditEvent) []AuditEvent { e[4].Hash[0] ^= 1; return e }, &ChainError{5, ChainModified}},
		{"edited prev", func(e []AuditEvent) []AuditEvent { e[5].Prev = e[3].Hash; return e }, &ChainError{6, ChainModified}},
		{"deleted middle row", func(e []AuditEvent) []AuditEvent { return slices.Delete(e, 4, 5) }, &ChainError{5, ChainMissing}},
		{"deleted two rows", func(e []AuditEvent) []AuditEvent { return slices.Delete(e, 4, 6) }, &ChainError{5, ChainMissing}},
		{"deleted first row", func(e []AuditEvent) []AuditEvent { return e[1:] }, &ChainError{1, ChainMissing}},
		{"swapped two rows", func(e []AuditEvent) []AuditEvent { e[3], e[4] = e[4], e[3]; return e }, &ChainError{5, ChainOutOfOrder}},
		{"swapped first two", func(e []AuditEvent) []AuditEvent { e[0], e[1] = e[1], e[0]; return e }, &ChainError{2, ChainOutOfOrder}},
		{"row repeated", func(e []AuditEvent) []AuditEvent { return slices.Insert(e, 5, e[4]) }, &ChainError{5, ChainOutOfOrder}},
		{"row from another chain", func(e []AuditEvent) []AuditEvent {
			e[6] = chain(testKey(1), 10)[6] // valid there, linked to another 6
			e[6].Hash = ChainHash(auditKey, e[6].Prev, e[6])
			return e
		}, &ChainError{7, ChainOutOfOrder}},
		{"row rewritten with the key", func(e []AuditEvent) []AuditEvent {
			e[6].Detail = "status=rejected"
			e[6].Hash = ChainHash(auditKey, e[6].Prev, e[6])
			return e // the next row's link shows it
		}, &ChainError{8, ChainOutOfOrder}},
		{"rehashed without the key", func(e []AuditEvent) []AuditEvent {
			e[4].Detail = "status=rejected"
			e[4].Hash = ChainHash(testKey(9), e[4].Prev, e[4])
			return e
		}, &ChainError{5, ChainModified}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events := tt.tamper(chain(auditKey, 10))
			err := VerifyChain(auditKey, events)
			var got *ChainError
			if err != nil && !errors.As(err, &got) {
				t.Fatalf("VerifyChain = %v, not a *ChainError", err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("VerifyChain (-want +got):\n%s", d)
			}
		})
	}
}

func TestVerifyChainLong(t *testing.T) {
	events := chain(auditKey, 1000)
	if err := VerifyChain(auditKey, events); err != nil {
		t.Fatalf("clean chain of 1000: %v", err)
	}
	if err := VerifyChain(testKey(2), events); err == nil {
		t.Error("the chain verifies under another key")
	}
	events[999].Detail = "x"
	want := &ChainError{1000, ChainModified}
	if err := VerifyChain(auditKey, events); err == nil || err.Error() != want.Error() {
		t.Errorf("VerifyChain = %v, want %v", err, want)
	}
}
