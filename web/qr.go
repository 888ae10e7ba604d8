package web

import (
	"bytes"
	"fmt"

	"github.com/boombuler/barcode/qr"
)

// qrSVG draws text as a QR code in SVG: one path of dark modules with the
// four-module quiet zone the standard asks for, so that a phone's camera
// reads it from the projector. The encoding is boombuler/barcode's (a
// maintained, dependency-free encoder); only the drawing is here, since an
// SVG scales to any screen and needs no image package.
func qrSVG(text string) ([]byte, error) {
	// Level M survives a projector's glare and keystone (15 % of the code
	// may be lost) and keeps a join address at version 3 or 4.
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return nil, err
	}
	n := code.Bounds().Dx()
	const quiet = 4
	size := n + 2*quiet
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, size, size)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, size, size)
	dark := func(x, y int) bool {
		r, _, _, _ := code.At(x, y).RGBA()
		return r < 0x8000
	}
	for y := 0; y < n; y++ {
		for x := 0; x < n; {
			if !dark(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < n && dark(x+run, y) {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x+quiet, y+quiet, run, run)
			x += run
		}
	}
	b.WriteString(`"/></svg>`)
	return b.Bytes(), nil
}
