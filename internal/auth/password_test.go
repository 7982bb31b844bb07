package auth

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// tinyParams keep the tests fast; only TestHashPasswordDefault pays for the
// real parameters.
var tinyParams = PasswordParams{Time: 1, MemoryKiB: 64, Threads: 1}

// Hashes written by the reference implementation (the argon2 command of
// the Debian package of phc-winner-argon2), for example
// echo -n password | argon2 somesaltsomesalt -id -t 2 -m 10 -p 2 -l 32 -e
var referenceHashes = []struct{ pw, encoded string }{
	{"password", "$argon2id$v=19$m=1024,t=2,p=2$c29tZXNhbHRzb21lc2FsdA$E2UjtrDTCgIx4mfpqQ9GwLzvabuQuVCcwisqBRbSI+4"},
	{"correct horse battery staple", "$argon2id$v=19$m=65536,t=3,p=4$MDEyMzQ1Njc4OWFiY2RlZg$77UfmnZYT23WpPeUKhovauWm5OxRQv9nTf1dJ+tF5EY"},
	{"café au lait!", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$deXn5QmnWIouaqHp+7nATCYKs/VKlaRnZqKxhLlAaos"},
}

func TestCheckPasswordReference(t *testing.T) {
	for _, tt := range referenceHashes {
		ok, err := CheckPassword(tt.encoded, tt.pw)
		if err != nil || !ok {
			t.Errorf("CheckPassword(%s, %q) = %v, %v; want true", tt.encoded, tt.pw, ok, err)
		}
		ok, err = CheckPassword(tt.encoded, tt.pw+"x")
		if err != nil || ok {
			t.Errorf("CheckPassword(%s, wrong) = %v, %v; want false", tt.encoded, ok, err)
		}
	}
	// The same password decomposed (e + combining acute) is the same password.
	if ok, err := CheckPassword(referenceHashes[2].encoded, "cafe\u0301 au lait!"); err != nil || !ok {
		t.Errorf("decomposed é: %v, %v; want true", ok, err)
	}
}

var phcRe = regexp.MustCompile(`^\$argon2id\$v=19\$m=65536,t=3,p=4\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestHashPasswordDefault(t *testing.T) {
	h, err := HashPassword("a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if !phcRe.MatchString(h) {
		t.Errorf("HashPassword = %s, want the form %s", h, phcRe)
	}
	if ok, err := CheckPassword(h, "a long enough password"); err != nil || !ok {
		t.Errorf("CheckPassword(own hash) = %v, %v", ok, err)
	}
}

func TestHashPasswordWith(t *testing.T) {
	tests := []struct {
		name    string
		params  PasswordParams
		wantErr bool
	}{
		{"tiny", tinyParams, false},
		{"lanes", PasswordParams{Time: 2, MemoryKiB: 32, Threads: 4}, false},
		{"no time", PasswordParams{Time: 0, MemoryKiB: 64, Threads: 1}, true},
		{"no lanes", PasswordParams{Time: 1, MemoryKiB: 64, Threads: 0}, true},
		{"memory under 8 KiB a lane", PasswordParams{Time: 1, MemoryKiB: 31, Threads: 4}, true},
		{"memory over 1 GiB", PasswordParams{Time: 1, MemoryKiB: 1<<20 + 1, Threads: 1}, true},
		{"time over 100", PasswordParams{Time: 101, MemoryKiB: 64, Threads: 1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := HashPasswordWith("pässwörd and more", tt.params)
			if (err != nil) != tt.wantErr {
				t.Fatalf("HashPasswordWith(%+v) = %q, %v; want error %v", tt.params, h, err, tt.wantErr)
			}
			if err != nil {
				return
			}
			h2, _ := HashPasswordWith("pässwörd and more", tt.params)
			if h == h2 {
				t.Errorf("two hashes of one password are equal: the salt is not random")
			}
			for pw, want := range map[string]bool{"pässwörd and more": true, "passwörd and more": false, "": false} {
				if ok, err := CheckPassword(h, pw); err != nil || ok != want {
					t.Errorf("CheckPassword(%s, %q) = %v, %v; want %v", h, pw, ok, err, want)
				}
			}
		})
	}
}

func TestCheckPasswordMalformed(t *testing.T) {
	const salt, hash = "c2FsdHNhbHRzYWx0c2FsdA", "deXn5QmnWIouaqHp+7nATCYKs/VKlaRnZqKxhLlAaos"
	tests := []struct{ name, encoded string }{
		{"empty", ""},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + hash},
		{"version 16", "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + hash},
		{"no version", "$argon2id$m=64,t=1,p=1$" + salt + "$" + hash},
		{"too many fields", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + hash + "$"},
		{"text before", "x$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + hash},
		{"parameters reordered", "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + hash},
		{"parameter missing", "$argon2id$v=19$m=64,t=1$" + salt + "$" + hash},
		{"leading zero", "$argon2id$v=19$m=064,t=1,p=1$" + salt + "$" + hash},
		{"plus sign", "$argon2id$v=19$m=+64,t=1,p=1$" + salt + "$" + hash},
		{"space", "$argon2id$v=19$m= 64,t=1,p=1$" + salt + "$" + hash},
		{"time 0", "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + hash},
		{"lanes 0", "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + hash},
		{"lanes 256", "$argon2id$v=19$m=4096,t=1,p=256$" + salt + "$" + hash},
		{"memory 4 GiB", "$argon2id$v=19$m=4194304,t=1,p=1$" + salt + "$" + hash},
		{"memory overflows uint32", "$argon2id$v=19$m=99999999999,t=1,p=1$" + salt + "$" + hash},
		{"time 1000", "$argon2id$v=19$m=64,t=1000,p=1$" + salt + "$" + hash},
		{"short salt", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$" + hash},
		{"padded salt", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + hash},
		{"salt not base64", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2Fsd!$" + hash},
		{"salt with line break", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRz\nYWx0c2FsdA$" + hash},
		{"salt trailing bits", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdB$" + hash},
		{"short hash", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$deXn5QmnWIou"},
		{"long hash", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + strings.Repeat("A", 100)},
		{"no hash", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$"},
	}
	for _, tt := range tests {
		ok, err := CheckPassword(tt.encoded, "café au lait!")
		if err == nil || ok {
			t.Errorf("%s: CheckPassword(%q) = %v, %v; want an error", tt.name, tt.encoded, ok, err)
		}
	}
}

func TestGeneratePassword(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		pw := GeneratePassword()
		if len(pw) != 20 || strings.Trim(pw, passwordAlphabet) != "" {
			t.Fatalf("GeneratePassword() = %q, want 20 characters of %s", pw, passwordAlphabet)
		}
		if err := ValidPassword(pw); err != nil {
			t.Errorf("ValidPassword(%q) = %v", pw, err)
		}
		if seen[pw] {
			t.Fatalf("GeneratePassword() repeated %q", pw)
		}
		seen[pw] = true
	}
	if strings.ContainsAny(passwordAlphabet, "0O1lIio") {
		t.Errorf("the alphabet has look-alikes: %s", passwordAlphabet)
	}
}

func TestValidPassword(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		ok   bool
	}{
		{"empty", "", false},
		{"11 characters", "abcdefghijk", false},
		{"12 characters", "abcdefghijkl", true},
		{"12 Chinese characters", "我的密码很长很长很长很长", true},
		{"11 Chinese characters", "我的密码很长很长很长很", false},
		{"decomposed counts once", strings.Repeat("e\u0301", 11), false},
		{"1024 bytes", strings.Repeat("a", 1024), true},
		{"1025 bytes", strings.Repeat("a", 1025), false},
		{"invalid UTF-8", "abcdefghijkl\xff", false},
	}
	for _, tt := range tests {
		err := ValidPassword(tt.pw)
		if (err == nil) != tt.ok {
			t.Errorf("%s: ValidPassword = %v, want ok %v", tt.name, err, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: error %v does not wrap ErrInvalid", tt.name, err)
		}
	}
}

// FuzzCheckPassword checks that no stored string makes CheckPassword panic
// or work hard: hashes whose parameters are refused are refused quickly, and
// the fuzzer itself only runs argon2 on cheap parameters.
func FuzzCheckPassword(f *testing.F) {
	for _, h := range referenceHashes {
		f.Add(h.encoded, h.pw)
	}
	f.Add("$argon2id$v=19$m=4194304,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$deXn5QmnWIouaqHp+7nATCYKs/VKlaRnZqKxhLlAaos", "x")
	f.Add("$argon2id$v=19$m=64,t=1,p=0$c2FsdHNhbHRzYWx0c2FsdA$deXn5QmnWIouaqHp+7nATCYKs/VKlaRnZqKxhLlAaos", "x")
	f.Add("$$$$$", "")
	f.Fuzz(func(t *testing.T, encoded, pw string) {
		h, err := parsePasswordHash(encoded)
		if err != nil {
			if _, err2 := CheckPassword(encoded, pw); err2 == nil {
				t.Fatalf("parse refuses %q (%v) but CheckPassword does not", encoded, err)
			}
			return
		}
		p := h.params
		if p.MemoryKiB > maxPasswordMemoryKiB || p.Time > maxPasswordTime || p.Time < 1 || p.Threads < 1 {
			t.Fatalf("accepted parameters out of bounds: %+v", p)
		}
		if p.MemoryKiB > 1024 || p.Time > 4 {
			return // valid but too slow to run on every input
		}
		if _, err := CheckPassword(encoded, pw); err != nil {
			t.Fatalf("CheckPassword(%q) = %v after parsing", encoded, err)
		}
	})
}
