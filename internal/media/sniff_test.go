package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"strings"
	"testing"
)

// pngHeader is a PNG's signature and IHDR chunk (8-bit RGBA) with no
// pixel data: enough for DecodeConfig, not for Decode.
func pngHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32([]byte("IHDR"), w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	b := []byte("\x89PNG\r\n\x1A\n")
	b = binary.BigEndian.AppendUint32(b, uint32(len(ihdr)-4))
	b = append(b, ihdr...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(ihdr))
}

// webpSolid is a lossless WebP of w x h pixels of one colour, written by
// hand (the standard library and x/image have no WebP encoder): a VP8L
// stream whose five prefix codes each hold one symbol, so every pixel
// takes no bits at all.
func webpSolid(w, h int, c color.NRGBA) []byte {
	var bits []bool
	put := func(v uint32, n int) {
		for i := range n {
			bits = append(bits, v>>i&1 == 1)
		}
	}
	put(uint32(w-1), 14)
	put(uint32(h-1), 14)
	put(0, 1) // alpha not used
	put(0, 3) // version
	put(0, 1) // no transform
	put(0, 1) // no colour cache
	put(0, 1) // no meta prefix codes
	for _, sym := range []uint8{c.G, c.R, c.B, c.A} {
		put(1, 1) // simple code
		put(0, 1) // one symbol
		put(1, 1) // of 8 bits
		put(uint32(sym), 8)
	}
	put(1, 1) // distance: simple code
	put(0, 1) // one symbol
	put(0, 1) // of 1 bit
	put(0, 1)
	data := []byte{0x2F}
	for i := 0; i < len(bits); i += 8 {
		var v byte
		for j := 0; j < 8 && i+j < len(bits); j++ {
			if bits[i+j] {
				v |= 1 << j
			}
		}
		data = append(data, v)
	}
	if len(data)%2 == 1 {
		data = append(data, 0)
	}
	chunk := binary.LittleEndian.AppendUint32([]byte("VP8L"), uint32(len(data)))
	chunk = append(chunk, data...)
	riff := binary.LittleEndian.AppendUint32([]byte("RIFF"), uint32(4+len(chunk)))
	return append(append(riff, "WEBP"...), chunk...)
}

// oggPage is the first page of an Ogg stream holding one packet.
func oggPage(packet string) []byte {
	b := []byte("OggS\x00\x02")
	b = append(b, make([]byte, 8+4+4+4)...) // granule, serial, sequence, checksum
	b = append(b, 1, byte(len(packet)))
	return append(b, packet...)
}

func ftyp(brand string) []byte {
	b := binary.BigEndian.AppendUint32(nil, 24)
	b = append(b, "ftyp"+brand+"\x00\x00\x00\x00isommp42"...)
	return append(b, "\x00\x00\x00\x08free"...)
}

func webm(codec string) []byte {
	b := []byte("\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\xF7\x81\x01\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02")
	b = append(b, "\x18\x53\x80\x67\x01\x00\x00\x00\x00\x00\x00\x00\x16\x54\xAE\x6B\xAE\x86\x81"...)
	return append(b, "\x01\x86\x86"+codec...)
}

