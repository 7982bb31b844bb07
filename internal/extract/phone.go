package extract

import (
	"strconv"
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"

	"vigil/internal/indicator"
)

// phoneHit is a validated number and how it was read.
type phoneHit struct {
	indicator.PhoneNumber
	intl     bool   // written in international form
	readIn   string // region a national number was read in
	fallback bool   // region came from the fallback list, not the text
	rank     int    // position of that region in the list
	noPlus   bool   // international digits written without "+" or "00"
}

// fallbackRegions are tried, in order, for a national number in a text
// whose region could not be guessed, and only when a word or the number's
// shape says it is a phone number.
var fallbackRegions = []string{"GB", "IN", "US", "NG"}

// writtenWithoutTrunk lists fallback regions whose numbers are commonly
// written without the national prefix (Indian mobiles, North American
// numbers). Elsewhere a fallback read needs the leading 0, or any digit
// string of the right length would pass for a number somewhere.
var writtenWithoutTrunk = map[string]bool{"IN": true, "US": true}

// phone validates digits as a phone number. plus means it was written with
// "+"; otherwise "00" (or "011" in North America) marks the international
// form and anything else is national, read in the text's region.
func (s *scan) phone(digits string, plus bool, before cue) (phoneHit, bool) {
	return s.phoneShaped(digits, plus, before, false)
}

// phoneShaped is phone, told whether the number was grouped the North
// American way (3-3-4), which puts the US first among fallback regions.
func (s *scan) phoneShaped(digits string, plus bool, before cue, nanp bool) (phoneHit, bool) {
	if plus {
		p, ok := s.x.validPhone(digits, "")
		return phoneHit{PhoneNumber: p, intl: true}, ok
	}
	if strings.HasPrefix(digits, "00") && len(digits) >= 10 {
		p, ok := s.x.validPhone(digits[2:], "")
		return phoneHit{PhoneNumber: p, intl: true}, ok
	}
	if s.reg() != "" {
		if p, ok := s.x.validPhone(digits, s.reg()); ok {
			return phoneHit{PhoneNumber: p, readIn: s.reg()}, true
		}
		if s.reg() == "US" || s.reg() == "CA" {
			if strings.HasPrefix(digits, "011") {
				p, ok := s.x.validPhone(digits[3:], "")
				return phoneHit{PhoneNumber: p, intl: true}, ok
			}
		}
	}
	// A number written in international form without "+" ("8613800138000"):
	// a reading, not a certainty.
	if len(digits) >= 11 && digits[0] != '0' {
		if p, ok := s.x.validPhone(digits, ""); ok {
			return phoneHit{PhoneNumber: p, intl: true, noPlus: true}, true
		}
	}
	if s.reg() != "" && !s.guessed {
		return phoneHit{}, false
	}
	if s.reg() == "" && (digits[0] == '0' || before&(cuePhone|cueDial|cueSMS|cueContact|cueWhatsApp|cueLINE|cueTelegram) != 0) {
		regions := fallbackRegions
		if nanp {
			regions = append([]string{"US"}, regions...)
		}
		for rank, r := range regions {
			if digits[0] != '0' && !writtenWithoutTrunk[r] {
				continue
			}
			if p, ok := s.x.validPhone(digits, r); ok {
				return phoneHit{PhoneNumber: p, readIn: r, fallback: true, rank: rank}, true
			}
		}
	}
	return phoneHit{}, false
}

func (s *scan) phoneMatch(p phoneHit, fs int) Match {
	m := Match{Kind: indicator.Phone, Value: p.Value, Region: p.Region, Confidence: 0.9}
	switch {
	case p.noPlus:
		m.Confidence = 0.8
	case p.intl:
		m.Confidence = 0.95
	case p.fallback:
		m.Confidence = 0.6 - 0.01*float64(p.rank)
		m.Tags = append(m.Tags, TagRegionGuessed)
		m.Note = "national number read as " + p.readIn + "; the text did not say which country"
	case s.guessed && s.regionSet:
		m.Confidence = 0.85
		m.Tags = append(m.Tags, TagRegionGuessed)
	}
	for _, ch := range []struct {
		c   cue
		tag string
	}{{cueWeChat, "wechat"}, {cueWhatsApp, "whatsapp"}, {cueTelegram, "telegram"}, {cueLINE, "line"}, {cueZalo, "zalo"}} {
		if s.cues.in(max(0, fs-24), fs)&ch.c != 0 {
			m.Tags = append(m.Tags, ch.tag)
		}
	}
	if p.Type == "premium_rate" {
		m.Note = "premium-rate number"
	}
	return m
}

