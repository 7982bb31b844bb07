package web

import (
	"fmt"
	"strings"
	"time"

	"vigil/internal/report"
)

// caseField is one input of a case form: its name (also its id), label,
// hint, value and problem, and the entries of a select box (Options) or
// of a group of boxes to tick (Choices).
type caseField struct {
	Name, Label, Hint, Value string
	Rows                     int
	// Type is the type of a group's boxes: checkbox or radio.
	Type    string
	Options []option
	Choices []choice
	Error   string
	// Detail is the validator's words, in English.
	Detail string
}

// choice is one box of a group: a checkbox or a radio button.
type choice struct {
	ID, Value, Label, Help string
	Checked                bool
}

// casePage is a case form: what the family wrote, and what is wrong with
// it.
type casePage struct {
	page
	// Problem is about the whole form; Detail is the reader's words on
	// it, in English.
	Problem, Detail string
	Summary         []fieldProblem
	// F holds the form's inputs by name.
	F          map[string]*caseField
	Currencies []string
	// Again says that a file was sent with a form that comes back: a
	// browser cannot fill a file input in, so it must be chosen again.
	Again bool
	// Filing is the new-case form's own idempotency key: sent again (a
	// refresh, a double click), the form gets the first case's link and
	// code, not a second case.
	Filing string
}

// caseRows are the heights of the textareas.
var caseRows = map[string]int{
	"subject_names": 2, "subject_aliases": 2, "subject_description": 3, "subject_accounts": 3,
	"recruitment_lure": 6, "recruitment_recruiters": 3, "journey_transit": 3, "exploitation_detail": 4,
	"msg_text": 6, "demand_intermediaries": 2, "demand_payment": 2, "info": 5,
}

// languages are the languages a family may choose to be answered in, by
// their own names, which need no translation.
var languages = []struct{ code, name string }{
	{"zh", "中文"}, {"en", "English"}, {"vi", "Tiếng Việt"}, {"th", "ไทย"}, {"id", "Bahasa Indonesia"},
	{"ms", "Bahasa Melayu"}, {"my", "မြန်မာဘာသာ"}, {"km", "ភាសាខ្មែរ"}, {"lo", "ລາວ"}, {"tl", "Filipino"},
}

// fromRoles are who may have sent a message, as the family can tell.
var fromRoles = []string{report.RoleSubject, report.RoleRansomIntermediary, report.RoleRecruiter}

func newCasePage(p page, f caseForm, inputs []string) casePage {
	cp := casePage{page: p, F: map[string]*caseField{}, Currencies: currencies}
	for _, name := range inputs {
		in := &caseField{Name: name, Label: p.T["f_"+name], Hint: p.T["hint_"+name], Value: f.v[name], Rows: caseRows[name]}
		switch name {
		case "subject_sex":
			in.Options = p.options(report.Sexes, in.Value, p.T["choose"])
		case "recruitment_method":
			in.Options = p.options(report.RecruitmentMethods, in.Value, p.T["choose"])
		case "recruitment_channel", "msg_channel":
			in.Options = p.options(report.Channels, in.Value, p.T["choose"])
		case "msg_from_role":
			in.Options = []option{{Value: "", Label: p.T["from_role_unknown"], Selected: in.Value == ""}}
			for _, r := range fromRoles {
				in.Options = append(in.Options, option{Value: r, Label: p.T["from_role_"+r], Selected: in.Value == r})
			}
		case "reporter_language":
			in.Options = []option{{Value: "", Label: p.T["choose"], Selected: in.Value == ""}}
			for _, l := range languages {
				in.Options = append(in.Options, option{Value: l.code, Label: l.name, Selected: in.Value == l.code})
			}
		case "exploitation_types":
			in.Type, in.Choices = "checkbox", p.choices(name, report.ExploitationTypes, f.ticked[name])
		case "exploitation_controls":
			in.Type, in.Choices = "checkbox", p.choices(name, report.ControlMethods, f.ticked[name])
		case "urgency":
			in.Type, in.Choices = "radio", p.choices(name, report.Urgencies, []string{in.Value})
		case "consent":
			in.Type, in.Choices = "radio", p.choices(name, report.Consents, []string{in.Value})
			for i := range in.Choices {
				in.Choices[i].Help = p.T["consent_help_"+in.Choices[i].Value]
			}
		}
		cp.F[name] = in
	}
	return cp
}

