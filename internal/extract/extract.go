// Package extract finds indicators in the messy text that victims paste in
// (an SMS, a chat export, a job ad, a ransom message): phone numbers, links,
// email addresses, wallets, bank accounts, messaging handles and places,
// each in canonical form with its byte offsets, a confidence and, where the
// words around it say so, what it is for (a contact, a payment
// destination, a recruiter, a ransom intermediary).
//
// Text is read as it is written, evasions included: full-width digits,
// Chinese numerals (一三八), digits split by spaces or symbols, defanged links
// (hxxp, [.], (dot), 点). Every checksum is verified: a wallet with a bad
// checksum is not a wallet.
//
// The work is linear in the length of the text: candidates are found by
// byte scanners and only candidates are handed to the (slow) validators.
package extract

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"vigil/internal/indicator"
	"vigil/internal/phrase"
	"vigil/internal/place"
)

// Hint says what the words around an indicator make of it.
type Hint string

// The hints.
const (
	HintNone      Hint = ""
	HintContact   Hint = "contact"   // a way to reach the sender
	HintPayment   Hint = "payment"   // where money is to be sent
	HintRecruiter Hint = "recruiter" // offered in a job or recruitment pitch
	HintRansom    Hint = "ransom"    // named in a ransom demand
)

// Match is one indicator found in a text. Offsets are byte offsets into the
// text given to Extract (UTF-8); Raw is that text between them.
type Match struct {
	Kind       indicator.Kind `json:"kind"`
	Value      string         `json:"value"`
	Raw        string         `json:"raw"`
	Start      int            `json:"start"`
	End        int            `json:"end"`
	Confidence float64        `json:"confidence"`
	Hint       Hint           `json:"hint"`
	// KnownGood marks an official number, a service's own domain or another
	// value on a known-good list: it is recognised, not a scam indicator.
	KnownGood bool `json:"known_good,omitempty"`
	// Region is the region of a phone number; Network the chain or token
	// context of a wallet ("usdt-trc20", "erc20", ...).
	Region  string `json:"region,omitempty"`
	Network string `json:"network,omitempty"`
	// Note names what the value is when Vigil knows ("Police", a place's
	// name) or why its confidence is low.
	Note string `json:"note,omitempty"`
	// Warning names a warninglist of shared infrastructure the value is on
	// (a cloud range, a link shortener): reported, but still an indicator.
	Warning string   `json:"warning,omitempty"`
	Tags    []string `json:"tags,omitempty"`
}

// Tags a match may carry.
const (
	TagDefanged      = "defanged"       // written defanged: hxxp, [.], (dot)
	TagObfuscated    = "obfuscated"     // digits written as numerals, split by symbols, full-width
	TagShortener     = "shortener"      // a link-shortening service
	TagIDN           = "idn"            // an internationalised domain name
	TagRegionGuessed = "region-guessed" // a national number read in a guessed region
	TagShortCode     = "short-code"     // a short number (official or SMS service)
	TagNoChecksum    = "no-checksum"    // an ETH address written in one case
	TagReserved      = "reserved"       // a private, loopback or documentation IP
	TagMasked        = "masked"         // value masked: card numbers
	TagAmbiguous     = "ambiguous"      // a place name with an everyday meaning too
)

// KnownGood tells whether a canonical value is on a list of values that are
// not scam indicators, and why. benign means known-good; otherwise the hit
// is a warning (shared infrastructure such as a cloud range or a link
// shortener). Package warninglist implements it over MISP warninglists.
type KnownGood interface {
	KnownGood(kind indicator.Kind, value string) (note string, benign, ok bool)
}

// Options configure an Extractor.
type Options struct {
	// Region is the ISO 3166 region used to read national phone numbers
	// ("CN"). Empty means: guess from the text (script, currency signs).
	Region string
	// Kinds limits extraction to these kinds; empty means all.
	Kinds []indicator.Kind
	// KnownGood, when set, marks values on known-good lists.
	KnownGood KnownGood
	// Gazetteer finds places; nil means the built-in gazetteer.
	Gazetteer *place.Gazetteer
	// CardKey keys the card-number correlation token (see
	// indicator.CardToken).
	CardKey []byte
}

// phraseCache holds the phrase sets built for each gazetteer: building them
// takes milliseconds, and Extractors are made per request in places.
var phraseCache sync.Map // *place.Gazetteer -> *phrasesEntry

type phrasesEntry struct {
	once               sync.Once
	names              []place.Name
	cues, anchors, all *phrase.Set
}

