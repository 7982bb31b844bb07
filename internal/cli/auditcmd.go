package cli

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	"vigil/internal/auth"
	"vigil/internal/store/sqlstore"
)

const auditHelp = `
Read the store's audit log (--db): every change, and every read of
personal data, with who did it and when. Each event's hash covers the one
before it and is keyed with the data key, so an event cannot be changed,
removed or moved, even by someone who can write the database, without
breaking the chain.

  vigil audit verify    check the whole chain
  vigil audit show      list events, oldest first (--after SEQ, --limit N)

verify prints the number of events and the head: the start of the last
event's hash. A chain cannot show that its newest events were cut off:
note the head elsewhere (a ticket, a message to a partner) and compare.

Exit status: 0 done (verify: the chain is intact), 1 verify: the chain is
broken, 2 an error.
`

var auditSynopsis = map[string]string{
	"":       "audit verify|show [flags] [--db DSN]",
	"verify": "audit verify [--db DSN]",
	"show":   "audit show [--after SEQ] [--limit N] [--format table|json] [--db DSN]",
}

func runAudit(e *env, args []string) int {
	action, args, code := splitAction(e, "audit", auditSynopsis[""], auditHelp, args, "verify", "show")
	if action == "" {
		return code
	}
	fs := newFlagSet(e, "audit "+action, auditSynopsis[action], auditHelp, args)
	dsn := dbFlag(fs)
	var format *string
	var after *int64
	var limit *int
	if action == "show" {
		format = formatFlag(fs)
		after = fs.Int64("after", 0, "list the events after this sequence number")
		limit = fs.Int("limit", 100, "list at most this many events (1 to 1000)")
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return flagErr(err)
	}
	if len(pos) != 0 {
		fmt.Fprintf(e.stderr, "vigil audit: usage: vigil %s\n", auditSynopsis[action])
		return ExitError
	}
	if action == "show" {
		if !checkFormat(e, "audit", *format) {
			return ExitError
		}
		if *after < 0 || *limit < 1 || *limit > 1000 {
			fmt.Fprintln(e.stderr, "vigil audit: --after is a sequence number and --limit 1 to 1000")
			return ExitError
		}
	}
	db, err := openStore(e, *dsn, sqlstore.Options{})
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil audit: %v\n", err)
		return ExitError
	}
	defer db.Close()
	if action == "verify" {
		return verifyAudit(e, db)
	}
	es, err := db.AuditLog(e.ctx, *after, *limit)
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil audit: %v\n", err)
		return ExitError
	}
	if *format == "json" {
		out := struct {
			Events []auth.AuditEvent `json:"events"`
			Next   int64             `json:"next_after,omitempty"`
		}{Events: es}
		if len(es) == *limit {
			out.Next = es[len(es)-1].Seq
		}
		return writeJSONOut(e, "audit", out)
	}
	tw := newTable(e.stdout, "SEQ", "AT", "ACTOR", "ACTION", "TARGET", "DETAIL")
	for _, ev := range es {
		row(tw, strconv.FormatInt(ev.Seq, 10), ev.At.UTC().Format("2006-01-02 15:04:05.000"), ev.Actor, ev.Action, ev.Target, ev.Detail)
	}
	return flushTable(e, "audit", tw)
}

// verifyAudit checks the chain: exit 0 when intact, 1 when broken.
func verifyAudit(e *env, db *sqlstore.DB) int {
	n, err := db.VerifyAudit(e.ctx)
	var broken *auth.ChainError
	if errors.As(err, &broken) {
		fmt.Fprintf(e.stdout, "audit log: broken at event %d: %s\n", broken.Seq, broken.Problem)
		return ExitNone
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil audit: %v\n", err)
		return ExitError
	}
	if n == 0 {
		fmt.Fprintln(e.stdout, "audit log: no events")
		return ExitOK
	}
	// The chain holds seq 1 to n with no gap, so the head is event n.
	last, err := db.AuditLog(e.ctx, n-1, 1)
	if err == nil && len(last) != 1 {
		err = fmt.Errorf("event %d is gone", n)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil audit: read the last event: %v\n", err)
		return ExitError
	}
	fmt.Fprintf(e.stdout, "audit log: %d events, chain intact, head %.16s\n", n, hex.EncodeToString(last[0].Hash))
	return ExitOK
}
