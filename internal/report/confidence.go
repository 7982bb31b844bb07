package report

import (
	"math"
	"time"

	"vigil/internal/indicator"
)

// Evidence is what Vigil knows about one indicator, for its confidence.
type Evidence struct {
	Kind indicator.Kind
	// Reporters is the number of distinct reporters whose reports (not
	// rejected, not naming it as their own contact) name it.
	Reporters int
	// Sources is the number of independent lists (imported feeds) that
	// carry it.
	Sources int
	// Trusted is the number of trusted organisations whose analysts
	// reported or verified it.
	Trusted  int
	LastSeen time.Time
}

// Confidence levels.
const (
	LevelNone       = "none"       // nothing known
	LevelUnverified = "unverified" // one reporter or one list
	LevelLow        = "low"
	LevelMedium     = "medium"
	LevelHigh       = "high"
)

// HalfLife is how fast the evidence on a kind of indicator ages: phone
// numbers and messaging accounts are cheap and change hands fast, links
// die in weeks, bank accounts and wallets are kept for a long time.
func HalfLife(k indicator.Kind) time.Duration {
	const day = 24 * time.Hour
	switch {
	case k == indicator.Phone:
		return 90 * day
	case k.IsHandle():
		return 180 * day
	case k == indicator.URL || k == indicator.Domain || k == indicator.IP || k == indicator.Email:
		return 120 * day
	case k.IsWallet():
		return 730 * day
	}
	return 365 * day
}

// Confidence is the confidence that a value is used by scammers, in
// [0, 1], and its level. Each independent reporter or list halves the
// doubt (1 - 0.5^n: one gives 0.5, two 0.75, three 0.875); the result
// decays with the time since the value was last reported, by the kind's
// half-life. One reporter, however often they report, stays "unverified";
// a trusted organisation counts as one more independent voice.
// docs/confidence.md explains the model.
func Confidence(e Evidence, now time.Time) (float64, string) {
	n := e.Reporters + e.Sources + e.Trusted
	if n <= 0 {
		return 0, LevelNone
	}
	c := 1 - math.Pow(0.5, float64(n))
	if age := now.Sub(e.LastSeen); age > 0 && !e.LastSeen.IsZero() {
		c *= math.Pow(0.5, float64(age)/float64(HalfLife(e.Kind)))
	}
	c = math.Round(c*1000) / 1000
	switch {
	case n < 2:
		return c, LevelUnverified
	case c >= 0.85:
		return c, LevelHigh
	case c >= 0.6:
		return c, LevelMedium
	}
	return c, LevelLow
}
