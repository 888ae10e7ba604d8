package agents

import (
	"math"
	"sort"
)

// seedCommunity starts community c around recognised experts: the people
// who know most of its domain join at the core, and the repertoire begins
// as their majority view (Wenger, McDermott & Snyder 2002, "potential").
func (wd *World) seedCommunity(c int, strength float64) {
	k := int(math.Round(float64(wd.mp.Management.SeedExperts) * strength))
	if k <= 0 {
		return
	}
	cm := &wd.comms[c]
	type cand struct {
		i    int
		know float64
	}
	cands := make([]cand, wd.n)
	for i := range cands {
		cands[i] = cand{i, Knowledge(wd.known[i*wd.w:(i+1)*wd.w], wd.value[i*wd.w:(i+1)*wd.w], wd.reality, cm.domain)}
	}
	sort.SliceStable(cands, func(a, b int) bool { return cands[a].know > cands[b].know })
	k = min(k, len(cands))
	plus, minus := make([]int, wd.m), make([]int, wd.m)
	for _, x := range cands[:k] {
		i := x.i
		s := wd.slotOf(i, c)
		if s < 0 {
			s = wd.weakestSlot(i)
			r := wd.eng.Stream(i, purposeInit)
			wd.join(i, s, c, &r, false)
		}
		j := i*maxMem + s
		wd.legit[j], wd.ident[j] = 1, 1
		// Experts are placed, not newcomers: keep them out of newcomers' careers.
		wd.joined[j], wd.toActive[j], wd.toCore[j] = -1, int32(wd.eng.Tick()), int32(wd.eng.Tick())
		for d := cm.domainFrom; d < cm.domainTo; d++ {
			wi, b := d/64, uint64(1)<<(d%64)
			if wd.known[i*wd.w+wi]&b != 0 {
				if wd.value[i*wd.w+wi]&b != 0 {
					plus[d]++
				} else {
					minus[d]++
				}
			}
		}
	}
	for d := cm.domainFrom; d < cm.domainTo; d++ {
		wi, b := d/64, uint64(1)<<(d%64)
		switch {
		case plus[d] > minus[d]:
			cm.codeKnown[wi] |= b
			cm.codeValue[wi] |= b
		case minus[d] > plus[d]:
			cm.codeKnown[wi] |= b
			cm.codeValue[wi] &^= b
		}
	}
}
