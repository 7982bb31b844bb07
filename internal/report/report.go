// Package report holds what people tell Vigil: scam reports and their
// indicators with the role each played, the documented vocabularies (scam
// types, channels, roles), validation, and the confidence model of
// lookups. It knows nothing of HTTP or SQL.
package report

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/currency"

	"vigil/internal/indicator"
)

// Report is one report: a scam experienced, a job offer, a sighting, a tip.
type Report struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	ScamType  string `json:"scam_type"`
	Channel   string `json:"channel"`
	Narrative string `json:"narrative,omitempty"`
	Loss      *Money `json:"loss,omitempty"`
	// OccurredAt is when the scam happened, as the reporter says.
	OccurredAt    *time.Time `json:"occurred_at,omitempty"`
	VictimCountry string     `json:"victim_country,omitempty"`
	Language      string     `json:"language,omitempty"`
	Status        string     `json:"status"`
	CreatedAt     time.Time  `json:"created_at"`
	NetworkID     string     `json:"network_id,omitempty"`
	// Reporter is a pseudonymous key for who reported (a keyed hash of the
	// client's network for anonymous reports, the import source, later an
	// account): it tells reporters apart for confidence and is never shown.
	Reporter string `json:"-"`
	// Source says how the report arrived: web, api, import.
	Source string `json:"source"`
	// TLP is the report's sharing label (TLP 2.0): who may see it.
	TLP string `json:"tlp"`
	// Org is the owner organisation; empty for anonymous reports.
	Org string `json:"org,omitempty"`
	// Author is the account that wrote it (a user id, or "key:" and an
	// API key id); empty for anonymous reports. Never shown.
	Author string `json:"-"`
	// Contact is how the reporter can be reached: personal data, sealed
	// at rest and shown only to those who may read it.
	Contact string `json:"contact,omitempty"`
	// ReporterNet is a pseudonym of the client's network (/24 or /48):
	// with Reporter it tells independent reporters apart (docs/confidence.md).
	ReporterNet string `json:"-"`
	// TrustedOrg is the trusted organisation that vouches for the report:
	// its author's, or the one whose analyst verified it.
	TrustedOrg string `json:"-"`
	// WithdrawHash is the hash of the token with which an anonymous
	// reporter can withdraw the report.
	WithdrawHash string `json:"-"`
	// ImportKey makes an imported row idempotent (a hash of its content).
	ImportKey string `json:"-"`
	// Indicators are the report's indicators with their roles.
	Indicators []Link `json:"indicators"`
	// Places are the gazetteer ids of the places the narrative names
	// (set by Resolve), sorted: each place's page lists the reports
	// that mention it.
	Places []string `json:"places,omitempty"`
}

// Link is an indicator as it appears in one report.
type Link struct {
	Kind  indicator.Kind `json:"kind"`
	Value string         `json:"value"`
	Raw   string         `json:"raw,omitempty"`
	Role  string         `json:"role"`
	// Origin is "named" (the reporter named it) or "extracted" (found in
	// the narrative).
	Origin string `json:"origin"`
	// KnownGood names why a value is known-good (an official number, a
	// warninglist); such values never connect reports.
	KnownGood string `json:"known_good,omitempty"`
}

// Money is an amount in a currency. The amount is a decimal string in the
// currency's major unit ("1200.50"): exact, and the same in JSON, the
// store and the CLI.
type Money struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

// ErrInvalid is the error of a report that fails validation.
var ErrInvalid = errors.New("invalid report")

// FieldError names one invalid field by its JSON pointer.
type FieldError struct {
	Pointer string `json:"pointer"`
	Detail  string `json:"detail"`
}

// ValidationError lists every invalid field of a report.
type ValidationError struct{ Fields []FieldError }

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Pointer + " " + f.Detail
	}
	return "invalid report: " + strings.Join(parts, "; ")
}

func (e *ValidationError) Unwrap() error { return ErrInvalid }

// Limits on what one report may hold.
const (
	MaxNarrative  = 64 << 10 // bytes
	MaxIndicators = 200      // named by the reporter
)

// cryptoCurrencies are the non-ISO currencies victims lose money in.
var cryptoCurrencies = map[string]bool{"USDT": true, "USDC": true, "BTC": true, "ETH": true, "TRX": true, "BNB": true, "LTC": true, "DOGE": true, "XRP": true, "TON": true}

// ParseMoney checks an amount and a currency and returns them in canonical
// form: the amount as a plain decimal string without exponent or sign,
// the currency upper-case (ISO 4217, or a common crypto-currency code).
func ParseMoney(amount, cur string) (Money, error) {
	cur = strings.ToUpper(strings.TrimSpace(cur))
	if !cryptoCurrencies[cur] {
		if _, err := currency.ParseISO(cur); err != nil || len(cur) != 3 {
			return Money{}, fmt.Errorf("unknown currency %q: want an ISO 4217 code such as CNY or USD, or USDT, BTC, ETH", cur)
		}
	}
	a := strings.TrimSpace(amount)
	if strings.ContainsAny(a, "eE/") || len(a) > 40 {
		// Checked first: big.Rat would expand 1e999999 before refusing it.
		return Money{}, fmt.Errorf("amount %q is not a decimal number such as 1200.50", amount)
	}
	r, ok := new(big.Rat).SetString(a)
	if !ok {
		return Money{}, fmt.Errorf("amount %q is not a decimal number such as 1200.50", amount)
	}
	if r.Sign() < 0 {
		return Money{}, fmt.Errorf("amount %q is negative", amount)
	}
	return Money{Amount: FormatAmount(r), Currency: cur}, nil
}

