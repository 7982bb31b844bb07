package share

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// WarninglistFiles returns the list.json files under a MISP warninglists
// directory (a checkout, its lists/ folder, or any folder above list.json
// files), sorted; a file is returned as itself.
func WarninglistFiles(path string) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("share: %w", err)
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && d.Name() == "list.json" {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("share: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("share: %s holds no list.json: not a MISP warninglists directory", path)
	}
	sort.Strings(files)
	return files, nil
}

// mispHeader is a list.json without its list.
type mispHeader struct {
	Type       string
	Attributes []string // matching_attributes
}

// readMISPHeader reads a list.json's type and attributes token by token:
// decoding the object whole would hold the file in memory.
func readMISPHeader(in io.Reader, h *mispHeader) error {
	dec := json.NewDecoder(in)
	if err := jsonDelim(dec, '{'); err != nil {
		return err
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case "type":
			err = dec.Decode(&h.Type)
		case "matching_attributes":
			err = dec.Decode(&h.Attributes)
		default:
			err = skipValue(dec)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// misp reads one MISP warninglist as known-good listings. MISP writes the
// keys in alphabetical order, "list" before "type", so the file is read
// twice: once for the header (the list is scanned, not kept), once to
// stream the list. Only "string" and "hostname" lists hold exact values;
// the others are patterns the extractor's warninglist loader matches, and
// give one notice. A hostname entry also covers the names under it; only
// the name itself is listed here.
func (r *reader) misp(in io.Reader) error {
	var h mispHeader
	if err := readMISPHeader(in, &h); err != nil {
		return fmt.Errorf("not a MISP warninglist: %w", err)
	}
	if h.Type == "" {
		return errors.New("not a MISP warninglist: no type")
	}
	name := filepath.Base(filepath.Dir(r.path))
	if filepath.Base(r.path) != "list.json" || name == "." || name == string(filepath.Separator) {
		name = sourceName(r.path)
	}
	source := "misp:" + name
	if h.Type != "string" && h.Type != "hostname" {
		return r.emit(Record{Pos: 1, Source: source, KnownGood: true,
			Notice: fmt.Sprintf("skipped: type %s is matched by the extractor's warninglist loader, not stored", h.Type)})
	}
	kinds := kindSet{}
	for _, a := range h.Attributes {
		for _, k := range mispKinds[strings.ToLower(a)] {
			kinds[k] = true
		}
	}
	if len(h.Attributes) == 0 { // unsaid: whatever the values look like
		kinds = nil
	} else if len(kinds) == 0 {
		return r.emit(Record{Pos: 1, Source: source, KnownGood: true,
			Notice: fmt.Sprintf("skipped: matching attributes %s name no kind Vigil stores", strings.Join(h.Attributes, ", "))})
	}
	seeker, ok := in.(io.Seeker)
	if !ok {
		return errors.New("cannot read a MISP warninglist twice: not a file")
	}
	if _, err := seeker.Seek(0, io.SeekStart); err != nil {
		return err
	}
	dec := json.NewDecoder(in)
	if err := jsonDelim(dec, '{'); err != nil {
		return err
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		if t != "list" {
			if err := skipValue(dec); err != nil {
				return err
			}
			continue
		}
		err = jsonArray(dec, func(pos int64, raw json.RawMessage) error {
			if !r.want(pos) {
				return nil
			}
			s, err := jsonString(raw)
			var vs []Value
			if err == nil {
				// ".google.com" is google.com and the names under it.
				vs, err = readValue(strings.TrimPrefix(strings.TrimSpace(s), "."), kinds)
			}
			return r.values(pos, source, true, noTime, vs, err)
		})
		if err != nil {
			return err
		}
	}
	return nil
}
