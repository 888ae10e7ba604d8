package plots

import (
	"fmt"
	"image/color"
	"math"

	"github.com/copsim/copsim/measure"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// displayName is how a community is named in titles and legends.
func displayName(community string) string {
	if community == All {
		return "whole organization"
	}
	return shortName(community)
}

// repsNote says over how many replications a figure averages.
func repsNote(n int) string {
	if n == 1 {
		return "1 run"
	}
	return fmt.Sprintf("mean of %d runs", n)
}

// bandNote adds legend entries that say over how many replications the
// lines average and, with two or more, what the bands are.
func bandNote(p *plot.Plot, n int) {
	p.Legend.Add(repsNote(n))
	BandNote(p, n)
}

// BandNote adds to p's legend a grey swatch saying what the translucent
// bands drawn by [AddBand] are: "95 % interval over n replications".
// Nothing with fewer than two replications, which draw no band.
func BandNote(p *plot.Plot, n int) {
	if n < 2 {
		return
	}
	poly, err := plotter.NewPolygon(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 0}, {X: 1, Y: 1}})
	if err != nil {
		return
	}
	poly.Color = translucent(Grey, 2*BandAlpha)
	poly.LineStyle.Width = 0
	p.Legend.Add(fmt.Sprintf("95 %% interval over %d replications", n), poly)
}

// roleLayer is one layer of the stacked roles chart.
type roleLayer struct {
	role, label string
	col         *measure.Column[measure.Row]
}

// roleLayers returns the layers from the bottom of the stack up: core at the
// base, then active, peripheral and, if asked for, outsiders.
func roleLayers(outsiders bool) []roleLayer {
	ls := []roleLayer{
		{"core", "core", colCore},
		{"active", "active", colActive},
		{"peripheral", "peripheral", colPeripheral},
	}
	if outsiders {
		ls = append(ls, roleLayer{"outsider", "outsiders", colOutsiders})
	}
	return ls
}

// addStackedRoles draws g's mean role counts as stacked areas into p and
// returns the largest stacked total. With legend, it adds one entry per
// layer, top layer first so that the legend reads like the chart.
func addStackedRoles(p *plot.Plot, g grid, layers []roleLayer, legend bool) (float64, error) {
	xs := g.xs()
	means := make([][]float64, len(layers))
	for k, l := range layers {
		means[k] = g.meanOf(l.col.Float)
	}
	allOK := func(i int) bool {
		for _, m := range means {
			if math.IsNaN(m[i]) {
				return false
			}
		}
		return true
	}
	segs := segments(len(xs), allOK)
	polys := make([]*plotter.Polygon, len(layers))
	top := 0.0
	base := make([]float64, len(xs))
	for k, l := range layers {
		for _, seg := range segs {
			ring := make(plotter.XYs, 0, 2*len(seg))
			for _, i := range seg {
				ring = append(ring, plotter.XY{X: xs[i], Y: base[i] + means[k][i]})
			}
			for j := len(seg) - 1; j >= 0; j-- {
				i := seg[j]
				ring = append(ring, plotter.XY{X: xs[i], Y: base[i]})
			}
			poly, err := plotter.NewPolygon(ring)
			if err != nil {
				return 0, fmt.Errorf("plots: roles: %w", err)
			}
			poly.Color = RoleColor(l.role)
			poly.LineStyle.Width = 0
			p.Add(poly)
			polys[k] = poly
		}
		for _, seg := range segs {
			for _, i := range seg {
				base[i] += means[k][i]
				top = math.Max(top, base[i])
			}
		}
	}
	if legend {
		for k := len(layers) - 1; k >= 0; k-- {
			if polys[k] != nil {
				p.Legend.Add(layers[k].label, polys[k])
			}
		}
	}
	return top, nil
}

