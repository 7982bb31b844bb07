package model

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"unicode/utf8"
)

// Example is one labelled text.
type Example struct {
	Text   string
	Lang   string // the corpus's language, or Detect's guess where it gives none
	Source string // corpus, e.g. "sms/uci"
	Type   string // scam type code, "" when not a scam or the corpus does not say
	Scam   bool
	Label  string // the corpus's own label, for reports ("spam", "smishing", ...)
	Dev    bool   // held out: Train skips it
}

// Options tune Train.
type Options struct {
	Bits     uint    // log2 of the scam model's weights (default 18)
	TypeBits uint    // log2 of the type model's buckets (default 16)
	Epochs   int     // passes over the data (default 6)
	Rate     float64 // Adagrad learning rate (default 0.5)
	L2       float64 // L2 penalty per update (default 1e-6)
	Seed     uint64  // shuffling seed
}

// DefaultOptions are the options the shipped model was trained with.
func DefaultOptions() Options {
	return Options{Bits: 18, TypeBits: 16, Epochs: 6, Rate: 0.5, L2: 1e-6, Seed: 1}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.Bits == 0 {
		o.Bits = d.Bits
	}
	if o.TypeBits == 0 {
		o.TypeBits = d.TypeBits
	}
	if o.Epochs == 0 {
		o.Epochs = d.Epochs
	}
	if o.Rate == 0 {
		o.Rate = d.Rate
	}
	if o.L2 == 0 {
		o.L2 = d.L2
	}
	o.Bits = min(max(o.Bits, 8), 24)
	o.TypeBits = min(max(o.TypeBits, 8), 22)
	return o
}

// encoded is an example's features, extracted once for all epochs.
type encoded struct {
	hashes []uint32
	nShape int // the last nShape hashes are shape features
	vNgram float32
	y      float32
	weight float32
	typ    int // index into the type list, -1 if none
}

// Train fits a model on the examples that are not Dev. Each corpus (and
// within it each class) is weighted by 1/sqrt(its size), so that the big
// Chinese and NUS sets do not drown the small real-world ones while still
// counting for more than a 50-message set. The scam model is a logistic
// regression, the type model a softmax regression over the scam examples
// that have a type; both are trained by Adagrad with lazy L2.
func Train(examples []Example, opts Options) *Model {
	opts = opts.withDefaults()
	m := &Model{bits: opts.Bits, typeBits: opts.TypeBits}

	var train []Example
	langs, sources, types := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, e := range examples {
		if e.Dev {
			continue
		}
		train = append(train, e)
		if e.Lang != "" {
			langs[e.Lang] = true
		}
		sources[e.Source] = true
		if e.Scam && e.Type != "" {
			types[e.Type] = true
		}
	}
	m.langs, m.sources, m.types = sortedKeys(langs), sortedKeys(sources), sortedKeys(types)
	typeIndex := map[string]int{}
	for i, t := range m.types {
		typeIndex[t] = i
	}

	// Group sizes for the weights: (source, scam) for the scam model,
	// (source, type) for the type model.
	group := map[string]int{}
	for _, e := range train {
		group[groupKey(e.Source, e.Scam)]++
		if e.Scam && e.Type != "" {
			group["type:"+e.Source+"/"+e.Type]++
		}
	}
	var x extractor
	enc := make([]encoded, len(train))
	var sumW, sumTW float64
	nTyped := 0
	for i, e := range train {
		feats := x.extract(e.Text, "")
		vn, _ := values(feats)
		h := make([]uint32, len(feats))
		ns := 0
		for j, f := range feats {
			h[j] = f.hash
			if f.kind == kindShape {
				ns++
			}
		}
		enc[i] = encoded{hashes: h, nShape: ns, vNgram: vn, typ: -1,
			weight: float32(1 / math.Sqrt(float64(group[groupKey(e.Source, e.Scam)])))}
		if e.Scam {
			enc[i].y = 1
			if t, ok := typeIndex[e.Type]; ok {
				enc[i].typ = t
				sumTW += 1 / math.Sqrt(float64(group["type:"+e.Source+"/"+e.Type]))
				nTyped++
			}
		}
		sumW += float64(enc[i].weight)
	}
	// Normalise the weights to a mean of 1, so the rate means the same
	// whatever the corpus mix.
	for i := range enc {
		enc[i].weight *= float32(float64(len(enc)) / sumW)
	}

	rng := rand.New(rand.NewPCG(opts.Seed, 0x5ca1ab1e))
	order := make([]int, len(enc))
	for i := range order {
		order[i] = i
	}
	m.w = make([]float32, 1<<m.bits)
	g := make([]float32, 1<<m.bits)
	var gBias float32
	mask := uint32(1)<<m.bits - 1
	rate, l2 := float32(opts.Rate), float32(opts.L2)
	for range opts.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			e := &enc[i]
			z := m.bias
			nn := len(e.hashes) - e.nShape
			for j, h := range e.hashes {
				v := e.vNgram
				if j >= nn {
					v = 1
				}
				z += m.w[h&mask] * v
			}
			p := float32(sigmoid(float64(z)))
			d := (p - e.y) * e.weight
			gBias += d * d
			m.bias -= rate * d / float32(math.Sqrt(float64(gBias)+1e-8))
			for j, h := range e.hashes {
				v := e.vNgram
				if j >= nn {
					v = 1
				}
				b := h & mask
				grad := d*v + l2*m.w[b]
				g[b] += grad * grad
				m.w[b] -= rate * grad / float32(math.Sqrt(float64(g[b])+1e-8))
			}
		}
	}
	if len(m.types) > 0 {
		trainTypes(m, train, enc, group, float32(float64(nTyped)/sumTW), opts, rng, order)
	}
	return m
}

