package extract

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/internal/datasets"
	"vigil/internal/indicator"
	"vigil/internal/warninglist"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata")

// The labelled corpus: real messages from ../shared/data/text, referenced by
// corpus and position (the texts are not copied here), with the indicators a
// person found in each (testdata/corpus/labels.jsonl; how it was made:
// testdata/corpus/README.md).

type label struct {
	Src    string `json:"src"`
	Key    int    `json:"key"`
	SHA    string `json:"sha"`
	Expect []struct {
		Kind      string `json:"kind"`
		Value     string `json:"value"`
		KnownGood bool   `json:"known_good"`
		Uncertain bool   `json:"uncertain"`
	} `json:"expect"`
}

// privateSources hold personal data that must not be republished: their
// values are compared, and stored, as hashes.
var privateSources = map[string]bool{"ml/vi": true}

func loadLabels(t testing.TB) []label {
	return loadLabelFile(t, "labels.jsonl")
}

func loadLabelFile(t testing.TB, name string) []label {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "corpus", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ls []label
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var l label
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("labels: %v", err)
		}
		ls = append(ls, l)
	}
	return ls
}

// corpusTexts returns the text of every labelled message, checking that the
// data set still holds the text that was labelled.
func corpusTexts(t testing.TB, ls []label) []string {
	t.Helper()
	dir := filepath.Dir(datasets.Path(t, "text"))
	bySrc := map[string][]datasets.Message{}
	texts := make([]string, len(ls))
	for i, l := range ls {
		ms, ok := bySrc[l.Src]
		if !ok {
			var err error
			if ms, err = datasets.Messages(dir, l.Src); err != nil {
				t.Fatal(err)
			}
			bySrc[l.Src] = ms
		}
		if l.Key >= len(ms) {
			t.Fatalf("%s:%d: no such message", l.Src, l.Key)
		}
		text := ms[l.Key].Text
		sum := sha256.Sum256([]byte(text))
		if got := hex.EncodeToString(sum[:])[:12]; got != l.SHA {
			t.Fatalf("%s:%d: text changed since labelling (sha %s, labelled %s)", l.Src, l.Key, got, l.SHA)
		}
		texts[i] = text
	}
	return texts
}

// scoreKey is how a value is compared with a label: canonical values, with
// the trailing slash of a bare host ignored, hashed for private sources.
func scoreKey(src string, kind, value string) string {
	if kind == string(indicator.URL) && strings.Count(value, "/") == 3 && strings.HasSuffix(value, "/") {
		value = strings.TrimSuffix(value, "/")
	}
	if kind == string(indicator.ETH) {
		value = strings.ToLower(value) // labels may give an address in any case
	}
	if privateSources[src] && !strings.HasPrefix(value, "sha256:") {
		sum := sha256.Sum256([]byte(value))
		value = "sha256:" + hex.EncodeToString(sum[:])[:16]
	}
	return kind + " " + value
}

type tally struct{ tp, fp, fn int }

