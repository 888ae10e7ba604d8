package compare

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
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
	unit        string // the y axis's unit, in brackets after label
	caption     string // what the figure shows, for the report
	value       func(measure.Row) float64
}

var compareSeries = []series{
	{"knowledge", "members' mean knowledge", "share of dimensions right",
		"Members' mean knowledge over time (share of the reality's dimensions they get right)",
		func(r measure.Row) float64 { return r.KnowledgeMean }},
	{"repertoire", "repertoire knowledge", "share of dimensions right",
		"Knowledge of the communities' repertoires over time (share of their domain's dimensions they get right)",
		func(r measure.Row) float64 { return r.RepertoireKnowledge }},
	{"core", "core", "share of members",
		"The core's share of members over time",
		func(r measure.Row) float64 { return share(r.Core, r.Members) }},
	{"participation", "participation", "share of members per week",
		"Participation over time: the share of members who took part in a week's community activity",
		func(r measure.Row) float64 { return r.ParticipationRate }},
	{"boundary_activity", "members active across boundaries", "share of members",
		"The share of members who met someone of another community in recent weeks, over time",
		func(r measure.Row) float64 { return r.BoundaryActiveShare }},
	{"imported_knowledge", "knowledge imported", "dimensions per member-week",
		"Knowledge imported across community boundaries over time: belief dimensions members changed through such encounters, per member and week",
		func(r measure.Row) float64 { return r.ImportedKnowledge }},
}

// Captions are the report's sentence captions of the comparison figures,
// by file stem.
var captions = func() map[string]string {
	m := map[string]string{
		"outcomes": "The key outcomes at the end of the run, one panel each: every scenario's mean over its replications with the 95 % interval of that mean. Scenarios keep their colours in every figure.",
	}
	for _, s := range compareSeries {
		m[s.name] = s.caption + ", whole organization, one line per scenario: the mean over replications with its 95 % interval as a band."
	}
	return m
}()

func share(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

const figW, figH = 20 * vg.Centimeter, 10 * vg.Centimeter

// writePlots writes into dir (which must exist) one figure per
// time-series quantity with every scenario overlaid with its 95 % band,
// and outcomes, the key end-of-run outcomes side by side with 95 % error
// bars, each as PNG and SVG with o's resolution and titles. It returns the
// PNG files written, in order. Figures are drawn o.Workers at a time.
func writePlots(dir string, res []*agents.Result, rows []Row, o plots.Options) ([]string, error) {
	names := Names(res)
	reps := 0
	for _, r := range res {
		reps = max(reps, len(r.Summaries))
	}
	jobs := make([]func() ([]string, error), 0, len(compareSeries)+1)
	for _, s := range compareSeries {
		jobs = append(jobs, func() ([]string, error) {
			p := plots.NewPlot(s.label+" over time, whole organization", s.label+" ("+s.unit+")")
			for i, r := range res {
				xs, vals := plots.Series(r.Rows, plots.All, s.value)
				if len(xs) == 0 {
					continue
				}
				m, lo, hi := plots.Band(vals)
				if err := plots.AddBandStyled(p, xs, m, lo, hi, plots.SeriesStyle(i), names[i]); err != nil {
					return nil, err
				}
			}
			plots.BandNote(p, reps)
			return plots.Save(p, figW, figH, filepath.Join(dir, s.name), o)
		})
	}
	jobs = append(jobs, func() ([]string, error) {
		return writeOutcomes(filepath.Join(dir, "outcomes"), names, rows, reps, o)
	})
	out := make([][]string, len(jobs))
	errs := make([]error, len(jobs))
	sem := make(chan struct{}, max(o.Workers, 1))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i], errs[i] = job()
		}()
	}
	wg.Wait()
	var pngs []string
	for i := range jobs {
		if errs[i] != nil {
			return pngs, errs[i]
		}
		for _, p := range out[i] {
			if filepath.Ext(p) == ".png" {
				pngs = append(pngs, p)
			}
		}
	}
	return pngs, nil
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
	p := plots.NewPlot(o.label, UnitLabel(key))
	p.X.Label.Text = ""
	p.HideX()
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
			s.GlyphStyle = scenarioGlyph(i)
			eb, err := plotter.NewYErrorBars(pts)
			if err != nil {
				return nil, err
			}
			eb.LineStyle.Color = plots.Color(i)
			eb.LineStyle.Width = vg.Points(1.5)
			p.Add(eb, s)
		}
	}
	p.X.Min, p.X.Max = -0.5, float64(len(names))-0.5
	return p, nil
}

