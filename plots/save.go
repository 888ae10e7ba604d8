package plots

import (
	"bytes"
	"fmt"
	"image/color"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/copsim/copsim/results"
)

// Color is the i-th colour of Palette, cycling, so that the i-th scenario
// or outcome keeps its colour in every figure.
func Color(i int) color.Color { return Palette[i%len(Palette)] }

// SavePNG renders p, w by h, as a PNG file at path, written whole or not at
// all.
func SavePNG(p *plot.Plot, w, h vg.Length, path string) error { return save(p, w, h, "png", path) }

// SaveSVG renders p, w by h, as an SVG file at path, written whole or not
// at all: the vector form a journal asks for, beside the PNG.
func SaveSVG(p *plot.Plot, w, h vg.Length, path string) error { return save(p, w, h, "svg", path) }

func save(p *plot.Plot, w, h vg.Length, format, path string) error {
	wt, err := p.WriterTo(w, h, format)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		return err
	}
	return results.WriteFileAtomic(path, buf.Bytes())
}

// SaveGrid draws a grid of plots (grid[row][col]; nil leaves a tile
// empty), their axes aligned, into one PNG at path, each tile w by h at
// 150 dpi.
func SaveGrid(path string, grid [][]*plot.Plot, w, h vg.Length) error {
	rows, cols := len(grid), 0
	for _, r := range grid {
		cols = max(cols, len(r))
	}
	img := vgimg.NewWith(vgimg.UseWH(vg.Length(cols)*w, vg.Length(rows)*h), vgimg.UseDPI(150))
	dc := draw.New(img)
	t := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 4,
		PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	canvases := plot.Align(grid, t, dc)
	for j := range grid {
		for i := range grid[j] {
			if grid[j][i] != nil {
				grid[j][i].Draw(canvases[j][i])
			}
		}
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return results.WriteFileAtomic(path, buf.Bytes())
}

// SaveWithBar draws main beside a narrow side plot (a colour bar), w by h
// in all, into path: PNG at 150 dpi, or SVG when path ends in .svg.
func SaveWithBar(main, side *plot.Plot, w, h vg.Length, path string) error {
	var c vg.CanvasWriterTo
	if filepath.Ext(path) == ".svg" {
		c = vgsvg.New(w, h)
	} else {
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(150))}
	}
	dc := draw.New(c)
	split := w * 0.82
	main.Draw(draw.Crop(dc, 0, split-w, 0, 0))
	side.Draw(draw.Crop(dc, split+vg.Millimeter*2, 0, vg.Millimeter*8, -vg.Millimeter*8))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return results.WriteFileAtomic(path, buf.Bytes())
}
