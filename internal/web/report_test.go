package web

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"vigil/internal/report"
)

// validForm is a report form filled in as a person would.
func validForm() url.Values {
	return url.Values{
		"scam_type": {"investment"}, "channel": {"wechat"},
		"narrative":   {"She said the platform would double my money.\r\nThen it vanished."},
		"loss_amount": {"1200.50"}, "loss_currency": {"usdt"},
		"occurred_at": {"2026-02-01"}, "victim_country": {"th"},
		"value1": {" +86 138 0013 8000 "}, "role1": {"scammer_contact"},
		"value3": {"TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"}, "role3": {"payment"},
		"value4": {"  "}, "role4": {"website"},
	}
}

func TestSubmitReport(t *testing.T) {
	sub := &fakeSubmitter{}
	h := newTestHandler(t, sub, nil)
	rec := post(h, "/report?lang=zh-Hans", map[string]string{"Origin": "http://example.com", "Sec-Fetch-Site": "same-origin"}, validForm().Encode())
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("status %d, want 303; body %s", rec.Code, rec.Body)
	}
	if loc := rec.Header().Get("Location"); loc != "/report/thanks?id=r-1&lang=zh-Hans" {
		t.Errorf("Location %q", loc)
	}
	if sub.count() != 1 {
		t.Fatalf("%d reports submitted, want 1", sub.count())
	}
	got := sub.reports[0]
	when := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	want := &report.Report{Kind: "scam", ScamType: "investment", Channel: "wechat", Status: report.StatusNew, Source: "web",
		Narrative: "She said the platform would double my money.\nThen it vanished.",
		Loss:      &report.Money{Amount: "1200.5", Currency: "USDT"}, OccurredAt: &when, VictimCountry: "TH",
		Indicators: []report.Link{{Value: "+86 138 0013 8000", Role: "scammer_contact"}, {Value: "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp", Role: "payment"}}}
	// Validate gives want the defaults the report package fills in, as it
	// gave them to got: the form says nothing of them.
	if err := want.Validate(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("submitted report (-want +got):\n%s", diff)
	}
	if sub.clients[0] != "192.0.2.1" {
		t.Errorf("client %q, want the remote IP 192.0.2.1", sub.clients[0])
	}
	if sub.sessions[0] != "" {
		t.Errorf("session %q, want none", sub.sessions[0])
	}
}

