package store

import (
	"context"
	"time"

	"vigil/internal/auth"
	"vigil/internal/indicator"
)

// Accounts keeps organisations, users, sessions and API keys.
type Accounts interface {
	// AddOrg stores an organisation; ErrConflict when the name is taken.
	AddOrg(ctx context.Context, o Org) (Org, error)
	Org(ctx context.Context, id string) (Org, error)
	Orgs(ctx context.Context) ([]Org, error)
	// SetPartners replaces the organisations that see org's TLP:AMBER
	// reports.
	SetPartners(ctx context.Context, org string, partners []string) error
	// AmberOrgs lists the organisations whose TLP:AMBER reports a member
	// of org sees: org and those that list it as a partner.
	AmberOrgs(ctx context.Context, org string) ([]string, error)

	// AddUser stores an account; the login is kept only sealed and as a
	// keyed hash. ErrConflict when the login is taken.
	AddUser(ctx context.Context, u User) (User, error)
	User(ctx context.Context, id string) (User, error)
	// UserByLogin finds an account by its login, case-insensitively.
	UserByLogin(ctx context.Context, login string) (User, error)
	Users(ctx context.Context) ([]User, error)
	// UpdateUser changes an account's role, organisation, password hash,
	// must-change flag and disabled flag. Disabling ends its sessions.
	UpdateUser(ctx context.Context, u User) error
	// CountUsers counts accounts (the first start creates an admin).
	CountUsers(ctx context.Context) (int, error)

	// AddSession stores a session by the hash of its token.
	AddSession(ctx context.Context, s Session) error
	// Session returns a live session of an enabled user.
	Session(ctx context.Context, tokenHash string) (Session, error)
	DeleteSession(ctx context.Context, tokenHash string) error

	// AddKey stores an API key by its hash.
	AddKey(ctx context.Context, k APIKey) error
	// KeyByHash returns an unrevoked key.
	KeyByHash(ctx context.Context, hash string) (APIKey, error)
	Keys(ctx context.Context) ([]APIKey, error)
	RevokeKey(ctx context.Context, id string) error
}

// Org is an organisation: a police unit, a bank, an NGO.
type Org struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Trusted organisations' reports and verifications weigh like an
	// independent reporter each (docs/confidence.md).
	Trusted   bool      `json:"trusted"`
	CreatedAt time.Time `json:"created_at"`
}

// User is an account.
type User struct {
	ID    string    `json:"id"`
	Login string    `json:"login"` // sealed at rest
	Name  string    `json:"name,omitempty"`
	Role  auth.Role `json:"role"`
	Org   string    `json:"org,omitempty"`
	// PasswordHash is the argon2id hash (auth.HashPassword).
	PasswordHash string    `json:"-"`
	MustChange   bool      `json:"must_change"`
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"created_at"`
}

// Session is a signed-in browser.
type Session struct {
	TokenHash string
	User      User
	CreatedAt time.Time
	ExpiresAt time.Time
}

// APIKey is a partner system's key: an organisation and permissions.
type APIKey struct {
	ID        string            `json:"id"`
	Hash      string            `json:"-"`
	Name      string            `json:"name"`
	Org       string            `json:"org"`
	Perms     []auth.Permission `json:"permissions"`
	CreatedBy string            `json:"created_by"`
	CreatedAt time.Time         `json:"created_at"`
	RevokedAt *time.Time        `json:"revoked_at,omitempty"`
}

// Audit is the append-only, hash-chained log of changes and of reads of
// personal data. Every write method of the store appends its own events
// in its transaction; AppendAudit records reads.
type Audit interface {
	AppendAudit(ctx context.Context, action, target, detail string) error
	// AuditLog lists events after seq, oldest first.
	AuditLog(ctx context.Context, after int64, limit int) ([]auth.AuditEvent, error)
	// VerifyAudit checks the whole chain (auth.VerifyChain) and returns
	// the number of events.
	VerifyAudit(ctx context.Context) (int64, error)
}

// Disputes are claims by the holder of a listed value that it is not a
// scam indicator.
type Disputes interface {
	// AddDispute files a dispute and marks the indicator disputed.
	AddDispute(ctx context.Context, d Dispute) (Dispute, error)
	Dispute(ctx context.Context, id string) (Dispute, error)
	// Disputes lists disputes with a status ("open", "upheld",
	// "rejected"; empty for all), newest first.
	Disputes(ctx context.Context, status string, limit int) ([]Dispute, error)
	// ResolveDispute closes an open dispute. Upheld, the value becomes
	// known-good ("dispute upheld") and stops counting and connecting;
	// rejected, it is listed as before.
	ResolveDispute(ctx context.Context, id string, upheld bool, note string) (Dispute, error)
}

// Dispute statuses.
const (
	DisputeOpen     = "open"
	DisputeUpheld   = "upheld"
	DisputeRejected = "rejected"
)

// Dispute is one claim.
type Dispute struct {
	ID    string         `json:"id"`
	Kind  indicator.Kind `json:"kind"`
	Value string         `json:"value"`
	// Reason and Contact are the holder's words and address: sealed at
	// rest, shown only to those who resolve disputes.
	Reason     string     `json:"reason,omitempty"`
	Contact    string     `json:"contact,omitempty"`
	Status     string     `json:"status"`
	Outcome    string     `json:"outcome,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	ResolvedBy string     `json:"resolved_by,omitempty"`
}

// Stats are counts of TLP:CLEAR, counting reports for public statistics.
type Stats interface {
	// ReportStats breaks reports down by one field ("scam_type",
	// "channel", "victim_country"); People in each bucket is the number
	// of independent reporters, for k-anonymous suppression.
	ReportStats(ctx context.Context, by string) ([]auth.Bucket, error)
}
