package share

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"vigil/internal/indicator"
	"vigil/internal/report"
)

// want is what one record should be: a report (with a check), values, or
// a bad row whose reason contains bad.
type want struct {
	pos    int64
	bad    string
	values []Value
	check  func(*report.Report) string
}

func expect(t *testing.T, path string, f Format, wants []want) []Record {
	t.Helper()
	_, recs := read(t, path, f, 0)
	if len(recs) != len(wants) {
		for _, r := range recs {
			t.Logf("%d: values %v report %v err %v notice %q", r.Pos, r.Values, r.Report != nil, r.Err, r.Notice)
		}
		t.Fatalf("%d records, want %d", len(recs), len(wants))
	}
	for i, w := range wants {
		r := recs[i]
		switch {
		case r.Pos != w.pos:
			t.Errorf("record %d at line %d, want line %d", i, r.Pos, w.pos)
		case w.bad != "" && (r.Err == nil || !strings.Contains(r.Err.Error(), w.bad)):
			t.Errorf("line %d: error %v, want one saying %q", r.Pos, r.Err, w.bad)
		case w.bad == "" && r.Err != nil:
			t.Errorf("line %d: unexpected error %v", r.Pos, r.Err)
		case w.values != nil && fmtValues(r.Values) != fmtValues(w.values):
			t.Errorf("line %d: values %v, want %v", r.Pos, r.Values, w.values)
		case w.check != nil:
			if r.Report == nil {
				t.Errorf("line %d: no report", r.Pos)
			} else if msg := w.check(r.Report); msg != "" {
				t.Errorf("line %d: %s", r.Pos, msg)
			}
		}
	}
	return recs
}

func fmtValues(vs []Value) string {
	var b strings.Builder
	for _, v := range vs {
		b.WriteString(string(v.Kind) + ":" + v.Value + " ")
	}
	return b.String()
}

func ok(*report.Report) string { return "" }

const goodJSON = `{"id":"a1","kind":"scam","scam_type":"investment","channel":"wechat","narrative":"He said the platform paid 30%.","loss":{"amount":1200.50,"currency":"cny"},"occurred_at":"2024-05-01","victim_country":"cn","language":"zh","reporter":"src-7","indicators":[{"value":"+86 138 0013 8000","kind":"phone","role":"scammer_contact"},{"value":"evil-platform.com"}]}`

func TestReportsJSONL(t *testing.T) {
	long := `{"narrative":"` + strings.Repeat("A", MaxLine+10) + `"}`
	path := writeFile(t, "r.jsonl", strings.Join([]string{
		goodJSON,                            // 1
		`{"narrative": "cut off",`,          // 2 malformed
		`{"narrative":"x","colour":"red"}`,  // 3 unknown field
		`{"narrative": 5}`,                  // 4 wrong type
		"{\"narrative\":\"bad \xff byte\"}", // 5 invalid UTF-8
		`{"narrative":"x","loss":{"amount":"10","currency":"DOLLARS"}}`, // 6 bad currency
		long,                                  // 7 overlong
		"",                                    // 8 blank: skipped
		`{"narrative":"a"} {"narrative":"b"}`, // 9 two values
		`{"indicators":[{"value":"0x9fAfDd6748BA31C41a23C8303Be53320Ed41901C","kind":"eth"}]}`,                // 10 bad checksum
		`{"narrative":"x","occurred_at":"yesterday","loss":{"amount":true,"currency":"USD"},"channel":"fax"}`, // 11 three field errors
		`[1,2]`, // 12 not an object
		`{"indicators":[{"value":"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t","role":"payment"}],"occurred_at":"2024-05-01T10:00:00+08:00","loss":{"amount":"99.90","currency":"USDT"}}`, // 13 no final newline
	}, "\n"))
	expect(t, path, FormatReportsJSONL, []want{
		{pos: 1, check: func(r *report.Report) string {
			switch {
			case r.Loss == nil || *r.Loss != (report.Money{Amount: "1200.5", Currency: "CNY"}):
				return "loss not canonical"
			case r.OccurredAt == nil || !r.OccurredAt.Equal(time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)):
				return "occurred_at"
			case r.VictimCountry != "CN" || r.Status != "new" || r.Source != "import" || r.Reporter != "src-7" || r.ID != "":
				return "fields: " + r.VictimCountry + r.Status + r.Source + r.Reporter + r.ID
			case len(r.Indicators) != 2 || r.Indicators[0].Kind != indicator.Phone || r.Indicators[0].Role != "scammer_contact" ||
				r.Indicators[1].Value != "evil-platform.com" || r.Indicators[1].Origin != "named":
				return "indicators"
			case len(r.ImportKey) != 64:
				return "import key " + r.ImportKey
			}
			return ""
		}},
		{pos: 2, bad: "malformed JSON"},
		{pos: 3, bad: `unknown field "colour"`},
		{pos: 4, bad: "field narrative: a JSON number where string belongs"},
		{pos: 5, bad: "not valid UTF-8"},
		{pos: 6, bad: `/loss unknown currency "DOLLARS"`},
		{pos: 7, bad: "longer than 1048576 bytes"},
		{pos: 9, bad: "more than one JSON value"},
		{pos: 10, bad: "/indicators/0/value is not a valid eth"},
		{pos: 11, bad: "/loss/amount must be a number or a decimal string; /occurred_at must be an RFC 3339 time or a YYYY-MM-DD date; /channel must be one of"},
		{pos: 12, bad: "a JSON array where a report object belongs"},
		{pos: 13, check: func(r *report.Report) string {
			if r.Loss.Amount != "99.9" || r.OccurredAt.Format(time.RFC3339) != "2024-05-01T02:00:00Z" || r.Indicators[0].Role != "payment" {
				return "loss, time or role"
			}
			return ""
		}},
	})
}

