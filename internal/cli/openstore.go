package cli

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"vigil/internal/auth"
	"vigil/internal/store"
	"vigil/internal/store/sqlstore"
)

// keyFile is where the data key is kept: $VIGIL_KEY_FILE, else beside a
// SQLite store (vigil.db -> vigil.key), else vigil.key here.
func keyFile(dsn string) string {
	if f := os.Getenv("VIGIL_KEY_FILE"); f != "" {
		return f
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return "vigil.key"
	}
	return strings.TrimSuffix(dsn, filepath.Ext(dsn)) + ".key"
}

// loadKeys loads the data key: $VIGIL_DATA_KEY, or the key file, made on
// first use with a warning that it must be backed up.
func loadKeys(e *env, dsn string) (*auth.Keyring, error) {
	path := keyFile(dsn)
	k, created, err := auth.LoadKeyring(os.Getenv("VIGIL_DATA_KEY"), path)
	if err != nil {
		return nil, err
	}
	if created {
		fmt.Fprintf(e.stderr, `
**********************************************************************
  Vigil made a new data key: %s
  Personal data in the store is encrypted with it. BACK IT UP NOW and
  keep it apart from database backups: without it the encrypted data
  is lost for good; with it, anyone holding a copy of the database can
  read everything. (Or set VIGIL_DATA_KEY from a secret store.)
**********************************************************************

`, path)
	}
	return k, nil
}

// openStore opens the store named by dsn with its data key.
func openStore(e *env, dsn string, opts sqlstore.Options) (*sqlstore.DB, error) {
	keys, err := loadKeys(e, dsn)
	if err != nil {
		return nil, err
	}
	opts.Keys = keys
	return sqlstore.Open(e.ctx, dsn, opts)
}

// cliActor is the context of the command's writes, attributed in the
// audit log to the operating-system user running it.
func cliActor(e *env) context.Context {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	return store.WithActor(e.ctx, "cli:"+name)
}
