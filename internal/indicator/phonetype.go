package indicator

import (
	"regexp"
	"slices"
	"sync"

	"github.com/nyaruka/phonenumbers"
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

// descRegexes caches, per desc, its anchored pattern: the desc pointer is
// stable for the life of the process.
var descAnchored sync.Map // *PhoneNumberDesc -> *regexp.Regexp

func matchesDesc(nsn string, d *phonenumbers.PhoneNumberDesc) bool {
	if d == nil {
		return false
	}
	if len(d.PossibleLength) > 0 && !slices.Contains(d.PossibleLength, int32(len(nsn))) {
		return false
	}
	re, ok := descAnchored.Load(d)
	if !ok {
		re = compiled("^(?:" + d.GetNationalNumberPattern() + ")$")
		descAnchored.Store(d, re)
	}
	return re.(*regexp.Regexp).MatchString(nsn)
}

// numberType is libphonenumber's getNumberTypeHelper.
func numberType(nsn string, m *phonenumbers.PhoneMetadata) phonenumbers.PhoneNumberType {
	if m == nil || !matchesDesc(nsn, m.GetGeneralDesc()) {
		return phonenumbers.UNKNOWN
	}
	for _, t := range []struct {
		d *phonenumbers.PhoneNumberDesc
		t phonenumbers.PhoneNumberType
	}{
		{m.GetPremiumRate(), phonenumbers.PREMIUM_RATE}, {m.GetTollFree(), phonenumbers.TOLL_FREE},
		{m.GetSharedCost(), phonenumbers.SHARED_COST}, {m.GetVoip(), phonenumbers.VOIP},
		{m.GetPersonalNumber(), phonenumbers.PERSONAL_NUMBER}, {m.GetPager(), phonenumbers.PAGER},
		{m.GetUan(), phonenumbers.UAN}, {m.GetVoicemail(), phonenumbers.VOICEMAIL},
	} {
		if matchesDesc(nsn, t.d) {
			return t.t
		}
	}
	same := m.GetSameMobileAndFixedLinePattern()
	if matchesDesc(nsn, m.GetFixedLine()) {
		if same || matchesDesc(nsn, m.GetMobile()) {
			return phonenumbers.FIXED_LINE_OR_MOBILE
		}
		return phonenumbers.FIXED_LINE
	}
	if !same && matchesDesc(nsn, m.GetMobile()) {
		return phonenumbers.MOBILE
	}
	return phonenumbers.UNKNOWN
}

// regionAndType is GetRegionCodeForNumber and GetNumberType of n.
func regionAndType(n *phonenumbers.PhoneNumber) (string, phonenumbers.PhoneNumberType) {
	phoneMetaOnce.Do(loadPhoneMeta)
	cc := n.GetCountryCode()
	nsn := phonenumbers.GetNationalSignificantNumber(n)
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
				if compiled("^(?:" + ld + ")").MatchString(nsn) {
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