// shortCode recognises official short numbers (police 110, anti-fraud
// 96110, bank hotlines 95588) as known-good, and service short codes after
// words such as "text ... to" or "dial".
func (s *scan) shortCode(digits string, fs int) (Match, bool) {
	t := s.f.text
	near := s.cues.in(max(0, fs-20), fs)
	regions := []string{s.reg()}
	if s.reg() == "" {
		regions = indicator.OfficialRegions(digits)
	}
	for _, region := range regions {
		o, ok := indicator.Official(region, digits)
		if !ok {
			continue
		}
		// Short numbers are everywhere (prices, IDs, room numbers): an
		// official one needs a word such as "call", "hotline" or "拨打"
		// before it, unless it is long and the text is from its region.
		if near&(cuePhone|cueDial|cueContact) == 0 && (len(digits) < 5 || s.reg() == "") {
			return Match{}, false
		}
		return Match{Kind: indicator.Phone, Value: digits, Region: region, Confidence: 0.9, KnownGood: true,
			Note: o.Name, Tags: []string{TagShortCode}}, true
	}
	if digits[0] == '0' {
		return Match{}, false
	}
	// A verb or label right before it ("gửi 191", "krm ke 123", "dial
	// 450103", "LH 789", "CS:888") makes even three digits a short code.
	verb := s.dialBefore(fs)
	to := fs >= 3 && strings.EqualFold(t[fs-3:fs], "to ")
	sms := s.cues.in(max(0, fs-80), fs)&cueSMS != 0
	smsNear := s.cues.in(max(0, fs-50), fs)&cueSMS != 0
	if !verb && !(sms && to && len(digits) >= 4) && !(smsNear && len(digits) == 5) {
		return Match{}, false
	}
	region := s.reg()
	if region == "" {
		region = "GB"
	}
	conf := 0.5
	if s.x.validShort(digits, region) {
		conf = 0.7
	}
	m := Match{Kind: indicator.Phone, Value: digits, Region: region, Confidence: conf, Tags: []string{TagShortCode}, Note: "short code"}
	if s.reg() == "" {
		m.Tags = append(m.Tags, TagRegionGuessed)
	}
	return m, true
}

// validPhone validates digits (international without "+" when region is
// empty), first against the possible lengths of the region's numbers, which
// rejects most non-numbers cheaply, then with libphonenumber.
func (x *Extractor) validPhone(digits, region string) (indicator.PhoneNumber, bool) {
	if !possibleLength(digits, region) {
		return indicator.PhoneNumber{}, false
	}
	if r, ok := x.phones.get(region, digits); ok {
		return r.p, r.ok
	}
	p, ok := checkPhone(digits, region)
	x.phones.put(region, digits, phoneResult{p: p, ok: ok})
	return p, ok
}

// checkPhone is validPhone's answer, not remembered.
func checkPhone(digits, region string) (indicator.PhoneNumber, bool) {
	if !possibleLength(digits, region) || !plausible(digits, region) {
		return indicator.PhoneNumber{}, false
	}
	in := digits
	if region == "" {
		in = "+" + digits
	}
	p, err := indicator.ParsePhone(in, region)
	return p, err == nil
}

