package sim_test

import (
	"context"
	"fmt"

	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// Run a built-in scenario and read its tidy rows and end-of-run summaries.
func ExampleRun() {
	sc, err := scenarios.Load("baseline", []string{"replications=2", "ticks=10", "population.people=100"})
	if err != nil {
		panic(err)
	}
	res, err := sim.Run(context.Background(), sc, sim.Options{Workers: 2})
	if err != nil {
		panic(err)
	}
	// 2 replications x 11 measured ticks (0..10) x (3 communities + "all").
	fmt.Println(len(res.Rows), "rows,", len(res.Summaries), "summaries")
	last := res.Rows[len(res.Rows)-1]
	fmt.Println(last.Rep, last.Tick, last.Community)
	// Output:
	// 88 rows, 2 summaries
	// 1 10 all
}

// Step a world by hand, as the classroom demo does, switching an
// intervention on while it runs.
func ExampleWorld_SetInterventions() {
	sc, err := scenarios.Load("baseline", []string{"population.people=100"})
	if err != nil {
		panic(err)
	}
	w, err := sim.NewWorld(&sc, 0, 1)
	if err != nil {
		panic(err)
	}
	defer w.Close()
	for w.Tick() < 5 {
		w.Step()
	}
	w.SetInterventions([]scenarios.Intervention{{Kind: scenarios.OverManagement, Strength: 0.8, Start: 6}})
	w.Step()
	rows := w.Measure()
	fmt.Println(w.Tick(), rows[len(rows)-1].Community)
	// Output: 6 all
}
