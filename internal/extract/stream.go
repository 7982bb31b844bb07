package extract

import (
	"errors"
	"io"
	"unicode/utf8"
)

// Streaming reads text of any size in windows of Window bytes that overlap
// by Overlap bytes on each side: every indicator is reported by the one
// window its start falls in, with the overlap as context, so memory stays
// flat however long the input. No indicator is longer than maxLink, well
// under the overlap.
const (
	DefaultWindow  = 1 << 20
	DefaultOverlap = 4 << 10
)

// StreamOptions tune Stream; zero values take the defaults.
type StreamOptions struct {
	Window, Overlap int
}

// StreamInfo says what Stream saw.
type StreamInfo struct {
	Bytes   int64 // UTF-8 bytes read
	Matches int
	// Region, Guessed and GuessReason are those of the first window.
	Region      string
	Guessed     bool
	GuessReason string
}

// Stream extracts indicators from r, which must yield UTF-8 (see Decode),
// calling fn for each in order. Offsets are counted from the start of r.
// It stops at the first error from r or fn.
func (x *Extractor) Stream(r io.Reader, o StreamOptions, fn func(Match) error) (StreamInfo, error) {
	if o.Window <= 0 {
		o.Window = DefaultWindow
	}
	if o.Overlap <= 0 {
		o.Overlap = DefaultOverlap
	}
	if o.Overlap < 2*maxLink {
		o.Overlap = 2 * maxLink
	}
	var info StreamInfo
	buf := make([]byte, 0, o.Window+2*o.Overlap)
	var base int64 // stream offset of buf[0]
	emitFrom := 0  // offset in buf from which matches are new
	first := true
	eof := false
	for !eof || len(buf) > emitFrom {
		// Fill the buffer to a window plus the right-hand overlap.
		for !eof && len(buf) < cap(buf) {
			n, err := r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			info.Bytes += int64(n)
			if errors.Is(err, io.EOF) {
				eof = true
			} else if err != nil {
				return info, err
			}
		}
		cut := len(buf)
		if !eof {
			cut = runeStart(buf, len(buf)-o.Overlap)
		}
		res := x.ExtractRange(string(buf), emitFrom, cut)
		if first {
			info.Region, info.Guessed, info.GuessReason = res.Region, res.Guessed, res.GuessReason
			first = false
		}
		for _, m := range res.Matches {
			m.Start += int(base)
			m.End += int(base)
			info.Matches++
			if err := fn(m); err != nil {
				return info, err
			}
		}
		if eof {
			break
		}
		// Keep the overlap before the cut as the next window's context.
		keep := runeStart(buf, cut-o.Overlap)
		n := copy(buf, buf[keep:])
		buf = buf[:n]
		base += int64(keep)
		emitFrom = cut - keep
	}
	return info, nil
}

// runeStart moves i back to the start of the UTF-8 sequence it falls in.
func runeStart(b []byte, i int) int {
	if i <= 0 {
		return 0
	}
	for k := 0; k < utf8.UTFMax && i > 0 && !utf8.RuneStart(b[i]); k++ {
		i--
	}
	return i
}
