// Package screen screens a text for scams: the risk that it is one, the
// scam type it most looks like, and the signals that fired, each with its
// place in the text and an explanation a non-expert understands (in English
// and Chinese).
//
// This is the rule-based half of the screener: explicit, multilingual
// signals (signals.go) read in one pass over the text, plus signals computed
// from the indicators package extract found (a shortened link, a wallet to
// pay, a scam-compound town). Signals knows nothing of any trained model, so
// a model can be combined with it, or checked against it.
package screen

import (
	"slices"
	"sort"
	"strings"

	"vigil/internal/extract"
	"vigil/internal/indicator"
	"vigil/internal/place"
)

// The kinds of text screened. Job-offer signals weigh more in a job ad, and
// some count only there; an unknown kind is read as a message.
const (
	KindMessage = "message"
	KindChat    = "chat"
	KindEmail   = "email"
	KindJob     = "job"
)

// Verdicts.
const (
	VerdictScam       = "scam"
	VerdictSuspicious = "suspicious"
	VerdictNoSign     = "no_sign"
)

// Verdict thresholds on Risk. One strong signal ("safe account", 0.6) is a
// scam on its own; two strong signs of 0.3 (0.51), or one of 0.35 with
// weak ones, are suspicious; a lone weak sign (a link to click, "urgent",
// under 0.3) is not, since honest messages carry those too.
const (
	ScamAt       = 0.6
	SuspiciousAt = 0.3
)

// Signal is one sign of a scam found in a text.
type Signal struct {
	ID    string   `json:"id"`    // stable ID from the table: "safe-account"
	Types []string `json:"types"` // the scam types it points to, strongest first
	// Weight is its weight toward risk in this text: the table's, scaled
	// for job-offer signals by whether the text is a job ad. Negative for
	// a sign against (an anti-fraud warning).
	Weight float64 `json:"weight"`
	Start  int     `json:"start"` // byte offsets into the text
	End    int     `json:"end"`
	Text   string  `json:"text"` // text[Start:End]
	// Explain says what it means, by language: "en" and "zh-Hans". It
	// may be shared with the table and other results: do not modify it.
	Explain map[string]string `json:"explain"`
	// Lang is the language of the phrase that matched ("zh-Hans",
	// "zh-Hant", "zh" for a phrase written alike in both, "en", "id",
	// "th", "vi"); empty for a signal computed from indicators.
	Lang string `json:"lang,omitempty"`
}

// TypeScore is the share of the signals' weight that points to a scam type.
type TypeScore struct {
	Type  string  `json:"type"`
	Score float64 `json:"score"`
}

// Result is the screening of one text.
type Result struct {
	Risk       float64 // in [0, 1]
	Verdict    string  // VerdictScam, VerdictSuspicious or VerdictNoSign
	Type       string  // the likeliest scam type (report.ScamTypes code); empty for no_sign
	TypeScores []TypeScore
	Signals    []Signal
	// Lang is the text's main language as guessed from its script and
	// words; LangSupported says whether the signal table covers it.
	Lang          string
	LangSupported bool
	Note          string
}

// Defs returns the signal table. The caller must not modify it.
func Defs() []Def { return defs }

// Signals finds the signals in text. kind is one of the Kind constants;
// matches are what package extract found in the same text (their offsets
// must be into text), read for the signals that indicators give.
func Signals(text, kind string, matches []extract.Match) []Signal {
	t := load()
	var buf [32]hit
	hits := dropInLinks(t.scan(text, buf[:0]), matches)
	jobAd := kind == KindJob
	for _, h := range hits {
		if h.role == t.recruit || h.role == t.highPay ||
			h.role >= 0 && isJobSignal(&defs[h.role]) {
			jobAd = true
			break
		}
	}
	var out []Signal
	emit := func(di int, start, end int, lang string, explain map[string]string) {
		d := &defs[di]
		w, ok := weightIn(d, kind, jobAd)
		if !ok || count(out, d.ID) >= maxPerSignal {
			return
		}
		if explain == nil {
			explain = d.Explain
		}
		out = append(out, Signal{ID: d.ID, Types: typeNames(d.Types), Weight: w,
			Start: start, End: end, Text: text[start:end], Explain: explain, Lang: lang})
	}
	for _, h := range hits {
		if h.role >= 0 {
			emit(int(h.role), h.start, h.end, h.lang, nil)
		}
	}
	for di := range defs {
		if defs[di].Pair[0] != "" {
			if a, b, ok := t.pair(text, hits, &defs[di]); ok {
				emit(di, min(a.start, b.start), max(a.end, b.end), b.lang, nil)
			}
		}
	}
	fromMatches(t, text, hits, matches, jobAd, emit)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Start != out[j].Start {
			return out[i].Start < out[j].Start
		}
		if out[i].End != out[j].End {
			return out[i].End < out[j].End
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// dropInLinks drops the phrases found inside a link or an email address:
// "hadiah" in "bit.ly/hadiah-shp" is part of the link's name, and the link
// has its own signals.
func dropInLinks(hits []hit, matches []extract.Match) []hit {
	n := 0
	for _, h := range hits {
		keep := true
		for i := range matches {
			m := &matches[i]
			if (m.Kind == indicator.URL || m.Kind == indicator.Domain || m.Kind == indicator.Email) &&
				h.start >= m.Start && h.end <= m.End {
				keep = false
				break
			}
		}
		if keep {
			hits[n] = h
			n++
		}
	}
	return hits[:n]
}

// isJobSignal reports whether a phrase signal says by itself that a text
// is a job ad ("包机票"; not "加微信", which is mostly job but not only).
func isJobSignal(d *Def) bool {
	return d.Job && !d.JobOnly && len(d.Types) > 0 && d.Types[0].Type == "job" && d.Types[0].Weight >= jobPrimaryShare
}

// weightIn is a signal's weight in a text of the kind given: job-offer
// signals weigh a quarter more in a text sent as a job ad, as much in one
// that reads as a job ad, and less (or, for roles like 客服, nothing)
// elsewhere.
func weightIn(d *Def, kind string, jobAd bool) (float64, bool) {
	w := d.Weight
	if !d.Job {
		return w, true
	}
	switch {
	case kind == KindJob:
		return min(0.9, w*1.25), true
	case jobAd:
		return w, true
	case d.JobOnly:
		return 0, false
	}
	return w * 0.6, true
}

func count(sigs []Signal, id string) int {
	n := 0
	for i := range sigs {
		if sigs[i].ID == id {
			n++
		}
	}
	return n
}

func typeNames(ts []TypeWeight) []string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.Type
	}
	return names
}

