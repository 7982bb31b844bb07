// Package store keeps reports, their indicators and the networks they form,
// and answers lookups. Store is the interface; package sqlstore implements
// it over SQLite (the embedded default) and PostgreSQL, and storetest is
// the conformance suite both pass.
package store

import (
	"context"
	"errors"
	"slices"
	"time"

	"vigil/internal/indicator"
	"vigil/internal/report"
)

// Errors a Store returns; callers decide with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	// ErrConflict is an Idempotency-Key reused with a different request,
	// or a name that is taken.
	ErrConflict = errors.New("conflict")
)

// Viewer is who reads: what they may see of reports follows from it
// (docs/permissions.md, "Who sees a report"). The zero Viewer is the
// public. Every read of reports, networks, paths and lookups takes one.
type Viewer struct {
	// User is the reading account ("key:" and an id for an API key).
	User string
	// Org is the viewer's organisation; Member is set when it has one
	// (members see TLP:GREEN).
	Org    string
	Member bool
	// AmberOrgs are the organisations whose TLP:AMBER reports the viewer
	// sees: its own and those that list it as a partner.
	AmberOrgs []string
	// All is the operator at the command line, who holds the database and
	// its key anyway: it sees every report. Never set for a request.
	All bool
	// CaseReader is set for a viewer who may read its organisation's
	// cases (permission case.read); AllCases for one who may read every
	// organisation's (an admin). See SeesCase.
	CaseReader bool
	AllCases   bool
}

// Public tells whether v is the public: it sees TLP:CLEAR reports only.
func (v Viewer) Public() bool { return v.User == "" && !v.Member && v.Org == "" && !v.All }

// Sees tells whether v may see a report labelled tlp, owned by org and
// written by author. The store's SQL filter says the same; the
// conformance suite holds the two together.
func (v Viewer) Sees(tlp, org, author string) bool {
	if v.All || tlp == report.TLPClear || (author != "" && author == v.User) {
		return true
	}
	switch tlp {
	case report.TLPGreen:
		return v.Member
	case report.TLPAmber:
		return org != "" && slices.Contains(v.AmberOrgs, org)
	case report.TLPAmberStrict:
		return org != "" && org == v.Org
	}
	return false
}

type actorKey struct{}

// WithActor returns a context whose writes the audit log attributes to
// actor ("user:ID", "key:ID", "public:<network pseudonym>", "cli").
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// Actor returns the actor of ctx's writes; "system" when none was set.
func Actor(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return "system"
}

// Store is everything Vigil keeps. Implementations are safe for concurrent
// use, and a write has reached stable storage when its method returns.
type Store interface {
	Reports
	Lookups
	Networks
	Feeds
	Accounts
	Audit
	Disputes
	Stats
	Cases
	Watches
	Close() error
}

// Reports stores reports.
type Reports interface {
	// AddReport stores a validated, resolved report and links it into its
	// network. r.ID and r.CreatedAt are set when empty. With a non-empty
	// idempotency key, a repeat of the same request (same hash) returns the
	// first report's ID and created false; the same key with another hash
	// is ErrConflict. A report whose ImportKey is already stored is not
	// stored again (created false, the stored ID).
	AddReport(ctx context.Context, r *report.Report, idem Idempotency) (id string, created bool, err error)
	// Report returns one report with its indicators, personal data
	// unsealed; ErrNotFound when it does not exist or v may not see it.
	Report(ctx context.Context, v Viewer, id string) (report.Report, error)
	// SearchReports lists the reports v may see matching q, newest first.
	SearchReports(ctx context.Context, v Viewer, q Query) ([]report.Report, string, error)
	// SetReportStatus changes a report's status; rejecting it removes it
	// from its indicators' counts and its network, which may split.
	// trustedOrg, when set, is a trusted organisation vouching for it
	// (its analyst verified it).
	SetReportStatus(ctx context.Context, id, status, trustedOrg string) error
	// DeleteReport removes a report and everything that depended on it.
	DeleteReport(ctx context.Context, id string) error
}

// Idempotency identifies a write that may be retried.
type Idempotency struct {
	Key  string // the client's Idempotency-Key; empty for none
	Hash string // a hash of the request
}

// Query selects reports. Text matches narratives holding every word of it
// (and every pair of adjacent Chinese, Japanese, Korean or Thai
// characters), through the blind index; the other fields are exact.
type Query struct {
	Text     string
	Kind     string
	ScamType string
	Since    time.Time
	Limit    int    // default 50, at most 500
	Cursor   string // from the previous page
}

