package share

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"vigil/internal/indicator"
	"vigil/internal/place"
	"vigil/internal/report"
)

// This file writes trafficking cases as records of IOM's Human Trafficking
// Case Data Standard (HTCDS 2.0), for referral to another organisation.
// docs/cases-htcds.md lists every column, how Vigil's codes map to the
// standard's value names, and what each consent level keeps.

// HTCDSField is one column of an HTCDS record: an HTCDS field name with
// its prefix ("prs_Gender"), or a Vigil extension ("vigil_Urgency").
type HTCDSField struct {
	Name  string
	Value string
}

// HTCDSRecord is one case as HTCDS fields, in column order. It encodes as
// a JSON object whose keys keep that order.
type HTCDSRecord struct {
	Fields []HTCDSField
}

// Get returns the value of the field named name.
func (r HTCDSRecord) Get(name string) (string, bool) {
	for _, f := range r.Fields {
		if f.Name == name {
			return f.Value, true
		}
	}
	return "", false
}

// MarshalJSON writes r as an object with its fields in column order.
func (r HTCDSRecord) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range r.Fields {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.Name)
		v, _ := json.Marshal(f.Value)
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// The redactions, as the vigil_Redaction column names them.
const (
	RedactionNone       = "unredacted"   // consent "full": everything
	RedactionAnonymised = "anonymised"   // consent "anonymised": facts, no one identifiable
	RedactionProcess    = "process_only" // consent "none" (or unknown): case id, status, urgency, consent, month filed
)

// Redaction returns the redaction a case's consent calls for. Anything
// but "full" and "anonymised" is treated as no consent: a case whose
// consent is missing or misspelt must not be shared.
func Redaction(consent string) string {
	switch consent {
	case "full":
		return RedactionNone
	case "anonymised":
		return RedactionAnonymised
	}
	return RedactionProcess
}

// HTCDS returns c as one HTCDS record, redacted by c.Consent. Journey
// stops, contact log entries, demands and case comments are numbered
// column groups ("hte_Type_1", "hte_Type_2", ...), as many as c has.
func HTCDS(c report.Case) HTCDSRecord {
	return record(c, groupsOf(c))
}

