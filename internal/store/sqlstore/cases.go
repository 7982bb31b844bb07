package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"vigil/internal/report"
	"vigil/internal/store"
)

// A case is one row of plain columns (what lists, filters and the
// optimistic lock need) and one sealed value holding everything else:
// names, accounts, messages, demands, notes and the resolved indicators.
// The indicators are also kept as blind-index keys in case_indicators, so
// a report naming a case's value finds the case without the value lying
// in the clear.

const caseColumns = "SELECT c.id, c.status, c.urgency, c.owner_org, c.assignee, c.consent, c.source, c.version, c.created_at, c.updated_at, c.pii FROM cases c"

func caseAAD(id string) []byte { return []byte("case:" + id) }

// caseIndicatorKey is the blind-index key of a case's value.
func (db *DB) caseIndicatorKey(kind, value string) []byte {
	return db.keys.Blind("case-indicator", kind+"\x00"+value)
}

// sealCase seals c but for its plain columns and its evidence, which
// have rows of their own.
func (db *DB) sealCase(c *report.Case) ([]byte, error) {
	p := *c
	p.ID, p.Status, p.Urgency, p.Org, p.Assignee, p.Consent, p.Source = "", "", "", "", "", "", ""
	p.CreatedAt, p.UpdatedAt, p.Version, p.Evidence = time.Time{}, time.Time{}, 0, nil
	b, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	return db.keys.Seal(b, caseAAD(c.ID)), nil
}

// scanCases reads cases and unseals them.
func (db *DB) scanCases(rows *sql.Rows) ([]report.Case, error) {
	defer rows.Close()
	var out []report.Case
	for rows.Next() {
		var c report.Case
		var org, assignee sql.NullString
		var created, updated int64
		var sealed []byte
		if err := rows.Scan(&c.ID, &c.Status, &c.Urgency, &org, &assignee, &c.Consent, &c.Source, &c.Version, &created, &updated, &sealed); err != nil {
			return nil, err
		}
		var p report.Case
		b, err := db.keys.Open(sealed, caseAAD(c.ID))
		if err == nil {
			err = json.Unmarshal(b, &p)
		}
		if err != nil {
			return nil, fmt.Errorf("unseal case %s: %w", c.ID, err)
		}
		p.ID, p.Status, p.Urgency, p.Consent, p.Source, p.Version = c.ID, c.Status, c.Urgency, c.Consent, c.Source, c.Version
		p.Org, p.Assignee = org.String, assignee.String
		p.CreatedAt, p.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
		out = append(out, p)
	}
	return out, rows.Err()
}

// loadCase reads one case, unsealed, without its evidence.
func (db *DB) loadCase(ctx context.Context, q querier, id string) (report.Case, error) {
	rows, err := q.QueryContext(ctx, db.q(caseColumns+" WHERE c.id = ?"), id)
	if err != nil {
		return report.Case{}, err
	}
	cs, err := db.scanCases(rows)
	if err != nil {
		return report.Case{}, err
	}
	if len(cs) == 0 {
		return report.Case{}, store.ErrNotFound
	}
	return cs[0], nil
}

// writeCaseIndex replaces the blind-index keys and the places of a case.
func (db *DB) writeCaseIndex(ctx context.Context, tx *sql.Tx, c *report.Case) error {
	for _, stmt := range []string{"DELETE FROM case_indicators WHERE case_id = ?", "DELETE FROM case_places WHERE case_id = ?"} {
		if _, err := tx.ExecContext(ctx, db.q(stmt), c.ID); err != nil {
			return err
		}
	}
	for _, l := range c.Indicators {
		_, err := tx.ExecContext(ctx, db.q("INSERT INTO case_indicators (case_id, key, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"),
			c.ID, db.caseIndicatorKey(string(l.Kind), l.Value), l.Role)
		if err != nil {
			return err
		}
	}
	for _, p := range c.Places {
		if _, err := tx.ExecContext(ctx, db.q("INSERT INTO case_places (case_id, place_id) VALUES (?, ?) ON CONFLICT DO NOTHING"), c.ID, p); err != nil {
			return err
		}
	}
	return nil
}

