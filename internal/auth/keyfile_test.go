package auth

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestLoadKeyringCreates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vigil.keys")
	k, created, err := LoadKeyring("", path)
	if err != nil || !created {
		t.Fatalf("LoadKeyring(new file) = %v, created %v", err, created)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("new key file has mode %04o, want 0600", fi.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(data), keyFileHeader) || !strings.Contains(string(data), "LOSING THIS FILE LOSES EVERY ENCRYPTED FIELD") {
		t.Errorf("key file does not start with the header:\n%s", data)
	}
	if n := strings.Count(string(data), "\nkey "); n != 1 {
		t.Errorf("new key file has %d key lines, want 1", n)
	}
	blob := k.Seal([]byte("kept"), nil)

	again, created, err := LoadKeyring("", path)
	if err != nil || created {
		t.Fatalf("LoadKeyring(existing file) = %v, created %v", err, created)
	}
	if again.Current() != k.Current() {
		t.Errorf("reloaded Current() = %08x, want %08x", again.Current(), k.Current())
	}
	if got, err := again.Open(blob, nil); err != nil || string(got) != "kept" {
		t.Errorf("reloaded Open = %q, %v", got, err)
	}
}

func TestLoadKeyringEnv(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vigil.keys")
	good := base64.StdEncoding.EncodeToString(testKey(5))
	k, created, err := LoadKeyring(good, path)
	if err != nil || created || k.Current() != KeyID(testKey(5)) {
		t.Fatalf("LoadKeyring(env) = %v, created %v", err, created)
	}
	if k2, _, err := LoadKeyring(" "+good+"\n", path); err != nil || k2.Current() != k.Current() {
		t.Errorf("LoadKeyring(env with spaces) = %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("LoadKeyring(env) touched the key file: %v", err)
	}
	for _, bad := range []string{
		base64.StdEncoding.EncodeToString(testKey(5)[:31]),
		base64.RawStdEncoding.EncodeToString(testKey(5)),
		base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{0xfb}, 32)),
		"not a key",
	} {
		_, _, err := LoadKeyring(bad, path)
		if err == nil || !strings.Contains(err.Error(), "VIGIL_DATA_KEY") {
			t.Errorf("LoadKeyring(env %q) error %v, want one naming VIGIL_DATA_KEY", bad, err)
		} else if strings.Contains(err.Error(), bad) {
			t.Errorf("error %q repeats the key", err)
		}
	}
	if _, _, err := LoadKeyring("", ""); err == nil {
		t.Error("LoadKeyring with neither key nor path succeeded")
	}
}

func TestLoadKeyringRefuses(t *testing.T) {
	secret := base64.StdEncoding.EncodeToString(testKey(9))
	tests := []struct {
		name    string
		content string
		mode    os.FileMode
		wantErr []string // all in the error
	}{
		{"good", "# comment\n\nkey " + secret + "\n", 0o600, nil},
		{"good, owner read-only, no final newline", "key " + secret, 0o400, nil},
		{"good, CRLF", "# c\r\nkey " + secret + "\r\n", 0o600, nil},
		{"group readable", "key " + secret + "\n", 0o640, []string{"0640", "0600"}},
		{"world readable", "key " + secret + "\n", 0o644, []string{"0644", "chmod 600"}},
		{"group writable", "key " + secret + "\n", 0o620, []string{"0620"}},
		{"empty", "", 0o600, []string{"holds no key"}},
		{"comments only", "# key " + secret + "\n", 0o600, []string{"holds no key"}},
		{"no keyword", "# c\n" + secret + "\n", 0o600, []string{"line 2"}},
		{"other keyword", "secret " + secret + "\n", 0o600, []string{"line 1"}},
		{"three fields", "key " + secret + " " + secret + "\n", 0o600, []string{"line 1"}},
		{"short key", "key " + base64.StdEncoding.EncodeToString(testKey(9)[:16]) + "\n", 0o600, []string{"line 1", "32 bytes"}},
		{"url base64", "key " + base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{0xfb}, 32)) + "\n", 0o600, []string{"line 1"}},
		{"same key twice", "key " + secret + "\nkey " + secret + "\n", 0o600, []string{"key 2", "same id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "vigil.keys")
			if err := os.WriteFile(path, []byte(tt.content), tt.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tt.mode); err != nil { // past the umask
				t.Fatal(err)
			}
			k, created, err := LoadKeyring("", path)
			if created {
				t.Error("created is true for an existing file")
			}
			if tt.wantErr == nil {
				if err != nil || k.Current() != KeyID(testKey(9)) {
					t.Errorf("LoadKeyring = %v", err)
				}
				return
			}
			if runtime.GOOS == "windows" && tt.mode&0o077 != 0 {
				t.Skip("no mode bits on Windows")
			}
			if err == nil {
				t.Fatal("LoadKeyring succeeded")
			}
			for _, want := range append(tt.wantErr, path) {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), secret[:12]) {
				t.Errorf("error %q holds key material", err)
			}
		})
	}
	t.Run("directory", func(t *testing.T) {
		dir := t.TempDir()
		if _, _, err := LoadKeyring("", dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("LoadKeyring(directory) = %v", err)
		}
	})
	t.Run("no directory", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "missing", "vigil.keys")
		if _, _, err := LoadKeyring("", path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("LoadKeyring(in a missing directory) = %v", err)
		}
	})
}

