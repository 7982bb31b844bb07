package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"vigil/internal/indicator"
	"vigil/internal/report"
	"vigil/internal/store"
)

// Limits on what a watch may hold.
const (
	maxWatchTarget = 2048
	maxWebhookURL  = 2048
	minSecret      = 16
	maxSecret      = 256
)

// deliveryLease is how long DueDeliveries holds a delivery it handed out:
// another server sharing the store does not send it meanwhile, and a
// sender that dies mid-send leaves it to be sent again after the lease.
// It is well above the sender's 10 s timeout.
const deliveryLease = 2 * time.Minute

func watchSecretAAD(id string) string { return "watch:" + id }
func watchTargetAAD(id string) string { return "watch-target:" + id }

// valueKey is the blind index of a watched value: events find value
// watches by it, without the value lying in the clear.
func (db *DB) valueKey(kind indicator.Kind, value string) string {
	return hex.EncodeToString(db.keys.Blind("watch-value", string(kind)+"\x00"+value))
}

// checkWatch validates a new watch, naming every invalid field.
func checkWatch(w *store.Watch) error {
	var fe []report.FieldError
	bad := func(p, f string, a ...any) {
		fe = append(fe, report.FieldError{Pointer: p, Detail: fmt.Sprintf(f, a...)})
	}
	w.Target = strings.TrimSpace(w.Target)
	switch {
	case w.Kind != store.WatchCase && w.Kind != store.WatchNetwork && w.Kind != store.WatchValue:
		bad("/kind", "must be %q, %q or %q", store.WatchCase, store.WatchNetwork, store.WatchValue)
	case w.Target == "":
		bad("/target", "is required")
	case len(w.Target) > maxWatchTarget:
		bad("/target", "is longer than %d bytes", maxWatchTarget)
	case w.Kind == store.WatchValue:
		kind, value, _ := strings.Cut(w.Target, ":")
		if k, err := indicator.ParseKind(kind); err != nil || string(k) != kind || value == "" {
			bad("/target", "must be kind:value, such as wechat:wxid_abc123")
		}
	}
	if w.WebhookURL != "" {
		u, err := url.Parse(w.WebhookURL)
		switch {
		case len(w.WebhookURL) > maxWebhookURL:
			bad("/webhook_url", "is longer than %d bytes", maxWebhookURL)
		case err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Hostname() == "" || u.Opaque != "":
			bad("/webhook_url", "must be an absolute http or https URL with a host")
		case u.User != nil:
			// It would lie in the clear in the store and the delivery log;
			// the signature is how a receiver knows the sender.
			bad("/webhook_url", "must not hold credentials: verify the signature instead")
		}
		if w.Secret != "" && (len(w.Secret) < minSecret || len(w.Secret) > maxSecret) {
			bad("/secret", "must be %d to %d bytes long", minSecret, maxSecret)
		}
	} else if w.Secret != "" {
		bad("/secret", "is only for a webhook")
	}
	if len(fe) > 0 {
		return &report.ValidationError{Fields: fe}
	}
	return nil
}

// AddWatch stores a watch. The caller has checked that w.User may see the
// target. A value watch keeps its value sealed and matches on a blind
// index; a network watch anchors on a report of the network (ErrNotFound
// when it has none), so that it follows the network through merges. With
// a webhook and no secret, a random one is made and returned in
// Watch.Secret, this once.
func (db *DB) AddWatch(ctx context.Context, w store.Watch) (store.Watch, error) {
	if err := checkWatch(&w); err != nil {
		return w, fmt.Errorf("store: add watch: %w", err)
	}
	w.ID = newID()
	w.CreatedAt = time.Now().UTC().Truncate(time.Millisecond)
	if w.WebhookURL != "" && w.Secret == "" {
		b := make([]byte, 32)
		rand.Read(b)
		w.Secret = hex.EncodeToString(b)
	}
	key, target := w.Target, []byte(nil)
	if w.Kind == store.WatchValue {
		kind, value, _ := strings.Cut(w.Target, ":")
		key, target = db.valueKey(indicator.Kind(kind), value), db.keys.SealString(w.Target, watchTargetAAD(w.ID))
	}
	detail := w.Kind
	if w.Kind != store.WatchValue {
		detail += " " + w.Target
	}
	err := db.quietTx(ctx, func(tx *sql.Tx) error {
		var anchor any
		if w.Kind == store.WatchNetwork {
			var id string
			err := tx.QueryRowContext(ctx, db.q("SELECT id FROM reports WHERE network_id = ? ORDER BY seq LIMIT 1"), w.Target).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("network %s: %w", w.Target, store.ErrNotFound)
			} else if err != nil {
				return err
			}
			anchor = id
		}
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO watches (id, user_id, kind, target_key, target, anchor, webhook_url, secret, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), w.ID, w.User, w.Kind, key, target, anchor, nullString(w.WebhookURL),
			db.keys.SealString(w.Secret, watchSecretAAD(w.ID)), ms(w.CreatedAt))
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, "watch.create", w.ID, detail)
	})
	if err != nil {
		return w, fmt.Errorf("store: add watch: %w", err)
	}
	return w, nil
}

