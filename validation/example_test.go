package validation_test

import (
	"fmt"

	"github.com/copsim/copsim/validation"
)

// A report lists every row that misses its tolerance; make validation
// exits non-zero on any.
func ExampleReport_Failures() {
	rep := &validation.Report{Results: []validation.Result{{
		Name: "March (1991), Figure 1",
		Rows: []validation.Row{{
			Label: "p1 = 0.9, p2 = 0.5", Claim: validation.Value, Published: "0.742", Target: 0.742,
			Mean: 0.70, Lo: 0.69, Hi: 0.71, Diff: -0.042, Tolerance: 0.01, Pass: false,
		}},
	}}}
	fmt.Println(rep.Pass())
	for _, f := range rep.Failures() {
		fmt.Println(f)
	}
	// Output:
	// false
	// March (1991), Figure 1: p1 = 0.9, p2 = 0.5: copsim 0.700 [0.690, 0.710], published 0.742, tolerance ±0.01
}