// TestImportKey: the same content gives the same key in JSON Lines and
// CSV, however spelled; another ID or reporter gives another.
func TestImportKey(t *testing.T) {
	base := `"narrative":"Fake shop","loss":{"amount":"10.0","currency":"usd"},"indicators":[{"value":"shop-scam.com","role":"mentioned"},{"value":"+8613800138000"}]`
	jl := writeFile(t, "k.jsonl", strings.Join([]string{
		`{"id":"7",` + base + `}`,
		`{"id":"7","kind":"scam","channel":"other",` + base + `}`,
		`{"id":"8",` + base + `}`,
		`{"id":"7","reporter":"x",` + base + `}`,
	}, "\n"))
	csv := writeFile(t, "k.csv", "id,narrative,loss_amount,loss_currency,indicators\n"+
		`7,Fake shop,10,USD,"mentioned:shop-scam.com; +8613800138000"`+"\n")
	_, a := read(t, jl, FormatReportsJSONL, 0)
	_, b := read(t, csv, FormatReportsCSV, 0)
	if len(a) != 4 || len(b) != 1 {
		t.Fatalf("records: %d JSONL, %d CSV", len(a), len(b))
	}
	k := func(r Record) string {
		if r.Report == nil {
			t.Fatalf("line %d: %v", r.Pos, r.Err)
		}
		return r.Report.ImportKey
	}
	if k(a[0]) != k(a[1]) || k(a[0]) != k(b[0]) {
		t.Errorf("same content, different keys: %s %s %s", k(a[0]), k(a[1]), k(b[0]))
	}
	if k(a[0]) == k(a[2]) || k(a[0]) == k(a[3]) {
		t.Error("another id or reporter gave the same key")
	}
}

func TestReportsCSV(t *testing.T) {
	long := strings.Repeat("B", MaxLine+1)
	path := writeFile(t, "r.csv", "\xef\xbb\xbfid,narrative,loss_amount,loss_currency,indicators,occurred_at\r\n"+
		"1,Task scam,500,CNY,payment:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t;scam-task.com,2024-03-02\r\n"+ // 2
		"2,missing a column,,,\r\n"+ // 3
		"3,\"said \"\"invest\"\"\n then\nblocked me\",,,+8613800138000,\r\n"+ // 4-6
		"4,a \"bare\" quote,,,x.com,\r\n"+ // 7
		"\r\n"+ // 8 blank
		"5,\""+long+"\",,,,\r\n"+ // 9
		"6,after the long one,,,,2024-13-01\r\n"+ // 10 bad date
		"7,last,1,usdt,,\r\n") // 11
	expect(t, path, FormatReportsCSV, []want{
		{pos: 2, check: func(r *report.Report) string {
			if len(r.Indicators) != 2 || r.Indicators[0].Role != "payment" || r.Indicators[1].Role != "" || r.Loss.Currency != "CNY" {
				return "indicators or loss"
			}
			return ""
		}},
		{pos: 3, bad: "row has 5 fields, the header has 6"},
		{pos: 4, check: func(r *report.Report) string {
			if r.Narrative != "said \"invest\"\n then\nblocked me" {
				return "narrative " + r.Narrative
			}
			return ""
		}},
		{pos: 7, bad: `CSV line 7, column 5: bare " in non-quoted-field`},
		{pos: 9, bad: "record is longer than"},
		{pos: 10, bad: "/occurred_at"},
		{pos: 11, check: ok},
	})
	for _, header := range []string{"id,narrative,colour\n1,x,red\n", "narrative,narrative\nx,y\n"} {
		err := Read(context.Background(), writeFile(t, "h.csv", header), FormatReportsCSV, 0, func(Record) error { return nil })
		if err == nil || !strings.Contains(err.Error(), "header") {
			t.Errorf("header %q: error %v, want a header error", header, err)
		}
	}
	if err := Read(context.Background(), writeFile(t, "q.csv", "narrative\n\"open\n"), FormatReportsCSV, 0,
		func(r Record) error {
			if r.Err == nil {
				t.Errorf("unclosed quote: %+v", r)
			}
			return nil
		}); err != nil {
		t.Error(err)
	}
}

