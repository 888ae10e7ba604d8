// Package experiment runs copsim experiments for researchers and managers:
// comparisons of scenarios with common random numbers (means, confidence
// intervals, effect sizes, Welch's test, plain-language verdicts and a
// self-contained HTML report), and parameter sweeps (full factorial,
// subexperiments, Latin hypercube) that are resumable, crash-safe and
// shardable over a cluster's job array, with a merge step that gives the
// same dataset as an unsharded sweep. It exists so that the statistics and
// the experiment bookkeeping live apart from the engine and the commands.
package experiment

import (
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Level is the confidence level of every interval in this package.
const Level = 0.95

// Describe is a sample's mean with its confidence interval
// mean ± t(0.975, n-1)·sd/√n. NaN values are left out of N. With N < 2 the
// interval and SD are NaN.
type Describe struct {
	N        int
	Mean, SD float64
	Lo, Hi   float64
	Values   []float64 // the non-NaN values, in input order
}

// Summarize describes xs.
func Summarize(xs []float64) Describe {
	var v []float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	d := Describe{N: len(v), Mean: math.NaN(), SD: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Values: v}
	switch len(v) {
	case 0:
	case 1:
		d.Mean = v[0]
	default:
		d.Mean, d.SD = stat.MeanStdDev(v, nil)
		h := tQuantile(float64(len(v)-1)) * d.SD / math.Sqrt(float64(len(v)))
		d.Lo, d.Hi = d.Mean-h, d.Mean+h
	}
	return d
}

// tQuantile is the two-sided 95 % critical value of Student's t with df
// degrees of freedom.
func tQuantile(df float64) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(1 - (1-Level)/2)
}

// Difference compares sample b with sample a (b minus a).
type Difference struct {
	Diff   float64 // mean(b) - mean(a)
	Lo, Hi float64 // Welch confidence interval of Diff
	T, DF  float64 // Welch's t statistic and Welch–Satterthwaite degrees of freedom
	P      float64 // two-sided p-value of Welch's t-test
	G      float64 // Hedges' g: Cohen's d with the pooled SD, bias-corrected
}

// Compare computes b - a with Welch's unequal-variance t-test and Hedges'
// g. Fields that cannot be computed (fewer than two values in a sample, a
// pooled SD of zero) are NaN; when both samples are constant, the p-value
// is 1 if the means are equal and 0 otherwise.
func Compare(a, b []float64) Difference {
	da, db := Summarize(a), Summarize(b)
	nan := math.NaN()
	r := Difference{Diff: db.Mean - da.Mean, Lo: nan, Hi: nan, T: nan, DF: nan, P: nan, G: nan}
	if da.N < 2 || db.N < 2 {
		return r
	}
	na, nb := float64(da.N), float64(db.N)
	va, vb := da.SD*da.SD/na, db.SD*db.SD/nb
	se := math.Sqrt(va + vb)
	if se == 0 {
		r.Lo, r.Hi, r.P = r.Diff, r.Diff, certainP(r.Diff)
		return r
	}
	r.T = r.Diff / se
	r.DF = (va + vb) * (va + vb) / (va*va/(na-1) + vb*vb/(nb-1))
	h := tQuantile(r.DF) * se
	r.Lo, r.Hi = r.Diff-h, r.Diff+h
	r.P = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: r.DF}.Survival(math.Abs(r.T))
	pooled := math.Sqrt(((na-1)*da.SD*da.SD + (nb-1)*db.SD*db.SD) / (na + nb - 2))
	if pooled > 0 {
		j := 1 - 3/(4*(na+nb)-9)
		r.G = j * r.Diff / pooled
	}
	return r
}

// Paired is the difference of matched samples: b[i] - a[i] for each i where
// both are numbers. copsim's comparisons are matched by design: replication
// r of every scenario runs on the same random numbers (common random
// numbers), so the paired interval is the tighter, correct one for that
// design; Welch's (Compare) stays beside it as the conservative reading.
type PairedDifference struct {
	N      int
	Diff   float64 // mean of b[i] - a[i]
	Lo, Hi float64 // t confidence interval of Diff (n-1 degrees of freedom)
	T      float64 // paired t statistic
	P      float64 // two-sided p-value of the paired t-test
}

// Paired computes the paired t-test of b against a. With fewer than two
// pairs the interval, t and p are NaN; with identical differences the
// interval is the point and p is 1 if it is 0 and 0 otherwise.
func Paired(a, b []float64) PairedDifference {
	var d []float64
	for i := range min(len(a), len(b)) {
		if !math.IsNaN(a[i]) && !math.IsNaN(b[i]) {
			d = append(d, b[i]-a[i])
		}
	}
	nan := math.NaN()
	s := Summarize(d)
	r := PairedDifference{N: s.N, Diff: s.Mean, Lo: nan, Hi: nan, T: nan, P: nan}
	if s.N < 2 {
		return r
	}
	se := s.SD / math.Sqrt(float64(s.N))
	if se == 0 {
		r.Lo, r.Hi, r.P = r.Diff, r.Diff, certainP(r.Diff)
		return r
	}
	df := float64(s.N - 1)
	h := tQuantile(df) * se
	r.Lo, r.Hi = r.Diff-h, r.Diff+h
	r.T = r.Diff / se
	r.P = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(r.T))
	return r
}

// certainP is the p-value of a difference measured without noise: 1 when
// it is zero, 0 otherwise.
func certainP(diff float64) float64 {
	if diff == 0 {
		return 1
	}
	return 0
}
