package auth

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"strings"
	"sync"
	"testing"
)

// testKey returns a fixed 32-byte key whose bytes are all b.
func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

func mustKeyring(t testing.TB, keys ...[]byte) *Keyring {
	t.Helper()
	k, err := NewKeyring(keys...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestNewKeyring(t *testing.T) {
	tests := []struct {
		name    string
		keys    [][]byte
		wantErr string
	}{
		{"one", [][]byte{testKey(1)}, ""},
		{"three", [][]byte{testKey(1), testKey(2), testKey(3)}, ""},
		{"none", nil, "no key"},
		{"short", [][]byte{testKey(1), testKey(2)[:31]}, "key 2: 31 bytes"},
		{"long", [][]byte{append(testKey(1), 0)}, "key 1: 33 bytes"},
		{"twice", [][]byte{testKey(1), testKey(2), testKey(1)}, "key 3: same id"},
	}
	for _, tt := range tests {
		k, err := NewKeyring(tt.keys...)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("%s: NewKeyring: %v", tt.name, err)
			} else if want := KeyID(tt.keys[len(tt.keys)-1]); k.Current() != want {
				t.Errorf("%s: Current() = %08x, want the last key's %08x", tt.name, k.Current(), want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: NewKeyring error %v, want one containing %q", tt.name, err, tt.wantErr)
		}
	}
	// The ring keeps its own copy.
	raw := testKey(7)
	k := mustKeyring(t, raw)
	blob := k.Seal([]byte("x"), nil)
	raw[0] = 0
	if _, err := k.Open(blob, nil); err != nil {
		t.Errorf("changing the caller's slice changed the ring: %v", err)
	}
}

func TestKeyID(t *testing.T) {
	sum := sha256.Sum256(testKey(1))
	if got, want := KeyID(testKey(1)), binary.BigEndian.Uint32(sum[:4]); got != want {
		t.Errorf("KeyID = %08x, want %08x", got, want)
	}
}

func TestSealOpen(t *testing.T) {
	old := mustKeyring(t, testKey(1))
	k := mustKeyring(t, testKey(1), testKey(2))
	tests := []struct {
		name       string
		plain, aad []byte
	}{
		{"empty", nil, nil},
		{"text", []byte("Called from +66 81 234 5678, asked for USDT"), []byte("reports.narrative:01HV")},
		{"binary", []byte{0, 1, 2, 255}, []byte{0}},
		{"long", bytes.Repeat([]byte("缅甸"), 10000), nil},
	}
	for _, tt := range tests {
		blob := k.Seal(tt.plain, tt.aad)
		if len(blob) != 1+4+12+len(tt.plain)+16 || blob[0] != 1 {
			t.Errorf("%s: sealed %d bytes, version %d", tt.name, len(blob), blob[0])
		}
		if id, ok := SealedKeyID(blob); !ok || id != k.Current() || id != KeyID(testKey(2)) {
			t.Errorf("%s: SealedKeyID = %08x, %v; want current %08x", tt.name, id, ok, k.Current())
		}
		got, err := k.Open(blob, tt.aad)
		if err != nil || !bytes.Equal(got, tt.plain) {
			t.Errorf("%s: Open = %q, %v", tt.name, got, err)
		}
		if again := k.Seal(tt.plain, tt.aad); bytes.Equal(again, blob) {
			t.Errorf("%s: two seals are equal: the nonce is not random", tt.name)
		}
		// A value sealed before a rotation still opens.
		oldBlob := old.Seal(tt.plain, tt.aad)
		if got, err := k.Open(oldBlob, tt.aad); err != nil || !bytes.Equal(got, tt.plain) {
			t.Errorf("%s: Open of a value under the older key = %q, %v", tt.name, got, err)
		}
	}
}

func TestOpenRefuses(t *testing.T) {
	k := mustKeyring(t, testKey(1), testKey(2))
	blob := k.Seal([]byte("secret narrative"), []byte("aad"))
	flip := func(i int) []byte {
		b := bytes.Clone(blob)
		b[i] ^= 1
		return b
	}
	underKey1 := mustKeyring(t, testKey(1)).Seal([]byte("secret narrative"), []byte("aad"))
	idSwapped := bytes.Clone(blob) // names key 1 while sealed under key 2
	binary.BigEndian.PutUint32(idSwapped[1:5], KeyID(testKey(1)))
	tests := []struct {
		name    string
		blob    []byte
		aad     string
		wantErr string
	}{
		{"nil", nil, "aad", "0 bytes"},
		{"short", blob[:32], "aad", "32 bytes"},
		{"version 0", flip(0), "aad", "unknown version 0"},
		{"version 2", append([]byte{2}, blob[1:]...), "aad", "unknown version 2"},
		{"unknown key", flip(1), "aad", "not in the keyring"},
		{"other key id of the ring", idSwapped, "aad", "fails authentication"},
		{"nonce", flip(6), "aad", "fails authentication"},
		{"ciphertext", flip(20), "aad", "fails authentication"},
		{"tag", flip(len(blob) - 1), "aad", "fails authentication"},
		{"truncated tag", blob[:len(blob)-1], "aad", "fails authentication"},
		{"other aad", blob, "aae", "fails authentication"},
		{"no aad", blob, "", "fails authentication"},
		{"only key 1 in ring", blob, "aad", "not in the keyring"},
	}
	for _, tt := range tests {
		ring := k
		if tt.name == "only key 1 in ring" {
			ring = mustKeyring(t, testKey(1))
		}
		got, err := ring.Open(tt.blob, []byte(tt.aad))
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: Open = %q, %v; want an error containing %q", tt.name, got, err, tt.wantErr)
		}
		if strings.Contains(tt.wantErr, "keyring") != errors.Is(err, ErrUnknownKey) {
			t.Errorf("%s: errors.Is(%v, ErrUnknownKey) wrong", tt.name, err)
		}
	}
	if _, err := k.Open(underKey1, []byte("aad")); err != nil {
		t.Errorf("Open under key 1: %v", err)
	}
}

func TestSealString(t *testing.T) {
	k := mustKeyring(t, testKey(1))
	if b := k.SealString("", "x"); b != nil {
		t.Errorf(`SealString("") = %x, want nil`, b)
	}
	for _, blob := range [][]byte{nil, {}} {
		if s, err := k.OpenString(blob, "x"); s != "" || err != nil {
			t.Errorf("OpenString(%v) = %q, %v", blob, s, err)
		}
	}
	blob := k.SealString("ติดต่อ Line: scam123", "reports.contact")
	if s, err := k.OpenString(blob, "reports.contact"); s != "ติดต่อ Line: scam123" || err != nil {
		t.Errorf("OpenString = %q, %v", s, err)
	}
	if _, err := k.OpenString(blob, "reports.narrative"); err == nil {
		t.Error("OpenString with other aad succeeded")
	}
}

func TestSealedKeyID(t *testing.T) {
	k := mustKeyring(t, testKey(3))
	tests := []struct {
		name   string
		blob   []byte
		wantID uint32
		wantOK bool
	}{
		{"sealed", k.Seal(nil, nil), KeyID(testKey(3)), true},
		{"nil", nil, 0, false},
		{"short", make([]byte, 32), 0, false},
		{"version 0", make([]byte, 33), 0, false},
	}
	for _, tt := range tests {
		id, ok := SealedKeyID(tt.blob)
		if id != tt.wantID || ok != tt.wantOK {
			t.Errorf("%s: SealedKeyID = %08x, %v; want %08x, %v", tt.name, id, ok, tt.wantID, tt.wantOK)
		}
	}
}

func TestBlind(t *testing.T) {
	k := mustKeyring(t, testKey(1))
	// The definition, computed here step by step.
	bk := hmac.New(sha256.New, testKey(1))
	bk.Write([]byte("vigil blind index v1"))
	m := hmac.New(sha256.New, bk.Sum(nil))
	m.Write([]byte("phone\x00+66812345678"))
	want := m.Sum(nil)[:16]
	if got := k.Blind("phone", "+66812345678"); !bytes.Equal(got, want) {
		t.Errorf("Blind = %x, want %x", got, want)
	}
	tests := []struct {
		name string
		a, b []byte
		same bool
	}{
		{"deterministic", k.Blind("phone", "1"), k.Blind("phone", "1"), true},
		{"value", k.Blind("phone", "1"), k.Blind("phone", "2"), false},
		{"domain", k.Blind("phone", "1"), k.Blind("email", "1"), false},
		{"boundary", k.Blind("ab", "c"), k.Blind("a", "bc"), false},
		{"key", k.Blind("phone", "1"), mustKeyring(t, testKey(2)).Blind("phone", "1"), false},
		{"current key decides", mustKeyring(t, testKey(1), testKey(2)).Blind("phone", "1"), mustKeyring(t, testKey(2)).Blind("phone", "1"), true},
	}
	for _, tt := range tests {
		if bytes.Equal(tt.a, tt.b) != tt.same || len(tt.a) != 16 {
			t.Errorf("%s: %x vs %x, want same %v", tt.name, tt.a, tt.b, tt.same)
		}
	}
}

func TestAuditKey(t *testing.T) {
	want := hmac.New(sha256.New, testKey(1))
	want.Write([]byte("vigil audit chain v1"))
	one := mustKeyring(t, testKey(1))
	rotated := mustKeyring(t, testKey(1), testKey(2), testKey(3))
	if !bytes.Equal(one.AuditKey(), want.Sum(nil)) {
		t.Errorf("AuditKey = %x, want %x", one.AuditKey(), want.Sum(nil))
	}
	if !bytes.Equal(one.AuditKey(), rotated.AuditKey()) {
		t.Error("AuditKey changed when keys were appended")
	}
	if bytes.Equal(one.AuditKey(), mustKeyring(t, testKey(2)).AuditKey()) {
		t.Error("AuditKey is the same under another first key")
	}
}

func TestKeyringConcurrent(t *testing.T) {
	k := mustKeyring(t, testKey(1))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 200 {
				b := k.Seal([]byte("x"), nil)
				if _, err := k.Open(b, nil); err != nil {
					t.Error(err)
					return
				}
				k.Terms("刷单 wechat")
			}
		})
	}
	wg.Go(func() {
		for i := range 20 {
			k.mu.Lock()
			err := k.add(testKey(byte(10 + i)))
			k.mu.Unlock()
			if err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
}

// FuzzOpen checks that no stored blob makes Open panic, and that only a
// real sealed value opens.
func FuzzOpen(f *testing.F) {
	k := mustKeyring(f, testKey(1), testKey(2))
	f.Add(k.Seal([]byte("narrative"), []byte("aad")), []byte("aad"))
	f.Add(k.Seal(nil, nil), []byte{})
	f.Add(mustKeyring(f, testKey(1)).Seal([]byte("old"), nil), []byte{})
	f.Add([]byte{1, 0, 0, 0, 0}, []byte{})
	f.Add([]byte{}, []byte("aad"))
	f.Fuzz(func(t *testing.T, blob, aad []byte) {
		plain, err := k.Open(blob, aad)
		if err != nil {
			if plain != nil {
				t.Fatalf("Open failed (%v) but returned %q", err, plain)
			}
			return
		}
		if id, ok := SealedKeyID(blob); !ok || (id != KeyID(testKey(1)) && id != KeyID(testKey(2))) {
			t.Fatalf("Open accepted %x, whose key id is not in the ring", blob)
		}
		if len(blob) != len(plain)+sealMinLen {
			t.Fatalf("Open of %d bytes gave %d", len(blob), len(plain))
		}
	})
}
