package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"vigil/internal/datasets"
	"vigil/internal/extract"
	"vigil/internal/lookup"
	"vigil/internal/screen"
	"vigil/internal/screen/model"
	"vigil/internal/store/sqlstore"
)

const screenHelp = `
Is this message or job offer a scam? Reads a text (the file named, or
standard input) and answers a risk in [0, 1], a verdict (scam, suspicious,
no_sign), the likeliest scam type, and the signals that fired, each with
the text it came from, its weight and an explanation in English and
Chinese. A trained model (embedded; zh, en, id, th, vi) and explicit
signals are combined; in a language the model was not trained on only
language-independent signals count, and the answer says so.

With --db, the text's indicators are looked up in that store: a value
reported to Vigil raises the risk and says why.

With --input jsonl each line is {"id": ..., "text": "...", "kind": ...}
and each output line {"id", "risk", "verdict", "type", "signals", ...}.

  vigil screen train --out FILE   train a model on ../shared/data/text
  vigil screen eval               per-source and per-language quality of
                                  the shipped model on the held-out split

Exit status: 0 no sign of a scam, 1 scam or suspicious (for jsonl: any
line), 2 an error.
`

func runScreen(e *env, args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "train":
			return runScreenTrain(e, args[1:])
		case "eval":
			return runScreenEval(e, args[1:])
		}
	}
	fs := newFlagSet(e, "screen", "screen [flags] [FILE]", screenHelp, args)
	format := fs.String("format", "table", "output format: table or json (jsonl with --input jsonl)")
	input := fs.String("input", "text", "input: text, or jsonl ({\"id\",\"text\",\"kind\"} per line)")
	kind := fs.String("kind", "", "what the text is: message, chat, email or job (default message)")
	lang := fs.String("lang", "", "the text's language: zh, en, id, th, vi (default: detect)")
	dsn := fs.String("db", "", "look the text's indicators up in this store (SQLite file or postgres://)")
	files, err := parseFlags(fs, args)
	if err != nil {
		return flagErr(err)
	}
	s := &screen.Screener{X: extract.New(extract.Options{})}
	if *dsn != "" {
		db, err := openStore(e, *dsn, sqlstore.Options{})
		if err != nil {
			fmt.Fprintf(e.stderr, "vigil screen: %v\n", err)
			return ExitError
		}
		defer db.Close()
		s.Known = &lookup.Service{X: s.X, Store: db}
	}
	var in io.Reader = e.stdin
	if len(files) > 1 {
		fmt.Fprintln(e.stderr, "vigil screen: one file at a time (or --input jsonl for many texts)")
		return ExitError
	}
	if len(files) == 1 {
		f, err := os.Open(files[0])
		if err != nil {
			fmt.Fprintf(e.stderr, "vigil screen: %v\n", err)
			return ExitError
		}
		defer f.Close()
		in = f
	}
	if *input == "jsonl" {
		return screenJSONL(e, s, in, *kind, *lang)
	}
	if *input != "text" {
		fmt.Fprintf(e.stderr, "vigil screen: unknown input %q: want text or jsonl\n", *input)
		return ExitError
	}
	b, err := io.ReadAll(io.LimitReader(in, screen.MaxText+1))
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil screen: %v\n", err)
		return ExitError
	}
	text, err := decodeText(b)
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil screen: %v\n", err)
		return ExitError
	}
	a, err := s.Screen(e.ctx, text, screen.Options{Kind: *kind, Lang: *lang})
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil screen: %v\n", err)
		return ExitError
	}
	switch *format {
	case "json":
		if c := writeJSONOut(e, "screen", a); c != ExitOK {
			return c
		}
	case "table":
		writeScreen(e.stdout, a)
	default:
		fmt.Fprintf(e.stderr, "vigil screen: unknown format %q: want table or json\n", *format)
		return ExitError
	}
	if a.Verdict == screen.VerdictNoSign {
		return ExitOK
	}
	return ExitNone
}

// decodeText reads UTF-8, UTF-16 or GB18030 as vigil scan does.
func decodeText(b []byte) (string, error) {
	if len(b) > screen.MaxText {
		return "", fmt.Errorf("the text is longer than %d bytes", screen.MaxText)
	}
	text, _ := extract.DecodeBytes(b)
	return text, nil
}

type screenLine struct {
	ID   json.RawMessage `json:"id"`
	Text *string         `json:"text"`
	Kind string          `json:"kind"`
	Lang string          `json:"lang"`
}

type screenOut struct {
	ID json.RawMessage `json:"id"`
	screen.Answer
}

func screenJSONL(e *env, s *screen.Screener, in io.Reader, kind, lang string) int {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), screen.MaxText+1024)
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	code := ExitOK
	line := 0
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		var l screenLine
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil || l.Text == nil {
			if err == nil {
				err = fmt.Errorf("no \"text\"")
			}
			fmt.Fprintf(e.stderr, "vigil screen: line %d: %v\n", line, err)
			code = ExitError
			continue
		}
		o := screen.Options{Kind: kind, Lang: lang}
		if l.Kind != "" {
			o.Kind = l.Kind
		}
		if l.Lang != "" {
			o.Lang = l.Lang
		}
		a, err := s.Screen(e.ctx, *l.Text, o)
		if err != nil {
			fmt.Fprintf(e.stderr, "vigil screen: line %d: %v\n", line, err)
			code = ExitError
			continue
		}
		if a.Verdict != screen.VerdictNoSign && code == ExitOK {
			code = ExitNone
		}
		if l.ID == nil {
			l.ID = json.RawMessage("null")
		}
		if err := enc.Encode(screenOut{ID: l.ID, Answer: a}); err != nil {
			fmt.Fprintf(e.stderr, "vigil screen: %v\n", err)
			return ExitError
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(e.stderr, "vigil screen: line %d: %v\n", line+1, err)
		return ExitError
	}
	return code
}

