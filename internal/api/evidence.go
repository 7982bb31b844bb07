package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"vigil/internal/media"
	"vigil/internal/report"
)

// errUnsupportedMedia is a file of a type Vigil does not keep
// (executables, HTML, SVG, archives ...): 415.
var errUnsupportedMedia = errors.New("unsupported media type")

// evidenceUpload is a file sent as a raw request body, with its name and
// a note from the query.
type evidenceUpload struct {
	data       []byte
	name, note string
}

// readEvidence reads a raw file body (whatever its Content-Type: the type
// is sniffed from the bytes) and its ?name= and ?note=.
func readEvidence(r *http.Request) (evidenceUpload, error) {
	q := r.URL.Query()
	up := evidenceUpload{name: q.Get("name"), note: q.Get("note")}
	if err := checkEvidenceText(up.name, up.note); err != nil {
		return evidenceUpload{}, err
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return evidenceUpload{}, fmt.Errorf("%w: a file may be at most %d bytes", ErrTooLarge, media.MaxSize)
		}
		return evidenceUpload{}, fmt.Errorf("%w: reading the body: %v", ErrInvalid, err)
	}
	up.data = data
	return up, nil
}

// checkEvidenceText checks a file's name and note.
func checkEvidenceText(name, note string) error {
	var fields []fieldError
	if len(name) > 200 || !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl) || strings.ContainsAny(name, `/\`) {
		fields = append(fields, fieldError{"name", "must be a file name of at most 200 bytes, without control characters or slashes"})
	}
	if len(note) > 4096 || !utf8.ValidString(note) || strings.ContainsRune(note, 0) {
		fields = append(fields, fieldError{"note", "must be text of at most 4096 bytes"})
	}
	if len(fields) > 0 {
		return &invalidError{fields}
	}
	return nil
}

// addEvidence stores a file with a case: its type sniffed, its SHA-256
// and, for an image, its perceptual hash recorded, which links the same
// photo sent to two families.
func (s *Server) addEvidence(ctx context.Context, caseID string, up evidenceUpload) (report.EvidenceRef, error) {
	// Decoding a large photo takes a few hundred MB for a moment: a few
	// at a time, so that a burst of uploads cannot exhaust memory.
	select {
	case s.inspecting <- struct{}{}:
	case <-ctx.Done():
		return report.EvidenceRef{}, ctx.Err()
	}
	info, err := media.Inspect(up.data)
	<-s.inspecting
	switch {
	case errors.Is(err, media.ErrTooLarge):
		return report.EvidenceRef{}, fmt.Errorf("%w: %v", ErrTooLarge, err)
	case errors.Is(err, media.ErrUnsupported):
		return report.EvidenceRef{}, fmt.Errorf("%w: %v", errUnsupportedMedia, err)
	case errors.Is(err, media.ErrEmpty):
		return report.EvidenceRef{}, &invalidError{[]fieldError{{"body", "is empty: send the file's bytes as the request body"}}}
	case err != nil:
		return report.EvidenceRef{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	ref := report.EvidenceRef{Name: up.name, Note: up.note, ContentType: info.ContentType, Size: info.Size,
		SHA256: info.SHA256, PHash: info.PHash}
	return s.store.AddEvidence(ctx, caseID, ref, up.data)
}

// writeEvidenceError answers the errors of a file upload: 415 for a type
// Vigil does not keep, else through the handler's adapter.
func writeEvidenceError(w http.ResponseWriter, err error) error {
	if errors.Is(err, errUnsupportedMedia) {
		writeProblem(w, problem{Type: "about:blank", Title: "Unsupported media type", Status: http.StatusUnsupportedMediaType, Detail: fileProblem(err)})
		return nil
	}
	return err
}

// fileProblem says what is wrong with a file, for the person who sent it.
func fileProblem(err error) string {
	if errors.Is(err, errUnsupportedMedia) {
		what := strings.TrimPrefix(err.Error(), errUnsupportedMedia.Error()+": ")
		return "is not a kind of file Vigil keeps (pictures, voice notes and recordings, videos, PDF, plain text): " + strings.TrimPrefix(what, "media: ")
	}
	return fmt.Sprintf("is larger than Vigil keeps: at most %d MiB", media.MaxSize>>20)
}

// postEvidence attaches a file to a case the caller may edit.
func (s *Server) postEvidence(w http.ResponseWriter, r *http.Request) error {
	up, err := readEvidence(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if _, err := s.store.Case(r.Context(), callerOf(r).v, id); err != nil {
		return err
	}
	ref, err := s.addEvidence(r.Context(), id, up)
	if err != nil {
		return writeEvidenceError(w, err)
	}
	w.Header().Set("Location", "/api/v1/cases/"+id+"/evidence/"+ref.ID)
	return writeJSON(w, http.StatusCreated, ref)
}

// getEvidence answers a file's bytes, as an attachment the browser may
// neither sniff nor run.
func (s *Server) getEvidence(w http.ResponseWriter, r *http.Request) error {
	ref, data, err := s.store.Evidence(r.Context(), callerOf(r).v, r.PathValue("id"), r.PathValue("eid"))
	if err != nil {
		return err
	}
	name := ref.Name
	if name == "" {
		name = "evidence-" + ref.ID
	}
	h := w.Header()
	h.Set("Content-Type", ref.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; frame-ancestors 'none'")
	// A file is the one answer a browser might show as a document: the
	// case's path must not leave in a Referer if it is opened.
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(data)
	return err
}