// trainTypes fits the softmax type model on the typed scam examples.
func trainTypes(m *Model, train []Example, enc []encoded, group map[string]int, norm float32, opts Options, rng *rand.Rand, order []int) {
	k := len(m.types)
	m.typeBias = make([]float32, k)
	m.tw = make([]float32, k<<m.typeBits)
	g := make([]float32, len(m.tw))
	gBias := make([]float32, k)
	tmask := uint32(1)<<m.typeBits - 1
	rate, l2 := float32(opts.Rate), float32(opts.L2)
	z := make([]float64, k)
	for range opts.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			e := &enc[i]
			if e.typ < 0 {
				continue
			}
			weight := norm / float32(math.Sqrt(float64(group["type:"+train[i].Source+"/"+train[i].Type])))
			nn := len(e.hashes) - e.nShape
			for j := range z {
				z[j] = float64(m.typeBias[j])
			}
			for j, h := range e.hashes {
				v := float64(e.vNgram)
				if j >= nn {
					v = 1
				}
				row := m.tw[int(h&tmask)*k:][:k]
				for c, w := range row {
					z[c] += float64(w) * v
				}
			}
			softmax(z)
			for c := range k {
				d := float32(z[c]) * weight
				if c == e.typ {
					d -= weight
				}
				gBias[c] += d * d
				m.typeBias[c] -= rate * d / float32(math.Sqrt(float64(gBias[c])+1e-8))
				for j, h := range e.hashes {
					v := e.vNgram
					if j >= nn {
						v = 1
					}
					b := int(h&tmask)*k + c
					grad := d*v + l2*m.tw[b]
					g[b] += grad * grad
					m.tw[b] -= rate * grad / float32(math.Sqrt(float64(g[b])+1e-8))
				}
			}
		}
	}
}

func groupKey(source string, scam bool) string {
	if scam {
		return source + "/scam"
	}
	return source + "/not"
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// textKey is the identity of a text for de-duplication and the dev split:
// lower-cased with runs of spaces collapsed, so that copies differing in
// case or spacing land together.
func textKey(text string) uint64 {
	h := fnv.New64a()
	space := false
	var buf [4]byte
	for _, r := range text {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0' || r == '\u3000' {
			space = true
			continue
		}
		if space {
			h.Write([]byte{' '})
			space = false
		}
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		n := utf8.EncodeRune(buf[:], r)
		h.Write(buf[:n])
	}
	return h.Sum64()
}

// isDev puts about a fifth of all texts in the development split, by the
// text alone: the same text is in the same split whatever corpus it came
// from, and the split does not move when corpora are added.
func isDev(key uint64) bool { return (key>>32)%5 == 0 }

// Split returns the training and development examples.
func Split(examples []Example) (train, dev []Example) {
	for _, e := range examples {
		if e.Dev {
			dev = append(dev, e)
		} else {
			train = append(train, e)
		}
	}
	return train, dev
}

// Only returns the examples from the given sources.
func Only(examples []Example, sources ...string) []Example {
	var out []Example
	for _, e := range examples {
		if slices.Contains(sources, e.Source) {
			out = append(out, e)
		}
	}
	return out
}

// Without returns the examples not from the given sources.
func Without(examples []Example, sources ...string) []Example {
	var out []Example
	for _, e := range examples {
		if !slices.Contains(sources, e.Source) {
			out = append(out, e)
		}
	}
	return out
}
