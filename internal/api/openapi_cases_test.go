package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"vigil/internal/auth"
	"vigil/internal/media"
	"vigil/internal/place"
	"vigil/internal/report"
	"vigil/internal/share"
	"vigil/internal/store"
)

// account makes an account with a live session on srv's store.
func account(t testing.TB, srv *httptest.Server, login string, role auth.Role, org string) actor {
	t.Helper()
	db, ctx := storeOf(t, srv), context.Background()
	hash, err := auth.HashPasswordWith("a password of some length", testPasswords)
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.AddUser(ctx, store.User{Login: login, Role: role, Org: org, PasswordHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	csrfKey, err := db.Secret(ctx, "csrf-key")
	if err != nil {
		t.Fatal(err)
	}
	token, th := auth.NewSessionToken()
	now := time.Now()
	if err := db.AddSession(ctx, store.Session{TokenHash: th, User: u, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return actor{name: login, session: token, csrf: auth.CSRFToken(csrfKey, th), userID: u.ID}
}

// grantableKey makes an API key of org holding every permission a key
// may hold.
func grantableKey(t testing.TB, srv *httptest.Server, org string) string {
	t.Helper()
	var perms []auth.Permission
	for _, p := range auth.RolePermissions(auth.RoleAdmin).List() {
		if auth.KeyGrantable(p) {
			perms = append(perms, p)
		}
	}
	token, id, hash := auth.NewAPIKey()
	if err := storeOf(t, srv).AddKey(context.Background(), store.APIKey{ID: id, Hash: hash, Name: "all it may hold", Org: org, Perms: perms, CreatedBy: "test", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return token
}

// as returns a function that calls through c as a signed-in account: the
// cookie, and the CSRF token on state-changing requests.
func (c *oaClient) as(a actor) func(method, path, body string, status int, valid bool, headers ...string) oaExchange {
	return func(method, path, body string, status int, valid bool, headers ...string) oaExchange {
		c.t.Helper()
		headers = append(headers, "Cookie", "vigil_session="+a.session)
		if method != "GET" {
			headers = append(headers, "X-CSRF-Token", a.csrf)
		}
		return c.call(method, path, body, status, valid, headers...)
	}
}

// testPNG is a small photo-like image: decodable, with a perceptual hash.
func testPNG(t testing.TB, seed int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			img.Set(x, y, color.RGBA{uint8(x*4 + seed), uint8(y * 5), uint8((x * y) >> seed % 7), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withField returns a JSON object with one more field.
func withField(t testing.TB, object, name string, value any) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(object), &m); err != nil {
		t.Fatal(err)
	}
	m[name] = value
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCaseRoutesMatchOpenAPI checks the exchanges of caseScenarios
// against the document.
func TestCaseRoutesMatchOpenAPI(t *testing.T) {
	srv := newServerWith(t, Config{ReportBurst: 1000})
	caseScenarios(t, srv, newOAClient(t, newOpenAPIValidator(t), srv.URL))
}

// caseScenarios exercises, through anon, the routes of cases, families,
// places and watches of srv (a server with a fresh store), as the public,
// a family, caseworkers, an analyst and an admin.
func caseScenarios(t *testing.T, srv *httptest.Server, anon *oaClient) {
	db, ctx := storeOf(t, srv), context.Background()
	ngo, err := db.AddOrg(ctx, store.Org{Name: "Family Support NGO"})
	if err != nil {
		t.Fatal(err)
	}
	consulate, err := db.AddOrg(ctx, store.Org{Name: "Consulate"})
	if err != nil {
		t.Fatal(err)
	}
	worker := account(t, srv, "caseworker@ngo.example.org", auth.RoleCaseworker, ngo.ID)
	caseworker := anon.as(worker)
	admin := anon.as(account(t, srv, "admin@ngo.example.org", auth.RoleAdmin, ""))
	analyst := anon.as(account(t, srv, "analyst@ngo.example.org", auth.RoleAnalyst, ngo.ID))
	consul := anon.as(account(t, srv, "consul@example.org", auth.RoleCaseworker, consulate.ID))

	// Filing: the public's case without an owner, the public's case for
	// the NGO (replayed by its Idempotency-Key), a caseworker's.
	example := documentedExample(t, "/api/v1/cases", "post", "family")
	var unowned, filed, own caseCreated
	anon.call("POST", "/api/v1/cases", example, 201, true).decode(t, &unowned)
	forNGO := withField(t, example, "org", ngo.ID)
	ex := anon.call("POST", "/api/v1/cases", forNGO, 201, true, "Idempotency-Key", "oa-case-1")
	ex.decode(t, &filed)
	if filed.Family == nil || filed.Status != "reported" || ex.header.Get("Location") != "/api/v1/cases/"+filed.ID {
		t.Fatalf("a family's filing: %s %v", ex.body, ex.header)
	}
	var replayed caseCreated
	ex = anon.call("POST", "/api/v1/cases", forNGO, 201, true, "Idempotency-Key", "oa-case-1")
	ex.decode(t, &replayed)
	if replayed.ID != filed.ID || replayed.Family == nil || *replayed.Family != *filed.Family || ex.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay: %s, first %s", ex.body, filed.ID)
	}
	anon.call("POST", "/api/v1/cases", withField(t, forNGO, "urgency", "low"), 409, true, "Idempotency-Key", "oa-case-1")
	caseworker("POST", "/api/v1/cases", `{"subject":{"names":["Chen Jie"]},"status":"under_review","family_access":true,
		"notes":[{"text":"Called the mother."}],"demands":[{"amount":{"amount":"80000","currency":"CNY"},"payment":["6222 0212 3456 7890 128"]}]}`, 201, true).decode(t, &own)
	if own.Family == nil || own.Status != "under_review" {
		t.Errorf("a caseworker's filing: %+v", own)
	}
	anon.call("POST", "/api/v1/cases", `{"subject":{"names":["X"]},"recruitment":{"recruiters":["not a thing at all !!"]}}`, 400, true)
	anon.call("POST", "/api/v1/cases", `{"subject":{"aliases":[]}}`, 400, true)
	anon.call("POST", "/api/v1/cases", `{"subject":{"names":["X"]},"wanted":true}`, 400, false)
	anon.call("POST", "/api/v1/cases", `{"subject":{"names":["X"]},"urgency":"soon"}`, 400, false)
	anon.with("vgk_not_a_key").call("POST", "/api/v1/cases", `{"subject":{"names":["X"]}}`, 401, true)

	// Reading and listing.
	caseworker("GET", "/api/v1/cases", "", 200, true)
	caseworker("GET", "/api/v1/cases?status=reported&limit=1", "", 200, true)
	caseworker("GET", "/api/v1/cases?place=mm-kk-park", "", 200, true)
	caseworker("GET", "/api/v1/cases?assignee="+worker.userID, "", 200, true)
	caseworker("GET", "/api/v1/cases?place=nowhere", "", 400, true)
	caseworker("GET", "/api/v1/cases?status=soon", "", 400, false)
	admin("GET", "/api/v1/cases?limit=500", "", 200, true)
	anon.call("GET", "/api/v1/cases", "", 401, false)
	analyst("GET", "/api/v1/cases", "", 403, true)
	ex = caseworker("GET", "/api/v1/cases/"+filed.ID, "", 200, true)
	if ex.header.Get("ETag") == "" {
		t.Errorf("no ETag: %v", ex.header)
	}
	etag := ex.header.Get("ETag")
	caseworker("GET", "/api/v1/cases/"+unowned.ID, "", 404, true)
	admin("GET", "/api/v1/cases/"+unowned.ID, "", 200, true)
	consul("GET", "/api/v1/cases/"+filed.ID, "", 404, true)
	analyst("GET", "/api/v1/cases/"+filed.ID, "", 403, true)
	caseworker("GET", "/api/v1/cases/01ARZ3NDEKTSV4RRFFQ69G5FAV", "", 404, true)

	// Changing: versions, assignees, owners.
	var c struct {
		Version int `json:"version"`
	}
	ex = caseworker("PATCH", "/api/v1/cases/"+filed.ID, `{"status":"under_review","assignee":"`+worker.userID+`"}`, 200, true, "If-Match", etag)
	ex.decode(t, &c)
	caseworker("PATCH", "/api/v1/cases/"+filed.ID, `{"status":"located"}`, 409, true, "If-Match", etag)
	caseworker("PATCH", "/api/v1/cases/"+filed.ID, `{"status":"located"}`, 400, true)
	caseworker("PATCH", "/api/v1/cases/"+filed.ID, fmt.Sprintf(`{"version":%d,"assignee":"nobody"}`, c.Version), 400, true)
	caseworker("PATCH", "/api/v1/cases/"+filed.ID, fmt.Sprintf(`{"version":%d,"org":"%s"}`, c.Version, consulate.ID), 403, true)
	caseworker("PATCH", "/api/v1/cases/"+filed.ID, fmt.Sprintf(`{"version":%d,"indicators":[]}`, c.Version), 400, false)
	caseworker("PATCH", "/api/v1/cases/"+filed.ID, documentedExample(t, "/api/v1/cases/{id}", "patch", "located"), 409, true)
	caseworker("PATCH", "/api/v1/cases/"+filed.ID, fmt.Sprintf(`{"version":%d,"urgency":"high","notes":[{"text":"Spoke to the consulate."}]}`, c.Version), 200, true).decode(t, &c)
	consul("PATCH", "/api/v1/cases/"+filed.ID, fmt.Sprintf(`{"version":%d}`, c.Version), 404, true)
	analyst("PATCH", "/api/v1/cases/"+filed.ID, `{"version":1}`, 403, true)
	admin("PATCH", "/api/v1/cases/"+unowned.ID, `{"version":1,"org":"`+ngo.ID+`"}`, 200, true)
	caseworker("GET", "/api/v1/cases/"+filed.ID+"/leads", "", 200, true)
	consul("GET", "/api/v1/cases/"+filed.ID+"/leads", "", 404, true)

	// Files.
	photo := testPNG(t, 1)
	var ref struct{ ID string }
	caseworker("POST", "/api/v1/cases/"+filed.ID+"/evidence?name=photo.png&note="+urlq("his last photo"), string(photo), 201, true, "Content-Type", "image/png").decode(t, &ref)
	caseworker("POST", "/api/v1/cases/"+filed.ID+"/evidence?name=chat.txt", "Mum, we were tricked and sold to Myanmar.\n", 201, true, "Content-Type", "text/plain")
	caseworker("POST", "/api/v1/cases/"+filed.ID+"/evidence", "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", 415, true, "Content-Type", "application/octet-stream")
	caseworker("POST", "/api/v1/cases/"+filed.ID+"/evidence", strings.Repeat("a", media.MaxSize+1), 413, true, "Content-Type", "text/plain")
	caseworker("POST", "/api/v1/cases/"+filed.ID+"/evidence?name="+urlq("a/b"), "text", 400, false, "Content-Type", "text/plain")
	consul("POST", "/api/v1/cases/"+filed.ID+"/evidence", string(photo), 404, true, "Content-Type", "image/png")
	ex = caseworker("GET", "/api/v1/cases/"+filed.ID+"/evidence/"+ref.ID, "", 200, true)
	if !bytes.Equal(ex.body, photo) || ex.header.Get("Content-Type") != "image/png" || !strings.Contains(ex.header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("the photo back: %d bytes, headers %v", len(ex.body), ex.header)
	}
	caseworker("GET", "/api/v1/cases/"+filed.ID+"/evidence/nope", "", 404, true)
	consul("GET", "/api/v1/cases/"+filed.ID+"/evidence/"+ref.ID, "", 404, true)

	// Exports.
	caseworker("GET", "/api/v1/cases/"+filed.ID+"/export", "", 200, true)
	if ex := caseworker("GET", "/api/v1/cases/"+filed.ID+"/export?format=csv", "", 200, true); !strings.HasPrefix(ex.header.Get("Content-Type"), "text/csv") {
		t.Errorf("CSV export: %v", ex.header)
	}
	caseworker("GET", "/api/v1/cases/"+filed.ID+"/export?format=xml", "", 400, false)
	consul("GET", "/api/v1/cases/"+filed.ID+"/export", "", 404, true)
	caseworker("POST", "/api/v1/cases/export", `{"ids":["`+filed.ID+`","`+own.ID+`"],"format":"csv"}`, 200, true)
	caseworker("POST", "/api/v1/cases/export", `{"ids":["`+filed.ID+`","01ARZ3NDEKTSV4RRFFQ69G5FAV"]}`, 404, true)
	admin("POST", "/api/v1/cases/export", documentedExample(t, "/api/v1/cases/export", "post", "csv"), 404, true)
	caseworker("POST", "/api/v1/cases/export", `{"ids":[]}`, 400, false)
	analyst("POST", "/api/v1/cases/export", `{"ids":["`+filed.ID+`"]}`, 403, true)

	// The family: its case with the code, additions and files.
	fam := "/api/v1/family/cases/" + filed.Family.Token
	code := filed.Family.Code
	anon.call("GET", fam, "", 200, true, "X-Case-Code", code)
	anon.call("GET", fam, "", 200, true, "X-Case-Code", strings.ReplaceAll(code, "-", ""))
	anon.call("GET", fam, "", 404, true, "X-Case-Code", "0000-0000")
	anon.call("GET", "/api/v1/family/cases/nosuchtoken", "", 404, true, "X-Case-Code", code)
	anon.call("POST", fam+"/additions", documentedExample(t, "/api/v1/family/cases/{token}/additions", "post", "demand"), 200, true, "X-Case-Code", code)
	anon.call("POST", fam+"/additions", `{"accounts":["not a thing at all !!"]}`, 400, true, "X-Case-Code", code)
	anon.call("POST", fam+"/additions", `{}`, 400, true, "X-Case-Code", code)
	anon.call("POST", fam+"/additions", `{"info":"x"}`, 404, true, "X-Case-Code", "1111-1111")
	anon.call("POST", fam+"/evidence?name=ransom.png", string(testPNG(t, 2)), 201, true, "X-Case-Code", code, "Content-Type", "image/png")
	anon.call("POST", fam+"/evidence", "\x7fELF\x02\x01\x01\x00", 415, true, "X-Case-Code", code, "Content-Type", "application/octet-stream")
	anon.call("POST", fam+"/evidence", "a note", 404, true, "X-Case-Code", "2222-2222", "Content-Type", "text/plain")
	anon.with(grantableKey(t, srv, ngo.ID)).call("GET", fam, "", 403, true, "X-Case-Code", code)
	// Wrong codes are throttled per link.
	other := "/api/v1/family/cases/" + own.Family.Token
	for range 5 {
		anon.call("GET", other, "", 404, true, "X-Case-Code", "3333-3333")
	}
	if ex := anon.call("GET", other, "", 429, true, "X-Case-Code", own.Family.Code); ex.header.Get("Retry-After") == "" || !bytes.Contains(ex.body, []byte("wrong codes")) {
		t.Errorf("429 without Retry-After or reason: %v %s", ex.header, ex.body)
	}
	anon.call("POST", other+"/additions", `{"info":"x"}`, 429, true, "X-Case-Code", own.Family.Code)
	anon.call("POST", other+"/evidence", "a note", 429, true, "X-Case-Code", own.Family.Code, "Content-Type", "text/plain")

	// Places.
	anon.call("GET", "/api/v1/places", "", 200, true)
	anon.call("GET", "/api/v1/places/mm-kk-park", "", 200, true)
	caseworker("GET", "/api/v1/places/mm-kk-park", "", 200, true)
	anon.call("GET", "/api/v1/places/nowhere", "", 404, true)

	// Watches, alerts and deliveries.
	var rep reportCreated
	anon.call("POST", "/api/v1/reports", `{"scam_type":"investment","indicators":[{"value":"TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp","role":"payment"}]}`, 201, true).decode(t, &rep)
	var w1, w2 store.Watch
	caseworker("POST", "/api/v1/watches", withField(t, documentedExample(t, "/api/v1/watches", "post", "case"), "target", filed.ID), 201, true).decode(t, &w1)
	if w1.Secret == "" {
		t.Errorf("a webhook watch without its secret: %+v", w1)
	}
	analyst("POST", "/api/v1/watches", documentedExample(t, "/api/v1/watches", "post", "value"), 201, true).decode(t, &w2)
	caseworker("POST", "/api/v1/watches", `{"kind":"network","target":"`+rep.NetworkID+`"}`, 201, true)
	analyst("POST", "/api/v1/watches", `{"kind":"case","target":"`+filed.ID+`"}`, 404, true)
	consul("POST", "/api/v1/watches", `{"kind":"case","target":"`+filed.ID+`"}`, 404, true)
	caseworker("POST", "/api/v1/watches", `{"kind":"network","target":"nope"}`, 404, true)
	caseworker("POST", "/api/v1/watches", `{"kind":"value","target":"not a thing at all !!"}`, 400, true)
	caseworker("POST", "/api/v1/watches", `{"kind":"value","target":"abc_123456","webhook_url":"ftp://example.org/x"}`, 400, true)
	caseworker("POST", "/api/v1/watches", `{"kind":"everything","target":"x"}`, 400, false)
	anon.call("POST", "/api/v1/watches", `{"kind":"value","target":"abc_123456"}`, 401, false)
	if ex := caseworker("GET", "/api/v1/watches", "", 200, true); strings.Contains(string(ex.body), w1.Secret) {
		t.Errorf("the secret is listed: %s", ex.body)
	}
	caseworker("GET", "/api/v1/watches/"+w1.ID+"/deliveries", "", 200, true)
	caseworker("GET", "/api/v1/watches/"+w1.ID+"/deliveries?limit=1", "", 200, true)
	caseworker("GET", "/api/v1/watches/"+w2.ID+"/deliveries", "", 404, true)
	caseworker("GET", "/api/v1/alerts", "", 200, true)
	analyst("GET", "/api/v1/alerts?limit=10", "", 200, true)
	caseworker("GET", "/api/v1/alerts?limit=0", "", 400, false)
	caseworker("DELETE", "/api/v1/watches/"+w2.ID, "", 404, true)
	caseworker("DELETE", "/api/v1/watches/"+w1.ID, "", 204, true)
	caseworker("DELETE", "/api/v1/watches/"+w1.ID, "", 404, true)
	anon.call("GET", "/api/v1/alerts", "", 401, false)
}

// TestOpenAPICaseEnumerations keeps the document's vocabularies of cases,
// leads, watches and places those of the code and the gazetteer.
func TestOpenAPICaseEnumerations(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Enum       []string `json:"enum"`
				Properties map[string]struct {
					Enum []string `json:"enum"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openapiDoc, &doc); err != nil {
		t.Fatal(err)
	}
	codes := func(terms []report.Term, more ...string) []string {
		var out []string
		for _, t := range terms {
			out = append(out, t.Code)
		}
		return append(out, more...)
	}
	for name, want := range map[string][]string{
		"CaseStatus":        codes(report.CaseStatuses),
		"Urgency":           codes(report.Urgencies),
		"Consent":           codes(report.Consents),
		"Sex":               codes(report.Sexes),
		"RecruitmentMethod": codes(report.RecruitmentMethods),
		"ExploitationType":  codes(report.ExploitationTypes),
		"ControlMethod":     codes(report.ControlMethods),
		"StopType":          codes(report.StopTypes),
		"CaseRole":          codes(report.Roles, report.RoleSubject),
		"LeadKind":          {store.LeadReports, store.LeadForcedScammer, store.LeadCase, store.LeadPhoto},
		"WatchKind":         {store.WatchCase, store.WatchNetwork, store.WatchValue},
	} {
		if got := doc.Components.Schemas[name].Enum; strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("components/schemas/%s enum:\n got %q\nwant %q", name, got, want)
		}
	}
	var export struct {
		Components struct {
			Schemas struct {
				HTCDSExport struct {
					Items struct {
						Properties map[string]struct {
							Enum []string `json:"enum"`
						} `json:"properties"`
					} `json:"items"`
				} `json:"HTCDSExport"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openapiDoc, &export); err != nil {
		t.Fatal(err)
	}
	redactions := []string{share.RedactionNone, share.RedactionAnonymised, share.RedactionProcess}
	if got := export.Components.Schemas.HTCDSExport.Items.Properties["vigil_Redaction"].Enum; strings.Join(got, " ") != strings.Join(redactions, " ") {
		t.Errorf("HTCDSExport vigil_Redaction enum %q, want %q", got, redactions)
	}
	entry := doc.Components.Schemas["Place"].Properties
	for _, p := range place.Default().Places() {
		if !slices.Contains(entry["kind"].Enum, p.Kind) || !slices.Contains(entry["evidence"].Enum, p.Evidence) {
			t.Errorf("place %s: kind %q or evidence %q is not in the document's enums %q, %q", p.ID, p.Kind, p.Evidence, entry["kind"].Enum, entry["evidence"].Enum)
		}
	}
}
