package api

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

// testProxies are the trusted proxies of the tests here.
var testProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8:ffff::/48")}

func TestForwardedClient(t *testing.T) {
	const proxy = "10.0.0.1:4000"
	cases := []struct {
		name, remote string
		xff          []string
		want         string
	}{
		{"untrusted peer: the header is ignored", "203.0.113.7:1234", []string{"198.51.100.9"}, "203.0.113.7:1234"},
		{"untrusted peer claiming a trusted proxy", "203.0.113.7:1234", []string{"198.51.100.9, 10.0.0.2"}, "203.0.113.7:1234"},
		{"trusted peer, no header", proxy, nil, proxy},
		{"trusted peer, one client", proxy, []string{"203.0.113.7"}, "203.0.113.7:0"},
		{"the client's own entry on the left is ignored", proxy, []string{"198.51.100.9, 203.0.113.7"}, "203.0.113.7:0"},
		{"chain: trusted proxies skipped", proxy, []string{"198.51.100.9, 203.0.113.7, 10.0.0.3, 10.0.0.2"}, "203.0.113.7:0"},
		{"every entry trusted: the leftmost", proxy, []string{"10.0.0.3, 10.0.0.2"}, "10.0.0.3:0"},
		{"garbage left of the client is never read", proxy, []string{"garbage, 203.0.113.7"}, "203.0.113.7:0"},
		{"garbage", proxy, []string{"garbage"}, proxy},
		{"garbage after a proxy", proxy, []string{"203.0.113.7, garbage, 10.0.0.2"}, proxy},
		{"unknown", proxy, []string{"unknown"}, proxy},
		{"obfuscated identifier", proxy, []string{"_hidden"}, proxy},
		{"empty header", proxy, []string{""}, proxy},
		{"empty entry", proxy, []string{"203.0.113.7,"}, proxy},
		{"a prefix is not an address", proxy, []string{"203.0.113.0/24"}, proxy},
		{"spaces", proxy, []string{"  203.0.113.7  ,10.0.0.2 "}, "203.0.113.7:0"},
		{"IPv4 with a port", proxy, []string{"203.0.113.7:5678"}, "203.0.113.7:5678"},
		{"IPv6", proxy, []string{"2001:db8:1::7"}, "[2001:db8:1::7]:0"},
		{"IPv6 with a port", proxy, []string{"[2001:db8:1::7]:443"}, "[2001:db8:1::7]:443"},
		{"IPv6 zone dropped", proxy, []string{"fe80::1%eth0"}, "[fe80::1]:0"},
		{"IPv4-mapped client", proxy, []string{"::ffff:203.0.113.7"}, "203.0.113.7:0"},
		{"IPv4-mapped proxy entry is trusted", proxy, []string{"203.0.113.7, [::ffff:10.0.0.2]:80"}, "203.0.113.7:0"},
		{"IPv4-mapped peer is trusted", "[::ffff:10.0.0.1]:4000", []string{"203.0.113.7"}, "203.0.113.7:0"},
		{"IPv6 peer", "[2001:db8:ffff::1]:4000", []string{"203.0.113.7"}, "203.0.113.7:0"},
		{"lines joined in order", proxy, []string{"198.51.100.9, 203.0.113.7", "10.0.0.3", "10.0.0.2"}, "203.0.113.7:0"},
		{"the last line's client wins", proxy, []string{"203.0.113.7", "198.51.100.9"}, "198.51.100.9:0"},
		{"every line trusted: the leftmost", proxy, []string{"10.0.0.4", "10.0.0.3, 10.0.0.2"}, "10.0.0.4:0"},
		{"garbage on an earlier line, reached", proxy, []string{"garbage", "10.0.0.2"}, proxy},
		{"peer not an address", "@", []string{"203.0.113.7"}, "@"},
	}
	for _, tc := range cases {
		if got := forwardedClient(tc.remote, tc.xff, testProxies); got != tc.want {
			t.Errorf("%s: forwardedClient(%q, %q) = %q, want %q", tc.name, tc.remote, tc.xff, got, tc.want)
		}
	}
}

