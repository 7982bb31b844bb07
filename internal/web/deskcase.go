package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"vigil/internal/place"
	"vigil/internal/report"
	"vigil/internal/store"
)

// changes are the changes a caseworker makes on a case's page, by the
// last segment of their route, and the inputs of each form.
var changes = map[string][]string{
	"status":   {"status", "closed_reason"},
	"urgency":  {"urgency"},
	"assignee": {"assignee"},
	"note":     {"note"},
}

// deskInputs maps the pointers the validator names to the input of the
// case's page that holds the value, and the catalogue key of its message.
var deskInputs = map[string][2]string{
	"/status":        {"status", "desk_err_status"},
	"/closed_reason": {"closed_reason", "desk_err_closed_reason"},
	"/urgency":       {"urgency", "desk_err_urgency"},
	"/assignee":      {"assignee", "desk_err_assignee"},
	"/notes":         {"note", "desk_err_note"},
}

// deskForm is a form of a case's page as sent, so that it comes back as
// it was when it cannot be taken.
type deskForm struct{ v map[string]string }

func readDeskForm(v url.Values, inputs []string) deskForm {
	f := deskForm{v: map[string]string{}}
	for _, name := range inputs {
		f.v[name] = strings.ReplaceAll(v.Get(name), "\r\n", "\n")
	}
	return f
}

func (f deskForm) get(name string) string { return strings.TrimSpace(f.v[name]) }

// edit is the change the form makes to a case, and the problems of the
// form that need no case to be seen.
func (f deskForm) edit(change string) (func(*report.Case), []report.FieldError) {
	var problems []report.FieldError
	bad := func(ptr, detail string) { problems = append(problems, report.FieldError{Pointer: ptr, Detail: detail}) }
	switch change {
	case "status":
		status, reason := f.get("status"), f.get("closed_reason")
		if status == "" {
			bad("/status", "is required")
		}
		if status == report.CaseClosed && reason == "" {
			bad("/closed_reason", "is required when a case is closed")
		}
		return func(c *report.Case) {
			c.Status, c.ClosedReason = status, ""
			if status == report.CaseClosed {
				c.ClosedReason = reason
			}
		}, problems
	case "urgency":
		urgency := f.get("urgency")
		if urgency == "" {
			bad("/urgency", "is required")
		}
		return func(c *report.Case) { c.Urgency = urgency }, problems
	case "assignee":
		// Empty: the case is no one's for now.
		assignee := f.get("assignee")
		return func(c *report.Case) { c.Assignee = assignee }, problems
	case "note":
		text := f.get("note")
		if text == "" {
			bad("/notes", "is empty")
		}
		// Validate dates it and the server signs it.
		return func(c *report.Case) { c.Notes = append(c.Notes, report.Note{Text: text}) }, problems
	}
	panic("web: no change " + change) // the routes name only changes
}

// deskLead is a lead as the page shows it.
type deskLead struct {
	store.Lead
	// Rescue marks a possible forced scammer: where the person may be
	// held and the account they are made to use, never a charge.
	Rescue bool
}

// deskStop is a stop of the journey and the gazetteer places it names.
type deskStop struct {
	report.Stop
	Places []*place.Place
}

// deskCasePage is one case, its leads and the forms that change it.
type deskCasePage struct {
	page
	Case  *report.Case
	Leads []deskLead
	Stops []deskStop
	// Places are the gazetteer places the case mentions anywhere.
	Places []*place.Place
	// F holds the inputs of the forms by name.
	F map[string]*caseField
	// Problem is about a whole form, Detail the validator's words on it
	// (English); Done says what was just changed.
	Problem, Detail, Done string
	Summary               []fieldProblem
	// Again is always false: no form of the page carries a file (the
	// problems' template asks).
	Again bool
}

func newDeskCasePage(p page, c report.Case, leads []store.Lead, f deskForm) deskCasePage {
	g := place.Default()
	cp := deskCasePage{page: p, Case: &c, F: map[string]*caseField{}}
	for _, l := range leads {
		cp.Leads = append(cp.Leads, deskLead{Lead: l, Rescue: l.Kind == store.LeadForcedScammer})
	}
	// Rescue leads first: they say where the person may be.
	slices.SortStableFunc(cp.Leads, func(a, b deskLead) int {
		switch {
		case a.Rescue == b.Rescue:
			return 0
		case a.Rescue:
			return -1
		}
		return 1
	})
	for _, st := range c.Journey {
		cp.Stops = append(cp.Stops, deskStop{Stop: st, Places: placesIn(g, st.Place)})
	}
	for _, id := range c.Places {
		if pl, ok := g.ByID(id); ok {
			cp.Places = append(cp.Places, pl)
		}
	}
	value := func(name, current string) string {
		if v, ok := f.v[name]; ok {
			return v
		}
		return current
	}
	in := func(name string) *caseField {
		in := &caseField{Name: name, Label: p.T["desk_f_"+name], Hint: p.T["desk_hint_"+name], Rows: 3}
		cp.F[name] = in
		return in
	}
	in("status").Options = p.options(report.CaseStatuses, value("status", c.Status), p.T["choose"])
	in("closed_reason").Value = value("closed_reason", c.ClosedReason)
	in("urgency").Options = p.options(report.Urgencies, value("urgency", c.Urgency), p.T["choose"])
	in("assignee").Value = value("assignee", c.Assignee)
	note := in("note")
	note.Value, note.Rows = f.v["note"], 5
	return cp
}

