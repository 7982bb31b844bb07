package web

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"vigil/internal/report"
	"vigil/internal/store"
)

// Cases files and follows trafficking cases for families; *api.Server
// implements it. r is the family's request: it identifies their network
// for rate limits.
//
// The errors the pages tell apart (wrapped or not): a
// *report.ValidationError names each invalid field by its JSON pointer in
// the case (/subject/names, /demands/0/payment/0) or, for FamilyAdd, in
// the addition or in the case it is applied to (/contact_log/0/text,
// /accounts/0, /info); store.ErrNotFound means a token and code that open
// no case, whichever of the two is wrong; ErrRateLimited means the
// family's network has filed or added too much in a short time, and a
// *ThrottledError that too many wrong codes were tried (the page says how
// long to wait).
type Cases interface {
	// FileCase stores a new case from a family's form (validated, with
	// Source "web") and returns the capability token of its private
	// link and the code that goes with it. Neither is stored in clear:
	// this is the one time they are known.
	// key, when set, is the form's idempotency key: the same form sent
	// again gets the same token and code back.
	FileCase(ctx context.Context, r *http.Request, c *report.Case, key string) (token, code string, err error)
	// FamilyCase returns the case a token and code open, as its family
	// may see it (report.Case.ForFamily).
	FamilyCase(ctx context.Context, r *http.Request, token, code string) (report.Case, error)
	// FamilyAdd adds to the case a token and code open: add, and file
	// when it is not nil (evidence: a photo, a screenshot), named
	// fileName as the family's device named it. add may be empty when a
	// file comes alone.
	FamilyAdd(ctx context.Context, r *http.Request, token, code string, add report.CaseAddition, file []byte, fileName string) error
}

// maxMedia bounds a file a family sends with a case: a photo, a
// screenshot, a short voice note or video.
const maxMedia = 20 << 20

// maxCaseBody bounds the body of a case form that carries a file: the
// file, and the form's texts beside it.
const maxCaseBody = maxMedia + 1<<20

// caseToken is what a capability token may look like. A token of another
// form opens nothing, and is not sent on to Cases.
var caseToken = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// private marks the pages that hold a family's words or secrets: no cache
// may keep them, and their address, which holds the capability token,
// goes to no one in a Referer.
func private(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.Header().Set("X-Robots-Tag", "noindex")
		return h(w, r)
	}
}

// postedFiles is posted for a form that may carry a file
// (multipart/form-data). The whole form is read into memory and never
// into temporary files: evidence must not touch the disk before the store
// seals it. The token is checked before h does anything.
func (s *server) postedFiles(h handlerFunc) handlerFunc {
	return sameOrigin(func(w http.ResponseWriter, r *http.Request) error {
		parseErr := r.ParseForm()
		if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); parseErr == nil && ct == "multipart/form-data" {
			parseErr = r.ParseMultipartForm(maxCaseBody)
			if r.MultipartForm != nil {
				defer r.MultipartForm.RemoveAll()
			}
		}
		var tooBig *http.MaxBytesError
		if errors.As(parseErr, &tooBig) {
			p := newPage(r)
			return s.render(w, http.StatusRequestEntityTooLarge, "error",
				errorPage{page: p, Title: p.T["case_too_large_title"], Message: p.T["case_too_large"]})
		}
		if err := s.checkToken(r); err != nil {
			return err
		}
		if parseErr != nil {
			return fmt.Errorf("%w: %v", errBadForm, parseErr)
		}
		return h(w, r)
	})
}

// uploaded is the file a case form carries, if any; a file too large is a
// problem of the form's file input.
func uploaded(r *http.Request) (data []byte, name string, problems []report.FieldError, err error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		return nil, "", nil, nil
	}
	fh := r.MultipartForm.File["file"][0]
	if fh.Size > maxMedia {
		return nil, "", []report.FieldError{{Pointer: "/file", Detail: fmt.Sprintf("is %d bytes; the limit is %d", fh.Size, maxMedia)}}, nil
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "", nil, fmt.Errorf("web: open uploaded file: %w", err)
	}
	defer f.Close()
	if data, err = io.ReadAll(io.LimitReader(f, maxMedia)); err != nil {
		return nil, "", nil, fmt.Errorf("web: read uploaded file: %w", err)
	}
	if len(data) == 0 {
		return nil, "", nil, nil
	}
	return data, fh.Filename, nil, nil
}

// casePath is the address of a case's page.
func casePath(token string) string { return "/case/" + url.PathEscape(token) }

