package share

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"vigil/internal/indicator"
	"vigil/internal/report"
)

// reportRow is one report as a JSON line, with the field names of the
// API's POST /api/v1/reports.
type reportRow struct {
	ID            string         `json:"id"` // the caller's own ID: part of the import key only
	Kind          string         `json:"kind"`
	ScamType      string         `json:"scam_type"`
	Channel       string         `json:"channel"`
	Narrative     string         `json:"narrative"`
	Loss          *lossRow       `json:"loss"`
	OccurredAt    string         `json:"occurred_at"`
	VictimCountry string         `json:"victim_country"`
	Language      string         `json:"language"`
	Reporter      string         `json:"reporter"`
	Indicators    []indicatorRow `json:"indicators"`
}

type lossRow struct {
	Amount   json.RawMessage `json:"amount"` // a number or a decimal string
	Currency string          `json:"currency"`
}

type indicatorRow struct {
	Value string `json:"value"`
	Kind  string `json:"kind"`
	Role  string `json:"role"`
}

// reportsJSONL reads one report object per line.
func (r *reader) reportsJSONL(in io.Reader) error {
	return r.textLines(in, false, func(pos int64, line string, err error) error {
		if err != nil {
			return r.bad(pos, "", err)
		}
		var row reportRow
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&row); err != nil {
			return r.bad(pos, "", jsonReason(err))
		}
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			return r.bad(pos, "", errors.New("more than one JSON value on the line"))
		}
		rep, err := buildReport(row)
		if err != nil {
			return r.bad(pos, "", err)
		}
		return r.emit(Record{Pos: pos, Report: rep})
	})
}

// jsonReason rewords encoding/json's errors for a person fixing the file.
func jsonReason(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("malformed JSON at byte %d: %v", syn.Offset, syn)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return fmt.Errorf("a JSON %s where a report object belongs", typ.Value)
		}
		return fmt.Errorf("field %s: a JSON %s where %s belongs", typ.Field, typ.Value, typ.Type)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("malformed JSON: the line ends inside a value")
	}
	return errors.New(strings.TrimPrefix(err.Error(), "json: "))
}

// buildReport turns a row into a validated report, or an error naming
// every invalid field.
func buildReport(row reportRow) (*report.Report, error) {
	var fe []report.FieldError
	bad := func(ptr, format string, args ...any) {
		fe = append(fe, report.FieldError{Pointer: ptr, Detail: fmt.Sprintf(format, args...)})
	}
	rep := &report.Report{
		Kind: row.Kind, ScamType: row.ScamType, Channel: row.Channel, Narrative: row.Narrative,
		VictimCountry: row.VictimCountry, Language: row.Language,
		Source: "import", Reporter: row.Reporter,
	}
	if row.Loss != nil {
		amount, err := amountText(row.Loss.Amount)
		if err != nil {
			bad("/loss/amount", "%v", err)
		} else {
			rep.Loss = &report.Money{Amount: amount, Currency: row.Loss.Currency}
		}
	}
	if s := strings.TrimSpace(row.OccurredAt); s != "" {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t, err = time.Parse(time.DateOnly, s)
		}
		if err != nil {
			bad("/occurred_at", "must be an RFC 3339 time or a YYYY-MM-DD date")
		} else {
			rep.OccurredAt = &t
		}
	}
	for i, ind := range row.Indicators {
		l := report.Link{Value: ind.Value, Raw: strings.TrimSpace(ind.Value), Role: ind.Role, Origin: "named"}
		if ind.Kind != "" {
			k, err := indicator.ParseKind(ind.Kind)
			if err != nil {
				bad(fmt.Sprintf("/indicators/%d/kind", i), "must be one of the indicator kinds (phone, url, domain, eth, ...)")
			}
			l.Kind = k
		}
		rep.Indicators = append(rep.Indicators, l)
	}
	var ve *report.ValidationError
	if err := rep.Validate(); errors.As(err, &ve) {
		fe = append(fe, ve.Fields...)
	} else if err != nil {
		return nil, err
	}
	// A value named with its kind is read now, so that the row's position
	// comes with the error; the rest is left to report.Resolve, which
	// needs the caller's extractor.
	for i, l := range rep.Indicators {
		if l.Kind == "" || strings.TrimSpace(l.Value) == "" || !utf8.ValidString(l.Value) {
			continue
		}
		if _, err := indicator.Canonical(l.Kind, l.Value, rep.VictimCountry); err != nil {
			bad(fmt.Sprintf("/indicators/%d/value", i), "is not a valid %s: %v", l.Kind, err)
		}
	}
	if len(fe) > 0 {
		return nil, &report.ValidationError{Fields: fe}
	}
	rep.ImportKey = importKey(row.ID, rep)
	return rep, nil
}

// amountText reads a loss amount written as a JSON number or string. An
// exponent is refused here, before report.ParseMoney: big.Rat would work
// out "1e999999" digit by digit before ParseMoney refuses it.
func amountText(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	var s string
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return "", errors.New("is required with a loss")
	case raw[0] == '"':
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", err
		}
	case raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9':
		s = string(raw)
	default:
		return "", errors.New("must be a number or a decimal string")
	}
	if len(s) > 40 || strings.ContainsAny(s, "eE") {
		return "", fmt.Errorf("%q is not a decimal number such as 1200.50", clip(s))
	}
	return s, nil
}

// importKey is the hex SHA-256 of a canonical serialisation of the row's
// content after validation: the same row always gets the same key, in
// JSON Lines or CSV, however its optional fields were spelled.
func importKey(id string, r *report.Report) string {
	type link struct {
		Value string `json:"value"`
		Kind  string `json:"kind,omitempty"`
		Role  string `json:"role,omitempty"`
	}
	doc := struct {
		ID            string        `json:"id,omitempty"`
		Kind          string        `json:"kind"`
		ScamType      string        `json:"scam_type"`
		Channel       string        `json:"channel"`
		Narrative     string        `json:"narrative"`
		Loss          *report.Money `json:"loss,omitempty"`
		OccurredAt    string        `json:"occurred_at,omitempty"`
		VictimCountry string        `json:"victim_country,omitempty"`
		Language      string        `json:"language,omitempty"`
		Reporter      string        `json:"reporter,omitempty"`
		Indicators    []link        `json:"indicators"`
	}{ID: id, Kind: r.Kind, ScamType: r.ScamType, Channel: r.Channel, Narrative: r.Narrative, Loss: r.Loss,
		VictimCountry: r.VictimCountry, Language: r.Language, Reporter: r.Reporter, Indicators: []link{}}
	if r.OccurredAt != nil {
		doc.OccurredAt = r.OccurredAt.UTC().Format(time.RFC3339Nano)
	}
	for _, l := range r.Indicators {
		doc.Indicators = append(doc.Indicators, link{strings.TrimSpace(l.Value), string(l.Kind), l.Role})
	}
	b, _ := json.Marshal(doc) // strings and a struct of strings: it cannot fail
	sum := sha256.Sum256(append([]byte("vigil import report v1\n"), b...))
	return hex.EncodeToString(sum[:])
}
