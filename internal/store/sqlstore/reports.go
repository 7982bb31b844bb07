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
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, created, err = db.addReport(ctx, tx, r, idem, true)
		return err
	})
	if err != nil {
		return "", false, fmt.Errorf("store: add report: %w", err)
	}
	return id, created, nil
}

// addReport stores r in tx.
// Imports audit once per batch (audit false) rather than once per row.
func (db *DB) addReport(ctx context.Context, tx *sql.Tx, r *report.Report, idem store.Idempotency, audit bool) (string, bool, error) {
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
	if r.TLP == "" {
		r.TLP = report.TLPClear
	}
	if r.ReporterNet == "" {
		r.ReporterNet = r.Reporter
	}
	var links, victim []report.Link
	for _, l := range r.Indicators {
		if l.Role == report.RoleVictimContact {
			victim = append(victim, l)
		} else {
			links = append(links, l)
		}
	}
	sealed, err := db.sealReport(r, victim)
	if err != nil {
		return "", false, err
	}
	var seq int64
	err = tx.QueryRowContext(ctx, db.q(`INSERT INTO reports (id, kind, scam_type, channel, narrative, pii, loss_amount, loss_currency,
		occurred_at, victim_country, language, status, reporter, reporter_net, source, import_key, tlp, owner_org, author,
		trusted_org, withdraw_hash, created_at)
		VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`),
		r.ID, r.Kind, r.ScamType, r.Channel, sealed, lossAmount, lossCur, occurred, nullString(r.VictimCountry),
		nullString(r.Language), r.Status, r.Reporter, r.ReporterNet, r.Source, imp, r.TLP, nullString(r.Org), nullString(r.Author),
		nullString(r.TrustedOrg), nullString(r.WithdrawHash), ms(r.CreatedAt)).Scan(&seq)
	if err != nil {
		return "", false, err
	}
	if err := db.indexTerms(ctx, tx, seq, r.Narrative); err != nil {
		return "", false, err
	}
	if err := db.writeReportPlaces(ctx, tx, seq, r.Places); err != nil {
		return "", false, err
	}
	ref := reportRef{seq: seq, status: r.Status, tlp: r.TLP, reporter: r.Reporter, reporterNet: r.ReporterNet,
		trustedOrg: r.TrustedOrg, scamType: r.ScamType, created: r.CreatedAt}
	var connecting []int64
	var flipped []int64
	for _, l := range links {
		ind, err := db.upsertIndicator(ctx, tx, l.Kind, l.Value, l.KnownGood)
		if err != nil {
			return "", false, err
		}
		_, err = tx.ExecContext(ctx, db.q("INSERT INTO report_indicators (report_seq, indicator_id, role, origin, raw) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"),
			seq, ind.id, l.Role, l.Origin, nullString(l.Raw))
		if err != nil {
			return "", false, err
		}
		if !ref.counts() {
			continue
		}
		became, err := db.count(ctx, tx, ind.id, ref)
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
	if ref.counts() {
		if err := db.join(ctx, tx, seq, connecting); err != nil {
			return "", false, err
		}
	}
	if len(flipped) > 0 {
		if err := db.relabelAround(ctx, tx, flipped, nil); err != nil {
			return "", false, err
		}
	}
	if err := db.reportAdded(ctx, tx, seq, r.ID, links); err != nil {
		return "", false, err
	}
	if idem.Key != "" {
		_, err := tx.ExecContext(ctx, db.q("INSERT INTO idempotency (key, request_hash, report_id, created_at) VALUES (?, ?, ?, ?)"),
			idem.Key, idem.Hash, r.ID, ms(time.Now()))
		if err != nil {
			return "", false, err
		}
	}
	if audit {
		if err := db.audit(ctx, tx, "report.create", r.ID, "tlp="+r.TLP+" source="+r.Source); err != nil {
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
		ON CONFLICT (kind, value) DO UPDATE SET known_good = COALESCE(indicators.known_good, excluded.known_good), version = `+stampVersion+`
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

// Report returns one report v may see, with its indicators and personal
// data unsealed.
func (db *DB) Report(ctx context.Context, v store.Viewer, id string) (report.Report, error) {
	vis, args := visible(v)
	rows, err := db.r.QueryContext(ctx, db.q(reportColumns+" WHERE r.id = ? AND "+vis), append([]any{id}, args...)...)
	if err != nil {
		return report.Report{}, fmt.Errorf("store: report %s: %w", id, err)
	}
	rs, seqs, err := db.scanReports(rows)
	if err != nil {
		return report.Report{}, fmt.Errorf("store: report %s: %w", id, err)
	}
	if len(rs) == 0 {
		return report.Report{}, fmt.Errorf("store: report %s: %w", id, store.ErrNotFound)
	}
	if err := db.loadLinks(ctx, rs, seqs); err != nil {
		return report.Report{}, fmt.Errorf("store: report %s: %w", id, err)
	}
	if err := db.loadReportPlaces(ctx, rs, seqs); err != nil {
		return report.Report{}, fmt.Errorf("store: report %s: %w", id, err)
	}
	return rs[0], nil
}

// visible is the SQL condition on reports r that v may see (the same rule
// as store.Viewer.Sees) and its arguments.
func visible(v store.Viewer) (string, []any) {
	if v.All {
		return "(1 = 1)", nil
	}
	parts := []string{"r.tlp = 'CLEAR'"}
	var args []any
	if v.User != "" {
		parts = append(parts, "r.author = ?")
		args = append(args, v.User)
	}
	if v.Member {
		parts = append(parts, "r.tlp = 'GREEN'")
	}
	if len(v.AmberOrgs) > 0 {
		parts = append(parts, "(r.tlp = 'AMBER' AND r.owner_org IN (?"+strings.Repeat(", ?", len(v.AmberOrgs)-1)+"))")
		for _, o := range v.AmberOrgs {
			args = append(args, o)
		}
	}
	if v.Org != "" {
		parts = append(parts, "(r.tlp = 'AMBER+STRICT' AND r.owner_org = ?)")
		args = append(args, v.Org)
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
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
		if rs[i].Indicators == nil {
			rs[i].Indicators = []report.Link{}
		}
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

const reportColumns = `SELECT r.seq, r.id, r.kind, r.scam_type, r.channel, r.narrative, r.pii, r.loss_amount, r.loss_currency,
	r.occurred_at, r.victim_country, r.language, r.status, r.reporter, r.reporter_net, r.source, r.network_id, r.tlp, r.owner_org,
	r.author, r.trusted_org, r.withdraw_hash, r.created_at FROM reports r`

// scanReports reads reports and unseals their personal data.
func (db *DB) scanReports(rows *sql.Rows) ([]report.Report, []int64, error) {
	defer rows.Close()
	var out []report.Report
	var seqs []int64
	for rows.Next() {
		var r report.Report
		var seq int64
		var sealed []byte
		var amount, cur, country, lang, net, org, author, trusted, withdraw sql.NullString
		var occurred, created sql.NullInt64
		if err := rows.Scan(&seq, &r.ID, &r.Kind, &r.ScamType, &r.Channel, &r.Narrative, &sealed, &amount, &cur, &occurred,
			&country, &lang, &r.Status, &r.Reporter, &r.ReporterNet, &r.Source, &net, &r.TLP, &org, &author, &trusted, &withdraw, &created); err != nil {
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
		r.Org, r.Author, r.TrustedOrg, r.WithdrawHash = org.String, author.String, trusted.String, withdraw.String
		r.CreatedAt = fromMS(created)
		if err := db.openReport(&r, sealed); err != nil {
			return nil, nil, err
		}
		out = append(out, r)
		seqs = append(seqs, seq)
	}
	return out, seqs, rows.Err()
}

// SearchReports lists reports matching q, newest first, a page at a time.
func (db *DB) SearchReports(ctx context.Context, v store.Viewer, q store.Query) ([]report.Report, string, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	q.Limit = min(q.Limit, 500)
	vis, args := visible(v)
	where := []string{vis}
	text := strings.TrimSpace(q.Text)
	if text != "" {
		terms := db.keys.QueryTerms(text)
		if len(terms) == 0 {
			return []report.Report{}, "", nil
		}
		// Reports holding every term of the query, found by their keyed
		// hashes: the index holds no plaintext.
		where = append(where, fmt.Sprintf("r.seq IN (SELECT report_seq FROM report_terms WHERE term IN (?%s) GROUP BY report_seq HAVING COUNT(*) = %d)",
			strings.Repeat(", ?", len(terms)-1), len(terms)))
		for _, t := range terms {
			args = append(args, t)
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
	query := reportColumns + " WHERE " + strings.Join(where, " AND ")
	query += fmt.Sprintf(" ORDER BY r.id DESC LIMIT %d", q.Limit+1)
	rows, err := db.r.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, "", fmt.Errorf("store: search reports: %w", err)
	}
	rs, seqs, err := db.scanReports(rows)
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

// SetReportStatus changes a report's status. Leaving or re-entering the
// rejected status uncounts or recounts its indicators and re-derives the
// networks around it; a trusted organisation vouching for a counting
// report is counted for its indicators.
func (db *DB) SetReportStatus(ctx context.Context, id, status, trustedOrg string) error {
	if !validStatus(status) {
		return fmt.Errorf("store: set status of %s: %w: unknown status %q", id, report.ErrInvalid, status)
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		cur, err := db.reportCore(ctx, tx, id)
		if err != nil {
			return err
		}
		next := cur
		next.status = status
		if trustedOrg != "" && cur.trustedOrg == "" {
			next.trustedOrg = trustedOrg
		}
		if _, err := tx.ExecContext(ctx, db.q("UPDATE reports SET status = ?, trusted_org = ? WHERE seq = ?"), status, nullString(next.trustedOrg), cur.seq); err != nil {
			return err
		}
		if err := db.audit(ctx, tx, "report.status", id, cur.status+" -> "+status); err != nil {
			return err
		}
		if (cur.status == report.StatusRejected) != (status == report.StatusRejected) {
			if err := db.reportChanged(ctx, tx, cur.seq); err != nil {
				return err
			}
		}
		if cur.counts() == next.counts() && cur.trustedOrg == next.trustedOrg {
			return nil
		}
		if cur.counts() {
			inds, err := db.countingLinks(ctx, tx, cur.seq)
			if err != nil {
				return err
			}
			if err := db.withdraw(ctx, tx, cur, inds); err != nil {
				return err
			}
		}
		if next.counts() {
			return db.reinstate(ctx, tx, next)
		}
		return nil
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
		values, err := db.reportValues(ctx, tx, cur.seq)
		if err != nil {
			return err
		}
		for _, stmt := range []string{"DELETE FROM report_indicators WHERE report_seq = ?", "DELETE FROM report_terms WHERE report_seq = ?",
			"DELETE FROM report_places WHERE report_seq = ?", "DELETE FROM reports WHERE seq = ?"} {
			if _, err := tx.ExecContext(ctx, db.q(stmt), cur.seq); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, db.q("DELETE FROM idempotency WHERE report_id = ?"), id); err != nil {
			return err
		}
		if err := db.audit(ctx, tx, "report.delete", id, ""); err != nil {
			return err
		}
		if cur.counts() {
			if err := db.withdraw(ctx, tx, cur, counted); err != nil {
				return err
			}
		}
		// Indicators nothing refers to any more are forgotten.
		for _, ind := range inds {
			if err := db.forget(ctx, tx, ind); err != nil {
				return err
			}
		}
		return db.syncNaming(ctx, tx, values)
	})
	if err != nil {
		return fmt.Errorf("store: delete report %s: %w", id, err)
	}
	return nil
}

// reportRef is what maintenance needs of a report.
type reportRef struct {
	seq         int64
	status      string
	tlp         string
	reporter    string
	reporterNet string
	trustedOrg  string
	scamType    string
	created     time.Time
	network     string
}

// counts tells whether the report counts for the stored answers: those of
// public lookups and networks, made of TLP:CLEAR reports that were not
// rejected. Answers to other viewers are computed from the links.
func (r reportRef) counts() bool {
	return r.status != report.StatusRejected && r.tlp == report.TLPClear
}

func (db *DB) reportCore(ctx context.Context, tx *sql.Tx, id string) (reportRef, error) {
	var r reportRef
	var net, trusted sql.NullString
	var created int64
	err := tx.QueryRowContext(ctx, db.q("SELECT seq, status, tlp, reporter, reporter_net, trusted_org, scam_type, created_at, network_id FROM reports WHERE id = ?"), id).
		Scan(&r.seq, &r.status, &r.tlp, &r.reporter, &r.reporterNet, &trusted, &r.scamType, &created, &net)
	if errors.Is(err, sql.ErrNoRows) {
		return r, store.ErrNotFound
	}
	r.created, r.network, r.trustedOrg = time.UnixMilli(created).UTC(), net.String, trusted.String
	return r, err
}

// scanStrings reads a one-column result of strings and closes rows.
func scanStrings(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
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