// Watches lists a user's watches, oldest first. A network watch shows the
// network its anchor is in now, which a merge may have relabelled.
func (db *DB) Watches(ctx context.Context, user string) ([]store.Watch, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT w.id, w.user_id, w.kind, w.target_key, w.target, r.network_id, w.webhook_url, w.created_at
		FROM watches w LEFT JOIN reports r ON r.id = w.anchor WHERE w.user_id = ? ORDER BY w.id`), user)
	if err != nil {
		return nil, fmt.Errorf("store: watches: %w", err)
	}
	defer rows.Close()
	out := []store.Watch{}
	for rows.Next() {
		var w store.Watch
		var sealed []byte
		var network, hook sql.NullString
		var created int64
		if err := rows.Scan(&w.ID, &w.User, &w.Kind, &w.Target, &sealed, &network, &hook, &created); err != nil {
			return nil, fmt.Errorf("store: watches: %w", err)
		}
		switch {
		case w.Kind == store.WatchValue:
			if w.Target, err = db.keys.OpenString(sealed, watchTargetAAD(w.ID)); err != nil {
				return nil, fmt.Errorf("store: watches: unseal watch %s: %w", w.ID, err)
			}
		case w.Kind == store.WatchNetwork && network.Valid:
			w.Target = network.String
		}
		w.WebhookURL, w.CreatedAt = hook.String, time.UnixMilli(created).UTC()
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: watches: %w", err)
	}
	return out, nil
}

// DeleteWatch removes a user's watch with its alerts and delivery log;
// ErrNotFound when it is not theirs.
func (db *DB) DeleteWatch(ctx context.Context, user, id string) error {
	err := db.quietTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q("DELETE FROM watches WHERE id = ? AND user_id = ?"), id, user)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return db.audit(ctx, tx, "watch.delete", id, "")
	})
	if err != nil {
		return fmt.Errorf("store: delete watch %s: %w", id, err)
	}
	return nil
}

// listLimit bounds a list: default 50, at most 500.
func listLimit(limit int) int {
	if limit <= 0 {
		return 50
	}
	return min(limit, 500)
}

// Alerts lists a user's alerts, newest first.
func (db *DB) Alerts(ctx context.Context, user string, limit int) ([]store.Alert, error) {
	rows, err := db.r.QueryContext(ctx, db.q(fmt.Sprintf(`SELECT id, watch_id, event, case_id, lead_id, lead_kind, report_id, network_id, created_at
		FROM alerts WHERE user_id = ? ORDER BY id DESC LIMIT %d`, listLimit(limit))), user)
	if err != nil {
		return nil, fmt.Errorf("store: alerts: %w", err)
	}
	defer rows.Close()
	out := []store.Alert{}
	for rows.Next() {
		var a store.Alert
		var c, l, lk, r, n sql.NullString
		var created int64
		if err := rows.Scan(&a.ID, &a.Watch, &a.Event, &c, &l, &lk, &r, &n, &created); err != nil {
			return nil, fmt.Errorf("store: alerts: %w", err)
		}
		a.Case, a.Lead, a.LeadKind, a.Report, a.Network = c.String, l.String, lk.String, r.String, n.String
		a.CreatedAt = time.UnixMilli(created).UTC()
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: alerts: %w", err)
	}
	return out, nil
}

const deliveryColumns = `SELECT d.id, d.alert_id, d.watch_id, w.webhook_url, d.status, d.attempts, d.last_code, d.last_error,
	d.next_at, d.delivered_at, d.created_at FROM deliveries d JOIN watches w ON w.id = d.watch_id`

func scanDelivery(rows *sql.Rows, extra ...any) (store.Delivery, error) {
	var d store.Delivery
	var hook, lastErr sql.NullString
	var code, next, delivered sql.NullInt64
	var created int64
	dest := append([]any{&d.ID, &d.Alert, &d.Watch, &hook, &d.Status, &d.Attempts, &code, &lastErr, &next, &delivered, &created}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return d, err
	}
	d.URL, d.LastCode, d.LastError = hook.String, int(code.Int64), lastErr.String
	if next.Valid {
		t := fromMS(next)
		d.NextAt = &t
	}
	if delivered.Valid {
		t := fromMS(delivered)
		d.DeliveredAt = &t
	}
	d.CreatedAt = time.UnixMilli(created).UTC()
	return d, nil
}

// Deliveries lists the webhook deliveries of a user's watch, newest
// first; ErrNotFound when the watch is not theirs.
func (db *DB) Deliveries(ctx context.Context, user, watchID string, limit int) ([]store.Delivery, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM watches WHERE id = ? AND user_id = ?"), watchID, user).Scan(&n); err != nil {
		return nil, fmt.Errorf("store: deliveries of %s: %w", watchID, err)
	}
	if n == 0 {
		return nil, fmt.Errorf("store: deliveries of %s: %w", watchID, store.ErrNotFound)
	}
	rows, err := db.r.QueryContext(ctx, db.q(fmt.Sprintf(deliveryColumns+" WHERE d.watch_id = ? ORDER BY d.id DESC LIMIT %d", listLimit(limit))), watchID)
	if err != nil {
		return nil, fmt.Errorf("store: deliveries of %s: %w", watchID, err)
	}
	defer rows.Close()
	out := []store.Delivery{}
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, fmt.Errorf("store: deliveries of %s: %w", watchID, err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: deliveries of %s: %w", watchID, err)
	}
	return out, nil
}

// DueDeliveries returns the pending deliveries due at now, oldest due
// first, with their bodies and unsealed secrets. It claims them for
// deliveryLease (their next_at moves on by it), so that servers sharing
// the store do not send the same delivery at once; RecordDelivery then
// sets the outcome.
func (db *DB) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]store.PendingDelivery, error) {
	var out []store.PendingDelivery
	err := db.quietTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, db.q(fmt.Sprintf(strings.Replace(deliveryColumns, " FROM", ", d.body, w.secret FROM", 1)+
			" WHERE d.status = 'pending' AND d.next_at <= ? ORDER BY d.next_at, d.id LIMIT %d", listLimit(limit))), ms(now))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p store.PendingDelivery
			var sealed []byte
			if p.Delivery, err = scanDelivery(rows, &p.Body, &sealed); err != nil {
				return err
			}
			secret, err := db.keys.OpenString(sealed, watchSecretAAD(p.Watch))
			if err != nil {
				return fmt.Errorf("unseal the secret of watch %s: %w", p.Watch, err)
			}
			p.Secret = []byte(secret)
			out = append(out, p)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		lease := now.Add(deliveryLease)
		for i := range out {
			if _, err := tx.ExecContext(ctx, db.q("UPDATE deliveries SET next_at = ? WHERE id = ?"), ms(lease), out[i].ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: due deliveries: %w", err)
	}
	return out, nil
}

// RecordDelivery records one attempt of a pending delivery: delivered
// when it had no error and a 2xx answer; else pending again at next, or
// failed when next is zero. ErrNotFound when there is no such delivery,
// ErrConflict when it is no longer pending.
func (db *DB) RecordDelivery(ctx context.Context, id string, a store.Attempt, next time.Time) error {
	at := a.At
	if at.IsZero() {
		at = time.Now()
	}
	status, nextAt, deliveredAt := "pending", any(nil), any(nil)
	switch {
	case a.Error == "" && a.Code >= 200 && a.Code <= 299:
		status, deliveredAt = "delivered", ms(at)
	case next.IsZero():
		status = "failed"
	default:
		nextAt = ms(next)
	}
	lastErr := a.Error
	if len(lastErr) > 500 {
		lastErr = lastErr[:500]
	}
	err := db.quietTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE deliveries SET attempts = attempts + 1, last_code = ?, last_error = ?, status = ?,
			next_at = ?, delivered_at = ? WHERE id = ? AND status = 'pending'`), a.Code, nullString(lastErr), status, nextAt, deliveredAt, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return nil
		}
		var st string
		err = tx.QueryRowContext(ctx, db.q("SELECT status FROM deliveries WHERE id = ?"), id).Scan(&st)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		} else if err != nil {
			return err
		}
		return fmt.Errorf("%w: the delivery is %s already", store.ErrConflict, st)
	})
	if err != nil {
		return fmt.Errorf("store: record delivery %s: %w", id, err)
	}
	return nil
}

