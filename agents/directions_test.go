package agents_test

import (
	"context"
	"math"
	"sync"
	"testing"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/compare"
	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// The tests in this file check what each built-in scenario does against
// baseline. A direction is asserted only if it is a finding: it holds
// clearly at the default parameters (the paired difference over 16
// replications on common random numbers is more than two standard errors
// from zero) and in at least compare.RobustThreshold of the points of a
// robustness check over the plausible ranges of the uncertain parameters
// (scenarios.UncertainParams, docs/calibration.md). None is written into
// the model: the directions are what the calibrated mechanisms produce,
// and README's scenario library says them in words.

const (
	directionReps = 16
	directionSeed = "seed=2026"
	robustPoints  = 10 // a coarse check: the README's shares come from 20 points
	robustReps    = 6
)

var builtins = []string{"baseline", "over_management", "rewards_individual", "rewards_recognition",
	"penalizing_compensation", "boundary_activity", "insular_strategic", "legitimized_support", "seeding"}

var (
	cacheMu sync.Mutex
	cache   = map[string][]measure.Summary{}
)

// runBuiltin runs a built-in scenario with 16 replications on the tests'
// seed, and the given overrides.
func runBuiltin(t *testing.T, name string, sets ...string) *agents.Result {
	t.Helper()
	sc, err := scenarios.Load(name, append([]string{"replications=16", directionSeed}, sets...))
	if err != nil {
		t.Fatal(err)
	}
	res, err := agents.Run(context.Background(), sc, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// summaries runs a built-in scenario at the default parameters, once.
func summaries(t *testing.T, name string) []measure.Summary {
	t.Helper()
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if s, ok := cache[name]; ok {
		return s
	}
	cache[name] = runBuiltin(t, name).Summaries
	return cache[name]
}

// robustness is one robustness check of every built-in scenario against
// baseline, shared by the tests.
var robustness = sync.OnceValues(func() (*compare.RobustResult, error) {
	var scs []scenarios.Scenario
	for _, name := range builtins {
		sc, err := scenarios.Load(name, []string{directionSeed})
		if err != nil {
			return nil, err
		}
		scs = append(scs, sc)
	}
	return compare.Robustness(context.Background(), scs, compare.RobustOptions{Points: robustPoints, Reps: robustReps})
})

// paired returns the mean and standard error of the paired differences
// a - b of one summary column (replication r of both shares its random
// numbers), leaving out replications where either is NA.
func paired(a, b []measure.Summary, column string) (mean, se float64) {
	col := measure.SummaryColumns.Lookup(column)
	var d []float64
	for r := range a {
		x, y := col.Float(&a[r]), col.Float(&b[r])
		if math.IsNaN(x) || math.IsNaN(y) {
			continue
		}
		d = append(d, x-y)
	}
	return meanSE(d)
}

func TestScenarioDirections(t *testing.T) {
	if testing.Short() || agents.RaceDetector {
		t.Skip("runs every built-in scenario over a robustness check: without -short and -race (make test does)")
	}
	tests := []struct {
		scenario string
		outcome  string // a column of summary.csv
		sign     int    // +1: scenario above baseline, -1: below
	}{
		{"over_management", "voluntary_participation", -1},
		{"over_management", "mandated_participation", +1},
		{"over_management", "motivation", -1},
		{"over_management", "knowledge_mean", -1},
		{"over_management", "repertoire_knowledge", -1},
		{"over_management", "core_share", -1},
		{"over_management", "median_ticks_to_active", +1},
		{"rewards_individual", "voluntary_participation", -1},
		{"rewards_individual", "motivation_everyone", -1},
		{"rewards_individual", "newcomer_access", -1},
		{"rewards_recognition", "motivation_everyone", -1},
		{"rewards_recognition", "members", +1},
		{"penalizing_compensation", "members", -1},
		{"penalizing_compensation", "newcomer_access", -1},
		{"penalizing_compensation", "motivation_everyone", -1},
		{"penalizing_compensation", "motivation", +1}, // only the motivated stay members
		{"boundary_activity", "outside_tie_share", +1},
		{"boundary_activity", "tie_ei", +1},
		{"boundary_activity", "imported_knowledge", +1},
		{"boundary_activity", "boundary_active_share", +1},
		{"insular_strategic", "boundary_active_share", -1},
		{"insular_strategic", "newcomer_access", -1},
		{"legitimized_support", "voluntary_participation", +1},
		{"legitimized_support", "members", +1},
		{"legitimized_support", "core_share", +1},
		{"legitimized_support", "newcomer_access", +1},
		{"legitimized_support", "median_ticks_to_active", -1},
		{"legitimized_support", "imported_knowledge", +1},
	}
	rob, err := robustness()
	if err != nil {
		t.Fatal(err)
	}
	base := summaries(t, "baseline")
	for _, tt := range tests {
		t.Run(tt.scenario+"/"+tt.outcome, func(t *testing.T) {
			d, se := paired(summaries(t, tt.scenario), base, tt.outcome)
			c, ok := rob.Count(tt.scenario, tt.outcome)
			if !ok {
				t.Fatalf("no robustness count for %s, %s", tt.scenario, tt.outcome)
			}
			same := c.Up
			if tt.sign < 0 {
				same = c.Down
			}
			t.Logf("%s - baseline at the defaults: %+.4f (se %.4f); same sign in %d of %d plausible settings", tt.outcome, d, se, same, c.Points)
			if float64(tt.sign)*d <= 2*se {
				t.Errorf("%s: %s moved %+.4f (se %.4f) against baseline at the defaults; want a clear move of sign %+d", tt.scenario, tt.outcome, d, se, tt.sign)
			}
			if c.Share(same) < compare.RobustThreshold {
				t.Errorf("%s: %s moved with sign %+d in %d of %d plausible settings; a finding needs %.0f %%", tt.scenario, tt.outcome, tt.sign, same, c.Points, 100*compare.RobustThreshold)
			}
		})
	}
}

// A strategic community whose core closes itself off turns inward through
// what closure does to its people: fewer of its members cross its boundary,
// less knowledge comes in, fewer newcomers get in. Read on c0, the strategic
// community, over the last 50 weeks.
func TestInsularStrategicTurnsInward(t *testing.T) {
	if testing.Short() || agents.RaceDetector {
		t.Skip("runs two scenarios: without -short and -race (make test does)")
	}
	c0 := func(name string) map[string][]float64 {
		res := runBuiltin(t, name)
		sc := res.Scenario
		out := map[string][]float64{}
		for _, col := range []string{"boundary_active_share", "imported_knowledge", "newcomer_access"} {
			c := measure.RowColumns.Lookup(col)
			sum, n := make([]float64, sc.Replications), make([]float64, sc.Replications)
			for i := range res.Rows {
				r := &res.Rows[i]
				if r.Community != "c0" || r.Tick <= sc.Ticks-50 {
					continue
				}
				if x := c.Float(r); !math.IsNaN(x) {
					sum[r.Rep] += x
					n[r.Rep]++
				}
			}
			for rep := range sum {
				out[col] = append(out[col], sum[rep]/n[rep])
			}
		}
		return out
	}
	ins, base := c0("insular_strategic"), c0("baseline")
	for col, x := range ins {
		var d []float64
		for r := range x {
			d = append(d, x[r]-base[col][r])
		}
		m, se := meanSE(d)
		t.Logf("c0 %s: insular_strategic - baseline %+.4f (se %.4f)", col, m, se)
		if m >= -3*se {
			t.Errorf("c0 %s: insular_strategic - baseline %+.4f (se %.4f); want clearly lower", col, m, se)
		}
	}
}

// meanSE is the mean of d and its standard error.
func meanSE(d []float64) (mean, se float64) {
	n := float64(len(d))
	for _, x := range d {
		mean += x / n
	}
	for _, x := range d {
		se += (x - mean) * (x - mean) / (n - 1)
	}
	return mean, math.Sqrt(se / n)
}

func TestSeedingStartsFaster(t *testing.T) {
	// A community seeded around experts has a better repertoire early on.
	if testing.Short() || agents.RaceDetector {
		t.Skip("runs two scenarios: without -short and -race (make test does)")
	}
	early := func(name string) []float64 {
		res := runBuiltin(t, name, "ticks=15")
		var out []float64
		for _, r := range res.Rows {
			if r.Tick == 15 && r.Community == "c0" {
				out = append(out, r.RepertoireKnowledge)
			}
		}
		return out
	}
	seeded, base := early("seeding"), early("baseline")
	var d float64
	for r := range seeded {
		d += (seeded[r] - base[r]) / float64(len(seeded))
	}
	t.Logf("c0 repertoire knowledge at tick 15: %+.3f", d)
	if d < 0.1 {
		t.Errorf("seeding raised c0's early repertoire knowledge by %+.3f; want at least 0.1", d)
	}
}
func TestMarch1991Direction(t *testing.T) {
	if agents.RaceDetector {
		t.Skip("80 replications of March's model: without -race (make test does)")
	}
	// March (1991), Figure 1: with p2 = 0.5, slow socialization (p1 = 0.1)
	// ends with a better code than fast (p1 = 0.9). 80 replications as his.
	at := func(p1 string) float64 {
		sc, err := scenarios.Load("march1991", []string{"model.socialization=" + p1, "model.code_learning=0.5"})
		if err != nil {
			t.Fatal(err)
		}
		res, err := agents.Run(context.Background(), sc, sim.Options{})
		if err != nil {
			t.Fatal(err)
		}
		sum := 0.0
		for _, s := range res.Summaries {
			if !s.Equilibrium {
				t.Fatalf("p1=%s rep %d did not reach equilibrium", p1, s.Rep)
			}
			sum += s.RepertoireScore
		}
		return sum / float64(len(res.Summaries))
	}
	slow, fast := at("0.1"), at("0.9")
	t.Logf("equilibrium score/m: p1=0.1 %.3f, p1=0.9 %.3f", slow, fast)
	if slow-fast < 0.1 {
		t.Errorf("p1=0.1 gives %.3f, p1=0.9 gives %.3f; March's finding needs the slow learners clearly ahead", slow, fast)
	}
	// The level itself: public replications of Figure 1 give about 0.95 and 0.74.
	if slow < 0.9 || fast > 0.8 || fast < 0.65 {
		t.Errorf("levels %.3f and %.3f are off March's Figure 1 (about 0.95 and 0.74)", slow, fast)
	}
}
