package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"vigil/internal/auth"
	"vigil/internal/place"
	"vigil/internal/report"
	"vigil/internal/store"
	"vigil/internal/web"
)

// A family reaches its case without an account, with two things: the
// capability token of its link and the code given with it. Either one
// alone opens nothing, and an unknown link and a wrong code are the same
// 404, so the answer never says that a link exists. Wrong codes are
// throttled per link (auth.Throttle), so the code cannot be guessed.

// errFamilyNotFound is the one answer to an unknown link or a wrong code.
var errFamilyNotFound = fmt.Errorf("%w: no case opens with this link and code", store.ErrNotFound)

// errAddsNothing is an addition without anything in it.
var errAddsNothing = fmt.Errorf("%w: the addition adds nothing: give messages (contact_log), demands, accounts, places (journey), information (info) or a file", report.ErrInvalid)

// familyThrottled is a link that had too many wrong codes: a 429 for the
// API (ErrRateLimited) and for the web pages (web.ErrRateLimited).
// A link that adds too much too fast (a script, a loop of uploads) is
// held back the same way: families add a few things a day.
type familyThrottled struct {
	wait     time.Duration
	additons bool
}

func (e *familyThrottled) Error() string {
	if e.additons {
		return "too many additions to this case in a short time; try again later"
	}
	return "too many wrong codes for this link; try again later"
}

func (e *familyThrottled) Unwrap() []error { return []error{ErrRateLimited, web.ErrRateLimited} }

// familyStatus is the status of a case in the family's languages.
type familyStatus struct {
	En string `json:"en"`
	Zh string `json:"zh"`
}

// familyView is a case as its family sees it (report.Case.ForFamily).
type familyView struct {
	report.Case
	// Evidence shadows the case's: a family sees what it sent, not the
	// hashes that match it elsewhere.
	Evidence    []familyFile `json:"evidence"`
	StatusLabel familyStatus `json:"status_label"`
}

