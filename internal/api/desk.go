package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"vigil/internal/auth"
	"vigil/internal/place"
	"vigil/internal/report"
	"vigil/internal/store"
	"vigil/internal/web"
)

// The caseworkers' web pages (web.Desk) go through the same steps as the
// JSON routes: the caller resolved from the session cookie as for the
// API, the same permissions, the same checks and the store's auditing.
// Their forms carry the web pages' own CSRF token (package web), not the
// API's header.
var _ web.Desk = (*Server)(nil)

// deskCaller is the caller of a web page, from its session cookie, once
// it is known to hold perm; ctx is its context, whose writes the audit
// log attributes to the caller.
func (s *Server) deskCaller(ctx context.Context, r *http.Request, perm auth.Permission) (*caller, context.Context, error) {
	c := &caller{p: auth.Public(), client: s.client(r)}
	if ck, err := r.Cookie(web.SessionCookie); err == nil && ck.Value != "" {
		if err := s.signedIn(ctx, c, ck.Value); err != nil {
			return nil, ctx, err
		}
	}
	if !c.p.Can(perm) {
		if c.p.IsPublic() {
			return nil, ctx, fmt.Errorf("%w: permission %s is needed", web.ErrSignIn, perm)
		}
		return nil, ctx, fmt.Errorf("%w: permission %s is needed", web.ErrNotAllowed, perm)
	}
	return c, store.WithActor(ctx, c.actor(s)), nil
}

// forDesk gives the errors of the API's steps the shape web.Desk
// promises.
func forDesk(err error) error {
	if errors.Is(err, ErrForbidden) && !errors.Is(err, web.ErrNotAllowed) {
		return fmt.Errorf("%w: %w", web.ErrNotAllowed, err)
	}
	return forWeb(err)
}

// Cases lists the caller's cases (web.Desk).
func (s *Server) Cases(ctx context.Context, r *http.Request, q store.CaseQuery) ([]report.Case, string, error) {
	c, ctx, err := s.deskCaller(ctx, r, auth.PermCaseRead)
	if err != nil {
		return nil, "", err
	}
	var fields []fieldError
	if q.Status != "" && !termKnown(report.CaseStatuses, q.Status) {
		fields = append(fields, fieldError{"/status", "unknown case status"})
	}
	if len(q.Cursor) > 200 {
		fields = append(fields, fieldError{"/cursor", "is not a cursor Vigil gave"})
	}
	if q.Limit < 0 || q.Limit > 500 {
		fields = append(fields, fieldError{"/limit", "must be 1 to 500"})
	}
	if len(fields) > 0 {
		return nil, "", forDesk(&invalidError{fields})
	}
	cs, next, err := s.store.Cases(ctx, c.v, q)
	return cs, next, forDesk(err)
}

// Case is one case and its leads (web.Desk).
func (s *Server) Case(ctx context.Context, r *http.Request, id string) (report.Case, []store.Lead, error) {
	c, ctx, err := s.deskCaller(ctx, r, auth.PermCaseRead)
	if err != nil {
		return report.Case{}, nil, err
	}
	cs, err := s.store.Case(ctx, c.v, id)
	if err != nil {
		return report.Case{}, nil, forDesk(err)
	}
	leads, err := s.store.Leads(ctx, c.v, id)
	if err != nil {
		return report.Case{}, nil, forDesk(err)
	}
	return cs, leads, nil
}

// UpdateCase changes a case at version as the API's PATCH does
// (web.Desk).
func (s *Server) UpdateCase(ctx context.Context, r *http.Request, id string, version int, edit func(*report.Case)) error {
	c, ctx, err := s.deskCaller(ctx, r, auth.PermCaseEdit)
	if err != nil {
		return err
	}
	_, err = s.changeCase(ctx, c, id, version, func(cs *report.Case) error {
		edit(cs)
		return nil
	})
	return forDesk(err)
}

// Evidence is a file of a case (web.Desk).
func (s *Server) Evidence(ctx context.Context, r *http.Request, caseID, evidenceID string) (report.EvidenceRef, []byte, error) {
	c, ctx, err := s.deskCaller(ctx, r, auth.PermCaseRead)
	if err != nil {
		return report.EvidenceRef{}, nil, err
	}
	ref, data, err := s.store.Evidence(ctx, c.v, caseID, evidenceID)
	return ref, data, forDesk(err)
}

// Export writes cases as HTCDS records (web.Desk).
func (s *Server) Export(ctx context.Context, r *http.Request, ids []string, format string, w io.Writer) error {
	c, ctx, err := s.deskCaller(ctx, r, auth.PermCaseExport)
	if err != nil {
		return err
	}
	if format != "json" && format != "csv" {
		return forDesk(&invalidError{[]fieldError{{"/format", "must be json or csv"}}})
	}
	if len(ids) == 0 || len(ids) > maxExport {
		return forDesk(&invalidError{[]fieldError{{"/ids", fmt.Sprintf("must name 1 to %d cases", maxExport)}}})
	}
	b, err := s.htcds(ctx, c.v, ids, format)
	if err != nil {
		return forDesk(err)
	}
	_, err = w.Write(b)
	return err
}

// Watch has the caller watch something, once (web.Desk).
func (s *Server) Watch(ctx context.Context, r *http.Request, kind, target string) error {
	c, ctx, err := s.deskCaller(ctx, r, auth.PermWatch)
	if err != nil {
		return err
	}
	ws, err := s.store.Watches(ctx, c.p.User)
	if err != nil {
		return err
	}
	for _, w := range ws {
		// A value's target is stored canonical: the same value written
		// otherwise gets a second watch, which is harmless.
		if w.Kind == kind && w.Target == target && w.WebhookURL == "" {
			return nil
		}
	}
	_, err = s.addWatch(ctx, c, watchRequest{Kind: kind, Target: target})
	return forDesk(err)
}

// Alerts are the caller's newest alerts (web.Desk).
func (s *Server) Alerts(ctx context.Context, r *http.Request) ([]store.Alert, error) {
	c, ctx, err := s.deskCaller(ctx, r, auth.PermWatch)
	if err != nil {
		return nil, err
	}
	as, err := s.store.Alerts(ctx, c.p.User, 100)
	return as, forDesk(err)
}

// Place is a gazetteer entry and what mentions it that the caller may
// see (web.Desk).
func (s *Server) Place(ctx context.Context, r *http.Request, id string) (place.Place, store.PlaceActivity, error) {
	c, ctx, err := s.deskCaller(ctx, r, auth.PermPlaceRead)
	if err != nil {
		return place.Place{}, store.PlaceActivity{}, err
	}
	p, a, err := s.placeActivity(ctx, c, id)
	if errors.Is(err, ErrNotFound) {
		err = fmt.Errorf("%w: %w", store.ErrNotFound, err)
	}
	return p, a, forDesk(err)
}
