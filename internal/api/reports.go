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

	"vigil/internal/auth"
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
	TLP           string         `json:"tlp"`
	Contact       string         `json:"contact"`
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
	TLP        string        `json:"tlp"`
	NetworkID  string        `json:"network_id,omitempty"`
	Indicators []report.Link `json:"indicators"`
	// WithdrawToken lets an anonymous reporter withdraw the report
	// (DELETE with X-Withdraw-Token); shown once, only its hash is kept.
	WithdrawToken string `json:"withdraw_token,omitempty"`
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
		OccurredAt: req.OccurredAt, VictimCountry: req.VictimCountry, Language: req.Language, Source: "api",
		TLP: req.TLP, Contact: req.Contact}
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
	c := callerOf(r)
	idem := store.Idempotency{}
	if key := r.Header.Get("Idempotency-Key"); key != "" {
		if len(key) > 255 {
			return &invalidError{[]fieldError{{"Idempotency-Key", "is longer than 255 characters"}}}
		}
		sum := sha256.Sum256(body)
		// Keys are scoped to the caller, so one caller's key cannot
		// collide with another's.
		idem = store.Idempotency{Key: c.actor(s) + ":" + key, Hash: hex.EncodeToString(sum[:])}
	}
	if c.p.IsPublic() && !s.limiter.allow(c.client) {
		w.Header().Set("Retry-After", strconv.Itoa(int(s.limiter.retryAfter().Seconds())))
		return ErrRateLimited
	}
	var withdraw string
	if c.p.IsPublic() {
		withdraw, rep.WithdrawHash = auth.NewSessionToken()
	}
	id, created, err := s.submit(r.Context(), rep, c, idem)
	if err != nil {
		return err
	}
	saved, err := s.store.Report(r.Context(), c.v, id)
	if err != nil {
		return err
	}
	if !created {
		w.Header().Set("Idempotent-Replayed", "true")
		withdraw = ""
	}
	w.Header().Set("Location", "/api/v1/reports/"+id)
	return writeJSON(w, http.StatusCreated, reportCreated{ID: id, TLP: saved.TLP, NetworkID: saved.NetworkID,
		Indicators: publicLinks(saved.Indicators), WithdrawToken: withdraw})
}

// submit validates, resolves and stores a report from caller c: the
// API's and the web form's one path in. The report's label, owner,
// author and reporter pseudonyms come from the caller.
func (s *Server) submit(ctx context.Context, rep *report.Report, c *caller, idem store.Idempotency) (string, bool, error) {
	if rep.TLP == "" && c.p.Org != "" {
		rep.TLP = report.TLPGreen
	}
	if err := rep.Validate(); err != nil {
		return "", false, err
	}
	switch {
	case c.p.Org == "" && (rep.TLP == report.TLPAmber || rep.TLP == report.TLPAmberStrict):
		return "", false, &invalidError{[]fieldError{{"/tlp", "AMBER labels need an organisation to own the report: sign in or use an API key"}}}
	case c.p.User == "" && rep.TLP == report.TLPRed:
		return "", false, &invalidError{[]fieldError{{"/tlp", "RED reports are seen only by the account that wrote them: sign in first"}}}
	}
	if err := report.Resolve(s.x, rep); err != nil {
		return "", false, err
	}
	rep.Org, rep.Author = c.p.Org, c.p.User
	rep.ReporterNet = s.reporterKey(c.client)
	rep.Reporter = rep.ReporterNet
	if c.p.User != "" {
		// One account is one reporter wherever it reports from.
		rep.Reporter = "acct:" + c.p.User
	}
	if c.trusted {
		rep.TrustedOrg = c.p.Org
	}
	return s.store.AddReport(ctx, rep, idem)
}

// client names the network a request comes from (see network).
func (s *Server) client(r *http.Request) string {
	return network(hostOf(r))
}

