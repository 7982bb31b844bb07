package extract

import (
	"math/bits"
	"strings"
	"unicode/utf8"

	"vigil/internal/indicator"
)

// tokens scans runs of letters and digits once, left to right: digit runs
// become numbers (phones, QQ numbers, cards, bank accounts), long
// alphanumeric words wallets or IBANs.
func (s *scan) tokens() {
	t := s.f.text
	for i := 0; i < len(t); {
		c := t[i]
		switch class := byteClass[c]; {
		case class != 0:
			j, digits := i+1, int(class&classDigit)
			for ; j < len(t); j++ {
				k := byteClass[t[j]]
				if k == 0 {
					break
				}
				digits += int(k & classDigit) // 1 for a digit, 0 for a letter
			}
			switch {
			case digits == j-i:
				i = s.number(i)
			case digits == 0 && j-i < 25 && (j == len(t) || t[j] != '-' && t[j] != '_'):
				i = skipPlain(t, j) // a word: no wallet, IBAN, TON address or number in it
			default:
				i = s.word(i, j)
			}
		case (c == '+' || c == '(') && i+1 < len(t) && (t[i+1] == '+' || digitWord(t, i+1)):
			i = s.number(i)
		case c >= 0xC0:
			// Whole non-ASCII characters, a run of them: never part of a token.
			for i += utf8Len[c>>4]; i < len(t) && t[i] >= 0xC0; {
				i += utf8Len[t[i]>>4]
			}
		case c < utf8.RuneSelf:
			i = skipPlain(t, i+1)
		default:
			i++
		}
	}
}

// skipPlain returns the first position at or after i, where the token scan
// stands, that the scan must read byte by byte. It passes over blocks of
// eight ASCII bytes with no digit and no "+", "(", "-" or "_" (nor ")",
// "*" or ",", which share a test), keeping count of the word that runs from
// one block into the next: all the scan would find there is words of
// letters shorter than a wallet, passed over anyway. Most of a text in
// Latin script is such blocks.
func skipPlain(t string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	word := -1 // start of the word running into the block, if any
	for i+8 <= len(t) {
		w := load64(t, i)
		// A byte's high bit in each mask marks: a digit; one of ( ) * + , -;
		// an underscore; a letter. The sums cannot carry between ASCII bytes,
		// and a block with any other byte is left at once.
		digits := (w + (0x80-'0')*ones) &^ (w + (0x80-'9'-1)*ones)
		signs := (w + (0x80-'(')*ones) &^ (w + (0x80-'-'-1)*ones)
		u := w ^ '_'*ones
		under := (u - ones) &^ u
		if (w|digits|signs|under)&highs != 0 {
			break
		}
		lc := w | 0x20*ones
		nonLetters := ^((lc + (0x80-'a')*ones) &^ (lc + (0x80-'z'-1)*ones)) & highs
		if word >= 0 {
			// The word goes on to the block's first non-letter.
			if i+bits.TrailingZeros64(nonLetters)>>3-word >= 25 {
				return word // long enough to be a wallet: the scan reads it
			}
			if nonLetters == 0 {
				i += 8
				continue
			}
		}
		switch {
		case nonLetters>>63 != 0:
			word = -1 // every word in the block ends in it
		case nonLetters == 0:
			word = i
		default:
			word = i + (63-bits.LeadingZeros64(nonLetters))>>3 + 1
		}
		i += 8
	}
	if word >= 0 {
		return word
	}
	return i
}

// utf8Len is the length of a UTF-8 sequence by the high nibble of its lead
// byte (0xC_/0xD_ two bytes, 0xE_ three, 0xF_ four).
var utf8Len = [16]int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4}

// digitWord reports whether the alphanumeric run at t[i:] is all digits:
// "(020)" opens a phone number, "(0xD0cC…)" a wallet.
func digitWord(t string, i int) bool {
	j := i
	for ; j < len(t) && isAlnum(t[j]); j++ {
		if !isDigit(t[j]) {
			return false
		}
	}
	return j > i
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return len(s) > 0
}

