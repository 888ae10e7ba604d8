package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/copsim/copsim/stats"
)

// Band returns, for each x index i, the mean of values[rep][i] across
// replications and its 95 % confidence interval (stats.Summarize), where n
// is the number of replications with a value at i.
//
// NaN values, and replications shorter than i, are left out of n. With n = 1
// there is no band (lo = hi = mean); with n = 0 all three are NaN. The
// result is as long as the longest replication.
func Band(values [][]float64) (mean, lo, hi []float64) {
	width := 0
	for _, v := range values {
		width = max(width, len(v))
	}
	if width == 0 {
		return nil, nil, nil
	}
	mean = make([]float64, width)
	lo = make([]float64, width)
	hi = make([]float64, width)
	col := make([]float64, 0, len(values))
	for i := range width {
		col = col[:0]
		for _, v := range values {
			if i < len(v) {
				col = append(col, v[i])
			}
		}
		switch s := stats.Summarize(col); s.N {
		case 1:
			mean[i], lo[i], hi[i] = s.Mean, s.Mean, s.Mean
		default:
			mean[i], lo[i], hi[i] = s.Mean, s.Lo, s.Hi
		}
	}
	return mean, lo, hi
}

// BandAlpha is the opacity of confidence bands drawn by AddBand.
const BandAlpha = 0.2

// LineWidth is the width of the lines drawn by AddBand.
const LineWidth = vg.Length(2)

// AddBand adds to p a line through (xs[i], mean[i]) over a translucent
// polygon from lo to hi in colour c, and a legend entry label when label is
// not empty. Points where xs or mean is NaN break the line; points where lo
// or hi is NaN break the band. A band of zero width (lo = hi) draws nothing
// visible. All slices must have the same length.
func AddBand(p *plot.Plot, xs []float64, mean, lo, hi []float64, c color.Color, label string) error {
	_, err := addBand(p, xs, mean, lo, hi, draw.LineStyle{Color: c, Width: LineWidth}, label)
	return err
}

// AddBandStyled is [AddBand] with the line drawn in style ls (its colour
// also fills the band), e.g. dashed for the series that take the
// palette's colours a second time ([SeriesStyle]).
func AddBandStyled(p *plot.Plot, xs []float64, mean, lo, hi []float64, ls draw.LineStyle, label string) error {
	_, err := addBand(p, xs, mean, lo, hi, ls, label)
	return err
}

// SeriesStyle is the line of the i-th series of a figure: the i-th colour
// of Palette, solid, and dashed once the colours come round again, so that
// no two of the first 16 series look alike.
func SeriesStyle(i int) draw.LineStyle {
	ls := draw.LineStyle{Color: Color(i), Width: LineWidth}
	if (i/len(Palette))%2 == 1 {
		ls.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
	}
	return ls
}

// addBand is AddBand with a full line style; it returns the line (or nil
// when nothing was drawn) for callers that adjust it further.
func addBand(p *plot.Plot, xs []float64, mean, lo, hi []float64, ls draw.LineStyle, label string) ([]*plotter.Line, error) {
	n := len(xs)
	if len(mean) != n || len(lo) != n || len(hi) != n {
		return nil, fmt.Errorf("plots: AddBand: %d xs, %d means, %d lo, %d hi", n, len(mean), len(lo), len(hi))
	}
	fill := translucent(ls.Color, BandAlpha)
	ok := func(i int, ys ...[]float64) bool {
		if math.IsNaN(xs[i]) || math.IsInf(xs[i], 0) {
			return false
		}
		for _, y := range ys {
			if math.IsNaN(y[i]) || math.IsInf(y[i], 0) {
				return false
			}
		}
		return true
	}
	var thumb *plotter.Polygon
	for _, seg := range segments(n, func(i int) bool { return ok(i, lo, hi) }) {
		ring := make(plotter.XYs, 0, 2*len(seg))
		for _, i := range seg {
			ring = append(ring, plotter.XY{X: xs[i], Y: lo[i]})
		}
		for k := len(seg) - 1; k >= 0; k-- {
			ring = append(ring, plotter.XY{X: xs[seg[k]], Y: hi[seg[k]]})
		}
		poly, err := plotter.NewPolygon(ring)
		if err != nil {
			return nil, fmt.Errorf("plots: AddBand: %w", err)
		}
		poly.Color = fill
		poly.LineStyle.Width = 0
		p.Add(poly)
		thumb = poly
	}
	var lines []*plotter.Line
	var thumbs []plot.Thumbnailer
	if thumb != nil {
		thumbs = append(thumbs, thumb)
	}
	for _, seg := range segments(n, func(i int) bool { return ok(i, mean) }) {
		pts := make(plotter.XYs, len(seg))
		for k, i := range seg {
			pts[k] = plotter.XY{X: xs[i], Y: mean[i]}
		}
		if len(pts) == 1 {
			// A lone point would draw nothing as a line.
			s, err := plotter.NewScatter(pts)
			if err != nil {
				return nil, fmt.Errorf("plots: AddBand: %w", err)
			}
			s.GlyphStyle = draw.GlyphStyle{Color: ls.Color, Radius: ls.Width, Shape: draw.CircleGlyph{}}
			p.Add(s)
			continue
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, fmt.Errorf("plots: AddBand: %w", err)
		}
		l.LineStyle = ls
		p.Add(l)
		lines = append(lines, l)
	}
	if label != "" && (len(lines) > 0 || thumb != nil) {
		if len(lines) > 0 {
			thumbs = append(thumbs, lines[0])
		} else {
			thumbs = append(thumbs, lineThumb(ls))
		}
		p.Legend.Add(label, thumbs...)
	}
	return lines, nil
}

// segments splits 0..n-1 into maximal runs of consecutive indices where ok
// holds.
func segments(n int, ok func(int) bool) [][]int {
	var segs [][]int
	var cur []int
	for i := range n {
		if ok(i) {
			cur = append(cur, i)
			continue
		}
		if len(cur) > 0 {
			segs = append(segs, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		segs = append(segs, cur)
	}
	return segs
}

// Translucent returns c with opacity alpha (c's own alpha is ignored), for
// marks drawn many times over, such as one dot per run.
func Translucent(c color.Color, alpha float64) color.Color { return translucent(c, alpha) }

// translucent returns c with opacity alpha (c's own alpha is ignored).
func translucent(c color.Color, alpha float64) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = uint8(math.Round(alpha * 255))
	return n
}

// lineThumb is a legend thumbnail: a horizontal line in style ls.
type lineThumb draw.LineStyle

func (t lineThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(draw.LineStyle(t), c.Min.X, y, c.Max.X, y)
}

// clamp limits every finite value of xs to [lo, hi] in place and returns xs.
func clamp(xs []float64, lo, hi float64) []float64 {
	for i, x := range xs {
		if !math.IsNaN(x) {
			xs[i] = math.Min(hi, math.Max(lo, x))
		}
	}
	return xs
}
