package sqlstore

// TODO(watches helper): replace with the implementation.

import (
	"context"
	"time"

	"vigil/internal/store"
)

func (db *DB) AddWatch(ctx context.Context, w store.Watch) (store.Watch, error) { return w, errTODO }
func (db *DB) Watches(ctx context.Context, user string) ([]store.Watch, error) {
	return nil, errTODO
}
func (db *DB) DeleteWatch(ctx context.Context, user, id string) error { return errTODO }
func (db *DB) Alerts(ctx context.Context, user string, limit int) ([]store.Alert, error) {
	return nil, errTODO
}
func (db *DB) Deliveries(ctx context.Context, user, watchID string, limit int) ([]store.Delivery, error) {
	return nil, errTODO
}
func (db *DB) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]store.PendingDelivery, error) {
	return nil, errTODO
}
func (db *DB) RecordDelivery(ctx context.Context, id string, a store.Attempt, next time.Time) error {
	return errTODO
}