// word examines the alphanumeric word t[i:j]: a wallet, an IBAN (possibly
// in print form, continuing over spaces), or a phone number glued to a
// keyword ("Tel08712460324") or to trailing text.
func (s *scan) word(i, j int) int {
	t := s.f.text
	w := t[i:j]
	if s.isClaimed(i, j) {
		return j
	}
	n := len(w)
	switch {
	case n >= 25 && n <= 90:
		if end, ok := s.wallet(i, j); ok {
			return end
		}
	case n == 2 && isUpper(w[0]) && isUpper(w[1]) && j < len(t) && t[j] == ' ':
		// "DE 89..." is not an IBAN form; fall through.
	}
	if n >= 4 && isUpper(w[0]) && isUpper(w[1]) && isDigit(w[2]) && isDigit(w[3]) {
		if end, ok := s.iban(i, j); ok {
			return end
		}
	}
	if n >= 46 && n <= 48 && (strings.HasPrefix(w, "EQ") || strings.HasPrefix(w, "UQ")) || j < len(t) && (t[j] == '-' || t[j] == '_') {
		if end, ok := s.ton(i); ok {
			return end
		}
	}
	// Letters then digits: a keyword glued to a number.
	k := 0
	for k < n && isLetter(w[k]) {
		k++
	}
	if k > 0 && k < n && allDigits(w[k:]) && isGluedKeyword(w[:k]) {
		return max(j, s.number(i+k))
	}
	// Digits then letters: a number glued to the next words
	// ("call 087147123779am-7pm", "08718727870150ppm"). The longest prefix
	// that is a valid phone number, if the text calls for one.
	k = 0
	for k < n && isDigit(w[k]) {
		k++
	}
	if k >= 10 && k < n && (w[0] == '0' || s.cues.in(max(0, i-24), i)&(cuePhone|cueSMS|cueContact) != 0) {
		for e := min(k, 15); e >= 10; e-- {
			if p, ok := s.phone(w[:e], false, cuePhone); ok {
				s.add(s.phoneMatch(p, i), i, i+e, prioNumber)
				break
			}
		}
	}
	return j
}

// gluedKeyword lists words that run into a phone number in spam ("Tel0871...").
var gluedKeyword = map[string]bool{"tel": true, "call": true, "phone": true, "ph": true, "mob": true, "hp": true,
	"wa": true, "no": true, "txt": true, "text": true, "sms": true, "ring": true, "on": true, "to": true, "or": true, "at": true,
	"cell": true, "fone": true, "telp": true, "sdt": true, "dt": true}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// wallet checks the word t[i:j] as a cryptocurrency address.
func (s *scan) wallet(i, j int) (int, bool) {
	t := s.f.text
	w := t[i:j]
	if len(w) > 42 && (strings.HasPrefix(w, "0x") || strings.HasPrefix(w, "0X")) {
		return 0, false // a transaction hash or other data, not an address
	}
	wl, err := indicator.ParseWallet(w)
	if err != nil {
		return 0, false
	}
	if wl.Kind == indicator.ETH && !wl.Checksummed && s.cues.in(max(0, i-60), i)&cueNotAddr != 0 {
		return 0, false // a PGP fingerprint or a hash, not an address
	}
	m := Match{Kind: wl.Kind, Value: wl.Value, Confidence: 0.95}
	if wl.Kind == indicator.ETH && !wl.Checksummed {
		m.Confidence = 0.7
		m.Tags = append(m.Tags, TagNoChecksum)
		m.Note = "no EIP-55 checksum: a typo would not be caught"
	}
	m.Network = s.network(wl.Kind, i, j)
	s.add(m, i, j, prioWallet)
	return j, true
}

// network reads the chain and token named near a wallet: USDT on TRON is
// "usdt-trc20"; an EVM address with BEP20 context "bep20".
func (s *scan) network(k indicator.Kind, i, j int) string {
	c := s.cues.in(max(0, i-80), i) | s.cues.in(j, min(len(s.f.text), j+40))
	usdt := c&cueUSDT != 0
	var chain string
	switch k {
	case indicator.TRX:
		chain = "trc20"
	case indicator.ETH:
		switch {
		case c&cueBEP20 != 0:
			chain = "bep20"
		case c&cueERC20 != 0:
			chain = "erc20"
		}
	case indicator.TON:
		chain = "ton"
	default:
		return ""
	}
	switch {
	case usdt && chain != "":
		return "usdt-" + chain
	case usdt:
		return "usdt"
	case k == indicator.TRX && c&cueTRC20 == 0:
		return ""
	}
	return chain
}