// pair finds the closest hits of a signal's two cue groups within d.Near
// bytes of each other. A salary word followed by a high amount ("月薪2万")
// counts as a high-pay word.
func (t *table) pair(text string, hits []hit, d *Def) (hit, hit, bool) {
	ra, rb := t.cue[d.Pair[0]], t.cue[d.Pair[1]]
	var best [2]hit
	bestGap := -1
	for _, a := range hits {
		if a.role != ra {
			if ra != t.highPay || a.role != t.salary {
				continue
			}
			end, ok := highAmount(text, a.end, a.lang)
			if !ok {
				continue
			}
			a.end = end
		}
		for _, b := range hits {
			if b.role != rb {
				continue
			}
			gap := max(b.start-a.end, a.start-b.end, 0)
			if gap <= d.Near && (bestGap < 0 || gap < bestGap) {
				best, bestGap = [2]hit{a, b}, gap
			}
		}
	}
	return best[0], best[1], bestGap >= 0
}

// messaging are the kinds of messaging-app handles.
var messaging = map[indicator.Kind]bool{indicator.WeChat: true, indicator.QQ: true, indicator.Telegram: true,
	indicator.WhatsApp: true, indicator.LINE: true, indicator.Zalo: true}

// callbackNear is how far before a phone number (and half as far after) a
// word asking to call it is looked for.
const callbackNear = 60

// fromMatches emits the signals computed from the extractor's matches.
func fromMatches(t *table, text string, hits []hit, matches []extract.Match, jobAd bool,
	emit func(di, start, end int, lang string, explain map[string]string)) {
	places := map[string]bool{}
	for _, m := range matches {
		if m.Start < 0 || m.Start > m.End || m.End > len(text) || m.KnownGood {
			continue
		}
		switch {
		case (m.Kind == indicator.URL || m.Kind == indicator.Domain) && slices.Contains(m.Tags, extract.TagShortener):
			emit(defIndex["link-shortener"], m.Start, m.End, "", nil)
		case m.Kind.IsWallet() && (m.Hint == extract.HintPayment || m.Hint == extract.HintRansom):
			emit(defIndex["wallet-payment"], m.Start, m.End, "", nil)
		case messaging[m.Kind] && (m.Hint == extract.HintContact || m.Hint == extract.HintRecruiter):
			emit(defIndex["messaging-handle"], m.Start, m.End, "", nil)
		case m.Kind == indicator.Phone && askedToCall(t, hits, m):
			emit(defIndex["phone-callback"], m.Start, m.End, "", nil)
		case m.Kind == indicator.Place && !places[m.Value]:
			places[m.Value] = true
			id := "scam-hub-place"
			if jobAd {
				id = "job-hub-destination"
			}
			di := defIndex[id]
			en, zh := placeNames(m)
			explain := map[string]string{
				"en":      strings.ReplaceAll(defs[di].Explain["en"], "{place}", en),
				"zh-Hans": strings.ReplaceAll(defs[di].Explain["zh-Hans"], "{place}", zh),
			}
			emit(di, m.Start, m.End, "", explain)
		}
	}
}

func askedToCall(t *table, hits []hit, m extract.Match) bool {
	cb := t.callback
	for _, h := range hits {
		if h.role == cb && h.end <= m.Start+1 && m.Start-h.end <= callbackNear ||
			h.role == cb && h.start >= m.End && h.start-m.End <= callbackNear/2 {
			return true
		}
	}
	return false
}

// placeNames returns a place's name in English and Chinese: the extractor's
// note, and the gazetteer's Chinese name where it has one.
func placeNames(m extract.Match) (en, zh string) {
	en, zh = m.Note, m.Note
	if en == "" {
		en, zh = m.Raw, m.Raw
	}
	if p, ok := place.Default().ByID(m.Value); ok {
		if en == "" {
			en, zh = p.Name, p.Name
		}
		for _, a := range p.Aliases {
			if a.Lang == "zh" && !a.Ambiguous {
				zh = a.Text
				break
			}
		}
	}
	return en, zh
}

// defIndex maps a signal ID to its index in defs.
var defIndex = func() map[string]int {
	m := make(map[string]int, len(defs))
	for i, d := range defs {
		m[d.ID] = i
	}
	return m
}()
