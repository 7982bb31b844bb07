package sqlstore

// TODO(cases helper): replace with the implementation.

import (
	"context"
	"errors"
	"time"

	"vigil/internal/report"
	"vigil/internal/store"
)

var errTODO = errors.New("not implemented yet")

func (db *DB) AddCase(ctx context.Context, c *report.Case, family *store.FamilyAccess) (string, error) {
	return "", errTODO
}
func (db *DB) Case(ctx context.Context, v store.Viewer, id string) (report.Case, error) {
	return report.Case{}, errTODO
}
func (db *DB) CaseByToken(ctx context.Context, tokenHash string) (report.Case, string, error) {
	return report.Case{}, "", errTODO
}
func (db *DB) Cases(ctx context.Context, v store.Viewer, q store.CaseQuery) ([]report.Case, string, error) {
	return nil, "", errTODO
}
func (db *DB) UpdateCase(ctx context.Context, c *report.Case) error { return errTODO }
func (db *DB) AddEvidence(ctx context.Context, caseID string, e report.EvidenceRef, data []byte) (report.EvidenceRef, error) {
	return e, errTODO
}
func (db *DB) Evidence(ctx context.Context, v store.Viewer, caseID, evidenceID string) (report.EvidenceRef, []byte, error) {
	return report.EvidenceRef{}, nil, errTODO
}
func (db *DB) Leads(ctx context.Context, v store.Viewer, caseID string) ([]store.Lead, error) {
	return nil, errTODO
}
func (db *DB) Place(ctx context.Context, v store.Viewer, placeID string) (store.PlaceActivity, error) {
	return store.PlaceActivity{}, errTODO
}
func (db *DB) ForcedScammer(ctx context.Context, reportIDs []string) (map[string]bool, error) {
	return nil, errTODO
}

var _ = time.Now