// iban tries the word at t[i:j] and the groups of up to four characters
// that follow it separated by single spaces (print form), longest first.
func (s *scan) iban(i, j int) (int, bool) {
	t := s.f.text
	ends := []int{j}
	total := j - i
	for k := j; k < len(t) && total < 34; {
		if t[k] != ' ' {
			break
		}
		g := k + 1
		for g < len(t) && g-k-1 < 4 && (isUpper(t[g]) || isDigit(t[g])) {
			g++
		}
		if g == k+1 || (g < len(t) && isAlnum(t[g])) {
			break
		}
		total += g - k - 1
		ends = append(ends, g)
		k = g
	}
	for e := len(ends) - 1; e >= 0; e-- {
		v, err := indicator.ParseIBAN(t[i:ends[e]])
		if err != nil {
			continue
		}
		s.claim(i, ends[e])
		s.add(Match{Kind: indicator.IBAN, Value: v, Confidence: 0.95}, i, ends[e], prioWallet)
		return ends[e], true
	}
	return 0, false
}

// ton checks a user-friendly TON address (48 characters of base64url) at i.
func (s *scan) ton(i int) (int, bool) {
	t := s.f.text
	j := i
	for j < len(t) && j-i <= 48 && (isAlnum(t[j]) || t[j] == '-' || t[j] == '_' || t[j] == '+' || t[j] == '/') {
		j++
	}
	if j-i != 48 || (j < len(t) && isAlnum(t[j])) {
		return 0, false
	}
	wl, err := indicator.ParseWallet(t[i:j])
	if err != nil || wl.Kind != indicator.TON {
		return 0, false
	}
	m := Match{Kind: indicator.TON, Value: wl.Value, Confidence: 0.95, Network: s.network(indicator.TON, i, j)}
	s.add(m, i, j, prioWallet)
	return j, true
}

// numSep reports whether c may stand between the digit groups of one
// number ("138-0013-8000", "138 0013 8000", "(020) 1234", "1.3.8").
func numSep(c byte) bool {
	switch c {
	case ' ', '-', '.', '/', '(', ')', '_', '*', '~', '|', '\t':
		return true
	}
	return false
}

// number reads the run of digits and separators starting at i and
// classifies it. It returns where scanning resumes.
func (s *scan) number(i int) int {
	t := s.f.text
	start := i
	for i < len(t) && (t[i] == '(' || t[i] == '+' || t[i] == ' ') {
		i++
	}
	end := i
	for i < len(t) {
		if isDigit(t[i]) {
			i++
			end = i
			continue
		}
		// A separator run of up to three characters, then a digit.
		k := i
		for k < len(t) && k-i < 3 && numSep(t[k]) {
			k++
		}
		if k == i || k >= len(t) || !isDigit(t[k]) {
			break
		}
		i = k
	}
	if end <= start {
		return start + 1
	}
	// Strip leading separators other than "(" and "+" from the span.
	for start < end && t[start] == ' ' {
		start++
	}
	if start > 0 && isLetter(t[start-1]) && !gluedKeywordBefore(t, start) {
		return end // part of a word such as an order ID
	}
	s.numberSpan(start, end)
	return end
}

// gluedKeywordBefore reports whether the letters right before position i
// are a keyword that runs into a number ("Tel0871...").
func gluedKeywordBefore(t string, i int) bool {
	k := i
	for k > 0 && isLetter(t[k-1]) {
		k--
	}
	return isGluedKeyword(t[k:i])
}

// isGluedKeyword reports whether the ASCII letters w, in any case, are a
// gluedKeyword, without a lower-cased copy.
func isGluedKeyword(w string) bool {
	var buf [8]byte
	if len(w) > len(buf) {
		return false // longer than any keyword
	}
	for i := 0; i < len(w); i++ {
		buf[i] = lowerByte(w[i])
	}
	return gluedKeyword[string(buf[:len(w)])]
}

// numRun is a run of digits and separators, split into the whitespace-
// separated tokens it is made of.
type numRun struct {
	start, end int
	plus       bool
	toks       []numTok
}

type numTok struct {
	start, end int
	digits     string
	nd         int // digits so far, while scanning
	seps       int // separators inside the token ("138-0013-8000" has 2)
	groups     []int
}

