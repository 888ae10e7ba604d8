package agents

import (
	"github.com/copsim/copsim/rng"
	"github.com/copsim/copsim/scenarios"
)

// clearNewcomers and countNewcomers frame the turnover phase: newcomers are
// counted per worker slot, then summed (integers, so the order in which
// slots counted does not matter). Before anyone leaves, the memberships
// under which this tick's encounters happened are kept for the E-I index.
func (wd *World) clearNewcomers() {
	wd.keepMemberships()
	clear(wd.newcomers)
	for s := range wd.acc {
		clear(wd.acc[s].newcomers)
	}
}

func (wd *World) countNewcomers() {
	for s := range wd.acc {
		for c, k := range wd.acc[s].newcomers {
			wd.newcomers[c] += k
			wd.meas.begun[c] += int64(k)
		}
	}
}

// turnover is phase 10 (March p3): each person leaves with
// probability p3 and is replaced by a newcomer who arrives as an outsider.
// Those who stay may join one more community under boundary activity
// (multi-membership).
func (wd *World) turnover(slot, lo, hi int) {
	a := &wd.acc[slot]
	join := wd.mp.Management.BoundaryJoin
	for i := lo; i < hi; i++ {
		r := wd.eng.Stream(i, purposeTurnover)
		if !r.Bernoulli(wd.mp.Turnover) || wd.exempt(i) {
			if join > 0 {
				wd.joinAnother(i, join, &r)
			}
			continue
		}
		rn := wd.eng.Stream(i, purposeNewcomer)
		wd.newPerson(i, &rn, false)
		a.arrivals++
		for s := 0; s < maxMem; s++ {
			if c := wd.memC[i*maxMem+s]; c >= 0 {
				a.newcomers[c]++
				a.newMemberships++
			}
		}
	}
}

// joinAnother lets person i join, with probability rate times the boundary
// activity they are exposed to, one more community they do not yet belong
// to, entering it as a newcomer to that community does (submodel 7.15).
func (wd *World) joinAnother(i int, rate float64, r *rng.Stream) {
	exposure, free := 0.0, -1
	for s := 0; s < maxMem; s++ {
		c := wd.memC[i*maxMem+s]
		if c < 0 {
			if free < 0 {
				free = s
			}
			continue
		}
		exposure = max(exposure, wd.comms[c].eff[scenarios.LeverBoundary])
	}
	if exposure == 0 || free < 0 || !r.Bernoulli(rate*exposure) {
		return
	}
	c := r.Intn(len(wd.comms))
	if wd.slotOf(i, c) >= 0 {
		return
	}
	// Legitimacy starts where any newcomer's does (join): at the edge, at
	// the periphery under a support team, or full without LPP.
	wd.join(i, free, c, r, false)
	wd.joined[i*maxMem+free] = -1 // not a newcomer to the organization
}
