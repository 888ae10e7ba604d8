package agents

import "math"

// classifyStage derives a community's development stage (Wenger,
// McDermott & Snyder 2002) from its size, cohesion, repertoire and the
// trend of its participation; thresholds are in model.stage.
func (wd *World) classifyStage(cm *community, tick, members int, cohesion, repertoire float64) Stage {
	st := &wd.mp.Stage
	if members < st.MinMembers {
		return Dispersed
	}
	h := cm.partHistory
	if tick >= len(h) {
		peak, now := 0.0, cm.partSmooth
		for _, x := range h {
			peak = math.Max(peak, x)
		}
		if peak > 0 && now < (1-st.Decline)*peak {
			return Transformation
		}
	}
	switch {
	case repertoire >= st.Steward && cohesion >= st.Coalesced:
		return Stewardship
	case repertoire >= st.Mature && cohesion >= st.Coalesced:
		return Maturing
	case cohesion >= st.Coalesced || repertoire >= st.Mature:
		return Coalescing
	default:
		return Potential
	}
}

// orgStage names the most common stage among the communities (the most
// advanced on a tie) for the "all" row.
func (wd *World) orgStage() string {
	var counts [6]int
	for c := range wd.comms {
		counts[wd.comms[c].stage]++
	}
	best := 0
	for s := range counts {
		if counts[s] >= counts[best] {
			best = s
		}
	}
	return Stage(best).String()
}
