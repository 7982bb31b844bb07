package cli

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"vigil/internal/api"
	"vigil/internal/auth"
	"vigil/internal/datasets"
	"vigil/internal/store"
	"vigil/internal/store/sqlstore"
	"vigil/internal/store/storetest"
)

// cliKeys loads the data key the command line used for the store at
// path, as loadKeys finds it: $VIGIL_DATA_KEY, or the key file the first
// command made (beside the store unless $VIGIL_KEY_FILE says otherwise).
func cliKeys(t *testing.T, path string) *auth.Keyring {
	t.Helper()
	k, created, err := auth.LoadKeyring(os.Getenv("VIGIL_DATA_KEY"), keyFile(path))
	if err != nil {
		t.Fatal(err)
	}
	if created {
		t.Fatalf("the command line made no key file %s for %s", keyFile(path), path)
	}
	return k
}

// TestImportCheckReport walks the store commands: import reports and a
// list (with a bad row), import again (nothing changes), check values,
// reject and delete a report, migrate.
func TestImportCheckReport(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vigil.db")
	reports := writeFile(t, "reports.jsonl", strings.Join([]string{
		`{"id":"ngo-1","scam_type":"investment","narrative":"转账 USDT 到 TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp","reporter":"a"}`,
		`{"id":"ngo-2","scam_type":"romance","narrative":"pay to TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp","reporter":"b","loss":{"amount":"99.5","currency":"USDT"}}`,
		`{"id":"ngo-3","scam_type":"nonsense","narrative":"x"}`,
		`{"id":"ngo-4","scam_type":"task","narrative":"加QQ 12345678 刷单","reporter":"c"}`,
	}, "\n")+"\n")
	got := run(t, "", "import", "--db", db, reports)
	if got.code != ExitNone || !strings.Contains(got.stderr, "reports.jsonl:3: skipped") || !strings.Contains(got.stdout, "3 new reports, 1 bad rows") {
		t.Fatalf("import with a bad row: exit %d\nstdout %s\nstderr %s", got.code, got.stdout, got.stderr)
	}
	if again := run(t, "", "import", "--db", db, reports); again.code != ExitOK || !strings.Contains(again.stdout, "already imported") {
		t.Errorf("import again: %d %s %s", again.code, again.stdout, again.stderr)
	}
	list := writeFile(t, "phones.txt", "# reported numbers\n+8613800138000\n+44 7700 900123\n0x0000\n")
	if got := run(t, "", "import", "--db", db, "--format", "plain", list); got.code != ExitNone || !strings.Contains(got.stderr, "phones.txt:4") {
		t.Errorf("plain list: %d %s %s", got.code, got.stdout, got.stderr)
	}

	got = run(t, "", "check", "--db", db, "--format", "json", "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp", "+86 138 0013 8000")
	var out struct {
		Results []struct {
			Kind, Value, Level string
			Known              bool
			Reports, Reporters int
			Sources            []string
			NetworkID          string `json:"network_id"`
		}
	}
	if err := json.Unmarshal([]byte(got.stdout), &out); err != nil || got.code != ExitOK || len(out.Results) != 2 {
		t.Fatalf("check: %d %v\n%s\n%s", got.code, err, got.stdout, got.stderr)
	}
	w, p := out.Results[0], out.Results[1]
	if w.Kind != "trx" || w.Reports != 2 || w.Reporters != 2 || w.Level == "unverified" {
		t.Errorf("wallet: %+v", w)
	}
	if p.Value != "+8613800138000" || !p.Known || len(p.Sources) != 1 || p.Sources[0] != "phones" {
		t.Errorf("listed phone: %+v", p)
	}
	if got := run(t, "", "check", "--db", db, "+8613700137000"); got.code != ExitNone || !strings.Contains(got.stdout, "no") {
		t.Errorf("unknown value: %d %s", got.code, got.stdout)
	}
	if got := run(t, "", "check", "--db", db, "?!"); got.code != ExitError {
		t.Errorf("unreadable value: %d", got.code)
	}

	// Reject one of the two wallet reports: the wallet counts one.
	show := run(t, "", "report", "--db", db, "show", reportID(t, db, "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"))
	var rep struct{ ID, Narrative string }
	if err := json.Unmarshal([]byte(show.stdout), &rep); err != nil || rep.Narrative == "" {
		t.Fatalf("report show: %v %s", err, show.stdout)
	}
	if got := run(t, "", "report", "--db", db, "reject", rep.ID); got.code != ExitOK {
		t.Fatalf("reject: %d %s", got.code, got.stderr)
	}
	got = run(t, "", "check", "--db", db, "--format", "json", "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp")
	json.Unmarshal([]byte(got.stdout), &out)
	if out.Results[0].Reports != 1 {
		t.Errorf("after reject: %+v", out.Results[0])
	}
	if got := run(t, "", "report", "--db", db, "delete", rep.ID); got.code != ExitOK {
		t.Errorf("delete: %d %s", got.code, got.stderr)
	}
	if got := run(t, "", "report", "--db", db, "show", rep.ID); got.code != ExitNone {
		t.Errorf("show deleted: %d", got.code)
	}
	if got := run(t, "", "report", "--db", db, "frobnicate", rep.ID); got.code != ExitError {
		t.Errorf("unknown action: %d", got.code)
	}
	if got := run(t, "", "migrate", "--db", db); got.code != ExitOK || !regexp.MustCompile(`0001 +0001_init.sql +applied`).MatchString(got.stdout) {
		t.Errorf("migrate: %d %q", got.code, got.stdout)
	}
	if got := run(t, "", "import", "--db", db, filepath.Join(t.TempDir(), "missing.jsonl")); got.code != ExitError {
		t.Errorf("missing file: %d", got.code)
	}
}

