package agents

import (
	"context"
	"math"
	"testing"

	"github.com/copsim/copsim/scenarios"
)

// freeChoiceScenario is the population the calibration runs on: the
// baseline's.
func freeChoiceScenario(tb testing.TB) scenarios.Scenario {
	tb.Helper()
	sc, err := scenarios.Load("baseline", nil)
	if err != nil {
		tb.Fatal(err)
	}
	return sc
}

func runFreeChoice(tb testing.TB, sc scenarios.Scenario, iv scenarios.Intervention, reps int) *FreeChoiceResult {
	tb.Helper()
	d := DefaultDesign()
	d.Replications = reps
	res, err := FreeChoice(context.Background(), sc, iv, d)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// Each reward, at its default parameters, reproduces in the model's
// free-choice paradigm the d that Deci, Koestner & Ryan (1999) report,
// within 0.1.
func TestFreeChoiceReproducesDeciKoestnerRyan(t *testing.T) {
	sc := freeChoiceScenario(t)
	for _, tc := range DeciTargets {
		t.Run(tc.Key, func(t *testing.T) {
			res := runFreeChoice(t, sc, tc.Iv, 10)
			t.Logf("%s: d = %.3f (SE %.3f), target %.2f", tc.Label, res.D, res.SE, tc.D)
			if math.Abs(res.D-tc.D) > 0.1 {
				t.Errorf("%s: free-choice d = %.3f, want %.2f ± 0.1", tc.Label, res.D, tc.D)
			}
		})
	}
}

// The paradigm is a paired comparison: with no reward in force the two
// arms are the same people on the same seeds, and d is exactly 0.
func TestFreeChoiceControlIsPaired(t *testing.T) {
	sc := freeChoiceScenario(t)
	sc.Population.People = 100
	iv := scenarios.Intervention{Kind: scenarios.Rewards, Reward: scenarios.PeerRecognition, Strength: 0}
	res := runFreeChoice(t, sc, iv, 2)
	for i := range res.Treated {
		if res.Treated[i] != res.Control[i] {
			t.Fatalf("person %d: treated %v, control %v with a reward of strength 0", i, res.Treated[i], res.Control[i])
		}
	}
	if res.D != 0 {
		t.Errorf("d = %v, want 0", res.D)
	}
}

func TestFreeChoiceRefusesDesigns(t *testing.T) {
	sc := freeChoiceScenario(t)
	iv := DeciTargets[0].Iv
	for _, d := range []Design{
		{RewardStart: 20, RewardEnd: 100, WindowStart: 101, WindowEnd: 140},                  // no replications
		{RewardStart: 0, RewardEnd: 100, WindowStart: 101, WindowEnd: 140, Replications: 1},  // at tick 0
		{RewardStart: 20, RewardEnd: 100, WindowStart: 100, WindowEnd: 140, Replications: 1}, // window overlaps
		{RewardStart: 20, RewardEnd: 100, WindowStart: 120, WindowEnd: 110, Replications: 1}, // window reversed
	} {
		if _, err := FreeChoice(context.Background(), sc, iv, d); err == nil {
			t.Errorf("design %+v accepted", d)
		}
	}
}

func TestCohensD(t *testing.T) {
	for _, tc := range []struct {
		a, b []float64
		want float64
	}{
		{[]float64{1, 2, 3}, []float64{1, 2, 3}, 0},
		{[]float64{2, 3, 4}, []float64{1, 2, 3}, 1},
		{[]float64{0, 2}, []float64{2, 4}, -math.Sqrt2},
	} {
		if got := CohensD(tc.a, tc.b); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("CohensD(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	if got := CohensD([]float64{1, 1}, []float64{1, 1}); !math.IsNaN(got) {
		t.Errorf("CohensD of constants = %v, want NaN", got)
	}
}
