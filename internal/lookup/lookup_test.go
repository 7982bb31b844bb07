package lookup

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"vigil/internal/extract"
	"vigil/internal/report"
	"vigil/internal/store"
	"vigil/internal/store/sqlstore"
)

// TestAsk answers from a real store: counts, confidence, other readings,
// known-good values, unreadable values.
func TestAsk(t *testing.T) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "v.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, who := range []string{"a", "b", "b"} {
		r := &report.Report{Kind: "scam", ScamType: "task", Channel: "qq", Narrative: "x", Status: "new", Reporter: who, Source: "api",
			Indicators: []report.Link{{Kind: "qq", Value: "12345678", Role: report.RoleScammerContact, Origin: "named"}}}
		if i == 2 {
			r.Indicators = append(r.Indicators, report.Link{Kind: "phone", Value: "110", Role: report.RoleMentioned, Origin: "named", KnownGood: "Police"})
		}
		if _, _, err := db.AddReport(ctx, r, store.Idempotency{}); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now().Add(time.Hour)
	s := &Service{X: extract.New(extract.Options{}), Store: db, Now: func() time.Time { return now }}
	a, err := s.Ask(ctx, "12345678", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind != "qq" || !a.Known || a.Reports != 3 || a.Reporters != 2 || a.Level != report.LevelMedium || a.Confidence < 0.7 || a.FirstSeen == nil {
		t.Errorf("qq: %+v", a)
	}
	a, err = s.Ask(ctx, "110", "phone", "CN")
	if err != nil || !a.KnownGood || a.Known || a.Level != report.LevelNone || a.Warning != "Police" {
		t.Errorf("110: %+v %v", a, err)
	}
	if _, err := s.Ask(ctx, "no such thing here", "", ""); !errors.Is(err, ErrInvalid) {
		t.Errorf("unreadable: %v", err)
	}
	as, err := s.Batch(ctx, []string{"?", "12345678", "@nobody_here"}, "", "")
	if err != nil || len(as) != 3 || as[0].Error == "" || as[1].Reports != 3 || as[2].Known || as[2].Kind != "telegram" {
		t.Errorf("batch: %+v %v", as, err)
	}
	if _, err := s.Batch(ctx, make([]string, MaxBatch+1), "", ""); !errors.Is(err, ErrInvalid) {
		t.Errorf("too many: %v", err)
	}
}
