// Package datasets finds and reads the public data sets Vigil is tested,
// trained and benchmarked on. They live outside the repository, in
// ../shared/data (or wherever VIGIL_DATA points), and are never copied in.
package datasets

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// ErrMissing reports that the data directory could not be found.
var ErrMissing = errors.New("shared data directory not found (set VIGIL_DATA or check out ../shared/data)")

// Dir returns the shared data directory: $VIGIL_DATA, or the first
// "shared/data" found beside the module root or any directory above the
// working directory.
func Dir() (string, error) {
	if d := os.Getenv("VIGIL_DATA"); d != "" {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d, nil
		}
		return "", fmt.Errorf("VIGIL_DATA=%s: %w", d, ErrMissing)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		for _, cand := range []string{filepath.Join(dir, "shared", "data"), filepath.Join(dir, "..", "shared", "data")} {
			if st, err := os.Stat(cand); err == nil && st.IsDir() {
				return filepath.Clean(cand), nil
			}
		}
		if filepath.Dir(dir) == dir {
			return "", ErrMissing
		}
	}
}

// Path returns the path of rel inside the shared data directory. When the
// directory is missing the test is skipped, except under CI=true, where the
// data is always present and its absence is a failure.
func Path(tb testing.TB, rel ...string) string {
	tb.Helper()
	dir, err := Dir()
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("datasets: %v", err)
		}
		tb.Skipf("datasets: %v", err)
	}
	p := filepath.Join(append([]string{dir}, rel...)...)
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("datasets: %v", err)
	}
	return p
}
