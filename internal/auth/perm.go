// Package auth holds who may do what in Vigil: roles and permissions,
// passwords, API keys and sessions, the field encryption keyring and blind
// index, the hash-chained audit log and k-anonymous suppression. It knows
// nothing of HTTP or SQL.
package auth

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is wrapped by the errors for input a caller sent that cannot be
// accepted: an unknown permission or role, a password too short or too long.
var ErrInvalid = errors.New("invalid")

// Permission names one thing a caller may do.
type Permission string

// The permissions, in the order List and the documentation table use.
const (
	PermLookup            Permission = "lookup"              // look values up, one or batch
	PermScreen            Permission = "screen"              // screen a message; also scan text
	PermReportSubmit      Permission = "report.submit"       // submit a report
	PermReportRead        Permission = "report.read"         // reports the caller may see by TLP, without PII
	PermReportReadPII     Permission = "report.read_pii"     // narratives and contacts of reports the caller may see
	PermReportSearch      Permission = "report.search"       // list/search reports
	PermReportVerify      Permission = "report.verify"       // set status: verified, rejected, ...
	PermReportWithdrawOwn Permission = "report.withdraw_own" // withdraw (erase) one's own report: as its author, or with its withdrawal token
	PermReportDelete      Permission = "report.delete"       // delete any report
	PermNetworkRead       Permission = "network.read"        // read scam networks
	PermStatsRead         Permission = "stats.read"          // read aggregate statistics
	PermDisputeFile       Permission = "dispute.file"        // dispute a listing
	PermDisputeResolve    Permission = "dispute.resolve"     // decide a dispute
	PermUserManage        Permission = "user.manage"         // create, change and disable accounts
	PermOrgManage         Permission = "org.manage"          // create organisations, set partners
	PermKeyManage         Permission = "key.manage"          // issue and revoke API keys
	PermAuditRead         Permission = "audit.read"          // read and verify the audit log
	PermCaseFile          Permission = "case.file"           // file a trafficking case
	PermCaseRead          Permission = "case.read"           // read the organisation's cases (admins: all)
	PermCaseEdit          Permission = "case.edit"           // update cases, attach evidence
	PermCaseExport        Permission = "case.export"         // export cases as HTCDS, redacted by consent
	PermWatch             Permission = "watch.manage"        // watch cases, networks and values; alerts; webhooks
	PermPlaceRead         Permission = "place.read"          // read the gazetteer and what mentions a place
)

// permissions lists every permission in declared order with the description
// the documentation table shows. A permission's bit in a PermSet is its index
// here, so new permissions are appended, never inserted.
var permissions = []struct {
	perm Permission
	desc string
}{
	{PermLookup, "Look values up, one at a time or in a batch."},
	{PermScreen, "Screen a message, and scan text for indicators."},
	{PermReportSubmit, "Submit a report."},
	{PermReportRead, "Read the reports TLP lets the caller see, without their PII."},
	{PermReportReadPII, "Read the narratives and contacts of the reports the caller may see."},
	{PermReportSearch, "List and search reports."},
	{PermReportVerify, "Set a report's status: verified, rejected, ..."},
	{PermReportWithdrawOwn, "Withdraw (erase) one's own report."},
	{PermReportDelete, "Delete any report."},
	{PermNetworkRead, "Read the networks that link reports."},
	{PermStatsRead, "Read aggregate statistics (k-anonymous)."},
	{PermDisputeFile, "Dispute a listed value."},
	{PermDisputeResolve, "Decide disputes."},
	{PermUserManage, "Create, change and disable accounts."},
	{PermOrgManage, "Create organisations and set their partners."},
	{PermKeyManage, "Issue and revoke API keys."},
	{PermAuditRead, "Read and verify the audit log."},
	{PermCaseFile, "File a trafficking case: a person missing or held."},
	{PermCaseRead, "Read the cases of one's organisation in full, with their leads (an admin: every case). Every read is audited."},
	{PermCaseEdit, "Update those cases, assign them, attach evidence."},
	{PermCaseExport, "Export those cases as HTCDS, redacted by the consent given."},
	{PermWatch, "Watch cases, networks and values; read one's alerts; set webhooks."},
	{PermPlaceRead, "Read the gazetteer and the reports that mention a place."},
}

// permBit maps a permission to its bit in a PermSet.
var permBit = func() map[Permission]uint {
	m := make(map[Permission]uint, len(permissions))
	for i, p := range permissions {
		m[p.perm] = uint(i)
	}
	return m
}()

// ParsePermission returns the permission named s, or an error wrapping
// ErrInvalid when there is none.
func ParsePermission(s string) (Permission, error) {
	if _, ok := permBit[Permission(s)]; !ok {
		return "", fmt.Errorf("auth: unknown permission %q: %w", s, ErrInvalid)
	}
	return Permission(s), nil
}

// Description returns what the permission allows, as the documentation
// table says it; "" for an unknown permission.
func (p Permission) Description() string {
	if i, ok := permBit[p]; ok {
		return permissions[i].desc
	}
	return ""
}

// keyGrantable is what an API key may be given: reading and submitting, never
// managing anything or reading the audit log, because a key is a long-lived
// secret kept in other people's systems.
var keyGrantable = NewPermSet(PermLookup, PermScreen, PermReportSubmit, PermReportRead,
	PermReportReadPII, PermReportSearch, PermNetworkRead, PermStatsRead)

