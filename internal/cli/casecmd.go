package cli

import (
	"errors"
	"fmt"
	"strconv"

	"vigil/internal/report"
	"vigil/internal/share"
	"vigil/internal/store"
	"vigil/internal/store/sqlstore"
)

const caseHelp = `
Work on trafficking cases in the local store (--db). Every read is
written to the audit log, as the API does.

  vigil case list              list cases, most recently updated first
                               (--status S, --limit N)
  vigil case show ID           print the case as JSON, with its evidence
  vigil case leads ID          the leads that join it to scam reports and
                               other cases, with the path that made each
  vigil case status ID STATUS  set its status (reported, under_review,
                               located, rescue_underway, rescued,
                               repatriated, closed, lost_contact)
  vigil case export ID...      HTCDS records for referral, redacted by
                               each case's consent (--format csv|json)

Exit status: 0 done, 1 no such case, 2 an error.
`

var caseSynopsis = map[string]string{
	"":       "case list|show|leads|status|export [flags] [--db DSN]",
	"list":   "case list [--status S] [--limit N] [--format table|json] [--db DSN]",
	"show":   "case show ID [--db DSN]",
	"leads":  "case leads ID [--format table|json] [--db DSN]",
	"status": "case status ID STATUS [--db DSN]",
	"export": "case export ID... [--format csv|json] [--db DSN]",
}

func runCase(e *env, args []string) int {
	action, args, code := splitAction(e, "case", caseSynopsis[""], caseHelp, args, "list", "show", "leads", "status", "export")
	if action == "" {
		return code
	}
	fs := newFlagSet(e, "case "+action, caseSynopsis[action], caseHelp, args)
	dsn := dbFlag(fs)
	var format, status *string
	var limit *int
	switch action {
	case "list":
		format = formatFlag(fs)
		status = fs.String("status", "", "only cases with this status")
		limit = fs.Int("limit", 50, "list at most this many cases (1 to 500)")
	case "leads":
		format = formatFlag(fs)
	case "export":
		format = fs.String("format", "csv", "csv or json")
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return flagErr(err)
	}
	want := map[string]int{"list": 0, "show": 1, "leads": 1, "status": 2}
	if n, ok := want[action]; (ok && len(pos) != n) || (action == "export" && len(pos) == 0) {
		fmt.Fprintf(e.stderr, "vigil case: usage: vigil %s\n", caseSynopsis[action])
		return ExitError
	}
	switch {
	case action == "export" && *format != "csv" && *format != "json":
		fmt.Fprintf(e.stderr, "vigil case: unknown format %q: want csv or json\n", *format)
		return ExitError
	case format != nil && action != "export" && !checkFormat(e, "case", *format):
		return ExitError
	case limit != nil && (*limit < 1 || *limit > 500):
		fmt.Fprintln(e.stderr, "vigil case: --limit is 1 to 500")
		return ExitError
	}
	db, err := openStore(e, *dsn, sqlstore.Options{})
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil case: %v\n", err)
		return ExitError
	}
	defer db.Close()
	err = caseAction(e, db, action, pos, format, status, limit)
	if errors.Is(err, store.ErrNotFound) {
		fmt.Fprintf(e.stderr, "vigil case: %v\n", err)
		return ExitNone
	}
	var ve *report.ValidationError
	if errors.As(err, &ve) {
		fmt.Fprintf(e.stderr, "vigil case: %v\n", ve)
		return ExitError
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil case: %v\n", err)
		return ExitError
	}
	return ExitOK
}

// operator is the viewer at the command line: it holds the database and
// its key, so it sees every case.
var operator = store.Viewer{All: true}

func caseAction(e *env, db *sqlstore.DB, action string, pos []string, format, status *string, limit *int) error {
	ctx := cliActor(e)
	switch action {
	case "list":
		cs, next, err := db.Cases(ctx, operator, store.CaseQuery{Status: *status, Limit: *limit})
		if err != nil {
			return err
		}
		if *format == "json" {
			out := struct {
				Cases []report.Case `json:"cases"`
				Next  string        `json:"next_cursor,omitempty"`
			}{cs, next}
			if writeJSONOut(e, "case", out) != ExitOK {
				return errors.New("cannot write the output")
			}
			return nil
		}
		tw := newTable(e.stdout, "ID", "STATUS", "URGENCY", "ORG", "UPDATED", "NAME")
		for _, c := range cs {
			row(tw, c.ID, c.Status, c.Urgency, c.Org, c.UpdatedAt.UTC().Format("2006-01-02 15:04"), c.DisplayName())
		}
		if flushTable(e, "case", tw) != ExitOK {
			return errors.New("cannot write the output")
		}
		return nil
	case "show":
		c, err := db.Case(ctx, operator, pos[0])
		if err != nil {
			return err
		}
		if writeJSONOut(e, "case", c) != ExitOK {
			return errors.New("cannot write the output")
		}
		return nil
	case "leads":
		ls, err := db.Leads(ctx, operator, pos[0])
		if err != nil {
			return err
		}
		if *format == "json" {
			if writeJSONOut(e, "case", struct {
				Leads []store.Lead `json:"leads"`
			}{ls}) != ExitOK {
				return errors.New("cannot write the output")
			}
			return nil
		}
		tw := newTable(e.stdout, "KIND", "STRENGTH", "LEVEL", "PATH")
		for _, l := range ls {
			row(tw, l.Kind, strconv.FormatFloat(l.Strength, 'f', 2, 64), l.Level, l.Path)
		}
		if flushTable(e, "case", tw) != ExitOK {
			return errors.New("cannot write the output")
		}
		return nil
	case "status":
		c, err := db.Case(ctx, operator, pos[0])
		if err != nil {
			return err
		}
		c.Status = pos[1]
		if err := c.Validate(); err != nil {
			return err
		}
		if err := db.UpdateCase(ctx, &c); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "case %s: status %s\n", c.ID, c.Status)
		return nil
	case "export":
		cs := make([]report.Case, 0, len(pos))
		for _, id := range pos {
			c, err := db.Case(ctx, operator, id)
			if err != nil {
				return err
			}
			cs = append(cs, c)
		}
		if err := db.AppendAudit(ctx, "case.export", fmt.Sprint(pos), *format); err != nil {
			return err
		}
		return share.WriteHTCDS(e.stdout, *format, cs)
	}
	return fmt.Errorf("unknown action %q", action)
}
