package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"vigil/internal/auth"
	"vigil/internal/store"
	"vigil/internal/store/sqlstore"
	"vigil/internal/store/storetest"
)

func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	return newServerWith(t, Config{MaxBody: 64 << 10})
}

// newServerWith starts the API on a fresh SQLite store.
func newServerWith(t testing.TB, cfg Config) *httptest.Server {
	t.Helper()
	h, db := newHandlerDB(t, cfg)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	stores.Store(srv.URL, db)
	t.Cleanup(func() { stores.Delete(srv.URL) })
	return srv
}

// stores holds the store behind each test server, by URL.
var stores sync.Map

func storeOf(t testing.TB, srv *httptest.Server) *sqlstore.DB {
	db, ok := stores.Load(srv.URL)
	if !ok {
		t.Fatal("no store for", srv.URL)
	}
	return db.(*sqlstore.DB)
}

// testPasswords are cheap argon2id parameters for tests.
var testPasswords = auth.PasswordParams{Time: 1, MemoryKiB: 64, Threads: 1}

func newHandler(t testing.TB, cfg Config) http.Handler {
	h, _ := newHandlerDB(t, cfg)
	return h
}

func newHandlerDB(t testing.TB, cfg Config) (http.Handler, *sqlstore.DB) {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "vigil.db"), sqlstore.Options{Keys: storetest.Keys()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg.Store = db
	if cfg.PasswordParams == (auth.PasswordParams{}) {
		cfg.PasswordParams = testPasswords
	}
	h, err := New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	return h, db
}

// analystKey makes an organisation and an API key of it holding every
// permission a key may hold, for tests that read narratives and search.
func analystKey(t testing.TB, srv *httptest.Server) string {
	t.Helper()
	db := storeOf(t, srv)
	ctx := context.Background()
	o, err := db.AddOrg(ctx, store.Org{Name: "Analysts " + t.Name()})
	if err != nil {
		t.Fatal(err)
	}
	token, id, hash := auth.NewAPIKey()
	var perms []auth.Permission
	for _, p := range auth.RolePermissions(auth.RoleAdmin).List() {
		if auth.KeyGrantable(p) {
			perms = append(perms, p)
		}
	}
	if err := db.AddKey(ctx, store.APIKey{ID: id, Hash: hash, Name: "test", Org: o.ID, Perms: perms, CreatedBy: "test", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return token
}

// TestScenarios is the API's scenario table: method, path, body, the
// status and content type wanted, text that must be in the body and text
// that must not be.
func TestScenarios(t *testing.T) {
	srv := newTestServer(t)
	const ct = "application/json"
	big := `{"text":"` + strings.Repeat("a", 70<<10) + `"}`
	tests := []struct {
		name, method, path, ctype, body string
		status                          int
		wantType                        string
		want, mustNot                   []string
	}{
		{"health", "GET", "/healthz", "", "", 200, ct, []string{`"status":"ok"`}, nil},
		{"openapi", "GET", "/api/openapi.json", "", "", 200, ct, []string{`"openapi": "3.1.0"`, "/api/v1/scan"}, nil},
		{"metrics", "GET", "/metrics", "", "", 200, "text/plain", []string{"vigil_http_requests_total"}, nil},
		{"scan", "POST", "/api/v1/scan", ct, `{"text":"加微信 abc_123456 转账 TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp 卡号 6222 0212 3456 7890 128"}`, 200, ct,
			[]string{`"kind":"wechat"`, `"value":"abc_123456"`, `"kind":"trx"`, `622202*********0128`}, []string{"6222021234567890128", "6222 0212 3456 7890 128"}},
		{"scan with region and kinds", "POST", "/api/v1/scan", ct, `{"text":"0812 345 6789 and TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp","region":"id","kinds":["phone"]}`, 200, ct,
			[]string{`"value":"+628123456789"`}, []string{`"kind":"trx"`}},
		{"scan nothing", "POST", "/api/v1/scan", ct, `{"text":"hello"}`, 200, ct, []string{`"matches":[]`}, nil},
		{"malformed JSON", "POST", "/api/v1/scan", ct, `{"text":`, 400, "application/problem+json", []string{`"status":400`}, nil},
		{"wrong type", "POST", "/api/v1/scan", ct, `{"text":42}`, 400, "application/problem+json", []string{`"pointer":"/text"`}, nil},
		{"missing text", "POST", "/api/v1/scan", ct, `{}`, 400, "application/problem+json", []string{`"pointer":"/text"`}, nil},
		{"unknown field", "POST", "/api/v1/scan", ct, `{"text":"x","admin":true}`, 400, "application/problem+json", []string{"unknown field"}, nil},
		{"trailing data", "POST", "/api/v1/scan", ct, `{"text":"x"} {"text":"y"}`, 400, "application/problem+json", nil, nil},
		{"invalid UTF-8", "POST", "/api/v1/scan", ct, "{\"text\":\"\xff\xfe\"}", 400, "application/problem+json", []string{"UTF-8"}, nil},
		{"bad region", "POST", "/api/v1/scan", ct, `{"text":"x","region":"ZZZ"}`, 400, "application/problem+json", []string{`"pointer":"/region"`}, nil},
		{"bad kind", "POST", "/api/v1/scan", ct, `{"text":"x","kinds":["phone","nope"]}`, 400, "application/problem+json", []string{`"pointer":"/kinds/1"`}, nil},
		{"huge body", "POST", "/api/v1/scan", ct, big, 413, "application/problem+json", []string{`"status":413`}, nil},
		{"wrong content type", "POST", "/api/v1/scan", "text/plain", `{"text":"x"}`, 400, "application/problem+json", []string{"Content-Type"}, nil},
		{"injection strings are data", "POST", "/api/v1/scan", ct, `{"text":"'; DROP TABLE reports; -- <script>alert(1)</script> {{7*7}} ${jndi:ldap://x}"}`, 200, ct, nil, []string{"<script>"}},
		{"wrong method", "GET", "/api/v1/scan", "", "", 405, "application/problem+json", []string{`"status":405`}, nil},
		{"unknown path", "GET", "/api/v1/nope", "", "", 404, "application/problem+json", []string{`"status":404`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.ctype != "" {
				req.Header.Set("Content-Type", tt.ctype)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.status {
				t.Errorf("status %d, want %d; body %s", res.StatusCode, tt.status, body)
			}
			if tt.wantType != "" && !strings.HasPrefix(res.Header.Get("Content-Type"), tt.wantType) {
				t.Errorf("Content-Type %q, want %q", res.Header.Get("Content-Type"), tt.wantType)
			}
			if res.StatusCode >= 400 && tt.wantType == "application/problem+json" {
				var p problem
				if err := json.Unmarshal(body, &p); err != nil || p.Status != res.StatusCode || p.Title == "" {
					t.Errorf("not a problem document for status %d: %s (%v)", res.StatusCode, body, err)
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("body lacks %q:\n%s", w, body)
				}
			}
			for _, w := range tt.mustNot {
				if strings.Contains(string(body), w) {
					t.Errorf("body contains %q:\n%s", w, body)
				}
			}
			if res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Errorf("security headers missing: %v", res.Header)
			}
		})
	}
}

// TestOpenAPICoversRoutes keeps the OpenAPI document and routes.go in step:
// every route is documented and every documented path is served.
func TestOpenAPICoversRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(openapiDoc, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	src, err := readFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	var served []string
	for _, m := range regexp.MustCompile(`(?:mux\.Handle|route)\("((GET|POST|PUT|PATCH|DELETE) [^"]+)"`).FindAllStringSubmatch(src, -1) {
		served = append(served, m[1])
	}
	sort.Strings(documented)
	sort.Strings(served)
	if strings.Join(documented, "\n") != strings.Join(served, "\n") {
		t.Errorf("routes and OpenAPI differ:\nserved:\n%s\ndocumented:\n%s", strings.Join(served, "\n"), strings.Join(documented, "\n"))
	}
}

func readFile(name string) (string, error) {
	b, err := osReadFile(name)
	return string(b), err
}

// FuzzScan: no request body makes the scan endpoint answer 5xx or panic.
func FuzzScan(f *testing.F) {
	for _, s := range []string{`{"text":"加微信 abc_123456"}`, `{"text":1}`, `{`, `{"text":"x","region":"cn","kinds":["phone"]}`, "\xff", `null`, `[]`} {
		f.Add(s)
	}
	h := newHandler(f, Config{MaxBody: 1 << 16})
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/api/v1/scan", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 || (rec.Code != 200 && rec.Code != 400 && rec.Code != 413) {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
	})
}