// numberSpan classifies the digits and separators in t[start:end].
func (s *scan) numberSpan(start, end int) {
	t := s.f.text
	// Most digit runs in text are one or two digits ("2 u", "10p"): leave
	// them before any work.
	nd := 0
	for i := start; i < end; i++ {
		if isDigit(t[i]) {
			nd++
		}
	}
	if nd < 3 || s.isClaimed(start, end) {
		return
	}
	if s.cues.in(max(0, start-8), start)&cueRef != 0 {
		return // "Ref:763179369", "订单号 2024..."
	}
	r := numRun{start: start, end: end, toks: s.tokBuf[:0]}
	groups := s.groupBuf[:0] // the tokens' groups, one after another
	defer func() { s.tokBuf, s.groupBuf = r.toks[:0], groups[:0] }()
	in := false // inside a token
	for i := start; i < end; i++ {
		c := t[i]
		switch {
		case isDigit(c):
			if !in {
				r.toks = append(r.toks, numTok{start: i})
				in = true
			} else if !isDigit(t[i-1]) {
				tk := &r.toks[len(r.toks)-1]
				tk.seps++
				// The last token's groups end groups: grow them in place, capped
				// so that an append elsewhere copies.
				groups = append(groups, tk.nd)
				tk.groups = groups[len(groups)-len(tk.groups)-1 : len(groups) : len(groups)]
			}
			tk := &r.toks[len(r.toks)-1]
			tk.nd++
			tk.end = i + 1
		case c == '+':
			if !in && len(r.toks) == 0 {
				r.plus = true
			}
		case c == ' ' || c == '\t' || c == '/':
			in = false // "138xxx/139xxx" lists two numbers
		}
	}
	for k := range r.toks {
		tk := &r.toks[k]
		if tk.seps == 0 {
			tk.digits = t[tk.start:tk.end] // no copy
		} else {
			tk.digits = digitsOf(t[tk.start:tk.end])
		}
	}
	r.toks = splitTokens(r.toks, t)
	s.classified = false
	if len(r.toks) > 200 {
		// A long list of numbers: classify each token or short group on its own.
		r.toks = r.toks[:200]
	}
	s.classify(r)
}

// splitTokens drops tokens that form a date ("26/12/2022") and splits a
// token too long to be one number at its separators
// ("0962121018-0862121018").
func splitTokens(toks []numTok, t string) []numTok {
	simple := true
	for i, tk := range toks {
		if len(tk.digits) > 15 && len(tk.groups) > 0 || len(tk.groups) == 2 || i+2 < len(toks) {
			simple = false // maybe a long token or a date: look closer
			break
		}
	}
	if simple {
		return toks
	}
	out := toks[:0:0]
	for i := 0; i < len(toks); i++ {
		// A date is one token ("2024-01-15") or three split by "/".
		if isDate(t[toks[i].start:toks[i].end]) {
			continue
		}
		if i+2 < len(toks) && isDate(t[toks[i].start:toks[i+2].end]) {
			i += 2
			continue
		}
		tk := toks[i]
		if len(tk.digits) <= 15 || len(tk.groups) == 0 {
			out = append(out, tk)
			continue
		}
		prev, pos := 0, tk.start
		for _, g := range append(tk.groups, len(tk.digits)) {
			// Find where this group's digits sit in the text.
			for pos < tk.end && !isDigit(t[pos]) {
				pos++
			}
			start := pos
			for n := 0; n < g-prev; pos++ {
				if isDigit(t[pos]) {
					n++
				}
			}
			out = append(out, numTok{start: start, end: pos, digits: tk.digits[prev:g]})
			prev = g
		}
	}
	return out
}

