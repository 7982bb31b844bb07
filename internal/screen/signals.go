package screen

// The signal table: what Vigil reads as a sign of a scam, in the languages
// of its users, with the words it uses to explain each sign to a person.
//
// Phrases are written in simplified Chinese (zh-Hans); their traditional
// forms (zh-Hant) are derived (see hant.go), as are the unaccented forms of
// Vietnamese phrases, which SMS often drops. Latin-script phrases match as
// whole words, ignoring case. A phrase should be one that scammers write and
// ordinary messages rarely do: "安全账户", not "账户".

// TypeWeight is how strongly a signal points to one scam type
// (report.ScamTypes codes).
type TypeWeight struct {
	Type   string
	Weight float64
}

// Def defines a signal.
type Def struct {
	ID     string // stable: "safe-account"
	Types  []TypeWeight
	Weight float64 // toward risk, in (0, 1); negative lowers the risk (an anti-fraud warning)
	// Job marks a job-offer signal: it weighs more in a job ad. JobOnly
	// ones count only in a text that reads as a job ad ("客服" is a role
	// there, anywhere else an everyday word).
	Job, JobOnly bool
	// Phrases are the phrases that fire the signal, by language.
	Phrases map[string][]string
	// Pair names two cue groups (see cues) that fire the signal when they
	// occur within Near bytes of each other.
	Pair [2]string
	Near int
	// FromIndicators marks a signal computed from the extractor's matches.
	FromIndicators bool
	// Explain says what the signal means, for a person, in "en" and
	// "zh-Hans". "{place}" is replaced by the name of the place found.
	Explain map[string]string
}

func tw(kv ...any) []TypeWeight {
	var ts []TypeWeight
	for i := 0; i+1 < len(kv); i += 2 {
		ts = append(ts, TypeWeight{kv[i].(string), kv[i+1].(float64)})
	}
	return ts
}

func ex(en, zh string) map[string]string { return map[string]string{"en": en, "zh-Hans": zh} }

