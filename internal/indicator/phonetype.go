package indicator

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"
	"google.golang.org/protobuf/proto"
)

// The number type and region of a parsed number, worked out as
// libphonenumber's GetNumberType and GetRegionCodeForNumber do, from the
// same metadata, but with every pattern compiled once. The library builds
// each pattern's anchored source string anew and looks it up in its regexp
// cache twice per type tested, which makes a validation cost tens of
// microseconds; here it is a few. TestPhoneTypeMatchesLibrary holds the two
// to the same answers.

var (
	phoneMetaOnce sync.Once
	metaByRegion  map[string]*phonenumbers.PhoneMetadata // "GB"
	metaNonGeo    map[int32]*phonenumbers.PhoneMetadata  // calling code of region "001"
	descRegex     sync.Map                               // pattern source -> *regexp.Regexp
)

func loadPhoneMeta() {
	metaByRegion, metaNonGeo = map[string]*phonenumbers.PhoneMetadata{}, map[int32]*phonenumbers.PhoneMetadata{}
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return // every number is then of unknown type, so invalid
	}
	for _, m := range coll.GetMetadata() {
		if m.GetId() == "001" {
			metaNonGeo[m.GetCountryCode()] = m
		} else {
			metaByRegion[m.GetId()] = m
		}
	}
}

// compiled returns the regexp of source, compiling it on first use.
func compiled(source string) *regexp.Regexp {
	if re, ok := descRegex.Load(source); ok {
		return re.(*regexp.Regexp)
	}
	re := regexp.MustCompile(source)
	descRegex.Store(source, re)
	return re
}

// desc is a number description of the metadata with its pattern built.
type desc struct {
	lengths []int32       // possible lengths; none: any
	p       *DigitPattern // nil: the metadata has no such description
}

func newDesc(d *phonenumbers.PhoneNumberDesc) desc {
	if d == nil {
		return desc{}
	}
	return desc{d.PossibleLength, PatternOf(d.GetNationalNumberPattern())}
}

func (d desc) matches(nsn string) bool {
	if d.p == nil || len(d.lengths) > 0 && !slices.Contains(d.lengths, int32(len(nsn))) {
		return false
	}
	return d.p.Matches(nsn)
}

// regionDescs are a region's number descriptions in the order the
// library's getNumberTypeHelper tries them.
type regionDescs struct {
	general desc
	special [8]struct {
		desc
		t phonenumbers.PhoneNumberType
	}
	fixed, mobile desc
	same          bool // fixed-line and mobile numbers share one pattern
	// nationalPrefix is the anchored national prefix for parsing, nil
	// when the region has none; prefixStart is its automaton, which
	// rejects most numbers without running the regexp.
	nationalPrefix *regexp.Regexp
	prefixStart    *DigitPattern
}

// descsByMeta caches each metadata's regionDescs; the metadata is loaded
// once and lives as long as the process.
var descsByMeta sync.Map // *PhoneMetadata -> *regionDescs

func descsOf(m *phonenumbers.PhoneMetadata) *regionDescs {
	if r, ok := descsByMeta.Load(m); ok {
		return r.(*regionDescs)
	}
	r := &regionDescs{general: newDesc(m.GetGeneralDesc()), fixed: newDesc(m.GetFixedLine()),
		mobile: newDesc(m.GetMobile()), same: m.GetSameMobileAndFixedLinePattern()}
	if np := m.GetNationalPrefixForParsing(); np != "" {
		r.nationalPrefix, r.prefixStart = compiled("^(?:"+np+")"), PatternOf(np)
	}
	for i, t := range []struct {
		d *phonenumbers.PhoneNumberDesc
		t phonenumbers.PhoneNumberType
	}{
		{m.GetPremiumRate(), phonenumbers.PREMIUM_RATE}, {m.GetTollFree(), phonenumbers.TOLL_FREE},
		{m.GetSharedCost(), phonenumbers.SHARED_COST}, {m.GetVoip(), phonenumbers.VOIP},
		{m.GetPersonalNumber(), phonenumbers.PERSONAL_NUMBER}, {m.GetPager(), phonenumbers.PAGER},
		{m.GetUan(), phonenumbers.UAN}, {m.GetVoicemail(), phonenumbers.VOICEMAIL},
	} {
		r.special[i].desc, r.special[i].t = newDesc(t.d), t.t
	}
	got, _ := descsByMeta.LoadOrStore(m, r)
	return got.(*regionDescs)
}

