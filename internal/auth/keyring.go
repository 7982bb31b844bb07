package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
)

// ErrUnknownKey is wrapped by Open's error for a value sealed under a key
// the keyring does not hold: the key file in use is not the one that sealed
// the data, or has lost a key.
var ErrUnknownKey = errors.New("sealed under a key not in the keyring")

// Sealed value format: version (1 byte) | key id (4 bytes, big-endian) |
// nonce (12 bytes) | AES-256-GCM ciphertext and tag.
const (
	sealVersion  = 1
	sealHeader   = 1 + 4
	sealNonce    = 12
	sealTag      = 16
	sealMinLen   = sealHeader + sealNonce + sealTag
	dataKeyLen   = 32
	blindLen     = 16
	blindLabel   = "vigil blind index v1"
	auditLabel   = "vigil audit chain v1"
	termDomain   = "term"
	maxRingKeys  = 1000
	keyIDHashLen = 4
)

// Keyring holds the data keys that encrypt fields (narratives, contacts)
// and key the blind index and the audit chain. Keys are kept oldest first;
// the last is current: Seal and Blind use it, Open uses whichever key a
// value names. It is safe for concurrent use.
type Keyring struct {
	mu   sync.RWMutex
	keys []ringKey
	byID map[uint32]int
}

// ringKey is one data key with what is derived from it.
type ringKey struct {
	id    uint32
	raw   []byte
	aead  cipher.AEAD
	blind []byte // HMAC key of the blind index
}

// KeyID returns the id of a data key: the first 4 bytes of its SHA-256,
// big-endian. It names the key in sealed values without revealing it.
func KeyID(key []byte) uint32 {
	sum := sha256.Sum256(key)
	return binary.BigEndian.Uint32(sum[:keyIDHashLen])
}

// NewKeyring returns a keyring of keys, each 32 bytes, oldest first; the
// last is current.
func NewKeyring(keys ...[]byte) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("auth: keyring: no key")
	}
	if len(keys) > maxRingKeys {
		return nil, fmt.Errorf("auth: keyring: %d keys, at most %d", len(keys), maxRingKeys)
	}
	k := &Keyring{byID: make(map[uint32]int, len(keys))}
	for i, raw := range keys {
		if err := k.add(raw); err != nil {
			return nil, fmt.Errorf("auth: keyring: key %d: %w", i+1, err)
		}
	}
	return k, nil
}

// add appends a key, making it current; the caller holds k.mu or owns k.
func (k *Keyring) add(raw []byte) error {
	if len(raw) != dataKeyLen {
		return fmt.Errorf("%d bytes, want %d", len(raw), dataKeyLen)
	}
	id := KeyID(raw)
	if j, dup := k.byID[id]; dup {
		return fmt.Errorf("same id %08x as key %d (the same key twice?)", id, j+1)
	}
	raw = append([]byte(nil), raw...)
	block, err := aes.NewCipher(raw)
	if err != nil {
		return err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return err
	}
	k.byID[id] = len(k.keys)
	k.keys = append(k.keys, ringKey{id: id, raw: raw, aead: aead, blind: hmacSum(raw, []byte(blindLabel))})
	return nil
}

// current returns the current key.
func (k *Keyring) current() ringKey {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.keys[len(k.keys)-1]
}

// Current returns the id of the current key.
func (k *Keyring) Current() uint32 { return k.current().id }

// Seal encrypts plain under the current key with AES-256-GCM and a random
// nonce, bound to aad (say, the table, column and row it is stored in, so
// that a value copied elsewhere does not open). The header (version and key
// id) is authenticated too.
func (k *Keyring) Seal(plain, aad []byte) []byte {
	key := k.current()
	out := make([]byte, sealHeader+sealNonce, sealMinLen+len(plain))
	out[0] = sealVersion
	binary.BigEndian.PutUint32(out[1:sealHeader], key.id)
	nonce := out[sealHeader : sealHeader+sealNonce]
	rand.Read(nonce)
	return key.aead.Seal(out, nonce, plain, sealAAD(out[:sealHeader], aad))
}