// ReadInternational reads s when it is a valid international phone number
// written alone ("+" and 7 to 15 digits, nothing else, in E.164 form):
// the kind, value, region and list marks (known-good or warning) Extract
// gives that number, without scanning a text. Hints and tags are not
// read, and Confidence is 1 (the number stands alone). ok is false for
// anything else, which Extract must read. Lookups of pasted numbers are
// its use.
func (x *Extractor) ReadInternational(s string) (Match, bool) {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' || !x.want(indicator.Phone) {
		return Match{}, false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return Match{}, false
		}
	}
	// Pasted numbers are seldom asked twice: checked, not remembered.
	if !plausible(s[1:], "") {
		return Match{}, false
	}
	p, ok := indicator.ParseE164(s)
	if !ok {
		return Match{}, false
	}
	m := Match{Kind: indicator.Phone, Value: s, Region: p.Region, Raw: s, End: len(s), Confidence: 1}
	if p.Type == "premium_rate" {
		m.Note = "premium-rate number"
	}
	x.mark(&m)
	return m, true
}

// validShort reports whether digits is a valid short number in region,
// remembering the answer like validPhone.
func (x *Extractor) validShort(digits, region string) bool {
	key := "short:" + region
	if r, ok := x.phones.get(key, digits); ok {
		return r.ok
	}
	_, err := indicator.ParseShortNumber(digits, region)
	x.phones.put(key, digits, phoneResult{ok: err == nil})
	return err == nil
}

// regionShape is what libphonenumber's metadata says of a region's numbers.
type regionShape struct {
	code    string // calling code
	prefix  string // national (trunk) prefix, "0" in most places
	lengths uint32 // bit n set: a national significant number may have n digits
	// pattern is the region's general national-number pattern: a number
	// that fails it is not valid there, and the library need not be asked.
	pattern *indicator.DigitPattern
}

var (
	shapesOnce sync.Once
	shapes     map[string]regionShape   // by region
	codeShapes map[string]uint32        // by calling code: union of lengths
	codeRegion map[string][]regionShape // by calling code
)

func loadShapes() {
	shapes, codeShapes, codeRegion = map[string]regionShape{}, map[string]uint32{}, map[string][]regionShape{}
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return
	}
	for _, m := range coll.GetMetadata() {
		var bits uint32
		for _, n := range m.GetGeneralDesc().GetPossibleLength() {
			if n > 0 && n < 32 {
				bits |= 1 << uint(n)
			}
		}
		code := strconv.Itoa(int(m.GetCountryCode()))
		sh := regionShape{code: code, prefix: m.GetNationalPrefix(), lengths: bits}
		if p := m.GetGeneralDesc().GetNationalNumberPattern(); p != "" {
			sh.pattern = indicator.PatternOf(p)
		}
		shapes[m.GetId()] = sh
		codeShapes[code] |= bits
		codeRegion[code] = append(codeRegion[code], sh)
	}
}

// plausible reports whether digits (international without "+" when region
// is empty) could be a valid number: a possible length and the region's
// general pattern. Most non-numbers stop here, before libphonenumber's far
// costlier parse and validation.
func plausible(digits, region string) bool {
	if !possibleLength(digits, region) {
		return false
	}
	if region == "" {
		for n := 1; n <= 3 && n < len(digits); n++ {
			if rs, ok := codeRegion[digits[:n]]; ok {
				for _, sh := range rs {
					if sh.pattern == nil || sh.pattern.Matches(digits[n:]) {
						return true
					}
				}
				return false
			}
		}
		return false
	}
	sh, ok := shapes[region]
	if !ok || sh.pattern == nil {
		return true
	}
	if sh.pattern.Matches(digits) {
		return true
	}
	return sh.prefix != "" && strings.HasPrefix(digits, sh.prefix) && sh.pattern.Matches(digits[len(sh.prefix):])
}

func possibleLength(digits, region string) bool {
	shapesOnce.Do(loadShapes)
	if region == "" {
		for n := 1; n <= 3 && n < len(digits); n++ {
			if bits, ok := codeShapes[digits[:n]]; ok {
				return bits&(1<<uint(len(digits)-n)) != 0
			}
		}
		return false
	}
	sh, ok := shapes[region]
	if !ok {
		return true // unknown to the fast path: let the library decide
	}
	if sh.lengths&(1<<uint(len(digits))) != 0 {
		return true
	}
	if sh.prefix != "" && strings.HasPrefix(digits, sh.prefix) && len(digits) > len(sh.prefix) {
		return sh.lengths&(1<<uint(len(digits)-len(sh.prefix))) != 0
	}
	return false
}

