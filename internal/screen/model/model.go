// Package model is the machine-learned half of Vigil's scam screener: a
// hashed-feature linear model that says how likely a text (SMS, chat,
// e-mail, job ad) is a scam and which kind of scam, trained on the public
// corpora under ../shared/data. It also detects the text's language, so the
// caller can refuse to score a language the model has never seen.
//
// Scam here means a message trying to defraud: phishing, smishing, fake
// jobs, impersonation, premium-rate prize traps, loan and romance lures.
// Plain marketing spam is not a scam; see Corpus for how each corpus's
// labels are mapped.
package model

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sync"
)

// TypeScore is the probability of one scam type (a report.ScamTypes
// code), given that the text is a scam.
type TypeScore struct {
	Type string
	P    float64
}

// Feature is one feature that moved a score: the words or characters (or a
// class such as "<url>") and how much it added to the log-odds of scam.
type Feature struct {
	Text   string
	Weight float64
}

// Model is a trained screener. It is safe for concurrent use.
type Model struct {
	bits     uint    // the scam model has 1<<bits weights
	typeBits uint    // the type model has len(types)<<typeBits weights
	bias     float32 // scam log-odds intercept
	w        []float32
	types    []string // scam types the type model knows
	typeBias []float32
	tw       []float32 // tw[bucket*len(types)+k]
	langs    []string  // languages with training data
	sources  []string  // corpora it was trained on

	pool sync.Pool // *extractor
}

// Langs returns the languages the model was trained on.
func (m *Model) Langs() []string { return slices.Clone(m.langs) }

// Types returns the scam types the model can name.
func (m *Model) Types() []string { return slices.Clone(m.types) }

// Sources returns the corpora the model was trained on.
func (m *Model) Sources() []string { return slices.Clone(m.sources) }

// Seen reports whether the model was trained on texts in lang.
func (m *Model) Seen(lang string) bool { return lang != "" && slices.Contains(m.langs, lang) }

// maxContrib is how many features Score explains.
const maxContrib = 8

// Score returns the probability that text is a scam, the scam types from
// most to least likely (nil when risk is below 0.05), and the features that moved the score most (by
// absolute effect, largest first).
//
// lang is the text's language as Detect gave it. The features are chosen by
// script, not by language, so the score does not depend on lang; the
// caller decides from Detect's confidence and Seen whether to trust it.
func (m *Model) Score(text, lang string) (risk float64, types []TypeScore, contributions []Feature) {
	return m.ScoreTypesIf(text, lang, func(risk float64) bool { return risk >= minTypeRisk })
}

