package agents

import "github.com/copsim/copsim/scenarios"

// learn is phases 4 and 6: socialization into each community's
// repertoire (March p1, or the person's own rate from
// model.socialization_mix, scaled by legitimacy) and learning from one's
// own practice (exploration, cut by management scrutiny).
func (wd *World) learn(_, lo, hi int) {
	mp := wd.mp
	for i := lo; i < hi; i++ {
		p1 := mp.Socialization
		if wd.rate != nil {
			p1 = wd.rate[i]
		}
		r := wd.eng.Stream(i, purposeLearn)
		kn, v := wd.beliefs(i)
		before, _ := Tally(kn, v, wd.reality, wd.all)
		scrutiny := 0.0
		for s := 0; s < maxMem; s++ {
			j := i*maxMem + s
			c := int(wd.memC[j])
			if c < 0 {
				continue
			}
			cm := &wd.comms[c]
			scrutiny = max(scrutiny, cm.eff[scenarios.LeverOverManagement])
			if !wd.part[j] {
				continue
			}
			p := p1
			if mp.LPP {
				p *= wd.legit[j]
			}
			Socialize(kn, v, cm.codeKnown, cm.codeValue, cm.domain, p, &r)
		}
		after, _ := Tally(kn, v, wd.reality, wd.all)
		if after > before {
			wd.learned[i] += int32(after - before)
		}
		pe := mp.Learning.Exploration * (1 - mp.Management.ScrutinyExplore*scrutiny)
		if pe > 0 && r.Float64() < pe {
			Explore(kn, v, wd.reality, r.Intn(wd.m), mp.Learning.ExploreError, &r)
		}
	}
}
