package cli

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"vigil/internal/auth"
	"vigil/internal/report"
	"vigil/internal/store"
	"vigil/internal/store/sqlstore"
)

// newCLIStore returns the path of a new SQLite store for the command
// line, whose key file the first command makes beside it. The data key
// is never taken from the environment running the tests.
func newCLIStore(t *testing.T) string {
	t.Helper()
	t.Setenv("VIGIL_DATA_KEY", "")
	t.Setenv("VIGIL_KEY_FILE", "")
	return filepath.Join(t.TempDir(), "vigil.db")
}

// openCLIStore opens the store at path with the key the command line
// used, closing it when the test ends.
func openCLIStore(t *testing.T, path string) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), path, sqlstore.Options{Keys: cliKeys(t, path)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// mustRun runs vigil and fails the test unless it exits with want.
func mustRun(t *testing.T, want int, args ...string) result {
	t.Helper()
	got := run(t, "", args...)
	if got.code != want {
		t.Fatalf("vigil %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), got.code, want, got.stdout, got.stderr)
	}
	return got
}

// addOrg adds an organisation through the command line and returns its id.
func addOrg(t *testing.T, db, name string, flags ...string) string {
	t.Helper()
	got := mustRun(t, ExitOK, append([]string{"org", "add", name, "--db", db, "--format", "json"}, flags...)...)
	var o store.Org
	if err := json.Unmarshal([]byte(got.stdout), &o); err != nil || o.ID == "" || o.Name != name {
		t.Fatalf("org add: %v %s", err, got.stdout)
	}
	return o.ID
}

var passwordLine = regexp.MustCompile(`(?m)^\s*password: (\S+)$`)

// printedPassword is the one-time password a command printed.
func printedPassword(t *testing.T, out string) string {
	t.Helper()
	m := passwordLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no password printed:\n%s", out)
	}
	return m[1]
}

func checkPassword(t *testing.T, hash, pw string) bool {
	t.Helper()
	ok, err := auth.CheckPassword(hash, pw)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestUserCommands(t *testing.T) {
	path := newCLIStore(t)
	org := addOrg(t, path, "Police unit 7")

	got := mustRun(t, ExitOK, "user", "add", "alice@example.org", "--role", "analyst", "--org", org, "--name", "Alice A", "--db", path)
	pw := printedPassword(t, got.stdout)
	db := openCLIStore(t, path)
	ctx := context.Background()
	u, err := db.UserByLogin(ctx, "Alice@Example.org")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got.stdout, u.ID) || !strings.Contains(got.stdout, "alice@example.org") {
		t.Errorf("user add should print the login and id %s:\n%s", u.ID, got.stdout)
	}
	if u.Role != auth.RoleAnalyst || u.Org != org || u.Name != "Alice A" || !u.MustChange || u.Disabled {
		t.Errorf("stored account: %+v", u)
	}
	if !checkPassword(t, u.PasswordHash, pw) {
		t.Error("the printed one-time password does not match the stored hash")
	}

	// JSON as the API returns it: the account and its password.
	got = mustRun(t, ExitOK, "user", "add", "bob", "--role", "reporter", "--db", path, "--format", "json")
	var bob struct {
		store.User
		Password string `json:"password"`
	}
	if err := json.Unmarshal([]byte(got.stdout), &bob); err != nil || bob.Login != "bob" || bob.Role != auth.RoleReporter || bob.Password == "" {
		t.Fatalf("user add --format json: %v %s", err, got.stdout)
	}

	list := mustRun(t, ExitOK, "user", "list", "--db", path)
	if !regexp.MustCompile(`(?m)^` + u.ID + ` +alice@example.org +Alice A +analyst +` + org + ` +one-time password `).MatchString(list.stdout) {
		t.Errorf("user list:\n%s", list.stdout)
	}
	list = mustRun(t, ExitOK, "user", "list", "--db", path, "--format", "json")
	var users struct{ Users []store.User }
	if err := json.Unmarshal([]byte(list.stdout), &users); err != nil || len(users.Users) != 2 {
		t.Fatalf("user list --format json: %v %s", err, list.stdout)
	}
	if strings.Contains(list.stdout, "argon2") {
		t.Error("user list shows password hashes")
	}

	// Disabling ends the account's sessions.
	token, hash := auth.NewSessionToken()
	if err := db.AddSession(ctx, store.Session{TokenHash: hash, User: u, CreatedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	mustRun(t, ExitOK, "user", "disable", "alice@example.org", "--db", path)
	if u, err = db.User(ctx, u.ID); err != nil || !u.Disabled {
		t.Errorf("after disable: %+v %v", u, err)
	}
	if _, err := db.Session(ctx, auth.HashToken(token)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a disabled account's session: %v, want not found", err)
	}
	mustRun(t, ExitOK, "user", "enable", u.ID, "--db", path)
	if u, err = db.User(ctx, u.ID); err != nil || u.Disabled {
		t.Errorf("after enable: %+v %v", u, err)
	}
	if _, err := db.Session(ctx, auth.HashToken(token)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the session of an account disabled and enabled again: %v, want ended", err)
	}

	// A reset makes a new one-time password; the old one stops working.
	got = mustRun(t, ExitOK, "user", "reset", u.ID, "--db", path)
	pw2 := printedPassword(t, got.stdout)
	if u, err = db.User(ctx, u.ID); err != nil || !u.MustChange {
		t.Fatalf("after reset: %+v %v", u, err)
	}
	if pw2 == pw || !checkPassword(t, u.PasswordHash, pw2) || checkPassword(t, u.PasswordHash, pw) {
		t.Error("after reset the new password must match the stored hash and the old one must not")
	}

	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"user", "disable", "nobody"}, ExitNone, "no account nobody"},
		{[]string{"user", "reset", "nobody"}, ExitNone, "no account nobody"},
		{[]string{"user", "add", "carol", "--role", "analyst", "--org", "no-such-org"}, ExitNone, "no organisation no-such-org"},
		{[]string{"user", "add", "carol", "--role", "public"}, ExitError, "--role"},
		{[]string{"user", "add", "carol", "--role", "root"}, ExitError, "--role"},
		{[]string{"user", "add", "carol"}, ExitError, "--role"},
		{[]string{"user", "add", "ALICE@example.org", "--role", "analyst"}, ExitError, "taken"},
		{[]string{"user", "add", "two words", "--role", "analyst"}, ExitError, "without spaces"},
		{[]string{"user", "list", "extra"}, ExitError, "usage"},
		{[]string{"user", "frobnicate"}, ExitError, "unknown action"},
		{[]string{"user"}, ExitError, "want an action"},
		{[]string{"user", "list", "--format", "xml"}, ExitError, "unknown format"},
	} {
		got := run(t, "", append(tc.args, "--db", path)...)
		if got.code != tc.code || !strings.Contains(got.stderr, tc.msg) || !strings.HasPrefix(got.stderr, "vigil user: ") {
			t.Errorf("vigil %s: exit %d, stderr %q; want exit %d and %q", strings.Join(tc.args, " "), got.code, got.stderr, tc.code, tc.msg)
		}
	}
	if n, err := db.CountUsers(ctx); err != nil || n != 2 {
		t.Errorf("%d accounts after the failed commands, want 2 (%v)", n, err)
	}
	if got := run(t, "", "user", "add", "--help"); got.code != ExitOK || !strings.Contains(got.stdout, "-role") {
		t.Errorf("user add --help: %d %s", got.code, got.stdout)
	}
}

