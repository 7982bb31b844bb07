package share

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"vigil/internal/indicator"
)

var noTime time.Time

// jsonArray reads a JSON array from dec element by element, calling fn with
// each element's index (1-based) and raw text. It never holds the array.
func jsonArray(dec *json.Decoder, fn func(i int64, raw json.RawMessage) error) error {
	if err := jsonDelim(dec, '['); err != nil {
		return err
	}
	var i int64
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		i++
		if err := fn(i, raw); err != nil {
			return err
		}
	}
	_, err := dec.Token() // "]"
	return err
}

func jsonDelim(dec *json.Decoder, want json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return fmt.Errorf("want a JSON %s, got %v", map[json.Delim]string{'[': "array", '{': "object"}[want], t)
	}
	return nil
}

// skipValue reads past the next value, token by token.
func skipValue(dec *json.Decoder) error {
	depth := 0
	for {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('['), json.Delim('{'):
			depth++
		case json.Delim(']'), json.Delim('}'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// jsonString reads an array element that should be a string.
func jsonString(raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("entry %s is not a string", clip(string(raw)))
	}
	return s, nil
}

// ethPhishing reads MetaMask's eth-phishing-detect config.json: the
// blacklist is scam listings, the whitelist known-good ones. Both count
// in one stream of positions, in file order; the fuzzylist (brand names
// matched by edit distance) is not a list of values and is passed over.
func (r *reader) ethPhishing(in io.Reader) error {
	dec := json.NewDecoder(bufio.NewReader(in))
	if err := jsonDelim(dec, '{'); err != nil {
		return err
	}
	var pos int64
	found := false
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := t.(string)
		if key != "blacklist" && key != "whitelist" {
			if err := skipValue(dec); err != nil {
				return err
			}
			continue
		}
		found = true
		source, good := string(FormatEthPhishing), key == "whitelist"
		if good {
			source += "-allow"
		}
		err = jsonArray(dec, func(_ int64, raw json.RawMessage) error {
			pos++
			if !r.want(pos) {
				return nil
			}
			s, err := jsonString(raw)
			var vs []Value
			if err == nil {
				vs, err = domainValue(s)
			}
			return r.values(pos, source, good, noTime, vs, err)
		})
		if err != nil {
			return err
		}
	}
	if !found {
		return errors.New("no blacklist or whitelist: not an eth-phishing-detect config")
	}
	return nil
}

// scamSniffer reads ScamSniffer's address.json (EVM addresses),
// combined.json (domain -> addresses: only the domains are taken, since
// the addresses include legitimate token contracts a drainer asked
// approval for) or a "value<TAB>first seen date" archive file.
func (r *reader) scamSniffer(in io.Reader) error {
	const source = string(FormatScamSniffer)
	br := bufio.NewReader(in)
	first, err := firstByte(br)
	if err != nil {
		return err
	}
	switch first {
	case '[':
		return jsonArray(json.NewDecoder(br), func(pos int64, raw json.RawMessage) error {
			if !r.want(pos) {
				return nil
			}
			s, err := jsonString(raw)
			var vs []Value
			if err == nil {
				vs, err = walletValue(s)
			}
			return r.values(pos, source, false, noTime, vs, err)
		})
	case '{':
		dec := json.NewDecoder(br)
		if err := jsonDelim(dec, '{'); err != nil {
			return err
		}
		for pos := int64(1); dec.More(); pos++ {
			t, err := dec.Token()
			if err != nil {
				return err
			}
			if err := skipValue(dec); err != nil {
				return err
			}
			if !r.want(pos) {
				continue
			}
			vs, err := domainValue(t.(string))
			if err := r.values(pos, source, false, noTime, vs, err); err != nil {
				return err
			}
		}
		_, err := dec.Token()
		return err
	}
	// The header ("domain<TAB>first_seen_archive_date") says the kind; it
	// is read before resuming past it.
	read := func(s string) ([]Value, error) { return readValue(s, nil) }
	peek, _ := br.Peek(256)
	header := bytes.Contains(bytes.ToLower(firstLine(peek)), []byte("first_seen"))
	if header {
		switch col, _, _ := strings.Cut(strings.ToLower(string(firstLine(peek))), "\t"); strings.TrimSpace(col) {
		case "address":
			read = walletValue
		case "domain":
			read = domainValue
		}
	}
	return r.textLines(br, true, func(pos int64, line string, err error) error {
		if err != nil {
			return r.bad(pos, source, err)
		}
		if pos == 1 && header {
			return nil
		}
		value, date, _ := strings.Cut(line, "\t")
		seen, err := parseDate(date)
		if err != nil {
			return r.bad(pos, source, err)
		}
		vs, err := read(value)
		return r.values(pos, source, false, seen, vs, err)
	})
}

func firstByte(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return 0, nil
			}
			return 0, err
		}
		if b != ' ' && b != '\t' && b != '\r' && b != '\n' {
			return b, br.UnreadByte()
		}
	}
}

