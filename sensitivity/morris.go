package sensitivity

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/copsim/copsim/stats"
)

// MorrisDesign is Morris's (1991) design of R trajectories through a grid
// of L levels in the unit cube of k inputs: each trajectory starts at a
// random grid point and moves one input at a time, in random order, by
// Δ = L/(2(L-1)), up where that stays in the cube and down otherwise. The
// model runs at R(k+1) points; each step gives one elementary effect of
// the input it moved.
type MorrisDesign struct {
	R, K, Levels int
	Delta        float64
	pts          [][]float64
	moved        []int     // input moved to reach point p; -1 at a trajectory's start
	dir          []float64 // +1 or -1: the direction of that move
}

// NewMorrisDesign draws r trajectories for k inputs on a grid of levels
// levels (an even number, 4 being usual). The same arguments give the same
// design on every machine.
func NewMorrisDesign(r, k, levels int, seed uint64) (*MorrisDesign, error) {
	switch {
	case k < 1:
		return nil, fmt.Errorf("morris: needs at least one input, got %d", k)
	case r < 2:
		return nil, fmt.Errorf("morris: needs at least 2 trajectories for a spread, got %d", r)
	case levels < 2 || levels%2 != 0:
		return nil, fmt.Errorf("morris: the number of levels must be even and at least 2, got %d", levels)
	}
	d := &MorrisDesign{R: r, K: k, Levels: levels, Delta: float64(levels) / (2 * float64(levels-1))}
	rnd := rand.New(rand.NewPCG(stats.Mix(seed, 0x6d6f72), stats.Mix(seed, 0x726973)))
	step := 1 / float64(levels-1)
	for t := 0; t < r; t++ {
		x := make([]float64, k)
		for i := range x {
			x[i] = float64(rnd.IntN(levels)) * step
		}
		d.add(x, -1, 0)
		for _, i := range rnd.Perm(k) {
			next := append([]float64(nil), x...)
			sign := 1.0
			if x[i]+d.Delta > 1+1e-12 {
				sign = -1
			}
			next[i] = x[i] + sign*d.Delta
			d.add(next, i, sign)
			x = next
		}
	}
	return d, nil
}

func (d *MorrisDesign) add(x []float64, moved int, dir float64) {
	d.pts = append(d.pts, x)
	d.moved = append(d.moved, moved)
	d.dir = append(d.dir, dir)
}

// Len is the number of points the model must run at: R(k+1).
func (d *MorrisDesign) Len() int { return len(d.pts) }

// Points returns the design's points, trajectory after trajectory.
func (d *MorrisDesign) Points() [][]float64 {
	pts := make([][]float64, len(d.pts))
	for p, x := range d.pts {
		pts[p] = append([]float64(nil), x...)
	}
	return pts
}

// MorrisIndices summarise each input's elementary effects, in the unit
// cube's scale (an effect is the change in output per whole range of the
// input): Mu is their mean, MuStar the mean of their absolute values
// (Campolongo, Cariboni & Saltelli 2007; the screening measure) and Sigma
// their standard deviation (non-linearity or interactions).
type MorrisIndices struct {
	MuStar, Mu, Sigma []Index
}

// Estimate computes the indices from the outputs y, one per point in the
// order of Points, with percentile bootstrap intervals at the given level
// from boots resamples of the trajectories.
func (d *MorrisDesign) Estimate(y []float64, boots int, level float64, seed uint64) (MorrisIndices, error) {
	if err := checkEstimate("morris", y, d.Len(), boots, level); err != nil {
		return MorrisIndices{}, err
	}
	// ee[t][i]: the effect of input i on trajectory t.
	ee := make([][]float64, d.R)
	for t := range ee {
		ee[t] = make([]float64, d.K)
		base := t * (d.K + 1)
		for s := 1; s <= d.K; s++ {
			p := base + s
			ee[t][d.moved[p]] = (y[p] - y[p-1]) / (d.dir[p] * d.Delta)
		}
	}
	muStar, mu, sigma := make([]float64, d.K), make([]float64, d.K), make([]float64, d.K)
	estimate := func(traj []int) {
		n := float64(len(traj))
		for i := 0; i < d.K; i++ {
			var abs, sum float64
			for _, t := range traj {
				abs += math.Abs(ee[t][i])
				sum += ee[t][i]
			}
			mu[i], muStar[i] = sum/n, abs/n
			var sq float64
			for _, t := range traj {
				sq += (ee[t][i] - mu[i]) * (ee[t][i] - mu[i])
			}
			sigma[i] = math.Sqrt(sq / (n - 1))
		}
	}
	all := make([]int, d.R)
	for t := range all {
		all[t] = t
	}
	estimate(all)
	out := MorrisIndices{MuStar: make([]Index, d.K), Mu: make([]Index, d.K), Sigma: make([]Index, d.K)}
	for i := 0; i < d.K; i++ {
		out.MuStar[i].Value, out.Mu[i].Value, out.Sigma[i].Value = muStar[i], mu[i], sigma[i]
	}
	bm, bu, bs := make([][]float64, d.K), make([][]float64, d.K), make([][]float64, d.K)
	rnd := rand.New(rand.NewPCG(stats.Mix(seed, 0x626f6f74), stats.Mix(seed, 0x6d6f7272)))
	re := make([]int, d.R)
	for b := 0; b < boots; b++ {
		for t := range re {
			re[t] = rnd.IntN(d.R)
		}
		estimate(re)
		for i := 0; i < d.K; i++ {
			bm[i] = append(bm[i], muStar[i])
			bu[i] = append(bu[i], mu[i])
			bs[i] = append(bs[i], sigma[i])
		}
	}
	for i := 0; i < d.K; i++ {
		out.MuStar[i].Lo, out.MuStar[i].Hi = percentiles(bm[i], level)
		out.Mu[i].Lo, out.Mu[i].Hi = percentiles(bu[i], level)
		out.Sigma[i].Lo, out.Sigma[i].Hi = percentiles(bs[i], level)
	}
	return out, nil
}
