package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"vigil/internal/extract"
	"vigil/internal/indicator"
	"vigil/internal/lookup"
	"vigil/internal/store/sqlstore"
)

const checkHelp = `
Ask whether values have been reported: phone numbers, links, domains,
wallets, bank accounts, messaging accounts, written any way a person
writes them ("+86 138-0013-8000", "hxxps://evil[.]com", "@scam_desk").
Each is read as the extractor reads it and answered as the API's
GET /api/v1/lookup answers: kind, canonical value, known or not, reports,
distinct reporters, first and last seen, scam types, network size,
confidence, and whether it is on a known-good list. Never who reported.

It asks the local store (--db), or a Vigil server (--server URL).
Values come from the arguments, or one per line on standard input.

Exit status: 0 at least one value is known (reported or listed), 1 none is,
2 an error (a value that cannot be read, an unreachable store).

Examples:
  vigil check +8613800138000 TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp
  vigil check --server https://vigil.example.org --format json 'wechat: abc_123456'
`

func runCheck(e *env, args []string) int {
	fs := newFlagSet(e, "check", "check [flags] VALUE ...", checkHelp, args)
	dsn := dbFlag(fs)
	server := fs.String("server", "", "ask this Vigil server (https://...) instead of the local store")
	format := fs.String("format", "table", "output format: table or json")
	kind := fs.String("kind", "", "read every value as this kind (phone, qq, wechat, ...)")
	region := fs.String("region", "", "region for national phone numbers, e.g. CN (default: guess)")
	values, err := parseFlags(fs, args)
	if err != nil {
		return flagErr(err)
	}
	if *format != "table" && *format != "json" {
		fmt.Fprintf(e.stderr, "vigil check: unknown format %q: want table or json\n", *format)
		return ExitError
	}
	if len(values) == 0 {
		b, err := io.ReadAll(io.LimitReader(e.stdin, 64<<20))
		if err != nil {
			fmt.Fprintf(e.stderr, "vigil check: %v\n", err)
			return ExitError
		}
		for _, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				values = append(values, l)
			}
		}
	}
	if len(values) == 0 {
		fmt.Fprintln(e.stderr, "vigil check: no value to check (see vigil check --help)")
		return ExitError
	}
	var k indicator.Kind
	if *kind != "" {
		if k, err = indicator.ParseKind(*kind); err != nil {
			fmt.Fprintf(e.stderr, "vigil check: %v\n", err)
			return ExitError
		}
	}
	var answers []lookup.Answer
	if *server != "" {
		answers, err = checkRemote(*server, values, *kind, *region)
	} else {
		answers, err = checkLocal(e, *dsn, values, k, strings.ToUpper(*region))
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil check: %v\n", err)
		return ExitError
	}
	code := ExitNone
	bad := false
	for _, a := range answers {
		if a.Known {
			code = ExitOK
		}
		if a.Error != "" {
			bad = true
			fmt.Fprintf(e.stderr, "vigil check: %q %s\n", a.Query, a.Error)
		}
	}
	if *format == "json" {
		if c := writeJSONOut(e, "check", map[string]any{"results": answers}); c != ExitOK {
			return c
		}
	} else {
		writeAnswers(e.stdout, answers)
	}
	if bad {
		return ExitError
	}
	return code
}

func checkLocal(e *env, dsn string, values []string, k indicator.Kind, region string) ([]lookup.Answer, error) {
	db, err := openStore(e, dsn, sqlstore.Options{})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	svc := &lookup.Service{X: extract.New(extract.Options{Region: region}), Store: db}
	var out []lookup.Answer
	for len(values) > 0 {
		n := min(len(values), lookup.MaxBatch)
		as, err := svc.Batch(e.ctx, values[:n], k, region)
		if err != nil {
			return nil, err
		}
		out, values = append(out, as...), values[n:]
	}
	return out, nil
}

// checkRemote asks a server's POST /api/v1/lookup, in batches.
func checkRemote(server string, values []string, kind, region string) ([]lookup.Answer, error) {
	client := &http.Client{Timeout: time.Minute}
	var out []lookup.Answer
	for len(values) > 0 {
		n := min(len(values), lookup.MaxBatch)
		body, _ := json.Marshal(map[string]any{"values": values[:n], "kind": kind, "region": region})
		res, err := client.Post(strings.TrimRight(server, "/")+"/api/v1/lookup", "application/json", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(io.LimitReader(res.Body, 256<<20))
		res.Body.Close()
		if err != nil {
			return nil, err
		}
		if res.StatusCode != http.StatusOK {
			var p struct{ Title, Detail string }
			json.Unmarshal(b, &p)
			return nil, fmt.Errorf("%s answered %d %s: %s", server, res.StatusCode, p.Title, p.Detail)
		}
		var r struct{ Results []lookup.Answer }
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("%s: not a lookup answer: %v", server, err)
		}
		out, values = append(out, r.Results...), values[n:]
	}
	return out, nil
}

func writeAnswers(w io.Writer, as []lookup.Answer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "QUERY\tKIND\tVALUE\tKNOWN\tREPORTS\tREPORTERS\tLAST SEEN\tSCAM TYPES\tNETWORK\tCONFIDENCE\tNOTE")
	for _, a := range as {
		if a.Error != "" {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\t-\t-\t-\t-\t%s\n", a.Query, a.Error)
			continue
		}
		last := "-"
		if a.LastSeen != nil {
			last = a.LastSeen.Format("2006-01-02")
		}
		known := "no"
		if a.Known {
			known = "yes"
		}
		note := strings.Join(a.Sources, ",")
		if a.KnownGood {
			known, note = "known-good", a.Warning
		}
		types := strings.Join(a.ScamTypes, ",")
		if types == "" {
			types = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t%d\t%.2f %s\t%s\n", a.Query, a.Kind, a.Value, known, a.Reports, a.Reporters,
			last, types, a.Network, a.Confidence, a.Level, note)
	}
	tw.Flush()
}
