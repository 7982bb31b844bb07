package report

import (
	"slices"
	"testing"

	"vigil/internal/extract"
)

// TestResolvePlaces: the places a narrative names become gazetteer ids,
// sorted and each once, and never indicators.
func TestResolvePlaces(t *testing.T) {
	x := extract.New(extract.Options{})
	r := &Report{Narrative: "他们把我从妙瓦底带到KK园区，后来又回到妙瓦底。Taken to KK Park in Myanmar."}
	if err := Resolve(x, r); err != nil {
		t.Fatal(err)
	}
	if want := []string{"mm-kk-park", "mm-myawaddy"}; !slices.Equal(r.Places, want) {
		t.Errorf("places %v, want %v", r.Places, want)
	}
	for _, l := range r.Indicators {
		if l.Kind == "place" {
			t.Errorf("a place became an indicator: %+v", l)
		}
	}
	none := &Report{Narrative: "call 13800138000"}
	if err := Resolve(x, none); err != nil || len(none.Places) != 0 {
		t.Errorf("no place named: %v %v", none.Places, err)
	}
}
