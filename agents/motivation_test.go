package agents

import (
	"math"
	"testing"

	"github.com/copsim/copsim/scenarios"
)

// updateMotivation moves identity per membership (up when taking part,
// then decaying) and motivation per person with the largest effects over
// the person's communities; recognition only when the person took part.
func TestUpdateMotivation(t *testing.T) {
	const relax, lgain, crowd, autonomy, recog, idGain, idDecay = 0.02, 0.01, 0.05, 0.04, 0.1, 0.2, 0.1
	tests := []struct {
		name    string
		part0   bool // takes part in community 0 (recognition 0.5)
		learned int32
	}{
		{"took part", true, 2},
		{"absent: no recognition", false, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wd := tinyWorld(t, 2, 2, "model.motivation=true")
			mo := &wd.mp.Motivate
			mo.Relax, mo.LearningGain, mo.CrowdingOut, mo.AutonomyLoss, mo.Recognition = relax, lgain, crowd, autonomy, recog
			mo.IdentityGain, mo.IdentityDecay = idGain, idDecay
			wd.comms[0].eff = effects{scenarios.LeverRecognition: 0.5, scenarios.LeverIndividualReward: 0.2, scenarios.LeverOverManagement: 0.1}
			wd.comms[1].eff = effects{scenarios.LeverIndividualReward: 0.4, scenarios.LeverOverManagement: 0.3}
			member(wd, 0, 0, 0, 0.5, tt.part0)
			member(wd, 0, 2, 1, 0.5, false)
			wd.ident[0], wd.ident[2] = 0.4, 0.6
			wd.motiv[0], wd.motivBase[0], wd.learned[0] = 0.5, 0.3, tt.learned
			m1 := wd.motiv[1]

			wd.updateMotivation(0, 0, 1)

			id0 := 0.4
			if tt.part0 {
				id0 += idGain * (1 - id0)
			}
			id0 -= idDecay * id0
			id2 := 0.6 - idDecay*0.6
			R := 0.0
			if tt.part0 {
				R = recog * 0.5
			}
			m := 0.5 + relax*(0.3-0.5) + lgain*float64(tt.learned)*(1-0.5) + R*(1-0.5) - crowd*0.4*0.5 - autonomy*0.3*0.5
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
