package screen

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"vigil/internal/extract"
	"vigil/internal/report"
)

var extractor = extract.New(extract.Options{})

// want is a signal expected in a text: its ID and the text it covers. The
// offsets are found by looking for the text after the previous want's
// start, so a case reads as the text it tests.
type want struct {
	ID, Text string
}

type gotSig struct {
	ID         string
	Start, End int
	Text       string
}

func locate(t *testing.T, text string, ws []want) []gotSig {
	t.Helper()
	var out []gotSig
	from := 0
	for i, w := range ws {
		if i > 0 && ws[i-1] == w {
			from++ // the same signal again, further on
		}
		k := strings.Index(text[from:], w.Text)
		if k < 0 {
			t.Fatalf("want %s %q: not in the text after byte %d", w.ID, w.Text, from)
		}
		from += k
		out = append(out, gotSig{w.ID, from, from + len(w.Text), w.Text})
	}
	return out
}

func brief(sigs []Signal) []gotSig {
	var out []gotSig
	for _, s := range sigs {
		out = append(out, gotSig{s.ID, s.Start, s.End, s.Text})
	}
	return out
}

type screenCase struct {
	name, kind, text string
	want             []want
	verdict, typ     string
}

// One realistic text for each scam type of the taxonomy.
var typeCases = []screenCase{
	{name: "investment zh", kind: KindChat, text: "我们的导师带单，稳赚不赔，注册投资平台充值USDT即可。",
		want: []want{{"trading-mentor", "导师带单"}, {"guaranteed-returns", "稳赚不赔"}, {"crypto-platform", "投资平台"}, {"crypto-platform", "USDT"}},
		typ:  "investment"},
	{name: "romance en", kind: KindChat, text: "My darling, I am a widower working on an oil rig. I fell in love with you and I dream of our future together. I sent you a gift parcel but customs holds it, please pay the clearance fee.",
		want: []want{{"romance-affection", "My darling"}, {"romance-overseas-identity", "I am a widower"}, {"romance-overseas-identity", "oil rig"},
			{"romance-affection", "I fell in love with you"}, {"romance-affection", "our future together"},
			{"romance-money-request", "gift parcel"}, {"romance-money-request", "clearance fee"}},
		typ: "romance"},
	{name: "task zh", kind: KindMessage, text: "兼职刷单，点赞关注抖音就有佣金，先垫付后返还本金加佣金。",
		want: []want{{"task-brushing", "刷单"}, {"task-brushing", "点赞关注"}, {"task-commission", "佣金"}, {"task-prepay", "先垫付"}, {"task-commission", "本金加佣金"}},
		typ:  "task"},
	{name: "job en", kind: KindJob, text: "We are hiring! Customer service representative in Cambodia, salary $3,000 per month, no experience needed, visa and flight paid. We will keep your passport. Contact only by Telegram @hr_jobs88",
		want: []want{{"job-scam-role", "Customer service representative"}, {"job-abroad", "in Cambodia"},
			{"job-high-pay-no-experience", "salary $3,000 per month, no experience needed"}, {"job-travel-paid", "visa and flight paid"},
			{"job-passport", "We will keep your passport"}, {"contact-messaging-app", "Contact only by Telegram"}, {"messaging-handle", "@hr_jobs88"}},
		typ: "job"},
	{name: "impersonation_official zh", kind: KindMessage, text: "我是公安局民警，你的身份证被冒用，涉嫌洗钱，已对你下发通缉令。请立即将资金转到安全账户配合资金核查。",
		want: []want{{"crime-accusation", "身份证被冒用"}, {"crime-accusation", "涉嫌洗钱"}, {"arrest-warrant", "通缉令"}, {"urgency", "立即"},
			{"safe-account", "安全账户"}, {"safe-account", "资金核查"}},
		typ: "impersonation_official"},
	{name: "impersonation_official zh-Hant", kind: KindMessage, text: "警方通知：你的帳戶涉嫌洗錢，請將資金轉到安全帳戶配合資金核查。",
		want: []want{{"crime-accusation", "涉嫌洗錢"}, {"safe-account", "安全帳戶"}, {"safe-account", "資金核查"}},
		typ:  "impersonation_official"},
	{name: "impersonation_acquaintance en", kind: KindMessage, text: "Hi mum, this is my new number, my phone broke. I need money urgently, can you help me pay a bill today?",
		want: []want{{"new-number", "Hi mum"}, {"new-number", "this is my new number"}, {"new-number", "my phone broke"},
			{"urgent-money-help", "I need money urgently"}, {"urgent-money-help", "can you help me pay"}},
		typ: "impersonation_acquaintance"},
	{name: "customer_service zh", kind: KindMessage, text: "您好，我是淘宝客服，您购买的商品有质量问题，我们将为您办理退款并双倍赔偿，请下载腾讯会议开启屏幕共享。",
		want: []want{{"platform-support", "淘宝客服"}, {"refund-claim", "退款"}, {"refund-claim", "双倍赔偿"}, {"screen-share", "腾讯会议"}, {"screen-share", "屏幕共享"}},
		typ:  "customer_service"},
	{name: "loan id", kind: KindMessage, text: "Pinjaman tanpa jaminan, cair cepat! Bayar biaya admin dulu untuk pencairan. Hubungi 0812-3456-7890",
		want: []want{{"loan-no-collateral", "Pinjaman tanpa jaminan"}, {"loan-no-collateral", "cair cepat"}, {"loan-upfront-fee", "biaya admin"}, {"phone-callback", "0812-3456-7890"}},
		typ:  "loan"},
	{name: "gambling th", kind: KindMessage, text: "บาคาร่าออนไลน์ สมัครรับโบนัส เครดิตฟรี แตกง่าย",
		want: []want{{"gambling-site", "บาคาร่า"}, {"gambling-bonus", "สมัครรับโบนัส"}, {"gambling-bonus", "เครดิตฟรี"}, {"gambling-sure-win", "แตกง่าย"}},
		typ:  "gambling"},
	{name: "phishing vi", kind: KindMessage, text: "Vietcombank thông báo: khóa tài khoản của quý khách sau 24 giờ. Vui lòng xác minh tài khoản tại https://bit.ly/vcb-xacminh và cung cấp mã OTP.",
		want: []want{{"account-frozen", "khóa tài khoản"}, {"verify-account", "xác minh tài khoản"}, {"link-shortener", "https://bit.ly/vcb-xacminh"}, {"share-code", "cung cấp mã OTP"}},
		typ:  "phishing"},
	{name: "phishing vi unaccented", kind: KindMessage, text: "VCB: Quy khach vui long xac minh tai khoan va cung cap ma OTP de tranh khoa tai khoan.",
		want: []want{{"verify-account", "xac minh tai khoan"}, {"share-code", "cung cap ma OTP"}, {"account-frozen", "khoa tai khoan"}},
		typ:  "phishing"},
	{name: "prize id", kind: KindMessage, text: "Selamat anda mendapatkan hadiah Rp 50 juta dari undian Shopee. Klaim hadiah di https://bit.ly/hadiah-shp",
		want: []want{{"prize-won", "Selamat anda mendapatkan"}, {"prize-claim", "hadiah"}, {"lucky-draw", "undian"}, {"prize-claim", "Klaim hadiah"}, {"link-shortener", "https://bit.ly/hadiah-shp"}},
		typ:  "prize"},
	{name: "extortion zh", kind: KindChat, text: "我们录下了你裸聊的视频，24小时内不交钱就把视频发给你的亲友。",
		want: []want{{"sextortion", "录下了你"}, {"sextortion", "裸聊"}, {"urgency", "24小时内"}, {"ransom", "不交钱就"}, {"sextortion", "视频发给你的"}},
		typ:  "extortion"},
	{name: "shopping en", kind: KindMessage, text: "Brand new sealed iPhone 15, 90% off, limited stock! Bank transfer only, deposit first, no cash on delivery.",
		want: []want{{"too-cheap", "Brand new sealed"}, {"too-cheap", "90% off"}, {"too-cheap", "limited stock"},
			{"pay-outside-platform", "Bank transfer only"}, {"pay-outside-platform", "deposit first"}, {"pay-outside-platform", "no cash on delivery"}},
		typ: "shopping"},
}

