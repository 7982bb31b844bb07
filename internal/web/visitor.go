package web

import (
	"context"
	"net/http"
	"strings"
)

// visitor is what the pages of one request know of the person asking: the
// CSRF cookie their forms are bound to, and their session.
type visitor struct {
	// ctx is the request's: Who is asked only when a page shows who is
	// signed in, after the handler has checked what it must.
	ctx      context.Context
	accounts Accounts
	// cases says that the pages offer to report a missing person.
	cases bool
	// desk says that the pages offer caseworkers their cases.
	desk bool
	// session is the token of the session cookie, "" when none.
	session string
	// csrfCookie is the value of the CSRF cookie, or a new one when the
	// request has none; csrfToken is the token the forms carry for it.
	csrfCookie, csrfToken string
	// newCookie says that csrfCookie is new: the response sets it when its
	// page carries the token.
	newCookie bool
	// carried says that the page carries the token: it has a POST form.
	carried bool
	// secure: the browser came over TLS, so cookies must never go back
	// over plain HTTP.
	secure bool
	// asked says that Who was asked; its answer is login, role, signedIn.
	asked       bool
	login, role string
	signedIn    bool
}

type visitorKey struct{}

// withVisitor is r with its visitor in its context.
func (s *server) withVisitor(r *http.Request) *http.Request {
	v := &visitor{ctx: r.Context(), accounts: s.accounts, cases: s.cases != nil, desk: s.desk != nil, secure: overTLS(r)}
	if c, err := r.Cookie(SessionCookie); err == nil {
		v.session = c.Value
	}
	v.csrfCookie, v.newCookie = csrfCookieOf(r)
	v.csrfToken = csrfToken(s.csrfKey, v.csrfCookie)
	return r.WithContext(context.WithValue(r.Context(), visitorKey{}, v))
}

// visitorOf is the visitor of r. A request that did not come through
// handle has one that is signed in to nothing and whose token nothing
// takes.
func visitorOf(r *http.Request) *visitor {
	if v, ok := r.Context().Value(visitorKey{}).(*visitor); ok {
		return v
	}
	return &visitor{ctx: r.Context(), newCookie: true}
}

// account is the login and role of the signed-in account; ok is false
// when no one is signed in. Who is asked once per request.
func (v *visitor) account() (login, role string, ok bool) {
	if !v.asked {
		v.asked = true
		if v.accounts != nil && v.session != "" {
			v.login, v.role, v.signedIn = v.accounts.Who(v.ctx, v.session)
		}
	}
	return v.login, v.role, v.signedIn
}

// setCookies sets the CSRF cookie when the page carries a token for a
// cookie the browser does not have yet. Pages without a form set none, so
// that reading Vigil leaves nothing behind in the browser.
func (v *visitor) setCookies(w http.ResponseWriter) {
	if v.carried && v.newCookie {
		http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: v.csrfCookie, Path: "/",
			HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: v.secure})
	}
}

// overTLS reports whether the browser reached Vigil over TLS, directly or
// through a proxy that says so. Anyone may send X-Forwarded-Proto, but all
// it can do is make the sender's own cookies Secure.
func overTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}
