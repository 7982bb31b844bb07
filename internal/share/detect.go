package share

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"
)

// DetectSize is how much of a file's start Detect wants to see.
const DetectSize = 4096

var (
	reportKeyRe  = regexp.MustCompile(`"(narrative|scam_type|indicators|occurred_at|victim_country)"\s*:`)
	addressStart = regexp.MustCompile(`^\[\s*"0x[0-9a-fA-F]{40}"`)
	domainKeyRe  = regexp.MustCompile(`^\{\s*"[^"\s/]+\.[^"\s/]+"\s*:\s*\[`)
)

// Detect guesses a file's format from its name and first bytes (head, at
// best DetectSize of them). A file it cannot place is an error that lists
// the formats, for the caller's --format flag.
func Detect(path string, head []byte) (Format, error) {
	name := strings.ToLower(filepath.Base(path))
	ext := filepath.Ext(name)
	lowPath := strings.ToLower(filepath.ToSlash(path))
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	text := bytes.TrimLeft(head, " \t\r\n")
	first := firstLine(text)
	switch {
	case ext == ".yaml" || ext == ".yml":
		if bytes.HasPrefix(text, []byte("---")) || bytes.HasPrefix(text, []byte("- ")) {
			if bytes.Contains(head, []byte("url:")) || bytes.Contains(head, []byte("name:")) {
				return FormatCryptoScamDB, nil
			}
		}
	case bytes.HasPrefix(text, []byte("{")) && bytes.Contains(head, []byte(`"matching_attributes"`)),
		name == "list.json" && bytes.HasPrefix(text, []byte("{")) && bytes.Contains(head, []byte(`"list"`)):
		return FormatMISP, nil
	case bytes.HasPrefix(text, []byte("{")) && (bytes.Contains(head, []byte(`"fuzzylist"`)) ||
		bytes.Contains(head, []byte(`"tolerance"`)) || bytes.Contains(head, []byte(`"blacklist"`))):
		return FormatEthPhishing, nil
	case addressStart.Match(text), domainKeyRe.Match(text),
		strings.HasSuffix(name, "first_seen.tsv"),
		strings.Contains(lowPath, "scamsniffer") && (ext == ".json" || ext == ".tsv"):
		return FormatScamSniffer, nil
	case bytes.HasPrefix(text, []byte("{")) && bytes.HasSuffix(bytes.TrimSpace(first), []byte("}")) &&
		reportKeyRe.Match(first), ext == ".jsonl" || ext == ".ndjson":
		return FormatReportsJSONL, nil
	case ext == ".csv" && strings.EqualFold(string(bytes.TrimSpace(first)), "pattern"):
		return FormatFTC, nil
	case ext == ".csv" && csvReportHeader(first):
		return FormatReportsCSV, nil
	case bytes.HasPrefix(text, []byte("# Title: Jarelllama")), strings.Contains(lowPath, "jarelllama") && ext == ".txt":
		return FormatJarelllama, nil
	case (ext == ".txt" || ext == ".list" || ext == ".lst" || ext == "") && plainText(head):
		return FormatPlain, nil
	}
	return "", fmt.Errorf("share: cannot tell the format of %s: %w; name it with --format: %s", path, ErrUnknownFormat, formatList())
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}

// csvReportHeader reports whether a CSV's first line names only report
// columns, and at least one.
func csvReportHeader(line []byte) bool {
	fields, err := parseCSVRecord(bytes.TrimSpace(line), 1)
	if err != nil || len(fields) == 0 {
		return false
	}
	return csvHeader(fields, new([]string)) == nil
}

// plainText reports whether head looks like lines of text: UTF-8 (but for
// a character cut at the end), no NUL or other control bytes.
func plainText(head []byte) bool {
	if len(head) == 0 {
		return false
	}
	for len(head) > 0 {
		r, size := utf8.DecodeRune(head)
		if r == utf8.RuneError && size <= 1 {
			return len(head) < utf8.UTFMax && !utf8.FullRune(head)
		}
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' {
			return false
		}
		head = head[size:]
	}
	return true
}
