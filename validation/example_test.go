package validation_test

import (
	"fmt"

	"github.com/copsim/copsim/validation"
)

// The suite's intervals are t-intervals over replications.
func ExampleMeanCI() {
	mean, lo, hi := validation.MeanCI([]float64{0.80, 0.82, 0.78, 0.81, 0.79})
	fmt.Printf("%.3f [%.3f, %.3f]\n", mean, lo, hi)
	// Output: 0.800 [0.780, 0.820]
}
