package report

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"vigil/internal/extract"
	"vigil/internal/indicator"
)

func TestParseMoney(t *testing.T) {
	cases := []struct {
		amount, cur, want, wantCur string
		ok                         bool
	}{
		{"1200", "usd", "1200", "USD", true},
		{"1200.50", "CNY", "1200.5", "CNY", true},
		{"0.000001", "USDT", "0.000001", "USDT", true},
		{" 450000 ", " cny ", "450000", "CNY", true},
		{"1e5", "USD", "", "", false},
		{"-3", "USD", "", "", false},
		{"12abc", "USD", "", "", false},
		{"1/3", "USD", "", "", false},
		{"5", "XXXX", "", "", false},
		{"5", "ABC", "", "", false},
		{"5", "", "", "", false},
		{strings.Repeat("9", 41), "USD", "", "", false},
	}
	for _, c := range cases {
		m, err := ParseMoney(c.amount, c.cur)
		if (err == nil) != c.ok || c.ok && (m.Amount != c.want || m.Currency != c.wantCur) {
			t.Errorf("ParseMoney(%q, %q) = %+v, %v; want %s %s ok=%v", c.amount, c.cur, m, err, c.want, c.wantCur, c.ok)
		}
	}
}

func TestValidate(t *testing.T) {
	r := &Report{Narrative: "x"}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	if r.Kind != "scam" || r.ScamType != "other" || r.Channel != "other" || r.Status != StatusNew {
		t.Errorf("defaults: %+v", r)
	}
	future := time.Now().Add(72 * time.Hour)
	bad := &Report{Kind: "x", ScamType: "y", Channel: "z", Status: "w", Narrative: "a\x00", VictimCountry: "XX",
		OccurredAt: &future, Loss: &Money{"1", "NOPE"}, Indicators: []Link{{Value: "", Role: "boss"}}}
	err := bad.Validate()
	var ve *ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("want a ValidationError, got %v", err)
	}
	var ptrs []string
	for _, f := range ve.Fields {
		ptrs = append(ptrs, f.Pointer)
	}
	for _, want := range []string{"/kind", "/scam_type", "/channel", "/status", "/narrative", "/loss", "/victim_country", "/occurred_at", "/indicators/0/role", "/indicators/0/value"} {
		if !slices.Contains(ptrs, want) {
			t.Errorf("no error for %s in %v", want, ptrs)
		}
	}
	if err := (&Report{}).Validate(); err == nil {
		t.Error("an empty report is valid")
	}
}

func TestResolve(t *testing.T) {
	x := extract.New(extract.Options{})
	r := &Report{Narrative: "加微信 lonely_heart88，转账 USDT 到 TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp，如有疑问请拨打110报警", VictimCountry: "CN",
		Indicators: []Link{{Value: "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp", Role: RoleRansomIntermediary}, {Value: "139 0013 9000", Role: RoleVictimContact}}}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := Resolve(x, r); err != nil {
		t.Fatal(err)
	}
	got := map[string]Link{}
	for _, l := range r.Indicators {
		got[string(l.Kind)+":"+l.Value] = l
	}
	want := map[string]struct{ role, origin string }{
		"trx:TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp": {RoleRansomIntermediary, "named"}, // the reporter's role wins
		"phone:+8613900139000":                   {RoleVictimContact, "named"},
		"wechat:lonely_heart88":                  {RoleScammerContact, "extracted"},
	}
	for k, w := range want {
		if l, ok := got[k]; !ok || l.Role != w.role || l.Origin != w.origin {
			t.Errorf("%s: got %+v, want role %s origin %s (all: %v)", k, l, w.role, w.origin, got)
		}
	}
	if l, ok := got["phone:110"]; !ok || l.KnownGood == "" {
		t.Errorf("110 should be found and known-good: %+v", got)
	}
	bad := &Report{Narrative: "x", Indicators: []Link{{Value: "hello there"}}}
	if err := Resolve(x, bad); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "/indicators/0/value") {
		t.Errorf("unreadable named value: %v", err)
	}
}