func TestKeyCommands(t *testing.T) {
	path := newCLIStore(t)
	org := addOrg(t, path, "Bank of Examples")

	got := mustRun(t, ExitOK, "key", "create", "--org", org, "--name", "fraud desk", "--perm", "lookup", "--perm", "report.read", "--db", path)
	key := regexp.MustCompile(`vgk_[a-z2-7_]+`).FindString(got.stdout)
	if _, ok := auth.ParseAPIKey(key); !ok {
		t.Fatalf("key create printed no key:\n%s", got.stdout)
	}
	if !strings.Contains(got.stdout, "cannot be shown again") {
		t.Errorf("key create should say the key cannot be shown again:\n%s", got.stdout)
	}
	db := openCLIStore(t, path)
	ctx := context.Background()
	k, err := db.KeyByHash(ctx, auth.HashToken(key))
	if err != nil {
		t.Fatalf("the printed key is not stored: %v", err)
	}
	if want := []auth.Permission{auth.PermLookup, auth.PermReportRead}; k.Org != org || k.Name != "fraud desk" || !slices.Equal(k.Perms, want) || !strings.HasPrefix(k.CreatedBy, "cli:") {
		t.Errorf("stored key: %+v", k)
	}
	if id, _ := auth.ParseAPIKey(key); id != k.ID {
		t.Errorf("key id %s, the key says %s", k.ID, id)
	}

	list := mustRun(t, ExitOK, "key", "list", "--db", path)
	if !regexp.MustCompile(`(?m)^`+k.ID+` +fraud desk +`+org+` +lookup,report.read `).MatchString(list.stdout) || strings.Contains(list.stdout, key) {
		t.Errorf("key list:\n%s", list.stdout)
	}
	list = mustRun(t, ExitOK, "key", "list", "--db", path, "--format", "json")
	if strings.Contains(list.stdout, key) || strings.Contains(list.stdout, k.Hash) {
		t.Errorf("key list --format json shows the key or its hash:\n%s", list.stdout)
	}
	var keys struct{ Keys []store.APIKey }
	if err := json.Unmarshal([]byte(list.stdout), &keys); err != nil || len(keys.Keys) != 1 || keys.Keys[0].ID != k.ID {
		t.Errorf("key list --format json: %v %s", err, list.stdout)
	}

	// JSON as the API returns it, with the key.
	got = mustRun(t, ExitOK, "key", "create", "--org", org, "--name", "feed", "--perm", "screen,stats.read", "--db", path, "--format", "json")
	var created struct {
		store.APIKey
		Key string `json:"key"`
	}
	if err := json.Unmarshal([]byte(got.stdout), &created); err != nil || !auth.MatchToken(created.Key, auth.HashToken(created.Key)) || len(created.Perms) != 2 {
		t.Fatalf("key create --format json: %v %s", err, got.stdout)
	}
	if _, err := db.KeyByHash(ctx, auth.HashToken(created.Key)); err != nil {
		t.Errorf("the key printed as JSON is not stored: %v", err)
	}

	mustRun(t, ExitOK, "key", "revoke", k.ID, "--db", path)
	if _, err := db.KeyByHash(ctx, auth.HashToken(key)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a revoked key: %v, want not found", err)
	}
	if got := run(t, "", "key", "revoke", k.ID, "--db", path); got.code != ExitNone {
		t.Errorf("revoke again: exit %d, want 1: %s", got.code, got.stderr)
	}

	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		// Keys never manage anything.
		{[]string{"key", "create", "--org", org, "--name", "x", "--perm", "lookup", "--perm", "user.manage"}, ExitError, "user.manage"},
		{[]string{"key", "create", "--org", org, "--name", "x", "--perm", "audit.read"}, ExitError, "audit.read"},
		{[]string{"key", "create", "--org", org, "--name", "x", "--perm", "no.such"}, ExitError, "no.such"},
		{[]string{"key", "create", "--org", org, "--name", "x"}, ExitError, "--perm"},
		{[]string{"key", "create", "--org", org, "--perm", "lookup"}, ExitError, "--name"},
		{[]string{"key", "create", "--name", "x", "--perm", "lookup"}, ExitError, "--org"},
		{[]string{"key", "create", "--org", "no-such-org", "--name", "x", "--perm", "lookup"}, ExitNone, "no organisation"},
		{[]string{"key", "revoke", "nosuchkey"}, ExitNone, "no unrevoked key"},
		{[]string{"key", "revoke"}, ExitError, "usage"},
	} {
		got := run(t, "", append(tc.args, "--db", path)...)
		if got.code != tc.code || !strings.Contains(got.stderr, tc.msg) || got.stdout != "" {
			t.Errorf("vigil %s: exit %d, stdout %q, stderr %q; want exit %d and %q", strings.Join(tc.args, " "), got.code, got.stdout, got.stderr, tc.code, tc.msg)
		}
	}
	if ks, err := db.Keys(ctx); err != nil || len(ks) != 2 {
		t.Errorf("%d keys stored after the refused commands, want 2 (%v)", len(ks), err)
	}
}