func phrasesFor(g *place.Gazetteer) ([]place.Name, *phrase.Set, *phrase.Set, *phrase.Set) {
	v, _ := phraseCache.LoadOrStore(g, &phrasesEntry{})
	e := v.(*phrasesEntry)
	e.once.Do(func() {
		e.names = g.Names()
		e.cues, e.anchors, e.all = phraseSets(e.names)
	})
	return e.names, e.cues, e.anchors, e.all
}

// Extractor finds indicators. It is safe for concurrent use.
type Extractor struct {
	opts    Options
	kinds   map[indicator.Kind]bool
	phones  *memo[phoneResult]
	hosts   *memo[hostResult]
	names   []place.Name // the gazetteer's names, by phrase ID
	cueSet  *phrase.Set  // every cue word, read in windows
	anchors *phrase.Set  // messaging keywords and place names, read everywhere
	allSet  *phrase.Set  // both, for short texts read in one pass
}

// New returns an Extractor.
func New(opts Options) *Extractor {
	x := &Extractor{opts: opts, phones: newMemo[phoneResult](1 << 16), hosts: newMemo[hostResult](1 << 14)}
	x.opts.Region = strings.ToUpper(opts.Region)
	if len(opts.Kinds) > 0 {
		x.kinds = map[indicator.Kind]bool{}
		for _, k := range opts.Kinds {
			x.kinds[k] = true
		}
	}
	g := opts.Gazetteer
	if g == nil {
		g = place.Default()
	}
	x.names, x.cueSet, x.anchors, x.allSet = phrasesFor(g)
	return x
}

func (x *Extractor) want(k indicator.Kind) bool { return x.kinds == nil || x.kinds[k] }

// Result is what Extract found in one text.
type Result struct {
	Matches []Match
	// Region is the region national phone numbers were read in; Guessed is
	// true when it was guessed from the text, with GuessReason saying how.
	Region      string
	Guessed     bool
	GuessReason string
}

// Extract finds every indicator in text.
func (x *Extractor) Extract(text string) Result {
	return x.extract(text, 0, len(text))
}

// ExtractRange finds the indicators of text that start in [lo, hi), reading
// the rest of text only as context. Streaming callers use it on overlapping
// windows so that every indicator is reported once.
func (x *Extractor) ExtractRange(text string, lo, hi int) Result {
	return x.extract(text, lo, hi)
}

// shortText is the length up to which a text's cue words are all found in
// the same pass as its anchors: a message, most of whose blocks would be
// searched anyway. Longer texts (streamed files) search cue words lazily.
const shortText = 4 << 10

// scanPool keeps scans for reuse: their slices and buffers would
// otherwise be allocated anew for every message.
var scanPool = sync.Pool{New: func() any { return new(scan) }}

func (x *Extractor) extract(text string, lo, hi int) Result {
	s := scanPool.Get().(*scan)
	defer s.release()
	*s = scan{x: x, orig: text, f: s.f, foldBuf: s.foldBuf, cues: s.cues,
		anchors: s.anchors, places: s.places, found: s.found[:0], claimed: s.claimed[:0], tokBuf: s.tokBuf,
		groupBuf: s.groupBuf}
	if s.f == nil {
		s.f, s.cues = &folded{}, &cueIndex{}
	}
	s.foldBuf = s.f.fold(text, s.foldBuf)
	if len(s.f.text) <= shortText {
		s.anchors, s.places = x.findAll(s.f.text, s.anchors, s.places, s.cues)
	} else {
		s.anchors, s.places = x.findAnchors(s.f.text, s.anchors, s.places)
		s.cues.reset(s.f.text, x.cueSet)
	}
	s.regionSet, s.region = x.opts.Region != "", x.opts.Region
	s.links()
	s.tokens()
	s.handles()
	s.placeNames()
	ms := s.finish(lo, hi)
	res := Result{Matches: ms, Region: s.region, Guessed: s.guessed, GuessReason: s.guessReason}
	if !s.regionSet {
		res.Region, res.Guessed, res.GuessReason = "", false, "no national number needed a region"
	}
	return res
}

// maxPooled is the most items a pooled scan's slices keep between
// extractions: one huge text must not pin its memory for the process's life.
const maxPooled = 1 << 16

