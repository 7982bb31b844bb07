package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"vigil/internal/auth"
	"vigil/internal/store"
	"vigil/internal/store/sqlstore"
)

const keyHelp = `
Manage the API keys of partner systems, and rotate the data key:

  vigil key create --org ORGID --name NAME --perm PERM [--perm PERM...]
                        issue a key to an organisation and print it, once
  vigil key list        list the keys (their ids: only hashes are kept)
  vigil key revoke ID   revoke a key: it stops working at once
  vigil key rotate-data make a new data key current and re-encrypt the
                        store's personal data under it

A key acts for its organisation with the permissions it was given, of
those a key may hold: lookup, screen, report.submit, report.read,
report.read_pii, report.search, network.read, stats.read
(docs/permissions.md). --format json prints what the API returns.

rotate-data appends a new key to the key file ($VIGIL_KEY_FILE, or the
.key file beside a SQLite store), re-seals every encrypted value under it
and rebuilds the blind indexes. Stop every server on the store first and
start them again after: they read the key file at start. Older keys stay
in the file, which must be backed up again. A key given in VIGIL_DATA_KEY
cannot be rotated: keep it in a key file instead.

Exit status: 0 done, 1 no such key or organisation, 2 an error.
`

var keySynopsis = map[string]string{
	"":            "key create|list|revoke|rotate-data [arguments] [--db DSN]",
	"create":      "key create --org ORGID --name NAME --perm PERM [--perm PERM...] [--db DSN]",
	"list":        "key list [--format table|json] [--db DSN]",
	"revoke":      "key revoke ID [--db DSN]",
	"rotate-data": "key rotate-data [--db DSN]",
}

// keyOut is a new key as the API returns it: the key itself, once.
type keyOut struct {
	store.APIKey
	Key string `json:"key"`
}

func runKey(e *env, args []string) int {
	action, args, code := splitAction(e, "key", keySynopsis[""], keyHelp, args, "create", "list", "revoke", "rotate-data")
	if action == "" {
		return code
	}
	fs := newFlagSet(e, "key "+action, keySynopsis[action], keyHelp, args)
	dsn := dbFlag(fs)
	format := new(string) // revoke and rotate-data print a sentence, no record
	if action == "create" || action == "list" {
		format = formatFlag(fs)
	}
	var org, name *string
	var perms stringList
	if action == "create" {
		org = fs.String("org", "", "the id of the organisation the key acts for")
		name = fs.String("name", "", "what the key is for, such as the partner system's name")
		fs.Var(&perms, "perm", "a permission the key holds (repeatable): "+grantable().String())
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return flagErr(err)
	}
	if *format != "" && !checkFormat(e, "key", *format) {
		return ExitError
	}
	want := 0 // arguments
	if action == "revoke" {
		want = 1
	}
	if len(pos) != want {
		fmt.Fprintf(e.stderr, "vigil key: usage: vigil %s\n", keySynopsis[action])
		return ExitError
	}
	if action == "rotate-data" {
		return rotateData(e, *dsn)
	}
	var k store.APIKey
	if action == "create" {
		if k, err = newKey(*org, *name, perms); err != nil {
			fmt.Fprintf(e.stderr, "vigil key: %v\n", err)
			return ExitError
		}
	}
	db, err := openStore(e, *dsn, sqlstore.Options{})
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil key: %v\n", err)
		return ExitError
	}
	defer db.Close()
	ctx := cliActor(e)
	switch action {
	case "create":
		return createKey(e, ctx, db, k, *format)
	case "revoke":
		if err := db.RevokeKey(ctx, pos[0]); err != nil {
			return notFound(e, "key", err, "no unrevoked key %s", pos[0])
		}
		fmt.Fprintf(e.stdout, "revoked key %s\n", pos[0])
		return ExitOK
	}
	ks, err := db.Keys(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil key: %v\n", err)
		return ExitError
	}
	if *format == "json" {
		return writeJSONOut(e, "key", map[string]any{"keys": ks})
	}
	tw := newTable(e.stdout, "ID", "NAME", "ORG", "PERMISSIONS", "CREATED", "BY", "REVOKED")
	for _, k := range ks {
		revoked := ""
		if k.RevokedAt != nil {
			revoked = tableTime(*k.RevokedAt)
		}
		row(tw, k.ID, k.Name, k.Org, auth.NewPermSet(k.Perms...).String(), tableTime(k.CreatedAt), k.CreatedBy, revoked)
	}
	return flushTable(e, "key", tw)
}