func TestOrgCommands(t *testing.T) {
	path := newCLIStore(t)
	police := addOrg(t, path, "Police", "--trusted")
	bank := addOrg(t, path, "Bank")
	ngo := addOrg(t, path, "NGO")
	db := openCLIStore(t, path)
	ctx := context.Background()
	if o, err := db.Org(ctx, police); err != nil || !o.Trusted {
		t.Errorf("trusted organisation: %+v %v", o, err)
	}
	if o, err := db.Org(ctx, bank); err != nil || o.Trusted {
		t.Errorf("organisation: %+v %v", o, err)
	}

	list := mustRun(t, ExitOK, "org", "list", "--db", path)
	if !regexp.MustCompile(`(?m)^`+police+` +Police +true `).MatchString(list.stdout) || !regexp.MustCompile(`(?m)^`+bank+` +Bank +false `).MatchString(list.stdout) {
		t.Errorf("org list:\n%s", list.stdout)
	}
	list = mustRun(t, ExitOK, "org", "list", "--db", path, "--format", "json")
	var orgs struct{ Orgs []store.Org }
	if err := json.Unmarshal([]byte(list.stdout), &orgs); err != nil || len(orgs.Orgs) != 3 {
		t.Errorf("org list --format json: %v %s", err, list.stdout)
	}

	// The police share their TLP:AMBER reports with the bank and the NGO.
	mustRun(t, ExitOK, "org", "partners", police, bank, ngo, "--db", path)
	for _, o := range []string{bank, ngo} {
		if amber, err := db.AmberOrgs(ctx, o); err != nil || !slices.Equal(amber, []string{o, police}) {
			t.Errorf("AmberOrgs(%s) = %v %v, want it and the police", o, amber, err)
		}
	}
	mustRun(t, ExitOK, "org", "partners", police, "--db", path)
	if amber, err := db.AmberOrgs(ctx, bank); err != nil || !slices.Equal(amber, []string{bank}) {
		t.Errorf("after clearing the partners, AmberOrgs(bank) = %v %v", amber, err)
	}

	if got := run(t, "", "org", "add", "Bank", "--db", path); got.code != ExitError || !strings.Contains(got.stderr, "taken") {
		t.Errorf("a name taken: %d %s", got.code, got.stderr)
	}
	if got := run(t, "", "org", "partners", "no-such-org", bank, "--db", path); got.code != ExitNone {
		t.Errorf("partners of an unknown organisation: %d %s", got.code, got.stderr)
	}
	if got := run(t, "", "org", "partners", police, "no-such-org", "--db", path); got.code != ExitError || !strings.Contains(got.stderr, "no-such-org") {
		t.Errorf("an unknown partner: %d %s", got.code, got.stderr)
	}
	if amber, _ := db.AmberOrgs(ctx, bank); len(amber) != 1 {
		t.Errorf("a refused partners command changed them: %v", amber)
	}
}

