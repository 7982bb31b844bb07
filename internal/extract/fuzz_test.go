package extract

import (
	"strings"
	"testing"
	"unicode/utf8"

	"vigil/internal/indicator"
)

var fuzzSeeds = []string{
	"", "1", "+", "(", "@", ".", "[.]", "http://", "hxxp //a.co", "http:///a.co/x", "0x", "微信", "一三八〇〇一三八〇〇〇",
	"加我微信：abc_123456，转账 USDT TRC20 TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp 电话 138-0013-8000",
	"Call 09061701461 or txt WIN to 87121, see www.Win.COM/a?b=(c)). mail bob[at]gmail.com",
	"IBAN DE89 3704 0044 0532 0130 00 card 4111 1111 1111 1111 卡号 6222 0212 3456 7890 128",
	"t.me/joinchat/AbCdEfGhIjKl wa.me/8613800138000 line.me/ti/p/~abc zalo.me/0912345678 @fraud_king telegram",
	"2001:db8::1 ::ffff:1.2.3.4 1.2.3.4:8080/x [::1]:80 http://[2001:db8::1]/",
	"妙瓦底 KK园区 Shwe Kokko 西港", "Ref:763179369", "26/12/2022 13:55:14", "+44 7700 900123",
	"\xff\xfe\x00", "a\u200bb.c\u200bom", "①③⑧⓪⓪①③⑧⓪⓪⓪", "ＷＷＷ．ＥＸＡＭＰＬＥ．ＣＯＭ",
}

// FuzzExtract: any input gets an answer, never a panic, and every match
// keeps the invariants (offsets in order and in range, raw is the text
// between them, values canonical, confidence in (0,1], cards masked).
func FuzzExtract(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	x := New(Options{})
	f.Fuzz(func(t *testing.T, text string) {
		ms := x.Extract(text).Matches
		checkInvariants(t, text, ms)
		for _, m := range ms {
			switch m.Kind {
			case indicator.BTC, indicator.ETH, indicator.TRX, indicator.LTC, indicator.DOGE, indicator.XRP:
				if w, err := indicator.ParseWallet(m.Value); err != nil || w.Value != m.Value {
					t.Errorf("%s %q does not re-validate: %v", m.Kind, m.Value, err)
				}
			case indicator.Email, indicator.IBAN, indicator.WeChat, indicator.QQ, indicator.Telegram, indicator.LINE:
				if v, err := indicator.Canonical(m.Kind, m.Value, ""); err != nil || v != m.Value {
					t.Errorf("%s %q is not canonical: %q %v", m.Kind, m.Value, v, err)
				}
			case indicator.Phone:
				if strings.HasPrefix(m.Value, "+") {
					if p, err := indicator.ParsePhone(m.Value, ""); err != nil || p.Value != m.Value {
						t.Errorf("phone %q does not re-validate: %v", m.Value, err)
					}
				}
			}
			if !utf8.ValidString(m.Value) {
				t.Errorf("%s value %q is not UTF-8", m.Kind, m.Value)
			}
		}
	})
}

// FuzzStream: streaming in small windows finds what extracting whole does.
func FuzzStream(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(strings.Repeat(s+" ", 40))
	}
	x := New(Options{Region: "CN"})
	f.Fuzz(func(t *testing.T, text string) {
		whole := x.Extract(text).Matches
		var got []Match
		_, err := x.Stream(strings.NewReader(text), StreamOptions{Window: 512, Overlap: 1}, func(m Match) error {
			got = append(got, m)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(whole) {
			t.Fatalf("stream found %d matches, whole text %d", len(got), len(whole))
		}
		for i := range got {
			if got[i].Start != whole[i].Start || got[i].Value != whole[i].Value {
				t.Fatalf("match %d: stream %+v, whole %+v", i, got[i], whole[i])
			}
		}
	})
}

// FuzzDecode: any bytes decode to something the extractor can read.
func FuzzDecode(f *testing.F) {
	f.Add([]byte("hello 13800138000"))
	f.Add([]byte{0xFF, 0xFE, 'a', 0, 'b', 0})
	f.Add([]byte{0xFE, 0xFF, 0, 'a'})
	f.Add([]byte{0xEF, 0xBB, 0xBF, 'x'})
	f.Add([]byte{0xC4, 0xE3, 0xBA, 0xC3}) // 你好 in GBK
	f.Add([]byte{0xA3, 0x31, 0x30, 0x30})
	x := New(Options{})
	f.Fuzz(func(t *testing.T, b []byte) {
		text, enc := DecodeBytes(b)
		if enc == "" {
			t.Fatal("no encoding named")
		}
		checkInvariants(t, text, x.Extract(text).Matches)
	})
}