// choices are the boxes of a group over a vocabulary, those of ticked
// ticked.
func (p page) choices(name string, terms []report.Term, ticked []string) []choice {
	var out []choice
	for _, t := range terms {
		c := choice{ID: name + "-" + t.Code, Value: t.Code, Label: p.term(terms, t.Code)}
		for _, code := range ticked {
			c.Checked = c.Checked || code == t.Code
		}
		out = append(out, c)
	}
	return out
}

// addProblems shows each problem by its input; journey names the input of
// each stop of the journey. A problem with no input on the form is shown
// for the whole form.
func (cp *casePage) addProblems(problems []report.FieldError, journey []string) {
	for _, fe := range problems {
		name, key, ok := caseInputAt(fe.Pointer, journey)
		in := cp.F[name]
		if !ok || in == nil {
			cp.Problem = cp.T["case_err_form"]
			cp.Detail = strings.TrimPrefix(cp.Detail+"; "+fe.Pointer+" "+fe.Detail, "; ")
			continue
		}
		if in.Error == "" {
			in.Error = cp.T[key]
			cp.Summary = append(cp.Summary, fieldProblem{ID: name, Message: in.Error})
		}
		in.Detail = strings.TrimPrefix(in.Detail+"; "+fe.Detail, "; ")
	}
}

// caseFiledPage shows a family the private link and the code of the case
// they filed: the one time Vigil shows the code.
type caseFiledPage struct {
	page
	// URL is the absolute address to write down; Path the same on this
	// site.
	URL, Code, Path string
	// FileFailed says that the file sent with the form could not be
	// added; FileDetail says why when the file was refused, in English.
	FileFailed bool
	FileDetail string
}

// caseCodePage asks for the code of a case.
type caseCodePage struct {
	page
	Path, Problem string
}

// caseFollowPage is a family's case, and the form to add to it.
type caseFollowPage struct {
	casePage
	Path string
	// Code goes back in the form's hidden field, so that the family need
	// not type it again.
	Code string
	// Case is what the family may see of their case; nil when it could
	// not be read.
	Case  *report.Case
	Added bool
}

func newFollowPage(p page, f caseForm, path, code string) caseFollowPage {
	return caseFollowPage{casePage: newCasePage(p, f, addInputs), Path: path, Code: code}
}

// CanFileCase says whether the pages offer to report a missing person.
func (p page) CanFileCase() bool { return p.v.cases }

// caseVocabularies are the vocabularies a case page names codes from.
var caseVocabularies = map[string][]report.Term{
	"status": report.CaseStatuses, "urgency": report.Urgencies, "consent": report.Consents, "sex": report.Sexes,
	"method": report.RecruitmentMethods, "channel": report.Channels, "exploitation": report.ExploitationTypes,
	"control": report.ControlMethods, "stop": report.StopTypes,
}

// Term is the name of a code of one of caseVocabularies, in the page's
// language.
func (p page) Term(vocabulary, code string) string {
	return p.term(caseVocabularies[vocabulary], code)
}

// StatusHelp says what a case's status means for the family.
func (p page) StatusHelp(status string) string { return p.T["status_help_"+status] }

// FromRole names who sent a message.
func (p page) FromRole(role string) string {
	if s, ok := p.T["from_role_"+role]; ok {
		return s
	}
	return p.T["from_role_unknown"]
}

// When is a date, with its time of day when it has one, as the family
// wrote it.
func (p page) When(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format(time.DateOnly)
	}
	return t.Format("2006-01-02 15:04")
}

// Size is a file's size for people.
func (p page) Size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
