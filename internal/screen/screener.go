package screen

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"vigil/internal/extract"
	"vigil/internal/indicator"
	"vigil/internal/lookup"
	"vigil/internal/report"
	"vigil/internal/screen/model"
)

// Screener screens texts with the trained model, the signal table and,
// when a store is at hand, what is known of the indicators in the text.
type Screener struct {
	X     *extract.Extractor
	Model *model.Model    // model.Shipped() when nil
	Known *lookup.Service // optional: lookups of the text's indicators
}

// Options say what a text is.
type Options struct {
	Kind string // message, chat, email, job; empty: message
	Lang string // zh, en, id, th, vi; empty: detect
}

// MaxText is the longest text screened, in bytes.
const MaxText = 1 << 20

// ErrInvalid is a text or an option that cannot be screened.
var ErrInvalid = errors.New("invalid screening request")

// Answer is the screening of one text, as the API, the CLI and the web page
// give it.
type Answer struct {
	Risk       float64     `json:"risk"`
	Verdict    string      `json:"verdict"`
	Type       string      `json:"type,omitempty"`
	TypeScores []TypeScore `json:"type_scores"`
	Signals    []Signal    `json:"signals"`
	// Lang is the language read (given or detected); LangSeen says whether
	// the model was trained on it. When not, the model is not used and
	// only language-independent signals count, and Note says so.
	Lang     string `json:"lang"`
	LangSeen bool   `json:"lang_seen"`
	Note     string `json:"note,omitempty"`
	// ModelRisk and RulesRisk are the two halves before they are combined.
	ModelRisk  *float64    `json:"model_risk,omitempty"`
	RulesRisk  float64     `json:"rules_risk"`
	Indicators []Indicator `json:"indicators"`
}

// Indicator is an indicator found in the text, with what Vigil knows of it
// when a store is at hand.
type Indicator struct {
	extract.Match
	Lookup *lookup.Answer `json:"lookup,omitempty"`
}

// Screen screens one text.
//
// Combination: with a language the model was trained on, risk is
// 1 − (1 − model)·(1 − rules): either half can raise it, neither can
// lower the other. With another language the model is not used (it would
// score what it has never seen) and only the signals computed from
// indicators count. A value reported to Vigil adds a signal of weight
// 0.25 + 0.6·confidence. The scam type is the one with the largest share
// of both halves' weight.
func (s *Screener) Screen(ctx context.Context, text string, o Options) (Answer, error) {
	switch o.Kind {
	case "", KindMessage, KindChat, KindEmail, KindJob:
	default:
		return Answer{}, fmt.Errorf("%w: unknown kind %q: want message, chat, email or job", ErrInvalid, o.Kind)
	}
	switch o.Lang {
	case "", model.LangZh, model.LangEn, model.LangID, model.LangTh, model.LangVi:
	default:
		if len(o.Lang) > 35 {
			return Answer{}, fmt.Errorf("%w: lang is not a language tag", ErrInvalid)
		}
	}
	if !utf8.ValidString(text) {
		return Answer{}, fmt.Errorf("%w: the text is not valid UTF-8", ErrInvalid)
	}
	if len(text) > MaxText {
		return Answer{}, fmt.Errorf("%w: the text is longer than %d bytes", ErrInvalid, MaxText)
	}
	m := s.Model
	if m == nil {
		m = model.Shipped()
	}
	matches := s.X.Extract(text).Matches
	sigs := Signals(text, o.Kind, matches)
	lang, confident := o.Lang, o.Lang != ""
	if lang == "" {
		lang, confident = model.Detect(text)
	}
	a := Answer{Lang: lang, LangSeen: m.Seen(lang) && confident}
	if !a.LangSeen {
		sigs = languageFree(sigs)
		switch {
		case lang == "" || !confident:
			a.Note = "the language could not be told; the model was not used, only signals that do not depend on language (links, wallets, accounts, places)"
		default:
			a.Note = "the model was not trained on " + lang + "; it was not used, only signals that do not depend on language (links, wallets, accounts, places)"
		}
	}
	rules := Score(sigs)
	var modelRisk float64
	var modelTypes []model.TypeScore
	var wording *Signal
	if a.LangSeen {
		var contrib []model.Feature
		// Types and explanations are needed only for a verdict other than
		// no_sign.
		modelRisk, modelTypes, contrib = m.ScoreTypesIf(text, lang, func(mr float64) bool { return 1-(1-mr)*(1-rules.Risk) >= SuspiciousAt })
		a.ModelRisk = &modelRisk
		if modelRisk >= SuspiciousAt {
			if sig, ok := wordingSignal(text, contrib, modelRisk); ok {
				wording = &sig
			}
		}
	}
	if wording != nil {
		// The model's own signal explains its half; it is not counted
		// again in the signals' half.
		sigs = append(sigs, *wording)
	}
	a.RulesRisk = rules.Risk
	risk := 1 - (1-modelRisk)*(1-rules.Risk)
	var byType typeWeights
	for _, t := range rules.TypeScores {
		byType.add(t.Type, t.Score*rules.Risk)
	}
	for _, t := range modelTypes {
		byType.add(t.Type, t.P*modelRisk)
	}
	a.Indicators = make([]Indicator, 0, len(matches))
	var found []extract.Match
	for _, mt := range matches {
		if mt.Kind != indicator.Place {
			found = append(found, mt)
		}
	}
	var answers []lookup.Answer
	if s.Known != nil && len(found) > 0 {
		var err error
		if answers, err = s.Known.Matches(ctx, found); err != nil {
			return Answer{}, err
		}
	}
	for i, mt := range found {
		ind := Indicator{Match: mt}
		if answers != nil {
			ind.Lookup = &answers[i]
			if sig, ok := knownSignal(mt, answers[i]); ok {
				sigs = append(sigs, sig)
				risk = 1 - (1-risk)*(1-sig.Weight)
				for _, t := range answers[i].ScamTypes {
					byType.add(t, sig.Weight/float64(len(answers[i].ScamTypes)))
				}
			}
		}
		a.Indicators = append(a.Indicators, ind)
	}
	a.Risk = min(1, max(0, risk))
	a.Signals = sigs
	if a.Signals == nil {
		a.Signals = []Signal{}
	}
	a.Verdict = VerdictNoSign
	switch {
	case a.Risk >= ScamAt:
		a.Verdict = VerdictScam
	case a.Risk >= SuspiciousAt:
		a.Verdict = VerdictSuspicious
	}
	a.TypeScores = typeScores(byType)
	if a.Verdict != VerdictNoSign && len(a.TypeScores) > 0 {
		a.Type = a.TypeScores[0].Type
	}
	return a, nil
}

