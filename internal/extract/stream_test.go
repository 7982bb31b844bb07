package extract

import (
	"bytes"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestStreamEqualsExtract checks that streaming a text in small overlapping
// windows finds exactly what extracting it whole does, offsets included,
// with window edges falling everywhere: inside numbers, links, Chinese
// characters and wallets.
func TestStreamEqualsExtract(t *testing.T) {
	ls := loadLabels(t)
	texts := corpusTexts(t, ls)
	var b strings.Builder
	for _, tx := range texts {
		b.WriteString(tx)
		b.WriteString("\n")
	}
	text := b.String()
	x := New(Options{Region: "CN"})
	whole := x.Extract(text).Matches
	if len(whole) < 500 {
		t.Fatalf("only %d matches in the corpus", len(whole))
	}
	for _, o := range []StreamOptions{{Window: 9000, Workers: 1}, {Window: 16411, Workers: 3}, {Window: 65536}} {
		window := o.Window
		var streamed []Match
		info, err := x.Stream(strings.NewReader(text), o, func(m Match) error {
			streamed = append(streamed, m)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if info.Bytes != int64(len(text)) || info.Matches != len(streamed) {
			t.Errorf("window %d: info %+v, read %d bytes, %d matches", window, info, len(text), len(streamed))
		}
		if diff := cmp.Diff(whole, streamed); diff != "" {
			t.Errorf("window %d: streamed matches differ (-whole +streamed):\n%s", window, diff)
		}
	}
}

// TestStreamReaderErrors checks that a failing reader stops the stream with
// its error, and that fn's error is returned as is.
func TestStreamReaderErrors(t *testing.T) {
	x := New(Options{})
	boom := io.ErrUnexpectedEOF
	_, err := x.Stream(io.MultiReader(strings.NewReader("call 13800138000 "), errReader{boom}), StreamOptions{}, func(Match) error { return nil })
	if err != boom {
		t.Errorf("reader error: got %v, want %v", err, boom)
	}
	stop := io.ErrShortWrite
	_, err = x.Stream(strings.NewReader("微信 abc_123456 and 微信 def_123456"), StreamOptions{}, func(Match) error { return stop })
	if err != stop {
		t.Errorf("callback error: got %v, want %v", err, stop)
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// repeatReader yields n bytes made of a repeated text.
type repeatReader struct {
	text []byte
	n    int64
	pos  int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && r.n > 0 {
		c := copy(p[k:], r.text[r.pos:])
		if int64(c) > r.n {
			c = int(r.n)
		}
		k += c
		r.n -= int64(c)
		r.pos = (r.pos + c) % len(r.text)
	}
	return k, nil
}

// TestStreamMemoryFlat streams 100 MB of indicator-dense text and checks
// that the heap stays bounded by the window and the workers (each of at
// most Workers+1 windows in flight holds its text and matches), not by the
// input.
func TestStreamMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 100 MB")
	}
	unit := []byte("加微信 abc_123456 转账 USDT TRC20 TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp 电话 138-0013-8000 hxxps://evil[.]com/x 妙瓦底\n" +
		"Call 09061701461, mail bob@example.com, visit www.example.org/page?id=7 and 8.8.8.8\n")
	const total = 100 << 20
	x := New(Options{})
	// Live heap (after a collection) before, and at ten points along the
	// stream: what earlier tests left behind is not the stream's.
	var peak uint64
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	n := 0
	info, err := x.Stream(&repeatReader{text: unit, n: total}, StreamOptions{Workers: 2}, func(m Match) error {
		n++
		if n%450000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if info.Bytes != total {
		t.Errorf("read %d bytes, want %d", info.Bytes, total)
	}
	perUnit := bytes.Count(unit, []byte("\n")) * 6
	if n < perUnit*(total/len(unit))/2 {
		t.Errorf("only %d matches in %d bytes", n, total)
	}
	t.Logf("%d matches, live heap %.1f MiB before, peak %.1f MiB while streaming", n, float64(base)/(1<<20), float64(peak)/(1<<20))
	if peak > base+32<<20 {
		t.Errorf("live heap grew by %d MiB while streaming 100 MiB: memory is not flat", (peak-base)>>20)
	}
}

// TestPathologicalInputsFinish extracts 10 MB single lines built to make a
// careless scanner quadratic (one run of digits, of dotted labels, of
// separators, of Chinese numerals ...). The test asserts no timing: a
// quadratic scanner simply never finishes within the test timeout, while a
// linear one takes seconds. Throughput per size is in BenchmarkPathological.
func TestPathologicalInputsFinish(t *testing.T) {
	if testing.Short() {
		t.Skip("10 MB inputs")
	}
	x := New(Options{})
	for name, unit := range pathological {
		text := strings.Repeat(unit, (10<<20)/len(unit))
		ms := x.Extract(text).Matches
		checkInvariants(t, text, ms)
		n := 0
		if _, err := x.Stream(strings.NewReader(text), StreamOptions{}, func(Match) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d bytes, %d matches whole, %d streamed", name, len(text), len(ms), n)
	}
}
