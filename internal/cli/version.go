package cli

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is set at build time with -ldflags "-X vigil/internal/cli.Version=v1.2.3";
// otherwise the VCS revision the binary was built from is shown.
var Version = "dev"

type versionInfo struct {
	Version  string `json:"version"`
	Revision string `json:"revision,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	Go       string `json:"go"`
}

func buildInfo() versionInfo {
	v := versionInfo{Version: Version, Go: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Revision = s.Value
			case "vcs.modified":
				v.Modified = s.Value == "true"
			}
		}
	}
	return v
}

func runVersion(e *env, args []string) int {
	fs := newFlagSet(e, "version", "version [--format text|json]", "Print Vigil's version, the source revision and the Go version it was built with.", args)
	format := fs.String("format", "text", "output format: text or json")
	if _, err := parseFlags(fs, args); err != nil {
		return flagErr(err)
	}
	v := buildInfo()
	switch *format {
	case "json":
		b, _ := json.Marshal(v)
		fmt.Fprintln(e.stdout, string(b))
	case "text":
		rev := v.Revision
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if v.Modified {
			rev += "+modified"
		}
		if rev == "" {
			rev = "unknown revision"
		}
		fmt.Fprintf(e.stdout, "vigil %s (%s, %s)\n", v.Version, rev, v.Go)
	default:
		fmt.Fprintf(e.stderr, "vigil version: unknown format %q (want text or json)\n", *format)
		return ExitError
	}
	return ExitOK
}
