package web

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"vigil/internal/report"
)

// The inputs of the case forms, by name. A name is also the input's id
// and the stem of its catalogue keys: "f_"+name is its label, "hint_"+name
// its hint when the catalogue has one. The form for a new case and the
// form that adds to one share the message, demand and account inputs, so
// that a problem the validator names by its JSON pointer lands on the
// same input in both (caseInputAt).
var (
	messageInputs = []string{"msg_at", "msg_channel", "msg_from", "msg_from_role", "msg_text"}
	demandInputs  = []string{"demand_amount", "demand_currency", "demand_deadline", "demand_intermediaries", "demand_payment"}
	newCaseInputs = append(append([]string{
		"subject_names", "subject_aliases", "subject_age", "subject_sex", "subject_nationality", "subject_description", "subject_accounts",
		"reporter_name", "reporter_relationship", "reporter_contact", "reporter_language",
		"recruitment_method", "recruitment_lure", "recruitment_channel", "recruitment_date", "recruitment_place", "recruitment_recruiters",
		"last_place", "last_date", "journey_transit",
		"exploitation_types", "exploitation_controls", "exploitation_detail",
		"urgency", "consent", "file",
	}, messageInputs...), demandInputs...)
	addInputs = append(append([]string{"subject_accounts", "place", "place_date", "info", "file"}, messageInputs...), demandInputs...)
)

// caseGroups are the inputs that take several values: boxes to tick.
var caseGroups = map[string]bool{"exploitation_types": true, "exploitation_controls": true}

// caseForm is a case form as sent: every value by its input's name, as
// typed (line ends normalised), so that a form with problems comes back
// as it was.
type caseForm struct {
	v      map[string]string
	ticked map[string][]string
}

func readCaseForm(v url.Values, inputs []string) caseForm {
	f := caseForm{v: map[string]string{}, ticked: map[string][]string{}}
	for _, name := range inputs {
		if caseGroups[name] {
			for _, code := range v[name] {
				if code = strings.TrimSpace(code); code != "" {
					f.ticked[name] = append(f.ticked[name], code)
				}
			}
			continue
		}
		f.v[name] = strings.ReplaceAll(v.Get(name), "\r\n", "\n")
	}
	return f
}

// get is the value of an input, without surrounding space.
func (f caseForm) get(name string) string { return strings.TrimSpace(f.v[name]) }

// lines are the non-empty lines of a textarea, each trimmed: one account,
// name or place a line.
func (f caseForm) lines(name string) []string {
	var out []string
	for l := range strings.Lines(f.v[name]) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// codeSep splits a list of country codes written with commas, spaces or
// Chinese enumeration commas.
var codeSep = regexp.MustCompile(`[\s,，、;；]+`)

// parse collects what the form itself cannot read, named by the case's
// JSON pointers as Validate names the rest.
type parse struct{ problems []report.FieldError }

func (p *parse) bad(pointer, format string, args ...any) {
	p.problems = append(p.problems, report.FieldError{Pointer: pointer, Detail: fmt.Sprintf(format, args...)})
}

// date reads a date such as 2024-05-31, or a date and time as a browser's
// datetime-local input sends it. The page cannot know the browser's time
// zone without a script, so the time is taken as written, in UTC.
func (p *parse) date(pointer, s string) *time.Time {
	if s == "" {
		return nil
	}
	for _, layout := range []string{time.DateOnly, "2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return &t
		}
	}
	p.bad(pointer, "%q is not a date such as 2024-05-31", s)
	return nil
}

