package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"vigil/internal/indicator"
	"vigil/internal/lookup"
	"vigil/internal/store"
)

// lookupOne answers GET /api/v1/lookup?q=<anything as written>.
func (s *Server) lookupOne(w http.ResponseWriter, r *http.Request) error {
	q, k, region := lookupParams(r.URL)
	if strings.TrimSpace(q) == "" {
		return &invalidError{[]fieldError{{"q", "is required: a phone number, link, wallet, account ... as written"}}}
	}
	kind, region, err := lookupOptions(k, region)
	if err != nil {
		return err
	}
	a, err := s.lookup.AskAs(r.Context(), callerOf(r).v, q, kind, region)
	if err != nil {
		return err
	}
	w.Header()["Content-Type"] = jsonType[:1:1] // shared, as securityHeaders' values are
	w.WriteHeader(http.StatusOK)
	bp := answerBufs.Get().(*[]byte)
	b := append(a.AppendJSON((*bp)[:0]), '\n')
	_, err = w.Write(b) // net/http copies it into the connection's buffer
	if cap(b) <= 64<<10 {
		*bp = b
		answerBufs.Put(bp)
	}
	return err
}

// jsonType is the Content-Type of every lookup's answer.
var jsonType = []string{"application/json"}

// answerBufs holds buffers for single answers, which every lookup writes.
var answerBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// lookupParams returns the q, kind and region parameters of a lookup as
// u.Query().Get would, without building the map of every parameter. A
// query with many parameters is left to u.Query(), whose limit on their
// number then applies as before.
func lookupParams(u *url.URL) (q, kind, region string) {
	raw := u.RawQuery
	if strings.Count(raw, "&") >= 64 {
		v := u.Query()
		return v.Get("q"), v.Get("kind"), v.Get("region")
	}
	var haveQ, haveKind, haveRegion bool
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" || strings.Contains(pair, ";") {
			continue
		}
		key, value, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(key)
		if err != nil || key != "q" && key != "kind" && key != "region" {
			continue
		}
		if value, err = url.QueryUnescape(value); err != nil {
			continue // as url.ParseQuery skips it
		}
		switch {
		case key == "q" && !haveQ:
			q, haveQ = value, true
		case key == "kind" && !haveKind:
			kind, haveKind = value, true
		case key == "region" && !haveRegion:
			region, haveRegion = value, true
		}
	}
	return q, kind, region
}

type batchRequest struct {
	Values []string `json:"values"`
	Kind   string   `json:"kind"`
	Region string   `json:"region"`
}

type batchResponse struct {
	Results []lookup.Answer `json:"results"`
}

// lookupBatch answers POST /api/v1/lookup for up to 10,000 values.
func (s *Server) lookupBatch(w http.ResponseWriter, r *http.Request) error {
	var req batchRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if req.Values == nil {
		return &invalidError{[]fieldError{{"/values", "is required: a list of values"}}}
	}
	if len(req.Values) > lookup.MaxBatch {
		return &invalidError{[]fieldError{{"/values", fmt.Sprintf("holds %d values; at most %d", len(req.Values), lookup.MaxBatch)}}}
	}
	kind, region, err := lookupOptions(req.Kind, req.Region)
	if err != nil {
		return err
	}
	as, err := s.lookup.BatchAs(r.Context(), callerOf(r).v, req.Values, kind, region)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, batchResponse{Results: as})
}

func lookupOptions(k, region string) (indicator.Kind, string, error) {
	var fields []fieldError
	var kind indicator.Kind
	if k != "" {
		var err error
		if kind, err = parseKind(k); err != nil {
			fields = append(fields, fieldError{"kind", err.Error()})
		}
	}
	if region != "" {
		region = strings.ToUpper(region)
		if !indicator.RegionKnown(region) {
			fields = append(fields, fieldError{"region", "unknown region: want an ISO 3166 code such as CN"})
		}
	}
	if len(fields) > 0 {
		return "", "", &invalidError{fields}
	}
	return kind, region, nil
}

func parseKind(k string) (indicator.Kind, error) {
	kind, err := indicator.ParseKind(k)
	if err != nil || kind == indicator.Place {
		return "", fmt.Errorf("unknown indicator kind %q", k)
	}
	return kind, nil
}

func (s *Server) getNetwork(w http.ResponseWriter, r *http.Request) error {
	n, err := s.store.Network(r.Context(), callerOf(r).v, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, n)
}

type pathView struct {
	From string       `json:"from"`
	To   string       `json:"to"`
	Path []store.Step `json:"path"`
}

// reportPath answers GET /api/v1/reports/{a}/path/{b}: the chain of
// shared indicators linking two reports.
func (s *Server) reportPath(w http.ResponseWriter, r *http.Request) error {
	a, b := r.PathValue("a"), r.PathValue("b")
	p, err := s.store.Path(r.Context(), callerOf(r).v, a, b)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, pathView{From: a, To: b, Path: p})
}