// numberType is libphonenumber's getNumberTypeHelper.
func numberType(nsn string, m *phonenumbers.PhoneMetadata) phonenumbers.PhoneNumberType {
	if m == nil {
		return phonenumbers.UNKNOWN
	}
	r := descsOf(m)
	if !r.general.matches(nsn) {
		return phonenumbers.UNKNOWN
	}
	for _, t := range r.special {
		if t.matches(nsn) {
			return t.t
		}
	}
	if r.fixed.matches(nsn) {
		if r.same || r.mobile.matches(nsn) {
			return phonenumbers.FIXED_LINE_OR_MOBILE
		}
		return phonenumbers.FIXED_LINE
	}
	if !r.same && r.mobile.matches(nsn) {
		return phonenumbers.MOBILE
	}
	return phonenumbers.UNKNOWN
}

// nationalSignificant is phonenumbers.GetNationalSignificantNumber of n,
// made in one allocation rather than four.
func nationalSignificant(n *phonenumbers.PhoneNumber) string {
	var b [24]byte
	out := b[:0]
	if n.GetItalianLeadingZero() {
		for range n.GetNumberOfLeadingZeros() {
			out = append(out, '0')
		}
	}
	return string(strconv.AppendUint(out, n.GetNationalNumber(), 10))
}

// regionAndType is GetRegionCodeForNumber and GetNumberType of the number
// with calling code cc and national significant number nsn.
func regionAndType(cc int32, nsn string) (string, phonenumbers.PhoneNumberType) {
	phoneMetaOnce.Do(loadPhoneMeta)
	regions := phonenumbers.GetRegionCodesForCountryCode(int(cc))
	region := ""
	switch len(regions) {
	case 0:
	case 1:
		region = regions[0]
	default:
		for _, r := range regions {
			m := metaByRegion[r]
			if m == nil {
				continue
			}
			if ld := m.GetLeadingDigits(); ld != "" {
				if PatternOf(ld).MatchesStart(nsn) {
					region = r
					break
				}
			} else if numberType(nsn, m) != phonenumbers.UNKNOWN {
				region = r
				break
			}
		}
	}
	var m *phonenumbers.PhoneMetadata
	switch {
	case region == "001":
		m = metaNonGeo[cc]
	case region != "":
		m = metaByRegion[region]
	}
	return region, numberType(nsn, m)
}

// parseDigits is phonenumbers.Parse of a number written as ASCII digits
// with an optional leading "+", read in region when it has none: the forms
// the extractor validates. It follows the library's parseHelper step by step
// for these forms, without its general-purpose passes over the text
// (extensions, "tel:" URIs, letters), which cost more than the rest
// together. TestParseDigitsMatchesLibrary holds it to the library's results;
// when it says no, the caller asks the library, so an answer it cannot give
// is never lost.
func parseDigits(number, region string) (*phonenumbers.PhoneNumber, bool) {
	phoneMetaOnce.Do(loadPhoneMeta)
	var cc int
	var national string
	var m *phonenumbers.PhoneMetadata // the metadata the national number is read with
	if strings.HasPrefix(number, "+") {
		if cc, national = splitCallingCode(number[1:]); cc == 0 {
			return nil, false
		}
		m = metaForCode(cc)
	} else {
		home := metaByRegion[region]
		if home == nil || number == "" {
			return nil, false
		}
		cc, national, m = int(home.GetCountryCode()), number, home
		if loc := compiled(home.GetInternationalPrefix()).FindStringIndex(number); loc != nil && loc[0] == 0 &&
			(loc[1] == len(number) || number[loc[1]] != '0') {
			// Dialled with the international prefix ("00", "011").
			if cc, national = splitCallingCode(number[loc[1]:]); cc == 0 {
				return nil, false
			}
			if phonenumbers.GetRegionCodeForCountryCode(cc) != region {
				m = metaForCode(cc)
			}
		} else if code := strconv.Itoa(cc); strings.HasPrefix(number, code) {
			// Perhaps the calling code written without "+": taken as such
			// when the number is valid only without it, or too long with it.
			rest := number[len(code):]
			if stripped, ok := stripNationalPrefix(rest, home); ok {
				rest = stripped
			}
			general := descsOf(home).general
			if !general.matches(number) && general.matches(rest) || lengthClass(number, home) == tooLong {
				national = rest
				if phonenumbers.GetRegionCodeForCountryCode(cc) != region {
					m = metaForCode(cc)
				}
			}
		}
	}
	if len(national) < phonenumbers.MIN_LENGTH_FOR_NSN {
		return nil, false
	}
	nsn := significant(national, m)
	if len(nsn) < phonenumbers.MIN_LENGTH_FOR_NSN || len(nsn) > phonenumbers.MAX_LENGTH_FOR_NSN {
		return nil, false
	}
	n := &phonenumbers.PhoneNumber{CountryCode: proto.Int32(int32(cc))}
	if len(nsn) > 1 && nsn[0] == '0' {
		n.ItalianLeadingZero = proto.Bool(true)
		zeros := 1
		for zeros < len(nsn)-1 && nsn[zeros] == '0' {
			zeros++
		}
		if zeros != 1 {
			n.NumberOfLeadingZeros = proto.Int32(int32(zeros))
		}
	}
	v, _ := strconv.ParseUint(nsn, 10, 64)
	n.NationalNumber = proto.Uint64(v)
	return n, true
}