// classify finds the numbers in a run. From each token it tries spans of
// one to five tokens ("138 0013 8000" is three) and keeps the most
// confident reading. On a tie the longest wins, except that a token of
// seven or more digits that is a number by itself is not merged with what
// follows ("08712460324 10p").
func (s *scan) classify(r numRun) {
	n := len(r.toks)
	for a := 0; a < n; {
		if r.plus && a > 0 && a < 4 && !s.classified {
			// "+44 7700 900123" that is not a valid number: its tail is
			// not a national number either.
			a++
			continue
		}
		var best Match
		bestB, bfs, bfe := -1, 0, 0
		for b := min(n, a+5); b > a; b-- {
			m, fs, fe, ok := s.classifySpan(r, a, b)
			if !ok {
				continue
			}
			whole := b == a+1 && len(r.toks[a].digits) >= 7 && m.Kind == indicator.Phone
			if bestB >= 0 && money(best.Kind) && !money(m.Kind) {
				continue // part of a card or account is not a phone number
			}
			if bestB < 0 || m.Confidence > best.Confidence+1e-9 || whole && m.Confidence > best.Confidence-1e-9 {
				best, bestB, bfs, bfe = m, b, fs, fe
			}
		}
		if bestB < 0 {
			a++
			continue
		}
		s.add(best, bfs, bfe, prioNumber)
		s.classified = true
		a = bestB
	}
}

// classifySpan reads tokens [a, b) of r as one number and says what it is.
func (s *scan) classifySpan(r numRun, a, b int) (Match, int, int, bool) {
	t := s.f.text
	fs, fe := r.toks[a].start, r.toks[b-1].end
	nd, groups := 0, 0
	for _, tk := range r.toks[a:b] {
		nd += len(tk.digits)
		groups += len(tk.groups) + 1
	}
	if nd < 3 || nd > 19 {
		return Match{}, 0, 0, false
	}
	digits := r.toks[a].digits
	if b > a+1 {
		var db strings.Builder
		db.Grow(nd)
		for _, tk := range r.toks[a:b] {
			db.WriteString(tk.digits)
		}
		digits = db.String()
	}
	plus := r.plus && a == 0
	if a == 0 && r.start < fs && (plus || t[r.start] == '(') {
		fs = r.start // "+86 ...", "(+86) ...", "(020) ..."
	}
	if s.amountOrDate(fs, fe, digits, r.toks[a:b]) {
		return Match{}, 0, 0, false
	}
	before := s.cues.in(max(0, fs-40), fs)
	tight := s.cues.in(max(0, fs-16), fs)
	obf := s.obfuscated(fs, fe, groups, nd)
	done := func(m Match) (Match, int, int, bool) {
		if obf {
			m.Tags = append(m.Tags, TagObfuscated)
			m.Confidence -= 0.05
		}
		return m, fs, fe, true
	}

	// A number named as a QQ number.
	if !plus && tight&cueQQ != 0 && nd >= 5 && nd <= 11 {
		if v, err := indicator.ParseQQ(digits); err == nil {
			return done(Match{Kind: indicator.QQ, Value: v, Confidence: 0.85})
		}
	}
	// A number named as a bank account or card. A generic "account" (登录账号)
	// followed by a phone number is a login, so the phone wins unless the
	// words are specific to banks.
	if !plus && nd >= 8 && before&(cueBank|cueCard|cueAccount) != 0 {
		if nd >= 13 && indicator.Luhn(digits) && indicator.CardNetwork(digits) != "" && (before&cueCard != 0 || nd >= 16) {
			return s.cardMatch(digits, 0.9), fs, fe, true
		}
		p, isPhone := s.phone(digits, false, before)
		specific := s.cues.in(max(0, fs-24), fs)&cueBank != 0
		switch {
		case specific || !isPhone && before&(cueBank|cueAccount) != 0:
			return done(Match{Kind: indicator.BankAccount, Value: digits, Confidence: 0.8})
		case isPhone:
			return done(s.phoneMatch(p, fs))
		}
	}
	// A phone number.
	if nd >= 7 && nd <= 17 {
		if p, ok := s.phoneShaped(digits, plus, before, nanpShape(r.toks[a:b], t)); ok {
			return done(s.phoneMatch(p, fs))
		}
	}
	// A short code: an official number, or a service ("text WIN to 87121").
	if !plus && nd >= 3 && nd <= 6 && b-a == 1 && groups == 1 {
		if m, ok := s.shortCode(digits, fs); ok {
			return m, fs, fe, true
		}
	}
	// A card number written in groups of four, with no words to say so.
	if !plus && (nd == 16 || nd == 19) && groups >= 4 && indicator.Luhn(digits) && indicator.CardNetwork(digits) != "" {
		return s.cardMatch(digits, 0.7), fs, fe, true
	}
	return Match{}, 0, 0, false
}