// familyFile is a file of a case as its family sees it.
type familyFile struct {
	ID          string    `json:"id"`
	Name        string    `json:"name,omitempty"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	AddedAt     time.Time `json:"added_at"`
}

func newFamilyFile(e report.EvidenceRef) familyFile {
	return familyFile{ID: e.ID, Name: e.Name, ContentType: e.ContentType, Size: e.Size, AddedAt: e.AddedAt}
}

func newFamilyView(c report.Case) familyView {
	v := familyView{Case: caseOut(c.ForFamily()), Evidence: []familyFile{}}
	for _, e := range v.Case.Evidence {
		v.Evidence = append(v.Evidence, newFamilyFile(e))
	}
	for _, t := range report.CaseStatuses {
		if t.Code == c.Status {
			v.StatusLabel = familyStatus{En: t.En, Zh: t.Zh}
		}
	}
	return v
}

// openFamilyCase returns the case a token and code open, and a context
// whose writes the audit log attributes to the family. A wrong code
// costs as much time for an unknown token as for a known one.
func (s *Server) openFamilyCase(ctx context.Context, token, code string) (report.Case, context.Context, error) {
	hash := auth.HashToken(token)
	key := "family:" + hash
	now := time.Now()
	if ok, wait := s.throttle.Check(key, now); !ok {
		return report.Case{}, ctx, &familyThrottled{wait: wait}
	}
	var c report.Case
	codeHash, known := s.dummyHash, false
	if token != "" && len(token) <= 256 {
		var err error
		c, codeHash, err = s.store.CaseByToken(ctx, hash)
		switch {
		case err == nil:
			known = true
		case errors.Is(err, store.ErrNotFound):
			codeHash = s.dummyHash
		default:
			return report.Case{}, ctx, err
		}
	}
	ok, _ := auth.CheckPassword(codeHash, caseCodeDigits(code))
	if !ok || !known {
		s.throttle.Fail(key, now)
		if known {
			// A wrong code for a real link: someone holds the link and is
			// guessing, or a relative mistyped; either way the owners of
			// the case may want to know.
			if err := s.store.AppendAudit(ctx, "case.family_code_wrong", c.ID, ""); err != nil {
				return report.Case{}, ctx, err
			}
		}
		return report.Case{}, ctx, errFamilyNotFound
	}
	s.throttle.Succeed(key)
	ctx = store.WithActor(ctx, "family:"+c.ID)
	if err := s.store.AppendAudit(ctx, "case.read", c.ID, "family"); err != nil {
		return report.Case{}, ctx, err
	}
	return c, ctx, nil
}

// familyCase is a family's view of its case (openFamilyCase audits the read).
func (s *Server) familyCase(ctx context.Context, token, code string) (familyView, error) {
	c, _, err := s.openFamilyCase(ctx, token, code)
	if err != nil {
		return familyView{}, err
	}
	return newFamilyView(c), nil
}

// maxFamilyRetries bounds the retries of an addition that meets a
// concurrent change of the case (a caseworker's edit).
const maxFamilyRetries = 5

// familyAdd adds to a family's case what they learnt since filing, and a
// file when up has one. The addition is applied to the case as stored
// now, again if it changed meanwhile.
func (s *Server) familyAdd(ctx context.Context, token, code string, add report.CaseAddition, up *evidenceUpload) (report.Case, error) {
	c, ctx, err := s.openFamilyCase(ctx, token, code)
	if err != nil {
		return report.Case{}, err
	}
	if add.Empty() && up == nil {
		return report.Case{}, errAddsNothing
	}
	if !s.additions.allow(c.ID) {
		return report.Case{}, &familyThrottled{wait: s.additions.retryAfter(), additons: true}
	}
	hash := auth.HashToken(token)
	for attempt := 0; !add.Empty(); attempt++ {
		before := c
		add.Apply(&c, time.Now().UTC())
		if err := c.Validate(); err != nil {
			return report.Case{}, additionError(err, before)
		}
		if err := report.ResolveCase(s.x, place.Default(), &c); err != nil {
			return report.Case{}, additionError(err, before)
		}
		err := s.store.UpdateCase(ctx, &c)
		if err == nil {
			break
		}
		if !errors.Is(err, store.ErrConflict) || attempt == maxFamilyRetries {
			return report.Case{}, err
		}
		if c, _, err = s.store.CaseByToken(ctx, hash); err != nil {
			return report.Case{}, err
		}
	}
	if up != nil {
		ref, err := s.addEvidence(ctx, c.ID, *up)
		if err != nil {
			return report.Case{}, err
		}
		c.Evidence = append(c.Evidence, ref)
	}
	return c, nil
}

// additionPointer matches the pointer of a case's field that an addition
// may have grown; additionField names the field of the addition it came
// from (a family's information is the newest note).
var (
	additionPointer = regexp.MustCompile(`^(/contact_log/|/demands/|/subject/accounts/|/journey/|/notes/)(\d+)(.*)$`)
	additionField   = map[string]string{"/contact_log/": "/contact_log/", "/demands/": "/demands/",
		"/subject/accounts/": "/accounts/", "/journey/": "/journey/", "/notes/": "/info"}
)

// additionError points the field errors of a case grown by an addition at
// the addition's fields: the family's third message is /contact_log/2 of
// what they sent, not /contact_log/14 of the case.
func additionError(err error, before report.Case) error {
	var ve *report.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	base := map[string]int{"/contact_log/": len(before.ContactLog), "/demands/": len(before.Demands),
		"/subject/accounts/": len(before.Subject.Accounts), "/journey/": len(before.Journey), "/notes/": len(before.Notes)}
	out := &report.ValidationError{}
	for _, f := range ve.Fields {
		p := f.Pointer
		if m := additionPointer.FindStringSubmatch(p); m != nil {
			if i, err := strconv.Atoi(m[2]); err == nil && i >= base[m[1]] {
				to := additionField[m[1]]
				if m[1] != "/notes/" {
					to += strconv.Itoa(i-base[m[1]]) + m[3]
				}
				p = to
			}
		}
		if p == "/subject/accounts" {
			p = "/accounts"
		}
		out.Fields = append(out.Fields, report.FieldError{Pointer: p, Detail: f.Detail})
	}
	return out
}

// familyCode is the code a family request carries.
func familyCode(r *http.Request) string { return r.Header.Get("X-Case-Code") }

// familyError answers a throttled family request with Retry-After.
func familyError(w http.ResponseWriter, err error) error {
	var th *familyThrottled
	if errors.As(err, &th) {
		w.Header().Set("Retry-After", strconv.Itoa(int(th.wait.Seconds())+1))
	}
	return err
}

// getFamilyCase answers GET /api/v1/family/cases/{token}.
func (s *Server) getFamilyCase(w http.ResponseWriter, r *http.Request) error {
	v, err := s.familyCase(r.Context(), r.PathValue("token"), familyCode(r))
	if err != nil {
		return familyError(w, err)
	}
	return writeJSON(w, http.StatusOK, v)
}

// postFamilyAddition answers POST /api/v1/family/cases/{token}/additions.
func (s *Server) postFamilyAddition(w http.ResponseWriter, r *http.Request) error {
	var add report.CaseAddition
	if err := decodeJSON(r, &add); err != nil {
		return err
	}
	if add.Empty() {
		return errAddsNothing
	}
	c, err := s.familyAdd(r.Context(), r.PathValue("token"), familyCode(r), add, nil)
	if err != nil {
		return familyError(w, err)
	}
	return writeJSON(w, http.StatusOK, newFamilyView(c))
}

// postFamilyEvidence answers POST /api/v1/family/cases/{token}/evidence.
func (s *Server) postFamilyEvidence(w http.ResponseWriter, r *http.Request) error {
	up, err := readEvidence(r)
	if err != nil {
		return err
	}
	c, ctx, err := s.openFamilyCase(r.Context(), r.PathValue("token"), familyCode(r))
	if err != nil {
		return familyError(w, err)
	}
	ref, err := s.addEvidence(ctx, c.ID, up)
	if err != nil {
		return writeEvidenceError(w, err)
	}
	return writeJSON(w, http.StatusCreated, newFamilyFile(ref))
}

// The web pages of families (web.Cases) go through the same steps as the
// JSON routes.
var _ web.Cases = (*Server)(nil)

// FileCase files a case from the web form (web.Cases): always with a
// family link, whose token and code it returns.
func (s *Server) FileCase(ctx context.Context, r *http.Request, c *report.Case, key string) (token, code string, err error) {
	cl := &caller{p: auth.Public(), client: network(hostOf(r))}
	if ck, err := r.Cookie(web.SessionCookie); err == nil && ck.Value != "" {
		if err := s.signedIn(ctx, cl, ck.Value); err != nil {
			return "", "", err
		}
	}
	if cl.p.IsPublic() && !s.limiter.allow("case:"+cl.client) {
		return "", "", web.ErrRateLimited
	}
	c.Source = "web"
	var idem store.Idempotency
	if key != "" {
		// The form's own key: a page refreshed after filing shows the
		// same link and code, not a second case. The form's fields are
		// its request.
		b, err := json.Marshal(c)
		if err != nil {
			return "", "", err
		}
		sum := sha256.Sum256(b)
		idem = store.Idempotency{Key: "web:" + cl.actor(s) + ":" + key, Hash: hex.EncodeToString(sum[:])}
	}
	out, _, err := s.fileCase(store.WithActor(ctx, cl.actor(s)), c, cl, true, idem)
	if err != nil || out.Family == nil {
		return "", "", forWeb(err)
	}
	return out.Family.Token, out.Family.Code, nil
}

// FamilyCase is a family's view of its case (web.Cases).
func (s *Server) FamilyCase(ctx context.Context, r *http.Request, token, code string) (report.Case, error) {
	v, err := s.familyCase(ctx, token, code)
	return v.Case, forWeb(err)
}

// FamilyAdd adds what a family sent through the web page, and a file when
// file is not empty (web.Cases).
func (s *Server) FamilyAdd(ctx context.Context, r *http.Request, token, code string, add report.CaseAddition, file []byte, fileName string) error {
	var up *evidenceUpload
	if len(file) > 0 {
		if err := checkEvidenceText(fileName, ""); err != nil {
			return forWeb(err)
		}
		up = &evidenceUpload{data: file, name: fileName}
	}
	_, err := s.familyAdd(ctx, token, code, add, up)
	return forWeb(err)
}

// forWeb gives the errors of the API's steps the shape web.Cases
// promises: invalid fields as a *report.ValidationError, the problems of
// a file on the form's /file input.
func forWeb(err error) error {
	var inv *invalidError
	switch {
	case errors.As(err, &inv):
		ve := &report.ValidationError{}
		for _, f := range inv.fields {
			p := f.Pointer
			if p == "name" || p == "body" {
				p = "/file"
			}
			ve.Fields = append(ve.Fields, report.FieldError{Pointer: p, Detail: f.Detail})
		}
		return ve
	case errors.Is(err, errUnsupportedMedia), errors.Is(err, ErrTooLarge):
		return &report.ValidationError{Fields: []report.FieldError{{Pointer: "/file", Detail: fileProblem(err)}}}
	}
	return err
}
