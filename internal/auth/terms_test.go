package auth

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"empty", "", nil},
		{"English", "Add me on WeChat: scam_boss99!", []string{"add", "me", "on", "wechat", "scam", "boss99"}},
		{"full width", "ＷｅＣｈａｔ ID", []string{"wechat", "id"}},
		{"ligature", "ﬁnance", []string{"finance"}},
		{"single letters dropped", "a b c de", []string{"de"}},
		{"repeats once", "pay pay PAY", []string{"pay"}},
		{"accent composed or not", "café cafe\u0301", []string{"café"}},
		{"Chinese", "刷单返利", []string{"刷单", "单返", "返利"}},
		{"Chinese single character", "单", []string{"单"}},
		{"Chinese split by punctuation", "刷单，单", []string{"刷单", "单"}},
		{"Chinese and Latin", "加微信wechat刷单", []string{"加微", "微信", "wechat", "刷单"}},
		{"Japanese with prolonged sound", "メール", []string{"メー", "ール"}},
		{"half-width katakana", "ﾒｰﾙ", []string{"メー", "ール"}},
		{"Korean", "카카오톡 연락", []string{"카카", "카오", "오톡", "연락"}},
		{"Thai with marks", "ไลน์", []string{"ไล", "ลน", "น์"}},
		{"Burmese", "ငွေပါ", []string{"ငွ", "ွေ", "ေပ", "ပါ"}},
		{"Khmer", "ប្រាក់", []string{"ប្", "្រ", "រា", "ាក", "ក់"}},
		{"numbers", "USDT 5000 ① １２３", []string{"usdt", "5000", "123"}},
		{"Roman numeral", "Ⅻ", []string{"xii"}},
		{"not UTF-8", "x\xffyz\xc3", []string{"yz"}},
		{"lone combining mark", "\u0301ab", []string{"ab"}},
	}
	for _, tt := range tests {
		if d := cmp.Diff(tt.want, Tokens(tt.text)); d != "" {
			t.Errorf("%s: Tokens(%q) (-want +got):\n%s", tt.name, tt.text, d)
		}
	}
}

func TestTerms(t *testing.T) {
	k := mustKeyring(t, testKey(1))
	text := "Transfer USDT to 刷单 agent"
	terms := k.Terms(text)
	tokens := Tokens(text)
	if len(terms) != len(tokens) {
		t.Fatalf("%d terms for %d tokens", len(terms), len(tokens))
	}
	for i, tok := range tokens {
		if !bytes.Equal(terms[i], k.Blind("term", tok)) {
			t.Errorf("term %d is not Blind(term, %q)", i, tok)
		}
	}
	if k.Terms("") != nil || k.QueryTerms("!!") != nil {
		t.Error("a text without words has terms")
	}
}

// matches reports whether every term of the query is a term of the text,
// as the store's search does.
func matches(k *Keyring, text, query string) bool {
	q := k.QueryTerms(query)
	if len(q) == 0 {
		return false
	}
	return isSubset(q, k.Terms(text))
}

func isSubset(sub, set [][]byte) bool {
	have := map[string]bool{}
	for _, t := range set {
		have[string(t)] = true
	}
	for _, t := range sub {
		if !have[string(t)] {
			return false
		}
	}
	return true
}

func TestQueryTerms(t *testing.T) {
	k := mustKeyring(t, testKey(1))
	const text = "他们让我做刷单返利，加微信 WeChat ID scam_boss99，转了 5000 USDT。ติดต่อไลน์ ငွေလွှဲ"
	tests := []struct {
		query string
		want  bool
	}{
		{"wechat", true},
		{"WECHAT", true},
		{"ｗｅｃｈａｔ", true},
		{"wechat usdt", true},
		{"wechat paypal", false},
		{"wech", false}, // Latin words match whole
		{"boss99", true},
		{"5000", true},
		{"刷单", true},
		{"刷单返利", true},
		{"返利", true},
		{"微信", true},
		{"单刷", false},
		{"单", false}, // one character finds only texts where it stands alone
		{"ไลน์", true},
		{"ติดต่อ", true},
		{"လွှဲ", true},
		{"", false},
		{"!", false},
	}
	for _, tt := range tests {
		if got := matches(k, text, tt.query); got != tt.want {
			t.Errorf("query %q: match %v, want %v (tokens %q)", tt.query, got, tt.want, Tokens(tt.query))
		}
	}
}

// FuzzTerms checks that no input makes the tokeniser panic, that tokens are
// valid UTF-8 and whole (tokenising a token gives it back), and that a
// query's terms are among the terms of the same text.
func FuzzTerms(f *testing.F) {
	k := mustKeyring(f, testKey(1))
	for _, s := range []string{"", "Add me on WeChat", "刷单返利 ไลน์ ငွေလွှဲ ប្រាក់ メール", "cafe\u0301", "x\xffyz\xc3", "\u0301\u0301", "ﾒｰﾙ ǅ İ ß ﬁ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		tokens := Tokens(text)
		seen := map[string]bool{}
		for _, tok := range tokens {
			if !utf8.ValidString(tok) || utf8.RuneCountInString(tok) == 0 || utf8.RuneCountInString(tok) > len(text) {
				t.Fatalf("Tokens(%q) has token %q", text, tok)
			}
			if seen[tok] {
				t.Fatalf("Tokens(%q) repeats %q", text, tok)
			}
			seen[tok] = true
			if strings.ContainsAny(tok, " \t\n") {
				t.Fatalf("Tokens(%q) has token %q with a space", text, tok)
			}
		}
		terms := k.Terms(text)
		if len(terms) != len(tokens) {
			t.Fatalf("%d terms for %d tokens", len(terms), len(tokens))
		}
		if !isSubset(k.QueryTerms(text), terms) {
			t.Fatalf("QueryTerms(%q) is not a subset of Terms(%q)", text, text)
		}
		// Each word of the text, searched alone, finds the text.
		for word := range strings.FieldsSeq(text) {
			if q := k.QueryTerms(word); !isSubset(q, terms) {
				t.Fatalf("QueryTerms(%q) is not a subset of Terms(%q)", word, text)
			}
		}
	})
}
