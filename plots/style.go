package plots

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"path/filepath"
	"strings"
	"sync"

	"git.sr.ht/~sbinet/gg"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/copsim/copsim/results"
)

// Okabe–Ito colours (Okabe & Ito 2008), safe for the common forms of colour
// blindness.
var (
	Black         = color.NRGBA{0x00, 0x00, 0x00, 0xff}
	Orange        = color.NRGBA{0xe6, 0x9f, 0x00, 0xff}
	SkyBlue       = color.NRGBA{0x56, 0xb4, 0xe9, 0xff}
	BluishGreen   = color.NRGBA{0x00, 0x9e, 0x73, 0xff}
	Yellow        = color.NRGBA{0xf0, 0xe4, 0x42, 0xff}
	Blue          = color.NRGBA{0x00, 0x72, 0xb2, 0xff}
	Vermillion    = color.NRGBA{0xd5, 0x5e, 0x00, 0xff}
	ReddishPurple = color.NRGBA{0xcc, 0x79, 0xa7, 0xff}
	// Grey is not one of Okabe and Ito's eight; it is used for outsiders,
	// ties and reference lines.
	Grey = color.NRGBA{0x99, 0x99, 0x99, 0xff}
)

// Palette is the Okabe–Ito palette in the order series take their colours.
// Yellow comes last because it is hard to see on white, black is kept for
// the organization as a whole ("all").
var Palette = []color.Color{Blue, Vermillion, BluishGreen, ReddishPurple, Orange, SkyBlue, Black, Yellow}

// seriesColor is the colour of the i-th series of a figure that draws the
// organization ("all") in black: Palette without black, cycling.
func seriesColor(i int) color.Color {
	var cs []color.Color
	for _, c := range Palette {
		if c != color.Color(Black) {
			cs = append(cs, c)
		}
	}
	return cs[i%len(cs)]
}

// RoleColor is the colour of a role (outsider, peripheral, active, core) in
// every figure: core vermillion, active bluish green, peripheral sky blue,
// outsiders grey. Unknown roles are black.
func RoleColor(role string) color.Color {
	switch role {
	case "core":
		return Vermillion
	case "active":
		return BluishGreen
	case "peripheral":
		return SkyBlue
	case "outsider":
		return color.NRGBA{0xbb, 0xbb, 0xbb, 0xff}
	}
	return Black
}

// Font sizes, chosen to stay readable on a projector at the default figure
// size.
const (
	TitleSize  = vg.Length(14)
	LabelSize  = vg.Length(12)
	TickSize   = vg.Length(11)
	LegendSize = vg.Length(11)
)

// Font is the typeface of every text: Liberation Sans (embedded in
// gonum/plot, metric-compatible with Arial and Helvetica).
var Font = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Margin is left around the edges of a figure.
const Margin = 0.15 * vg.Centimeter

// XLabel is the label of every time axis.
const XLabel = "tick (weeks)"

// Options controls the size, title and resolution of the figures.
type Options struct {
	// Width and Height of each figure; 16 cm x 10 cm when zero.
	Width, Height vg.Length
	// Title is put in front of every figure's title, typically the
	// scenario's name.
	Title string
	// Outsiders adds outsiders to the roles figure (off by default: they
	// are not members and often outnumber them).
	Outsiders bool
	// DPI is the resolution of the PNG files; 150 when zero.
	DPI int
	// EmbedFonts embeds the font in the SVG files (about 0.5 MB each). By
	// default the SVG names the font (Liberation Sans, metric-compatible
	// with Arial and Helvetica) and the viewer supplies it.
	EmbedFonts bool
	// NoTitles leaves the figures' titles off (a journal sets its own
	// captions); panel titles and legends stay.
	NoTitles bool
	// Workers bounds how many figures are drawn at the same time; one
	// when zero. The files do not depend on it.
	Workers int
	// Sync flushes each file and its folder to disk, for a folder that
	// must be whole after a crash of the machine once a later file says
	// it is complete (a sweep's). Without it a file is still written
	// whole or not at all, which is enough inside an output folder that
	// is renamed into place when complete (run, compare).
	Sync bool
}

