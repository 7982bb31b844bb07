package extract

import (
	"strings"

	"vigil/internal/phrase"
	"vigil/internal/place"
)

// cue is a bit set of what the words near an indicator say about it.
type cue uint32

const (
	cueWeChat cue = 1 << iota
	cueQQ
	cueTelegram
	cueWhatsApp
	cueLINE
	cueZalo
	cuePhone    // 电话, call, tel, hotline
	cueSMS      // text ... to, reply, 短信: precedes SMS short codes
	cueBank     // 卡号, bank account, rekening: a bank account for sure
	cueAccount  // 账号, account: an account of some kind
	cueCard     // 卡号, card number
	cuePayment  // 转账, deposit, pay
	cueRecruit  // 招聘, hiring, salary
	cueRansom   // 赎金, ransom
	cueContact  // 联系, contact, add me
	cueTRC20    // TRC20, 波场, TRON
	cueERC20    // ERC20, Ethereum
	cueBEP20    // BEP20, BSC
	cueUSDT     // USDT, 泰达币
	cueCrypto   // wallet, 钱包, 地址 next to crypto words
	cuePlaceCtx // 缅甸, Myanmar, 园区, border: makes an ambiguous place name likely
	cueRef      // Ref:, order no, 订单号: the number after it is a reference
	cueDial     // call, dial, 拨打, LH, CS, gửi: a verb or label right before a short code
	cueNotAddr  // PGP, fingerprint, hash: hex after it is not a wallet
)

// cueWords are the words Vigil reads as cues, in the languages of its users.
// Latin-script words match as whole words, ignoring case.
var cueWords = map[cue][]string{
	cueWeChat: {"微信", "微信号", "加微信", "加微信号", "威信", "薇信", "徽信", "微心", "维信", "V信", "v信", "VX", "wx", "加V", "加v", "+V", "+v", "加微", "wechat", "we chat",
		"weixin", "wei xin", "微x", "V❤", "v❤", "卫星号"},
	cueQQ:       {"qq", "q q", "q.q", "q-q", "q_q", "q~q", "q0q", "q0q0", "qq号", "扣扣", "抠抠", "寇寇", "扣扣号", "企鹅号", "q号", "Q群", "qq群"},
	cueTelegram: {"telegram", "tg", "tele", "纸飞机", "飞机", "飞机号", "电报", "teleg", "telegram id", "tg号"},
	cueWhatsApp: {"whatsapp", "whats app", "watsapp", "whatsap", "wa", "wasap", "วอทส์แอพ"},
	cueLINE:     {"line id", "lineid", "line:", "line :", "加line", "line号", "ไลน์", "ไอดีไลน์", "id line", "line@", "add line", "แอดไลน์", "แอดline", "แอด line", "(line"},
	cueZalo:     {"zalo"},
	cuePhone: {"电话", "手机", "手机号", "致电", "拨打", "热线", "专线", "联系电话", "座机", "来电", "电话号码", "报警", "客服电话", "服务热线",
		"tel", "tel.", "phone", "call", "mobile", "mob", "hotline", "helpline", "ring", "dial", "telp", "telepon", "hp", "no hp", "nomor", "fax", "freephone",
		"โทร", "เบอร์", "điện thoại", "đt", "sđt", "gọi", "goi", "hotline", "số", "ph", "ph:", "cskh", "cs", "tổng đài", "tong dai"},
	cueSMS: {"text", "txt", "send", "reply", "rply", "sms", "msg", "短信", "回复", "发送", "短讯", "ketik", "kirim", "krm", "soạn", "soan", "gửi", "gui", "ส่ง"},
	cueBank: {"卡号", "银行卡", "收款账户", "收款账号", "收款人", "开户行", "对公账户", "银行账号", "银行账户", "户名",
		"account no", "account number", "acct", "acct no", "a/c", "acc no", "bank account", "bank acct", "iban", "sort code",
		"rekening", "no rek", "norek", "rek", "no.rek", "เลขบัญชี", "บัญชี", "số tài khoản", "stk", "số tk"},
	cueAccount: {"账号", "账户", "帐号", "帐户", "account", "tài khoản", "akun"},
	cueCard:    {"卡号", "银行卡", "信用卡", "储蓄卡", "card", "card no", "card number", "visa", "mastercard", "debit card", "credit card", "kartu", "thẻ", "บัตร"},
	cuePayment: {"转账", "转到", "转入", "汇款", "打款", "付款", "支付", "收款", "充值", "入金", "出金", "提现", "保证金", "解冻", "手续费",
		"押金", "缴纳", "交钱", "汇到", "存入", "打到", "转给", "打钱", "垫付",
		"transfer", "deposit", "pay", "payment", "remit", "send money", "fee", "beneficiary", "bayar", "transfer ke",
		"chuyển khoản", "nạp", "โอน", "ชำระ", "โอนเงิน"},
	cueRecruit: {"招聘", "高薪", "应聘", "面试", "入职", "岗位", "招工", "人事", "急招", "招人", "诚聘", "薪资", "月薪", "底薪", "待遇",
		"包吃住", "中介", "工作", "hr", "hiring", "recruit", "recruiter", "recruitment", "job", "jobs", "vacancy", "salary", "interview",
		"lowongan", "gaji", "tuyển dụng", "việc làm", "lương", "สมัครงาน", "รับสมัคร", "เงินเดือน"},
	cueRansom: {"赎金", "赎人", "赎回", "赎身", "放人", "交钱放人", "ransom", "release him", "release her", "扣押", "tebusan", "tiền chuộc", "ค่าไถ่"},
	cueContact: {"联系", "加我", "添加", "咨询", "客服", "私聊", "私信", "联络", "contact", "add me", "text me", "message me", "reach me",
		"chat with", "hubungi", "hub", "liên hệ", "lien he", "lh", "kết bạn", "ติดต่อ", "แอด"},
	cueTRC20:  {"trc20", "trc-20", "trc 20", "波场", "tron", "trx"},
	cueERC20:  {"erc20", "erc-20", "erc 20", "以太坊", "ethereum", "eth"},
	cueBEP20:  {"bep20", "bep-20", "bep 20", "bsc", "币安链", "币安智能链", "bnb chain"},
	cueUSDT:   {"usdt", "泰达币", "u币", "泰达", "tether"},
	cueCrypto: {"钱包", "钱包地址", "收款地址", "充值地址", "地址", "wallet", "address", "crypto", "bitcoin", "btc", "比特币", "虚拟币", "币"},
	cueDial: {"call", "dial", "ring", "拨打", "致电", "请拨", "请拨打", "lh", "lh:", "cs", "cs:", "cskh", "hotline", "helpline", "热线", "专线", "gọi", "goi",
		"hubungi", "hub", "tel", "telp", "โทร", "gửi", "gui", "krm", "kirim", "soạn", "send", "sms ke", "ketik"},
	cueRef:      {"ref", "ref.", "ref no", "reference", "order", "order no", "order id", "invoice", "订单", "订单号", "单号", "编号", "流水号", "工号", "验证码", "code", "otp", "pin", "kode", "mã"},
	cueNotAddr:  {"pgp", "gpg", "fingerprint", "key id", "keyid", "txid", "tx hash", "transaction hash", "hash", "sha1", "md5", "交易哈希", "哈希"},
	cuePlaceCtx: {"缅甸", "缅北", "柬埔寨", "老挝", "泰国", "园区", "诈骗", "电诈", "边境", "偷渡", "myanmar", "burma", "cambodia", "laos", "thailand", "compound", "border", "scam", "trafficked", "kokang", "越南"},
}