// release returns s to scanPool, letting go of the text and of buffers a
// huge text grew.
func (s *scan) release() {
	clear(s.found) // their strings point into the text
	if cap(s.foldBuf) > 16*maxPooled || cap(s.f.shifts) > maxPooled || cap(s.found) > maxPooled ||
		cap(s.claimed) > maxPooled || cap(s.tokBuf) > maxPooled || cap(s.groupBuf) > maxPooled || cap(s.anchors) > maxPooled ||
		cap(s.places) > maxPooled || cap(s.cues.blocks) > maxPooled/cueBlock*16 {
		return // let the collector have it; the pool makes a new one
	}
	s.x, s.orig, s.f.text = nil, "", ""
	s.cues.text = ""
	for i := range s.cues.blocks {
		s.cues.blocks[i] = s.cues.blocks[i][:0]
	}
	scanPool.Put(s)
}

// scan is the state of one extraction.
type scan struct {
	x           *Extractor
	f           *folded
	orig        string
	foldBuf     []byte
	cues        *cueIndex
	anchors     []cueHit // messaging keywords, over the whole text
	places      []placeHit
	region      string // read it through reg(): the guess is made when first needed
	regionSet   bool
	guessed     bool
	guessReason string
	found       []found
	claimed     []span // folded spans taken by links and wallets, sorted
	classified  bool   // the current number run has yielded a number
	tokBuf      []numTok
	groupBuf    []int // numTok.groups of the current number run
}

type span struct{ start, end int }

// found is a match in folded coordinates, before offsets are mapped back.
type found struct {
	Match
	fs, fe   int // folded span
	priority int
}

// Priorities: when two matches overlap, the higher one stays.
const (
	prioPlace = iota
	prioNumber
	prioHandle
	prioLink
	prioWallet
)

// reg returns the region for national phone numbers: the one given, or a
// guess from the text made the first time a number needs it (most texts
// have none, and guessing reads the whole text).
func (s *scan) reg() string {
	if !s.regionSet {
		s.region, s.guessReason = guessRegion(s.f)
		s.guessed, s.regionSet = true, true
	}
	return s.region
}

func (s *scan) add(m Match, fs, fe, prio int) {
	if !s.x.want(m.Kind) {
		return
	}
	s.found = append(s.found, found{Match: m, fs: fs, fe: fe, priority: prio})
}

func (s *scan) claim(fs, fe int) { s.claimed = append(s.claimed, span{fs, fe}) }

// isClaimed reports whether [fs, fe) overlaps a claimed span.
func (s *scan) isClaimed(fs, fe int) bool {
	i := sort.Search(len(s.claimed), func(i int) bool { return s.claimed[i].end > fs })
	return i < len(s.claimed) && s.claimed[i].start < fe
}

func (s *scan) sortClaims() {
	slices.SortFunc(s.claimed, func(a, b span) int { return a.start - b.start })
}

// finish resolves overlaps, maps offsets back to the original text, adds
// hints and known-good marks, and keeps the matches starting in [lo, hi).
func (s *scan) finish(lo, hi int) []Match {
	slices.SortStableFunc(s.found, func(a, b found) int {
		if a.fs != b.fs {
			return a.fs - b.fs
		}
		return (b.fe - b.fs) - (a.fe - a.fs)
	})
	kept := s.found[:0]
	for _, f := range s.found {
		if n := len(kept); n > 0 && f.fs < kept[n-1].fe {
			if f.priority > kept[n-1].priority {
				kept[n-1] = f
			}
			continue
		}
		kept = append(kept, f)
	}
	out := make([]Match, 0, len(kept))
	for _, f := range kept {
		m := f.Match
		m.Start, m.End = s.f.orig(f.fs), s.f.orig(f.fe)
		if m.Start < lo || m.Start >= hi {
			continue
		}
		if m.Kind == indicator.Card {
			m.Raw = indicator.MaskCard(digitsOf(s.orig[m.Start:m.End]))
		} else {
			m.Raw = s.orig[m.Start:m.End]
		}
		if m.Kind != indicator.Place {
			m.Hint = s.hint(m.Kind, f.fs, f.fe)
		}
		s.x.mark(&m)
		if m.KnownGood {
			m.Hint = HintNone
		}
		m.Confidence = math.Round(m.Confidence*100) / 100
		out = append(out, m)
	}
	return out
}

// mark adds the known-good lists' mark to m: known-good, or a warning.
func (x *Extractor) mark(m *Match) {
	if kg := x.opts.KnownGood; kg != nil && !m.KnownGood {
		if note, benign, ok := kg.KnownGood(m.Kind, m.Value); ok && benign {
			m.KnownGood, m.Note = true, note
		} else if ok {
			m.Warning = note
		}
	}
}

