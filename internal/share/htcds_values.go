package share

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"vigil/internal/place"
)

// How Vigil's codes map to HTCDS 2.0's value names (HTCDS Field Standards
// 2.0.ods, with the definitions in Field Definitions.md).
// docs/cases-htcds.md gives the reasons where the two do not match one to
// one. A code with no entry writes nothing in the HTCDS column; where a
// mapping loses detail, Vigil's own codes are in a vigil_ column too.

// genders map report.Sexes to prs_Gender.
var genders = map[string]string{
	"female":  "Feminine",
	"male":    "Masculine",
	"other":   "NonConforming",
	"unknown": "NonSpecifiedUnknown",
}

// recruitmentMethods map report.RecruitmentMethods to
// vic_MethodOfRecruitment.
var recruitmentMethods = map[string]string{
	"online_ad":      "ThroughAnOnlineAdvertisement",
	"social_network": "ThroughOnlineSocialNetworks",
	"acquaintance":   "ThroughFriendsOrSocialEvents",
	"agency":         "AtAPlaceOfBusiness",
	"in_person":      "Other",
	"abduction":      "Other",
	"other":          "Other",
}

// channels map report.Channels to vic_RecruitmentWebsitesAndApps. Phone
// calls, SMS and meetings in person are not websites or apps.
var channels = map[string]string{
	"wechat":       "WeChat",
	"qq":           "QQ",
	"telegram":     "Telegram",
	"whatsapp":     "WhatsApp",
	"line":         "Line",
	"zalo":         "Other",
	"email":        "Other",
	"website":      "Other",
	"app":          "Other",
	"social_media": "Other",
	"dating_app":   "Other",
	"other":        "Other",
}

// exploitationTypes map report.ExploitationTypes to
// vic_TypeOfExploitation. HTCDS has no forced criminality: forced scamming
// is forced labour in its terms (ILO), and vigil_ExploitationTypes keeps
// forced_criminality.
var exploitationTypes = map[string]string{
	"forced_criminality":  "ForcedLabour",
	"forced_labour":       "ForcedLabour",
	"sexual_exploitation": "SexualExploitation",
	"servitude":           "Servitude",
	"forced_marriage":     "ForcedMarriage",
	"organ_removal":       "OrganRemoval",
	"other":               "Other",
}

// controlMethods map report.ControlMethods to vic_MethodsOfControl.
// RestrictsMovement is defined in HTCDS's Field Definitions
// (MethodsOfControlRestrictsMovement) though missing from the .ods
// picklist.
var controlMethods = map[string]string{
	"withholds_documents":   "WithholdsDocuments",
	"debt_bondage":          "DebtBondage",
	"physical_abuse":        "PhysicalAbuse",
	"threats":               "PhysicalThreats",
	"restricts_movement":    "RestrictsMovement",
	"takes_earnings":        "TakesEarnings",
	"excessive_hours":       "ExcessiveWorkingHours",
	"sold":                  "Other",
	"withholds_necessities": "WithholdsNecessities",
	"other":                 "Other",
}

// caseStatuses map report.CaseStatuses to cas_Status: a case is Active
// while the person is not safe, FollowUp once rescued or home (support,
// reintegration), Closed when closed.
var caseStatuses = map[string]string{
	"reported":        "Active",
	"under_review":    "Active",
	"located":         "Active",
	"rescue_underway": "Active",
	"lost_contact":    "Active",
	"rescued":         "FollowUp",
	"repatriated":     "FollowUp",
	"closed":          "Closed",
}

// stopTypes map report.StopTypes to hte_Type. HTCDS has no "last known"
// event; vigil_StopType keeps it.
var stopTypes = map[string]string{
	"recruitment":  "Recruitment",
	"transit":      "Transit",
	"exploitation": "Exploitation",
}

// created is when a case was filed: the instant for a full export, the
// month otherwise (a process field, written even without consent).
func created(t time.Time, full bool) string {
	switch {
	case t.IsZero():
		return ""
	case full:
		return t.UTC().Format(time.RFC3339)
	}
	return t.UTC().Format("2006-01")
}

// age is the subject's age, or its five-year band ("15-19") when the
// export is anonymised. Vigil records the age when the case was filed,
// the nearest it has to HTCDS's age when trafficked.
func age(years int, full bool) string {
	switch {
	case years <= 0:
		return ""
	case full:
		return strconv.Itoa(years)
	}
	lo := years / 5 * 5
	return fmt.Sprintf("%d-%d", lo, lo+4)
}

// lookupPlace finds the gazetteer entry a place names: its id, or the
// first unambiguous name of a gazetteer place in it.
func lookupPlace(s string) *place.Place {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	g := place.Default()
	if p, ok := g.ByID(s); ok {
		return p
	}
	for _, m := range g.Find(s) {
		if !m.Alias.Ambiguous || strings.TrimSpace(s) == m.Alias.Text {
			return m.Place
		}
	}
	return nil
}

func placeField(p *place.Place, f func(*place.Place) string) string {
	if p == nil {
		return ""
	}
	return f(p)
}

// language is the i-th language's primary subtag ("zh" of "zh-Hans-CN"):
// ISO 639-1 where the language has such a code, which HTCDS allows.
func language(tags []string, i int) string {
	if i >= len(tags) {
		return ""
	}
	base, _, _ := strings.Cut(strings.ReplaceAll(strings.TrimSpace(tags[i]), "_", "-"), "-")
	return strings.ToLower(base)
}

func first(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	return ss[0]
}

func rest(ss []string) []string {
	if len(ss) < 2 {
		return nil
	}
	return ss[1:]
}

// join writes a list as HTCDS writes multiselect values: separated by
// ";". A ";" or "\" inside a free-text value is escaped with "\", so the
// list can be split back.
func join(ss []string) string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		s = strings.ReplaceAll(s, `\`, `\\`)
		out = append(out, strings.ReplaceAll(s, ";", `\;`))
	}
	return strings.Join(out, ";")
}

// mapCodes maps Vigil codes to HTCDS value names, each once, in order.
func mapCodes(codes []string, m map[string]string) string {
	var out []string
	for _, c := range codes {
		if v, ok := m[c]; ok && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return strings.Join(out, ";")
}
