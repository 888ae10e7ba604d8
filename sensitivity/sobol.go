package sensitivity

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/copsim/copsim/stats"
)

// SobolDesign is Saltelli's design for the Sobol indices of k inputs
// (Saltelli et al. 2010): two independent samples A and B of N points in
// the unit cube, and for each input i the matrix AB_i, which is A with its
// i-th column taken from B. The model runs at N(k+2) points.
type SobolDesign struct {
	N, K int
	a, b [][]float64
}

// NewSobolDesign draws A and B as the two halves of one Latin hypercube of
// N points in 2k dimensions, so that each input's range is covered evenly
// in both. The same (n, k, seed) give the same design on every machine.
func NewSobolDesign(n, k int, seed uint64) (*SobolDesign, error) {
	if k < 1 {
		return nil, fmt.Errorf("sobol: needs at least one input, got %d", k)
	}
	if n < 2 {
		return nil, fmt.Errorf("sobol: needs at least 2 base points, got %d", n)
	}
	lh := stats.LatinHypercube(n, 2*k, seed)
	d := &SobolDesign{N: n, K: k, a: make([][]float64, n), b: make([][]float64, n)}
	for j, row := range lh {
		d.a[j], d.b[j] = row[:k:k], row[k:]
	}
	return d, nil
}

// Len is the number of points the model must run at: N(k+2).
func (d *SobolDesign) Len() int { return d.N * (d.K + 2) }

// Points returns the design's points in run order: A's N rows, then B's,
// then AB_1's, ..., AB_k's. Outputs passed to Estimate follow this order.
func (d *SobolDesign) Points() [][]float64 {
	pts := make([][]float64, 0, d.Len())
	for _, r := range d.a {
		pts = append(pts, append([]float64(nil), r...))
	}
	for _, r := range d.b {
		pts = append(pts, append([]float64(nil), r...))
	}
	for i := 0; i < d.K; i++ {
		for j := range d.a {
			p := append([]float64(nil), d.a[j]...)
			p[i] = d.b[j][i]
			pts = append(pts, p)
		}
	}
	return pts
}

// Index is an estimate with its confidence interval.
type Index struct {
	Value, Lo, Hi float64
}

// Contains reports whether x lies in the interval.
func (ix Index) Contains(x float64) bool { return ix.Lo <= x && x <= ix.Hi }

// SobolIndices are the first-order (S1) and total (ST) indices of each
// input, in the design's input order.
type SobolIndices struct {
	S1, ST []Index
}

// Estimate computes the indices from the outputs y, one per point in the
// order of Points: S1 by Saltelli et al.'s (2010) estimator, with the
// outputs at B centred on the mean output, and ST by Jansen's (1999), each
// over the variance of the outputs at A and B. The
// intervals are percentile bootstrap intervals at the given level (0.95
// for 95 %) from boots resamples of the N base rows (a row carries its A,
// B and AB_i outputs together).
func (d *SobolDesign) Estimate(y []float64, boots int, level float64, seed uint64) (SobolIndices, error) {
	if err := checkEstimate("sobol", y, d.Len(), boots, level); err != nil {
		return SobolIndices{}, err
	}
	n, k := d.N, d.K
	yA, yB := y[:n], y[n:2*n]
	yAB := func(i int) []float64 { return y[(2+i)*n : (3+i)*n] }
	rows := make([]int, n)
	for j := range rows {
		rows[j] = j
	}
	s1, st := make([]float64, k), make([]float64, k)
	estimate := func(rows []int) {
		f0, v := meanVariance(yA, yB, rows)
		for i := 0; i < k; i++ {
			ab := yAB(i)
			var first, total float64
			for _, j := range rows {
				// Centring yB leaves the estimator's expectation as it is
				// (yAB_i - yA has mean 0) and removes the noise that a large
				// mean output would put into it.
				first += (yB[j] - f0) * (ab[j] - yA[j])
				total += (yA[j] - ab[j]) * (yA[j] - ab[j])
			}
			m := float64(len(rows))
			s1[i], st[i] = first/m/v, total/(2*m)/v
			if v == 0 {
				s1[i], st[i] = 0, 0 // a constant output depends on nothing
			}
		}
	}
	estimate(rows)
	out := SobolIndices{S1: make([]Index, k), ST: make([]Index, k)}
	for i := 0; i < k; i++ {
		out.S1[i].Value, out.ST[i].Value = s1[i], st[i]
	}
	bs1, bst := make([][]float64, k), make([][]float64, k)
	r := rand.New(rand.NewPCG(stats.Mix(seed, 0x626f6f74), stats.Mix(seed, 0x736f626f)))
	re := make([]int, n)
	for b := 0; b < boots; b++ {
		for j := range re {
			re[j] = r.IntN(n)
		}
		estimate(re)
		for i := 0; i < k; i++ {
			bs1[i] = append(bs1[i], s1[i])
			bst[i] = append(bst[i], st[i])
		}
	}
	for i := 0; i < k; i++ {
		out.S1[i].Lo, out.S1[i].Hi = percentiles(bs1[i], level)
		out.ST[i].Lo, out.ST[i].Hi = percentiles(bst[i], level)
	}
	return out, nil
}

// meanVariance is the mean and the variance of the outputs at A and B
// over the given rows.
func meanVariance(yA, yB []float64, rows []int) (mean, variance float64) {
	var sum, sq float64
	for _, j := range rows {
		sum += yA[j] + yB[j]
	}
	mean = sum / float64(2*len(rows))
	for _, j := range rows {
		sq += (yA[j]-mean)*(yA[j]-mean) + (yB[j]-mean)*(yB[j]-mean)
	}
	return mean, sq / float64(2*len(rows)-1)
}

// checkEstimate checks an estimator's inputs: one finite output per point
// of a design of n points, resamples and a level for the intervals.
func checkEstimate(method string, y []float64, n, boots int, level float64) error {
	if len(y) != n {
		return fmt.Errorf("%s: %d outputs for a design of %d points", method, len(y), n)
	}
	for p, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%s: output %d (point %d) is %v; the estimate needs a number at every point", method, p, p+1, v)
		}
	}
	if boots < 1 {
		return errors.New("sensitivity: needs at least 1 bootstrap resample for intervals")
	}
	if !(level > 0 && level < 1) {
		return fmt.Errorf("sensitivity: the confidence level must lie between 0 and 1, got %v", level)
	}
	return nil
}

// percentiles returns the (1-level)/2 and (1+level)/2 quantiles of xs
// (sorted in place), by linear interpolation between order statistics.
func percentiles(xs []float64, level float64) (lo, hi float64) {
	sort.Float64s(xs)
	q := func(p float64) float64 {
		x := p * float64(len(xs)-1)
		i := int(math.Floor(x))
		if i >= len(xs)-1 {
			return xs[len(xs)-1]
		}
		return xs[i] + (x-float64(i))*(xs[i+1]-xs[i])
	}
	return q((1 - level) / 2), q((1 + level) / 2)
}