// placesIn are the gazetteer places a place as written names: itself
// when it is a gazetteer id, else those whose names it holds.
func placesIn(g *place.Gazetteer, text string) []*place.Place {
	text = strings.TrimSpace(text)
	if p, ok := g.ByID(text); ok {
		return []*place.Place{p}
	}
	var out []*place.Place
	for _, m := range g.Find(text) {
		if !slices.Contains(out, m.Place) {
			out = append(out, m.Place)
		}
	}
	return out
}

// PlaceLink is the address of a place's page.
func (p page) PlaceLink(id string) string { return p.Link("/places/" + url.PathEscape(id)) }

// PlacesIn are the gazetteer places a place as written names.
func (p page) PlacesIn(text string) []*place.Place { return placesIn(place.Default(), text) }

// LeadKind names a kind of lead.
func (p page) LeadKind(kind string) string {
	if s, ok := p.T["lead_kind_"+kind]; ok {
		return s
	}
	return kind
}

// LeadLevel names the strength of a lead.
func (p page) LeadLevel(level string) string {
	if s, ok := p.T["lead_level_"+level]; ok {
		return s
	}
	return level
}

// addProblems shows each problem by its input; one with no input on the
// page is shown for the whole page.
func (cp *deskCasePage) addProblems(problems []report.FieldError) {
	for _, fe := range problems {
		ptr := fe.Pointer
		if strings.HasPrefix(ptr, "/notes/") {
			ptr = "/notes"
		}
		m, ok := deskInputs[ptr]
		if !ok {
			cp.Problem = cp.T["desk_err_form"]
			cp.Detail = strings.TrimPrefix(cp.Detail+"; "+fe.Pointer+" "+fe.Detail, "; ")
			continue
		}
		in := cp.F[m[0]]
		if in.Error == "" {
			in.Error = cp.T[m[1]]
			cp.Summary = append(cp.Summary, fieldProblem{ID: in.Name, Message: in.Error})
		}
		in.Detail = strings.TrimPrefix(in.Detail+"; "+fe.Detail, "; ")
	}
}

// showCase renders the case of the request's path with the forms as f
// holds them; adjust adds what the page says besides.
func (s *server) showCase(w http.ResponseWriter, r *http.Request, status int, f deskForm, adjust func(*deskCasePage)) error {
	c, leads, err := s.desk.Case(r.Context(), r, r.PathValue("id"))
	if err != nil {
		return s.deskFailed(w, r, err)
	}
	cp := newDeskCasePage(newPage(r), c, leads, f)
	adjust(&cp)
	return s.render(w, status, "desk_case", cp)
}

// changeCase takes a form of a case's page: it changes the case at the
// version the form was made from, and shows the case again. When someone
// else changed the case meanwhile, the page shows the case as it is now,
// with the form as sent, to be sent again once read.
func (s *server) changeCase(change string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id := r.PathValue("id")
		version, err := strconv.Atoi(r.PostForm.Get("version"))
		if err != nil || version < 0 {
			return fmt.Errorf("%w: version %q", errBadForm, r.PostForm.Get("version"))
		}
		f := readDeskForm(r.PostForm, changes[change])
		edit, problems := f.edit(change)
		again := func(status int, problem, detail string, problems []report.FieldError) error {
			return s.showCase(w, r, status, f, func(cp *deskCasePage) {
				cp.addProblems(problems)
				if problem != "" {
					cp.Problem, cp.Detail = cp.T[problem], detail
				}
			})
		}
		if len(problems) > 0 {
			return again(http.StatusBadRequest, "", "", problems)
		}
		err = s.desk.UpdateCase(r.Context(), r, id, version, edit)
		var invalid *report.ValidationError
		switch {
		case err == nil:
			http.Redirect(w, r, newPage(r).Link(deskPath(id), "done", change), http.StatusSeeOther)
			return nil
		case errors.Is(err, store.ErrConflict):
			return again(http.StatusConflict, "desk_conflict", "", nil)
		case errors.As(err, &invalid):
			return again(http.StatusBadRequest, "", "", invalid.Fields)
		case errors.Is(err, report.ErrInvalid):
			return again(http.StatusBadRequest, "desk_err_form", err.Error(), nil)
		}
		return s.deskFailed(w, r, err)
	}
}

// watchCase has the caller watch the case: its new leads become alerts.
func (s *server) watchCase(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if err := s.desk.Watch(r.Context(), r, store.WatchCase, id); err != nil {
		return s.deskFailed(w, r, err)
	}
	http.Redirect(w, r, newPage(r).Link(deskPath(id), "done", "watch"), http.StatusSeeOther)
	return nil
}

// ScamType names a scam type.
func (p page) ScamType(code string) string { return p.term(report.ScamTypes, code) }

// EvidencePath is the address of a file of a case, to download.
func (p page) EvidencePath(caseID, evidenceID string) string {
	return deskPath(caseID) + "/evidence/" + url.PathEscape(evidenceID)
}

// ExportPath is the address of a case's export in format.
func (p page) ExportPath(caseID, format string) string {
	return p.Link(deskPath(caseID)+"/export", "format", format)
}

// ChangePath is the address a form of a case's page is sent to.
func (p page) ChangePath(caseID, change string) string {
	return p.Link(deskPath(caseID) + "/" + change)
}