// Job lures, sent as job ads and as plain messages.
var jobCases = []screenCase{
	{name: "lure zh", kind: KindJob, text: "高薪招聘打字员，月薪2万，无需经验，包机票，到缅甸妙瓦底工作，护照由公司保管，加飞机详谈",
		want: []want{{"job-scam-role", "打字员"}, {"job-high-pay-no-experience", "月薪2万，无需经验"}, {"job-travel-paid", "包机票"},
			{"job-abroad", "缅甸"}, {"job-hub-destination", "妙瓦底"}, {"job-passport", "护照由公司保管"}, {"contact-messaging-app", "加飞机详谈"}},
		verdict: VerdictScam, typ: "job"},
	{name: "lure zh as a message", kind: KindMessage, text: "急招游戏推广，底薪1.5万，零经验可做，无需面试，公司包机票包签证，工作地点西港，联系飞机",
		want: []want{{"job-scam-role", "游戏推广"}, {"job-high-pay-no-experience", "底薪1.5万，零经验"}, {"job-no-interview", "无需面试"},
			{"job-travel-paid", "公司包机票"}, {"job-travel-paid", "包签证"}, {"contact-messaging-app", "联系飞机"}},
		verdict: VerdictScam, typ: "job"},
	{name: "lure th", kind: KindJob, text: "รับสมัครแอดมิน ทำงานที่เมียวดี ไม่ต้องมีประสบการณ์ เงินเดือนสูง ฟรีตั๋วเครื่องบิน",
		want: []want{{"job-scam-role", "แอดมิน"}, {"job-hub-destination", "เมียวดี"},
			{"job-high-pay-no-experience", "ไม่ต้องมีประสบการณ์ เงินเดือนสูง"}, {"job-travel-paid", "ฟรีตั๋วเครื่องบิน"}},
		verdict: VerdictScam, typ: "job"},
}

