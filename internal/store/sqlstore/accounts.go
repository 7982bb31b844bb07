package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"vigil/internal/auth"
	"vigil/internal/store"
)

// isUnique tells whether err is a unique-constraint violation.
func isUnique(err error) bool {
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint") || strings.Contains(s, "SQLSTATE 23505")
}

// AddOrg stores an organisation.
func (db *DB) AddOrg(ctx context.Context, o store.Org) (store.Org, error) {
	if o.ID == "" {
		o.ID = newID()
	}
	o.CreatedAt = time.Now().UTC().Truncate(time.Millisecond)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, db.q("INSERT INTO orgs (id, name, trusted, created_at) VALUES (?, ?, ?, ?)"), o.ID, o.Name, b2i(o.Trusted), ms(o.CreatedAt))
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, "org.create", o.ID, fmt.Sprintf("name=%q trusted=%t", o.Name, o.Trusted))
	})
	if err != nil {
		if isUnique(err) {
			return o, fmt.Errorf("store: add organisation %q: %w: the name is taken", o.Name, store.ErrConflict)
		}
		return o, fmt.Errorf("store: add organisation: %w", err)
	}
	return o, nil
}

// Org returns an organisation.
func (db *DB) Org(ctx context.Context, id string) (store.Org, error) {
	var o store.Org
	var trusted int
	var created int64
	err := db.r.QueryRowContext(ctx, db.q("SELECT id, name, trusted, created_at FROM orgs WHERE id = ?"), id).Scan(&o.ID, &o.Name, &trusted, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return o, fmt.Errorf("store: organisation %s: %w", id, store.ErrNotFound)
	}
	o.Trusted, o.CreatedAt = trusted != 0, time.UnixMilli(created).UTC()
	return o, err
}

// Orgs lists organisations by name.
func (db *DB) Orgs(ctx context.Context) ([]store.Org, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT id, name, trusted, created_at FROM orgs ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("store: organisations: %w", err)
	}
	defer rows.Close()
	out := []store.Org{}
	for rows.Next() {
		var o store.Org
		var trusted int
		var created int64
		if err := rows.Scan(&o.ID, &o.Name, &trusted, &created); err != nil {
			return nil, err
		}
		o.Trusted, o.CreatedAt = trusted != 0, time.UnixMilli(created).UTC()
		out = append(out, o)
	}
	return out, rows.Err()
}

// SetPartners replaces the organisations that see org's TLP:AMBER reports.
func (db *DB) SetPartners(ctx context.Context, org string, partners []string) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q("DELETE FROM org_partners WHERE org = ?"), org); err != nil {
			return err
		}
		for _, p := range partners {
			if p == org {
				continue
			}
			if _, err := tx.ExecContext(ctx, db.q("INSERT INTO org_partners (org, partner) VALUES (?, ?) ON CONFLICT DO NOTHING"), org, p); err != nil {
				return err
			}
		}
		return db.audit(ctx, tx, "org.partners", org, strings.Join(partners, ","))
	})
	if err != nil {
		return fmt.Errorf("store: set partners of %s: %w", org, err)
	}
	return nil
}

// AmberOrgs lists org and the organisations that list it as a partner.
func (db *DB) AmberOrgs(ctx context.Context, org string) ([]string, error) {
	if org == "" {
		return nil, nil
	}
	out, err := db.amberOrgs(ctx, db.r, org)
	if err != nil {
		return nil, fmt.Errorf("store: partners of %s: %w", org, err)
	}
	return out, nil
}

// amberOrgs is AmberOrgs read through q: a transaction's own view when
// a write computes what an organisation sees.
func (db *DB) amberOrgs(ctx context.Context, q querier, org string) ([]string, error) {
	rows, err := q.QueryContext(ctx, db.q("SELECT org FROM org_partners WHERE partner = ? ORDER BY org"), org)
	if err != nil {
		return nil, err
	}
	partners, err := scanStrings(rows)
	return append([]string{org}, partners...), err
}

// userPII is an account's personal data, sealed.
type userPII struct {
	Login string `json:"l"`
	Name  string `json:"n,omitempty"`
}

func loginHash(k *auth.Keyring, login string) []byte {
	return k.Blind("login", strings.ToLower(strings.TrimSpace(login)))
}

func (db *DB) sealUser(u store.User) ([]byte, error) {
	b, err := json.Marshal(userPII{Login: u.Login, Name: u.Name})
	if err != nil {
		return nil, err
	}
	return db.keys.Seal(b, []byte("user:"+u.ID)), nil
}

