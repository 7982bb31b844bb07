package extract

import (
	"strings"
	"unicode/utf8"

	"vigil/internal/indicator"
)

// handles finds messaging IDs named by a keyword before them ("微信：abc123",
// "LINE ID: somchai88", "TG @scam_boss"), and Telegram "@names" anywhere in
// a text that talks of Telegram. Numbers after such keywords (QQ numbers,
// WeChat-by-phone) are left to the number scanner, which reads the same
// cues.
func (s *scan) handles() {
	t := s.f.text
	const idCues = cueWeChat | cueTelegram | cueLINE
	for _, h := range s.anchors {
		if h.cue&idCues == 0 {
			continue
		}
		i := skipFiller(t, h.end)
		j := i
		for j < len(t) && (isAlnum(t[j]) || t[j] == '_' || t[j] == '-' || t[j] == '.' || (t[j] == '@' && j == i)) {
			j++
		}
		for j > i && (t[j-1] == '.' || t[j-1] == '-') {
			j--
		}
		if j == i || s.isClaimed(i, j) {
			continue
		}
		id := t[i:j]
		if allDigits(strings.TrimPrefix(id, "@")) && h.cue&cueLINE == 0 {
			continue // a phone or QQ number: the number scanner's
		}
		switch {
		case h.cue&cueWeChat != 0:
			if v, err := indicator.ParseWeChat(id); err == nil && plausibleID(id) {
				s.add(Match{Kind: indicator.WeChat, Value: v, Confidence: 0.85}, i, j, prioHandle)
			}
		case h.cue&cueTelegram != 0:
			if v, err := indicator.ParseTelegram(id); err == nil && plausibleID(id) {
				s.add(Match{Kind: indicator.Telegram, Value: v, Confidence: 0.85}, i, j, prioHandle)
			}
		case h.cue&cueLINE != 0:
			if v, err := indicator.ParseLINE(id); err == nil && (plausibleID(id) || allDigits(id)) {
				s.add(Match{Kind: indicator.LINE, Value: v, Confidence: 0.85}, i, j, prioHandle)
			}
		}
	}
	s.atNames()
}

// skipFiller skips what stands between a keyword and the ID it names:
// spaces, colons, "号", "ID", "是", quotes, "@" is kept.
func skipFiller(t string, i int) int {
	start := i
	for i < len(t) && i-start < 24 {
		c := t[i]
		switch {
		case c == ' ' || c == ':' || c == '=' || c == '-' || c == '#' || c == '"' || c == '\'' || c == '(' || c == '[' || c == '\t':
			i++
			continue
		case c == 'I' || c == 'i':
			if i+1 < len(t) && (t[i+1] == 'D' || t[i+1] == 'd') && (i+2 == len(t) || !isAlnum(t[i+2])) {
				i += 2
				continue
			}
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(t[i:])
			switch r {
			case '号', '號', '是', '为', '為', '“', '”', '‘', '’', '「', '」', '『', '』', '【', '】', '《', '》', '搜', '索', '加', '我', '的', '、',
				'好', '友', '码', '碼', '账', '帐', '賬', '户', '戶', '公', '众', '眾', '关', '注', '關', '名', '称', '稱', '，':
				i += size
				continue
			}
		}
		break
	}
	return i
}

// plausibleID rejects common words that follow a keyword but are not IDs:
// "WeChat account", "Telegram channel", "LINE official".
func plausibleID(id string) bool {
	l := strings.ToLower(strings.TrimPrefix(id, "@"))
	if notIDs[l] || strings.Trim(l, l[:1]) == "" || masked(l) || strings.HasSuffix(l, "_") {
		return false // a word, a placeholder ("PLACE_") or a masked ID ("yunxxxxxxx")
	}
	// A real ID mixes in a digit or underscore, or is not a plain word.
	hasDigit := strings.ContainsAny(l, "0123456789_")
	return hasDigit || len(l) >= 6
}

// masked reports whether a value has characters blotted out with a run of
// x's or asterisks, as in anonymised data sets ("yunxxxxxxx", "folxxxxola").
func masked(l string) bool {
	return strings.Contains(l, "xxxx") || strings.Contains(l, "***")
}

var notIDs = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`account accounts group groups channel channels official number numbers official
		please contact message messages friend friends chat chats app apps login password payment payments pay
		scan search add added name nickname the and for with from this that your you our here there only also
		address wallet secure security support service customer verify verification code codes link links
		official_account`) {
		notIDs[w] = true
	}
}

// atNames finds Telegram "@names" in a text that mentions Telegram.
func (s *scan) atNames() {
	t := s.f.text
	if strings.IndexByte(t, '@') < 0 {
		return
	}
	for i := 0; i < len(t); {
		k := strings.IndexByte(t[i:], '@')
		if k < 0 {
			return
		}
		a := i + k
		i = a + 1
		if a > 0 && (isAlnum(t[a-1]) || t[a-1] == '.' || t[a-1] == '_') {
			continue // an email address
		}
		j := a + 1
		for j < len(t) && (isAlnum(t[j]) || t[j] == '_') {
			j++
		}
		if j-a-1 < 4 || (j < len(t) && (t[j] == '.' || t[j] == '@')) || s.isClaimed(a, j) {
			continue
		}
		near := s.cues.in(max(0, a-80), a) | s.cues.in(j, min(len(t), j+40))
		switch {
		case near&cueTelegram != 0:
			if v, err := indicator.ParseTelegram(t[a:j]); err == nil {
				s.add(Match{Kind: indicator.Telegram, Value: v, Confidence: 0.7}, a, j, prioHandle)
			}
		case s.cues.in(j, min(len(t), j+16))&cueLINE != 0:
			// "@054kizmi (LINE ID)": a LINE official account.
			if v, err := indicator.ParseLINE(t[a:j]); err == nil {
				s.add(Match{Kind: indicator.LINE, Value: v, Confidence: 0.7}, a, j, prioHandle)
			}
		}
		i = j
	}
}

// placeNames finds mentions of gazetteer places. A name with an everyday
// meaning too counts only when the text around it talks of Myanmar,
// Cambodia, compounds, borders or scams.
func (s *scan) placeNames() {
	if !s.x.want(indicator.Place) {
		return
	}
	for _, pm := range s.places {
		if s.isClaimed(pm.start, pm.end) {
			continue
		}
		m := Match{Kind: indicator.Place, Value: pm.name.Place.ID, Confidence: 0.9, Note: pm.name.Place.Name}
		if pm.name.Alias.Ambiguous {
			ctx := s.cues.in(max(0, pm.start-120), pm.start) | s.cues.in(pm.end, min(len(s.f.text), pm.end+120))
			if ctx&cuePlaceCtx == 0 {
				continue
			}
			m.Confidence = 0.6
			m.Tags = append(m.Tags, TagAmbiguous)
		}
		s.add(m, pm.start, pm.end, prioPlace)
	}
}
