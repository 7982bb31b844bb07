package api

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzCases: no body makes a case filing, a family's addition or a
// family's file answer 5xx or panic.
func FuzzCases(f *testing.F) {
	for _, s := range []string{
		`{"subject":{"names":["Li Wei"],"accounts":["微信 liwei_2006"]},"recruitment":{"lure":"加V jade88 到妙瓦底"}}`,
		`{"subject":{"names":["x"]},"demands":[{"amount":{"amount":"1e400","currency":"CNY"},"payment":["TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"]}]}`,
		`{"contact_log":[{"at":"0001-01-01T00:00:00Z","from":"@x","from_role":"subject_contact"}],"info":"\u0000"}`,
		`{"journey":[{"place":"KK园区","type":"last_known"}],"accounts":["+95 9 212 3456"]}`,
		"\x89PNG\r\n\x1a\n", `<svg onload=alert(1)>`,
	} {
		f.Add(s)
	}
	h := newHandler(f, Config{MaxBody: 1 << 16, ReportBurst: 1 << 30, ReportsPerHour: 1 << 30})
	req := httptest.NewRequest("POST", "/api/v1/cases", strings.NewReader(`{"subject":{"names":["Fuzz Person"]}}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var filed caseCreated
	if err := json.Unmarshal(rec.Body.Bytes(), &filed); err != nil || filed.Family == nil {
		f.Fatalf("filing the family's case: %d %s", rec.Code, rec.Body)
	}
	fam := "/api/v1/family/cases/" + filed.Family.Token
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/api/v1/cases", fam + "/additions", fam + "/evidence"} {
			req := httptest.NewRequest("POST", path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Case-Code", filed.Family.Code)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("POST %s: status %d for %q: %s", path, rec.Code, body, rec.Body)
			}
		}
	})
}
