// Package webhook delivers watch alerts to the URLs their watches name:
// each POST signed with HMAC-SHA256 over a timestamp and the body (the
// Vigil-Signature header), retried with backoff, every attempt recorded
// in the store's delivery log (docs/webhooks.md). Verify is the
// receiver's half, for receivers written in Go and for tests.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Headers of a delivery.
const (
	// SignatureHeader carries "t=<unix seconds>,v1=<hex HMAC-SHA256>".
	SignatureHeader = "Vigil-Signature"
	// DeliveryHeader carries the delivery's id, the same on every retry:
	// receivers drop repeats by it.
	DeliveryHeader = "Vigil-Delivery"
	UserAgent      = "vigil-webhook"
)

// DefaultTolerance is how far a signature's timestamp may be from the
// receiver's clock: replaying a captured delivery later fails.
const DefaultTolerance = 5 * time.Minute

// Errors of Verify.
var (
	ErrMalformed = errors.New("webhook: malformed signature header")
	ErrMismatch  = errors.New("webhook: signature does not match")
	ErrStale     = errors.New("webhook: signature timestamp outside the tolerance")
)

// maxHeader bounds the header Verify reads: a few signatures fit, a
// flood of them does not cost a receiver a flood of HMACs.
const maxHeader = 1024

// Sign returns the Vigil-Signature header value of body sent at t:
// "t=<unix>,v1=<hex of HMAC-SHA256(secret, "<unix>.<body>")>". The
// timestamp is inside the MAC, so a receiver that checks its age refuses
// a replay.
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret []byte, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Verify checks a Vigil-Signature header against body: one of its v1
// signatures must be body's under secret (compared in constant time), and
// its timestamp within tolerance of now (DefaultTolerance when tolerance
// is not positive). Unknown fields are ignored, so a later scheme can be
// added beside v1.
func Verify(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) error {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	if len(header) > maxHeader {
		return ErrMalformed
	}
	ts := ""
	var sigs [][]byte
	for part := range strings.SplitSeq(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return ErrMalformed
		}
		switch k {
		case "t":
			if ts != "" || v == "" || strings.TrimLeft(v, "0123456789") != "" || len(v) > 18 {
				return ErrMalformed
			}
			ts = v
		case "v1":
			sig, err := hex.DecodeString(v)
			if err != nil || len(sig) != sha256.Size {
				return ErrMalformed
			}
			sigs = append(sigs, sig)
		}
	}
	if ts == "" || len(sigs) == 0 {
		return ErrMalformed
	}
	want := mac(secret, ts, body)
	match := false
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			match = true
		}
	}
	if !match {
		return ErrMismatch
	}
	unix, _ := strconv.ParseInt(ts, 10, 64) // at most 18 digits: it fits
	if age := now.Sub(time.Unix(unix, 0)); age > tolerance || age < -tolerance {
		return ErrStale
	}
	return nil
}
