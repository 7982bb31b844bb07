package sqlstore

import (
	"context"
	"database/sql"

	"vigil/internal/store"
)

// event is a change that watches may be waiting for. The write that makes
// it calls emit in its own transaction, so an alert exists exactly when
// its change does.
type event struct {
	Name     string // "lead.new", "lead.gone", "report.new"
	Case     string // lead events: the case
	Lead     string // lead events: the lead's id
	LeadKind string
	Report   string // report.new: the report, its network and its values
	Network  string
	Values   []store.Key
}

// emit turns an event into alerts for the watches it concerns and, for
// watches with a webhook, into pending deliveries.
// TODO(watches helper): implement; until then events are dropped.
func (db *DB) emit(ctx context.Context, tx *sql.Tx, e event) error { return nil }
