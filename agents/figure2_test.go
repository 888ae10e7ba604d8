package agents_test

import (
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// fig2Mix is March's (1991) Figure 2 population: half slow, half fast learners.
const fig2Mix = "model.socialization_mix=[{share: 0.5, rate: 0.1}, {share: 0.5, rate: 0.9}]"

// march1991Scores runs march1991 with p2 = 0.5 and the overrides, and
// returns each replication's code score/m at equilibrium.
func march1991Scores(t *testing.T, sets ...string) []float64 {
	t.Helper()
	sc, err := scenarios.Load("march1991", append([]string{"model.code_learning=0.5"}, sets...))
	if err != nil {
		t.Fatal(err)
	}
	res, err := agents.Run(context.Background(), sc, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(res.Summaries))
	for i, s := range res.Summaries {
		if !s.Equilibrium {
			t.Fatalf("%v: rep %d did not reach equilibrium", sets, s.Rep)
		}
		out[i] = s.RepertoireScore
	}
	return out
}

// A mix with a single group is everyone at that group's rate: the rate is
// drawn last on a person's init stream, so nothing else changes.
func TestSingleGroupMixIsUniform(t *testing.T) {
	uniform := march1991Scores(t, "replications=4", "model.socialization=0.9")
	mixed := march1991Scores(t, "replications=4", "model.socialization=0.1", "model.socialization_mix=[{share: 1, rate: 0.9}]")
	if !reflect.DeepEqual(uniform, mixed) {
		t.Errorf("a mix of one group at 0.9 gives %v, everyone at 0.9 gives %v", mixed, uniform)
	}
}

// March (1991), Figure 2: with p2 = 0.5, a population of slow (p1 = 0.1)
// and fast (p1 = 0.9) learners ends with a better code than a uniform one
// at the same mean rate: the slow keep diversity the code learns from, the
// fast carry what it learns. docs/validation.md records the numbers.
func TestMarch1991Figure2(t *testing.T) {
	if agents.RaceDetector {
		t.Skip("800 runs of March's model: without -race (make test does)")
	}
	const reps = "replications=400" // five times March's 80: 95 % intervals of about ±0.01
	uniform := march1991Scores(t, reps, "model.socialization=0.5")
	mixed := march1991Scores(t, reps, fig2Mix)
	mu, su := meanSE(uniform)
	mm, sm := meanSE(mixed)
	d, sd := mm-mu, math.Hypot(su, sm)
	t.Logf("equilibrium score/m, %d replications: uniform p1=0.5 %.3f ± %.3f, 50/50 mix of 0.1 and 0.9 %.3f ± %.3f, difference %+.3f ± %.3f (95 %%)",
		len(uniform), mu, 1.96*su, mm, 1.96*sm, d, 1.96*sd)
	if d < 0.05 || d < 4*sd {
		t.Errorf("the mix beats the uniform population by %+.3f (SE %.3f); March's Figure 2 needs it clearly ahead (at least 0.05 and 4 SE)", d, sd)
	}
}
