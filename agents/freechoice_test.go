package agents

import (
	"context"
	"flag"
	"fmt"
	"math"
	"testing"

	"github.com/copsim/copsim/scenarios"
)

var calibrate = flag.Bool("calibrate", false, "search the free-choice calibration of docs/calibration.md and print it")

// freeChoiceTarget is one row of docs/calibration.md: a reward, the
// parameter that sets its effect on motivation, and the free-choice d it
// must reproduce.
type freeChoiceTarget struct {
	name   string
	iv     scenarios.Intervention
	key    string
	set    func(sc *scenarios.Scenario, x float64)
	target float64
}

var freeChoiceTargets = []freeChoiceTarget{
	{"individual_contribution (tangible, performance-contingent)",
		scenarios.Intervention{Kind: scenarios.Rewards, Reward: scenarios.IndividualContribution, Strength: 1},
		"model.motivate.crowding_out", func(sc *scenarios.Scenario, x float64) { sc.Model.Motivate.CrowdingOut = x }, -0.28},
	{"participation_recognition (expected, engagement-contingent)",
		scenarios.Intervention{Kind: scenarios.Rewards, Reward: scenarios.ParticipationRecognition, Strength: 1},
		"model.motivate.review_crowding_out", func(sc *scenarios.Scenario, x float64) { sc.Model.Motivate.ReviewCrowdingOut = x }, -0.40},
	{"peer_recognition (verbal, positive feedback)",
		scenarios.Intervention{Kind: scenarios.Rewards, Reward: scenarios.PeerRecognition, Strength: 1},
		"model.motivate.recognition", func(sc *scenarios.Scenario, x float64) { sc.Model.Motivate.Recognition = x }, 0.33},
	{"over_management (engagement-contingent control, by analogy)",
		scenarios.Intervention{Kind: scenarios.OverManagement, Strength: 1},
		"model.motivate.autonomy_loss", func(sc *scenarios.Scenario, x float64) { sc.Model.Motivate.AutonomyLoss = x }, -0.40},
}

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
	for _, tc := range freeChoiceTargets {
		t.Run(tc.key, func(t *testing.T) {
			res := runFreeChoice(t, sc, tc.iv, 10)
			t.Logf("%s: d = %.3f (SE %.3f), target %.2f", tc.name, res.D, res.SE, tc.target)
			if math.Abs(res.D-tc.target) > 0.1 {
				t.Errorf("%s: free-choice d = %.3f, want %.2f ± 0.1", tc.name, res.D, tc.target)
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
	iv := freeChoiceTargets[0].iv
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

// TestCalibrateFreeChoice is the search behind docs/calibration.md, run by
// hand with -calibrate: for each reward, bisection over its parameter on
// fixed seeds for the value whose d is the target, and for the values
// whose d is the target ± 0.1 (the plausible range).
func TestCalibrateFreeChoice(t *testing.T) {
	if !*calibrate {
		t.Skip("run with -calibrate")
	}
	const reps = 20
	base := freeChoiceScenario(t)
	for _, tc := range freeChoiceTargets {
		dAt := func(x float64) float64 {
			sc := base
			tc.set(&sc, x)
			return runFreeChoice(t, sc, tc.iv, reps).D
		}
		lo, hi := 0.0, 1.0
		find := func(target float64) float64 {
			a, b := lo, hi
			da := dAt(a)
			for k := 0; k < 14; k++ {
				mid := (a + b) / 2
				dm := dAt(mid)
				if (dm-target)*(da-target) > 0 {
					a, da = mid, dm
				} else {
					b = mid
				}
			}
			return (a + b) / 2
		}
		x := find(tc.target)
		sc := base
		tc.set(&sc, x)
		res := runFreeChoice(t, sc, tc.iv, reps)
		r1, r2 := find(tc.target-0.1), find(tc.target+0.1)
		fmt.Printf("%s: %s = %.4f gives d = %.3f (SE %.3f over %d replications); d within %.2f ± 0.1 for %s in [%.4f, %.4f]; d at 0 = %.3f, at 1 = %.3f\n",
			tc.name, tc.key, x, res.D, res.SE, reps, tc.target, tc.key, math.Min(r1, r2), math.Max(r1, r2), dAt(0), dAt(1))
	}
}