// hint reads the cue words around a match (60 bytes before, 24 after).
// A ransom word anywhere there wins. Otherwise a wallet, card or account
// is where money goes (payment); a messaging account or phone number in a
// recruitment pitch is the recruiter's; a messaging account is otherwise a
// way to reach someone (contact); and any other match takes the meaning of
// the nearest cue word.
func (s *scan) hint(k indicator.Kind, fs, fe int) Hint {
	const (
		payCues     = cuePayment | cueBank | cueCard
		contactCues = cueContact | cuePhone | cueDial | cueWeChat | cueQQ | cueTelegram | cueWhatsApp | cueLINE | cueZalo | cueSMS
	)
	nearest, dist := HintNone, 1<<30
	recruiting := false
	consider := func(h cueHit, d int) {
		recruiting = recruiting || h.cue&cueRecruit != 0
		var got Hint
		switch {
		case h.cue&cueRansom != 0:
			got = HintRansom
		case h.cue&cueRecruit != 0:
			got = HintRecruiter
		case h.cue&payCues != 0:
			got = HintPayment
		case h.cue&contactCues != 0:
			got = HintContact
		default:
			return
		}
		if got == HintRansom {
			d = -1 // a ransom demand colours everything near it
		}
		if d < dist {
			nearest, dist = got, d
		}
	}
	lo, hi := max(0, fs-60), min(len(s.f.text), fe+24)
	s.cues.each(lo, hi, func(h cueHit) {
		switch {
		case h.end <= fs && h.end > lo:
			consider(h, fs-h.end)
		case h.start >= fe && h.end <= hi:
			consider(h, h.start-fe+8) // words after count a little less
		}
	})
	switch {
	case nearest == HintRansom:
		return HintRansom
	case k.IsWallet() || k == indicator.Card || k == indicator.BankAccount || k == indicator.IBAN:
		return HintPayment
	case recruiting && (k.IsHandle() || k == indicator.Phone):
		return HintRecruiter
	case k.IsHandle():
		return HintContact
	}
	return nearest
}

func digitsOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// memo remembers answers that are costly to work out and repeat across
// messages: phone validation (libphonenumber costs tens of microseconds a
// number) and host names (the Public Suffix List). It is sharded so that
// concurrent extractions rarely wait on each other, and keyed by a space
// (a region, "" for international numbers or hosts) then a key, so that a
// lookup allocates nothing. Each shard forgets everything when full.
type memo[V any] struct {
	shards [16]memoShard[V]
}

type memoShard[V any] struct {
	mu  sync.Mutex
	m   map[string]map[string]V
	n   int
	max int
}

type phoneResult struct {
	p  indicator.PhoneNumber
	ok bool
}

// hostResult is what indicator.URLHost says of a link's host.
type hostResult struct {
	h    indicator.Host
	text string // canonical form in a URL
	ok   bool
}

func newMemo[V any](max int) *memo[V] {
	c := &memo[V]{}
	for i := range c.shards {
		c.shards[i].m = map[string]map[string]V{}
		c.shards[i].max = max / len(c.shards)
	}
	return c
}

func (c *memo[V]) shard(key string) *memoShard[V] {
	var h uint32 = 2166136261
	for i := 0; i < len(key); i++ {
		h = (h ^ uint32(key[i])) * 16777619
	}
	return &c.shards[h%uint32(len(c.shards))]
}

func (c *memo[V]) get(space, key string) (V, bool) {
	sh := c.shard(key)
	sh.mu.Lock()
	r, ok := sh.m[space][key]
	sh.mu.Unlock()
	return r, ok
}

func (c *memo[V]) put(space, key string, r V) {
	sh := c.shard(key)
	sh.mu.Lock()
	if sh.n >= sh.max {
		clear(sh.m)
		sh.n = 0
	}
	m := sh.m[space]
	if m == nil {
		m = map[string]V{}
		sh.m[strings.Clone(space)] = m
	}
	// Clones: key may be a slice of a large text the memo must not keep.
	m[strings.Clone(key)] = r
	sh.n++
	sh.mu.Unlock()
}

// urlHost is indicator.URLHost, remembered.
func (x *Extractor) urlHost(text string) (indicator.Host, string, bool) {
	if r, ok := x.hosts.get("", text); ok {
		return r.h, r.text, r.ok
	}
	h, ht, err := indicator.URLHost(text)
	x.hosts.put("", text, hostResult{h, ht, err == nil})
	return h, ht, err == nil
}

// domain is indicator.ParseDomain, remembered.
func (x *Extractor) domain(text string) (indicator.Host, bool) {
	if looksIPv4(text) || strings.HasPrefix(text, "[") {
		return indicator.Host{}, false
	}
	h, _, ok := x.urlHost(text)
	return h, ok
}

func looksIPv4(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && s[i] != '.' {
			return false
		}
	}
	return len(s) > 0
}
