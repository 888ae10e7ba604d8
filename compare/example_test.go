package compare_test

import (
	"context"
	"fmt"

	"github.com/copsim/copsim/compare"
	"github.com/copsim/copsim/scenarios"
)

func ExampleCommonRandomNumbers() {
	var scs []scenarios.Scenario
	for _, name := range []string{"baseline", "over_management"} {
		sc, err := scenarios.Load(name, []string{"seed=7", "replications=3"})
		if err != nil {
			panic(err)
		}
		scs = append(scs, sc)
	}
	scs[1].Seed, scs[1].Replications = 99, 10 // as if the second file said otherwise
	scs, err := compare.CommonRandomNumbers(scs)
	if err != nil {
		panic(err)
	}
	for _, sc := range scs {
		fmt.Println(sc.Name, sc.Seed, sc.Replications)
	}
	// Output:
	// baseline 7 3
	// over_management 7 3
}

func ExampleLabel() {
	fmt.Println(compare.Label("knowledge_mean"))
	fmt.Println(compare.Label("core_share"))
	// Output:
	// mean knowledge
	// the core
}

func ExampleRobustness() {
	// A tiny comparison: insular_strategic sets model.legitimacy.closure
	// apart from the baseline, so it keeps that value at every point.
	var scs []scenarios.Scenario
	for _, name := range []string{"baseline", "insular_strategic"} {
		sc, err := scenarios.Load(name, []string{"population.people=40", "ticks=20", "replications=2"})
		if err != nil {
			panic(err)
		}
		scs = append(scs, sc)
	}
	scs, err := compare.CommonRandomNumbers(scs)
	if err != nil {
		panic(err)
	}
	r, err := compare.Robustness(context.Background(), scs, compare.RobustOptions{Points: 4, Workers: 2})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(r.Design), "points,", r.Reps, "replications each; all uncertain parameters:", len(r.Params) == len(scenarios.UncertainParams))
	for _, k := range r.Kept["insular_strategic"] {
		fmt.Println("insular_strategic keeps", k.Key, "=", k.Value)
	}
	c, _ := r.Count("insular_strategic", "knowledge_mean")
	fmt.Println(c.Points, "points counted;", c.Up+c.Down <= c.Points, c.ClearUp <= c.Up && c.ClearDown <= c.Down)
	// Output:
	// 4 points, 2 replications each; all uncertain parameters: true
	// insular_strategic keeps model.legitimacy.closure = 0.9
	// 4 points counted; true true
}

// A focus names where and when a scenario's interventions act, so that
// its verdicts can be read there and then.
func ExampleFocus_Where() {
	f := compare.Focus{From: 50, To: 120, Communities: []string{"c1"}}
	fmt.Println(f.Where())
	f.Communities = nil
	fmt.Println(f.Where())
	// Output:
	// in c1, weeks 50–120
	// in the whole organization, weeks 50–120
}

// Axis titles name an outcome and its unit, or its unit alone where a
// panel's title names the outcome.
func ExampleAxisLabel() {
	fmt.Println(compare.AxisLabel("knowledge_mean"))
	fmt.Println(compare.AxisLabel("imported_knowledge"))
	fmt.Println(compare.UnitLabel("knowledge_mean"))
	// Output:
	// mean knowledge (share, 0–1)
	// knowledge imported across boundaries (per member-week)
	// share (0–1)
}
