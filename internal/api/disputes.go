package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"vigil/internal/auth"
	"vigil/internal/report"
	"vigil/internal/store"
)

type disputeRequest struct {
	Value   string `json:"value"`
	Kind    string `json:"kind"`
	Region  string `json:"region"`
	Reason  string `json:"reason"`
	Contact string `json:"contact"`
}

// fileDispute takes the claim of a value's holder that it is not a scam
// indicator. Anyone may file one; it is rate-limited like reports.
func (s *Server) fileDispute(w http.ResponseWriter, r *http.Request) error {
	var req disputeRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	var fields []fieldError
	if strings.TrimSpace(req.Reason) == "" || len(req.Reason) > 4096 || !utf8.ValidString(req.Reason) {
		fields = append(fields, fieldError{"/reason", "must say, in at most 4096 bytes, why the value is not a scammer's"})
	}
	if len(req.Contact) > 512 {
		fields = append(fields, fieldError{"/contact", "is longer than 512 bytes"})
	}
	kind, region, err := lookupOptions(req.Kind, req.Region)
	if err != nil {
		return err
	}
	ms, err := report.Interpret(s.x, req.Value, kind, region)
	if err != nil || len(ms) == 0 {
		fields = append(fields, fieldError{"/value", "cannot be read as a phone number, link, wallet or account"})
	}
	if len(fields) > 0 {
		return &invalidError{fields}
	}
	c := callerOf(r)
	if c.p.IsPublic() && !s.limiter.allow("dispute:"+c.client) {
		w.Header().Set("Retry-After", strconv.Itoa(int(s.limiter.retryAfter().Seconds())))
		return ErrRateLimited
	}
	d, err := s.store.AddDispute(r.Context(), store.Dispute{Kind: ms[0].Kind, Value: ms[0].Value, Reason: req.Reason, Contact: req.Contact})
	if err != nil {
		return err
	}
	// The filer sees their claim without the personal fields echoed.
	d.Reason, d.Contact = "", ""
	return writeJSON(w, http.StatusCreated, d)
}

func (s *Server) listDisputes(w http.ResponseWriter, r *http.Request) error {
	status := r.URL.Query().Get("status")
	switch status {
	case "", store.DisputeOpen, store.DisputeUpheld, store.DisputeRejected:
	default:
		return &invalidError{[]fieldError{{"status", "must be open, upheld or rejected"}}}
	}
	ds, err := s.store.Disputes(r.Context(), status, 500)
	if err != nil {
		return err
	}
	if len(ds) > 0 {
		if err := s.store.AppendAudit(r.Context(), "dispute.read_pii", "", fmt.Sprintf("%d disputes", len(ds))); err != nil {
			return err
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"disputes": ds})
}

type resolveRequest struct {
	Upheld *bool  `json:"upheld"`
	Note   string `json:"note"`
}

// resolveDispute closes a dispute: upheld, the value becomes known-good
// and can never be listed again; rejected, it stays listed.
func (s *Server) resolveDispute(w http.ResponseWriter, r *http.Request) error {
	var req resolveRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if req.Upheld == nil {
		return &invalidError{[]fieldError{{"/upheld", "is required: true to delist the value, false to keep it"}}}
	}
	if len(req.Note) > 4096 {
		return &invalidError{[]fieldError{{"/note", "is longer than 4096 bytes"}}}
	}
	d, err := s.store.ResolveDispute(r.Context(), r.PathValue("id"), *req.Upheld, req.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

// statsView is a k-anonymous breakdown of public reports.
type statsView struct {
	By         string        `json:"by"`
	K          int           `json:"k"`
	Buckets    []auth.Bucket `json:"buckets"`
	Total      int           `json:"total"`
	Suppressed int           `json:"suppressed_buckets"`
}

// stats breaks TLP:CLEAR reports down by scam type, channel or victim
// country. A bucket resting on fewer than k people is folded into
// "other" (itself shown only when it rests on k or more), and the total
// is the sum of what is shown, so nothing hidden can be subtracted out.
func (s *Server) stats(w http.ResponseWriter, r *http.Request) error {
	by := r.URL.Query().Get("by")
	if by == "" {
		by = "scam_type"
	}
	if by != "scam_type" && by != "channel" && by != "victim_country" {
		return &invalidError{[]fieldError{{"by", "must be scam_type, channel or victim_country"}}}
	}
	bs, err := s.store.ReportStats(r.Context(), by)
	if err != nil {
		return err
	}
	shown, hidden := auth.Suppress(bs, s.cfg.K)
	out := statsView{By: by, K: s.cfg.K, Buckets: shown, Suppressed: hidden}
	if out.Buckets == nil {
		out.Buckets = []auth.Bucket{}
	}
	for _, b := range shown {
		out.Total += b.Count
	}
	return writeJSON(w, http.StatusOK, out)
}