func TestPlain(t *testing.T) {
	path := writeFile(t, "my-list.txt", strings.Join([]string{
		"# my list",        // 1
		"Evil-Example.COM", // 2
		"0x9fAfDd6748BA31C41a23C8303Be53320Ed41901C",    // 3 bad checksum
		"+86 138 0013 8000",                             // 4
		"https://docs.google.com/forms/d/abc  # a form", // 5
		"",                         // 6
		"0.0.0.0 scam.example.net", // 7
		"localhost",                // 8
		"User@Example.com",         // 9
		"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", // 10
		"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3",         // 11 bad checksum
		"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",         // 12
		"http://203.0.113.9/",                        // 13
	}, "\n"))
	recs := expect(t, path, FormatPlain, []want{
		{pos: 2, values: []Value{{indicator.Domain, "evil-example.com"}}},
		{pos: 3, bad: "bad EIP-55 checksum"},
		{pos: 4, values: []Value{{indicator.Phone, "+8613800138000"}}},
		{pos: 5, values: []Value{{indicator.URL, "https://docs.google.com/forms/d/abc"}}},
		{pos: 7, values: []Value{{indicator.Domain, "scam.example.net"}}},
		{pos: 8, bad: "cannot tell what kind"},
		{pos: 9, values: []Value{{indicator.Email, "user@example.com"}}},
		{pos: 10, values: []Value{{indicator.BTC, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"}}},
		{pos: 11, bad: "Base58Check"},
		{pos: 12, values: []Value{{indicator.TRX, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"}}},
		{pos: 13, values: []Value{{indicator.IP, "203.0.113.9"}}},
	})
	if recs[0].Source != "my-list" || recs[0].KnownGood {
		t.Errorf("source %q known-good %v, want my-list, false", recs[0].Source, recs[0].KnownGood)
	}
	checkResume(t, path, FormatPlain, recs)
}

func TestResumeReports(t *testing.T) {
	path := writeFile(t, "r.jsonl", goodJSON+"\n{bad\n"+goodJSON+"\n\n"+goodJSON+"\n")
	_, all := read(t, path, FormatReportsJSONL, 0)
	checkResume(t, path, FormatReportsJSONL, all)
	for from, wantFirst := range map[int64]int64{0: 1, 1: 2, 2: 3, 3: 5, 4: 5, 5: 0} {
		_, recs := read(t, path, FormatReportsJSONL, from)
		first := int64(0) // none
		if len(recs) > 0 {
			first = recs[0].Pos
		}
		if first != wantFirst {
			t.Errorf("from %d: first record at line %d, want %d", from, first, wantFirst)
		}
	}
}

func TestReadStops(t *testing.T) {
	path := writeFile(t, "l.txt", "a.com\nb.com\nc.com\n")
	stop := errors.New("stop")
	n := 0
	err := Read(context.Background(), path, FormatPlain, 0, func(Record) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("fn's error: Read returned %v after %d records, want it as is after 1", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Read(ctx, path, FormatPlain, 0, func(Record) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if err := Read(context.Background(), path+".missing", FormatPlain, 0, func(Record) error { return nil }); err == nil {
		t.Error("missing file: no error")
	}
	for f, content := range map[Format]string{FormatCryptoScamDB: "{\"a\": 1}\n", FormatEthPhishing: "[1]", FormatMISP: "not json", FormatScamSniffer: "[\"0x1\", "} {
		if err := Read(context.Background(), writeFile(t, "bad", content), f, 0, func(Record) error { return nil }); err == nil {
			t.Errorf("%s on %q: no format error", f, content)
		}
	}
}

func TestJarelllamaPatterns(t *testing.T) {
	path := writeFile(t, "config_whitelist.txt", "^1337x\\.org$\n\\.google\\.com$\nphishing\n^google\\.[a-z]*$\nplain-good.com\n")
	expect(t, path, FormatJarelllama, []want{
		{pos: 1, values: []Value{{indicator.Domain, "1337x.org"}}},
		{pos: 2}, {pos: 3}, {pos: 4},
		{pos: 5, values: []Value{{indicator.Domain, "plain-good.com"}}},
	})
}
