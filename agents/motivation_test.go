package agents

import (
	"math"
	"testing"

	"github.com/copsim/copsim/scenarios"
)

// updateMotivation moves identity per membership (up as far as taking
// part was self-determined, then decaying) and motivation per person with
// the largest effects over the person's communities; peer recognition only
// when the person took part.
func TestUpdateMotivation(t *testing.T) {
	const relax, lgain, crowd, review, autonomy, recog, idGain, idDecay = 0.02, 0.01, 0.05, 0.07, 0.04, 0.1, 0.2, 0.1
	tests := []struct {
		name    string
		part0   bool    // takes part in community 0 (peer recognition 0.5)
		mand0   bool    // only as mandated
		own0    float32 // the autonomous share of that participation
		learned int32
	}{
		{"took part by choice", true, false, 1, 2},
		{"took part half for the reward", true, false, 0.5, 2},
		{"took part as mandated", true, true, 0, 2},
		{"absent: no recognition", false, false, 0, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wd := tinyWorld(t, 2, 2, "model.motivation=true")
			mo := &wd.mp.Motivate
			mo.Relax, mo.LearningGain, mo.CrowdingOut, mo.AutonomyLoss, mo.Recognition = relax, lgain, crowd, autonomy, recog
			mo.ReviewCrowdingOut = review
			mo.IdentityGain, mo.IdentityDecay = idGain, idDecay
			wd.comms[0].eff = effects{scenarios.LeverFeedback: 0.5, scenarios.LeverRecognition: 0.3,
				scenarios.LeverIndividualReward: 0.2, scenarios.LeverOverManagement: 0.1}
			wd.comms[1].eff = effects{scenarios.LeverIndividualReward: 0.4, scenarios.LeverOverManagement: 0.3}
			member(wd, 0, 0, 0, 0.5, tt.part0)
			member(wd, 0, 2, 1, 0.5, false)
			wd.mand[0], wd.own[0] = tt.mand0, tt.own0
			wd.ident[0], wd.ident[2] = 0.4, 0.6
			wd.motiv[0], wd.motivBase[0], wd.learned[0] = 0.5, 0.3, tt.learned
			m1 := wd.motiv[1]

			wd.updateMotivation(0, 0, 1)

			id0 := 0.4
			id0 += idGain * float64(tt.own0) * (1 - id0)
			id0 -= idDecay * id0
			id2 := 0.6 - idDecay*0.6
			R := 0.0
			if tt.part0 {
				R = recog * 0.5
			}
			m := 0.5 + relax*(0.3-0.5) + lgain*float64(tt.learned)*(1-0.5) + R*(1-0.5) -
				(crowd*0.4+review*0.3)*0.5 - autonomy*0.3*0.5
			if math.Abs(wd.ident[0]-id0) > 1e-12 || math.Abs(wd.ident[2]-id2) > 1e-12 {
				t.Errorf("identity %g, %g; want %g, %g", wd.ident[0], wd.ident[2], id0, id2)
			}
			if math.Abs(wd.motiv[0]-m) > 1e-12 {
				t.Errorf("motivation %g, want %g", wd.motiv[0], m)
			}
			if wd.motiv[1] != m1 {
				t.Error("person 1, outside the chunk, changed")
			}
		})
	}
}
