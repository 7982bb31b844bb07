package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/image/draw"
)

// scene paints a photo-like picture from a seed: a sky-to-ground gradient
// at a random angle, soft-edged blobs and hard-edged blocks of random
// colours, and sensor noise. Different seeds give unrelated pictures.
func scene(seed uint64, w, h int) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	rgb := func() [3]float64 { return [3]float64{r.Float64() * 255, r.Float64() * 255, r.Float64() * 255} }
	top, bottom := rgb(), rgb()
	angle := r.Float64() * 2 * math.Pi
	dx, dy := math.Cos(angle), math.Sin(angle)
	type blob struct {
		x, y, rx, ry float64
		c            [3]float64
		hard         bool
	}
	blobs := make([]blob, 14)
	for i := range blobs {
		blobs[i] = blob{r.Float64(), r.Float64(), 0.05 + r.Float64()*0.25, 0.05 + r.Float64()*0.25, rgb(), i%3 == 0}
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			u, v := float64(x)/float64(w), float64(y)/float64(h)
			t := math.Max(0, math.Min(1, 0.5+(u-0.5)*dx+(v-0.5)*dy))
			var c [3]float64
			for k := range c {
				c[k] = top[k]*(1-t) + bottom[k]*t
			}
			for _, b := range blobs {
				ex, ey := (u-b.x)/b.rx, (v-b.y)/b.ry
				d := ex*ex + ey*ey
				a := 0.0
				switch {
				case b.hard && math.Abs(ex) < 1 && math.Abs(ey) < 1:
					a = 1
				case !b.hard && d < 1:
					a = 1 - d
				}
				for k := range c {
					c[k] = c[k]*(1-a) + b.c[k]*a
				}
			}
			n := r.NormFloat64() * 6
			img.SetRGBA(x, y, color.RGBA{clamp(c[0] + n), clamp(c[1] + n), clamp(c[2] + n), 255})
		}
	}
	return img
}

// chat paints a chat app's screenshot from a seed: status bar, title
// bar, bubbles left and right with lines of "text", the input bar.
func chat(seed uint64) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, 7))
	img := image.NewRGBA(image.Rect(0, 0, 1080, 2340))
	fill := func(x0, y0, x1, y1 int, c color.Color) {
		draw.Draw(img, image.Rect(x0, y0, x1, y1), &image.Uniform{c}, image.Point{}, draw.Src)
	}
	fill(0, 0, 1080, 2340, color.RGBA{237, 237, 237, 255})
	fill(0, 0, 1080, 250, color.RGBA{220, 220, 220, 255})
	for i := range 5 {
		fill(30+i*50, 30, 60+i*50, 60, color.Black)
	}
	for y := 300; y < 2100; {
		h, w, x := 80+r.IntN(300), 300+r.IntN(500), 150
		c := color.RGBA{255, 255, 255, 255}
		if r.IntN(2) == 0 {
			x, c = 1080-150-w, color.RGBA{149, 236, 105, 255}
		}
		fill(x, y, x+w, y+h, c)
		for ly := y + 20; ly+30 < y+h; ly += 50 {
			fill(x+20, ly, x+120+r.IntN(w-120), ly+30, color.RGBA{40, 40, 40, 255})
		}
		y += h + 40
	}
	fill(0, 2200, 1080, 2340, color.RGBA{247, 247, 247, 255})
	return img
}

func clamp(v float64) uint8 { return uint8(math.Max(0, math.Min(255, math.Round(v)))) }

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image, quality int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func resize(img image.Image, w, h int, s draw.Scaler) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	s.Scale(dst, dst.Bounds(), img, img.Bounds(), draw.Src, nil)
	return dst
}

// scale resizes img by f, keeping its shape.
func scale(img image.Image, f float64, s draw.Scaler) *image.RGBA {
	b := img.Bounds()
	return resize(img, int(float64(b.Dx())*f), int(float64(b.Dy())*f), s)
}

func decode(t testing.TB, data []byte) image.Image {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// brighten shifts every channel, as a screen's brightness and a
// screenshot's colour handling do.
func brighten(img image.Image, by int) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			out.SetRGBA(x, y, color.RGBA{clamp(float64(r>>8) + float64(by)), clamp(float64(g>>8) + float64(by)), clamp(float64(bl>>8) + float64(by)), 255})
		}
	}
	return out
}

func phash(t testing.TB, data []byte) string {
	t.Helper()
	info, err := Inspect(data)
	if err != nil {
		t.Fatal(err)
	}
	if !info.Image || len(info.PHash) != 16 {
		t.Fatalf("Inspect = %+v, want an image with a 16-digit hash", info)
	}
	return info.PHash
}

