package agents

import (
	"math"

	"github.com/copsim/copsim/rng"
)

// turbulence is submodel 7.1 (March 1991, p4): each dimension of reality
// flips with probability model.turbulence per tick.
func (wd *World) turbulence() {
	r := rng.Derive(wd.eng.Seed(), wd.eng.Rep(), math.MaxUint64, uint64(wd.eng.Tick()), purposeWorld)
	for d := 0; d < wd.m; d++ {
		if r.Float64() < wd.mp.Turbulence {
			wd.reality[d/64] ^= 1 << (d % 64)
		}
	}
}
