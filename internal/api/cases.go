package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"time"

	"vigil/internal/auth"
	"vigil/internal/place"
	"vigil/internal/report"
	"vigil/internal/store"
)

// caseRequest is the body of POST /api/v1/cases: a case, and whether a
// signed-in filer wants a family link made too (the public always gets
// one: it is their only way back to the case).
type caseRequest struct {
	report.Case
	FamilyAccess bool `json:"family_access"`
}

// caseCreated is the answer to POST /api/v1/cases.
type caseCreated struct {
	ID     string      `json:"id"`
	Status string      `json:"status"`
	Family *familyLink `json:"family,omitempty"`
}

// familyLink is a family's way into its case, shown once: the link (a
// capability URL) and the code, both needed. Vigil keeps only hashes.
type familyLink struct {
	Link  string `json:"link"`
	Token string `json:"token"`
	Code  string `json:"code"`
}

// createCase files a case: from a family (no account needed), an NGO, a
// caseworker. A retry with the same Idempotency-Key gets the first
// answer, link and code included, from the store.
func (s *Server) createCase(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	var req caseRequest
	if err := decodeJSONBytes(body, &req); err != nil {
		return err
	}
	c := callerOf(r)
	idem, err := s.idempotencyKey(r, c, body)
	if err != nil {
		return err
	}
	if c.p.IsPublic() && !s.limiter.allow("case:"+c.client) {
		w.Header().Set("Retry-After", strconv.Itoa(int(s.limiter.retryAfter().Seconds())))
		return fmt.Errorf("%w: too many cases filed from your network; try again later", ErrRateLimited)
	}
	req.Source = "api"
	out, replayed, err := s.fileCase(r.Context(), &req.Case, c, req.FamilyAccess, idem)
	if err != nil {
		return err
	}
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.Header().Set("Location", "/api/v1/cases/"+out.ID)
	return writeJSON(w, http.StatusCreated, out)
}

// idempotencyKey returns the Idempotency-Key of a request, scoped to its
// caller so that one caller's key cannot replay another's answer, and a
// hash of its body; a zero key when the request has none.
func (s *Server) idempotencyKey(r *http.Request, c *caller, body []byte) (store.Idempotency, error) {
	k := r.Header.Get("Idempotency-Key")
	if k == "" {
		return store.Idempotency{}, nil
	}
	if len(k) > 255 {
		return store.Idempotency{}, &invalidError{[]fieldError{{"Idempotency-Key", "is longer than 255 characters"}}}
	}
	sum := sha256.Sum256(body)
	return store.Idempotency{Key: c.actor(s) + ":" + k, Hash: hex.EncodeToString(sum[:])}, nil
}

// fileCase validates, resolves and stores a case from caller c: the API's
// and the web form's one path in. The answer carries, when a family link
// was made (always for a filer who may not read cases), its token and
// code, to be shown once; replayed says it is the answer to an earlier
// filing with the same idempotency key.
func (s *Server) fileCase(ctx context.Context, cs *report.Case, c *caller, family bool, idem store.Idempotency) (out caseCreated, replayed bool, err error) {
	reader := c.p.Can(auth.PermCaseRead)
	requested := cs.Org
	// What Vigil sets is never taken from the filer.
	cs.ID, cs.Version, cs.Indicators, cs.Places, cs.Evidence = "", 0, nil, nil, nil
	cs.CreatedAt, cs.UpdatedAt = time.Time{}, time.Time{}
	if !reader {
		// A family reports; caseworkers decide the rest.
		cs.Status, cs.Assignee, cs.Notes, cs.ClosedReason = report.CaseReported, "", nil, ""
		family = true
	}
	for i := range cs.Notes {
		if cs.Notes[i].Author == "" {
			cs.Notes[i].Author = c.p.User
		}
	}
	if err := cs.Validate(); err != nil {
		return out, false, err
	}
	if err := report.ResolveCase(s.x, place.Default(), cs); err != nil {
		return out, false, err
	}
	if cs.Org, err = s.caseOwner(ctx, c, requested); err != nil {
		return out, false, err
	}
	if err := s.checkAssignee(ctx, cs); err != nil {
		return out, false, err
	}
	f := store.CaseFiling{Idem: idem}
	out.Status = cs.Status
	if family {
		token, tokenHash := auth.NewSessionToken()
		code := newCaseCode()
		codeHash, err := s.hashPassword(caseCodeDigits(code))
		if err != nil {
			return out, false, err
		}
		f.Family = &store.FamilyAccess{TokenHash: tokenHash, CodeHash: codeHash}
		out.Family = &familyLink{Link: "/case/" + token, Token: token, Code: code}
	}
	if f.Answer, err = json.Marshal(out); err != nil {
		return out, false, err
	}
	id, replay, err := s.store.AddCase(ctx, cs, f)
	if err != nil {
		return out, false, err
	}
	if replay != nil {
		out = caseCreated{}
		if err := json.Unmarshal(replay, &out); err != nil {
			return out, false, fmt.Errorf("api: the first answer of case %s: %w", id, err)
		}
	}
	out.ID = id
	return out, replay != nil, nil
}

