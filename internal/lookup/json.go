package lookup

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// AppendJSON appends a as JSON, as encoding/json would write it (without
// HTML escaping), several times faster: lookups are the API's hottest path.
// TestAppendJSON holds the two to the same output.
func (a Answer) AppendJSON(b []byte) []byte {
	b = append(b, `{"query":`...)
	b = appendString(b, a.Query)
	b = append(b, `,"kind":`...)
	b = appendString(b, string(a.Kind))
	b = append(b, `,"value":`...)
	b = appendString(b, a.Value)
	b = append(b, `,"known":`...)
	b = strconv.AppendBool(b, a.Known)
	b = append(b, `,"reports":`...)
	b = strconv.AppendInt(b, int64(a.Reports), 10)
	b = append(b, `,"reporters":`...)
	b = strconv.AppendInt(b, int64(a.Reporters), 10)
	b = append(b, `,"sources":`...)
	b = appendStrings(b, a.Sources)
	if a.FirstSeen != nil {
		b = append(b, `,"first_seen":`...)
		b = appendTime(b, *a.FirstSeen)
	}
	if a.LastSeen != nil {
		b = append(b, `,"last_seen":`...)
		b = appendTime(b, *a.LastSeen)
	}
	b = append(b, `,"scam_types":`...)
	b = appendStrings(b, a.ScamTypes)
	if a.NetworkID != "" {
		b = append(b, `,"network_id":`...)
		b = appendString(b, a.NetworkID)
	}
	b = append(b, `,"network_size":`...)
	b = strconv.AppendInt(b, int64(a.Network), 10)
	b = append(b, `,"confidence":`...)
	b = strconv.AppendFloat(b, a.Confidence, 'f', -1, 64)
	b = append(b, `,"level":`...)
	b = appendString(b, a.Level)
	b = append(b, `,"known_good":`...)
	b = strconv.AppendBool(b, a.KnownGood)
	if a.Warning != "" {
		b = append(b, `,"warninglist":`...)
		b = appendString(b, a.Warning)
	}
	if a.OverCommon {
		b = append(b, `,"over_common":true`...)
	}
	b = append(b, `,"trusted_orgs":`...)
	b = strconv.AppendInt(b, int64(a.Trusted), 10)
	b = append(b, `,"disputed":`...)
	b = strconv.AppendBool(b, a.Disputed)
	if len(a.Other) > 0 {
		b = append(b, `,"other_readings":[`...)
		for i, o := range a.Other {
			if i > 0 {
				b = append(b, ',')
			}
			b = o.AppendJSON(b)
		}
		b = append(b, ']')
	}
	if a.Error != "" {
		b = append(b, `,"error":`...)
		b = appendString(b, a.Error)
	}
	return append(b, '}')
}

func appendStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string: quotes, backslashes and control
// characters escaped, invalid UTF-8 replaced, U+2028 and U+2029 escaped,
// as encoding/json does.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
