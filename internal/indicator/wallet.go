package indicator

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/btcsuite/btcd/btcutil/base58"
	"github.com/btcsuite/btcd/btcutil/bech32"
	"golang.org/x/crypto/sha3"
)

// Wallet is a validated cryptocurrency address.
type Wallet struct {
	Kind  Kind
	Value string // canonical form
	// Checksummed is false for an ETH address written all in one case, which
	// carries no EIP-55 checksum and so may hide a typo.
	Checksummed bool
	// Type says what the address is: "p2pkh", "p2sh", "p2wpkh", "p2wsh",
	// "p2tr", "segwit", "account".
	Type string
}

// ParseWallet validates s as an address of any supported chain, checksum
// included. An address with a bad checksum is not a wallet.
func ParseWallet(s string) (Wallet, error) {
	if len(s) < 25 || len(s) > 90 {
		return Wallet{}, invalid("wallet", s, "wrong length")
	}
	if raw, ok := parseTONRaw(s); ok {
		return Wallet{Kind: TON, Value: raw, Checksummed: false, Type: "account"}, nil
	}
	switch {
	case strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X"):
		return ParseETH(s)
	case hasBech32Prefix(s):
		return parseSegwit(s)
	case s[0] == 'r' && len(s) <= 35:
		if w, err := parseXRP(s); err == nil {
			return w, nil
		}
	case len(s) == 48 && (s[0] == 'E' || s[0] == 'U' || s[0] == 'k' || s[0] == '0'):
		if w, err := parseTON(s); err == nil {
			return w, nil
		}
	}
	return parseBase58(s)
}

func hasBech32Prefix(s string) bool {
	l := strings.ToLower(s[:4])
	return strings.HasPrefix(l, "bc1") || l == "ltc1"
}

// base58Versions maps a Base58Check version byte to its chain and type.
// 0x05 (P2SH "3...") is shared by Bitcoin and legacy Litecoin; it is read as
// Bitcoin, by far the commoner.
var base58Versions = map[byte]struct {
	kind Kind
	typ  string
}{
	0x00: {BTC, "p2pkh"},
	0x05: {BTC, "p2sh"},
	0x41: {TRX, "account"},
	0x30: {LTC, "p2pkh"},
	0x32: {LTC, "p2sh"},
	0x1e: {DOGE, "p2pkh"},
	0x16: {DOGE, "p2sh"},
}

func parseBase58(s string) (Wallet, error) {
	if len(s) > 35 {
		return Wallet{}, invalid("wallet", s, "too long for Base58Check")
	}
	payload, version, err := base58.CheckDecode(s)
	if err != nil {
		return Wallet{}, invalid("wallet", s, "bad Base58Check")
	}
	v, ok := base58Versions[version]
	if !ok || len(payload) != 20 {
		return Wallet{}, invalid("wallet", s, fmt.Sprintf("unknown version byte 0x%02x", version))
	}
	// A leading zero byte is written as '1': reject non-canonical encodings so
	// that one address has one spelling.
	if base58.CheckEncode(payload, version) != s {
		return Wallet{}, invalid("wallet", s, "non-canonical Base58")
	}
	return Wallet{Kind: v.kind, Value: s, Checksummed: true, Type: v.typ}, nil
}

// parseSegwit validates a native segwit address per BIP-173 and BIP-350:
// witness v0 must use Bech32 with a 20- or 32-byte program, v1+ Bech32m.
// Test-network addresses ("tb1...") are valid segwit but are not wallets
// anyone can be defrauded into paying.
func parseSegwit(s string) (Wallet, error) {
	sw, err := DecodeSegwit(s)
	if err != nil {
		return Wallet{}, err
	}
	kind := BTC
	switch sw.HRP {
	case "ltc":
		kind = LTC
	case "tb":
		return Wallet{}, invalid(BTC, s, "test-network address")
	}
	return Wallet{Kind: kind, Value: strings.ToLower(s), Checksummed: true, Type: sw.Type}, nil
}