// reportID finds, through check and the network, a report naming value.
func reportID(t *testing.T, db, value string) string {
	t.Helper()
	got := run(t, "", "check", "--db", db, "--format", "json", value)
	var out struct {
		Results []struct {
			NetworkID string `json:"network_id"`
		}
	}
	if err := json.Unmarshal([]byte(got.stdout), &out); err != nil || len(out.Results) == 0 || out.Results[0].NetworkID == "" {
		t.Fatalf("no network for %s: %s", value, got.stdout)
	}
	// The network's reports are in the store; read the first through the
	// store directly.
	ids := networkReports(t, db, out.Results[0].NetworkID)
	return ids[0]
}
func networkReports(t *testing.T, path, id string) []string {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), path, sqlstore.Options{Keys: cliKeys(t, path)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n, err := db.Network(context.Background(), store.Viewer{All: true}, id)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range n.Reports {
		ids = append(ids, r.ID)
	}
	return ids
}

// TestCheckServer asks a running server, as "vigil check --server" does.
func TestCheckServer(t *testing.T) {
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "v.db"), sqlstore.Options{Keys: storetest.Keys()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h, err := api.New(context.Background(), api.Config{Store: db}, slog.New(slog.NewTextHandler(io.Discard, nil)), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, err := http.Post(srv.URL+"/api/v1/reports", "application/json", strings.NewReader(`{"scam_type":"task","narrative":"刷单 加QQ 12345678"}`))
	if err != nil || res.StatusCode != 201 {
		t.Fatalf("post: %v %v", err, res.Status)
	}
	res.Body.Close()
	got := run(t, "", "check", "--server", srv.URL, "--kind", "qq", "12345678", "87654321")
	if got.code != ExitOK || !regexp.MustCompile(`12345678 +qq +12345678 +yes +1 +1`).MatchString(got.stdout) ||
		!regexp.MustCompile(`87654321 +qq +87654321 +no +0`).MatchString(got.stdout) {
		t.Errorf("check --server: %d\n%s\n%s", got.code, got.stdout, got.stderr)
	}
	if got := run(t, "", "check", "--server", srv.URL, "--region", "ZZZ", "1"); got.code != ExitError || !strings.Contains(got.stderr, "400") {
		t.Errorf("server error: %d %s", got.code, got.stderr)
	}
}

func TestScreenCommand(t *testing.T) {
	got := run(t, "您好，我是公安局民警，您的银行账户涉嫌洗钱，请立即将资金转入安全账户配合调查。", "screen")
	if got.code != ExitNone || !strings.Contains(got.stdout, "verdict: scam") || !strings.Contains(got.stdout, "safe-account") {
		t.Errorf("screen a scam: %d\n%s%s", got.code, got.stdout, got.stderr)
	}
	got = run(t, "Hi mum, home by 7 for dinner", "screen", "--format", "json")
	if got.code != ExitOK || !strings.Contains(got.stdout, `"verdict": "no_sign"`) {
		t.Errorf("screen a benign text: %d\n%s%s", got.code, got.stdout, got.stderr)
	}
	in := `{"id":1,"text":"高薪招聘打字员，月薪2万，无需经验，包机票，到缅甸妙瓦底工作，护照由公司保管","kind":"job"}
{"id":"b","text":"see you at lunch"}
not json
`
	got = run(t, in, "screen", "--input", "jsonl")
	lines := strings.Split(strings.TrimSpace(got.stdout), "\n")
	if got.code != ExitError || len(lines) != 2 || !strings.HasPrefix(lines[0], `{"id":1,`) || !strings.Contains(lines[0], `"verdict":"scam"`) ||
		!strings.HasPrefix(lines[1], `{"id":"b",`) || !strings.Contains(got.stderr, "line 3") {
		t.Errorf("jsonl: %d\n%s\n%s", got.code, got.stdout, got.stderr)
	}
	if got := run(t, "x", "screen", "--kind", "tweet"); got.code != ExitError {
		t.Errorf("bad kind: %d", got.code)
	}
}

func TestScreenEvalFloor(t *testing.T) {
	if testing.Short() {
		t.Skip("reads every labelled corpus")
	}
	datasets.Path(t, "text") // skips without the shared data (fails under CI=true)
	got := run(t, "", "screen", "eval", "--min-f1", "0.9", "--min-auc", "0.95")
	if got.code != ExitOK || !strings.Contains(got.stdout, "sms/uci") {
		t.Errorf("eval: %d\n%s\n%s", got.code, got.stdout, got.stderr)
	}
	if got := run(t, "", "screen", "eval", "--min-f1", "0.999"); got.code != ExitNone || !strings.Contains(got.stderr, "below the floor") {
		t.Errorf("an impossible floor must fail: %d %s", got.code, got.stderr)
	}
}
