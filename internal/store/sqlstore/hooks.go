package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"vigil/internal/report"
	"vigil/internal/store"
)

// Continuous matching: every write that can change a case's leads calls
// syncLeads, in its own transaction, for the cases it touches. syncLeads
// computes the leads as the case's organisation sees them and diffs their
// ids with the leads table; what is new or gone becomes an event
// (lead.new, lead.gone) for the watches, so an alert exists exactly when
// its change does.

// ownerViewer is how the caseworkers of org see reports.
func (db *DB) ownerViewer(ctx context.Context, q querier, org string) (store.Viewer, error) {
	v := store.Viewer{Org: org, Member: org != "", CaseReader: true}
	if org == "" {
		return v, nil
	}
	var err error
	v.AmberOrgs, err = db.amberOrgs(ctx, q, org)
	return v, err
}

// syncLeads records the leads case id has now, as its organisation sees
// them: new ones (or ones back after they had gone) are inserted and
// announced as lead.new, vanished ones get gone_at and lead.gone.
func (db *DB) syncLeads(ctx context.Context, tx *sql.Tx, id string) error {
	c, err := db.loadCase(ctx, tx, id)
	if err != nil {
		return err
	}
	v, err := db.ownerViewer(ctx, tx, c.Org)
	if err != nil {
		return err
	}
	key, err := db.leadKey(ctx, tx)
	if err != nil {
		return err
	}
	now, err := db.caseLeads(ctx, tx, v, &c, key, false)
	if err != nil {
		return err
	}
	type known struct {
		kind string
		gone bool
	}
	had := map[string]known{}
	rows, err := tx.QueryContext(ctx, db.q("SELECT lead_id, kind, gone_at FROM leads WHERE case_id = ?"), id)
	if err != nil {
		return err
	}
	for rows.Next() {
		var lid, kind string
		var gone sql.NullInt64
		if err := rows.Scan(&lid, &kind, &gone); err != nil {
			rows.Close()
			return err
		}
		had[lid] = known{kind, gone.Valid}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	at := ms(time.Now())
	slices.SortFunc(now, func(a, b store.Lead) int { return strings.Compare(a.ID, b.ID) })
	current := map[string]bool{}
	for _, l := range now {
		if current[l.ID] {
			continue
		}
		current[l.ID] = true
		k, ok := had[l.ID]
		switch {
		case !ok:
			_, err = tx.ExecContext(ctx, db.q("INSERT INTO leads (case_id, lead_id, kind, since) VALUES (?, ?, ?, ?)"), id, l.ID, l.Kind, at)
		case k.gone:
			_, err = tx.ExecContext(ctx, db.q("UPDATE leads SET gone_at = NULL WHERE case_id = ? AND lead_id = ?"), id, l.ID)
		default:
			continue
		}
		if err != nil {
			return err
		}
		if err := db.emit(ctx, tx, event{Name: "lead.new", Case: id, Lead: l.ID, LeadKind: l.Kind}); err != nil {
			return err
		}
	}
	var gone []string
	for lid, k := range had {
		if !k.gone && !current[lid] {
			gone = append(gone, lid)
		}
	}
	slices.Sort(gone)
	for _, lid := range gone {
		if _, err := tx.ExecContext(ctx, db.q("UPDATE leads SET gone_at = ? WHERE case_id = ? AND lead_id = ?"), at, id, lid); err != nil {
			return err
		}
		if err := db.emit(ctx, tx, event{Name: "lead.gone", Case: id, Lead: lid, LeadKind: had[lid].kind}); err != nil {
			return err
		}
	}
	return nil
}

// syncCases syncs the leads of each case once.
func (db *DB) syncCases(ctx context.Context, tx *sql.Tx, ids []string) error {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	for _, id := range slices.Compact(ids) {
		if err := db.syncLeads(ctx, tx, id); err != nil {
			return fmt.Errorf("leads of case %s: %w", id, err)
		}
	}
	return nil
}

// casesSharing lists the open cases but id holding one of its values or a
// near photo: their case and photo leads hang on case id.
func (db *DB) casesSharing(ctx context.Context, tx *sql.Tx, id string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, db.q(`SELECT DISTINCT o.case_id FROM case_indicators m JOIN case_indicators o ON o.key = m.key
		JOIN cases c ON c.id = o.case_id WHERE m.case_id = ? AND o.case_id <> ? AND c.status <> 'closed'`), id, id)
	if err != nil {
		return nil, err
	}
	out, err := scanStrings(rows)
	if err != nil {
		return nil, err
	}
	near, err := db.photoNeighbours(ctx, tx, id)
	return append(out, near...), err
}

// photoNeighbours lists the open cases but id holding an image near one
// of id's.
func (db *DB) photoNeighbours(ctx context.Context, tx *sql.Tx, id string) ([]string, error) {
	mine, err := db.phashes(ctx, tx, "e.case_id = ?", id)
	if err != nil || len(mine) == 0 {
		return nil, err
	}
	theirs, err := db.phashes(ctx, tx, "e.case_id <> ? AND c.status <> 'closed'", id)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, t := range theirs {
		for _, m := range mine {
			if d := phashDistance(m.phash, t.phash); d >= 0 && d <= maxPhotoDistance {
				out = append(out, t.caseID)
				break
			}
		}
	}
	return out, nil
}

