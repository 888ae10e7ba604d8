package measure_test

import (
	"fmt"
	"math"

	"github.com/copsim/copsim/measure"
)

// The columns write a row as the CSV tables do, and give its values as
// numbers without a round trip through text.
func ExampleColumns() {
	r := measure.Row{Rep: 0, Tick: 5, Community: "all", Members: 42, KnowledgeMean: 0.625, KnowledgeCore: math.NaN()}
	for _, name := range []string{"tick", "community", "members", "knowledge_mean", "knowledge_core"} {
		c := measure.RowColumns.Lookup(name)
		fmt.Printf("%s (%s, %s): %s\n", c.Name, c.Kind(), c.Unit, c.Format(&r))
	}
	fmt.Println(measure.RowColumns.Lookup("knowledge_mean").Float(&r))
	// Output:
	// tick (int, ticks): 5
	// community (text, ): all
	// members (int, count): 42
	// knowledge_mean (float, share 0-1): 0.625
	// knowledge_core (float, share 0-1): NA
	// 0.625
}

// The outcomes compared between scenarios are the summary's columns
// averaged over replications; the unit says whether differences are told
// in per cent.
func ExampleColumn_Float() {
	s := measure.Summary{EIIndex: -0.2, CoreShare: 0.15}
	for i := range measure.SummaryColumns {
		c := &measure.SummaryColumns[i]
		if c.Aggregate != measure.MeanCI || (c.Name != "ei_index" && c.Name != "core_share") {
			continue
		}
		fmt.Printf("%s: %q = %v, relative %v\n", c.Name, c.Label, c.Float(&s), c.Unit.Relative())
	}
	// Output:
	// ei_index: "the E-I index" = -0.2, relative false
	// core_share: "the core" = 0.15, relative true
}
