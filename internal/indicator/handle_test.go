package indicator

import (
	"errors"
	"strings"
	"testing"
)

// handleTest is one input to a handle parser: want is the canonical value,
// or "" when the input must be refused.
type handleTest struct {
	name, in, want string
}

func runHandleTests(t *testing.T, fn string, parse func(string) (string, error), tests []handleTest) {
	t.Helper()
	for _, tt := range tests {
		got, err := parse(tt.in)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("%s: %s(%q) = %q, want error", tt.name, fn, tt.in, got)
		case tt.want == "" && !errors.Is(err, ErrInvalid):
			t.Errorf("%s: %s(%q) error %v does not wrap ErrInvalid", tt.name, fn, tt.in, err)
		case tt.want != "" && err != nil:
			t.Errorf("%s: %s(%q): %v, want %q", tt.name, fn, tt.in, err, tt.want)
		case got != tt.want:
			t.Errorf("%s: %s(%q) = %q, want %q", tt.name, fn, tt.in, got, tt.want)
		}
	}
}

func TestParseWeChat(t *testing.T) {
	runHandleTests(t, "ParseWeChat", ParseWeChat, []handleTest{
		{"shortest", "abcdef", "abcdef"},
		{"longest", "a" + strings.Repeat("1", 19), "a" + strings.Repeat("1", 19)},
		{"folds case", "WXID_Abc-123", "wxid_abc-123"},
		{"digits and separators", "kefu_8888-vip", "kefu_8888-vip"},
		{"ends with separator", "abcde_", "abcde_"},

		{"empty", "", ""},
		{"too short", "abcde", ""},
		{"too long", "a" + strings.Repeat("b", 20), ""},
		{"starts with digit", "1abcdef", ""},
		{"starts with underscore", "_abcdef", ""},
		{"starts with hyphen", "-abcdef", ""},
		{"space", "abc def", ""},
		{"dot", "abc.def", ""},
		{"at sign", "@abcdef", ""},
		{"Chinese", "微信号abcdef", ""},
		{"accented", "abcdeé", ""},
		{"fullwidth", "ａｂｃｄｅｆ", ""},
	})
}

func TestParseQQ(t *testing.T) {
	runHandleTests(t, "ParseQQ", ParseQQ, []handleTest{
		{"shortest", "10000", "10000"},
		{"typical", "123456789", "123456789"},
		{"longest", "12345678901", "12345678901"},

		{"empty", "", ""},
		{"too short", "1234", ""},
		{"too long", "123456789012", ""},
		{"leading zero", "01234567", ""},
		{"letter", "12345a", ""},
		{"plus", "+12345", ""},
		{"space", " 12345", ""},
		{"separator", "123-4567", ""},
		{"fullwidth digits", "１２３４５６", ""},
		{"Arabic-Indic digits", "١٢٣٤٥٦", ""},
	})
}

func TestParseTelegram(t *testing.T) {
	runHandleTests(t, "ParseTelegram", ParseTelegram, []handleTest{
		{"with @", "@Durov", "durov"},
		{"without @", "durov", "durov"},
		{"bot", "Scam_Support_Bot", "scam_support_bot"},
		{"digits", "usdt2024vip", "usdt2024vip"},
		{"longest username", "a" + strings.Repeat("b", 31), "a" + strings.Repeat("b", 31)},
		// Invite hashes are case-sensitive and keep their "+".
		{"invite hash", "+AbCdEfGhIj", "+AbCdEfGhIj"},
		{"invite hash base64url", "+x-Y_z0AbCdEfGhIjKlMnO", "+x-Y_z0AbCdEfGhIjKlMnO"},
		{"longest invite hash", "+" + strings.Repeat("Ab", 16), "+" + strings.Repeat("Ab", 16)},

		{"empty", "", ""},
		{"bare @", "@", ""},
		{"too short", "abcd", ""},
		{"too short with @", "@abcd", ""},
		{"too long", "a" + strings.Repeat("b", 32), ""},
		{"starts with digit", "1durov", ""},
		{"starts with underscore", "_durov", ""},
		{"ends with underscore", "durov_", ""},
		{"dot", "du.rov", ""},
		{"hyphen in username", "du-rov", ""},
		{"two @", "@@durov", ""},
		{"Cyrillic", "дуров_канал", ""},
		{"bare +", "+", ""},
		{"invite hash too short", "+AbCdEfGhI", ""},
		{"invite hash too long", "+" + strings.Repeat("A", 33), ""},
		{"invite hash punctuation", "+AbC!dEfGhIj", ""},
		{"invite hash slash", "+AbCdE/fGhIj", ""},
		{"@ before invite hash", "@+AbCdEfGhIj", ""},
	})
}

// TestParseTelegramPhoneLink: t.me/+<digits> is Telegram's link to the
// account with that phone number (core.telegram.org/api/links, "Phone number
// links"), not a group invite. Invite hashes are random base64url; one made
// only of digits does not occur in practice.
func TestParseTelegramPhoneLink(t *testing.T) {
	for _, in := range []string{"+8613800138000", "+12015550123"} {
		if got, err := ParseTelegram(in); err == nil {
			t.Errorf("ParseTelegram(%q) = %q, want error: a phone number, not an invite hash", in, got)
		}
	}
}

func TestParseLINE(t *testing.T) {
	runHandleTests(t, "ParseLINE", ParseLINE, []handleTest{
		{"shortest", "abcd", "abcd"},
		{"folds case", "Scammer.01", "scammer.01"},
		{"separators", "a-b_c.d", "a-b_c.d"},
		{"starts with digit", "0912345678", "0912345678"},
		{"longest", strings.Repeat("a", 20), strings.Repeat("a", 20)},
		{"official account keeps @", "@OfficialAcct", "@officialacct"},
		{"official longest", "@" + strings.Repeat("a", 20), "@" + strings.Repeat("a", 20)},

		{"empty", "", ""},
		{"bare @", "@", ""},
		{"too short", "abc", ""},
		{"too short official", "@abc", ""},
		{"too long", strings.Repeat("a", 21), ""},
		{"too long official", "@" + strings.Repeat("a", 21), ""},
		{"space", "ab cd", ""},
		{"at inside", "ab@cd", ""},
		{"two @", "@@abcd", ""},
		{"Thai", "ไลน์ไอดี", ""},
		{"fullwidth", "ｌｉｎｅｉｄ", ""},
	})
}
