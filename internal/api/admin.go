package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"vigil/internal/auth"
	"vigil/internal/store"
)

type userRequest struct {
	Login string `json:"login"`
	Name  string `json:"name"`
	Role  string `json:"role"`
	Org   string `json:"org"`
}

// userCreated carries the one-time password, shown once.
type userCreated struct {
	store.User
	Password string `json:"password"`
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	us, err := s.store.Users(r.Context())
	if err != nil {
		return err
	}
	if err := s.store.AppendAudit(r.Context(), "user.list", "", fmt.Sprintf("%d accounts", len(us))); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"users": us})
}

// createUser makes an account with a one-time password that must be
// changed at the first sign-in.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	var req userRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	var fields []fieldError
	login := strings.TrimSpace(req.Login)
	if login == "" || len(login) > 254 || strings.ContainsAny(login, " \t\r\n") {
		fields = append(fields, fieldError{"/login", "must be 1 to 254 characters without spaces (an email address or a name)"})
	}
	if len(req.Name) > 200 {
		fields = append(fields, fieldError{"/name", "is longer than 200 bytes"})
	}
	role, err := auth.ParseRole(req.Role)
	if err != nil || role == auth.RolePublic {
		fields = append(fields, fieldError{"/role", "must be one of reporter, family, analyst, caseworker, admin"})
	}
	if req.Org != "" {
		if _, err := s.store.Org(r.Context(), req.Org); err != nil {
			fields = append(fields, fieldError{"/org", "is not an organisation"})
		}
	}
	if len(fields) > 0 {
		return &invalidError{fields}
	}
	pw := auth.GeneratePassword()
	hash, err := s.hashPassword(pw)
	if err != nil {
		return err
	}
	u, err := s.store.AddUser(r.Context(), store.User{Login: login, Name: req.Name, Role: role, Org: req.Org, PasswordHash: hash, MustChange: true})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, userCreated{User: u, Password: pw})
}

type userUpdate struct {
	Role          *string `json:"role"`
	Org           *string `json:"org"`
	Disabled      *bool   `json:"disabled"`
	ResetPassword bool    `json:"reset_password"`
}

// updateUser changes an account's role, organisation or state, or gives
// it a new one-time password.
func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) error {
	var req userUpdate
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	u, err := s.store.User(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if req.Role != nil {
		role, err := auth.ParseRole(*req.Role)
		if err != nil || role == auth.RolePublic {
			return &invalidError{[]fieldError{{"/role", "must be one of reporter, family, analyst, caseworker, admin"}}}
		}
		u.Role = role
	}
	if req.Org != nil {
		if *req.Org != "" {
			if _, err := s.store.Org(r.Context(), *req.Org); err != nil {
				return &invalidError{[]fieldError{{"/org", "is not an organisation"}}}
			}
		}
		u.Org = *req.Org
	}
	if req.Disabled != nil {
		if *req.Disabled && u.ID == callerOf(r).p.User {
			return &invalidError{[]fieldError{{"/disabled", "an admin cannot disable their own account"}}}
		}
		u.Disabled = *req.Disabled
	}
	out := userCreated{}
	if req.ResetPassword {
		out.Password = auth.GeneratePassword()
		if u.PasswordHash, err = s.hashPassword(out.Password); err != nil {
			return err
		}
		u.MustChange = true
	}
	if err := s.store.UpdateUser(r.Context(), u); err != nil {
		return err
	}
	out.User = u
	return writeJSON(w, http.StatusOK, out)
}

type orgRequest struct {
	Name    string `json:"name"`
	Trusted bool   `json:"trusted"`
}

func (s *Server) listOrgs(w http.ResponseWriter, r *http.Request) error {
	os, err := s.store.Orgs(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"orgs": os})
}

func (s *Server) createOrg(w http.ResponseWriter, r *http.Request) error {
	var req orgRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	name := strings.TrimSpace(req.Name)
	if name == "" || len(name) > 200 {
		return &invalidError{[]fieldError{{"/name", "must be 1 to 200 bytes"}}}
	}
	o, err := s.store.AddOrg(r.Context(), store.Org{Name: name, Trusted: req.Trusted})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, o)
}

type partnersRequest struct {
	Partners []string `json:"partners"`
}

// setPartners names the organisations that see an organisation's
// TLP:AMBER reports.
func (s *Server) setPartners(w http.ResponseWriter, r *http.Request) error {
	var req partnersRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	id := r.PathValue("id")
	if _, err := s.store.Org(r.Context(), id); err != nil {
		return err
	}
	for i, p := range req.Partners {
		if _, err := s.store.Org(r.Context(), p); err != nil {
			return &invalidError{[]fieldError{{fmt.Sprintf("/partners/%d", i), "is not an organisation"}}}
		}
	}
	if err := s.store.SetPartners(r.Context(), id, req.Partners); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"org": id, "partners": req.Partners})
}

type keyRequest struct {
	Name        string   `json:"name"`
	Org         string   `json:"org"`
	Permissions []string `json:"permissions"`
}

// keyCreated carries the key itself, shown once; only its hash is kept.
type keyCreated struct {
	store.APIKey
	Key string `json:"key"`
}

func (s *Server) listKeys(w http.ResponseWriter, r *http.Request) error {
	ks, err := s.store.Keys(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"keys": ks})
}

// createKey makes an API key for an organisation with some of the
// permissions keys may hold.
func (s *Server) createKey(w http.ResponseWriter, r *http.Request) error {
	var req keyRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	var fields []fieldError
	if strings.TrimSpace(req.Name) == "" || len(req.Name) > 200 {
		fields = append(fields, fieldError{"/name", "must be 1 to 200 bytes"})
	}
	if _, err := s.store.Org(r.Context(), req.Org); err != nil {
		fields = append(fields, fieldError{"/org", "is not an organisation"})
	}
	if len(req.Permissions) == 0 {
		fields = append(fields, fieldError{"/permissions", "names no permission"})
	}
	var perms []auth.Permission
	for i, p := range req.Permissions {
		perm, err := auth.ParsePermission(p)
		if err != nil || !auth.KeyGrantable(perm) {
			fields = append(fields, fieldError{fmt.Sprintf("/permissions/%d", i), "is not a permission an API key may hold"})
			continue
		}
		perms = append(perms, perm)
	}
	if len(fields) > 0 {
		return &invalidError{fields}
	}
	token, id, hash := auth.NewAPIKey()
	k := store.APIKey{ID: id, Hash: hash, Name: req.Name, Org: req.Org, Perms: auth.NewPermSet(perms...).List(),
		CreatedBy: callerOf(r).actor(s), CreatedAt: time.Now().UTC().Truncate(time.Millisecond)}
	if err := s.store.AddKey(r.Context(), k); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, keyCreated{APIKey: k, Key: token})
}

func (s *Server) revokeKey(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.RevokeKey(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// auditLog lists audit events after a sequence number.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var after int64
	limit := 100
	var fields []fieldError
	if a := q.Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n < 0 {
			fields = append(fields, fieldError{"after", "must be a sequence number"})
		}
		after = n
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			fields = append(fields, fieldError{"limit", "must be 1 to 1000"})
		}
		limit = n
	}
	if len(fields) > 0 {
		return &invalidError{fields}
	}
	es, err := s.store.AuditLog(r.Context(), after, limit)
	if err != nil {
		return err
	}
	out := struct {
		Events []auth.AuditEvent `json:"events"`
		Next   int64             `json:"next_after,omitempty"`
	}{Events: es}
	if len(es) == limit {
		out.Next = es[len(es)-1].Seq
	}
	return writeJSON(w, http.StatusOK, out)
}