// screenshot is orig as a phone shows it in its photo viewer: scaled to
// the screen's width between two bars of bg, with the status bar's clock
// and icons above and the viewer's buttons below.
func screenshot(orig image.Image, bg color.Color) *image.RGBA {
	s := image.NewRGBA(image.Rect(0, 0, 1080, 2340))
	draw.Draw(s, s.Bounds(), &image.Uniform{bg}, image.Point{}, draw.Src)
	b := orig.Bounds()
	h := 1080 * b.Dy() / b.Dx()
	draw.CatmullRom.Scale(s, image.Rect(0, (2340-h)/2, 1080, (2340+h)/2), orig, b, draw.Src, nil)
	icon := &image.Uniform{color.Gray{128}}
	for i := range 6 {
		draw.Draw(s, image.Rect(40+i*60, 30, 80+i*60, 70), icon, image.Point{}, draw.Src)
		draw.Draw(s, image.Rect(120+i*150, 2200, 170+i*150, 2250), icon, image.Point{}, draw.Src)
	}
	return s
}

// crop cuts a fraction f of img's width and height off each side.
func crop(img *image.RGBA, f float64) image.Image {
	b := img.Bounds()
	dx, dy := int(float64(b.Dx())*f), int(float64(b.Dy())*f)
	return img.SubImage(image.Rect(dx, dy, b.Dx()-dx, b.Dy()-dy))
}

type variant struct {
	name string
	data []byte
}

// copies are what happens to a photo between a compound and two families:
// chat apps recompress and resize it, people screenshot it and send the
// screenshot on.
func copies(t *testing.T, orig *image.RGBA) []variant {
	shot := screenshot(decode(t, encodeJPEG(t, orig, 80)), color.Black)
	return []variant{
		{"jpeg q95", encodeJPEG(t, orig, 95)},
		{"jpeg q75", encodeJPEG(t, orig, 75)},
		{"jpeg q40", encodeJPEG(t, orig, 40)},
		{"jpeg q15", encodeJPEG(t, orig, 15)},
		{"half size bilinear, jpeg q75", encodeJPEG(t, scale(orig, 1.0/2, draw.BiLinear), 75)},
		{"quarter size nearest, png", encodePNG(t, scale(orig, 1.0/4, draw.NearestNeighbor))},
		{"thumbnail a sixth of the size, jpeg q60", encodeJPEG(t, scale(orig, 1.0/6, draw.ApproxBiLinear), 60)},
		{"thumbnail blown up again", encodePNG(t, scale(decode(t, encodeJPEG(t, scale(orig, 1.0/3, draw.BiLinear), 60)), 4, draw.BiLinear))},
		{"brighter by 20", encodeJPEG(t, brighten(orig, 20), 85)},
		{"edges cropped by 2%", encodeJPEG(t, crop(orig, 0.02), 85)},
		{"screenshot, black bars, png", encodePNG(t, shot)},
		{"screenshot, white bars, png", encodePNG(t, screenshot(orig, color.White))},
		{"screenshot sent on: half size, jpeg q50", encodeJPEG(t, scale(shot, 1.0/2, draw.BiLinear), 50)},
		{"recompressed five times", func() []byte {
			d := encodeJPEG(t, orig, 85)
			for q := range 4 {
				d = encodeJPEG(t, decode(t, d), 80-10*q)
			}
			return d
		}()},
	}
}

// TestSamePhoto is what SamePhoto promises: copies of a photo, and of a
// chat screenshot, stay within SamePhoto of the original.
func TestSamePhoto(t *testing.T) {
	origs := map[string]*image.RGBA{"chat screenshot": chat(1)}
	for _, seed := range []uint64{1, 2, 3, 4} {
		origs[fmt.Sprintf("photo %d", seed)] = scene(seed, 960, 720)
	}
	for name, orig := range origs {
		h0 := phash(t, encodePNG(t, orig))
		worst := 0
		for _, c := range copies(t, orig) {
			d, err := Distance(h0, phash(t, c.data))
			if err != nil {
				t.Fatal(err)
			}
			worst = max(worst, d)
			if d > SamePhoto {
				t.Errorf("%s, %s: distance %d, want at most SamePhoto (%d)", name, c.name, d, SamePhoto)
			}
		}
		t.Logf("%s: largest distance of a copy %d", name, worst)
	}
}

// TestCropIsNotTheSamePhoto records the limit of the hash: a photo
// cropped by a tenth on each side is another picture to it.
func TestCropIsNotTheSamePhoto(t *testing.T) {
	orig := scene(1, 960, 720)
	d, err := Distance(phash(t, encodePNG(t, orig)), phash(t, encodePNG(t, crop(orig, 0.10))))
	if err != nil {
		t.Fatal(err)
	}
	if d <= SamePhoto {
		t.Errorf("distance of a 10%% crop %d: if the hash now survives crops, say so in SamePhoto's comment", d)
	}
}