// guessRegion guesses the region of a text's national phone numbers from
// its script, and for Latin-script text from currency signs and a few
// telling words. It returns "" when it cannot tell, and says why.
func guessRegion(f *folded) (string, string) {
	switch {
	case f.kana > 0:
		return "JP", "Japanese text"
	case f.hangul > 0:
		return "KR", "Korean text"
	case f.thai > 0 && f.thai >= f.han:
		return "TH", "Thai text"
	case f.khmer > 0:
		return "KH", "Khmer text"
	case f.burmese > 0:
		return "MM", "Burmese text"
	case f.lao > 0:
		return "LA", "Lao text"
	case f.han > 0:
		return "CN", "Chinese text"
	case f.viet > 0:
		return "VN", "Vietnamese text"
	}
	if r, why := latinRegion(f.text); r != "" {
		return r, why
	}
	return "", "no region could be guessed from the text"
}

// regionWordPairs marks the first two letters of regionWords: most words
// fail here without a map lookup.
var regionWordPairs = func() (t [1 << 10]bool) {
	for w := range regionWords {
		t[uint16(w[0]&31)<<5|uint16(w[1]&31)] = true
	}
	return t
}()

// regionWords are telling words of languages written in Latin script
// without telling letters (Indonesian; Vietnamese typed without
// diacritics), names of their carriers and currencies, and common English
// words, which argue against both.
var regionWords = func() map[string]wordClue {
	m := map[string]wordClue{}
	add := func(region string, strong bool, words string) {
		for _, w := range strings.Fields(words) {
			m[w] = wordClue{region, strong, w}
		}
	}
	add("ID", false, `yang dan di ini itu untuk dengan anda kamu aja sudah sdh tidak gratis pulsa hub ke dari dapat bisa utk yg dgn
		tanpa akan atau pada juga bagi hanya segera hubungi kami silahkan selamat dapatkan paket kartu nomor
		hadiah pemenang rekening uang saja nikmati khusus berlaku sampai hari bulan ribu juta jt rb kredit`)
	add("ID", true, `telkomsel indosat rupiah`)
	add("VN", false, `quy khach cua ban va cac duoc khong nhan tai chi tiet dich vu tu choi soan gui tien dang ky
		lien voi den cho nhieu ngay vui long hoac neu khi moi mien phi thong bao nguoi tuyen hoa hong`)
	add("VN", true, `viettel vinaphone mobifone vnd`)
	add("MY", true, `ringgit`)
	add("NG", true, `naira`)
	add("IN", true, `rupees`)
	add("", false, `the and you your to for is of are call now`)
	return m
}()

// shortClues holds the regionWords of up to eight letters by their letters
// packed little-endian in a word, in open addressing: text has many words
// to look up, and a string map hashes each.
var shortClues = func() (t [1 << 9]struct {
	key  uint64 // 0: an empty slot
	clue wordClue
}) {
	for w, c := range regionWords {
		if len(w) > 8 {
			continue
		}
		var k uint64
		for m := len(w) - 1; m >= 0; m-- {
			k = k<<8 | uint64(w[m])
		}
		h := clueSlot(k)
		for t[h].key != 0 {
			h = (h + 1) % len(t)
		}
		t[h].key, t[h].clue = k, c
	}
	return t
}()

func clueSlot(k uint64) int { return int(k * 0x9E3779B97F4A7C15 >> 55) }

// shortClue looks up a word of up to eight lower-case letters, packed as
// in shortClues.
func shortClue(k uint64) (wordClue, bool) {
	for h := clueSlot(k); ; h = (h + 1) % len(shortClues) {
		switch shortClues[h].key {
		case k:
			return shortClues[h].clue, true
		case 0:
			return wordClue{}, false
		}
	}
}