func TestSignals(t *testing.T) {
	for _, c := range append(append([]screenCase{}, typeCases...), jobCases...) {
		t.Run(c.name, func(t *testing.T) {
			ms := extractor.Extract(c.text).Matches
			r := RulesOnly(c.text, c.kind, ms)
			if diff := cmp.Diff(locate(t, c.text, c.want), brief(r.Signals)); diff != "" {
				t.Errorf("signals (-want +got):\n%s", diff)
			}
			if r.Type != c.typ {
				t.Errorf("Type = %q, want %q (scores %v)", r.Type, c.typ, r.TypeScores)
			}
			if c.verdict != "" && r.Verdict != c.verdict || r.Verdict == VerdictNoSign {
				t.Errorf("Verdict = %q (risk %.2f), want %q", r.Verdict, r.Risk, c.verdict)
			}
			checkSignals(t, c.text, r.Signals)
		})
	}
}

// Every scam type but "other" has a test text above.
func TestTypeCasesCoverTaxonomy(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range typeCases {
		covered[c.typ] = true
	}
	for _, st := range report.ScamTypes {
		if st.Code != "other" && !covered[st.Code] {
			t.Errorf("no test text for scam type %s", st.Code)
		}
	}
}

func TestHubDestinationNamesPlace(t *testing.T) {
	text := jobCases[0].text
	r := RulesOnly(text, KindJob, extractor.Extract(text).Matches)
	var got map[string]string
	for _, s := range r.Signals {
		if s.ID == "job-hub-destination" {
			got = s.Explain
		}
	}
	want := map[string]string{"en": "destination near a known scam hub (Myawaddy)", "zh-Hans": "目的地在已知诈骗园区附近（妙瓦底）"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("explanation (-want +got):\n%s", diff)
	}
	// Outside a job ad the same place is a mention, not a destination.
	msg := "我哥哥在妙瓦底，联系不上了"
	r = RulesOnly(msg, KindMessage, extractor.Extract(msg).Matches)
	if diff := cmp.Diff([]gotSig{{"scam-hub-place", 12, 21, "妙瓦底"}}, brief(r.Signals)); diff != "" {
		t.Errorf("message signals (-want +got):\n%s", diff)
	}
}

