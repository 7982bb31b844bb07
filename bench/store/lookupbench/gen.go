package main

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"vigil/internal/extract"
	"vigil/internal/indicator"
	"vigil/internal/report"
)

// plan is how one country's numbers are made: a prefix (calling code and
// the leading digits of a mobile or city range libphonenumber holds
// valid in full) followed by a counter of digits digits.
type plan struct {
	prefixes []string
	digits   int
}

// plans are the countries the synthetic numbers come from, in turn: value
// i is of plans[i%len(plans)]. Each prefix was checked by sampling against
// ParsePhone and the lookup's reading (checkValues checks again on every
// run).
var plans = []plan{
	{[]string{"+12122", "+12123", "+12124", "+12125", "+12126", "+12127", "+12128", "+12129"}, 6}, // US, New York
	{[]string{"+86138", "+86139", "+86150", "+86186"}, 8},                                         // CN mobile
	{[]string{"+9199", "+9198"}, 8},                                                               // IN mobile
	{[]string{"+4478"}, 8},                                                                        // GB mobile
	{[]string{"+63917", "+63918"}, 7},                                                             // PH mobile
	{[]string{"+6681", "+6689"}, 7},                                                               // TH mobile
	{[]string{"+8490", "+8498"}, 7},                                                               // VN mobile
	{[]string{"+6012"}, 7},                                                                        // MY mobile
}

// capacity is how many distinct values the plans make.
func capacity() int {
	c := -1
	for _, p := range plans {
		n := len(p.prefixes) * pow10(p.digits)
		if c < 0 || n < c {
			c = n
		}
	}
	return c * len(plans)
}

// value returns synthetic value i: a valid phone number in canonical E.164.
// Values 0..N-1 are loaded; values N..2N-1 are the unknown ones asked.
func value(i int) string {
	p := plans[i%len(plans)]
	j := i / len(plans)
	m := pow10(p.digits)
	s := strconv.Itoa(j % m)
	b := make([]byte, 0, len(p.prefixes[0])+p.digits)
	b = append(b, p.prefixes[j/m]...)
	for range p.digits - len(s) {
		b = append(b, '0')
	}
	return string(append(b, s...))
}

func pow10(n int) int {
	v := 1
	for range n {
		v *= 10
	}
	return v
}

// checkValues checks a random sample of values 0..2n-1, and the first and
// last, the way the store and the lookup read them: ParsePhone gives the
// value back unchanged, and the lookup's reading of it as typed is that
// one phone number.
func checkValues(n, sample int) error {
	if 2*n > capacity() {
		return fmt.Errorf("n=%d: the plans make only %d values (n known and n unknown)", n, capacity())
	}
	x := extract.New(extract.Options{})
	r := rand.New(rand.NewPCG(7, uint64(n)))
	idx := []int{0, n - 1, n, 2*n - 1}
	for range sample {
		idx = append(idx, r.IntN(2*n))
	}
	for k, i := range idx {
		v := value(i)
		p, err := indicator.ParsePhone(v, "")
		if err != nil || p.Value != v {
			return fmt.Errorf("value %d %q: ParsePhone gives %q, %v", i, v, p.Value, err)
		}
		if k%10 != 0 {
			continue // the extractor is slower; read every tenth
		}
		ms, err := report.Interpret(x, v, "", "")
		if err != nil || len(ms) != 1 || ms[0].Kind != indicator.Phone || ms[0].Value != v {
			return fmt.Errorf("value %d %q: the lookup reads %v, %v", i, v, ms, err)
		}
	}
	return nil
}
