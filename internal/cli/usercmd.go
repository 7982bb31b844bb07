package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"vigil/internal/auth"
	"vigil/internal/store"
	"vigil/internal/store/sqlstore"
)

const userHelp = `
Manage the accounts of the store (--db):

  vigil user add LOGIN --role ROLE [--org ORGID] [--name NAME]
                          add an account and print its one-time password
  vigil user list         list the accounts
  vigil user disable USER disable an account and end its sessions
  vigil user enable USER  enable it again
  vigil user reset USER   give it a new one-time password, ending its sessions

USER is an account's login or id. Roles: reporter, family, analyst,
caseworker, admin (docs/permissions.md). A one-time password is printed
once and must be changed at the first sign-in; Vigil keeps only its hash.
--format json prints what the API returns.

Exit status: 0 done, 1 no such account or organisation, 2 an error.
`

var userSynopsis = map[string]string{
	"":        "user add|list|disable|enable|reset [arguments] [--db DSN]",
	"add":     "user add LOGIN --role ROLE [--org ORGID] [--name NAME] [--db DSN]",
	"list":    "user list [--format table|json] [--db DSN]",
	"disable": "user disable LOGIN|ID [--db DSN]",
	"enable":  "user enable LOGIN|ID [--db DSN]",
	"reset":   "user reset LOGIN|ID [--db DSN]",
}

// userOut is an account as the API returns it, with the one-time
// password when one was just made.
type userOut struct {
	store.User
	Password string `json:"password,omitempty"`
}

func runUser(e *env, args []string) int {
	action, args, code := splitAction(e, "user", userSynopsis[""], userHelp, args, "add", "list", "disable", "enable", "reset")
	if action == "" {
		return code
	}
	fs := newFlagSet(e, "user "+action, userSynopsis[action], userHelp, args)
	dsn := dbFlag(fs)
	format := formatFlag(fs)
	var roleName, org, name *string
	if action == "add" {
		roleName = fs.String("role", "", "the account's role: "+roleNames())
		org = fs.String("org", "", "the id of the account's organisation")
		name = fs.String("name", "", "the account holder's name")
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return flagErr(err)
	}
	if !checkFormat(e, "user", *format) {
		return ExitError
	}
	want := 1 // arguments
	if action == "list" {
		want = 0
	}
	if len(pos) != want {
		fmt.Fprintf(e.stderr, "vigil user: usage: vigil %s\n", userSynopsis[action])
		return ExitError
	}
	var u store.User
	if action == "add" {
		if u, err = newUser(pos[0], *roleName, *org, *name); err != nil {
			fmt.Fprintf(e.stderr, "vigil user: %v\n", err)
			return ExitError
		}
	}
	db, err := openStore(e, *dsn, sqlstore.Options{})
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil user: %v\n", err)
		return ExitError
	}
	defer db.Close()
	ctx := cliActor(e)
	switch action {
	case "list":
		return listUsers(e, ctx, db, *format)
	case "add":
		return addUser(e, ctx, db, u, *format)
	}
	return changeUser(e, ctx, db, action, pos[0], *format)
}

// newUser checks the input of "user add" as the API does.
func newUser(login, roleName, org, name string) (store.User, error) {
	login = strings.TrimSpace(login)
	if login == "" || len(login) > 254 || strings.ContainsAny(login, " \t\r\n") {
		return store.User{}, errors.New("a login is 1 to 254 characters without spaces (an email address or a name)")
	}
	if len(name) > 200 {
		return store.User{}, errors.New("--name is longer than 200 bytes")
	}
	role, err := auth.ParseRole(roleName)
	if err != nil || role == auth.RolePublic {
		return store.User{}, fmt.Errorf("--role %q: want one of %s", roleName, roleNames())
	}
	return store.User{Login: login, Name: name, Role: role, Org: org, MustChange: true}, nil
}

func addUser(e *env, ctx context.Context, db *sqlstore.DB, u store.User, format string) int {
	if u.Org != "" {
		if _, err := db.Org(ctx, u.Org); err != nil {
			return notFound(e, "user", err, "no organisation %s", u.Org)
		}
	}
	pw, hash, err := oneTimePassword()
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil user: %v\n", err)
		return ExitError
	}
	u.PasswordHash = hash
	if u, err = db.AddUser(ctx, u); err != nil {
		fmt.Fprintf(e.stderr, "vigil user: %v\n", err)
		return ExitError
	}
	if format == "json" {
		return writeJSONOut(e, "user", userOut{User: u, Password: pw})
	}
	fmt.Fprintf(e.stdout, "added account %s (id %s, role %s)\n", u.Login, u.ID, u.Role)
	printPassword(e.stdout, u, pw)
	return ExitOK
}

