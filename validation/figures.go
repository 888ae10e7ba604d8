package validation

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/copsim/copsim/plots"
)

// Figure is a result drawn as the paper draws it: copsim's curves with
// their 95 % bands, the published values as points (or ranges) beside them.
type Figure struct {
	Title, XLabel, YLabel string
	// Categories, when set, make the x axis nominal: a series' X are
	// indices into it, and values are drawn as points with error bars.
	Categories []string
	// XTicks, when set, label an x axis whose levels are unevenly spaced
	// values drawn evenly: a series' X are indices into it, and values are
	// drawn as curves with bands.
	XTicks []string
	// Series are copsim's values; Published the published ones (Lo and
	// Hi equal to Mean for a point, apart for a range).
	Series, Published []Series
	// Guides are horizontal reference lines (chance, say).
	Guides []Guide
}

// Series is one curve: Mean and its interval [Lo, Hi] at each X.
type Series struct {
	Name            string
	X, Mean, Lo, Hi []float64
}

func (s *Series) add(x, mean, lo, hi float64) {
	s.X, s.Mean, s.Lo, s.Hi = append(s.X, x), append(s.Mean, mean), append(s.Lo, lo), append(s.Hi, hi)
}

// Guide is a horizontal line at Y.
type Guide struct {
	Y     float64
	Label string
}

// figure size: a page-wide figure.
const figW, figH = 18 * vg.Centimeter, 10 * vg.Centimeter

// WriteFigures writes each result's figure into dir as ID.png and ID.svg,
// creating dir if needed.
func (r *Report) WriteFigures(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, res := range r.Results {
		p, err := res.Figure.plot()
		if err != nil {
			return fmt.Errorf("validation: figure %s: %w", res.ID, err)
		}
		base := filepath.Join(dir, res.ID)
		if err := plots.SavePNG(p, figW, figH, base+".png"); err != nil {
			return err
		}
		if err := plots.SaveSVG(p, figW, figH, base+".svg"); err != nil {
			return err
		}
	}
	return nil
}

// plot draws f in copsim's figure style.
func (f Figure) plot() (*plot.Plot, error) {
	p := plots.NewPlot(f.Title, f.YLabel)
	p.X.Label.Text = f.XLabel
	p.Legend.Top = true
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range append(append([]Series{}, f.Series...), f.Published...) {
		for i := range s.Mean {
			for _, v := range []float64{s.Mean[i], s.Lo[i], s.Hi[i]} {
				if !math.IsNaN(v) {
					lo, hi = min(lo, v), max(hi, v)
				}
			}
		}
	}
	for _, g := range f.Guides {
		lo, hi = min(lo, g.Y), max(hi, g.Y)
	}
	// The legend sits beside the data (package plots), so no room above.
	p.Y.Min, p.Y.Max = lo-0.05*(hi-lo), hi+0.05*(hi-lo)
	for _, g := range f.Guides {
		l := plotter.NewFunction(func(float64) float64 { return g.Y })
		l.LineStyle = draw.LineStyle{Color: color.Gray{0x70}, Width: 1, Dashes: []vg.Length{4, 3}}
		p.Add(l)
		p.Legend.Add(g.Label, l)
	}
	if f.Categories != nil {
		p.NominalX(f.Categories...)
		p.X.Min, p.X.Max = -0.5, float64(len(f.Categories))-0.5
		for i, s := range f.Series {
			if err := points(p, s, 0.08, draw.GlyphStyle{Color: plots.Color(i), Radius: 3.5, Shape: draw.CircleGlyph{}}); err != nil {
				return nil, err
			}
		}
		for i, s := range f.Published {
			if err := points(p, s, -0.08, draw.GlyphStyle{Color: plots.Color(len(f.Series) + i), Radius: 4, Shape: draw.CrossGlyph{}}); err != nil {
				return nil, err
			}
		}
		return p, nil
	}
	for i, s := range f.Series {
		if err := plots.AddBand(p, s.X, s.Mean, s.Lo, s.Hi, plots.Color(i), s.Name); err != nil {
			return nil, err
		}
	}
	for i, s := range f.Published {
		if err := points(p, s, 0, draw.GlyphStyle{Color: plots.Color(i), Radius: 3, Shape: draw.RingGlyph{}}); err != nil {
			return nil, err
		}
	}
	if f.XTicks != nil {
		p.NominalX(f.XTicks...)
		p.X.Min, p.X.Max = -0.25, float64(len(f.XTicks))-0.75
	}
	return p, nil
}

// points adds s as points at X+dx, with error bars where Lo and Hi differ
// from Mean.
func points(p *plot.Plot, s Series, dx float64, g draw.GlyphStyle) error {
	xy := make(plotter.XYs, len(s.X))
	var bars plotter.XYs
	var errs plotter.YErrors
	for i := range s.X {
		xy[i] = plotter.XY{X: s.X[i] + dx, Y: s.Mean[i]}
		if s.Lo[i] != s.Mean[i] || s.Hi[i] != s.Mean[i] {
			bars = append(bars, xy[i])
			errs = append(errs, struct{ Low, High float64 }{s.Mean[i] - s.Lo[i], s.Hi[i] - s.Mean[i]})
		}
	}
	sc, err := plotter.NewScatter(xy)
	if err != nil {
		return err
	}
	sc.GlyphStyle = g
	p.Add(sc)
	p.Legend.Add(s.Name, sc)
	if len(bars) > 0 {
		eb, err := plotter.NewYErrorBars(struct {
			plotter.XYer
			plotter.YErrorer
		}{bars, errs})
		if err != nil {
			return err
		}
		eb.LineStyle = draw.LineStyle{Color: g.Color, Width: 1.5}
		p.Add(eb)
	}
	return nil
}
