package screen

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// hantPairs maps the simplified characters of the signal phrases to their
// traditional forms, two characters a pair. It covers the phrases of the
// table, not Chinese at large (TestHantCovers checks the table): a full
// converter would be a dependency for a few hundred phrases.
const hantPairs = "万萬东東丢丟个個为為乐樂亏虧亚亞亲親从從众眾会會传傳体體余餘侦偵偿償价價兑兌关關内內册冊军軍冻凍击擊划劃则則别別办辦务務动動区區医醫协協单單卖賣却卻历歷参參双雙发發叙敘号號吓嚇员員响響园園国國场場坏壞块塊垫墊复復够夠头頭奖獎学學宝寶实實对對导導将將尽盡岗崗币幣师師帐帳带帶帮幫广廣应應开開异異录錄征徵恋戀戏戲户戶护護报報抢搶拟擬拨撥挝撾换換数數无無时時显顯机機来來松鬆样樣检檢没沒泄洩游遊点點爱愛现現电電监監盗盜码碼础礎确確礼禮祸禍离離种種积積称稱稳穩签簽类類纳納组組经經结結绕繞给給络絡绝絕统統续續维維缅緬缉緝缓緩缘緣缴繳网網职職联聯胁脅腾騰节節荐薦获獲营營虚虛补補见見观觀规規视視誉譽计計认認让讓议議讯訊证證识識诈詐诉訴试試诚誠话話询詢详詳误誤诱誘说說请請诺諾谁誰谈談谨謹谱譜贝貝负負财財败敗账帳货貨质質贷貸费費资資赌賭赎贖赔賠赚賺赞讚赢贏车車转轉软軟轻輕载載达達过過运運还還这這进進远遠违違连連递遞钻鑽钱錢银銀铺鋪链鏈销銷闭閉问問间間队隊险險隐隱难難领領频頻题題额額风風飞飛饵餌驻駐验驗骗騙马馬矿礦后後们們写寫声聲态態总總于於当當"

var hantMap = func() map[rune]rune {
	m := map[rune]rune{}
	rs := []rune(hantPairs)
	for i := 0; i+1 < len(rs); i += 2 {
		m[rs[i]] = rs[i+1]
	}
	return m
}()

// hant returns the traditional form of a simplified phrase.
func hant(s string) string {
	return strings.Map(func(r rune) rune {
		if t, ok := hantMap[r]; ok {
			return t
		}
		return r
	}, s)
}

// unaccented strips Vietnamese diacritics ("khóa tài khoản" → "khoa tai
// khoan"): SMS is often written without them.
func unaccented(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteRune('d')
		case r == 'Đ':
			b.WriteRune('D')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
