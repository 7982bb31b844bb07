package model

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Threshold is the risk above which Evaluate counts a text as flagged.
const Threshold = 0.5

// Metrics are the scam verdict's quality on a group of texts. Precision,
// Recall, F1 and AUC are NaN where undefined (no positives, no flags, one
// class only).
type Metrics struct {
	Group                         string
	N, Pos                        int // texts, of which scams
	TP, FP, FN, TN                int
	Precision, Recall, F1, AUC    float64
	FPR                           float64 // false positives / negatives
	MeanRiskScam, MeanRiskNotScam float64
}

// TypeMetrics are the type model's quality on one scam type, over the scam
// texts whose corpus gives a type.
type TypeMetrics struct {
	Type                  string
	Support, Predicted    int
	Precision, Recall, F1 float64
}

// Report is what Evaluate measured.
type Report struct {
	Overall    Metrics
	BySource   []Metrics
	ByLang     []Metrics
	Types      []TypeMetrics
	TypeLabels []string // rows (true) and columns (predicted) of Confusion
	Confusion  [][]int
	Cross      []CrossResult // filled by CrossSource, if run
}

// scored is one example with the model's verdict.
type scored struct {
	risk float64
	scam bool
}

// Evaluate scores every example with m (pass the Dev examples: Train never
// saw them) and measures the verdict overall, per source and per language,
// and the type model on the examples that have a type.
func Evaluate(m *Model, examples []Example) Report {
	var r Report
	all := make([]scored, len(examples))
	bySource, byLang := map[string][]scored{}, map[string][]scored{}
	labels := map[string]bool{}
	for _, t := range m.types {
		labels[t] = true
	}
	type pair struct{ truth, pred string }
	pairs := []pair{}
	for i, e := range examples {
		risk, types, _ := m.Score(e.Text, e.Lang)
		s := scored{risk, e.Scam}
		all[i] = s
		bySource[e.Source] = append(bySource[e.Source], s)
		lang := e.Lang
		if lang == "" {
			lang = "(other)"
		}
		byLang[lang] = append(byLang[lang], s)
		if e.Scam && e.Type != "" {
			pred := "(none)"
			if len(types) > 0 {
				pred = types[0].Type
			}
			labels[e.Type], labels[pred] = true, true
			pairs = append(pairs, pair{e.Type, pred})
		}
	}
	r.Overall = metrics("all", all)
	r.BySource = groupMetrics(bySource)
	r.ByLang = groupMetrics(byLang)

	r.TypeLabels = sortedKeys(labels)
	idx := map[string]int{}
	for i, l := range r.TypeLabels {
		idx[l] = i
	}
	r.Confusion = make([][]int, len(r.TypeLabels))
	for i := range r.Confusion {
		r.Confusion[i] = make([]int, len(r.TypeLabels))
	}
	for _, p := range pairs {
		r.Confusion[idx[p.truth]][idx[p.pred]]++
	}
	for i, l := range r.TypeLabels {
		tm := TypeMetrics{Type: l}
		for j := range r.TypeLabels {
			tm.Support += r.Confusion[i][j]
			tm.Predicted += r.Confusion[j][i]
		}
		if tm.Support == 0 && tm.Predicted == 0 {
			continue
		}
		tp := r.Confusion[i][i]
		tm.Precision, tm.Recall = ratio(tp, tm.Predicted), ratio(tp, tm.Support)
		tm.F1 = f1(tm.Precision, tm.Recall)
		r.Types = append(r.Types, tm)
	}
	return r
}

func groupMetrics(groups map[string][]scored) []Metrics {
	var out []Metrics
	for name, ss := range groups {
		out = append(out, metrics(name, ss))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Group < out[j].Group })
	return out
}

