package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	oaerrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	"github.com/pb33f/libopenapi/orderedmap"

	"vigil/internal/auth"
	"vigil/internal/indicator"
	"vigil/internal/report"
	"vigil/internal/store"
)

// openAPIOptions are the validator's options: formats (date-time, uri-reference)
// are checked, and strict mode reports any property, query parameter or
// header the document does not declare, even where a schema leaves
// additional properties open. The security headers every answer carries
// are described once in info.description rather than on every response.
var openAPIOptions = []config.Option{
	config.WithFormatAssertions(),
	config.WithStrictMode(),
	config.WithStrictIgnoredHeadersExtra("x-content-type-options", "content-security-policy", "referrer-policy"),
	// The document itself (GET /api/openapi.json) is described loosely: it
	// is the embedded file, as TestResponsesMatchOpenAPI checks.
	config.WithStrictIgnorePaths("$.body.info**", "$.body.paths**", "$.body.components**"),
}

// openAPIModel parses the embedded document and builds its model.
func openAPIModel(t *testing.T) (libopenapi.Document, *v3.Document) {
	t.Helper()
	doc, err := libopenapi.NewDocument(openapiDoc)
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	m, err := doc.BuildV3Model()
	if err != nil {
		t.Fatalf("openapi.json: building the model: %v", err)
	}
	return doc, &m.Model
}

func newOpenAPIValidator(t *testing.T) validator.Validator {
	t.Helper()
	doc, _ := openAPIModel(t)
	v, errs := validator.NewValidator(doc, openAPIOptions...)
	if len(errs) > 0 {
		t.Fatalf("openapi.json: %v", errs)
	}
	return v
}

// describe lists validation errors one to a line.
func describe(errs []*oaerrors.ValidationError) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "\n\t%s", e.Error())
		if e.HowToFix != "" {
			fmt.Fprintf(&b, " (fix: %s)", e.HowToFix)
		}
	}
	return b.String()
}

// TestOpenAPIDocumentValid checks the embedded document against the
// OpenAPI 3.1 schema, and every example in it against the schema it
// illustrates.
func TestOpenAPIDocumentValid(t *testing.T) {
	v := newOpenAPIValidator(t)
	if ok, errs := v.ValidateDocument(); !ok {
		t.Fatalf("openapi.json is not a valid OpenAPI 3.1 document:%s", describe(errs))
	}

	_, model := openAPIModel(t)
	sv := schema_validation.NewSchemaValidator(openAPIOptions...)
	n := 0
	check := func(where string, schema *base.SchemaProxy, value any) {
		t.Helper()
		b, err := json.Marshal(value)
		if err != nil {
			t.Errorf("%s: example: %v", where, err)
			return
		}
		n++
		if ok, errs := sv.ValidateSchemaBytes(schema.Schema(), b); !ok {
			t.Errorf("%s: example %s does not match its schema:%s", where, b, describe(errs))
		}
	}
	checkExamples := func(where string, schema *base.SchemaProxy, examples *orderedmap.Map[string, *base.Example]) {
		for name, ex := range examples.FromOldest() {
			var value any
			if err := ex.Value.Decode(&value); err != nil {
				t.Errorf("%s example %q: %v", where, name, err)
				continue
			}
			check(where+" example "+name, schema, value)
		}
	}
	for path, item := range model.Paths.PathItems.FromOldest() {
		for method, op := range item.GetOperations().FromOldest() {
			where := strings.ToUpper(method) + " " + path
			for _, p := range op.Parameters {
				checkExamples(where+" parameter "+p.Name, p.Schema, p.Examples)
			}
			if op.RequestBody != nil {
				for ct, mt := range op.RequestBody.Content.FromOldest() {
					checkExamples(where+" "+ct, mt.Schema, mt.Examples)
				}
			}
		}
	}
	for name, sp := range model.Components.Schemas.FromOldest() {
		walkSchemaExamples(t, "#/components/schemas/"+name, sp, check)
	}
	if n < 10 {
		t.Errorf("checked %d examples; the document has more", n)
	}
}

