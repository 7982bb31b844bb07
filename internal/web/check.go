package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"vigil/internal/indicator"
	"vigil/internal/lookup"
	"vigil/internal/report"
)

// checkPage is the home page and the answer to a check: the check form,
// what is wrong with the value, and the answer.
type checkPage struct {
	page
	Q       string
	Kinds   []option
	Problem string
	// Detail is the reader's own words on the problem, in English.
	Detail string
	Answer *answerView
}

// option is one entry of a select box.
type option struct {
	Value, Label string
	Selected     bool
}

func newCheckPage(r *http.Request) checkPage {
	p := checkPage{page: newPage(r), Q: r.URL.Query().Get("q")}
	kind := r.URL.Query().Get("kind")
	p.Kinds = []option{{Value: "", Label: p.T["check_any_kind"], Selected: kind == ""}}
	for _, k := range indicator.Kinds {
		if k != indicator.Place {
			p.Kinds = append(p.Kinds, option{Value: string(k), Label: p.kindName(k), Selected: string(k) == kind})
		}
	}
	return p
}

func (s *server) home(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "home", newCheckPage(r))
}

// check answers one value as the API does, in words.
func (s *server) check(w http.ResponseWriter, r *http.Request) error {
	p := newCheckPage(r)
	if strings.TrimSpace(p.Q) == "" {
		p.Problem = p.T["check_empty"]
		return s.render(w, http.StatusBadRequest, "check", p)
	}
	var kind indicator.Kind
	if k := r.URL.Query().Get("kind"); k != "" {
		var err error
		if kind, err = indicator.ParseKind(k); err != nil {
			p.Problem, p.Detail = p.T["check_bad_kind"], err.Error()
			return s.render(w, http.StatusBadRequest, "check", p)
		}
	}
	a, err := s.lookup.Ask(r.Context(), p.Q, kind, "")
	if errors.Is(err, lookup.ErrInvalid) {
		p.Problem, p.Detail = p.T["check_unreadable"], err.Error()
		return s.render(w, http.StatusBadRequest, "check", p)
	}
	if err != nil {
		// The value stays out of the log: it may be the person's own.
		return fmt.Errorf("web: check: %w", err)
	}
	v := p.answer(a)
	p.Answer = &v
	return s.render(w, http.StatusOK, "check", p)
}

// answerView is an answer in words, in the page's language. It says
// nothing of who reported.
type answerView struct {
	// Class styles the verdict: known, unknown or good.
	Class, Heading, Advice string
	Kind, Value            string
	Known                  bool
	Reports, Reporters     int
	FirstSeen, LastSeen    string
	ScamTypes              []string
	Network                int
	Confidence             string
	Sources                []string
	// KnownGood names the known-good list or the official owner.
	KnownGood  string
	Warning    string
	OverCommon bool
	Other      []otherReading
}

// otherReading is another way to read the value, linked to its own check.
type otherReading struct {
	Kind, Value, Summary, Link string
}

func (p page) answer(a lookup.Answer) answerView {
	v := answerView{Kind: p.kindName(a.Kind), Value: a.Value, Known: a.Known, Reports: a.Reports,
		Reporters: a.Reporters, Network: a.Network, Sources: a.Sources, OverCommon: a.OverCommon}
	switch {
	case a.KnownGood:
		v.Class, v.Heading, v.Advice = "good", p.T["answer_good"], p.T["advice_good"]
		v.KnownGood = a.Warning
		if v.KnownGood == "" {
			v.KnownGood = p.T["known_good_list"]
		}
	case a.Known:
		v.Class, v.Heading, v.Advice = "known", p.T["answer_known"], p.T["advice_known"]
	default:
		v.Class, v.Heading, v.Advice = "unknown", p.T["answer_unknown"], p.T["advice_unknown"]
	}
	if !a.KnownGood && a.Warning != "" {
		v.Warning = fmt.Sprintf(p.T["warning_shared"], a.Warning)
	}
	if a.FirstSeen != nil && a.LastSeen != nil {
		v.FirstSeen, v.LastSeen = a.FirstSeen.UTC().Format(time.DateOnly), a.LastSeen.UTC().Format(time.DateOnly)
	}
	for _, code := range a.ScamTypes {
		v.ScamTypes = append(v.ScamTypes, p.term(report.ScamTypes, code))
	}
	if a.Known {
		v.Confidence = fmt.Sprintf(p.T["confidence"], p.levelName(a.Level), a.Confidence*100)
	}
	for _, o := range a.Other {
		summary := p.T["other_not_reported"]
		switch {
		case o.KnownGood:
			summary = p.T["other_good"]
		case o.Known:
			summary = fmt.Sprintf(p.T["other_reported"], o.Reports)
		}
		v.Other = append(v.Other, otherReading{Kind: p.kindName(o.Kind), Value: o.Value, Summary: summary,
			Link: p.Link("/check", "q", o.Value, "kind", string(o.Kind))})
	}
	return v
}

// kindName is the name of a kind of indicator for people.
func (p page) kindName(k indicator.Kind) string {
	if s, ok := p.T["kind_"+string(k)]; ok {
		return s
	}
	return string(k)
}

// levelName is the name of a confidence level for people.
func (p page) levelName(level string) string {
	if s, ok := p.T["level_"+level]; ok {
		return s
	}
	return level
}
