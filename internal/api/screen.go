package api

import (
	"errors"
	"fmt"
	"net/http"

	"vigil/internal/screen"
)

// screenRequest is the body of POST /api/v1/screen.
type screenRequest struct {
	Text *string `json:"text"`
	Kind string  `json:"kind"`
	Lang string  `json:"lang"`
}

// screenText answers whether a text looks like a scam, with the signals
// that fired and what the store knows of the text's indicators.
func (s *Server) screenText(w http.ResponseWriter, r *http.Request) error {
	var req screenRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if req.Text == nil {
		return &invalidError{[]fieldError{{"/text", "is required"}}}
	}
	a, err := s.screener.Screen(r.Context(), *req.Text, screen.Options{Kind: req.Kind, Lang: req.Lang})
	if errors.Is(err, screen.ErrInvalid) {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a)
}
