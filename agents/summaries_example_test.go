package agents_test

import (
	"context"
	"fmt"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// Run March's model for its end-of-run outcomes only: the summaries are
// Run's, and each replication keeps only its last measurement.
func ExampleRunSummaries() {
	sc, err := scenarios.Load("march1991", []string{"replications=3"})
	if err != nil {
		panic(err)
	}
	res, err := agents.RunSummaries(context.Background(), sc, sim.Options{Workers: 2})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(res.Rows), "rows") // (1 community + "all") x 3
	for _, s := range res.Summaries {
		fmt.Printf("rep %d: equilibrium at period %d, the code right on %.3f of reality\n", s.Rep, s.FinalTick, s.RepertoireKnowledge)
	}
	// Output:
	// 6 rows
	// rep 0: equilibrium at period 113, the code right on 0.967 of reality
	// rep 1: equilibrium at period 103, the code right on 0.967 of reality
	// rep 2: equilibrium at period 105, the code right on 0.933 of reality
}
