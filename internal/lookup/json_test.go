package lookup

import (
	"encoding/json"
	"testing"
	"time"
)

func TestAppendJSON(t *testing.T) {
	seen := time.Date(2026, 3, 1, 8, 30, 15, 123456789, time.UTC)
	cases := []Answer{
		{Query: "+86 138", Kind: "phone", Value: "+8613800138000", Sources: []string{}, ScamTypes: []string{}, Level: "none"},
		{Query: "q\"\\\n\r\t\x01\x1f</script>&\u2028\xff 微信", Kind: "trx", Value: "TBhCf", Known: true, Reports: 3, Reporters: 2,
			Sources: []string{"a", "b\"c"}, FirstSeen: &seen, LastSeen: &seen, ScamTypes: []string{"investment"}, NetworkID: "01N",
			Network: 12, Confidence: 0.875, Level: "high", Warning: "w", OverCommon: true,
			Other: []Answer{{Query: "x", Kind: "qq", Value: "1", Sources: []string{}, ScamTypes: []string{}, Confidence: 1e-7}}},
		{Query: "?", Error: "is not readable"},
	}
	for _, a := range cases {
		got := a.AppendJSON(nil)
		var want map[string]any
		var have map[string]any
		wb, _ := json.Marshal(a)
		if err := json.Unmarshal(wb, &want); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(got, &have); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, got)
		}
		gb, _ := json.Marshal(have)
		wb2, _ := json.Marshal(want)
		if string(gb) != string(wb2) {
			t.Errorf("AppendJSON:\n got %s\nwant %s", gb, wb2)
		}
	}
}

func FuzzAppendJSON(f *testing.F) {
	f.Add("+86 138 0013 8000", "v", 0.5)
	f.Add("\xff\u2028\"", "", 1e-9)
	f.Fuzz(func(t *testing.T, q, v string, c float64) {
		if c != c || c > 1e300 || c < -1e300 {
			return
		}
		a := Answer{Query: q, Value: v, Confidence: c, Sources: []string{v}, ScamTypes: []string{}}
		var have, want map[string]any
		if err := json.Unmarshal(a.AppendJSON(nil), &have); err != nil {
			t.Fatalf("not JSON for %q %q: %v", q, v, err)
		}
		wb, _ := json.Marshal(a)
		json.Unmarshal(wb, &want)
		gb, _ := json.Marshal(have)
		wb2, _ := json.Marshal(want)
		if string(gb) != string(wb2) {
			t.Fatalf("got %s want %s", gb, wb2)
		}
	})
}