// changeUser disables, enables or resets the account ref names.
func changeUser(e *env, ctx context.Context, db *sqlstore.DB, action, ref, format string) int {
	u, err := findUser(ctx, db, ref)
	if err != nil {
		return notFound(e, "user", err, "no account %s", ref)
	}
	var pw string
	switch action {
	case "disable":
		u.Disabled = true
	case "enable":
		u.Disabled = false
	case "reset":
		if pw, u.PasswordHash, err = oneTimePassword(); err != nil {
			fmt.Fprintf(e.stderr, "vigil user: %v\n", err)
			return ExitError
		}
		u.MustChange = true
	}
	if err := db.UpdateUser(ctx, u); err != nil {
		fmt.Fprintf(e.stderr, "vigil user: %v\n", err)
		return ExitError
	}
	if format == "json" {
		return writeJSONOut(e, "user", userOut{User: u, Password: pw})
	}
	switch action {
	case "disable":
		fmt.Fprintf(e.stdout, "disabled account %s (id %s); its sessions are ended\n", u.Login, u.ID)
	case "enable":
		fmt.Fprintf(e.stdout, "enabled account %s (id %s)\n", u.Login, u.ID)
	case "reset":
		fmt.Fprintf(e.stdout, "new one-time password for account %s (id %s); its sessions are ended\n", u.Login, u.ID)
		printPassword(e.stdout, u, pw)
	}
	return ExitOK
}

// findUser finds an account by id or, failing that, by login.
func findUser(ctx context.Context, db *sqlstore.DB, ref string) (store.User, error) {
	u, err := db.User(ctx, ref)
	if errors.Is(err, store.ErrNotFound) {
		u, err = db.UserByLogin(ctx, ref)
	}
	return u, err
}

// oneTimePassword makes a password to hand over once, and its hash.
func oneTimePassword() (pw, hash string, err error) {
	pw = auth.GeneratePassword()
	hash, err = auth.HashPassword(pw)
	return pw, hash, err
}

func printPassword(w io.Writer, u store.User, pw string) {
	fmt.Fprintf(w, `
    login:    %s
    password: %s

The password is shown this once: hand it to its holder by a safe channel.
It is good for one sign-in, which asks for a new one.
`, u.Login, pw)
}

func listUsers(e *env, ctx context.Context, db *sqlstore.DB, format string) int {
	us, err := db.Users(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil user: %v\n", err)
		return ExitError
	}
	// Logins are personal data, sealed at rest: listing them is recorded,
	// as the API records it.
	if err := db.AppendAudit(ctx, "user.list", "", fmt.Sprintf("%d accounts", len(us))); err != nil {
		fmt.Fprintf(e.stderr, "vigil user: %v\n", err)
		return ExitError
	}
	if format == "json" {
		return writeJSONOut(e, "user", map[string]any{"users": us})
	}
	tw := newTable(e.stdout, "ID", "LOGIN", "NAME", "ROLE", "ORG", "STATE", "CREATED")
	for _, u := range us {
		state := "active"
		switch {
		case u.Disabled:
			state = "disabled"
		case u.MustChange:
			state = "one-time password"
		}
		row(tw, u.ID, u.Login, u.Name, string(u.Role), u.Org, state, tableTime(u.CreatedAt))
	}
	return flushTable(e, "user", tw)
}

func roleNames() string {
	names := make([]string, len(auth.Roles))
	for i, r := range auth.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// What follows is shared by the commands with actions: user, org, key
// and audit.

// splitAction takes the action ("add" in "vigil user add bob") off args.
// Without a known one it returns "" and an exit code, having printed the
// command's help when asked for it (success) or said what is wrong.
func splitAction(e *env, cmd, synopsis, help string, args []string, actions ...string) (string, []string, int) {
	if len(args) > 0 && slices.Contains(actions, args[0]) {
		return args[0], args[1:], ExitOK
	}
	fs := newFlagSet(e, cmd, synopsis, help, args)
	dbFlag(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return "", nil, flagErr(err)
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(e.stderr, "vigil %s: want an action first: %s\n", cmd, strings.Join(actions, ", "))
	} else {
		fmt.Fprintf(e.stderr, "vigil %s: unknown action %q: want %s\n", cmd, args[0], strings.Join(actions, ", "))
	}
	return "", nil, ExitError
}

// notFound reports err: exit 1 with the message made of format and args
// when it is store.ErrNotFound, else exit 2 with err.
func notFound(e *env, cmd string, err error, format string, args ...any) int {
	if errors.Is(err, store.ErrNotFound) {
		fmt.Fprintf(e.stderr, "vigil %s: %s\n", cmd, fmt.Sprintf(format, args...))
		return ExitNone
	}
	fmt.Fprintf(e.stderr, "vigil %s: %v\n", cmd, err)
	return ExitError
}

func formatFlag(fs *flag.FlagSet) *string {
	return fs.String("format", "table", "output format: table or json (as the API returns it)")
}

func checkFormat(e *env, cmd, format string) bool {
	if format != "table" && format != "json" {
		fmt.Fprintf(e.stderr, "vigil %s: unknown format %q: want table or json\n", cmd, format)
		return false
	}
	return true
}

// newTable starts a table of aligned columns with a header.
func newTable(w io.Writer, header ...string) *tabwriter.Writer {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row(tw, header...)
	return tw
}

func row(tw *tabwriter.Writer, cells ...string) {
	for i, c := range cells {
		if c == "" {
			c = "-"
		}
		// A tab or line break in a value (a name, an audit detail) would
		// break the columns.
		cells[i] = oneLine(c)
	}
	fmt.Fprintln(tw, strings.Join(cells, "\t"))
}

func flushTable(e *env, cmd string, tw *tabwriter.Writer) int {
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(e.stderr, "vigil %s: %v\n", cmd, err)
		return ExitError
	}
	return ExitOK
}

// tableTime formats a time for a table, in UTC to the minute.
func tableTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") }