// AddUser stores an account.
func (db *DB) AddUser(ctx context.Context, u store.User) (store.User, error) {
	if u.ID == "" {
		u.ID = newID()
	}
	u.CreatedAt = time.Now().UTC().Truncate(time.Millisecond)
	sealed, err := db.sealUser(u)
	if err != nil {
		return u, fmt.Errorf("store: add user: %w", err)
	}
	err = db.quietTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO users (id, login_hash, pii, role, org, password_hash, must_change, disabled, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), u.ID, loginHash(db.keys, u.Login), sealed, string(u.Role), nullString(u.Org),
			u.PasswordHash, b2i(u.MustChange), b2i(u.Disabled), ms(u.CreatedAt))
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, "user.create", u.ID, fmt.Sprintf("role=%s org=%s", u.Role, u.Org))
	})
	if err != nil {
		if isUnique(err) {
			return u, fmt.Errorf("store: add user: %w: the login is taken", store.ErrConflict)
		}
		return u, fmt.Errorf("store: add user: %w", err)
	}
	return u, nil
}

const userColumns = "SELECT id, pii, role, org, password_hash, must_change, disabled, created_at FROM users"

func (db *DB) scanUser(row interface{ Scan(...any) error }) (store.User, error) {
	var u store.User
	var sealed []byte
	var role string
	var org sql.NullString
	var must, disabled int
	var created int64
	if err := row.Scan(&u.ID, &sealed, &role, &org, &u.PasswordHash, &must, &disabled, &created); err != nil {
		return u, err
	}
	u.Role, u.Org, u.MustChange, u.Disabled = auth.Role(role), org.String, must != 0, disabled != 0
	u.CreatedAt = time.UnixMilli(created).UTC()
	b, err := db.keys.Open(sealed, []byte("user:"+u.ID))
	if err != nil {
		return u, fmt.Errorf("unseal user %s: %w", u.ID, err)
	}
	var p userPII
	if err := json.Unmarshal(b, &p); err != nil {
		return u, fmt.Errorf("unseal user %s: %w", u.ID, err)
	}
	u.Login, u.Name = p.Login, p.Name
	return u, nil
}

// User returns an account.
func (db *DB) User(ctx context.Context, id string) (store.User, error) {
	u, err := db.scanUser(db.r.QueryRowContext(ctx, db.q(userColumns+" WHERE id = ?"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("store: user %s: %w", id, store.ErrNotFound)
	}
	return u, err
}

// UserByLogin finds an account by its login.
func (db *DB) UserByLogin(ctx context.Context, login string) (store.User, error) {
	u, err := db.scanUser(db.r.QueryRowContext(ctx, db.q(userColumns+" WHERE login_hash = ?"), loginHash(db.keys, login)))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("store: user: %w", store.ErrNotFound)
	}
	return u, err
}

// Users lists accounts, oldest first.
func (db *DB) Users(ctx context.Context) ([]store.User, error) {
	rows, err := db.r.QueryContext(ctx, userColumns+" ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	defer rows.Close()
	out := []store.User{}
	for rows.Next() {
		u, err := db.scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("store: users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UpdateUser changes an account; disabling it or changing its password
// ends its sessions.
func (db *DB) UpdateUser(ctx context.Context, u store.User) error {
	err := db.quietTx(ctx, func(tx *sql.Tx) error {
		var oldHash string
		var oldDisabled int
		err := tx.QueryRowContext(ctx, db.q("SELECT password_hash, disabled FROM users WHERE id = ?"), u.ID).Scan(&oldHash, &oldDisabled)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		} else if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, db.q("UPDATE users SET role = ?, org = ?, password_hash = ?, must_change = ?, disabled = ? WHERE id = ?"),
			string(u.Role), nullString(u.Org), u.PasswordHash, b2i(u.MustChange), b2i(u.Disabled), u.ID)
		if err != nil {
			return err
		}
		if u.Disabled || oldHash != u.PasswordHash {
			if _, err := tx.ExecContext(ctx, db.q("DELETE FROM sessions WHERE user_id = ?"), u.ID); err != nil {
				return err
			}
		}
		detail := fmt.Sprintf("role=%s org=%s disabled=%t password_changed=%t", u.Role, u.Org, u.Disabled, oldHash != u.PasswordHash)
		return db.audit(ctx, tx, "user.update", u.ID, detail)
	})
	if err != nil {
		return fmt.Errorf("store: update user %s: %w", u.ID, err)
	}
	return nil
}

// CountUsers counts accounts.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}

// AddSession stores a session.
func (db *DB) AddSession(ctx context.Context, s store.Session) error {
	err := db.quietTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, db.q("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)"),
			s.TokenHash, s.User.ID, ms(s.CreatedAt), ms(s.ExpiresAt))
		if err != nil {
			return err
		}
		// Expired sessions go as new ones come.
		if _, err := tx.ExecContext(ctx, db.q("DELETE FROM sessions WHERE expires_at < ?"), ms(time.Now())); err != nil {
			return err
		}
		return db.audit(ctx, tx, "session.create", s.User.ID, "")
	})
	if err != nil {
		return fmt.Errorf("store: add session: %w", err)
	}
	return nil
}

