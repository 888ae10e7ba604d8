package agents

import "github.com/copsim/copsim/scenarios"

// updateMotivation is submodels 7.11 and 7.12: identity with each
// community grows with voluntary participation, as far as it was
// self-determined, and fades without;
// intrinsic motivation relaxes toward its base, rises with what one
// learned this tick and with peers' recognition of one's participation,
// and falls with crowding-out by individual rewards and by reviews that
// count community work, and with the autonomy lost to over-management.
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
			for _, l := range [...]scenarios.Lever{scenarios.LeverOverManagement, scenarios.LeverIndividualReward,
				scenarios.LeverRecognition, scenarios.LeverFeedback} {
				e[l] = max(e[l], ce[l])
			}
			wd.ident[j] = Identity(wd.ident[j], float64(wd.own[j]), mo.IdentityGain, mo.IdentityDecay)
		}
		recog := 0.0
		if took {
			recog = mo.Recognition * e[scenarios.LeverFeedback]
		}
		crowd := mo.CrowdingOut*e[scenarios.LeverIndividualReward] + mo.ReviewCrowdingOut*e[scenarios.LeverRecognition]
		wd.motiv[i] = Motivation(wd.motiv[i], wd.motivBase[i], mo.Relax, mo.LearningGain, int(wd.learned[i]),
			recog, crowd, mo.AutonomyLoss*e[scenarios.LeverOverManagement])
	}
}
