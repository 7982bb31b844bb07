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
	ms, err := s.read(q, kind, region, one[:0])
	if err != nil {
		return Answer{}, fmt.Errorf("%w: %q %s", ErrInvalid, q, err.Error())
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

// read returns the readings of q, appended to ms: the value itself when
// the store holds it in canonical form, else the extractor's (without
// scanning, for an international number written alone).
func (s *Service) read(q string, kind indicator.Kind, region string, ms []extract.Match) ([]extract.Match, error) {
	if m, ok := s.stored(q, kind); ok {
		return append(ms, m), nil
	}
	if kind == "" {
		if m, ok := s.X.ReadInternational(strings.TrimSpace(q)); ok {
			return append(ms, m), nil
		}
	}
	return report.Interpret(s.X, q, kind, region)
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
	readings := make([][]extract.Match, len(qs))
	unread := make([]error, len(qs))
	var keys []store.Key
	for i, q := range qs {
		ms, err := s.read(q, kind, region, nil)
		if err != nil {
			unread[i] = err
			continue
		}
		readings[i] = ms
		for _, m := range ms {
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
		if unread[i] != nil {
			out[i] = Answer{Query: q, Error: unread[i].Error(), Sources: []string{}, ScamTypes: []string{}}
			continue
		}
		n := len(readings[i])
		out[i] = s.best(q, readings[i], infos[k:k+n])
		k += n
	}
	return out, nil
}

// holder is a store that can tell at once whether it holds a key.
type holder interface {
	Holds(kind indicator.Kind, value string) bool
}

// walletKinds are the kinds whose canonical form people copy and paste
// exactly as stored.
var walletKinds = []indicator.Kind{indicator.TRX, indicator.ETH, indicator.BTC, indicator.LTC, indicator.DOGE, indicator.XRP, indicator.TON}

// stored reads q without the extractor when it is already the canonical
// form of a value the store holds: an E.164 phone number or a wallet
// address pasted as is. Such a value was read and validated when it was
// stored; reading it again would only cost time.
func (s *Service) stored(q string, kind indicator.Kind) (extract.Match, bool) {
	h, ok := s.Store.(holder)
	if !ok {
		return extract.Match{}, false
	}
	v := strings.TrimSpace(q)
	if len(v) < 8 || len(v) > 100 || strings.ContainsAny(v, " \t\n") {
		return extract.Match{}, false
	}
	var try []indicator.Kind
	switch {
	case v[0] == '+' && allDigits(v[1:]):
		try = []indicator.Kind{indicator.Phone}
	case len(v) >= 25:
		try = walletKinds
	}
	for _, k := range try {
		if kind != "" && k != kind {
			continue
		}
		if h.Holds(k, v) {
			return extract.Match{Kind: k, Value: v, Raw: v, End: len(v), Confidence: 1}, true
		}
	}
	return extract.Match{}, false
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