// AddCase stores a case, its family's access and its blind-index keys,
// and matches its leads and those of the cases it touches, in one
// transaction.
func (db *DB) AddCase(ctx context.Context, c *report.Case, f store.CaseFiling) (string, []byte, error) {
	var id string
	var replay []byte
	err := db.quietTx(ctx, func(tx *sql.Tx) error {
		var err error
		if f.Idem.Key != "" {
			if id, replay, err = db.priorFiling(ctx, tx, f.Idem); err != nil || replay != nil {
				return err
			}
		}
		c.ID = newID()
		now := time.Now().UTC().Truncate(time.Millisecond)
		c.CreatedAt, c.UpdatedAt, c.Version, c.Evidence = now, now, 1, nil
		id = c.ID
		sealed, err := db.sealCase(c)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO cases (id, status, urgency, owner_org, assignee, consent, source, version, created_at, updated_at, pii)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), c.ID, c.Status, c.Urgency, nullString(c.Org), nullString(c.Assignee),
			c.Consent, c.Source, c.Version, ms(c.CreatedAt), ms(c.UpdatedAt), sealed)
		if err != nil {
			return err
		}
		if f.Family != nil {
			_, err := tx.ExecContext(ctx, db.q("INSERT INTO family_access (token_hash, case_id, code_hash) VALUES (?, ?, ?)"),
				f.Family.TokenHash, c.ID, f.Family.CodeHash)
			if err != nil && isUnique(err) {
				return fmt.Errorf("%w: the family token is in use", store.ErrConflict)
			} else if err != nil {
				return err
			}
		}
		if f.Idem.Key != "" {
			_, err := tx.ExecContext(ctx, db.q("INSERT INTO case_filings (key, request_hash, case_id, answer, created_at) VALUES (?, ?, ?, ?, ?)"),
				f.Idem.Key, f.Idem.Hash, c.ID, db.keys.Seal(f.Answer, []byte(filingAAD(f.Idem.Key))), ms(now))
			if err != nil {
				return err
			}
		}
		if err := db.writeCaseIndex(ctx, tx, c); err != nil {
			return err
		}
		if err := db.audit(ctx, tx, "case.create", c.ID, "status="+c.Status+" source="+c.Source+" org="+c.Org); err != nil {
			return err
		}
		touched, err := db.casesSharing(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		return db.syncCases(ctx, tx, append([]string{c.ID}, touched...))
	})
	if err != nil {
		return "", nil, fmt.Errorf("store: add case: %w", err)
	}
	return id, replay, nil
}

func filingAAD(key string) string { return "case-filing:" + key }

// priorFiling returns the case and answer of an earlier filing with the
// same key and hash (replay nil when there is none), after dropping the
// filings older than a day: their answers hold families' codes.
func (db *DB) priorFiling(ctx context.Context, tx *sql.Tx, idem store.Idempotency) (string, []byte, error) {
	if _, err := tx.ExecContext(ctx, db.q("DELETE FROM case_filings WHERE created_at < ?"), ms(time.Now().Add(-store.FilingTTL))); err != nil {
		return "", nil, err
	}
	var hash, id string
	var sealed []byte
	err := tx.QueryRowContext(ctx, db.q("SELECT request_hash, case_id, answer FROM case_filings WHERE key = ?"), idem.Key).Scan(&hash, &id, &sealed)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", nil, nil
	case err != nil:
		return "", nil, err
	case hash != idem.Hash:
		return "", nil, fmt.Errorf("%w: Idempotency-Key %q was used for another request", store.ErrConflict, idem.Key)
	}
	answer, err := db.keys.Open(sealed, []byte(filingAAD(idem.Key)))
	if err != nil {
		return "", nil, fmt.Errorf("unseal the filing of case %s: %w", id, err)
	}
	if answer == nil {
		answer = []byte{}
	}
	return id, answer, nil
}

// Case returns a case v may see, with its evidence listed; the read is
// audited.
func (db *DB) Case(ctx context.Context, v store.Viewer, id string) (report.Case, error) {
	c, err := db.loadCase(ctx, db.r, id)
	if err == nil && !v.SeesCase(c.Org) {
		err = store.ErrNotFound
	}
	if err == nil {
		c.Evidence, err = db.listEvidence(ctx, db.r, id)
	}
	if err == nil {
		err = db.quietTx(ctx, func(tx *sql.Tx) error { return db.audit(ctx, tx, "case.read", id, "") })
	}
	if err != nil {
		return report.Case{}, fmt.Errorf("store: case %s: %w", id, err)
	}
	return c, nil
}

// CaseByToken returns the case a family's token opens and its code's
// hash; the read is audited as the family's.
func (db *DB) CaseByToken(ctx context.Context, tokenHash string) (report.Case, string, error) {
	var id, code string
	err := db.r.QueryRowContext(ctx, db.q("SELECT case_id, code_hash FROM family_access WHERE token_hash = ?"), tokenHash).Scan(&id, &code)
	if errors.Is(err, sql.ErrNoRows) {
		return report.Case{}, "", fmt.Errorf("store: case by token: %w", store.ErrNotFound)
	}
	var c report.Case
	if err == nil {
		c, err = db.loadCase(ctx, db.r, id)
	}
	if err == nil {
		c.Evidence, err = db.listEvidence(ctx, db.r, id)
	}
	if err != nil {
		return report.Case{}, "", fmt.Errorf("store: case by token: %w", err)
	}
	return c, code, nil
}

// caseVisible is the SQL condition on cases c that v may see, its
// arguments, and false when v may see none (the public).
func caseVisible(v store.Viewer) (string, []any, bool) {
	switch {
	case v.All || v.AllCases:
		return "(1 = 1)", nil, true
	case v.CaseReader && v.Org != "":
		return "c.owner_org = ?", []any{v.Org}, true
	}
	return "", nil, false
}