// rolesFigure is the stacked-area chart of members by role for the whole
// organization (or the first community when there is no "all").
func rolesFigure(rows []measure.Row, community string, o Options) (figure, bool) {
	g := gridOf(rows, community)
	if len(g.ticks) == 0 {
		return figure{}, false
	}
	return figure{name: "roles", w: o.Width, h: o.Height, draw: func(c draw.Canvas) error {
		p := NewPlot("", "people")
		if _, err := addStackedRoles(p, g, roleLayers(o.Outsiders), true); err != nil {
			return err
		}
		p.Legend.Add(repsNote(len(g.reps)))
		p.Y.Min = 0
		return drawWithLegend(c, p, o.title("Members by role, "+displayName(community)))
	}}, true
}

// rolesByCommunityFigure is a small multiple of the roles chart, one panel
// per community other than "all", with a shared y axis so that sizes
// compare: one row for up to three communities, else a near-square grid.
// Beyond maxPanels communities the smaller ones are summed into a last
// panel. The figure widens with the columns so that every panel keeps room
// for its data.
func rolesByCommunityFigure(rows []measure.Row, communities []string, o Options) (figure, bool) {
	var cs []string
	for _, c := range communities {
		if c != All {
			cs = append(cs, c)
		}
	}
	if len(cs) < 2 {
		return figure{}, false
	}
	type panel struct {
		title  string
		g      grid
		layers []roleLayer
		own    bool // own y scale: the sum of the others dwarfs the rest
	}
	shown, rest := largest(rows, cs, maxPanels)
	if len(rest) > 0 {
		shown, rest = largest(rows, cs, maxPanels-1)
	}
	panels := make([]panel, 0, len(shown)+1)
	for _, name := range shown {
		panels = append(panels, panel{shortName(name), gridOf(rows, name), roleLayers(o.Outsiders), false})
	}
	if len(rest) > 0 {
		name := othersName(len(rest))
		panels = append(panels, panel{fmt.Sprintf("%d others, summed", len(rest)), gridOf(summedRows(rows, rest, name), name), roleLayers(false), true})
	}
	cols := len(panels)
	if cols > 3 {
		cols = int(math.Ceil(math.Sqrt(float64(len(panels)))))
	}
	nrows := (len(panels) + cols - 1) / cols
	const (
		minPanelWidth = 4 * vg.Centimeter // axis, tick labels and data
		legendRoom    = 3.5 * vg.Centimeter
	)
	w := max(o.Width, vg.Length(cols)*minPanelWidth+legendRoom)
	h := o.Height * vg.Length(0.35+0.45*float64(nrows))
	return figure{name: "roles_by_community", w: w, h: h, draw: func(c draw.Canvas) error {
		nreps := 0
		plots := make([][]*plot.Plot, nrows)
		ymax := 0.0
		var leg plot.Legend
		for r := range plots {
			plots[r] = make([]*plot.Plot, cols)
		}
		for k, pn := range panels {
			nreps = max(nreps, len(pn.g.reps))
			p := NewPlot(pn.title, "")
			p.Title.TextStyle.Font = font.From(Font, LabelSize)
			p.Title.Padding = 0.15 * vg.Centimeter
			p.X.Tick.Marker = NiceTicks{N: 3}
			p.Y.Tick.Marker = NiceTicks{N: 3}
			r, col := k/cols, k%cols
			if col == 0 {
				p.Y.Label.Text = "people"
			}
			// x label only on the lowest panel of each column
			if k+cols < len(panels) {
				p.X.Label.Text = ""
			}
			top, err := addStackedRoles(p, pn.g, pn.layers, k == 0)
			if err != nil {
				return err
			}
			if k == 0 {
				leg = p.Legend
				p.Legend = plot.NewLegend()
			}
			if pn.own {
				p.Y.Min, p.Y.Max = 0, math.Max(top, 1)
			} else {
				ymax = math.Max(ymax, top)
			}
			plots[r][col] = p
		}
		for k, pn := range panels {
			if !pn.own {
				plots[k/cols][k%cols].Y.Min, plots[k/cols][k%cols].Y.Max = 0, math.Max(ymax, 1)
			}
		}
		leg.Add(repsNote(nreps))
		c = drawTitle(c, o.title("Members by role per community"))
		return drawLegendRight(c, leg, func(pc draw.Canvas) (draw.Canvas, error) {
			tiles := draw.Tiles{Rows: nrows, Cols: cols, PadX: 0.4 * vg.Centimeter, PadY: 0.4 * vg.Centimeter}
			canvases := plot.Align(plots, tiles, pc)
			for r := range plots {
				for col, p := range plots[r] {
					if p == nil {
						continue
					}
					if err := Draw(p, canvases[r][col]); err != nil {
						return pc, err
					}
				}
			}
			last := cols - 1
			if plots[0][last] == nil {
				last = 0
			}
			return plots[0][last].DataCanvas(canvases[0][last]), nil
		})
	}}, true
}

