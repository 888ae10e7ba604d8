package agents

import (
	"math"
	"slices"
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
	mustSet(t, wd, []scenarios.Intervention{
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
			{scenarios.LeverOverManagement: 0.9, scenarios.LeverRecognition: 0.2, scenarios.LeverPenalty: 0.7, scenarios.LeverBoundary: 0.8},
			{scenarios.LeverOverManagement: 0.9 * b, scenarios.LeverIndividualReward: 0.6 * b, scenarios.LeverRecognition: 0.2 * b, scenarios.LeverBoundary: 0.8 * b},
			{scenarios.LeverOverManagement: 1, scenarios.LeverRecognition: 0.2, scenarios.LeverBoundary: 0.8, scenarios.LeverLegitimize: 0.9},
		}},
		{3, []effects{
			{scenarios.LeverOverManagement: 0.4, scenarios.LeverRecognition: 0.2, scenarios.LeverPenalty: 0.7, scenarios.LeverBoundary: 0.8, scenarios.LeverSupport: 0.5},
			{scenarios.LeverOverManagement: 0.4 * b, scenarios.LeverIndividualReward: 0.6 * b, scenarios.LeverRecognition: 0.2 * b, scenarios.LeverBoundary: 0.8 * b, scenarios.LeverSupport: 0.5 * b},
			{scenarios.LeverOverManagement: 0.4, scenarios.LeverRecognition: 0.2, scenarios.LeverBoundary: 0.8, scenarios.LeverLegitimize: 0.9, scenarios.LeverSupport: 0.5},
		}},
	}
	for _, tt := range tests {
		advance(t, wd, tt.tick-wd.Tick())
		wd.applyInterventions()
		for c, want := range tt.want {
			got := wd.comms[c].eff
			for k := range got {
				if math.Abs(got[k]-want[k]) > 1e-12 {
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
		mustSet(t, wd, []scenarios.Intervention{{Kind: scenarios.Seeding, Strength: 1, Start: start, Communities: []string{wd.comms[1].name}}})
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

// mustSet is SetInterventions for schedules that tests know to be valid.
func mustSet(tb testing.TB, wd *World, ivs []scenarios.Intervention) {
	tb.Helper()
	if err := wd.SetInterventions(ivs); err != nil {
		tb.Fatal(err)
	}
}

// Every one-off kind of the registry has an action in the model, and
// every action belongs to a one-off kind.
func TestEveryOneOffKindHasAnAction(t *testing.T) {
	n := 0
	for _, k := range scenarios.Kinds() {
		if _, ok := oneOffs[k.Name]; ok != k.OneOff {
			t.Errorf("kind %s: one-off %v, action in the model %v", k.Name, k.OneOff, ok)
		}
		if k.OneOff {
			n++
		}
	}
	if n != len(oneOffs) {
		t.Errorf("%d one-off kinds, %d actions", n, len(oneOffs))
	}
}

// A kind the model has never seen, added to the registry as one entry
// that moves an existing lever, acts through that lever with no model
// code: a "mentoring" kind moving the support lever does exactly what a
// support team of the same strength does.
func TestNewKindNeedsNoModelCode(t *testing.T) {
	mentoring := &scenarios.Kind{Name: "mentoring", Label: "Mentoring",
		Caption: "Core members are asked to coach newcomers.",
		Lever:   func(*scenarios.Intervention) (scenarios.Lever, bool) { return scenarios.LeverSupport, true }}
	withMentoring := func(name string) (*scenarios.Kind, bool) {
		if name == mentoring.Name {
			return mentoring, true
		}
		return scenarios.KindNamed(name)
	}
	run := func(kind string) []float64 {
		sc := smallScenario(t, "population.people=300", "model.turnover=0.05")
		wd := mustWorld(t, &sc, 0, 1)
		defer wd.Close()
		sc.Interventions = []scenarios.Intervention{{Kind: kind, Strength: 0.7, Start: 2}}
		ivs, err := resolveInterventions(&sc, withMentoring)
		if err != nil {
			t.Fatal(err)
		}
		wd.ivs = ivs
		for wd.Tick() < 30 {
			wd.Step()
		}
		return slices.Clone(wd.legit)
	}
	if a, b := run("mentoring"), run(scenarios.SupportTeam); !slices.Equal(a, b) {
		t.Error("mentoring on the support lever differs from a support team")
	}
	if _, err := resolveInterventions(&scenarios.Scenario{Interventions: []scenarios.Intervention{{Kind: "mentoring"}}}, scenarios.KindNamed); err == nil {
		t.Error("an unregistered kind was resolved")
	}
}
