package agents_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// The tests in this file check March's (1991) findings on turnover and
// turbulence (his Figures 3-5; docs/validation.md) on the built-in march1991
// scenario. They read code knowledge as repertoire_knowledge, the share of
// the 30 dimensions the code has right, so that "chance" is 0.5. The
// margins are several standard errors of what the model produces at these
// replications (measured values in docs/validation.md).

// marchRun runs march1991 with the given settings added.
func marchRun(t *testing.T, set ...string) *agents.Result {
	t.Helper()
	sc, err := scenarios.Load("march1991", set)
	if err != nil {
		t.Fatal(err)
	}
	res, err := agents.Run(context.Background(), sc, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestMarch1991Turnover(t *testing.T) {
	if agents.RaceDetector || testing.Short() {
		t.Skip("3,000 runs of March's model: without -race and -short (make test does)")
	}
	// March (1991), Figures 3-4: code knowledge in period 20 against
	// turnover p3, p2 = 0.5. 500 replications per cell: the standard error
	// of a cell's mean is about 0.002.
	at := func(p1, p3 string) float64 {
		res := marchRun(t, "model.socialization="+p1, "model.code_learning=0.5",
			"model.turnover="+p3, "ticks=20", "replications=500")
		k := make([]float64, len(res.Summaries))
		for i, s := range res.Summaries {
			k[i] = s.RepertoireKnowledge
		}
		m, se := meanSE(k)
		t.Logf("p1=%s p3=%s: share right %.3f ± %.3f", p1, p3, m, 1.96*se)
		return m
	}
	for _, c := range []struct {
		name, p1 string
		// p3 at no, moderate and high turnover; the code's knowledge at
		// moderate minus no turnover must be at least gain (negative: a
		// loss of at least -gain), and at high below moderate by at least
		// drop.
		p3         [3]string
		gain, drop float64
	}{
		// Fast socialization: moderate turnover helps (0.868 -> 0.934 in
		// 1,000 replications), too much hurts again (0.850 at p3 = 0.9).
		{"fast", "0.9", [3]string{"0", "0.3", "0.9"}, 0.04, 0.05},
		// Slow socialization: turnover only hurts, and more of it hurts
		// more (0.888, 0.857, 0.802).
		{"slow", "0.1", [3]string{"0", "0.1", "0.3"}, -0.015, 0.03},
	} {
		t.Run(c.name, func(t *testing.T) {
			none, mid, high := at(c.p1, c.p3[0]), at(c.p1, c.p3[1]), at(c.p1, c.p3[2])
			if c.gain > 0 && mid-none < c.gain {
				t.Errorf("p1=%s: p3=%s gives %.3f, p3=0 %.3f; March's moderate turnover should help by at least %.3f",
					c.p1, c.p3[1], mid, none, c.gain)
			}
			if c.gain < 0 && none-mid < -c.gain {
				t.Errorf("p1=%s: p3=%s gives %.3f, p3=0 %.3f; with slow socialization turnover should hurt by at least %.3f",
					c.p1, c.p3[1], mid, none, -c.gain)
			}
			if mid-high < c.drop {
				t.Errorf("p1=%s: p3=%s gives %.3f, p3=%s %.3f; more turnover should cost at least %.3f",
					c.p1, c.p3[2], high, c.p3[1], mid, c.drop)
			}
		})
	}
}

func TestMarch1991Turbulence(t *testing.T) {
	if agents.RaceDetector || testing.Short() {
		t.Skip("400 runs of 200 periods of March's model: without -race and -short (make test does)")
	}
	// March (1991), Figure 5: p1 = p2 = 0.5, reality flips each dimension
	// with p4 = 0.02 per period. 200 replications: a mean's standard error
	// is about 0.007.
	series := func(p3 string) map[int]float64 {
		res := marchRun(t, "model.socialization=0.5", "model.code_learning=0.5",
			"model.turbulence=0.02", "model.turnover="+p3,
			"ticks=200", "replications=200", "output.measure_every=10")
		k := map[int][]float64{}
		for _, r := range res.Rows {
			if r.Community == "all" {
				k[r.Tick] = append(k[r.Tick], r.RepertoireKnowledge)
			}
		}
		out := map[int]float64{}
		for _, tick := range []int{20, 100, 200} {
			if len(k[tick]) != 200 {
				t.Fatalf("p3=%s: %d replications measured at period %d, want 200", p3, len(k[tick]), tick)
			}
			m, se := meanSE(k[tick])
			t.Logf("p3=%s period %d: share right %.3f ± %.3f", p3, tick, m, 1.96*se)
			out[tick] = m
		}
		return out
	}
	still, moving := series("0"), series("0.1")
	for _, c := range []struct {
		what string
		ok   bool
	}{
		// Without turnover the code freezes and reality walks away from it:
		// 0.734 in period 20, chance (0.5) by period 100.
		{fmt.Sprintf("without turnover the code decays (period 20 %.3f, period 200 %.3f)", still[20], still[200]),
			still[20]-still[200] >= 0.15},
		{fmt.Sprintf("without turnover the code ends at chance, 0.5 (period 200 %.3f)", still[200]),
			still[200] > 0.45 && still[200] < 0.55},
		// With turnover newcomers keep bringing beliefs the code can learn
		// from: about 0.79 from period 20 on.
		{fmt.Sprintf("with turnover the code holds up (period 20 %.3f, period 200 %.3f)", moving[20], moving[200]),
			moving[200] >= 0.7 && moving[200] > moving[20]-0.05},
		{fmt.Sprintf("with turnover the code ends well above without (%.3f vs %.3f)", moving[200], still[200]),
			moving[200]-still[200] >= 0.2},
	} {
		if !c.ok {
			t.Errorf("March's Figure 5: %s", c.what)
		}
	}
}
