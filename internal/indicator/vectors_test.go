package indicator

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/btcutil/base58"
	"github.com/nyaruka/phonenumbers"

	"vigil/internal/datasets"
)

// The standard vectors in ../shared/data/vectors, each checked against the
// function Vigil uses for that kind.

func readJSON(t *testing.T, v any, rel ...string) {
	t.Helper()
	b, err := os.ReadFile(datasets.Path(t, rel...))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", strings.Join(rel, "/"), err)
	}
}

type bechVector struct {
	String       string  `json:"string"`
	Valid        bool    `json:"valid"`
	ScriptPubKey *string `json:"scriptPubKey_hex"`
	Reason       *string `json:"reason"`
}

func TestBech32Vectors(t *testing.T) {
	var doc map[string]json.RawMessage
	readJSON(t, &doc, "vectors", "bitcoin_bip_test_vectors", "bech32_bech32m_vectors.json")
	sections := map[string]map[string][]bechVector{}
	for bip, raw := range doc {
		if strings.HasPrefix(bip, "_") {
			continue
		}
		var s map[string][]bechVector
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatal(err)
		}
		sections[bip] = s
	}
	// BIP-350 superseded BIP-173's valid v1+ address vectors (they used
	// Bech32, now invalid for v1+); the data set's note says so.
	superseded := map[string]bool{
		"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx": true,
		"BC1SW50QA3JX3S":                       true,
		"bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj": true,
	}
	n := 0
	for bip, secs := range sections {
		for name, vs := range secs {
			for _, v := range vs {
				n++
				isAddress := v.ScriptPubKey != nil || (v.Reason != nil && addressReason(*v.Reason))
				if !isAddress {
					bm, err := Bech32Check(v.String)
					if (err == nil) != v.Valid {
						t.Errorf("%s %s: Bech32Check(%q) err=%v, want valid=%v", bip, name, v.String, err, v.Valid)
					}
					if err == nil && bm != (bip == "bip-0350") {
						t.Errorf("%s: %q decoded as bech32m=%v", bip, v.String, bm)
					}
					continue
				}
				want := v.Valid && !superseded[v.String]
				sw, err := DecodeSegwit(v.String)
				if (err == nil) != want {
					t.Errorf("%s %s: DecodeSegwit(%q) err=%v, want valid=%v", bip, name, v.String, err, want)
					continue
				}
				if err != nil {
					continue
				}
				op := byte(0)
				if sw.Version > 0 {
					op = 0x50 + sw.Version
				}
				got := hex.EncodeToString(append([]byte{op, byte(len(sw.Program))}, sw.Program...))
				if got != *v.ScriptPubKey {
					t.Errorf("%q: scriptPubKey %s, want %s", v.String, got, *v.ScriptPubKey)
				}
			}
		}
	}
	if n != 77 {
		t.Fatalf("only %d bech32 vectors read", n)
	}
}

// addressReason tells address vectors (invalid for segwit reasons) from
// plain bech32 string vectors.
func addressReason(r string) bool {
	for _, w := range []string{"human-readable part", "witness version", "program length", "padding", "Empty data", "Invalid checksum", "Mixed case", "Invalid character in checksum"} {
		if strings.Contains(r, w) {
			return true
		}
	}
	return false
}

func TestBase58Vectors(t *testing.T) {
	var pairs [][2]string
	readJSON(t, &pairs, "vectors", "bitcoin_bip_test_vectors", "base58_encode_decode.json")
	for _, p := range pairs {
		raw, err := hex.DecodeString(p[0])
		if err != nil {
			t.Fatal(err)
		}
		if got := base58.Encode(raw); got != p[1] {
			t.Errorf("Encode(%s) = %s, want %s", p[0], got, p[1])
		}
		if got := hex.EncodeToString(base58.Decode(p[1])); got != strings.ToLower(p[0]) {
			t.Errorf("Decode(%s) = %s, want %s", p[1], got, p[0])
		}
	}
	if len(pairs) != 21 {
		t.Fatalf("read %d base58 pairs, want 21", len(pairs))
	}
}

