package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"vigil/internal/report"
)

// reportPII is a report's personal data, sealed as one value: the
// narrative, the reporter's contact and the victim's own contacts. The
// victim's contacts never enter the indicators table, where they would
// lie in the clear and could be looked up.
type reportPII struct {
	Narrative string        `json:"n,omitempty"`
	Contact   string        `json:"c,omitempty"`
	Victim    []report.Link `json:"v,omitempty"`
}

// aad binds a sealed value to its row, so a sealed narrative copied onto
// another report does not open.
func reportAAD(id string) string { return "report:" + id }

func (db *DB) sealReport(r *report.Report, victim []report.Link) ([]byte, error) {
	p := reportPII{Narrative: r.Narrative, Contact: r.Contact, Victim: victim}
	if p.Narrative == "" && p.Contact == "" && len(p.Victim) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	return db.keys.Seal(b, []byte(reportAAD(r.ID))), nil
}

func (db *DB) openReport(r *report.Report, sealed []byte) error {
	if len(sealed) == 0 {
		return nil
	}
	b, err := db.keys.Open(sealed, []byte(reportAAD(r.ID)))
	if err != nil {
		return fmt.Errorf("unseal report %s: %w", r.ID, err)
	}
	var p reportPII
	if err := json.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("unseal report %s: %w", r.ID, err)
	}
	r.Narrative, r.Contact = p.Narrative, p.Contact
	r.Indicators = append(r.Indicators, p.Victim...)
	return nil
}

// indexTerms writes the blind-index terms of a narrative.
func (db *DB) indexTerms(ctx context.Context, tx *sql.Tx, seq int64, narrative string) error {
	for _, t := range db.keys.Terms(narrative) {
		_, err := tx.ExecContext(ctx, db.q("INSERT INTO report_terms (term, report_seq) VALUES (?, ?) ON CONFLICT DO NOTHING"), t, seq)
		if err != nil {
			return err
		}
	}
	return nil
}

// sealLegacy seals the personal data of reports written before sealing
// existed (migration 0002): their narratives and the victims' contacts,
// which then leave the indicators table.
func (db *DB) sealLegacy(ctx context.Context) error {
	for {
		var n int
		err := db.tx(ctx, func(tx *sql.Tx) error {
			rows, err := tx.QueryContext(ctx, db.q(reportColumns+" WHERE r.pii IS NULL AND (r.narrative <> '' OR EXISTS (SELECT 1 FROM report_indicators ri WHERE ri.report_seq = r.seq AND ri.role = 'victim_contact')) LIMIT 500"))
			if err != nil {
				return err
			}
			rs, seqs, err := db.scanReports(rows)
			if err != nil {
				return err
			}
			n = len(rs)
			for i := range rs {
				if err := db.resealReport(ctx, tx, &rs[i], seqs[i], true); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: seal legacy reports: %w", err)
		}
		if n == 0 {
			return nil
		}
	}
}

// resealReport writes r's personal data sealed under the current key and
// its blind-index terms anew. legacy moves the victim's contacts out of
// the links into the sealed value.
func (db *DB) resealReport(ctx context.Context, tx *sql.Tx, r *report.Report, seq int64, legacy bool) error {
	var victim []report.Link
	if legacy {
		rows, err := tx.QueryContext(ctx, db.q(`SELECT i.id, i.kind, i.value, ri.raw FROM report_indicators ri JOIN indicators i ON i.id = ri.indicator_id
			WHERE ri.report_seq = ? AND ri.role = 'victim_contact'`), seq)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var l report.Link
			var id int64
			var raw sql.NullString
			if err := rows.Scan(&id, &l.Kind, &l.Value, &raw); err != nil {
				rows.Close()
				return err
			}
			l.Raw, l.Role, l.Origin = raw.String, report.RoleVictimContact, "named"
			victim = append(victim, l)
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, db.q("DELETE FROM report_indicators WHERE report_seq = ? AND indicator_id = ?"), seq, id); err != nil {
				return err
			}
			if err := db.forget(ctx, tx, id); err != nil {
				return err
			}
		}
	} else {
		for _, l := range r.Indicators {
			if l.Role == report.RoleVictimContact {
				victim = append(victim, l)
			}
		}
	}
	sealed, err := db.sealReport(r, victim)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, db.q("UPDATE reports SET pii = ?, narrative = '' WHERE seq = ?"), sealed, seq); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, db.q("DELETE FROM report_terms WHERE report_seq = ?"), seq); err != nil {
		return err
	}
	return db.indexTerms(ctx, tx, seq, r.Narrative)
}

// forget deletes an indicator nothing refers to any more.
func (db *DB) forget(ctx context.Context, tx *sql.Tx, id int64) error {
	_, err := tx.ExecContext(ctx, db.q(`DELETE FROM indicators WHERE id = ? AND reports = 0 AND sources = 0 AND known_good IS NULL
		AND NOT EXISTS (SELECT 1 FROM report_indicators WHERE indicator_id = ?)`), id, id)
	return err
}

// RotateData re-seals every sealed value under the keyring's current key
// and rebuilds the blind indexes, which hang on the current key. Run it
// after auth.Keyring.Rotate, with no server running on the store.
func (db *DB) RotateData(ctx context.Context) (int, error) {
	total := 0
	after := int64(0)
	for {
		var n int
		err := db.tx(ctx, func(tx *sql.Tx) error {
			rows, err := tx.QueryContext(ctx, db.q(reportColumns+" WHERE r.seq > ? ORDER BY r.seq LIMIT 500"), after)
			if err != nil {
				return err
			}
			rs, seqs, err := db.scanReports(rows)
			if err != nil {
				return err
			}
			n = len(rs)
			for i := range rs {
				if err := db.resealReport(ctx, tx, &rs[i], seqs[i], false); err != nil {
					return err
				}
				after = seqs[i]
			}
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("store: rotate data key: %w", err)
		}
		total += n
		if n == 0 {
			break
		}
	}
	n, err := db.resealAccounts(ctx)
	if err != nil {
		return total, fmt.Errorf("store: rotate data key: %w", err)
	}
	total += n
	if n, err = db.resealCases(ctx); err != nil {
		return total, fmt.Errorf("store: rotate data key: %w", err)
	}
	total += n
	if n, err = db.resealWatches(ctx); err != nil {
		return total, fmt.Errorf("store: rotate data key: %w", err)
	}
	total += n
	err = db.tx(ctx, func(tx *sql.Tx) error {
		return db.audit(ctx, tx, "key.rotate_data", "", fmt.Sprintf("resealed %d records", total))
	})
	return total, err
}
