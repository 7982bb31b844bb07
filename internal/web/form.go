package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"vigil/internal/report"
)

// maxRows is how many indicators the form names; more go in the
// narrative, where the extractor finds them.
const maxRows = 5

// reportForm is the report form as the person filled it in.
type reportForm struct {
	ScamType, Channel, Narrative string
	LossAmount, LossCurrency     string
	When, Country                string
	Values, Roles                [maxRows]string
}

func readReportForm(v url.Values) reportForm {
	f := reportForm{ScamType: v.Get("scam_type"), Channel: v.Get("channel"),
		Narrative:  strings.ReplaceAll(v.Get("narrative"), "\r\n", "\n"),
		LossAmount: v.Get("loss_amount"), LossCurrency: v.Get("loss_currency"),
		When: v.Get("occurred_at"), Country: v.Get("victim_country")}
	for i := range maxRows {
		f.Values[i] = v.Get(fmt.Sprintf("value%d", i+1))
		f.Roles[i] = v.Get(fmt.Sprintf("role%d", i+1))
	}
	return f
}

// report is the report the form describes. rows[i] is the form row of
// r.Indicators[i] (empty rows are skipped); problems are what the form
// itself cannot read, named by the report's JSON pointers as Validate
// names the rest.
func (f reportForm) report() (r *report.Report, rows []int, problems []report.FieldError) {
	r = &report.Report{Kind: "scam", Source: "web", ScamType: strings.TrimSpace(f.ScamType),
		Channel: strings.TrimSpace(f.Channel), Narrative: f.Narrative,
		VictimCountry: strings.TrimSpace(f.Country)}
	if strings.TrimSpace(f.LossAmount) != "" || strings.TrimSpace(f.LossCurrency) != "" {
		r.Loss = &report.Money{Amount: f.LossAmount, Currency: f.LossCurrency}
	}
	if when := strings.TrimSpace(f.When); when != "" {
		t, err := time.Parse(time.DateOnly, when)
		if err != nil {
			problems = append(problems, report.FieldError{Pointer: "/occurred_at", Detail: fmt.Sprintf("%q is not a date such as 2024-05-31", when)})
		} else {
			r.OccurredAt = &t
		}
	}
	for i, v := range f.Values {
		if v = strings.TrimSpace(v); v != "" {
			r.Indicators = append(r.Indicators, report.Link{Value: v, Role: f.Roles[i]})
			rows = append(rows, i)
		}
	}
	return r, rows, problems
}

// reportPage is the report form: what the person wrote, and what is wrong
// with it.
type reportPage struct {
	page
	// Problem is about the whole form; Detail is the reader's words on it,
	// in English.
	Problem, Detail string
	// Summary lists every field problem, linked to its field.
	Summary                      []fieldProblem
	ScamType, Channel, Narrative field
	LossAmount, LossCurrency     field
	When, Country                field
	Rows                         []indicatorRow
	Currencies                   []string
}

// field is one input: its name (also its id), label, hint, value, and
// problem.
type field struct {
	Name, Label, Hint, Value string
	Options                  []option
	Error                    string
	// Detail is the validator's words, in English.
	Detail string
}

// indicatorRow is one indicator the person names, numbered from 1.
type indicatorRow struct {
	N           int
	Value, Role field
}

// fieldProblem is one entry of the summary of problems.
type fieldProblem struct{ ID, Message string }

// currencies are offered as suggestions; any ISO 4217 code or common
// crypto-currency code is accepted.
var currencies = []string{"CNY", "USD", "USDT", "THB", "MYR", "SGD", "VND", "IDR", "PHP", "MMK", "KHR", "LAK", "HKD", "TWD", "KRW", "JPY", "INR", "EUR", "GBP", "AUD", "BTC", "ETH"}

