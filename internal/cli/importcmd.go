package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/schollz/progressbar/v3"

	"vigil/internal/extract"
	"vigil/internal/report"
	"vigil/internal/share"
	"vigil/internal/store"
	"vigil/internal/store/sqlstore"
	"vigil/internal/warninglist"
)

const importHelp = `
Import files into the store (--db): reports, one per line as JSONL or CSV
(the fields of POST /api/v1/reports, plus reporter: the source system's id
of who reported), and indicator lists: CryptoScamDB urls.yaml,
eth-phishing-detect config.json (its allow-list as known-good), ScamSniffer
address.json / combined.json / archive TSVs, the FTC Do-Not-Call numbers
CSV, jarelllama's scam blocklist, MISP warninglists (a list.json or a
directory of them, loaded as known-good) and plain lists (one value a line).
The format is detected from the file's name and first bytes; --format
overrides it.

Imports are idempotent (importing the same file twice changes nothing) and
resumable: progress is committed with every batch, so after a crash or
Ctrl-C the same command continues where it stopped. Bad rows are reported
with file and line, skipped and counted; good rows still land.

Exit status: 0 everything imported, 1 imported but some rows were bad and
skipped, 2 an error (unreadable file, unknown format, interrupted).
`

type importer struct {
	e        *env
	db       *sqlstore.DB
	x        *extract.Extractor
	batch    int
	reporter string
	progress bool
	// bad rows shown on standard error before only counting them
	showBad int
}

type importStats struct {
	records, values, reports, bad int
}

func runImport(e *env, args []string) int {
	fs := newFlagSet(e, "import", "import [flags] FILE ...", importHelp, args)
	dsn := dbFlag(fs)
	formatName := fs.String("format", "", "the files' format (default: detect): "+strings.Join(formatNames(), ", "))
	reporter := fs.String("reporter", "", "who reported rows that do not say (default: import:<file name>)")
	batch := fs.Int("batch", 2000, "records per committed batch")
	progress := fs.String("progress", "auto", "progress bar on standard error: auto (on a terminal), always or never")
	files, err := parseFlags(fs, args)
	if err != nil {
		return flagErr(err)
	}
	if len(files) == 0 {
		fmt.Fprintln(e.stderr, "vigil import: no file to import (see vigil import --help)")
		return ExitError
	}
	var forced share.Format
	if *formatName != "" {
		if forced, err = share.ParseFormat(*formatName); err != nil {
			fmt.Fprintf(e.stderr, "vigil import: %v\n", err)
			return ExitError
		}
	}
	if *batch < 1 {
		*batch = 1
	}
	db, err := openStore(e, *dsn, sqlstore.Options{})
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil import: %v\n", err)
		return ExitError
	}
	defer db.Close()
	im := &importer{e: e, db: db, x: extract.New(extract.Options{}), batch: *batch, reporter: *reporter,
		progress: *progress == "always" || *progress == "auto" && e.isTerminal, showBad: 20}
	code := ExitOK
	for _, path := range files {
		paths := []string{path}
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			if paths, err = share.WarninglistFiles(path); err != nil {
				fmt.Fprintf(e.stderr, "vigil import: %s: %v\n", path, err)
				return ExitError
			}
		}
		for _, p := range paths {
			st, err := im.importFile(p, forced)
			if err != nil {
				fmt.Fprintf(e.stderr, "vigil import: %s: %v\n", p, err)
				if errors.Is(err, context.Canceled) {
					fmt.Fprintln(e.stderr, "vigil import: interrupted; what was committed stays, and the same command resumes")
				}
				return ExitError
			}
			if st.bad > 0 {
				code = ExitNone
			}
		}
	}
	return code
}

