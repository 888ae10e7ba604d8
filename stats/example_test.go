package stats_test

import (
	"fmt"

	"github.com/copsim/copsim/stats"
)

// Student's sleep data, as shipped with R (datasets::sleep).
var (
	drug1 = []float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0}
	drug2 = []float64{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4}
)

func ExampleSummarize() {
	s := stats.Summarize(drug1)
	fmt.Printf("n %d, mean %.2f, 95 %% CI %.4f to %.4f\n", s.N, s.Mean, s.Lo, s.Hi)
	// Output: n 10, mean 0.75, 95 % CI -0.5298 to 2.0298
}

func ExampleWelch() {
	d := stats.Welch(drug1, drug2) // drug2 minus drug1
	fmt.Printf("diff %.2f, 95 %% CI %.4f to %.4f, t %.4f, df %.3f, p %.5f\n", d.Diff, d.Lo, d.Hi, d.T, d.DF, d.P)
	// Output: diff 1.58, 95 % CI -0.2055 to 3.3655, t 1.8608, df 17.776, p 0.07939
}

func ExamplePaired() {
	// The same ten patients took both drugs: the pairs remove the
	// differences between patients, and the interval shrinks.
	d := stats.Paired(drug1, drug2)
	fmt.Printf("diff %.2f, 95 %% CI %.4f to %.4f, t %.4f, df %.0f, p %.6f\n", d.Diff, d.Lo, d.Hi, d.T, d.DF, d.P)
	// Output: diff 1.58, 95 % CI 0.7001 to 2.4599, t 4.0621, df 9, p 0.002833
}

func ExampleHedgesG() {
	fmt.Printf("g %.3f\n", stats.HedgesG(drug1, drug2))
	// Output: g 0.797
}

func ExampleLatinHypercube() {
	// Four points in two dimensions: each quarter of each axis holds one.
	for _, p := range stats.LatinHypercube(4, 2, 1) {
		fmt.Printf("stratum %d, %d\n", int(p[0]*4), int(p[1]*4))
	}
	// Output:
	// stratum 2, 2
	// stratum 3, 1
	// stratum 0, 0
	// stratum 1, 3
}