func (o Options) withDefaults() Options {
	if o.Width <= 0 {
		o.Width = 16 * vg.Centimeter
	}
	if o.Height <= 0 {
		o.Height = 10 * vg.Centimeter
	}
	if o.DPI <= 0 {
		o.DPI = 150
	}
	o.Workers = max(o.Workers, 1)
	return o
}

// title joins the options' title prefix and a figure's own title; empty
// with NoTitles.
func (o Options) title(s string) string {
	if o.NoTitles {
		return ""
	}
	if o.Title == "" {
		return s
	}
	return o.Title + " — " + s
}

// NewPlot returns a plot in the package's style: title 14 pt, axis labels
// 12 pt, tick labels and legend 11 pt, a time x axis and light horizontal
// grid lines.
func NewPlot(title, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(Font, TitleSize)
	p.Title.Padding = 0.3 * vg.Centimeter
	p.X.Label.Text = XLabel
	p.Y.Label.Text = ylabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(Font, LabelSize)
		a.Tick.Label.Font = font.From(Font, TickSize)
		a.Label.Padding = 0.15 * vg.Centimeter
		a.Tick.Marker = NiceTicks{}
	}
	p.Legend.TextStyle.Font = font.From(Font, LegendSize)
	p.Legend.ThumbnailWidth = 0.8 * vg.Centimeter
	p.Legend.Padding = 0.12 * vg.Centimeter
	g := plotter.NewGrid()
	g.Vertical.Color = nil
	g.Horizontal.Color = color.Gray{0xe0}
	g.Horizontal.Width = 0.5
	p.Add(g)
	return p
}

// drawWithLegend draws title at the top of c and p below it, with p's
// legend outside the data area, on the right and top-aligned with it, so
// that the legend never hides data.
func drawWithLegend(c draw.Canvas, p *plot.Plot, title string) error {
	c = drawTitle(c, title)
	c = draw.Crop(c, Margin, 0, Margin, 0)
	leg := p.Legend
	p.Legend = plot.NewLegend()
	defer func() { p.Legend = leg }()
	return drawLegendRight(c, leg, func(pc draw.Canvas) (draw.Canvas, error) {
		if err := Draw(p, pc); err != nil {
			return pc, err
		}
		return p.DataCanvas(pc), nil
	})
}

// drawLegendRight reserves a column for leg on the right of c, calls
// drawPlot with the rest (it returns the data area it drew into) and draws
// leg top-aligned with that data area.
func drawLegendRight(c draw.Canvas, leg plot.Legend, drawPlot func(draw.Canvas) (draw.Canvas, error)) error {
	const gap = 0.3 * vg.Centimeter
	if leg.Rectangle(c).Size().X == 0 {
		_, err := drawPlot(c)
		return err
	}
	lw := leg.Rectangle(c).Size().X
	pc := draw.Crop(c, 0, -(lw + 2*gap), 0, 0)
	dc, err := drawPlot(pc)
	if err != nil {
		return err
	}
	leg.Top, leg.Left = true, true
	lc := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: pc.Max.X + gap, Y: dc.Min.Y},
		Max: vg.Point{X: c.Max.X - gap, Y: dc.Max.Y},
	}}
	leg.Draw(lc)
	return nil
}

// minDataSize is the smallest data area, in each direction, that a plot is
// drawn into.
const minDataSize = 1 * vg.Centimeter

// ErrNoRoom is returned when a figure has too little room for a plot's
// data area, e.g. too many panels or a legend wider than the figure.
var ErrNoRoom = errors.New("plots: too little room to draw a plot")

// Draw draws p into c, or returns [ErrNoRoom] when p's data area in c
// would be smaller than 1 cm or not finite. gonum/plot does not check: a
// negative or NaN canvas can send the font rasterizer into an endless loop.
func Draw(p *plot.Plot, c draw.Canvas) error {
	if !hasRoom(c) || !hasRoom(p.DataCanvas(c)) {
		return ErrNoRoom
	}
	p.Draw(c)
	return nil
}