func (s *server) newCaseForm(w http.ResponseWriter, r *http.Request) error {
	p := newPage(r)
	lang := "en"
	if p.Lang == chinese {
		lang = "zh"
	}
	f := caseForm{v: map[string]string{"urgency": "medium", "consent": "none", "reporter_language": lang}}
	cp := newCasePage(p, f, newCaseInputs)
	cp.Filing = rand.Text()
	return s.render(w, http.StatusOK, "case_new", cp)
}

// filingKey is the form's idempotency key as posted, when it is one
// newCaseForm could have made; "" otherwise (the case is filed without).
func filingKey(v string) string {
	if len(v) < 16 || len(v) > 64 {
		return ""
	}
	for _, r := range v {
		if !('A' <= r && r <= 'Z' || '2' <= r && r <= '7') {
			return ""
		}
	}
	return v
}

// fileCase reads the form for a new case, validates it and files it. The
// page that answers shows the private link and the code, once. A file sent
// with the form is added to the case once it is filed; when that fails,
// the case stands and the page says to send the file again from the
// case's page.
func (s *server) fileCase(w http.ResponseWriter, r *http.Request) error {
	p := newPage(r)
	f := readCaseForm(r.PostForm, newCaseInputs)
	c, journey, problems := f.newCase()
	file, fileName, fileProblems, err := uploaded(r)
	if err != nil {
		return err
	}
	problems = append(problems, fileProblems...)
	if err := c.Validate(); err != nil {
		var invalid *report.ValidationError
		if !errors.As(err, &invalid) {
			return fmt.Errorf("web: validate case: %w", err)
		}
		problems = append(problems, invalid.Fields...)
	}
	key := filingKey(r.PostForm.Get("filing"))
	again := func(status int, problems []report.FieldError, problem, detail string) error {
		cp := newCasePage(p, f, newCaseInputs)
		cp.Again, cp.Filing = file != nil, key
		cp.addProblems(problems, journey)
		if problem != "" {
			cp.Problem, cp.Detail = problem, detail
		}
		return s.render(w, status, "case_new", cp)
	}
	if len(problems) > 0 {
		return again(http.StatusBadRequest, problems, "", "")
	}
	token, code, err := s.cases.FileCase(r.Context(), r, c, key)
	var invalid *report.ValidationError
	switch {
	case err == nil:
	case limited(w, err):
		return again(http.StatusTooManyRequests, nil, p.T["case_rate_limited"], "")
	case errors.As(err, &invalid):
		return again(http.StatusBadRequest, invalid.Fields, "", "")
	case errors.Is(err, report.ErrInvalid):
		return again(http.StatusBadRequest, nil, p.T["case_err_form"], err.Error())
	default:
		return fmt.Errorf("web: file case: %w", err)
	}
	fp := caseFiledPage{page: p, URL: absolute(r, casePath(token)), Code: code, Path: casePath(token)}
	if file != nil {
		if err := s.cases.FamilyAdd(r.Context(), r, token, code, report.CaseAddition{}, file, fileName); err != nil {
			fp.FileFailed = true
			if errors.Is(err, report.ErrInvalid) {
				fp.FileDetail = err.Error()
			} else if !limited(nil, err) {
				s.log.Error("web: add a file to a new case", "err", err)
			}
		}
	}
	return s.render(w, http.StatusOK, "case_filed", fp)
}

// absolute is the full address of path on the host the family reached:
// the link they write down.
func absolute(r *http.Request, path string) string {
	scheme := "http"
	if overTLS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

// caseCode asks for the code of a case. It shows the same page for every
// token, known or not, and nothing of any case.
func (s *server) caseCode(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "case_code", caseCodePage{page: newPage(r), Path: casePath(r.PathValue("token"))})
}

// notRecognised is the answer to a token and code that open no case: the
// same whichever is wrong, so that the page tells a guesser nothing.
func (s *server) notRecognised(w http.ResponseWriter, p page, path string) error {
	return s.render(w, http.StatusNotFound, "case_code", caseCodePage{page: p, Path: path, Problem: p.T["case_not_recognised"]})
}

