package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/text/language"

	"vigil/internal/report"
)

// The languages pages are written in, as BCP 47 tags.
const (
	english = "en"
	chinese = "zh-Hans"
)

// matcher picks a page language from Accept-Language. Every Chinese tag
// matches zh-Hans, Traditional too: a reader of zh-TW reads Simplified
// more easily than English.
var matcher = language.NewMatcher([]language.Tag{language.English, language.SimplifiedChinese})

// languageOf is the language of the page for r: ?lang= when it names one
// of the page languages, else the best match of Accept-Language, else
// English.
func languageOf(r *http.Request) string {
	switch l := r.URL.Query().Get("lang"); {
	case strings.EqualFold(l, english):
		return english
	case strings.EqualFold(l, chinese):
		return chinese
	}
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if _, i, conf := matcher.Match(tags...); i == 1 && conf != language.No {
		return chinese
	}
	return english
}

// page is what every page shows: its language, its strings, the link to
// the same page in the other language, and who is signed in.
type page struct {
	Lang      string
	T         map[string]string
	OtherLang string
	Switch    string
	v         *visitor
}

func newPage(r *http.Request) page {
	p := page{Lang: languageOf(r), OtherLang: chinese, v: visitorOf(r)}
	if p.Lang == chinese {
		p.OtherLang = english
	}
	p.T = catalogue[p.Lang]
	q := r.URL.Query()
	q.Set("lang", p.OtherLang)
	p.Switch = r.URL.Path + "?" + q.Encode()
	return p
}

// Link is the address of path in the page's language, with the query
// parameters kv given as name, value, name, value...
func (p page) Link(path string, kv ...string) string {
	q := url.Values{"lang": {p.Lang}}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return path + "?" + q.Encode()
}

// CSRF is the token every POST form carries (csrf.go). Asking for it is
// what makes the response set the CSRF cookie when the browser has none.
func (p page) CSRF() string {
	p.v.carried = true
	return p.v.csrfToken
}

// SignedInAs says who is signed in, "" when no one is.
func (p page) SignedInAs() string {
	login, role, ok := p.v.account()
	if !ok {
		return ""
	}
	if name, ok := p.T["account_role_"+role]; ok {
		role = name
	}
	return fmt.Sprintf(p.T["signed_in_as"], login, role)
}

// CanSignIn says whether the page offers to sign in.
func (p page) CanSignIn() bool { return p.v.accounts != nil }

// visit is the visitor the page is for.
func (p page) visit() *visitor { return p.v }

// otherLink is the address of path in the other language.
func (p page) otherLink(path string) string {
	return path + "?" + url.Values{"lang": {p.OtherLang}}.Encode()
}

// term is the name of code in a vocabulary, in the page's language.
func (p page) term(terms []report.Term, code string) string {
	for _, t := range terms {
		if t.Code == code {
			if p.Lang == chinese {
				return t.Zh
			}
			return t.En
		}
	}
	return code
}

// errorPage is the page of an error.
type errorPage struct {
	page
	Title, Message string
}

//go:embed templates/*.html
var templateFS embed.FS

// parsePages parses each page's template with the layout. A missing
// catalogue key is an error when the page is rendered, not an empty
// string.
func parsePages() map[string]*template.Template {
	pages := map[string]*template.Template{}
	for _, name := range []string{"home", "check", "report", "thanks", "error", "screen", "login",
		"case_new", "case_filed", "case_code", "case_follow"} {
		files := []string{"templates/layout.html", "templates/" + name + ".html"}
		if strings.HasPrefix(name, "case_") {
			// The case pages share their inputs (case_parts.html).
			files = append(files, "templates/case_parts.html")
		}
		t := template.New(name).Option("missingkey=error")
		pages[name] = template.Must(t.ParseFS(templateFS, files...))
	}
	return pages
}

// render writes the page name with status; data embeds page. It renders
// into a buffer first, so a template error becomes an error page rather
// than half a page, and so the page's cookies are known before its
// headers are written.
func (s *server) render(w http.ResponseWriter, status int, name string, data interface{ visit() *visitor }) error {
	var b bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&b, "layout", data); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	data.visit().setCookies(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	// A write error is a client that went away: nothing to tell it.
	w.Write(b.Bytes())
	return nil
}

//go:embed static/style.css
var styleCSS []byte

func serveStyle(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(styleCSS)
}