// TestBehindProxy: a request through a trusted proxy is a copy with the
// client's address; the request given is not changed.
func TestBehindProxy(t *testing.T) {
	r := httptest.NewRequest("GET", "/api/v1/lookup?q=x", nil)
	r.RemoteAddr = "10.0.0.1:4000"
	r.Header.Set("X-Forwarded-For", "203.0.113.7")
	got := behindProxy(r, testProxies)
	if got == r || got.RemoteAddr != "203.0.113.7:0" || r.RemoteAddr != "10.0.0.1:4000" {
		t.Errorf("through a proxy: RemoteAddr %q (same request: %v), the original's %q", got.RemoteAddr, got == r, r.RemoteAddr)
	}
	if hostOf(got) != "203.0.113.7" {
		t.Errorf("hostOf = %q", hostOf(got))
	}
	r.RemoteAddr = "198.51.100.9:4000"
	if got := behindProxy(r, testProxies); got != r || got.RemoteAddr != "198.51.100.9:4000" {
		t.Errorf("from an untrusted peer: RemoteAddr %q (same request: %v)", got.RemoteAddr, got == r)
	}
}

// TestProxyRateLimits: behind a trusted proxy each client has its own
// limit and its own reporter pseudonym; from an untrusted peer, whatever
// X-Forwarded-For it sends, it has one.
func TestProxyRateLimits(t *testing.T) {
	const report = `{"narrative":"刷单 加QQ 12345678"}`
	reporters := func(c client) int {
		var a struct{ Reports, Reporters int }
		c.json("GET", "/api/v1/lookup?q=12345678&kind=qq", "", 200, &a)
		return a.Reporters
	}
	// The tests' connections come from 127.0.0.1: trusted here.
	srv := newServerWith(t, Config{ReportBurst: 1, ReportsPerHour: 1, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	c := client{t: t, base: srv.URL}
	c.json("POST", "/api/v1/reports", report, 201, nil, "X-Forwarded-For", "203.0.113.7")
	if code, _, body := c.do("POST", "/api/v1/reports", report, "X-Forwarded-For", "203.0.113.8"); code != 429 {
		t.Errorf("the same client's network again: %d %s, want 429", code, body)
	}
	c.json("POST", "/api/v1/reports", report, 201, nil, "X-Forwarded-For", "198.51.100.7")
	if n := reporters(c); n != 2 {
		t.Errorf("two clients behind one proxy: %d reporters, want 2", n)
	}

	srv = newServerWith(t, Config{ReportBurst: 1, ReportsPerHour: 1, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}})
	c = client{t: t, base: srv.URL}
	c.json("POST", "/api/v1/reports", report, 201, nil, "X-Forwarded-For", "203.0.113.7")
	code, h, body := c.do("POST", "/api/v1/reports", report, "X-Forwarded-For", "198.51.100.7")
	if code != 429 || h.Get("Retry-After") == "" || !strings.Contains(body, `"status":429`) {
		t.Errorf("an untrusted peer claiming another client: %d %v %s, want 429", code, h, body)
	}
	if n := reporters(c); n != 1 {
		t.Errorf("untrusted peer: %d reporters, want 1", n)
	}
}

// FuzzForwardedClient: no header and no peer address makes forwardedClient
// panic, and its answer is the peer's address as given or a plain address
// with a port; an untrusted peer's is always its own.
func FuzzForwardedClient(f *testing.F) {
	for _, s := range [][2]string{
		{"10.0.0.1:4000", "203.0.113.7"},
		{"10.0.0.1:4000", "198.51.100.9, 203.0.113.7, 10.0.0.2"},
		{"10.0.0.1:4000", "10.0.0.3\n10.0.0.2"},
		{"[2001:db8:ffff::1]:443", "[2001:db8:1::7]:443, ::ffff:10.0.0.2"},
		{"10.0.0.1:4000", "unknown, _hidden, , fe80::1%eth0"},
		{"203.0.113.7:1234", "10.0.0.2"},
		{"@", "203.0.113.7"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, remote, header string) {
		xff := strings.Split(header, "\n")
		got := forwardedClient(remote, xff, testProxies)
		if got == remote {
			return
		}
		if peer, ok := parseForwarded(remote); !ok || !isTrusted(peer.Addr(), testProxies) {
			t.Fatalf("untrusted peer %q became %q", remote, got)
		}
		a, err := netip.ParseAddrPort(got)
		if err != nil || a.Addr().Zone() != "" || a.Addr().Is4In6() || a.String() != got {
			t.Fatalf("forwardedClient(%q, %q) = %q: not a plain address with a port", remote, xff, got)
		}
		r := &http.Request{RemoteAddr: got}
		if hostOf(r) != a.Addr().String() {
			t.Fatalf("hostOf(%q) = %q", got, hostOf(r))
		}
	})
}
