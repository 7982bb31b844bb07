package lookup

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
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
// the extractor and answered by Lookup.
type lookupsOnly struct{ store.Lookups }

// countingStore counts the store's Lookup calls.
type countingStore struct {
	*sqlstore.DB
	lookups int
}

func (c *countingStore) Lookup(ctx context.Context, v store.Viewer, keys []store.Key) ([]store.IndicatorInfo, error) {
	c.lookups++
	return c.DB.Lookup(ctx, v, keys)
}

// TestStoredValuesReadAsTheExtractorWould: an E.164 number or a wallet
// the store holds, answered without the extractor, and a number it surely
// lacks, answered without Lookup, get the answer the extractor's reading
// and Lookup get; for the public from the store's memory alone, for
// anyone else by Lookup.
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
			{Kind: "phone", Value: "+447911123456", Role: report.RoleScammerContact, Origin: "named"},
		}}
	if _, _, err := db.AddReport(ctx, r, store.Idempotency{}); err != nil {
		t.Fatal(err)
	}
	// A report only members see: the public's counts and an analyst's
	// differ.
	green := &report.Report{Kind: "scam", ScamType: "romance", Channel: "line", Narrative: "y", Status: "new", Reporter: "b", Source: "api", TLP: "GREEN",
		Indicators: []report.Link{{Kind: "phone", Value: "+8613800138000", Role: report.RoleScammerContact, Origin: "named"}}}
	if _, _, err := db.AddReport(ctx, green, store.Idempotency{}); err != nil {
		t.Fatal(err)
	}
	for !db.IndexReady() {
		time.Sleep(5 * time.Millisecond)
	}
	now := time.Now()
	x := extract.New(extract.Options{})
	counted := &countingStore{DB: db}
	fast := &Service{X: x, Store: counted, Now: func() time.Time { return now }}
	slow := &Service{X: x, Store: lookupsOnly{db}, Now: func() time.Time { return now }}
	analyst := store.Viewer{User: "u1", Org: "o1", Member: true}
	queries := map[string]store.Recall{
		"+8613800138000":                       store.RecallAnswer,
		" TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp ": store.RecallAnswer,
		"+8613900139000":                       store.RecallAbsent, // valid, never reported
		"+86139001390001":                      store.RecallAbsent, // too long: unreadable
		"+4407911123456":                       store.RecallAbsent, // reported as +447911123456: the extractor reads it so
		"+1 202 555 0143":                      store.RecallUnsure, // not as stored
	}
	var qs []string
	for q, want := range queries {
		qs = append(qs, q)
		if _, _, got := fast.stored(q, ""); got != want {
			t.Errorf("%q: memory says %v, want %v", q, got, want)
		}
		for _, v := range []store.Viewer{{}, analyst} {
			counted.lookups = 0
			a, errA := fast.AskAs(ctx, v, q, "", "")
			b, errB := slow.AskAs(ctx, v, q, "", "")
			if (errA == nil) != (errB == nil) {
				t.Fatalf("%q: errors %v, %v", q, errA, errB)
			}
			if !reflect.DeepEqual(a, b) {
				t.Errorf("%q as %+v: fast %+v, slow %+v", q, v, a, b)
			}
			// The public's answer for a held or surely absent number that
			// reads as itself comes from memory alone.
			fromMemory := v.Public() && a.Value == strings.TrimSpace(q) && want != store.RecallUnsure
			if errA == nil && (counted.lookups == 0) != fromMemory {
				t.Errorf("%q as %+v: %d Lookup calls (answer %+v)", q, v, counted.lookups, a)
			}
		}
	}
	for _, v := range []store.Viewer{{}, analyst} {
		a, errA := fast.BatchAs(ctx, v, qs, "", "")
		b, errB := slow.BatchAs(ctx, v, qs, "", "")
		if errA != nil || errB != nil || !reflect.DeepEqual(a, b) {
			t.Errorf("batch as %+v: fast %+v %v, slow %+v %v", v, a, errA, b, errB)
		}
	}
}