func TestRotateData(t *testing.T) {
	path := newCLIStore(t)
	mustRun(t, ExitOK, "user", "add", "alice", "--role", "analyst", "--db", path)
	keyPath := keyFile(path)
	oldKeys := cliKeys(t, path)

	db := openCLIStore(t, path)
	ctx := context.Background()
	r := report.Report{Kind: "scam", ScamType: "investment", Channel: "telegram",
		Narrative: "secret narrative: paid 5000 USDT to the pig butchering desk", Status: "new", Reporter: "r", Source: "api"}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	id, _, err := db.AddReport(ctx, &r, store.Idempotency{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	// An environment key cannot be rotated; the key file is left alone.
	before, err := os.ReadFile(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("VIGIL_DATA_KEY", base64.StdEncoding.EncodeToString([]byte("another data key for the tests..")))
	if got := run(t, "", "key", "rotate-data", "--db", path); got.code != ExitError || !strings.Contains(got.stderr, "VIGIL_DATA_KEY") || !strings.Contains(got.stderr, "key file") {
		t.Errorf("rotate-data with VIGIL_DATA_KEY: %d %s", got.code, got.stderr)
	}
	t.Setenv("VIGIL_DATA_KEY", "")
	if after, _ := os.ReadFile(keyPath); string(after) != string(before) {
		t.Error("a refused rotate-data changed the key file")
	}

	got := mustRun(t, ExitOK, "key", "rotate-data", "--db", path)
	// One report and one account.
	if !strings.Contains(got.stdout, "re-sealed 2 records") || !strings.Contains(got.stdout, "Restart every server") {
		t.Errorf("rotate-data said:\n%s", got.stdout)
	}
	data, err := os.ReadFile(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(regexp.MustCompile(`(?m)^key `).FindAll(data, -1)); n != 2 {
		t.Errorf("the key file holds %d keys after rotation, want 2", n)
	}
	if fi, err := os.Stat(keyPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode after rotation: %v %v", fi.Mode(), err)
	}

	// With the key file, everything reads back and the rebuilt blind
	// indexes find it.
	db = openCLIStore(t, path)
	all := store.Viewer{All: true}
	back, err := db.Report(ctx, all, id)
	if err != nil || back.Narrative != r.Narrative {
		t.Fatalf("after rotation: %q %v", back.Narrative, err)
	}
	if found, _, err := db.SearchReports(ctx, all, store.Query{Text: "butchering"}); err != nil || len(found) != 1 || found[0].ID != id {
		t.Errorf("narrative search after rotation: %d reports, %v", len(found), err)
	}
	if u, err := db.UserByLogin(ctx, "alice"); err != nil || u.Login != "alice" {
		t.Errorf("login lookup after rotation: %+v %v", u, err)
	}
	db.Close()

	// The old key alone no longer opens what was re-sealed.
	old, err := sqlstore.Open(ctx, path, sqlstore.Options{Keys: oldKeys})
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if _, err := old.Report(ctx, all, id); !errors.Is(err, auth.ErrUnknownKey) {
		t.Errorf("the old key alone opened the re-sealed report: %v", err)
	}

	// The audit key stays the first key: the chain verifies across the
	// rotation, which it records.
	got = mustRun(t, ExitOK, "audit", "verify", "--db", path)
	if !strings.Contains(got.stdout, "chain intact") {
		t.Errorf("audit verify after rotation: %s", got.stdout)
	}
	if got := mustRun(t, ExitOK, "audit", "show", "--db", path); !strings.Contains(got.stdout, "key.rotate_data") {
		t.Errorf("the rotation is not in the audit log:\n%s", got.stdout)
	}

	// No key file, no rotation: a new one would open nothing.
	t.Setenv("VIGIL_KEY_FILE", filepath.Join(t.TempDir(), "none.key"))
	if got := run(t, "", "key", "rotate-data", "--db", path); got.code != ExitError || !strings.Contains(got.stderr, "no key file") {
		t.Errorf("rotate-data without a key file: %d %s", got.code, got.stderr)
	}
}

// auditStore makes a store whose audit log holds events 1 to 6.
func auditStore(t *testing.T) string {
	t.Helper()
	path := newCLIStore(t)
	a := addOrg(t, path, "A")
	b := addOrg(t, path, "B")
	mustRun(t, ExitOK, "org", "partners", a, b, "--db", path)
	mustRun(t, ExitOK, "key", "create", "--org", a, "--name", "k", "--perm", "lookup", "--db", path)
	mustRun(t, ExitOK, "org", "partners", a, "--db", path)
	mustRun(t, ExitOK, "org", "partners", b, a, "--db", path)
	return path
}

// rawSQL runs statements on the SQLite file at path directly, as someone
// holding the file can, and returns the first error.
func rawSQL(t *testing.T, path string, stmts ...string) error {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

func TestAuditCommands(t *testing.T) {
	path := auditStore(t)
	got := mustRun(t, ExitOK, "audit", "verify", "--db", path)
	m := regexp.MustCompile(`^audit log: (\d+) events, chain intact, head ([0-9a-f]{16})\n$`).FindStringSubmatch(got.stdout)
	if m == nil || m[1] != "6" {
		t.Fatalf("audit verify: %q", got.stdout)
	}
	db := openCLIStore(t, path)
	es, err := db.AuditLog(context.Background(), 0, 100)
	if err != nil || len(es) != 6 {
		t.Fatalf("audit log: %d events %v", len(es), err)
	}
	if head := hex.EncodeToString(es[5].Hash)[:16]; m[2] != head {
		t.Errorf("head %s, want %s", m[2], head)
	}
	db.Close()

	show := mustRun(t, ExitOK, "audit", "show", "--after", "2", "--limit", "2", "--db", path)
	if !regexp.MustCompile(`(?m)^3 +\S+ \S+ +cli:\S+ +org\.partners `).MatchString(show.stdout) || !regexp.MustCompile(`(?m)^4 .* key\.create `).MatchString(show.stdout) ||
		strings.Count(show.stdout, "\n") != 3 {
		t.Errorf("audit show --after 2 --limit 2:\n%s", show.stdout)
	}
	show = mustRun(t, ExitOK, "audit", "show", "--limit", "4", "--db", path, "--format", "json")
	var page struct {
		Events []auth.AuditEvent `json:"events"`
		Next   int64             `json:"next_after"`
	}
	if err := json.Unmarshal([]byte(show.stdout), &page); err != nil || len(page.Events) != 4 || page.Next != 4 || page.Events[0].Action != "org.create" {
		t.Errorf("audit show --format json: %v %s", err, show.stdout)
	}
	if got := run(t, "", "audit", "show", "--limit", "0", "--db", path); got.code != ExitError {
		t.Errorf("--limit 0: %d", got.code)
	}

	// The log is append-only through SQL.
	if err := rawSQL(t, path, "UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 3"); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("UPDATE of the audit log: %v, want refused", err)
	}
	if err := rawSQL(t, path, "DELETE FROM audit_log WHERE seq = 3"); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("DELETE from the audit log: %v, want refused", err)
	}
	mustRun(t, ExitOK, "audit", "verify", "--db", path)

	// Someone holding the file drops the triggers; the chain still tells.
	dropTriggers := []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}
	for _, tc := range []struct {
		name   string
		tamper []string
		want   string
	}{
		{"modified", []string{"UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 3"}, "broken at event 3: modified"},
		{"deleted", []string{"DELETE FROM audit_log WHERE seq = 3"}, "broken at event 3: missing"},
		// A row given another place has another seq, which its hash covers.
		{"swapped", []string{
			"UPDATE audit_log SET seq = -1 WHERE seq = 3",
			"UPDATE audit_log SET seq = 3 WHERE seq = 4",
			"UPDATE audit_log SET seq = 4 WHERE seq = -1",
		}, "broken at event 3: modified"},
		{"last removed and the one before altered", []string{
			"DELETE FROM audit_log WHERE seq = 6",
			"UPDATE audit_log SET actor = 'someone else' WHERE seq = 5",
		}, "broken at event 5: modified"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := auditStore(t)
			if err := rawSQL(t, path, append(dropTriggers, tc.tamper...)...); err != nil {
				t.Fatal(err)
			}
			got := run(t, "", "audit", "verify", "--db", path)
			if got.code != ExitNone || got.stdout != "audit log: "+tc.want+"\n" {
				t.Errorf("audit verify after tampering: exit %d, stdout %q, stderr %q; want exit 1 and %q", got.code, got.stdout, got.stderr, tc.want)
			}
		})
	}
}