// significant is the national significant number of national, read with
// metadata m (nil: none): national without its national prefix, when
// stripping the prefix leaves a number of a possible length.
func significant(national string, m *phonenumbers.PhoneMetadata) string {
	if m == nil {
		return national
	}
	if stripped, ok := stripNationalPrefix(national, m); ok {
		switch lengthClass(stripped, m) {
		case tooShort, localOnly, invalidLength:
		default:
			return stripped
		}
	}
	return national
}

// splitCallingCode splits digits written after "+" or an international
// prefix into a calling code and the national number, or returns 0.
func splitCallingCode(full string) (int, string) {
	if len(full) <= phonenumbers.MIN_LENGTH_FOR_NSN || full[0] == '0' {
		return 0, ""
	}
	for i := 1; i <= phonenumbers.MAX_LENGTH_COUNTRY_CODE && i <= len(full); i++ {
		if c, _ := strconv.Atoi(full[:i]); len(phonenumbers.GetRegionCodesForCountryCode(c)) > 0 {
			return c, full[i:]
		}
	}
	return 0, ""
}

// metaForCode is the metadata of a calling code's main region.
func metaForCode(cc int) *phonenumbers.PhoneMetadata {
	main := phonenumbers.GetRegionCodeForCountryCode(cc)
	if main == "001" {
		return metaNonGeo[int32(cc)]
	}
	return metaByRegion[main]
}

// stripNationalPrefix is the library's maybeStripNationalPrefixAndCarrierCode
// without the carrier code.
func stripNationalPrefix(number string, m *phonenumbers.PhoneMetadata) (string, bool) {
	r := descsOf(m)
	prefix := r.nationalPrefix
	if number == "" || prefix == nil || !r.prefixStart.MatchesStart(number) {
		return "", false
	}
	groups := prefix.FindStringSubmatchIndex(number)
	if groups == nil {
		return "", false
	}
	general := r.general
	viable := general.matches(number)
	last := len(groups)/2 - 1
	rule := m.GetNationalPrefixTransformRule()
	if rule == "" || groups[last*2] < 0 {
		if viable && !general.matches(number[groups[1]:]) {
			return "", false
		}
		return number[groups[1]:], true
	}
	transformed := prefix.ReplaceAllString(number, rule)
	if viable && !general.matches(transformed) {
		return "", false
	}
	return transformed, true
}

// Length classes of a national number (the library's testNumberLength with
// type UNKNOWN).
const (
	possibleLength = iota
	tooShort
	tooLong
	localOnly
	invalidLength
)

func lengthClass(nsn string, m *phonenumbers.PhoneMetadata) int {
	g := m.GetGeneralDesc()
	lengths := g.PossibleLength
	if len(lengths) == 0 || lengths[0] == -1 {
		return invalidLength
	}
	n := int32(len(nsn))
	switch {
	case slices.Contains(g.PossibleLengthLocalOnly, n):
		return localOnly
	case n == lengths[0]:
		return possibleLength
	case n < lengths[0]:
		return tooShort
	case n > lengths[len(lengths)-1]:
		return tooLong
	case slices.Contains(lengths[1:], n):
		return possibleLength
	}
	return invalidLength
}
