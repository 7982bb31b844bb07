// Package share holds the import and export formats of Vigil: public
// blocklists and allow-lists (CryptoScamDB, eth-phishing-detect,
// ScamSniffer, the FTC's Do Not Call reports, jarelllama's Scam Blocklist,
// MISP warninglists, plain lists) and reports as JSON Lines or CSV. So far
// it reads them for `vigil import`: a file streams as records, each with a
// position an import can resume after; a bad row is a record with its
// reason, and the good rows around it still come.
package share

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"vigil/internal/indicator"
	"vigil/internal/report"
)

// Format names a file format Vigil imports.
type Format string

// The formats Read knows.
const (
	FormatCryptoScamDB Format = "cryptoscamdb"
	FormatEthPhishing  Format = "eth-phishing-detect"
	FormatScamSniffer  Format = "scamsniffer"
	FormatFTC          Format = "ftc-dnc"
	FormatJarelllama   Format = "jarelllama"
	FormatMISP         Format = "misp-warninglist"
	FormatPlain        Format = "plain"
	FormatReportsJSONL Format = "reports-jsonl"
	FormatReportsCSV   Format = "reports-csv"
)

// Formats lists every format in a stable order.
var Formats = []Format{FormatCryptoScamDB, FormatEthPhishing, FormatScamSniffer, FormatFTC,
	FormatJarelllama, FormatMISP, FormatPlain, FormatReportsJSONL, FormatReportsCSV}

// ErrUnknownFormat reports a format that is not one of Formats, or a file
// whose format Detect cannot tell.
var ErrUnknownFormat = errors.New("unknown import format")

func formatList() string {
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// ParseFormat returns the Format named s.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	for _, known := range Formats {
		if f == known {
			return f, nil
		}
	}
	return "", fmt.Errorf("share: format %q: %w; want one of %s", s, ErrUnknownFormat, formatList())
}

// Record is one thing read from a file. Exactly one of Values, Report, Err
// and Notice is set. One entry of a file can give several records with the
// same Pos (a CryptoScamDB entry with a bad wallet gives the error, then
// the entry's good values): they come together, and resuming after that
// Pos skips them all.
type Record struct {
	Pos       int64  // 1-based line, or entry of a JSON list; an import resumes after the last committed Pos
	Source    string // the listing source ("cryptoscamdb", "misp:bank-website", ...); empty for reports
	KnownGood bool   // the source lists known-good values (set with Values and Notice)
	Values    []Value
	Seen      time.Time      // when the source first listed it, if the file says; zero otherwise
	Report    *report.Report // a report (report formats), validated but not resolved
	Err       error          // a bad row: why (Values and Report are empty)
	Notice    string         // not an error, e.g. a skipped regex list
}

// Value is one canonical indicator value.
type Value struct {
	Kind  indicator.Kind
	Value string
}

// MaxLine is the longest line (or CSV record, or YAML entry) read; a longer
// one is a bad row and the read goes on after it.
const MaxLine = 1 << 20

// Read reads the file at path in format f, skipping records with Pos <=
// from, and calls fn for each record in order; fn's error stops the read
// and is returned as it is. Read returns I/O and format errors (a file that
// is not YAML or JSON at all, a CSV header with an unknown column), never a
// bad row: those are records with Err set.
func Read(ctx context.Context, path string, f Format, from int64, fn func(Record) error) error {
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("share: %w", err)
	}
	defer file.Close()
	r := &reader{ctx: ctx, path: path, from: from, fn: fn}
	switch f {
	case FormatCryptoScamDB:
		err = r.cryptoScamDB(file)
	case FormatEthPhishing:
		err = r.ethPhishing(file)
	case FormatScamSniffer:
		err = r.scamSniffer(file)
	case FormatFTC:
		err = r.ftc(file)
	case FormatJarelllama:
		err = r.jarelllama(file)
	case FormatMISP:
		err = r.misp(file)
	case FormatPlain:
		err = r.plain(file)
	case FormatReportsJSONL:
		err = r.reportsJSONL(file)
	case FormatReportsCSV:
		err = r.reportsCSV(file)
	default:
		_, err = ParseFormat(string(f))
		return err
	}
	if err != nil && !r.fnErr {
		return fmt.Errorf("share: read %s as %s: %w", path, f, err)
	}
	return err
}

// reader carries one Read: where to resume and whom to tell.
type reader struct {
	ctx   context.Context
	path  string
	from  int64
	fn    func(Record) error
	fnErr bool // the error being returned is fn's, to pass on unwrapped
}

// want reports whether records at pos are wanted: readers skip the work of
// a row before the resume point.
func (r *reader) want(pos int64) bool { return pos > r.from }

func (r *reader) emit(rec Record) error {
	if rec.Pos <= r.from {
		return nil
	}
	if err := r.ctx.Err(); err != nil {
		return err
	}
	if err := r.fn(rec); err != nil {
		r.fnErr = true
		return err
	}
	return nil
}

// bad emits a bad row.
func (r *reader) bad(pos int64, source string, err error) error {
	return r.emit(Record{Pos: pos, Source: source, Err: err})
}

// values emits a row's values, or its error when it has none.
func (r *reader) values(pos int64, source string, good bool, seen time.Time, vs []Value, err error) error {
	if err != nil {
		return r.bad(pos, source, err)
	}
	if len(vs) == 0 {
		return nil
	}
	return r.emit(Record{Pos: pos, Source: source, KnownGood: good, Values: vs, Seen: seen})
}

// sourceName is a file's name without directory and extension.
func sourceName(path string) string {
	b := filepath.Base(path)
	return strings.TrimSuffix(b, filepath.Ext(b))
}
