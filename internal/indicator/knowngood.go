package indicator

import "strings"

// OfficialNumber describes a public service or bank hotline: a number people
// are told to call, never a scammer's. A scam that impersonates police or a
// bank often quotes one to sound real; Vigil recognises it and marks it
// known-good rather than listing it.
type OfficialNumber struct {
	Region string
	Number string // as dialled within the region
	Name   string
}

// officialNumbers are hotlines of the regions Vigil serves first. Sources:
// the operators' own sites (police, MIIT, the banks' customer-service pages).
// Extend with care: a number added here can never be listed as a scam.
var officialNumbers = []OfficialNumber{
	// China: emergency and government
	{"CN", "110", "Police"}, {"CN", "119", "Fire"}, {"CN", "120", "Ambulance"},
	{"CN", "122", "Traffic accidents"}, {"CN", "12110", "Police (SMS)"},
	{"CN", "96110", "Anti-fraud warning line (公安反诈专线)"},
	{"CN", "12381", "MIIT fraud-call warning SMS (涉诈预警劝阻短信)"},
	{"CN", "12321", "Spam and fraud reporting (网络不良与垃圾信息举报)"},
	{"CN", "12315", "Consumer complaints (市场监管)"}, {"CN", "12345", "Government service hotline (政务服务便民热线)"},
	{"CN", "12306", "China Railway"}, {"CN", "12348", "Legal aid"}, {"CN", "12377", "Illegal online content reporting"},
	{"CN", "12333", "Social security"}, {"CN", "12366", "Tax"}, {"CN", "12368", "Courts"}, {"CN", "12309", "Procuratorate"},
	// China: carriers
	{"CN", "10086", "China Mobile"}, {"CN", "10010", "China Unicom"}, {"CN", "10000", "China Telecom"}, {"CN", "10099", "China Broadnet"},
	// China: banks and payment services
	{"CN", "95588", "ICBC"}, {"CN", "95533", "China Construction Bank"}, {"CN", "95599", "Agricultural Bank of China"},
	{"CN", "95566", "Bank of China"}, {"CN", "95559", "Bank of Communications"}, {"CN", "95555", "China Merchants Bank"},
	{"CN", "95580", "Postal Savings Bank of China"}, {"CN", "95558", "China CITIC Bank"}, {"CN", "95595", "China Everbright Bank"},
	{"CN", "95568", "China Minsheng Bank"}, {"CN", "95561", "Industrial Bank"}, {"CN", "95528", "Shanghai Pudong Development Bank"},
	{"CN", "95508", "China Guangfa Bank"}, {"CN", "95511", "Ping An"}, {"CN", "95577", "Hua Xia Bank"},
	{"CN", "95188", "Alipay"}, {"CN", "95017", "WeChat Pay (Tenpay)"}, {"CN", "95118", "JD.com"},
	// Hong Kong, Taiwan
	{"HK", "999", "Emergency"}, {"HK", "18222", "Anti-Scam Helpline (防騙易熱線)"},
	{"TW", "110", "Police"}, {"TW", "165", "Anti-fraud hotline (反詐騙諮詢專線)"},
	// South-east Asia
	{"TH", "191", "Police"}, {"TH", "1599", "Police call centre"}, {"TH", "1441", "Anti Online Scam Operation Center"},
	{"MY", "999", "Emergency"}, {"MY", "997", "National Scam Response Centre"},
	{"SG", "999", "Police"}, {"SG", "1799", "ScamShield Helpline"},
	{"PH", "911", "Emergency"}, {"PH", "1326", "CICC Inter-Agency Response Center"},
	{"ID", "110", "Police"}, {"ID", "112", "Emergency"},
	{"VN", "113", "Police"}, {"VN", "114", "Fire"}, {"VN", "115", "Ambulance"},
	{"KH", "117", "Police"}, {"MM", "199", "Police"}, {"LA", "1191", "Police"},
	// Elsewhere
	{"US", "911", "Emergency"}, {"GB", "999", "Emergency"}, {"GB", "112", "Emergency"},
	{"GB", "159", "Stop Scams UK bank line"}, {"GB", "7726", "Spam text reporting"},
	{"IN", "1930", "National Cyber Crime Helpline"}, {"IN", "112", "Emergency"},
	{"AU", "000", "Emergency"},
}

var officialIndex = func() map[string]OfficialNumber {
	m := make(map[string]OfficialNumber, len(officialNumbers))
	for _, o := range officialNumbers {
		m[o.Region+":"+o.Number] = o
	}
	return m
}()

// Official returns the hotline that number (digits as dialled within
// region) is, if it is one.
func Official(region, number string) (OfficialNumber, bool) {
	o, ok := officialIndex[strings.ToUpper(region)+":"+number]
	return o, ok
}

// OfficialRegions returns the regions where digits is an official number.
func OfficialRegions(digits string) []string {
	var rs []string
	for _, o := range officialNumbers {
		if o.Number == digits {
			rs = append(rs, o.Region)
		}
	}
	return rs
}

// shorteners are link-shortening services: a link through one hides where
// it leads, so it is marked for expansion rather than judged by its host.
var shorteners = map[string]bool{}

func init() {
	for _, h := range strings.Fields(`
		bit.ly bitly.com bit.do t.co t.cn url.cn dwz.cn suo.im sohu.gg tinyurl.com goo.gl g.co
		ow.ly is.gd v.gd buff.ly rebrand.ly cutt.ly cutt.us shorturl.at shorturl.asia t.ly tiny.cc
		tiny.one rb.gy s.id bit.ly.id u.to x.gd lnkd.in trib.al han.gl me2.do qrco.de tny.im
		urlz.fr clck.ru kutt.it 2.gp shorte.st adf.ly ouo.io bc.vc soo.gd short.io sl.al
		linktr.ee wa.link lihi.cc lihi1.com lihi1.cc reurl.cc pse.is ppt.cc 0rz.tw risu.io
		bitly.ws y2u.be tinyurl.ph t2m.io bl.ink dub.sh surl.li bom.so urlr.me
	`) {
		shorteners[h] = true
	}
}

// IsShortener reports whether host (canonical) belongs to a link-shortening
// service.
func IsShortener(host string) bool {
	if shorteners[host] {
		return true
	}
	if i := strings.IndexByte(host, '.'); i > 0 && strings.HasPrefix(host, "www.") {
		return shorteners[host[i+1:]]
	}
	return false
}