// obfuscated reports whether a number was written to dodge filters: digits
// from numerals or full-width forms, or split into many small groups.
func (s *scan) obfuscated(fs, fe, groups, nd int) bool {
	if len(s.f.shifts) > 0 && s.f.orig(fe)-s.f.orig(fs) != fe-fs {
		return true // folded from wider characters
	}
	return groups >= 5 && nd/groups <= 2
}

func (s *scan) cardMatch(digits string, conf float64) Match {
	return Match{Kind: indicator.Card, Value: indicator.MaskCard(digits), Confidence: conf,
		Tags: []string{TagMasked}, Note: "card " + indicator.CardNetwork(digits) + " token " + indicator.CardToken(digits, s.x.opts.CardKey)}
}

// amountOrDate reports whether a digit run is money, a date or a quantity:
// a currency sign before it, a unit after it, a date shape, or decimals.
func (s *scan) amountOrDate(fs, fe int, digits string, toks []numTok) bool {
	t := s.f.text
	// Currency before.
	b := fs
	for b > 0 && t[b-1] == ' ' && fs-b < 2 {
		b--
	}
	if b > 0 {
		switch t[b-1] {
		case '$', '#':
			return true
		}
		r, _ := utf8.DecodeLastRuneInString(t[:b])
		switch r {
		case '¥', '￥', '£', '€', '₹', '₱', '฿', '₫', '₦', '₩':
			return true
		}
		before := t[:b]
		if hasSuffixFold(before, "rp") || hasSuffixFold(before, "rm") || hasSuffixFold(before, "usd") || hasSuffixFold(before, "rmb") || hasSuffixFold(before, "rs") {
			return true
		}
	}
	// Unit after.
	a := fe
	for a < len(t) && t[a] == ' ' && a-fe < 1 {
		a++
	}
	if a < len(t) {
		r, _ := utf8.DecodeRuneInString(t[a:])
		switch r {
		case '元', '块', '万', '亿', '%', '岁', '年', '月', '日', '天', '次', '个', '秒', '克', '斤', '米', '份', '件', '张', '人', '倍', '位', '美', '港', '镑', '€', '$', 'đ', '₫':
			return true
		}
	}
	// A date: 2024-01-15, 15.01.2024.
	if len(toks) == 1 && isDate(t[toks[0].start:toks[0].end]) {
		return true
	}
	// Decimals: "1000.00".
	if len(toks) == 1 && len(toks[0].groups) == 1 && len(digits)-toks[0].groups[0] <= 2 {
		sep := t[toks[0].start:toks[0].end]
		if strings.Count(sep, ".") == 1 && !strings.ContainsAny(sep, " -") {
			return true
		}
	}
	return false
}

// isDate reports whether s is a date: three groups of digits, 4-2-2 or
// 2-2-4 (or 2-2-2), joined by one kind of separator.
func isDate(s string) bool {
	var lens [3]int
	groups := 0
	var sep byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isDigit(c) {
			n++
			continue
		}
		if c != '-' && c != '/' && c != '.' || (sep != 0 && c != sep) || n == 0 || groups == 2 {
			return false
		}
		sep = c
		lens[groups] = n
		groups++
		n = 0
	}
	if groups != 2 {
		return false
	}
	lens[2] = n
	return lens[0] == 4 && lens[1] <= 2 && lens[2] <= 2 || lens[0] <= 2 && lens[1] <= 2 && (lens[2] == 4 || lens[2] == 2)
}

// nanpShape reports whether tokens are grouped as North American numbers
// are written: "202-555-1234", "(202) 555-1234", "1-800-555-1234".
func nanpShape(toks []numTok, t string) bool {
	var buf [4]int
	lens := buf[:0]
	for _, tk := range toks {
		prev := 0
		for _, g := range tk.groups {
			if len(lens) == len(buf) {
				return false // more groups than any such number
			}
			lens = append(lens, g-prev)
			prev = g
		}
		if len(lens) == len(buf) {
			return false
		}
		lens = append(lens, len(tk.digits)-prev)
	}
	if len(lens) == 4 && lens[0] == 1 {
		lens = lens[1:]
	}
	return len(lens) == 3 && lens[0] == 3 && lens[1] == 3 && lens[2] == 4
}

func money(k indicator.Kind) bool { return k == indicator.Card || k == indicator.BankAccount }
