package agents

import (
	"fmt"
	"math"
	"testing"

	"github.com/copsim/copsim/scenarios"
)

// mustWorld is NewWorld for scenarios that tests know to be valid.
func mustWorld(tb testing.TB, sc *scenarios.Scenario, rep, workers int) *World {
	tb.Helper()
	wd, err := NewWorld(sc, rep, workers)
	if err != nil {
		tb.Fatal(err)
	}
	return wd
}

// tinyWorld returns a world of n people in C communities (baseline
// parameters, then sets), with every membership, tie and encounter
// cleared, so that a unit test puts in by hand exactly the state its
// function reads. The world is closed when the test ends.
func tinyWorld(tb testing.TB, n, C int, sets ...string) *World {
	tb.Helper()
	sc := smallScenario(tb, append([]string{
		fmt.Sprintf("population.people=%d", n), fmt.Sprintf("population.communities=%d", C),
		"population.units=1", "population.multi_membership=0",
		fmt.Sprintf("model.management.seed_experts=%d", min(n, 5)),
	}, sets...)...)
	wd := mustWorld(tb, &sc, 0, 1)
	tb.Cleanup(wd.Close)
	for j := range wd.memC {
		wd.memC[j], wd.legit[j], wd.ident[j], wd.part[j], wd.perf[j] = -1, 0, 0, false, 0
		wd.joined[j], wd.toActive[j], wd.toCore[j] = -1, -1, -1
	}
	for t := range wd.tieTo {
		wd.tieTo[t], wd.tieW[t], wd.tieGen[t] = -1, 0, 0
	}
	wd.clearEncounters()
	clear(wd.learned)
	settle(wd)
	return wd
}

// member puts person i into community c through membership slot s, with
// legitimacy l, taking part this tick or not.
func member(wd *World, i, s, c int, l float64, part bool) {
	j := i*maxMem + s
	wd.memC[j], wd.legit[j], wd.ident[j], wd.part[j] = int16(c), l, l, part
}

// settle rebuilds what the engagement phase derives from the memberships
// for the phases after it: everyone's public lookup and each community's
// participants in membership order, with cumulative visibility.
func settle(wd *World) {
	for i := 0; i < wd.n; i++ {
		lk := lookup{arrived: wd.arrived[i], unit: wd.unit[i]}
		for s := 0; s < maxMem; s++ {
			j := i*maxMem + s
			lk.memC[s], lk.legit[s], lk.perf[s] = wd.memC[j], wd.legit[j], int16(wd.perf[j])
			if wd.memC[j] >= 0 && wd.part[j] {
				lk.part |= 1 << s
			}
		}
		wd.look[i] = lk
	}
	wd.placeParticipants()
}

// advance moves the world's engine on by k ticks without running any of
// the model's phases, for functions that read the tick.
func advance(tb testing.TB, wd *World, k int) {
	tb.Helper()
	s, err := wd.eng.Schedule(nil)
	if err != nil {
		tb.Fatal(err)
	}
	for ; k > 0; k-- {
		wd.eng.Step(s)
	}
}

// within fails unless a count of n draws with chance p each lies within
// 5 binomial standard deviations of n*p (a false alarm about once in 3.5
// million); the tests' draws are seeded, so a pass is a pass for good.
func within(tb testing.TB, what string, count, n int, p float64) {
	tb.Helper()
	mean, sd := float64(n)*p, math.Sqrt(float64(n)*p*(1-p))
	if math.Abs(float64(count)-mean) > 5*sd+1e-9 {
		tb.Errorf("%s: %d of %d, want %.1f ± %.1f (5 sd, p = %.4f)", what, count, n, mean, 5*sd, p)
	}
}
