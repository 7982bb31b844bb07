package datasets

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Message is one text from a public corpus.
type Message struct {
	Source string // corpus name, e.g. "sms/mendeley"
	Key    int    // 0-based position of the text within its corpus
	Text   string
	Label  string // the corpus's own label ("ham", "spam", "1", ...), if any
	Lang   string // ISO 639-1 where the corpus says
	// Flags holds per-message columns such as Mendeley's URL/EMAIL/PHONE
	// presence flags ("URL": "yes"), lower-cased.
	Flags map[string]string
}

// Sources lists the corpora Messages can read.
var Sources = []string{
	"sms/mendeley", "sms/uci", "sms/exais", "sms/spamhunter", "sms/nus",
	"zh/telecom", "fraud_r1/raw", "fraud_r1/jobs", "fraud_r1/email",
	"ml/id", "ml/th", "ml/vi", "jobs/zh", "jobs/en", "email/spamassassin",
}

// BenchSources are the corpora of the throughput benchmark, Vigil's
// (extract.BenchmarkExtractCorpus) and the peers' (bench/run.sh).
var BenchSources = []string{"sms/mendeley", "sms/uci", "zh/telecom", "sms/spamhunter", "ml/id", "ml/th", "ml/vi", "fraud_r1/raw"}

// Messages reads every text of the named corpus from the shared data
// directory dir, in file order.
func Messages(dir, source string) ([]Message, error) {
	t := filepath.Join(dir, "text")
	var (
		ms  []Message
		err error
	)
	switch source {
	case "sms/mendeley":
		ms, err = csvMessages(filepath.Join(t, "sms", "Mendeley_Dataset_5971.csv"), "TEXT", "LABEL", "URL", "EMAIL", "PHONE")
	case "sms/uci":
		ms, err = lineMessages(filepath.Join(t, "sms", "UCI_SMSSpamCollection"), func(line string) (Message, bool) {
			label, text, ok := strings.Cut(line, "\t")
			return Message{Text: text, Label: label}, ok
		})
	case "sms/exais":
		ms, err = csvMessages(filepath.Join(t, "sms", "all_ExAIS_SPAM_Dataset.csv"), "Message", "Label")
	case "sms/spamhunter":
		// Not valid CSV: one message a line after a header.
		first := true
		ms, err = lineMessages(filepath.Join(t, "sms", "SPAM-Hunter_full_dataset_messages.csv"), func(line string) (Message, bool) {
			if first {
				first = false
				return Message{}, false
			}
			return Message{Text: line, Label: "spam"}, line != ""
		})
	case "sms/nus":
		ms, err = csvMessages(filepath.Join(t, "sms", "nus_ham_dev.csv"), "text", "")
	case "zh/telecom":
		ms, err = csvMessages(filepath.Join(t, "telecom_fraud_texts_5_zh", "combined_utf8.csv"), "content", "label")
	case "fraud_r1/raw":
		ms, err = fraudR1(filepath.Join(t, "fraud_r1", "Fraud24kRaw.json"))
	case "fraud_r1/jobs":
		ms, err = fraudR1(filepath.Join(t, "fraud_r1", "unique_job_postings.json"))
	case "fraud_r1/email":
		ms, err = fraudR1(filepath.Join(t, "fraud_r1", "phishing_email.json"))
	case "ml/id", "ml/th", "ml/vi":
		ms, err = jsonlMessages(filepath.Join(t, "sms_multilingual", source[3:]+"_dev.jsonl"))
	case "jobs/zh":
		ms, err = csvMessages(filepath.Join(t, "jobs", "legit_zh_51job_dev.csv"), "岗位名称", "", "公司地址", "岗位描述")
	case "jobs/en":
		ms, err = csvMessages(filepath.Join(t, "jobs", "legit_en_glassdoor_dev.csv"), "Job Title", "", "Location", "Job Description")
	case "email/spamassassin":
		ms, err = spamAssassin(filepath.Join(t, "email_spamassassin", "spamassassin.jsonl.gz"))
	default:
		return nil, fmt.Errorf("datasets: unknown corpus %q", source)
	}
	if err != nil {
		return nil, fmt.Errorf("datasets: %s: %w", source, err)
	}
	for i := range ms {
		ms[i].Source, ms[i].Key = source, i
	}
	return ms, nil
}

func lineMessages(path string, parse func(string) (Message, bool)) ([]Message, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ms []Message
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		if m, ok := parse(strings.TrimRight(sc.Text(), "\r")); ok {
			ms = append(ms, m)
		}
	}
	return ms, sc.Err()
}

// csvMessages reads a CSV file with a header. The text is the textCol
// column; label the labelCol column (may be ""); every further named column
// is appended to the text on its own line, or, for Mendeley's Yes/No
// columns, kept as a flag.
func csvMessages(path, textCol, labelCol string, more ...string) ([]Message, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	var ms []Message
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return ms, nil
		}
		if err != nil {
			return nil, err
		}
		m := Message{Text: get(rec, textCol), Label: get(rec, labelCol)}
		for _, c := range more {
			v := get(rec, c)
			if lv := strings.ToLower(v); lv == "yes" || lv == "no" {
				if m.Flags == nil {
					m.Flags = map[string]string{}
				}
				m.Flags[c] = lv
			} else if v != "" {
				m.Text += "\n" + v
			}
		}
		ms = append(ms, m)
	}
}

func jsonlMessages(path string) ([]Message, error) {
	return lineMessages(path, func(line string) (Message, bool) {
		var r struct {
			Text  string `json:"text"`
			Label int    `json:"label"`
			Lang  string `json:"lang"`
		}
		if json.Unmarshal([]byte(line), &r) != nil {
			return Message{}, false
		}
		return Message{Text: r.Text, Label: fmt.Sprint(r.Label), Lang: r.Lang}, true
	})
}

// fraudR1 reads a Fraud-R1 JSON array. raw_data is a string, or for job
// postings an object whose text fields are joined one per line in a fixed
// order.
func fraudR1(path string) ([]Message, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var recs []struct {
		Category string          `json:"category"`
		Language string          `json:"language"`
		Raw      json.RawMessage `json:"raw_data"`
	}
	if err := json.Unmarshal(b, &recs); err != nil {
		return nil, err
	}
	ms := make([]Message, 0, len(recs))
	for _, r := range recs {
		m := Message{Label: r.Category, Lang: map[string]string{"Chinese": "zh", "English": "en"}[r.Language]}
		var s string
		if json.Unmarshal(r.Raw, &s) == nil {
			m.Text = s
		} else {
			var obj map[string]any
			if err := json.Unmarshal(r.Raw, &obj); err != nil {
				return nil, err
			}
			var parts []string
			for _, k := range []string{"title", "location", "department", "salary_range", "company_profile", "description", "requirements", "benefits"} {
				if v, ok := obj[k].(string); ok && v != "" {
					parts = append(parts, v)
				}
			}
			m.Text = strings.Join(parts, "\n")
		}
		ms = append(ms, m)
	}
	return ms, nil
}

// spamAssassin reads the gzipped JSONL of raw emails (headers and body);
// the label is the SpamAssassin group ("spam-1", "easy-ham-1", ...).
func spamAssassin(path string) ([]Message, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	var ms []Message
	sc := bufio.NewScanner(z)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var r struct {
			Group string `json:"group"`
			Text  string `json:"text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, err
		}
		ms = append(ms, Message{Text: r.Text, Label: r.Group, Lang: "en"})
	}
	return ms, sc.Err()
}
