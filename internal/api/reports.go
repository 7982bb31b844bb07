package api

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"vigil/internal/report"
	"vigil/internal/store"
)

// reportRequest is the body of POST /api/v1/reports.
type reportRequest struct {
	Kind          string         `json:"kind"`
	ScamType      string         `json:"scam_type"`
	Channel       string         `json:"channel"`
	Narrative     string         `json:"narrative"`
	Loss          *moneyRequest  `json:"loss"`
	OccurredAt    *time.Time     `json:"occurred_at"`
	VictimCountry string         `json:"victim_country"`
	Language      string         `json:"language"`
	Indicators    []namedRequest `json:"indicators"`
}

// moneyRequest takes the amount as a JSON number or a decimal string.
type moneyRequest struct {
	Amount   json.Number `json:"amount"`
	Currency string      `json:"currency"`
}

type namedRequest struct {
	Value string `json:"value"`
	Kind  string `json:"kind"`
	Role  string `json:"role"`
}

// reportCreated is the answer to POST /api/v1/reports.
type reportCreated struct {
	ID         string        `json:"id"`
	NetworkID  string        `json:"network_id,omitempty"`
	Indicators []report.Link `json:"indicators"`
}

// createReport stores a report from anyone, no account needed.
func (s *Server) createReport(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	var req reportRequest
	if err := decodeJSONBytes(body, &req); err != nil {
		return err
	}
	rep := &report.Report{Kind: req.Kind, ScamType: req.ScamType, Channel: req.Channel, Narrative: req.Narrative,
		OccurredAt: req.OccurredAt, VictimCountry: req.VictimCountry, Language: req.Language, Source: "api"}
	if req.Loss != nil {
		rep.Loss = &report.Money{Amount: req.Loss.Amount.String(), Currency: req.Loss.Currency}
	}
	var fields []fieldError
	for i, n := range req.Indicators {
		l := report.Link{Value: n.Value, Role: n.Role}
		if n.Kind != "" {
			k, err := parseKind(n.Kind)
			if err != nil {
				fields = append(fields, fieldError{fmt.Sprintf("/indicators/%d/kind", i), err.Error()})
			}
			l.Kind = k
		}
		rep.Indicators = append(rep.Indicators, l)
	}
	if len(fields) > 0 {
		return &invalidError{fields}
	}
	client := s.client(r)
	idem := store.Idempotency{}
	if key := r.Header.Get("Idempotency-Key"); key != "" {
		if len(key) > 255 {
			return &invalidError{[]fieldError{{"Idempotency-Key", "is longer than 255 characters"}}}
		}
		sum := sha256.Sum256(body)
		// Keys are scoped to the client, so one client's key cannot
		// collide with another's.
		idem = store.Idempotency{Key: s.reporterKey(client) + ":" + key, Hash: hex.EncodeToString(sum[:])}
	}
	if !s.trusted(r) && !s.limiter.allow(client) {
		w.Header().Set("Retry-After", strconv.Itoa(int(s.limiter.retryAfter().Seconds())))
		return ErrRateLimited
	}
	if s.trusted(r) {
		// Until accounts arrive, everyone holding the analyst token is
		// one reporter, distinct from anonymous clients.
		client = "analyst-token"
	}
	id, created, err := s.submit(r.Context(), rep, client, idem)
	if err != nil {
		return err
	}
	saved, err := s.store.Report(r.Context(), id)
	if err != nil {
		return err
	}
	if !created {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.Header().Set("Location", "/api/v1/reports/"+id)
	return writeJSON(w, http.StatusCreated, reportCreated{ID: id, NetworkID: saved.NetworkID, Indicators: publicLinks(saved.Indicators)})
}

// submit validates, resolves and stores a report from client: the API's
// and the web form's one path in.
func (s *Server) submit(ctx context.Context, rep *report.Report, client string, idem store.Idempotency) (string, bool, error) {
	if err := rep.Validate(); err != nil {
		return "", false, err
	}
	if err := report.Resolve(s.x, rep); err != nil {
		return "", false, err
	}
	rep.Reporter = s.reporterKey(client)
	return s.store.AddReport(ctx, rep, idem)
}

// client names the network a request comes from (see network).
func (s *Server) client(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return network(host)
}

// network names the network of an address: the /24 of an IPv4 address,
// the /48 of an IPv6 one (a household or an office, not a device), which
// is what rate limits and reporter identity key on, for the API and the
// web form alike.
func network(host string) string {
	a, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	a = a.Unmap()
	bits := 24
	if a.Is6() {
		bits = 48
	}
	p, _ := a.Prefix(bits)
	return p.String()
}

// reporterKey is the pseudonymous reporter of an anonymous client: a keyed
// hash, so the store never holds the address.
func (s *Server) reporterKey(client string) string {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte(client))
	return "anon:" + hex.EncodeToString(m.Sum(nil)[:16])
}

