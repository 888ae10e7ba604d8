package agents

import "github.com/copsim/copsim/scenarios"

// updateMotivation is submodels 7.11 and 7.12: identity with each
// community grows with taking part and fades without; intrinsic
// motivation relaxes toward its base, rises with what one learned this
// tick and with recognition, and falls with crowding-out by individual
// rewards and with the autonomy lost to over-management.
func (wd *World) updateMotivation(_, lo, hi int) {
	mo := &wd.mp.Motivate
	for i := lo; i < hi; i++ {
		var e effects
		took := false
		for s := 0; s < maxMem; s++ {
			j := i*maxMem + s
			c := int(wd.memC[j])
			if c < 0 {
				continue
			}
			ce := &wd.comms[c].eff
			took = took || wd.part[j]
			e[scenarios.LeverOverManagement] = max(e[scenarios.LeverOverManagement], ce[scenarios.LeverOverManagement])
			e[scenarios.LeverIndividualReward] = max(e[scenarios.LeverIndividualReward], ce[scenarios.LeverIndividualReward])
			e[scenarios.LeverRecognition] = max(e[scenarios.LeverRecognition], ce[scenarios.LeverRecognition])
			wd.ident[j] = Identity(wd.ident[j], wd.part[j], mo.IdentityGain, mo.IdentityDecay)
		}
		recog := 0.0
		if took {
			recog = mo.Recognition * e[scenarios.LeverRecognition]
		}
		wd.motiv[i] = Motivation(wd.motiv[i], wd.motivBase[i], mo.Relax, mo.LearningGain, int(wd.learned[i]),
			recog, mo.CrowdingOut*e[scenarios.LeverIndividualReward], mo.AutonomyLoss*e[scenarios.LeverOverManagement])
	}
}
