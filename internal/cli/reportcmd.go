package cli

import (
	"errors"
	"fmt"

	"vigil/internal/report"
	"vigil/internal/store"
	"vigil/internal/store/sqlstore"
)

const reportHelp = `
Work on stored reports in the local store (--db):

  vigil report show ID      print the report (with its narrative) as JSON
  vigil report verify ID    mark it verified
  vigil report reject ID    reject it: it stops counting for its indicators
                            and leaves its network, which may split
  vigil report delete ID    delete it and everything that depended on it

Exit status: 0 done, 1 no such report, 2 an error.
`

func runReport(e *env, args []string) int {
	fs := newFlagSet(e, "report", "report show|verify|reject|delete ID [--db DSN]", reportHelp, args)
	dsn := dbFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return flagErr(err)
	}
	if len(pos) != 2 {
		fmt.Fprintln(e.stderr, "vigil report: want an action (show, verify, reject, delete) and a report ID")
		return ExitError
	}
	action, id := pos[0], pos[1]
	switch action {
	case "show", "verify", "reject", "delete":
	default:
		fmt.Fprintf(e.stderr, "vigil report: unknown action %q: want show, verify, reject or delete\n", action)
		return ExitError
	}
	db, err := openStore(e, *dsn, sqlstore.Options{})
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil report: %v\n", err)
		return ExitError
	}
	defer db.Close()
	ctx := cliActor(e)
	switch action {
	case "show":
		var r report.Report
		if r, err = db.Report(ctx, store.Viewer{All: true}, id); err == nil {
			if err := db.AppendAudit(ctx, "report.read_pii", id, ""); err != nil {
				fmt.Fprintf(e.stderr, "vigil report: %v\n", err)
				return ExitError
			}
			return writeJSONOut(e, "report", r)
		}
	case "verify":
		err = db.SetReportStatus(ctx, id, report.StatusVerified, "")
	case "reject":
		err = db.SetReportStatus(ctx, id, report.StatusRejected, "")
	case "delete":
		err = db.DeleteReport(ctx, id)
	}
	if errors.Is(err, store.ErrNotFound) {
		fmt.Fprintf(e.stderr, "vigil report: no report %s\n", id)
		return ExitNone
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil report: %v\n", err)
		return ExitError
	}
	fmt.Fprintf(e.stdout, "report %s: %s done\n", id, action)
	return ExitOK
}
