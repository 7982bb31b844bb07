package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"vigil/internal/auth"
	"vigil/internal/store"
)

// audit appends an event to the hash-chained audit log in tx, attributed
// to the actor of ctx. Writers are serialised (one SQLite writer, the
// advisory lock on PostgreSQL), so the chain's head cannot move under it.
func (db *DB) audit(ctx context.Context, tx *sql.Tx, action, target, detail string) error {
	var seq int64
	var prev []byte
	err := tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").Scan(&seq, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("audit: %w", err)
	}
	e := auth.AuditEvent{Seq: seq + 1, At: time.Now().UTC().Truncate(time.Millisecond), Actor: store.Actor(ctx),
		Action: action, Target: target, Detail: detail, Prev: prev}
	e.Hash = auth.ChainHash(db.keys.AuditKey(), prev, e)
	_, err = tx.ExecContext(ctx, db.q("INSERT INTO audit_log (seq, at, actor, action, target, detail, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
		e.Seq, ms(e.At), e.Actor, e.Action, e.Target, e.Detail, e.Prev, e.Hash)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// AppendAudit records an event that changes nothing else: a read of
// personal data.
func (db *DB) AppendAudit(ctx context.Context, action, target, detail string) error {
	err := db.quietTx(ctx, func(tx *sql.Tx) error { return db.audit(ctx, tx, action, target, detail) })
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// AuditLog lists events after seq, oldest first.
func (db *DB) AuditLog(ctx context.Context, after int64, limit int) ([]auth.AuditEvent, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := db.r.QueryContext(ctx, db.q(fmt.Sprintf("SELECT seq, at, actor, action, target, detail, prev, hash FROM audit_log WHERE seq > ? ORDER BY seq LIMIT %d", limit)), after)
	if err != nil {
		return nil, fmt.Errorf("store: audit log: %w", err)
	}
	defer rows.Close()
	out := []auth.AuditEvent{}
	for rows.Next() {
		var e auth.AuditEvent
		var at int64
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.Prev, &e.Hash); err != nil {
			return nil, fmt.Errorf("store: audit log: %w", err)
		}
		e.At = time.UnixMilli(at).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// VerifyAudit checks the whole chain in order and returns the number of
// events. A row given another place has another seq, which its hash
// covers.
func (db *DB) VerifyAudit(ctx context.Context) (int64, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT seq, at, actor, action, target, detail, prev, hash FROM audit_log ORDER BY seq")
	if err != nil {
		return 0, fmt.Errorf("store: verify audit log: %w", err)
	}
	defer rows.Close()
	var events []auth.AuditEvent
	for rows.Next() {
		var e auth.AuditEvent
		var at int64
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.Prev, &e.Hash); err != nil {
			return 0, fmt.Errorf("store: verify audit log: %w", err)
		}
		e.At = time.UnixMilli(at).UTC()
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("store: verify audit log: %w", err)
	}
	if err := auth.VerifyChain(db.keys.AuditKey(), events); err != nil {
		return int64(len(events)), err
	}
	return int64(len(events)), nil
}
