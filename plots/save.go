package plots

import (
	"image/color"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Color is the i-th colour of Palette, cycling, so that the i-th scenario
// or outcome keeps its colour in every figure.
func Color(i int) color.Color { return Palette[i%len(Palette)] }

// SavePNG renders p, w by h, as a PNG file at path at 150 dpi, written
// whole or not at all.
func SavePNG(p *plot.Plot, w, h vg.Length, path string) error {
	b, err := plotFigure(p, w, h, path).renderPNG(Options{}.withDefaults())
	if err != nil {
		return err
	}
	return writeAtomic(path, b, true)
}

// SaveSVG renders p, w by h, as an SVG file at path, written whole or not
// at all: the vector form a journal asks for, beside the PNG.
func SaveSVG(p *plot.Plot, w, h vg.Length, path string) error {
	b, err := plotFigure(p, w, h, path).renderSVG(Options{}.withDefaults())
	if err != nil {
		return err
	}
	return writeAtomic(path, b, true)
}

// Save renders p, w by h, as base.png (at o.DPI) and base.svg, and returns
// the two paths. With o.NoTitles p's title is left off.
func Save(p *plot.Plot, w, h vg.Length, base string, o Options) ([]string, error) {
	o = o.withDefaults()
	if o.NoTitles {
		p.Title.Text = ""
	}
	return plotFigure(p, w, h, base).writeTo(base, o)
}

// plotFigure is p as a figure named after path's base name: its title on
// top and its legend, if any, on the right of the data, never over it.
// Its drawings share p, so its PNG and SVG are drawn one after the other.
func plotFigure(p *plot.Plot, w, h vg.Length, path string) figure {
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	return figure{name: name, w: w, h: h, serial: true, draw: func(c draw.Canvas) error {
		title := p.Title.Text
		p.Title.Text = ""
		defer func() { p.Title.Text = title }()
		return drawWithLegend(c, p, title)
	}}
}

// SaveGrid draws a grid of plots (grid[row][col]; nil leaves a tile
// empty), their axes aligned, each tile w by h, as base.png (at o.DPI)
// and base.svg, and returns the two paths. With a legend (leg not nil) the
// figure widens by the legend's width, drawn on the right, so that one
// legend serves every panel. Panel titles are kept with o.NoTitles: they
// name the panels.
func SaveGrid(base string, grid [][]*plot.Plot, leg *plot.Legend, w, h vg.Length, o Options) ([]string, error) {
	o = o.withDefaults()
	rows, cols := len(grid), 0
	for _, r := range grid {
		cols = max(cols, len(r))
	}
	fw, fh := vg.Length(cols)*w, vg.Length(rows)*h
	var legend plot.Legend
	if leg != nil {
		legend = *leg
		fw += legendWidth(legend) + 0.6*vg.Centimeter
	}
	f := figure{name: filepath.Base(base), w: fw, h: fh, serial: true, draw: func(dc draw.Canvas) error {
		return drawLegendRight(dc, legend, func(c draw.Canvas) (draw.Canvas, error) {
			t := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 4,
				PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
			canvases := plot.Align(grid, t, c)
			var first draw.Canvas
			found := false
			for j := range grid {
				for i := range grid[j] {
					if grid[j][i] == nil {
						continue
					}
					if err := Draw(grid[j][i], canvases[j][i]); err != nil {
						return c, err
					}
					if !found {
						first, found = grid[j][i].DataCanvas(canvases[j][i]), true
					}
				}
			}
			return first, nil
		})
	}}
	return f.writeTo(base, o)
}

// legendWidth is the width leg takes when drawn.
func legendWidth(leg plot.Legend) vg.Length {
	c := draw.New(vgsvg.New(vg.Centimeter, vg.Centimeter))
	return leg.Rectangle(c).Size().X
}

// SaveWithBar draws main beside a narrow side plot (a colour bar), w by h
// in all, as base.png (at o.DPI) and base.svg, and returns the two paths.
// With o.NoTitles main's title is left off.
func SaveWithBar(main, side *plot.Plot, w, h vg.Length, base string, o Options) ([]string, error) {
	o = o.withDefaults()
	if o.NoTitles {
		main.Title.Text = ""
	}
	f := figure{name: filepath.Base(base), w: w, h: h, serial: true, draw: func(dc draw.Canvas) error {
		split := w * 0.82
		if err := Draw(main, draw.Crop(dc, 0, split-w, 0, 0)); err != nil {
			return err
		}
		// A colour bar is narrower than Draw's smallest data area.
		side.Draw(draw.Crop(dc, split+vg.Millimeter*2, 0, vg.Millimeter*8, -vg.Millimeter*8))
		return nil
	}}
	return f.writeTo(base, o)
}