// Open decrypts a value Seal made with the same aad, under whichever key of
// the ring sealed it. It returns an error, never panics, for a value too
// short, of an unknown version, under an unknown key or altered.
func (k *Keyring) Open(blob, aad []byte) ([]byte, error) {
	if len(blob) < sealMinLen {
		return nil, fmt.Errorf("auth: open: sealed value of %d bytes, at least %d", len(blob), sealMinLen)
	}
	if blob[0] != sealVersion {
		return nil, fmt.Errorf("auth: open: sealed value of unknown version %d", blob[0])
	}
	id := binary.BigEndian.Uint32(blob[1:sealHeader])
	k.mu.RLock()
	i, ok := k.byID[id]
	var key ringKey
	if ok {
		key = k.keys[i]
	}
	k.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("auth: open: key %08x: %w", id, ErrUnknownKey)
	}
	nonce := blob[sealHeader : sealHeader+sealNonce]
	plain, err := key.aead.Open(nil, nonce, blob[sealHeader+sealNonce:], sealAAD(blob[:sealHeader], aad))
	if err != nil {
		return nil, errors.New("auth: open: sealed value fails authentication: altered, or opened with other associated data")
	}
	return plain, nil
}

// sealAAD is the associated data GCM authenticates: the header, then the
// caller's aad. The header has a fixed length, so the two cannot be
// confused.
func sealAAD(header, aad []byte) []byte {
	return append(append(make([]byte, 0, len(header)+len(aad)), header...), aad...)
}

// SealedKeyID returns the id of the key that sealed blob, and false when
// blob is not a sealed value of a known version; it checks nothing else.
// Re-encryption after a rotation uses it to find values under older keys.
func SealedKeyID(blob []byte) (uint32, bool) {
	if len(blob) < sealMinLen || blob[0] != sealVersion {
		return 0, false
	}
	return binary.BigEndian.Uint32(blob[1:sealHeader]), true
}

// SealString seals s with aad. The empty string seals to nil: whether a
// field is empty is not secret (the column being NULL shows it anyway), and
// an empty field then costs no space.
func (k *Keyring) SealString(s, aad string) []byte {
	if s == "" {
		return nil
	}
	return k.Seal([]byte(s), []byte(aad))
}

// OpenString opens a value SealString made; an empty blob opens to "".
func (k *Keyring) OpenString(blob []byte, aad string) (string, error) {
	if len(blob) == 0 {
		return "", nil
	}
	plain, err := k.Open(blob, []byte(aad))
	return string(plain), err
}

// Blind returns the blind index of value in domain (such as "phone" or
// "term"): the first 16 bytes of HMAC-SHA256 under a key derived from the
// current data key, over domain, a zero byte and value. Equal values give
// equal indexes, so the store can find rows by a value it keeps only
// encrypted, while the index reveals nothing without the key. Domains are
// fixed names in code and hold no zero byte, which keeps the input
// unambiguous.
//
// The index depends on the current key: after Rotate, every blind index
// must be rebuilt (the store's data-key rotation does so) or lookups by
// value miss the older rows.
func (k *Keyring) Blind(domain, value string) []byte {
	return blindWith(k.current().blind, domain, value)
}

// blindWith computes a blind index under the blind key bk.
func blindWith(bk []byte, domain, value string) []byte {
	m := hmac.New(sha256.New, bk)
	m.Write([]byte(domain))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return m.Sum(nil)[:blindLen]
}

// AuditKey returns the key of the audit log's hash chain: HMAC-SHA256 of
// the first key of the ring. Rotation appends keys, so the audit key stays
// the same and the whole chain verifies under it.
func (k *Keyring) AuditKey() []byte {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return hmacSum(k.keys[0].raw, []byte(auditLabel))
}

// hmacSum returns HMAC-SHA256 of msg under key.
func hmacSum(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}
