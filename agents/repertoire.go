package agents

import (
	"math"

	"github.com/copsim/copsim/rng"
	"github.com/copsim/copsim/scenarios"
)

// learnCode is phase 5 for community c: March's code learning from
// the superior group among this tick's participants, votes weighted by
// legitimacy; then a mandated agenda, if any, overwrites parts of it.
func (wd *World) learnCode(_, c int) {
	cm := &wd.comms[c]
	r := rng.Derive(wd.eng.Seed(), wd.eng.Rep(), uint64(wd.n+c), uint64(wd.eng.Tick()), purposeCode)
	cm.codeScore = Score(cm.codeKnown, cm.codeValue, wd.reality, cm.domain)
	cm.votes.Reset()
	superior := 0
	for idx, p := range cm.partPerson {
		i := int(p)
		j := i*maxMem + int(cm.partSlot[idx])
		if int(wd.perf[j]) <= cm.codeScore || !wd.shares(i) {
			continue
		}
		weight := 1.0
		if wd.mp.LPP {
			weight = wd.legit[j]
		}
		cm.votes.Add(wd.act[i*wd.w:(i+1)*wd.w], cm.domain, weight)
		superior++
	}
	if superior > 0 {
		LearnCode(cm.codeKnown, cm.codeValue, cm.domain, cm.votes, wd.mp.CodeLearning, &r)
	}
	if om := cm.eff[scenarios.LeverOverManagement]; om > 0 {
		rate := wd.mp.Management.AgendaRate * om
		for d := cm.domainFrom; d < cm.domainTo; d++ {
			if r.Float64() < rate {
				wi, b := d/64, uint64(1)<<(d%64)
				cm.codeKnown[wi] |= b
				cm.codeValue[wi] = cm.codeValue[wi]&^b | wd.mgmtValue[wi]&b
			}
		}
	}
	cm.codeScore = Score(cm.codeKnown, cm.codeValue, wd.reality, cm.domain)
}

// learnView is phase "management view": management learns its view of the
// practice from what reporting communities tell it. Each tick, on each
// dimension of the domain of a community under over-management (reporting
// duties) where the community's repertoire holds a belief that differs
// from management's view, the view adopts it with probability
// view_learning x e_over. Communities report in order, serially, so that a
// later one can undo what an earlier one taught.
func (wd *World) learnView() {
	rate := wd.mp.Management.ViewLearning
	var r rng.Stream
	drawn := false
	for c := range wd.comms {
		cm := &wd.comms[c]
		om := cm.eff[scenarios.LeverOverManagement]
		if om <= 0 {
			continue
		}
		if !drawn {
			r = rng.Derive(wd.eng.Seed(), wd.eng.Rep(), math.MaxUint64, uint64(wd.eng.Tick()), purposeView)
			drawn = true
		}
		for w, dm := range cm.domain {
			diff := dm & cm.codeKnown[w] & (^wd.mgmtKnown[w] | (cm.codeValue[w] ^ wd.mgmtValue[w]))
			for x := diff; x != 0; x &= x - 1 {
				if r.Float64() < rate*om {
					b := x & -x
					wd.mgmtKnown[w] |= b
					wd.mgmtValue[w] = wd.mgmtValue[w]&^b | cm.codeValue[w]&b
				}
			}
		}
	}
}
