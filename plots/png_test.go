package plots

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
)

// TestEncodeRGB checks that encodeRGB's PNG decodes to what image/png's
// encoding of the same image decodes to: opaque (encodeRGB's own
// encoding), translucent (image/png's) and a sub-image whose bounds do not
// start at the origin.
func TestEncodeRGB(t *testing.T) {
	opaque := image.NewRGBA(image.Rect(0, 0, 37, 23))
	for y := range 23 {
		for x := range 37 {
			opaque.Set(x, y, color.RGBA{uint8(7 * x), uint8(11 * y), uint8(x * y), 0xff})
		}
	}
	translucent := image.NewRGBA(image.Rect(0, 0, 5, 4))
	translucent.Set(2, 2, color.RGBA{10, 20, 30, 0x80})
	for _, tc := range []struct {
		name string
		img  *image.RGBA
	}{
		{"opaque", opaque},
		{"translucent", translucent},
		{"sub-image", opaque.SubImage(image.Rect(5, 3, 30, 20)).(*image.RGBA)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := encodeRGB(&buf, tc.img); err != nil {
				t.Fatal(err)
			}
			got, err := png.Decode(&buf)
			if err != nil {
				t.Fatal(err)
			}
			var ref bytes.Buffer
			if err := png.Encode(&ref, tc.img); err != nil {
				t.Fatal(err)
			}
			want, err := png.Decode(&ref)
			if err != nil {
				t.Fatal(err)
			}
			if got.Bounds() != want.Bounds() {
				t.Fatalf("decoded %v, want %v", got.Bounds(), want.Bounds())
			}
			b := want.Bounds()
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					r1, g1, b1, a1 := got.At(x, y).RGBA()
					r2, g2, b2, a2 := want.At(x, y).RGBA()
					if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
						t.Fatalf("pixel (%d, %d): got %v, want %v", x, y, got.At(x, y), want.At(x, y))
					}
				}
			}
		})
	}
}
