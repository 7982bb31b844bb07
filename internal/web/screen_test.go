package web

import (
	"net/url"
	"strings"
	"testing"
)

func TestScreenPage(t *testing.T) {
	h := newTestHandler(t, &fakeSubmitter{}, nil)
	if rec := do(h, "GET", "/screen?lang=zh-Hans", nil, ""); rec.Code != 200 || !strings.Contains(rec.Body.String(), "这条信息或招聘是诈骗吗") {
		t.Errorf("form: %d", rec.Code)
	}
	lure := url.Values{"text": {"高薪招聘打字员，月薪2万，无需经验，包机票，到缅甸妙瓦底工作，护照由公司保管，加飞机详谈"}, "kind": {"job"}}.Encode()
	rec := post(h, "/screen?lang=zh-Hans", nil, lure)
	checkBody(t, rec.Body.String(), []string{"这很像诈骗", "虚假招聘", "妙瓦底", "护照由公司保管"}, []string{"<script"})
	if rec.Code != 200 {
		t.Errorf("lure: %d", rec.Code)
	}
	rec = post(h, "/screen", nil, url.Values{"text": {"Hi mum, home by 7 for dinner"}}.Encode())
	checkBody(t, rec.Body.String(), []string{"Vigil sees no sign of a scam"}, nil)
	// The known phone number of the fake store is named as reported.
	rec = post(h, "/screen", nil, url.Values{"text": {"call me on +86 138 0013 8000 to claim your parcel refund"}}.Encode())
	checkBody(t, rec.Body.String(), []string{"+8613800138000", "reported to Vigil (7)"}, nil)
	if rec := post(h, "/screen", nil, "text=+++"); rec.Code != 400 {
		t.Errorf("empty text: %d", rec.Code)
	}
	if rec := post(h, "/screen", map[string]string{"Origin": "https://evil.example"}, lure); rec.Code != 403 {
		t.Errorf("cross-site: %d", rec.Code)
	}
	xss := url.Values{"text": {"<script>alert(1)</script> 安全账户"}}.Encode()
	if rec := post(h, "/screen", nil, xss); strings.Contains(rec.Body.String(), "<script>alert") {
		t.Errorf("unescaped text in the page")
	}
}
