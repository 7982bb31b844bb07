package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"vigil/internal/auth"
	"vigil/internal/indicator"
	"vigil/internal/report"
	"vigil/internal/store"
)

// DisputeUpheld is the known-good reason of a value whose dispute was
// upheld.
const DisputeUpheld = "dispute upheld"

const disputeColumns = "id, kind, value, pii, status, outcome, created_at, resolved_at, resolved_by"

type disputePII struct {
	Reason  string `json:"r,omitempty"`
	Contact string `json:"c,omitempty"`
}

func (db *DB) sealDispute(d store.Dispute) []byte {
	b, _ := json.Marshal(disputePII{d.Reason, d.Contact}) // strings marshal without error
	return db.keys.Seal(b, []byte("dispute:"+d.ID))
}

// AddDispute files a dispute. It is taken for any value, listed or not,
// so that filing one does not tell whether hidden reports name it.
func (db *DB) AddDispute(ctx context.Context, d store.Dispute) (store.Dispute, error) {
	d.ID = newID()
	d.Status = store.DisputeOpen
	d.CreatedAt = time.Now().UTC().Truncate(time.Millisecond)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, db.q("INSERT INTO disputes (id, kind, value, pii, status, created_at) VALUES (?, ?, ?, ?, ?, ?)"),
			d.ID, string(d.Kind), d.Value, db.sealDispute(d), d.Status, ms(d.CreatedAt))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q("UPDATE indicators SET disputed = 1 WHERE kind = ? AND value = ?"), string(d.Kind), d.Value); err != nil {
			return err
		}
		if err := db.audit(ctx, tx, "dispute.create", d.ID, string(d.Kind)+" "+d.Value); err != nil {
			return err
		}
		return db.syncNaming(ctx, tx, []store.Key{{Kind: d.Kind, Value: d.Value}})
	})
	if err != nil {
		return d, fmt.Errorf("store: add dispute: %w", err)
	}
	return d, nil
}

