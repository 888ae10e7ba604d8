package agents

import (
	"slices"
	"testing"
)

// A mechanism switched off is a phase left out of World.Phases.
func TestPhasesLeaveOutSwitchedOff(t *testing.T) {
	all := []string{"turbulence", "interventions", "engagement", "encounters", "socialization and practice", "repertoire",
		"management view", "boundary encounters", "legitimacy", "participation record", "motivation and identity", "tie decay", "turnover", "equilibrium"}
	tests := []struct {
		name string
		sets []string
		out  []string
	}{
		{"everything on", []string{"model.stop_at_equilibrium=false"}, []string{"equilibrium"}},
		{"no turbulence", []string{"model.turbulence=0"}, []string{"turbulence", "equilibrium"}},
		{"no network", []string{"model.network=false"}, []string{"encounters", "tie decay", "equilibrium"}},
		{"no boundaries", []string{"model.boundaries=false"}, []string{"boundary encounters", "equilibrium"}},
		{"one community", []string{"population.communities=1"}, []string{"boundary encounters", "equilibrium"}},
		{"no lpp", []string{"model.lpp=false"}, []string{"legitimacy", "equilibrium"}},
		{"no motivation", []string{"model.motivation=false"}, []string{"motivation and identity", "equilibrium"}},
		{"management never learns", []string{"model.management.view_learning=0"}, []string{"management view", "equilibrium"}},
		{"equilibrium needs no turnover", []string{"model.stop_at_equilibrium=true", "model.turbulence=0"}, []string{"turbulence", "equilibrium"}},
		{"equilibrium needs no turbulence", []string{"model.stop_at_equilibrium=true", "model.turnover=0"}, []string{"equilibrium"}},
		{"at equilibrium", []string{"model.stop_at_equilibrium=true", "model.turnover=0", "model.turbulence=0"}, []string{"turbulence"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := smallScenario(t, append([]string{"model.turbulence=0.01", "model.turnover=0.01", "model.network=true",
				"model.boundaries=true", "model.lpp=true", "model.motivation=true"}, tt.sets...)...)
			wd := mustWorld(t, &sc, 0, 1)
			defer wd.Close()
			var got, want []string
			for _, p := range wd.Phases() {
				got = append(got, p.Name)
				if (p.People == nil) == (p.Groups == nil) && p.Before == nil {
					t.Errorf("phase %q does nothing", p.Name)
				}
			}
			for _, p := range all {
				if !slices.Contains(tt.out, p) {
					want = append(want, p)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("phases %q,\nwant %q", got, want)
			}
		})
	}
}