// defs is the table. Weights are judged, not trained: about 0.5 for a
// phrase that is a scam on its own ("safe account"), 0.3 for a strong sign,
// 0.1–0.2 for one that legitimate messages also use ("click the link").
var defs = []Def{
	// Impersonation of police and officials.
	{ID: "safe-account", Types: tw("impersonation_official", 1.0), Weight: 0.6,
		Phrases: map[string][]string{
			"zh-Hans": {"安全账户", "安全帐户", "国家安全账户", "资金核查", "资金清查", "清查账户", "核查资金", "监管账户"},
			"en":      {"safe account", "secure account", "safety account", "government safe account", "verification of your funds"},
			"id":      {"rekening aman", "rekening pengaman"},
			"th":      {"บัญชีปลอดภัย", "ตรวจสอบเส้นทางการเงิน"},
			"vi":      {"tài khoản an toàn", "tài khoản tạm giữ"},
		},
		Explain: ex("asks you to move money to a 'safe account' or have it 'checked': no police or bank ever does this",
			"要求把钱转到“安全账户”或进行“资金核查”：公检法和银行从不这样做")},
	{ID: "crime-accusation", Types: tw("impersonation_official", 1.0), Weight: 0.4,
		Phrases: map[string][]string{
			"zh-Hans": {"涉嫌洗钱", "洗钱案", "涉嫌犯罪", "涉嫌违法", "涉案", "涉及一起", "身份证被冒用", "身份信息被盗用", "非法集资案"},
			"en":      {"money laundering", "involved in a crime", "involved in a criminal case", "your identity has been used", "your identity was used", "linked to a crime", "drug trafficking case"},
			"id":      {"pencucian uang", "terlibat kasus", "tindak pidana"},
			"th":      {"ฟอกเงิน", "บัญชีม้า", "พัวพันคดี", "เกี่ยวข้องกับคดี"},
			"vi":      {"rửa tiền", "liên quan đến vụ án", "đường dây ma túy"},
		},
		Explain: ex("says you are suspected of a crime such as money laundering, to frighten you",
			"声称你涉嫌洗钱等犯罪，目的是吓唬你")},
	{ID: "arrest-warrant", Types: tw("impersonation_official", 1.0), Weight: 0.45,
		Phrases: map[string][]string{
			"zh-Hans": {"通缉令", "逮捕令", "拘捕令", "冻结令", "公检法", "法院传票", "检察院", "刑事案件", "立案侦查", "网上通缉"},
			"en":      {"arrest warrant", "warrant for your arrest", "court summons", "criminal case against you", "you will be arrested"},
			"id":      {"surat penangkapan", "surat perintah penangkapan", "akan ditangkap"},
			"th":      {"หมายจับ", "หมายเรียก", "ถูกดำเนินคดี"},
			"vi":      {"lệnh bắt", "lệnh truy nã", "giấy triệu tập", "khởi tố"},
		},
		Explain: ex("mentions an arrest warrant or court case: real police do not send these by message or phone",
			"提到通缉令、逮捕令或案件：真正的公检法不会通过电话或消息发送这些")},
	{ID: "account-frozen", Types: tw("impersonation_official", 0.5, "phishing", 0.5), Weight: 0.35,
		Phrases: map[string][]string{
			"zh-Hans": {"账户将被冻结", "账户被冻结", "冻结您的账户", "冻结你的账户", "账户冻结", "银行卡被冻结", "账号将被封", "账号被封"},
			"en":      {"your account will be frozen", "account will be frozen", "account has been frozen", "your account will be suspended", "account has been suspended", "your account has been locked", "account will be blocked"},
			"id":      {"akun anda diblokir", "rekening anda diblokir", "akun anda akan diblokir", "rekening anda dibekukan"},
			"th":      {"บัญชีของคุณถูกระงับ", "บัญชีถูกอายัด", "ถูกระงับบัญชี", "อายัดบัญชี"},
			"vi":      {"khóa tài khoản", "tài khoản bị khóa", "tài khoản sẽ bị khóa", "phong tỏa tài khoản"},
		},
		Explain: ex("threatens that your account will be frozen or blocked, to rush you",
			"威胁你的账户将被冻结或封号，逼你着急照做")},

	// Investment and crypto (pig-butchering).
	{ID: "guaranteed-returns", Types: tw("investment", 1.0), Weight: 0.35,
		Phrases: map[string][]string{
			"zh-Hans": {"稳赚", "稳赚不赔", "保本保息", "保证收益", "零风险", "高回报", "包赚", "只赚不赔", "日收益", "收益翻倍"},
			"en":      {"guaranteed returns", "guaranteed return", "guaranteed profit", "guaranteed profits", "risk-free investment", "risk free investment", "double your money", "daily profit", "no risk"},
			"id":      {"keuntungan pasti", "profit dijamin", "untung pasti", "tanpa risiko"},
			"th":      {"กำไรแน่นอน", "ผลตอบแทนสูง", "การันตีกำไร", "ไม่มีความเสี่ยง"},
			"vi":      {"lợi nhuận cao", "cam kết lợi nhuận", "lãi suất cao", "không rủi ro"},
		},
		Explain: ex("promises guaranteed or risk-free profits: real investments never do",
			"承诺稳赚不赔或零风险：真正的投资不会有这种保证")},
	{ID: "trading-mentor", Types: tw("investment", 1.0), Weight: 0.3,
		Phrases: map[string][]string{
			"zh-Hans": {"带单", "带单老师", "导师带单", "老师带你", "跟着老师", "内幕消息", "荐股", "牛股", "股票群", "投资群", "喊单"},
			"en":      {"trading mentor", "investment mentor", "my mentor", "signal group", "insider tip", "insider information", "vip trading group", "trading signals"},
			"id":      {"mentor trading", "grup sinyal", "sinyal trading"},
			"th":      {"เทรดตามพี่", "กลุ่มเทรด", "สัญญาณเทรด"},
			"vi":      {"chuyên gia đầu tư", "nhóm đầu tư", "tín hiệu giao dịch"},
		},
		Explain: ex("a 'mentor' or group offers to tell you what to buy: the lure of investment scams",
			"有“老师”“导师”带单或荐股：这是投资诈骗的典型手法")},
	{ID: "crypto-platform", Types: tw("investment", 0.8, "task", 0.2), Weight: 0.2,
		Phrases: map[string][]string{
			"zh-Hans": {"虚拟币", "数字货币", "投资平台", "理财平台", "交易平台", "泰达币", "挖矿", "区块链投资", "币圈"},
			"en":      {"usdt", "crypto platform", "trading platform", "investment platform", "mining pool", "liquidity mining", "crypto investment", "bitcoin investment"},
			"id":      {"platform investasi", "investasi kripto"},
			"th":      {"แพลตฟอร์มลงทุน", "ลงทุนคริปโต"},
			"vi":      {"sàn đầu tư", "đầu tư tiền ảo", "tiền điện tử"},
		},
		Explain: ex("steers you to a crypto or 'investment platform', where scammers show fake profits",
			"引导你到虚拟币或“投资平台”，骗子会在上面显示虚假收益")},
	{ID: "withdrawal-fee", Types: tw("investment", 0.6, "task", 0.4), Weight: 0.4,
		Phrases: map[string][]string{
			"zh-Hans": {"提现失败", "无法提现", "提现需要", "解冻金", "缴纳个人所得税", "缴纳保证金", "补缴", "账户异常需", "流水不足"},
			"en":      {"withdrawal fee", "pay tax before withdrawal", "unlock your funds", "to withdraw your profit", "withdrawal is frozen", "pay the tax to withdraw"},
			"id":      {"biaya penarikan", "tidak bisa tarik", "pajak penarikan"},
			"th":      {"ถอนเงินไม่ได้", "ค่าธรรมเนียมการถอน", "เสียภาษีก่อนถอน"},
			"vi":      {"không rút được tiền", "phí rút tiền", "nộp thuế để rút"},
		},
		Explain: ex("asks you to pay a fee or 'tax' before you can withdraw: the money never comes back",
			"要求先交手续费、保证金或“税”才能提现：钱交了也拿不回来")},

	// Romance.
	{ID: "romance-overseas-identity", Types: tw("romance", 1.0), Weight: 0.3,
		Phrases: map[string][]string{
			"zh-Hans": {"军医", "维和部队", "联合国维和", "海外军官", "石油钻井", "驻叙利亚", "在海外当兵"},
			"en":      {"peacekeeping mission", "un peacekeeper", "deployed in syria", "oil rig", "military doctor", "us army general", "widowed engineer", "i am a widower"},
			"id":      {"tentara amerika", "dokter militer"},
			"th":      {"ทหารอเมริกัน", "หมอทหาร"},
			"vi":      {"bác sĩ quân y", "lính mỹ"},
		},
		Explain: ex("the sender claims a job abroad (soldier, army doctor, oil rig) that keeps them from meeting you",
			"对方自称在海外当兵、做军医或在石油钻井工作，总有理由不见面")},
	{ID: "romance-affection", Types: tw("romance", 1.0), Weight: 0.15,
		Phrases: map[string][]string{
			"zh-Hans": {"网恋", "宝贝我爱你", "我们的未来", "我想和你结婚", "想和你共度余生", "缘分让我们"},
			"en":      {"i fell in love with you", "our future together", "my soulmate", "i want to marry you", "love of my life", "my darling"},
			"id":      {"aku jatuh cinta padamu", "masa depan kita"},
			"th":      {"ผมรักคุณ", "อนาคตของเรา", "อยากแต่งงานกับคุณ"},
			"vi":      {"anh yêu em", "tương lai của chúng ta"},
		},
		Explain: ex("quick declarations of love from someone you met online",
			"网上认识的人很快就表白、谈未来")},
	{ID: "romance-money-request", Types: tw("romance", 1.0), Weight: 0.4,
		Phrases: map[string][]string{
			"zh-Hans": {"清关费", "包裹被海关扣", "礼物被扣", "海关扣押", "机票钱不够", "来见你的路费"},
			"en":      {"customs fee for the parcel", "gift parcel", "your package is held at customs", "money for a flight to see you", "plane ticket to come see you", "to come and see you", "clearance fee"},
			"id":      {"biaya bea cukai", "paket hadiah"},
			"th":      {"ค่าธรรมเนียมศุลกากร", "พัสดุติดศุลกากร"},
			"vi":      {"phí hải quan", "gói quà"},
		},
		Explain: ex("asks for money for a 'gift parcel' held at customs or a ticket to come and see you",
			"以“礼物包裹被海关扣押”或“来见你的路费”为由要钱")},

	// Task and order-brushing.
	{ID: "task-brushing", Types: tw("task", 1.0), Weight: 0.4,
		Phrases: map[string][]string{
			"zh-Hans": {"刷单", "刷信誉", "点赞返佣", "点赞关注", "做任务", "抢单", "派单", "接单返佣", "刷流水", "关注抖音"},
			"en":      {"complete tasks", "complete the task", "simple tasks", "daily tasks", "like videos", "like and follow", "boost ratings", "order grabbing", "grab orders", "optimize products", "task commission"},
			"id":      {"tugas harian", "like video", "selesaikan tugas", "follow akun"},
			"th":      {"กดไลค์", "ทำภารกิจ", "งานกดไลค์", "กดติดตาม"},
			"vi":      {"làm nhiệm vụ", "nhiệm vụ", "thả tim", "like video"},
		},
		Explain: ex("pays you for 'tasks' such as liking videos or boosting orders: the start of a task scam",
			"以点赞、刷单、做任务给佣金：刷单返利诈骗的开始")},
	{ID: "task-commission", Types: tw("task", 0.8, "investment", 0.2), Weight: 0.15,
		Phrases: map[string][]string{
			"zh-Hans": {"返利", "返佣", "佣金", "高额佣金", "本金加佣金", "本金返还"},
			"en":      {"commission", "earn commission", "rebate", "commission per task"},
			"id":      {"komisi"},
			"th":      {"ค่าคอมมิชชั่น", "ค่าคอม"},
			"vi":      {"hoa hồng"},
		},
		Explain: ex("promises a commission or rebate for small jobs",
			"承诺返利、佣金")},
	{ID: "task-prepay", Types: tw("task", 1.0), Weight: 0.4,
		Phrases: map[string][]string{
			"zh-Hans": {"垫付", "先垫付", "充值后返还", "连单", "卡单", "充值做单", "先充值"},
			"en":      {"advance payment", "recharge your account to continue", "top up to continue", "prepay", "top up to unlock", "negative balance"},
			"id":      {"deposit dulu", "isi saldo dulu", "top up dulu"},
			"th":      {"โอนเงินก่อน", "เติมเงินก่อน", "สำรองจ่าย"},
			"vi":      {"nạp tiền làm nhiệm vụ", "nạp tiền trước", "ứng tiền"},
		},
		Explain: ex("asks you to pay or 'top up' first to unlock your earnings: you will be asked again and again",
			"要求先垫付或充值才能拿回佣金：之后会一次次要你再充")},
	{ID: "easy-money", Types: tw("task", 0.7, "job", 0.3), Weight: 0.2,
		Phrases: map[string][]string{
			"zh-Hans": {"日赚", "一天赚", "在家兼职", "手机兼职", "轻松赚钱", "动动手指", "躺赚", "兼职日结"},
			"en":      {"work from home", "part-time job online", "earn money from home", "easy money", "earn up to", "flexible hours from your phone"},
			"id":      {"kerja paruh waktu", "penghasilan tambahan", "kerja dari rumah", "kerja online"},
			"th":      {"รายได้เสริม", "งานเสริม", "ทำงานที่บ้าน", "งานออนไลน์"},
			"vi":      {"việc nhẹ lương cao", "kiếm tiền online", "việc làm tại nhà", "làm thêm tại nhà"},
		},
		Explain: ex("promises easy money for little work from your phone",
			"承诺用手机轻松赚钱、在家兼职")},

	// Job lures: the road into the compounds.
	{ID: "job-high-pay-no-experience", Types: tw("job", 1.0), Weight: 0.3, Job: true,
		Pair: [2]string{"high-pay", "no-experience"}, Near: 120,
		Explain: ex("high pay with no experience needed: far above what such work pays",
			"高薪且无需经验：远高于这类工作的正常工资")},
	{ID: "job-no-interview", Types: tw("job", 1.0), Weight: 0.25, Job: true,
		Phrases: map[string][]string{
			"zh-Hans": {"无需面试", "免面试", "不用面试", "直接上岗", "无需学历", "当天入职"},
			"en":      {"no interview", "no interview required", "no interview needed", "start immediately"},
			"id":      {"tanpa interview", "tanpa wawancara", "langsung kerja"},
			"th":      {"ไม่ต้องสัมภาษณ์", "เริ่มงานทันที"},
			"vi":      {"không cần phỏng vấn", "đi làm ngay"},
		},
		Explain: ex("no interview: real employers want to meet who they hire",
			"无需面试：正规单位招人都会面试")},
	{ID: "job-travel-paid", Types: tw("job", 1.0), Weight: 0.3, Job: true,
		Phrases: map[string][]string{
			"zh-Hans": {"包机票", "报销机票", "公司出机票", "包签证", "包路费", "报销路费", "免费机票", "公司包机票", "落地接机"},
			"en":      {"visa and flight paid", "flight paid", "flights paid", "free flight", "free flights", "free visa", "air ticket provided", "air tickets provided", "we pay your flight", "visa and air ticket"},
			"id":      {"tiket pesawat gratis", "visa gratis", "tiket ditanggung"},
			"th":      {"ฟรีตั๋วเครื่องบิน", "ออกค่าตั๋วให้", "ฟรีวีซ่า"},
			"vi":      {"bao vé máy bay", "miễn phí vé máy bay", "lo visa"},
		},
		Explain: ex("the employer pays your flight or visa to go abroad: how victims are taken to scam compounds",
			"雇主包机票、包签证出国：这是把人骗进诈骗园区的常见方式")},
	{ID: "job-room-board", Types: tw("job", 1.0), Weight: 0.08, Job: true,
		Phrases: map[string][]string{
			"zh-Hans": {"包吃包住", "包食宿", "包吃住"},
			"en":      {"free food and accommodation", "accommodation provided", "free accommodation"},
			"id":      {"mess gratis", "makan dan tempat tinggal"},
			"th":      {"มีที่พัก", "ฟรีที่พัก"},
			"vi":      {"bao ăn ở"},
		},
		Explain: ex("free food and lodging: common in honest ads too, but part of the lure abroad",
			"包吃包住：正规招聘也常见，但也是出境诱骗的一部分")},
	{ID: "job-passport", Types: tw("job", 1.0), Weight: 0.45, Job: true,
		Pair: [2]string{"passport", "passport-keep"}, Near: 30,
		Explain: ex("the employer will keep your passport: that is how people are held in the compounds",
			"护照由公司保管：诈骗园区就是这样扣住人的")},
	{ID: "job-scam-role", Types: tw("job", 1.0), Weight: 0.2, Job: true, JobOnly: true,
		Phrases: map[string][]string{
			"zh-Hans": {"打字员", "客服", "海外客服", "游戏推广", "网络推广", "聊天员", "推广员", "电销", "网投", "话务员"},
			"en":      {"typist", "typing job", "customer service representative", "customer service agent", "game promoter", "chat agent", "online marketing", "data entry"},
			"id":      {"admin game", "operator game", "admin online"},
			"th":      {"แอดมินเกม", "พนักงานพิมพ์", "แอดมิน"},
			"vi":      {"nhân viên chăm sóc khách hàng", "trực page", "nhân viên game", "nhân viên đánh máy"},
		},
		Explain: ex("a typist, customer-service or 'game promoter' job: the roles scam compounds advertise",
			"打字员、客服、游戏推广等岗位：诈骗园区招人常用的职位")},
	{ID: "job-abroad", Types: tw("job", 1.0), Weight: 0.2, Job: true, JobOnly: true,
		Phrases: map[string][]string{
			"zh-Hans": {"海外工作", "出国工作", "出国务工", "境外工作", "海外高薪", "缅甸", "柬埔寨", "老挝", "迪拜"},
			"en":      {"work in cambodia", "work in myanmar", "work in thailand", "work in laos", "overseas job", "work abroad", "job abroad", "job in cambodia", "job in thailand", "in cambodia", "in myanmar", "in laos"},
			"id":      {"kerja di kamboja", "kerja di luar negeri", "kamboja", "myanmar"},
			"th":      {"ทำงานต่างประเทศ", "กัมพูชา", "พม่า", "ลาว"},
			"vi":      {"xuất khẩu lao động", "làm việc tại campuchia", "campuchia", "myanmar"},
		},
		Explain: ex("the job is abroad, in a country where scam compounds operate",
			"工作地点在境外，且是诈骗园区所在的国家")},
	{ID: "contact-messaging-app", Types: tw("job", 0.3, "investment", 0.2, "task", 0.2, "romance", 0.15, "gambling", 0.15), Weight: 0.15, Job: true,
		Phrases: map[string][]string{
			"zh-Hans": {"加飞机", "加飞机详谈", "飞机联系", "联系飞机", "加微信详谈", "加微信", "加v详谈", "加tg", "私聊详谈", "详谈请加", "加我微信"},
			"en":      {"contact only by telegram", "contact us on telegram", "message me on telegram", "telegram only", "whatsapp only", "add me on whatsapp", "chat on whatsapp", "dm on telegram", "contact me on telegram"},
			"id":      {"hubungi via telegram", "chat whatsapp", "hubungi via whatsapp", "chat wa"},
			"th":      {"แอดไลน์", "ทักไลน์", "ติดต่อทางเทเลแกรม"},
			"vi":      {"liên hệ zalo", "kết bạn zalo", "nhắn tin zalo", "liên hệ telegram"},
		},
		Explain: ex("moves the conversation to a messaging app (Telegram, WeChat, WhatsApp) where it is harder to trace",
			"要求转到飞机（Telegram）、微信等聊天软件详谈，更难追查")},
	{ID: "urgency", Types: tw("impersonation_official", 0.3, "phishing", 0.3, "customer_service", 0.2, "impersonation_acquaintance", 0.2), Weight: 0.08,
		Phrases: map[string][]string{
			"zh-Hans": {"立即", "马上", "尽快", "限时", "24小时内", "今天之内", "逾期", "否则后果自负", "刻不容缓"},
			"en":      {"act now", "urgent", "urgently", "immediately", "within 24 hours", "expires today", "last chance", "right now", "as soon as possible"},
			"id":      {"segera", "hari ini juga", "dalam 24 jam"},
			"th":      {"ด่วน", "ภายใน 24 ชั่วโมง", "ทันที"},
			"vi":      {"ngay lập tức", "khẩn cấp", "gấp", "trong vòng 24 giờ"},
		},
		Explain: ex("pushes you to act at once, so you have no time to check",
			"催你立即、马上行动，不给你核实的时间")},

	// Impersonating a boss, relative or friend.
	{ID: "new-number", Types: tw("impersonation_acquaintance", 1.0), Weight: 0.25,
		Phrases: map[string][]string{
			"zh-Hans": {"我换号了", "这是我新号", "这是我的新号码", "猜猜我是谁", "我手机坏了", "我换手机号了", "我的新微信"},
			"en":      {"this is my new number", "my new number", "i changed my number", "guess who this is", "hi mum", "hi mom", "hi dad", "my phone broke", "lost my phone"},
			"id":      {"ini nomor baru saya", "ganti nomor", "nomor baru aku", "hp saya rusak"},
			"th":      {"นี่เบอร์ใหม่", "เปลี่ยนเบอร์", "เบอร์ใหม่"},
			"vi":      {"đây là số mới", "số mới của", "đổi số"},
		},
		Explain: ex("someone says they are a friend or relative on a new number: check by calling the old one",
			"对方说自己是熟人、换了新号：先打原来的号码核实")},
	{ID: "boss-request", Types: tw("impersonation_acquaintance", 1.0), Weight: 0.2,
		Phrases: map[string][]string{
			"zh-Hans": {"我是你领导", "我是你老板", "明天来我办公室", "领导让你", "老板让你", "我在开会", "不方便接电话"},
			"en":      {"this is your boss", "i'm in a meeting", "i am in a meeting", "can't talk right now", "i need a favour", "i need a favor", "buy gift cards"},
			"id":      {"saya atasan", "saya sedang rapat"},
			"th":      {"ผมเป็นหัวหน้า", "ติดประชุม"},
			"vi":      {"anh đang họp", "sếp đây"},
		},
		Explain: ex("a 'boss' who cannot talk asks you for a favour: confirm in person or by a known number",
			"自称领导、在开会不方便接电话：当面或用已知号码核实")},
	{ID: "urgent-money-help", Types: tw("impersonation_acquaintance", 0.8, "romance", 0.2), Weight: 0.3,
		Phrases: map[string][]string{
			"zh-Hans": {"急需用钱", "帮我转", "先帮我垫", "借我点钱", "借点钱", "帮我打款", "出车祸", "住院急需", "先转给我"},
			"en":      {"i need money urgently", "can you help me pay", "lend me", "send me money", "had an accident", "in hospital and need", "transfer it for me"},
			"id":      {"pinjam uang", "tolong transfer", "butuh uang", "kecelakaan"},
			"th":      {"ยืมเงิน", "โอนเงินให้หน่อย", "ขอยืม"},
			"vi":      {"cho mình mượn", "chuyển giúp", "vay tạm", "cần tiền gấp"},
		},
		Explain: ex("asks you urgently for money or a transfer on their behalf",
			"以急事为由要你借钱或代为转账")},

	// Fake customer service.
	{ID: "refund-claim", Types: tw("customer_service", 1.0), Weight: 0.2,
		Phrases: map[string][]string{
			"zh-Hans": {"退款", "理赔", "快递丢失", "快递丢了", "包裹丢失", "双倍赔偿", "三倍赔偿", "质量问题退款", "赔付"},
			"en":      {"refund", "compensation for your parcel", "lost parcel", "your parcel was lost", "eligible for a refund"},
			"id":      {"pengembalian dana", "refund", "ganti rugi"},
			"th":      {"คืนเงิน", "ชดเชย"},
			"vi":      {"hoàn tiền", "bồi thường"},
		},
		Explain: ex("offers a refund or compensation you did not ask for: the way into a fake customer-service scam",
			"主动说要给你退款、理赔：冒充客服诈骗的开头")},
	{ID: "cancel-membership", Types: tw("customer_service", 1.0), Weight: 0.4,
		Phrases: map[string][]string{
			"zh-Hans": {"取消会员", "关闭会员", "百万保障", "关闭百万保障", "自动扣费", "取消自动续费", "开通了会员", "每月扣费", "代理商", "误开通"},
			"en":      {"cancel your subscription", "you will be charged", "auto-renewal", "automatic renewal", "your subscription will renew", "unauthorised charge", "unauthorized charge"},
			"id":      {"langganan anda", "dikenakan biaya"},
			"th":      {"ยกเลิกสมาชิก", "ถูกหักเงิน"},
			"vi":      {"hủy gói", "bị trừ tiền"},
		},
		Explain: ex("says a membership or fee will be charged unless you cancel it with their help",
			"声称开通了会员或将自动扣费，要你配合取消")},
	{ID: "platform-support", Types: tw("customer_service", 1.0), Weight: 0.25,
		Phrases: map[string][]string{
			"zh-Hans": {"淘宝客服", "京东客服", "快递客服", "抖音客服", "支付宝客服", "我是客服", "平台客服", "官方客服", "拼多多客服"},
			"en":      {"amazon customer service", "this is amazon", "customer support team", "paypal support", "shopee customer service"},
			"id":      {"cs shopee", "cs tokopedia", "customer service shopee"},
			"th":      {"เจ้าหน้าที่ shopee", "เจ้าหน้าที่ขนส่ง"},
			"vi":      {"nhân viên shopee", "chăm sóc khách hàng shopee"},
		},
		Explain: ex("claims to be a shop's or courier's customer service",
			"自称是电商、快递的客服")},
	{ID: "screen-share", Types: tw("customer_service", 0.5, "impersonation_official", 0.3, "loan", 0.2), Weight: 0.4,
		Phrases: map[string][]string{
			"zh-Hans": {"屏幕共享", "共享屏幕", "下载会议软件", "腾讯会议", "远程协助", "向日葵", "下载app"},
			"en":      {"screen sharing", "share your screen", "remote access", "anydesk", "teamviewer", "install this app"},
			"id":      {"berbagi layar", "bagikan layar"},
			"th":      {"แชร์หน้าจอ", "ติดตั้งแอป"},
			"vi":      {"chia sẻ màn hình", "cài đặt ứng dụng"},
		},
		Explain: ex("asks you to share your screen or install an app, so they can see your codes and your bank",
			"要你共享屏幕或下载软件，这样就能看到你的验证码和银行账户")},

	// Loans and credit.
	{ID: "loan-no-collateral", Types: tw("loan", 1.0), Weight: 0.3,
		Phrases: map[string][]string{
			"zh-Hans": {"无抵押贷款", "无抵押", "免抵押", "无需抵押", "秒批", "秒到账", "低息贷款", "黑户可贷", "不看征信", "快速放款"},
			"en":      {"no collateral", "loan without collateral", "instant loan", "instant approval", "no credit check", "bad credit ok", "guaranteed loan"},
			"id":      {"pinjaman tanpa jaminan", "pinjaman online", "dana cepat", "pinjol", "cair cepat"},
			"th":      {"เงินกู้", "กู้เงินด่วน", "ไม่ต้องค้ำ", "อนุมัติไว"},
			"vi":      {"vay tiền", "vay không thế chấp", "giải ngân nhanh", "vay nhanh"},
		},
		Explain: ex("offers an easy loan with no collateral or credit check",
			"声称无抵押、不看征信、秒批放款")},
	{ID: "loan-upfront-fee", Types: tw("loan", 0.8, "task", 0.2), Weight: 0.35,
		Phrases: map[string][]string{
			"zh-Hans": {"解冻费", "工本费", "刷流水", "激活费", "贷款保证金", "放款前", "验资"},
			"en":      {"processing fee", "upfront fee", "pay a fee to release the loan", "insurance fee", "activation fee"},
			"id":      {"biaya admin", "biaya pencairan"},
			"th":      {"ค่าธรรมเนียมก่อน", "ค่าดำเนินการ"},
			"vi":      {"phí giải ngân", "phí hồ sơ"},
		},
		Explain: ex("asks for a fee before the loan is paid out: real lenders deduct fees, they do not ask first",
			"放款前要交费、验资、刷流水：正规贷款不会先收钱")},
	{ID: "credit-record", Types: tw("loan", 1.0), Weight: 0.3,
		Phrases: map[string][]string{
			"zh-Hans": {"征信", "修复征信", "影响征信", "注销校园贷", "校园贷", "注销账户", "网贷账户", "学生贷"},
			"en":      {"credit score", "credit record", "student loan account", "cancel your loan account", "credit report"},
			"id":      {"bi checking", "skor kredit"},
			"th":      {"เครดิตบูโร", "ประวัติเครดิต"},
			"vi":      {"nợ xấu", "điểm tín dụng"},
		},
		Explain: ex("threatens your credit record or offers to cancel an old student loan",
			"以影响征信、注销校园贷为由让你操作")},

	// Gambling.
	{ID: "gambling-site", Types: tw("gambling", 1.0), Weight: 0.35,
		Phrases: map[string][]string{
			"zh-Hans": {"博彩", "百家乐", "赌场", "网赌", "老虎机", "真人视讯", "六合彩", "体育投注", "时时彩"},
			"en":      {"baccarat", "online casino", "sports betting", "slot games", "casino bonus"},
			"id":      {"judi online", "slot gacor", "situs judi", "togel", "slot online"},
			"th":      {"บาคาร่า", "คาสิโนออนไลน์", "สล็อต", "เว็บพนัน"},
			"vi":      {"cá cược", "nhà cái", "casino"},
		},
		Explain: ex("advertises online gambling (baccarat, casino, slots), illegal and run from the compounds",
			"推广网络赌博（博彩、百家乐），违法且多由诈骗园区经营")},
	{ID: "gambling-bonus", Types: tw("gambling", 0.8, "investment", 0.2), Weight: 0.25,
		Phrases: map[string][]string{
			"zh-Hans": {"首充", "充值送", "注册送", "彩金", "返水", "首存"},
			"en":      {"welcome bonus", "deposit bonus", "free spins", "free credit"},
			"id":      {"bonus deposit", "bonus new member", "bonus member baru"},
			"th":      {"เครดิตฟรี", "ฝากถอน", "สมัครรับโบนัส"},
			"vi":      {"khuyến mãi nạp", "nạp đầu"},
		},
		Explain: ex("offers a bonus for signing up or depositing: the hook of gambling sites",
			"注册送、首充送彩金：赌博网站的诱饵")},
	{ID: "gambling-sure-win", Types: tw("gambling", 1.0), Weight: 0.3,
		Phrases: map[string][]string{
			"zh-Hans": {"稳赢", "包赢", "必中", "内部计划", "计划群", "回血", "上岸", "漏洞"},
			"en":      {"sure win", "guaranteed win", "winning tips", "never lose"},
			"id":      {"pasti menang", "gacor", "maxwin"},
			"th":      {"แตกง่าย", "ชนะแน่นอน"},
			"vi":      {"chắc thắng", "bao thắng"},
		},
		Explain: ex("promises you cannot lose at gambling",
			"声称稳赢、必中、能回血上岸")},

	// Phishing.
	{ID: "share-code", Types: tw("phishing", 1.0), Weight: 0.5,
		Phrases: map[string][]string{
			"zh-Hans": {"验证码发给", "把验证码", "告诉我验证码", "提供验证码", "报一下验证码", "验证码告诉", "验证码发我", "收到的验证码"},
			"en":      {"send me the code", "share the code", "tell me the code", "send me the verification code", "read me the code", "give me the otp", "share your otp", "send me the otp"},
			"id":      {"kirimkan kode otp", "berikan kode otp", "kirim kode otp", "sebutkan kode"},
			"th":      {"แจ้งรหัส otp", "บอกรหัส otp", "ส่งรหัส otp"},
			"vi":      {"cung cấp mã otp", "gửi mã otp", "đọc mã otp"},
		},
		Explain: ex("asks you for a verification code: never give a code to anyone, it unlocks your account",
			"索要验证码：验证码不要告诉任何人，它能打开你的账户")},
	{ID: "code-mention", Types: tw("phishing", 1.0), Weight: 0.08,
		Phrases: map[string][]string{
			"zh-Hans": {"验证码", "动态码", "校验码"},
			"en":      {"verification code", "otp", "one-time password"},
			"id":      {"kode otp", "kode verifikasi"},
			"th":      {"รหัส otp", "รหัสยืนยัน"},
			"vi":      {"mã otp", "mã xác nhận"},
		},
		Explain: ex("mentions a verification code: fine from your bank, never share it",
			"提到验证码：银行发来的没问题，但绝不能告诉别人")},
	{ID: "click-link", Types: tw("phishing", 0.7, "prize", 0.3), Weight: 0.15,
		Phrases: map[string][]string{
			"zh-Hans": {"点击链接", "点击以下链接", "点击下方链接", "点此链接", "登录网址", "打开链接"},
			"en":      {"click the link", "click here", "click on the link", "tap the link", "visit the link below", "click the link below", "follow the link"},
			"id":      {"klik link", "klik tautan", "klik di sini"},
			"th":      {"คลิกลิงก์", "กดลิงก์", "คลิกที่ลิงก์"},
			"vi":      {"nhấp vào link", "truy cập link", "bấm vào đường link", "truy cập đường link"},
		},
		Explain: ex("asks you to click a link: check where it goes before you open it",
			"要你点击链接：打开前先确认网址是否真实")},
	{ID: "verify-account", Types: tw("phishing", 1.0), Weight: 0.3,
		Phrases: map[string][]string{
			"zh-Hans": {"账户异常", "身份验证", "重新认证", "登录异常", "信息不完善", "ETC失效", "积分兑换", "积分即将清零", "积分将清零", "医保卡"},
			"en":      {"verify your account", "unusual activity", "confirm your identity", "update your payment", "package could not be delivered", "update your details", "suspicious login"},
			"id":      {"verifikasi akun", "poin anda akan hangus", "perbarui data"},
			"th":      {"ยืนยันตัวตน", "อัปเดตข้อมูล", "คะแนนจะหมดอายุ"},
			"vi":      {"xác minh tài khoản", "cập nhật thông tin", "xác thực tài khoản"},
		},
		Explain: ex("says your account needs verifying or your points expire, to get you onto a fake site",
			"声称账户异常、需要认证或积分即将清零，引你到假网站")},

	// Prizes.
	{ID: "prize-won", Types: tw("prize", 1.0), Weight: 0.35,
		Phrases: map[string][]string{
			"zh-Hans": {"中奖", "恭喜您中奖", "获得大奖", "幸运用户", "被抽中", "恭喜您获得", "场外幸运观众"},
			"en":      {"you have won", "you've won", "you’ve won", "you have been selected", "selected as a winner", "congratulations you won", "lucky winner"},
			"id":      {"selamat anda mendapatkan", "anda mendapatkan hadiah", "pemenang", "selamat anda terpilih"},
			"th":      {"ยินดีด้วย", "คุณได้รับรางวัล", "ถูกรางวัล"},
			"vi":      {"trúng thưởng", "chúc mừng quý khách", "trúng giải"},
		},
		Explain: ex("says you have won a prize you never entered for",
			"说你中了奖，而你根本没参加过")},
	{ID: "prize-claim", Types: tw("prize", 1.0), Weight: 0.25,
		Phrases: map[string][]string{
			"zh-Hans": {"领奖", "兑奖", "领取奖品", "领取奖金", "奖金"},
			"en":      {"claim your prize", "claim your reward", "cash prize", "to claim", "prize"},
			"id":      {"klaim hadiah", "hadiah"},
			"th":      {"รับรางวัล", "รางวัล"},
			"vi":      {"nhận thưởng", "giải thưởng"},
		},
		Explain: ex("asks you to claim a prize, usually after paying a fee or giving your details",
			"要你领奖，通常要先交费或填写个人信息")},
	{ID: "lucky-draw", Types: tw("prize", 1.0), Weight: 0.12,
		Phrases: map[string][]string{
			"zh-Hans": {"抽奖", "幸运抽奖", "获奖名单", "节目组"},
			"en":      {"lucky draw", "lottery", "sweepstakes", "jackpot"},
			"id":      {"undian"},
			"th":      {"จับรางวัล", "ลุ้นรางวัล"},
			"vi":      {"quay số", "bốc thăm"},
		},
		Explain: ex("a lucky draw or lottery: shops run them too, fake ones ask for money",
			"抽奖：商家也会搞，但假的会要你交钱")},

	// Ransom and extortion.
	{ID: "ransom", Types: tw("extortion", 1.0), Weight: 0.5,
		Phrases: map[string][]string{
			"zh-Hans": {"赎金", "赎人", "交钱放人", "不交钱就", "撕票", "拿钱赎"},
			"en":      {"ransom", "pay for his release", "pay for her release", "we have your son", "we have your daughter"},
			"id":      {"tebusan", "uang tebusan"},
			"th":      {"ค่าไถ่"},
			"vi":      {"tiền chuộc"},
		},
		Explain: ex("demands a ransom for a person: call the police; families of people held in compounds are often asked",
			"索要赎金：请报警；被困园区者的家人常被勒索")},
	{ID: "sextortion", Types: tw("extortion", 1.0), Weight: 0.45,
		Phrases: map[string][]string{
			"zh-Hans": {"裸聊", "不雅视频", "视频发给你的", "你的通讯录", "发给你的亲友", "发给你家人", "录下了你"},
			"en":      {"nude video", "intimate video", "your contacts list", "send it to your family", "i recorded you", "recorded you", "webcam video"},
			"id":      {"video bugil", "video syur", "sebarkan video"},
			"th":      {"คลิปหลุด", "คลิปลับ", "ส่งคลิปให้"},
			"vi":      {"clip nóng", "video nóng", "tung clip"},
		},
		Explain: ex("threatens to send an intimate video to your family or contacts",
			"威胁把裸聊或不雅视频发给你的亲友")},
	{ID: "threat-expose", Types: tw("extortion", 1.0), Weight: 0.3,
		Phrases: map[string][]string{
			"zh-Hans": {"曝光", "发到你朋友圈", "身败名裂", "后果自负", "让你社死"},
			"en":      {"or else", "will be published", "we will release", "ruin your reputation", "face the consequences"},
			"id":      {"sebarkan", "akan disebar"},
			"th":      {"แฉ", "ประจาน"},
			"vi":      {"tung lên mạng", "bêu riếu"},
		},
		Explain: ex("threatens to expose or shame you unless you pay",
			"威胁曝光、让你身败名裂")},

	// Fake shops.
	{ID: "too-cheap", Types: tw("shopping", 1.0), Weight: 0.15,
		Phrases: map[string][]string{
			"zh-Hans": {"低价出售", "超低价", "内部渠道", "全新未拆封", "亏本甩卖", "一折", "内部价"},
			"en":      {"90% off", "clearance sale", "brand new sealed", "limited stock", "too good to miss", "below market price"},
			"id":      {"harga murah", "obral", "cuci gudang"},
			"th":      {"ราคาถูก", "ลดราคา 90%", "ล้างสต็อก"},
			"vi":      {"giá rẻ", "thanh lý", "xả kho"},
		},
		Explain: ex("goods far below their price: fake shops take the money and send nothing",
			"价格低得离谱：假店铺收钱后不发货")},
	{ID: "pay-outside-platform", Types: tw("shopping", 1.0), Weight: 0.35,
		Phrases: map[string][]string{
			"zh-Hans": {"私下交易", "不走平台", "直接转账给我", "先付款后发货", "付定金", "先付定金", "微信转账付款"},
			"en":      {"pay outside the platform", "bank transfer only", "friends and family", "payment first before shipping", "no cash on delivery", "deposit first"},
			"id":      {"transfer dulu", "bayar dulu", "dp dulu"},
			"th":      {"โอนก่อน", "โอนมัดจำ"},
			"vi":      {"chuyển khoản trước", "đặt cọc"},
		},
		Explain: ex("asks you to pay first, or outside the shopping platform where you have no protection",
			"要求先付款或私下交易，绕开平台保障")},
	{ID: "goods-not-sent", Types: tw("shopping", 1.0), Weight: 0.25,
		Phrases: map[string][]string{
			"zh-Hans": {"不发货", "没收到货", "一直没发货", "付款后拉黑", "收钱不发货"},
			"en":      {"never received", "item not received", "never arrived", "blocked me after i paid"},
			"id":      {"barang tidak dikirim", "barang tidak sampai"},
			"th":      {"ไม่ได้รับสินค้า", "ไม่ส่งของ"},
			"vi":      {"không nhận được hàng", "không giao hàng"},
		},
		Explain: ex("money paid for goods that never came",
			"付了钱却一直收不到货")},

	// An anti-fraud warning quotes the scams it warns of: it lowers the
	// risk, never below what its other signals make it alone (see Risk).
	{ID: "anti-fraud-warning", Weight: -0.5,
		Phrases: map[string][]string{
			"zh-Hans": {"谨防", "警惕", "反诈", "防骗", "谨防诈骗", "切勿", "不要轻信", "都是诈骗", "均为诈骗", "不会要求", "从不要求", "请勿泄露", "提醒您"},
			"en":      {"beware of", "do not share", "never share", "will never ask", "never ask you", "is a scam", "don't share"},
			"id":      {"waspada", "jangan berikan", "tidak pernah meminta", "hati-hati penipuan"},
			"th":      {"ระวัง", "อย่าหลงเชื่อ", "ไม่มีนโยบาย"},
			"vi":      {"cảnh giác", "không yêu cầu", "tuyệt đối không", "không cung cấp"},
		},
		Explain: ex("reads like an anti-fraud warning, not a scam",
			"像是防骗提醒，而不是诈骗")},

	// From the extractor's matches, in any language.
	{ID: "link-shortener", Types: tw("phishing", 0.6, "prize", 0.2, "gambling", 0.2), Weight: 0.15, FromIndicators: true,
		Explain: ex("a shortened link hides where it really goes",
			"短链接隐藏了真实网址")},
	{ID: "wallet-payment", Types: tw("investment", 0.5, "extortion", 0.3, "task", 0.2), Weight: 0.3, FromIndicators: true,
		Explain: ex("asks for payment to a cryptocurrency wallet, which cannot be reversed",
			"要求向加密货币钱包付款，转出后无法追回")},
	{ID: "messaging-handle", Types: tw("job", 0.3, "investment", 0.2, "task", 0.2, "romance", 0.15, "gambling", 0.15), Weight: 0.1, FromIndicators: true,
		Explain: ex("gives a messaging-app account to contact, away from traceable channels",
			"留下聊天软件账号让你联系")},
	{ID: "phone-callback", Types: tw("customer_service", 0.3, "impersonation_official", 0.3, "prize", 0.2, "loan", 0.2), Weight: 0.15, FromIndicators: true,
		Explain: ex("asks you to call back a number: look the organisation's number up yourself instead",
			"要你回拨一个号码：请自己查询官方号码再打")},
	{ID: "job-hub-destination", Types: tw("job", 1.0), Weight: 0.35, Job: true, JobOnly: true, FromIndicators: true,
		Explain: ex("destination near a known scam hub ({place})",
			"目的地在已知诈骗园区附近（{place}）")},
	{ID: "scam-hub-place", Types: tw("job", 0.5, "extortion", 0.5), Weight: 0.15, FromIndicators: true,
		Explain: ex("mentions a known scam-compound area ({place})",
			"提到已知的诈骗园区所在地（{place}）")},
}

