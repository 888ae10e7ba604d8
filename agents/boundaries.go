package agents

import (
	"sort"

	"github.com/copsim/copsim/scenarios"
)

// crossBoundaries is phase 7: brokers (members taking part in several
// communities, and boundary spanners) and anyone at a cross-community
// event meet a participant of a community they are not taking part in,
// and learn from them.
func (wd *World) crossBoundaries(_, lo, hi int) {
	mp := wd.mp
	C := len(wd.comms)
	for i := lo; i < hi; i++ {
		parts, main := 0, -1
		var e effects
		for s := 0; s < maxMem; s++ {
			j := i*maxMem + s
			if !wd.part[j] {
				continue
			}
			parts++
			if main < 0 || wd.legit[j] > wd.legit[i*maxMem+main] {
				main = s
			}
			ce := &wd.comms[wd.memC[j]].eff
			e[scenarios.LeverBoundary] = max(e[scenarios.LeverBoundary], ce[scenarios.LeverBoundary])
			e[scenarios.LeverSupport] = max(e[scenarios.LeverSupport], ce[scenarios.LeverSupport])
		}
		if parts == 0 {
			continue
		}
		pb := mp.Management.BoundaryEvents*e[scenarios.LeverBoundary] + mp.Management.SupportBoundary*e[scenarios.LeverSupport]
		if parts > 1 || wd.spanU[i] < mp.Management.BoundarySpanners*e[scenarios.LeverBoundary] {
			pb += mp.Encounter.Boundary
		}
		if pb <= 0 {
			continue
		}
		r := wd.eng.Stream(i, purposeBoundary)
		if !r.Bernoulli(pb) {
			continue
		}
		// A community i is not taking part in, uniformly.
		c2 := -1
		for tries := 0; tries < 4 && c2 < 0; tries++ {
			c := r.Intn(C)
			if s := wd.slotOf(i, c); (s < 0 || !wd.part[i*maxMem+s]) && len(wd.comms[c].partPerson) > 0 {
				c2 = c
			}
		}
		if c2 < 0 {
			continue
		}
		cm := &wd.comms[c2]
		k := sort.SearchFloat64s(cm.visCum, r.Float64()*cm.visCum[len(cm.visCum)-1])
		k = min(k, len(cm.partPerson)-1)
		pj, ps := int(cm.partPerson[k]), int(cm.partSlot[k])
		if pj == i {
			continue
		}
		mine := 0.0
		if s := wd.slotOf(i, c2); s >= 0 {
			mine = wd.legit[i*maxMem+s]
		}
		lk := &wd.look[pj]
		p := wd.learnRate(mine, lk.legit[ps], wd.perf[i*maxMem+main], int32(lk.perf[ps]))
		kn, v := wd.beliefs(i)
		changed, gained := Adopt(kn, v, wd.snapKnown[pj*wd.w:(pj+1)*wd.w], wd.snapValue[pj*wd.w:(pj+1)*wd.w], cm.domain, wd.reality, p, &r)
		wd.imported[i] += int32(changed)
		wd.importedRight[i] += int32(gained)
		wd.lastBoundary[i] = int32(wd.eng.Tick())
		wd.learned[i] += int32(gained)
		wd.record(i, pj, c2, true)
	}
}
