package extract

import "testing"

func BenchmarkStages(b *testing.B) {
	texts := benchCorpus(b)
	x := New(Options{})
	n := totalBytes(texts)
	folded := make([]*folded, len(texts))
	for i, t := range texts {
		folded[i] = fold(t)
	}
	b.Run("fold", func(b *testing.B) {
		b.SetBytes(n)
		for range b.N {
			for _, t := range texts {
				fold(t)
			}
		}
	})
	b.Run("phrases", func(b *testing.B) {
		b.SetBytes(n)
		for range b.N {
			for _, f := range folded {
				x.findAnchors(f.text, nil, nil)
			}
		}
	})
	run := func(name string, fn func(s *scan)) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(n)
			for range b.N {
				for i, f := range folded {
					s := &scan{x: x, f: f, orig: texts[i]}
					s.anchors, s.places = x.findAnchors(f.text, nil, nil)
					s.cues = newCueIndex(f.text, x.cueSet)
					fn(s)
				}
			}
		})
	}
	run("phrases+nothing", func(s *scan) {})
	run("phrases+links", func(s *scan) { s.links() })
	run("phrases+tokens", func(s *scan) { s.tokens() })
	run("phrases+handles", func(s *scan) { s.handles(); s.placeNames() })
	run("phrases+all+finish", func(s *scan) { s.links(); s.tokens(); s.handles(); s.placeNames(); s.finish(0, len(s.orig)) })
}
