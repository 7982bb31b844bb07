package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"

	"vigil/internal/report"
	"vigil/internal/share"
	"vigil/internal/store"
)

type exportRequest struct {
	IDs    []string `json:"ids"`
	Format string   `json:"format"`
}

// maxExport bounds the cases of one export.
const maxExport = 500

// exportCase writes one case as an HTCDS record.
func (s *Server) exportCase(w http.ResponseWriter, r *http.Request) error {
	return s.export(w, r, []string{r.PathValue("id")}, r.URL.Query().Get("format"), "format")
}

// exportCases writes a set of cases as HTCDS records.
func (s *Server) exportCases(w http.ResponseWriter, r *http.Request) error {
	var req exportRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if len(req.IDs) == 0 || len(req.IDs) > maxExport {
		return &invalidError{[]fieldError{{"/ids", fmt.Sprintf("must name 1 to %d cases", maxExport)}}}
	}
	seen := map[string]bool{}
	var ids []string
	for i, id := range req.IDs {
		if id == "" || len(id) > 64 {
			return &invalidError{[]fieldError{{fmt.Sprintf("/ids/%d", i), "is not a case id"}}}
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return s.export(w, r, ids, req.Format, "/format")
}

// export writes cases the caller may all see, redacted by each one's
// consent (share.WriteHTCDS), and audits it. A case the caller may not
// see fails the whole export with a 404.
func (s *Server) export(w http.ResponseWriter, r *http.Request, ids []string, format, formatField string) error {
	if format == "" {
		format = "json"
	}
	if format != "json" && format != "csv" {
		return &invalidError{[]fieldError{{formatField, "must be json or csv"}}}
	}
	b, err := s.htcds(r.Context(), callerOf(r).v, ids, format)
	if err != nil {
		return err
	}
	h := w.Header()
	if format == "csv" {
		h.Set("Content-Type", "text/csv; charset=utf-8")
	} else {
		h.Set("Content-Type", "application/json")
	}
	h.Set("Content-Disposition", `attachment; filename="vigil-cases.`+format+`"`)
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(b)
	return err
}

// htcds is the export of cases v may all see, in format (json or csv),
// redacted by each one's consent (share.WriteHTCDS), and audited: the API's
// and the web pages' one path out.
func (s *Server) htcds(ctx context.Context, v store.Viewer, ids []string, format string) ([]byte, error) {
	cases := make([]report.Case, 0, len(ids))
	for _, id := range ids {
		c, err := s.store.Case(ctx, v, id)
		if err != nil {
			return nil, err
		}
		cases = append(cases, c)
	}
	var b bytes.Buffer
	if err := share.WriteHTCDS(&b, format, cases); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if err := s.store.AppendAudit(ctx, "case.export", strings.Join(ids, ","), format); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
