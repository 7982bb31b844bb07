package auth

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// keyFileHeader opens every key file Vigil writes.
const keyFileHeader = `# Vigil data keyring.
#
# These keys encrypt the personal data in Vigil's database (report narratives,
# reporter and victim contacts) and key its search index and audit log.
# LOSING THIS FILE LOSES EVERY ENCRYPTED FIELD: back it up, apart from the
# database backups, and keep it secret (mode 0600).
#
# One key per line; the last is current. Rotation appends a key: never remove
# or reorder lines, because older keys still open older values and the first
# key keys the audit log.
`

// maxKeyFile bounds what is read of a key file: a thousand keys are 50 KB.
const maxKeyFile = 1 << 20

// LoadKeyring returns the data keyring. When envKey (the value of
// VIGIL_DATA_KEY: the standard base64 of 32 bytes) is set, it is the only
// key. Otherwise the key file at path is read; if there is none, a new file
// with one new key is made there and created is true, so that a first start
// needs no setup. A key file readable or writable by anyone but its owner
// is refused. Errors name the path and the problem, never key material.
func LoadKeyring(envKey, path string) (k *Keyring, created bool, err error) {
	if envKey != "" {
		raw, err := base64.StdEncoding.Strict().DecodeString(strings.TrimSpace(envKey))
		if err != nil || len(raw) != dataKeyLen {
			return nil, false, fmt.Errorf("auth: VIGIL_DATA_KEY is not the standard base64 of %d bytes", dataKeyLen)
		}
		k, err := NewKeyring(raw)
		return k, false, err
	}
	if path == "" {
		return nil, false, errors.New("auth: no data key: set VIGIL_DATA_KEY or name a key file")
	}
	k, _, err = readKeyFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return k, false, err
	}
	k, err = createKeyFile(path)
	if errors.Is(err, fs.ErrExist) {
		// Another process made the file between our read and create.
		k, _, err = readKeyFile(path)
		return k, false, err
	}
	return k, err == nil, err
}

// readKeyFile reads and parses the key file at path, returning its bytes too.
func readKeyFile(path string) (*Keyring, []byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("auth: read keyring: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("auth: read keyring: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("auth: keyring %s is not a regular file", path)
	}
	// Windows has no such mode bits; its ACLs are the administrator's.
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, nil, fmt.Errorf("auth: keyring %s has mode %04o, open to group or others: it must be 0600 or stricter (chmod 600 %s)", path, perm, path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, nil, fmt.Errorf("auth: read keyring: %w", err)
	}
	if len(data) > maxKeyFile {
		return nil, nil, fmt.Errorf("auth: keyring %s is over %d bytes: not a key file", path, maxKeyFile)
	}
	k, err := parseKeyFile(data, path)
	return k, data, err
}

// parseKeyFile reads the key file format: "#" comment lines, blank lines,
// and lines "key <standard base64 of 32 bytes>", oldest first.
func parseKeyFile(data []byte, path string) (*Keyring, error) {
	var keys [][]byte
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, maxKeyFile)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		// The line itself is never quoted in an error: it may be a key.
		f := strings.Fields(line)
		if len(f) != 2 || f[0] != "key" {
			return nil, fmt.Errorf("auth: keyring %s line %d: want \"key <base64 of %d bytes>\" or a # comment", path, n, dataKeyLen)
		}
		raw, err := base64.StdEncoding.Strict().DecodeString(f[1])
		if err != nil || len(raw) != dataKeyLen {
			return nil, fmt.Errorf("auth: keyring %s line %d: the key is not the standard base64 of %d bytes", path, n, dataKeyLen)
		}
		keys = append(keys, raw)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("auth: keyring %s: %w", path, err)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("auth: keyring %s holds no key", path)
	}
	k, err := NewKeyring(keys...)
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, path)
	}
	return k, nil
}

// keyLine is the line of the key file that holds raw.
func keyLine(raw []byte) string {
	return "key " + base64.StdEncoding.EncodeToString(raw) + "\n"
}

// newDataKey returns 32 random bytes.
func newDataKey() []byte {
	raw := make([]byte, dataKeyLen)
	rand.Read(raw)
	return raw
}

// createKeyFile makes a key file with one new key at path, which must not
// exist; the error wraps fs.ErrExist when it does.
func createKeyFile(path string) (*Keyring, error) {
	raw := newDataKey()
	k, err := NewKeyring(raw)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("auth: create keyring: %w", err)
	}
	_, err = f.WriteString(keyFileHeader + keyLine(raw))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		// A half-written file would stop the next start; there is no data
		// under its key yet, so it can go.
		os.Remove(path)
		return nil, fmt.Errorf("auth: create keyring %s: %w", path, err)
	}
	return k, nil
}

// Rotate makes a new key current: it appends it to the key file at path,
// which must hold exactly the keys of k, replacing the file atomically (a
// crash leaves the old file or the new, never a torn one), then adds it to
// k. Values sealed before open as before; new ones use the new key, and
// blind indexes must be rebuilt (see Blind).
func (k *Keyring) Rotate(path string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	onDisk, data, err := readKeyFile(path)
	if err != nil {
		return fmt.Errorf("auth: rotate: %w", err)
	}
	if !sameKeys(onDisk, k) {
		return fmt.Errorf("auth: rotate: keyring %s does not hold the keys in use; not changed", path)
	}
	if len(k.keys) >= maxRingKeys {
		return fmt.Errorf("auth: rotate: keyring %s already holds %d keys", path, len(k.keys))
	}
	var raw []byte
	for raw == nil {
		raw = newDataKey()
		if _, taken := k.byID[KeyID(raw)]; taken {
			raw = nil // one chance in four billion per key
		}
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		data = append(data, '\n')
	}
	data = append(data, keyLine(raw)...)
	if err := writeFileAtomic(path, data); err != nil {
		return fmt.Errorf("auth: rotate: %w", err)
	}
	return k.add(raw)
}

// sameKeys reports whether a and b hold the same keys in the same order;
// the caller holds b.mu.
func sameKeys(a, b *Keyring) bool {
	if len(a.keys) != len(b.keys) {
		return false
	}
	for i := range a.keys {
		if !bytes.Equal(a.keys[i].raw, b.keys[i].raw) {
			return false
		}
	}
	return true
}

// writeFileAtomic replaces path with data, mode 0600: a temporary file in
// the same directory, synced, renamed over path, and the directory synced
// so that the rename survives a crash.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".vigil-keys-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o600)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(dir)
}

// syncDir makes a directory's entries durable. Windows cannot sync a
// directory and does not need to.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
