package share

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// lineReader reads a file line by line without ever holding more than
// MaxLine bytes of one line: the rest of a longer line is read and dropped.
type lineReader struct {
	r    *bufio.Reader
	n    int64 // lines read so far: the number of the last line returned
	buf  []byte
	long bool // the last line was longer than MaxLine
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64<<10)}
}

var errLong = fmt.Errorf("line is longer than %d bytes (1 MiB)", MaxLine)

// next returns the next line without its "\n" or "\r\n", and io.EOF after
// the last. A line longer than MaxLine comes back cut to MaxLine bytes
// with l.long set. The slice is valid until the next call.
func (l *lineReader) next() ([]byte, error) {
	l.buf = l.buf[:0]
	l.long = false
	for {
		chunk, err := l.r.ReadSlice('\n')
		if len(l.buf)+len(chunk) > MaxLine+2 { // +2: the line's own "\r\n"
			room := MaxLine - len(l.buf)
			if room > 0 {
				l.buf = append(l.buf, chunk[:room]...)
			}
			l.long = true
		} else {
			l.buf = append(l.buf, chunk...)
		}
		switch {
		case err == nil:
			l.n++
			return l.trim(), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(l.buf) == 0 && !l.long {
				return nil, io.EOF
			}
			l.n++
			return l.trim(), nil
		default:
			return nil, err
		}
	}
}

func (l *lineReader) trim() []byte {
	b := bytes.TrimSuffix(l.buf, []byte("\n"))
	b = bytes.TrimSuffix(b, []byte("\r"))
	if l.n == 1 {
		b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // a byte-order mark
	}
	if len(b) > MaxLine {
		b = b[:MaxLine]
		l.long = true
	}
	return b
}

// textLines calls fn with each wanted line of a text file as a string,
// its number, and the line's error: too long, or not UTF-8. Blank lines
// and, with comments, lines starting with "#" are passed over.
func (r *reader) textLines(in io.Reader, comments bool, fn func(pos int64, line string, err error) error) error {
	lr := newLineReader(in)
	for {
		b, err := lr.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if !r.want(lr.n) {
			continue
		}
		switch {
		case lr.long:
			err = errLong
		case !utf8.Valid(b):
			err = errors.New("line is not valid UTF-8")
		}
		b = bytes.TrimSpace(b)
		if err == nil && (len(b) == 0 || comments && b[0] == '#') {
			continue
		}
		if err := fn(lr.n, string(b), err); err != nil {
			return err
		}
	}
}