func writeScreen(w io.Writer, a screen.Answer) {
	fmt.Fprintf(w, "verdict: %s   risk: %.2f", a.Verdict, a.Risk)
	if a.Type != "" {
		fmt.Fprintf(w, "   type: %s", a.Type)
	}
	fmt.Fprintf(w, "   language: %s", orDash(a.Lang))
	if a.ModelRisk != nil {
		fmt.Fprintf(w, " (model %.2f, signals %.2f)", *a.ModelRisk, a.RulesRisk)
	}
	fmt.Fprintln(w)
	if a.Note != "" {
		fmt.Fprintf(w, "note: %s\n", a.Note)
	}
	if len(a.Signals) > 0 {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "SIGNAL\tWEIGHT\tOFFSETS\tTEXT\tWHY")
		for _, s := range a.Signals {
			fmt.Fprintf(tw, "%s\t%.2f\t%d-%d\t%s\t%s\n", s.ID, s.Weight, s.Start, s.End, strings.ReplaceAll(s.Text, "\n", " "), s.Explain["en"])
		}
		tw.Flush()
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

const screenTrainHelp = `
Train the screening model on the labelled texts in ../shared/data/text
(or $VIGIL_DATA/text), on the training split only, and write it to --out.
The shipped model (internal/screen/model/shipped.bin) is made this way;
docs/model-card.md says from which data and with which licences.
`

func runScreenTrain(e *env, args []string) int {
	fs := newFlagSet(e, "screen train", "screen train --out FILE", screenTrainHelp, args)
	out := fs.String("out", "", "where to write the model (required)")
	if _, err := parseFlags(fs, args); err != nil {
		return flagErr(err)
	}
	if *out == "" {
		fmt.Fprintln(e.stderr, "vigil screen train: --out is required")
		return ExitError
	}
	dir, err := datasets.Dir()
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil screen train: %v\n", err)
		return ExitError
	}
	ex, err := model.Corpus(dir)
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil screen train: %v\n", err)
		return ExitError
	}
	m := model.Train(ex, model.DefaultOptions())
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil screen train: %v\n", err)
		return ExitError
	}
	if err := m.Save(f); err != nil {
		f.Close()
		fmt.Fprintf(e.stderr, "vigil screen train: %v\n", err)
		return ExitError
	}
	if err := f.Close(); err != nil {
		fmt.Fprintf(e.stderr, "vigil screen train: %v\n", err)
		return ExitError
	}
	_, dev := model.Split(ex)
	r := model.Evaluate(m, dev)
	fmt.Fprintf(e.stdout, "trained on %d texts; held-out: F1 %.3f, AUC %.3f; written to %s\n", len(ex)-len(dev), r.Overall.F1, r.Overall.AUC, *out)
	return ExitOK
}

const screenEvalHelp = `
Evaluate the shipped model (or --model FILE) on the held-out development
split of the labelled texts: precision, recall, F1 and ROC-AUC of the scam
verdict per source and per language, per scam type, and the type
confusion matrix, as Markdown (or --format json). With --cross, also train
on some sources and test on others. --min-f1 and --min-auc make it fail
(exit 1) below a floor: CI runs it so.
`

func runScreenEval(e *env, args []string) int {
	fs := newFlagSet(e, "screen eval", "screen eval [flags]", screenEvalHelp, args)
	file := fs.String("model", "", "a model file (default: the shipped model)")
	format := fs.String("format", "markdown", "output format: markdown or json")
	cross := fs.Bool("cross", false, "also run the cross-source experiments (trains several models; slower)")
	minF1 := fs.Float64("min-f1", 0, "fail if the overall F1 is below this")
	minAUC := fs.Float64("min-auc", 0, "fail if the overall ROC-AUC is below this")
	if _, err := parseFlags(fs, args); err != nil {
		return flagErr(err)
	}
	m := model.Shipped()
	if *file != "" {
		f, err := os.Open(*file)
		if err != nil {
			fmt.Fprintf(e.stderr, "vigil screen eval: %v\n", err)
			return ExitError
		}
		m, err = model.Load(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(e.stderr, "vigil screen eval: %v\n", err)
			return ExitError
		}
	}
	dir, err := datasets.Dir()
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil screen eval: %v\n", err)
		return ExitError
	}
	ex, err := model.Corpus(dir)
	if err != nil {
		fmt.Fprintf(e.stderr, "vigil screen eval: %v\n", err)
		return ExitError
	}
	_, dev := model.Split(ex)
	r := model.Evaluate(m, dev)
	if *cross {
		r.Cross = model.CrossSource(ex, model.DefaultOptions())
	}
	if *format == "json" {
		if c := writeJSONOut(e, "screen eval", r); c != ExitOK {
			return c
		}
	} else {
		fmt.Fprint(e.stdout, r.Markdown())
	}
	if r.Overall.F1 < *minF1 || r.Overall.AUC < *minAUC {
		fmt.Fprintf(e.stderr, "vigil screen eval: below the floor: F1 %.3f (min %.3f), AUC %.3f (min %.3f)\n", r.Overall.F1, *minF1, r.Overall.AUC, *minAUC)
		return ExitNone
	}
	return ExitOK
}
