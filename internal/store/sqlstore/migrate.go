package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrations embed.FS

// Migration is one numbered SQL file.
type Migration struct {
	Version int    `json:"version"`
	Name    string `json:"name"`
	Applied bool   `json:"applied"`
}

// Migrate applies the dialect's pending migrations in order, each in its
// own transaction, recording each in schema_migrations. It returns the
// migrations applied now.
func (db *DB) Migrate(ctx context.Context) ([]Migration, error) {
	all, err := db.migrationFiles()
	if err != nil {
		return nil, err
	}
	create := "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
	if _, err := db.w.ExecContext(ctx, create); err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	var applied []Migration
	for _, m := range all {
		var done bool
		err := db.quietTx(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM schema_migrations WHERE version = ?"), m.Version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				done = true
				return nil
			}
			body, err := migrations.ReadFile("migrations/" + db.Dialect() + "/" + m.Name)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, db.q("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"), m.Version, m.Name, ms(time.Now()))
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("store: migration %s: %w", m.Name, err)
		}
		if !done {
			m.Applied = true
			applied = append(applied, m)
		}
	}
	return applied, nil
}

// Migrations lists the dialect's migrations and whether each is applied.
func (db *DB) Migrations(ctx context.Context) ([]Migration, error) {
	all, err := db.migrationFiles()
	if err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	defer rows.Close()
	have := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		have[v] = true
	}
	for i := range all {
		all[i].Applied = have[all[i].Version]
	}
	return all, rows.Err()
}

func (db *DB) migrationFiles() ([]Migration, error) {
	entries, err := fs.ReadDir(migrations, "migrations/"+db.Dialect())
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("store: migration file %q is not NNNN_name.sql", e.Name())
		}
		out = append(out, Migration{Version: v, Name: e.Name()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}