// Cases lists the cases v may see matching q, most recently updated
// first, a page at a time. The cursor is the last case's update time and
// id. Listing unseals every case listed, so it is audited with their ids.
func (db *DB) Cases(ctx context.Context, v store.Viewer, q store.CaseQuery) ([]report.Case, string, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	q.Limit = min(q.Limit, 500)
	vis, args, ok := caseVisible(v)
	if !ok {
		return []report.Case{}, "", nil
	}
	where := []string{vis}
	if q.Status != "" {
		where = append(where, "c.status = ?")
		args = append(args, q.Status)
	}
	if q.Assignee != "" {
		where = append(where, "c.assignee = ?")
		args = append(args, q.Assignee)
	}
	if q.Place != "" {
		where = append(where, "c.id IN (SELECT case_id FROM case_places WHERE place_id = ?)")
		args = append(args, q.Place)
	}
	if q.Cursor != "" {
		at, id, ok := strings.Cut(q.Cursor, "-")
		t, err := strconv.ParseInt(at, 10, 64)
		if !ok || err != nil || id == "" {
			return nil, "", fmt.Errorf("store: cases: %w: bad cursor", report.ErrInvalid)
		}
		where = append(where, "(c.updated_at < ? OR (c.updated_at = ? AND c.id < ?))")
		args = append(args, t, t, id)
	}
	query := caseColumns + " WHERE " + strings.Join(where, " AND ") + fmt.Sprintf(" ORDER BY c.updated_at DESC, c.id DESC LIMIT %d", q.Limit+1)
	rows, err := db.r.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, "", fmt.Errorf("store: cases: %w", err)
	}
	cs, err := db.scanCases(rows)
	if err != nil {
		return nil, "", fmt.Errorf("store: cases: %w", err)
	}
	next := ""
	if len(cs) > q.Limit {
		cs = cs[:q.Limit]
		last := cs[len(cs)-1]
		next = strconv.FormatInt(ms(last.UpdatedAt), 10) + "-" + last.ID
	}
	if cs == nil {
		cs = []report.Case{}
	}
	if len(cs) > 0 {
		ids := make([]string, len(cs))
		for i := range cs {
			ids[i] = cs[i].ID
		}
		err := db.quietTx(ctx, func(tx *sql.Tx) error { return db.audit(ctx, tx, "case.list", "", strings.Join(ids, " ")) })
		if err != nil {
			return nil, "", fmt.Errorf("store: cases: %w", err)
		}
	}
	return cs, next, nil
}

// UpdateCase replaces a case's fields, provided c.Version is the stored
// version, and matches anew the leads of the case and of every case that
// shared a value or a photo with it before or after the change. The
// creation time and source stay as stored.
func (db *DB) UpdateCase(ctx context.Context, c *report.Case) error {
	err := db.quietTx(ctx, func(tx *sql.Tx) error {
		cur, err := db.loadCase(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if cur.Version != c.Version {
			return fmt.Errorf("%w: the case is at version %d, the update was made on version %d", store.ErrConflict, cur.Version, c.Version)
		}
		before, err := db.casesSharing(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		if !now.After(cur.UpdatedAt) {
			now = cur.UpdatedAt.Add(time.Millisecond)
		}
		next := *c
		next.Version, next.UpdatedAt, next.CreatedAt, next.Source = cur.Version+1, now, cur.CreatedAt, cur.Source
		sealed, err := db.sealCase(&next)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, db.q(`UPDATE cases SET status = ?, urgency = ?, owner_org = ?, assignee = ?, consent = ?, version = ?,
			updated_at = ?, pii = ? WHERE id = ? AND version = ?`), next.Status, next.Urgency, nullString(next.Org), nullString(next.Assignee),
			next.Consent, next.Version, ms(now), sealed, c.ID, c.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("%w: the case changed meanwhile", store.ErrConflict)
		}
		if err := db.writeCaseIndex(ctx, tx, &next); err != nil {
			return err
		}
		detail := []string{"version " + strconv.Itoa(next.Version)}
		for _, ch := range [][3]string{{"status", cur.Status, next.Status}, {"urgency", cur.Urgency, next.Urgency},
			{"org", cur.Org, next.Org}, {"assignee", cur.Assignee, next.Assignee}, {"consent", cur.Consent, next.Consent}} {
			if ch[1] != ch[2] {
				detail = append(detail, ch[0]+" "+ch[1]+" -> "+ch[2])
			}
		}
		if err := db.audit(ctx, tx, "case.update", c.ID, strings.Join(detail, "; ")); err != nil {
			return err
		}
		after, err := db.casesSharing(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if err := db.syncCases(ctx, tx, append(append([]string{c.ID}, before...), after...)); err != nil {
			return err
		}
		c.Version, c.UpdatedAt, c.CreatedAt, c.Source = next.Version, next.UpdatedAt, next.CreatedAt, next.Source
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: update case %s: %w", c.ID, err)
	}
	return nil
}
