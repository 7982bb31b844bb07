package model

import (
	"testing"

	"vigil/internal/datasets"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		text      string
		want      string
		confident bool
	}{
		{"【中国联通】尊敬的客户，您的话费余额不足，请及时充值。", LangZh, true},
		{"您好，我是公安局的王警官，您的账户涉嫌洗钱 https://x.cn", LangZh, true},
		{"ยินดีด้วย คุณได้รับรางวัล กดลิงก์ https://bit.ly/x เพื่อรับเงิน", LangTh, true},
		{"Quý khách đã trúng thưởng 50 triệu đồng, vui lòng liên hệ", LangVi, true},
		{"Vietcombank KHONG yeu cau cung cap TEN DANG NHAP, MAT KHAU, OTP qua cac duong link", LangVi, true},
		{"Selamat anda mendapatkan hadiah dari kami, segera hubungi nomor ini", LangID, true},
		{"aku udah di rumah, kamu jadi ke sini gak?", LangID, true},
		{"Congratulations! You have won a free prize, call now to claim your reward", LangEn, true},
		{"Ok lar... Joking wif u oni...", LangEn, true},
		{"Sigh... Tmr?", LangEn, false},
		{"Sila hubungi kami kerana akaun anda telah disekat, boleh tak", "", true},           // Malay
		{"Salamat po sa inyong tulong, hindi ko alam kung ano ang gagawin", "", true},        // Tagalog
		{"Estimado cliente, su cuenta ha sido bloqueada por razones de seguridad", "", true}, // Spanish
		{"Bonjour, votre compte est suspendu, merci de cliquer sur le lien", "", true},       // French
		{"お客様のアカウントが停止されました。こちらから確認してください", "", true},                                        // Japanese
		{"고객님의 계정이 정지되었습니다", "", true},                                                       // Korean
		{"Ваш аккаунт заблокирован", "", true},                                               // Russian
		{"", "", false},
		{"12345 !!!", "", false},
		{"好", LangZh, false},
	}
	for _, tt := range tests {
		got, conf := Detect(tt.text)
		if got != tt.want || conf != tt.confident {
			t.Errorf("Detect(%q) = %q, %v; want %q, %v", tt.text, got, conf, tt.want, tt.confident)
		}
	}
}

// TestDetectCorpora measures Detect on corpora of known language.
func TestDetectCorpora(t *testing.T) {
	dir := datasets.Path(t)
	for _, c := range []struct {
		source, want string
		floor        float64
	}{
		{"ml/id", LangID, 0.87},
		{"ml/th", LangTh, 0.95},
		{"ml/vi", LangVi, 0.93},
		{"sms/uci", LangEn, 0.98},
		{"zh/telecom", LangZh, 0.98},
	} {
		ms, err := datasets.Messages(dir, c.source)
		if err != nil {
			t.Fatal(err)
		}
		right, confident, wrong := 0, 0, map[string]int{}
		for _, m := range ms {
			got, conf := Detect(m.Text)
			if got == c.want {
				right++
				if conf {
					confident++
				}
			} else {
				wrong[got]++
			}
		}
		acc := float64(right) / float64(len(ms))
		t.Logf("%s: %d texts, %.3f detected %s (%.3f confidently); others %v", c.source, len(ms), acc, c.want, float64(confident)/float64(len(ms)), wrong)
		if acc < c.floor {
			t.Errorf("%s: accuracy %.3f, want >= %.2f", c.source, acc, c.floor)
		}
	}
}
