package cli

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"vigil/internal/testlog"
)

// TestServe starts "vigil serve" on a free port, asks /healthz and the scan
// endpoint, then stops it as Ctrl-C would.
func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr testlog.Buffer
	db := filepath.Join(t.TempDir(), "vigil.db")
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db}, strings.NewReader(""), &stdout, &stderr)
	}()
	var base string
	re := regexp.MustCompile(`url=(http://\S+)`)
	for deadline := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatalf("server did not say where it listens:\n%s", stderr.String())
	}
	res, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"ok"`) {
		t.Errorf("/healthz: %d %s", res.StatusCode, body)
	}
	res, err = http.Post(base+"/api/v1/scan", "application/json", strings.NewReader(`{"text":"微信 abc_123456"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"value":"abc_123456"`) {
		t.Errorf("/api/v1/scan: %d %s", res.StatusCode, body)
	}
	cancel()
	select {
	case code := <-done:
		if code != ExitOK {
			t.Errorf("exit code %d after interrupt, want 0; stderr:\n%s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not stop")
	}
}

func TestServeBadAddr(t *testing.T) {
	got := run(t, "", "serve", "--addr", "256.1.1.1:99999", "--db", filepath.Join(t.TempDir(), "v.db"))
	if got.code != ExitError || !strings.Contains(got.stderr, "vigil serve:") {
		t.Errorf("exit %d, stderr %q", got.code, got.stderr)
	}
}