// TestDifferentPhotos: unrelated pictures, and different chat screenshots
// of one app, are far apart, well beyond SamePhoto.
func TestDifferentPhotos(t *testing.T) {
	var hashes []string
	for seed := uint64(10); seed < 20; seed++ {
		hashes = append(hashes, phash(t, encodeJPEG(t, scene(seed, 480, 360), 85)))
	}
	for seed := uint64(10); seed < 16; seed++ {
		hashes = append(hashes, phash(t, encodeJPEG(t, chat(seed), 85)))
	}
	closest := 64
	for i := range hashes {
		for j := i + 1; j < len(hashes); j++ {
			d, err := Distance(hashes[i], hashes[j])
			if err != nil {
				t.Fatal(err)
			}
			closest = min(closest, d)
			if d <= 16 {
				t.Errorf("pictures %d and %d: distance %d, want more than 16", i, j, d)
			}
		}
	}
	t.Logf("closest pair of different pictures: %d", closest)
}

func TestInspectHashesAndSizes(t *testing.T) {
	data := encodeJPEG(t, scene(4, 64, 48), 90)
	info, err := Inspect(data)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	want := Info{ContentType: "image/jpeg", Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), PHash: info.PHash, Image: true}
	if diff := cmp.Diff(want, info); diff != "" {
		t.Errorf("Inspect (-want +got):\n%s", diff)
	}
	if strings.ToLower(info.PHash) != info.PHash {
		t.Errorf("PHash %q is not lower case", info.PHash)
	}

	text := []byte("他说他们被骗了，被卖到了缅甸。\n")
	info, err = Inspect(text)
	if err != nil {
		t.Fatal(err)
	}
	sum = sha256.Sum256(text)
	want = Info{ContentType: "text/plain; charset=utf-8", Size: int64(len(text)), SHA256: hex.EncodeToString(sum[:])}
	if diff := cmp.Diff(want, info); diff != "" {
		t.Errorf("Inspect (-want +got):\n%s", diff)
	}
}

func TestSizeLimits(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrEmpty},
		{"only white space", []byte(" \n\t\r\n"), ErrEmpty},
		{"one byte over MaxSize", bytes.Repeat([]byte("a"), MaxSize+1), ErrTooLarge},
		{"exactly MaxSize", bytes.Repeat([]byte("a"), MaxSize), nil},
		{"png declaring 10000x10000", pngHeader(10000, 10000), ErrTooLarge},
		{"gif declaring 65535x65535", append([]byte("GIF89a\xFF\xFF\xFF\xFF\x00\x00\x00"), bytes.Repeat([]byte{0}, 20)...), ErrTooLarge},
		{"png declaring 0x5", pngHeader(0, 5), ErrUnsupported},
	} {
		_, err := Inspect(c.data)
		if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("%s: Inspect error %v, want %v", c.name, err, c.want)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
		ok   bool
	}{
		{"0000000000000000", "0000000000000000", 0, true},
		{"0000000000000000", "ffffffffffffffff", 64, true},
		{"8000000000000001", "0000000000000000", 2, true},
		{"abcdef0123456789", "ABCDEF0123456789", 0, true},
		{"", "0000000000000000", 0, false},
		{"000000000000000", "0000000000000000", 0, false},
		{"00000000000000000", "0000000000000000", 0, false},
		{"000000000000000g", "0000000000000000", 0, false},
		{"+000000000000000", "0000000000000000", 0, false},
		{"0000000000000000", "-000000000000000", 0, false},
	} {
		got, err := Distance(c.a, c.b)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("Distance(%q, %q) = %d, %v; want %d, ok %v", c.a, c.b, got, err, c.want, c.ok)
		}
	}
}

func TestTrim(t *testing.T) {
	// u: a uniform line; x: a line with detail.
	for _, c := range []struct {
		lines    string
		from, to int
	}{
		{"xxxxxxxxxxxxxxxxxxxx", 0, 20},
		{"uuuuuxxxxxxxxxxuuuuu", 5, 15},                                                      // letterbox bars
		{"xuuuuuuuxxxxxxxxxxxxxxxuuuuuuuxu", 8, 23},                                          // icons within the bars
		{"uuuuuuuuuuuuuuuuuuux", 0, 20},                                                      // almost all uniform: left whole
		{"uuuuuuuuuuuuuuuuuuuu", 0, 20},                                                      // all uniform
		{"xxxxxxxxxxuuuuuuuuuuxxxxxxxxxxxxxxxxxxxx", 0, 40},                                  // a uniform band inside is kept
		{"xxxx" + strings.Repeat("u", 30) + strings.Repeat("x", 66), 34, 100},                // a status bar in the bar
		{strings.Repeat("x", 8) + strings.Repeat("u", 30) + strings.Repeat("x", 62), 0, 100}, // a title bar: not a bar

		{"", 0, 0},
		{"u", 0, 1},
		{"x", 0, 1},
	} {
		uni := make([]bool, len(c.lines))
		for i, l := range c.lines {
			uni[i] = l == 'u'
		}
		from, to := trim(uni)
		if from != c.from || to != c.to {
			t.Errorf("trim(%s) = %d, %d; want %d, %d", c.lines, from, to, c.from, c.to)
		}
	}
}