// Lookups answers "has this been reported?".
type Lookups interface {
	// Lookup returns what is known of each key, in order; an unknown value
	// gets a zero IndicatorInfo with Known false.
	// Counts cover only the reports v may see.
	Lookup(ctx context.Context, v Viewer, keys []Key) ([]IndicatorInfo, error)
}

// Recall is what a store's memory says of one key, without a query
// (sqlstore.DB.Recall).
type Recall uint8

const (
	// RecallUnsure: memory cannot tell (not loaded yet, or a hash two
	// keys share); Lookup answers.
	RecallUnsure Recall = iota
	// RecallAbsent: the store holds no row for the key.
	RecallAbsent
	// RecallHeld: the store holds a row for the key; Lookup answers.
	RecallHeld
	// RecallAnswer: the store holds a row for the key, and the public's
	// answer is the one given.
	RecallAnswer
)

// Key names an indicator: kind and canonical value.
type Key struct {
	Kind  indicator.Kind `json:"kind"`
	Value string         `json:"value"`
}

// IndicatorInfo is what the store knows of one indicator. It never says
// who reported.
type IndicatorInfo struct {
	Key
	Known      bool      // named by a counting report or carried by a feed
	Reports    int       // counting reports that name it
	Reporters  int       // independent reporters among them (docs/confidence.md)
	Trusted    int       // trusted organisations vouching for it
	Disputed   bool      // its holder disputes the listing; under review
	Sources    []string  // feeds that list it
	FirstSeen  time.Time // zero when unknown
	LastSeen   time.Time
	ScamTypes  []string
	NetworkID  string
	Network    int    // the network's size in reports (0 when none)
	KnownGood  string // why it is known-good (a warninglist, an official number); empty if not
	OverCommon bool   // named in too many reports to connect them
}

// Networks are reports connected through shared indicators.
// A viewer's network holds only reports it may see, linked through them:
// a hidden report neither appears nor links two others.
type Networks interface {
	// Network returns the network of v's reports around id: a network id
	// from a lookup or a report, or the id of a report v may see.
	Network(ctx context.Context, v Viewer, id string) (Network, error)
	// Path is the shortest chain of shared indicators from report a to
	// report b: report, indicator, report, ..., report. ErrNotFound when
	// they are not linked.
	Path(ctx context.Context, v Viewer, a, b string) ([]Step, error)
}

// Network is a connected set of reports.
type Network struct {
	ID         string             `json:"id"`
	Size       int                `json:"size"`
	FirstSeen  time.Time          `json:"first_seen"`
	LastSeen   time.Time          `json:"last_seen"`
	ScamTypes  []string           `json:"scam_types"`
	Loss       []report.Money     `json:"total_loss"`
	Reports    []NetworkReport    `json:"reports"`
	Indicators []NetworkIndicator `json:"indicators"`
	// Truncated is set when Reports or Indicators were cut at MaxListed.
	Truncated bool `json:"truncated,omitempty"`
}

// MaxListed bounds the reports and indicators listed in one Network.
const MaxListed = 1000

// NetworkReport is a report as a network lists it.
type NetworkReport struct {
	ID        string    `json:"id"`
	ScamType  string    `json:"scam_type"`
	CreatedAt time.Time `json:"created_at"`
}

// NetworkIndicator is an indicator that connects reports of a network.
type NetworkIndicator struct {
	Key
	Reports int `json:"reports"`
}

// Step is one hop of a path: a report or the indicator shared with the
// next report.
type Step struct {
	Report    string `json:"report,omitempty"`
	Indicator *Key   `json:"indicator,omitempty"`
}

// Feeds holds values from imported lists and import progress.
type Feeds interface {
	// AddListed records that source lists each entry. A known-good source
	// (a warninglist) marks its values known-good: they never connect
	// reports and are never shown as scam indicators. Repeating an import
	// changes nothing. done is the import's progress, stored in the same
	// transaction (see ImportState).
	AddListed(ctx context.Context, source string, knownGood bool, entries []Key, done ImportState) error
	// AddImported stores a batch of imported reports and the progress in
	// one transaction; rows whose ImportKey is stored are skipped. It
	// returns how many were new.
	AddImported(ctx context.Context, reports []*report.Report, done ImportState) (int, error)
	// ImportProgress returns the recorded progress of an import.
	ImportProgress(ctx context.Context, key string) (ImportState, error)
}

// ImportState is how far an import of one file got: Line lines are in.
type ImportState struct {
	Key  string // a hash of the file's content
	Path string
	Line int64
	Done bool
}