// knowledgeFigure is knowledge over time for the whole organization:
// members, core, periphery and repertoire, each the mean across
// replications with a 95 % confidence band.
func knowledgeFigure(rows []measure.Row, community string, o Options) (figure, bool) {
	g := gridOf(rows, community)
	if len(g.ticks) == 0 {
		return figure{}, false
	}
	series := []struct {
		label string
		color color.Color
		dash  bool
		col   *measure.Column[measure.Row]
	}{
		{"members", Black, false, colKnowledge},
		{"core", Vermillion, false, colKnowCore},
		{"periphery", SkyBlue, false, colKnowPeriph},
		{"repertoire", ReddishPurple, true, colRepertoire},
	}
	return figure{name: "knowledge", w: o.Width, h: o.Height, draw: func(c draw.Canvas) error {
		p := NewPlot("", "knowledge (share of dimensions right)")
		xs := g.xs()
		for _, s := range series {
			mean, lo, hi := Band(g.series(s.col.Float))
			ls := draw.LineStyle{Color: s.color, Width: LineWidth}
			if s.dash {
				ls.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
			}
			if _, err := addBand(p, xs, mean, clamp(lo, 0, 1), clamp(hi, 0, 1), ls, s.label); err != nil {
				return err
			}
		}
		bandNote(p, len(g.reps))
		p.Y.Min, p.Y.Max = 0, 1
		return drawWithLegend(c, p, o.title("Knowledge, "+displayName(community)))
	}}, true
}

// insularityFigure is the share of members' tie weight going outside
// their community over time, per community, each the mean across
// replications with a 95 % band: how inward each community's network is.
// The whole organization is drawn only when there are no communities:
// its ties reach outside only to people who share no community, which is
// rare by construction and would read as an insular organization.
func insularityFigure(rows []measure.Row, communities []string, o Options) (figure, bool) {
	if len(communities) == 0 {
		return figure{}, false
	}
	var cs []string
	for _, c := range communities {
		if c != All {
			cs = append(cs, c)
		}
	}
	if len(cs) == 0 {
		cs = communities
	}
	shown, rest := largest(rows, cs, maxLines)
	return figure{name: "insularity", w: o.Width, h: o.Height, draw: func(c draw.Canvas) error {
		nreps := 0
		p := NewPlot("", "share of ties outside the community")
		for k, name := range shown {
			g := gridOf(rows, name)
			nreps = max(nreps, len(g.reps))
			mean, lo, hi := Band(g.series(colOutsideTies.Float))
			ls := draw.LineStyle{Width: 1.5, Color: seriesColor(k)}
			if name == All {
				ls = draw.LineStyle{Color: Black, Width: LineWidth + 0.5}
			} else if k >= len(Palette)-1 {
				ls.Dashes = []vg.Length{vg.Points(5), vg.Points(2)}
			}
			xs := g.xs()
			if _, err := addBand(p, xs, mean, clamp(lo, 0, 1), clamp(hi, 0, 1), ls, displayName(name)); err != nil {
				return err
			}
		}
		leftOut(p, len(rest))
		bandNote(p, nreps)
		p.Y.Min, p.Y.Max = 0, 1
		p.Y.Tick.Marker = NiceTicks{N: 4}
		return drawWithLegend(c, p, o.title("Insularity: share of members' ties outside the community"))
	}}, true
}

