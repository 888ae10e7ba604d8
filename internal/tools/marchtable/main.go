// Command marchtable regenerates the table of docs/validation.md: March's
// (1991) Figure 1, equilibrium code knowledge for p1 in 0.1..0.9 and p2 in
// {0.1, 0.5, 0.9}, from the built-in march1991 scenario.
//
//	go run ./internal/tools/marchtable > table.md
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

func main() {
	reps := flag.Int("reps", 80, "replications per cell (March used 80)")
	flag.Parse()
	p2s := []string{"0.1", "0.5", "0.9"}
	fmt.Printf("| p1 | p2 = 0.1: score/m | share right | p2 = 0.5: score/m | share right | p2 = 0.9: score/m | share right |\n")
	fmt.Printf("|---|---|---|---|---|---|---|\n")
	for k := 1; k <= 9; k++ {
		p1 := fmt.Sprintf("0.%d", k)
		fmt.Printf("| %s |", p1)
		for _, p2 := range p2s {
			sc, err := scenarios.Load("march1991", []string{
				"model.socialization=" + p1, "model.code_learning=" + p2,
				fmt.Sprintf("replications=%d", *reps),
			})
			if err != nil {
				log.Fatal(err)
			}
			res, err := agents.Run(context.Background(), sc, sim.Options{})
			if err != nil {
				log.Fatal(err)
			}
			score, share := 0.0, 0.0
			for _, s := range res.Summaries {
				if !s.Equilibrium {
					fmt.Fprintf(os.Stderr, "p1=%s p2=%s rep %d hit the tick cap\n", p1, p2, s.Rep)
				}
				score += s.RepertoireScore / float64(len(res.Summaries))
				share += s.RepertoireKnowledge / float64(len(res.Summaries))
			}
			fmt.Printf(" %.3f | %.3f |", score, share)
		}
		fmt.Println()
	}
}