func TestEIP55Vectors(t *testing.T) {
	f, err := os.Open(datasets.Path(t, "vectors", "ethereum_eip55_vectors", "eip55_test_cases.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	section, n := "", 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") {
			section = line
			continue
		}
		if !strings.HasPrefix(line, "0x") {
			continue
		}
		n++
		w, err := ParseETH(line)
		if err != nil {
			t.Errorf("%s %s: %v", section, line, err)
			continue
		}
		if strings.Contains(section, "Normal") {
			if w.Value != line || !w.Checksummed {
				t.Errorf("%s: canonical %s checksummed=%v", line, w.Value, w.Checksummed)
			}
			// Flipping the case of any one letter breaks the checksum.
			for i := 2; i < len(line); i++ {
				c := line[i]
				var flipped byte
				switch {
				case c >= 'a' && c <= 'f':
					flipped = c - 32
				case c >= 'A' && c <= 'F':
					flipped = c + 32
				default:
					continue
				}
				bad := line[:i] + string(flipped) + line[i+1:]
				if _, err := ParseETH(bad); err == nil {
					t.Errorf("%s accepted with a broken checksum", bad)
				}
			}
		} else if w.Checksummed {
			t.Errorf("%s: single-case address reported as checksummed", line)
		}
	}
	if n != 8 {
		t.Fatalf("read %d EIP-55 vectors, want 8", n)
	}
}

func TestTRONVectors(t *testing.T) {
	var vs []struct {
		Base58 string `json:"tron_base58"`
		Hex    string `json:"tron_hex"`
		EVM    string `json:"evm_eip55"`
		Valid  bool   `json:"base58check_valid"`
	}
	readJSON(t, &vs, "vectors", "tron_and_luhn_vectors", "tron_address_vectors.json")
	for _, v := range vs {
		w, err := ParseWallet(v.Base58)
		if err != nil || w.Kind != TRX || w.Value != v.Base58 {
			t.Errorf("ParseWallet(%s) = %+v, %v", v.Base58, w, err)
		}
		h, err := TRONHex(v.Base58)
		if err != nil || h != strings.ToLower(v.Hex) {
			t.Errorf("TRONHex(%s) = %s, %v; want %s", v.Base58, h, err, v.Hex)
		}
		b, err := TRONFromHex(v.Hex)
		if err != nil || b != v.Base58 {
			t.Errorf("TRONFromHex(%s) = %s, %v", v.Hex, b, err)
		}
		if got := EIP55(v.Hex[2:]); got != v.EVM {
			t.Errorf("EVM form of %s = %s, want %s", v.Base58, got, v.EVM)
		}
		// One changed character breaks the checksum.
		bad := v.Base58[:10] + swapBase58(v.Base58[10]) + v.Base58[11:]
		if _, err := ParseWallet(bad); err == nil {
			t.Errorf("%s accepted with a broken checksum", bad)
		}
	}
	f, err := os.Open(datasets.Path(t, "vectors", "tron_and_luhn_vectors", "tron_real_scam_addresses_from_cryptoscamdb.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 2 || cols[0] != "TRX" {
			continue
		}
		n++
		if w, err := ParseWallet(cols[1]); err != nil || w.Kind != TRX {
			t.Errorf("real TRON address %s: %+v %v", cols[1], w, err)
		}
	}
	if n != 16 {
		t.Fatalf("read %d real TRON addresses, want 16", n)
	}
}

func swapBase58(c byte) string {
	if c == 'a' {
		return "b"
	}
	return "a"
}

func TestLuhnVectors(t *testing.T) {
	f, err := os.Open(datasets.Path(t, "vectors", "tron_and_luhn_vectors", "paypal_test_card_numbers_luhn.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	n := 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 3 {
			continue
		}
		n++
		want := cols[2] == "True"
		if got := Luhn(cols[1]); got != want {
			t.Errorf("Luhn(%s %s) = %v, want %v", cols[0], cols[1], got, want)
		}
	}
	if n != 18 {
		t.Fatalf("read %d card vectors, want 18", n)
	}
}