type wordClue struct {
	region string // "" for English
	strong bool   // one such word settles it
	word   string
}

// latinRegion guesses a region from the words and currency signs of
// Latin-script text: three distinct telling words of a language that
// outnumber English ones, or one strong clue (a carrier, a currency).
// It reads at most the first 8 KB.
func latinRegion(t string) (string, string) {
	if len(t) > 8<<10 {
		t = t[:8<<10]
	}
	var seen [64]string // distinct clue words seen, few per text
	nseen := 0
	var count [2]int // ID, VN
	english := 0
	var word [10]byte
	sign := ""
	for i := 0; i < len(t); {
		c := t[i]
		if c >= 0xC0 {
			// Currency signs: £ (C2 A3), ₹ ₱ ₦ (E2 82 xx).
			switch {
			case c == 0xC2 && i+1 < len(t) && t[i+1] == 0xA3:
				return "GB", "pound sign"
			case c == 0xE2 && i+2 < len(t) && t[i+1] == 0x82:
				switch t[i+2] {
				case 0xB9:
					return "IN", "rupee sign"
				case 0xB1:
					return "PH", "peso sign"
				case 0xA6:
					return "NG", "naira sign"
				}
			}
			i++
			continue
		}
		if !isLetter(c) {
			i++
			continue
		}
		j := i
		for j < len(t) && isLetter(t[j]) {
			j++
		}
		if sign == "" && j-i == 2 && j < len(t) && (isDigit(t[j]) || t[j] == '.' && j+1 < len(t) && isDigit(t[j+1]) || t[j] == ' ' && j+1 < len(t) && isDigit(t[j+1])) {
			switch t[i : i+2] {
			case "Rp":
				sign = "ID"
			case "RM":
				sign = "MY"
			case "Rs":
				sign = "IN"
			}
		}
		// Most words fail on their first two letters, before a copy.
		if n := j - i; n >= 2 && n <= len(word) && regionWordPairs[uint16(t[i]&31)<<5|uint16(t[i+1]&31)] {
			var clue wordClue
			var ok bool
			if n <= 8 {
				var k uint64
				for m := j - 1; m >= i; m-- {
					k = k<<8 | uint64(t[m]|0x20)
				}
				clue, ok = shortClue(k)
			} else {
				w := word[:n]
				for k := range w {
					w[k] = t[i+k] | 0x20
				}
				clue, ok = regionWords[string(w)]
			}
			if ok {
				dup := false
				for _, s := range seen[:nseen] {
					if s == clue.word {
						dup = true
						break
					}
				}
				if !dup && nseen < len(seen) {
					seen[nseen] = clue.word
					nseen++
					switch {
					case clue.region == "":
						english++
					case clue.strong:
						return clue.region, "the word " + clue.word
					case clue.region == "ID":
						count[0]++
					case clue.region == "VN":
						count[1]++
					}
				}
			}
		}
		i = j
	}
	for k, region := range []string{"ID", "VN"} {
		if count[k] >= 3 && count[k] > english {
			return region, map[string]string{"ID": "Indonesian words", "VN": "Vietnamese words"}[region]
		}
	}
	switch sign {
	case "ID":
		return "ID", "rupiah amounts"
	case "MY":
		return "MY", "ringgit amounts"
	case "IN":
		return "IN", "rupee amounts"
	}
	return "", ""
}

// dialBefore reports whether a dialling verb or label ends right before
// position fs: nothing but spaces, ":" or "-" and a connecting word ("to",
// "ke", "tới") between.
func (s *scan) dialBefore(fs int) bool {
	t := s.f.text
	end, ok := s.cues.nearest(fs, 12, cueDial)
	if !ok {
		return false
	}
	gap := strings.ToLower(strings.Trim(t[end:fs], " :-\t"))
	switch gap {
	case "", "to", "ke", "tới", "toi", "den", "đến":
		return true
	}
	return false
}
