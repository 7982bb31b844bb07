package extract

import (
	"fmt"
	"path/filepath"
	"testing"

	"vigil/internal/datasets"
	"vigil/internal/indicator"
)

// TestMendeleyFlags scores extraction against the Mendeley SMS set's own
// per-message flags (URL, EMAIL, PHONE: yes/no), over all 5,971 messages: a
// weak but independent label. "Recall" is the share of messages flagged yes
// in which Vigil finds at least one indicator of that sort; "false alarms"
// the share flagged no in which it finds one.
func TestMendeleyFlags(t *testing.T) {
	dir := filepath.Dir(datasets.Path(t, "text"))
	ms, err := datasets.Messages(dir, "sms/mendeley")
	if err != nil {
		t.Fatal(err)
	}
	sorts := map[string]func(indicator.Kind) bool{
		"URL":   func(k indicator.Kind) bool { return k == indicator.URL || k == indicator.Domain },
		"EMAIL": func(k indicator.Kind) bool { return k == indicator.Email },
		"PHONE": func(k indicator.Kind) bool { return k == indicator.Phone },
	}
	type tally struct{ yes, yesFound, no, noFound int }
	per := map[string]*tally{"URL": {}, "EMAIL": {}, "PHONE": {}}
	x := New(Options{})
	for _, m := range ms {
		found := map[string]bool{}
		for _, mt := range x.Extract(m.Text).Matches {
			for flag, is := range sorts {
				if is(mt.Kind) {
					found[flag] = true
				}
			}
		}
		for flag, tl := range per {
			switch m.Flags[flag] {
			case "yes":
				tl.yes++
				if found[flag] {
					tl.yesFound++
				}
			case "no":
				tl.no++
				if found[flag] {
					tl.noFound++
				}
			}
		}
	}
	floors := map[string]struct{ recall, falseAlarm float64 }{
		"URL": {0.90, 0.02}, "EMAIL": {0.85, 0.01}, "PHONE": {0.80, 0.03},
	}
	report := "| flag | messages flagged yes | found in | recall | flagged no | found in | false alarms |\n|---|---|---|---|---|---|---|\n"
	for _, flag := range []string{"URL", "EMAIL", "PHONE"} {
		tl := per[flag]
		recall := float64(tl.yesFound) / float64(tl.yes)
		fa := float64(tl.noFound) / float64(tl.no)
		report += fmt.Sprintf("| %s | %d | %d | %.3f | %d | %d | %.3f |\n", flag, tl.yes, tl.yesFound, recall, tl.no, tl.noFound, fa)
		if recall < floors[flag].recall || fa > floors[flag].falseAlarm {
			t.Errorf("%s: recall %.3f, false alarms %.3f; floors %.2f / %.2f", flag, recall, fa, floors[flag].recall, floors[flag].falseAlarm)
		}
	}
	t.Logf("Mendeley flags, %d messages:\n%s", len(ms), report)
}
