package agents

import "github.com/copsim/copsim/scenarios"

// crossBoundaries is phase 7: brokers (members taking part in several
// communities, and boundary spanners) and anyone at a cross-community
// event meet a participant of a community they are not taking part in,
// and learn from them.
func (wd *World) crossBoundaries(_, lo, hi int) {
	mp := wd.mp
	C := len(wd.comms)
	for i := lo; i < hi; i++ {
		if !wd.takesPart(i) {
			continue
		}
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
		pb := mp.Encounter.Outside + mp.Management.BoundaryEvents*e[scenarios.LeverBoundary] + mp.Management.SupportBoundary*e[scenarios.LeverSupport]
		if parts > 1 || wd.spanU[i] < mp.Management.BoundarySpanners*e[scenarios.LeverBoundary] {
			pb += mp.Encounter.Boundary
		}
		// A closed community turns its members inward: they seek fewer
		// encounters outside it and discount what they hear there.
		closed := wd.comms[wd.memC[i*maxMem+main]].closedness
		pb *= 1 - closed
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
		// The partner is drawn as inside a community (7.4): by ties and
		// visibility, so that relations across a boundary, once made, are
		// sought again (networks of practice).
		var ts tieSet
		wd.tiesToward(i, c2, &ts)
		pj, ps := wd.pickPartner(i, c2, &ts, &r)
		if pj < 0 {
			continue
		}
		mine := 0.0
		if s := wd.slotOf(i, c2); s >= 0 {
			mine = wd.legit[i*maxMem+s]
		}
		lk := &wd.look[pj]
		p := wd.learnRate(mine, lk.legit[ps], int32(wd.perf[i*maxMem+main]), int32(lk.perf[ps])) * (1 - closed)
		if !wd.shares(pj) {
			p = 0 // a student who keeps what they know; the draws are made all the same
		}
		kn, v := wd.beliefs(i)
		sk, sv := wd.snapOf(pj)
		changed, gained := Adopt(kn, v, sk, sv, wd.comms[c2].domain, wd.reality, p, &r)
		wd.imported[i] += int32(changed)
		wd.importedRight[i] += int32(gained)
		wd.lastBoundary[i] = int32(wd.eng.Tick())
		wd.learned[i] += int32(gained)
		wd.strengthenTie(i, pj)
		wd.record(i, pj, c2, true)
	}
}
