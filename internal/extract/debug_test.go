package extract

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestDebugCorpus(t *testing.T) {
	ids := os.Getenv("DEBUG_IDS")
	if ids == "" {
		t.Skip()
	}
	ls := loadLabels(t)
	texts := corpusTexts(t, ls)
	x := New(Options{})
	for i, l := range ls {
		id := l.Src + ":" + itoa(l.Key)
		if !strings.Contains(","+ids+",", ","+id+",") {
			continue
		}
		exp, _ := json.Marshal(l.Expect)
		var got []string
		for _, m := range x.Extract(texts[i]).Matches {
			got = append(got, string(m.Kind)+"="+m.Value+" ["+m.Raw+"]")
		}
		t.Logf("\n== %s\n%s\n-- expect %s\n-- got %q", id, texts[i], exp, got)
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }
