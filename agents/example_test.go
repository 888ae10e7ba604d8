package agents_test

import (
	"context"
	"fmt"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// Run a built-in scenario and read its tidy rows and end-of-run summaries.
func ExampleRun() {
	sc, err := scenarios.Load("baseline", []string{"replications=2", "ticks=10", "population.people=100"})
	if err != nil {
		panic(err)
	}
	res, err := agents.Run(context.Background(), sc, sim.Options{Workers: 2})
	if err != nil {
		panic(err)
	}
	// 2 replications x 11 measured ticks (0..10) x (3 communities + "all").
	fmt.Println(res.Scenario.Name, len(res.Rows), "rows,", len(res.Summaries), "summaries")
	last := res.Rows[len(res.Rows)-1]
	fmt.Println(last.Rep, last.Tick, last.Community)
	// Output:
	// baseline 88 rows, 2 summaries
	// 1 10 all
}

// Wire the model into the engine by hand, as the command line does: New
// checks the scenario's sizes, and sim.Run runs its replications.
func ExampleNew() {
	sc, err := scenarios.Load("march1991", []string{"replications=1", "ticks=5"})
	if err != nil {
		panic(err)
	}
	md, err := agents.New(sc)
	if err != nil {
		panic(err)
	}
	p := md.Plan()
	fmt.Println(p.People, "people,", p.Groups, "community,", p.Ticks, "ticks")
	res, err := sim.Run(context.Background(), md, sim.Options{Workers: 1})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(res.Summaries), "summary")
	// Output:
	// 50 people, 1 community, 5 ticks
	// 1 summary
}

// Step a world by hand, as the classroom page does, switching an
// intervention on while it runs.
func ExampleWorld_SetInterventions() {
	sc, err := scenarios.Load("baseline", []string{"population.people=100"})
	if err != nil {
		panic(err)
	}
	w, err := agents.NewWorld(&sc, 0, 1)
	if err != nil {
		panic(err)
	}
	defer w.Close()
	for w.Tick() < 5 {
		w.Step()
	}
	err = w.SetInterventions([]scenarios.Intervention{{Kind: scenarios.OverManagement, Strength: 0.8, Start: 6}})
	if err != nil {
		panic(err)
	}
	w.Step()
	rows := w.Measure()
	fmt.Println(w.Tick(), rows[len(rows)-1].Community)
	// Output: 6 all
}
