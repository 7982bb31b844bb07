package sqlstore

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"vigil/internal/indicator"
	"vigil/internal/report"
	"vigil/internal/store"
)

// The sentences of leads: how a match was made, for a caseworker to read.

// inOrder lists the codes of set in the order of a vocabulary, then any
// others sorted.
func inOrder(set map[string]bool, terms []report.Term) []string {
	var out, rest []string
	for _, t := range terms {
		if set[t.Code] {
			out = append(out, t.Code)
		}
	}
	for k := range set {
		if !slices.ContainsFunc(terms, func(t report.Term) bool { return t.Code == k }) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// reportPath says how a reports or possible_forced_scammer lead was made.
// A possible forced scammer's sentence never calls the subject a scammer
// or a criminal: their account was given as a contact; they may be made
// to use it.
func reportPath(l store.Lead) string {
	var b strings.Builder
	n := fmt.Sprintf("%d %s", l.ReportCount, plural(l.ReportCount, "report", "reports"))
	if l.Kind == store.LeadForcedScammer {
		fmt.Fprintf(&b, "the subject's own %s (%s) is %s in %d scam %s", kindNoun(l.Indicator.Kind), short(l.Indicator.Value),
			rolesPhrase(l.ReportRoles, true), l.ReportCount, plural(l.ReportCount, "report", "reports"))
	} else {
		fmt.Fprintf(&b, "%s in this case (%s) is %s in %s", valueNoun(l.Role, l.Indicator.Kind), short(l.Indicator.Value),
			rolesPhrase(l.ReportRoles, false), n)
	}
	if len(l.ScamTypes) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(l.ScamTypes, ", "))
	}
	switch {
	case len(l.Networks) == 1:
		fmt.Fprintf(&b, " in network %s", l.Networks[0])
	case len(l.Networks) > 3:
		fmt.Fprintf(&b, " in networks %s and %d more", strings.Join(l.Networks[:3], ", "), len(l.Networks)-3)
	case len(l.Networks) > 1:
		fmt.Fprintf(&b, " in networks %s", strings.Join(l.Networks, ", "))
	}
	b.WriteString(", " + monthSpan(*l.FirstSeen, *l.LastSeen))
	if l.Kind == store.LeadForcedScammer {
		b.WriteString(": they may be made to use it")
	}
	if l.Disputed {
		b.WriteString("; its holder disputes the listing")
	}
	return b.String()
}

// rolesPhrase says as what reports name a value: "named as payment",
// "mentioned"; for the subject's own account, "given as the contact".
func rolesPhrase(roles []string, subject bool) string {
	names := map[string]string{report.RoleScammerContact: "the scammer's contact", report.RolePayment: "payment",
		report.RoleRecruiter: "the recruiter", report.RoleRansomIntermediary: "the ransom intermediary", report.RoleWebsite: "the website"}
	verb := "named as "
	if subject {
		names = map[string]string{report.RoleScammerContact: "the contact", report.RolePayment: "the account to pay",
			report.RoleRecruiter: "the recruiter's contact", report.RoleRansomIntermediary: "the intermediary's contact", report.RoleWebsite: "the website"}
		verb = "given as "
	}
	var parts []string
	for _, r := range roles {
		if n, ok := names[r]; ok {
			parts = append(parts, n)
		}
	}
	if len(parts) == 0 {
		return "mentioned"
	}
	return verb + strings.Join(parts, " and ")
}

// valueNoun names a case's value by its role in the case: "the payment
// account", "the recruiter's WeChat account".
func valueNoun(role string, kind indicator.Kind) string {
	switch role {
	case report.RolePayment:
		return "the payment account"
	case report.RoleRecruiter:
		return "the recruiter's " + kindNoun(kind)
	case report.RoleRansomIntermediary:
		return "the ransom intermediary's " + kindNoun(kind)
	case report.RoleScammerContact:
		return "the scammer's " + kindNoun(kind)
	case report.RoleSubject:
		return "the subject's own " + kindNoun(kind)
	case report.RoleWebsite:
		return "the website"
	}
	return "a " + kindNoun(kind) + " named"
}

func kindNoun(k indicator.Kind) string {
	switch k {
	case indicator.Phone:
		return "phone number"
	case indicator.Email:
		return "email address"
	case indicator.URL:
		return "link"
	case indicator.Domain:
		return "domain"
	case indicator.IP:
		return "IP address"
	case indicator.BTC, indicator.ETH, indicator.TRX, indicator.LTC, indicator.DOGE, indicator.XRP, indicator.TON:
		return "wallet"
	case indicator.IBAN, indicator.BankAccount:
		return "bank account"
	case indicator.Card:
		return "card"
	case indicator.WeChat:
		return "WeChat account"
	case indicator.QQ:
		return "QQ account"
	case indicator.Telegram:
		return "Telegram account"
	case indicator.WhatsApp:
		return "WhatsApp account"
	case indicator.LINE:
		return "LINE account"
	case indicator.Zalo:
		return "Zalo account"
	}
	return string(k)
}

// short abbreviates a value for a sentence; the lead carries it whole.
func short(v string) string {
	r := []rune(v)
	if len(r) <= 10 {
		return v
	}
	return string(r[:6]) + "…"
}

func monthSpan(a, b time.Time) string {
	fa, fb := a.Format("2006-01"), b.Format("2006-01")
	if fa == fb {
		return fa
	}
	return fa + " to " + fb
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func caseRef(id string) string {
	if id == "" {
		return ""
	}
	return " (case " + id + ")"
}

func heldBy(org string) string {
	if org == "" {
		return "held by no organisation yet"
	}
	return "held by organisation " + org
}