// A phrase ID holds the cues a word gives in its low 32 bits (卡号 is both a
// bank and a card cue) and, above them, 1 + the index of the place name it
// is, if any (缅北 is a cue and a place).
const placeShift = 32

// anchorCues are the cue words searched for in the whole text: the
// keywords that messaging IDs follow. Other cue words are only read around
// candidates, when asked for (see cueIndex).
const anchorCues = cueWeChat | cueQQ | cueTelegram | cueWhatsApp | cueLINE | cueZalo

// phraseSets builds the phrase sets: every cue word (read in windows), the
// anchor words with every place name (read over the whole text), and all of
// them together (read over the whole of a short text, in one pass).
//
// The matcher reports one phrase per position, the longest, so a place name
// also carries the cues of the cue words inside it ("KK园区" holds 园区).
func phraseSets(names []place.Name) (cueSet, anchors, all *phrase.Set) {
	cues := map[string]cue{}
	for c, words := range cueWords {
		for _, w := range words {
			cues[strings.ToLower(w)] |= c
		}
	}
	placeOf := map[string]int{}
	for i, n := range names {
		t := strings.ToLower(n.Alias.Text)
		if _, dup := placeOf[t]; !dup { // "Shwe Kokko" and "Shwe KokKo" are one phrase
			placeOf[t] = i + 1
		}
	}
	var cueWordsList, anchorWords, allWords []string
	var cueIDs, anchorIDs, allIDs []int
	for w, c := range cues {
		cueWordsList, cueIDs = append(cueWordsList, w), append(cueIDs, int(c))
		id := int(c)
		if p, ok := placeOf[w]; ok {
			id |= p << placeShift
		}
		allWords, allIDs = append(allWords, w), append(allIDs, id)
		if c&anchorCues != 0 || id>>placeShift != 0 {
			anchorWords, anchorIDs = append(anchorWords, w), append(anchorIDs, id)
		}
	}
	for w, p := range placeOf {
		var inner cue
		for cw, c := range cues {
			// Only cue words of scripts without spaces: "wa" inside
			// "myawaddy" is no WhatsApp.
			if !strings.ContainsAny(cw, "abcdefghijklmnopqrstuvwxyz") && strings.Contains(w, cw) {
				inner |= c
			}
		}
		if _, done := cues[w]; done {
			continue
		}
		anchorWords, anchorIDs = append(anchorWords, w), append(anchorIDs, p<<placeShift|int(inner))
		allWords, allIDs = append(allWords, w), append(allIDs, p<<placeShift|int(inner))
	}
	return phrase.New(cueWordsList, cueIDs), phrase.New(anchorWords, anchorIDs), phrase.New(allWords, allIDs)
}