func TestRotate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vigil.keys")
	k, _, err := LoadKeyring("", path)
	if err != nil {
		t.Fatal(err)
	}
	// An operator's note in the file survives rotation.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("# backed up to the safe, 2026-03-01")
	f.Close()
	first := k.Current()
	audit := k.AuditKey()
	before := k.Seal([]byte("before"), nil)
	for range 2 {
		if err := k.Rotate(path); err != nil {
			t.Fatal(err)
		}
	}
	if k.Current() == first {
		t.Error("Rotate did not change the current key")
	}
	if id, _ := SealedKeyID(k.Seal(nil, nil)); id != k.Current() {
		t.Errorf("Seal after Rotate uses %08x, want %08x", id, k.Current())
	}
	if got, err := k.Open(before, nil); err != nil || string(got) != "before" {
		t.Errorf("Open of a value from before the rotation = %q, %v", got, err)
	}
	if !bytes.Equal(k.AuditKey(), audit) {
		t.Error("AuditKey changed with the rotation")
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), "# backed up to the safe, 2026-03-01\nkey ") || strings.Count(string(data), "\nkey ") != 3 {
		t.Errorf("key file after two rotations:\n%s", data)
	}
	if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %04o after Rotate", fi.Mode().Perm())
	}
	reloaded, _, err := LoadKeyring("", path)
	if err != nil || reloaded.Current() != k.Current() || !sameKeys(reloaded, k) {
		t.Errorf("reloaded keyring differs: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("%d files beside the key file, want none (temporary files left?)", len(entries)-1)
	}

	// A file that is not this keyring's is left alone.
	other := filepath.Join(t.TempDir(), "other.keys")
	if _, _, err := LoadKeyring("", other); err != nil {
		t.Fatal(err)
	}
	otherData, _ := os.ReadFile(other)
	current := k.Current()
	if err := k.Rotate(other); err == nil || !strings.Contains(err.Error(), "does not hold the keys in use") {
		t.Errorf("Rotate(another file) = %v", err)
	}
	if now, _ := os.ReadFile(other); !bytes.Equal(now, otherData) || k.Current() != current {
		t.Error("a refused Rotate changed the file or the keyring")
	}
	if err := k.Rotate(filepath.Join(t.TempDir(), "none.keys")); err == nil {
		t.Error("Rotate(missing file) succeeded")
	}
}

func TestRotateConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vigil.keys")
	k, _, err := LoadKeyring("", path)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 100 {
				b := k.SealString("x", "a")
				if s, err := k.OpenString(b, "a"); err != nil || s != "x" {
					t.Errorf("OpenString = %q, %v", s, err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for range 5 {
			if err := k.Rotate(path); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
	if reloaded, _, err := LoadKeyring("", path); err != nil || !sameKeys(reloaded, k) || len(k.keys) != 6 {
		t.Errorf("after concurrent rotations: %v, %d keys", err, len(k.keys))
	}
}
