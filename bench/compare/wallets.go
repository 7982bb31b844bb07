package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"vigil/internal/datasets"
	"vigil/internal/extract"
	"vigil/internal/indicator"
)

// walletTemplates place an address the way scam and ransom messages do:
// after a label, inside brackets, at a line end, and run together with
// Chinese text (no spaces), which is how such messages are written.
var walletTemplates = []string{
	"Please send the deposit to my wallet %s and send me the screenshot.",
	"Wallet address: %s",
	"请把保证金转到这个地址%s，转完截图给我",
	"钱包地址：%s（只收USDT）",
	"The platform's official address (%s) is verified, transfer today to unlock your profit",
	"付款地址\n%s\n请在24小时内付款，否则后果自负",
	"Send it to %s.",
	"收款地址:%s 到账后放人",
}

type walletCase struct {
	ID, Text string
	Kind     indicator.Kind
	Value    string
}

// walletCases returns the wallet recall set: every BTC and ETH address of
// the CryptoScamDB blocklist that passes its own checksum (the data set's
// validation column), each in one of walletTemplates. The shared data has
// no wallets inside real messages, so this set is built, not sampled.
func walletCases() ([]walletCase, error) {
	dir, err := datasets.Dir()
	if err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(dir, "indicators", "cryptoscamdb_blacklist", "derived_address_validation.tsv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var cs []walletCase
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 3 || seen[cols[1]] {
			continue
		}
		var k indicator.Kind
		switch {
		case cols[0] == "BTC" && (strings.HasPrefix(cols[2], "valid_base58check_version_0x00") ||
			strings.HasPrefix(cols[2], "valid_base58check_version_0x05") || cols[2] == "valid_segwit"):
			k = indicator.BTC
		case cols[0] == "ETH" && strings.HasPrefix(cols[2], "valid_"):
			k = indicator.ETH
		default:
			continue
		}
		seen[cols[1]] = true
		n := len(cs)
		cs = append(cs, walletCase{ID: fmt.Sprintf("wallet:%d", n), Kind: k, Value: cols[1],
			Text: fmt.Sprintf(walletTemplates[n%len(walletTemplates)], cols[1])})
	}
	return cs, sc.Err()
}

func writeWallets(out string) error {
	cs, err := walletCases()
	if err != nil {
		return err
	}
	recs := make([]map[string]any, len(cs))
	for i, c := range cs {
		recs[i] = map[string]any{"id": c.ID, "text": c.Text}
	}
	return writeJSONL(out, recs)
}

// walletRecall prints the share of the wallet set's addresses found by
// Vigil and by ioc-extractor (from peers.mjs --out).
func walletRecall(foundPath string) error {
	cs, err := walletCases()
	if err != nil {
		return err
	}
	peers, err := readPeerFound(foundPath)
	if err != nil {
		return err
	}
	type tally struct{ labels, vigil, ioc int }
	per := map[indicator.Kind]*tally{indicator.BTC: {}, indicator.ETH: {}}
	x := extract.New(extract.Options{})
	for _, c := range cs {
		want := key("", c.Kind, c.Value)
		t := per[c.Kind]
		t.labels++
		for _, m := range x.Extract(c.Text).Matches {
			if key("", m.Kind, m.Value) == want {
				t.vigil++
				break
			}
		}
		p := peers[c.ID]
		for _, v := range append(p.BTCs, p.ETHs...) {
			if key("", c.Kind, v) == want {
				t.ioc++
				break
			}
		}
	}
	fmt.Println("| kind | addresses | Vigil recall | ioc-extractor recall |")
	fmt.Println("|---|---|---|---|")
	for _, k := range []indicator.Kind{indicator.BTC, indicator.ETH} {
		t := per[k]
		r := func(n int) string { return fmt.Sprintf("%.3f", float64(n)/float64(t.labels)) }
		fmt.Printf("| %s | %d | %s | %s |\n", k, t.labels, r(t.vigil), r(t.ioc))
	}
	return nil
}

func readPeerFound(path string) (map[string]peerFound, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	peers := map[string]peerFound{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var p peerFound
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			return nil, err
		}
		peers[p.ID] = p
	}
	return peers, nil
}
