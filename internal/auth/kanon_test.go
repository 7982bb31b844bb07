package auth

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSuppress(t *testing.T) {
	tests := []struct {
		name           string
		in             []Bucket
		k              int
		want           []Bucket
		wantSuppressed int
	}{
		{"none", nil, 11, nil, 0},
		{"all shown", []Bucket{{"TH", 40, 30}, {"MM", 11, 11}}, 11, []Bucket{{"TH", 40, 30}, {"MM", 11, 11}}, 0},
		{"one hidden, other too small", []Bucket{{"TH", 40, 30}, {"LA", 3, 2}}, 11,
			[]Bucket{{"TH", 40, 30}}, 1},
		{"small ones merged into other", []Bucket{{"TH", 40, 30}, {"LA", 8, 6}, {"KH", 9, 7}}, 11,
			[]Bucket{{"TH", 40, 30}, {"other", 17, 13}}, 2},
		{"order kept, other last", []Bucket{{"LA", 8, 6}, {"TH", 40, 30}, {"KH", 9, 7}, {"MM", 12, 12}}, 11,
			[]Bucket{{"TH", 40, 30}, {"MM", 12, 12}, {"other", 17, 13}}, 2},
		{"all small, other shown", []Bucket{{"a", 5, 5}, {"b", 6, 6}}, 11, []Bucket{{"other", 11, 11}}, 2},
		{"all small, all hidden", []Bucket{{"a", 5, 5}, {"b", 5, 5}}, 11, nil, 2},
		{"people decide, not count", []Bucket{{"a", 500, 10}, {"b", 1, 11}}, 11, []Bucket{{"b", 1, 11}}, 1},
		{"input other joins the merged one", []Bucket{{"TH", 40, 30}, {"other", 5, 9}, {"LA", 3, 2}}, 11,
			[]Bucket{{"TH", 40, 30}, {"other", 8, 11}}, 1},
		{"big input other is kept", []Bucket{{"other", 50, 40}}, 11, []Bucket{{"other", 50, 40}}, 0},
		{"small input other is hidden", []Bucket{{"TH", 40, 30}, {"other", 5, 5}}, 11, []Bucket{{"TH", 40, 30}}, 1},
		{"k of 1 shows all with people", []Bucket{{"a", 1, 1}, {"b", 0, 0}}, 1, []Bucket{{"a", 1, 1}}, 1},
	}
	for _, tt := range tests {
		got, n := Suppress(tt.in, tt.k)
		if d := cmp.Diff(tt.want, got); d != "" || n != tt.wantSuppressed {
			t.Errorf("%s: Suppress suppressed %d, want %d; buckets (-want +got):\n%s", tt.name, n, tt.wantSuppressed, d)
		}
	}
}

// TestSuppressHidesByConstruction checks on random statistics that what is
// published (the shown buckets, their total, the number suppressed) is the
// same whatever the hidden buckets hold, as long as the merged "other" is
// unchanged: so nothing about a hidden bucket can be derived from it, by
// subtraction or otherwise.
func TestSuppressHidesByConstruction(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 2000 {
		var in []Bucket
		for i := range 1 + r.IntN(8) {
			people := r.IntN(2 * DefaultK)
			in = append(in, Bucket{Key: string(rune('a' + i)), Count: people + r.IntN(50), People: people})
		}
		shown, n := Suppress(in, DefaultK)
		total := 0
		keys := map[string]bool{}
		for _, b := range shown {
			total += b.Count
			keys[b.Key] = true
			if b.People < DefaultK {
				t.Fatalf("trial %d: shown bucket %+v describes fewer than %d people", trial, b, DefaultK)
			}
		}
		var hidden []int
		for i, b := range in {
			if !keys[b.Key] {
				hidden = append(hidden, i)
			}
		}
		if n != len(hidden) {
			t.Fatalf("trial %d: suppressed %d, but %d keys are not shown", trial, n, len(hidden))
		}
		// Move counts among the hidden buckets, or change them freely
		// when "other" is not shown.
		otherShown := keys[OtherKey]
		varied := append([]Bucket(nil), in...)
		switch {
		case len(hidden) >= 2 && otherShown:
			a, b := &varied[hidden[0]], &varied[hidden[1]]
			move := min(a.Count, 3)
			a.Count -= move
			b.Count += move
		case len(hidden) >= 1 && !otherShown:
			for _, i := range hidden {
				varied[i].Count = r.IntN(1000)
				varied[i].People = r.IntN(DefaultK) / len(hidden)
			}
		}
		shown2, n2 := Suppress(varied, DefaultK)
		total2 := 0
		for _, b := range shown2 {
			total2 += b.Count
		}
		if d := cmp.Diff(shown, shown2); d != "" || n != n2 || total != total2 {
			t.Fatalf("trial %d: what is published depends on hidden buckets:\n%v\n%v\n(-before +after):\n%s", trial, in, varied, d)
		}
	}
}

func TestBucketJSON(t *testing.T) {
	b, err := json.Marshal(Bucket{Key: "TH", Count: 40, People: 30})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"key":"TH","count":40}`; got != want {
		t.Errorf("json = %s, want %s (people is never published)", got, want)
	}
}
