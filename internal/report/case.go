package report

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"vigil/internal/indicator"
)

// Case is a person missing or held: what a family or a caseworker knows of
// them, of how they were lured, where they went, who holds them and what
// was demanded. Field names follow IOM's Human Trafficking Case Data
// Standard (HTCDS) where the two overlap (docs/cases.md maps them). All of
// it but the status, urgency, owner, assignee, consent and timestamps is
// personal data: the store keeps it sealed.
type Case struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Urgency  string `json:"urgency"`
	Org      string `json:"org,omitempty"`      // owner organisation
	Assignee string `json:"assignee,omitempty"` // the caseworker (a user id)
	// Consent is what the subject's family agreed may be shared with
	// other organisations: "none", "anonymised" or "full" (HTCDS
	// con_Consent, vic_AgreementToManagePersonalData).
	Consent      string         `json:"consent"`
	Subject      Person         `json:"subject"`
	Reporter     CaseReporter   `json:"reporter"`
	Recruitment  Recruitment    `json:"recruitment"`
	Journey      []Stop         `json:"journey"`
	Exploitation Exploitation   `json:"exploitation"`
	ContactLog   []ContactEntry `json:"contact_log"`
	Demands      []Demand       `json:"demands"`
	// Notes are the caseworkers' (HTCDS cco_CaseComment); never shown to
	// the family.
	Notes []Note `json:"notes"`
	// ClosedReason says why a closed case closed (cas_ReasonForCaseClosure).
	ClosedReason string `json:"closed_reason,omitempty"`
	// Source says how the case arrived: web (a family's form) or api.
	Source    string    `json:"source"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Version increases with every change; an update of an older version
	// is refused, so two editors cannot overwrite each other unseen.
	Version int `json:"version"`

	// Indicators are derived by ResolveCase: every value in the case, in
	// canonical form, with its role ("subject_contact" for the subject's
	// own accounts).
	Indicators []Link `json:"indicators"`
	// Places are derived by ResolveCase: the gazetteer ids of the places
	// the case mentions.
	Places []string `json:"places"`
	// Evidence lists the files attached (metadata only; set by the store).
	Evidence []EvidenceRef `json:"evidence"`
}

// Person is the subject of a case (HTCDS prs_*, vic_*).
type Person struct {
	Names       []string `json:"names"`   // in any script
	Aliases     []string `json:"aliases"` // nicknames, the names used in the compound
	Age         int      `json:"age,omitempty"`
	Sex         string   `json:"sex,omitempty"`         // female, male, other, unknown
	Nationality []string `json:"nationality,omitempty"` // ISO 3166 alpha-2
	Languages   []string `json:"languages,omitempty"`   // BCP 47
	// Accounts are the subject's own phone numbers and handles, as
	// written: matched against scam reports for "possible forced scammer"
	// leads, never labelled as a scammer's.
	Accounts []string `json:"accounts,omitempty"`
	// Photo is the id of an evidence file showing the subject.
	Photo       string `json:"photo,omitempty"`
	Description string `json:"description,omitempty"`
}

// CaseReporter is who filed the case and how to reach them.
type CaseReporter struct {
	Name         string `json:"name,omitempty"`
	Relationship string `json:"relationship,omitempty"` // mother, brother, friend, ngo, ...
	Contact      string `json:"contact,omitempty"`
	Language     string `json:"language,omitempty"`
}

// Recruitment is how the subject was lured (HTCDS vic_MethodOfRecruitment,
// vic_RecruitmentWebsitesAndApps, vic_LocationOfRecruitment).
type Recruitment struct {
	Method string `json:"method,omitempty"` // a RecruitmentMethods code
	// Lure is the job offer or message as received.
	Lure    string     `json:"lure,omitempty"`
	Channel string     `json:"channel,omitempty"` // a Channels code
	Date    *time.Time `json:"date,omitempty"`
	Place   string     `json:"place,omitempty"` // as written, or a gazetteer id
	// Recruiters are the recruiter's phone numbers, handles, links.
	Recruiters []string `json:"recruiters,omitempty"`
}

// Stop is a place on the journey (HTCDS hte_*).
type Stop struct {
	Place string     `json:"place"`          // as written, or a gazetteer id
	Type  string     `json:"type,omitempty"` // recruitment, transit, exploitation, last_known
	Date  *time.Time `json:"date,omitempty"`
	Note  string     `json:"note,omitempty"`
}

// Exploitation is what the subject is made to do and how they are held
// (HTCDS vic_TypeOfExploitation, vic_MethodsOfControl).
type Exploitation struct {
	Types    []string `json:"types,omitempty"`    // ExploitationTypes codes
	Controls []string `json:"controls,omitempty"` // ControlMethods codes
	Detail   string   `json:"detail,omitempty"`
}

// ContactEntry is one message received about or from the subject.
type ContactEntry struct {
	At      time.Time `json:"at"`
	Channel string    `json:"channel,omitempty"`
	// From is the account it came from, as written.
	From string `json:"from,omitempty"`
	// FromRole is who that account is: "subject_contact" (the subject
	// themself), "ransom_intermediary", "recruiter", "scammer_contact",
	// "mentioned" (default).
	FromRole string `json:"from_role,omitempty"`
	Text     string `json:"text,omitempty"`
}

// Demand is a ransom or "debt" demand.
type Demand struct {
	At       time.Time  `json:"at"`
	Amount   *Money     `json:"amount,omitempty"`
	Deadline *time.Time `json:"deadline,omitempty"`
	// Intermediaries relayed the demand; Payment is where to pay.
	Intermediaries []string `json:"intermediaries,omitempty"`
	Payment        []string `json:"payment,omitempty"`
	Note           string   `json:"note,omitempty"`
}

// Note is a caseworker's note.
type Note struct {
	At     time.Time `json:"at"`
	Author string    `json:"author,omitempty"`
	Text   string    `json:"text"`
}

// EvidenceRef describes an attached file.
type EvidenceRef struct {
	ID          string    `json:"id"`
	Name        string    `json:"name,omitempty"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	PHash       string    `json:"phash,omitempty"` // 64-bit perceptual hash, hex; images only
	Note        string    `json:"note,omitempty"`
	AddedAt     time.Time `json:"added_at"`
}

