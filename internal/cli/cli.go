// Package cli is Vigil's command line: one function, Run, that parses the
// arguments, runs a sub-command and returns the process exit code. main
// only wires it to the process; tests call it with buffers.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Exit codes shared by the sub-commands.
const (
	ExitOK    = 0 // success; for scan: indicators were found
	ExitNone  = 1 // scan: no indicator found
	ExitError = 2 // bad usage, unreadable input or another error
)

// env is what a sub-command runs with.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// isTerminal reports whether stderr is a terminal (for progress bars).
	isTerminal bool
}

type command struct {
	summary string
	run     func(e *env, args []string) int
}

var commands = map[string]command{
	"audit":   {"verify the audit log's hash chain, or list its events", runAudit},
	"case":    {"list, show, export trafficking cases and their leads; set a case's status", runCase},
	"check":   {"has this number, link, wallet or account been reported?", runCheck},
	"import":  {"import reports (JSONL, CSV) and indicator lists (CryptoScamDB, MISP warninglists, ...)", runImport},
	"key":     {"issue, list and revoke API keys; rotate the data key", runKey},
	"migrate": {"apply the store's database migrations", runMigrate},
	"org":     {"add and list organisations, set their partners", runOrg},
	"report":  {"show, verify, reject or delete a stored report", runReport},
	"screen":  {"is this message or job offer a scam? risk, type and the signals that fired", runScreen},
	"scan":    {"find indicators (phones, links, wallets, handles, places) in text", runScan},
	"serve":   {"run the HTTP service (web page, API, health, metrics)", runServe},
	"user":    {"add, list, disable, enable accounts; reset a password", runUser},
	"version": {"print the version", runVersion},
}

// Run runs vigil with args (without the program name) and returns the exit
// code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, isTerminal: isTerminal(stderr)}
	if len(args) == 0 {
		usage(stderr)
		return ExitError
	}
	switch args[0] {
	case "-h", "--help", "help":
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				return c.run(e, []string{"--help"})
			}
		}
		usage(stdout)
		return ExitOK
	case "--version", "-version":
		return runVersion(e, args[1:])
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "vigil: unknown command %q\n\n", args[0])
		usage(stderr)
		return ExitError
	}
	return c.run(e, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Vigil: intelligence against scam compounds and the trafficking behind them.")
	fmt.Fprintln(w, "\nUsage: vigil <command> [flags] [arguments]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun \"vigil <command> --help\" for a command's flags.")
}

// helpWanted reports whether args ask for help, which goes to standard
// output (errors in flags go to standard error).
func helpWanted(args []string) bool {
	for _, a := range args {
		switch a {
		case "-h", "-help", "--help":
			return true
		case "--":
			return false
		}
	}
	return false
}

// parseFlags parses flags anywhere among the arguments ("vigil scan a.txt
// --format json" works as well as "vigil scan --format json a.txt") and
// returns the positional arguments. A lone "--" ends the flags.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// newFlagSet makes a flag set that reports errors instead of exiting.
// Help asked for goes to standard output, flag errors to standard error.
func newFlagSet(e *env, name, synopsis, help string, args []string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	if helpWanted(args) {
		fs.SetOutput(e.stdout)
	}
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "Usage: vigil %s\n\n%s\n\nFlags:\n", synopsis, strings.TrimSpace(help))
		fs.PrintDefaults()
	}
	return fs
}

// flagErr turns a flag parsing error into an exit code: --help is success.
func flagErr(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	return ExitError
}

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// writeJSONOut writes v as indented JSON to standard output.
func writeJSONOut(e *env, cmd string, v any) int {
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(e.stderr, "vigil %s: %v\n", cmd, err)
		return ExitError
	}
	return ExitOK
}
