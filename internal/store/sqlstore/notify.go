package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"vigil/internal/report"
	"vigil/internal/store"
)

// event is a change that watches may be waiting for. The write that makes
// it calls emit in its own transaction, so an alert exists exactly when
// its change does.
type event struct {
	Name     string // "lead.new", "lead.gone", "report.new"
	Case     string // lead events: the case
	Lead     string // lead events: the lead's id
	LeadKind string
	Report   string // report.new: the report, its network and its values
	Network  string
	Values   []store.Key
}

// AlertType is the "type" of every webhook body.
const AlertType = "vigil.alert"

// alertBody is what a webhook receives: the alert, ids only, and its type.
type alertBody struct {
	Type string `json:"type"`
	store.Alert
}

// watchHit is a watch an event concerns.
type watchHit struct {
	id, user string
	hook     bool
}

// emit turns an event into alerts for the watches it concerns and, for
// watches with a webhook, into pending deliveries due now. A watch gets
// one alert per event however many of its values the event names.
func (db *DB) emit(ctx context.Context, tx *sql.Tx, e event) error {
	hits, err := db.watchesFor(ctx, tx, e)
	if err == nil && e.Name == "report.new" && len(hits) > 0 {
		hits, err = db.mayHear(ctx, tx, e.Report, hits)
	}
	if err != nil {
		return fmt.Errorf("emit %s: %w", e.Name, err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	for _, h := range hits {
		a := store.Alert{ID: newID(), Watch: h.id, Event: e.Name, Case: e.Case, Lead: e.Lead, LeadKind: e.LeadKind,
			Report: e.Report, Network: e.Network, CreatedAt: now}
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO alerts (id, watch_id, user_id, event, case_id, lead_id, lead_kind, report_id, network_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), a.ID, a.Watch, h.user, a.Event, nullString(a.Case), nullString(a.Lead),
			nullString(a.LeadKind), nullString(a.Report), nullString(a.Network), ms(now))
		if err != nil {
			return fmt.Errorf("emit %s: %w", e.Name, err)
		}
		if !h.hook {
			continue
		}
		body, err := json.Marshal(alertBody{Type: AlertType, Alert: a})
		if err != nil {
			return fmt.Errorf("emit %s: %w", e.Name, err)
		}
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO deliveries (id, alert_id, watch_id, status, attempts, next_at, created_at, body)
			VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)`), newID(), a.ID, a.Watch, ms(now), ms(now), body)
		if err != nil {
			return fmt.Errorf("emit %s: %w", e.Name, err)
		}
	}
	return nil
}

// watchesFor lists the watches e concerns, each once: for a
// lead event the watches of its case; for a new report the watches of
// its network (by their anchor's current network, else the label they
// were made with) and of its values (by blind key).
func (db *DB) watchesFor(ctx context.Context, tx *sql.Tx, e event) ([]watchHit, error) {
	type query struct {
		sql  string
		args []any
	}
	const cols = "SELECT w.id, w.user_id, w.webhook_url IS NOT NULL FROM watches w"
	var qs []query
	switch e.Name {
	case "lead.new", "lead.gone":
		if e.Case != "" {
			qs = append(qs, query{cols + " WHERE w.kind = 'case' AND w.target_key = ?", []any{e.Case}})
		}
	case "report.new":
		if e.Network != "" {
			qs = append(qs, query{cols + ` LEFT JOIN reports r ON r.id = w.anchor
				WHERE w.kind = 'network' AND COALESCE(r.network_id, w.target_key) = ?`, []any{e.Network}})
		}
		for start := 0; start < len(e.Values); start += 500 {
			var args []any
			for _, k := range e.Values[start:min(start+500, len(e.Values))] {
				args = append(args, db.valueKey(k.Kind, k.Value))
			}
			in := strings.Repeat("?, ", len(args)-1) + "?"
			qs = append(qs, query{cols + " WHERE w.kind = 'value' AND w.target_key IN (" + in + ")", args})
		}
	default:
		return nil, fmt.Errorf("unknown event %q", e.Name)
	}
	seen := map[string]bool{}
	var hits []watchHit
	for _, q := range qs {
		rows, err := tx.QueryContext(ctx, db.q(q.sql+" ORDER BY w.id"), q.args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var h watchHit
			if err := rows.Scan(&h.id, &h.user, &h.hook); err != nil {
				rows.Close()
				return nil, err
			}
			if !seen[h.id] {
				seen[h.id] = true
				hits = append(hits, h)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return hits, nil
}

// mayHear keeps the watches whose owners may see report id: an alert
// naming a report the watcher may not read would tell them that a hidden
// report names their value or joined their network. A watcher sees
// reports as the API shows them to it: by its organisation (an account's,
// or an API key's), and its own.
func (db *DB) mayHear(ctx context.Context, tx *sql.Tx, id string, hits []watchHit) ([]watchHit, error) {
	var tlp string
	var org, author sql.NullString
	err := tx.QueryRowContext(ctx, db.q("SELECT tlp, owner_org, author FROM reports WHERE id = ?"), id).Scan(&tlp, &org, &author)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if tlp == report.TLPClear {
		return hits, nil
	}
	var out []watchHit
	sees := map[string]bool{}
	for _, h := range hits {
		ok, known := sees[h.user]
		if !known {
			v, err := db.watcher(ctx, tx, h.user)
			if err != nil {
				return nil, err
			}
			ok = v.Sees(tlp, org.String, author.String)
			sees[h.user] = ok
		}
		if ok {
			out = append(out, h)
		}
	}
	return out, nil
}

// watcher is how the owner of a watch sees reports: an account ("ID") or
// an API key ("key:ID"), with its organisation and the organisations
// whose TLP:AMBER reports it sees.
func (db *DB) watcher(ctx context.Context, tx *sql.Tx, user string) (store.Viewer, error) {
	v := store.Viewer{User: user}
	query := "SELECT org FROM users WHERE id = ?"
	id := user
	if k, ok := strings.CutPrefix(user, "key:"); ok {
		query, id = "SELECT org FROM api_keys WHERE id = ? AND revoked_at IS NULL", k
	}
	var org sql.NullString
	err := tx.QueryRowContext(ctx, db.q(query), id).Scan(&org)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !org.Valid {
		return v, nil
	} else if err != nil {
		return v, err
	}
	v.Org, v.Member = org.String, true
	v.AmberOrgs, err = db.amberOrgs(ctx, tx, org.String)
	return v, err
}