func (db *DB) scanDisputes(ctx context.Context, q querier, query string, args ...any) ([]store.Dispute, error) {
	rows, err := q.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.Dispute{}
	for rows.Next() {
		var d store.Dispute
		var kind string
		var sealed []byte
		var outcome, by sql.NullString
		var created int64
		var resolved sql.NullInt64
		if err := rows.Scan(&d.ID, &kind, &d.Value, &sealed, &d.Status, &outcome, &created, &resolved, &by); err != nil {
			return nil, err
		}
		d.Kind, d.Outcome, d.ResolvedBy = indicator.Kind(kind), outcome.String, by.String
		d.CreatedAt = time.UnixMilli(created).UTC()
		if resolved.Valid {
			t := fromMS(resolved)
			d.ResolvedAt = &t
		}
		if len(sealed) > 0 {
			b, err := db.keys.Open(sealed, []byte("dispute:"+d.ID))
			if err != nil {
				return nil, fmt.Errorf("unseal dispute %s: %w", d.ID, err)
			}
			var p disputePII
			if err := json.Unmarshal(b, &p); err != nil {
				return nil, fmt.Errorf("unseal dispute %s: %w", d.ID, err)
			}
			d.Reason, d.Contact = p.Reason, p.Contact
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Dispute returns one dispute.
func (db *DB) Dispute(ctx context.Context, id string) (store.Dispute, error) {
	ds, err := db.scanDisputes(ctx, db.r, "SELECT "+disputeColumns+" FROM disputes WHERE id = ?", id)
	if err != nil {
		return store.Dispute{}, fmt.Errorf("store: dispute %s: %w", id, err)
	}
	if len(ds) == 0 {
		return store.Dispute{}, fmt.Errorf("store: dispute %s: %w", id, store.ErrNotFound)
	}
	return ds[0], nil
}

// Disputes lists disputes with a status (all when empty), newest first.
func (db *DB) Disputes(ctx context.Context, status string, limit int) ([]store.Dispute, error) {
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	query := "SELECT " + disputeColumns + " FROM disputes"
	var args []any
	if status != "" {
		query += " WHERE status = ?"
		args = append(args, status)
	}
	ds, err := db.scanDisputes(ctx, db.r, query+fmt.Sprintf(" ORDER BY id DESC LIMIT %d", limit), args...)
	if err != nil {
		return nil, fmt.Errorf("store: disputes: %w", err)
	}
	return ds, nil
}

// ResolveDispute closes an open dispute; upheld, the value becomes
// known-good and stops connecting reports.
func (db *DB) ResolveDispute(ctx context.Context, id string, upheld bool, note string) (store.Dispute, error) {
	var d store.Dispute
	err := db.tx(ctx, func(tx *sql.Tx) error {
		ds, err := db.scanDisputes(ctx, tx, "SELECT "+disputeColumns+" FROM disputes WHERE id = ?", id)
		if err != nil {
			return err
		}
		if len(ds) == 0 {
			return store.ErrNotFound
		}
		d = ds[0]
		if d.Status != store.DisputeOpen {
			return fmt.Errorf("%w: the dispute is %s already", store.ErrConflict, d.Status)
		}
		d.Status, d.Outcome = store.DisputeRejected, note
		if upheld {
			d.Status = store.DisputeUpheld
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		d.ResolvedAt, d.ResolvedBy = &now, store.Actor(ctx)
		_, err = tx.ExecContext(ctx, db.q("UPDATE disputes SET status = ?, outcome = ?, resolved_at = ?, resolved_by = ? WHERE id = ?"),
			d.Status, note, ms(now), d.ResolvedBy, id)
		if err != nil {
			return err
		}
		var open int
		if err := tx.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM disputes WHERE kind = ? AND value = ? AND status = 'open'"), string(d.Kind), d.Value).Scan(&open); err != nil {
			return err
		}
		if upheld {
			ind, networked, err := db.markKnownGood(ctx, tx, store.Key{Kind: d.Kind, Value: d.Value}, DisputeUpheld)
			if err != nil {
				return err
			}
			if networked {
				if err := db.relabelAround(ctx, tx, []int64{ind}, nil); err != nil {
					return err
				}
			}
		}
		if _, err := tx.ExecContext(ctx, db.q("UPDATE indicators SET disputed = ? WHERE kind = ? AND value = ?"), b2i(open > 0), string(d.Kind), d.Value); err != nil {
			return err
		}
		if err := db.audit(ctx, tx, "dispute.resolve", id, d.Status+": "+note); err != nil {
			return err
		}
		return db.syncNaming(ctx, tx, []store.Key{{Kind: d.Kind, Value: d.Value}})
	})
	if err != nil {
		return d, fmt.Errorf("store: resolve dispute %s: %w", id, err)
	}
	return d, nil
}

// ReportStats breaks the TLP:CLEAR, counting reports down by one field.
func (db *DB) ReportStats(ctx context.Context, by string) ([]auth.Bucket, error) {
	col := map[string]string{"scam_type": "scam_type", "channel": "channel", "victim_country": "victim_country"}[by]
	if col == "" {
		return nil, fmt.Errorf("store: report stats: %w: cannot break down by %q", report.ErrInvalid, by)
	}
	rows, err := db.r.QueryContext(ctx, fmt.Sprintf(`SELECT COALESCE(%s, ''), COUNT(*), COUNT(DISTINCT reporter), COUNT(DISTINCT reporter_net)
		FROM reports WHERE tlp = 'CLEAR' AND status <> 'rejected' GROUP BY 1 ORDER BY 2 DESC, 1`, col))
	if err != nil {
		return nil, fmt.Errorf("store: report stats: %w", err)
	}
	defer rows.Close()
	out := []auth.Bucket{}
	for rows.Next() {
		var b auth.Bucket
		var accounts, networks int
		if err := rows.Scan(&b.Key, &b.Count, &accounts, &networks); err != nil {
			return nil, err
		}
		b.People = min(accounts, networks)
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
