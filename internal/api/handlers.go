package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"vigil/internal/extract"
	"vigil/internal/indicator"
)

// healthz answers whether the server and its store are up.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.Ping(r.Context()); err != nil {
		s.log.Error("health check: store", "err", err)
		return writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "store": "not answering"})
	}
	index := "loading"
	if s.store.IndexReady() {
		index = "ready"
	}
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "lookup_index": index})
}

// scanRequest is the body of POST /api/v1/scan.
type scanRequest struct {
	Text   *string  `json:"text"`
	Region string   `json:"region,omitempty"`
	Kinds  []string `json:"kinds,omitempty"`
}

// scanResponse mirrors `vigil scan --format json` for one text.
type scanResponse struct {
	Matches       []extract.Match `json:"matches"`
	Region        string          `json:"region,omitempty"`
	RegionGuessed bool            `json:"region_guessed"`
	GuessReason   string          `json:"guess_reason,omitempty"`
}

// scan extracts the indicators of one text.
func (s *Server) scan(w http.ResponseWriter, r *http.Request) error {
	var req scanRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	var fields []fieldError
	if req.Text == nil {
		return &invalidError{[]fieldError{{"/text", "is required"}}}
	}
	x := s.x
	if req.Region != "" || len(req.Kinds) > 0 {
		opts := s.cfg.Extract
		if req.Region != "" {
			if !indicator.RegionKnown(req.Region) {
				fields = append(fields, fieldError{"/region", fmt.Sprintf("unknown region %q: want an ISO 3166 code such as CN", req.Region)})
			}
			opts.Region = strings.ToUpper(req.Region)
		}
		for i, k := range req.Kinds {
			kind, err := indicator.ParseKind(k)
			if err != nil {
				fields = append(fields, fieldError{fmt.Sprintf("/kinds/%d", i), fmt.Sprintf("unknown kind %q", k)})
			}
			opts.Kinds = append(opts.Kinds, kind)
		}
		x = extract.New(opts)
	}
	if len(fields) > 0 {
		return &invalidError{fields}
	}
	res := x.Extract(*req.Text)
	if res.Matches == nil {
		res.Matches = []extract.Match{}
	}
	return writeJSON(w, http.StatusOK, scanResponse{Matches: res.Matches, Region: res.Region, RegionGuessed: res.Guessed, GuessReason: res.GuessReason})
}

// decodeJSON reads a request body of one JSON object into v: unknown
// fields, trailing data, wrong types and oversized bodies are errors.
func decodeJSON(r *http.Request, v any) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	return decodeJSONBytes(body, v)
}

// readBody reads a JSON request body within the size limit.
func readBody(r *http.Request) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return nil, fmt.Errorf("%w: Content-Type must be application/json, not %q", ErrInvalid, ct)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, fmt.Errorf("%w: the limit is %d bytes", ErrTooLarge, tooBig.Limit)
		}
		return nil, fmt.Errorf("%w: reading the body: %v", ErrInvalid, err)
	}
	return body, nil
}

// decodeJSONBytes decodes one JSON object into v.
func decodeJSONBytes(body []byte, v any) error {
	if !utf8.Valid(body) {
		return fmt.Errorf("%w: the body is not valid UTF-8", ErrInvalid)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return &invalidError{[]fieldError{{"/" + strings.ReplaceAll(typeErr.Field, ".", "/"), "must be a " + typeErr.Type.String()}}}
		}
		return fmt.Errorf("%w: the body is not a JSON object of the expected shape: %v", ErrInvalid, err)
	}
	if dec.More() {
		return fmt.Errorf("%w: data after the JSON object", ErrInvalid)
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, err := w.Write(b.Bytes())
	return err
}
