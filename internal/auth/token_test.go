package auth

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"
)

var apiKeyRe = regexp.MustCompile(`^vgk_([a-z2-7]{12})_[a-z2-7]{52}$`)

func TestNewAPIKey(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		token, id, hash := NewAPIKey()
		m := apiKeyRe.FindStringSubmatch(token)
		if m == nil || m[1] != id {
			t.Fatalf("NewAPIKey() = %q, %q; want the form %s with that id", token, id, apiKeyRe)
		}
		sum := sha256.Sum256([]byte(token))
		if hash != hex.EncodeToString(sum[:]) || hash != HashToken(token) {
			t.Errorf("hash %s is not the hex SHA-256 of %s", hash, token)
		}
		if got, ok := ParseAPIKey(token); !ok || got != id {
			t.Errorf("ParseAPIKey(%q) = %q, %v; want %q", token, got, ok, id)
		}
		if !MatchToken(token, hash) || MatchToken(token+"x", hash) || MatchToken(token, "") {
			t.Errorf("MatchToken wrong for %s", token)
		}
		if seen[id] {
			t.Fatalf("id %s repeated", id)
		}
		seen[id] = true
	}
}

func TestParseAPIKey(t *testing.T) {
	const id = "abcdefgh2345"
	secret := strings.Repeat("a", 51) + "q" // 32 bytes, the last bit set
	tests := []struct {
		name  string
		token string
		ok    bool
	}{
		{"good", "vgk_" + id + "_" + secret, true},
		{"empty", "", false},
		{"prefix only", "vgk_", false},
		{"upper case", strings.ToUpper("vgk_" + id + "_" + secret), false},
		{"upper case id", "vgk_ABCDEFGH2345_" + secret, false},
		{"other prefix", "vgx_" + id + "_" + secret, false},
		{"short id", "vgk_abcdefgh234_a" + secret, false},
		{"long id", "vgk_abcdefgh23456_" + secret[1:], false},
		{"digit 1", "vgk_abcdefgh2341_" + secret, false},
		{"digit 8 in secret", "vgk_" + id + "_8" + secret[1:], false},
		{"line break in secret", "vgk_" + id + "_\n" + secret[1:], false},
		{"padding", "vgk_" + id + "_" + secret[:51] + "=", false},
		{"trailing bits", "vgk_" + id + "_" + strings.Repeat("a", 51) + "b", false},
		{"trailing space", "vgk_" + id + "_" + secret + " ", false},
		{"second underscore", "vgk_" + id + "_" + secret[:20] + "_" + secret[21:], false},
	}
	for _, tt := range tests {
		got, ok := ParseAPIKey(tt.token)
		if ok != tt.ok || (ok && got != id) || (!ok && got != "") {
			t.Errorf("%s: ParseAPIKey(%q) = %q, %v; want ok %v", tt.name, tt.token, got, ok, tt.ok)
		}
	}
}

func TestNewSessionToken(t *testing.T) {
	token, hash := NewSessionToken()
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != 32 {
		t.Errorf("NewSessionToken() = %q: not base64url of 32 bytes (%v)", token, err)
	}
	if hash != HashToken(token) {
		t.Errorf("hash %s, want HashToken(token)", hash)
	}
	if token2, _ := NewSessionToken(); token2 == token {
		t.Error("two session tokens are equal")
	}
}

func TestCSRF(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	tok := CSRFToken(secret, "session-a")
	if len(tok) != 43 {
		t.Errorf("CSRFToken length %d, want 43", len(tok))
	}
	tests := []struct {
		name    string
		secret  []byte
		binding string
		token   string
		want    bool
	}{
		{"good", secret, "session-a", tok, true},
		{"other binding", secret, "session-b", tok, false},
		{"other secret", []byte("another secret"), "session-a", tok, false},
		{"empty token", secret, "session-a", "", false},
		{"truncated", secret, "session-a", tok[:42], false},
		{"padded", secret, "session-a", tok + "=", false},
		{"no secret", nil, "session-a", "", false},
		{"no secret, token of none", nil, "session-a", CSRFToken(nil, "session-a"), false},
	}
	for _, tt := range tests {
		if got := CheckCSRF(tt.secret, tt.binding, tt.token); got != tt.want {
			t.Errorf("%s: CheckCSRF = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// FuzzParseAPIKey checks that ParseAPIKey never panics and accepts only
// the one spelling of a key.
func FuzzParseAPIKey(f *testing.F) {
	token, _, _ := NewAPIKey()
	f.Add(token)
	f.Add("vgk_abcdefgh2345_" + strings.Repeat("a", 52))
	f.Add("vgk__")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := ParseAPIKey(s)
		if !ok {
			if id != "" {
				t.Fatalf("ParseAPIKey(%q) refused but returned id %q", s, id)
			}
			return
		}
		m := apiKeyRe.FindStringSubmatch(s)
		if m == nil || m[1] != id {
			t.Fatalf("ParseAPIKey(%q) = %q, true; not of the form %s", s, id, apiKeyRe)
		}
		secret, _ := b32.DecodeString(s[len(s)-apiKeySecretLen:])
		if again := "vgk_" + id + "_" + b32.EncodeToString(secret); again != s {
			t.Fatalf("ParseAPIKey(%q) accepted a second spelling of %q", s, again)
		}
	})
}
