package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"vigil/internal/report"
	"vigil/internal/store"
)

// maxSources is how many feeds fit the sources bit set.
const maxSources = 63

// sourceBit returns the bit of a feed, registering it on first use.
func (db *DB) sourceBit(ctx context.Context, tx *sql.Tx, name string) (int64, error) {
	var id int
	err := tx.QueryRowContext(ctx, db.q("SELECT id FROM sources WHERE name = ?"), name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM sources").Scan(&id); err != nil {
			return 0, err
		}
		if id >= maxSources {
			return 0, fmt.Errorf("%w: more than %d feeds", report.ErrInvalid, maxSources)
		}
		_, err = tx.ExecContext(ctx, db.q("INSERT INTO sources (id, name) VALUES (?, ?)"), id, name)
	}
	return 1 << id, err
}

// AddListed records a batch of values a feed lists, and the import's
// progress, in one transaction.
func (db *DB) AddListed(ctx context.Context, source string, knownGood bool, entries []store.Key, done store.ImportState) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var flipped []int64
		if knownGood {
			for _, e := range entries {
				id, networked, err := db.markKnownGood(ctx, tx, e, source)
				if err != nil {
					return err
				}
				if networked {
					flipped = append(flipped, id)
				}
			}
		} else {
			bit, err := db.sourceBit(ctx, tx, source)
			if err != nil {
				return err
			}
			now := ms(time.Now())
			stmt, err := tx.PrepareContext(ctx, db.q(`INSERT INTO indicators (kind, value, sources, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (kind, value) DO UPDATE SET sources = indicators.sources | excluded.sources,
				first_seen = COALESCE(indicators.first_seen, excluded.first_seen), last_seen = COALESCE(indicators.last_seen, excluded.last_seen)`))
			if err != nil {
				return err
			}
			defer stmt.Close()
			// The lookup index reads the rows back once this commits
			// (DB.tx): a RETURNING per row would cost more.
			for _, e := range entries {
				if _, err := stmt.ExecContext(ctx, string(e.Kind), e.Value, bit, now, now); err != nil {
					return err
				}
			}
		}
		if len(flipped) > 0 {
			// Known-good values stop connecting reports.
			if err := db.relabelAround(ctx, tx, flipped, nil); err != nil {
				return err
			}
		}
		if knownGood {
			// ... and make no leads.
			if err := db.syncNaming(ctx, tx, entries); err != nil {
				return err
			}
		}
		if err := db.audit(ctx, tx, "feed.import", source, fmt.Sprintf("%d values, known-good %t", len(entries), knownGood)); err != nil {
			return err
		}
		return db.saveProgress(ctx, tx, done)
	})
	if err != nil {
		return fmt.Errorf("store: add listed values of %s: %w", source, err)
	}
	return nil
}

// AddImported stores a batch of imported reports and the progress in one
// transaction.
func (db *DB) AddImported(ctx context.Context, reports []*report.Report, done store.ImportState) (int, error) {
	added := 0
	err := db.tx(ctx, func(tx *sql.Tx) error {
		added = 0
		for _, r := range reports {
			_, created, err := db.addReport(ctx, tx, r, store.Idempotency{}, false)
			if err != nil {
				return fmt.Errorf("report %s: %w", r.ImportKey, err)
			}
			if created {
				added++
			}
		}
		if added > 0 {
			err := db.audit(ctx, tx, "report.import", done.Path, fmt.Sprintf("%d reports, to line %d", added, done.Line))
			if err != nil {
				return err
			}
		}
		return db.saveProgress(ctx, tx, done)
	})
	if err != nil {
		return 0, fmt.Errorf("store: add imported reports: %w", err)
	}
	return added, nil
}

func (db *DB) saveProgress(ctx context.Context, tx *sql.Tx, s store.ImportState) error {
	if s.Key == "" {
		return nil
	}
	done := 0
	if s.Done {
		done = 1
	}
	_, err := tx.ExecContext(ctx, db.q(`INSERT INTO imports (key, path, line, done, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET path = excluded.path, line = excluded.line, done = excluded.done, updated_at = excluded.updated_at`),
		s.Key, s.Path, s.Line, done, ms(time.Now()))
	return err
}

// ImportProgress returns how far an import got (zero when never started).
func (db *DB) ImportProgress(ctx context.Context, key string) (store.ImportState, error) {
	s := store.ImportState{Key: key}
	var done int
	err := db.r.QueryRowContext(ctx, db.q("SELECT path, line, done FROM imports WHERE key = ?"), key).Scan(&s.Path, &s.Line, &done)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	s.Done = done != 0
	if err != nil {
		return s, fmt.Errorf("store: import progress: %w", err)
	}
	return s, nil
}

// markKnownGood marks an indicator known-good for reason, creating it if
// new (a reason it already had stays). It returns the indicator's id and
// whether it was in a network, which must then be re-derived without it.
func (db *DB) markKnownGood(ctx context.Context, tx *sql.Tx, k store.Key, reason string) (int64, bool, error) {
	var id int64
	var net sql.NullString
	err := tx.QueryRowContext(ctx, db.q(`INSERT INTO indicators (kind, value, known_good) VALUES (?, ?, ?)
		ON CONFLICT (kind, value) DO UPDATE SET known_good = COALESCE(indicators.known_good, excluded.known_good)
		RETURNING id, network_id`), string(k.Kind), k.Value, reason).Scan(&id, &net)
	return id, net.Valid, err
}
