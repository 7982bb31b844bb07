package sqlstore

import (
	"context"
	"database/sql"

	"vigil/internal/report"
)

// reporterKeys are the rows of indicator_reporters a report adds to: its
// reporter (account, session or network), its network and the trusted
// organisation vouching for it.
func reporterKeys(r reportRef) []string {
	keys := []string{"a:" + r.reporter, "n:" + r.reporterNet}
	if r.trustedOrg != "" {
		keys = append(keys, "t:"+r.trustedOrg)
	}
	return keys
}

// count adds one counting report r to indicator ind. It reports whether
// the indicator just became over-common: its network must then be
// re-derived without it.
func (db *DB) count(ctx context.Context, tx *sql.Tx, ind int64, r reportRef) (bool, error) {
	var fresh [3]bool // a first report of this account, network, trusted org
	for i, key := range reporterKeys(r) {
		var n int
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO indicator_reporters (indicator_id, reporter, n) VALUES (?, ?, 1)
			ON CONFLICT (indicator_id, reporter) DO UPDATE SET n = indicator_reporters.n + 1 RETURNING n`), ind, key).Scan(&n)
		if err != nil {
			return false, err
		}
		fresh[i] = n == 1
	}
	var reports, accounts, networks, trusted, oc int
	var first, last sql.NullInt64
	var types int64
	err := tx.QueryRowContext(ctx, db.q("SELECT reports, accounts, networks, trusted, first_seen, last_seen, scam_types, over_common FROM indicators WHERE id = ?"), ind).
		Scan(&reports, &accounts, &networks, &trusted, &first, &last, &types, &oc)
	if err != nil {
		return false, err
	}
	reports++
	accounts += b2i(fresh[0])
	networks += b2i(fresh[1])
	trusted += b2i(fresh[2])
	at := ms(r.created)
	if !first.Valid || at < first.Int64 {
		first = sql.NullInt64{Int64: at, Valid: true}
	}
	if !last.Valid || at > last.Int64 {
		last = sql.NullInt64{Int64: at, Valid: true}
	}
	types |= report.ScamTypeBit(r.scamType)
	became := oc == 0 && reports > db.overCommon
	if became {
		oc = 1
	}
	_, err = tx.ExecContext(ctx, db.q(`UPDATE indicators SET reports = ?, reporters = ?, accounts = ?, networks = ?, trusted = ?,
		first_seen = ?, last_seen = ?, scam_types = ?, over_common = ?, version = `+stampVersion+` WHERE id = ?`),
		reports, min(accounts, networks), accounts, networks, trusted, first, last, types, oc, ind)
	return became, err
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// uncount removes one counting report r from indicator ind, whose link
// the caller has already made non-counting (deleted, or its report
// rejected), and recounts the rest from the links. It reports whether the
// indicator stopped being over-common: it connects again.
func (db *DB) uncount(ctx context.Context, tx *sql.Tx, ind int64, r reportRef) (bool, error) {
	for _, key := range reporterKeys(r) {
		if _, err := tx.ExecContext(ctx, db.q("UPDATE indicator_reporters SET n = n - 1 WHERE indicator_id = ? AND reporter = ?"), ind, key); err != nil {
			return false, err
		}
		if _, err := tx.ExecContext(ctx, db.q("DELETE FROM indicator_reporters WHERE indicator_id = ? AND reporter = ? AND n <= 0"), ind, key); err != nil {
			return false, err
		}
	}
	const counting = ` FROM report_indicators ri JOIN reports r ON r.seq = ri.report_seq
		WHERE ri.indicator_id = ? AND r.status <> 'rejected' AND r.tlp = 'CLEAR' AND ri.role <> 'victim_contact'`
	var reports, oc int
	var first, last sql.NullInt64
	if err := tx.QueryRowContext(ctx, db.q("SELECT COUNT(*), MIN(r.created_at), MAX(r.created_at)"+counting), ind).Scan(&reports, &first, &last); err != nil {
		return false, err
	}
	var kinds [3]int // accounts, networks, trusted orgs
	for i, p := range []string{"a", "n", "t"} {
		// The prefix range reads the primary key, not the table.
		err := tx.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM indicator_reporters WHERE indicator_id = ? AND reporter >= ? AND reporter < ?"),
			ind, p+":", p+";").Scan(&kinds[i])
		if err != nil {
			return false, err
		}
	}
	rows, err := tx.QueryContext(ctx, db.q("SELECT DISTINCT r.scam_type"+counting), ind)
	if err != nil {
		return false, err
	}
	var types int64
	for rows.Next() {
		var st string
		if err := rows.Scan(&st); err != nil {
			rows.Close()
			return false, err
		}
		types |= report.ScamTypeBit(st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, err
	}
	if err := tx.QueryRowContext(ctx, db.q("SELECT over_common FROM indicators WHERE id = ?"), ind).Scan(&oc); err != nil {
		return false, err
	}
	off := oc != 0 && reports <= db.overCommon
	if off {
		oc = 0
	}
	_, err = tx.ExecContext(ctx, db.q(`UPDATE indicators SET reports = ?, reporters = ?, accounts = ?, networks = ?, trusted = ?,
		first_seen = ?, last_seen = ?, scam_types = ?, over_common = ?, version = `+stampVersion+` WHERE id = ?`),
		reports, min(kinds[0], kinds[1]), kinds[0], kinds[1], kinds[2], first, last, types, oc, ind)
	return off, err
}

// countingLinks lists the indicators a report counts for (every link but
// the victim's own contact).
func (db *DB) countingLinks(ctx context.Context, tx *sql.Tx, seq int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, db.q("SELECT indicator_id FROM report_indicators WHERE report_seq = ? AND role <> 'victim_contact'"), seq)
	if err != nil {
		return nil, err
	}
	return scanInts(rows)
}

// withdraw takes a report out of its indicators' counts and its network.
// The caller has made it non-counting already (rejected, or deleted with
// its links, in which case inds are the links it had).
func (db *DB) withdraw(ctx context.Context, tx *sql.Tx, cur reportRef, inds []int64) error {
	var off []int64
	for _, ind := range inds {
		o, err := db.uncount(ctx, tx, ind, cur)
		if err != nil {
			return err
		}
		if o {
			off = append(off, ind)
		}
	}
	if _, err := tx.ExecContext(ctx, db.q("UPDATE reports SET network_id = NULL WHERE seq = ?"), cur.seq); err != nil {
		return err
	}
	var seeds []int64
	var old []string
	if cur.network != "" {
		old = append(old, cur.network)
		rows, err := tx.QueryContext(ctx, db.q("SELECT seq FROM reports WHERE network_id = ?"), cur.network)
		if err != nil {
			return err
		}
		if seeds, err = scanInts(rows); err != nil {
			return err
		}
	}
	more, err := db.reportsOf(ctx, tx, off)
	if err != nil {
		return err
	}
	return db.relabel(ctx, tx, append(seeds, more...), old)
}

// reinstate counts a report that counts again (no longer rejected) and
// joins it to its network.
func (db *DB) reinstate(ctx context.Context, tx *sql.Tx, cur reportRef) error {
	inds, err := db.countingLinks(ctx, tx, cur.seq)
	if err != nil {
		return err
	}
	var connecting, flipped []int64
	for _, ind := range inds {
		became, err := db.count(ctx, tx, ind, cur)
		if err != nil {
			return err
		}
		var kg sql.NullString
		var oc int
		if err := tx.QueryRowContext(ctx, db.q("SELECT known_good, over_common FROM indicators WHERE id = ?"), ind).Scan(&kg, &oc); err != nil {
			return err
		}
		switch {
		case became:
			flipped = append(flipped, ind)
		case !kg.Valid && oc == 0:
			connecting = append(connecting, ind)
		}
	}
	if err := db.join(ctx, tx, cur.seq, connecting); err != nil {
		return err
	}
	if len(flipped) > 0 {
		return db.relabelAround(ctx, tx, flipped, nil)
	}
	return nil
}
