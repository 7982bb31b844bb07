package indicator

import "strings"

// ParseWeChat validates a WeChat ID: 6 to 20 letters, digits, "_" or "-",
// starting with a letter. WeChat IDs are not case-sensitive; the canonical
// form is lower case. (A WeChat account can also be found by its phone
// number or QQ number; those are kept as phone or qq indicators.)
func ParseWeChat(s string) (string, error) {
	if len(s) < 6 || len(s) > 20 || !isLetter(s[0]) {
		return "", invalid(WeChat, s, "not 6-20 characters starting with a letter")
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && !isDigit(c) && c != '_' && c != '-' {
			return "", invalid(WeChat, s, "not letters, digits, _ and -")
		}
	}
	return strings.ToLower(s), nil
}

// ParseQQ validates a QQ number: 5 to 11 digits, not starting with 0.
func ParseQQ(s string) (string, error) {
	if len(s) < 5 || len(s) > 11 || s[0] == '0' {
		return "", invalid(QQ, s, "not 5-11 digits")
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return "", invalid(QQ, s, "not digits")
		}
	}
	return s, nil
}

// ParseTelegram validates a Telegram username (5 to 32 letters, digits and
// "_", starting with a letter, with or without "@") or an invite link hash
// ("+AbC..." from t.me/+AbC... or t.me/joinchat/AbC...). Usernames are not
// case-sensitive and are returned lower-case without "@"; invite hashes are
// case-sensitive and keep their "+".
func ParseTelegram(s string) (string, error) {
	if strings.HasPrefix(s, "+") {
		h := s[1:]
		if len(h) < 10 || len(h) > 32 {
			return "", invalid(Telegram, s, "not an invite hash")
		}
		if digitsOnly(h) == h {
			// t.me/+8613800138000 is a link to a phone number, not an invite.
			return "", invalid(Telegram, s, "a phone number, not an invite hash")
		}
		for i := 0; i < len(h); i++ {
			if c := h[i]; !isLetter(c) && !isDigit(c) && c != '_' && c != '-' {
				return "", invalid(Telegram, s, "not an invite hash")
			}
		}
		return s, nil
	}
	s = strings.TrimPrefix(s, "@")
	if len(s) < 5 || len(s) > 32 || !isLetter(s[0]) || s[len(s)-1] == '_' {
		return "", invalid(Telegram, s, "not 5-32 characters starting with a letter")
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && !isDigit(c) && c != '_' {
			return "", invalid(Telegram, s, "not letters, digits and _")
		}
	}
	return strings.ToLower(s), nil
}

// ParseLINE validates a LINE ID: 4 to 20 lower-case letters, digits, ".",
// "-" or "_" (LINE folds case). An official account's ID starts with "@" and
// keeps it.
func ParseLINE(s string) (string, error) {
	prefix := ""
	if strings.HasPrefix(s, "@") {
		prefix, s = "@", s[1:]
	}
	if len(s) < 4 || len(s) > 20 {
		return "", invalid(LINE, s, "not 4-20 characters")
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && !isDigit(c) && c != '.' && c != '-' && c != '_' {
			return "", invalid(LINE, s, "not letters, digits, ., - and _")
		}
	}
	return prefix + strings.ToLower(s), nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