// parseDate reads a first-seen date: YYYY-MM-DD or RFC 3339; empty is none.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return noTime, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return noTime, fmt.Errorf("date %q is not YYYY-MM-DD or RFC 3339", clip(s))
}

// ftc reads the FTC Do Not Call reported-numbers CSV: a "pattern" header,
// then one US number per row. A number libphonenumber does not hold valid
// in the US (a wrong length, a spoofed area code) is a bad row.
func (r *reader) ftc(in io.Reader) error {
	const source = string(FormatFTC)
	return r.textLines(in, false, func(pos int64, line string, err error) error {
		if err != nil {
			return r.bad(pos, source, err)
		}
		line = strings.Trim(line, `"' `)
		if pos == 1 && !strings.ContainsAny(line, "0123456789") {
			return nil // the header
		}
		p, err := indicator.ParsePhone(line, "US")
		if err != nil {
			return r.bad(pos, source, err)
		}
		return r.values(pos, source, false, noTime, []Value{{indicator.Phone, p.Value}}, nil)
	})
}

// exactPattern is a regular expression that matches one name and nothing
// else ("^1337x\.org$"), as jarelllama writes most allow-list entries.
var exactPattern = regexp.MustCompile(`^\^([a-zA-Z0-9-]+(?:\\\.[a-zA-Z0-9-]+)+)\$$`)

// jarelllama reads a Scam-Blocklist domain list (scam listings) or its
// config/whitelist.txt (known-good; a file named *whitelist*). The allow
// list is extended regular expressions matched against domains: one
// anchored at both ends that spells a single name is that name; any other
// pattern cannot become an exact value and is skipped with a notice.
func (r *reader) jarelllama(in io.Reader) error {
	good := strings.Contains(strings.ToLower(filepath.Base(r.path)), "whitelist")
	source := string(FormatJarelllama)
	if good {
		source += "-allow"
	}
	return r.textLines(in, true, func(pos int64, line string, err error) error {
		if err != nil {
			return r.bad(pos, source, err)
		}
		if good {
			if m := exactPattern.FindStringSubmatch(line); m != nil {
				line = strings.ReplaceAll(m[1], `\.`, ".")
			} else if strings.ContainsAny(line, `^$\[]()*+?{}|`) || !strings.Contains(line, ".") {
				return r.emit(Record{Pos: pos, Source: source, KnownGood: true,
					Notice: fmt.Sprintf("skipped: %q is a pattern, not one domain", clip(line))})
			}
		}
		vs, err := domainValue(line)
		return r.values(pos, source, good, noTime, vs, err)
	})
}

// plain reads one value of any kind per line; "#" starts a comment line
// or, after a space, the rest of a line. A hosts-file line ("0.0.0.0
// evil.com") is its host name.
func (r *reader) plain(in io.Reader) error {
	source := sourceName(r.path)
	return r.textLines(in, true, func(pos int64, line string, err error) error {
		if err != nil {
			return r.bad(pos, source, err)
		}
		if i := strings.Index(line, " #"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		var vs []Value
		if f := strings.Fields(line); len(f) == 2 && (f[0] == "0.0.0.0" || f[0] == "127.0.0.1" || f[0] == "::") {
			vs, err = domainValue(f[1])
		} else {
			vs, err = readValue(line, nil)
		}
		return r.values(pos, source, false, noTime, vs, err)
	})
}
