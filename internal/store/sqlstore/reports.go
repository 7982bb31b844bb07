package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"vigil/internal/indicator"
	"vigil/internal/report"
	"vigil/internal/store"
)

// AddReport stores a report with its links, counts it for its indicators
// and joins it to its network, in one transaction.
func (db *DB) AddReport(ctx context.Context, r *report.Report, idem store.Idempotency) (string, bool, error) {
	var id string
	var created bool
	var written []keyID
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		written = written[:0]
		id, created, err = db.addReport(ctx, tx, r, idem, &written)
		return err
	})
	if err != nil {
		return "", false, fmt.Errorf("store: add report: %w", err)
	}
	db.index.add(written)
	return id, created, nil
}

// addReport stores r in tx; the indicator rows it writes are appended to
// written, for the key index once the transaction commits.
func (db *DB) addReport(ctx context.Context, tx *sql.Tx, r *report.Report, idem store.Idempotency, written *[]keyID) (string, bool, error) {
	if idem.Key != "" {
		var hash, rid string
		err := tx.QueryRowContext(ctx, db.q("SELECT request_hash, report_id FROM idempotency WHERE key = ?"), idem.Key).Scan(&hash, &rid)
		switch {
		case err == nil && hash == idem.Hash:
			return rid, false, nil
		case err == nil:
			return "", false, fmt.Errorf("%w: Idempotency-Key %q was used for another request", store.ErrConflict, idem.Key)
		case !errors.Is(err, sql.ErrNoRows):
			return "", false, err
		}
	}
	if r.ImportKey != "" {
		var rid string
		err := tx.QueryRowContext(ctx, db.q("SELECT id FROM reports WHERE import_key = ?"), r.ImportKey).Scan(&rid)
		if err == nil {
			return rid, false, nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return "", false, err
		}
	}
	if r.ID == "" {
		r.ID = newID()
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = time.Now()
	}
	r.CreatedAt = r.CreatedAt.UTC().Truncate(time.Millisecond)
	var lossAmount, lossCur, occurred, imp any
	if r.Loss != nil {
		lossAmount, lossCur = r.Loss.Amount, r.Loss.Currency
	}
	if r.OccurredAt != nil {
		occurred = ms(*r.OccurredAt)
	}
	if r.ImportKey != "" {
		imp = r.ImportKey
	}
	var seq int64
	err := tx.QueryRowContext(ctx, db.q(`INSERT INTO reports (id, kind, scam_type, channel, narrative, loss_amount, loss_currency,
		occurred_at, victim_country, language, status, reporter, source, import_key, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`),
		r.ID, r.Kind, r.ScamType, r.Channel, r.Narrative, lossAmount, lossCur, occurred, nullString(r.VictimCountry),
		nullString(r.Language), r.Status, r.Reporter, r.Source, imp, ms(r.CreatedAt)).Scan(&seq)
	if err != nil {
		return "", false, err
	}
	if !db.postgres {
		if _, err := tx.ExecContext(ctx, "INSERT INTO reports_fts (rowid, narrative) VALUES (?, ?)", seq, r.Narrative); err != nil {
			return "", false, err
		}
	}
	var connecting []int64
	var flipped []int64
	for _, l := range r.Indicators {
		ind, err := db.upsertIndicator(ctx, tx, l.Kind, l.Value, l.KnownGood)
		if err != nil {
			return "", false, err
		}
		*written = append(*written, keyID{l.Kind, l.Value, ind.id})
		_, err = tx.ExecContext(ctx, db.q("INSERT INTO report_indicators (report_seq, indicator_id, role, origin, raw) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"),
			seq, ind.id, l.Role, l.Origin, nullString(l.Raw))
		if err != nil {
			return "", false, err
		}
		if !report.Counts(r.Status, l.Role) {
			continue
		}
		became, err := db.count(ctx, tx, ind.id, r.Reporter, r.ScamType, r.CreatedAt)
		if err != nil {
			return "", false, err
		}
		switch {
		case became:
			flipped = append(flipped, ind.id)
		case ind.knownGood == "" && !ind.overCommon:
			connecting = append(connecting, ind.id)
		}
	}
	if r.Status != report.StatusRejected {
		if err := db.join(ctx, tx, seq, connecting); err != nil {
			return "", false, err
		}
	}
	if len(flipped) > 0 {
		if err := db.relabelAround(ctx, tx, flipped, nil); err != nil {
			return "", false, err
		}
	}
	if idem.Key != "" {
		_, err := tx.ExecContext(ctx, db.q("INSERT INTO idempotency (key, request_hash, report_id, created_at) VALUES (?, ?, ?, ?)"),
			idem.Key, idem.Hash, r.ID, ms(time.Now()))
		if err != nil {
			return "", false, err
		}
	}
	return r.ID, true, nil
}

type indicatorRow struct {
	id         int64
	knownGood  string
	overCommon bool
}

