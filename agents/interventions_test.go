package agents

import (
	"math"
	"testing"

	"github.com/copsim/copsim/scenarios"
)

// applyInterventions sets each community's effects for the tick: the
// strengths of the interventions of one kind in force on it, each scaled
// by its reach, added and capped at 1; effects of interventions no longer
// in force are gone.
func TestApplyInterventionsEffects(t *testing.T) {
	wd := tinyWorld(t, 4, 3)
	names := []string{wd.comms[0].name, wd.comms[1].name, wd.comms[2].name}
	wd.comms[1].reach = reachOf(scenarios.Bootlegged)
	om := scenarios.OverManagement
	wd.SetInterventions([]scenarios.Intervention{
		{Kind: om, Strength: 0.4, Start: 1},
		{Kind: om, Strength: 0.5, Start: 1, End: 2},
		{Kind: om, Strength: 0.3, Start: 1, End: 2, Communities: []string{names[2]}},
		{Kind: scenarios.Rewards, Reward: scenarios.IndividualContribution, Strength: 0.6, Start: 2, Communities: []string{names[1]}},
		{Kind: scenarios.Rewards, Reward: scenarios.ParticipationRecognition, Strength: 0.2, Start: 1},
		{Kind: scenarios.Rewards, Reward: scenarios.PenalizingCompensation, Strength: 0.7, Start: 1, Communities: []string{names[0]}},
		{Kind: scenarios.BoundaryActivity, Strength: 0.8, Start: 1},
		{Kind: scenarios.LegitimizeParticipation, Strength: 0.9, Start: 1, Communities: []string{names[2]}},
		{Kind: scenarios.SupportTeam, Strength: 0.5, Start: 3},
	})
	b := reachOf(scenarios.Bootlegged)
	tests := []struct {
		tick int
		want []effects
	}{
		{0, []effects{{}, {}, {}}},
		{2, []effects{
			{overManagement: 0.9, recognition: 0.2, penalty: 0.7, boundary: 0.8},
			{overManagement: 0.9 * b, individual: 0.6 * b, recognition: 0.2 * b, boundary: 0.8 * b},
			{overManagement: 1, recognition: 0.2, boundary: 0.8, legitimize: 0.9},
		}},
		{3, []effects{
			{overManagement: 0.4, recognition: 0.2, penalty: 0.7, boundary: 0.8, support: 0.5},
			{overManagement: 0.4 * b, individual: 0.6 * b, recognition: 0.2 * b, boundary: 0.8 * b, support: 0.5 * b},
			{overManagement: 0.4, recognition: 0.2, boundary: 0.8, legitimize: 0.9, support: 0.5},
		}},
	}
	for _, tt := range tests {
		advance(t, wd, tt.tick-wd.Tick())
		wd.applyInterventions()
		for c, want := range tt.want {
			got := wd.comms[c].eff
			g := []float64{got.overManagement, got.individual, got.recognition, got.penalty, got.boundary, got.legitimize, got.support}
			w := []float64{want.overManagement, want.individual, want.recognition, want.penalty, want.boundary, want.legitimize, want.support}
			for k := range g {
				if math.Abs(g[k]-w[k]) > 1e-12 {
					t.Errorf("tick %d, community %d: effects %+v, want %+v", tt.tick, c, got, want)
					break
				}
			}
		}
	}
}

// A seeding acts once, at tick max(start, 1) (tick 0 is the initial
// state), with its strength not scaled by reach.
func TestApplyInterventionsSeedsOnce(t *testing.T) {
	for _, start := range []int{0, 1, 3} {
		wd := tinyWorld(t, 10, 2, "model.management.seed_experts=2")
		wd.comms[1].reach = 0.1
		wd.SetInterventions([]scenarios.Intervention{{Kind: scenarios.Seeding, Strength: 1, Start: start, Communities: []string{wd.comms[1].name}}})
		at := max(start, 1)
		for tick := 0; tick <= 5; tick++ {
			advance(t, wd, tick-wd.Tick())
			wd.applyInterventions()
			placed := 0
			for j, c := range wd.memC {
				if c == 1 && wd.legit[j] == 1 {
					placed++
					wd.memC[j], wd.legit[j] = -1, 0 // undo, to see whether it seeds again
				}
			}
			if want := map[bool]int{true: 2, false: 0}[tick == at]; placed != want {
				t.Errorf("start %d, tick %d: %d experts placed, want %d", start, tick, placed, want)
			}
			if e := wd.comms[1].eff; e != (effects{}) {
				t.Errorf("start %d: seeding set effects %+v", start, e)
			}
		}
	}
}

// reachOf follows the relationship to the official organization.
func TestReachOf(t *testing.T) {
	for rel, want := range map[string]float64{
		scenarios.Unrecognized: 0.1, scenarios.Bootlegged: 0.4, scenarios.Legitimized: 1,
		scenarios.Strategic: 1, scenarios.Transformative: 0.7,
	} {
		if got := reachOf(rel); got != want {
			t.Errorf("%s: %g, want %g", rel, got, want)
		}
	}
}
