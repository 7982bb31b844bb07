package screen

import (
	"sort"

	"vigil/internal/extract"
	"vigil/internal/report"
)

// RulesOnly screens text with the signal table alone, no trained model.
func RulesOnly(text, kind string, matches []extract.Match) Result {
	r := Score(Signals(text, kind, matches))
	r.Lang, r.LangSupported = guessLang(text)
	switch {
	case !r.LangSupported && r.Lang != "":
		r.Note = "the signal table does not cover this language (" + r.Lang + "): finding no signal means little"
	case hasSignal(r.Signals, warningID):
		r.Note = "reads like an anti-fraud warning: the scams it names count for less"
	}
	return r
}

func hasSignal(sigs []Signal, id string) bool { return count(sigs, id) > 0 }

// Score combines signals into a risk, a verdict and a scam type.
//
// Risk is 1 - Π(1 - w) over the signals' weights, so independent signs
// add up with diminishing returns and no number of them reaches 1. A
// signal found again counts repeatDecay times as much as the time before
// (a text that says "刷单" five times is not five times the evidence). An
// anti-fraud warning multiplies the result by 1 + its (negative) weight.
// Type scores are each type's share of the weighted signals.
func Score(sigs []Signal) Result {
	r := Result{Signals: sigs, Verdict: VerdictNoSign}
	notRisk := 1.0
	damp := 1.0
	// A text holds a handful of signals: a slice searched in order costs
	// less than a map.
	type seenID struct {
		id     string
		factor float64
	}
	var seenBuf [16]seenID
	seen := seenBuf[:0]
	find := func(id string) int {
		for i := range seen {
			if seen[i].id == id {
				return i
			}
		}
		return -1
	}
	var byType typeWeights
	for _, s := range sigs {
		i := find(s.ID)
		if s.Weight < 0 {
			if i < 0 {
				damp *= max(0, 1+s.Weight)
				seen = append(seen, seenID{s.ID, 1})
			}
			continue
		}
		f := 1.0
		if i >= 0 {
			f = seen[i].factor
			seen[i].factor *= repeatDecay
		} else {
			seen = append(seen, seenID{s.ID, repeatDecay})
		}
		w := min(1, s.Weight*f)
		notRisk *= 1 - w
		d := defFor(s.ID)
		for _, t := range d.Types {
			byType.add(t.Type, w*t.Weight)
		}
	}
	r.Risk = min(1, max(0, (1-notRisk)*damp))
	var total float64
	for _, v := range byType {
		total += v
	}
	if total > 0 {
		for i, t := range report.ScamTypes { // taxonomy order breaks ties
			if v := byType[i]; v > 0 {
				r.TypeScores = append(r.TypeScores, TypeScore{t.Code, v / total})
			}
		}
		sort.SliceStable(r.TypeScores, func(i, j int) bool { return r.TypeScores[i].Score > r.TypeScores[j].Score })
	}
	switch {
	case r.Risk >= ScamAt:
		r.Verdict = VerdictScam
	case r.Risk >= SuspiciousAt:
		r.Verdict = VerdictSuspicious
	}
	if r.Verdict != VerdictNoSign && len(r.TypeScores) > 0 {
		r.Type = r.TypeScores[0].Type
	}
	return r
}

// defFor returns the table entry of a signal ID, or an empty one for an ID
// not in the table (a signal made by another screener).
func defFor(id string) *Def {
	if i, ok := defIndex[id]; ok {
		return &defs[i]
	}
	return &Def{}
}

// guessLang guesses a text's main language from its first 512 bytes:
// the script most of its letters are in, and for Latin script a few common
// words (Vietnamese also by its letters). It reports whether the signal
// table covers the language.
func guessLang(text string) (string, bool) {
	if len(text) > 512 {
		text = text[:512] // enough to tell; a cut character is one invalid rune
	}
	var han, thai, latin, viet, myanmar, khmer, lao, other int
	// Scripts are told by their UTF-8 lead bytes, without decoding: this
	// runs on every text screened.
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c < 0x80:
			if c|0x20 >= 'a' && c|0x20 <= 'z' {
				latin++
			}
			i++
			continue
		case c >= 0xF0:
			i += 4
			continue
		case c >= 0xE0:
			if i+1 < len(text) {
				b := text[i+1]
				switch {
				case c >= 0xE4 && c <= 0xE9 || c == 0xE3 && b >= 0x90:
					han++ // U+3400–U+9FFF
				case c == 0xE0 && (b == 0xB8 || b == 0xB9):
					thai++
				case c == 0xE0 && (b == 0xBA || b == 0xBB):
					lao++
				case c == 0xE1 && b >= 0x80 && b <= 0x82:
					myanmar++
				case c == 0xE1 && (b == 0x9E || b == 0x9F):
					khmer++
				case c == 0xE1 && (b == 0xBA || b == 0xBB):
					viet++ // Latin Extended Additional: Vietnamese tone marks
					latin++
				}
			}
			i += 3
			continue
		case c >= 0xC3 && c <= 0xC6:
			latin++ // Latin-1 and Extended-A/B letters
			if i+1 < len(text) {
				b := text[i+1]
				if c == 0xC4 && (b == 0x82 || b == 0x83 || b == 0x90 || b == 0x91) ||
					c == 0xC6 && (b == 0xA0 || b == 0xA1 || b == 0xAF || b == 0xB0) {
					viet++ // ă Ă đ Đ ơ Ơ ư Ư
				}
			}
		case c >= 0xCD && c <= 0xDF:
			other++ // Greek, Cyrillic, Armenian, Hebrew, Arabic ...
		}
		i += 2
	}
	// Chinese and Thai carry a word in one or two characters, Latin in
	// five or so: weigh the counts to compare them.
	best, lang := latin, "latin"
	for _, c := range []struct {
		n    int
		lang string
	}{{han * 3, "zh"}, {thai, "th"}, {lao, "lo"}, {myanmar, "my"}, {khmer, "km"}, {other, "other"}} {
		if c.n > best {
			best, lang = c.n, c.lang
		}
	}
	switch {
	case best == 0:
		return "", false
	case lang == "latin":
		if viet*20 >= latin || viet >= 3 {
			return "vi", true
		}
		return latinLang(text), true
	case lang == "zh" || lang == "th":
		return lang, true
	case lang == "other":
		return "", false
	}
	return lang, false
}

// latinLang tells English, Indonesian and unaccented Vietnamese apart by
// their commonest short words in the first 256 bytes.
func latinLang(text string) string {
	if len(text) > 256 {
		text = text[:256]
	}
	var en, id, vi int
	for i := 0; i < len(text); {
		for i < len(text) && !isASCIILetter(text[i]) {
			i++
		}
		j := i
		for j < len(text) && isASCIILetter(text[j]) {
			j++
		}
		if j > i && j-i <= 6 {
			var low [6]byte
			for k := i; k < j; k++ {
				low[k-i] = text[k] | 0x20
			}
			switch string(low[:j-i]) {
			case "the", "you", "and", "to", "your", "is", "for", "of", "are", "have":
				en++
			case "yang", "dan", "anda", "untuk", "dengan", "ini", "kamu", "di", "ke", "dari", "aku", "tidak":
				id++
			case "cua", "khong", "va", "cho", "duoc", "quy", "khach", "nhan", "tai", "ban", "cac", "voi":
				vi++
			}
		}
		i = j
	}
	switch {
	case id > en && id >= vi:
		return "id"
	case vi > en && vi > id:
		return "vi"
	}
	return "en"
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
