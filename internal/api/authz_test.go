package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"vigil/internal/auth"
	"vigil/internal/store"
)

// actor is one kind of caller of the authorization matrix.
type actor struct {
	name    string
	token   string // API key
	session string // session cookie
	csrf    string
	userID  string
}

func (a actor) do(t *testing.T, srv *httptest.Server, method, path, body string, headers ...string) (int, string) {
	t.Helper()
	c := client{t: t, base: srv.URL, token: a.token}
	req := c.request(method, path, body, headers)
	if a.session != "" {
		req.AddCookie(&http.Cookie{Name: "vigil_session", Value: a.session})
		req.Header.Set("X-CSRF-Token", a.csrf)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return res.StatusCode, b.String()
}

// world is a store seeded with organisations, accounts, keys and reports
// under every label.
type world struct {
	srv    *httptest.Server
	db     interface{ store.Store }
	actors map[string]actor
	ids    map[string]string // report name -> id
	orgA   string
	orgB   string
}

// Secrets seeded into reports: none may reach a caller who may not read it.
const (
	narrClear   = "SECRET-NARRATIVE-CLEAR-kkpark"
	contactPII  = "reporter-private-contact@example.org"
	victimPhone = "13900139000"
	narrAmber   = "SECRET-NARRATIVE-AMBER-orga"
	narrRed     = "SECRET-NARRATIVE-RED-own"
	narrGreen   = "SECRET-NARRATIVE-GREEN-orgb"
	hiddenValue = "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL" // named only in the AMBER report
	sharedValue = "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp" // CLEAR and AMBER
)

func newWorld(t *testing.T) *world {
	t.Helper()
	srv := newServerWith(t, Config{ReportBurst: 1000})
	db := storeOf(t, srv)
	ctx := context.Background()
	w := &world{srv: srv, db: db, actors: map[string]actor{"public": {name: "public"}}, ids: map[string]string{}}
	orgA, err := db.AddOrg(ctx, store.Org{Name: "NGO A", Trusted: true})
	if err != nil {
		t.Fatal(err)
	}
	orgB, err := db.AddOrg(ctx, store.Org{Name: "Bank B"})
	if err != nil {
		t.Fatal(err)
	}
	w.orgA, w.orgB = orgA.ID, orgB.ID
	csrfKey, err := db.Secret(ctx, "csrf-key")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		name string
		role auth.Role
		org  string
	}{
		{"reporter", auth.RoleReporter, ""}, {"family", auth.RoleFamily, ""},
		{"analystA", auth.RoleAnalyst, orgA.ID}, {"caseworkerA", auth.RoleCaseworker, orgA.ID},
		{"admin", auth.RoleAdmin, ""}, {"analystB", auth.RoleAnalyst, orgB.ID}, {"caseworkerB", auth.RoleCaseworker, orgB.ID},
	} {
		hash, _ := auth.HashPasswordWith("a password of some length", testPasswords)
		acct, err := db.AddUser(ctx, store.User{Login: u.name + "@example.org", Role: u.role, Org: u.org, PasswordHash: hash})
		if err != nil {
			t.Fatal(err)
		}
		token, th := auth.NewSessionToken()
		now := time.Now()
		if err := db.AddSession(ctx, store.Session{TokenHash: th, User: acct, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		w.actors[u.name] = actor{name: u.name, session: token, csrf: auth.CSRFToken(csrfKey, th), userID: acct.ID}
	}
	for _, k := range []struct {
		name, org string
	}{{"keyA", orgA.ID}, {"keyB", orgB.ID}} {
		token, id, hash := auth.NewAPIKey()
		perms := auth.NewPermSet(auth.PermLookup, auth.PermReportRead, auth.PermReportReadPII, auth.PermReportSearch, auth.PermNetworkRead, auth.PermReportSubmit).List()
		if err := db.AddKey(ctx, store.APIKey{ID: id, Hash: hash, Name: k.name, Org: k.org, Perms: perms, CreatedBy: "test", CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		w.actors[k.name] = actor{name: k.name, token: token, userID: "key:" + id}
	}
	// A key of A holding every permission a key may hold: still no case.
	w.actors["keyAll"] = actor{name: "keyAll", token: grantableKey(t, srv, orgA.ID)}
	submit := func(name string, who actor, body string) {
		t.Helper()
		code, b := who.do(t, srv, "POST", "/api/v1/reports", body)
		if code != 201 {
			t.Fatalf("seed %s: %d %s", name, code, b)
		}
		var r reportCreated
		decodeInto(t, b, &r)
		w.ids[name] = r.ID
	}
	submit("clear", w.actors["public"], fmt.Sprintf(`{"scam_type":"investment","narrative":"%s paid to %s","contact":"%s",
		"indicators":[{"value":"%s","role":"payment"},{"value":"+86 %s","kind":"phone","role":"victim_contact"}]}`, narrClear, sharedValue, contactPII, sharedValue, victimPhone))
	submit("amberA", w.actors["analystA"], fmt.Sprintf(`{"tlp":"AMBER","scam_type":"investment","narrative":"%s",
		"indicators":[{"value":"%s","role":"payment"},{"value":"%s","role":"payment"}]}`, narrAmber, sharedValue, hiddenValue))
	submit("red", w.actors["reporter"], fmt.Sprintf(`{"tlp":"RED","scam_type":"romance","narrative":"%s","indicators":[{"value":"red_only_handle","kind":"wechat","role":"scammer_contact"}]}`, narrRed))
	submit("greenB", w.actors["analystB"], fmt.Sprintf(`{"scam_type":"job","narrative":"%s","indicators":[{"value":"green_only_handle","kind":"wechat","role":"recruiter"}]}`, narrGreen))
	// Two public reports linked only through an AMBER report of A.
	submit("x", w.actors["public"], `{"scam_type":"task","indicators":[{"value":"bridge_left01","kind":"wechat","role":"scammer_contact"}]}`)
	submit("bridge", w.actors["analystA"], `{"tlp":"AMBER","scam_type":"task","indicators":[{"value":"bridge_left01","kind":"wechat"},{"value":"bridge_right01","kind":"wechat"}]}`)
	submit("y", w.actors["public"], `{"scam_type":"task","indicators":[{"value":"bridge_right01","kind":"wechat","role":"scammer_contact"}]}`)
	return w
}

// TestAuthorizationMatrix calls every route as every kind of caller and
// checks the status and that nothing the caller may not see appears:
// narratives, contacts, victims' numbers, reporter identities, and counts
// or links that would reveal hidden reports.
func TestAuthorizationMatrix(t *testing.T) {
	w := newWorld(t)
	id := w.ids
	everyone := []string{"public", "reporter", "family", "analystA", "caseworkerA", "admin", "analystB", "keyA", "keyB"}
	pii := []string{narrClear, contactPII, victimPhone}
	identities := []string{"acct:", "anon:", "argon2id"}
	for _, a := range w.actors {
		if a.userID != "" {
			identities = append(identities, a.userID)
		}
	}
	// sees says which hidden reports an actor may see besides GREEN ones,
	// which members of any organisation see.
	sees := map[string][]string{
		"reporter": {"red"}, "analystA": {"amberA", "bridge"}, "caseworkerA": {"amberA", "bridge"}, "keyA": {"amberA", "bridge"},
		"analystB": {"greenB"}, "keyB": {"greenB"},
	}
	member := map[string]bool{"analystA": true, "caseworkerA": true, "keyA": true, "analystB": true, "keyB": true}
	mayPII := map[string]bool{"analystA": true, "caseworkerA": true, "admin": true, "analystB": true, "keyA": true, "keyB": true}
	visible := func(who, name string) bool {
		if name == "clear" || name == "x" || name == "y" {
			return true
		}
		if name == "greenB" && member[who] {
			return true
		}
		for _, n := range sees[who] {
			if n == name {
				return true
			}
		}
		return false
	}
	// mustNot is what who may not see at all.
	mustNot := func(who string) []string {
		out := append([]string{}, identities...)
		for _, s := range []struct{ name, text string }{
			{"amberA", narrAmber}, {"amberA", hiddenValue}, {"amberA", id["amberA"]}, {"bridge", id["bridge"]},
			{"red", narrRed}, {"red", "red_only_handle"}, {"red", id["red"]},
			{"greenB", narrGreen}, {"greenB", "green_only_handle"}, {"greenB", id["greenB"]},
		} {
			if !visible(who, s.name) {
				out = append(out, s.text)
			}
		}
		if !mayPII[who] {
			out = append(out, pii...)
		}
		return out
	}
	routes := []struct {
		method, path, body string
		expect             func(who string) expect
	}{
		{"GET", "/api/v1/reports/" + id["clear"], "", func(who string) expect {
			e := expect{status: 200, want: []string{id["clear"]}}
			if mayPII[who] {
				e.want = append(e.want, narrClear, contactPII)
			}
			return e
		}},
		{"GET", "/api/v1/reports/" + id["amberA"], "", func(who string) expect {
			if visible(who, "amberA") {
				return expect{status: 200, want: []string{narrAmber}}
			}
			return expect{status: 404}
		}},
		{"GET", "/api/v1/reports/" + id["red"], "", func(who string) expect {
			if who == "reporter" {
				return expect{status: 200, want: []string{narrRed}}
			}
			return expect{status: 404}
		}},
		{"GET", "/api/v1/reports/" + id["greenB"], "", func(who string) expect {
			if visible(who, "greenB") {
				return expect{status: 200, want: []string{narrGreen}}
			}
			return expect{status: 404}
		}},
		{"GET", "/api/v1/reports?limit=50", "", func(who string) expect {
			switch who {
			case "public":
				return expect{status: 401}
			case "reporter", "family":
				return expect{status: 403}
			}
			return expect{status: 200, want: []string{id["clear"]}}
		}},
		{"GET", "/api/v1/reports?q=" + strings.ToLower("SECRET"), "", func(who string) expect {
			switch who {
			case "public":
				return expect{status: 401}
			case "reporter", "family":
				return expect{status: 403}
			}
			return expect{status: 200}
		}},
		{"GET", "/api/v1/lookup?q=" + hiddenValue, "", func(who string) expect {
			if visible(who, "amberA") {
				return expect{status: 200, want: []string{`"known":true`, `"reports":1`}}
			}
			return expect{status: 200, want: []string{`"known":false`, `"reports":0`, `"network_size":0`}}
		}},
		{"GET", "/api/v1/lookup?q=" + sharedValue, "", func(who string) expect {
			if visible(who, "amberA") {
				return expect{status: 200, want: []string{`"reports":2`, `"network_size":2`}}
			}
			return expect{status: 200, want: []string{`"reports":1`, `"network_size":1`}}
		}},
		{"POST", "/api/v1/lookup", `{"values":["` + hiddenValue + `","red_only_handle"],"kind":""}`, func(who string) expect {
			return expect{status: 200}
		}},
		{"GET", "/api/v1/networks/" + id["x"], "", func(who string) expect {
			if visible(who, "bridge") {
				return expect{status: 200, want: []string{`"size":3`, id["y"]}}
			}
			return expect{status: 200, want: []string{`"size":1`}, mustNot: []string{id["y"]}}
		}},
		{"GET", "/api/v1/reports/" + id["x"] + "/path/" + id["y"], "", func(who string) expect {
			if visible(who, "bridge") {
				return expect{status: 200, want: []string{"bridge_left01", "bridge_right01"}}
			}
			return expect{status: 404, mustNot: []string{"bridge_left01", "bridge_right01"}}
		}},
		{"GET", "/api/v1/networks/" + id["amberA"], "", func(who string) expect {
			if visible(who, "amberA") {
				return expect{status: 200, want: []string{id["clear"]}}
			}
			return expect{status: 404}
		}},
		{"GET", "/api/v1/stats?by=scam_type", "", func(who string) expect {
			if who == "keyA" || who == "keyB" {
				return expect{status: 403} // keys hold only what they were given
			}
			// Every bucket rests on fewer than 11 people: all suppressed.
			return expect{status: 200, want: []string{`"buckets":[]`, `"total":0`}, mustNot: []string{"investment"}}
		}},
		{"GET", "/api/v1/users", "", adminOnly},
		{"GET", "/api/v1/orgs", "", adminOnly},
		{"GET", "/api/v1/keys", "", adminOnly},
		{"GET", "/api/v1/audit", "", adminOnly},
		{"GET", "/api/v1/disputes", "", func(who string) expect {
			switch who {
			case "public":
				return expect{status: 401}
			case "analystA", "analystB", "admin":
				return expect{status: 200}
			}
			return expect{status: 403}
		}},
		{"POST", "/api/v1/reports/" + id["clear"] + "/status", `{"status":"verified"}`, func(who string) expect {
			switch who {
			case "public":
				return expect{status: 401}
			case "analystA", "analystB", "admin":
				return expect{status: 200}
			}
			return expect{status: 403}
		}},
		{"POST", "/api/v1/reports/" + id["amberA"] + "/status", `{"status":"verified"}`, func(who string) expect {
			switch who {
			case "public":
				return expect{status: 401}
			case "analystA":
				return expect{status: 200}
			case "analystB", "admin":
				return expect{status: 404}
			}
			return expect{status: 403}
		}},
	}
	for _, rt := range routes {
		for _, who := range everyone {
			a := w.actors[who]
			e := rt.expect(who)
			code, body := a.do(t, w.srv, rt.method, rt.path, rt.body)
			if code != e.status {
				t.Errorf("%s %s as %s: status %d, want %d: %.300s", rt.method, rt.path, who, code, e.status, body)
				continue
			}
			for _, s := range e.want {
				if !strings.Contains(body, s) {
					t.Errorf("%s %s as %s: want %q in %.400s", rt.method, rt.path, who, s, body)
				}
			}
			never := mustNot(who)
			if who == "admin" && strings.Contains(rt.path, "/api/v1/") && adminRoute(rt.path) {
				never = []string{"argon2id", contactPII, narrClear, narrAmber, narrRed, narrGreen}
			}
			for _, s := range append(never, e.mustNot...) {
				// What the caller sent may come back (a looked-up
				// value, an id in a 404): that reveals nothing.
				if s != "" && strings.Contains(body, s) && !strings.Contains(rt.path+rt.body, s) {
					t.Errorf("%s %s as %s: LEAK of %q in %.400s", rt.method, rt.path, who, s, body)
				}
			}
		}
	}
}

// expect is what one caller should get from one route.
type expect struct {
	status  int
	want    []string
	mustNot []string
}

func adminOnly(who string) expect {
	switch who {
	case "public":
		return expect{status: 401}
	case "admin":
		return expect{status: 200}
	}
	return expect{status: 403}
}

func decodeInto(t *testing.T, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
}

// adminRoute tells the routes whose answers are about accounts: an admin
// sees account ids there, and still no secret.
func adminRoute(path string) bool {
	for _, p := range []string{"/users", "/orgs", "/keys", "/audit"} {
		if strings.HasSuffix(path, p) {
			return true
		}
	}
	return false
}

// TestAuthorizationWrites calls every state-changing route as every kind
// of caller: the status says who may, and a refused call changes nothing
// (the audit log does not grow).
func TestAuthorizationWrites(t *testing.T) {
	w := newWorld(t)
	reporterID := w.actors["reporter"].userID
	byPerm := func(allowed map[string]int) func(string) int {
		return func(who string) int {
			if s, ok := allowed[who]; ok {
				return s
			}
			if who == "public" {
				return 401
			}
			return 403
		}
	}
	admin201 := byPerm(map[string]int{"admin": 201})
	routes := []struct {
		method, path, body string
		status             func(who string) int
	}{
		{"POST", "/api/v1/users", `{"login":"new-%s@example.org","role":"analyst"}`, admin201},
		{"PATCH", "/api/v1/users/" + reporterID, `{"disabled":false}`, byPerm(map[string]int{"admin": 200})},
		{"POST", "/api/v1/orgs", `{"name":"Org of %s"}`, admin201},
		{"PUT", "/api/v1/orgs/" + w.orgA + "/partners", `{"partners":[]}`, byPerm(map[string]int{"admin": 200})},
		{"POST", "/api/v1/keys", `{"name":"k-%s","org":"` + w.orgA + `","permissions":["lookup"]}`, admin201},
		{"DELETE", "/api/v1/keys/nosuchkey", "", byPerm(map[string]int{"admin": 404})},
		{"POST", "/api/v1/disputes/01M8NOSUCHDISPUTE000000000/resolve", `{"upheld":false}`, byPerm(map[string]int{"admin": 404, "analystA": 404, "analystB": 404})},
		{"POST", "/api/v1/disputes", `{"value":"+86 139 0013 9111","reason":"my shop's number (%s)"}`,
			byPerm(map[string]int{"public": 201, "reporter": 201, "family": 201, "analystA": 201, "caseworkerA": 201, "admin": 201, "analystB": 201})},
		{"POST", "/api/v1/scan", `{"text":"call 13800138000"}`,
			byPerm(map[string]int{"public": 200, "reporter": 200, "family": 200, "analystA": 200, "caseworkerA": 200, "admin": 200, "analystB": 200})},
		{"POST", "/api/v1/reports", `{"narrative":"a tip from %s"}`,
			byPerm(map[string]int{"public": 201, "reporter": 201, "family": 201, "analystA": 201, "caseworkerA": 201, "admin": 201, "analystB": 201, "keyA": 201, "keyB": 201})},
		{"DELETE", "/api/v1/reports/" + w.ids["x"], "", byPerm(map[string]int{"public": 403, "reporter": 403, "family": 403, "analystA": 403, "caseworkerA": 403, "analystB": 403, "admin": 204})},
	}
	for _, rt := range routes {
		for _, who := range []string{"public", "reporter", "family", "analystA", "caseworkerA", "analystB", "keyA", "keyB", "admin"} {
			a := w.actors[who]
			body := rt.body
			if strings.Contains(body, "%s") {
				body = fmt.Sprintf(body, who)
			}
			before := auditLen(t, w)
			code, got := a.do(t, w.srv, rt.method, rt.path, body)
			if want := rt.status(who); code != want {
				t.Errorf("%s %s as %s: status %d, want %d: %.300s", rt.method, rt.path, who, code, want, got)
			}
			if code >= 400 && auditLen(t, w) != before {
				t.Errorf("%s %s as %s: refused (%d) but the audit log grew", rt.method, rt.path, who, code)
			}
		}
	}
	// The report deleted last by the admin is gone for everyone.
	if code, _ := w.actors["public"].do(t, w.srv, "GET", "/api/v1/reports/"+w.ids["x"], ""); code != 404 {
		t.Errorf("deleted report: %d", code)
	}
}

func auditLen(t *testing.T, w *world) int {
	t.Helper()
	n, err := w.db.(interface {
		VerifyAudit(context.Context) (int64, error)
	}).VerifyAudit(context.Background())
	if err != nil {
		t.Fatalf("audit chain: %v", err)
	}
	return int(n)
}
