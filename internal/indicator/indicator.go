// Package indicator defines the kinds of indicator Vigil tracks (phone
// numbers, links, wallets, bank accounts, messaging handles, places) and
// their canonical forms. Canonical forms are what Vigil stores and compares:
// two ways of writing the same number, link or wallet give the same value.
//
// Everything here is pure: no I/O, no global state beyond read-only tables.
package indicator

import (
	"errors"
	"fmt"
	"strings"
)

// Kind names a sort of indicator. The string values are stable: they appear
// in JSON output, the API and the store.
type Kind string

// The kinds Vigil knows.
const (
	Phone       Kind = "phone"        // E.164 ("+8613800138000"), or national digits of a short code
	Email       Kind = "email"        // lower-case, punycode domain
	URL         Kind = "url"          // scheme://punycode-host/path as written
	Domain      Kind = "domain"       // lower-case punycode host with a real public suffix
	IP          Kind = "ip"           // IPv4 dotted quad or RFC 5952 IPv6
	BTC         Kind = "btc"          // Base58Check P2PKH/P2SH, or lower-case bech32/bech32m
	ETH         Kind = "eth"          // EIP-55 checksummed 0x address (any EVM chain)
	TRX         Kind = "trx"          // TRON Base58Check address (version 0x41)
	LTC         Kind = "ltc"          // Litecoin Base58Check or ltc1 bech32
	DOGE        Kind = "doge"         // Dogecoin Base58Check
	XRP         Kind = "xrp"          // XRP Ledger classic address (Ripple alphabet)
	TON         Kind = "ton"          // TON address in raw form "0:hex"
	IBAN        Kind = "iban"         // electronic form, upper case, no spaces
	Card        Kind = "card"         // masked "622202******1234"; never the full number
	BankAccount Kind = "bank_account" // digits only
	WeChat      Kind = "wechat"       // lower-case WeChat ID
	QQ          Kind = "qq"           // QQ number, digits
	Telegram    Kind = "telegram"     // lower-case username without "@", or "+invite" hash
	WhatsApp    Kind = "whatsapp"     // E.164 of the account's number
	LINE        Kind = "line"         // lower-case LINE ID ("@id" for official accounts)
	Zalo        Kind = "zalo"         // E.164 of the account's number (Vietnam's messenger)
	Place       Kind = "place"        // gazetteer entry ID ("mm-kk-park")
)

// Kinds lists every kind in a stable order.
var Kinds = []Kind{Phone, Email, URL, Domain, IP, BTC, ETH, TRX, LTC, DOGE, XRP, TON,
	IBAN, Card, BankAccount, WeChat, QQ, Telegram, WhatsApp, LINE, Zalo, Place}

// ErrInvalid reports a value that is not a valid indicator of the kind asked.
var ErrInvalid = errors.New("invalid indicator")

// ParseKind returns the Kind named s.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	for _, known := range Kinds {
		if k == known {
			return k, nil
		}
	}
	return "", fmt.Errorf("unknown indicator kind %q: %w", s, ErrInvalid)
}

// IsWallet reports whether k is a cryptocurrency address.
func (k Kind) IsWallet() bool {
	switch k {
	case BTC, ETH, TRX, LTC, DOGE, XRP, TON:
		return true
	}
	return false
}

// IsHandle reports whether k is a messaging-app account.
func (k Kind) IsHandle() bool {
	switch k {
	case WeChat, QQ, Telegram, WhatsApp, LINE, Zalo:
		return true
	}
	return false
}

func invalid(kind Kind, s, why string) error {
	if len(s) > 80 {
		s = s[:80] + "..."
	}
	return fmt.Errorf("%s %q: %s: %w", kind, s, why, ErrInvalid)
}
