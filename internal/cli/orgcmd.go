package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"vigil/internal/store"
	"vigil/internal/store/sqlstore"
)

const orgHelp = `
Manage the organisations of the store (--db): police units, banks, NGOs.

  vigil org add NAME [--trusted]        add an organisation
  vigil org list                        list them
  vigil org partners ORGID [PARTNERID...]
                                        set the organisations that see
                                        ORGID's TLP:AMBER reports; with
                                        none, clear them

The reports and verifications of a trusted organisation weigh like an
independent reporter each (docs/confidence.md). --format json prints what
the API returns.

Exit status: 0 done, 1 no such organisation, 2 an error.
`

var orgSynopsis = map[string]string{
	"":         "org add|list|partners [arguments] [--db DSN]",
	"add":      "org add NAME [--trusted] [--db DSN]",
	"list":     "org list [--format table|json] [--db DSN]",
	"partners": "org partners ORGID [PARTNERID...] [--db DSN]",
}

func runOrg(e *env, args []string) int {
	action, args, code := splitAction(e, "org", orgSynopsis[""], orgHelp, args, "add", "list", "partners")
	if action == "" {
		return code
	}
	fs := newFlagSet(e, "org "+action, orgSynopsis[action], orgHelp, args)
	dsn := dbFlag(fs)
	format := formatFlag(fs)
	var trusted *bool
	if action == "add" {
		trusted = fs.Bool("trusted", false, "its reports and verifications weigh like an independent reporter each")
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return flagErr(err)
	}
	if !checkFormat(e, "org", *format) {
		return ExitError
	}
	switch {
	case action == "list" && len(pos) != 0, action == "add" && len(pos) != 1, action == "partners" && len(pos) == 0:
		fmt.Fprintf(e.stderr, "vigil org: usage: vigil %s\n", orgSynopsis[action])
		return ExitError
	}
	var name string
	if action == "add" {
		if name = strings.TrimSpace(pos[0]); name == "" || len(name) > 200 {
			fmt.Fprintln(e.stderr, "vigil org: a name is 1 to 200 bytes")
			return ExitError
		}
	}
	db, err := openStore(e, *dsn, sqlstore.Options{})
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil org: %v\n", err)
		return ExitError
	}
	defer db.Close()
	ctx := cliActor(e)
	switch action {
	case "add":
		o, err := db.AddOrg(ctx, store.Org{Name: name, Trusted: *trusted})
		if err != nil {
			fmt.Fprintf(e.stderr, "vigil org: %v\n", err)
			return ExitError
		}
		if *format == "json" {
			return writeJSONOut(e, "org", o)
		}
		fmt.Fprintf(e.stdout, "added organisation %s (id %s, trusted %t)\n", o.Name, o.ID, o.Trusted)
		return ExitOK
	case "partners":
		return setPartners(e, ctx, db, pos[0], pos[1:], *format)
	}
	orgs, err := db.Orgs(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil org: %v\n", err)
		return ExitError
	}
	if *format == "json" {
		return writeJSONOut(e, "org", map[string]any{"orgs": orgs})
	}
	tw := newTable(e.stdout, "ID", "NAME", "TRUSTED", "CREATED")
	for _, o := range orgs {
		row(tw, o.ID, o.Name, strconv.FormatBool(o.Trusted), tableTime(o.CreatedAt))
	}
	return flushTable(e, "org", tw)
}

// setPartners names the organisations that see org's TLP:AMBER reports.
// As in the API, an unknown org is not found (1) and an unknown partner
// is a bad argument (2).
func setPartners(e *env, ctx context.Context, db *sqlstore.DB, org string, partners []string, format string) int {
	if _, err := db.Org(ctx, org); err != nil {
		return notFound(e, "org", err, "no organisation %s", org)
	}
	for _, p := range partners {
		if _, err := db.Org(ctx, p); err != nil {
			notFound(e, "org", err, "partner %s is not an organisation", p)
			return ExitError
		}
	}
	if err := db.SetPartners(ctx, org, partners); err != nil {
		fmt.Fprintf(e.stderr, "vigil org: %v\n", err)
		return ExitError
	}
	if format == "json" {
		if partners == nil {
			partners = []string{}
		}
		return writeJSONOut(e, "org", map[string]any{"org": org, "partners": partners})
	}
	if len(partners) == 0 {
		fmt.Fprintf(e.stdout, "organisation %s: no partners; only it sees its TLP:AMBER reports\n", org)
		return ExitOK
	}
	fmt.Fprintf(e.stdout, "organisation %s: partners %s see its TLP:AMBER reports\n", org, strings.Join(partners, ", "))
	return ExitOK
}
