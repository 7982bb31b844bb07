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
	"vigil/internal/store/storetest"
)

// TestAsk answers from a real store: counts, confidence, other readings,
// known-good values, unreadable values.
func TestAsk(t *testing.T) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "v.db"), sqlstore.Options{Keys: storetest.Keys()})
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

// lookupsOnly hides a store's key index, so that every value is read by
// the extractor.
type lookupsOnly struct{ store.Lookups }

// TestStoredValuesReadAsTheExtractorWould: an E.164 number or a wallet
// the store holds, answered without the extractor, gets the answer the
// extractor's reading gets.
func TestStoredValuesReadAsTheExtractorWould(t *testing.T) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "v.db"), sqlstore.Options{LookupIndex: true, Keys: storetest.Keys()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := &report.Report{Kind: "scam", ScamType: "investment", Channel: "telegram", Narrative: "x", Status: "new", Reporter: "a", Source: "api",
		Indicators: []report.Link{
			{Kind: "phone", Value: "+8613800138000", Role: report.RoleScammerContact, Origin: "named"},
			{Kind: "trx", Value: "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp", Role: report.RolePayment, Origin: "named"},
		}}
	if _, _, err := db.AddReport(ctx, r, store.Idempotency{}); err != nil {
		t.Fatal(err)
	}
	for !db.IndexReady() {
		time.Sleep(5 * time.Millisecond)
	}
	now := time.Now()
	x := extract.New(extract.Options{})
	fast := &Service{X: x, Store: db, Now: func() time.Time { return now }}
	slow := &Service{X: x, Store: lookupsOnly{db}, Now: func() time.Time { return now }}
	for _, q := range []string{"+8613800138000", " TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp ", "+8613900139000"} {
		if _, ok := fast.stored(q, ""); ok != (q != "+8613900139000") {
			t.Errorf("%q: fast path taken %v", q, ok)
		}
		a, err := fast.Ask(ctx, q, "", "")
		if err != nil {
			t.Fatal(err)
		}
		b, err := slow.Ask(ctx, q, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if a.Kind != b.Kind || a.Value != b.Value || a.Known != b.Known || a.Reports != b.Reports || a.Confidence != b.Confidence || a.NetworkID != b.NetworkID {
			t.Errorf("%q: fast %+v, slow %+v", q, a, b)
		}
	}
}