// trusted reports whether the request carries the analyst token.
func (s *Server) trusted(r *http.Request) bool {
	if s.cfg.Token == "" {
		return false
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && hmac.Equal([]byte(got), []byte(s.cfg.Token))
}

// publicLinks drops the victim's own contacts from what is shown.
func publicLinks(ls []report.Link) []report.Link {
	out := []report.Link{}
	for _, l := range ls {
		if l.Role != report.RoleVictimContact {
			out = append(out, l)
		}
	}
	return out
}

// reportView is a report as the API shows it. Without the analyst token
// the narrative and the victim's contacts are withheld: they are personal
// data (accounts and roles arrive with issue 5).
type reportView struct {
	report.Report
	Redacted bool `json:"redacted,omitempty"`
}

func (s *Server) view(r *http.Request, rep report.Report) reportView {
	v := reportView{Report: rep}
	if !s.trusted(r) {
		v.Narrative, v.Redacted = "", true
		v.Indicators = publicLinks(rep.Indicators)
	}
	return v
}

func (s *Server) getReport(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.store.Report(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.view(r, rep))
}

type reportList struct {
	Reports    []reportView `json:"reports"`
	NextCursor string       `json:"next_cursor,omitempty"`
}

func (s *Server) searchReports(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	q := store.Query{Text: v.Get("q"), Kind: v.Get("kind"), ScamType: v.Get("type"), Cursor: v.Get("cursor")}
	var fields []fieldError
	if q.Text != "" && !s.trusted(r) {
		return fmt.Errorf("%w: searching narratives needs the analyst token (Authorization: Bearer ...)", ErrUnauthorized)
	}
	if len(q.Text) > 200 {
		fields = append(fields, fieldError{"q", "is longer than 200 bytes"})
	}
	if q.Kind != "" && !termKnown(report.Kinds, q.Kind) {
		fields = append(fields, fieldError{"kind", "unknown report kind"})
	}
	if q.ScamType != "" && !termKnown(report.ScamTypes, q.ScamType) {
		fields = append(fields, fieldError{"type", "unknown scam type"})
	}
	if since := v.Get("since"); since != "" {
		t, err := parseSince(since)
		if err != nil {
			fields = append(fields, fieldError{"since", err.Error()})
		}
		q.Since = t
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			fields = append(fields, fieldError{"limit", "must be 1 to 500"})
		}
		q.Limit = n
	}
	if len(q.Cursor) > 64 {
		fields = append(fields, fieldError{"cursor", "is not a cursor this API gave"})
	}
	if len(fields) > 0 {
		return &invalidError{fields}
	}
	rs, next, err := s.store.SearchReports(r.Context(), q)
	if err != nil {
		return err
	}
	out := reportList{Reports: []reportView{}, NextCursor: next}
	for _, rep := range rs {
		out.Reports = append(out.Reports, s.view(r, rep))
	}
	return writeJSON(w, http.StatusOK, out)
}

func parseSince(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("must be an RFC 3339 time or a date (2025-03-01)")
}

func termKnown(terms []report.Term, code string) bool {
	for _, t := range terms {
		if t.Code == code {
			return true
		}
	}
	return false
}