// Honest texts of each kind show no signal, or only weak ones.
func TestBenign(t *testing.T) {
	for _, c := range []screenCase{
		{name: "job ad zh", kind: KindJob, text: "招聘会计，月薪6000-8000，要求本科及以上学历，3年以上工作经验，五险一金，周末双休，包吃包住。",
			want: []want{{"job-room-board", "包吃包住"}}},
		{name: "job ad en", kind: KindJob, text: "We are hiring a Senior Accountant in Singapore. Salary: $5,000 per month. Requirements: 5 years of experience, CPA preferred. Apply via our careers page."},
		{name: "sms zh", kind: KindMessage, text: "您的验证码是482913，5分钟内有效，请勿泄露给他人。",
			want: []want{{"code-mention", "验证码"}, {"anti-fraud-warning", "请勿泄露"}}},
		{name: "sms en", kind: KindMessage, text: "Hi, are we still meeting for dinner at 7? I'll bring the book you lent me."},
		{name: "chat", kind: KindChat, text: "周末一起去爬山吗？我带水果，你带相机。"},
		{name: "email", kind: KindEmail, text: "Dear team,\n\nPlease find attached the minutes of Tuesday's meeting. The next review is on 14 March.\n\nBest regards,\nAnna"},
		{name: "warning zh", kind: KindMessage, text: "【反诈中心】警方提醒：公检法机关不会要求转账到安全账户，谨防诈骗。"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := RulesOnly(c.text, c.kind, extractor.Extract(c.text).Matches)
			if c.name == "warning zh" {
				// Quoting the scam is not committing it: the verdict is what
				// matters here, not the list.
				if r.Verdict == VerdictScam {
					t.Errorf("anti-fraud warning: Verdict = %q (risk %.2f)", r.Verdict, r.Risk)
				}
				return
			}
			if diff := cmp.Diff(locate(t, c.text, c.want), brief(r.Signals)); diff != "" {
				t.Errorf("signals (-want +got):\n%s", diff)
			}
			if r.Verdict != VerdictNoSign || r.Type != "" {
				t.Errorf("Verdict, Type = %q, %q (risk %.2f), want no_sign", r.Verdict, r.Type, r.Risk)
			}
		})
	}
}

// checkSignals checks what holds of any signal: a span within the text,
// its text, and an explanation in both languages.
func checkSignals(t testing.TB, text string, sigs []Signal) {
	t.Helper()
	for _, s := range sigs {
		if s.Start < 0 || s.Start > s.End || s.End > len(text) {
			t.Fatalf("%s: span %d-%d outside the text (%d bytes)", s.ID, s.Start, s.End, len(text))
		}
		if s.Text != text[s.Start:s.End] {
			t.Fatalf("%s: Text %q != text[%d:%d] %q", s.ID, s.Text, s.Start, s.End, text[s.Start:s.End])
		}
		if s.Explain["en"] == "" || s.Explain["zh-Hans"] == "" || strings.Contains(s.Explain["en"]+s.Explain["zh-Hans"], "{") {
			t.Fatalf("%s: explanation %q", s.ID, s.Explain)
		}
	}
}

// The table: stable unique IDs, weights in range, known scam types, an
// explanation in both languages, something to fire on; and at least three
// signals mainly of each scam type but "other".
func TestTable(t *testing.T) {
	codes := map[string]bool{}
	for _, st := range report.ScamTypes {
		codes[st.Code] = true
	}
	perType := map[string]int{}
	seen := map[string]bool{}
	for _, d := range Defs() {
		if d.ID == "" || seen[d.ID] || strings.ToLower(d.ID) != d.ID || strings.ContainsAny(d.ID, " _") {
			t.Errorf("%q: empty, duplicate or not kebab-case ID", d.ID)
		}
		seen[d.ID] = true
		if d.ID == warningID {
			if d.Weight >= 0 || d.Weight <= -1 {
				t.Errorf("%s: weight %v, want in (-1, 0)", d.ID, d.Weight)
			}
		} else if d.Weight <= 0 || d.Weight >= 1 {
			t.Errorf("%s: weight %v, want in (0, 1)", d.ID, d.Weight)
		}
		if d.ID != warningID && len(d.Types) == 0 {
			t.Errorf("%s: no scam type", d.ID)
		}
		for _, tw := range d.Types {
			if !codes[tw.Type] || tw.Type == "other" || tw.Weight <= 0 || tw.Weight > 1 {
				t.Errorf("%s: type %q weight %v", d.ID, tw.Type, tw.Weight)
			}
			if tw.Weight >= 0.5 {
				perType[tw.Type]++
			}
		}
		for _, lang := range []string{"en", "zh-Hans"} {
			if strings.TrimSpace(d.Explain[lang]) == "" {
				t.Errorf("%s: no %s explanation", d.ID, lang)
			}
		}
		if len(d.Explain) != 2 {
			t.Errorf("%s: explanation languages %v, want en and zh-Hans", d.ID, d.Explain)
		}
		hasPlace := strings.Contains(d.Explain["en"], "{place}")
		if hasPlace != strings.Contains(d.Explain["zh-Hans"], "{place}") || hasPlace && !d.FromIndicators {
			t.Errorf("%s: {place} in one explanation only, or in a phrase signal", d.ID)
		}
		n := 0
		for lang, ps := range d.Phrases {
			if lang != "zh-Hans" && lang != "en" && lang != "id" && lang != "th" && lang != "vi" {
				t.Errorf("%s: phrase language %q (zh-Hant is derived)", d.ID, lang)
			}
			for _, p := range ps {
				if len(p) < 2 || strings.TrimSpace(p) != p {
					t.Errorf("%s: phrase %q", d.ID, p)
				}
			}
			n += len(ps)
		}
		switch {
		case d.FromIndicators:
			if n > 0 || d.Pair[0] != "" {
				t.Errorf("%s: an indicator signal with phrases", d.ID)
			}
		case d.Pair[0] != "":
			if cues[d.Pair[0]] == nil || cues[d.Pair[1]] == nil || d.Near <= 0 {
				t.Errorf("%s: pair %v within %d", d.ID, d.Pair, d.Near)
			}
		default:
			for _, lang := range []string{"zh-Hans", "en", "id", "th", "vi"} {
				if len(d.Phrases[lang]) == 0 {
					t.Errorf("%s: no %s phrase", d.ID, lang)
				}
			}
		}
	}
	for _, st := range report.ScamTypes {
		if st.Code != "other" && perType[st.Code] < 3 {
			t.Errorf("scam type %s: %d signals, want at least 3", st.Code, perType[st.Code])
		}
	}
}

