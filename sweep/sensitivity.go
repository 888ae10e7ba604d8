package sweep

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/sensitivity"
)

// indexOutcomes are the outcomes a sensitivity design may estimate
// indices of: summary.csv's columns averaged over replications.
func indexOutcomes() []string {
	var out []string
	for _, c := range measure.SummaryColumns {
		if c.Aggregate == measure.MeanCI {
			out = append(out, c.Name)
		}
	}
	return out
}

// param is the plan's j-th parameter as the sensitivity package samples it.
func (p *Plan) param(j int) sensitivity.Param {
	return sensitivity.Param{Name: p.Params[j], Low: p.Lower[j], High: p.Upper[j], Log: len(p.Log) > j && p.Log[j]}
}

// unitPoints are a sensitivity design's points in the unit cube, in run
// order; the same plan gives the same points, so that the design can be
// rebuilt from sweep.json when the runs are assembled.
func (p *Plan) unitPoints() ([][]float64, error) {
	d, err := p.sensitivityDesign()
	if err != nil {
		return nil, err
	}
	return d.Points(), nil
}

// estimator is what the two sensitivity designs share.
type estimator interface {
	Points() [][]float64
	Len() int
}

func (p *Plan) sensitivityDesign() (estimator, error) {
	switch p.Design {
	case sobol:
		return sensitivity.NewSobolDesign(p.Samples, len(p.Params), p.SampleSeed)
	case morris:
		return sensitivity.NewMorrisDesign(p.Samples, len(p.Params), p.Levels, p.SampleSeed)
	}
	return nil, fmt.Errorf("sweep: %s is not a sensitivity design", p.Design)
}

// Bootstrap of the indices' intervals: resamples and level.
const (
	indexBoots = 1000
	indexLevel = 0.95
)

// indicesHeader names the columns of indices.csv.
var indicesHeader = []string{"method", "outcome", "parameter", "index", "value", "ci_low", "ci_high"}

// writeIndices writes indices.csv for a sensitivity design from the
// assembled results.csv: each outcome is averaged over a point's
// replications (the model is stochastic; its noise share is reported as
// the index "noise_share" of the parameter "(replications)": the variance
// of a point's mean that comes from its replications, over the variance
// of the points' means), and the design's estimator turns the means into
// indices with bootstrap intervals.
func writeIndices(dir string, p *Plan) error {
	f, err := os.Open(filepath.Join(dir, "results.csv"))
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return err
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	d, err := p.sensitivityDesign()
	if err != nil {
		return err
	}
	type cell struct{ sum, sq float64 }
	return results.WriteAtomic(filepath.Join(dir, "indices.csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(indicesHeader)
		F := results.F
		for _, o := range p.Outcomes {
			c, ok := col[o]
			if !ok {
				return fmt.Errorf("%s: results.csv has no column %s", dir, o)
			}
			cells := make([]cell, len(p.Points))
			for _, r := range rows[1:] {
				pt, err := strconv.Atoi(r[col["point"]])
				if err != nil || pt < 0 || pt >= len(cells) {
					return fmt.Errorf("%s: results.csv: bad point %q", dir, r[col["point"]])
				}
				v, _ := strconv.ParseFloat(r[c], 64) // NA reads as NaN, and is refused below
				if r[c] == "NA" || r[c] == "" {
					v = math.NaN()
				}
				cells[pt].sum += v
				cells[pt].sq += v * v
			}
			reps := float64(p.Replications)
			y := make([]float64, len(cells))
			within := 0.0
			for k, x := range cells {
				y[k] = x.sum / reps
				if reps > 1 {
					within += (x.sq - reps*y[k]*y[k]) / (reps - 1) / reps / float64(len(cells))
				}
			}
			if !finite(y) {
				// An outcome missing at some point (NA) has no indices.
				cw.Write([]string{p.Design, o, "", "", "NA", "NA", "NA"})
				continue
			}
			between := variance(y)
			noise := math.NaN()
			if between > 0 && reps > 1 {
				// The means' variance holds the noise too, so the share is
				// at most 1 in expectation; an estimate above 1 says only
				// that noise is all one can see.
				noise = math.Min(1, within/between)
			}
			cw.Write([]string{p.Design, o, "(replications)", "noise_share", F(noise), "NA", "NA"})
			seed := p.Seed
			switch dd := d.(type) {
			case *sensitivity.SobolDesign:
				ix, err := dd.Estimate(y, indexBoots, indexLevel, seed)
				if err != nil {
					return err
				}
				for j, name := range p.Params {
					cw.Write([]string{p.Design, o, name, "S1", F(ix.S1[j].Value), F(ix.S1[j].Lo), F(ix.S1[j].Hi)})
					cw.Write([]string{p.Design, o, name, "ST", F(ix.ST[j].Value), F(ix.ST[j].Lo), F(ix.ST[j].Hi)})
				}
			case *sensitivity.MorrisDesign:
				ix, err := dd.Estimate(y, indexBoots, indexLevel, seed)
				if err != nil {
					return err
				}
				for j, name := range p.Params {
					cw.Write([]string{p.Design, o, name, "mu_star", F(ix.MuStar[j].Value), F(ix.MuStar[j].Lo), F(ix.MuStar[j].Hi)})
					cw.Write([]string{p.Design, o, name, "mu", F(ix.Mu[j].Value), F(ix.Mu[j].Lo), F(ix.Mu[j].Hi)})
					cw.Write([]string{p.Design, o, name, "sigma", F(ix.Sigma[j].Value), F(ix.Sigma[j].Lo), F(ix.Sigma[j].Hi)})
				}
			}
		}
		cw.Flush()
		return cw.Error()
	})
}

func finite(xs []float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// variance is the sample variance of xs.
func variance(xs []float64) float64 {
	m := 0.0
	for _, x := range xs {
		m += x / float64(len(xs))
	}
	v := 0.0
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	return v / float64(len(xs)-1)
}

// Sensitivity reports whether the plan is a global sensitivity analysis
// (design sobol or morris), whose assembled folder holds indices.csv.
func (p *Plan) Sensitivity() bool { return sensitivityDesign(p.Design) }