// UnitLabel is the axis title of a panel that the outcome column of
// summary.csv names in its title: its unit alone, e.g. "share (0–1)";
// empty for a column without a unit.
func UnitLabel(key string) string {
	w := unitWords(key)
	if a, b, ok := strings.Cut(w, ", "); ok {
		return a + " (" + b + ")"
	}
	return w
}

// unitWords is the unit of a column of summary.csv in words ("share,
// 0–1"); empty for a column without a unit or not in summary.csv.
func unitWords(key string) string {
	c := measure.SummaryColumns.Lookup(key)
	if c == nil {
		return ""
	}
	switch c.Unit {
	case measure.Share:
		return "share, 0–1"
	case measure.Index:
		return "index, 0–1"
	case measure.Signed:
		return "index, −1 to 1"
	case measure.PerMemberTick:
		return "per member-week"
	case measure.Ticks:
		return "weeks"
	case measure.Count:
		return "people"
	}
	return string(c.Unit)
}

// AxisLabel is the axis title of an outcome column of summary.csv: its
// words and its unit, e.g. "mean knowledge (share, 0–1)"; an unknown
// column is its own title.
func AxisLabel(column string) string {
	if u := unitWords(column); u != "" {
		return Label(column) + " (" + u + ")"
	}
	return Label(column)
}

// writeOutcomes draws the key outcomes' panels in a grid, with one legend
// naming the scenarios by colour (names under the points would overlap).
func writeOutcomes(base string, names []string, rows []Row, reps int, o plots.Options) ([]string, error) {
	const cols = 4
	nrows := (len(keyOutcomes) + cols - 1) / cols
	grid := make([][]*plot.Plot, nrows)
	for i := range grid {
		grid[i] = make([]*plot.Plot, cols)
	}
	for k, key := range keyOutcomes {
		p, err := outcomePanel(key, names, rows)
		if err != nil {
			return nil, err
		}
		grid[k/cols][k%cols] = p
	}
	leg := plot.NewLegend()
	leg.TextStyle.Font = font.From(plots.Font, plots.LegendSize)
	leg.ThumbnailWidth = 0.5 * vg.Centimeter
	leg.Padding = 0.12 * vg.Centimeter
	for i, n := range names {
		leg.Add(n, glyph(scenarioGlyph(i)))
	}
	if reps >= 2 {
		leg.Add(fmt.Sprintf("bars: 95 %% interval of the mean over %d replications", reps), glyph{Color: plots.Grey, Radius: vg.Points(3.5), Shape: barGlyph{}})
	}
	return plots.SaveGrid(base, grid, &leg, 9*vg.Centimeter, 7*vg.Centimeter, o)
}

// scenarioGlyph is the i-th scenario's point: its colour, and a shape of
// its own once the palette's colours come round again.
func scenarioGlyph(i int) draw.GlyphStyle {
	shapes := []draw.GlyphDrawer{draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PyramidGlyph{}}
	return draw.GlyphStyle{Color: plots.Color(i), Radius: vg.Points(3.5), Shape: shapes[(i/len(plots.Palette))%len(shapes)]}
}

// glyph is a legend thumbnail of one point.
type glyph draw.GlyphStyle

func (g glyph) Thumbnail(c *draw.Canvas) { c.DrawGlyph(draw.GlyphStyle(g), c.Center()) }

// barGlyph draws a vertical error bar with caps.
type barGlyph struct{}

func (barGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	ls := draw.LineStyle{Color: sty.Color, Width: vg.Points(1.5)}
	r := sty.Radius * 1.6
	c.StrokeLine2(ls, pt.X, pt.Y-r, pt.X, pt.Y+r)
	c.StrokeLine2(ls, pt.X-r/2, pt.Y-r, pt.X+r/2, pt.Y-r)
	c.StrokeLine2(ls, pt.X-r/2, pt.Y+r, pt.X+r/2, pt.Y+r)
}
