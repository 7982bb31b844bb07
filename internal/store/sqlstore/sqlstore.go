// Package sqlstore implements store.Store over SQL: embedded SQLite (the
// default, modernc.org/sqlite, pure Go) and PostgreSQL (pgx). The two
// share this code; what differs (placeholders, the text index, locking,
// migrations) is confined to dialect and the migration files, so one
// conformance suite (storetest) holds both to the same behaviour.
package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
	"github.com/oklog/ulid/v2"
	_ "modernc.org/sqlite" // driver "sqlite"

	"vigil/internal/auth"
	"vigil/internal/store"
)

// Options configure a DB.
type Options struct {
	// OverCommon is the number of reports above which an indicator is
	// over-common and stops connecting reports (default 100).
	OverCommon int
	// LookupIndex keeps the in-memory key index of lookups (see keyIndex):
	// for a server answering many lookups. Commands that import or answer
	// a few lookups go without: loading it would cost more than it saves.
	LookupIndex bool
	// Keys seal personal data and key the blind index and the audit
	// chain; required (auth.LoadKeyring).
	Keys *auth.Keyring
	// Log hears how the lookup index loads and whether its refreshes
	// fail (nil: nothing is logged).
	Log *slog.Logger
}

// DefaultOverCommon is the default Options.OverCommon.
const DefaultOverCommon = 100

// DB is a Store over SQLite or PostgreSQL.
type DB struct {
	postgres   bool
	keys       *auth.Keyring
	w, r       *sql.DB // writes (one connection on SQLite), reads
	overCommon int
	rebound    sync.Map // query with ? -> query with $n

	// srcNames[b] names the source of bit b, once read; copied on write
	// (under srcMu), so that lookups read it without a lock.
	srcMu    sync.Mutex
	srcNames atomic.Pointer[[maxSources]string]

	index       *keyIndex
	byID, byKey *sql.Stmt // the lookup queries, prepared once
	stop        context.CancelFunc
	following   sync.WaitGroup
}

var _ store.Store = (*DB)(nil)

// Open opens the store named by dsn and applies pending migrations. A dsn
// starting with postgres:// or postgresql:// is PostgreSQL; anything else
// is a SQLite file path (created if missing).
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	if opts.OverCommon <= 0 {
		opts.OverCommon = DefaultOverCommon
	}
	if opts.Keys == nil {
		return nil, errors.New("store: open: no data key")
	}
	db := &DB{overCommon: opts.OverCommon, keys: opts.Keys, index: newKeyIndex()}
	db.srcNames.Store(new([maxSources]string))
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db.postgres = true
		db.w, err = sql.Open("pgx", dsn)
		if err == nil {
			db.w.SetMaxOpenConns(16)
			db.r = db.w
		}
	} else {
		db.w, db.r, err = openSQLite(dsn)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	if err := db.w.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", redact(dsn), err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.sealLegacy(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if db.byID, err = db.r.PrepareContext(ctx, db.q(lookupColumns+" WHERE i.id = ?")); err == nil {
		db.byKey, err = db.r.PrepareContext(ctx, db.q(lookupColumns+" WHERE i.kind = ? AND i.value = ?"))
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open: %w", err)
	}
	if !opts.LookupIndex {
		return db, nil
	}
	db.index.on = true
	db.index.log = opts.Log
	if db.index.log == nil {
		db.index.log = slog.New(slog.DiscardHandler)
	}
	fctx, stop := context.WithCancel(context.Background())
	db.stop = stop
	db.following.Add(1)
	go func() {
		defer db.following.Done()
		db.index.follow(fctx, db)
	}()
	return db, nil
}

