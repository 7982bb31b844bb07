package model

import (
	"fmt"
	"strings"

	"vigil/internal/datasets"
)

// nusKeep is the share (in percent) of the 52,835 NUS ham SMS kept: enough
// chat to learn what ordinary English SMS look like, without making
// training slow.
const nusKeep = 20

// Corpus reads the labelled examples from the shared data directory dir
// (see datasets.Dir), de-duplicated and marked Dev for the held-out fifth.
//
// How each corpus's labels are read (scam = trying to defraud; marketing
// spam is not a scam):
//
//   - sms/uci: ham is not a scam. UCI does not tell spam from smishing, but
//     the Mendeley set relabelled most UCI texts: a UCI spam Mendeley calls
//     smishing is a scam, one it calls spam is not; the 77 UCI spam texts
//     Mendeley lacks are left out as undecided.
//   - sms/mendeley: smishing is a scam; ham and spam are not. Its copies of
//     UCI texts are dropped as duplicates (UCI is read first).
//   - sms/nus: ham, not a scam (a fixed 20% sample by text hash).
//   - sms/exais: HAM only, not a scam. Its SPAM mixes lottery scams with
//     devotional and airtime subscriptions and is left out.
//   - zh/telecom: 0 is not a scam; the four fraud classes are scams of type
//     impersonation_official, loan, customer_service and
//     impersonation_acquaintance.
//   - fraud_r1/raw: all scams; fake job posting is type job, network
//     friendship romance, phishing phishing; fraudulent service and
//     impersonation are scams of no single type.
//   - fraud_r1/jobs: scams of type job. fraud_r1/email: scams of type
//     phishing.
//   - ml/id, ml/th, ml/vi: label 1 is a scam (type unknown), 0 is not (for
//     id this includes promotions).
//   - jobs/zh, jobs/en: legitimate job ads, not scams.
//   - email/spamassassin: ham bodies (headers cut, first 4 KB) only, as
//     legitimate e-mail; its spam mixes 419 scams with marketing and is
//     left out.
//   - sms/spamhunter is not used: 25,826 texts labelled only "spam", in a
//     dozen languages, scam and marketing mixed.
//
// A text seen before (same text up to case and spacing) is dropped, so a
// text is never both trained on and evaluated.
func Corpus(dir string) ([]Example, error) {
	var mendeley map[uint64]string
	seen := map[uint64]bool{}
	var out []Example
	for _, src := range CorpusSources {
		ms, err := datasets.Messages(dir, src)
		if err != nil {
			return nil, fmt.Errorf("model: corpus: %w", err)
		}
		if src == "sms/uci" {
			men, err := datasets.Messages(dir, "sms/mendeley")
			if err != nil {
				return nil, fmt.Errorf("model: corpus: %w", err)
			}
			mendeley = map[uint64]string{}
			for _, m := range men {
				mendeley[textKey(strings.TrimSpace(m.Text))] = strings.ToLower(m.Label)
			}
		}
		for _, m := range ms {
			text := strings.TrimSpace(m.Text)
			if src == "email/spamassassin" {
				text = emailBody(text)
			}
			if text == "" {
				continue
			}
			key := textKey(text)
			if src == "sms/nus" && key%100 >= nusKeep {
				continue
			}
			e, ok := label(src, m, mendeley[key])
			if !ok || seen[key] {
				continue
			}
			seen[key] = true
			e.Text, e.Source, e.Dev = text, src, isDev(key)
			if e.Lang == "" {
				e.Lang, _ = Detect(text)
			}
			out = append(out, e)
		}
	}
	return out, nil
}

// CorpusSources are the corpora Corpus reads, in the order that decides
// which copy of a duplicated text is kept.
var CorpusSources = []string{
	"sms/uci", "sms/mendeley", "sms/nus", "sms/exais",
	"zh/telecom", "fraud_r1/raw", "fraud_r1/jobs", "fraud_r1/email",
	"ml/id", "ml/th", "ml/vi", "jobs/zh", "jobs/en", "email/spamassassin",
}

var telecomTypes = map[string]string{
	"冒充公检法及政府机关类": "impersonation_official",
	"贷款、代办信用卡类":   "loan",
	"冒充客服服务":      "customer_service",
	"冒充领导、熟人类":    "impersonation_acquaintance",
}

var fraudR1Types = map[string]string{
	"fake job posting":   "job",
	"network friendship": "romance",
	"phishing":           "phishing",
}

// label maps a corpus message to an example; ok is false when the message
// is left out. mendeley is Mendeley's label for a UCI text, if any.
func label(src string, m datasets.Message, mendeley string) (e Example, ok bool) {
	l := strings.ToLower(strings.TrimSpace(m.Label))
	e.Label, e.Lang = l, m.Lang
	switch src {
	case "sms/uci":
		e.Lang = LangEn
		switch {
		case l == "ham":
		case mendeley == "smishing":
			e.Scam, e.Label = true, "smishing"
		case mendeley == "spam":
		default:
			return e, false
		}
	case "sms/mendeley":
		e.Lang, e.Scam = LangEn, l == "smishing"
	case "sms/nus":
		e.Lang, e.Label = LangEn, "ham"
	case "sms/exais":
		e.Lang = LangEn
		if l != "ham" {
			return e, false
		}
	case "zh/telecom":
		e.Lang = LangZh
		if l != "0" {
			e.Scam, e.Type = true, telecomTypes[m.Label]
		}
	case "fraud_r1/raw":
		e.Scam, e.Type = true, fraudR1Types[l]
	case "fraud_r1/jobs":
		e.Scam, e.Type = true, "job"
	case "fraud_r1/email":
		e.Scam, e.Type = true, "phishing"
	case "ml/id", "ml/th", "ml/vi":
		e.Scam = l == "1"
	case "jobs/zh":
		e.Lang, e.Label = LangZh, "legit job"
	case "jobs/en":
		e.Lang, e.Label = LangEn, "legit job"
	case "email/spamassassin":
		if !strings.Contains(l, "ham") {
			return e, false
		}
		e.Lang, e.Label = LangEn, "ham"
	default:
		return e, false
	}
	return e, true
}

// emailBody cuts the headers off a raw e-mail and keeps the first 4 KB of
// the body.
func emailBody(raw string) string {
	if i := strings.Index(raw, "\n\n"); i >= 0 {
		raw = raw[i+2:]
	}
	if len(raw) > 4096 {
		raw = strings.ToValidUTF8(raw[:4096], "")
	}
	return strings.TrimSpace(raw)
}