// Segwit is a decoded native segwit address.
type Segwit struct {
	HRP     string // "bc", "tb" or "ltc"
	Version byte   // witness version 0..16
	Program []byte // witness program, 2..40 bytes
	Type    string // "p2wpkh", "p2wsh", "p2tr" or "segwit"
}

// DecodeSegwit validates a segwit address of Bitcoin ("bc"), its test
// network ("tb") or Litecoin ("ltc") per BIP-173 and BIP-350: witness v0
// must use Bech32 with a 20- or 32-byte program, v1 and later Bech32m.
func DecodeSegwit(s string) (Segwit, error) {
	hrp, data, variant, err := bech32.DecodeGeneric(s)
	if err != nil {
		return Segwit{}, invalid("segwit", s, "bad bech32")
	}
	switch hrp {
	case "bc", "tb", "ltc":
	default:
		return Segwit{}, invalid("segwit", s, "unknown human-readable part "+hrp)
	}
	if len(data) < 1 || data[0] > 16 {
		return Segwit{}, invalid("segwit", s, "bad witness version")
	}
	version := data[0]
	program, err := bech32.ConvertBits(data[1:], 5, 8, false)
	if err != nil {
		return Segwit{}, invalid("segwit", s, "bad padding")
	}
	sw := Segwit{HRP: hrp, Version: version, Program: program, Type: "segwit"}
	switch {
	case len(program) < 2 || len(program) > 40:
		return Segwit{}, invalid("segwit", s, fmt.Sprintf("program length %d", len(program)))
	case version == 0 && variant != bech32.Version0:
		return Segwit{}, invalid("segwit", s, "witness v0 must use Bech32")
	case version != 0 && variant != bech32.VersionM:
		return Segwit{}, invalid("segwit", s, "witness v1+ must use Bech32m")
	case version == 0 && len(program) == 20:
		sw.Type = "p2wpkh"
	case version == 0 && len(program) == 32:
		sw.Type = "p2wsh"
	case version == 0:
		return Segwit{}, invalid("segwit", s, fmt.Sprintf("witness v0 program length %d", len(program)))
	case version == 1 && len(program) == 32:
		sw.Type = "p2tr"
	}
	return sw, nil
}

// ParseETH validates an Ethereum (EVM) address. A mixed-case address must
// carry a correct EIP-55 checksum; an all-lower or all-upper one is accepted
// as unchecksummed. The canonical value is the EIP-55 form.
func ParseETH(s string) (Wallet, error) {
	if len(s) != 42 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') {
		return Wallet{}, invalid(ETH, s, "not 0x and 40 hex digits")
	}
	hexPart := s[2:]
	var lower, upper bool
	for i := 0; i < len(hexPart); i++ {
		c := hexPart[i]
		switch {
		case c >= '0' && c <= '9':
		case c >= 'a' && c <= 'f':
			lower = true
		case c >= 'A' && c <= 'F':
			upper = true
		default:
			return Wallet{}, invalid(ETH, s, "not hex")
		}
	}
	canonical := EIP55(hexPart)
	if lower && upper && canonical[2:] != hexPart {
		return Wallet{}, invalid(ETH, s, "bad EIP-55 checksum")
	}
	return Wallet{Kind: ETH, Value: canonical, Checksummed: lower && upper, Type: "account"}, nil
}

// EIP55 returns the checksummed "0x" form of 40 hex digits (any case).
func EIP55(hexDigits string) string {
	lower := strings.ToLower(hexDigits)
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte(lower))
	sum := h.Sum(nil)
	out := make([]byte, 2, 42)
	out[0], out[1] = '0', 'x'
	for i := 0; i < len(lower); i++ {
		c := lower[i]
		nibble := sum[i/2]
		if i%2 == 0 {
			nibble >>= 4
		}
		if c >= 'a' && nibble&0x0f >= 8 {
			c -= 'a' - 'A'
		}
		out = append(out, c)
	}
	return string(out)
}

