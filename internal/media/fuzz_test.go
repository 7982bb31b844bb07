package media

import (
	"encoding/hex"
	"errors"
	"image/color"
	"testing"
)

// FuzzInspect: whatever the bytes, Inspect neither panics nor hangs, and
// either refuses them with one of its three errors or describes them
// consistently. The corpus is under testdata/fuzz/FuzzInspect.
func FuzzInspect(f *testing.F) {
	for _, seed := range [][]byte{
		encodePNG(f, scene(6, 16, 12)),
		encodeJPEG(f, scene(6, 16, 12), 50),
		webpSolid(3, 2, color.NRGBA{1, 2, 3, 255}),
		pngHeader(7000, 7000),
		[]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"),
		oggPage("OpusHead\x01\x01"),
		ftyp("heic"),
		ftyp("M4A "),
		webm("A_OPUS"),
		[]byte("#!AMR\n"),
		[]byte("RIFF\x00\x00\x00\x00WAVE"),
		[]byte("\xFF\xFB\x90\x64"),
		[]byte("%PDF-1.4"),
		[]byte("<svg onload=alert(1)>"),
		[]byte("\x7FELF"),
		[]byte("plain text 你好"),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := Inspect(data)
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("error %v wraps none of the package's errors", err)
			}
			if info != (Info{}) {
				t.Fatalf("error %v with info %+v", err, info)
			}
			return
		}
		if info.ContentType == "" || info.Size != int64(len(data)) || len(info.SHA256) != 64 {
			t.Fatalf("info %+v for %d bytes", info, len(data))
		}
		if info.Image != (info.PHash != "") {
			t.Fatalf("info %+v: Image and PHash disagree", info)
		}
		if info.Image {
			if _, err := hex.DecodeString(info.PHash); err != nil || len(info.PHash) != 16 {
				t.Fatalf("PHash %q is not 16 hex digits", info.PHash)
			}
			if d, err := Distance(info.PHash, info.PHash); err != nil || d != 0 {
				t.Fatalf("Distance of PHash to itself: %d, %v", d, err)
			}
		}
	})
}
