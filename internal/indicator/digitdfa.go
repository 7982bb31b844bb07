package indicator

import (
	"encoding/binary"
	"regexp/syntax"
	"slices"
	"sync"
)

// libphonenumber's metadata describes numbers with regular expressions over
// digits ("(?:1[0-8]|[2-9]\d)\d{7}"), and validating a number tries up to
// ten of them. Go's regexp runs each with a backtracker or a one-pass
// matcher, a few hundred nanoseconds apiece; a deterministic automaton over
// the ten digits decides one in a table lookup a digit. The automaton is
// built from the program regexp itself compiles (regexp/syntax), so it
// accepts exactly what the regexp does; TestDigitDFAMatchesRegexp holds the
// two to the same answers for every pattern of the metadata.

// digitDFA is a deterministic automaton over the digits 0-9.
type digitDFA struct {
	next   [][10]int32 // next[s][d]: the state after digit d in state s; -1 when no match can follow
	accept []bool      // the pattern matches what led to s
}

// maxDFAStates bounds an automaton: a pattern that would need more is left
// to the regexp. The metadata's largest need a few hundred.
const maxDFAStates = 1 << 12

// newDigitDFA builds the automaton of pattern, or returns nil when the
// pattern holds what it does not follow (assertions such as ^ or \b) or
// needs more than maxDFAStates states.
func newDigitDFA(pattern string) *digitDFA {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return nil
	}
	d := &digitDFA{}
	ids := map[string]int32{}
	var sets [][]uint32 // each state's instructions: those that read a digit, and Match
	state := func(set []uint32) int32 {
		key := make([]byte, 0, 4*len(set))
		for _, pc := range set {
			key = binary.AppendUvarint(key, uint64(pc))
		}
		if id, ok := ids[string(key)]; ok {
			return id
		}
		id := int32(len(sets))
		ids[string(key)] = id
		sets = append(sets, set)
		d.next = append(d.next, [10]int32{})
		d.accept = append(d.accept, false)
		return id
	}
	start, ok := closure(prog, []uint32{uint32(prog.Start)})
	if !ok {
		return nil
	}
	state(start)
	for s := 0; s < len(sets); s++ {
		if len(sets) > maxDFAStates {
			return nil
		}
		for _, pc := range sets[s] {
			if prog.Inst[pc].Op == syntax.InstMatch {
				d.accept[s] = true
			}
		}
		for digit := range 10 {
			var outs []uint32
			for _, pc := range sets[s] {
				if i := &prog.Inst[pc]; i.Op != syntax.InstMatch && i.MatchRune(rune('0'+digit)) {
					outs = append(outs, i.Out)
				}
			}
			if len(outs) == 0 {
				d.next[s][digit] = -1
				continue
			}
			set, ok := closure(prog, outs)
			if !ok {
				return nil
			}
			if len(set) == 0 {
				d.next[s][digit] = -1
				continue
			}
			d.next[s][digit] = state(set)
		}
	}
	return d
}

// closure follows the instructions from seeds that read nothing, and
// returns, sorted, those reached that read a rune or match. ok is false
// when it meets an assertion.
func closure(prog *syntax.Prog, seeds []uint32) (set []uint32, ok bool) {
	seen := make([]bool, len(prog.Inst))
	stack := slices.Clone(seeds)
	for len(stack) > 0 {
		pc := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[pc] {
			continue
		}
		seen[pc] = true
		switch i := &prog.Inst[pc]; i.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			stack = append(stack, i.Out, i.Arg)
		case syntax.InstCapture, syntax.InstNop:
			stack = append(stack, i.Out)
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL, syntax.InstMatch:
			set = append(set, pc)
		case syntax.InstFail:
		default:
			return nil, false
		}
	}
	slices.Sort(set)
	return set, true
}

// run feeds s to the automaton and returns the state reached, or -1 when
// no match can follow. With prefix it stops at the first accepting state.
// ok is false when s holds a byte other than a digit.
func (d *digitDFA) run(s string, prefix bool) (state int32, ok bool) {
	if prefix && d.accept[0] {
		return 0, true
	}
	for i := 0; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return -1, false
		}
		if state = d.next[state][c]; state < 0 {
			return -1, true
		}
		if prefix && d.accept[state] {
			return state, true
		}
	}
	return state, true
}

// DigitPattern matches strings against one pattern of the metadata: by
// its automaton, or by regexp when it has none or the string holds more
// than digits.
type DigitPattern struct {
	source string
	dfa    *digitDFA
}

func newDigitPattern(source string) *DigitPattern {
	return &DigitPattern{source: source, dfa: newDigitDFA(source)}
}

// Matches reports whether s matches the pattern in full.
func (p *DigitPattern) Matches(s string) bool {
	if p.dfa != nil {
		if st, ok := p.dfa.run(s, false); ok {
			return st >= 0 && p.dfa.accept[st]
		}
	}
	return compiled("^(?:" + p.source + ")$").MatchString(s)
}

// MatchesStart reports whether a prefix of s (perhaps all of it, perhaps
// none) matches the pattern: regexp's MatchString of "^(?:pattern)".
func (p *DigitPattern) MatchesStart(s string) bool {
	if p.dfa != nil {
		if st, ok := p.dfa.run(s, true); ok {
			return st >= 0 && p.dfa.accept[st]
		}
	}
	return compiled("^(?:" + p.source + ")").MatchString(s)
}

// digitPatterns caches the DigitPattern of each source.
var digitPatterns sync.Map // string -> *DigitPattern

// PatternOf returns the DigitPattern of a pattern of libphonenumber's
// metadata, built on first use and shared by every caller.
func PatternOf(source string) *DigitPattern {
	if p, ok := digitPatterns.Load(source); ok {
		return p.(*DigitPattern)
	}
	p, _ := digitPatterns.LoadOrStore(source, newDigitPattern(source))
	return p.(*DigitPattern)
}
