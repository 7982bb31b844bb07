package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// API keys look like vgk_<id>_<secret>: a fixed prefix so that secret
// scanners (and people) recognise a leaked key, an id to find the key by
// without the secret, and the secret.
const (
	apiKeyPrefix    = "vgk_"
	apiKeyIDLen     = 12 // base32 characters: 60 bits, unique enough to look up by
	apiKeySecretLen = 52 // base32 characters of 32 bytes
	apiKeyLen       = len(apiKeyPrefix) + apiKeyIDLen + 1 + apiKeySecretLen
)

// b32 is lower-case base32 without padding: no characters that need
// escaping in a URL, a header or a shell, and case-insensitive readers
// cannot garble it.
var b32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewAPIKey returns a new API key: the token to hand to its holder once, its
// id, and the hash (HashToken of the token) to keep in its place.
func NewAPIKey() (token, id, hash string) {
	idBytes := make([]byte, 8) // 64 bits, of which the first 12 characters carry 60
	rand.Read(idBytes)
	id = b32.EncodeToString(idBytes)[:apiKeyIDLen]
	secret := make([]byte, 32)
	rand.Read(secret)
	token = apiKeyPrefix + id + "_" + b32.EncodeToString(secret)
	return token, id, HashToken(token)
}

// ParseAPIKey returns the id of token when it has the form NewAPIKey
// writes, exactly; it says nothing of whether the key exists.
func ParseAPIKey(token string) (id string, ok bool) {
	if len(token) != apiKeyLen || !strings.HasPrefix(token, apiKeyPrefix) {
		return "", false
	}
	id, secret, ok := strings.Cut(token[len(apiKeyPrefix):], "_")
	if !ok || len(id) != apiKeyIDLen || len(secret) != apiKeySecretLen || !isBase32(id) || !isBase32(secret) {
		return "", false
	}
	// Encoding the secret again refuses a last character with bits that 32
	// bytes do not fill, so each key has one spelling.
	if b, err := b32.DecodeString(secret); err != nil || len(b) != 32 || b32.EncodeToString(b) != secret {
		return "", false
	}
	return id, true
}

// isBase32 reports whether s holds only characters of b32's alphabet; the
// decoder alone would skip line breaks.
func isBase32(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '2' || c > '7') {
			return false
		}
	}
	return true
}

// HashToken returns the hex SHA-256 of token: what is stored of an API key
// or a session instead of the token itself. The tokens carry 256 random
// bits, so a fast hash suffices where a password needs argon2.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// MatchToken reports in constant time whether token hashes to hash.
func MatchToken(token, hash string) bool {
	return subtle.ConstantTimeCompare([]byte(HashToken(token)), []byte(hash)) == 1
}

// NewSessionToken returns a new session token (32 random bytes, base64url
// without padding) for the cookie, and its hash to store.
func NewSessionToken() (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// CSRFToken returns the CSRF token of binding (such as a session's hash)
// under secret: HMAC-SHA256, base64url without padding. A token is good
// only for the binding it was made for. With no secret it returns "", which
// CheckCSRF never accepts.
func CSRFToken(secret []byte, binding string) string {
	if len(secret) == 0 {
		return ""
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(binding))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CheckCSRF reports in constant time whether token is the CSRF token of
// binding under secret.
func CheckCSRF(secret []byte, binding, token string) bool {
	want := CSRFToken(secret, binding)
	return want != "" && hmac.Equal([]byte(want), []byte(token))
}
