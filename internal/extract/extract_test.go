package extract

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/internal/datasets"
	"vigil/internal/indicator"
)

// got is the part of a Match these tests pin down.
type got struct {
	Kind      indicator.Kind
	Value     string
	Raw       string
	Hint      Hint
	KnownGood bool
	Network   string
	Tags      string // the tags that matter here, space-separated, if asked for
}

func summarise(ms []Match, tags []string) []got {
	var out []got
	for _, m := range ms {
		g := got{m.Kind, m.Value, m.Raw, m.Hint, m.KnownGood, m.Network, ""}
		var ts []string
		for _, t := range m.Tags {
			for _, want := range tags {
				if t == want {
					ts = append(ts, t)
				}
			}
		}
		g.Tags = strings.Join(ts, " ")
		out = append(out, g)
	}
	return out
}

func TestExtract(t *testing.T) {
	tags := []string{TagDefanged, TagObfuscated, TagShortener, TagIDN, TagShortCode, TagNoChecksum, TagReserved, TagMasked}
	tests := []struct {
		name   string
		region string
		text   string
		want   []got
	}{
		{"phone forms", "CN", "电话：138 0013 8000，或 +86-138-0013-8000，或 0086 13800138000，或 (+86) 13800138000",
			[]got{
				{Kind: "phone", Value: "+8613800138000", Raw: "138 0013 8000", Hint: HintContact},
				{Kind: "phone", Value: "+8613800138000", Raw: "+86-138-0013-8000", Hint: HintContact},
				{Kind: "phone", Value: "+8613800138000", Raw: "0086 13800138000", Hint: HintContact},
				{Kind: "phone", Value: "+8613800138000", Raw: "(+86) 13800138000"},
			}},
		{"full-width and numerals", "CN", "手机１３８００１３８０００ 微信同号 一三八〇〇一三八〇〇〇 幺三八 零零幺三 八零零零",
			[]got{
				{Kind: "phone", Value: "+8613800138000", Raw: "１３８００１３８０００", Hint: HintContact, Tags: TagObfuscated},
				{Kind: "phone", Value: "+8613800138000", Raw: "一三八〇〇一三八〇〇〇", Hint: HintContact, Tags: TagObfuscated},
				{Kind: "phone", Value: "+8613800138000", Raw: "幺三八 零零幺三 八零零零", Hint: HintContact, Tags: TagObfuscated},
			}},
		{"split by symbols", "CN", "加我 1-3-8-0-0-1-3-8-0-0-0 或 138*0013*8000 或 ①③⑧⓪⓪①③⑧⓪⓪⓪",
			[]got{
				{Kind: "phone", Value: "+8613800138000", Raw: "1-3-8-0-0-1-3-8-0-0-0", Hint: HintContact, Tags: TagObfuscated},
				{Kind: "phone", Value: "+8613800138000", Raw: "138*0013*8000", Hint: HintContact},
				{Kind: "phone", Value: "+8613800138000", Raw: "①③⑧⓪⓪①③⑧⓪⓪⓪", Hint: HintContact, Tags: TagObfuscated},
			}},
		{"official numbers are known-good", "CN", "如有疑问请拨打110报警，或拨打反诈专线96110，工行客服热线95588",
			[]got{
				{Kind: "phone", Value: "110", Raw: "110", KnownGood: true, Tags: TagShortCode},
				{Kind: "phone", Value: "96110", Raw: "96110", KnownGood: true, Tags: TagShortCode},
				{Kind: "phone", Value: "95588", Raw: "95588", KnownGood: true, Tags: TagShortCode},
			}},
		{"amounts and dates are not phones", "CN", "转账13800元，订单号20240115001，日期2024-01-15，价格¥13800138",
			nil},
		{"links, defanged", "", "Login at hxxps://secure-paypa1[.]com/verify?id=7. Or example(dot)com, baidu点com, www。abc。com",
			[]got{
				{Kind: "url", Value: "https://secure-paypa1.com/verify?id=7", Raw: "hxxps://secure-paypa1[.]com/verify?id=7", Tags: TagDefanged},
				{Kind: "domain", Value: "example.com", Raw: "example(dot)com", Tags: TagDefanged},
				{Kind: "domain", Value: "baidu.com", Raw: "baidu点com", Tags: TagDefanged},
				{Kind: "url", Value: "http://www.abc.com", Raw: "www。abc。com", Tags: TagDefanged},
			}},
		{"links in Chinese text, shorteners, IDN", "", "点击https://u.10010.cn/qAE9U立即参与，或 bit.ly/3xYz 或 http://例子.中国/页",
			[]got{
				{Kind: "url", Value: "https://u.10010.cn/qAE9U", Raw: "https://u.10010.cn/qAE9U"},
				{Kind: "url", Value: "http://bit.ly/3xYz", Raw: "bit.ly/3xYz", Tags: TagShortener},
			}},
		{"sentence dots are not domains", "", "I love it.Now go. See Mr.Smith at 3.14 pm, e.g. U.S.A. or file report.pdf and notes.md",
			nil},
		{"emails", "", "write to Bob.Smith+scam@Example.COM or bob[at]gmail.com",
			[]got{
				{Kind: "email", Value: "bob.smith+scam@example.com", Raw: "Bob.Smith+scam@Example.COM"},
				{Kind: "email", Value: "bob@gmail.com", Raw: "bob[at]gmail.com", Tags: TagDefanged},
			}},
		{"ip addresses", "", "server 8.8.8.8, 10.0.0.1, 2001:4860:4860::8888 and 999.1.1.1, version 1.2.3.4.5, at 12:30:45",
			[]got{
				{Kind: "ip", Value: "8.8.8.8", Raw: "8.8.8.8"},
				{Kind: "ip", Value: "10.0.0.1", Raw: "10.0.0.1", Tags: TagReserved},
				{Kind: "ip", Value: "2001:4860:4860::8888", Raw: "2001:4860:4860::8888"},
			}},
		{"wallets", "", "Send USDT TRC20 to TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp, BTC to bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 or 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2, BEP20 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
			[]got{
				{Kind: "trx", Value: "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp", Raw: "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp", Hint: HintPayment, Network: "usdt-trc20"},
				{Kind: "btc", Value: "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", Raw: "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", Hint: HintPayment},
				{Kind: "btc", Value: "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", Raw: "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", Hint: HintPayment},
				{Kind: "eth", Value: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", Raw: "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", Hint: HintPayment, Network: "bep20", Tags: TagNoChecksum},
			}},
		{"wallets in brackets are not phone numbers", "GB", "pay to (0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed) or (1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2); call (020) 7946 0018",
			[]got{
				{Kind: "eth", Value: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", Raw: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", Hint: HintPayment},
				{Kind: "btc", Value: "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", Raw: "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", Hint: HintPayment},
				{Kind: "phone", Value: "+442079460018", Raw: "(020) 7946 0018", Hint: HintContact},
			}},
		{"bad checksums are not wallets", "", "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUq 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
			nil},
		{"IBAN and cards", "", "IBAN DE89 3704 0044 0532 0130 00; card no 4111 1111 1111 1111; 4111 1111 1111 1112 is not one",
			[]got{
				{Kind: "iban", Value: "DE89370400440532013000", Raw: "DE89 3704 0044 0532 0130 00", Hint: HintPayment},
				{Kind: "card", Value: "411111******1111", Raw: "411111******1111", Hint: HintPayment, Tags: TagMasked},
			}},
		{"bank accounts need words that say so", "CN", "收款账号：6217 0000 1234 5678 9，户名张三。另：订单 6217000012345678",
			[]got{
				{Kind: "bank_account", Value: "62170000123456789", Raw: "6217 0000 1234 5678 9", Hint: HintPayment},
			}},
		{"handles", "CN", "加微信：abc_123456 或 VX: Scam-Boss88，QQ：12345678，TG @fraud_king，t.me/joinchat/AbCdEfGhIjKl",
			[]got{
				{Kind: "wechat", Value: "abc_123456", Raw: "abc_123456", Hint: HintContact},
				{Kind: "wechat", Value: "scam-boss88", Raw: "Scam-Boss88", Hint: HintContact},
				{Kind: "qq", Value: "12345678", Raw: "12345678", Hint: HintContact},
				{Kind: "telegram", Value: "fraud_king", Raw: "@fraud_king", Hint: HintContact},
				{Kind: "telegram", Value: "+AbCdEfGhIjKl", Raw: "t.me/joinchat/AbCdEfGhIjKl", Hint: HintContact},
			}},
		{"messaging links", "", "wa.me/8613800138000 line.me/ti/p/~somchai88 zalo.me/0912345678 https://api.whatsapp.com/send?phone=66812345678",
			[]got{
				{Kind: "whatsapp", Value: "+8613800138000", Raw: "wa.me/8613800138000", Hint: HintContact},
				{Kind: "line", Value: "somchai88", Raw: "line.me/ti/p/~somchai88", Hint: HintContact},
				{Kind: "zalo", Value: "+84912345678", Raw: "zalo.me/0912345678", Hint: HintContact},
				{Kind: "whatsapp", Value: "+66812345678", Raw: "https://api.whatsapp.com/send?phone=66812345678", Hint: HintContact},
			}},
		{"places", "", "他被骗到妙瓦底的KK园区，后来转到西港 (Sihanoukville). Shwe Kokko is near Myawaddy.",
			[]got{
				{Kind: "place", Value: "mm-myawaddy", Raw: "妙瓦底"},
				{Kind: "place", Value: "mm-kk-park", Raw: "KK园区"},
				{Kind: "place", Value: "kh-sihanoukville", Raw: "西港"},
				{Kind: "place", Value: "kh-sihanoukville", Raw: "Sihanoukville"},
				{Kind: "place", Value: "mm-shwe-kokko", Raw: "Shwe Kokko"},
				{Kind: "place", Value: "mm-myawaddy", Raw: "Myawaddy"},
			}},
		{"ransom hint", "CN", "要赎金45万，不交钱放人就打到这个卡号 6222 0212 3456 7890 128",
			[]got{
				{Kind: "card", Value: "622202*********0128", Raw: "622202*********0128", Hint: HintRansom, Tags: TagMasked},
			}},
		{"recruiter hint", "CN", "高薪招聘客服，月薪2万，包吃住，联系人事微信 hr_kk2024",
			[]got{
				{Kind: "wechat", Value: "hr_kk2024", Raw: "hr_kk2024", Hint: HintRecruiter},
			}},
		{"SMS short codes", "GB", "Txt WIN to 87121 to claim. Call 09061701461 now",
			[]got{
				{Kind: "phone", Value: "87121", Raw: "87121", Hint: HintContact, Tags: TagShortCode},
				{Kind: "phone", Value: "+449061701461", Raw: "09061701461", Hint: HintContact},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := New(Options{Region: tt.region})
			res := x.Extract(tt.text)
			if diff := cmp.Diff(tt.want, summarise(res.Matches, tags)); diff != "" {
				t.Errorf("Extract(%q) (-want +got):\n%s", tt.text, diff)
			}
			for _, m := range res.Matches {
				if m.Kind != indicator.Card && tt.text[m.Start:m.End] != m.Raw {
					t.Errorf("%s: raw %q is not text[%d:%d] = %q", m.Kind, m.Raw, m.Start, m.End, tt.text[m.Start:m.End])
				}
			}
		})
	}
}

func TestRegionGuess(t *testing.T) {
	tests := []struct {
		text, region string
	}{
		{"请联系 13800138000", "CN"},
		{"ติดต่อ 0812345678", "TH"},
		{"Liên hệ 0912345678", "VN"},
		{"Hubungi kami di nomor 081234567890 untuk info", "ID"},
		{"Call 07781482378 now, win £1000", "GB"},
		{"call me maybe", ""},
	}
	for _, tt := range tests {
		// The region is guessed only when a national number needs one.
		res := New(Options{}).Extract(tt.text)
		if res.Region != tt.region || res.Guessed != (tt.region != "") {
			t.Errorf("Extract(%q): region %q guessed=%v, want %q", tt.text, res.Region, res.Guessed, tt.region)
		}
	}
	if res := New(Options{Region: "th"}).Extract("x"); res.Region != "TH" || res.Guessed {
		t.Errorf("explicit region: got %q guessed=%v", res.Region, res.Guessed)
	}
}

func TestKinds(t *testing.T) {
	x := New(Options{Kinds: []indicator.Kind{indicator.TRX}})
	res := x.Extract("微信 abc_123456 TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp 13800138000")
	if len(res.Matches) != 1 || res.Matches[0].Kind != indicator.TRX {
		t.Errorf("Kinds filter: got %+v", res.Matches)
	}
}

// TestOffsetsAndRaw checks the invariants every match keeps, on every
// labelled message: offsets inside the text, in order, raw the text between
// them, confidence in (0, 1].
func TestOffsetsAndRaw(t *testing.T) {
	ls := loadLabels(t)
	texts := corpusTexts(t, ls)
	x := New(Options{})
	for i, text := range texts {
		checkInvariants(t, text, x.Extract(text).Matches)
		if t.Failed() {
			t.Fatalf("in %s:%d", ls[i].Src, ls[i].Key)
		}
	}
}

func checkInvariants(t *testing.T, text string, ms []Match) {
	t.Helper()
	last := -1
	for _, m := range ms {
		if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
			t.Errorf("%s %q: bad offsets %d-%d in %d bytes", m.Kind, m.Value, m.Start, m.End, len(text))
			return
		}
		if m.Start < last {
			t.Errorf("%s %q at %d: matches out of order or overlapping (previous ended at %d)", m.Kind, m.Value, m.Start, last)
		}
		last = m.End
		if m.Kind != indicator.Card && m.Raw != text[m.Start:m.End] {
			t.Errorf("%s: raw %q != text[%d:%d] %q", m.Kind, m.Raw, m.Start, m.End, text[m.Start:m.End])
		}
		if m.Confidence <= 0 || m.Confidence > 1 {
			t.Errorf("%s %q: confidence %v", m.Kind, m.Value, m.Confidence)
		}
		if m.Kind == indicator.Card && strings.ContainsAny(m.Value[6:len(m.Value)-4], "0123456789") {
			t.Errorf("card value %q is not masked", m.Value)
		}
	}
}

// TestPlausibleKeepsValidNumbers: the cheap pre-check before libphonenumber
// never rejects a valid number (every region's example mobile number,
// national and international).
func TestPlausibleKeepsValidNumbers(t *testing.T) {
	var examples map[string]string
	b, err := os.ReadFile(datasets.Path(t, "vectors", "libphonenumber_js_examples", "examples.mobile.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &examples); err != nil {
		t.Fatal(err)
	}
	for region, national := range examples {
		p, err := indicator.ParsePhone(national, region)
		if err != nil {
			continue // the vector tests in package indicator cover these
		}
		intl := strings.TrimPrefix(p.Value, "+")
		if !plausible(national, region) || !plausible(intl, "") {
			t.Errorf("%s: %s (%s) judged implausible", region, national, p.Value)
		}
		shapesOnce.Do(loadShapes)
		if pre := shapes[region].prefix; pre != "" && !plausible(pre+national, region) {
			t.Errorf("%s: %s with trunk prefix %s judged implausible", region, national, pre)
		}
	}
}
