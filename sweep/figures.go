package sweep

import (
	"encoding/csv"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/copsim/copsim/compare"
	"github.com/copsim/copsim/plots"
	"github.com/copsim/copsim/stats"
)

// sweepOutcomes are plotted against each parameter.
var sweepOutcomes = []string{"knowledge_mean", "repertoire_knowledge", "core_share"}

// writePlots writes the figures of a finished sweep into dir from its
// results.csv: main_effect_PARAM.png (each outcome's mean with 95 % CI
// against the parameter's values, pooled over the other parameters; a
// Latin hypercube's values are binned) and, for a grid of exactly two
// parameters, heatmap.png (mean knowledge per cell).
func writePlots(dir string, p *Plan, resultsCSV string) ([]string, error) {
	f, err := os.Open(resultsCSV)
	if err != nil {
		return nil, err
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		return nil, err
	}
	if len(recs) < 2 {
		return nil, nil
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	data := recs[1:]
	num := func(r []string, c string) float64 {
		v, err := strconv.ParseFloat(r[col[c]], 64)
		if err != nil {
			return math.NaN()
		}
		return v
	}
	var written []string
	for j, param := range p.Params {
		ps := make([][]*plot.Plot, 1)
		for oi, o := range sweepOutcomes {
			pl := plots.NewPlot(compare.Label(o), compare.UnitLabel(o))
			pl.X.Label.Text = param
			var err error
			if p.Design == factorial {
				err = addGroupMeans(pl, p, j, o, data, col, num, plots.Color(oi))
			} else {
				err = addSmooth(pl, p, j, o, data, num, plots.Color(oi))
			}
			if err != nil {
				return written, err
			}
			pl.Legend.Top = true
			ps[0] = append(ps[0], pl)
		}
		base := filepath.Join(dir, "main_effect_"+strings.ReplaceAll(param, ".", "_"))
		files, err := plots.SaveGrid(base, ps, nil, 9*vg.Centimeter, 8*vg.Centimeter, p.durableFigures())
		written = append(written, files...)
		if err != nil {
			return written, err
		}
	}
	if p.Design == factorial && len(p.Params) == 2 {
		path := filepath.Join(dir, "heatmap.png")
		ok, err := writeHeatmap(path, p, data, col)
		if err != nil {
			return written, err
		}
		if ok {
			written = append(written, path)
		}
	}
	return written, nil
}

// addGroupMeans draws, for a factorial's parameter j, outcome o's mean
// over the runs at each of its values with the 95 % confidence interval
// (pooled over the other parameters): at the values' own positions when
// they are numbers, so that 0.005, 0.01 and 0.03 are not spaced evenly.
func addGroupMeans(pl *plot.Plot, p *Plan, j int, o string, data [][]string, col map[string]int, num func([]string, string) float64, c color.Color) error {
	labels, xs, group := groups(p, j, data, col, num)
	vals := make([][]float64, len(xs))
	for k, r := range data {
		if group[k] >= 0 {
			vals[group[k]] = append(vals[group[k]], num(r, o))
		}
	}
	m, lo, hi := make([]float64, len(xs)), make([]float64, len(xs)), make([]float64, len(xs))
	for g := range xs {
		d := stats.Summarize(vals[g])
		m[g], lo[g], hi[g] = d.Mean, d.Lo, d.Hi
		if d.N == 1 {
			lo[g], hi[g] = d.Mean, d.Mean
		}
	}
	if err := plots.AddBand(pl, xs, m, lo, hi, c, "mean, 95 % CI over runs"); err != nil {
		return err
	}
	pts := make(plotter.XYs, 0, len(xs))
	for g := range xs {
		if !math.IsNaN(m[g]) {
			pts = append(pts, plotter.XY{X: xs[g], Y: m[g]})
		}
	}
	if len(pts) > 0 {
		s, _ := plotter.NewScatter(pts)
		s.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		pl.Add(s)
	}
	if labels != nil {
		pl.NominalX(labels...)
	}
	return nil
}

// addSmooth draws, for a sampled design's parameter j, every run's outcome
// o as a faint dot at the parameter's value, and a Gaussian kernel smoother
// of them (bandwidth a tenth of the range) with a 95 % band: a continuous
// parameter stays on a value axis instead of being binned.
func addSmooth(pl *plot.Plot, p *Plan, j int, o string, data [][]string, num func([]string, string) float64, c color.Color) error {
	var xs, ys []float64
	for _, r := range data {
		x, y := num(r, p.Params[j]), num(r, o)
		if !math.IsNaN(x) && !math.IsNaN(y) {
			xs, ys = append(xs, x), append(ys, y)
		}
	}
	if len(xs) == 0 {
		return nil
	}
	dots := make(plotter.XYs, len(xs))
	for i := range xs {
		dots[i] = plotter.XY{X: xs[i], Y: ys[i]}
	}
	s, err := plotter.NewScatter(dots)
	if err != nil {
		return err
	}
	s.GlyphStyle = draw.GlyphStyle{Color: plots.Translucent(c, 0.25), Radius: vg.Points(1.5), Shape: draw.CircleGlyph{}}
	pl.Add(s)
	lo, hi := p.Lower[j], p.Upper[j]
	bw := (hi - lo) / 10
	const grid = 41
	gx, m, bl, bh := make([]float64, grid), make([]float64, grid), make([]float64, grid), make([]float64, grid)
	for g := range gx {
		x := lo + float64(g)*(hi-lo)/(grid-1)
		var sw, swy, sw2 float64
		for i := range xs {
			w := math.Exp(-0.5 * ((xs[i] - x) / bw) * ((xs[i] - x) / bw))
			sw += w
			swy += w * ys[i]
			sw2 += w * w
		}
		gx[g], m[g] = x, swy/sw
		var sv float64
		for i := range xs {
			w := math.Exp(-0.5 * ((xs[i] - x) / bw) * ((xs[i] - x) / bw))
			sv += w * (ys[i] - m[g]) * (ys[i] - m[g])
		}
		// The weighted mean's standard error, with the effective sample
		// size of the weights.
		se := math.Sqrt(sv / sw * sw2 / (sw * sw))
		bl[g], bh[g] = m[g]-1.96*se, m[g]+1.96*se
	}
	return plots.AddBand(pl, gx, m, bl, bh, c, "kernel mean, 95 % band")
}

// groups puts each run (a row of data) into the group of parameter j's
// value, or of its bin for a Latin hypercube: group[k] is run k's group
// (-1 for none), xs the groups' positions on the axis, and labels the
// values' names (nil for bins), numbers in numeric order.
func groups(p *Plan, j int, data [][]string, col map[string]int, num func([]string, string) float64) (labels []string, xs []float64, group []int) {
	group = make([]int, len(data))
	if p.Design == latinHypercube {
		bins := max(2, min(8, len(p.Points)/3))
		lo, hi := p.Lower[j], p.Upper[j]
		for b := 0; b < bins; b++ {
			xs = append(xs, lo+(float64(b)+0.5)*(hi-lo)/float64(bins))
		}
		for k, r := range data {
			v := num(r, p.Params[j])
			b := int(math.Floor((v - lo) / (hi - lo) * float64(bins)))
			group[k] = min(bins-1, max(0, b))
		}
	} else {
		for _, pt := range p.Points {
			if !slices.Contains(labels, pt.Values[j]) {
				labels = append(labels, pt.Values[j])
			}
		}
		numeric := true
		for _, l := range labels {
			if _, err := strconv.ParseFloat(l, 64); err != nil {
				numeric = false
			}
		}
		if numeric {
			slices.SortFunc(labels, func(a, b string) int {
				x, _ := strconv.ParseFloat(a, 64)
				y, _ := strconv.ParseFloat(b, 64)
				return compareFloat(x, y)
			})
		}
		for k, r := range data {
			group[k] = slices.Index(labels, r[col[p.Params[j]]])
		}
		for i, l := range labels {
			x := float64(i)
			if numeric {
				x, _ = strconv.ParseFloat(l, 64)
			}
			xs = append(xs, x)
		}
		if numeric {
			labels = nil // a value axis
		}
	}
	return labels, xs, group
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// heatGrid is a plotter.GridXYZ of mean outcomes by cell.
type heatGrid struct {
	z    [][]float64 // z[row][col]
	cols int
}

func (g heatGrid) Dims() (c, r int)   { return g.cols, len(g.z) }
func (g heatGrid) Z(c, r int) float64 { return g.z[r][c] }
func (g heatGrid) X(c int) float64    { return float64(c) }
func (g heatGrid) Y(r int) float64    { return float64(r) }

func writeHeatmap(path string, p *Plan, data [][]string, col map[string]int) (bool, error) {
	var xl, yl []string
	for _, pt := range p.Points {
		if !slices.Contains(xl, pt.Values[0]) {
			xl = append(xl, pt.Values[0])
		}
		if !slices.Contains(yl, pt.Values[1]) {
			yl = append(yl, pt.Values[1])
		}
	}
	if len(xl) < 2 || len(yl) < 2 {
		return false, nil
	}
	sum := make([][]float64, len(yl))
	n := make([][]int, len(yl))
	for r := range sum {
		sum[r] = make([]float64, len(xl))
		n[r] = make([]int, len(xl))
	}
	for _, rec := range data {
		c := slices.Index(xl, rec[col[p.Params[0]]])
		r := slices.Index(yl, rec[col[p.Params[1]]])
		v, err := strconv.ParseFloat(rec[col["knowledge_mean"]], 64)
		if c < 0 || r < 0 || err != nil || math.IsNaN(v) {
			continue
		}
		sum[r][c] += v
		n[r][c]++
	}
	g := heatGrid{z: sum, cols: len(xl)}
	lo, hi := math.Inf(1), math.Inf(-1)
	for r := range sum {
		for c := range sum[r] {
			if n[r][c] == 0 {
				sum[r][c] = math.NaN()
				continue
			}
			sum[r][c] /= float64(n[r][c])
			lo, hi = math.Min(lo, sum[r][c]), math.Max(hi, sum[r][c])
		}
	}
	if math.IsInf(lo, 0) {
		return false, nil
	}
	if hi == lo {
		hi = lo + 1e-9
	}
	// Knowledge only grows one way: a sequential, perceptually uniform
	// palette (dark low, light high), with its scale in a colour bar.
	pal := moreland.Kindlmann()
	pal.SetMin(lo)
	pal.SetMax(hi)
	hm := plotter.NewHeatMap(g, pal.Palette(64))
	hm.Min, hm.Max = lo, hi
	pl := plots.NewPlot("mean knowledge by "+p.Params[0]+" and "+p.Params[1], p.Params[1])
	pl.X.Label.Text = p.Params[0]
	pl.Add(hm)
	// Write each cell's value on it.
	var cells plotter.XYLabels
	for r := range sum {
		for c := range sum[r] {
			if !math.IsNaN(sum[r][c]) {
				cells.XYs = append(cells.XYs, plotter.XY{X: float64(c), Y: float64(r)})
				cells.Labels = append(cells.Labels, fmt.Sprintf("%.3f", sum[r][c]))
			}
		}
	}
	if lab, err := plotter.NewLabels(cells); err == nil {
		for i := range lab.TextStyle {
			lab.TextStyle[i].XAlign, lab.TextStyle[i].YAlign = draw.XCenter, draw.YCenter
			// Light text on the dark end of the palette.
			if v := cellValue(cells.Labels[i]); (v-lo)/(hi-lo) < 0.45 {
				lab.TextStyle[i].Color = color.White
			}
		}
		pl.Add(lab)
	}
	pl.NominalX(xl...)
	pl.NominalY(yl...)
	pl.X.Label.Text = p.Params[0]
	pl.Y.Label.Text = p.Params[1]
	bar := plots.NewPlot("", compare.AxisLabel("knowledge_mean"))
	bar.HideX()
	bar.X.Label.Text = ""
	bar.Add(&plotter.ColorBar{ColorMap: pal, Vertical: true})
	bar.Y.Min, bar.Y.Max = lo, hi
	w, h := 18*vg.Centimeter, 10*vg.Centimeter
	_, err := plots.SaveWithBar(pl, bar, w, h, strings.TrimSuffix(path, ".png"), p.durableFigures())
	return err == nil, err
}

func cellValue(label string) float64 {
	v, _ := strconv.ParseFloat(label, 64)
	return v
}