// RoleSubject is the role of the subject's own accounts in a case.
const RoleSubject = "subject_contact"

// Case statuses.
const (
	CaseReported       = "reported"
	CaseUnderReview    = "under_review"
	CaseLocated        = "located"
	CaseRescueUnderway = "rescue_underway"
	CaseRescued        = "rescued"
	CaseRepatriated    = "repatriated"
	CaseClosed         = "closed"
	CaseLostContact    = "lost_contact"
)

// CaseStatuses is the case lifecycle.
var CaseStatuses = []Term{
	{CaseReported, "Reported", "已报告"},
	{CaseUnderReview, "Under review", "审核中"},
	{CaseLocated, "Located", "已找到下落"},
	{CaseRescueUnderway, "Rescue under way", "正在营救"},
	{CaseRescued, "Rescued", "已获救"},
	{CaseRepatriated, "Repatriated", "已回国"},
	{CaseClosed, "Closed", "已结案"},
	{CaseLostContact, "Lost contact", "失去联系"},
}

// Urgencies of a case.
var Urgencies = []Term{
	{"low", "Low", "低"},
	{"medium", "Medium", "中"},
	{"high", "High: threatened or hurt", "高：受到威胁或伤害"},
	{"critical", "Critical: life in danger", "紧急：生命危险"},
}

// Consents say what may be shared with other organisations.
var Consents = []Term{
	{"none", "Nothing: keep it within the organisation", "不共享"},
	{"anonymised", "Facts without names, contacts or photos", "仅共享匿名信息"},
	{"full", "Everything, to help find them", "全部共享以便寻人"},
}

