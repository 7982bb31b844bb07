package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"vigil/internal/auth"
	"vigil/internal/report"
	"vigil/internal/store"
)

// dialects runs fn against a fresh SQLite store and a fresh PostgreSQL one.
func dialects(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Run("sqlite", func(t *testing.T) {
		db, err := Open(context.Background(), filepath.Join(t.TempDir(), "vigil.db"), Options{Keys: testKeys})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, db)
	})
	t.Run("postgres", func(t *testing.T) {
		db, err := Open(context.Background(), freshPostgres(t, postgresURL(t)), Options{Keys: testKeys})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, db)
	})
}

// emitNow runs emit in a transaction of its own, as a write would.
func emitNow(t *testing.T, db *DB, e event) {
	t.Helper()
	if err := db.tx(context.Background(), func(tx *sql.Tx) error { return db.emit(context.Background(), tx, e) }); err != nil {
		t.Fatal(err)
	}
}

func addWatch(t *testing.T, db *DB, w store.Watch) store.Watch {
	t.Helper()
	w, err := db.AddWatch(context.Background(), w)
	if err != nil {
		t.Fatalf("AddWatch %+v: %v", w, err)
	}
	return w
}

func scamReport(reporter string, values ...string) *report.Report {
	r := &report.Report{Kind: "scam", ScamType: "investment", Channel: "wechat", Narrative: "n", Status: "new", Reporter: reporter, Source: "api"}
	for _, v := range values {
		r.Indicators = append(r.Indicators, report.Link{Kind: "wechat", Value: v, Role: report.RoleScammerContact, Origin: "named"})
	}
	return r
}

func TestAddWatchRefuses(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "vigil.db"), Options{Keys: testKeys})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, w := range []store.Watch{
		{Kind: "person", Target: "x"},
		{Kind: store.WatchCase, Target: " "},
		{Kind: store.WatchValue, Target: "wechat"},
		{Kind: store.WatchValue, Target: "wechat:"},
		{Kind: store.WatchValue, Target: "WeChat:abc"},
		{Kind: store.WatchValue, Target: "nosuchkind:abc"},
		{Kind: store.WatchCase, Target: "01J", WebhookURL: "ftp://example.org/hook"},
		{Kind: store.WatchCase, Target: "01J", WebhookURL: "/relative/hook"},
		{Kind: store.WatchCase, Target: "01J", WebhookURL: "https:///nohost"},
		{Kind: store.WatchCase, Target: "01J", WebhookURL: "https:opaque"},
		{Kind: store.WatchCase, Target: "01J", WebhookURL: "https://user:pw@example.org/hook"},
		{Kind: store.WatchCase, Target: "01J", WebhookURL: "http://example.org/%zz"},
		{Kind: store.WatchCase, Target: "01J", WebhookURL: "https://example.org/hook", Secret: "short"},
		{Kind: store.WatchCase, Target: "01J", Secret: "a secret without a webhook"},
	} {
		if _, err := db.AddWatch(context.Background(), w); !errors.Is(err, report.ErrInvalid) {
			t.Errorf("AddWatch(%+v): %v, want report.ErrInvalid", w, err)
		}
	}
	if _, err := db.AddWatch(context.Background(), store.Watch{User: "u", Kind: store.WatchNetwork, Target: "01JNOSUCHNETWORK"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a network with no report: %v, want ErrNotFound", err)
	}
	if ws, err := db.Watches(context.Background(), "u"); err != nil || len(ws) != 0 {
		t.Errorf("refused watches were stored: %+v %v", ws, err)
	}
}

