package api

import (
	"fmt"
	"strings"
	"testing"
)

// Secrets of the case seeded in the world: none may reach a caller who
// may not see the case, and none but the subject's account, which a scam
// report names, may reach anyone through a report or a lookup.
const (
	caseSubject   = "Zhao Hiddenname"
	caseSubjectZh = "赵秘名"
	caseAccount   = "zhao_hidden_2006" // the subject's own WeChat
	caseRecruiter = "hr_hidden_jobs"
	caseWallet    = "TWLZdUTCGH1ResKzwWQsFJhn1QZgLku4wh" // the ransom's
	caseLure      = "LURE-SECRET customer service in Bangkok"
	caseContact   = "family-private-contact@example.org"
	caseNote      = "CASEWORKER-NOTE-SECRET"
	caseEvidence  = "EVIDENCE-BYTES-SECRET voice transcript"
)

// seededCase is a case of organisation A filed by a family, with a file,
// a caseworker's note, and a public scam report that names the subject's
// own account as the scammer's.
type seededCase struct {
	id, token, code, evidence, forcedReport string
}

func seedCase(t *testing.T, w *world) seededCase {
	t.Helper()
	public, worker := w.actors["public"], w.actors["caseworkerA"]
	code, body := public.do(t, w.srv, "POST", "/api/v1/cases", fmt.Sprintf(`{"org":%q,"consent":"full","urgency":"critical",
		"subject":{"names":[%q,%q],"age":19,"nationality":["CN"],"accounts":["wechat: %s"]},
		"reporter":{"name":"Zhao Mother","relationship":"mother","contact":%q},
		"recruitment":{"method":"online_ad","lure":%q,"recruiters":["wechat: %s"]},
		"journey":[{"place":"KK Park","type":"last_known"}],
		"demands":[{"amount":{"amount":"450000","currency":"CNY"},"payment":[%q]}]}`,
		w.orgA, caseSubject, caseSubjectZh, caseAccount, caseContact, caseLure, caseRecruiter, caseWallet))
	if code != 201 {
		t.Fatalf("seed case: %d %s", code, body)
	}
	var created caseCreated
	decodeInto(t, body, &created)
	s := seededCase{id: created.ID, token: created.Family.Token, code: created.Family.Code}
	code, body = worker.do(t, w.srv, "POST", "/api/v1/cases/"+s.id+"/evidence?name=voice.txt", caseEvidence, "Content-Type", "text/plain")
	if code != 201 {
		t.Fatalf("seed evidence: %d %s", code, body)
	}
	var ref struct{ ID string }
	decodeInto(t, body, &ref)
	s.evidence = ref.ID
	if code, body := worker.do(t, w.srv, "PATCH", "/api/v1/cases/"+s.id, `{"version":1,"notes":[{"text":"`+caseNote+`"}]}`); code != 200 {
		t.Fatalf("seed note: %d %s", code, body)
	}
	code, body = public.do(t, w.srv, "POST", "/api/v1/reports", `{"scam_type":"romance","narrative":"she asked for money",
		"indicators":[{"value":"`+caseAccount+`","kind":"wechat","role":"scammer_contact"}]}`)
	if code != 201 {
		t.Fatalf("seed report: %d %s", code, body)
	}
	var rep reportCreated
	decodeInto(t, body, &rep)
	s.forcedReport = rep.ID
	return s
}

