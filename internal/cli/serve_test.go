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

// startServe runs "vigil serve" with args on a free port and a fresh store
// and returns its URL, and stop, which interrupts it as Ctrl-C would and
// checks that it stops cleanly.
func startServe(t *testing.T, args ...string) (base string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	var stdout, stderr testlog.Buffer
	db := filepath.Join(t.TempDir(), "vigil.db")
	done := make(chan int, 1)
	go func() {
		args = append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, args...)
		done <- Run(ctx, args, strings.NewReader(""), &stdout, &stderr)
	}()
	re := regexp.MustCompile(`url=(http://\S+)`)
	for deadline := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatalf("server did not say where it listens:\n%s", stderr.String())
	}
	return base, func() {
		t.Helper()
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
}

// TestServe starts "vigil serve" on a free port, asks /healthz and the scan
// endpoint, then stops it as Ctrl-C would.
func TestServe(t *testing.T) {
	base, stop := startServe(t)
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
	stop()
}

func TestServeBadAddr(t *testing.T) {
	got := run(t, "", "serve", "--addr", "256.1.1.1:99999", "--db", filepath.Join(t.TempDir(), "v.db"))
	if got.code != ExitError || !strings.Contains(got.stderr, "vigil serve:") {
		t.Errorf("exit %d, stderr %q", got.code, got.stderr)
	}
}

// TestServeTrustedProxy: behind --trusted-proxy, anonymous reports are
// limited per client that X-Forwarded-For names (the burst is 5), not per
// proxy.
func TestServeTrustedProxy(t *testing.T) {
	base, stop := startServe(t, "--trusted-proxy", "192.0.2.1, 127.0.0.0/8", "--report-rate", "0.001")
	post := func(client string) int {
		req, _ := http.NewRequest("POST", base+"/api/v1/reports", strings.NewReader(`{"narrative":"刷单 加QQ 12345678"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", client)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for i := range 5 {
		if code := post("203.0.113.7"); code != 201 {
			t.Fatalf("report %d: %d, want 201", i+1, code)
		}
	}
	if code := post("203.0.113.7"); code != 429 {
		t.Errorf("the sixth report of one client: %d, want 429", code)
	}
	if code := post("198.51.100.7"); code != 201 {
		t.Errorf("another client behind the proxy: %d, want 201", code)
	}
	stop()
}

func TestServeBadTrustedProxy(t *testing.T) {
	// An unusable --addr: a value taken for good fails the test rather
	// than starting a server that runs until the test times out.
	db := filepath.Join(t.TempDir(), "v.db")
	for _, v := range []string{"10.0.0.0/33", "nope", "10.0.0.1,,10.0.0.2", "fe80::1%eth0", "fe80::1%eth0/64"} {
		got := run(t, "", "serve", "--trusted-proxy", v, "--addr", "256.1.1.1:99999", "--db", db)
		if got.code != ExitError || !strings.Contains(got.stderr, "-trusted-proxy") {
			t.Errorf("--trusted-proxy %q: exit %d, stderr %q", v, got.code, got.stderr)
		}
	}
	t.Setenv("VIGIL_TRUSTED_PROXY", "10.0.0.0/8,nope")
	got := run(t, "", "serve", "--addr", "256.1.1.1:99999", "--db", db)
	if got.code != ExitError || !strings.Contains(got.stderr, `vigil serve: VIGIL_TRUSTED_PROXY: "nope"`) {
		t.Errorf("$VIGIL_TRUSTED_PROXY bad: exit %d, stderr %q", got.code, got.stderr)
	}
}

func TestPrefixList(t *testing.T) {
	var l prefixList
	for _, v := range []string{"10.0.0.0/8, 192.0.2.1", "2001:db8::/32,::1", "10.1.2.3/16", "::ffff:192.0.2.9", "::ffff:10.0.0.0/104"} {
		if err := l.Set(v); err != nil {
			t.Fatalf("Set(%q): %v", v, err)
		}
	}
	want := "10.0.0.0/8,192.0.2.1/32,2001:db8::/32,::1/128,10.1.0.0/16,192.0.2.9/32,10.0.0.0/8"
	if l.String() != want {
		t.Errorf("got %s\nwant %s", l.String(), want)
	}
}