// cueHit is one cue word found in the text.
type cueHit struct {
	start, end int
	cue        cue
}

// placeHit is a place name found in the text.
type placeHit struct {
	start, end int
	name       place.Name
}

// findAll finds, in one pass over a short text, every cue word and place
// name: the anchors and places for the whole-text detectors, and every cue
// word for the window queries, so no block is searched again.
func (x *Extractor) findAll(text string, hits []cueHit, places []placeHit, ci *cueIndex) ([]cueHit, []placeHit) {
	hits, places = hits[:0], places[:0]
	ci.reset(text, x.cueSet)
	for b := range ci.done {
		ci.done[b] = true
	}
	x.allSet.Find(text, func(m phrase.Match) {
		if p := m.ID >> placeShift; p > 0 {
			places = append(places, placeHit{m.Start, m.End, x.names[p-1]})
		}
		c := cue(m.ID & (1<<placeShift - 1))
		if c == 0 {
			return
		}
		h := cueHit{m.Start, m.End, c}
		if c&anchorCues != 0 {
			hits = append(hits, h)
		}
		b := m.Start / cueBlock
		ci.blocks[b] = append(ci.blocks[b], h)
	})
	return hits, places
}

// findAnchors finds the anchor keywords and place names of a text in one
// pass.
func (x *Extractor) findAnchors(text string, hits []cueHit, places []placeHit) ([]cueHit, []placeHit) {
	hits, places = hits[:0], places[:0]
	x.anchors.Find(text, func(m phrase.Match) {
		if p := m.ID >> placeShift; p > 0 {
			places = append(places, placeHit{m.Start, m.End, x.names[p-1]})
		}
		if c := cue(m.ID & (1<<placeShift - 1)); c != 0 {
			hits = append(hits, cueHit{m.Start, m.End, c})
		}
	})
	return hits, places
}

// cueBlock is the unit in which cue words are found on demand.
const cueBlock = 256

// cueIndex finds the cue words of a text lazily, a block at a time, the
// first time a window over the block is asked about: most of a text is
// never near a candidate, and the common words among the cues ("to",
// "call", "pay") make a full search the costliest part of extraction.
type cueIndex struct {
	text   string
	set    *phrase.Set
	blocks [][]cueHit // matches starting in each block
	done   []bool
}

func newCueIndex(text string, set *phrase.Set) *cueIndex {
	ci := &cueIndex{}
	ci.reset(text, set)
	return ci
}

// reset readies the index for a new text, keeping its memory.
func (ci *cueIndex) reset(text string, set *phrase.Set) {
	n := (len(text) + cueBlock - 1) / cueBlock
	ci.text, ci.set = text, set
	if cap(ci.blocks) < n {
		ci.blocks, ci.done = make([][]cueHit, n), make([]bool, n)
	}
	ci.blocks, ci.done = ci.blocks[:n], ci.done[:n]
	for i := range ci.blocks {
		ci.blocks[i] = ci.blocks[i][:0]
		ci.done[i] = false
	}
}

// each calls fn for the cue words that start in [from, to), block by
// block.
func (ci *cueIndex) each(from, to int, fn func(cueHit)) {
	from = max(0, from-maxCueLen) // a word starting a little earlier may reach in
	to = min(len(ci.text), to)
	for b := from / cueBlock; b*cueBlock < to; b++ {
		if !ci.done[b] {
			bs, be := b*cueBlock, min(len(ci.text), (b+1)*cueBlock)
			ci.set.FindRange(ci.text, bs, be, func(m phrase.Match) {
				ci.blocks[b] = append(ci.blocks[b], cueHit{m.Start, m.End, cue(m.ID)})
			})
			ci.done[b] = true
		}
		for _, h := range ci.blocks[b] {
			if h.start >= from && h.start < to {
				fn(h)
			}
		}
	}
}

// maxCueLen bounds the length of a cue word in bytes.
const maxCueLen = 48

// in returns the union of cues of the words that end within [from, to).
func (ci *cueIndex) in(from, to int) cue {
	var c cue
	ci.each(from, to, func(h cueHit) {
		if h.end > from && h.end <= to {
			c |= h.cue
		}
	})
	return c
}

// nearest returns the end of the last cue word with any of the cues in want
// that ends at or before pos and no further back than limit bytes.
func (ci *cueIndex) nearest(pos, limit int, want cue) (int, bool) {
	best, ok := 0, false
	ci.each(pos-limit, pos, func(h cueHit) {
		if h.end <= pos && h.end >= pos-limit && h.cue&want != 0 && h.end >= best {
			best, ok = h.end, true
		}
	})
	return best, ok
}
