package agents

import (
	"fmt"
	"testing"

	"github.com/copsim/copsim/scenarios"
)

// A scenario's changes act exactly as the classroom page's slider moves
// do: a world stepped with the changes in its scenario measures the same,
// tick by tick, as one whose parameters are set by hand between ticks
// (SetParameters). And they act from their week, not before.
func TestChangesActAsSetParameters(t *testing.T) {
	for _, tc := range []struct {
		name    string
		sets    []string
		changes []scenarios.Change
	}{
		{"turnover and socialization", nil, []scenarios.Change{
			{Week: 4, Key: "model.turnover", Value: 0.2},
			{Week: 4, Key: "model.socialization", Value: 0.9},
			{Week: 9, Key: "model.turnover", Value: 0},
		}},
		{"turbulence from none", []string{"model.turbulence=0"}, []scenarios.Change{
			{Week: 3, Key: "model.turbulence", Value: 0.2},
		}},
		{"newcomers' draws", []string{"model.turnover=0.1"}, []scenarios.Change{
			{Week: 2, Key: "population.multi_membership", Value: 1},
			{Week: 2, Key: "model.engagement.project_load", Value: 0.9},
			{Week: 6, Key: "model.code_learning", Value: 0},
		}},
		{"March stopping at equilibrium", []string{"model.network=false", "model.boundaries=false", "model.lpp=false",
			"model.motivation=false", "model.turbulence=0", "model.turnover=0", "model.stop_at_equilibrium=true"},
			[]scenarios.Change{{Week: 2, Key: "model.turnover", Value: 0.3}, {Week: 7, Key: "model.turnover", Value: 0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := smallScenario(t, append([]string{"ticks=12"}, tc.sets...)...)
			withChanges := base
			withChanges.Changes = tc.changes
			if err := withChanges.Validate(); err != nil {
				t.Fatal(err)
			}
			a := mustWorld(t, &withChanges, 0, 2)
			defer a.Close()
			b := mustWorld(t, &base, 0, 2)
			defer b.Close()
			before := mustWorld(t, &base, 0, 1) // never changed
			defer before.Close()
			byHand := base
			moved := false
			for tick := 1; tick <= base.Ticks; tick++ {
				for _, ch := range tc.changes {
					if ch.Week == tick {
						if err := ch.Apply(&byHand); err != nil {
							t.Fatal(err)
						}
						if err := b.SetParameters(byHand); err != nil {
							t.Fatal(err)
						}
						moved = true
					}
				}
				a.Step()
				b.Step()
				before.Step()
				// Printed, so that NaN equals NaN.
				ra, rb, r0 := fmt.Sprint(a.Measure()), fmt.Sprint(b.Measure()), fmt.Sprint(before.Measure())
				if ra != rb {
					t.Fatalf("tick %d: the scenario's changes and SetParameters measure differently:\n%s\n%s", tick, ra, rb)
				}
				if !moved && ra != r0 {
					t.Fatalf("tick %d: the world differs before its first change", tick)
				}
			}
			if fmt.Sprint(a.Measure()) == fmt.Sprint(before.Measure()) {
				t.Error("the changes changed nothing")
			}
		})
	}
}
