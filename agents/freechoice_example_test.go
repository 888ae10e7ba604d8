package agents_test

import (
	"context"
	"fmt"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/scenarios"
)

// The free-choice paradigm of Deci, Koestner & Ryan (1999) in the model:
// bonuses for individual contributions in weeks 20-100, then removed;
// persistence is measured in weeks 101-140 against a control run on the
// same seeds.
func ExampleFreeChoice() {
	sc, err := scenarios.Load("baseline", nil)
	if err != nil {
		panic(err)
	}
	bonus := scenarios.Intervention{Kind: scenarios.Rewards, Reward: scenarios.IndividualContribution, Strength: 1}
	res, err := agents.FreeChoice(context.Background(), sc, bonus, agents.DefaultDesign())
	if err != nil {
		panic(err)
	}
	fmt.Printf("people per arm: %d\n", len(res.Treated))
	fmt.Printf("persistence fell after the bonus: %v\n", res.D < 0)
	// Output:
	// people per arm: 3000
	// persistence fell after the bonus: true
}

func ExampleCohensD() {
	fmt.Println(agents.CohensD([]float64{2, 3, 4}, []float64{1, 2, 3}))
	// Output: 1
}
