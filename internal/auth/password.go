package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// PasswordParams are the cost parameters of argon2id.
type PasswordParams struct {
	Time      uint32 // passes over memory
	MemoryKiB uint32
	Threads   uint8
}

// DefaultPasswordParams are the second recommended option of RFC 9106
// (section 4): 64 MiB, 3 passes, 4 lanes. The first (2 GiB) is more than a
// small server running Vigil can give each login.
var DefaultPasswordParams = PasswordParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 4}

// Limits on the parameters CheckPassword accepts from a stored hash: a
// corrupted or planted hash must fail, not allocate gigabytes or spin.
const (
	maxPasswordMemoryKiB   = 1 << 20 // 1 GiB
	maxPasswordTime        = 100
	passwordSaltLen        = 16
	passwordKeyLen         = 32
	minSaltLen, maxSaltLen = 8, 64
	minKeyLen, maxKeyLen   = 16, 64
)

// Password length limits. The upper one bounds the work an attacker can
// make a login do and leaves room for passphrases.
const (
	MinPasswordChars = 12
	MaxPasswordBytes = 1024
)

var b64 = base64.RawStdEncoding.Strict()

// HashPassword hashes pw with argon2id under DefaultPasswordParams and a
// random 16-byte salt, in the PHC string form
// $argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash> (base64 without padding).
func HashPassword(pw string) (string, error) {
	return HashPasswordWith(pw, DefaultPasswordParams)
}

// HashPasswordWith is HashPassword with other cost parameters; tests use
// tiny ones so that they run fast.
func HashPasswordWith(pw string, p PasswordParams) (string, error) {
	if err := p.check(); err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	salt := make([]byte, passwordSaltLen)
	rand.Read(salt)
	key := argon2.IDKey(normPassword(pw), salt, p.Time, p.MemoryKiB, p.Threads, passwordKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.MemoryKiB, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw is the password encoded hashes. The
// error is for an encoding it cannot read or whose parameters are out of
// bounds, never for a wrong password.
func CheckPassword(encoded, pw string) (bool, error) {
	h, err := parsePasswordHash(encoded)
	if err != nil {
		return false, fmt.Errorf("auth: check password: %w", err)
	}
	key := argon2.IDKey(normPassword(pw), h.salt, h.params.Time, h.params.MemoryKiB, h.params.Threads, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(key, h.key) == 1, nil
}

// normPassword puts pw in Unicode normalisation form C, as RFC 8265's
// OpaqueString profile does, because the same password typed on two
// keyboards can arrive composed or decomposed.
func normPassword(pw string) []byte { return norm.NFC.Bytes([]byte(pw)) }

// passwordHash is a parsed PHC string.
type passwordHash struct {
	params    PasswordParams
	salt, key []byte
}

// parsePasswordHash reads the PHC form HashPasswordWith writes, strictly:
// one form per hash, so a hash cannot be altered without failing to parse.
func parsePasswordHash(s string) (passwordHash, error) {
	var h passwordHash
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return h, errors.New("not a PHC string $argon2id$v=19$m=..,t=..,p=..$salt$hash")
	}
	if parts[1] != "argon2id" {
		return h, fmt.Errorf("algorithm %.20q, want argon2id", parts[1])
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return h, fmt.Errorf("version %.20q, want v=%d", parts[2], argon2.Version)
	}
	ps := strings.Split(parts[3], ",")
	if len(ps) != 3 {
		return h, errors.New("parameters are not of the form m=<n>,t=<n>,p=<n>")
	}
	var vals [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		digits, ok := strings.CutPrefix(ps[i], name)
		// No sign, no leading zero, at most 10 digits: one spelling per value.
		if !ok || digits == "" || len(digits) > 10 || (digits[0] == '0' && len(digits) > 1) || strings.Trim(digits, "0123456789") != "" {
			return h, errors.New("parameters are not of the form m=<n>,t=<n>,p=<n>")
		}
		v, err := strconv.ParseUint(digits, 10, 32)
		if err != nil {
			return h, fmt.Errorf("parameter %s out of range", name)
		}
		vals[i] = v
	}
	if vals[2] > 255 {
		return h, fmt.Errorf("parallelism %d out of range", vals[2])
	}
	h.params = PasswordParams{MemoryKiB: uint32(vals[0]), Time: uint32(vals[1]), Threads: uint8(vals[2])}
	if err := h.params.check(); err != nil {
		return h, err
	}
	var err error
	if h.salt, err = decodeBounded(parts[4], minSaltLen, maxSaltLen); err != nil {
		return h, fmt.Errorf("salt: %w", err)
	}
	if h.key, err = decodeBounded(parts[5], minKeyLen, maxKeyLen); err != nil {
		return h, fmt.Errorf("hash: %w", err)
	}
	return h, nil
}

// decodeBounded decodes base64 without padding into min to max bytes,
// checking the length before decoding anything.
func decodeBounded(s string, lo, hi int) ([]byte, error) {
	if len(s) < b64.EncodedLen(lo) || len(s) > b64.EncodedLen(hi) {
		return nil, fmt.Errorf("%d base64 characters, want %d to %d bytes", len(s), lo, hi)
	}
	// The decoder skips line breaks; a hash has none.
	if strings.ContainsAny(s, "\r\n") {
		return nil, errors.New("not base64 without padding")
	}
	b, err := b64.DecodeString(s)
	if err != nil || len(b) < lo || len(b) > hi {
		return nil, errors.New("not base64 without padding")
	}
	return b, nil
}

// check refuses parameters argon2 cannot use or that would cost too much.
func (p PasswordParams) check() error {
	switch {
	case p.Time < 1 || p.Time > maxPasswordTime:
		return fmt.Errorf("time %d out of range 1 to %d", p.Time, maxPasswordTime)
	case p.Threads < 1:
		return errors.New("parallelism 0")
	case p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxPasswordMemoryKiB:
		// RFC 9106 requires at least 8 KiB per lane.
		return fmt.Errorf("memory %d KiB out of range %d to %d", p.MemoryKiB, 8*uint32(p.Threads), maxPasswordMemoryKiB)
	}
	return nil
}

// passwordAlphabet leaves out characters easily confused when read aloud or
// copied from paper: 0 O o, 1 l I i.
const passwordAlphabet = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"

// GeneratePassword returns a random one-time password of 20 characters
// from an alphabet without look-alikes (about 115 bits).
func GeneratePassword() string {
	const n = 20
	// Bytes at or above the largest multiple of the alphabet size are
	// rejected, so every character is equally likely.
	limit := byte(256 / len(passwordAlphabet) * len(passwordAlphabet))
	out := make([]byte, 0, n)
	buf := make([]byte, 32)
	for len(out) < n {
		rand.Read(buf)
		for _, b := range buf {
			if b < limit && len(out) < n {
				out = append(out, passwordAlphabet[int(b)%len(passwordAlphabet)])
			}
		}
	}
	return string(out)
}

// ValidPassword returns an error wrapping ErrInvalid when pw is not
// acceptable as a new password: fewer than 12 characters, more than 1024
// bytes, or not UTF-8.
func ValidPassword(pw string) error {
	switch {
	case !utf8.ValidString(pw):
		return fmt.Errorf("password is not valid UTF-8: %w", ErrInvalid)
	case len(pw) > MaxPasswordBytes:
		return fmt.Errorf("password is longer than %d bytes: %w", MaxPasswordBytes, ErrInvalid)
	case utf8.RuneCount(normPassword(pw)) < MinPasswordChars:
		return fmt.Errorf("password is shorter than %d characters: %w", MinPasswordChars, ErrInvalid)
	}
	return nil
}