// caseOwner decides the organisation that owns a case c files: a
// caseworker's own; an admin's choice, else their own; for anyone else
// the organisation they named when it exists, else the intake
// organisation, else none (an admin assigns it).
func (s *Server) caseOwner(ctx context.Context, c *caller, requested string) (string, error) {
	exists := func(id string) (bool, error) {
		_, err := s.store.Org(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return false, nil
		}
		return err == nil, err
	}
	switch {
	case c.v.AllCases:
		if requested == "" {
			return c.p.Org, nil
		}
		ok, err := exists(requested)
		if err == nil && !ok {
			err = &invalidError{[]fieldError{{"/org", "is not an organisation"}}}
		}
		return requested, err
	case c.p.Can(auth.PermCaseRead):
		if requested != "" && requested != c.p.Org {
			return "", &invalidError{[]fieldError{{"/org", "a caseworker files cases for their own organisation"}}}
		}
		return c.p.Org, nil
	}
	if requested != "" && len(requested) <= 64 {
		ok, err := exists(requested)
		if err != nil {
			return "", err
		}
		if ok {
			return requested, nil
		}
	}
	return s.cfg.IntakeOrg, nil
}

// checkAssignee checks that a case's assignee, when it has one, is an
// enabled account of the case's organisation that may read cases.
func (s *Server) checkAssignee(ctx context.Context, cs *report.Case) error {
	if cs.Assignee == "" {
		return nil
	}
	bad := &invalidError{[]fieldError{{"/assignee", "must be a caseworker of the case's organisation"}}}
	if len(cs.Assignee) > 64 {
		return bad
	}
	u, err := s.store.User(ctx, cs.Assignee)
	if errors.Is(err, store.ErrNotFound) {
		return bad
	} else if err != nil {
		return err
	}
	if u.Disabled || u.Org == "" || u.Org != cs.Org || !auth.RolePermissions(u.Role).Has(auth.PermCaseRead) {
		return bad
	}
	return nil
}

// newCaseCode returns a family's code: 8 random digits written 1234-5678,
// easy to read out on the phone and to type.
func newCaseCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(100_000_000))
	if err != nil {
		panic("api: no randomness: " + err.Error()) // crypto/rand does not fail on supported systems
	}
	d := fmt.Sprintf("%08d", n.Int64())
	return d[:4] + "-" + d[4:]
}

// caseCodeDigits is a code as typed ("1234 5678", "1234-5678") reduced to
// its digits, the form that is hashed.
func caseCodeDigits(code string) string {
	if len(code) > 64 {
		return ""
	}
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		if r == ' ' || r == '-' {
			return -1
		}
		return 'x' // anything else keeps the code from matching
	}, code)
}