// cues are groups of words that mean nothing alone but make a signal
// together (see Def.Pair), or make a text read as a job ad.
var cues = map[string]map[string][]string{
	"recruit": {
		"zh-Hans": {"招聘", "诚聘", "急招", "招工", "招人", "月薪", "薪资", "底薪", "岗位", "应聘", "入职", "工资", "待遇", "高薪"},
		"en":      {"hiring", "we are hiring", "vacancy", "vacancies", "job offer", "salary", "recruitment", "recruiting", "apply now", "job opening"},
		"id":      {"lowongan", "gaji", "loker", "dibutuhkan"},
		"th":      {"รับสมัคร", "เงินเดือน", "สมัครงาน"},
		"vi":      {"tuyển dụng", "lương", "tuyển gấp", "việc làm"},
	},
	// high-pay: words that say the pay is high by themselves; "salary"
	// words count when a high amount follows them (see highAmount).
	"high-pay": {
		"zh-Hans": {"高薪", "高工资", "高收入", "月入过万", "月薪过万", "轻松月入", "日入"},
		"en":      {"high salary", "high pay", "huge salary", "big salary"},
		"id":      {"gaji tinggi", "gaji besar"},
		"th":      {"เงินเดือนสูง", "รายได้สูง"},
		"vi":      {"lương cao", "thu nhập cao", "việc nhẹ lương cao"},
	},
	"salary": {
		"zh-Hans": {"月薪", "薪资", "底薪", "工资", "月入", "薪水", "薪酬"},
		"en":      {"salary", "salary of", "monthly salary", "earn", "pay of", "per month"},
	},
	"no-experience": {
		"zh-Hans": {"无需经验", "无经验", "不需要经验", "零经验", "零基础", "小白可做", "不要求经验"},
		"en":      {"no experience", "no experience needed", "no experience required", "no experience necessary", "no skills required"},
		"id":      {"tanpa pengalaman", "tidak perlu pengalaman"},
		"th":      {"ไม่ต้องมีประสบการณ์", "ไม่จำเป็นต้องมีประสบการณ์"},
		"vi":      {"không cần kinh nghiệm", "không yêu cầu kinh nghiệm"},
	},
	"passport": {
		"zh-Hans": {"护照"},
		"en":      {"passport", "passports"},
		"id":      {"paspor"},
		"th":      {"หนังสือเดินทาง", "พาสปอร์ต"},
		"vi":      {"hộ chiếu"},
	},
	"passport-keep": {
		"zh-Hans": {"由公司保管", "公司保管", "统一保管", "公司代为保管", "上交", "扣押", "收走", "没收", "交给公司"},
		"en":      {"we will keep", "will keep your", "kept by the company", "will be kept", "hold your", "held by", "surrender your", "hand over your"},
		"id":      {"ditahan", "disimpan perusahaan", "disimpan"},
		"th":      {"ยึด", "เก็บไว้ที่บริษัท"},
		"vi":      {"giữ", "công ty giữ"},
	},
	"callback": {
		"zh-Hans": {"回电", "请回电", "致电", "拨打", "请拨", "联系电话", "来电咨询"},
		"en":      {"call back", "call us", "call now", "please call", "call this number", "ring us", "call"},
		"id":      {"hubungi", "telepon balik", "telp"},
		"th":      {"โทรกลับ", "โทร"},
		"vi":      {"gọi lại", "gọi ngay", "liên hệ số", "gọi"},
	},
}