func newReportPage(p page, f reportForm) reportPage {
	rp := reportPage{page: p, Currencies: currencies,
		ScamType: field{Name: "scam_type", Label: p.T["f_scam_type"], Value: f.ScamType,
			Options: p.options(report.ScamTypes, f.ScamType, p.T["choose"])},
		Channel: field{Name: "channel", Label: p.T["f_channel"], Value: f.Channel,
			Options: p.options(report.Channels, f.Channel, p.T["choose"])},
		Narrative:    field{Name: "narrative", Label: p.T["f_narrative"], Hint: p.T["hint_narrative"], Value: f.Narrative},
		LossAmount:   field{Name: "loss_amount", Label: p.T["f_loss_amount"], Hint: p.T["hint_loss_amount"], Value: f.LossAmount},
		LossCurrency: field{Name: "loss_currency", Label: p.T["f_loss_currency"], Hint: p.T["hint_loss_currency"], Value: f.LossCurrency},
		When:         field{Name: "occurred_at", Label: p.T["f_when"], Value: f.When},
		Country:      field{Name: "victim_country", Label: p.T["f_country"], Hint: p.T["hint_country"], Value: f.Country},
	}
	for i := range maxRows {
		n := strconv.Itoa(i + 1)
		rp.Rows = append(rp.Rows, indicatorRow{N: i + 1,
			Value: field{Name: "value" + n, Label: fmt.Sprintf(p.T["f_indicator_value"], i+1), Value: f.Values[i]},
			Role: field{Name: "role" + n, Label: fmt.Sprintf(p.T["f_indicator_role"], i+1), Value: f.Roles[i],
				Options: p.options(report.Roles, f.Roles[i], p.T["role_auto"])}})
	}
	return rp
}

// options are the entries of a select box over a vocabulary, led by none
// (the empty value).
func (p page) options(terms []report.Term, selected, none string) []option {
	out := []option{{Value: "", Label: none, Selected: selected == ""}}
	for _, t := range terms {
		out = append(out, option{Value: t.Code, Label: p.term(terms, t.Code), Selected: t.Code == selected})
	}
	return out
}

// addProblems shows each problem by its field; rows maps the report's
// indicators to form rows. A problem with no field on the form is shown
// for the whole form.
func (rp *reportPage) addProblems(problems []report.FieldError, rows []int) {
	for _, fe := range problems {
		f, key := rp.fieldAt(fe.Pointer, rows)
		if f == nil {
			rp.Problem = rp.T["err_form"]
			rp.Detail = strings.TrimPrefix(rp.Detail+"; "+fe.Pointer+" "+fe.Detail, "; ")
			continue
		}
		if f.Error == "" {
			f.Error = rp.T[key]
			rp.Summary = append(rp.Summary, fieldProblem{ID: f.Name, Message: f.Error})
		}
		f.Detail = strings.TrimPrefix(f.Detail+"; "+fe.Detail, "; ")
	}
}

// fieldAt is the field a report's JSON pointer names, and the catalogue
// key of its message.
func (rp *reportPage) fieldAt(pointer string, rows []int) (*field, string) {
	switch pointer {
	case "/scam_type":
		return &rp.ScamType, "err_scam_type"
	case "/channel":
		return &rp.Channel, "err_channel"
	case "/narrative":
		return &rp.Narrative, "err_narrative"
	case "/loss":
		return &rp.LossAmount, "err_loss"
	case "/occurred_at":
		return &rp.When, "err_when"
	case "/victim_country":
		return &rp.Country, "err_country"
	}
	// "/indicators/3/value"
	parts := strings.Split(pointer, "/")
	if len(parts) != 4 || parts[1] != "indicators" {
		return nil, ""
	}
	i, err := strconv.Atoi(parts[2])
	if err != nil || i < 0 || i >= len(rows) {
		return nil, ""
	}
	row := &rp.Rows[rows[i]]
	switch parts[3] {
	case "value":
		return &row.Value, "err_value"
	case "role":
		return &row.Role, "err_role"
	}
	return nil, ""
}