// walkSchemaExamples checks the examples of a schema and of its inline
// properties (referenced schemas are checked as components).
func walkSchemaExamples(t *testing.T, where string, sp *base.SchemaProxy, check func(string, *base.SchemaProxy, any)) {
	t.Helper()
	s := sp.Schema()
	if s == nil {
		t.Errorf("%s: %v", where, sp.GetBuildError())
		return
	}
	for i, ex := range s.Examples {
		var value any
		if err := ex.Decode(&value); err != nil {
			t.Errorf("%s example %d: %v", where, i, err)
			continue
		}
		check(fmt.Sprintf("%s example %d", where, i), sp, value)
	}
	for name, prop := range s.Properties.FromOldest() {
		if !prop.IsReference() {
			walkSchemaExamples(t, where+"/properties/"+name, prop, check)
		}
	}
}

// TestOpenAPIEnumerations keeps the document's vocabularies those of the
// code: report kinds, scam types, channels, roles, statuses and
// indicator kinds.
func TestOpenAPIEnumerations(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Enum []string `json:"enum"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openapiDoc, &doc); err != nil {
		t.Fatal(err)
	}
	codes := func(terms []report.Term) []string {
		var out []string
		for _, t := range terms {
			out = append(out, t.Code)
		}
		return out
	}
	var kinds, indicatorKinds []string
	for _, k := range indicator.Kinds {
		kinds = append(kinds, string(k))
		if k != indicator.Place {
			indicatorKinds = append(indicatorKinds, string(k))
		}
	}
	for name, want := range map[string][]string{
		"ReportKind":    codes(report.Kinds),
		"ScamType":      codes(report.ScamTypes),
		"Channel":       codes(report.Channels),
		"Role":          codes(report.Roles),
		"Status":        codes(report.Statuses),
		"Kind":          kinds,
		"IndicatorKind": indicatorKinds,
		"Level":         {report.LevelNone, report.LevelUnverified, report.LevelLow, report.LevelMedium, report.LevelHigh},
	} {
		got := doc.Components.Schemas[name].Enum
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("components/schemas/%s enum:\n got %q\nwant %q", name, got, want)
		}
	}
}

// TestOpenAPIOperationIDs: each operation is named as its route is in
// routes.go, which is also the route label of the request metrics.
func TestOpenAPIOperationIDs(t *testing.T) {
	src, err := readFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"GET /metrics": "metrics"}
	for _, m := range regexp.MustCompile(`route\("([A-Z]+ [^"]+)", "([a-z_]+)"`).FindAllStringSubmatch(src, -1) {
		want[m[1]] = m[2]
	}
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(openapiDoc, &doc); err != nil {
		t.Fatal(err)
	}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			route := strings.ToUpper(method) + " " + path
			if w, ok := want[route]; ok && op.OperationID != w {
				t.Errorf("%s: operationId %q, want %q (its name in routes.go)", route, op.OperationID, w)
			}
		}
	}
}

// oaClient sends requests to a server and checks every exchange against
// the OpenAPI document.
type oaClient struct {
	client
	v validator.Validator
	// ops are the document's operations ("GET /api/v1/reports/{id}") and
	// whether a request exercised each.
	ops map[string]bool
}

type oaExchange struct {
	status int
	header http.Header
	body   []byte
}

func newOAClient(t *testing.T, v validator.Validator, base string) *oaClient {
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(openapiDoc, &doc); err != nil {
		t.Fatal(err)
	}
	c := &oaClient{client: client{t: t, base: base}, v: v, ops: map[string]bool{}}
	for path, ops := range doc.Paths {
		for method := range ops {
			c.ops[strings.ToUpper(method)+" "+path] = false
		}
	}
	return c
}

// with returns the client sending an API key.
func (c *oaClient) with(token string) *oaClient {
	d := *c
	d.token = token
	return &d
}

// call sends a request, wants the status, and checks the exchange against
// the document. A valid request must satisfy the document; an invalid one
// (valid false) must be refused by the document as it is by the server,
// and the answer must still match the document.
func (c *oaClient) call(method, path, body string, status int, valid bool, headers ...string) oaExchange {
	c.t.Helper()
	res, err := http.DefaultClient.Do(c.request(method, path, body, headers))
	if err != nil {
		c.t.Fatal(err)
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		c.t.Fatal(err)
	}
	ex := oaExchange{status: res.StatusCode, header: res.Header, body: b}
	short := path
	if len(short) > 120 {
		short = short[:120] + "..."
	}
	if res.StatusCode != status {
		c.t.Fatalf("%s %s: status %d, want %d: %.500s", method, short, res.StatusCode, status, b)
	}
	c.ops[c.operation(method, path)] = true

	// The validator reads bodies: give it fresh copies.
	res.Body = io.NopCloser(bytes.NewReader(b))
	req := c.request(method, path, body, headers)
	if valid {
		if ok, errs := c.v.ValidateHttpRequestResponse(req, res); !ok {
			c.t.Errorf("%s %s (%d) does not match openapi.json:%s\nbody: %.1000s", method, short, res.StatusCode, describe(errs), b)
		}
		return ex
	}
	if ok, _ := c.v.ValidateHttpRequest(req); ok {
		c.t.Errorf("%s %s: openapi.json accepts a request the server refuses with %d: %.300s", method, short, res.StatusCode, body)
	}
	if ok, errs := c.v.ValidateHttpResponse(c.request(method, path, body, headers), res); !ok {
		c.t.Errorf("%s %s: the %d answer does not match openapi.json:%s\nbody: %.1000s", method, short, res.StatusCode, describe(errs), b)
	}
	return ex
}

