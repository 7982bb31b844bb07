// Command compare prepares inputs for the peer benchmark (bench/run.sh) and
// scores recall of Vigil and the peers on the labelled corpus.
//
//	go run ./bench/compare corpus OUT.jsonl            # the throughput corpus
//	go run ./bench/compare labelled OUT.jsonl REGIONS.json
//	go run ./bench/compare recall FOUND.jsonl          # markdown table on stdout
//	go run ./bench/compare wallets OUT.jsonl           # the wallet recall set
//	go run ./bench/compare walletrecall FOUND.jsonl    # markdown table on stdout
//	go run ./bench/compare bestpeers PEERS1.json PEERS2.json ...
//	go run ./bench/compare ratios VIGIL_ONE_CORE_MBPS VIGIL_ALL_CORES_MBPS PEERS.json
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"vigil/internal/datasets"
	"vigil/internal/extract"
	"vigil/internal/indicator"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: compare corpus|labelled|recall|wallets|walletrecall|bestpeers|ratios ...")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "corpus":
		err = writeCorpus(os.Args[2])
	case "labelled":
		if len(os.Args) < 4 {
			err = fmt.Errorf("labelled needs OUT.jsonl REGIONS.json")
			break
		}
		err = writeLabelled(os.Args[2], os.Args[3])
	case "recall":
		err = recall(os.Args[2])
	case "ratios":
		if len(os.Args) < 5 {
			err = fmt.Errorf("ratios needs VIGIL_ONE_CORE_MBPS VIGIL_ALL_CORES_MBPS PEERS.json")
			break
		}
		err = ratios(os.Args[2], os.Args[3], os.Args[4])
	case "wallets":
		err = writeWallets(os.Args[2])
	case "walletrecall":
		err = walletRecall(os.Args[2])
	case "bestpeers":
		err = bestPeers(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

func writeJSONL(path string, recs []map[string]any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// writeCorpus writes the messages the throughput benchmark reads
// (extract.BenchmarkExtractCorpus reads the same).
func writeCorpus(out string) error {
	dir, err := datasets.Dir()
	if err != nil {
		return err
	}
	var recs []map[string]any
	for _, src := range datasets.BenchSources {
		ms, err := datasets.Messages(dir, src)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if strings.TrimSpace(m.Text) != "" {
				recs = append(recs, map[string]any{"id": fmt.Sprintf("%s:%d", src, m.Key), "text": m.Text})
			}
		}
	}
	return writeJSONL(out, recs)
}

// sourceRegion is the country each corpus's messages come from, given to
// libphonenumber-js as its default country (Vigil gets no such help).
var sourceRegion = map[string]string{
	"sms/mendeley": "GB", "sms/uci": "GB", "sms/exais": "NG", "sms/spamhunter": "IN", "zh/telecom": "CN",
	"fraud_r1/raw": "CN", "fraud_r1/jobs": "CN", "fraud_r1/email": "US", "ml/id": "ID", "ml/th": "TH", "ml/vi": "VN",
	"jobs/zh": "CN", "email/spamassassin": "US",
}

type label struct {
	Src    string `json:"src"`
	Key    int    `json:"key"`
	Expect []struct {
		Kind, Value string
		Uncertain   bool
	} `json:"expect"`
}

func labelFiles() []string {
	dir := filepath.Join("internal", "extract", "testdata", "corpus")
	return []string{filepath.Join(dir, "labels.jsonl"), filepath.Join(dir, "heldout.jsonl")}
}

func loadLabels() ([]label, map[string]string, error) {
	dir, err := datasets.Dir()
	if err != nil {
		return nil, nil, err
	}
	var ls []label
	for _, p := range labelFiles() {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, nil, fmt.Errorf("%v (run from the repository root)", err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var l label
			if err := json.Unmarshal([]byte(line), &l); err != nil {
				return nil, nil, err
			}
			ls = append(ls, l)
		}
	}
	texts := map[string]string{}
	bySrc := map[string][]datasets.Message{}
	for _, l := range ls {
		if bySrc[l.Src] == nil {
			if bySrc[l.Src], err = datasets.Messages(dir, l.Src); err != nil {
				return nil, nil, err
			}
		}
		texts[id(l)] = bySrc[l.Src][l.Key].Text
	}
	return ls, texts, nil
}

func id(l label) string { return fmt.Sprintf("%s:%d", l.Src, l.Key) }

func writeLabelled(out, regionsOut string) error {
	ls, texts, err := loadLabels()
	if err != nil {
		return err
	}
	var recs []map[string]any
	regions := map[string]string{}
	for _, l := range ls {
		recs = append(recs, map[string]any{"id": id(l), "text": texts[id(l)]})
		regions[id(l)] = sourceRegion[l.Src]
	}
	if err := writeJSONL(out, recs); err != nil {
		return err
	}
	b, _ := json.Marshal(regions)
	return os.WriteFile(regionsOut, b, 0o644)
}

// peerFound is one line of peers.mjs --out.
type peerFound struct {
	ID      string   `json:"id"`
	URLs    []string `json:"urls"`
	Domains []string `json:"domains"`
	Emails  []string `json:"emails"`
	IPv4s   []string `json:"ipv4s"`
	IPv6s   []string `json:"ipv6s"`
	BTCs    []string `json:"btcs"`
	ETHs    []string `json:"eths"`
	Phones  []string `json:"phones"`
}

// key canonicalises a value for comparison the way the corpus test does;
// values of private sources are compared as hashes, as they are labelled.
func key(src string, k indicator.Kind, v string) string {
	if c, err := indicator.Canonical(k, v, ""); err == nil {
		v = c
	}
	switch k {
	case indicator.URL:
		if strings.Count(v, "/") == 3 && strings.HasSuffix(v, "/") {
			v = strings.TrimSuffix(v, "/")
		}
	case indicator.ETH:
		v = strings.ToLower(v)
	}
	if src == "ml/vi" && !strings.HasPrefix(v, "sha256:") {
		sum := sha256.Sum256([]byte(v))
		v = "sha256:" + hex.EncodeToString(sum[:])[:16]
	}
	return string(k) + " " + v
}

func recall(foundPath string) error {
	ls, texts, err := loadLabels()
	if err != nil {
		return err
	}
	peers, err := readPeerFound(foundPath)
	if err != nil {
		return err
	}
	kinds := []indicator.Kind{indicator.URL, indicator.Domain, indicator.Email, indicator.IP, indicator.Phone}
	type tally struct{ labels, vigil, ioc, phone int }
	per := map[indicator.Kind]*tally{}
	for _, k := range kinds {
		per[k] = &tally{}
	}
	x := extract.New(extract.Options{})
	for _, l := range ls {
		text := texts[id(l)]
		vigil := map[string]bool{}
		for _, m := range x.Extract(text).Matches {
			vigil[key(l.Src, m.Kind, m.Value)] = true
		}
		p := peers[id(l)]
		ioc := map[string]bool{}
		for k, vs := range map[indicator.Kind][]string{indicator.URL: p.URLs, indicator.Domain: p.Domains, indicator.Email: p.Emails,
			indicator.IP: append(p.IPv4s, p.IPv6s...), indicator.BTC: p.BTCs, indicator.ETH: p.ETHs} {
			for _, v := range vs {
				ioc[key(l.Src, k, v)] = true
			}
		}
		phones := map[string]bool{}
		for _, v := range p.Phones {
			phones[key(l.Src, indicator.Phone, v)] = true
		}
		for _, e := range l.Expect {
			t := per[indicator.Kind(e.Kind)]
			if t == nil || e.Uncertain {
				continue
			}
			k := key(l.Src, indicator.Kind(e.Kind), e.Value)
			if l.Src == "ml/vi" {
				k = e.Kind + " " + e.Value // labelled as a hash already
			}
			t.labels++
			if vigil[k] {
				t.vigil++
			}
			if ioc[k] {
				t.ioc++
			}
			if phones[k] {
				t.phone++
			}
		}
	}
	fmt.Println("| kind | labelled | Vigil recall | ioc-extractor recall | libphonenumber-js recall |")
	fmt.Println("|---|---|---|---|---|")
	for _, k := range kinds {
		t := per[k]
		if t.labels == 0 {
			fmt.Printf("| %s | 0 | - | - | - |\n", k)
			continue
		}
		r := func(n int) string { return fmt.Sprintf("%.3f", float64(n)/float64(t.labels)) }
		iocR, phR := r(t.ioc), "-"
		if k == indicator.Phone {
			iocR, phR = "-", r(t.phone)
		}
		fmt.Printf("| %s | %d | %s | %s | %s |\n", k, t.labels, r(t.vigil), iocR, phR)
	}
	return nil
}

// bestPeers merges several peers.mjs results, keeping each peer's fastest.
func bestPeers(paths []string) error {
	best := map[string]any{}
	fastest := map[string]float64{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var res map[string]json.RawMessage
		if err := json.Unmarshal(b, &res); err != nil {
			return err
		}
		for name, raw := range res {
			var v struct{ MBps float64 }
			if json.Unmarshal(raw, &v) == nil && v.MBps > 0 {
				if v.MBps > fastest[name] {
					fastest[name], best[name] = v.MBps, raw
				}
			} else if _, ok := best[name]; !ok {
				best[name] = raw
			}
		}
	}
	b, err := json.Marshal(best)
	if err != nil {
		return err
	}
	fmt.Println(string(b))
	return nil
}

// ratios prints Vigil's throughput against each peer's.
func ratios(oneCore, allCores, peersPath string) error {
	one, err := strconv.ParseFloat(oneCore, 64)
	if err != nil {
		return err
	}
	all, err := strconv.ParseFloat(allCores, 64)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(peersPath)
	if err != nil {
		return err
	}
	var res map[string]json.RawMessage
	if err := json.Unmarshal(b, &res); err != nil {
		return err
	}
	var names []string
	for n := range res {
		if strings.Contains(n, "-") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	fmt.Println("| tool | MB/s | Vigil one core ÷ tool | Vigil all cores ÷ tool | target |")
	fmt.Println("|---|---|---|---|---|")
	fmt.Printf("| vigil, all kinds, one core | %.1f | | | |\n", one)
	fmt.Printf("| vigil, all kinds, %d cores | %.1f | | | |\n", runtime.NumCPU(), all)
	targets := map[string]string{"ioc-extractor": ">= 5x", "libphonenumber-js": ">= 10x"}
	for _, n := range names {
		var p struct{ MBps float64 }
		if err := json.Unmarshal(res[n], &p); err != nil {
			return err
		}
		fmt.Printf("| %s (node, one core) | %.1f | %.1fx | %.1fx | %s |\n", n, p.MBps, one/p.MBps, all/p.MBps, targets[n])
	}
	return nil
}
