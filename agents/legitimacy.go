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
		if wd.closed && i+1 < hi {
			wd.prefetchTiesOf(i + 1) // for sponsor
		}
		kn, v := wd.beliefs(i)
		for s := 0; s < maxMem; s++ {
			j := i*maxMem + s
			c := int(wd.memC[j])
			if c < 0 {
				continue
			}
			cm := &wd.comms[c]
			// Access and recognition weigh only in a participant's gain;
			// an absent member's legitimacy decays whatever they are.
			access, rec := 1.0, 0.0
			if wd.part[j] {
				if wd.role(wd.legit[j]) < Core {
					sponsor := 0.0
					if cm.closedness > 0 { // reading ties costs a memory access per tie
						sponsor = wd.sponsor(i, c)
					}
					access = wd.access(cm, sponsor)
				}
				agree := Agreement(kn, v, cm.codeKnown, cm.codeValue, cm.domain)
				comp := Knowledge(kn, v, wd.reality, cm.domain)
				rec = Recognition(agree, comp, lg.CompetenceWeight)
			}
			wd.legit[j] = Legitimacy(wd.legit[j], wd.part[j], lg.Gain, lg.Decay, access, rec, lg.Momentum)
			wd.advanceCareer(j)
		}
	}
}

// closedness is how far community cm's core has closed it off (submodel
// 7.9): closure (more for a strategic community) times the core's share
// of this tick's participants. A community without a core is not closed, whatever
// its relationship to the organization: closure is something a core does.
func (wd *World) closedness(cm *community) float64 {
	lg := &wd.mp.Legitimacy
	closure := lg.Closure
	if cm.relationship == scenarios.Strategic {
		closure += lg.StrategicClosure
	}
	return clamp01(closure * cm.coreVoice)
}

// access is how open community cm's practice is to a member not yet at its
// core (submodel 7.9): the base access, less the community's closedness
// for a member the core does not know (sponsor is the member's strongest
// tie to someone at the core, in [0, 1]: a closed core recruits its own),
// plus what a support team opens.
func (wd *World) access(cm *community, sponsor float64) float64 {
	lg := &wd.mp.Legitimacy
	return clamp01(lg.Access - cm.closedness*(1-sponsor) + wd.mp.Management.SupportAccess*cm.eff[scenarios.LeverSupport])
}

// sponsor is person i's strongest live tie to a core member of community
// c, as they stood at engagement this tick (World.look): how well the core
// knows i.
func (wd *World) sponsor(i, c int) float64 {
	best := 0.0
	core := wd.mp.Roles.Core
	for t := i * maxTies; t < (i+1)*maxTies; t++ {
		to := wd.tieTo[t]
		if to < 0 || float64(wd.tieW[t]) <= best {
			continue
		}
		lk := &wd.look[to]
		if wd.tieGen[t] != lk.arrived {
			continue
		}
		if s := lk.slotOf(c); s >= 0 && lk.legit[s] >= core {
			best = float64(wd.tieW[t])
		}
	}
	return best
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
