package api

import (
	"net/url"
	"strings"
	"testing"
)

// lookupParams must read a query exactly as url.Values.Get does.
func TestLookupParamsAsQuery(t *testing.T) {
	for _, raw := range []string{
		"", "q=%2B8613800138000", "q=a&q=b", "kind=phone&q=x&region=cn", "q=%zz&q=ok", "q;=x&q=y",
		"q=a;b&q=c", "&&q=&q=2", "q", "q=%2", "%71=encoded-key", "q=a+b%20c", "region=CN&region=US&q=1",
		"kind=%ZZ&kind=email", "q=" + strings.Repeat("a&", 70) + "q=z", strings.Repeat("x=1&", 70) + "q=late",
		"q=%E4%B8%AD%E6%96%87", "Q=upper", "q=\x00",
	} {
		u := &url.URL{RawQuery: raw}
		v := u.Query()
		q, kind, region := lookupParams(u)
		if q != v.Get("q") || kind != v.Get("kind") || region != v.Get("region") {
			t.Errorf("lookupParams(%q) = %q, %q, %q; url.Query gives %q, %q, %q", raw, q, kind, region, v.Get("q"), v.Get("kind"), v.Get("region"))
		}
	}
}

func FuzzLookupParams(f *testing.F) {
	for _, s := range []string{"q=%2B86138", "q=a&kind=phone&region=CN", "q;=x&q=%zz&q=y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u := &url.URL{RawQuery: raw}
		v := u.Query()
		q, kind, region := lookupParams(u)
		if q != v.Get("q") || kind != v.Get("kind") || region != v.Get("region") {
			t.Errorf("lookupParams(%q) = %q, %q, %q; url.Query gives %q, %q, %q", raw, q, kind, region, v.Get("q"), v.Get("kind"), v.Get("region"))
		}
	})
}