// hasRoom reports whether c is finite and at least minDataSize each way.
func hasRoom(c draw.Canvas) bool {
	for _, v := range []vg.Length{c.Min.X, c.Min.Y, c.Max.X, c.Max.Y} {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return false
		}
	}
	s := c.Size()
	return s.X >= minDataSize && s.Y >= minDataSize
}

// titleStyle is the style of figure titles at size pt.
func titleStyle(size vg.Length) text.Style {
	return text.Style{
		Color:   Black,
		Font:    font.From(Font, size),
		XAlign:  draw.XCenter,
		YAlign:  draw.YTop,
		Handler: plot.DefaultTextHandler,
	}
}

// fitTitle makes title fit the width w: when it is too wide at TitleSize it
// is broken after its first " — " (the scenario prefix), and what is still
// too wide gets a smaller font, down to 9 pt.
func fitTitle(title string, w vg.Length) (string, text.Style) {
	sty := titleStyle(TitleSize)
	if sty.Width(title) <= w {
		return title, sty
	}
	if a, b, ok := strings.Cut(title, " — "); ok {
		title = a + "\n" + b
	}
	for size := TitleSize; size >= 9; size -= 0.5 {
		sty = titleStyle(size)
		if sty.Width(title) <= w {
			break
		}
	}
	return title, sty
}

// drawTitle draws a figure title centred at the top of c and returns the
// rest of c.
func drawTitle(c draw.Canvas, title string) draw.Canvas {
	if title == "" {
		return c
	}
	const margin = 0.2 * vg.Centimeter
	title, sty := fitTitle(title, c.Max.X-c.Min.X-2*margin)
	c.FillText(sty, vg.Point{X: c.Center().X, Y: c.Max.Y - 0.15*vg.Centimeter}, title)
	return draw.Crop(c, 0, 0, 0, -(sty.Height(title) + 0.45*vg.Centimeter))
}

// figure is one figure to write: its base name, size and how to draw it.
type figure struct {
	name string
	w, h vg.Length
	// serial draws the PNG and then the SVG, for a draw that shares
	// state between calls (a *plot.Plot drawn as given).
	serial bool
	draw   func(c draw.Canvas) error
}

// renderPNG draws f as a PNG at o's resolution.
func (f figure) renderPNG(o Options) ([]byte, error) {
	c, release := newImageCanvas(f.w, f.h, o.DPI)
	defer release()
	if err := f.draw(draw.New(c)); err != nil {
		return nil, fmt.Errorf("plots: %s: %w", f.name, err)
	}
	b, err := encodePNG(c)
	if err != nil {
		return nil, fmt.Errorf("plots: %s.png: %w", f.name, err)
	}
	return b, nil
}

// pixels keeps the pixels of a drawn PNG figure for the next (*[]byte).
var pixels sync.Pool