// RecruitmentMethods (HTCDS vic_MethodOfRecruitment, simplified).
var RecruitmentMethods = []Term{
	{"online_ad", "An online job advertisement", "网络招聘广告"},
	{"social_network", "Through social networks or chat apps", "社交软件"},
	{"acquaintance", "Through a friend, relative or acquaintance", "熟人介绍"},
	{"agency", "Through an agency or broker", "中介"},
	{"in_person", "Approached in person", "当面招募"},
	{"abduction", "Abducted", "绑架"},
	{"other", "Other", "其他"},
}

// ExploitationTypes (HTCDS vic_TypeOfExploitation, with forced criminality
// for forced scamming).
var ExploitationTypes = []Term{
	{"forced_criminality", "Forced to commit crimes (forced scamming)", "被迫从事犯罪（被迫诈骗）"},
	{"forced_labour", "Forced labour", "强迫劳动"},
	{"sexual_exploitation", "Sexual exploitation", "性剥削"},
	{"servitude", "Servitude", "奴役"},
	{"forced_marriage", "Forced marriage", "强迫婚姻"},
	{"organ_removal", "Organ removal", "器官摘取"},
	{"other", "Other", "其他"},
}

// ControlMethods (HTCDS vic_MethodsOfControl).
var ControlMethods = []Term{
	{"withholds_documents", "Passport or documents taken", "扣押证件"},
	{"debt_bondage", "Debt bondage: told to pay off a debt", "债务捆绑"},
	{"physical_abuse", "Beaten or hurt", "殴打"},
	{"threats", "Threats against them or their family", "威胁本人或家人"},
	{"restricts_movement", "Not allowed to leave", "限制人身自由"},
	{"takes_earnings", "Earnings taken", "克扣收入"},
	{"excessive_hours", "Excessive working hours", "超长工时"},
	{"sold", "Sold or resold", "被转卖"},
	{"withholds_necessities", "Food, sleep or medical care withheld", "克扣食物、睡眠或医疗"},
	{"other", "Other", "其他"},
}

// StopTypes are the kinds of place on a journey (HTCDS hte_Type).
var StopTypes = []Term{
	{"recruitment", "Recruitment", "招募地"},
	{"transit", "Transit", "途经地"},
	{"exploitation", "Exploitation", "被剥削地"},
	{"last_known", "Last known", "最后已知位置"},
}

// Sexes (HTCDS prs_Gender, simplified).
var Sexes = []Term{
	{"female", "Female", "女"},
	{"male", "Male", "男"},
	{"other", "Other", "其他"},
	{"unknown", "Unknown", "不详"},
}

// Limits on what one case may hold.
const (
	MaxCaseText    = 64 << 10 // bytes in one text field
	MaxCaseEntries = 500      // contact log entries, demands, notes, stops, names
	MaxCaseValues  = 50       // values in one list of accounts
)

// Closed tells whether the case is closed: it no longer matches anything,
// produces no leads and is not listed on place pages.
func (c *Case) Closed() bool { return c.Status == CaseClosed }