// TestEmit: each kind of watch gets its alert, once per event, and a
// delivery when it has a webhook; the body holds ids only. A network
// watch hears of a report joining its network through AddReport, after
// a merge relabelled the network. A report that does not exist alerts no
// one.
func TestEmit(t *testing.T) {
	dialects(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		caseW := addWatch(t, db, store.Watch{User: "u1", Kind: store.WatchCase, Target: "01JCASE", WebhookURL: "https://hooks.example.org/vigil"})
		if len(caseW.Secret) != 64 {
			t.Errorf("made secret %q, want 64 hex digits", caseW.Secret)
		}
		valueW := addWatch(t, db, store.Watch{User: "u2", Kind: store.WatchValue, Target: "wechat:son_wechat01"})
		addWatch(t, db, store.Watch{User: "u2", Kind: store.WatchValue, Target: "wechat:someone_else"})
		// Networks: a and b apart, then c joins them; the watch made on
		// b's network follows whichever label survives.
		a, _, _ := db.AddReport(ctx, scamReport("ra", "left_side01"), store.Idempotency{})
		b, _, _ := db.AddReport(ctx, scamReport("rb", "right_side01"), store.Idempotency{})
		netB := reportNetwork(t, db, b)
		netW := addWatch(t, db, store.Watch{User: "u3", Kind: store.WatchNetwork, Target: netB, WebhookURL: "http://10.0.0.7:8080/in", Secret: "a shared secret of the receiver"})
		c, _, _ := db.AddReport(ctx, scamReport("rc", "left_side01", "right_side01"), store.Idempotency{})
		merged := reportNetwork(t, db, c)
		if reportNetwork(t, db, a) != merged || reportNetwork(t, db, b) != merged {
			t.Fatal("the reports did not merge into one network")
		}
		if merged == netB {
			t.Fatal("the merge kept b's label: the test would not show the watch following its anchor")
		}

		emitNow(t, db, event{Name: "lead.new", Case: "01JCASE", Lead: "01JLEAD", LeadKind: store.LeadForcedScammer})
		emitNow(t, db, event{Name: "lead.new", Case: "01JOTHERCASE", Lead: "01JLEAD2", LeadKind: store.LeadReports})
		emitNow(t, db, event{Name: "report.new", Report: a,
			Values: []store.Key{{Kind: "wechat", Value: "son_wechat01"}, {Kind: "wechat", Value: "son_wechat01"}, {Kind: "phone", Value: "son_wechat01"}}})
		emitNow(t, db, event{Name: "report.new", Report: "01JNOSUCHREPORT", Values: []store.Key{{Kind: "wechat", Value: "son_wechat01"}}})
		if err := db.tx(ctx, func(tx *sql.Tx) error { return db.emit(ctx, tx, event{Name: "case.new"}) }); err == nil {
			t.Error("an unknown event was taken")
		}

		got := map[string][]store.Alert{}
		for _, u := range []string{"u1", "u2", "u3"} {
			as, err := db.Alerts(ctx, u, 0)
			if err != nil {
				t.Fatal(err)
			}
			for i := range as {
				if as[i].ID == "" || as[i].CreatedAt.IsZero() {
					t.Errorf("alert without id or time: %+v", as[i])
				}
				as[i].ID, as[i].CreatedAt = "", time.Time{}
			}
			got[u] = as
		}
		want := map[string][]store.Alert{
			"u1": {{Watch: caseW.ID, Event: "lead.new", Case: "01JCASE", Lead: "01JLEAD", LeadKind: store.LeadForcedScammer}},
			"u2": {{Watch: valueW.ID, Event: "report.new", Report: a}},
			"u3": {{Watch: netW.ID, Event: "report.new", Report: c, Network: merged}},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("alerts (-want +got):\n%s", diff)
		}

		// Only the watches with a webhook have deliveries, due now.
		due, err := db.DueDeliveries(ctx, time.Now().Add(time.Second), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(due) != 2 {
			t.Fatalf("%d due deliveries, want 2", len(due))
		}
		for _, d := range due {
			var body map[string]any
			if err := json.Unmarshal(d.Body, &body); err != nil {
				t.Fatal(err)
			}
			if body["type"] != AlertType || body["watch"] != d.Watch || body["id"] != d.Alert {
				t.Errorf("body %s of delivery %+v", d.Body, d.Delivery)
			}
			switch d.Watch {
			case caseW.ID:
				if string(d.Secret) != caseW.Secret || d.URL != caseW.WebhookURL {
					t.Errorf("delivery of the case watch: secret %q url %q", d.Secret, d.URL)
				}
			case netW.ID:
				if string(d.Secret) != netW.Secret || body["report"] != c || body["network"] != merged {
					t.Errorf("delivery of the network watch: secret %q body %s", d.Secret, d.Body)
				}
			default:
				t.Errorf("a delivery of watch %s, which has no webhook", d.Watch)
			}
		}
	})
}

func reportNetwork(t *testing.T, db *DB, id string) string {
	t.Helper()
	r, err := db.Report(context.Background(), store.Viewer{All: true}, id)
	if err != nil || r.NetworkID == "" {
		t.Fatalf("network of %s: %q %v", id, r.NetworkID, err)
	}
	return r.NetworkID
}

