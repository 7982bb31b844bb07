package auth

// DefaultK is the smallest number of people a published statistic may
// describe. Eleven follows the common practice of health and census
// statistics (cells under 10 or 11 suppressed).
const DefaultK = 11

// Bucket is one row of an aggregate statistic: a key (a country, a scam
// type, a month), a count (of reports, say), and how many distinct people
// it describes, which decides whether it may be shown and is never
// published itself.
type Bucket struct {
	Key    string `json:"key"`
	Count  int    `json:"count"`
	People int    `json:"-"`
}

// OtherKey is the key of the bucket that gathers those too small to show.
const OtherKey = "other"

// Suppress returns the buckets that may be published: each describing at
// least k people, in their order, then one "other" bucket summing the
// rest, itself shown only if its people reach k. suppressed is the number
// of input buckets not shown under their own key (not the sum of their
// counts). An input bucket keyed "other" joins the merged one.
//
// Callers must compute any total from shown alone: a total over all
// buckets, published beside them, would give a hidden bucket by
// subtraction. Suppress cannot protect against two statistics of
// overlapping data whose difference is one small group; callers publish
// fixed breakdowns, not arbitrary filters.
//
// "other" adds up the People of its buckets, which overstates them where
// one person is in several buckets; callers whose buckets overlap should
// pass distinct counts they can stand by.
func Suppress(buckets []Bucket, k int) (shown []Bucket, suppressed int) {
	other := Bucket{Key: OtherKey}
	merged := 0
	otherIn := false // an input bucket was keyed "other"
	for _, b := range buckets {
		if b.Key != OtherKey && b.People >= k {
			shown = append(shown, b)
			continue
		}
		other.Count += b.Count
		other.People += b.People
		if b.Key == OtherKey {
			otherIn = true
		} else {
			merged++
		}
	}
	if merged == 0 && !otherIn {
		return shown, 0
	}
	if other.People >= k {
		return append(shown, other), merged
	}
	if otherIn {
		merged++ // the input "other" is hidden too
	}
	return shown, merged
}
