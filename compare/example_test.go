package compare_test

import (
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
