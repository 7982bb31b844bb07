package store

import (
	"context"
	"time"

	"vigil/internal/report"
)

// Cases keeps trafficking cases, their evidence and the leads that join
// them to scam reports and to each other (docs/cases.md).
//
// Who sees a case: caseworkers of its owner organisation, and accounts
// with Viewer.AllCases (admins). The public sees nothing of any case; a
// family reaches its own case only through its capability token
// (CaseByToken). Every read of a case is written to the audit log.
type Cases interface {
	// AddCase stores a validated, resolved case (report.ResolveCase): its
	// personal data sealed, its indicators kept only as blind-index keys.
	// c.ID, CreatedAt, UpdatedAt and Version are set. Leads are matched in
	// the same transaction. A repeat of a filing (CaseFiling.Idem) stores
	// nothing and returns the first filing's id and answer (replay non-nil).
	AddCase(ctx context.Context, c *report.Case, f CaseFiling) (id string, replay []byte, err error)
	// Case returns one case, unsealed, with its evidence listed;
	// ErrNotFound when it does not exist or v may not see it. The read is
	// audited.
	Case(ctx context.Context, v Viewer, id string) (report.Case, error)
	// CaseByToken returns the case a family's capability token opens, and
	// the hash of its code, for the caller to check; ErrNotFound when none.
	// It does not audit: the caller records the read (AppendAudit) once
	// the code has been checked, so a wrong code is not logged as a read.
	CaseByToken(ctx context.Context, tokenHash string) (report.Case, string, error)
	// Cases lists the cases v may see, most recently updated first.
	Cases(ctx context.Context, v Viewer, q CaseQuery) ([]report.Case, string, error)
	// UpdateCase replaces a case's fields with c's (validated, resolved),
	// provided c.Version is the stored version (else ErrConflict), and
	// matches its leads anew. Owner, assignee and status change here too.
	UpdateCase(ctx context.Context, c *report.Case) error
	// AddEvidence stores a file of a case, sealed; the caller has
	// computed its SHA-256 and, for an image, its perceptual hash.
	AddEvidence(ctx context.Context, caseID string, e report.EvidenceRef, data []byte) (report.EvidenceRef, error)
	// Evidence returns one file of a case v may see, unsealed (audited).
	Evidence(ctx context.Context, v Viewer, caseID, evidenceID string) (report.EvidenceRef, []byte, error)
	// Leads returns the leads of a case v may see, computed now from
	// what v may see: the reports by their TLP, the other cases by their
	// owner (another organisation's case is named by its organisation
	// only).
	Leads(ctx context.Context, v Viewer, caseID string) ([]Lead, error)
	// Place returns what mentions a gazetteer place: the reports v may
	// see and, when v may see cases (CaseReader), the open cases v may see.
	Place(ctx context.Context, v Viewer, placeID string) (PlaceActivity, error)
	// ForcedScammer tells, for each report id, whether a case names one of
	// the report's indicators as the subject's own account: the report's
	// "scammer" may be a trafficked person forced to scam.
	ForcedScammer(ctx context.Context, reportIDs []string) (map[string]bool, error)
}

// CaseFiling is how a case is filed.
type CaseFiling struct {
	// Family, when set, is the family's access to the case.
	Family *FamilyAccess
	// Idem makes a filing safe to retry: within a day, a repeat (same key
	// and hash) returns the first case and Answer; the same key with
	// another hash is ErrConflict.
	Idem Idempotency
	// Answer is what the filer was told (the family's link and code),
	// kept sealed with the key for a day so that a retry gets it back.
	Answer []byte
}

// FilingTTL is how long a case filing's Idempotency-Key is remembered.
const FilingTTL = 24 * time.Hour

// FamilyAccess is how a family reaches its case without an account.
type FamilyAccess struct {
	TokenHash string
	CodeHash  string
}

// CaseQuery selects cases.
type CaseQuery struct {
	Status   string // empty: all
	Assignee string
	Place    string // a gazetteer id
	Limit    int    // default 50, at most 500
	Cursor   string
}

// SeesCase tells whether v may see a case owned by org.
func (v Viewer) SeesCase(org string) bool {
	return v.All || v.AllCases || (org != "" && v.Org != "" && org == v.Org && v.CaseReader)
}

// Lead kinds.
const (
	// LeadReports: a value of the case (a recruiter's account, a ransom
	// intermediary's number, the wallet a ransom was to be paid into) is
	// named in scam reports.
	LeadReports = "reports"
	// LeadForcedScammer: the subject's own account is named as a
	// scammer's contact in scam reports: they may be held and made to
	// scam from it. Never a label of the person.
	LeadForcedScammer = "possible_forced_scammer"
	// LeadCase: a value of the case is in another open case.
	LeadCase = "case"
	// LeadPhoto: the same photo (perceptual hash) is evidence in another
	// open case.
	LeadPhoto = "photo"
)