// newCase is the case the form describes. journey[i] is the input that
// holds the place of c.Journey[i].
func (f caseForm) newCase() (c *report.Case, journey []string, problems []report.FieldError) {
	var p parse
	c = &report.Case{Source: "web", Urgency: f.get("urgency"), Consent: f.get("consent"),
		Subject: report.Person{Names: f.lines("subject_names"), Aliases: f.lines("subject_aliases"),
			Sex: f.get("subject_sex"), Description: strings.TrimSpace(f.v["subject_description"]),
			Accounts: f.lines("subject_accounts")},
		Reporter: report.CaseReporter{Name: f.get("reporter_name"), Relationship: f.get("reporter_relationship"),
			Contact: f.get("reporter_contact"), Language: f.get("reporter_language")},
		Recruitment: report.Recruitment{Method: f.get("recruitment_method"), Lure: strings.TrimSpace(f.v["recruitment_lure"]),
			Channel: f.get("recruitment_channel"), Place: f.get("recruitment_place"), Recruiters: f.lines("recruitment_recruiters")},
		Exploitation: report.Exploitation{Types: f.ticked["exploitation_types"], Controls: f.ticked["exploitation_controls"],
			Detail: strings.TrimSpace(f.v["exploitation_detail"])},
	}
	if age := f.get("subject_age"); age != "" {
		n, err := strconv.Atoi(age)
		if err != nil {
			p.bad("/subject/age", "%q is not a number of years", age)
		}
		c.Subject.Age = n
	}
	for _, n := range codeSep.Split(f.get("subject_nationality"), -1) {
		if n != "" {
			c.Subject.Nationality = append(c.Subject.Nationality, n)
		}
	}
	c.Recruitment.Date = p.date("/recruitment/date", f.get("recruitment_date"))
	for _, place := range f.lines("journey_transit") {
		c.Journey = append(c.Journey, report.Stop{Place: place, Type: "transit"})
		journey = append(journey, "journey_transit")
	}
	if last, seen := f.get("last_place"), f.get("last_date"); last != "" || seen != "" {
		ptr := fmt.Sprintf("/journey/%d/date", len(c.Journey))
		c.Journey = append(c.Journey, report.Stop{Place: last, Type: "last_known", Date: p.date(ptr, seen)})
		journey = append(journey, "last_place")
	}
	if m, ok := f.message(&p, "/contact_log/0"); ok {
		c.ContactLog = []report.ContactEntry{m}
	}
	if d, ok := f.demand(&p, "/demands/0"); ok {
		c.Demands = []report.Demand{d}
	}
	return c, journey, p.problems
}

// addition is what the form adds to a case. journey is as for newCase.
func (f caseForm) addition() (a report.CaseAddition, journey []string, problems []report.FieldError) {
	var p parse
	a.Accounts = f.lines("subject_accounts")
	a.Info = strings.TrimSpace(f.v["info"])
	if m, ok := f.message(&p, "/contact_log/0"); ok {
		a.ContactLog = []report.ContactEntry{m}
	}
	if d, ok := f.demand(&p, "/demands/0"); ok {
		a.Demands = []report.Demand{d}
	}
	if place, since := f.get("place"), f.get("place_date"); place != "" || since != "" {
		a.Journey = []report.Stop{{Place: place, Type: "last_known", Date: p.date("/journey/0/date", since)}}
		journey = []string{"place"}
	}
	return a, journey, p.problems
}

// message is the message received the form describes; ok is false when
// the form names none. The one who sent it is "mentioned" unless the
// family says otherwise.
func (f caseForm) message(p *parse, ptr string) (m report.ContactEntry, ok bool) {
	if f.get("msg_at") == "" && f.get("msg_channel") == "" && f.get("msg_from") == "" && strings.TrimSpace(f.v["msg_text"]) == "" {
		return m, false
	}
	m = report.ContactEntry{Channel: f.get("msg_channel"), From: f.get("msg_from"), FromRole: f.get("msg_from_role"),
		Text: strings.TrimSpace(f.v["msg_text"])}
	if at := p.date(ptr+"/at", f.get("msg_at")); at != nil {
		if at.After(time.Now().Add(24 * time.Hour)) {
			p.bad(ptr+"/at", "is in the future")
		}
		m.At = *at
	}
	return m, true
}

// demand is the demand for money the form describes; ok is false when
// the form names none.
func (f caseForm) demand(p *parse, ptr string) (d report.Demand, ok bool) {
	amount, cur, deadline := f.get("demand_amount"), f.get("demand_currency"), f.get("demand_deadline")
	d = report.Demand{Intermediaries: f.lines("demand_intermediaries"), Payment: f.lines("demand_payment")}
	if amount == "" && cur == "" && deadline == "" && len(d.Intermediaries) == 0 && len(d.Payment) == 0 {
		return d, false
	}
	if amount != "" || cur != "" {
		d.Amount = &report.Money{Amount: amount, Currency: cur}
	}
	d.Deadline = p.date(ptr+"/deadline", deadline)
	return d, true
}

