package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/schollz/progressbar/v3"

	"vigil/internal/extract"
	"vigil/internal/indicator"
	"vigil/internal/warninglist"
)

const scanHelp = `
Find every indicator in text: phone numbers, email addresses, links and
domains, IP addresses, crypto wallets, IBANs, card and bank account numbers,
WeChat/QQ/Telegram/WhatsApp/LINE/Zalo accounts, and places (scam hubs,
compounds, border crossings). Each is printed in canonical form with the
text as written, its byte offsets, a confidence and, where the words around
it say so, a hint: contact, payment, recruiter or ransom.

Input is the files named, or standard input. Text may be UTF-8, UTF-16 (with
or without a byte-order mark) or GB18030/GBK; it is converted to UTF-8 and
offsets count bytes of that UTF-8 text. With --input jsonl each line is a
JSON object {"id": ..., "text": "..."} and every output record carries its id.

Output fields (json, jsonl, csv), stable: id, kind, value, raw, start, end,
confidence, hint; and when they apply: known_good, region, network, note,
warning, tags. Card numbers are never printed in full: value and raw are
masked to the first six and last four digits.

Exit status: 0 indicators were found, 1 none were found, 2 an error
(bad flags, unreadable input, a bad JSONL line; the rest is still scanned).

Examples:
  vigil scan message.txt
  echo '加微信 abc_123456 转账到 TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp' | vigil scan --format json
  vigil scan --input jsonl --format jsonl --region TH < messages.jsonl
`

type scanFlags struct {
	format, region, input string
	kinds                 string
	minConfidence         float64
	lists                 stringList
	progress              string
}

func runScan(e *env, args []string) int {
	var f scanFlags
	fs := newFlagSet(e, "scan", "scan [flags] [FILE ...]", scanHelp, args)
	fs.StringVar(&f.format, "format", "table", "output format: table, json, jsonl or csv")
	fs.StringVar(&f.region, "region", "", "region for national phone numbers, e.g. CN, TH, GB (default: guess from the text)")
	fs.StringVar(&f.input, "input", "text", "input format: text, or jsonl ({\"id\":...,\"text\":...} per line)")
	fs.StringVar(&f.kinds, "kinds", "", "only these kinds, comma-separated (e.g. phone,trx,wechat)")
	fs.Float64Var(&f.minConfidence, "min-confidence", 0, "drop matches below this confidence (0..1)")
	fs.Var(&f.lists, "warninglists", "MISP warninglists directory or eth-phishing-detect config.json marking known-good values (repeatable; default $VIGIL_WARNINGLISTS, colon-separated)")
	fs.StringVar(&f.progress, "progress", "auto", "progress bar on standard error: auto (on a terminal), always or never")
	files, err := parseFlags(fs, args)
	if err != nil {
		return flagErr(err)
	}
	x, err := f.extractor()
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil scan: %v\n", err)
		return ExitError
	}
	out, err := newMatchWriter(f.format, e.stdout)
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil scan: %v\n", err)
		return ExitError
	}
	if f.input != "text" && f.input != "jsonl" {
		fmt.Fprintf(e.stderr, "vigil scan: unknown --input %q (want text or jsonl)\n", f.input)
		return ExitError
	}
	if f.progress != "auto" && f.progress != "always" && f.progress != "never" {
		fmt.Fprintf(e.stderr, "vigil scan: unknown --progress %q (want auto, always or never)\n", f.progress)
		return ExitError
	}
	if len(files) == 0 {
		files = []string{"-"}
	}
	s := &scanRun{e: e, f: f, x: x, out: out}
	for _, name := range files {
		if err := e.ctx.Err(); err != nil {
			break
		}
		if err := s.file(name); err != nil {
			fmt.Fprintf(e.stderr, "vigil scan: %v\n", err)
			s.failed = true
		}
	}
	if err := out.Close(); err != nil {
		fmt.Fprintf(e.stderr, "vigil scan: %v\n", err)
		return ExitError
	}
	if s.guessed > 0 && f.region == "" {
		fmt.Fprintf(e.stderr, "vigil scan: note: no --region given: %d national phone number(s) were read as %s; give --region to be sure\n",
			s.guessed, strings.Join(s.guessNotes, ", "))
	}
	if e.ctx.Err() != nil {
		fmt.Fprintln(e.stderr, "vigil scan: interrupted")
		return ExitError
	}
	switch {
	case s.failed:
		return ExitError
	case s.found == 0:
		return ExitNone
	}
	return ExitOK
}

