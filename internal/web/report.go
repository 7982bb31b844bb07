package web

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"

	"vigil/internal/report"
)

func (s *server) reportForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "report", newReportPage(newPage(r), reportForm{}))
}

// submitReport reads the report form, validates it and hands it to the
// Submitter, with the session of a signed-in person. A form with problems
// comes back with the person's input kept and each problem by its field.
func (s *server) submitReport(w http.ResponseWriter, r *http.Request) error {
	p := newPage(r)
	f := readReportForm(r.PostForm)
	rep, rows, problems := f.report()
	if err := rep.Validate(); err != nil {
		var invalid *report.ValidationError
		if !errors.As(err, &invalid) {
			return fmt.Errorf("web: validate report: %w", err)
		}
		problems = append(problems, invalid.Fields...)
	}
	if len(problems) > 0 {
		rp := newReportPage(p, f)
		rp.addProblems(problems, rows)
		return s.render(w, http.StatusBadRequest, "report", rp)
	}
	id, err := s.submit.SubmitReport(r.Context(), rep, clientOf(r), visitorOf(r).session)
	var invalid *report.ValidationError
	switch {
	case err == nil:
		http.Redirect(w, r, p.Link("/report/thanks", "id", id), http.StatusSeeOther)
		return nil
	case errors.Is(err, ErrRateLimited):
		// The form comes back filled in, so nothing is lost by waiting.
		w.Header().Set("Retry-After", "60")
		rp := newReportPage(p, f)
		rp.Problem = p.T["rate_limited"]
		return s.render(w, http.StatusTooManyRequests, "report", rp)
	case errors.As(err, &invalid):
		rp := newReportPage(p, f)
		rp.addProblems(invalid.Fields, rows)
		return s.render(w, http.StatusBadRequest, "report", rp)
	case errors.Is(err, report.ErrInvalid):
		rp := newReportPage(p, f)
		rp.Problem, rp.Detail = p.T["err_form"], err.Error()
		return s.render(w, http.StatusBadRequest, "report", rp)
	}
	return fmt.Errorf("web: submit report: %w", err)
}

// clientOf identifies the person's network: the host of RemoteAddr. Behind
// a reverse proxy that is the proxy's address, unless the server trusts the
// proxy (api.Config.TrustedProxies, vigil serve --trusted-proxy): then the
// API's handler has set RemoteAddr from X-Forwarded-For before the page
// sees the request.
func clientOf(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// thanksPage thanks the person and shows the report's ID.
type thanksPage struct {
	page
	ID string
}

// reportID is what a report ID looks like (a ULID, or another short
// token). The ID comes from the address, which anyone can write: only an
// ID is shown, never a sentence someone put there to be read on Vigil.
var reportID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

func (s *server) thanks(w http.ResponseWriter, r *http.Request) error {
	p := thanksPage{page: newPage(r)}
	if id := r.URL.Query().Get("id"); reportID.MatchString(id) {
		p.ID = id
	}
	return s.render(w, http.StatusOK, "thanks", p)
}