// TestDeliveryLifecycle: a delivery is handed out once per lease, retried
// at the time given, delivered on a 2xx, failed when given up, and only
// its watch's owner reads its log.
func TestDeliveryLifecycle(t *testing.T) {
	dialects(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		w := addWatch(t, db, store.Watch{User: "u1", Kind: store.WatchCase, Target: "01JCASE", WebhookURL: "https://hooks.example.org/vigil"})
		emitNow(t, db, event{Name: "lead.new", Case: "01JCASE", Lead: "L1", LeadKind: store.LeadReports})
		emitNow(t, db, event{Name: "lead.gone", Case: "01JCASE", Lead: "L1", LeadKind: store.LeadReports})
		now := time.Now()
		due, err := db.DueDeliveries(ctx, now, 10)
		if err != nil || len(due) != 2 {
			t.Fatalf("due: %+v %v", due, err)
		}
		if again, err := db.DueDeliveries(ctx, now, 10); err != nil || len(again) != 0 {
			t.Errorf("handed out twice within the lease: %+v %v", again, err)
		}
		if later, err := db.DueDeliveries(ctx, now.Add(deliveryLease+time.Second), 10); err != nil || len(later) != 2 {
			t.Errorf("not handed out again after the lease: %d %v", len(later), err)
		}
		first, second := due[0].ID, due[1].ID
		retryAt := now.Add(30 * time.Second).Truncate(time.Millisecond)
		steps := []struct {
			id   string
			a    store.Attempt
			next time.Time
		}{
			{first, store.Attempt{At: now, Code: 500, Error: "500 Internal Server Error"}, retryAt},
			{first, store.Attempt{At: now.Add(31 * time.Second), Code: 204}, time.Time{}},
			{second, store.Attempt{At: now, Error: "dial tcp: connection refused"}, time.Time{}},
		}
		for _, s := range steps {
			if err := db.RecordDelivery(ctx, s.id, s.a, s.next); err != nil {
				t.Fatal(err)
			}
			if s.next.IsZero() {
				continue
			}
			if d, _ := db.DueDeliveries(ctx, s.next.Add(-time.Millisecond), 10); len(d) != 0 {
				t.Errorf("due before its retry time: %+v", d)
			}
			if d, _ := db.DueDeliveries(ctx, s.next, 10); len(d) != 1 || d[0].ID != s.id || d[0].Attempts != 1 || d[0].LastCode != 500 {
				t.Errorf("due at its retry time: %+v", d)
			}
		}
		if err := db.RecordDelivery(ctx, first, store.Attempt{At: now, Code: 200}, time.Time{}); !errors.Is(err, store.ErrConflict) {
			t.Errorf("recording a delivered delivery: %v, want ErrConflict", err)
		}
		if err := db.RecordDelivery(ctx, "01JNOSUCHDELIVERY", store.Attempt{At: now, Code: 200}, time.Time{}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("recording a missing delivery: %v, want ErrNotFound", err)
		}
		log, err := db.Deliveries(ctx, "u1", w.ID, 0)
		if err != nil || len(log) != 2 {
			t.Fatalf("delivery log: %+v %v", log, err)
		}
		byID := map[string]store.Delivery{log[0].ID: log[0], log[1].ID: log[1]}
		if d := byID[first]; d.Status != "delivered" || d.Attempts != 2 || d.LastCode != 204 || d.LastError != "" || d.DeliveredAt == nil || d.URL != w.WebhookURL {
			t.Errorf("delivered: %+v", d)
		}
		if d := byID[second]; d.Status != "failed" || d.Attempts != 1 || d.LastError != "dial tcp: connection refused" || d.NextAt != nil || d.DeliveredAt != nil {
			t.Errorf("failed: %+v", d)
		}
		if log[0].ID < log[1].ID {
			t.Errorf("delivery log not newest first: %s, %s", log[0].ID, log[1].ID)
		}
		if _, err := db.Deliveries(ctx, "u2", w.ID, 0); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another user's delivery log: %v, want ErrNotFound", err)
		}
		if err := db.DeleteWatch(ctx, "u2", w.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another user deleting: %v, want ErrNotFound", err)
		}
		if err := db.DeleteWatch(ctx, "u1", w.ID); err != nil {
			t.Fatal(err)
		}
		if as, err := db.Alerts(ctx, "u1", 0); err != nil || len(as) != 0 {
			t.Errorf("alerts of a deleted watch: %+v %v", as, err)
		}
	})
}

// TestWatchedValueSealed: a watched value and a webhook secret never lie
// in the clear in the SQLite file, yet the watch matches and reads back,
// also after the data key is rotated.
func TestWatchedValueSealed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path, keyPath := filepath.Join(dir, "vigil.db"), filepath.Join(dir, "vigil.key")
	keys, _, err := auth.LoadKeyring("", keyPath)
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, path, Options{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const value, secret = "held_son_wechat77", "the receiver's own signing secret"
	w := addWatch(t, db, store.Watch{User: "u", Kind: store.WatchValue, Target: "wechat:" + value, WebhookURL: "https://hooks.example.org/x", Secret: secret})
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, s := range []string{value, secret} {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s holds %q in the clear", filepath.Base(f), s)
			}
		}
	}
	ws, err := db.Watches(ctx, "u")
	if err != nil || len(ws) != 1 || ws[0].Target != "wechat:"+value || ws[0].Secret != "" || ws[0].WebhookURL != w.WebhookURL {
		t.Fatalf("watches: %+v %v", ws, err)
	}
	if err := keys.Rotate(keyPath); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RotateData(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.AddReport(ctx, scamReport("r", value), store.Idempotency{}); err != nil {
		t.Fatal(err)
	}
	due, err := db.DueDeliveries(ctx, time.Now().Add(time.Second), 10)
	if err != nil || len(due) != 1 || string(due[0].Secret) != secret {
		t.Errorf("after rotation: %+v %v", due, err)
	}
}
