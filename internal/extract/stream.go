package extract

import (
	"errors"
	"io"
	"runtime"
	"sync"
	"unicode/utf8"
)

// Streaming reads text of any size in windows of Window bytes that overlap
// by Overlap bytes on each side: every indicator is reported by the one
// window its start falls in, with the overlap as context, so memory stays
// flat however long the input. No indicator is longer than maxLink, well
// under the overlap.
const (
	DefaultWindow  = 256 << 10
	DefaultOverlap = 4 << 10
)

// StreamOptions tune Stream; zero values take the defaults.
type StreamOptions struct {
	Window, Overlap int
	// Workers is how many windows are read at once; 0 means GOMAXPROCS.
	// Matches are reported in order whatever the number.
	Workers int
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

// window is one piece of a stream to extract: text, the part of it whose
// matches are new, and its offset in the stream.
type window struct {
	seq      int
	text     string
	from, to int
	base     int64
}

type windowResult struct {
	seq int
	res Result
}

// Stream extracts indicators from r, which must yield UTF-8 (see Decode),
// calling fn for each in order. Offsets are counted from the start of r.
// Windows are extracted by several workers; fn is called from the calling
// goroutine only. It stops at the first error from r or fn.
func (x *Extractor) Stream(r io.Reader, o StreamOptions, fn func(Match) error) (StreamInfo, error) {
	if o.Window <= 0 {
		o.Window = DefaultWindow
	}
	if o.Overlap < 2*maxLink {
		o.Overlap = max(o.Overlap, DefaultOverlap, 2*maxLink)
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	var info StreamInfo
	jobs := make(chan window)
	results := make(chan windowResult, o.Workers)
	done := make(chan struct{})
	// A window holds a slot from being read until its matches are
	// reported, so at most Workers+1 windows (text and matches) are alive
	// however far the workers run ahead of a slow window or a slow fn.
	slots := make(chan struct{}, o.Workers+1)
	var readErr error
	var wg sync.WaitGroup
	for range o.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for w := range jobs {
				res := x.ExtractRange(w.text, w.from, w.to)
				for i := range res.Matches {
					res.Matches[i].Start += int(w.base)
					res.Matches[i].End += int(w.base)
				}
				select {
				case results <- windowResult{w.seq, res}:
				case <-done:
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		readErr = readWindows(r, o, &info.Bytes, func(w window) bool {
			select {
			case slots <- struct{}{}:
			case <-done:
				return false
			}
			select {
			case jobs <- w:
				return true
			case <-done:
				return false
			}
		})
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	// Report in order: hold results that arrive early.
	pending := map[int]Result{}
	next := 0
	var fnErr error
	for wr := range results {
		if fnErr != nil {
			continue // draining
		}
		pending[wr.seq] = wr.res
		for {
			res, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			if next == 0 {
				info.Region, info.Guessed, info.GuessReason = res.Region, res.Guessed, res.GuessReason
			}
			next++
			for _, m := range res.Matches {
				info.Matches++
				if err := fn(m); err != nil {
					fnErr = err
					close(done)
					break
				}
			}
			if fnErr != nil {
				break
			}
			<-slots
		}
	}
	if fnErr != nil {
		return info, fnErr
	}
	return info, readErr
}

// readWindows cuts the stream into overlapping windows and hands each to
// emit, until the input ends, reading fails or emit says stop. The reader
// keeps two windows' worth of text: the one handed out is a copy.
func readWindows(r io.Reader, o StreamOptions, read *int64, emit func(window) bool) error {
	buf := make([]byte, 0, o.Window+2*o.Overlap)
	var base int64 // stream offset of buf[0]
	emitFrom := 0  // offset in buf from which matches are new
	eof := false
	seq := 0
	for !eof || len(buf) > emitFrom {
		for !eof && len(buf) < cap(buf) {
			n, err := r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			*read += int64(n)
			if errors.Is(err, io.EOF) {
				eof = true
			} else if err != nil {
				return err
			}
		}
		cut := len(buf)
		if !eof {
			cut = runeStart(buf, len(buf)-o.Overlap)
		}
		if !emit(window{seq: seq, text: string(buf), from: emitFrom, to: cut, base: base}) {
			return nil
		}
		seq++
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
	return nil
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