// Validate checks a case as submitted and fills in defaults: status
// "reported", urgency "medium", consent "none". It returns a
// *ValidationError naming every invalid field.
func (c *Case) Validate() error {
	var fe []FieldError
	bad := func(ptr, format string, args ...any) {
		fe = append(fe, FieldError{ptr, fmt.Sprintf(format, args...)})
	}
	text := func(ptr, s string, max int) {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			bad(ptr, "must be UTF-8 text without NUL characters")
		} else if len(s) > max {
			bad(ptr, "is longer than %d bytes", max)
		}
	}
	vocab := func(ptr, code string, terms []Term) {
		if code != "" && !has(terms, code) {
			bad(ptr, "must be one of %s", strings.Join(codes(terms), ", "))
		}
	}
	list := func(ptr string, ss []string, max, each int) {
		if len(ss) > max {
			bad(ptr, "holds more than %d entries", max)
			return
		}
		for i, s := range ss {
			text(fmt.Sprintf("%s/%d", ptr, i), s, each)
		}
	}
	date := func(ptr string, t *time.Time) *time.Time {
		if t == nil {
			return nil
		}
		if t.Year() < 1950 || t.After(time.Now().Add(366*24*time.Hour)) {
			bad(ptr, "is not a plausible date")
		}
		u := t.UTC()
		return &u
	}
	if c.Status == "" {
		c.Status = CaseReported
	}
	vocab("/status", c.Status, CaseStatuses)
	if c.Urgency == "" {
		c.Urgency = "medium"
	}
	vocab("/urgency", c.Urgency, Urgencies)
	if c.Consent == "" {
		c.Consent = "none"
	}
	vocab("/consent", c.Consent, Consents)

	s := &c.Subject
	list("/subject/names", s.Names, 20, 200)
	list("/subject/aliases", s.Aliases, 20, 200)
	if len(s.Names) == 0 && len(s.Aliases) == 0 {
		bad("/subject/names", "is required: the name of the person missing or held")
	}
	if s.Age < 0 || s.Age > 120 {
		bad("/subject/age", "must be between 0 and 120")
	}
	vocab("/subject/sex", s.Sex, Sexes)
	for i, n := range s.Nationality {
		s.Nationality[i] = strings.ToUpper(n)
		if !indicator.RegionKnown(s.Nationality[i]) {
			bad(fmt.Sprintf("/subject/nationality/%d", i), "must be an ISO 3166 alpha-2 code such as CN")
		}
	}
	list("/subject/languages", s.Languages, 10, 35)
	list("/subject/accounts", s.Accounts, MaxCaseValues, 2048)
	text("/subject/photo", s.Photo, 64)
	text("/subject/description", s.Description, MaxCaseText)

	text("/reporter/name", c.Reporter.Name, 200)
	text("/reporter/relationship", c.Reporter.Relationship, 100)
	text("/reporter/contact", c.Reporter.Contact, 512)
	text("/reporter/language", c.Reporter.Language, 35)

	rc := &c.Recruitment
	vocab("/recruitment/method", rc.Method, RecruitmentMethods)
	vocab("/recruitment/channel", rc.Channel, Channels)
	text("/recruitment/lure", rc.Lure, MaxCaseText)
	text("/recruitment/place", rc.Place, 200)
	rc.Date = date("/recruitment/date", rc.Date)
	list("/recruitment/recruiters", rc.Recruiters, MaxCaseValues, 2048)

	if len(c.Journey) > MaxCaseEntries {
		bad("/journey", "holds more than %d entries", MaxCaseEntries)
	}
	for i := range c.Journey {
		st := &c.Journey[i]
		p := fmt.Sprintf("/journey/%d", i)
		if strings.TrimSpace(st.Place) == "" {
			bad(p+"/place", "is required")
		}
		text(p+"/place", st.Place, 200)
		vocab(p+"/type", st.Type, StopTypes)
		text(p+"/note", st.Note, MaxCaseText)
		st.Date = date(p+"/date", st.Date)
	}
	for i, t := range c.Exploitation.Types {
		vocab(fmt.Sprintf("/exploitation/types/%d", i), t, ExploitationTypes)
	}
	for i, t := range c.Exploitation.Controls {
		vocab(fmt.Sprintf("/exploitation/controls/%d", i), t, ControlMethods)
	}
	text("/exploitation/detail", c.Exploitation.Detail, MaxCaseText)

	if len(c.ContactLog) > MaxCaseEntries {
		bad("/contact_log", "holds more than %d entries", MaxCaseEntries)
	}
	for i := range c.ContactLog {
		e := &c.ContactLog[i]
		p := fmt.Sprintf("/contact_log/%d", i)
		if e.At.IsZero() {
			e.At = time.Now()
		}
		e.At = e.At.UTC()
		vocab(p+"/channel", e.Channel, Channels)
		text(p+"/from", e.From, 2048)
		if e.FromRole == "" {
			e.FromRole = RoleMentioned
		}
		if e.FromRole != RoleSubject && e.FromRole != RoleVictimContact && !has(Roles, e.FromRole) {
			bad(p+"/from_role", "must be subject_contact or one of %s", strings.Join(codes(Roles), ", "))
		}
		text(p+"/text", e.Text, MaxCaseText)
	}
	if len(c.Demands) > MaxCaseEntries {
		bad("/demands", "holds more than %d entries", MaxCaseEntries)
	}
	for i := range c.Demands {
		d := &c.Demands[i]
		p := fmt.Sprintf("/demands/%d", i)
		if d.At.IsZero() {
			d.At = time.Now()
		}
		d.At = d.At.UTC()
		if d.Amount != nil {
			m, err := ParseMoney(d.Amount.Amount, d.Amount.Currency)
			if err != nil {
				bad(p+"/amount", "%v", err)
			} else {
				*d.Amount = m
			}
		}
		d.Deadline = date(p+"/deadline", d.Deadline)
		list(p+"/intermediaries", d.Intermediaries, MaxCaseValues, 2048)
		list(p+"/payment", d.Payment, MaxCaseValues, 2048)
		text(p+"/note", d.Note, MaxCaseText)
	}
	if len(c.Notes) > MaxCaseEntries {
		bad("/notes", "holds more than %d entries", MaxCaseEntries)
	}
	for i := range c.Notes {
		n := &c.Notes[i]
		if n.At.IsZero() {
			n.At = time.Now()
		}
		n.At = n.At.UTC()
		text(fmt.Sprintf("/notes/%d/text", i), n.Text, MaxCaseText)
	}
	text("/closed_reason", c.ClosedReason, MaxCaseText)
	if len(fe) > 0 {
		return &ValidationError{fe}
	}
	return nil
}