// followCase shows a family their case, given its code.
func (s *server) followCase(w http.ResponseWriter, r *http.Request) error {
	p := newPage(r)
	token, code := r.PathValue("token"), strings.TrimSpace(r.PostForm.Get("code"))
	path := casePath(token)
	if code == "" {
		return s.render(w, http.StatusBadRequest, "case_code", caseCodePage{page: p, Path: path, Problem: p.T["case_code_empty"]})
	}
	if !caseToken.MatchString(token) {
		return s.notRecognised(w, p, path)
	}
	c, err := s.cases.FamilyCase(r.Context(), r, token, code)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return s.notRecognised(w, p, path)
	case limited(w, err):
		problem := p.T["case_code_rate_limited"]
		if m := waitMinutes(err); m > 1 {
			problem = fmt.Sprintf(p.T["case_code_throttled"], m)
		}
		return s.render(w, http.StatusTooManyRequests, "case_code", caseCodePage{page: p, Path: path, Problem: problem})
	case err != nil:
		return fmt.Errorf("web: open case: %w", err)
	}
	fp := newFollowPage(p, caseForm{}, path, code)
	fp.Case = caseView(c)
	return s.render(w, http.StatusOK, "case_follow", fp)
}

// addToCase adds what a family sends to their case and shows the case
// again. The code comes with the form, in its body.
func (s *server) addToCase(w http.ResponseWriter, r *http.Request) error {
	p := newPage(r)
	token, code := r.PathValue("token"), strings.TrimSpace(r.PostForm.Get("code"))
	path := casePath(token)
	if code == "" || !caseToken.MatchString(token) {
		return s.notRecognised(w, p, path)
	}
	f := readCaseForm(r.PostForm, addInputs)
	add, journey, problems := f.addition()
	file, fileName, fileProblems, err := uploaded(r)
	if err != nil {
		return err
	}
	problems = append(problems, fileProblems...)
	// again shows the form as it was sent, with the case when it can be
	// read.
	again := func(status int, problems []report.FieldError, problem, detail string, withCase bool) error {
		fp := newFollowPage(p, f, path, code)
		fp.Again = file != nil
		fp.addProblems(problems, journey)
		if problem != "" {
			fp.Problem, fp.Detail = problem, detail
		}
		if withCase {
			if c, err := s.cases.FamilyCase(r.Context(), r, token, code); err == nil {
				fp.Case = caseView(c)
			}
		}
		return s.render(w, status, "case_follow", fp)
	}
	switch {
	case len(problems) > 0:
		return again(http.StatusBadRequest, problems, "", "", true)
	case add.Empty() && file == nil:
		return again(http.StatusBadRequest, nil, p.T["case_add_empty"], "", true)
	}
	err = s.cases.FamilyAdd(r.Context(), r, token, code, add, file, fileName)
	var invalid *report.ValidationError
	switch {
	case err == nil:
	case errors.Is(err, store.ErrNotFound):
		return s.notRecognised(w, p, path)
	case limited(w, err):
		// Asking for the case would be refused too: the form alone comes
		// back, kept.
		return again(http.StatusTooManyRequests, nil, p.T["case_add_rate_limited"], "", false)
	case errors.As(err, &invalid):
		return again(http.StatusBadRequest, invalid.Fields, "", "", true)
	case errors.Is(err, report.ErrInvalid):
		return again(http.StatusBadRequest, nil, p.T["case_err_add"], err.Error(), true)
	default:
		return fmt.Errorf("web: add to case: %w", err)
	}
	fp := newFollowPage(p, caseForm{}, path, code)
	fp.Added = true
	// What was added is kept whatever happens now: a failure to read the
	// case back must not make the family send it again.
	c, err := s.cases.FamilyCase(r.Context(), r, token, code)
	switch {
	case err == nil:
		fp.Case = caseView(c)
	case !limited(nil, err) && !errors.Is(err, store.ErrNotFound):
		s.log.Error("web: read a case back after an addition", "err", err)
	}
	return s.render(w, http.StatusOK, "case_follow", fp)
}

// limited tells whether err says that the family's network, or their
// link, has been refused for a while (ErrRateLimited, *ThrottledError),
// and when w is not nil, sets Retry-After.
func limited(w http.ResponseWriter, err error) bool {
	var throttled *ThrottledError
	wait := time.Minute
	switch {
	case errors.As(err, &throttled):
		wait = throttled.RetryAfter
	case !errors.Is(err, ErrRateLimited):
		return false
	}
	if w != nil {
		w.Header().Set("Retry-After", strconv.Itoa(ceil(wait, time.Second)))
	}
	return true
}

// waitMinutes is how many minutes a throttled family must wait: 1 unless
// err says more.
func waitMinutes(err error) int {
	var throttled *ThrottledError
	if errors.As(err, &throttled) {
		return ceil(throttled.RetryAfter, time.Minute)
	}
	return 1
}

// caseView is what the family's page shows of their case: what they may
// see of it, whatever Cases gave.
func caseView(c report.Case) *report.Case {
	f := c.ForFamily()
	return &f
}