func (t tally) precision() float64 { return ratio(t.tp, t.tp+t.fp) }
func (t tally) recall() float64    { return ratio(t.tp, t.tp+t.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// knownGood is the pseudo-kind under which scoreCorpus tallies the marking
// of official numbers and services as known-good.
const knownGood = "(known-good marking)"

// scoreCorpus extracts every labelled message and counts, per kind, true
// positives, false positives and misses. Labels marked uncertain count
// neither way.
func scoreCorpus(ls []label, texts []string, x *Extractor) (map[string]*tally, map[string][]string) {
	per := map[string]*tally{}
	diffs := map[string][]string{}
	get := func(k string) *tally {
		if per[k] == nil {
			per[k] = &tally{}
		}
		return per[k]
	}
	for i, l := range ls {
		want, wantGood, unsure := map[string]int{}, map[string]int{}, map[string]bool{}
		for _, e := range l.Expect {
			k := scoreKey(l.Src, e.Kind, e.Value)
			switch {
			case e.Uncertain:
				unsure[k] = true
			case e.KnownGood:
				wantGood[k]++
				fallthrough
			default:
				want[k]++
			}
		}
		got, gotGood := map[string]int{}, map[string]int{}
		headerEnd := -1
		if strings.HasPrefix(l.Src, "email/") {
			headerEnd = strings.Index(texts[i], "\n\n")
		}
		for _, m := range x.Extract(texts[i]).Matches {
			k := scoreKey(l.Src, string(m.Kind), m.Value)
			if m.Kind == indicator.Domain && m.Start < headerEnd && want[k] == 0 {
				// Relay host names in raw mail headers were left unlabelled
				// by some labellers and marked uncertain by others.
				continue
			}
			got[k]++
			if m.KnownGood {
				gotGood[k]++
			}
		}
		id := fmt.Sprintf("%s:%d", l.Src, l.Key)
		// Known-good marking, scored on values found and labelled alike:
		// an official number must be marked so, a scam number must not.
		for k, n := range want {
			n = min(n, got[k])
			g, w := min(gotGood[k], n), min(wantGood[k], n)
			tp := min(g, w)
			get(knownGood).tp += tp
			get(knownGood).fp += g - tp
			get(knownGood).fn += w - tp
			if g != w {
				diffs[id] = append(diffs[id], fmt.Sprintf("known-good marking of %s: %d found, %d labelled", k, g, w))
			}
		}
		for k, n := range got {
			kind, _, _ := strings.Cut(k, " ")
			if unsure[k] {
				continue
			}
			tp := min(n, want[k])
			get(kind).tp += tp
			if n > tp {
				get(kind).fp += n - tp
				diffs[id] = append(diffs[id], "unexpected "+k)
			}
		}
		for k, n := range want {
			kind, _, _ := strings.Cut(k, " ")
			if miss := n - min(n, got[k]); miss > 0 {
				get(kind).fn += miss
				diffs[id] = append(diffs[id], "missed "+k)
			}
		}
	}
	return per, diffs
}

// corpusFloors are the precision and recall the extractor must keep on the
// labelled corpus, per kind with enough support to measure. They are set a
// little under the measured figures (docs/benchmarks.md), so that a change
// that loses accuracy fails.
var corpusFloors = map[string][2]float64{
	"phone":  {0.90, 0.85},
	"url":    {0.90, 0.85},
	"email":  {0.90, 0.85},
	"domain": {0.70, 0.70},
}

// heldoutFloors are the floors on the held-out set, labelled after the
// extractor was tuned on the main set and never tuned on.
var heldoutFloors = map[string][2]float64{
	"phone": {0.85, 0.80},
	"url":   {0.85, 0.80},
}

// deployedExtractor is the extractor as Vigil runs it: with the shared
// known-good lists (MISP warninglists, the eth-phishing-detect allow-list)
// that mark official services.
func deployedExtractor(t *testing.T) *Extractor {
	t.Helper()
	var s warninglist.Set
	for _, p := range []string{datasets.Path(t, "indicators", "misp_warninglists"),
		datasets.Path(t, "indicators", "eth_phishing_detect_npm", "config.json")} {
		if err := s.Load(p); err != nil {
			t.Fatal(err)
		}
	}
	return New(Options{KnownGood: &s})
}

func TestCorpus(t *testing.T) {
	for _, set := range []struct {
		file   string
		min    int
		floors map[string][2]float64
	}{{"labels.jsonl", 300, corpusFloors}, {"heldout.jsonl", 100, heldoutFloors}} {
		t.Run(strings.TrimSuffix(set.file, ".jsonl"), func(t *testing.T) {
			ls := loadLabelFile(t, set.file)
			if len(ls) < set.min {
				t.Fatalf("%s has %d messages, want at least %d", set.file, len(ls), set.min)
			}
			texts := corpusTexts(t, ls)
			per, diffs := scoreCorpus(ls, texts, deployedExtractor(t))
			t.Logf("%s, %d messages:\n%s", set.file, len(ls), corpusTable(per))
			if testing.Verbose() {
				var ids []string
				for id := range diffs {
					ids = append(ids, id)
				}
				sort.Strings(ids)
				for _, id := range ids {
					t.Logf("%s: %s", id, strings.Join(diffs[id], "; "))
				}
			}
			for k, floor := range set.floors {
				c := per[k]
				if c == nil {
					t.Errorf("%s: no labels", k)
					continue
				}
				if c.precision() < floor[0] || c.recall() < floor[1] {
					t.Errorf("%s: precision %.3f recall %.3f, floor %.2f/%.2f", k, c.precision(), c.recall(), floor[0], floor[1])
				}
			}
		})
	}
}

// corpusTable formats per-kind figures as a Markdown table.
func corpusTable(per map[string]*tally) string {
	var kinds []string
	for k := range per {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var all tally
	rows := []string{"| kind | labelled | found | precision | recall |", "|---|---|---|---|---|"}
	for _, k := range kinds {
		c := per[k]
		if k != knownGood {
			all.tp, all.fp, all.fn = all.tp+c.tp, all.fp+c.fp, all.fn+c.fn
		}
		rows = append(rows, fmt.Sprintf("| %s | %d | %d | %.3f | %.3f |", k, c.tp+c.fn, c.tp+c.fp, c.precision(), c.recall()))
	}
	rows = append(rows, fmt.Sprintf("| all kinds | %d | %d | %.3f | %.3f |", all.tp+all.fn, all.tp+all.fp, all.precision(), all.recall()))
	return strings.Join(rows, "\n")
}

// TestCorpusGolden pins the extractor's full output on the labelled corpus:
// any change in what is found, where, or how it is described shows up as a
// diff. Run with -update after a deliberate change and review the diff.
func TestCorpusGolden(t *testing.T) {
	ls := loadLabels(t)
	texts := corpusTexts(t, ls)
	x := New(Options{})
	var b strings.Builder
	for i, l := range ls {
		ms := x.Extract(texts[i]).Matches
		for j := range ms {
			if privateSources[l.Src] {
				ms[j].Value = strings.TrimPrefix(scoreKey(l.Src, string(ms[j].Kind), ms[j].Value), string(ms[j].Kind)+" ")
				ms[j].Raw = ""
			}
		}
		line, _ := json.Marshal(struct {
			Src     string  `json:"src"`
			Key     int     `json:"key"`
			Matches []Match `json:"matches"`
		}{l.Src, l.Key, ms})
		b.Write(line)
		b.WriteByte('\n')
	}
	path := filepath.Join("testdata", "corpus", "golden.jsonl")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(b.String(), "\n")); diff != "" {
		t.Errorf("extractor output changed (-golden +now); review and run go test -update if intended:\n%s", diff)
	}
}