// KeyGrantable reports whether an API key may be given p.
func KeyGrantable(p Permission) bool { return keyGrantable.Has(p) }

// KeyGrantable returns the part of s an API key may hold. Applying it when
// a key is used, not only when it is issued, keeps a key row altered in
// the database from granting more.
func (s PermSet) KeyGrantable() PermSet { return s & keyGrantable }

// PermSet is a set of permissions, one bit each. The zero value is empty.
type PermSet uint64

// NewPermSet returns the set of ps. A permission not declared in this
// package has no bit and is left out, so a misspelt one grants nothing.
func NewPermSet(ps ...Permission) PermSet {
	var s PermSet
	for _, p := range ps {
		if i, ok := permBit[p]; ok {
			s |= 1 << i
		}
	}
	return s
}

// Has reports whether p is in s.
func (s PermSet) Has(p Permission) bool {
	i, ok := permBit[p]
	return ok && s&(1<<i) != 0
}

// List returns the permissions of s in declared order.
func (s PermSet) List() []Permission {
	var out []Permission
	for i, p := range permissions {
		if s&(1<<uint(i)) != 0 {
			out = append(out, p.perm)
		}
	}
	return out
}

// String returns the permissions of s in declared order, separated by
// commas: the form ParsePermSet reads.
func (s PermSet) String() string {
	list := s.List()
	parts := make([]string, len(list))
	for i, p := range list {
		parts[i] = string(p)
	}
	return strings.Join(parts, ",")
}

// ParsePermSet reads a comma-separated list of permissions, as String writes
// it; spaces around names are ignored and "" is the empty set.
func ParsePermSet(s string) (PermSet, error) {
	var set PermSet
	if strings.TrimSpace(s) == "" {
		return 0, nil
	}
	for name := range strings.SplitSeq(s, ",") {
		p, err := ParsePermission(strings.TrimSpace(name))
		if err != nil {
			return 0, err
		}
		set |= NewPermSet(p)
	}
	return set, nil
}

// Role is what an account is for; it decides the account's permissions.
type Role string

// The roles. The public is everyone without an account or key.
const (
	RolePublic     Role = "public"
	RoleReporter   Role = "reporter"
	RoleFamily     Role = "family"
	RoleAnalyst    Role = "analyst"
	RoleCaseworker Role = "caseworker"
	RoleAdmin      Role = "admin"
)

// Roles lists the account roles (all but public, which has no account) in
// the order of the documentation table.
var Roles = []Role{RoleReporter, RoleFamily, RoleAnalyst, RoleCaseworker, RoleAdmin}

// The table of docs/permissions.md, which is authoritative:
// TestPermissionTableMatchesDocs fails when these differ from it.
var (
	// The public withdraws a report with the token given at submission.
	publicPerms = NewPermSet(PermLookup, PermScreen, PermReportSubmit, PermReportRead,
		PermNetworkRead, PermStatsRead, PermDisputeFile, PermReportWithdrawOwn, PermCaseFile, PermPlaceRead)
	reporterPerms   = publicPerms
	analystPerms    = reporterPerms | NewPermSet(PermReportReadPII, PermReportSearch, PermReportVerify, PermDisputeResolve, PermWatch)
	casePerms       = NewPermSet(PermCaseRead, PermCaseEdit, PermCaseExport, PermWatch)
	caseworkerPerms = reporterPerms | NewPermSet(PermReportReadPII, PermReportSearch) | casePerms
	adminPerms      = analystPerms | casePerms | NewPermSet(PermReportDelete, PermUserManage, PermOrgManage, PermKeyManage, PermAuditRead)

	rolePerms = map[Role]PermSet{
		RolePublic:     publicPerms,
		RoleReporter:   reporterPerms,
		RoleFamily:     reporterPerms,
		RoleAnalyst:    analystPerms,
		RoleCaseworker: caseworkerPerms,
		RoleAdmin:      adminPerms,
	}
)

// Valid reports whether r is one of the six roles.
func (r Role) Valid() bool {
	_, ok := rolePerms[r]
	return ok
}

// ParseRole returns the role named s, or an error wrapping ErrInvalid when
// there is none.
func ParseRole(s string) (Role, error) {
	if !Role(s).Valid() {
		return "", fmt.Errorf("auth: unknown role %q: %w", s, ErrInvalid)
	}
	return Role(s), nil
}

// RolePermissions returns the permissions of r; none for an unknown role.
func RolePermissions(r Role) PermSet { return rolePerms[r] }

// Principal is who is asking: an account, an API key or the public.
type Principal struct {
	Role  Role
	User  string // account id, or "key:"+key id; empty for the public
	Org   string // the organisation acted for; empty for the public and accounts of none
	Perms PermSet
	KeyID string // the API key's id when the caller used one
}

// Public returns the principal of a caller with neither account nor key.
func Public() Principal {
	return Principal{Role: RolePublic, Perms: publicPerms}
}

// Can reports whether p may do perm.
func (p Principal) Can(perm Permission) bool { return p.Perms.Has(perm) }

// IsPublic reports whether p is anonymous: no account and no key.
func (p Principal) IsPublic() bool { return p.User == "" && p.KeyID == "" }