// grantable is every permission an API key may hold.
func grantable() auth.PermSet { return auth.PermSet(^uint64(0)).KeyGrantable() }

// newKey checks the input of "key create" as the API does. A --perm may
// also list permissions separated by commas.
func newKey(org, name string, perms []string) (store.APIKey, error) {
	var k store.APIKey
	if strings.TrimSpace(name) == "" || len(name) > 200 {
		return k, errors.New("--name is 1 to 200 bytes")
	}
	if org == "" {
		return k, errors.New("--org names no organisation: a key acts for one")
	}
	var set auth.PermSet
	for _, list := range perms {
		for s := range strings.SplitSeq(list, ",") {
			p, err := auth.ParsePermission(strings.TrimSpace(s))
			if err != nil || !auth.KeyGrantable(p) {
				return k, fmt.Errorf("--perm %q is not a permission an API key may hold: want %s", s, grantable())
			}
			set |= auth.NewPermSet(p)
		}
	}
	if set == 0 {
		return k, fmt.Errorf("--perm names no permission: want some of %s", grantable())
	}
	return store.APIKey{Name: name, Org: org, Perms: set.List()}, nil
}

func createKey(e *env, ctx context.Context, db *sqlstore.DB, k store.APIKey, format string) int {
	if _, err := db.Org(ctx, k.Org); err != nil {
		return notFound(e, "key", err, "no organisation %s", k.Org)
	}
	token, id, hash := auth.NewAPIKey()
	k.ID, k.Hash, k.CreatedBy, k.CreatedAt = id, hash, store.Actor(ctx), time.Now().UTC().Truncate(time.Millisecond)
	if err := db.AddKey(ctx, k); err != nil {
		fmt.Fprintf(e.stderr, "vigil key: %v\n", err)
		return ExitError
	}
	if format == "json" {
		return writeJSONOut(e, "key", keyOut{APIKey: k, Key: token})
	}
	fmt.Fprintf(e.stdout, `issued key %s (%s) to organisation %s with %s:

    %s

The key cannot be shown again: Vigil keeps only its hash. Hand it to the
partner by a safe channel; "vigil key revoke %s" ends it.
`, k.ID, k.Name, k.Org, auth.NewPermSet(k.Perms...), token, k.ID)
	return ExitOK
}

// rotateData makes a new data key current in the key file and re-seals
// the store under it.
func rotateData(e *env, dsn string) int {
	if os.Getenv("VIGIL_DATA_KEY") != "" {
		fmt.Fprintln(e.stderr, `vigil key: rotate-data: the data key comes from VIGIL_DATA_KEY, which cannot be
rotated in place: rotation keeps the old key, to open what it sealed, beside
the new one, and the variable holds one key; setting a new one after
re-encrypting is not supported. Keep the key in a key file instead: write the
line "key <the base64 of VIGIL_DATA_KEY>" to a file of mode 0600 named by
VIGIL_KEY_FILE (or beside a SQLite store), unset VIGIL_DATA_KEY, and run
rotate-data again.`)
		return ExitError
	}
	path := keyFile(dsn)
	// Loading would make a new key file when there is none, and its key
	// would open nothing in the store.
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(e.stderr, "vigil key: rotate-data: no key file %s: set VIGIL_KEY_FILE to the store's key file\n", path)
		return ExitError
	}
	ring, _, err := auth.LoadKeyring("", path)
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil key: rotate-data: %v\n", err)
		return ExitError
	}
	// The store is opened before the key file changes, so that a store
	// that cannot be opened leaves the file as it was.
	db, err := sqlstore.Open(e.ctx, dsn, sqlstore.Options{Keys: ring})
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil key: rotate-data: %v\n", err)
		return ExitError
	}
	defer db.Close()
	if err := ring.Rotate(path); err != nil {
		fmt.Fprintf(e.stderr, "vigil key: rotate-data: %v\n", err)
		return ExitError
	}
	n, err := db.RotateData(cliActor(e))
	if err != nil {
		// The new key is in the file: what was re-sealed opens with it and
		// the rest with the older keys, so nothing is lost.
		fmt.Fprintf(e.stderr, "vigil key: rotate-data: %v\nThe new key is current in %s; records not re-sealed still open with the older keys. Run rotate-data again once the cause is fixed.\n", err, path)
		return ExitError
	}
	fmt.Fprintf(e.stdout, `re-sealed %d records under the new data key %08x, now current in %s
Restart every server on this store: they pick up the new key at start.
Back the key file up again, apart from the database backups.
`, n, ring.Current(), path)
	return ExitOK
}