// WriteHTCDS writes cases as HTCDS records: format "csv" is one header row
// and a row a case; "json" is an array of objects with the same keys in
// the same order. The numbered column groups run to the largest number
// any case has, so every record has the same columns. CSV cells that a
// spreadsheet would read as a formula are neutralised.
func WriteHTCDS(w io.Writer, format string, cases []report.Case) error {
	if format != "csv" && format != "json" {
		return fmt.Errorf("share: HTCDS export: format %q: want csv or json", format)
	}
	var n groups
	for _, c := range cases {
		g := groupsOf(c)
		n = groups{max(n.stops, g.stops), max(n.contacts, g.contacts), max(n.demands, g.demands), max(n.comments, g.comments)}
	}
	if format == "json" {
		var b bytes.Buffer
		b.WriteString("[")
		for i, c := range cases {
			if i > 0 {
				b.WriteString(",")
			}
			j, _ := record(c, n).MarshalJSON()
			b.WriteString("\n")
			b.Write(j)
		}
		b.WriteString("\n]\n")
		_, err := w.Write(b.Bytes())
		return err
	}
	cw := csv.NewWriter(w)
	header := record(report.Case{}, n)
	row := make([]string, len(header.Fields))
	for i, f := range header.Fields {
		row[i] = f.Name
	}
	if err := cw.Write(row); err != nil {
		return err
	}
	for _, c := range cases {
		for i, f := range record(c, n).Fields {
			row[i] = cellSafe(f.Value)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// cellSafe keeps a value from being read as a formula by a spreadsheet: one
// starting with = + - @, a tab or a carriage return gets a leading
// apostrophe, unless it is a plain number ("+8613800138000", "-3.5"),
// which no spreadsheet runs. (The CLI's CSV does the same.)
func cellSafe(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "nNiIxXpP_") {
		return s
	}
	return "'" + s
}

// groups counts the entries of a case's repeated parts that its redaction
// exports.
type groups struct{ stops, contacts, demands, comments int }

func groupsOf(c report.Case) groups {
	switch Redaction(c.Consent) {
	case RedactionNone:
		return groups{len(c.Journey), len(c.ContactLog), len(c.Demands), len(c.Notes)}
	case RedactionAnonymised:
		return groups{len(c.Journey), len(c.ContactLog), len(c.Demands), 0}
	}
	return groups{}
}

// record lays out c's columns, with n entries in each numbered group.
// Every column is written for every case, empty where the redaction
// or the case has nothing, so the layout depends on n alone.
func record(c report.Case, n groups) HTCDSRecord {
	red := Redaction(c.Consent)
	full, facts := red == RedactionNone, red != RedactionProcess
	var r HTCDSRecord
	add := func(name, value string) { r.Fields = append(r.Fields, HTCDSField{name, value}) }
	// only returns v when the redaction keeps that kind of value.
	only := func(keep bool, v string) string {
		if keep {
			return v
		}
		return ""
	}
	date := func(t *time.Time) string { // a calendar date
		switch {
		case t == nil || !facts:
			return ""
		case full:
			return t.UTC().Format(time.DateOnly)
		}
		return t.UTC().Format("2006-01")
	}
	stamp := func(t time.Time) string { // an instant
		switch {
		case t.IsZero() || !facts:
			return ""
		case full:
			return t.UTC().Format(time.RFC3339)
		}
		return t.UTC().Format("2006-01")
	}
	// where is a place as far as the redaction allows: as written in
	// full, else only a gazetteer place's name.
	where := func(s string) string {
		s = strings.TrimSpace(s)
		p := lookupPlace(s)
		switch {
		case !facts || s == "":
			return ""
		case p != nil && (!full || p.ID == s):
			return p.Name
		}
		return only(full, s)
	}
	s, rc := c.Subject, c.Recruitment

	add("vigil_CaseID", c.ID)
	add("vigil_Redaction", red)
	add("vigil_Redacted", map[string]string{RedactionAnonymised: "consent_anonymised", RedactionProcess: "consent_none"}[red])

	// Person (prs_).
	add("prs_FirstName", only(full, first(s.Names)))
	add("prs_Gender", only(facts, genders[s.Sex]))
	add("prs_PrimaryLanguage", only(facts, language(s.Languages, 0)))
	add("prs_SecondaryLanguage", only(facts, language(s.Languages, 1)))
	add("prs_Citizenship", only(facts, join(s.Nationality)))
	add("prs_Email", only(full, subjectValue(c, indicator.Email)))
	add("prs_MobilePhone", only(full, subjectValue(c, indicator.Phone)))

	// Victim context (vic_). The subject is a possible victim, never a
	// perpetrator: per_RoleInProcess is for other people and is not
	// written for the subject.
	add("vic_TraffickingStatus", only(facts, "PossibleVictimOfTrafficking"))
	add("vic_AgeWhenTrafficked", only(facts, age(s.Age, full)))
	add("vic_MethodOfRecruitment", only(facts, recruitmentMethods[rc.Method]))
	add("vic_RecruitmentWebsitesAndApps", only(facts, channels[rc.Channel]))
	add("vic_LocationOfRecruitment", where(rc.Place))
	add("vic_MethodsOfControl", only(facts, mapCodes(c.Exploitation.Controls, controlMethods)))
	add("vic_TypeOfExploitation", only(facts, mapCodes(c.Exploitation.Types, exploitationTypes)))

	// Case (cas_) and its comments (cco_).
	add("cas_Status", caseStatuses[c.Status])
	add("cas_ReasonForCaseClosure", only(full, c.ClosedReason))
	add("cas_CaseOwner", only(facts, c.Assignee))
	add("cas_ReferringOrganisation", only(facts, c.Org))
	for i := range n.comments {
		var e report.Note
		if i < len(c.Notes) && full {
			e = c.Notes[i]
		}
		k := strconv.Itoa(i + 1)
		add("cco_CaseComment_"+k, e.Text)
		add("vigil_CommentAt_"+k, stamp(e.At))
		add("vigil_CommentAuthor_"+k, e.Author)
	}

	// Historic trafficking events (hte_): one group a journey stop.
	for i := range n.stops {
		var st report.Stop
		if i < len(c.Journey) && facts {
			st = c.Journey[i]
		}
		p := lookupPlace(st.Place)
		k := strconv.Itoa(i + 1)
		add("hte_Type_"+k, stopTypes[st.Type])
		add("hte_Date_"+k, date(st.Date))
		add("hte_City_"+k, where(st.Place))
		add("hte_State_"+k, placeField(p, func(p *place.Place) string { return p.Admin }))
		add("hte_Country_"+k, placeField(p, func(p *place.Place) string { return p.Country }))
		add("hte_Latitude_"+k, placeField(p, func(p *place.Place) string { return strconv.FormatFloat(p.Lat, 'f', -1, 64) }))
		add("hte_Longitude_"+k, placeField(p, func(p *place.Place) string { return strconv.FormatFloat(p.Lon, 'f', -1, 64) }))
		add("hte_Description_"+k, only(full, st.Note))
		add("vigil_StopType_"+k, st.Type)
		add("vigil_PlaceID_"+k, placeField(p, func(p *place.Place) string { return p.ID }))
	}

	// Consent (con_): a checkbox in HTCDS; the level is vigil_Consent.
	add("con_Consent", strconv.FormatBool(facts))

	// Vigil's extensions: what HTCDS has no field for.
	add("vigil_Consent", c.Consent)
	add("vigil_Status", c.Status)
	add("vigil_Urgency", c.Urgency)
	add("vigil_Created", created(c.CreatedAt, full))
	add("vigil_Updated", stamp(c.UpdatedAt))
	add("vigil_OtherNames", only(full, join(rest(s.Names))))
	add("vigil_Aliases", only(full, join(s.Aliases)))
	add("vigil_SubjectAccounts", only(full, join(s.Accounts)))
	add("vigil_Photo", only(full, s.Photo))
	add("vigil_Description", only(full, s.Description))
	add("vigil_ReporterName", only(full, c.Reporter.Name))
	add("vigil_ReporterRelationship", only(facts, c.Reporter.Relationship))
	add("vigil_ReporterContact", only(full, c.Reporter.Contact))
	add("vigil_ReporterLanguage", only(full, c.Reporter.Language))
	add("vigil_RecruitmentMethod", only(facts, rc.Method))
	add("vigil_RecruitmentChannel", only(facts, rc.Channel))
	add("vigil_RecruitmentDate", date(rc.Date))
	add("vigil_Lure", only(full, rc.Lure))
	add("vigil_Recruiters", only(full, join(rc.Recruiters)))
	add("vigil_ExploitationTypes", only(facts, join(c.Exploitation.Types)))
	add("vigil_ControlMethods", only(facts, join(c.Exploitation.Controls)))
	add("vigil_ExploitationDetail", only(full, c.Exploitation.Detail))
	add("vigil_LastKnownPlace", where(lastKnown(c.Journey)))
	var amounts, payment []string
	for _, d := range c.Demands {
		if d.Amount != nil {
			amounts = append(amounts, d.Amount.Amount+" "+d.Amount.Currency)
		}
		for _, v := range d.Payment {
			if !slices.Contains(payment, v) {
				payment = append(payment, v)
			}
		}
	}
	add("vigil_DemandAmounts", only(facts, join(amounts)))
	add("vigil_PaymentAccounts", only(full, join(payment)))
	var sums []string
	for _, e := range c.Evidence {
		sums = append(sums, e.SHA256)
	}
	add("vigil_EvidenceSHA256", only(full, join(sums)))

	for i := range n.contacts {
		var e report.ContactEntry
		if i < len(c.ContactLog) && facts {
			e = c.ContactLog[i]
		}
		k := strconv.Itoa(i + 1)
		add("vigil_ContactAt_"+k, stamp(e.At))
		add("vigil_ContactChannel_"+k, e.Channel)
		add("vigil_ContactFrom_"+k, only(full, e.From))
		add("vigil_ContactFromRole_"+k, fromRole(c, e))
		add("vigil_ContactText_"+k, only(full, e.Text))
	}
	for i := range n.demands {
		var d report.Demand
		if i < len(c.Demands) && facts {
			d = c.Demands[i]
		}
		var amount, currency string
		if d.Amount != nil {
			amount, currency = d.Amount.Amount, d.Amount.Currency
		}
		k := strconv.Itoa(i + 1)
		add("vigil_DemandAt_"+k, stamp(d.At))
		add("vigil_DemandAmount_"+k, amount)
		add("vigil_DemandCurrency_"+k, currency)
		add("vigil_DemandDeadline_"+k, date(d.Deadline))
		add("vigil_DemandIntermediaries_"+k, only(full, join(d.Intermediaries)))
		add("vigil_DemandPayment_"+k, only(full, join(d.Payment)))
		add("vigil_DemandNote_"+k, only(full, d.Note))
	}
	return r
}

// fromRole is who sent a message, never naming the subject's own account
// as anything but the subject's: a family may file a message from their
// son's account under the role of the people holding him.
func fromRole(c report.Case, e report.ContactEntry) string {
	if e.FromRole == report.RoleVictimContact {
		return report.RoleSubject
	}
	if e.FromRole == "" || e.FromRole == report.RoleSubject || strings.TrimSpace(e.From) == "" {
		return e.FromRole
	}
	for _, a := range c.Subject.Accounts {
		if sameAccount(a, e.From) {
			return report.RoleSubject
		}
	}
	for _, l := range c.Indicators {
		if l.Role == report.RoleSubject && (sameAccount(l.Raw, e.From) || sameAccount(l.Value, e.From)) {
			return report.RoleSubject
		}
	}
	return e.FromRole
}

// sameAccount tells whether two accounts as written are the same: equal
// once spaces, punctuation and case are dropped, or, for phone numbers,
// one the other's national form ("139 0013 9000", "+86 139-0013-9000").
// It errs towards the same: the cost of a miss is calling the subject's
// account a scammer's.
func sameAccount(a, b string) bool {
	na, nb := alnum(a), alnum(b)
	if na == "" || nb == "" {
		return false
	}
	if na == nb {
		return true
	}
	digits := func(s string) bool { return strings.Trim(s, "0123456789") == "" }
	if digits(na) && digits(nb) {
		na, nb = strings.TrimLeft(na, "0"), strings.TrimLeft(nb, "0")
		if len(na) > len(nb) {
			na, nb = nb, na
		}
		return len(na) >= 7 && strings.HasSuffix(nb, na)
	}
	return false
}

func alnum(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// subjectValue is the subject's first account of kind k, in canonical
// form (E.164 for phones), from the links ResolveCase derived.
func subjectValue(c report.Case, k indicator.Kind) string {
	for _, l := range c.Indicators {
		if l.Role == report.RoleSubject && l.Kind == k {
			return l.Value
		}
	}
	return ""
}

// lastKnown is the place of the journey's last stop marked last known.
func lastKnown(journey []report.Stop) string {
	for i := len(journey) - 1; i >= 0; i-- {
		if journey[i].Type == "last_known" {
			return journey[i].Place
		}
	}
	return ""
}