// openSQLite opens one single-connection pool for writes and a pool for
// reads. busy_timeout comes first so that the other pragmas wait for a
// lock rather than fail; synchronous=FULL makes a commit durable when it
// returns, even across a power cut, in WAL mode.
func openSQLite(path string) (w, r *sql.DB, err error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, nil, fmt.Errorf("bad SQLite path %q", path)
	}
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)"
	u := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas
	if w, err = sql.Open("sqlite", u+"&_txlock=immediate"); err != nil {
		return nil, nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if r, err = sql.Open("sqlite", u+"&_pragma=query_only(1)"); err != nil {
		w.Close()
		return nil, nil, err
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	return w, r, nil
}

func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		u.User = url.User(u.User.Username())
		return u.String()
	}
	return dsn
}

// Close closes the store.
func (db *DB) Close() error {
	if db.stop != nil {
		db.stop()
		db.following.Wait()
	}
	db.index.close()
	for _, st := range []*sql.Stmt{db.byID, db.byKey} {
		if st != nil {
			st.Close()
		}
	}
	err := db.w.Close()
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// Dialect names the database: "sqlite" or "postgres".
func (db *DB) Dialect() string {
	if db.postgres {
		return "postgres"
	}
	return "sqlite"
}

// q rewrites a query written with ? placeholders for the dialect.
func (db *DB) q(query string) string {
	if !db.postgres {
		return query
	}
	if v, ok := db.rebound.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	db.rebound.Store(query, b.String())
	return b.String()
}

// tx runs fn in a write transaction that may change what lookups answer
// (reports, indicators, feeds, disputes). It moves the lookup version
// before fn writes (the rows fn changes are stamped with it, see index.go)
// and, once committed, brings this process's lookup index up to date
// before it returns. On PostgreSQL, writes are serialised by an advisory
// lock: network maintenance reads and rewrites labels across many rows,
// and two writers merging the same networks at once would each see a
// stale picture; it also keeps lookup versions in commit order. (SQLite
// has one writer anyway.)
func (db *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	return db.write(ctx, true, fn)
}

// quietTx runs fn in a write transaction that changes nothing a lookup
// reads: accounts, the audit log, cases, watches and deliveries, and
// migrations (run before any lookup).
func (db *DB) quietTx(ctx context.Context, fn func(*sql.Tx) error) error {
	return db.write(ctx, false, fn)
}

func (db *DB) write(ctx context.Context, lookups bool, fn func(*sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if db.postgres {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(7411)"); err != nil {
			tx.Rollback()
			return err
		}
	}
	if lookups {
		if _, err := tx.ExecContext(ctx, "UPDATE lookup_version SET n = n + 1 WHERE id = 1"); err != nil {
			tx.Rollback()
			return err
		}
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if lookups && db.index.ready.Load() {
		// Should this fail, the next refresh, within refreshEvery,
		// catches up; the write itself is done.
		db.index.refresh(context.WithoutCancel(ctx), db)
	}
	return nil
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

func newID() string { return ulid.Make().String() }

// Secret returns the random secret called name, made on first use and kept
// in the store so every server sharing the store has the same one.
func (db *DB) Secret(ctx context.Context, name string) ([]byte, error) {
	var v []byte
	err := db.quietTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, db.q("SELECT value FROM secrets WHERE name = ?"), name).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			v = make([]byte, 32)
			rand.Read(v)
			_, err = tx.ExecContext(ctx, db.q("INSERT INTO secrets (name, value) VALUES (?, ?)"), name, v)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: secret %s: %w", name, err)
	}
	return v, nil
}

// IntegrityCheck runs SQLite's integrity_check ("ok" when sound); on
// PostgreSQL it returns "ok" once the server answers.
func (db *DB) IntegrityCheck(ctx context.Context) (string, error) {
	if db.postgres {
		return "ok", db.w.PingContext(ctx)
	}
	var s string
	err := db.r.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&s)
	return s, err
}

// Ping tells whether the store answers.
func (db *DB) Ping(ctx context.Context) error {
	return db.w.PingContext(ctx)
}

// CountReports counts stored reports.
func (db *DB) CountReports(ctx context.Context) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM reports").Scan(&n)
	return n, err
}
