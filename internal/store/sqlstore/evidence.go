package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"time"

	"vigil/internal/report"
	"vigil/internal/store"
)

// evidenceMeta is what of a file's description is personal: its name
// (often a person's) and the note on it.
type evidenceMeta struct {
	Name string `json:"n,omitempty"`
	Note string `json:"t,omitempty"`
}

func evidenceAAD(id string) []byte     { return []byte("evidence:" + id) }
func evidenceMetaAAD(id string) []byte { return []byte("evidence-meta:" + id) }

// parsePHash reads a 64-bit perceptual hash written as 16 hex digits.
func parsePHash(s string) (uint64, bool) {
	if len(s) != 16 {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 16, 64)
	return v, err == nil
}

// phashDistance is the Hamming distance of two perceptual hashes; -1 when
// either is unreadable.
func phashDistance(a, b string) int {
	x, okA := parsePHash(a)
	y, okB := parsePHash(b)
	if !okA || !okB {
		return -1
	}
	return bits.OnesCount64(x ^ y)
}

// AddEvidence stores a file of a case, sealed, and matches the photo
// leads of the case and of the cases holding a near photo.
func (db *DB) AddEvidence(ctx context.Context, caseID string, e report.EvidenceRef, data []byte) (report.EvidenceRef, error) {
	sum := sha256.Sum256(data)
	if e.SHA256 == "" {
		e.SHA256 = hex.EncodeToString(sum[:])
	}
	e.SHA256 = strings.ToLower(e.SHA256)
	if e.SHA256 != hex.EncodeToString(sum[:]) {
		return e, fmt.Errorf("store: add evidence to case %s: %w: the SHA-256 given is not that of the data", caseID, report.ErrInvalid)
	}
	e.PHash = strings.ToLower(e.PHash)
	if _, ok := parsePHash(e.PHash); e.PHash != "" && !ok {
		return e, fmt.Errorf("store: add evidence to case %s: %w: a perceptual hash is 16 hex digits", caseID, report.ErrInvalid)
	}
	e.ID = newID()
	e.Size = int64(len(data))
	e.AddedAt = time.Now().UTC().Truncate(time.Millisecond)
	err := db.quietTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM cases WHERE id = ?"), caseID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		if err := db.writeEvidence(ctx, tx, caseID, e, data, true); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q("UPDATE cases SET updated_at = ? WHERE id = ? AND updated_at < ?"), ms(e.AddedAt), caseID, ms(e.AddedAt)); err != nil {
			return err
		}
		if err := db.audit(ctx, tx, "case.evidence.add", caseID, e.ID+" "+e.ContentType+" sha256="+e.SHA256); err != nil {
			return err
		}
		if e.PHash == "" {
			return nil
		}
		near, err := db.photoNeighbours(ctx, tx, caseID)
		if err != nil {
			return err
		}
		return db.syncCases(ctx, tx, append([]string{caseID}, near...))
	})
	if err != nil {
		return e, fmt.Errorf("store: add evidence to case %s: %w", caseID, err)
	}
	return e, nil
}