// FormatAmount writes r as a plain decimal string with no trailing zeros
// after the point.
func FormatAmount(r *big.Rat) string {
	s := r.FloatString(18)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// Validate checks a report as submitted and fills in defaults: kind
// "scam", status "new", channel "other", scam type "other". It returns a
// *ValidationError naming every invalid field.
func (r *Report) Validate() error {
	var fe []FieldError
	bad := func(ptr, format string, args ...any) {
		fe = append(fe, FieldError{ptr, fmt.Sprintf(format, args...)})
	}
	if r.Kind == "" {
		r.Kind = "scam"
	}
	if !has(Kinds, r.Kind) {
		bad("/kind", "must be one of %s", strings.Join(codes(Kinds), ", "))
	}
	if r.ScamType == "" {
		r.ScamType = "other"
	}
	if !has(ScamTypes, r.ScamType) {
		bad("/scam_type", "must be one of %s", strings.Join(codes(ScamTypes), ", "))
	}
	if r.Channel == "" {
		r.Channel = "other"
	}
	if !has(Channels, r.Channel) {
		bad("/channel", "must be one of %s", strings.Join(codes(Channels), ", "))
	}
	if r.Status == "" {
		r.Status = StatusNew
	}
	if !has(Statuses, r.Status) {
		bad("/status", "must be one of %s", strings.Join(codes(Statuses), ", "))
	}
	if r.TLP == "" {
		r.TLP = TLPClear
	}
	r.TLP = strings.ToUpper(r.TLP)
	if !ValidTLP(r.TLP) {
		bad("/tlp", "must be one of %s", strings.Join(TLPs, ", "))
	}
	if len(r.Contact) > 512 || !utf8.ValidString(r.Contact) {
		bad("/contact", "must be UTF-8 text of at most 512 bytes")
	}
	if !utf8.ValidString(r.Narrative) || strings.ContainsRune(r.Narrative, 0) {
		bad("/narrative", "must be UTF-8 text without NUL characters")
	}
	if len(r.Narrative) > MaxNarrative {
		bad("/narrative", "is longer than %d bytes", MaxNarrative)
	}
	if strings.TrimSpace(r.Narrative) == "" && len(r.Indicators) == 0 {
		bad("/narrative", "is required when no indicator is named")
	}
	if r.Loss != nil {
		m, err := ParseMoney(r.Loss.Amount, r.Loss.Currency)
		if err != nil {
			bad("/loss", "%v", err)
		} else {
			*r.Loss = m
		}
	}
	if r.VictimCountry != "" {
		r.VictimCountry = strings.ToUpper(r.VictimCountry)
		if !indicator.RegionKnown(r.VictimCountry) {
			bad("/victim_country", "must be an ISO 3166 alpha-2 code such as CN")
		}
	}
	if r.OccurredAt != nil {
		if r.OccurredAt.After(time.Now().Add(24 * time.Hour)) {
			bad("/occurred_at", "is in the future")
		} else if r.OccurredAt.Year() < 1990 {
			bad("/occurred_at", "is before 1990")
		}
		t := r.OccurredAt.UTC()
		r.OccurredAt = &t
	}
	if len(r.Language) > 35 {
		bad("/language", "must be a BCP 47 tag such as zh-Hans")
	}
	if len(r.Indicators) > MaxIndicators {
		bad("/indicators", "names more than %d indicators", MaxIndicators)
	}
	for i, l := range r.Indicators {
		if l.Role != "" && !has(Roles, l.Role) {
			bad(fmt.Sprintf("/indicators/%d/role", i), "must be one of %s", strings.Join(codes(Roles), ", "))
		}
		if strings.TrimSpace(l.Value) == "" || len(l.Value) > 2048 || !utf8.ValidString(l.Value) {
			bad(fmt.Sprintf("/indicators/%d/value", i), "must be a non-empty value of at most 2048 bytes")
		}
	}
	if len(fe) > 0 {
		return &ValidationError{fe}
	}
	return nil
}

// TLP 2.0 labels (https://www.first.org/tlp/), from the most to the least
// shareable. docs/permissions.md says who sees which.
const (
	TLPClear       = "CLEAR"
	TLPGreen       = "GREEN"
	TLPAmber       = "AMBER"
	TLPAmberStrict = "AMBER+STRICT"
	TLPRed         = "RED"
)

// TLPs lists the labels.
var TLPs = []string{TLPClear, TLPGreen, TLPAmber, TLPAmberStrict, TLPRed}

// ValidTLP tells whether s is a TLP 2.0 label as Vigil writes it.
func ValidTLP(s string) bool {
	for _, t := range TLPs {
		if s == t {
			return true
		}
	}
	return false
}

// Counts reports whether a link counts for its indicator: every role but
// the victim's own contact, in a report that was not rejected.
func Counts(status, role string) bool {
	return status != StatusRejected && role != RoleVictimContact
}
