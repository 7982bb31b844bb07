package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"vigil/internal/auth"
	"vigil/internal/store"
	"vigil/internal/web"
)

// caller is who sent a request: resolved once, in handle, and read by
// handlers through callerOf.
type caller struct {
	p auth.Principal
	v store.Viewer
	// client is the client's network (see network); reporterNet its
	// pseudonym.
	client string
	// session is the hash of the session token when the caller signed in
	// with a cookie: state-changing requests then need the CSRF header.
	session string
	// trusted is set when the caller's organisation is trusted.
	trusted bool
	// login names a signed-in account, for the session endpoint.
	login string
	// audit, when set, is the caller's name in the audit log (see actor).
	audit string
}

type callerKey struct{}

func callerOf(r *http.Request) *caller {
	if c, ok := r.Context().Value(callerKey{}).(*caller); ok {
		return c
	}
	return &caller{p: auth.Public()}
}

// actor names the caller in the audit log.
func (c *caller) actor(s *Server) string {
	switch {
	case c.audit != "":
		return c.audit
	case c.p.KeyID != "":
		return "key:" + c.p.KeyID
	case c.p.User != "":
		return "user:" + c.p.User
	}
	return "public:" + strings.TrimPrefix(s.reporterKey(c.client), "anon:")[:12]
}

// publicCallers remembers the caller of the public's recent client
// addresses. A public caller is the same for every request from an
// address; resolving one (its network, and the keyed hash that names it
// in the audit log) is the costliest step of a cheap request, and one
// address asks many times. A caller held here is shared by concurrent
// requests, so nothing may change it. The cache is cleared when full, so
// it stays small.
type publicCallers struct {
	mu sync.RWMutex
	m  map[string]*caller
}

// maxPublicCallers bounds a publicCallers.
const maxPublicCallers = 4096

func newPublicCallers() *publicCallers { return &publicCallers{m: map[string]*caller{}} }

// of returns the public caller of r's client address.
func (pc *publicCallers) of(s *Server, r *http.Request) *caller {
	host := hostOf(r)
	pc.mu.RLock()
	c, ok := pc.m[host]
	pc.mu.RUnlock()
	if ok {
		return c
	}
	c = &caller{p: auth.Public(), client: network(host)}
	c.audit = c.actor(s)
	pc.mu.Lock()
	if len(pc.m) >= maxPublicCallers {
		clear(pc.m)
	}
	pc.m[strings.Clone(host)] = c
	pc.mu.Unlock()
	return c
}

// Errors of authentication and authorisation.
var (
	ErrForbidden = errors.New("forbidden")
	errBadKey    = fmt.Errorf("%w: the API key is unknown or revoked", ErrUnauthorized)
)

// authenticate resolves the caller: an API key (Authorization: Bearer),
// a session cookie, or the public. A key that does not hold is an error;
// a stale cookie is the public.
func (s *Server) authenticate(r *http.Request) (*caller, error) {
	h := r.Header.Get("Authorization")
	ck, err := r.Cookie(web.SessionCookie)
	if h == "" && (err != nil || ck.Value == "") {
		return s.public.of(s, r), nil
	}
	c := &caller{p: auth.Public(), client: s.client(r)}
	if h != "" {
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, fmt.Errorf("%w: use Authorization: Bearer <API key>", ErrUnauthorized)
		}
		if _, ok := auth.ParseAPIKey(token); !ok {
			return nil, errBadKey
		}
		k, err := s.store.KeyByHash(r.Context(), auth.HashToken(token))
		if errors.Is(err, store.ErrNotFound) {
			return nil, errBadKey
		} else if err != nil {
			return nil, err
		}
		perms := auth.NewPermSet(k.Perms...).KeyGrantable()
		c.p = auth.Principal{Role: "partner", User: "key:" + k.ID, Org: k.Org, Perms: perms, KeyID: k.ID}
		return c, s.resolveOrg(r.Context(), c)
	}
	if err := s.signedIn(r.Context(), c, ck.Value); err != nil {
		return nil, err
	}
	return c, nil
}

// signedIn makes c the account of a session token; a token that is not a
// live session leaves c the public.
func (s *Server) signedIn(ctx context.Context, c *caller, token string) error {
	hash := auth.HashToken(token)
	sess, err := s.store.Session(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	u := sess.User
	c.p = auth.Principal{Role: u.Role, User: u.ID, Org: u.Org, Perms: auth.RolePermissions(u.Role)}
	if u.MustChange {
		// A one-time password buys nothing but a new password.
		c.p.Perms = auth.RolePermissions(auth.RolePublic)
	}
	c.session, c.login = hash, u.Login
	return s.resolveOrg(ctx, c)
}

// resolveOrg fills in what the caller's organisation lets it see.
func (s *Server) resolveOrg(ctx context.Context, c *caller) error {
	c.v = store.Viewer{User: c.p.User, Org: c.p.Org, Member: c.p.Org != ""}
	// An admin reads every organisation's cases (to assign those filed
	// without one); a caseworker its own organisation's.
	if c.p.Role == auth.RoleAdmin && c.p.Can(auth.PermCaseRead) {
		c.v.AllCases = true
	} else if c.p.Can(auth.PermCaseRead) {
		c.v.CaseReader = true
	}
	if c.p.Org == "" {
		return nil
	}
	o, err := s.store.Org(ctx, c.p.Org)
	if err != nil {
		return err
	}
	c.trusted = o.Trusted
	c.v.AmberOrgs, err = s.store.AmberOrgs(ctx, c.p.Org)
	return err
}

// authorize is the one check of a request's permission: the public is
// told to sign in (401), an account without the permission is refused
// (403). A signed-in browser's state-changing request must carry the
// CSRF token of its session.
func (s *Server) authorize(r *http.Request, c *caller, perm auth.Permission) error {
	if c.session != "" && r.Method != http.MethodGet && r.Method != http.MethodHead {
		if !auth.CheckCSRF(s.csrfKey, c.session, r.Header.Get("X-CSRF-Token")) {
			return fmt.Errorf("%w: a signed-in browser's request must carry the X-CSRF-Token header from GET /api/v1/session", ErrForbidden)
		}
	}
	if perm == "" || c.p.Can(perm) {
		return nil
	}
	if c.p.IsPublic() {
		return fmt.Errorf("%w: sign in or use an API key with permission %s", ErrUnauthorized, perm)
	}
	return fmt.Errorf("%w: permission %s is needed", ErrForbidden, perm)
}

// sessionTTL is how long a sign-in lasts.
const sessionTTL = 12 * time.Hour
