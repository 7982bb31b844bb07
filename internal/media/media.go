// Package media inspects the evidence files families attach to a case:
// screenshots of chats, photos of the missing person, voice notes. It tells
// what a file is from its bytes alone (a client's Content-Type is whatever
// the client says), refuses what could run or render as a page in a
// reader's browser (executables, HTML, SVG, archives), and gives each file
// its SHA-256 and, for images, a perceptual hash: the same photo sent to
// two families, recompressed or resized on the way by a chat app, gets
// nearly the same hash, which is how the two cases are linked.
//
// The package is pure: no I/O, no HTTP, no storage.
package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math/bits"
	"strconv"

	"github.com/corona10/goimagehash"
	"golang.org/x/image/webp"
)

// MaxSize is the largest evidence file accepted: a phone photo is a few
// MB, a minute of voice a few hundred KB; 20 MiB leaves room for short
// videos without letting one upload fill the store.
const MaxSize = 20 << 20

// MaxPixels is the largest image decoded. Decoding allocates about four
// bytes a pixel whatever the file's size, so a small file declaring a huge
// picture (a decompression bomb) is refused from its header, before any
// pixel is decoded. 50 megapixels is above every phone camera in use;
// decoding one takes about 200 MB, so callers should bound how many
// Inspect calls run at once.
const MaxPixels = 50_000_000

// SamePhoto is the Hamming distance between two perceptual hashes at or
// below which two images are taken as the same photo. The pHash is the
// signs of the lowest frequencies of a DCT of a grey 64x64 reduction of
// the picture (after the bars of a screenshot are cut: see picture). What
// chat apps and people do to a photo on its way — JPEG recompression down
// to quality 15, recompression five times over, resizing to a sixth,
// blowing a thumbnail up again, a brighter screen, a phone screenshot of
// it with the status bar, sent on at half size — changes fine detail and
// overall level, which those coefficients do not see: media_test.go
// measures at most 4 bits on such copies of photos and chat screenshots.
// Unrelated pictures differ in about half of the 64 bits; in the tests no
// two of them come closer than 20. 8 sits between the two with room on
// both sides. What the hash does not survive is cropping: a tenth cut off
// each side makes another picture (TestCropIsNotTheSamePhoto).
const SamePhoto = 8

// The errors Inspect wraps. The API answers all three as a 4xx.
var (
	ErrEmpty       = errors.New("media: empty file")
	ErrTooLarge    = errors.New("media: file too large")
	ErrUnsupported = errors.New("media: unsupported file type")
)

// Info is what Inspect learns of a file.
type Info struct {
	ContentType string // sniffed from the bytes, e.g. "image/jpeg", "audio/ogg"
	Size        int64
	SHA256      string // hex, lower case
	PHash       string // 64-bit perceptual hash as 16 lower-case hex digits; images only
	Image       bool
}

// Inspect tells what data is, checks that Vigil accepts it, and hashes it.
// Images are decoded (once their header shows they are not too large) to
// compute their perceptual hash, so an image that does not decode is
// refused too: a file claiming to be a JPEG that no viewer can open is
// useless as evidence and suspect as a file.
func Inspect(data []byte) (Info, error) {
	switch {
	case len(data) == 0:
		return Info{}, ErrEmpty
	case len(data) > MaxSize:
		return Info{}, fmt.Errorf("%w: %d bytes, at most %d MiB", ErrTooLarge, len(data), MaxSize>>20)
	}
	ct, err := sniff(data)
	if err != nil {
		return Info{}, err
	}
	sum := sha256.Sum256(data)
	info := Info{ContentType: ct, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
	if dec, ok := decoders[ct]; ok {
		h, err := perceptual(data, dec)
		if err != nil {
			return Info{}, err
		}
		info.Image, info.PHash = true, h
	}
	return info, nil
}

// decoder is one image format's pair of functions.
type decoder struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

// decoders are the image formats decoded and hashed. Each sniffed type
// uses its own decoder, not image.Decode, so a file is read only as what
// its bytes said it was.
var decoders = map[string]decoder{
	"image/jpeg": {jpeg.DecodeConfig, jpeg.Decode},
	"image/png":  {png.DecodeConfig, png.Decode},
	"image/gif":  {gif.DecodeConfig, gif.Decode}, // the first frame
	"image/webp": {webp.DecodeConfig, webp.Decode},
}

func perceptual(data []byte, dec decoder) (string, error) {
	cfg, err := dec.config(bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("%w: not a readable image: %v", ErrUnsupported, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return "", fmt.Errorf("%w: not a readable image: %dx%d pixels", ErrUnsupported, cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return "", fmt.Errorf("%w: %dx%d pixels, at most %d megapixels", ErrTooLarge, cfg.Width, cfg.Height, MaxPixels/1_000_000)
	}
	img, err := dec.decode(bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("%w: not a readable image: %v", ErrUnsupported, err)
	}
	if b := img.Bounds(); b.Dx() <= 0 || b.Dy() <= 0 {
		return "", fmt.Errorf("%w: not a readable image: empty picture", ErrUnsupported)
	}
	h, err := goimagehash.PerceptionHash(picture(img))
	if err != nil {
		return "", fmt.Errorf("%w: not a readable image: %v", ErrUnsupported, err)
	}
	return fmt.Sprintf("%016x", h.GetHash()), nil
}

// Distance is the Hamming distance between two perceptual hashes as
// Inspect writes them: the number of the 64 bits that differ. At or below
// SamePhoto the two are the same photo.
func Distance(a, b string) (int, error) {
	x, err := parseHash(a)
	if err != nil {
		return 0, err
	}
	y, err := parseHash(b)
	if err != nil {
		return 0, err
	}
	return bits.OnesCount64(x ^ y), nil
}

func parseHash(s string) (uint64, error) {
	if len(s) != 16 {
		return 0, fmt.Errorf("media: perceptual hash %q: want 16 hex digits", clip(s))
	}
	v, err := strconv.ParseUint(s, 16, 64)
	if err != nil {
		return 0, fmt.Errorf("media: perceptual hash %q: want 16 hex digits", clip(s))
	}
	return v, nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