// TRONHex returns the 21-byte hex form ("41...") of a TRON address.
func TRONHex(s string) (string, error) {
	payload, version, err := base58.CheckDecode(s)
	if err != nil || version != 0x41 || len(payload) != 20 {
		return "", invalid(TRX, s, "not a TRON address")
	}
	return "41" + hex.EncodeToString(payload), nil
}

// TRONFromHex returns the Base58Check form of a 21-byte TRON hex address
// ("41" followed by 40 hex digits, with or without "0x").
func TRONFromHex(h string) (string, error) {
	h = strings.TrimPrefix(strings.TrimPrefix(h, "0x"), "0X")
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != 21 || b[0] != 0x41 {
		return "", invalid(TRX, h, "not 41 and 20 bytes of hex")
	}
	return base58.CheckEncode(b[1:], 0x41), nil
}

// xrpToBitcoin maps the XRP Ledger's Base58 alphabet onto Bitcoin's so that
// the same Base58Check decoder serves both.
var xrpToBitcoin = func() [256]byte {
	const xrp = "rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz"
	const btc = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
	var t [256]byte
	for i := range xrp {
		t[xrp[i]] = btc[i]
	}
	return t
}()

func parseXRP(s string) (Wallet, error) {
	b := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		b[i] = xrpToBitcoin[s[i]]
		if b[i] == 0 {
			return Wallet{}, invalid(XRP, s, "not in the XRP alphabet")
		}
	}
	payload, version, err := base58.CheckDecode(string(b))
	if err != nil || version != 0 || len(payload) != 20 {
		return Wallet{}, invalid(XRP, s, "bad checksum")
	}
	return Wallet{Kind: XRP, Value: s, Checksummed: true, Type: "account"}, nil
}

// parseTON validates a user-friendly TON address: 36 bytes in base64 or
// base64url (flags, workchain, 32-byte account ID, CRC16-XMODEM). The
// bounceable ("EQ...") and non-bounceable ("UQ...") spellings of one account
// share the canonical raw form "workchain:hex".
func parseTON(s string) (Wallet, error) {
	enc := base64.RawURLEncoding
	if strings.ContainsAny(s, "+/") {
		enc = base64.RawStdEncoding
	}
	b, err := enc.DecodeString(strings.TrimRight(s, "="))
	if err != nil || len(b) != 36 {
		return Wallet{}, invalid(TON, s, "not 36 bytes of base64")
	}
	if crc16XMODEM(b[:34]) != uint16(b[34])<<8|uint16(b[35]) {
		return Wallet{}, invalid(TON, s, "bad CRC16")
	}
	flags := b[0] &^ 0x80 // the high bit marks test-only addresses
	if flags != 0x11 && flags != 0x51 {
		return Wallet{}, invalid(TON, s, "unknown flags")
	}
	var workchain string
	switch b[1] {
	case 0x00:
		workchain = "0"
	case 0xff:
		workchain = "-1"
	default:
		return Wallet{}, invalid(TON, s, "unknown workchain")
	}
	return Wallet{Kind: TON, Value: workchain + ":" + hex.EncodeToString(b[2:34]), Checksummed: true, Type: "account"}, nil
}

// parseTONRaw recognises the raw form of a TON address ("0:" or "-1:" and 64
// hex digits), the canonical value, so that it can be looked up again.
func parseTONRaw(s string) (string, bool) {
	wc, h, ok := strings.Cut(s, ":")
	if !ok || (wc != "0" && wc != "-1") || len(h) != 64 {
		return "", false
	}
	if _, err := hex.DecodeString(h); err != nil {
		return "", false
	}
	return wc + ":" + strings.ToLower(h), true
}

func crc16XMODEM(b []byte) uint16 {
	var crc uint16
	for _, c := range b {
		crc ^= uint16(c) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// Bech32Check validates the checksum of any bech32 or bech32m string (not
// only addresses) and says which variant it is.
func Bech32Check(s string) (bech32m bool, err error) {
	_, _, variant, err := bech32.DecodeGeneric(s)
	if err != nil {
		return false, invalid("bech32", s, err.Error())
	}
	return variant == bech32.VersionM, nil
}
