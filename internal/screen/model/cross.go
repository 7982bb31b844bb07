package model

import "slices"

// CrossResult is one cross-source experiment: a model trained without the
// test source, scored on it.
type CrossResult struct {
	Name, Train, Test string
	Metrics           Metrics
}

// crossExperiment names what to train on and what to test on. Test texts
// are every text of the test sources (train and dev split alike: the model
// never saw the source), plus, where the test source has scams only, the
// dev-split non-scams in its languages so that AUC and FPR mean something.
type crossExperiment struct {
	name, train, test string
	trainOn           func(Example) bool
	testOn            func(Example) bool
}

func from(sources ...string) func(Example) bool {
	return func(e Example) bool { return slices.Contains(sources, e.Source) }
}

func notFrom(sources ...string) func(Example) bool {
	return func(e Example) bool { return !slices.Contains(sources, e.Source) }
}

var crossExperiments = []crossExperiment{
	{"fraud_r1/raw unseen", "every corpus but fraud_r1/*", "fraud_r1/raw (all) + dev non-scams in zh/en",
		notFrom("fraud_r1/raw", "fraud_r1/jobs", "fraud_r1/email"),
		func(e Example) bool {
			return e.Source == "fraud_r1/raw" || (e.Dev && !e.Scam && (e.Lang == LangZh || e.Lang == LangEn))
		}},
	{"ml/vi unseen", "every corpus but ml/vi", "ml/vi (all)", notFrom("ml/vi"), from("ml/vi")},
	{"ml/id unseen", "every corpus but ml/id", "ml/id (all)", notFrom("ml/id"), from("ml/id")},
	{"ml/th unseen", "every corpus but ml/th", "ml/th (all)", notFrom("ml/th"), from("ml/th")},
	{"zh/telecom only -> real zh", "zh/telecom only", "fraud_r1/raw zh + fraud_r1/jobs (scams), jobs/zh (legit)",
		from("zh/telecom"),
		func(e Example) bool {
			return (e.Source == "fraud_r1/raw" && e.Lang == LangZh) || e.Source == "fraud_r1/jobs" || e.Source == "jobs/zh"
		}},
	{"zh/telecom unseen", "every corpus but zh/telecom", "zh/telecom (all)", notFrom("zh/telecom"), from("zh/telecom")},
	{"English SMS only -> fraud_r1 en", "sms/uci, sms/mendeley, sms/nus, sms/exais", "fraud_r1/raw en + fraud_r1/email (scams), dev non-scams in en",
		from("sms/uci", "sms/mendeley", "sms/nus", "sms/exais"),
		func(e Example) bool {
			return (e.Source == "fraud_r1/raw" && e.Lang == LangEn) || e.Source == "fraud_r1/email" ||
				(e.Dev && !e.Scam && e.Lang == LangEn && e.Source != "sms/uci" && e.Source != "sms/mendeley" && e.Source != "sms/nus" && e.Source != "sms/exais")
		}},
}

// CrossSource trains one model per experiment on the training split of some
// corpora and tests it on a corpus it never saw. It shows how much of the
// in-corpus quality is the corpus's style rather than scams.
func CrossSource(examples []Example, opts Options) []CrossResult {
	var out []CrossResult
	for _, x := range crossExperiments {
		var train, test []Example
		for _, e := range examples {
			if x.testOn(e) {
				test = append(test, e)
			} else if x.trainOn(e) && !e.Dev {
				train = append(train, e)
			}
		}
		m := Train(train, opts)
		r := Evaluate(m, test)
		r.Overall.Group = x.name
		out = append(out, CrossResult{Name: x.name, Train: x.train, Test: x.test, Metrics: r.Overall})
	}
	return out
}
