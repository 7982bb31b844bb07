package extract

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// sniffSize is how much input Decode looks at to tell its encoding.
const sniffSize = 64 << 10

// Decode returns r as UTF-8 and names the encoding it was in: "utf-8",
// "utf-8-bom", "utf-16le", "utf-16be" (with or without a byte-order mark)
// or "gb18030" (which includes GBK and GB2312, common in Chinese exports).
// Text that is none of these is passed through as it is: the extractor
// reads invalid bytes as separators and never fails on them.
func Decode(r io.Reader) (io.Reader, string, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, "", err
	}
	name, enc := sniff(head)
	switch {
	case enc != nil:
		return transform.NewReader(br, enc.NewDecoder()), name, nil
	case name == "utf-8-bom":
		if _, err := br.Discard(3); err != nil {
			return nil, "", err
		}
	}
	return br, name, nil
}

// DecodeBytes is Decode for text already in memory.
func DecodeBytes(b []byte) (string, string) {
	name, enc := sniff(b)
	switch {
	case enc != nil:
		out, _, err := transform.Bytes(enc.NewDecoder(), b)
		if err == nil {
			return string(out), name
		}
		return string(b), "utf-8"
	case name == "utf-8-bom":
		return string(b[3:]), name
	}
	return string(b), name
}

func sniff(head []byte) (string, encoding.Encoding) {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return "utf-8-bom", nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return "utf-16le", unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return "utf-16be", unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
	}
	if le, be := zeroBytes(head); le || be {
		if le {
			return "utf-16le", unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
		}
		return "utf-16be", unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	}
	if validUTF8Prefix(head) {
		return "utf-8", nil
	}
	if looksGB18030(head) {
		return "gb18030", simplifiedchinese.GB18030
	}
	return "utf-8", nil
}

// zeroBytes detects UTF-16 without a byte-order mark: mostly-ASCII text in
// UTF-16 has a zero in every other byte.
func zeroBytes(b []byte) (le, be bool) {
	if len(b) < 8 {
		return false, false
	}
	n := len(b) &^ 1
	var even, odd int
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	half := n / 2
	return odd > half*4/10 && even < half/10, even > half*4/10 && odd < half/10
}

// validUTF8Prefix reports whether b is valid UTF-8, allowing a sequence cut
// off at the end of the sniffed block.
func validUTF8Prefix(b []byte) bool {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				b = b[:i]
			}
			break
		}
	}
	return utf8.Valid(b)
}

// looksGB18030 reports whether b reads as Chinese in GB18030: its non-ASCII
// characters decode, nine in ten of them to CJK or full-width forms, as
// they do in real Chinese text and not in Latin-1 or other bytes.
func looksGB18030(b []byte) bool {
	out, _, err := transform.Bytes(simplifiedchinese.GB18030.NewDecoder(), b)
	if err != nil {
		return false
	}
	var good, other int
	for _, r := range string(out) {
		switch {
		case r < 0x80:
		case r >= 0x3000 && r <= 0x9FFF, r >= 0xFF00 && r <= 0xFFEF, r >= 0x2000 && r <= 0x206F:
			good++
		default:
			other++
		}
	}
	return good > 0 && good*10 >= (good+other)*9
}
