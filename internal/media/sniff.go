package media

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"unicode/utf8"
)

// sniff returns the content type of data from its leading bytes, or an
// error wrapping ErrUnsupported. It accepts only what families send as
// evidence: pictures, voice notes and recordings, short videos, PDFs and
// plain text (chat exports). It does not use net/http's sniffer: that one
// answers for every file, including text/html and application/zip, and the
// question here is narrower — is this one of the kinds Vigil keeps.
func sniff(b []byte) (string, error) {
	has := func(off int, magic string) bool {
		return len(b) >= off+len(magic) && string(b[off:off+len(magic)]) == magic
	}
	switch {
	case has(0, "\xFF\xD8\xFF"):
		return "image/jpeg", nil
	case has(0, "\x89PNG\r\n\x1A\n"):
		return "image/png", nil
	case has(0, "GIF87a"), has(0, "GIF89a"):
		return "image/gif", nil
	case has(0, "RIFF") && has(8, "WEBP"):
		return "image/webp", nil
	case has(0, "RIFF") && has(8, "WAVE"):
		return "audio/wav", nil
	case has(0, "#!AMR-WB\n"):
		return "audio/amr-wb", nil
	case has(0, "#!AMR\n"):
		return "audio/amr", nil
	case has(0, "OggS"):
		return ogg(b)
	case has(0, "\x1A\x45\xDF\xA3"):
		return ebml(b)
	case has(4, "ftyp"):
		return isoMedia(b)
	case has(0, "ID3"), mpegFrame(b):
		return "audio/mpeg", nil
	case adtsFrame(b):
		return "audio/aac", nil
	case has(0, "%PDF-"):
		return "application/pdf", nil
	}
	for _, r := range refused {
		if has(0, r.magic) {
			return "", fmt.Errorf("%w: %s", ErrUnsupported, r.what)
		}
	}
	return plainText(b)
}

// refused are the kinds of file most often sent by mistake or malice,
// named so the sender learns why theirs was refused.
var refused = []struct{ magic, what string }{
	{"\x7FELF", "an executable (ELF)"},
	{"MZ", "a Windows executable"},
	{"\xCF\xFA\xED\xFE", "an executable (Mach-O)"},
	{"\xCE\xFA\xED\xFE", "an executable (Mach-O)"},
	{"\xCA\xFE\xBA\xBE", "an executable (Mach-O or Java class)"},
	{"PK\x03\x04", "an archive (zip, or an Office document or app package)"},
	{"PK\x05\x06", "an archive (zip)"},
	{"Rar!", "an archive (RAR)"},
	{"7z\xBC\xAF\x27\x1C", "an archive (7z)"},
	{"\x1F\x8B", "an archive (gzip)"},
}

// ogg accepts an Ogg stream whose first packet is an audio codec's
// header: Opus (WhatsApp and Telegram voice notes), Vorbis, Speex, FLAC.
func ogg(b []byte) (string, error) {
	if len(b) < 27 || len(b) < 27+int(b[26]) {
		return "", fmt.Errorf("%w: a truncated Ogg file", ErrUnsupported)
	}
	first := b[27+int(b[26]):] // after the page header and its segment table
	for _, codec := range []string{"OpusHead", "\x01vorbis", "Speex   ", "\x7FFLAC"} {
		if bytes.HasPrefix(first, []byte(codec)) {
			return "audio/ogg", nil
		}
	}
	return "", fmt.Errorf("%w: an Ogg file that is not audio", ErrUnsupported)
}

// ebml accepts WebM (a browser's MediaRecorder writes voice as audio/webm)
// and refuses other Matroska files. A WebM with a video track is
// video/webm: the codec ids are plain text in the track headers near the
// start.
func ebml(b []byte) (string, error) {
	head := b[:min(len(b), 64)]
	i := bytes.Index(head, []byte{0x42, 0x82}) // DocType
	if i < 0 || !bytes.Contains(head[i:min(len(head), i+12)], []byte("webm")) {
		return "", fmt.Errorf("%w: a Matroska file that is not WebM", ErrUnsupported)
	}
	tracks := b[:min(len(b), 4096)]
	for _, v := range []string{"V_VP8", "V_VP9", "V_AV1", "V_MPEG4"} {
		if bytes.Contains(tracks, []byte(v)) {
			return "video/webm", nil
		}
	}
	return "audio/webm", nil
}

// isoMedia tells the ISO base media files (MP4 and its relatives) apart by
// their major brand. HEIC and AVIF photos (an iPhone's default) are
// refused with a way out: no pure-Go decoder reads them, and a photo Vigil
// cannot decode cannot be matched to other cases.
func isoMedia(b []byte) (string, error) {
	if len(b) < 12 || binary.BigEndian.Uint32(b) < 12 {
		return "", fmt.Errorf("%w: a truncated MP4 file", ErrUnsupported)
	}
	switch brand := string(b[8:12]); brand {
	case "heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1", "avif", "avis":
		return "", fmt.Errorf("%w: a HEIC or AVIF photo; send it as JPEG (on an iPhone: Settings, Camera, Formats, Most Compatible)", ErrUnsupported)
	case "M4A ", "M4B ", "F4A ":
		return "audio/mp4", nil
	case "qt  ":
		return "video/quicktime", nil
	default:
		if brand[:3] == "3gp" || brand[:3] == "3g2" {
			return "video/3gpp", nil
		}
		return "video/mp4", nil
	}
}

// mpegFrame tells whether b starts with an MPEG audio frame header (an MP3
// without ID3 tag): 11 sync bits, layer III, and no reserved version, bit
// rate or sample rate.
func mpegFrame(b []byte) bool {
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return false
	}
	version, layer := b[1]>>3&3, b[1]>>1&3
	bitrate, rate := b[2]>>4, b[2]>>2&3
	return version != 1 && layer == 1 && bitrate != 0 && bitrate != 15 && rate != 3
}

// adtsFrame tells whether b starts with an AAC ADTS frame header (what
// many Android recorders write as .aac): 12 sync bits and layer 0.
func adtsFrame(b []byte) bool {
	return len(b) >= 7 && b[0] == 0xFF && b[1]&0xF6 == 0xF0 && b[2]>>2&0xF < 13
}

// plainText accepts UTF-8 text (a chat export, a copied message) without
// control characters, and refuses markup: a file starting with "<" is
// HTML, SVG or XML, which a browser would render and run scripts from.
// A file starting with "#!" is a script.
func plainText(b []byte) (string, error) {
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(b) {
		return "", fmt.Errorf("%w: not a recognised file type", ErrUnsupported)
	}
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7F {
			return "", fmt.Errorf("%w: not a recognised file type", ErrUnsupported)
		}
	}
	t := bytes.TrimLeft(b, " \t\r\n\f")
	switch {
	case len(t) == 0:
		return "", ErrEmpty
	case t[0] == '<':
		return "", fmt.Errorf("%w: markup (HTML, SVG or XML)", ErrUnsupported)
	case bytes.HasPrefix(t, []byte("#!")):
		return "", fmt.Errorf("%w: a script", ErrUnsupported)
	}
	return "text/plain; charset=utf-8", nil
}
