package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"

	"vigil/internal/report"
	"vigil/internal/screen"
)

// screenPage is the screening form and, after a POST, its answer.
type screenPage struct {
	page
	Text    string
	Kinds   []option
	Problem string
	Result  *screenView
}

// screenView is a screening in words, in the page's language.
type screenView struct {
	Class, Heading, Advice string
	Risk                   string
	Type                   string
	Note                   string
	Signals                []signalView
	Indicators             []indicatorView
}

type signalView struct{ Why, Text string }

type indicatorView struct {
	Kind, Value string
	Reported    bool
	Reports     int
}

func newScreenPage(r *http.Request, text, kind string) screenPage {
	p := screenPage{page: newPage(r), Text: text}
	for _, k := range []string{screen.KindMessage, screen.KindChat, screen.KindEmail, screen.KindJob} {
		p.Kinds = append(p.Kinds, option{Value: k, Label: p.T["screen_k_"+k], Selected: k == kind || kind == "" && k == screen.KindMessage})
	}
	return p
}

func (s *server) screenForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "screen", newScreenPage(r, "", ""))
}

// screenText screens a pasted text. It comes by POST so that it stays out
// of addresses and logs; nothing of it is stored.
func (s *server) screenText(w http.ResponseWriter, r *http.Request) error {
	text := strings.ReplaceAll(r.PostForm.Get("text"), "\r\n", "\n")
	kind := r.PostForm.Get("kind")
	p := newScreenPage(r, text, kind)
	if strings.TrimSpace(text) == "" {
		p.Problem = p.T["screen_empty"]
		return s.render(w, http.StatusBadRequest, "screen", p)
	}
	a, err := s.screener.Screen(r.Context(), text, screen.Options{Kind: kind})
	if errors.Is(err, screen.ErrInvalid) {
		p.Problem = err.Error()
		return s.render(w, http.StatusBadRequest, "screen", p)
	}
	if err != nil {
		return fmt.Errorf("web: screen: %w", err)
	}
	v := p.screenAnswer(a)
	p.Result = &v
	return s.render(w, http.StatusOK, "screen", p)
}

func (p screenPage) screenAnswer(a screen.Answer) screenView {
	v := screenView{Risk: fmt.Sprintf("%d%%", int(math.Round(a.Risk*100)))}
	switch a.Verdict {
	case screen.VerdictScam:
		v.Class, v.Heading, v.Advice = "known", p.T["screen_scam"], p.T["screen_advice_bad"]
	case screen.VerdictSuspicious:
		v.Class, v.Heading, v.Advice = "known", p.T["screen_suspicious"], p.T["screen_advice_bad"]
	default:
		v.Class, v.Heading, v.Advice = "unknown", p.T["screen_no_sign"], p.T["screen_advice_ok"]
	}
	for _, t := range report.ScamTypes {
		if t.Code == a.Type {
			v.Type = t.En
			if p.Lang == chinese {
				v.Type = t.Zh
			}
		}
	}
	if !a.LangSeen {
		v.Note = p.T["screen_lang_note"]
	}
	for _, sg := range a.Signals {
		if sg.Weight <= 0 {
			continue
		}
		why := sg.Explain["en"]
		if p.Lang == chinese && sg.Explain["zh-Hans"] != "" {
			why = sg.Explain["zh-Hans"]
		}
		v.Signals = append(v.Signals, signalView{Why: why, Text: sg.Text})
	}
	for _, ind := range a.Indicators {
		iv := indicatorView{Kind: p.kindName(ind.Kind), Value: ind.Value}
		if ind.Lookup != nil {
			iv.Reported, iv.Reports = ind.Lookup.Known, ind.Lookup.Reports
		}
		v.Indicators = append(v.Indicators, iv)
	}
	return v
}
