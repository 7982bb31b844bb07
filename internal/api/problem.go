package api

import (
	"errors"
	"net/http"
	"strings"
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
	case errors.Is(err, ErrInvalid):
		p := problem{Type: "about:blank", Title: "Invalid request", Status: http.StatusBadRequest, Detail: err.Error()}
		var inv *invalidError
		if errors.As(err, &inv) {
			p.Errors = inv.fields
		}
		return p
	case errors.Is(err, ErrNotFound):
		return problem{Type: "about:blank", Title: "Not found", Status: http.StatusNotFound}
	}
	return problem{Type: "about:blank", Title: "Internal server error", Status: http.StatusInternalServerError}
}