// TestReportProblems: a form with problems comes back with the person's
// input kept and each problem by its field, and nothing is submitted.
func TestReportProblems(t *testing.T) {
	narrative := `I paid <b>"them"</b> & lost it`
	with := func(kv ...string) string {
		v := validForm()
		v.Set("narrative", narrative)
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	tests := []struct {
		name, path, body string
		want             []string
	}{
		{"bad currency", "/report", with("loss_currency", "DOLLARS"),
			[]string{"There is a problem with your report", `<a href="#loss_amount">Give the amount as a number`,
				`id="loss_amount-error"`, `unknown currency "DOLLARS"`, `value="DOLLARS"`, `value="1200.50"`,
				`aria-describedby="loss_amount-hint loss_amount-error" aria-invalid="true"`}},
		{"bad currency in Chinese", "/report?lang=zh-Hans", with("loss_currency", "DOLLARS"),
			[]string{"您的举报有需要修改的地方", "金额请填写数字", `<option value="investment" selected>`}},
		{"bad amount", "/report", with("loss_amount", "1,200"), []string{`id="loss_amount-error"`, `amount "1,200" is not a decimal number`}},
		{"bad date", "/report", with("occurred_at", "2026-13-45"), []string{`id="occurred_at-error"`, "Give a date such as 2024-05-31"}},
		{"future date", "/report", with("occurred_at", "2999-01-01"), []string{`id="occurred_at-error"`, "is in the future"}},
		{"bad country", "/report", with("victim_country", "XX"), []string{`id="victim_country-error"`, `value="XX"`}},
		{"bad scam type", "/report", with("scam_type", "bogus"), []string{`id="scam_type-error"`}},
		// Rows 1 and 2 are empty: the third report indicator is row 4.
		{"bad role by its row", "/report", with("value1", "", "value4", "abc_123456", "role4", "boss"),
			[]string{`id="role4-error"`, `value="abc_123456"`, "Choose from the list what this value was."}},
		{"nothing said", "/report", "narrative=+&scam_type=romance", []string{`id="narrative-error"`, `<option value="romance" selected>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := &fakeSubmitter{}
			h := newTestHandler(t, sub, nil)
			rec := post(h, tt.path, nil, tt.body)
			if rec.Code != http.StatusBadRequest {
				t.Errorf("status %d, want 400", rec.Code)
			}
			if sub.count() != 0 {
				t.Errorf("%d reports submitted", sub.count())
			}
			mustNot := []string{"<b>"}
			if strings.Contains(tt.body, "lost+it") {
				tt.want = append(tt.want, narrative)
				// The narrative is kept, escaped.
				if !strings.Contains(rec.Body.String(), "I paid &lt;b&gt;&#34;them&#34;&lt;/b&gt; &amp; lost it") {
					t.Errorf("the narrative is not kept escaped")
				}
			}
			checkBody(t, rec.Body.String(), tt.want, mustNot)
		})
	}
}

// TestSubmitErrors: what the Submitter answers decides the page.
func TestSubmitErrors(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		status     int
		retryAfter string
		want       []string
		mustNot    []string
		logged     bool
	}{
		{"rate limited", fmt.Errorf("store: client 192.0.2.1: %w", ErrRateLimited), 429, "60",
			[]string{"Please wait a minute", "She said the platform would double my money."}, []string{"192.0.2.1"}, false},
		{"invalid value", &report.ValidationError{Fields: []report.FieldError{{Pointer: "/indicators/1/value", Detail: "is not a valid trx"}}}, 400, "",
			[]string{`id="value3-error"`, "is not a valid trx", "Vigil cannot read this value."}, nil, false},
		{"invalid otherwise", fmt.Errorf("resolve: %w", report.ErrInvalid), 400, "",
			[]string{"Vigil could not accept this report.", "resolve: invalid report"}, nil, false},
		{"store failure", errors.New("database exploded at 10.0.0.7"), 500, "",
			[]string{"Something went wrong", "try again in a few minutes"}, []string{"database exploded"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			h := newTestHandler(t, &fakeSubmitter{err: tt.err}, slog.New(slog.NewTextHandler(&logs, nil)))
			rec := post(h, "/report", nil, validForm().Encode())
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			if got := rec.Header().Get("Retry-After"); got != tt.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, tt.retryAfter)
			}
			if got := strings.Contains(logs.String(), "database exploded"); got != tt.logged {
				t.Errorf("logged %v, want %v: %s", got, tt.logged, logs.String())
			}
			checkBody(t, rec.Body.String(), tt.want, tt.mustNot)
		})
	}
}

// TestCrossOrigin: a form posted from another site is refused and not
// submitted; one from this site, or from no browser, is taken.
func TestCrossOrigin(t *testing.T) {
	tests := []struct {
		name   string
		header map[string]string
		status int
	}{
		{"other origin", map[string]string{"Origin": "https://evil.example"}, 403},
		{"other origin, same host name, other port", map[string]string{"Origin": "http://example.com:8080"}, 403},
		{"null origin", map[string]string{"Origin": "null"}, 403},
		{"cross-site fetch", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"same-site fetch", map[string]string{"Sec-Fetch-Site": "same-site", "Origin": "https://sub.example.com"}, 403},
		{"same origin", map[string]string{"Origin": "http://example.com"}, 303},
		{"same-origin fetch", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://example.com"}, 303},
		{"typed address", map[string]string{"Sec-Fetch-Site": "none"}, 303},
		{"no browser headers", nil, 303},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := &fakeSubmitter{}
			h := newTestHandler(t, sub, nil)
			rec := post(h, "/report", tt.header, validForm().Encode())
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			if wantN := map[bool]int{true: 1, false: 0}[tt.status == 303]; sub.count() != wantN {
				t.Errorf("%d reports submitted, want %d", sub.count(), wantN)
			}
			if tt.status == 403 {
				checkBody(t, rec.Body.String(), []string{"Form not accepted"}, nil)
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	sub := &fakeSubmitter{}
	h := newTestHandler(t, sub, nil)
	v := validForm()
	v.Set("narrative", strings.Repeat("a", maxForm))
	rec := post(h, "/report", nil, v.Encode())
	if rec.Code != http.StatusRequestEntityTooLarge || sub.count() != 0 {
		t.Errorf("status %d, %d submitted; want 413 and none", rec.Code, sub.count())
	}
	checkBody(t, rec.Body.String(), []string{"Report too long"}, nil)
}
