package agents

import (
	"sync/atomic"

	"github.com/copsim/copsim/scenarios"
)

// updateLegitimacy is submodel 7.9: each membership's legitimacy moves
// toward full participation when its holder takes part and is recognised
// (agreement with the repertoire and competence in the domain), as far as
// the community gives access, and decays otherwise. Careers are recorded
// as they pass the role thresholds.
func (wd *World) updateLegitimacy(_, lo, hi int) {
	lg := &wd.mp.Legitimacy
	for i := lo; i < hi; i++ {
		kn, v := wd.beliefs(i)
		for s := 0; s < maxMem; s++ {
			j := i*maxMem + s
			c := int(wd.memC[j])
			if c < 0 {
				continue
			}
			cm := &wd.comms[c]
			access := 1.0
			if wd.role(wd.legit[j]) < Core {
				access = wd.access(cm)
			}
			rec := 0.0
			if wd.part[j] {
				agree := Agreement(kn, v, cm.codeKnown, cm.codeValue, cm.domain)
				comp := Knowledge(kn, v, wd.reality, cm.domain)
				rec = Recognition(agree, comp, lg.CompetenceWeight)
			}
			wd.legit[j] = Legitimacy(wd.legit[j], wd.part[j], lg.Gain, lg.Decay, access, rec, lg.Momentum)
			wd.advanceCareer(j)
		}
	}
}

// access is how open community cm's practice is to a member not yet at its
// core (submodel 7.9): the base access, less closure as the core grows
// (and more for a strategic community), plus what a support team opens.
func (wd *World) access(cm *community) float64 {
	lg := &wd.mp.Legitimacy
	closure := lg.Closure * cm.coreShare
	if cm.relationship == scenarios.Strategic {
		closure += lg.StrategicClosure
	}
	return clamp01(lg.Access - closure + wd.mp.Management.SupportAccess*cm.eff[scenarios.LeverSupport])
}

// advanceCareer records the tick at which membership j first reaches the
// active and the core role, and, for newcomers, how long it took.
func (wd *World) advanceCareer(j int) {
	role, now := wd.role(wd.legit[j]), int32(wd.eng.Tick())
	if role >= Active && wd.toActive[j] < 0 {
		wd.toActive[j] = now
		if wd.joined[j] >= 0 {
			wd.reachedAfter(wd.toActiveHist, now-wd.joined[j])
			wd.reachedActiveIn(int(wd.memC[j]), now-wd.joined[j])
		}
	}
	if role == Core && wd.toCore[j] < 0 {
		wd.toCore[j] = now
		if wd.joined[j] >= 0 {
			wd.reachedAfter(wd.toCoreHist, now-wd.joined[j])
		}
	}
}

// reachedAfter counts a newcomer's career step d ticks after joining. The
// histogram is shared by all chunks; integer atomic adds commute, so the
// counts do not depend on the order in which chunks run, and nothing is
// allocated.
func (wd *World) reachedAfter(hist []int64, d int32) {
	atomic.AddInt64(&hist[min(int(d), len(hist)-1)], 1)
}
