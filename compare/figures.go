package compare

import (
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/plots"
)

// series is a quantity of the time series that the comparison plots show.
type series struct {
	name, label string
	value       func(measure.Row) float64
}

var compareSeries = []series{
	{"knowledge", "members' mean knowledge", func(r measure.Row) float64 { return r.KnowledgeMean }},
	{"repertoire", "repertoire knowledge", func(r measure.Row) float64 { return r.RepertoireKnowledge }},
	{"core", "share of members in the core", func(r measure.Row) float64 { return share(r.Core, r.Members) }},
	{"participation", "participation rate", func(r measure.Row) float64 { return r.ParticipationRate }},
	{"boundary_activity", "share of members active across boundaries", func(r measure.Row) float64 { return r.BoundaryActiveShare }},
	{"imported_knowledge", "knowledge imported across boundaries per member-week", func(r measure.Row) float64 { return r.ImportedKnowledge }},
}

func share(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

const figW, figH = 16 * vg.Centimeter, 10 * vg.Centimeter

// writePlots writes into dir (which must exist) one PNG per time-series
// quantity with every scenario overlaid with its 95 % band, and
// outcomes.png, the key end-of-run outcomes side by side with 95 % error
// bars. It returns the files written, in order.
func writePlots(dir string, res []*agents.Result, rows []Row) ([]string, error) {
	names := Names(res)
	var written []string
	for _, s := range compareSeries {
		p := plots.NewPlot(s.label+" (mean and 95 % band)", s.label)
		for i, r := range res {
			xs, vals := plots.Series(r.Rows, plots.All, s.value)
			if len(xs) == 0 {
				continue
			}
			m, lo, hi := plots.Band(vals)
			if err := plots.AddBand(p, xs, m, lo, hi, plots.Color(i), names[i]); err != nil {
				return written, err
			}
		}
		p.Legend.Top, p.Legend.Left = true, true
		path := filepath.Join(dir, s.name+".png")
		if err := plots.SavePNG(p, figW, figH, path); err != nil {
			return written, err
		}
		written = append(written, path)
	}
	path := filepath.Join(dir, "outcomes.png")
	if err := writeOutcomes(path, names, rows); err != nil {
		return written, err
	}
	return append(written, path), nil
}

// errPoints is a set of points with vertical error bars.
type errPoints struct {
	plotter.XYs
	plotter.YErrors
}

// outcomePanel plots one outcome of every scenario as a point with its
// 95 % confidence interval.
func outcomePanel(key string, names []string, rows []Row) (*plot.Plot, error) {
	o := outcomeByKey(key)
	p := plots.NewPlot(o.label, "")
	p.X.Label.Text = ""
	for i, n := range names {
		for _, r := range rows {
			if r.Scenario != n || r.Outcome != key || r.N == 0 {
				continue
			}
			lo, hi := r.Mean-r.Lo, r.Hi-r.Mean
			if r.N < 2 {
				lo, hi = 0, 0
			}
			pts := errPoints{XYs: plotter.XYs{{X: float64(i), Y: r.Mean}}, YErrors: plotter.YErrors{{Low: lo, High: hi}}}
			s, err := plotter.NewScatter(pts)
			if err != nil {
				return nil, err
			}
			s.GlyphStyle = draw.GlyphStyle{Color: plots.Color(i), Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
			eb, err := plotter.NewYErrorBars(pts)
			if err != nil {
				return nil, err
			}
			eb.LineStyle.Color = plots.Color(i)
			eb.LineStyle.Width = vg.Points(1.5)
			p.Add(eb, s)
		}
	}
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.5, float64(len(names))-0.5
	return p, nil
}

func writeOutcomes(path string, names []string, rows []Row) error {
	const cols = 4
	nrows := (len(keyOutcomes) + cols - 1) / cols
	grid := make([][]*plot.Plot, nrows)
	for i := range grid {
		grid[i] = make([]*plot.Plot, cols)
	}
	for k, key := range keyOutcomes {
		p, err := outcomePanel(key, names, rows)
		if err != nil {
			return err
		}
		grid[k/cols][k%cols] = p
	}
	return plots.SaveGrid(path, grid, 9*vg.Centimeter, 7*vg.Centimeter)
}
