// Package lookup answers "has this been reported?" for a value as a person
// writes it: it reads the value with the extractor, asks the store, and
// adds the confidence model's verdict. The API, the web page and
// "vigil check" give the same answers because they all call Service.
package lookup

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"vigil/internal/extract"
	"vigil/internal/indicator"
	"vigil/internal/report"
	"vigil/internal/store"
)

// MaxBatch is the most values one batch lookup takes.
const MaxBatch = 10000

// ErrInvalid is a value that cannot be read as an indicator.
var ErrInvalid = errors.New("invalid lookup")

// Service answers lookups.
type Service struct {
	X     *extract.Extractor
	Store store.Lookups
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Answer is what Vigil says of one value. It never says who reported.
type Answer struct {
	Query      string         `json:"query"`
	Kind       indicator.Kind `json:"kind"`
	Value      string         `json:"value"`
	Known      bool           `json:"known"`
	Reports    int            `json:"reports"`
	Reporters  int            `json:"reporters"`
	Sources    []string       `json:"sources"`
	FirstSeen  *time.Time     `json:"first_seen,omitempty"`
	LastSeen   *time.Time     `json:"last_seen,omitempty"`
	ScamTypes  []string       `json:"scam_types"`
	NetworkID  string         `json:"network_id,omitempty"`
	Network    int            `json:"network_size"`
	Confidence float64        `json:"confidence"`
	Level      string         `json:"level"`
	KnownGood  bool           `json:"known_good"`
	Warning    string         `json:"warninglist,omitempty"`
	OverCommon bool           `json:"over_common,omitempty"`
	// Trusted counts trusted organisations that reported or verified it.
	Trusted int `json:"trusted_orgs"`
	// Disputed is set while its holder's dispute of the listing is open.
	Disputed bool `json:"disputed"`
	// Other are the value's other readings ("12345678" as a QQ number and
	// as a phone number), each answered the same way.
	Other []Answer `json:"other_readings,omitempty"`
	// Error is set, in a batch, for a value that could not be read.
	Error string `json:"error,omitempty"`
}

// Ask answers one value. kind may be empty (read it from the value);
// region reads national phone numbers (empty: guess).
func (s *Service) Ask(ctx context.Context, q string, kind indicator.Kind, region string) (Answer, error) {
	return s.AskAs(ctx, store.Viewer{}, q, kind, region)
}

// AskAs answers one value from what viewer v may see. It is BatchAs of
// one value without the batch's bookkeeping: lookups of one value are the
// API's hottest path.
func (s *Service) AskAs(ctx context.Context, v store.Viewer, q string, kind indicator.Kind, region string) (Answer, error) {
	var one [1]extract.Match
	ms, recalled, info, err := s.read(v, q, kind, region, one[:0])
	if err != nil {
		return Answer{}, fmt.Errorf("%w: %q %s", ErrInvalid, q, err.Error())
	}
	if recalled {
		infos := [1]store.IndicatorInfo{info}
		return s.best(q, ms, infos[:]), nil
	}
	var keys []store.Key
	if len(ms) == 1 {
		keys = []store.Key{{Kind: ms[0].Kind, Value: ms[0].Value}}
	} else {
		keys = make([]store.Key, len(ms))
		for i, m := range ms {
			keys[i] = store.Key{Kind: m.Kind, Value: m.Value}
		}
	}
	infos, err := s.Store.Lookup(ctx, v, keys)
	if err != nil {
		return Answer{}, fmt.Errorf("lookup: %w", err)
	}
	return s.best(q, ms, infos), nil
}

// reading is how a value was read.
type reading struct {
	ms []extract.Match
	// recalled is set when info is the answer for the one reading, given
	// by the store's memory: no Lookup is needed.
	recalled bool
	info     store.IndicatorInfo
}

// read returns the readings of q, appended to ms: the value itself when
// the store holds it in canonical form, else the extractor's (without
// scanning, for an international number written alone). For the public,
// the store's memory answers a value it holds the answer of, or a number
// it surely lacks, read as written. Its results are a reading's fields,
// apart (in one struct, the compiler would move a single lookup's
// readings off its stack).
func (s *Service) read(v store.Viewer, q string, kind indicator.Kind, region string, ms []extract.Match) (_ []extract.Match, recalled bool, _ store.IndicatorInfo, _ error) {
	m, info, r := s.stored(q, kind)
	switch r {
	case store.RecallAnswer:
		return append(ms, m), v.Public(), info, nil
	case store.RecallHeld:
		return append(ms, m), false, store.IndicatorInfo{}, nil
	}
	if kind == "" {
		if m, ok := s.X.ReadInternational(strings.TrimSpace(q)); ok {
			absent := r == store.RecallAbsent && m.Kind == info.Kind && m.Value == info.Value
			return append(ms, m), absent && v.Public(), info, nil
		}
	}
	ms, err := report.Interpret(s.X, q, kind, region)
	return ms, false, store.IndicatorInfo{}, err
}

// best is the answer for q: its best reading (the first known one, else
// the extractor's first) with the others under it. infos are the store's
// answers for readings, in order.
func (s *Service) best(q string, readings []extract.Match, infos []store.IndicatorInfo) Answer {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	if len(readings) == 1 {
		return answer(q, readings[0], infos[0], now())
	}
	as := make([]Answer, len(readings))
	for j, m := range readings {
		as[j] = answer(q, m, infos[j], now())
	}
	best := 0
	for j, a := range as {
		if a.Known || a.KnownGood {
			best = j
			break
		}
	}
	a := as[best]
	for j, o := range as {
		if j != best {
			a.Other = append(a.Other, o)
		}
	}
	return a
}

// Batch answers many values at once; a value that cannot be read gets an
// answer with Error set rather than failing the batch.
func (s *Service) Batch(ctx context.Context, qs []string, kind indicator.Kind, region string) ([]Answer, error) {
	return s.BatchAs(ctx, store.Viewer{}, qs, kind, region)
}

// BatchAs answers many values from what viewer v may see.
func (s *Service) BatchAs(ctx context.Context, v store.Viewer, qs []string, kind indicator.Kind, region string) ([]Answer, error) {
	if len(qs) > MaxBatch {
		return nil, fmt.Errorf("%w: %d values, at most %d", ErrInvalid, len(qs), MaxBatch)
	}
	rs := make([]reading, len(qs))
	errs := make([]error, len(qs))
	var keys []store.Key
	for i, q := range qs {
		r := &rs[i]
		if r.ms, r.recalled, r.info, errs[i] = s.read(v, q, kind, region, nil); errs[i] != nil || r.recalled {
			continue
		}
		for _, m := range r.ms {
			keys = append(keys, store.Key{Kind: m.Kind, Value: m.Value})
		}
	}
	infos, err := s.Store.Lookup(ctx, v, keys)
	if err != nil {
		return nil, fmt.Errorf("lookup: %w", err)
	}
	out := make([]Answer, len(qs))
	k := 0
	for i, q := range qs {
		switch r := &rs[i]; {
		case errs[i] != nil:
			out[i] = Answer{Query: q, Error: errs[i].Error(), Sources: []string{}, ScamTypes: []string{}}
		case r.recalled:
			out[i] = s.best(q, r.ms, []store.IndicatorInfo{r.info})
		default:
			n := len(r.ms)
			out[i] = s.best(q, r.ms, infos[k:k+n])
			k += n
		}
	}
	return out, nil
}

// recaller is a store that tells at once, from memory, what it holds for
// a key (sqlstore.DB).
type recaller interface {
	Recall(kind indicator.Kind, value string) (store.IndicatorInfo, store.Recall)
}

// walletKinds are the kinds whose canonical form people copy and paste
// exactly as stored.
var walletKinds = []indicator.Kind{indicator.TRX, indicator.ETH, indicator.BTC, indicator.LTC, indicator.DOGE, indicator.XRP, indicator.TON}

// stored reads q without the extractor when it is already the canonical
// form of a value the store holds (RecallHeld or RecallAnswer): an E.164
// phone number or a wallet address pasted as is. Such a value was read and
// validated when it was stored; reading it again would only cost time. An
// E.164 number the store surely lacks is RecallAbsent, with info naming
// it: it still has to be read.
func (s *Service) stored(q string, kind indicator.Kind) (extract.Match, store.IndicatorInfo, store.Recall) {
	h, ok := s.Store.(recaller)
	v := strings.TrimSpace(q)
	if !ok || len(v) < 8 || len(v) > 100 || strings.ContainsAny(v, " \t\n") {
		return extract.Match{}, store.IndicatorInfo{}, store.RecallUnsure
	}
	as := func(k indicator.Kind) extract.Match {
		return extract.Match{Kind: k, Value: v, Raw: v, End: len(v), Confidence: 1}
	}
	switch {
	case v[0] == '+' && allDigits(v[1:]):
		if kind == "" || kind == indicator.Phone {
			info, r := h.Recall(indicator.Phone, v)
			return as(indicator.Phone), info, r
		}
	case len(v) >= 25:
		for _, k := range walletKinds {
			if kind != "" && k != kind {
				continue
			}
			if info, r := h.Recall(k, v); r == store.RecallHeld || r == store.RecallAnswer {
				return as(k), info, r
			}
		}
	}
	return extract.Match{}, store.IndicatorInfo{}, store.RecallUnsure
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func answer(q string, m extract.Match, info store.IndicatorInfo, now time.Time) Answer {
	a := Answer{Query: q, Kind: m.Kind, Value: m.Value, Known: info.Known, Reports: info.Reports,
		Reporters: info.Reporters, Sources: info.Sources, ScamTypes: info.ScamTypes,
		NetworkID: info.NetworkID, Network: info.Network, OverCommon: info.OverCommon, Trusted: info.Trusted, Disputed: info.Disputed}
	if a.Sources == nil {
		a.Sources = []string{}
	}
	if a.ScamTypes == nil {
		a.ScamTypes = []string{}
	}
	if !info.FirstSeen.IsZero() {
		f, l := info.FirstSeen.UTC(), info.LastSeen.UTC()
		a.FirstSeen, a.LastSeen = &f, &l
	}
	switch {
	case info.KnownGood != "":
		a.KnownGood, a.Warning = true, info.KnownGood
	case m.KnownGood:
		a.KnownGood, a.Warning = true, m.Note
	case m.Warning != "":
		a.Warning = m.Warning
	}
	if a.KnownGood {
		a.Known, a.Level = false, report.LevelNone
		return a
	}
	a.Confidence, a.Level = report.Confidence(report.Evidence{Kind: m.Kind, Reporters: info.Reporters, Sources: len(info.Sources), Trusted: info.Trusted, LastSeen: info.LastSeen}, now)
	return a
}

// Matches answers for indicators already found in a text (by the
// extractor), in order, without reading them again.
func (s *Service) Matches(ctx context.Context, ms []extract.Match) ([]Answer, error) {
	keys := make([]store.Key, len(ms))
	for i, m := range ms {
		keys[i] = store.Key{Kind: m.Kind, Value: m.Value}
	}
	infos, err := s.Store.Lookup(ctx, store.Viewer{}, keys)
	if err != nil {
		return nil, fmt.Errorf("lookup: %w", err)
	}
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	out := make([]Answer, len(ms))
	for i, m := range ms {
		out[i] = answer(m.Raw, m, infos[i], now)
	}
	return out, nil
}