// languageFree keeps the signals computed from indicators, which mean the
// same in every language.
func languageFree(sigs []Signal) []Signal {
	var out []Signal
	for _, s := range sigs {
		if s.Lang == "" {
			out = append(out, s)
		}
	}
	return out
}

// typeWeights sums weight per scam type, in taxonomy order.
type typeWeights [32]float64

// typeIndex is each scam type's place in report.ScamTypes.
var typeIndex = func() map[string]int {
	m := map[string]int{}
	for i, t := range report.ScamTypes {
		m[t.Code] = i
	}
	return m
}()

func (w *typeWeights) add(t string, v float64) {
	if i, ok := typeIndex[t]; ok && i < len(w) {
		w[i] += v
	}
}

func typeScores(byType typeWeights) []TypeScore {
	var total float64
	for _, v := range byType {
		total += v
	}
	out := []TypeScore{}
	if total <= 0 {
		return out
	}
	for i, t := range report.ScamTypes {
		if i < len(byType) && byType[i] > 0 {
			out = append(out, TypeScore{t.Code, byType[i] / total})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out
}

// wordingSignal explains the model's score by the wording that pushed it
// most, where that wording is found in the text.
func wordingSignal(text string, contrib []model.Feature, risk float64) (Signal, bool) {
	for _, f := range contrib {
		// A lone character or a class token ("<url>") explains nothing;
		// features are lower-cased, so one written otherwise is passed over.
		if f.Weight <= 0 || strings.HasPrefix(f.Text, "<") || utf8.RuneCountInString(f.Text) < 2 {
			continue
		}
		i := strings.Index(text, f.Text)
		if i < 0 {
			continue
		}
		return Signal{ID: "model-wording", Weight: risk, Start: i, End: i + len(f.Text), Text: text[i : i+len(f.Text)],
			Explain: map[string]string{
				"en":      fmt.Sprintf("worded like scam messages Vigil has learned from (for example %q)", f.Text),
				"zh-Hans": fmt.Sprintf("措辞与已知诈骗信息相似（例如“%s”）", f.Text),
			}}, true
	}
	return Signal{}, false
}

// knownSignal is the signal of an indicator already reported to Vigil.
func knownSignal(m extract.Match, a lookup.Answer) (Signal, bool) {
	if !a.Known || a.KnownGood {
		return Signal{}, false
	}
	what := string(m.Kind)
	return Signal{ID: "known-indicator", Types: a.ScamTypes, Weight: 0.25 + 0.6*a.Confidence, Start: m.Start, End: m.End, Text: m.Raw,
		Explain: map[string]string{
			"en":      fmt.Sprintf("this %s was reported to Vigil (%d reports, %d lists; confidence %s)", what, a.Reports, len(a.Sources), a.Level),
			"zh-Hans": fmt.Sprintf("该%s已被举报给 Vigil（%d 次举报，%d 个名单；可信度 %s）", kindZh(m.Kind), a.Reports, len(a.Sources), a.Level),
		}}, true
}

func kindZh(k indicator.Kind) string {
	switch {
	case k == indicator.Phone:
		return "电话号码"
	case k == indicator.URL || k == indicator.Domain:
		return "网址"
	case k.IsWallet():
		return "钱包地址"
	case k.IsHandle():
		return "账号"
	case k == indicator.Email:
		return "邮箱"
	}
	return "信息"
}
