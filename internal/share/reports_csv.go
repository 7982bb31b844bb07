package share

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"vigil/internal/report"
)

// csvColumns are the columns a reports CSV may have, in any order: the
// API's fields, the loss split in two, the indicators in one column of
// "value" or "role:value" items separated by ";".
var csvColumns = []string{"id", "kind", "scam_type", "channel", "narrative", "loss_amount", "loss_currency",
	"occurred_at", "victim_country", "language", "reporter", "indicators"}

// reportsCSV reads reports from a CSV file with a header row. A header
// naming a column not in csvColumns is a format error (every row would
// lose that field); a row with the wrong number of fields is a bad row.
func (r *reader) reportsCSV(in io.Reader) error {
	var header []string
	return r.csvRecords(in, func(pos int64, fields []string, err error) error {
		if header == nil {
			if err != nil {
				return fmt.Errorf("header (line %d): %w", pos, err)
			}
			return csvHeader(fields, &header)
		}
		if !r.want(pos) {
			return nil
		}
		if err != nil {
			return r.bad(pos, "", err)
		}
		if len(fields) != len(header) {
			return r.bad(pos, "", fmt.Errorf("row has %d fields, the header has %d", len(fields), len(header)))
		}
		rep, err := buildReport(csvRow(header, fields))
		if err != nil {
			return r.bad(pos, "", err)
		}
		return r.emit(Record{Pos: pos, Report: rep})
	})
}

func csvHeader(fields []string, header *[]string) error {
	seen := map[string]bool{}
	h := make([]string, len(fields))
	for i, f := range fields {
		f = strings.ToLower(strings.TrimSpace(f))
		known := false
		for _, c := range csvColumns {
			known = known || c == f
		}
		switch {
		case !known:
			return fmt.Errorf("header: unknown column %q; the columns are %s", clip(f), strings.Join(csvColumns, ", "))
		case seen[f]:
			return fmt.Errorf("header: column %q twice", f)
		}
		seen[f] = true
		h[i] = f
	}
	*header = h
	return nil
}

// csvRow maps a row's fields to a reportRow by the header's names.
func csvRow(header, fields []string) reportRow {
	var row reportRow
	var amount, cur string
	for i, f := range fields {
		switch header[i] {
		case "id":
			row.ID = f
		case "kind":
			row.Kind = f
		case "scam_type":
			row.ScamType = f
		case "channel":
			row.Channel = f
		case "narrative":
			row.Narrative = f
		case "loss_amount":
			amount = strings.TrimSpace(f)
		case "loss_currency":
			cur = strings.TrimSpace(f)
		case "occurred_at":
			row.OccurredAt = f
		case "victim_country":
			row.VictimCountry = strings.TrimSpace(f)
		case "language":
			row.Language = strings.TrimSpace(f)
		case "reporter":
			row.Reporter = f
		case "indicators":
			row.Indicators = csvIndicators(f)
		}
	}
	if amount != "" || cur != "" {
		raw, _ := json.Marshal(amount)
		if amount == "" {
			raw = nil // "is required with a loss"
		}
		row.Loss = &lossRow{Amount: raw, Currency: cur}
	}
	return row
}

// csvIndicators splits "value;role:value;..." into indicators. A prefix
// before ":" is a role only when it is a role's code: "https://..." and
// "wechat: abc" are values.
func csvIndicators(s string) []indicatorRow {
	var out []indicatorRow
	for _, item := range strings.Split(s, ";") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		ind := indicatorRow{Value: item}
		if role, value, ok := strings.Cut(item, ":"); ok {
			for _, t := range report.Roles {
				if t.Code == strings.TrimSpace(role) {
					ind = indicatorRow{Value: strings.TrimSpace(value), Role: t.Code}
				}
			}
		}
		out = append(out, ind)
	}
	return out
}

// csvRecords calls fn with each CSV record, its first line as position. A
// quoted field may span lines; the reader tracks quotes line by line so
// that one record is held at a time and a record longer than MaxLine is a
// bad row, not the end of the file.
func (r *reader) csvRecords(in io.Reader, fn func(pos int64, fields []string, err error) error) error {
	lr := newLineReader(in)
	var (
		buf   []byte
		start int64 // first line of the record being read; 0 between records
		open  bool  // inside a quoted field at the end of the last line
		long  bool
	)
	for {
		b, err := lr.next()
		if errors.Is(err, io.EOF) {
			if start != 0 {
				return fn(start, nil, errors.New("a quoted field is not closed before the end of the file"))
			}
			return nil
		}
		if err != nil {
			return err
		}
		if start == 0 {
			if len(bytes.TrimSpace(b)) == 0 {
				continue
			}
			start, buf, long = lr.n, buf[:0], false
		} else if !long {
			buf = append(buf, '\n')
		}
		if lr.long || len(buf)+len(b) > MaxLine {
			long = true
		} else if !long {
			buf = append(buf, b...)
		}
		// An overlong line was cut: its quotes cannot be followed, and the
		// record most likely ends with it.
		if open = quoteOpen(b, open) && !lr.long; open {
			continue
		}
		pos := start
		start = 0
		var fields []string
		switch {
		case long:
			err = fmt.Errorf("record is longer than %d bytes (1 MiB)", MaxLine)
		case !utf8.Valid(buf):
			err = errors.New("record is not valid UTF-8")
		default:
			fields, err = parseCSVRecord(buf, pos)
		}
		if err := fn(pos, fields, err); err != nil {
			return err
		}
	}
}

func parseCSVRecord(b []byte, pos int64) ([]string, error) {
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	fields, err := cr.Read()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, fmt.Errorf("CSV line %d, column %d: %v", pos+int64(pe.Line)-1, pe.Column, pe.Err)
	}
	if err != nil {
		return nil, fmt.Errorf("CSV: %w", err)
	}
	if _, err := cr.Read(); !errors.Is(err, io.EOF) {
		return nil, errors.New("CSV: more than one record where one was read")
	}
	return fields, nil
}

// quoteOpen reports whether a CSV line ends inside a quoted field, given
// whether it starts inside one. A quote opens a field only at its start;
// "" inside a quoted field is a quote.
func quoteOpen(line []byte, open bool) bool {
	fieldStart := !open
	for i := 0; i < len(line); i++ {
		c := line[i]
		if open {
			if c == '"' {
				if i+1 < len(line) && line[i+1] == '"' {
					i++
				} else {
					open = false
				}
			}
			continue
		}
		if c == '"' && fieldStart {
			open = true
		}
		fieldStart = c == ','
	}
	return open
}