// caseOut is a case as the API writes it: its lists empty rather than
// null, so that clients need not tell the two apart.
func caseOut(c report.Case) report.Case {
	c.Subject.Names = orEmpty(c.Subject.Names)
	c.Subject.Aliases = orEmpty(c.Subject.Aliases)
	c.Journey, c.ContactLog, c.Demands = orEmpty(c.Journey), orEmpty(c.ContactLog), orEmpty(c.Demands)
	c.Notes, c.Indicators, c.Places, c.Evidence = orEmpty(c.Notes), orEmpty(c.Indicators), orEmpty(c.Places), orEmpty(c.Evidence)
	return c
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// caseSummary is a case as lists show it.
type caseSummary struct {
	ID        string    `json:"id"`
	Status    string    `json:"status"`
	Urgency   string    `json:"urgency"`
	Org       string    `json:"org,omitempty"`
	Assignee  string    `json:"assignee,omitempty"`
	Subject   string    `json:"subject"`
	Places    []string  `json:"places"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int       `json:"version"`
}

type caseList struct {
	Cases      []caseSummary `json:"cases"`
	NextCursor string        `json:"next_cursor,omitempty"`
}

// listCases lists the cases the caller may see, most recently updated
// first.
func (s *Server) listCases(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	q := store.CaseQuery{Status: v.Get("status"), Assignee: v.Get("assignee"), Place: v.Get("place"), Cursor: v.Get("cursor")}
	var fields []fieldError
	if q.Status != "" && !termKnown(report.CaseStatuses, q.Status) {
		fields = append(fields, fieldError{"status", "unknown case status"})
	}
	if len(q.Assignee) > 64 {
		fields = append(fields, fieldError{"assignee", "is not an account id"})
	}
	if q.Place != "" {
		if _, ok := place.Default().ByID(q.Place); !ok {
			fields = append(fields, fieldError{"place", "is not a place of the gazetteer (GET /api/v1/places)"})
		}
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			fields = append(fields, fieldError{"limit", "must be 1 to 500"})
		}
		q.Limit = n
	}
	if len(q.Cursor) > 200 {
		fields = append(fields, fieldError{"cursor", "is not a cursor this API gave"})
	}
	if len(fields) > 0 {
		return &invalidError{fields}
	}
	cs, next, err := s.store.Cases(r.Context(), callerOf(r).v, q)
	if err != nil {
		return err
	}
	out := caseList{Cases: []caseSummary{}, NextCursor: next}
	for _, c := range cs {
		out.Cases = append(out.Cases, caseSummary{ID: c.ID, Status: c.Status, Urgency: c.Urgency, Org: c.Org, Assignee: c.Assignee,
			Subject: c.DisplayName(), Places: orEmpty(c.Places), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Version: c.Version})
	}
	return writeJSON(w, http.StatusOK, out)
}

// getCase answers one case in full, to those who may see it.
func (s *Server) getCase(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.store.Case(r.Context(), callerOf(r).v, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", strconv.Quote(strconv.Itoa(cs.Version)))
	return writeJSON(w, http.StatusOK, caseOut(cs))
}

// caseSetByVigil are the fields of a case that a PATCH may not set.
var caseSetByVigil = map[string]bool{"id": true, "created_at": true, "updated_at": true, "indicators": true,
	"places": true, "evidence": true, "source": true}

// updateCase merges the top-level fields of the body onto the stored
// case. The body's "version" (or If-Match) must be the stored version, so
// that two caseworkers cannot overwrite each other unseen.
func (s *Server) updateCase(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	var given map[string]json.RawMessage
	if err := decodeJSONBytes(body, &given); err != nil {
		return err
	}
	if given == nil {
		return fmt.Errorf("%w: the body must be a JSON object", ErrInvalid)
	}
	var fields []fieldError
	for k := range given {
		if caseSetByVigil[k] {
			fields = append(fields, fieldError{"/" + k, "is set by Vigil, not by a request"})
		}
	}
	version, ok := -1, false
	if raw, has := given["version"]; has {
		ok = json.Unmarshal(raw, &version) == nil
		if !ok {
			fields = append(fields, fieldError{"/version", "must be the case's version, an integer"})
		}
	} else if m := r.Header.Get("If-Match"); m != "" {
		version, ok = parseETag(m)
		if !ok {
			fields = append(fields, fieldError{"If-Match", `must be the case's ETag ("3")`})
		}
	} else {
		fields = append(fields, fieldError{"/version", `is required: the version read (or an If-Match header with the ETag), so that no one else's change is overwritten unseen`})
	}
	if len(fields) > 0 {
		return &invalidError{fields}
	}
	cs, err := s.changeCase(r.Context(), callerOf(r), r.PathValue("id"), version, func(cs *report.Case) error {
		return decodeJSONBytes(body, cs)
	})
	if err != nil {
		return err
	}
	w.Header().Set("ETag", strconv.Quote(strconv.Itoa(cs.Version)))
	return writeJSON(w, http.StatusOK, caseOut(cs))
}