// ScoreTypesIf is Score, naming scam types and contributions only when
// wantTypes(risk) says they are needed: the type model costs as much again
// as the risk model.
func (m *Model) ScoreTypesIf(text, lang string, wantTypes func(risk float64) bool) (risk float64, types []TypeScore, contributions []Feature) {
	x, _ := m.pool.Get().(*extractor)
	if x == nil {
		x = new(extractor)
	}
	defer m.pool.Put(x)
	feats := x.extract(text, "")
	vNgram, _ := values(feats)

	mask := uint32(1)<<m.bits - 1
	z := m.bias
	for _, f := range feats {
		v := vNgram
		if f.kind == kindShape {
			v = 1
		}
		z += m.w[f.hash&mask] * v
	}
	risk = sigmoid(float64(z))
	if !wantTypes(risk) {
		// No details wanted: the common case costs one pass.
		return risk, nil, nil
	}
	// Keep the largest effects on distinct features; a repeated feature
	// shows its effect once.
	var top [maxContrib]struct {
		bucket uint32
		c      float32
		f      int
	}
	nTop, low := 0, 0
	var floor float32 // the smallest |effect| kept, once top is full
	for i, f := range feats {
		v := vNgram
		if f.kind == kindShape {
			v = 1
		}
		b := f.hash & mask
		c := m.w[b] * v
		a := abs32(c)
		if a <= floor || c == 0 {
			continue
		}
		dup := false
		for k := range nTop {
			if top[k].bucket == b {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		if nTop < maxContrib {
			top[nTop].bucket, top[nTop].c, top[nTop].f = b, c, i
			nTop++
			if nTop < maxContrib {
				continue
			}
		} else {
			top[low].bucket, top[low].c, top[low].f = b, c, i
		}
		low = 0
		for k := 1; k < nTop; k++ {
			if abs32(top[k].c) < abs32(top[low].c) {
				low = k
			}
		}
		floor = abs32(top[low].c)
	}
	contributions = make([]Feature, 0, nTop)
	for _, t := range top[:nTop] {
		contributions = append(contributions, Feature{Text: describe(text, feats[t.f]), Weight: float64(t.c)})
	}
	slices.SortStableFunc(contributions, func(a, b Feature) int {
		return cmp.Compare(math.Abs(b.Weight), math.Abs(a.Weight))
	})
	if wantTypes(risk) {
		types = m.typeScores(feats, vNgram)
	}
	return risk, types, contributions
}

// minTypeRisk is the risk below which Score names no scam type: the type
// of a text that is not a scam means nothing, and skipping it saves a fifth
// of the time on ordinary messages.
const minTypeRisk = 0.05

// typeScores is the softmax of the type model over feats.
func (m *Model) typeScores(feats []feature, vNgram float32) []TypeScore {
	k := len(m.types)
	if k == 0 {
		return nil
	}
	var zbuf [32]float32
	z := zbuf[:k:k]
	if k > len(zbuf) {
		z = make([]float32, k)
	}
	copy(z, m.typeBias)
	tmask := uint32(1)<<m.typeBits - 1
	for _, f := range feats {
		v := vNgram
		if f.kind == kindShape {
			v = 1
		}
		row := m.tw[int(f.hash&tmask)*k:][:k]
		for j, w := range row {
			z[j] += w * v
		}
	}
	p := make([]float64, k)
	for j, v := range z {
		p[j] = float64(v)
	}
	softmax(p)
	ts := make([]TypeScore, k)
	for j := range ts {
		ts[j] = TypeScore{Type: m.types[j], P: p[j]}
	}
	slices.SortStableFunc(ts, func(a, b TypeScore) int { return cmp.Compare(b.P, a.P) })
	return ts
}

// values returns the value of each n-gram feature and of each shape
// feature: n-grams are scaled by 1/sqrt(count) so that a long text does not
// outweigh a short one; shape features count 1.
func values(feats []feature) (ngram, shape float32) {
	n := 0
	for _, f := range feats {
		if f.kind != kindShape {
			n++
		}
	}
	if n == 0 {
		return 0, 1
	}
	return float32(1 / math.Sqrt(float64(n))), 1
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

func softmax(z []float64) {
	hi := math.Inf(-1)
	for _, v := range z {
		hi = max(hi, v)
	}
	sum := 0.0
	for j, v := range z {
		z[j] = math.Exp(v - hi)
		sum += z[j]
	}
	for j := range z {
		z[j] /= sum
	}
}

func abs32(f float32) float32 { return math.Float32frombits(math.Float32bits(f) &^ (1 << 31)) }

// The file format: gzip of a little-endian stream, magic and version,
// then the sizes, the strings, and the weights quantised to int16 with one
// scale per weight table.
const (
	magic   = "VGSM"
	version = 1
)

// Save writes the model to w.
func (m *Model) Save(w io.Writer) error {
	z := gzip.NewWriter(w)
	bw := bufio.NewWriter(z)
	put := func(v any) {
		// bufio.Writer keeps the first error; binary.Write cannot fail otherwise.
		_ = binary.Write(bw, binary.LittleEndian, v)
	}
	bw.WriteString(magic)
	put(uint32(version))
	put([]uint32{uint32(m.bits), uint32(m.typeBits)})
	for _, list := range [][]string{m.types, m.langs, m.sources} {
		put(uint32(len(list)))
		for _, s := range list {
			put(uint32(len(s)))
			bw.WriteString(s)
		}
	}
	put(m.bias)
	put(m.typeBias)
	for _, table := range [][]float32{m.w, m.tw} {
		scale, q := quantise(table)
		put(scale)
		put(q)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("model: save: %w", err)
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("model: save: %w", err)
	}
	return nil
}

func quantise(w []float32) (float32, []int16) {
	var hi float32
	for _, v := range w {
		hi = max(hi, abs32(v))
	}
	scale := hi / math.MaxInt16
	q := make([]int16, len(w))
	if scale == 0 {
		return 0, q
	}
	for i, v := range w {
		q[i] = int16(math.Round(float64(v / scale)))
	}
	return scale, q
}

// ErrFormat reports a model file Load cannot read.
var ErrFormat = errors.New("not a model file")

// Load reads a model written by Save.
func Load(r io.Reader) (*Model, error) {
	z, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("model: load: %w: %w", ErrFormat, err)
	}
	br := bufio.NewReader(z)
	m := new(Model)
	var failed error
	get := func(v any) {
		if failed == nil {
			failed = binary.Read(br, binary.LittleEndian, v)
		}
	}
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(br, head); err != nil || string(head) != magic {
		return nil, fmt.Errorf("model: load: %w", ErrFormat)
	}
	var ver uint32
	var bits [2]uint32
	get(&ver)
	get(&bits)
	if failed != nil || ver != version || bits[0] < 8 || bits[0] > 24 || bits[1] < 8 || bits[1] > 22 {
		return nil, fmt.Errorf("model: load: %w: version %d, bits %v", ErrFormat, ver, bits)
	}
	m.bits, m.typeBits = uint(bits[0]), uint(bits[1])
	for _, list := range []*[]string{&m.types, &m.langs, &m.sources} {
		var n uint32
		get(&n)
		if failed != nil || n > 1000 {
			return nil, fmt.Errorf("model: load: %w", ErrFormat)
		}
		for range n {
			var l uint32
			get(&l)
			if failed != nil || l > 1000 {
				return nil, fmt.Errorf("model: load: %w", ErrFormat)
			}
			b := make([]byte, l)
			if _, err := io.ReadFull(br, b); err != nil {
				return nil, fmt.Errorf("model: load: %w: %w", ErrFormat, err)
			}
			*list = append(*list, string(b))
		}
	}
	get(&m.bias)
	m.typeBias = make([]float32, len(m.types))
	get(m.typeBias)
	for _, t := range []struct {
		dst *[]float32
		n   int
	}{{&m.w, 1 << m.bits}, {&m.tw, len(m.types) << m.typeBits}} {
		var scale float32
		get(&scale)
		q := make([]int16, t.n)
		get(q)
		*t.dst = make([]float32, t.n)
		for i, v := range q {
			(*t.dst)[i] = float32(v) * scale
		}
	}
	if failed != nil {
		return nil, fmt.Errorf("model: load: %w: %w", ErrFormat, failed)
	}
	return m, nil
}