// newImageCanvas returns a canvas w by h at dpi on a white background,
// as vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi),
// vgimg.UseBackgroundColor(color.White)) does, to the pixel, and release,
// which gives its pixels to the next canvas once its image is encoded.
// vgimg.NewWith makes an image and gg copies it into another: two
// images of 2.2 MB a figure at 150 dpi, in fresh memory, which a short
// process is slow to get (it was a fifth of a March run's time with its
// figures). Here the canvas draws into an image of its own, whose pixels
// are those of a canvas released before when there is one; the background
// is painted over every pixel, so what they held does not show.
func newImageCanvas(w, h vg.Length, dpi int) (c *vgimg.Canvas, release func()) {
	// The image's size as vgimg.NewWith computes it.
	pw := int(w/vg.Inch*vg.Length(dpi) + 0.5)
	ph := int(h/vg.Inch*vg.Length(dpi) + 0.5)
	n := 4 * pw * ph
	var pix []byte
	if p, ok := pixels.Get().(*[]byte); ok && cap(*p) >= n {
		pix = (*p)[:n]
	} else {
		pix = make([]byte, n)
	}
	img := &image.RGBA{Pix: pix, Stride: 4 * pw, Rect: image.Rect(0, 0, pw, ph)}
	// What vgimg.NewWith does to the context it makes.
	ctx := gg.NewContextForRGBA(img)
	ctx.SetLineCapButt()
	ctx.InvertY()
	withCtx := vgimg.UseImageWithContext(img, ctx)
	c = vgimg.NewWith(
		// UseImageWithContext would also set the canvas's size from the
		// image's whole pixels; UseWH sets it exactly, as it is without
		// an image. The option's claim on the size is dropped so that
		// NewWith takes both.
		func(c *vgimg.Canvas) uint32 { withCtx(c); return 0 },
		vgimg.UseWH(w, h), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	return c, func() { pixels.Put(&pix) }
}

// renderSVG draws f as an SVG, on a white background.
func (f figure) renderSVG(o Options) ([]byte, error) {
	sc := vgsvg.NewWith(vgsvg.UseWH(f.w, f.h), vgsvg.EmbedFonts(o.EmbedFonts))
	dc := draw.New(sc)
	dc.SetColor(color.White) // vgsvg's canvas is transparent
	dc.Fill(dc.Rectangle.Path())
	if err := f.draw(dc); err != nil {
		return nil, fmt.Errorf("plots: %s: %w", f.name, err)
	}
	var buf bytes.Buffer
	if _, err := sc.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plots: %s.svg: %w", f.name, err)
	}
	svg := buf.Bytes()
	if !o.EmbedFonts {
		svg = svgFontFallback(svg)
	}
	return svg, nil
}

// encodePNG encodes c's image for speed (see encodeRGB): encoding at
// image/png's default level took about a sixth of a run's time.
func encodePNG(c *vgimg.Canvas) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	if img, ok := c.Image().(*image.RGBA); ok {
		err = encodeRGB(&buf, img)
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, c.Image())
	}
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// write renders f as PNG and SVG into dir and returns the two paths, PNG
// first. The two are drawn at the same time (f.draw builds its plot
// afresh on each call). Each file is written to a temporary file in dir
// and renamed, so an interrupted run leaves complete files or none. A
// cancelled ctx returns at once; the abandoned rendering writes nothing.
func (f figure) write(ctx context.Context, dir string, o Options) ([]string, error) {
	type rendered struct {
		data []byte
		err  error
	}
	formats := []struct {
		ext    string
		render func(Options) ([]byte, error)
	}{{"png", f.renderPNG}, {"svg", f.renderSVG}}
	done := make([]chan rendered, len(formats))
	for i := range formats {
		done[i] = make(chan rendered, 1)
	}
	render := func(i int) {
		b, err := formats[i].render(o)
		done[i] <- rendered{b, err}
	}
	if f.serial {
		go func() {
			for i := range formats {
				render(i)
			}
		}()
	} else {
		for i := range formats {
			go render(i)
		}
	}
	out := make([][]byte, len(formats))
	for i := range formats {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case r := <-done[i]:
			if r.err != nil {
				return nil, r.err
			}
			out[i] = r.data
		}
	}
	var names []string
	for i, fm := range formats {
		path := filepath.Join(dir, f.name+"."+fm.ext)
		if err := writeAtomic(path, out[i], o.Sync); err != nil {
			return names, err
		}
		names = append(names, path)
	}
	return names, nil
}

// writeTo writes f as base.png and base.svg (see write).
func (f figure) writeTo(base string, o Options) ([]string, error) {
	f.name = filepath.Base(base)
	return f.write(context.Background(), filepath.Dir(base), o)
}

// svgFontFallback gives the font named in an SVG without embedded fonts
// metric-compatible fallbacks, so that a viewer without Liberation Sans
// shows Arial or Helvetica (same widths, so no label overlaps) rather than
// its default serif font.
func svgFontFallback(svg []byte) []byte {
	return bytes.ReplaceAll(svg, []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
}

// writeAtomic writes a figure whole or not at all, flushed to disk with
// sync (see Options.Sync).
func writeAtomic(path string, data []byte, sync bool) error {
	write := results.WriteFileNoSync
	if sync {
		write = results.WriteFileAtomic
	}
	if err := write(path, data); err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	return nil
}
