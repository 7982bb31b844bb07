package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"vigil/internal/place"
	"vigil/internal/report"
	"vigil/internal/store"
)

// writeReportPlaces records the gazetteer places a report names.
func (db *DB) writeReportPlaces(ctx context.Context, tx *sql.Tx, seq int64, places []string) error {
	for _, p := range places {
		if _, err := tx.ExecContext(ctx, db.q("INSERT INTO report_places (report_seq, place_id) VALUES (?, ?) ON CONFLICT DO NOTHING"), seq, p); err != nil {
			return err
		}
	}
	return nil
}

// loadReportPlaces fills the places of reports (seqs in the same order).
func (db *DB) loadReportPlaces(ctx context.Context, rs []report.Report, seqs []int64) error {
	for i, seq := range seqs {
		rows, err := db.r.QueryContext(ctx, db.q("SELECT place_id FROM report_places WHERE report_seq = ? ORDER BY place_id"), seq)
		if err != nil {
			return err
		}
		if rs[i].Places, err = scanStrings(rows); err != nil {
			return err
		}
	}
	return nil
}

// Place returns what mentions a gazetteer place: the reports v may see
// that were not rejected, newest first, and, for a viewer who may read
// cases, the open cases v may see.
func (db *DB) Place(ctx context.Context, v store.Viewer, placeID string) (store.PlaceActivity, error) {
	a := store.PlaceActivity{Place: placeID, Reports: []string{}}
	if _, ok := place.Default().ByID(placeID); !ok {
		return a, fmt.Errorf("store: place %s: %w", placeID, store.ErrNotFound)
	}
	err := func() error {
		vis, args := visible(v)
		rows, err := db.r.QueryContext(ctx, db.q(fmt.Sprintf(`SELECT r.id FROM report_places rp JOIN reports r ON r.seq = rp.report_seq
			WHERE rp.place_id = ? AND r.status <> 'rejected' AND %s ORDER BY r.id DESC LIMIT %d`, vis, store.MaxListed)), append([]any{placeID}, args...)...)
		if err != nil {
			return err
		}
		ids, err := scanStrings(rows)
		if err != nil {
			return err
		}
		a.Reports = append(a.Reports, ids...)
		if !v.CaseReader && !v.AllCases && !v.All {
			return nil
		}
		a.Cases = []store.PlaceCase{}
		cvis, cargs, ok := caseVisible(v)
		if !ok {
			return nil
		}
		rows, err = db.r.QueryContext(ctx, db.q(fmt.Sprintf(`SELECT c.id, c.status, c.urgency FROM case_places cp JOIN cases c ON c.id = cp.case_id
			WHERE cp.place_id = ? AND c.status <> 'closed' AND %s ORDER BY c.updated_at DESC, c.id DESC LIMIT %d`, cvis, store.MaxListed)),
			append([]any{placeID}, cargs...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var pc store.PlaceCase
			if err := rows.Scan(&pc.ID, &pc.Status, &pc.Urgency); err != nil {
				return err
			}
			a.Cases = append(a.Cases, pc)
		}
		return rows.Err()
	}()
	if err != nil {
		return a, fmt.Errorf("store: place %s: %w", placeID, err)
	}
	return a, nil
}

// ForcedScammer tells, for each report, whether a case (open or closed:
// the protection outlives the case) names one of its values as the
// subject's own account.
func (db *DB) ForcedScammer(ctx context.Context, reportIDs []string) (map[string]bool, error) {
	out := make(map[string]bool, len(reportIDs))
	for _, id := range reportIDs {
		out[id] = false
	}
	var one int
	err := db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM case_indicators WHERE role = 'subject_contact' LIMIT 1) x").Scan(&one)
	if err != nil || one == 0 {
		return out, wrapErr("forced scammer", err)
	}
	for len(reportIDs) > 0 {
		chunk := reportIDs[:min(len(reportIDs), 500)]
		reportIDs = reportIDs[len(chunk):]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := db.r.QueryContext(ctx, db.q(`SELECT r.id, i.kind, i.value FROM reports r JOIN report_indicators ri ON ri.report_seq = r.seq
			JOIN indicators i ON i.id = ri.indicator_id WHERE ri.role <> 'victim_contact' AND r.id IN (?`+strings.Repeat(", ?", len(chunk)-1)+")"), args...)
		if err != nil {
			return nil, wrapErr("forced scammer", err)
		}
		byKey := map[string][]string{}
		var keys []any
		for rows.Next() {
			var id, kind, value string
			if err := rows.Scan(&id, &kind, &value); err != nil {
				rows.Close()
				return nil, wrapErr("forced scammer", err)
			}
			k := db.caseIndicatorKey(kind, value)
			if _, ok := byKey[string(k)]; !ok {
				keys = append(keys, k)
			}
			byKey[string(k)] = append(byKey[string(k)], id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, wrapErr("forced scammer", err)
		}
		for len(keys) > 0 {
			part := keys[:min(len(keys), 500)]
			keys = keys[len(part):]
			rows, err := db.r.QueryContext(ctx, db.q("SELECT DISTINCT key FROM case_indicators WHERE role = 'subject_contact' AND key IN (?"+
				strings.Repeat(", ?", len(part)-1)+")"), part...)
			if err != nil {
				return nil, wrapErr("forced scammer", err)
			}
			for rows.Next() {
				var k []byte
				if err := rows.Scan(&k); err != nil {
					rows.Close()
					return nil, wrapErr("forced scammer", err)
				}
				for _, id := range byKey[string(k)] {
					out[id] = true
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, wrapErr("forced scammer", err)
			}
		}
	}
	return out, nil
}

func wrapErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("store: %s: %w", what, err)
}