// operation names the documented operation a request is for.
func (c *oaClient) operation(method, path string) string {
	c.t.Helper()
	path, _, _ = strings.Cut(path, "?")
	for op := range c.ops {
		m, tmpl, _ := strings.Cut(op, " ")
		re := "^" + regexp.MustCompile(`\\\{[a-z]+\\\}`).ReplaceAllString(regexp.QuoteMeta(tmpl), "[^/]+") + "$"
		if m == method && regexp.MustCompile(re).MatchString(path) {
			return op
		}
	}
	c.t.Fatalf("%s %s is not in openapi.json", method, path)
	return ""
}

func (ex oaExchange) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(ex.body, v); err != nil {
		t.Fatalf("%v: %s", err, ex.body)
	}
}

// documentedExample returns a request-body example of the document.
func documentedExample(t *testing.T, path, method, name string) string {
	t.Helper()
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]struct {
					Examples map[string]struct {
						Value json.RawMessage `json:"value"`
					} `json:"examples"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(openapiDoc, &doc); err != nil {
		t.Fatal(err)
	}
	v := doc.Paths[path][method].RequestBody.Content["application/json"].Examples[name].Value
	if len(v) == 0 {
		t.Fatalf("openapi.json has no example %q for %s %s", name, method, path)
	}
	return string(v)
}

// TestResponsesMatchOpenAPI exercises every documented operation on a real
// server, with valid and invalid requests, and checks each request and
// answer (status, documented headers, body) against the document.
func TestResponsesMatchOpenAPI(t *testing.T) {
	v := newOpenAPIValidator(t)
	srv := newServerWith(t, Config{ReportBurst: 1000})
	anon := newOAClient(t, v, srv.URL)
	analyst := anon.with(analystKey(t, srv))
	const wallet = "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"
	q := url.QueryEscape

	// The service.
	anon.call("GET", "/healthz", "", 200, true)
	if ex := anon.call("GET", "/api/openapi.json", "", 200, true); !bytes.Equal(ex.body, openapiDoc) {
		t.Errorf("GET /api/openapi.json does not serve the embedded document")
	}

	// Scan.
	anon.call("POST", "/api/v1/scan", `{"text":"加微信 abc_123456 转账 `+wallet+` 卡号 6222 0212 3456 7890 128，电话 +86 139 0013 9000，网站 hxxps://evil-invest[.]com/login，地址 Sihanoukville"}`, 200, true)
	anon.call("POST", "/api/v1/scan", documentedExample(t, "/api/v1/scan", "post", "chat"), 200, true)
	anon.call("POST", "/api/v1/scan", `{"text":"0812 345 6789 and `+wallet+`","region":"id","kinds":["phone"]}`, 200, true)
	anon.call("POST", "/api/v1/scan", `{"text":"hello"}`, 200, true)
	anon.call("POST", "/api/v1/screen", documentedExample(t, "/api/v1/screen", "post", "job"), 200, true)
	anon.call("POST", "/api/v1/screen", `{"text":"please pay the deposit to `+wallet+` today","kind":"message"}`, 200, true)
	anon.call("POST", "/api/v1/screen", `{"text":"Felicidades, ha ganado un premio: https://bit.ly/3xYzAbc"}`, 200, true)
	anon.call("POST", "/api/v1/screen", `{"text":"x","kind":"tweet"}`, 400, false)
	anon.call("POST", "/api/v1/scan", `{"text":"x","kinds":["phone","nope"]}`, 400, false)
	anon.call("POST", "/api/v1/scan", `{"text":"x","admin":true}`, 400, false)
	anon.call("POST", "/api/v1/scan", `{"text":"`+strings.Repeat("a", DefaultMaxBody)+`"}`, 413, true)

	// Reports: the documented example, replayed, then its key reused.
	var r1, r2, r3, r4 reportCreated
	example := documentedExample(t, "/api/v1/reports", "post", "scam")
	ex := anon.call("POST", "/api/v1/reports", example, 201, true, "Idempotency-Key", "oa-key-1")
	ex.decode(t, &r1)
	if ex.header.Get("Location") != "/api/v1/reports/"+r1.ID || ex.header.Get("Idempotent-Replayed") != "" {
		t.Errorf("first submission: headers %v", ex.header)
	}
	ex = anon.call("POST", "/api/v1/reports", example, 201, true, "Idempotency-Key", "oa-key-1")
	if ex.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay: headers %v", ex.header)
	}
	conflict := anon.call("POST", "/api/v1/reports", `{"narrative":"another story"}`, 409, true, "Idempotency-Key", "oa-key-1")
	analyst.call("POST", "/api/v1/reports", `{"tlp":"CLEAR","scam_type":"romance","channel":"dating_app",
		"narrative":"He asked me to send USDT to `+wallet+`. My own number is 13900139000.",
		"loss":{"amount":"300.50","currency":"usdt"},"victim_country":"cn","language":"en",
		"indicators":[{"value":"wechat: lonely_heart88","role":"scammer_contact"},{"value":"13900139000","kind":"phone","role":"victim_contact"}]}`, 201, true).decode(t, &r2)
	anon.call("POST", "/api/v1/reports", `{"kind":"sighting","scam_type":"romance","indicators":[{"value":"lonely_heart88","kind":"wechat"}]}`, 201, true).decode(t, &r3)
	anon.call("POST", "/api/v1/reports", documentedExample(t, "/api/v1/reports", "post", "sighting"), 201, true)
	anon.call("POST", "/api/v1/reports", `{"kind":"tip","scam_type":"job","narrative":"A recruiter promised a casino job in Sihanoukville."}`, 201, true).decode(t, &r4)
	invalid := anon.call("POST", "/api/v1/reports", `{"kind":"nope","channel":"pigeon","loss":{"amount":"-5","currency":"XXX"},
		"indicators":[{"value":"x","role":"boss"}]}`, 400, false)
	anon.call("POST", "/api/v1/reports", `{"scam_type":"romance"}`, 400, false)
	anon.call("POST", "/api/v1/reports", `{"narrative":"x","indicators":[{"value":"not a thing at all !!"}]}`, 400, true)
	anon.call("POST", "/api/v1/reports", `{"narrative":`, 400, false)
	if r1.NetworkID == "" || r1.NetworkID != r2.NetworkID || r2.NetworkID != r3.NetworkID || r4.NetworkID == r1.NetworkID {
		t.Fatalf("reports 1 to 3 share a wallet or an account, 4 shares nothing: %+v %+v %+v %+v", r1, r2, r3, r4)
	}
	var p problem
	invalid.decode(t, &p)
	if len(p.Errors) < 4 {
		t.Errorf("want a field error for each of kind, channel, loss and role: %+v", p)
	}
	conflict.decode(t, &p)
	if p.Status != 409 {
		t.Errorf("conflict: %+v", p)
	}

	// One report, with and without the token.
	redacted := anon.call("GET", "/api/v1/reports/"+r2.ID, "", 200, true)
	full := analyst.call("GET", "/api/v1/reports/"+r2.ID, "", 200, true)
	if !bytes.Contains(redacted.body, []byte(`"redacted":true`)) || bytes.Contains(redacted.body, []byte("13900139000")) ||
		bytes.Contains(full.body, []byte(`"redacted"`)) || !bytes.Contains(full.body, []byte(`"narrative"`)) {
		t.Errorf("redaction:\nanonymous: %s\nanalyst: %s", redacted.body, full.body)
	}
	anon.call("GET", "/api/v1/reports/"+r1.ID, "", 200, true)
	anon.call("GET", "/api/v1/reports/01ARZ3NDEKTSV4RRFFQ69G5FAV", "", 404, true)

	// Search and pages: an analyst's; the public may not list reports.
	anon.call("GET", "/api/v1/reports", "", 401, false)
	analyst.call("GET", "/api/v1/reports", "", 200, true)
	var page reportList
	analyst.call("GET", "/api/v1/reports?limit=2", "", 200, true).decode(t, &page)
	if page.NextCursor == "" {
		t.Fatalf("limit=2 of 5 reports: no next_cursor")
	}
	analyst.call("GET", "/api/v1/reports?limit=2&cursor="+q(page.NextCursor), "", 200, true)
	analyst.call("GET", "/api/v1/reports?kind=scam&type=investment&since=2020-01-01", "", 200, true)
	analyst.call("GET", "/api/v1/reports?since="+q("2020-01-01T08:00:00+08:00"), "", 200, true)
	analyst.call("GET", "/api/v1/reports?q=USDT", "", 200, true)
	anon.call("GET", "/api/v1/reports?q=USDT", "", 401, false)
	analyst.call("GET", "/api/v1/reports?limit=0", "", 400, false)
	analyst.call("GET", "/api/v1/reports?kind=nope&since=yesterday", "", 400, false)

	// Networks and paths.
	anon.call("GET", "/api/v1/networks/"+r1.NetworkID, "", 200, true)
	anon.call("GET", "/api/v1/networks/nope", "", 404, true)
	anon.call("GET", "/api/v1/reports/"+r1.ID+"/path/"+r3.ID, "", 200, true)
	anon.call("GET", "/api/v1/reports/"+r1.ID+"/path/"+r1.ID, "", 200, true)
	anon.call("GET", "/api/v1/reports/"+r1.ID+"/path/"+r4.ID, "", 404, true)
	anon.call("GET", "/api/v1/reports/"+r1.ID+"/path/nope", "", 404, true)

	// Lookups.
	anon.call("GET", "/api/v1/lookup?q="+wallet, "", 200, true)
	anon.call("GET", "/api/v1/lookup?q="+q("@Crypto_Mentor_Lisa"), "", 200, true)
	anon.call("GET", "/api/v1/lookup?q=12345678&kind=qq", "", 200, true)
	anon.call("GET", "/api/v1/lookup?q="+q("139 0013 9000")+"&region=cn", "", 200, true)
	anon.call("GET", "/api/v1/lookup?q=12345678", "", 200, true)
	anon.call("GET", "/api/v1/lookup?q="+q("not a thing at all !!"), "", 400, true)
	anon.call("GET", "/api/v1/lookup?q="+q(" "), "", 400, false)
	anon.call("GET", "/api/v1/lookup?q=x&kind=place", "", 400, false)
	anon.call("GET", "/api/v1/lookup", "", 400, false)
	anon.call("POST", "/api/v1/lookup", documentedExample(t, "/api/v1/lookup", "post", "mixed"), 200, true)
	anon.call("POST", "/api/v1/lookup", `{"values":["`+wallet+`","lonely_heart88","not a thing at all !!","12345678",""]}`, 200, true)
	anon.call("POST", "/api/v1/lookup", `{"values":[]}`, 200, true)
	anon.call("POST", "/api/v1/lookup", `{"values":["x"],"kind":"place"}`, 400, false)
	anon.call("POST", "/api/v1/lookup", `{"kind":"phone"}`, 400, false)
	anon.call("POST", "/api/v1/lookup", `{"values":[`+strings.Repeat(`"1",`, 10000)+`"1"]}`, 400, false)

	// Rate limits, on a server that allows one anonymous report.
	limited := newOAClient(t, v, newServerWith(t, Config{ReportBurst: 1, ReportsPerHour: 1}).URL)
	limited.call("POST", "/api/v1/reports", `{"narrative":"the first"}`, 201, true)
	ex = limited.call("POST", "/api/v1/reports", `{"narrative":"one too many"}`, 429, true)
	if ex.header.Get("Retry-After") == "" {
		t.Errorf("429 without Retry-After: %v", ex.header)
	}

	// Accounts, sessions, keys, disputes, statistics, the audit log.
	accountScenarios(t, srv, anon)
	// Cases, families, places, watches.
	caseScenarios(t, srv, anon)

	// Last, so that it has requests to count.
	anon.call("GET", "/metrics", "", 200, true)

	var missed []string
	for op, done := range anon.ops {
		if !done {
			missed = append(missed, op)
		}
	}
	sort.Strings(missed)
	if len(missed) > 0 {
		t.Errorf("operations this test does not exercise: %s", strings.Join(missed, ", "))
	}
}

// TestAccountRoutesMatchOpenAPI checks the exchanges of accountScenarios
// against the document.
func TestAccountRoutesMatchOpenAPI(t *testing.T) {
	srv := newServerWith(t, Config{ReportBurst: 1000})
	accountScenarios(t, srv, newOAClient(t, newOpenAPIValidator(t), srv.URL))
}

// accountScenarios exercises, through anon, the routes of sessions,
// accounts, organisations, API keys, disputes, statistics and the audit
// log of srv (a server with a fresh store), as a signed-in admin, an API
// key and the public.
func accountScenarios(t *testing.T, srv *httptest.Server, anon *oaClient) {
	db, ctx := storeOf(t, srv), context.Background()
	const pw = "correct horse battery staple"
	hash, err := auth.HashPasswordWith(pw, testPasswords)
	if err != nil {
		t.Fatal(err)
	}
	org, err := db.AddOrg(ctx, store.Org{Name: "Anti-Fraud Centre", Trusted: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddUser(ctx, store.User{Login: "admin", Role: auth.RoleAdmin, Org: org.ID, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	const wallet = "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"

	// Signing in: the cookie, then the CSRF token on state-changing requests.
	anon.call("GET", "/api/v1/session", "", 200, true)
	anon.call("POST", "/api/v1/session", `{"login":"admin","password":"wrong password!"}`, 401, true)
	ex := anon.call("POST", "/api/v1/session", `{"login":"admin","password":"`+pw+`"}`, 200, true)
	var sess sessionView
	ex.decode(t, &sess)
	cookie, _, _ := strings.Cut(ex.header.Get("Set-Cookie"), ";")
	session := func(csrf string) func(string, string, string, int, bool, ...string) oaExchange {
		return func(method, path, body string, status int, valid bool, headers ...string) oaExchange {
			t.Helper()
			headers = append(headers, "Cookie", cookie)
			if method != "GET" && csrf != "" {
				headers = append(headers, "X-CSRF-Token", csrf)
			}
			return anon.call(method, path, body, status, valid, headers...)
		}
	}
	admin := session(sess.CSRFToken)
	admin("GET", "/api/v1/session", "", 200, true)
	session("")("POST", "/api/v1/orgs", `{"name":"No CSRF"}`, 403, true)

	// Organisations.
	var bank store.Org
	admin("POST", "/api/v1/orgs", documentedExample(t, "/api/v1/orgs", "post", "police"), 409, true)
	admin("POST", "/api/v1/orgs", `{"name":"Partner Bank"}`, 201, true).decode(t, &bank)
	admin("POST", "/api/v1/orgs", `{"name":""}`, 400, false)
	admin("GET", "/api/v1/orgs", "", 200, true)
	admin("PUT", "/api/v1/orgs/"+org.ID+"/partners", `{"partners":["`+bank.ID+`"]}`, 200, true)
	admin("PUT", "/api/v1/orgs/nope/partners", `{"partners":[]}`, 404, true)

	// Accounts.
	var analyst userCreated
	admin("POST", "/api/v1/users", `{"login":"analyst@example.org","name":"A. Analyst","role":"analyst","org":"`+org.ID+`"}`, 201, true).decode(t, &analyst)
	admin("POST", "/api/v1/users", `{"login":"analyst@example.org","role":"analyst"}`, 409, true)
	admin("POST", "/api/v1/users", `{"login":"x","role":"public"}`, 400, false)
	admin("GET", "/api/v1/users", "", 200, true)
	admin("PATCH", "/api/v1/users/"+analyst.ID, `{"role":"caseworker"}`, 200, true)
	admin("PATCH", "/api/v1/users/"+analyst.ID, `{"role":"analyst","reset_password":true}`, 200, true).decode(t, &analyst)
	admin("PATCH", "/api/v1/users/nope", `{"disabled":true}`, 404, true)

	// A one-time password buys nothing but a new one.
	ex = anon.call("POST", "/api/v1/session", `{"login":"analyst@example.org","password":"`+analyst.Password+`"}`, 200, true)
	var first sessionView
	ex.decode(t, &first)
	if !first.MustChange {
		t.Errorf("one-time password: %+v", first)
	}
	ac, _, _ := strings.Cut(ex.header.Get("Set-Cookie"), ";")
	anon.call("POST", "/api/v1/session/password", `{"current":"`+analyst.Password+`","new":"short"}`, 400, false, "Cookie", ac, "X-CSRF-Token", first.CSRFToken)
	anon.call("POST", "/api/v1/session/password", `{"current":"not it at all","new":"`+pw+` too"}`, 400, true, "Cookie", ac, "X-CSRF-Token", first.CSRFToken)
	anon.call("POST", "/api/v1/session/password", `{"current":"`+analyst.Password+`","new":"`+pw+` too"}`, 200, true, "Cookie", ac, "X-CSRF-Token", first.CSRFToken)
	anon.call("POST", "/api/v1/session/password", `{"current":"x","new":"y"}`, 401, false)

	// API keys.
	var key keyCreated
	admin("POST", "/api/v1/keys", `{"name":"bank","org":"`+bank.ID+`","permissions":["lookup","screen","report.submit","report.read","report.read_pii","report.search","network.read","stats.read"]}`, 201, true).decode(t, &key)
	admin("POST", "/api/v1/keys", `{"name":"greedy","org":"`+bank.ID+`","permissions":["user.manage"]}`, 400, false)
	admin("GET", "/api/v1/keys", "", 200, true)
	partner := anon.with(key.Key)
	partner.call("GET", "/api/v1/session", "", 200, true)
	anon.with("vgk_not_a_key").call("GET", "/healthz", "", 401, true)
	partner.call("GET", "/api/v1/users", "", 403, false)

	// Reports: the public's, withdrawn with its token; the partner's, shared.
	var pub, amber reportCreated
	anon.call("POST", "/api/v1/reports", `{"narrative":"Paid USDT to `+wallet+`","contact":"me@example.com"}`, 201, true).decode(t, &pub)
	partner.call("POST", "/api/v1/reports", documentedExample(t, "/api/v1/reports", "post", "shared"), 201, true).decode(t, &amber)
	anon.call("POST", "/api/v1/reports", `{"narrative":"x","tlp":"RED"}`, 400, true)
	anon.call("POST", "/api/v1/reports", `{"narrative":"x","tlp":"BLUE"}`, 400, false)
	if pub.WithdrawToken == "" || amber.TLP != "AMBER" || amber.WithdrawToken != "" {
		t.Errorf("public %+v, partner %+v", pub, amber)
	}
	partner.call("GET", "/api/v1/reports?q=USDT", "", 200, true)
	partner.call("GET", "/api/v1/reports/"+amber.ID, "", 200, true)
	anon.call("GET", "/api/v1/reports/"+amber.ID, "", 404, true)
	admin("GET", "/api/v1/reports/"+pub.ID, "", 200, true)
	admin("POST", "/api/v1/reports/"+pub.ID+"/status", `{"status":"verified"}`, 200, true)
	admin("POST", "/api/v1/reports/"+pub.ID+"/status", `{"status":"maybe"}`, 400, false)
	anon.call("GET", "/api/v1/lookup?q="+wallet, "", 200, true)
	anon.call("DELETE", "/api/v1/reports/"+pub.ID, "", 403, true)
	anon.call("DELETE", "/api/v1/reports/"+pub.ID, "", 204, true, "X-Withdraw-Token", pub.WithdrawToken)
	anon.call("DELETE", "/api/v1/reports/"+pub.ID, "", 404, true, "X-Withdraw-Token", pub.WithdrawToken)

	// Disputes.
	var d store.Dispute
	anon.call("POST", "/api/v1/disputes", documentedExample(t, "/api/v1/disputes", "post", "recycled"), 201, true).decode(t, &d)
	anon.call("POST", "/api/v1/disputes", `{"value":"+86 139 0013 9000","reason":""}`, 400, false)
	anon.call("GET", "/api/v1/lookup?q="+url.QueryEscape("+86 139 0013 9000"), "", 200, true)
	admin("GET", "/api/v1/disputes", "", 200, true)
	admin("GET", "/api/v1/disputes?status=open", "", 200, true)
	admin("GET", "/api/v1/disputes?status=nope", "", 400, false)
	admin("POST", "/api/v1/disputes/"+d.ID+"/resolve", `{"note":"no verdict"}`, 400, false)
	admin("POST", "/api/v1/disputes/"+d.ID+"/resolve", documentedExample(t, "/api/v1/disputes/{id}/resolve", "post", "upheld"), 200, true)
	admin("POST", "/api/v1/disputes/"+d.ID+"/resolve", `{"upheld":false}`, 409, true)
	admin("POST", "/api/v1/disputes/nope/resolve", `{"upheld":false}`, 404, true)

	// Statistics and the audit log.
	anon.call("GET", "/api/v1/stats", "", 200, true)
	anon.call("GET", "/api/v1/stats?by=channel", "", 200, true)
	anon.call("GET", "/api/v1/stats?by=nope", "", 400, false)
	admin("GET", "/api/v1/audit", "", 200, true)
	admin("GET", "/api/v1/audit?after=1&limit=2", "", 200, true)
	admin("GET", "/api/v1/audit?limit=0", "", 400, false)
	anon.call("GET", "/api/v1/audit", "", 401, false)

	// Revoking the key, signing out.
	admin("DELETE", "/api/v1/keys/"+key.ID, "", 204, true)
	admin("DELETE", "/api/v1/keys/"+key.ID, "", 404, true)
	partner.call("GET", "/api/v1/lookup?q="+wallet, "", 401, true)
	admin("DELETE", "/api/v1/session", "", 204, true)
	admin("GET", "/api/v1/users", "", 401, true)
}

// TestOpenAPIPermissions keeps each operation's x-permission the
// permission routes.go checks, its security the callers who may hold that
// permission (the public, API keys, signed-in accounts), and the
// vocabularies of permissions, roles and TLP labels those of the code.
func TestOpenAPIPermissions(t *testing.T) {
	routes, err := readFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	perms, err := readFile("../auth/perm.go")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]auth.Permission{}
	var all, keyed []string
	for _, m := range regexp.MustCompile(`(?m)^\t(Perm\w+)\s+Permission = "([^"]+)"`).FindAllStringSubmatch(perms, -1) {
		p := auth.Permission(m[2])
		names["auth."+m[1]] = p
		all = append(all, m[2])
		if auth.KeyGrantable(p) {
			keyed = append(keyed, m[2])
		}
	}
	type operation struct {
		OperationID string                 `json:"operationId"`
		Permission  *string                `json:"x-permission"`
		Security    *[]map[string][]string `json:"security"`
	}
	var doc struct {
		Security   []map[string][]string           `json:"security"`
		Paths      map[string]map[string]operation `json:"paths"`
		Components struct {
			Schemas map[string]struct {
				Enum []string `json:"enum"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openapiDoc, &doc); err != nil {
		t.Fatal(err)
	}
	schemes := func(sec []map[string][]string) string {
		var out []string
		for _, s := range sec {
			var names []string
			for n := range s {
				names = append(names, n)
			}
			sort.Strings(names)
			out = append(out, "{"+strings.Join(names, ",")+"}")
		}
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	n := 0
	for _, m := range regexp.MustCompile(`route\("([A-Z]+) ([^"]+)", "([a-z_]+)", (auth\.Perm\w+|""),`).FindAllStringSubmatch(routes, -1) {
		n++
		route := m[1] + " " + m[2]
		op, ok := doc.Paths[m[2]][strings.ToLower(m[1])]
		if !ok {
			t.Errorf("%s is not in openapi.json", route)
			continue
		}
		perm := names[m[4]]
		if op.OperationID != m[3] {
			t.Errorf("%s: operationId %q, want %q", route, op.OperationID, m[3])
		}
		if op.Permission == nil || *op.Permission != string(perm) {
			t.Errorf("%s: x-permission missing or not %q", route, perm)
		}
		if perm == "" {
			continue
		}
		want := []map[string][]string{{"session": {}}}
		if auth.Public().Can(perm) {
			want = append(want, map[string][]string{})
		}
		if auth.KeyGrantable(perm) {
			want = append(want, map[string][]string{"apiKey": {}})
		}
		got := doc.Security
		if op.Security != nil {
			got = *op.Security
		}
		if schemes(got) != schemes(want) {
			t.Errorf("%s (%s): security %s, want %s", route, perm, schemes(got), schemes(want))
		}
	}
	if n < 30 {
		t.Errorf("found %d routes in routes.go; the pattern is stale", n)
	}
	var roles []string
	for _, r := range auth.Roles {
		roles = append(roles, string(r))
	}
	for name, want := range map[string][]string{"Permission": all, "KeyPermission": keyed, "AccountRole": roles, "TLP": report.TLPs} {
		if got := doc.Components.Schemas[name].Enum; strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("components/schemas/%s enum:\n got %q\nwant %q", name, got, want)
		}
	}
}