func (f *scanFlags) extractor() (*extract.Extractor, error) {
	opts, err := f.extractOptions()
	if err != nil {
		return nil, err
	}
	return extract.New(opts), nil
}

// extractOptions turns the flags into extractor options, loading any
// warninglists.
func (f *scanFlags) extractOptions() (extract.Options, error) {
	opts := extract.Options{Region: strings.ToUpper(f.region)}
	if f.region != "" && !indicator.RegionKnown(opts.Region) {
		return opts, fmt.Errorf("unknown --region %q (want an ISO 3166 code such as CN or TH)", f.region)
	}
	if f.kinds != "" {
		for _, k := range strings.Split(f.kinds, ",") {
			if strings.TrimSpace(k) == "" {
				continue
			}
			kind, err := indicator.ParseKind(k)
			if err != nil {
				return opts, err
			}
			opts.Kinds = append(opts.Kinds, kind)
		}
	}
	if f.minConfidence < 0 || f.minConfidence > 1 {
		return opts, fmt.Errorf("--min-confidence %v is outside 0..1", f.minConfidence)
	}
	lists := []string(f.lists)
	if len(lists) == 0 && os.Getenv("VIGIL_WARNINGLISTS") != "" {
		lists = strings.Split(os.Getenv("VIGIL_WARNINGLISTS"), ":")
	}
	if len(lists) > 0 {
		var set warninglist.Set
		for _, p := range lists {
			if err := set.Load(p); err != nil {
				return opts, err
			}
		}
		opts.KnownGood = &set
	}
	if k := os.Getenv("VIGIL_CARD_KEY"); k != "" {
		opts.CardKey = []byte(k)
	}
	return opts, nil
}

// scanRun is one "vigil scan" invocation in progress.
type scanRun struct {
	e          *env
	f          scanFlags
	x          *extract.Extractor
	out        matchWriter
	found      int
	guessed    int
	guessNotes []string
	reason     string // how the current input's region was guessed
	failed     bool
}