// Lead is a match between a case and what else Vigil knows.
type Lead struct {
	// ID is stable: the same match keeps its id as it grows or shrinks.
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// Strength is 0..1: more independent reporters, verified reports and
	// trusted organisations make it stronger; a disputed value halves it.
	Strength float64 `json:"strength"`
	Level    string  `json:"level"` // low, medium, high
	// Indicator is the case's value that matched and Role its role in
	// the case.
	Indicator *Key   `json:"indicator,omitempty"`
	Role      string `json:"role,omitempty"`
	// The reports that name it (those the reader may see; Reports lists
	// at most MaxListed ids), the roles it had in them, their scam types,
	// networks and dates.
	Reports     []string   `json:"reports,omitempty"`
	ReportCount int        `json:"report_count,omitempty"`
	Reporters   int        `json:"reporters,omitempty"`
	ReportRoles []string   `json:"report_roles,omitempty"`
	ScamTypes   []string   `json:"scam_types,omitempty"`
	Networks    []string   `json:"networks,omitempty"`
	FirstSeen   *time.Time `json:"first_seen,omitempty"`
	LastSeen    *time.Time `json:"last_seen,omitempty"`
	// Case is the other case (LeadCase, LeadPhoto) when the reader may
	// see it; CaseOrg is the organisation that holds it, to contact.
	Case    string `json:"case,omitempty"`
	CaseOrg string `json:"case_org,omitempty"`
	// Evidence is this case's file and Distance the Hamming distance of
	// the two perceptual hashes (LeadPhoto).
	Evidence string `json:"evidence,omitempty"`
	Distance int    `json:"distance,omitempty"`
	Disputed bool   `json:"disputed,omitempty"`
	// Path says how the match was made, for a person: "the payment
	// account in this case's demand (TBhC...) is named as payment in 7
	// investment reports in network 01J..., 2025-03 to 2025-09".
	Path string `json:"path"`
	// Since is when the lead first appeared.
	Since time.Time `json:"since"`
}

// PlaceActivity is what mentions a place.
type PlaceActivity struct {
	Place   string   `json:"place"`
	Reports []string `json:"reports"`
	// Cases is nil for a viewer who may not see cases.
	Cases []PlaceCase `json:"cases,omitempty"`
}

// PlaceCase is an open case that mentions a place.
type PlaceCase struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Urgency string `json:"urgency"`
}

// Watches are what accounts watch and the alerts and webhook deliveries
// that changes produce.
type Watches interface {
	// AddWatch stores a watch. Target is a case id, a network id, or
	// "kind:value" (a canonical indicator) by Kind. A webhook secret,
	// when set, is kept sealed and never returned again.
	AddWatch(ctx context.Context, w Watch) (Watch, error)
	// Watches lists a user's watches.
	Watches(ctx context.Context, user string) ([]Watch, error)
	// DeleteWatch removes a user's watch; ErrNotFound when it is not theirs.
	DeleteWatch(ctx context.Context, user, id string) error
	// Alerts lists a user's alerts, newest first.
	Alerts(ctx context.Context, user string, limit int) ([]Alert, error)
	// Deliveries lists the webhook deliveries of a user's watch (the
	// delivery log), newest first.
	Deliveries(ctx context.Context, user, watchID string, limit int) ([]Delivery, error)
	// DueDeliveries returns pending deliveries due at now, with their
	// bodies and secrets, for the webhook sender.
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]PendingDelivery, error)
	// RecordDelivery records one attempt of a delivery: delivered, or
	// failed with next the time of the next attempt (zero: give up).
	RecordDelivery(ctx context.Context, id string, a Attempt, next time.Time) error
}

// Watch kinds.
const (
	WatchCase    = "case"
	WatchNetwork = "network"
	WatchValue   = "value"
)

// Watch is one thing an account watches.
type Watch struct {
	ID         string    `json:"id"`
	User       string    `json:"-"`
	Kind       string    `json:"kind"`
	Target     string    `json:"target"`
	WebhookURL string    `json:"webhook_url,omitempty"`
	Secret     string    `json:"secret,omitempty"` // only when created
	CreatedAt  time.Time `json:"created_at"`
}

// Alert is one change a watch saw. It carries ids, never personal data:
// the same body goes to webhooks outside Vigil.
type Alert struct {
	ID        string    `json:"id"`
	Watch     string    `json:"watch"`
	Event     string    `json:"event"` // lead.new, lead.gone, report.new
	Case      string    `json:"case,omitempty"`
	Lead      string    `json:"lead,omitempty"`
	LeadKind  string    `json:"lead_kind,omitempty"`
	Report    string    `json:"report,omitempty"`
	Network   string    `json:"network,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Delivery is a webhook delivery of an alert and its attempts so far.
type Delivery struct {
	ID          string     `json:"id"`
	Alert       string     `json:"alert"`
	Watch       string     `json:"watch"`
	URL         string     `json:"url"`
	Status      string     `json:"status"` // pending, delivered, failed
	Attempts    int        `json:"attempts"`
	LastCode    int        `json:"last_code,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	NextAt      *time.Time `json:"next_at,omitempty"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
}

// PendingDelivery is a delivery due, with what the sender needs.
type PendingDelivery struct {
	Delivery
	Body   []byte
	Secret []byte
}

// Attempt is the outcome of one delivery attempt.
type Attempt struct {
	At    time.Time
	Code  int    // HTTP status; 0 when no answer
	Error string // empty when delivered
}
