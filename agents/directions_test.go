package agents_test

import (
	"context"
	"math"
	"sync"
	"testing"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// The tests in this file check the direction each built-in scenario moves
// the outcomes against baseline. The directions are what the mechanisms
// produce with these seeds and replications (common random numbers: the
// same seed for every scenario), recorded in docs/model.md; none is
// written into the model. Each asserted difference is several standard
// errors wide at 16 replications.

const directionReps = 16

type outcome func(s measure.Summary) float64

var (
	knowledge     outcome = func(s measure.Summary) float64 { return s.KnowledgeMean }
	repertoire    outcome = func(s measure.Summary) float64 { return s.RepertoireKnowledge }
	participation outcome = func(s measure.Summary) float64 { return s.ParticipationRate }
	coreShare     outcome = func(s measure.Summary) float64 { return s.CoreShare }
	members       outcome = func(s measure.Summary) float64 { return float64(s.Members) }
	eiIndex       outcome = func(s measure.Summary) float64 { return s.EIIndex }
	access        outcome = func(s measure.Summary) float64 { return s.NewcomerAccess }
	toActive      outcome = func(s measure.Summary) float64 { return s.MedianTicksToActive }
)

var (
	cacheMu sync.Mutex
	cache   = map[string][]measure.Summary{}
)

func summaries(t *testing.T, name string) []measure.Summary {
	t.Helper()
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if s, ok := cache[name]; ok {
		return s
	}
	sc, err := scenarios.Load(name, []string{"replications=16", "seed=2026"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := agents.Run(context.Background(), sc, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cache[name] = res.Summaries
	return res.Summaries
}

// paired returns the mean and standard error of the paired differences
// scenario - baseline (replication r of both shares its random numbers).
func paired(a, b []measure.Summary, f outcome) (mean, se float64) {
	var d []float64
	for r := range a {
		x, y := f(a[r]), f(b[r])
		if math.IsNaN(x) || math.IsNaN(y) {
			continue
		}
		d = append(d, x-y)
	}
	n := float64(len(d))
	for _, x := range d {
		mean += x / n
	}
	for _, x := range d {
		se += (x - mean) * (x - mean) / (n - 1)
	}
	return mean, math.Sqrt(se / n)
}

func TestScenarioDirections(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every built-in scenario")
	}
	tests := []struct {
		scenario string
		outcome  string
		f        outcome
		sign     int // +1: scenario above baseline, -1: below
	}{
		{"over_management", "knowledge", knowledge, -1},
		{"over_management", "repertoire", repertoire, -1},
		{"over_management", "core share", coreShare, -1},
		{"over_management", "participation (compliance)", participation, +1},
		{"rewards_recognition", "participation", participation, +1},
		{"rewards_recognition", "knowledge", knowledge, +1},
		{"rewards_recognition", "core share", coreShare, +1},
		{"penalizing_compensation", "members", members, -1},
		{"penalizing_compensation", "newcomer access", access, -1},
		{"boundary_activity", "E-I index", eiIndex, +1},
		{"insular_strategic", "newcomer access", access, -1},
		{"legitimized_support", "participation", participation, +1},
		{"legitimized_support", "members", members, +1},
		{"legitimized_support", "ticks to active", toActive, -1},
	}
	base := summaries(t, "baseline")
	for _, tt := range tests {
		t.Run(tt.scenario+"/"+tt.outcome, func(t *testing.T) {
			d, se := paired(summaries(t, tt.scenario), base, tt.f)
			t.Logf("%s - baseline: %+.4f (se %.4f)", tt.outcome, d, se)
			if float64(tt.sign)*d <= 2*se {
				t.Errorf("%s: %s moved %+.4f (se %.4f) against baseline; want a clear move of sign %+d", tt.scenario, tt.outcome, d, se, tt.sign)
			}
		})
	}
}

func TestRewardsIndividualFavoursTheCore(t *testing.T) {
	// Rewards for individual contribution pay in proportion to legitimacy,
	// so they pull the already central further in (a larger core), while
	// crowding-out (d ~ -0.3 on free-choice motivation) lowers motivation.
	if testing.Short() {
		t.Skip("runs two scenarios")
	}
	rw, base := summaries(t, "rewards_individual"), summaries(t, "baseline")
	d, se := paired(rw, base, coreShare)
	t.Logf("core share: %+.4f (se %.4f)", d, se)
	if d <= 2*se {
		t.Errorf("core share moved %+.4f (se %.4f); want a clear rise", d, se)
	}
	k, kse := paired(rw, base, knowledge)
	t.Logf("knowledge: %+.4f (se %.4f)", k, kse)
}

func TestSeedingStartsFaster(t *testing.T) {
	// A community seeded around experts has a better repertoire early on.
	if testing.Short() {
		t.Skip("runs two scenarios")
	}
	early := func(name string) []float64 {
		sc, err := scenarios.Load(name, []string{"replications=16", "seed=2026", "ticks=15"})
		if err != nil {
			t.Fatal(err)
		}
		res, err := agents.Run(context.Background(), sc, sim.Options{})
		if err != nil {
			t.Fatal(err)
		}
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