// Traditional Chinese and unaccented Vietnamese are derived from the table:
// check they are found.
func TestDerivedForms(t *testing.T) {
	for _, c := range []struct{ text, id, lang string }{
		{"請把錢轉到安全帳戶", "safe-account", "zh-Hant"},
		{"你涉嫌洗錢", "crime-accusation", "zh-Hant"},
		{"兼職刷單賺錢", "task-brushing", "zh-Hant"},
		{"護照由公司保管", "job-passport", "zh"},
		{"遊戲推廣", "job-scam-role", "zh-Hant"},
		{"百家樂", "gambling-site", "zh-Hant"},
		{"註冊送彩金", "gambling-bonus", "zh"},
		{"恭喜您中獎", "prize-won", "zh-Hant"},
		{"請把驗證碼發給我", "share-code", "zh-Hant"},
		{"ban da trung thuong", "prize-won", "vi"},
		{"vay tien nhanh", "loan-no-collateral", "vi"},
	} {
		var got []string
		for _, s := range Signals(c.text, KindJob, nil) {
			if s.ID == c.id && (c.lang == "" || s.Lang == c.lang || c.lang == "zh" && strings.HasPrefix(s.Lang, "zh")) {
				got = append(got, s.ID)
			}
		}
		if len(got) == 0 {
			t.Errorf("%q: no %s signal in %s; got %v", c.text, c.id, c.lang, brief(Signals(c.text, KindJob, nil)))
		}
	}
}

// Every simplified character of a phrase with a traditional form is in the
// map: a character left out would leave the phrase unfound in Taiwan and
// Hong Kong. The list is of simplified-only characters known to occur.
func TestHantCovers(t *testing.T) {
	for _, d := range Defs() {
		for _, p := range d.Phrases["zh-Hans"] {
			for _, r := range hant(p) {
				if strings.ContainsRune(simplifiedOnly, r) {
					t.Errorf("%s: %q: %q has no traditional form in hantPairs", d.ID, p, r)
				}
			}
		}
	}
}

// simplifiedOnly are common simplified characters that never appear in
// traditional text (a sample, not all).
const simplifiedOnly = "们这说话时国对会发经过还现机没问电关点动样长开进种实头给间边让认将体总东见车门无钱银账户护飞务员资费贷奖码链验证诈骗赌赎赔赚转单网游戏乐师导带币稳虚拟拨写声态园区"

func TestGuessLang(t *testing.T) {
	for _, c := range []struct {
		text, lang string
		ok         bool
	}{
		{"您好，您的快递已到驿站，请凭取件码领取。", "zh", true},
		{"ยินดีด้วย คุณได้รับรางวัล", "th", true},
		{"Your parcel is waiting for you at the post office.", "en", true},
		{"Selamat anda mendapatkan hadiah dari kami untuk anda", "id", true},
		{"Quý khách đã trúng thưởng, vui lòng liên hệ", "vi", true},
		{"Quy khach vui long cung cap ma OTP cho chung toi de nhan qua", "vi", true},
		{"မင်္ဂလာပါ အလုပ်ခေါ်စာ", "my", false},
		{"12345 !!!", "", false},
	} {
		lang, ok := guessLang(c.text)
		if lang != c.lang || ok != c.ok {
			t.Errorf("guessLang(%q) = %q, %v; want %q, %v", c.text, lang, ok, c.lang, c.ok)
		}
	}
}