// leftOut adds a legend line saying that n smaller communities are not
// drawn (nothing when n is 0).
func leftOut(p *plot.Plot, n int) {
	switch {
	case n == 1:
		p.Legend.Add("(1 smaller community not drawn)")
	case n > 1:
		p.Legend.Add(fmt.Sprintf("(%d smaller communities not drawn)", n))
	}
}

// hLine is a horizontal reference line across the whole data area.
type hLine struct {
	y   float64
	sty draw.LineStyle
}

func (h hLine) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(h.y)
	c.StrokeLine2(h.sty, c.Min.X, y, c.Max.X, y)
}

// stageFigure is the development stage over time per community: the modal
// stage across replications at each tick, as a step line on a categorical y
// axis. Communities are offset slightly in y so that equal lines stay
// visible side by side. The whole organization is drawn only when there are
// no communities.
func stageFigure(rows []measure.Row, communities []string, o Options) (figure, bool) {
	var cs []string
	for _, c := range communities {
		if c != All {
			cs = append(cs, c)
		}
	}
	if len(cs) == 0 {
		cs = communities
	}
	cs, rest := largest(rows, cs, maxLines)
	cats := StageNames()
	type line struct {
		name  string
		xs    []float64
		modes []int
	}
	var lines []line
	nreps := 0
	for _, name := range cs {
		g := gridOf(rows, name)
		var modes []int
		modes, cats = g.modalStage(cats)
		found := false
		for _, m := range modes {
			found = found || m >= 0
		}
		if found {
			lines = append(lines, line{name, g.xs(), modes})
			nreps = max(nreps, len(g.reps))
		}
	}
	if len(lines) == 0 {
		return figure{}, false
	}
	return figure{name: "stage", w: o.Width, h: o.Height, draw: func(c draw.Canvas) error {
		p := NewPlot("", "")
		step := math.Min(0.12, 0.6/float64(len(lines)))
		for j, l := range lines {
			off := (float64(j) - float64(len(lines)-1)/2) * step
			var first *plotter.Line
			for _, seg := range segments(len(l.xs), func(i int) bool { return l.modes[i] >= 0 }) {
				pts := make(plotter.XYs, len(seg))
				for k, i := range seg {
					pts[k] = plotter.XY{X: l.xs[i], Y: float64(l.modes[i]) + off}
				}
				ln, err := plotter.NewLine(pts)
				if err != nil {
					return fmt.Errorf("plots: stage: %w", err)
				}
				ln.StepStyle = plotter.PostStep
				ln.LineStyle = draw.LineStyle{Color: seriesColor(j), Width: LineWidth}
				if j >= len(Palette)-1 {
					ln.LineStyle.Dashes = []vg.Length{vg.Points(5), vg.Points(2)}
				}
				p.Add(ln)
				if first == nil {
					first = ln
				}
			}
			if first != nil {
				p.Legend.Add(displayName(l.name), first)
			}
		}
		ticks := make([]plot.Tick, len(cats))
		for i, s := range cats {
			ticks[i] = plot.Tick{Value: float64(i), Label: s}
		}
		p.Y.Tick.Marker = plot.ConstantTicks(ticks)
		p.Y.Min, p.Y.Max = -0.5, float64(len(cats))-0.5
		leftOut(p, len(rest))
		if nreps > 1 {
			p.Legend.Add(fmt.Sprintf("modal stage of %d runs", nreps))
		}
		return drawWithLegend(c, p, o.title("Development stage"))
	}}, true
}
