package stats

import "math/rand/v2"

// LatinHypercube returns a Latin hypercube sample of n points in
// [0,1)^dims (McKay, Beckman & Conover 1979): on every dimension each of
// the n strata [k/n, (k+1)/n) holds exactly one point, so that n runs
// cover the whole range of every parameter however many parameters vary.
// The same (n, dims, seed) give the same sample on every machine; sweeps
// and a comparison's robustness check both draw their designs from it.
func LatinHypercube(n, dims int, seed uint64) [][]float64 {
	r := rand.New(rand.NewPCG(Mix(seed, 0x4c4853), Mix(seed, 0x6c6873)))
	pts := make([][]float64, n)
	for i := range pts {
		pts[i] = make([]float64, dims)
	}
	for d := 0; d < dims; d++ {
		perm := r.Perm(n)
		for i := range pts {
			pts[i][d] = (float64(perm[i]) + r.Float64()) / float64(n)
		}
	}
	return pts
}

// splitmix64 is one step of SplitMix64, a good mixer of neighbouring
// integers into independent-looking ones.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Mix combines values into one well-mixed 64-bit number: the seeds of a
// Latin hypercube here and of a sweep's runs (sweep), one mixer for both
// so that sweeps' designs and seeds stay what they were when the sampler
// lived in sweep.
func Mix(vals ...uint64) uint64 {
	h := uint64(0x636f7073696d) // "copsim"
	for _, v := range vals {
		h = splitmix64(h ^ splitmix64(v))
	}
	return h
}
