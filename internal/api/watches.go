package api

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"vigil/internal/report"
	"vigil/internal/store"
)

type watchRequest struct {
	Kind       string `json:"kind"`
	Target     string `json:"target"`
	WebhookURL string `json:"webhook_url"`
}

// createWatch watches a case (its leads), a network (reports joining it)
// or a value (reports naming it). The webhook's secret is in the answer
// once; Vigil signs each delivery with it (HMAC-SHA256).
func (s *Server) createWatch(w http.ResponseWriter, r *http.Request) error {
	var req watchRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	saved, err := s.addWatch(r.Context(), callerOf(r), req)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/watches/"+saved.ID)
	return writeJSON(w, http.StatusCreated, saved)
}

// addWatch checks a watch c asks for and stores it: a case or a network
// only c may see, a value as lookups read it. The API's and the web
// pages' one path in.
func (s *Server) addWatch(ctx context.Context, c *caller, req watchRequest) (store.Watch, error) {
	var fields []fieldError
	switch req.Kind {
	case store.WatchCase, store.WatchNetwork, store.WatchValue:
	default:
		fields = append(fields, fieldError{"/kind", "must be case, network or value"})
	}
	if strings.TrimSpace(req.Target) == "" || len(req.Target) > 2048 {
		fields = append(fields, fieldError{"/target", "is required: a case id, a network id, or a value (a phone number, wallet, account ...)"})
	}
	if len(fields) > 0 {
		return store.Watch{}, &invalidError{fields}
	}
	target := req.Target
	switch req.Kind {
	case store.WatchCase:
		// Watching a case is reading what changes in it: only for those
		// who may see it.
		if _, err := s.store.Case(ctx, c.v, target); err != nil {
			return store.Watch{}, err
		}
	case store.WatchNetwork:
		if _, err := s.store.Network(ctx, c.v, target); err != nil {
			return store.Watch{}, err
		}
	case store.WatchValue:
		// The value as lookups read it, so that the watch matches what
		// reports name.
		ms, err := report.Interpret(s.x, target, "", "")
		if err != nil {
			return store.Watch{}, &invalidError{[]fieldError{{"/target", err.Error()}}}
		}
		target = string(ms[0].Kind) + ":" + ms[0].Value
	}
	// The store checks the webhook's URL and makes its secret.
	return s.store.AddWatch(ctx, store.Watch{User: c.p.User, Kind: req.Kind, Target: target, WebhookURL: req.WebhookURL})
}

// listWatches answers the caller's watches (without their secrets).
func (s *Server) listWatches(w http.ResponseWriter, r *http.Request) error {
	ws, err := s.store.Watches(r.Context(), callerOf(r).p.User)
	if err != nil {
		return err
	}
	if ws == nil {
		ws = []store.Watch{}
	}
	for i := range ws {
		ws[i].Secret = ""
	}
	return writeJSON(w, http.StatusOK, map[string]any{"watches": ws})
}

// deleteWatch removes one of the caller's watches.
func (s *Server) deleteWatch(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.DeleteWatch(r.Context(), callerOf(r).p.User, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// watchDeliveries answers the delivery log of one of the caller's
// watches: each webhook POST and its attempts.
func (s *Server) watchDeliveries(w http.ResponseWriter, r *http.Request) error {
	limit, err := listLimit(r, 100)
	if err != nil {
		return err
	}
	user, id := callerOf(r).p.User, r.PathValue("id")
	ws, err := s.store.Watches(r.Context(), user)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(ws, func(w store.Watch) bool { return w.ID == id }) {
		return fmt.Errorf("%w: watch %s", ErrNotFound, id)
	}
	ds, err := s.store.Deliveries(r.Context(), user, id, limit)
	if err != nil {
		return err
	}
	if ds == nil {
		ds = []store.Delivery{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"deliveries": ds})
}

// listAlerts answers the caller's alerts, newest first.
func (s *Server) listAlerts(w http.ResponseWriter, r *http.Request) error {
	limit, err := listLimit(r, 100)
	if err != nil {
		return err
	}
	as, err := s.store.Alerts(r.Context(), callerOf(r).p.User, limit)
	if err != nil {
		return err
	}
	if as == nil {
		as = []store.Alert{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"alerts": as})
}

// listLimit reads ?limit= (1 to 500; def when absent).
func listLimit(r *http.Request, def int) (int, error) {
	l := r.URL.Query().Get("limit")
	if l == "" {
		return def, nil
	}
	n, err := strconv.Atoi(l)
	if err != nil || n < 1 || n > 500 {
		return 0, &invalidError{[]fieldError{{"limit", "must be 1 to 500"}}}
	}
	return n, nil
}