// DisplayName is how the case names its subject: the first name given,
// else the first alias.
func (c *Case) DisplayName() string {
	if len(c.Subject.Names) > 0 {
		return c.Subject.Names[0]
	}
	if len(c.Subject.Aliases) > 0 {
		return c.Subject.Aliases[0]
	}
	return ""
}

// CaseAddition is what a family adds to its case after filing: messages
// received, demands, the subject's accounts, anything else they learn.
type CaseAddition struct {
	ContactLog []ContactEntry `json:"contact_log,omitempty"`
	Demands    []Demand       `json:"demands,omitempty"`
	Accounts   []string       `json:"accounts,omitempty"` // the subject's own
	Journey    []Stop         `json:"journey,omitempty"`
	Info       string         `json:"info,omitempty"`
}

// Empty tells whether a adds nothing.
func (a CaseAddition) Empty() bool {
	return len(a.ContactLog) == 0 && len(a.Demands) == 0 && len(a.Accounts) == 0 && len(a.Journey) == 0 && a.Info == ""
}

// Apply appends a to c. The family's free text becomes a note signed
// "family", so caseworkers see where it came from. Validate c afterwards.
func (a CaseAddition) Apply(c *Case, at time.Time) {
	c.ContactLog = append(c.ContactLog, a.ContactLog...)
	c.Demands = append(c.Demands, a.Demands...)
	c.Subject.Accounts = append(c.Subject.Accounts, a.Accounts...)
	c.Journey = append(c.Journey, a.Journey...)
	if a.Info != "" {
		c.Notes = append(c.Notes, Note{At: at, Author: "family", Text: a.Info})
	}
}

// ForFamily is the case as its family sees it through their link: what
// they told Vigil, the notes they added and the status, but not the
// caseworkers' notes, the assignee or anything matched from elsewhere
// (leads name other people's reports and cases).
func (c Case) ForFamily() Case {
	f := c
	f.Assignee, f.Org = "", ""
	f.Notes = nil
	for _, n := range c.Notes {
		if n.Author == "family" {
			f.Notes = append(f.Notes, n)
		}
	}
	f.Indicators, f.Evidence = nil, nil
	for _, e := range c.Evidence {
		f.Evidence = append(f.Evidence, EvidenceRef{ID: e.ID, Name: e.Name, ContentType: e.ContentType, Size: e.Size, AddedAt: e.AddedAt})
	}
	return f
}