// hostOf is the address a request comes from.
func hostOf(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return host
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

// reportView is a report as the API shows it. Its personal data (the
// narrative, the reporter's contact, the victim's own contacts) is shown
// only to callers with report.read_pii and to its author, and each such
// read is audited.
type reportView struct {
	report.Report
	Redacted bool `json:"redacted,omitempty"`
	// PossibleForcedLabour marks a report whose scammer's account is a
	// trafficking case's subject's own: the person writing may be held
	// and made to scam. Only for readers with report.read_pii (the
	// analyst, the caseworker); public answers never change, so as not
	// to tell those holding the person that the family went to Vigil.
	PossibleForcedLabour bool `json:"possible_forced_labour,omitempty"`
}

// markForced sets PossibleForcedLabour on the views of reports that a
// case names as its subject's, for callers with report.read_pii.
func (s *Server) markForced(ctx context.Context, c *caller, vs []reportView) error {
	if !c.p.Can(auth.PermReportReadPII) || len(vs) == 0 {
		return nil
	}
	ids := make([]string, len(vs))
	for i, v := range vs {
		ids[i] = v.ID
	}
	forced, err := s.store.ForcedScammer(ctx, ids)
	if err != nil {
		return err
	}
	for i := range vs {
		vs[i].PossibleForcedLabour = forced[vs[i].ID]
	}
	return nil
}

func (s *Server) view(c *caller, rep report.Report) reportView {
	v := reportView{Report: rep}
	if !s.mayReadPII(c, rep) {
		v.Narrative, v.Contact, v.Redacted = "", "", true
		v.Indicators = publicLinks(rep.Indicators)
	}
	return v
}

func (s *Server) mayReadPII(c *caller, rep report.Report) bool {
	return c.p.Can(auth.PermReportReadPII) || (rep.Author != "" && rep.Author == c.p.User)
}

func (s *Server) getReport(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	rep, err := s.store.Report(r.Context(), c.v, r.PathValue("id"))
	if err != nil {
		return err
	}
	vs := []reportView{s.view(c, rep)}
	if err := s.markForced(r.Context(), c, vs); err != nil {
		return err
	}
	if !vs[0].Redacted {
		if err := s.store.AppendAudit(r.Context(), "report.read_pii", rep.ID, ""); err != nil {
			return err
		}
	}
	return writeJSON(w, http.StatusOK, vs[0])
}

// withdrawReport erases a report: its author (an account, or whoever
// holds the withdrawal token given at submission) or an admin with
// report.delete. What depended on it is recomputed.
func (s *Server) withdrawReport(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	id := r.PathValue("id")
	rep, err := s.store.Report(r.Context(), c.v, id)
	if err != nil && !(errors.Is(err, store.ErrNotFound) && c.p.Can(auth.PermReportDelete)) {
		return err
	}
	allowed := c.p.Can(auth.PermReportDelete) ||
		(rep.Author != "" && rep.Author == c.p.User) ||
		(rep.WithdrawHash != "" && auth.MatchToken(r.Header.Get("X-Withdraw-Token"), rep.WithdrawHash))
	if !allowed {
		return fmt.Errorf("%w: only the report's author (or the holder of its withdrawal token) may withdraw it", ErrForbidden)
	}
	if err := s.store.DeleteReport(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type statusRequest struct {
	Status string `json:"status"`
}

// setReportStatus verifies, disputes or rejects a report. A trusted
// organisation's analyst verifying it vouches for its indicators.
func (s *Server) setReportStatus(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	var req statusRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if !termKnown(report.Statuses, req.Status) {
		return &invalidError{[]fieldError{{"/status", "must be one of new, verified, disputed, rejected"}}}
	}
	id := r.PathValue("id")
	if _, err := s.store.Report(r.Context(), c.v, id); err != nil {
		return err
	}
	vouch := ""
	if c.trusted && req.Status == report.StatusVerified {
		vouch = c.p.Org
	}
	if err := s.store.SetReportStatus(r.Context(), id, req.Status, vouch); err != nil {
		return err
	}
	rep, err := s.store.Report(r.Context(), c.v, id)
	if err != nil {
		return err
	}
	vs := []reportView{s.view(c, rep)}
	if err := s.markForced(r.Context(), c, vs); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, vs[0])
}

type reportList struct {
	Reports    []reportView `json:"reports"`
	NextCursor string       `json:"next_cursor,omitempty"`
}

func (s *Server) searchReports(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	q := store.Query{Text: v.Get("q"), Kind: v.Get("kind"), ScamType: v.Get("type"), Cursor: v.Get("cursor")}
	var fields []fieldError
	c := callerOf(r)
	if q.Text != "" && !c.p.Can(auth.PermReportReadPII) {
		return fmt.Errorf("%w: searching narratives needs permission %s", ErrForbidden, auth.PermReportReadPII)
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
	rs, next, err := s.store.SearchReports(r.Context(), c.v, q)
	if err != nil {
		return err
	}
	out := reportList{Reports: []reportView{}, NextCursor: next}
	var read []string
	for _, rep := range rs {
		v := s.view(c, rep)
		if !v.Redacted {
			read = append(read, rep.ID)
		}
		out.Reports = append(out.Reports, v)
	}
	if err := s.markForced(r.Context(), c, out.Reports); err != nil {
		return err
	}
	if len(read) > 0 {
		if err := s.store.AppendAudit(r.Context(), "report.read_pii", strings.Join(read, ","), "search"); err != nil {
			return err
		}
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