func (s *scanRun) file(name string) error {
	var (
		r    io.Reader
		size int64 = -1
	)
	if name == "-" {
		r = s.e.stdin
	} else {
		fh, err := os.Open(name)
		if err != nil {
			return err
		}
		defer fh.Close()
		if st, err := fh.Stat(); err == nil {
			if st.IsDir() {
				return fmt.Errorf("%s is a directory", name)
			}
			size = st.Size()
		}
		r = fh
	}
	if bar := s.progressBar(name, size); bar != nil {
		r = io.TeeReader(r, bar)
		defer func() {
			bar.Finish()
			fmt.Fprintln(s.e.stderr)
		}()
	}
	text, _, err := extract.Decode(r)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if s.f.input == "jsonl" {
		return s.jsonl(name, text)
	}
	id, _ := json.Marshal(name)
	s.reason = "guessed from the text"
	_, err = s.x.Stream(text, extract.StreamOptions{}, func(m extract.Match) error {
		return s.emit(id, m)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// noteGuess records how a national number's region was chosen, for the
// note printed at the end.
func (s *scanRun) noteGuess(m extract.Match, reason string) {
	n := m.Region + " (" + reason + ")"
	if strings.HasPrefix(m.Note, "national number read as") {
		n = m.Region + " (a default: the text gave no clue)"
	}
	for _, g := range s.guessNotes {
		if g == n {
			return
		}
	}
	if len(s.guessNotes) < 5 {
		s.guessNotes = append(s.guessNotes, n)
	}
}

func (s *scanRun) emit(id json.RawMessage, m extract.Match) error {
	if m.Confidence < s.f.minConfidence {
		return nil
	}
	if hasTag(m, extract.TagRegionGuessed) {
		s.noteGuess(m, s.reason)
	}
	if hasTag(m, extract.TagRegionGuessed) {
		s.guessed++
	}
	s.found++
	return s.out.Write(record{ID: id, Match: m})
}

// jsonlJob is one line of JSONL input; its result, the record's matches or
// the reason the line is bad.
type jsonlJob struct {
	seq, line int
	b         []byte
	id        json.RawMessage
	res       extract.Result
	err       error
}

// jsonl scans one {"id": ..., "text": ...} object per line. Lines are
// decoded and extracted by GOMAXPROCS workers; records are written in input
// order.
func (s *scanRun) jsonl(name string, r io.Reader) error {
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan *jsonlJob, 4*workers)
	results := make(chan *jsonlJob, 4*workers)
	done := make(chan struct{})
	var readErr error
	go func() {
		defer close(jobs)
		br := bufio.NewReaderSize(r, 1<<20)
		line, seq := 0, 0
		for {
			b, err := readLine(br, 256<<20)
			if len(b) > 0 || err == nil {
				line++
				j := &jsonlJob{seq: seq, line: line, b: b}
				if err != nil && !errors.Is(err, io.EOF) {
					j.err = err
				}
				seq++
				select {
				case jobs <- j:
				case <-done:
					return
				}
			}
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil && !errors.Is(err, errLongLine) {
				readErr = fmt.Errorf("%s:%d: %w", name, line+1, err)
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if j.err == nil && len(bytes.TrimSpace(j.b)) > 0 {
					j.id, j.res, j.err = s.jsonlRecord(j.b)
				}
				select {
				case results <- j:
				case <-done:
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	pending := map[int]*jsonlJob{}
	next, bad := 0, 0
	var outErr error
	for j := range results {
		if outErr != nil {
			continue
		}
		pending[j.seq] = j
		for j := pending[next]; j != nil; j = pending[next] {
			delete(pending, next)
			next++
			if j.err != nil {
				bad++
				fmt.Fprintf(s.e.stderr, "vigil scan: %s:%d: %v\n", name, j.line, j.err)
				continue
			}
			s.reason = j.res.GuessReason
			for _, m := range j.res.Matches {
				if err := s.emit(j.id, m); err != nil {
					outErr = err
					break
				}
			}
			if outErr == nil && s.e.ctx.Err() != nil {
				outErr = s.e.ctx.Err()
			}
			if outErr != nil {
				close(done)
				break
			}
		}
	}
	switch {
	case outErr != nil:
		return outErr
	case readErr != nil:
		return readErr
	case bad > 0:
		return fmt.Errorf("%s: %d bad line(s) skipped", name, bad)
	}
	return nil
}

// jsonlRecord decodes one JSONL record and extracts its text.
func (s *scanRun) jsonlRecord(b []byte) (json.RawMessage, extract.Result, error) {
	var rec struct {
		ID   json.RawMessage `json:"id"`
		Text *string         `json:"text"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&rec); err != nil {
		return nil, extract.Result{}, fmt.Errorf("not a JSON object: %v", err)
	}
	if rec.Text == nil {
		return nil, extract.Result{}, errors.New(`no "text" field`)
	}
	if len(rec.ID) == 0 || string(rec.ID) == "null" {
		return nil, extract.Result{}, errors.New(`no "id" field: every record needs an id to tie its indicators to`)
	}
	if rec.ID[0] != '"' && (rec.ID[0] < '0' || rec.ID[0] > '9') && rec.ID[0] != '-' {
		return nil, extract.Result{}, errors.New(`"id" must be a string or a number`)
	}
	return rec.ID, s.x.Extract(*rec.Text), nil
}

func hasTag(m extract.Match, tag string) bool {
	for _, t := range m.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// errLongLine reports a JSONL line over the limit; the next lines are still
// read.
var errLongLine = errors.New("line too long")

// readLine reads one line of at most max bytes; a longer line is an error.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > max {
			// Skip the rest of the line so the next one can still be read.
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
			return []byte{' '}, fmt.Errorf("%w: over %d bytes", errLongLine, max)
		}
		line = append(line, chunk...) // a copy: the reader's buffer is reused
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(line, "\r\n"), err
	}
}

func (s *scanRun) progressBar(name string, size int64) *progressbar.ProgressBar {
	switch {
	case s.f.progress == "never", s.f.progress == "auto" && !s.e.isTerminal, name == "-" && size < 0 && s.f.progress == "auto":
		return nil
	}
	desc := name
	if name == "-" {
		desc = "stdin"
	}
	return progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(s.e.stderr),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowBytes(true),
		progressbar.OptionThrottle(200e6),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(),
	)
}

// record is one output line: a match and the ID of the input it came from.
type record struct {
	ID json.RawMessage `json:"id,omitempty"`
	extract.Match
}

func (r record) idText() string {
	var s string
	if json.Unmarshal(r.ID, &s) == nil {
		return s
	}
	return string(r.ID)
}

func formatConfidence(c float64) string { return strconv.FormatFloat(c, 'f', 2, 64) }