// upsertIndicator returns the indicator (kind, value), creating it if new.
// knownGood, when set, marks it known-good.
func (db *DB) upsertIndicator(ctx context.Context, tx *sql.Tx, kind indicator.Kind, value, knownGood string) (indicatorRow, error) {
	var row indicatorRow
	var kg sql.NullString
	var oc int
	err := tx.QueryRowContext(ctx, db.q(`INSERT INTO indicators (kind, value, known_good) VALUES (?, ?, ?)
		ON CONFLICT (kind, value) DO UPDATE SET known_good = COALESCE(indicators.known_good, excluded.known_good)
		RETURNING id, known_good, over_common`), string(kind), value, nullString(knownGood)).Scan(&row.id, &kg, &oc)
	row.knownGood, row.overCommon = kg.String, oc != 0
	return row, err
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Report returns one report with its indicators.
func (db *DB) Report(ctx context.Context, id string) (report.Report, error) {
	rows, err := db.r.QueryContext(ctx, db.q(reportColumns+" WHERE r.id = ?"), id)
	if err != nil {
		return report.Report{}, fmt.Errorf("store: report %s: %w", id, err)
	}
	rs, seqs, err := scanReports(rows)
	if err != nil {
		return report.Report{}, fmt.Errorf("store: report %s: %w", id, err)
	}
	if len(rs) == 0 {
		return report.Report{}, fmt.Errorf("store: report %s: %w", id, store.ErrNotFound)
	}
	if err := db.loadLinks(ctx, rs, seqs); err != nil {
		return report.Report{}, fmt.Errorf("store: report %s: %w", id, err)
	}
	return rs[0], nil
}

// loadLinks fills the indicators of reports (seqs in the same order), in
// one query.
func (db *DB) loadLinks(ctx context.Context, rs []report.Report, seqs []int64) error {
	if len(rs) == 0 {
		return nil
	}
	at := map[int64]int{}
	args := make([]any, len(seqs))
	for i, s := range seqs {
		at[s] = i
		args[i] = s
		rs[i].Indicators = []report.Link{}
	}
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT ri.report_seq, i.kind, i.value, ri.raw, ri.role, ri.origin, i.known_good
		FROM report_indicators ri JOIN indicators i ON i.id = ri.indicator_id
		WHERE ri.report_seq IN (?`+strings.Repeat(", ?", len(seqs)-1)+`) ORDER BY ri.report_seq, i.kind, i.value`), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var l report.Link
		var seq int64
		var raw, kg sql.NullString
		if err := rows.Scan(&seq, &l.Kind, &l.Value, &raw, &l.Role, &l.Origin, &kg); err != nil {
			return err
		}
		l.Raw, l.KnownGood = raw.String, kg.String
		rs[at[seq]].Indicators = append(rs[at[seq]].Indicators, l)
	}
	return rows.Err()
}

const reportColumns = `SELECT r.seq, r.id, r.kind, r.scam_type, r.channel, r.narrative, r.loss_amount, r.loss_currency, r.occurred_at,
	r.victim_country, r.language, r.status, r.reporter, r.source, r.network_id, r.created_at FROM reports r`

func scanReports(rows *sql.Rows) ([]report.Report, []int64, error) {
	defer rows.Close()
	var out []report.Report
	var seqs []int64
	for rows.Next() {
		var r report.Report
		var seq int64
		var amount, cur, country, lang, net sql.NullString
		var occurred, created sql.NullInt64
		if err := rows.Scan(&seq, &r.ID, &r.Kind, &r.ScamType, &r.Channel, &r.Narrative, &amount, &cur, &occurred,
			&country, &lang, &r.Status, &r.Reporter, &r.Source, &net, &created); err != nil {
			return nil, nil, err
		}
		if amount.Valid {
			r.Loss = &report.Money{Amount: amount.String, Currency: cur.String}
		}
		if occurred.Valid {
			t := fromMS(occurred)
			r.OccurredAt = &t
		}
		r.VictimCountry, r.Language, r.NetworkID = country.String, lang.String, net.String
		r.CreatedAt = fromMS(created)
		out = append(out, r)
		seqs = append(seqs, seq)
	}
	return out, seqs, rows.Err()
}

// SearchReports lists reports matching q, newest first, a page at a time.
func (db *DB) SearchReports(ctx context.Context, q store.Query) ([]report.Report, string, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	q.Limit = min(q.Limit, 500)
	var where []string
	var args []any
	if t := strings.TrimSpace(q.Text); t != "" {
		switch {
		case db.postgres:
			where = append(where, "r.narrative ILIKE ? ESCAPE '\\'")
			args = append(args, "%"+escapeLike(t)+"%")
		case len([]rune(t)) >= 3:
			// The trigram index answers a quoted phrase as a substring.
			where = append(where, "r.seq IN (SELECT rowid FROM reports_fts WHERE reports_fts MATCH ?)")
			args = append(args, `"`+strings.ReplaceAll(t, `"`, `""`)+`"`)
		default:
			where = append(where, "r.narrative LIKE ? ESCAPE '\\'")
			args = append(args, "%"+escapeLike(t)+"%")
		}
	}
	if q.Kind != "" {
		where = append(where, "r.kind = ?")
		args = append(args, q.Kind)
	}
	if q.ScamType != "" {
		where = append(where, "r.scam_type = ?")
		args = append(args, q.ScamType)
	}
	if !q.Since.IsZero() {
		where = append(where, "r.created_at >= ?")
		args = append(args, ms(q.Since))
	}
	if q.Cursor != "" {
		where = append(where, "r.id < ?")
		args = append(args, q.Cursor)
	}
	query := reportColumns
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += fmt.Sprintf(" ORDER BY r.id DESC LIMIT %d", q.Limit+1)
	rows, err := db.r.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, "", fmt.Errorf("store: search reports: %w", err)
	}
	rs, seqs, err := scanReports(rows)
	if err != nil {
		return nil, "", fmt.Errorf("store: search reports: %w", err)
	}
	next := ""
	if len(rs) > q.Limit {
		rs, seqs = rs[:q.Limit], seqs[:q.Limit]
		next = rs[len(rs)-1].ID
	}
	if err := db.loadLinks(ctx, rs, seqs); err != nil {
		return nil, "", fmt.Errorf("store: search reports: %w", err)
	}
	return rs, next, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// SetReportStatus changes a report's status. Leaving or re-entering the
