// Package stats holds the few statistics copsim reports: the 95 %
// t-interval of a mean, Welch's t-test, the paired t-test and Hedges' g;
// and the one sampling design it draws, the Latin hypercube.
//
// It exists so that every interval copsim prints or draws (the comparison
// table and report, the bands of the figures, a sweep's main effects)
// comes from one implementation with one definition, tested against
// published values, rather than from copies that could drift apart; and
// so that a sweep's design and a comparison's robustness check sample
// parameters the same way.
//
// NaN values stand for outcomes that could not be measured in a run; every
// function leaves them out. Quantities that cannot be computed from the
// data (too few values, no spread) are NaN.
package stats

import (
	"math"
	"sync/atomic"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Level is the confidence level of every interval in this package.
const Level = 0.95

// Summary is a sample's mean with its t confidence interval
// mean ± t(0.975, n-1)·sd/√n.
type Summary struct {
	N        int     // values that are not NaN
	Mean, SD float64 // SD is the sample standard deviation (n-1)
	Lo, Hi   float64 // the confidence interval of Mean
}

// Summarize describes xs, leaving NaN values out. With one value the mean
// is that value and SD and the interval are NaN; with none, every field
// but N is NaN.
func Summarize(xs []float64) Summary {
	v := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	return summarize(v)
}

// summarize is Summarize of values known to hold no NaN.
func summarize(v []float64) Summary {
	nan := math.NaN()
	s := Summary{N: len(v), Mean: nan, SD: nan, Lo: nan, Hi: nan}
	switch len(v) {
	case 0:
	case 1:
		s.Mean = v[0]
	default:
		s.Mean, s.SD = stat.MeanStdDev(v, nil)
		h := tCritical(float64(len(v)-1)) * s.SD / math.Sqrt(float64(len(v)))
		s.Lo, s.Hi = s.Mean-h, s.Mean+h
	}
	return s
}

// tCritical is the two-sided critical value of Student's t at Level with
// df degrees of freedom: t(0.975, df). The quantile is costly (a figure's
// band asks it at every tick), so whole df up to maxCachedDF are computed
// once; the values are the same.
func tCritical(df float64) float64 {
	if df >= 1 && df <= maxCachedDF && df == math.Trunc(df) {
		i := int(df)
		if v := tCache[i].Load(); v != nil {
			return *v
		}
		v := tQuantile(df)
		tCache[i].Store(&v)
		return v
	}
	return tQuantile(df)
}

func tQuantile(df float64) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(1 - (1-Level)/2)
}

// maxCachedDF bounds the degrees of freedom whose critical value
// tCritical keeps: replications of a run or sweep point are fewer.
const maxCachedDF = 1024

var tCache [maxCachedDF + 1]atomic.Pointer[float64]

// twoSidedP is the two-sided p-value of the t statistic t with df degrees
// of freedom.
func twoSidedP(t, df float64) float64 {
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(t))
}

// Difference is a difference of means, b minus a, with its confidence
// interval and t-test.
type Difference struct {
	Diff   float64 // mean(b) - mean(a), or the mean of b[i] - a[i] when paired
	Lo, Hi float64 // the confidence interval of Diff
	T, DF  float64 // the t statistic and its degrees of freedom
	P      float64 // the two-sided p-value of the t-test of Diff = 0
}

// Welch compares b with a, two independent samples, by Welch's
// unequal-variance t-test: the degrees of freedom are Welch and
// Satterthwaite's. With fewer than two values in either sample only Diff
// is computed. When both samples are constant, the interval is the point
// Diff, T and DF are NaN, and P is 1 if the means are equal and 0
// otherwise.
func Welch(a, b []float64) Difference {
	sa, sb := Summarize(a), Summarize(b)
	nan := math.NaN()
	r := Difference{Diff: sb.Mean - sa.Mean, Lo: nan, Hi: nan, T: nan, DF: nan, P: nan}
	if sa.N < 2 || sb.N < 2 {
		return r
	}
	na, nb := float64(sa.N), float64(sb.N)
	va, vb := sa.SD*sa.SD/na, sb.SD*sb.SD/nb
	se := math.Sqrt(va + vb)
	if se == 0 {
		r.Lo, r.Hi, r.P = r.Diff, r.Diff, certainP(r.Diff)
		return r
	}
	r.T = r.Diff / se
	r.DF = (va + vb) * (va + vb) / (va*va/(na-1) + vb*vb/(nb-1))
	h := tCritical(r.DF) * se
	r.Lo, r.Hi = r.Diff-h, r.Diff+h
	r.P = twoSidedP(r.T, r.DF)
	return r
}

// Paired compares matched samples by the paired t-test of b[i] - a[i],
// over the indices where both are numbers. copsim's comparisons are
// matched by design: replication r of every scenario runs on the same
// random numbers (common random numbers), so the paired interval is the
// tighter, correct one for that design, and Welch's the conservative
// reading. With fewer than two pairs only Diff is computed; with identical
// differences the interval is the point, T is NaN and P is 1 if the
// difference is 0 and 0 otherwise.
func Paired(a, b []float64) Difference {
	var d []float64
	for i := range min(len(a), len(b)) {
		if !math.IsNaN(a[i]) && !math.IsNaN(b[i]) {
			d = append(d, b[i]-a[i])
		}
	}
	nan := math.NaN()
	s := summarize(d)
	r := Difference{Diff: s.Mean, Lo: nan, Hi: nan, T: nan, DF: nan, P: nan}
	if s.N < 2 {
		return r
	}
	r.DF = float64(s.N - 1)
	se := s.SD / math.Sqrt(float64(s.N))
	if se == 0 {
		r.Lo, r.Hi, r.P = r.Diff, r.Diff, certainP(r.Diff)
		return r
	}
	h := tCritical(r.DF) * se
	r.Lo, r.Hi = r.Diff-h, r.Diff+h
	r.T = r.Diff / se
	r.P = twoSidedP(r.T, r.DF)
	return r
}

// HedgesG is the standardized difference of b from a: Cohen's d (the
// difference of the means over the pooled standard deviation) times
// Hedges' small-sample correction J = 1 - 3/(4(na+nb)-9). It is NaN with
// fewer than two values in either sample or with a pooled standard
// deviation of zero.
func HedgesG(a, b []float64) float64 {
	sa, sb := Summarize(a), Summarize(b)
	if sa.N < 2 || sb.N < 2 {
		return math.NaN()
	}
	na, nb := float64(sa.N), float64(sb.N)
	pooled := math.Sqrt(((na-1)*sa.SD*sa.SD + (nb-1)*sb.SD*sb.SD) / (na + nb - 2))
	if !(pooled > 0) {
		return math.NaN()
	}
	j := 1 - 3/(4*(na+nb)-9)
	return j * (sb.Mean - sa.Mean) / pooled
}

// certainP is the p-value of a difference measured without noise: 1 when
// it is zero, 0 otherwise.
func certainP(diff float64) float64 {
	if diff == 0 {
		return 1
	}
	return 0
}
