package auth

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"time"
)

// AuditEvent is one entry of the audit log: who did what to what, when.
// Each entry's Hash covers its content and the previous entry's Hash, so
// the log is a chain: an entry cannot be changed, removed or moved without
// breaking it.
type AuditEvent struct {
	Seq    int64 // 1, 2, 3 ... with no gaps
	At     time.Time
	Actor  string // Principal.User, or "" for the public
	Action string // such as "report.verify", "user.create"
	Target string // what was acted on, such as a report id
	Detail string
	Prev   []byte // Hash of the entry before; nil for the first
	Hash   []byte // ChainHash of this entry
}

// ChainHash returns the Hash of e after the entry whose Hash is prev:
// HMAC-SHA256 under key (Keyring.AuditKey) of Seq, At in UTC Unix
// milliseconds, Actor, Action, Target, Detail and prev, each string
// preceded by its length, so that no two different entries encode alike.
// e.Prev and e.Hash are not read. At counts to the millisecond only, so a
// store that keeps milliseconds verifies what it was given.
//
// Being keyed, the chain cannot be rebuilt by someone who can write the
// database but not read the key file.
func ChainHash(key, prev []byte, e AuditEvent) []byte {
	m := hmac.New(sha256.New, key)
	writeInt(m, e.Seq)
	writeInt(m, e.At.UTC().UnixMilli())
	for _, s := range []string{e.Actor, e.Action, e.Target, e.Detail} {
		writeBytes(m, []byte(s))
	}
	writeBytes(m, prev)
	return m.Sum(nil)
}

func writeInt(h hash.Hash, v int64) {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(v))
	h.Write(b[:])
}

func writeBytes(h hash.Hash, b []byte) {
	writeInt(h, int64(len(b)))
	h.Write(b)
}

// The problems ChainError reports.
const (
	ChainModified   = "modified"     // the entry's Hash does not match its content
	ChainMissing    = "missing"      // a gap in Seq: entries were deleted
	ChainOutOfOrder = "out of order" // Seq or the Prev link is wrong though each Hash matches
)

// ChainError says where and how an audit chain is broken.
type ChainError struct {
	Seq     int64  // the entry at fault; for "missing", the first missing Seq
	Problem string // ChainModified, ChainMissing or ChainOutOfOrder
}

func (e *ChainError) Error() string {
	return fmt.Sprintf("audit chain broken at event %d: %s", e.Seq, e.Problem)
}

// VerifyChain checks events, in the order they are stored, under key: the
// first Seq is 1 and each next one is one more, each Prev is the Hash
// before it (nil for the first) and each Hash is ChainHash of its entry. It
// returns the first break as a *ChainError, or nil.
//
// A chain cannot show that its newest entries were cut off: the last Seq
// and Hash, noted elsewhere (a log line, a backup, a report to a partner),
// are what shows that.
func VerifyChain(key []byte, events []AuditEvent) error {
	// present tells a gap (the Seq is nowhere) from a move (it comes later).
	present := make(map[int64]bool, len(events))
	for _, e := range events {
		present[e.Seq] = true
	}
	var prev *AuditEvent
	for i := range events {
		e := &events[i]
		if !hmac.Equal(e.Hash, ChainHash(key, e.Prev, *e)) {
			return &ChainError{Seq: e.Seq, Problem: ChainModified}
		}
		want := int64(1)
		if prev != nil {
			want = prev.Seq + 1
		}
		switch {
		case e.Seq > want && !present[want]:
			return &ChainError{Seq: want, Problem: ChainMissing}
		case e.Seq != want:
			return &ChainError{Seq: e.Seq, Problem: ChainOutOfOrder}
		}
		var prevHash []byte
		if prev != nil {
			prevHash = prev.Hash
		}
		if !bytes.Equal(e.Prev, prevHash) {
			return &ChainError{Seq: e.Seq, Problem: ChainOutOfOrder}
		}
		prev = e
	}
	return nil
}