func metrics(name string, ss []scored) Metrics {
	m := Metrics{Group: name, N: len(ss)}
	var sumPos, sumNeg float64
	for _, s := range ss {
		flag := s.risk >= Threshold
		switch {
		case s.scam && flag:
			m.TP++
		case s.scam:
			m.FN++
		case flag:
			m.FP++
		default:
			m.TN++
		}
		if s.scam {
			m.Pos++
			sumPos += s.risk
		} else {
			sumNeg += s.risk
		}
	}
	m.Precision, m.Recall = ratio(m.TP, m.TP+m.FP), ratio(m.TP, m.TP+m.FN)
	m.F1 = f1(m.Precision, m.Recall)
	m.FPR = ratio(m.FP, m.FP+m.TN)
	m.MeanRiskScam, m.MeanRiskNotScam = sumPos/float64(m.Pos), sumNeg/float64(m.N-m.Pos)
	m.AUC = auc(ss)
	return m
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

func f1(p, r float64) float64 {
	if math.IsNaN(p) || math.IsNaN(r) || p+r == 0 {
		return math.NaN()
	}
	return 2 * p * r / (p + r)
}

// auc is the ROC area: the chance that a random scam scores above a random
// non-scam, ties counting half (Mann-Whitney U).
func auc(ss []scored) float64 {
	s := append([]scored(nil), ss...)
	sort.Slice(s, func(i, j int) bool { return s[i].risk < s[j].risk })
	var pos, neg, rankSum float64
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j].risk == s[i].risk {
			j++
		}
		rank := float64(i+j+1) / 2 // mean 1-based rank of the tie group
		for k := i; k < j; k++ {
			if s[k].scam {
				pos++
				rankSum += rank
			} else {
				neg++
			}
		}
		i = j
	}
	if pos == 0 || neg == 0 {
		return math.NaN()
	}
	return (rankSum - pos*(pos+1)/2) / (pos * neg)
}

// Markdown renders the report as Markdown tables.
func (r Report) Markdown() string {
	var b strings.Builder
	b.WriteString("### Scam verdict (risk >= 0.5)\n\n")
	metricsTable(&b, "group", append([]Metrics{r.Overall}, r.BySource...))
	b.WriteString("\nPer language:\n\n")
	metricsTable(&b, "language", r.ByLang)
	if len(r.Types) > 0 {
		b.WriteString("\n### Scam type (texts whose corpus gives a type)\n\n")
		b.WriteString("| type | support | predicted | precision | recall | F1 |\n|---|--:|--:|--:|--:|--:|\n")
		for _, t := range r.Types {
			fmt.Fprintf(&b, "| %s | %d | %d | %s | %s | %s |\n", t.Type, t.Support, t.Predicted, num(t.Precision), num(t.Recall), num(t.F1))
		}
		b.WriteString("\nConfusion (rows true, columns predicted):\n\n| true \\ predicted |")
		for _, l := range r.TypeLabels {
			fmt.Fprintf(&b, " %s |", l)
		}
		b.WriteString("\n|---|" + strings.Repeat("--:|", len(r.TypeLabels)) + "\n")
		for i, l := range r.TypeLabels {
			fmt.Fprintf(&b, "| %s |", l)
			for _, c := range r.Confusion[i] {
				fmt.Fprintf(&b, " %d |", c)
			}
			b.WriteString("\n")
		}
	}
	if len(r.Cross) > 0 {
		b.WriteString("\n### Cross-source: trained without the test source\n\n")
		b.WriteString("| experiment | test texts | scams | precision | recall | F1 | AUC | FPR |\n|---|--:|--:|--:|--:|--:|--:|--:|\n")
		for _, c := range r.Cross {
			m := c.Metrics
			fmt.Fprintf(&b, "| %s | %d | %d | %s | %s | %s | %s | %s |\n", c.Name, m.N, m.Pos, num(m.Precision), num(m.Recall), num(m.F1), num(m.AUC), num(m.FPR))
		}
		b.WriteString("\n")
		for _, c := range r.Cross {
			fmt.Fprintf(&b, "- %s: trained on %s; tested on %s.\n", c.Name, c.Train, c.Test)
		}
	}
	return b.String()
}

func metricsTable(b *strings.Builder, col string, ms []Metrics) {
	fmt.Fprintf(b, "| %s | texts | scams | precision | recall | F1 | AUC | FPR | mean risk scam / not |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|\n", col)
	for _, m := range ms {
		fmt.Fprintf(b, "| %s | %d | %d | %s | %s | %s | %s | %s | %s / %s |\n", m.Group, m.N, m.Pos,
			num(m.Precision), num(m.Recall), num(m.F1), num(m.AUC), num(m.FPR), num(m.MeanRiskScam), num(m.MeanRiskNotScam))
	}
}

func num(f float64) string {
	if math.IsNaN(f) {
		return "–"
	}
	return fmt.Sprintf("%.3f", f)
}
