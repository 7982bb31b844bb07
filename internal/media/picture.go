package media

import (
	"image"

	"golang.org/x/image/draw"
)

// thumbSide is the longest side of the thumbnail the perceptual hash is
// computed from. The hash itself looks at a 64x64 reduction; 512 keeps
// enough detail to find the bars around a photo while making the cost of
// hashing a 50-megapixel photo that of a small one.
const thumbSide = 512

// picture is the part of img a perceptual hash should describe: img
// reduced to a thumbnail, flattened onto white (as converters to JPEG do),
// without the bars a screenshot adds around a photo. A photo viewed on a
// phone fills the screen's width or height and the rest is a black or
// white bar, often with the status bar's clock and icons in it; hashing the
// whole screenshot would describe mostly the bars. Cropping by more than a
// few percent moves the hash past SamePhoto (media_test.go), so the bars
// must go. An image without bars (the photo itself, a chat screenshot,
// whose edges are not uniform) is left whole.
func picture(img image.Image) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > thumbSide || h > thumbSide {
		if w >= h {
			w, h = thumbSide, max(1, h*thumbSide/w)
		} else {
			w, h = max(1, w*thumbSide/h), thumbSide
		}
	}
	thumb := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(thumb, thumb.Bounds(), image.White, image.Point{}, draw.Src)
	draw.BiLinear.Scale(thumb, thumb.Bounds(), img, b, draw.Over, nil)

	grey := func(x, y int) uint8 {
		c := thumb.RGBAAt(x, y)
		return uint8((299*int(c.R) + 587*int(c.G) + 114*int(c.B)) / 1000)
	}
	rows := make([]bool, h) // uniform rows
	for y := range h {
		rows[y] = uniform(w, func(i int) uint8 { return grey(i, y) })
	}
	top, bottom := trim(rows)
	cols := make([]bool, w)
	for x := range w {
		cols[x] = uniform(bottom-top, func(i int) uint8 { return grey(x, top+i) })
	}
	left, right := trim(cols)
	return thumb.SubImage(image.Rect(left, top, right, bottom))
}

// uniform tells whether the n values of a line of pixels are one colour:
// all but 1% within 20 grey levels of their median. The tolerance absorbs
// JPEG noise in a bar; the 1% lets a thin line through.
func uniform(n int, at func(int) uint8) bool {
	if n == 0 {
		return true
	}
	var hist [256]int
	for i := range n {
		hist[at(i)]++
	}
	median, seen := 0, 0
	for v, c := range hist {
		seen += c
		if seen*2 >= n {
			median = v
			break
		}
	}
	off := 0
	for v, c := range hist {
		if v < median-20 || v > median+20 {
			off += c
		}
	}
	return off*100 <= n
}

// trim returns the range [from, to) of lines left once the bars at both
// ends are cut: uniform lines, and within a bar a short stretch of
// non-uniform ones (the status bar's icons, a viewer's toolbar) when the
// bar goes on after them. If less than a quarter would be left, the image
// is mostly uniform and nothing is cut.
func trim(uni []bool) (from, to int) {
	n := len(uni)
	at := func(i int, fromEnd bool) bool {
		if fromEnd {
			return uni[n-1-i]
		}
		return uni[i]
	}
	// run is the length of the run of lines like want starting at i.
	run := func(i int, want, fromEnd bool) int {
		k := 0
		for i+k < n && at(i+k, fromEnd) == want {
			k++
		}
		return k
	}
	edge := func(fromEnd bool) int {
		short := max(1, n/20)
		pos := 0
		for pos < n {
			u := run(pos, true, fromEnd)
			r := run(pos+u, false, fromEnd)
			if r > short || run(pos+u+r, true, fromEnd) < short {
				return pos + u
			}
			pos += u + r
		}
		return n
	}
	from, to = edge(false), n-edge(true)
	if to-from < n/4 || to-from <= 0 {
		return 0, n
	}
	return from, to
}
