package cli

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mattn/go-runewidth"
)

// matchWriter writes scan results in one output format, streaming: memory
// does not grow with the number of matches.
type matchWriter interface {
	Write(record) error
	Close() error
}

func newMatchWriter(format string, w io.Writer) (matchWriter, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	switch format {
	case "jsonl":
		return &jsonlWriter{w: bw, enc: newEncoder(bw)}, nil
	case "json":
		return &jsonWriter{w: bw}, nil
	case "csv":
		return newCSVWriter(bw), nil
	case "table":
		return &tableWriter{w: bw}, nil
	}
	return nil, fmt.Errorf("unknown --format %q (want table, json, jsonl or csv)", format)
}

func newEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

type jsonlWriter struct {
	w   *bufio.Writer
	enc *json.Encoder
}

func (j *jsonlWriter) Write(r record) error { return j.enc.Encode(r) }
func (j *jsonlWriter) Close() error         { return j.w.Flush() }

// jsonWriter writes one JSON array, element by element.
type jsonWriter struct {
	w *bufio.Writer
	n int
}

func (j *jsonWriter) Write(r record) error {
	sep := ",\n"
	if j.n == 0 {
		sep = "[\n"
	}
	j.n++
	var b strings.Builder
	enc := newEncoder(&b)
	if err := enc.Encode(r); err != nil {
		return err
	}
	j.w.WriteString(sep)
	_, err := j.w.WriteString(strings.TrimSuffix(b.String(), "\n"))
	return err
}

func (j *jsonWriter) Close() error {
	if j.n == 0 {
		j.w.WriteString("[")
	}
	j.w.WriteString("\n]\n")
	return j.w.Flush()
}

var csvHeader = []string{"id", "kind", "value", "raw", "start", "end", "confidence", "hint", "known_good", "region", "network", "note", "warning", "tags"}

type csvWriter struct {
	w  *bufio.Writer
	cw *csv.Writer
}

func newCSVWriter(w *bufio.Writer) *csvWriter {
	c := &csvWriter{w: w, cw: csv.NewWriter(w)}
	c.cw.Write(csvHeader)
	return c
}

func (c *csvWriter) Write(r record) error {
	return c.cw.Write([]string{csvSafe(r.idText()), string(r.Kind), csvSafe(r.Value), csvSafe(r.Raw), strconv.Itoa(r.Start), strconv.Itoa(r.End),
		formatConfidence(r.Confidence), string(r.Hint), strconv.FormatBool(r.KnownGood), r.Region, r.Network, csvSafe(r.Note), csvSafe(r.Warning), strings.Join(r.Tags, " ")})
}

// csvSafe keeps a value from being read as a formula by a spreadsheet
// ("=HYPERLINK(...)" in a scammer's text): one starting with = + - @ or a
// control character gets a leading quote, unless it is a plain number
// ("+8613800138000", "-3.5") or "-" (standard input).
func csvSafe(s string) string {
	if s == "" || s == "-" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return "'" + s
}

func (c *csvWriter) Close() error {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return err
	}
	return c.w.Flush()
}

// tableWriter prints aligned columns for people. Long values are cut.
// When the input changes (another file, another JSONL record) its id is
// printed on a line of its own.
type tableWriter struct {
	w      *bufio.Writer
	n      int
	lastID string
}

func (t *tableWriter) Write(r record) error {
	if t.n == 0 {
		fmt.Fprintf(t.w, "%-12s %s %s %-15s %-4s %-9s %s\n", "KIND", pad("VALUE", 44), pad("AS WRITTEN", 28), "OFFSETS", "CONF", "HINT", "NOTE")
	}
	t.n++
	note := r.Note
	if r.KnownGood {
		note = "known-good: " + note
	}
	if r.Warning != "" {
		note = strings.TrimSpace(note + " " + r.Warning)
	}
	if len(r.Tags) > 0 {
		note = strings.TrimSpace(note + " [" + strings.Join(r.Tags, ",") + "]")
	}
	if r.Network != "" {
		note = strings.TrimSpace(r.Network + " " + note)
	}
	if id := r.idText(); len(r.ID) > 0 && id != "-" && string(r.ID) != t.lastID {
		fmt.Fprintf(t.w, "── %s\n", oneLine(id))
		t.lastID = string(r.ID)
	}
	_, err := fmt.Fprintf(t.w, "%-12s %s %s %-15s %-4s %-9s %s\n", r.Kind, pad(r.Value, 44), pad(oneLine(r.Raw), 28),
		fmt.Sprintf("%d-%d", r.Start, r.End), formatConfidence(r.Confidence), r.Hint, note)
	return err
}

func (t *tableWriter) Close() error {
	if t.n == 0 {
		t.w.WriteString("no indicators found\n")
	}
	return t.w.Flush()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// pad fits s to n terminal columns (Chinese characters take two), cutting
// it with "…" or padding it with spaces.
func pad(s string, n int) string {
	if w := runewidth.StringWidth(s); w <= n {
		return s + strings.Repeat(" ", n-w)
	}
	return runewidth.FillRight(runewidth.Truncate(s, n, "…"), n)
}