func gifImage(t *testing.T) []byte {
	img := image.NewPaletted(image.Rect(0, 0, 40, 30), []color.Color{color.Black, color.White})
	for x := range 20 {
		img.SetColorIndex(x, x%30, 1)
	}
	var b bytes.Buffer
	if err := gif.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSniff(t *testing.T) {
	img := scene(5, 120, 90)
	for _, c := range []struct {
		name string
		data []byte
		want string // a content type, or "" when refused
		img  bool
	}{
		{"jpeg", encodeJPEG(t, img, 80), "image/jpeg", true},
		{"png", encodePNG(t, img), "image/png", true},
		{"gif", gifImage(t), "image/gif", true},
		{"webp", webpSolid(9, 7, color.NRGBA{200, 30, 90, 255}), "image/webp", true},
		{"ogg opus voice note", oggPage("OpusHead\x01\x01\x38\x01\x80\xBB\x00\x00\x00\x00\x00"), "audio/ogg", false},
		{"ogg vorbis", oggPage("\x01vorbis\x00\x00\x00\x00\x01\x44\xAC\x00\x00"), "audio/ogg", false},
		{"ogg theora video", oggPage("\x80theora\x03\x02\x01"), "", false},
		{"ogg truncated", []byte("OggS\x00\x02\x00"), "", false},
		{"mp3 with id3", []byte("ID3\x04\x00\x00\x00\x00\x00\x00\xFF\xFB\x90\x64\x00\x00\x00"), "audio/mpeg", false},
		{"mp3 bare frame", []byte("\xFF\xFB\x90\x64\x00\x00\x00\x00\x00\x00\x00\x00"), "audio/mpeg", false},
		{"aac adts", []byte("\xFF\xF1\x50\x80\x02\x1F\xFC\x21\x00"), "audio/aac", false},
		{"m4a", ftyp("M4A "), "audio/mp4", false},
		{"mp4", ftyp("isom"), "video/mp4", false},
		{"mp4 mp42", ftyp("mp42"), "video/mp4", false},
		{"iphone mov", ftyp("qt  "), "video/quicktime", false},
		{"3gp", ftyp("3gp5"), "video/3gpp", false},
		{"heic photo", ftyp("heic"), "", false},
		{"avif photo", ftyp("avif"), "", false},
		{"amr voice", []byte("#!AMR\n\x3C\x48\xF5\x1F"), "audio/amr", false},
		{"amr-wb voice", []byte("#!AMR-WB\n\x04\x10\x20"), "audio/amr-wb", false},
		{"wav", append([]byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00"), make([]byte, 16)...), "audio/wav", false},
		{"avi", []byte("RIFF\x24\x00\x00\x00AVI LIST"), "", false},
		{"webm voice", webm("A_OPUS"), "audio/webm", false},
		{"webm video", webm("V_VP8"), "video/webm", false},
		{"matroska", bytes.Replace(webm("V_VP8"), []byte("webm"), []byte("mkvx"), 1), "", false},
		{"pdf", []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"), "application/pdf", false},
		{"text", []byte("Wang Lei, 19. Last message 2025-03-02: 我们被骗了，被卖到缅甸\n"), "text/plain; charset=utf-8", false},
		{"text with BOM", []byte("\xEF\xBB\xBFchat export\r\n"), "text/plain; charset=utf-8", false},
		{"text with an HTML tag inside", []byte("he wrote <b>help</b>"), "text/plain; charset=utf-8", false},
		{"elf executable", []byte("\x7FELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3E\x00"), "", false},
		{"windows executable", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), "", false},
		{"mach-o", []byte("\xCF\xFA\xED\xFE\x07\x00\x00\x01"), "", false},
		{"html", []byte("<html><body><script>alert(1)</script>"), "", false},
		{"html after white space", []byte("\n\n  <!DOCTYPE html><html>"), "", false},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), "", false},
		{"svg after bom", []byte("\xEF\xBB\xBF<svg onload=alert(1)>"), "", false},
		{"xml", []byte(`<?xml version="1.0"?><svg/>`), "", false},
		{"zip", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), "", false},
		{"gzip", []byte("\x1F\x8B\x08\x00\x00\x00\x00\x00"), "", false},
		{"rar", []byte("Rar!\x1A\x07\x01\x00"), "", false},
		{"7z", []byte("7z\xBC\xAF\x27\x1C\x00\x04"), "", false},
		{"shell script", []byte("#!/bin/sh\ncurl x | sh\n"), "", false},
		{"binary with NUL", []byte("hello\x00world"), "", false},
		{"not utf-8", []byte("\xC3\x28 latin-1 caf\xE9"), "", false},
		{"utf-16 text", []byte("\xFF\xFEh\x00i\x00"), "", false},
		{"jpeg header, then junk", []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00junk junk junk"), "", false},
		{"png signature, then junk", []byte("\x89PNG\r\n\x1A\nnot a chunk at all"), "", false},
		{"png header without pixels", pngHeader(4, 4), "", false},
		{"webp header only", []byte("RIFF\x0C\x00\x00\x00WEBPVP8L"), "", false},
	} {
		info, err := Inspect(c.data)
		switch {
		case c.want == "" && !errors.Is(err, ErrUnsupported):
			t.Errorf("%s: Inspect = %+v, %v; want an error wrapping ErrUnsupported", c.name, info, err)
		case c.want != "" && err != nil:
			t.Errorf("%s: Inspect error %v, want %s", c.name, err, c.want)
		case c.want != "" && (info.ContentType != c.want || info.Image != c.img || (info.PHash != "") != c.img):
			t.Errorf("%s: Inspect = %+v, want %s, image %v", c.name, info, c.want, c.img)
		}
	}
}

// TestRefusalsSayWhy: the family learns why their file was refused.
func TestRefusalsSayWhy(t *testing.T) {
	for _, c := range []struct {
		data []byte
		want string
	}{
		{[]byte("\x7FELF\x02\x01"), "executable"},
		{[]byte("PK\x03\x04"), "archive"},
		{[]byte("<svg onload=alert(1)>"), "markup"},
		{ftyp("heic"), "JPEG"},
		{[]byte("\xFF\xD8\xFF\xE0junk"), "not a readable image"},
	} {
		_, err := Inspect(c.data)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Inspect(%q) error %v, want one saying %q", c.data, err, c.want)
		}
	}
}