func TestInterpret(t *testing.T) {
	x := extract.New(extract.Options{})
	cases := []struct {
		in, region string
		kind       indicator.Kind
		want       []string
	}{
		{"+86 138-0013-8000", "", "", []string{"phone:+8613800138000"}},
		{"hxxps://evil[.]com/login", "", "", []string{"url:https://evil.com/login"}},
		{"TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp", "", "", []string{"trx:TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"}},
		{"@Scam_Desk", "", "", []string{"telegram:scam_desk"}},
		{"wechat: abc_123456", "", "", []string{"wechat:abc_123456"}},
		{"12345678", "", "", []string{"qq:12345678"}},
		{"13800138000", "CN", "", []string{"phone:+8613800138000", "qq:13800138000"}},
		{"12345678", "", indicator.QQ, []string{"qq:12345678"}},
	}
	for _, c := range cases {
		ms, err := Interpret(x, c.in, c.kind, c.region)
		if err != nil {
			t.Errorf("Interpret(%q): %v", c.in, err)
			continue
		}
		var got []string
		for _, m := range ms {
			got = append(got, string(m.Kind)+":"+m.Value)
		}
		if !slices.Equal(got[:min(len(got), len(c.want))], c.want) {
			t.Errorf("Interpret(%q) = %v, want %v first", c.in, got, c.want)
		}
	}
	for _, in := range []string{"", "   ", "??", "hello there, how are you", strings.Repeat("a", 3000)} {
		if _, err := Interpret(x, in, "", ""); err == nil {
			t.Errorf("Interpret(%q) read something", in)
		}
	}
	if _, err := Interpret(x, "hello", indicator.ETH, ""); err == nil {
		t.Error("hello is an ETH address")
	}
}

func TestConfidence(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		e     Evidence
		want  float64
		level string
	}{
		{Evidence{Kind: indicator.Phone}, 0, LevelNone},
		{Evidence{Kind: indicator.Phone, Reporters: 1, LastSeen: now}, 0.5, LevelUnverified},
		{Evidence{Kind: indicator.Phone, Sources: 1, LastSeen: now}, 0.5, LevelUnverified},
		{Evidence{Kind: indicator.Phone, Reporters: 2, LastSeen: now}, 0.75, LevelMedium},
		{Evidence{Kind: indicator.Phone, Reporters: 3, LastSeen: now}, 0.875, LevelHigh},
		{Evidence{Kind: indicator.Phone, Reporters: 2, LastSeen: now.Add(-90 * 24 * time.Hour)}, 0.375, LevelLow},
		{Evidence{Kind: indicator.TRX, Reporters: 2, LastSeen: now.Add(-90 * 24 * time.Hour)}, 0.75 * math.Pow(0.5, 90.0/730), LevelMedium},
	}
	for _, c := range cases {
		got, level := Confidence(c.e, now)
		if math.Abs(got-c.want) > 0.001 || level != c.level {
			t.Errorf("Confidence(%+v) = %v %s, want %v %s", c.e, got, level, c.want, c.level)
		}
	}
	// Wallets age slower than phone numbers.
	old := now.Add(-365 * 24 * time.Hour)
	p, _ := Confidence(Evidence{Kind: indicator.Phone, Reporters: 4, LastSeen: old}, now)
	w, _ := Confidence(Evidence{Kind: indicator.ETH, Reporters: 4, LastSeen: old}, now)
	if p >= w {
		t.Errorf("a year-old phone number (%v) should be less certain than a year-old wallet (%v)", p, w)
	}
}

func FuzzInterpret(f *testing.F) {
	x := extract.New(extract.Options{})
	for _, s := range []string{"+86 138 0013 8000", "@abc_def", "0x52908400098527886E0F7030069857D2E4169EE7", "hxxp://a[.]b", "微信 abc_123", "\xff"} {
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, s, kind string) {
		k := indicator.Kind(kind)
		if _, err := indicator.ParseKind(kind); err != nil {
			k = ""
		}
		ms, err := Interpret(x, s, k, "")
		if err == nil && len(ms) == 0 {
			t.Fatalf("no readings and no error for %q", s)
		}
		for _, m := range ms {
			if m.Value == "" || m.Kind == "" {
				t.Fatalf("empty reading %+v for %q", m, s)
			}
		}
	})
}
