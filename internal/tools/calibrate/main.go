// Command calibrate is the search behind docs/calibration.md: for each
// reward of agents.DeciTargets it bisects the parameter that sets the
// reward's effect on motivation over [0, 1], on the baseline's seeds, for
// the value whose free-choice d is Deci, Koestner & Ryan's (1999) and for
// the values whose d is that ± 0.1 (the plausible range), and prints them.
//
//	go run ./internal/tools/calibrate [-reps 20]
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/scenarios"
)

func main() {
	reps := flag.Int("reps", 20, "replications of each arm at every step of the search")
	steps := flag.Int("steps", 14, "bisection steps per value")
	flag.Parse()
	base, err := scenarios.Load("baseline", nil)
	if err != nil {
		fail(err)
	}
	design := agents.DefaultDesign()
	design.Replications = *reps
	for _, tc := range agents.DeciTargets {
		run := func(x float64) *agents.FreeChoiceResult {
			sc, err := scenarios.ApplySets(base, []string{tc.Key + "=" + strconv.FormatFloat(x, 'g', -1, 64)})
			if err != nil {
				fail(err)
			}
			res, err := agents.FreeChoice(context.Background(), sc, tc.Iv, design)
			if err != nil {
				fail(err)
			}
			return res
		}
		find := func(target float64) float64 {
			a, b := 0.0, 1.0
			da := run(a).D
			for k := 0; k < *steps; k++ {
				mid := (a + b) / 2
				if dm := run(mid).D; (dm-target)*(da-target) > 0 {
					a, da = mid, dm
				} else {
					b = mid
				}
			}
			return (a + b) / 2
		}
		x := find(tc.D)
		res := run(x)
		r1, r2 := find(tc.D-0.1), find(tc.D+0.1)
		fmt.Printf("%s: %s = %.4f gives d = %.3f (SE %.3f over %d replications); d within %.2f ± 0.1 for %s in [%.4f, %.4f]; d at 0 = %.3f, at 1 = %.3f\n",
			tc.Label, tc.Key, x, res.D, res.SE, *reps, tc.D, tc.Key, math.Min(r1, r2), math.Max(r1, r2), run(0).D, run(1).D)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "calibrate:", err)
	os.Exit(1)
}
