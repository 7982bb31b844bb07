package api

import (
	"net/http"
	"net/netip"
	"strings"
)

// behindProxy returns r as it came from its client when it came through one
// of the trusted proxies (Config.TrustedProxies): a shallow copy whose
// RemoteAddr is the client's address, which is what rate limits, reporter
// pseudonyms, the public's callers and the sign-in throttle key on.
// Otherwise it returns r itself. A shallow copy suffices: only RemoteAddr
// differs, and r.Clone would copy every header.
func behindProxy(r *http.Request, trusted []netip.Prefix) *http.Request {
	client := forwardedClient(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), trusted)
	if client == r.RemoteAddr {
		return r
	}
	r2 := *r
	r2.RemoteAddr = client
	return &r2
}

// forwardedClient finds the client of a request from remoteAddr that
// carries the X-Forwarded-For lines xff. Only a trusted proxy is believed,
// and the list is read from the right, where each proxy appended the
// address it saw: the first entry that is not itself a trusted proxy is the
// client, and what lies left of it is the client's to invent. If every
// entry is a trusted proxy the leftmost is the client. When remoteAddr is
// not a trusted proxy, there is no header, or the entry reached is not an
// IP address, remoteAddr stands; otherwise the answer is "host:port" (port
// 0 when the entry has none), which net.SplitHostPort reads as it reads
// RemoteAddr. The walk stops at the client, so a long header costs no more
// than a short one.
func forwardedClient(remoteAddr string, xff []string, trusted []netip.Prefix) string {
	peer, ok := parseForwarded(remoteAddr)
	if !ok || !isTrusted(peer.Addr(), trusted) {
		return remoteAddr
	}
	var leftmost netip.AddrPort
	for i := len(xff) - 1; i >= 0; i-- {
		line := xff[i]
		for {
			comma := strings.LastIndexByte(line, ',')
			a, ok := parseForwarded(line[comma+1:])
			if !ok {
				return remoteAddr
			}
			if !isTrusted(a.Addr(), trusted) {
				return a.String()
			}
			leftmost = a
			if comma < 0 {
				break
			}
			line = line[:comma]
		}
	}
	if !leftmost.IsValid() {
		return remoteAddr
	}
	return leftmost.String()
}

// parseForwarded reads an address as a proxy writes it: "192.0.2.1",
// "2001:db8::1", either with a port ("192.0.2.1:5678", "[2001:db8::1]:443"),
// IPv4-mapped IPv6 as IPv4. The zone of a link-local address names an
// interface of the host that saw it, not the client, and is dropped.
func parseForwarded(s string) (netip.AddrPort, bool) {
	s = strings.TrimSpace(s)
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.AddrPort{}, false
		}
		ap = netip.AddrPortFrom(a, 0)
	}
	return netip.AddrPortFrom(ap.Addr().Unmap().WithZone(""), ap.Port()), true
}

// isTrusted reports whether a is inside one of the trusted prefixes.
func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