// Session returns a live session of an enabled user.
func (db *DB) Session(ctx context.Context, tokenHash string) (store.Session, error) {
	s := store.Session{TokenHash: tokenHash}
	var uid string
	var created, expires int64
	err := db.r.QueryRowContext(ctx, db.q("SELECT user_id, created_at, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?"), tokenHash, ms(time.Now())).
		Scan(&uid, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("store: session: %w", store.ErrNotFound)
	} else if err != nil {
		return s, fmt.Errorf("store: session: %w", err)
	}
	s.CreatedAt, s.ExpiresAt = time.UnixMilli(created).UTC(), time.UnixMilli(expires).UTC()
	if s.User, err = db.User(ctx, uid); err != nil {
		return s, err
	}
	if s.User.Disabled {
		return s, fmt.Errorf("store: session: %w", store.ErrNotFound)
	}
	return s, nil
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	err := db.quietTx(ctx, func(tx *sql.Tx) error {
		var uid string
		err := tx.QueryRowContext(ctx, db.q("DELETE FROM sessions WHERE token_hash = ? RETURNING user_id"), tokenHash).Scan(&uid)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		return db.audit(ctx, tx, "session.delete", uid, "")
	})
	if err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// AddKey stores an API key by its hash.
func (db *DB) AddKey(ctx context.Context, k store.APIKey) error {
	perms := make([]string, len(k.Perms))
	for i, p := range k.Perms {
		perms[i] = string(p)
	}
	err := db.quietTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, db.q("INSERT INTO api_keys (id, hash, name, org, perms, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
			k.ID, k.Hash, k.Name, k.Org, strings.Join(perms, " "), k.CreatedBy, ms(k.CreatedAt))
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, "key.create", k.ID, fmt.Sprintf("org=%s permissions=%s", k.Org, strings.Join(perms, ",")))
	})
	if err != nil {
		if isUnique(err) {
			return fmt.Errorf("store: add key: %w", store.ErrConflict)
		}
		return fmt.Errorf("store: add key: %w", err)
	}
	return nil
}

const keyColumns = "SELECT id, hash, name, org, perms, created_by, created_at, revoked_at FROM api_keys"

func scanKey(row interface{ Scan(...any) error }) (store.APIKey, error) {
	var k store.APIKey
	var perms string
	var created int64
	var revoked sql.NullInt64
	if err := row.Scan(&k.ID, &k.Hash, &k.Name, &k.Org, &perms, &k.CreatedBy, &created, &revoked); err != nil {
		return k, err
	}
	k.CreatedAt = time.UnixMilli(created).UTC()
	if revoked.Valid {
		t := fromMS(revoked)
		k.RevokedAt = &t
	}
	k.Perms = []auth.Permission{}
	for _, p := range strings.Fields(perms) {
		k.Perms = append(k.Perms, auth.Permission(p))
	}
	return k, nil
}

// KeyByHash returns an unrevoked key.
func (db *DB) KeyByHash(ctx context.Context, hash string) (store.APIKey, error) {
	k, err := scanKey(db.r.QueryRowContext(ctx, db.q(keyColumns+" WHERE hash = ? AND revoked_at IS NULL"), hash))
	if errors.Is(err, sql.ErrNoRows) {
		return k, fmt.Errorf("store: key: %w", store.ErrNotFound)
	}
	return k, err
}

// Keys lists API keys.
func (db *DB) Keys(ctx context.Context) ([]store.APIKey, error) {
	rows, err := db.r.QueryContext(ctx, keyColumns+" ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("store: keys: %w", err)
	}
	defer rows.Close()
	out := []store.APIKey{}
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// RevokeKey revokes a key.
func (db *DB) RevokeKey(ctx context.Context, id string) error {
	err := db.quietTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"), ms(time.Now()), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return db.audit(ctx, tx, "key.revoke", id, "")
	})
	if err != nil {
		return fmt.Errorf("store: revoke key %s: %w", id, err)
	}
	return nil
}

// resealAccounts re-seals users and disputes under the current key and
// recomputes the login hashes.
func (db *DB) resealAccounts(ctx context.Context) (int, error) {
	n := 0
	err := db.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, userColumns)
		if err != nil {
			return err
		}
		var users []store.User
		for rows.Next() {
			u, err := db.scanUser(rows)
			if err != nil {
				rows.Close()
				return err
			}
			users = append(users, u)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, u := range users {
			sealed, err := db.sealUser(u)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, db.q("UPDATE users SET pii = ?, login_hash = ? WHERE id = ?"), sealed, loginHash(db.keys, u.Login), u.ID); err != nil {
				return err
			}
			n++
		}
		ds, err := db.scanDisputes(ctx, tx, "SELECT "+disputeColumns+" FROM disputes")
		if err != nil {
			return err
		}
		for _, d := range ds {
			if _, err := tx.ExecContext(ctx, db.q("UPDATE disputes SET pii = ? WHERE id = ?"), db.sealDispute(d), d.ID); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
