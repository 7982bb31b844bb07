package storetest

import (
	"errors"
	"slices"
	"testing"

	"vigil/internal/report"
	"vigil/internal/store"
)

// testVisibility: every read (fetch, search, lookup, network, path) holds
// only what a viewer may see, and the SQL filter agrees with
// store.Viewer.Sees for every label and viewer.
func testVisibility(t *testing.T, open Opener) {
	s := open(t, 100)
	labelled := func(reporter, tlp, org, author string, links ...string) string {
		r := rep(reporter, "investment", links...)
		r.TLP, r.Org, r.Author, r.Narrative = tlp, org, author, "secret of "+reporter
		return add(t, s, r)
	}
	// x and y are public; they are linked only through an AMBER report
	// of org A.
	x := labelled("rx", report.TLPClear, "", "", "wechat:left_link01")
	bridge := labelled("rb", report.TLPAmber, "orgA", "userA", "wechat:left_link01", "wechat:right_link01", "trx:TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL")
	y := labelled("ry", report.TLPClear, "", "", "wechat:right_link01")
	green := labelled("rg", report.TLPGreen, "orgB", "userB", "wechat:green_only01")
	strict := labelled("rs", report.TLPAmberStrict, "orgA", "userA", "wechat:strict_only01")
	red := labelled("rr", report.TLPRed, "", "userR", "wechat:red_only01")
	ids := map[string]string{x: "x", bridge: "bridge", y: "y", green: "green", strict: "strict", red: "red"}
	tlps := map[string][3]string{bridge: {report.TLPAmber, "orgA", "userA"}, green: {report.TLPGreen, "orgB", "userB"},
		strict: {report.TLPAmberStrict, "orgA", "userA"}, red: {report.TLPRed, "", "userR"}, x: {report.TLPClear}, y: {report.TLPClear}}
	viewers := map[string]store.Viewer{
		"public":  {},
		"userA":   {User: "userA", Org: "orgA", Member: true, AmberOrgs: []string{"orgA"}},
		"partner": {User: "userP", Org: "orgP", Member: true, AmberOrgs: []string{"orgP", "orgA"}},
		"userB":   {User: "userB", Org: "orgB", Member: true, AmberOrgs: []string{"orgB"}},
		"userR":   {User: "userR"},
	}
	for name, v := range viewers {
		var seen []string
		for id, l := range tlps {
			_, err := s.Report(ctx, v, id)
			got := err == nil
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				t.Fatal(err)
			}
			if want := v.Sees(l[0], l[1], l[2]); got != want {
				t.Errorf("%s fetching %s: seen %t, Viewer.Sees says %t", name, ids[id], got, want)
			}
			if got {
				seen = append(seen, ids[id])
			}
		}
		page, _, err := s.SearchReports(ctx, v, store.Query{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var listed []string
		for _, r := range page {
			listed = append(listed, ids[r.ID])
		}
		slices.Sort(seen)
		slices.Sort(listed)
		if !slices.Equal(seen, listed) {
			t.Errorf("%s: search lists %v, fetch sees %v", name, listed, seen)
		}
		// The hidden wallet counts only for those who see the bridge.
		is, err := s.Lookup(ctx, v, []store.Key{{Kind: "trx", Value: "TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL"}, {Kind: "wechat", Value: "left_link01"}})
		if err != nil {
			t.Fatal(err)
		}
		seesBridge := v.Sees(report.TLPAmber, "orgA", "userA")
		if want := map[bool]int{true: 1, false: 0}[seesBridge]; is[0].Reports != want || is[0].Known != seesBridge {
			t.Errorf("%s: lookup of the bridge's wallet: %+v", name, is[0])
		}
		wantLeft, wantNet := 1, 1
		if seesBridge {
			wantLeft, wantNet = 2, 3
		}
		if is[1].Reports != wantLeft || is[1].Network != wantNet {
			t.Errorf("%s: lookup of left_link01: reports %d network %d, want %d and %d", name, is[1].Reports, is[1].Network, wantLeft, wantNet)
		}
		n, err := s.Network(ctx, v, x)
		if err != nil {
			t.Fatal(err)
		}
		if n.Size != wantNet || len(n.Reports) != wantNet {
			t.Errorf("%s: network of x: %+v", name, n)
		}
		path, err := s.Path(ctx, v, x, y)
		if seesBridge && (err != nil || len(path) != 5) {
			t.Errorf("%s: path x to y: %v %v", name, path, err)
		}
		if !seesBridge && !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: path x to y through a hidden report: %v %v", name, path, err)
		}
		if _, err := s.Network(ctx, v, bridge); seesBridge != (err == nil) {
			t.Errorf("%s: network by the bridge's id: %v", name, err)
		}
	}
}