func TestIBANVectors(t *testing.T) {
	var doc struct {
		Valid map[string]struct {
			Electronic string `json:"electronic"`
			Print      string `json:"print"`
		} `json:"valid_ibans"`
	}
	readJSON(t, &doc, "vectors", "iban_swift_registry", "iban_test_fixtures.json")
	if len(doc.Valid) != 105 {
		t.Fatalf("read %d IBAN examples, want 105", len(doc.Valid))
	}
	for cc, v := range doc.Valid {
		for _, form := range []string{v.Electronic, v.Print, strings.ToLower(v.Print)} {
			got, err := ParseIBAN(form)
			if err != nil || got != v.Electronic {
				t.Errorf("%s: ParseIBAN(%q) = %q, %v", cc, form, got, err)
			}
		}
		// Negative vectors: a changed digit fails MOD-97; a dropped or added
		// character fails the country's length.
		e := v.Electronic
		i := strings.LastIndexAny(e, "0123456789")
		d := byte('0' + (e[i]-'0'+1)%10)
		if _, err := ParseIBAN(e[:i] + string(d) + e[i+1:]); err == nil {
			t.Errorf("%s: changed digit accepted", cc)
		}
		if _, err := ParseIBAN(e[:len(e)-1]); err == nil {
			t.Errorf("%s: short IBAN accepted", cc)
		}
		if _, err := ParseIBAN(e + "0"); err == nil {
			t.Errorf("%s: long IBAN accepted", cc)
		}
	}
}

func TestPhoneExampleVectors(t *testing.T) {
	var examples map[string]string
	readJSON(t, &examples, "vectors", "libphonenumber_js_examples", "examples.mobile.json")
	if len(examples) < 240 {
		t.Fatalf("read %d example numbers", len(examples))
	}
	for region, national := range examples {
		code := phonenumbers.GetCountryCodeForRegion(region)
		want := "+" + strconv.Itoa(code) + national
		p, err := ParsePhone(national, region)
		if err != nil || p.Value != want {
			t.Errorf("%s: ParsePhone(%s) = %+v, %v; want %s", region, national, p, err, want)
			continue
		}
		// The international form parses to the same number with no region.
		q, err := ParsePhone(want, "")
		if err != nil || q.Value != want {
			t.Errorf("%s: ParsePhone(%s) = %+v, %v", region, want, q, err)
		}
	}
}

// TestRealWalletsFromCryptoScamDB checks Vigil's validation against the
// independent labels of 4,302 addresses found in real scam reports.
func TestRealWalletsFromCryptoScamDB(t *testing.T) {
	f, err := os.Open(datasets.Path(t, "indicators", "cryptoscamdb_blacklist", "derived_address_validation.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	counts := map[string]int{}
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 3 || cols[0] == "chain" {
			continue
		}
		chain, addr, label := cols[0], strings.TrimSpace(cols[1]), cols[2]
		w, err := ParseWallet(addr)
		var want Kind
		switch {
		case label == "valid_eip55_checksum" || label == "valid_lowercase_no_checksum":
			want = ETH
		case strings.HasPrefix(label, "valid_base58check_version_0x00"), strings.HasPrefix(label, "valid_base58check_version_0x05"):
			want = BTC
		case strings.HasPrefix(label, "valid_base58check_version_0x41"):
			want = TRX
		case strings.HasPrefix(label, "valid_base58check_version_0x30"), strings.HasPrefix(label, "valid_base58check_version_0x32"):
			want = LTC
		case strings.HasPrefix(label, "valid_base58check_version_0x1e"), strings.HasPrefix(label, "valid_base58check_version_0x16"):
			want = DOGE
		case label == "valid_segwit":
			want = BTC
		case strings.HasPrefix(label, "invalid"), label == "malformed":
			// The label says the address is not valid for its stated chain;
			// it may still be a valid address of another chain (a BTC
			// address filed under ETH) or a form the labeller did not check
			// (bech32 "ltc1...").
			if err == nil && w.Kind == Kind(strings.ToLower(chain)) && !strings.HasPrefix(addr, "ltc1") {
				t.Errorf("%s %s labelled %s accepted as %s", chain, addr, label, w.Kind)
			}
			counts["rejected"]++
			continue
		default:
			continue // chains the label set did not check (XRP, ADA, ...)
		}
		if err != nil || w.Kind != want {
			t.Errorf("%s %s labelled %s: got %+v, %v", chain, addr, label, w, err)
			continue
		}
		if want == ETH && w.Checksummed != (label == "valid_eip55_checksum") {
			t.Errorf("%s: checksummed=%v, label %s", addr, w.Checksummed, label)
		}
		counts[string(want)]++
	}
	if counts["eth"] < 2800 || counts["btc"] < 1000 || counts["trx"] < 16 {
		t.Fatalf("too few addresses checked: %v", counts)
	}
}