// caseInputs maps the pointers the validator names (numbers as "*", a
// list's entries as the list) to the input that holds the value and the
// catalogue key of the message shown by it. The journey's inputs depend
// on the form: caseInputAt finds them.
var caseInputs = map[string][2]string{
	"/subject/names":                   {"subject_names", "case_err_names"},
	"/subject/aliases":                 {"subject_aliases", "case_err_lines"},
	"/subject/age":                     {"subject_age", "case_err_age"},
	"/subject/sex":                     {"subject_sex", "case_err_choose"},
	"/subject/nationality":             {"subject_nationality", "case_err_nationality"},
	"/subject/description":             {"subject_description", "case_err_text"},
	"/subject/accounts":                {"subject_accounts", "case_err_lines"},
	"/accounts":                        {"subject_accounts", "case_err_lines"},
	"/reporter/name":                   {"reporter_name", "case_err_text"},
	"/reporter/relationship":           {"reporter_relationship", "case_err_text"},
	"/reporter/contact":                {"reporter_contact", "case_err_text"},
	"/reporter/language":               {"reporter_language", "case_err_choose"},
	"/recruitment/method":              {"recruitment_method", "case_err_choose"},
	"/recruitment/lure":                {"recruitment_lure", "case_err_text"},
	"/recruitment/channel":             {"recruitment_channel", "case_err_choose"},
	"/recruitment/date":                {"recruitment_date", "case_err_date"},
	"/recruitment/place":               {"recruitment_place", "case_err_text"},
	"/recruitment/recruiters":          {"recruitment_recruiters", "case_err_lines"},
	"/journey":                         {"journey_transit", "case_err_lines"},
	"/exploitation/types":              {"exploitation_types", "case_err_choose"},
	"/exploitation/controls":           {"exploitation_controls", "case_err_choose"},
	"/exploitation/detail":             {"exploitation_detail", "case_err_text"},
	"/contact_log/*/at":                {"msg_at", "case_err_date"},
	"/contact_log/*/channel":           {"msg_channel", "case_err_choose"},
	"/contact_log/*/from":              {"msg_from", "case_err_text"},
	"/contact_log/*/from_role":         {"msg_from_role", "case_err_choose"},
	"/contact_log/*/text":              {"msg_text", "case_err_text"},
	"/demands/*/amount":                {"demand_amount", "case_err_amount"},
	"/demands/*/deadline":              {"demand_deadline", "case_err_date"},
	"/demands/*/intermediaries":        {"demand_intermediaries", "case_err_lines"},
	"/demands/*/payment":               {"demand_payment", "case_err_lines"},
	"/urgency":                         {"urgency", "case_err_choose"},
	"/consent":                         {"consent", "case_err_choose"},
	"/info":                            {"info", "case_err_text"},
	"/notes/*/text":                    {"info", "case_err_text"},
	"/file":                            {"file", "case_err_file"},
	"/journey/*/place:last_place":      {"last_place", "case_err_place"},
	"/journey/*/date:last_place":       {"last_date", "case_err_date"},
	"/journey/*/place:journey_transit": {"journey_transit", "case_err_lines"},
	"/journey/*/place:place":           {"place", "case_err_place"},
	"/journey/*/date:place":            {"place_date", "case_err_date"},
}

// number is a segment of a JSON pointer that indexes a list.
var number = regexp.MustCompile(`^[0-9]+$`)

// caseInputAt is the input a pointer names and the catalogue key of its
// message; ok is false for a pointer the form has no input for. journey
// names the input of each stop. An entry of a list lands on the list's
// input whatever its index: the forms send one message, one demand, one
// place at a time, and a validator that names the entry by its index in
// the whole case (after the addition is applied) still finds it.
func caseInputAt(pointer string, journey []string) (name, key string, ok bool) {
	parts := strings.Split(pointer, "/")
	if len(parts) < 2 || parts[0] != "" {
		return "", "", false
	}
	stop := -1
	for i, s := range parts {
		if number.MatchString(s) {
			if i == 2 && parts[1] == "journey" {
				stop, _ = strconv.Atoi(s)
			}
			parts[i] = "*"
		}
	}
	if len(parts) > 2 && parts[len(parts)-1] == "*" {
		parts = parts[:len(parts)-1]
	}
	pattern := strings.Join(parts, "/")
	if parts[1] == "journey" && len(parts) == 4 {
		in := ""
		switch {
		case stop >= 0 && stop < len(journey):
			in = journey[stop]
		case len(journey) > 0:
			in = journey[len(journey)-1]
		}
		pattern += ":" + in
	}
	m, ok := caseInputs[pattern]
	return m[0], m[1], ok
}