// rejected status uncounts or recounts its indicators and re-derives the
// networks around it.
func (db *DB) SetReportStatus(ctx context.Context, id, status string) error {
	if !validStatus(status) {
		return fmt.Errorf("store: set status of %s: %w: unknown status %q", id, report.ErrInvalid, status)
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		cur, err := db.reportCore(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q("UPDATE reports SET status = ? WHERE seq = ?"), status, cur.seq); err != nil {
			return err
		}
		wasCounting, counting := cur.status != report.StatusRejected, status != report.StatusRejected
		if wasCounting == counting {
			return nil
		}
		if !counting {
			inds, err := db.countingLinks(ctx, tx, cur.seq)
			if err != nil {
				return err
			}
			return db.withdraw(ctx, tx, cur, inds)
		}
		cur.status = status
		return db.reinstate(ctx, tx, cur)
	})
	if err != nil {
		return fmt.Errorf("store: set status of %s: %w", id, err)
	}
	return nil
}

func validStatus(s string) bool {
	for _, t := range report.Statuses {
		if t.Code == s {
			return true
		}
	}
	return false
}

// DeleteReport removes a report and recomputes what depended on it.
func (db *DB) DeleteReport(ctx context.Context, id string) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		cur, err := db.reportCore(ctx, tx, id)
		if err != nil {
			return err
		}
		counted, err := db.countingLinks(ctx, tx, cur.seq)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, db.q("SELECT indicator_id FROM report_indicators WHERE report_seq = ?"), cur.seq)
		if err != nil {
			return err
		}
		inds, err := scanInts(rows)
		if err != nil {
			return err
		}
		for _, stmt := range []string{"DELETE FROM report_indicators WHERE report_seq = ?", "DELETE FROM reports WHERE seq = ?"} {
			if _, err := tx.ExecContext(ctx, db.q(stmt), cur.seq); err != nil {
				return err
			}
		}
		if !db.postgres {
			if _, err := tx.ExecContext(ctx, "DELETE FROM reports_fts WHERE rowid = ?", cur.seq); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, db.q("DELETE FROM idempotency WHERE report_id = ?"), id); err != nil {
			return err
		}
		if cur.status != report.StatusRejected {
			if err := db.withdraw(ctx, tx, cur, counted); err != nil {
				return err
			}
		}
		// Indicators nothing refers to any more are forgotten.
		for _, ind := range inds {
			_, err := tx.ExecContext(ctx, db.q(`DELETE FROM indicators WHERE id = ? AND reports = 0 AND sources = 0 AND known_good IS NULL
				AND NOT EXISTS (SELECT 1 FROM report_indicators WHERE indicator_id = ?)`), ind, ind)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: delete report %s: %w", id, err)
	}
	return nil
}

// reportRef is what maintenance needs of a report.
type reportRef struct {
	seq      int64
	status   string
	reporter string
	scamType string
	created  time.Time
	network  string
}

func (db *DB) reportCore(ctx context.Context, tx *sql.Tx, id string) (reportRef, error) {
	var r reportRef
	var net sql.NullString
	var created int64
	err := tx.QueryRowContext(ctx, db.q("SELECT seq, status, reporter, scam_type, created_at, network_id FROM reports WHERE id = ?"), id).
		Scan(&r.seq, &r.status, &r.reporter, &r.scamType, &created, &net)
	if errors.Is(err, sql.ErrNoRows) {
		return r, store.ErrNotFound
	}
	r.created, r.network = time.UnixMilli(created).UTC(), net.String
	return r, err
}

func scanInts(rows *sql.Rows) ([]int64, error) {
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