// writeEvidence seals and writes a file: a new row, or an existing row's
// sealed parts anew (after the data key rotated).
func (db *DB) writeEvidence(ctx context.Context, tx *sql.Tx, caseID string, e report.EvidenceRef, data []byte, insert bool) error {
	var meta []byte
	if e.Name != "" || e.Note != "" {
		b, err := json.Marshal(evidenceMeta{Name: e.Name, Note: e.Note})
		if err != nil {
			return err
		}
		meta = db.keys.Seal(b, evidenceMetaAAD(e.ID))
	}
	sealed := db.keys.Seal(data, evidenceAAD(e.ID))
	if !insert {
		_, err := tx.ExecContext(ctx, db.q("UPDATE evidence SET pii = ?, data = ? WHERE id = ?"), meta, sealed, e.ID)
		return err
	}
	_, err := tx.ExecContext(ctx, db.q(`INSERT INTO evidence (id, case_id, pii, content_type, size, sha256, phash, data, added_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), e.ID, caseID, meta, e.ContentType, e.Size, e.SHA256, nullString(e.PHash), sealed, ms(e.AddedAt))
	return err
}

const evidenceColumns = "SELECT id, pii, content_type, size, sha256, phash, added_at FROM evidence"

// scanEvidence reads files' descriptions and unseals their names.
func (db *DB) scanEvidence(rows *sql.Rows) ([]report.EvidenceRef, error) {
	defer rows.Close()
	out := []report.EvidenceRef{}
	for rows.Next() {
		var e report.EvidenceRef
		var meta []byte
		var phash sql.NullString
		var added int64
		if err := rows.Scan(&e.ID, &meta, &e.ContentType, &e.Size, &e.SHA256, &phash, &added); err != nil {
			return nil, err
		}
		e.PHash, e.AddedAt = phash.String, time.UnixMilli(added).UTC()
		if len(meta) > 0 {
			var m evidenceMeta
			b, err := db.keys.Open(meta, evidenceMetaAAD(e.ID))
			if err == nil {
				err = json.Unmarshal(b, &m)
			}
			if err != nil {
				return nil, fmt.Errorf("unseal evidence %s: %w", e.ID, err)
			}
			e.Name, e.Note = m.Name, m.Note
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// listEvidence lists a case's files, oldest first.
func (db *DB) listEvidence(ctx context.Context, q querier, caseID string) ([]report.EvidenceRef, error) {
	rows, err := q.QueryContext(ctx, db.q(evidenceColumns+" WHERE case_id = ? ORDER BY id"), caseID)
	if err != nil {
		return nil, err
	}
	return db.scanEvidence(rows)
}

// Evidence returns a file of a case v may see, unsealed; the read is
// audited.
func (db *DB) Evidence(ctx context.Context, v store.Viewer, caseID, evidenceID string) (report.EvidenceRef, []byte, error) {
	var e report.EvidenceRef
	var data []byte
	err := func() error {
		var org sql.NullString
		err := db.r.QueryRowContext(ctx, db.q("SELECT owner_org FROM cases WHERE id = ?"), caseID).Scan(&org)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !v.SeesCase(org.String)) {
			return store.ErrNotFound
		} else if err != nil {
			return err
		}
		rows, err := db.r.QueryContext(ctx, db.q(evidenceColumns+" WHERE id = ? AND case_id = ?"), evidenceID, caseID)
		if err != nil {
			return err
		}
		es, err := db.scanEvidence(rows)
		if err != nil {
			return err
		}
		if len(es) == 0 {
			return store.ErrNotFound
		}
		e = es[0]
		var sealed []byte
		if err := db.r.QueryRowContext(ctx, db.q("SELECT data FROM evidence WHERE id = ?"), evidenceID).Scan(&sealed); err != nil {
			return err
		}
		if data, err = db.keys.Open(sealed, evidenceAAD(evidenceID)); err != nil {
			return fmt.Errorf("unseal evidence %s: %w", evidenceID, err)
		}
		return db.quietTx(ctx, func(tx *sql.Tx) error { return db.audit(ctx, tx, "case.evidence.read", caseID, evidenceID) })
	}()
	if err != nil {
		return report.EvidenceRef{}, nil, fmt.Errorf("store: evidence %s of case %s: %w", evidenceID, caseID, err)
	}
	return e, data, nil
}

// resealEvidence re-seals every file under the current key, a few files
// per transaction: files are large.
func (db *DB) resealEvidence(ctx context.Context) (int, error) {
	total := 0
	after := ""
	for {
		var n int
		err := db.tx(ctx, func(tx *sql.Tx) error {
			rows, err := tx.QueryContext(ctx, db.q("SELECT id, case_id, pii, data FROM evidence WHERE id > ? ORDER BY id LIMIT 16"), after)
			if err != nil {
				return err
			}
			type file struct {
				id, caseID string
				meta, data []byte
			}
			var fs []file
			for rows.Next() {
				var f file
				if err := rows.Scan(&f.id, &f.caseID, &f.meta, &f.data); err != nil {
					rows.Close()
					return err
				}
				fs = append(fs, f)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			n = len(fs)
			for _, f := range fs {
				e := report.EvidenceRef{ID: f.id}
				if len(f.meta) > 0 {
					b, err := db.keys.Open(f.meta, evidenceMetaAAD(f.id))
					var m evidenceMeta
					if err == nil {
						err = json.Unmarshal(b, &m)
					}
					if err != nil {
						return fmt.Errorf("unseal evidence %s: %w", f.id, err)
					}
					e.Name, e.Note = m.Name, m.Note
				}
				data, err := db.keys.Open(f.data, evidenceAAD(f.id))
				if err != nil {
					return fmt.Errorf("unseal evidence %s: %w", f.id, err)
				}
				if err := db.writeEvidence(ctx, tx, f.caseID, e, data, false); err != nil {
					return err
				}
				after = f.id
			}
			return nil
		})
		if err != nil {
			return total, err
		}
		total += n
		if n == 0 {
			return total, nil
		}
	}
}
