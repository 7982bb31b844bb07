package report

// Term is one entry of a documented vocabulary: a stable code (what the API
// and the store use) and its names for people.
type Term struct {
	Code string `json:"code"`
	En   string `json:"en"`
	Zh   string `json:"zh"`
}

// ScamTypes is the scam-type taxonomy (docs/taxonomy.md). The order is
// stable: an indicator's scam types are stored as a bit set over it, so
// new types are appended, never inserted.
var ScamTypes = []Term{
	{"investment", "Investment or crypto scam (pig-butchering)", "投资理财、虚拟币诈骗（杀猪盘）"},
	{"romance", "Romance scam", "网恋交友诈骗"},
	{"task", "Task or order-brushing scam", "刷单返利诈骗"},
	{"job", "Job lure or overseas recruitment", "虚假招聘、出境务工诱骗"},
	{"impersonation_official", "Impersonating police or officials", "冒充公检法及政府机关"},
	{"impersonation_acquaintance", "Impersonating a boss, relative or friend", "冒充领导、熟人"},
	{"customer_service", "Fake customer service or refund", "冒充电商物流客服、退款"},
	{"loan", "Loan or credit scam", "虚假贷款、征信诈骗"},
	{"gambling", "Illegal gambling", "网络赌博"},
	{"phishing", "Phishing for passwords or codes", "钓鱼网站、骗取验证码"},
	{"prize", "Prize or lottery scam", "中奖诈骗"},
	{"extortion", "Ransom or extortion", "勒索、赎金"},
	{"shopping", "Fake shop or goods never sent", "虚假购物"},
	{"other", "Other", "其他"},
}

// Channels are the ways a scam reached the victim.
var Channels = []Term{
	{"phone_call", "Phone call", "电话"},
	{"sms", "SMS", "短信"},
	{"wechat", "WeChat", "微信"},
	{"qq", "QQ", "QQ"},
	{"telegram", "Telegram", "Telegram"},
	{"whatsapp", "WhatsApp", "WhatsApp"},
	{"line", "LINE", "LINE"},
	{"zalo", "Zalo", "Zalo"},
	{"email", "Email", "电子邮件"},
	{"website", "Website", "网站"},
	{"app", "Mobile app", "手机应用"},
	{"social_media", "Social media", "社交媒体"},
	{"dating_app", "Dating app", "交友软件"},
	{"in_person", "In person", "当面"},
	{"other", "Other", "其他"},
}

// Kinds are the kinds of report.
var Kinds = []Term{
	{"scam", "A scam experienced or attempted", "遭遇的诈骗"},
	{"job_offer", "A suspicious job offer", "可疑招聘"},
	{"sighting", "A sighting of a value used by scammers", "发现的可疑信息"},
	{"tip", "A tip", "线索"},
}

// Roles say what an indicator was to the report.
var Roles = []Term{
	{RoleScammerContact, "The scammer's contact", "诈骗方联系方式"},
	{RolePayment, "Where money was to be paid", "收款账户"},
	{RoleRecruiter, "The recruiter", "招聘人员"},
	{RoleRansomIntermediary, "Relayed a ransom demand", "索要赎金的中间人"},
	{RoleWebsite, "The scam's website or app", "诈骗网站或应用"},
	{RoleMentioned, "Named in the report", "报告中提及"},
	{RoleVictimContact, "The victim's own contact (never a scam indicator)", "受害人本人联系方式（不作为诈骗线索）"},
}

// Role codes.
const (
	RoleScammerContact     = "scammer_contact"
	RolePayment            = "payment"
	RoleRecruiter          = "recruiter"
	RoleRansomIntermediary = "ransom_intermediary"
	RoleWebsite            = "website"
	RoleMentioned          = "mentioned"
	RoleVictimContact      = "victim_contact"
)

// Statuses of a report.
var Statuses = []Term{
	{StatusNew, "New", "新提交"},
	{StatusVerified, "Verified", "已核实"},
	{StatusDisputed, "Disputed", "有争议"},
	{StatusRejected, "Rejected", "已驳回"},
}

// Status codes. A rejected report stays stored but counts for nothing: its
// indicators lose it and it leaves its network.
const (
	StatusNew      = "new"
	StatusVerified = "verified"
	StatusDisputed = "disputed"
	StatusRejected = "rejected"
)

func has(terms []Term, code string) bool {
	return index(terms, code) >= 0
}

func index(terms []Term, code string) int {
	for i, t := range terms {
		if t.Code == code {
			return i
		}
	}
	return -1
}

func codes(terms []Term) []string {
	out := make([]string, len(terms))
	for i, t := range terms {
		out[i] = t.Code
	}
	return out
}

// ScamTypeBit is the bit of a scam type in a stored set (0 when unknown).
func ScamTypeBit(code string) int64 {
	i := index(ScamTypes, code)
	if i < 0 {
		return 0
	}
	return 1 << i
}

// ScamTypesOf lists the scam types in a stored bit set, in taxonomy order.
func ScamTypesOf(bits int64) []string {
	out := []string{}
	for i, t := range ScamTypes {
		if bits&(1<<i) != 0 {
			out = append(out, t.Code)
		}
	}
	return out
}