// TestUnrouted: a path routed for other methods is a 405 naming them in
// Allow, any other miss a 404, both problem documents; the web pages
// answer their misses the same way, as pages.
func TestUnrouted(t *testing.T) {
	h := newHandler(t, Config{})
	tests := []struct {
		method, path string
		status       int
		allow        string
	}{
		{"GET", "/api/v1/scan", 405, "POST"},
		{"PUT", "/api/v1/lookup", 405, "GET, HEAD, POST"},
		{"POST", "/healthz", 405, "GET, HEAD"},
		{"GET", "/api/v1/nothing-here", 404, ""},
		{"POST", "/check", 405, "GET, HEAD"},
		{"GET", "/nothing-here", 404, ""},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
		if rec.Code != tt.status || rec.Header().Get("Allow") != tt.allow {
			t.Errorf("%s %s: %d, Allow %q; want %d, %q", tt.method, tt.path, rec.Code, rec.Header().Get("Allow"), tt.status, tt.allow)
		}
		if api := strings.HasPrefix(tt.path, "/api/") || tt.path == "/healthz"; api != strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") {
			t.Errorf("%s %s: Content-Type %q", tt.method, tt.path, rec.Header().Get("Content-Type"))
		}
	}
}

// TestMetricsIndexSize: /metrics tells how many keys the lookup index
// holds and the memory it takes, which Go's heap metrics no longer count.
func TestMetricsIndexSize(t *testing.T) {
	db, _ := listedStore(t, 3000)
	h, err := New(context.Background(), Config{Store: db}, discardLog(), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	gauge := regexp.MustCompile(`(?m)^(vigil_lookup_index_keys|vigil_lookup_index_bytes) (\S+)$`)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		got := map[string]string{}
		for _, m := range gauge.FindAllStringSubmatch(rec.Body.String(), -1) {
			got[m[1]] = m[2]
		}
		if got["vigil_lookup_index_keys"] == "3000" {
			if got["vigil_lookup_index_bytes"] != "65536" { // 4096 slots of 16 bytes: 3000 at most 3/4 full
				t.Fatalf("vigil_lookup_index_bytes %q, want 65536", got["vigil_lookup_index_bytes"])
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the index's gauges never said 3000 keys: %v", got)
		}
	}
}