// importFile imports one file, resuming where an earlier run stopped.
func (im *importer) importFile(path string, forced share.Format) (importStats, error) {
	var st importStats
	f := forced
	if f == "" {
		head := make([]byte, 4096)
		fh, err := os.Open(path)
		if err != nil {
			return st, err
		}
		n, _ := io.ReadFull(fh, head)
		fh.Close()
		if f, err = share.Detect(path, head[:n]); err != nil {
			return st, err
		}
	}
	sum, err := fileHash(path)
	if err != nil {
		return st, err
	}
	key := string(f) + ":" + sum
	state, err := im.db.ImportProgress(im.e.ctx, key)
	if err != nil {
		return st, err
	}
	if state.Done {
		fmt.Fprintf(im.e.stdout, "%s: already imported (%s), nothing to do\n", path, f)
		return st, nil
	}
	if state.Line > 0 {
		fmt.Fprintf(im.e.stdout, "%s: resuming after record %d\n", path, state.Line)
	}
	reporter := im.reporter
	if reporter == "" {
		reporter = "import:" + filepath.Base(path)
	}
	var bar *progressbar.ProgressBar
	if im.progress {
		bar = progressbar.NewOptions64(-1, progressbar.OptionSetWriter(im.e.stderr), progressbar.OptionSetDescription(filepath.Base(path)),
			progressbar.OptionShowCount(), progressbar.OptionSetItsString("records"), progressbar.OptionShowIts(), progressbar.OptionClearOnFinish())
	}
	type group struct {
		source    string
		knownGood bool
	}
	listed := map[group][]store.Key{}
	var order []group
	var reports []*report.Report
	pending, last := 0, state.Line
	warned := map[string]bool{}
	flush := func(done bool) error {
		pos := store.ImportState{Key: key, Path: path, Line: last, Done: done}
		for i, g := range order {
			// Progress rides with the batch's last write.
			ps := store.ImportState{}
			if i == len(order)-1 && len(reports) == 0 {
				ps = pos
			}
			if err := im.db.AddListed(im.e.ctx, g.source, g.knownGood, listed[g], ps); err != nil {
				return err
			}
			st.values += len(listed[g])
		}
		if len(reports) > 0 || len(order) == 0 {
			n, err := im.db.AddImported(im.e.ctx, reports, pos)
			if err != nil {
				return err
			}
			st.reports += n
		}
		clear(listed)
		order, reports, pending = order[:0], reports[:0], 0
		return nil
	}
	err = share.Read(im.e.ctx, path, f, state.Line, func(r share.Record) error {
		st.records++
		if bar != nil {
			bar.Add(1)
		}
		last = r.Pos
		switch {
		case r.Err != nil:
			st.bad++
			if st.bad <= im.showBad {
				fmt.Fprintf(im.e.stderr, "%s:%d: skipped: %v\n", path, r.Pos, r.Err)
			}
		case r.Report != nil:
			rep := r.Report
			if rep.Reporter == "" {
				rep.Reporter = reporter
			}
			if err := report.Resolve(im.x, rep); err != nil {
				st.bad++
				if st.bad <= im.showBad {
					fmt.Fprintf(im.e.stderr, "%s:%d: skipped: %v\n", path, r.Pos, err)
				}
				break
			}
			reports = append(reports, rep)
			pending++
		case len(r.Values) > 0 && r.KnownGood && infrastructureList(r.Source):
			// Scams are hosted on shared infrastructure too (link
			// shorteners, dynamic DNS, clouds): such lists warn, they do not
			// vouch, so they are not stored as known-good.
			if !warned[r.Source] {
				warned[r.Source] = true
				fmt.Fprintf(im.e.stderr, "%s: %s lists shared infrastructure: a warning, not known-good; not stored (vigil scan --warninglists applies it)\n", path, r.Source)
			}
		case len(r.Values) > 0:
			g := group{r.Source, r.KnownGood}
			if _, ok := listed[g]; !ok {
				order = append(order, g)
			}
			for _, v := range r.Values {
				listed[g] = append(listed[g], store.Key{Kind: v.Kind, Value: v.Value})
			}
			pending += len(r.Values)
		case r.Notice != "":
			fmt.Fprintf(im.e.stderr, "%s: %s\n", path, r.Notice)
		}
		if pending >= im.batch {
			return flush(false)
		}
		return nil
	})
	if bar != nil {
		bar.Finish()
	}
	if err != nil {
		return st, err
	}
	if err := flush(true); err != nil {
		return st, err
	}
	if st.bad > im.showBad {
		fmt.Fprintf(im.e.stderr, "%s: %d more bad rows not shown\n", path, st.bad-im.showBad)
	}
	fmt.Fprintf(im.e.stdout, "%s: %s, %d records: %d listed values, %d new reports, %d bad rows skipped\n", path, f, st.records, st.values, st.reports, st.bad)
	return st, nil
}

func fileHash(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func formatNames() []string {
	var out []string
	for _, f := range share.Formats {
		out = append(out, string(f))
	}
	return out
}

// infrastructureList tells a MISP shared-infrastructure list by its source
// name ("misp:url-shortener").
func infrastructureList(source string) bool {
	name, ok := strings.CutPrefix(source, "misp:")
	return ok && warninglist.Infrastructure(name)
}
