package sweep

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/copsim/copsim/compare"
	"github.com/copsim/copsim/plots"
)

// indexRow is one line of indices.csv.
type indexRow struct {
	outcome, param, index string
	v, lo, hi             float64
}

func readIndices(path string) ([]indexRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var rows []indexRow
	for _, r := range recs[1:] {
		if len(r) != len(indicesHeader) || r[2] == "(replications)" || r[2] == "" {
			continue
		}
		num := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
		rows = append(rows, indexRow{r[1], r[2], r[3], num(r[4]), num(r[5]), num(r[6])})
	}
	return rows, nil
}

// errorXYs are points with vertical intervals, for error bars.
type errorXYs struct {
	plotter.XYs
	plotter.YErrors
}

// writeIndexPlots draws, for each outcome of a sensitivity design, its
// indices as indices_OUTCOME.png and .svg: Sobol's S1 and ST as bars per
// parameter with their intervals; Morris's parameters on the μ*-σ plane
// (far right: influential; high: non-linear or interacting).
func writeIndexPlots(dir string, p *Plan, indicesCSV string) ([]string, error) {
	rows, err := readIndices(indicesCSV)
	if err != nil {
		return nil, err
	}
	var written []string
	for _, o := range p.Outcomes {
		at := map[string]map[string]indexRow{} // index -> parameter -> row
		for _, r := range rows {
			if r.outcome != o {
				continue
			}
			if at[r.index] == nil {
				at[r.index] = map[string]indexRow{}
			}
			at[r.index][r.param] = r
		}
		if len(at) == 0 {
			continue // no indices (NA at some point)
		}
		var pl *plot.Plot
		switch p.Design {
		case sobol:
			pl, err = sobolPlot(o, p.Params, at)
		case morris:
			pl, err = morrisPlot(o, p.Params, at)
		}
		if err != nil {
			return written, err
		}
		// Bars widen with the parameters; the μ*-σ plane does not.
		w, h := vg.Length(max(14, 3+2.5*float64(len(p.Params))))*vg.Centimeter, 10*vg.Centimeter
		if p.Design == morris {
			w, h = 16*vg.Centimeter, 12*vg.Centimeter
		}
		base := filepath.Join(dir, "indices_"+o)
		files, err := plots.Save(pl, w, h, base, p.durableFigures())
		written = append(written, files...)
		if err != nil {
			return written, err
		}
	}
	return written, nil
}

func sobolPlot(outcome string, params []string, at map[string]map[string]indexRow) (*plot.Plot, error) {
	pl := plots.NewPlot(compare.Label(outcome)+": Sobol indices", "share of variance")
	shapes := []draw.GlyphDrawer{draw.CircleGlyph{}, draw.BoxGlyph{}}
	for k, ix := range []string{"S1", "ST"} {
		// A dot per parameter with its interval, S1 left of ST.
		e := errorXYs{XYs: make(plotter.XYs, len(params)), YErrors: make(plotter.YErrors, len(params))}
		for j, name := range params {
			r := at[ix][name]
			e.XYs[j] = plotter.XY{X: float64(j) + (float64(k)-0.5)*0.25, Y: r.v}
			e.YErrors[j].Low, e.YErrors[j].High = r.v-r.lo, r.hi-r.v
		}
		s, err := plotter.NewScatter(e.XYs)
		if err != nil {
			return nil, err
		}
		s.GlyphStyle = draw.GlyphStyle{Color: plots.Color(k), Radius: vg.Points(3.5), Shape: shapes[k]}
		eb, err := plotter.NewYErrorBars(e)
		if err != nil {
			return nil, err
		}
		eb.LineStyle.Color = plots.Color(k)
		pl.Add(eb, s)
		pl.Legend.Add(map[string]string{"S1": "first order (S1)", "ST": "total (ST)"}[ix], s)
	}
	pl.NominalX(shortNames(params)...)
	pl.X.Label.Text = "95 % bootstrap intervals"
	pl.X.Min, pl.X.Max = -0.5, float64(len(params))-0.5
	pl.Y.Min = min(pl.Y.Min, 0)
	pl.Y.Max = max(pl.Y.Max, 1) * 1.25 // room for the legend above the data
	pl.Legend.Top = true
	return pl, nil
}

func morrisPlot(outcome string, params []string, at map[string]map[string]indexRow) (*plot.Plot, error) {
	pl := plots.NewPlot(compare.Label(outcome)+": Morris screening", "σ of the elementary effects")
	pl.X.Label.Text = "μ* (mean |effect| per whole range)"
	pts := make(plotter.XYs, len(params))
	labels := make([]string, len(params))
	for j, name := range params {
		pts[j] = plotter.XY{X: at["mu_star"][name].v, Y: at["sigma"][name].v}
		labels[j] = shortNames(params)[j]
	}
	s, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, err
	}
	s.GlyphStyle = draw.GlyphStyle{Color: plots.Color(0), Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
	pl.Add(s)
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: labels})
	if err != nil {
		return nil, err
	}
	pl.Add(l)
	// Room for the labels of the points at the edges.
	pl.X.Min, pl.Y.Min = 0, 0
	pl.X.Max *= 1.35
	pl.Y.Max *= 1.15
	return pl, nil
}

// shortNames are the parameters' last path elements (crowding_out for
// model.motivate.crowding_out), which fit under a bar or beside a point.
func shortNames(params []string) []string {
	out := make([]string, len(params))
	for j, p := range params {
		out[j] = p[strings.LastIndex(p, ".")+1:]
	}
	return out
}
