package api

import (
	"errors"
	"net/http"
	"strings"

	"vigil/internal/auth"
	"vigil/internal/lookup"
	"vigil/internal/report"
	"vigil/internal/store"
)

// problem is an RFC 9457 problem document.
type problem struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail,omitempty"`
	Errors []fieldError `json:"errors,omitempty"`
}

// fieldError names one invalid field by its JSON pointer.
type fieldError struct {
	Pointer string `json:"pointer"`
	Detail  string `json:"detail"`
}

// invalidError is a request with invalid fields.
type invalidError struct{ fields []fieldError }

func (e *invalidError) Error() string {
	var parts []string
	for _, f := range e.fields {
		parts = append(parts, f.Pointer+" "+f.Detail)
	}
	return "invalid request: " + strings.Join(parts, "; ")
}

func (e *invalidError) Unwrap() error { return ErrInvalid }

// problemFor maps an error to its problem document: the one place where
// error kinds become status codes.
func problemFor(err error) problem {
	switch {
	case errors.Is(err, ErrTooLarge):
		return problem{Type: "about:blank", Title: "Request body too large", Status: http.StatusRequestEntityTooLarge, Detail: err.Error()}
	case errors.Is(err, ErrInvalid), errors.Is(err, report.ErrInvalid), errors.Is(err, lookup.ErrInvalid):
		p := problem{Type: "about:blank", Title: "Invalid request", Status: http.StatusBadRequest, Detail: err.Error()}
		var inv *invalidError
		var rep *report.ValidationError
		switch {
		case errors.As(err, &inv):
			p.Errors = inv.fields
		case errors.As(err, &rep):
			for _, f := range rep.Fields {
				p.Errors = append(p.Errors, fieldError{f.Pointer, f.Detail})
			}
		}
		return p
	case errors.Is(err, ErrNotFound), errors.Is(err, store.ErrNotFound):
		return problem{Type: "about:blank", Title: "Not found", Status: http.StatusNotFound, Detail: notFoundDetail(err)}
	case errors.Is(err, store.ErrConflict):
		return problem{Type: "about:blank", Title: "Conflict", Status: http.StatusConflict, Detail: err.Error()}
	case errors.Is(err, ErrRateLimited):
		detail := "too many reports from your network; try again later"
		if err != ErrRateLimited {
			detail = strings.TrimPrefix(err.Error(), ErrRateLimited.Error()+": ") // a sign-in's, a family link's
		}
		return problem{Type: "about:blank", Title: "Too many requests", Status: http.StatusTooManyRequests, Detail: detail}
	case errors.Is(err, ErrUnauthorized):
		return problem{Type: "about:blank", Title: "Unauthorized", Status: http.StatusUnauthorized, Detail: err.Error()}
	case errors.Is(err, ErrForbidden):
		return problem{Type: "about:blank", Title: "Forbidden", Status: http.StatusForbidden, Detail: err.Error()}
	case errors.Is(err, auth.ErrInvalid):
		return problem{Type: "about:blank", Title: "Invalid request", Status: http.StatusBadRequest, Detail: err.Error()}
	}
	return problem{Type: "about:blank", Title: "Internal server error", Status: http.StatusInternalServerError}
}

// notFoundDetail says what was not found ("report X", "reports A and B
// are not linked"), without the store's prefixes.
func notFoundDetail(err error) string {
	if err == ErrNotFound {
		return ""
	}
	msg := strings.TrimPrefix(err.Error(), "store: ")
	return strings.TrimPrefix(msg, "path: ")
}
