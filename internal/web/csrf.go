package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
)

// The synchronizer token against cross-site request forgery. A page with
// a POST form gives the browser a random cookie, csrfCookie, and puts in
// the form a hidden field, csrfField, holding the HMAC of the cookie under
// the server's key. Another site can make a browser post a form, but can
// neither read the cookie (HttpOnly, SameSite=Strict) nor make its HMAC,
// so it cannot fill in the field. The token is bound to the cookie and not
// to a session because the report and screening forms need no session.
const (
	csrfCookie = "vigil_csrf"
	csrfField  = "csrf"
	// csrfBytes is the length of a CSRF cookie's random value.
	csrfBytes = 32
)

// csrfCookieOf is the value of r's CSRF cookie, or a new value (fresh) when
// r has none of the form this server makes.
func csrfCookieOf(r *http.Request) (value string, fresh bool) {
	if c, err := r.Cookie(csrfCookie); err == nil {
		if b, err := base64.RawURLEncoding.DecodeString(c.Value); err == nil && len(b) == csrfBytes {
			return c.Value, false
		}
	}
	b := make([]byte, csrfBytes)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b), true
}

// csrfToken is the token of the forms for a CSRF cookie's value:
// HMAC-SHA256 under key, base64url.
func csrfToken(key []byte, cookie string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(cookie))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// posted guards the handler of a posted form: it refuses a form from
// another site (sameOrigin), reads the form, and refuses it unless it
// carries the token of the CSRF cookie, before h does anything. h finds
// the form in r.PostForm.
func (s *server) posted(h handlerFunc) handlerFunc {
	return sameOrigin(func(w http.ResponseWriter, r *http.Request) error {
		// A body too large to read whole is refused as such: its token
		// cannot be read, and nothing is done either way.
		parseErr := r.ParseForm()
		var tooBig *http.MaxBytesError
		if errors.As(parseErr, &tooBig) {
			return fmt.Errorf("%w: the limit is %d bytes", errTooLarge, tooBig.Limit)
		}
		if err := s.checkToken(r); err != nil {
			return err
		}
		// A browser never sends a malformed form; the pairs that could be
		// read are not taken for the whole of it.
		if parseErr != nil {
			return fmt.Errorf("%w: %v", errBadForm, parseErr)
		}
		return h(w, r)
	})
}

// checkToken reports errForbidden unless r has a CSRF cookie and its form
// the token of it. The token is read from the body only: in the address it
// would be written to logs.
func (s *server) checkToken(r *http.Request) error {
	v := visitorOf(r)
	if v.newCookie {
		return fmt.Errorf("%w: no CSRF cookie", errForbidden)
	}
	if !hmac.Equal([]byte(r.PostForm.Get(csrfField)), []byte(v.csrfToken)) {
		return fmt.Errorf("%w: the CSRF token is not that of the cookie", errForbidden)
	}
	return nil
}
