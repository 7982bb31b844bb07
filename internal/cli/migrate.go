package cli

import (
	"fmt"

	"vigil/internal/store/sqlstore"
)

const migrateHelp = `
Apply the store's pending migrations (numbered SQL files embedded in the
binary, per database) and list them all with whether each is applied.
"vigil serve" does the same at start; this is for deployments that migrate
before rolling out new servers.

Exit status: 0 done, 2 an error.
`

func runMigrate(e *env, args []string) int {
	fs := newFlagSet(e, "migrate", "migrate [--db DSN]", migrateHelp, args)
	dsn := dbFlag(fs)
	format := fs.String("format", "table", "output format: table or json")
	if _, err := parseFlags(fs, args); err != nil {
		return flagErr(err)
	}
	db, err := openStore(e, *dsn, sqlstore.Options{})
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil migrate: %v\n", err)
		return ExitError
	}
	defer db.Close()
	ms, err := db.Migrations(e.ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil migrate: %v\n", err)
		return ExitError
	}
	if *format == "json" {
		return writeJSONOut(e, "migrate", map[string]any{"dialect": db.Dialect(), "migrations": ms})
	}
	for _, m := range ms {
		state := "applied"
		if !m.Applied {
			state = "pending"
		}
		fmt.Fprintf(e.stdout, "%04d  %-30s %s\n", m.Version, m.Name, state)
	}
	return ExitOK
}
