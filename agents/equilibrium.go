package agents

// atEquilibrium is March's equilibrium: no one differs from a non-zero
// code dimension, and no one could beat the code even with lucky coin flips.
func (wd *World) atEquilibrium() bool {
	for i := 0; i < wd.n; i++ {
		kn, v := wd.beliefs(i)
		for s := 0; s < maxMem; s++ {
			j := i*maxMem + s
			c := int(wd.memC[j])
			if c < 0 {
				continue
			}
			cm := &wd.comms[c]
			for w := range cm.domain {
				if cm.codeKnown[w]&cm.domain[w]&(^kn[w]|(v[w]^cm.codeValue[w])) != 0 {
					return false
				}
			}
			right, wrong := Tally(kn, v, wd.reality, cm.domain)
			zeros := Count(cm.domain) - right - wrong
			if right-wrong+zeros > cm.codeScore {
				return false
			}
		}
	}
	return true
}

// checkEquilibrium is submodel 7.18, run after every tick of a scenario
// that may stop at March's equilibrium (no turnover, no turbulence: a
// scenario's changes may set them during the run).
func (wd *World) checkEquilibrium() {
	wd.equilibrium = wd.mp.Turnover == 0 && wd.mp.Turbulence == 0 && wd.atEquilibrium()
}