// resealWatches re-seals the watches' values and secrets under the
// current key and recomputes the value watches' blind keys, which hang
// on it (RotateData).
func (db *DB) resealWatches(ctx context.Context) (int, error) {
	n := 0
	err := db.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT id, kind, target, secret FROM watches WHERE target IS NOT NULL OR secret IS NOT NULL")
		if err != nil {
			return err
		}
		type sealedWatch struct {
			id, kind       string
			target, secret []byte
		}
		var ws []sealedWatch
		for rows.Next() {
			var w sealedWatch
			if err := rows.Scan(&w.id, &w.kind, &w.target, &w.secret); err != nil {
				rows.Close()
				return err
			}
			ws = append(ws, w)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, w := range ws {
			target, err := db.keys.OpenString(w.target, watchTargetAAD(w.id))
			if err != nil {
				return fmt.Errorf("unseal watch %s: %w", w.id, err)
			}
			secret, err := db.keys.OpenString(w.secret, watchSecretAAD(w.id))
			if err != nil {
				return fmt.Errorf("unseal watch %s: %w", w.id, err)
			}
			if w.kind == store.WatchValue {
				kind, value, _ := strings.Cut(target, ":")
				_, err = tx.ExecContext(ctx, db.q("UPDATE watches SET target_key = ?, target = ? WHERE id = ?"),
					db.valueKey(indicator.Kind(kind), value), db.keys.SealString(target, watchTargetAAD(w.id)), w.id)
				if err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, db.q("UPDATE watches SET secret = ? WHERE id = ?"), db.keys.SealString(secret, watchSecretAAD(w.id)), w.id); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
