package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// sessionAge is how long a browser keeps the session cookie: a working
// day, so that a shared computer does not stay signed in for long.
const sessionAge = 12 * time.Hour

// loginPage is the sign-in form. It never shows the password back.
type loginPage struct {
	page
	Login, Problem string
}

func (s *server) loginForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "login", loginPage{page: newPage(r)})
}

// signIn signs a person in and gives their browser the session cookie.
func (s *server) signIn(w http.ResponseWriter, r *http.Request) error {
	p := loginPage{page: newPage(r), Login: strings.TrimSpace(r.PostForm.Get("login"))}
	password := r.PostForm.Get("password")
	if p.Login == "" || password == "" {
		// Not worth an attempt that counts towards the throttle.
		p.Problem = p.T["login_empty"]
		return s.render(w, http.StatusBadRequest, "login", p)
	}
	token, err := s.accounts.SignIn(r.Context(), p.Login, password, clientOf(r))
	var throttled *ThrottledError
	switch {
	case err == nil:
		http.SetCookie(w, sessionCookie(token, int(sessionAge/time.Second), overTLS(r)))
		http.Redirect(w, r, p.Link("/"), http.StatusSeeOther)
		return nil
	case errors.As(err, &throttled):
		w.Header().Set("Retry-After", strconv.Itoa(ceil(throttled.RetryAfter, time.Second)))
		if m := ceil(throttled.RetryAfter, time.Minute); m == 1 {
			p.Problem = p.T["login_throttled_minute"]
		} else {
			p.Problem = fmt.Sprintf(p.T["login_throttled"], m)
		}
		return s.render(w, http.StatusTooManyRequests, "login", p)
	case errors.Is(err, ErrBadLogin):
		p.Problem = p.T["login_bad"]
		return s.render(w, http.StatusUnauthorized, "login", p)
	}
	return fmt.Errorf("web: sign in: %w", err)
}

// signOut ends the session and has the browser forget its cookie. When
// the session cannot be ended, the cookie stays, so that the person can
// try again: a cookie forgotten by the browser alone would leave the
// session live for whoever copied it.
func (s *server) signOut(w http.ResponseWriter, r *http.Request) error {
	if token := visitorOf(r).session; token != "" {
		if err := s.accounts.SignOut(r.Context(), token); err != nil {
			return fmt.Errorf("web: sign out: %w", err)
		}
	}
	http.SetCookie(w, sessionCookie("", -1, overTLS(r)))
	http.Redirect(w, r, newPage(r).Link("/"), http.StatusSeeOther)
	return nil
}

// sessionCookie is the session cookie holding token for maxAge seconds
// (negative: delete it). SameSite=Lax, not Strict, so that a person who
// follows a link to Vigil from elsewhere arrives signed in; the forms are
// guarded by their token.
func sessionCookie(token string, maxAge int, secure bool) *http.Cookie {
	return &http.Cookie{Name: SessionCookie, Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secure}
}

// ceil is d in units, rounded up, at least 1.
func ceil(d, unit time.Duration) int {
	return max(1, int(math.Ceil(float64(d)/float64(unit))))
}