// syncNaming syncs the leads of the open cases naming any of values. It
// costs one indexed read when there is no case at all, which keeps bulk
// imports cheap.
func (db *DB) syncNaming(ctx context.Context, tx *sql.Tx, values []store.Key) error {
	if len(values) == 0 {
		return nil
	}
	var one int
	err := tx.QueryRowContext(ctx, "SELECT 1 FROM cases LIMIT 1").Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	var ids []string
	for len(values) > 0 {
		chunk := values[:min(len(values), 500)]
		values = values[len(chunk):]
		args := make([]any, len(chunk))
		for i, k := range chunk {
			args[i] = db.caseIndicatorKey(string(k.Kind), k.Value)
		}
		rows, err := tx.QueryContext(ctx, db.q(`SELECT DISTINCT ci.case_id FROM case_indicators ci JOIN cases c ON c.id = ci.case_id
			WHERE c.status <> 'closed' AND ci.key IN (?`+strings.Repeat(", ?", len(chunk)-1)+")"), args...)
		if err != nil {
			return err
		}
		found, err := scanStrings(rows)
		if err != nil {
			return err
		}
		ids = append(ids, found...)
	}
	return db.syncCases(ctx, tx, ids)
}

// reportValues lists the values report seq names (its victim's own
// contacts are sealed away and name nothing).
func (db *DB) reportValues(ctx context.Context, tx *sql.Tx, seq int64) ([]store.Key, error) {
	rows, err := tx.QueryContext(ctx, db.q(`SELECT i.kind, i.value FROM report_indicators ri JOIN indicators i ON i.id = ri.indicator_id
		WHERE ri.report_seq = ? AND ri.role <> 'victim_contact'`), seq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Key
	for rows.Next() {
		var k store.Key
		if err := rows.Scan(&k.Kind, &k.Value); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// reportAdded announces a new report (with its network, once joined, and
// its values) and matches the cases naming its values.
func (db *DB) reportAdded(ctx context.Context, tx *sql.Tx, seq int64, id string, links []report.Link) error {
	// One query says whether there is anything to do: a bulk import into
	// a store with no watches and no cases pays for nothing more.
	var net sql.NullString
	var watched, cases bool
	err := tx.QueryRowContext(ctx, db.q(`SELECT network_id, EXISTS (SELECT 1 FROM watches), EXISTS (SELECT 1 FROM cases)
		FROM reports WHERE seq = ?`), seq).Scan(&net, &watched, &cases)
	if err != nil || (!watched && !cases) {
		return err
	}
	values := make([]store.Key, len(links))
	for i, l := range links {
		values[i] = store.Key{Kind: l.Kind, Value: l.Value}
	}
	if watched {
		if err := db.emit(ctx, tx, event{Name: "report.new", Report: id, Network: net.String, Values: values}); err != nil {
			return err
		}
	}
	if !cases {
		return nil
	}
	return db.syncNaming(ctx, tx, values)
}

// reportChanged matches the cases naming the values of report seq, after
// it was rejected or reinstated.
func (db *DB) reportChanged(ctx context.Context, tx *sql.Tx, seq int64) error {
	values, err := db.reportValues(ctx, tx, seq)
	if err != nil {
		return err
	}
	return db.syncNaming(ctx, tx, values)
}

// resealCases re-seals every case under the current key and rebuilds the
// blind keys of their values, then re-seals their files.
func (db *DB) resealCases(ctx context.Context) (int, error) {
	total := 0
	after := int64(0)
	for {
		var n int
		err := db.tx(ctx, func(tx *sql.Tx) error {
			rows, err := tx.QueryContext(ctx, db.q("SELECT seq, id FROM cases WHERE seq > ? ORDER BY seq LIMIT 200"), after)
			if err != nil {
				return err
			}
			type row struct {
				seq int64
				id  string
			}
			var batch []row
			for rows.Next() {
				var r row
				if err := rows.Scan(&r.seq, &r.id); err != nil {
					rows.Close()
					return err
				}
				batch = append(batch, r)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			n = len(batch)
			for _, r := range batch {
				c, err := db.loadCase(ctx, tx, r.id)
				if err != nil {
					return err
				}
				sealed, err := db.sealCase(&c)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, db.q("UPDATE cases SET pii = ? WHERE id = ?"), sealed, c.ID); err != nil {
					return err
				}
				if err := db.writeCaseIndex(ctx, tx, &c); err != nil {
					return err
				}
				after = r.seq
			}
			return nil
		})
		if err != nil {
			return total, err
		}
		total += n
		if n == 0 {
			break
		}
	}
	files, err := db.resealEvidence(ctx)
	return total + files, err
}
