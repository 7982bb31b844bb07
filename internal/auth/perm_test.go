package auth

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the permission table of docs/permissions.md from the code")

const (
	docsPath   = "../../docs/permissions.md"
	tableBegin = "<!-- permissions:begin -->"
	tableEnd   = "<!-- permissions:end -->"
)

// tableColumns are the columns of the documentation table.
var tableColumns = []string{"permission", "allows", "public", "reporter", "family", "analyst", "caseworker", "admin"}

// tableRoles are the roles of the table's columns, public first.
var tableRoles = append([]Role{RolePublic}, Roles...)

// permRow is one row of the permission table.
type permRow struct {
	Perm        string
	Description string
	Roles       []Role // the roles with the permission, in column order
}

// codeTable is the permission table as the code has it.
func codeTable() []permRow {
	var rows []permRow
	for _, p := range permissions {
		row := permRow{Perm: string(p.perm), Description: p.desc}
		for _, r := range tableRoles {
			if RolePermissions(r).Has(p.perm) {
				row.Roles = append(row.Roles, r)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// renderTable writes rows as the Markdown table between the markers.
func renderTable(rows []permRow) string {
	var b strings.Builder
	b.WriteString("| " + strings.Join(tableColumns, " | ") + " |\n")
	b.WriteString("|---|---|" + strings.Repeat(":-:|", len(tableRoles)) + "\n")
	for _, row := range rows {
		cells := []string{"`" + row.Perm + "`", row.Description}
		for _, r := range tableRoles {
			cell := ""
			if slices.Contains(row.Roles, r) {
				cell = "✓"
			}
			cells = append(cells, cell)
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	return b.String()
}

// splitDocs cuts the documentation at the table markers.
func splitDocs(doc string) (before, table, after string, err error) {
	before, rest, ok := strings.Cut(doc, tableBegin+"\n")
	if !ok {
		return "", "", "", fmt.Errorf("no %q line", tableBegin)
	}
	table, after, ok = strings.Cut(rest, tableEnd)
	if !ok {
		return "", "", "", fmt.Errorf("no %q after %q", tableEnd, tableBegin)
	}
	return before + tableBegin + "\n", table, tableEnd + after, nil
}

// parseTable reads the Markdown permission table.
func parseTable(table string) ([]permRow, error) {
	var rows []permRow
	lines := strings.Split(strings.TrimSpace(table), "\n")
	if len(lines) < 2 {
		return nil, fmt.Errorf("table has %d lines, want a header, a rule and rows", len(lines))
	}
	header := cells(lines[0])
	if d := cmp.Diff(tableColumns, header); d != "" {
		return nil, fmt.Errorf("table header (-want +got):\n%s", d)
	}
	for n, line := range lines[2:] {
		c := cells(line)
		if len(c) != len(tableColumns) {
			return nil, fmt.Errorf("table row %d has %d cells, want %d: %s", n+1, len(c), len(tableColumns), line)
		}
		perm, ok := strings.CutPrefix(c[0], "`")
		perm, ok2 := strings.CutSuffix(perm, "`")
		if !ok || !ok2 {
			return nil, fmt.Errorf("table row %d: permission %q is not in backticks", n+1, c[0])
		}
		row := permRow{Perm: perm, Description: c[1]}
		for i, r := range tableRoles {
			switch c[2+i] {
			case "✓":
				row.Roles = append(row.Roles, r)
			case "":
			default:
				return nil, fmt.Errorf("table row %d (%s), column %s: %q, want ✓ or nothing", n+1, perm, r, c[2+i])
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// cells splits a Markdown table line into its trimmed cells.
func cells(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	line = strings.TrimSuffix(line, "|")
	parts := strings.Split(line, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func TestPermissionTableMatchesDocs(t *testing.T) {
	raw, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	before, table, after, err := splitDocs(string(raw))
	if err != nil {
		t.Fatalf("%s: %v", docsPath, err)
	}
	if *update {
		doc := before + renderTable(codeTable()) + after
		if err := os.WriteFile(docsPath, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	docs, err := parseTable(table)
	if err != nil {
		t.Fatalf("%s: %v", docsPath, err)
	}
	if d := cmp.Diff(docs, codeTable()); d != "" {
		t.Errorf("internal/auth/perm.go differs from the table of %s, which is authoritative (-docs +code):\n%s", docsPath, d)
	}
	if got, want := table, renderTable(docs); got != want {
		t.Errorf("%s: the table is not in the form -update writes (-got +want):\n%s", docsPath, cmp.Diff(got, want))
	}
}

func TestRolePermissions(t *testing.T) {
	// The brief's table, written out independently of perm.go.
	// The public may withdraw its own report with the token given at
	// submission.
	public := []Permission{PermLookup, PermScreen, PermReportSubmit, PermReportRead, PermNetworkRead, PermStatsRead, PermDisputeFile, PermReportWithdrawOwn, PermCaseFile, PermPlaceRead}
	reporter := slices.Clone(public)
	analyst := append(slices.Clone(reporter), PermReportReadPII, PermReportSearch, PermReportVerify, PermDisputeResolve, PermWatch)
	// Cases are read only by caseworkers (their organisation's) and admins.
	caseworker := append(slices.Clone(reporter), PermReportReadPII, PermReportSearch, PermCaseRead, PermCaseEdit, PermCaseExport, PermWatch)
	admin := append(slices.Clone(analyst), PermReportDelete, PermUserManage, PermOrgManage, PermKeyManage, PermAuditRead, PermCaseRead, PermCaseEdit, PermCaseExport)
	tests := []struct {
		role Role
		want []Permission
	}{
		{RolePublic, public},
		{RoleReporter, reporter},
		{RoleFamily, reporter},
		{RoleAnalyst, analyst},
		{RoleCaseworker, caseworker},
		{RoleAdmin, admin},
		{"root", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := RolePermissions(tt.role).List()
		want := NewPermSet(tt.want...).List() // declared order
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("RolePermissions(%q) (-want +got):\n%s", tt.role, d)
		}
		if valid := tt.want != nil; tt.role.Valid() != valid {
			t.Errorf("Role(%q).Valid() = %v, want %v", tt.role, !valid, valid)
		}
	}
}

func TestRoles(t *testing.T) {
	want := []Role{"reporter", "family", "analyst", "caseworker", "admin"}
	if d := cmp.Diff(want, Roles); d != "" {
		t.Errorf("Roles (-want +got):\n%s", d)
	}
	for _, s := range []string{"public", "reporter", "admin"} {
		if r, err := ParseRole(s); err != nil || string(r) != s {
			t.Errorf("ParseRole(%q) = %q, %v", s, r, err)
		}
	}
	if _, err := ParseRole("Admin"); !errors.Is(err, ErrInvalid) {
		t.Errorf("ParseRole(Admin) error = %v, want ErrInvalid", err)
	}
}

func TestParsePermission(t *testing.T) {
	tests := []struct {
		in      string
		want    Permission
		wantErr bool
	}{
		{"lookup", PermLookup, false},
		{"report.read_pii", PermReportReadPII, false},
		{"audit.read", PermAuditRead, false},
		{"", "", true},
		{"Lookup", "", true},
		{" lookup", "", true},
		{"report", "", true},
		{"report.*", "", true},
	}
	for _, tt := range tests {
		got, err := ParsePermission(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParsePermission(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("ParsePermission(%q) error %v does not wrap ErrInvalid", tt.in, err)
		}
	}
	for _, p := range permissions {
		if got, err := ParsePermission(string(p.perm)); err != nil || got != p.perm {
			t.Errorf("ParsePermission(%q) = %q, %v", p.perm, got, err)
		}
		if p.perm.Description() == "" {
			t.Errorf("%s has no description", p.perm)
		}
	}
}

func TestKeyGrantable(t *testing.T) {
	want := []Permission{PermLookup, PermScreen, PermReportSubmit, PermReportRead, PermReportReadPII, PermReportSearch, PermNetworkRead, PermStatsRead}
	var got []Permission
	for _, p := range permissions {
		if KeyGrantable(p.perm) {
			got = append(got, p.perm)
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("KeyGrantable (-want +got):\n%s", d)
	}
	if got := RolePermissions(RoleAdmin).KeyGrantable(); got != NewPermSet(want...) {
		t.Errorf("admin's permissions a key may hold = %v, want %v", got, NewPermSet(want...))
	}
	if KeyGrantable("nonsense") {
		t.Error(`KeyGrantable("nonsense") = true`)
	}
}

func TestPermSet(t *testing.T) {
	tests := []struct {
		name string
		in   []Permission
		want []Permission
		str  string
	}{
		{"empty", nil, nil, ""},
		{"declared order", []Permission{PermAuditRead, PermLookup}, []Permission{PermLookup, PermAuditRead}, "lookup,audit.read"},
		{"duplicates", []Permission{PermScreen, PermScreen}, []Permission{PermScreen}, "screen"},
		{"unknown left out", []Permission{"root", PermStatsRead}, []Permission{PermStatsRead}, "stats.read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewPermSet(tt.in...)
			if d := cmp.Diff(tt.want, s.List()); d != "" {
				t.Errorf("List (-want +got):\n%s", d)
			}
			if got := s.String(); got != tt.str {
				t.Errorf("String() = %q, want %q", got, tt.str)
			}
			back, err := ParsePermSet(s.String())
			if err != nil || back != s {
				t.Errorf("ParsePermSet(%q) = %v, %v; want %v", s.String(), back, err, s)
			}
			for _, p := range tt.want {
				if !s.Has(p) {
					t.Errorf("Has(%s) = false", p)
				}
			}
		})
	}
	if NewPermSet(PermLookup).Has("root") {
		t.Error(`Has("root") = true`)
	}
	if s, err := ParsePermSet(" lookup , screen "); err != nil || s != NewPermSet(PermLookup, PermScreen) {
		t.Errorf("ParsePermSet with spaces = %v, %v", s, err)
	}
	if _, err := ParsePermSet("lookup,,screen"); !errors.Is(err, ErrInvalid) {
		t.Errorf("ParsePermSet with an empty name: error %v, want ErrInvalid", err)
	}
	if len(permissions) > 64 {
		t.Errorf("%d permissions do not fit a PermSet", len(permissions))
	}
}

func TestPrincipal(t *testing.T) {
	pub := Public()
	if !pub.IsPublic() || pub.Role != RolePublic {
		t.Errorf("Public() = %+v", pub)
	}
	if !pub.Can(PermLookup) || pub.Can(PermReportReadPII) || pub.Can(PermReportSearch) {
		t.Errorf("Public() permissions = %v", pub.Perms)
	}
	analyst := Principal{Role: RoleAnalyst, User: "u1", Org: "o1", Perms: RolePermissions(RoleAnalyst)}
	if analyst.IsPublic() || !analyst.Can(PermReportVerify) || analyst.Can(PermAuditRead) {
		t.Errorf("analyst %+v", analyst)
	}
	key := Principal{User: "key:abc", KeyID: "abc", Org: "o1", Perms: NewPermSet(PermLookup)}
	if key.IsPublic() || key.Can(PermScreen) {
		t.Errorf("key %+v", key)
	}
	if (Principal{}).Can(PermLookup) {
		t.Error("the zero Principal may look up")
	}
}