// changeCase applies edit to case id as stored, provided the caller read
// it at version, and stores it: the one path of a caseworker's change,
// for the API's PATCH and the web pages (desk.go). Only an admin moves a
// case to another organisation; a new assignee must be a caseworker of
// the case's organisation.
func (s *Server) changeCase(ctx context.Context, c *caller, id string, version int, edit func(*report.Case) error) (report.Case, error) {
	cs, err := s.store.Case(ctx, c.v, id)
	if err != nil {
		return report.Case{}, err
	}
	if version != cs.Version {
		return report.Case{}, fmt.Errorf("%w: the case is at version %d, not %d: read it again and reapply the change", store.ErrConflict, cs.Version, version)
	}
	org, assignee := cs.Org, cs.Assignee
	if err := edit(&cs); err != nil {
		return report.Case{}, err
	}
	cs.ID, cs.Version = id, version
	if cs.Org != org {
		if !c.v.AllCases {
			return report.Case{}, fmt.Errorf("%w: only an admin moves a case to another organisation", ErrForbidden)
		}
		if cs.Org != "" {
			if _, err := s.store.Org(ctx, cs.Org); errors.Is(err, store.ErrNotFound) {
				return report.Case{}, &invalidError{[]fieldError{{"/org", "is not an organisation"}}}
			} else if err != nil {
				return report.Case{}, err
			}
		}
	}
	for i := range cs.Notes {
		if cs.Notes[i].Author == "" {
			cs.Notes[i].Author = c.p.User
		}
	}
	if err := cs.Validate(); err != nil {
		return report.Case{}, err
	}
	if err := report.ResolveCase(s.x, place.Default(), &cs); err != nil {
		return report.Case{}, err
	}
	if cs.Assignee != assignee || cs.Org != org {
		if err := s.checkAssignee(ctx, &cs); err != nil {
			return report.Case{}, err
		}
	}
	// The store sets the new version and time on cs.
	if err := s.store.UpdateCase(ctx, &cs); err != nil {
		return report.Case{}, err
	}
	return cs, nil
}

// parseETag reads the version of an If-Match header: "3", W/"3" or 3.
func parseETag(s string) (int, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "W/")
	if u, err := strconv.Unquote(s); err == nil {
		s = u
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

type leadList struct {
	Leads []store.Lead `json:"leads"`
}

// caseLeads answers a case's leads, computed now from what the caller
// may see.
func (s *Server) caseLeads(w http.ResponseWriter, r *http.Request) error {
	ls, err := s.store.Leads(r.Context(), callerOf(r).v, r.PathValue("id"))
	if err != nil {
		return err
	}
	if ls == nil {
		ls = []store.Lead{}
	}
	return writeJSON(w, http.StatusOK, leadList{Leads: ls})
}
