package sensitivity_test

import (
	"fmt"

	"github.com/copsim/copsim/sensitivity"
)

// A model's outputs at the points of a Sobol design give each input's
// first-order and total index: here y = x1 + 2·x2 + 4·(x1-½)(x3-½) on
// the unit cube, where x3 acts only through its interaction with x1
// (exactly: S1 = 0.16, 0.63, 0; ST = 0.37, 0.63, 0.21).
func ExampleSobolDesign() {
	d, err := sensitivity.NewSobolDesign(4000, 3, 1)
	if err != nil {
		panic(err)
	}
	pts := d.Points()
	y := make([]float64, len(pts))
	for p, x := range pts {
		y[p] = x[0] + 2*x[1] + 4*(x[0]-0.5)*(x[2]-0.5)
	}
	ix, err := d.Estimate(y, 200, 0.95, 1)
	if err != nil {
		panic(err)
	}
	for i := range ix.S1 {
		fmt.Printf("x%d: S1 %.2f, ST %.2f\n", i+1, ix.S1[i].Value, ix.ST[i].Value)
	}
	// Output:
	// x1: S1 0.16, ST 0.37
	// x2: S1 0.62, ST 0.63
	// x3: S1 -0.01, ST 0.21
}

// Check compares the estimators with the exact indices of two test
// functions; each interval must hold its exact value.
func ExampleCheck() {
	rows, err := sensitivity.Check(2000, 200, 1)
	if err != nil {
		panic(err)
	}
	failed := 0
	for _, r := range rows {
		if !r.Pass() {
			failed++
		}
	}
	fmt.Printf("%d indices, %d outside their intervals\n", len(rows), failed)
	// Output:
	// 22 indices, 0 outside their intervals
}
