package webhook

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestSignKnownAnswer: the signature is what openssl computes, as
// docs/webhooks.md tells receivers to:
//
//	printf '%s' '1767225600.{"type":"vigil.alert"}' | openssl dgst -sha256 -hmac secret
func TestSignKnownAnswer(t *testing.T) {
	got := Sign([]byte("secret"), time.Unix(1767225600, 0), []byte(`{"type":"vigil.alert"}`))
	want := "t=1767225600,v1=d3d34b858be7dd199b84344a883037abb9a72567ca1b63600bd1e8568e1b1746"
	if got != want {
		t.Errorf("Sign = %q, want %q", got, want)
	}
}

func TestVerify(t *testing.T) {
	secret := []byte("the watch's secret")
	body := []byte(`{"type":"vigil.alert","id":"01J","watch":"01W","event":"lead.new"}`)
	at := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	good := Sign(secret, at, body)
	sig := strings.SplitN(good, ",", 2)[1]
	tests := []struct {
		name   string
		secret []byte
		header string
		body   []byte
		now    time.Time
		want   error
	}{
		{"valid", secret, good, body, at, nil},
		{"valid, a minute late", secret, good, body, at.Add(time.Minute), nil},
		{"valid, spaces and order", secret, " " + sig + " , t=" + strings.TrimPrefix(strings.SplitN(good, ",", 2)[0], "t="), body, at, nil},
		{"one of two signatures", secret, good + ",v1=" + strings.Repeat("00", 32), body, at, nil},
		{"unknown scheme ignored", secret, good + ",v0=whatever", body, at, nil},
		{"another secret", []byte("another secret"), good, body, at, ErrMismatch},
		{"body modified", secret, good, append([]byte(nil), append(body[:len(body)-1:len(body)-1], ' ', '}')...), at, ErrMismatch},
		{"timestamp changed", secret, "t=1767268801," + sig, body, at, ErrMismatch},
		{"replayed later", secret, good, body, at.Add(DefaultTolerance + time.Second), ErrStale},
		{"from the future", secret, good, body, at.Add(-DefaultTolerance - time.Second), ErrStale},
		{"empty", secret, "", body, at, ErrMalformed},
		{"no timestamp", secret, sig, body, at, ErrMalformed},
		{"no signature", secret, "t=1767268800", body, at, ErrMalformed},
		{"two timestamps", secret, "t=1,t=2," + sig, body, at, ErrMalformed},
		{"negative timestamp", secret, "t=-1," + sig, body, at, ErrMalformed},
		{"huge timestamp", secret, "t=99999999999999999999," + sig, body, at, ErrMalformed},
		{"short signature", secret, "t=1767268800,v1=abcd", body, at, ErrMalformed},
		{"not hex", secret, "t=1767268800,v1=" + strings.Repeat("zz", 32), body, at, ErrMalformed},
		{"no equals", secret, "t=1767268800,v1", body, at, ErrMalformed},
		{"too long", secret, good + strings.Repeat(",v1="+strings.Repeat("00", 32), 20), body, at, ErrMalformed},
	}
	for _, tc := range tests {
		if err := Verify(tc.secret, tc.header, tc.body, tc.now, 0); !errors.Is(err, tc.want) {
			t.Errorf("%s: Verify(%q) = %v, want %v", tc.name, tc.header, err, tc.want)
		}
	}
	if err := Verify(secret, good, body, at.Add(time.Hour), 2*time.Hour); err != nil {
		t.Errorf("a wider tolerance: %v", err)
	}
}

// FuzzVerify: no header, however malformed, makes Verify panic, and what
// Sign makes always verifies.
func FuzzVerify(f *testing.F) {
	f.Add("t=1767268800,v1="+strings.Repeat("ab", 32), []byte("{}"), int64(1767268800))
	f.Add("t=,v1=,", []byte(""), int64(0))
	f.Add("t=1,t=1,v1=zz,,==", []byte("x"), int64(-1))
	f.Add(",,,", []byte(nil), int64(1<<62))
	f.Fuzz(func(t *testing.T, header string, body []byte, unix int64) {
		secret := []byte("fuzz secret")
		now := time.Unix(unix, 0)
		Verify(secret, header, body, now, 0)
		if unix < 0 || unix > 1e15 {
			return // Sign's timestamp must parse back: 18 digits at most
		}
		if err := Verify(secret, Sign(secret, now, body), body, now, 0); err != nil {
			t.Errorf("Verify(Sign(%d, %q)) = %v", unix, body, err)
		}
	})
}