// TestCaseAuthorizationMatrix calls every route of cases, families,
// places and watches as every kind of caller, and the routes of reports
// and lookups that could carry a case's data: the status, and that nothing
// of the case reaches a caller who may not see it.
func TestCaseAuthorizationMatrix(t *testing.T) {
	w := newWorld(t)
	c := seedCase(t, w)
	everyone := []string{"public", "reporter", "family", "analystA", "caseworkerA", "caseworkerB", "admin", "keyAll"}
	seers := map[string]bool{"caseworkerA": true, "admin": true}
	pii := map[string]bool{"analystA": true, "caseworkerA": true, "caseworkerB": true, "admin": true, "keyAll": true}
	watchers := map[string]bool{"analystA": true, "caseworkerA": true, "caseworkerB": true, "admin": true}
	caseData := []string{caseSubject, caseSubjectZh, caseRecruiter, caseWallet, caseLure, caseContact, caseNote, caseEvidence, c.id}
	// Never anywhere but the answer to the filing.
	secrets := []string{c.token, c.code, "argon2id", "acct:", "anon:"}
	// byPerm answers the status of a caller who may not use a route: the
	// public is told to sign in, the rest are refused.
	refused := func(who string) expect {
		if who == "public" {
			return expect{status: 401}
		}
		return expect{status: 403}
	}
	// caseRoute is a route of one case: its seers get ok, a caseworker
	// of another organisation 404, the rest are refused.
	caseRoute := func(ok expect) func(string) expect {
		return func(who string) expect {
			switch {
			case seers[who]:
				return ok
			case who == "caseworkerB":
				return expect{status: 404}
			}
			return refused(who)
		}
	}
	// family is a route any caller but an API key may use.
	family := func(ok expect) func(string) expect {
		return func(who string) expect {
			if who == "keyAll" {
				return expect{status: 403}
			}
			return ok
		}
	}
	watch := func(ok expect) func(string) expect {
		return func(who string) expect {
			if watchers[who] {
				return ok
			}
			return refused(who)
		}
	}
	fam := "/api/v1/family/cases/" + c.token
	code := []string{"X-Case-Code", c.code}
	wrong := []string{"X-Case-Code", "0000-0001"}
	noCaseWords := []string{"criminal", "scammer", "forced", "trafficking", "case", caseSubject, c.id}
	routes := []struct {
		method, path, body string
		headers            []string
		expect             func(who string) expect
	}{
		{"GET", "/api/v1/cases", "", nil, func(who string) expect {
			switch {
			case seers[who]:
				return expect{status: 200, want: []string{c.id, caseSubject}}
			case who == "caseworkerB":
				return expect{status: 200, want: []string{`"cases":[]`}}
			}
			return refused(who)
		}},
		{"GET", "/api/v1/cases/" + c.id, "", nil, caseRoute(expect{status: 200, want: []string{caseSubject, caseLure, caseContact, caseNote, caseAccount}})},
		{"PATCH", "/api/v1/cases/" + c.id, `{"version":1,"status":"closed"}`, nil, caseRoute(expect{status: 409})},
		{"GET", "/api/v1/cases/" + c.id + "/leads", "", nil, caseRoute(expect{status: 200, want: []string{`"possible_forced_scammer"`, c.forcedReport}})},
		{"POST", "/api/v1/cases/" + c.id + "/evidence", "a caseworker's note file", []string{"Content-Type", "text/plain"}, caseRoute(expect{status: 201})},
		{"GET", "/api/v1/cases/" + c.id + "/evidence/" + c.evidence, "", nil, caseRoute(expect{status: 200, want: []string{caseEvidence}})},
		{"GET", "/api/v1/cases/" + c.id + "/export?format=json", "", nil, caseRoute(expect{status: 200})},
		{"GET", "/api/v1/cases/" + c.id + "/export?format=csv", "", nil, caseRoute(expect{status: 200})},
		{"POST", "/api/v1/cases/export", `{"ids":["` + c.id + `"],"format":"csv"}`, nil, caseRoute(expect{status: 200})},
		// A wrong code opens nothing, for anyone; the right one opens the
		// family's view (never the caseworkers' notes) to whoever holds
		// the link and the code, as the family does.
		{"GET", fam, "", wrong, family(expect{status: 404})},
		{"POST", fam + "/additions", `{"info":"more news"}`, wrong, family(expect{status: 404})},
		{"POST", fam + "/evidence", "a photo", append([]string{"Content-Type", "text/plain"}, wrong...), family(expect{status: 404})},
		{"GET", fam, "", code, family(expect{status: 200, want: []string{caseSubject, `"status_label"`}, mustNot: []string{caseNote, caseEvidence, `"sha256"`, `"assignee"`}})},
		{"POST", fam + "/additions", `{"info":"more news"}`, code, family(expect{status: 200, mustNot: []string{caseNote}})},
		{"POST", fam + "/evidence?name=photo.txt", "a photo", append([]string{"Content-Type", "text/plain"}, code...), family(expect{status: 201})},
		{"GET", "/api/v1/places", "", nil, family(expect{status: 200, want: []string{"mm-kk-park"}, mustNot: []string{c.id}})},
		{"GET", "/api/v1/places/mm-kk-park", "", nil, func(who string) expect {
			switch {
			case who == "keyAll":
				return expect{status: 403}
			case seers[who]:
				return expect{status: 200, want: []string{c.id}}
			}
			return expect{status: 200, mustNot: []string{c.id, `"cases"`}}
		}},
		{"POST", "/api/v1/watches", `{"kind":"case","target":"` + c.id + `"}`, nil, func(who string) expect {
			switch {
			case seers[who]:
				return expect{status: 201}
			case watchers[who]:
				return expect{status: 404}
			}
			return refused(who)
		}},
		{"POST", "/api/v1/watches", `{"kind":"value","target":"wechat: ` + caseAccount + `"}`, nil, watch(expect{status: 201})},
		{"GET", "/api/v1/watches", "", nil, watch(expect{status: 200})},
		{"GET", "/api/v1/alerts", "", nil, watch(expect{status: 200})},
		{"DELETE", "/api/v1/watches/01ARZ3NDEKTSV4RRFFQ69G5FAV", "", nil, watch(expect{status: 404})},
		{"GET", "/api/v1/watches/01ARZ3NDEKTSV4RRFFQ69G5FAV/deliveries", "", nil, watch(expect{status: 404})},
		// Reports and lookups never carry a case, nor call its subject a
		// criminal; readers of reports in full learn that the scammer's
		// account may be a trafficked person's.
		{"GET", "/api/v1/lookup?q=" + caseAccount, "", nil, func(who string) expect {
			return expect{status: 200, want: []string{`"reports":1`}, mustNot: noCaseWords}
		}},
		{"POST", "/api/v1/lookup", `{"values":["` + caseAccount + `","` + caseWallet + `"]}`, nil, func(who string) expect {
			return expect{status: 200, mustNot: noCaseWords}
		}},
		{"GET", "/api/v1/reports/" + c.forcedReport, "", nil, func(who string) expect {
			if pii[who] {
				return expect{status: 200, want: []string{`"possible_forced_labour":true`}, mustNot: []string{caseSubject, c.id, "trafficking", "criminal"}}
			}
			return expect{status: 200, mustNot: []string{"possible_forced_labour", "forced", caseSubject, c.id}}
		}},
		{"GET", "/api/v1/reports?limit=50", "", nil, func(who string) expect {
			switch {
			case who == "public":
				return expect{status: 401}
			case who == "reporter" || who == "family":
				return expect{status: 403}
			}
			return expect{status: 200, want: []string{`"possible_forced_labour":true`}, mustNot: []string{caseSubject, c.id}}
		}},
	}
	for _, who := range everyone {
		a := w.actors[who]
		for _, rt := range routes {
			e := rt.expect(who)
			status, body := a.do(t, w.srv, rt.method, rt.path, rt.body, rt.headers...)
			if status != e.status {
				t.Errorf("%s %s as %s: status %d, want %d: %.300s", rt.method, rt.path, who, status, e.status, body)
				continue
			}
			for _, s := range e.want {
				if !strings.Contains(body, s) {
					t.Errorf("%s %s as %s: want %q in %.400s", rt.method, rt.path, who, s, body)
				}
			}
			never := append(append([]string{}, secrets...), e.mustNot...)
			if !seers[who] && !(strings.HasPrefix(rt.path, fam) && status < 400) {
				never = append(never, caseData...)
				if !strings.Contains(rt.path, "/reports") && rt.path != "/api/v1/watches" {
					// A scam report names the account, and the caller
					// watches it as a value; nothing else may show it.
					never = append(never, caseAccount)
				}
			}
			for _, s := range never {
				if s != "" && strings.Contains(body, s) && !strings.Contains(rt.path+rt.body, s) {
					t.Errorf("%s %s as %s: LEAK of %q in %.400s", rt.method, rt.path, who, s, body)
				}
			}
		}
	}
}
