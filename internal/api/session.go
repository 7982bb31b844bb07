package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"vigil/internal/auth"
	"vigil/internal/store"
	"vigil/internal/web"
)

type signInRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

// sessionView is the answer of the session endpoints: who the caller is,
// what they may do, and the CSRF token their browser must send.
type sessionView struct {
	Role        auth.Role         `json:"role"`
	User        string            `json:"user,omitempty"`
	Login       string            `json:"login,omitempty"`
	Org         string            `json:"org,omitempty"`
	Permissions []auth.Permission `json:"permissions"`
	CSRFToken   string            `json:"csrf_token,omitempty"`
	MustChange  bool              `json:"must_change_password,omitempty"`
}

// signIn checks a login and password and sets the session cookie.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	var req signInRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	token, err := s.SignIn(r.Context(), req.Login, req.Password, hostOf(r))
	var th *web.ThrottledError
	switch {
	case errors.As(err, &th):
		w.Header().Set("Retry-After", strconv.Itoa(int(th.RetryAfter.Seconds())+1))
		return fmt.Errorf("%w: too many failed sign-ins; try again later", ErrRateLimited)
	case errors.Is(err, web.ErrBadLogin):
		return fmt.Errorf("%w: wrong login or password", ErrUnauthorized)
	case err != nil:
		return err
	}
	http.SetCookie(w, sessionCookie(r, token, int(sessionTTL.Seconds())))
	sess, err := s.store.Session(r.Context(), auth.HashToken(token))
	if err != nil {
		return err
	}
	u := sess.User
	perms := auth.RolePermissions(u.Role)
	if u.MustChange {
		perms = auth.RolePermissions(auth.RolePublic)
	}
	return writeJSON(w, http.StatusOK, sessionView{Role: u.Role, User: u.ID, Login: u.Login, Org: u.Org, Permissions: perms.List(),
		CSRFToken: auth.CSRFToken(s.csrfKey, sess.TokenHash), MustChange: u.MustChange})
}

// sessionCookie is the session cookie: HttpOnly, SameSite=Lax, Secure
// when the request came over TLS (directly or through a proxy).
func sessionCookie(r *http.Request, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: web.SessionCookie, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"}
}

// getSession says who the caller is.
func (s *Server) getSession(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	v := sessionView{Role: c.p.Role, Org: c.p.Org, Permissions: c.p.Perms.List()}
	if c.p.KeyID != "" {
		v.User = c.p.User
	}
	if c.session != "" {
		v.User, v.Login, v.CSRFToken = c.p.User, c.login, auth.CSRFToken(s.csrfKey, c.session)
	}
	return writeJSON(w, http.StatusOK, v)
}

// signOut ends the caller's session.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	if c.session != "" {
		if err := s.store.DeleteSession(r.Context(), c.session); err != nil {
			return err
		}
	}
	http.SetCookie(w, sessionCookie(r, "", -1))
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type passwordRequest struct {
	Current string `json:"current"`
	New     string `json:"new"`
}

// changePassword sets a new password for the signed-in account, which
// ends its other sessions.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r)
	if c.session == "" {
		return fmt.Errorf("%w: sign in first", ErrUnauthorized)
	}
	var req passwordRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := auth.ValidPassword(req.New); err != nil {
		return &invalidError{[]fieldError{{"/new", err.Error()}}}
	}
	u, err := s.store.User(r.Context(), c.p.User)
	if err != nil {
		return err
	}
	if ok, err := auth.CheckPassword(u.PasswordHash, req.Current); err != nil || !ok {
		return &invalidError{[]fieldError{{"/current", "is not the current password"}}}
	}
	if u.PasswordHash, err = s.hashPassword(req.New); err != nil {
		return err
	}
	u.MustChange = false
	if err := s.store.UpdateUser(r.Context(), u); err != nil {
		return err
	}
	token, hash := auth.NewSessionToken()
	now := time.Now()
	if err := s.store.AddSession(r.Context(), store.Session{TokenHash: hash, User: u, CreatedAt: now, ExpiresAt: now.Add(sessionTTL)}); err != nil {
		return err
	}
	http.SetCookie(w, sessionCookie(r, token, int(sessionTTL.Seconds())))
	return writeJSON(w, http.StatusOK, sessionView{Role: u.Role, User: u.ID, Login: u.Login, Org: u.Org,
		Permissions: auth.RolePermissions(u.Role).List(), CSRFToken: auth.CSRFToken(s.csrfKey, hash)})
}

// SignIn checks a login and password from client and starts a session
// (web.Accounts). Failures are throttled per login and per network, and
// a wrong login costs the same time as a wrong password.
func (s *Server) SignIn(ctx context.Context, login, password, client string) (string, error) {
	now := time.Now()
	keys := []string{"user:" + login, "ip:" + network(client)}
	for _, k := range keys {
		if ok, wait := s.throttle.Check(k, now); !ok {
			return "", &web.ThrottledError{RetryAfter: wait}
		}
	}
	u, err := s.store.UserByLogin(ctx, login)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	hash := u.PasswordHash
	if hash == "" {
		hash = s.dummyHash
	}
	ok, _ := auth.CheckPassword(hash, password)
	if !ok || u.ID == "" || u.Disabled {
		for _, k := range keys {
			s.throttle.Fail(k, now)
		}
		if u.ID != "" {
			// The failed attempt is audited against the account.
			_ = s.store.AppendAudit(store.WithActor(ctx, "public:"+network(client)), "session.fail", u.ID, "")
		}
		return "", web.ErrBadLogin
	}
	for _, k := range keys {
		s.throttle.Succeed(k)
	}
	token, th := auth.NewSessionToken()
	err = s.store.AddSession(store.WithActor(ctx, "user:"+u.ID), store.Session{TokenHash: th, User: u, CreatedAt: now, ExpiresAt: now.Add(sessionTTL)})
	return token, err
}

// SignOut ends a session (web.Accounts).
func (s *Server) SignOut(ctx context.Context, token string) error {
	return s.store.DeleteSession(ctx, auth.HashToken(token))
}

// Who names the account of a session (web.Accounts).
func (s *Server) Who(ctx context.Context, token string) (string, string, bool) {
	sess, err := s.store.Session(ctx, auth.HashToken(token))
	if err != nil {
		return "", "", false
	}
	return sess.User.Login, string(sess.User.Role), true
}

// hashPassword hashes with the server's parameters (small in tests).
func (s *Server) hashPassword(pw string) (string, error) {
	return auth.HashPasswordWith(pw, s.cfg.PasswordParams)
}
