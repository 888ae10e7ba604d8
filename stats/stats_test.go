package stats

import (
	"math"
	"testing"
)

// Student's sleep data (Cushny & Peebles 1905, as printed by Student 1908
// and shipped with R as datasets::sleep): extra hours of sleep of ten
// patients under each of two drugs.
var (
	sleep1 = []float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0}
	sleep2 = []float64{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4}
)

// near reports whether got is within tol of want; NaN is near only NaN.
func near(got, want, tol float64) bool {
	if math.IsNaN(got) || math.IsNaN(want) {
		return math.IsNaN(got) && math.IsNaN(want)
	}
	return math.Abs(got-want) <= tol
}

func TestSummarize(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name             string
		xs               []float64
		n                int
		mean, sd, lo, hi float64
		tol              float64
	}{
		// R 4: t.test(sleep$extra[1:10]) prints "95 percent confidence
		// interval: -0.5297804 2.0297804", mean 0.75; sd() 1.78901.
		{"R sleep group 1", sleep1, 10, 0.75, 1.78901, -0.5297804, 2.0297804, 1e-6},
		// By hand: sd = sqrt(2.5), t(0.975, 4) = 2.776445 (any t table),
		// half-width 2.776445 * sqrt(2.5) / sqrt(5) = 1.963243.
		{"one to five", []float64{1, 2, 3, 4, 5}, 5, 3, math.Sqrt(2.5), 1.036757, 4.963243, 1e-6},
		{"NaN left out", []float64{1, nan, 2, 3, 4, 5}, 5, 3, math.Sqrt(2.5), 1.036757, 4.963243, 1e-6},
		// t(0.975, 1) = 12.706205; sd = sqrt(2), half-width 12.706205.
		{"two values", []float64{0, 2}, 2, 1, math.Sqrt2, 1 - 12.706205, 1 + 12.706205, 1e-6},
		{"constant", []float64{4, 4, 4}, 3, 4, 0, 4, 4, 0},
		{"one value", []float64{7}, 1, 7, nan, nan, nan, 0},
		{"only NaN", []float64{nan}, 0, nan, nan, nan, nan, 0},
		{"none", nil, 0, nan, nan, nan, nan, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := Summarize(c.xs)
			if s.N != c.n || !near(s.Mean, c.mean, 1e-12) || !near(s.SD, c.sd, max(c.tol, 1e-12)) ||
				!near(s.Lo, c.lo, c.tol) || !near(s.Hi, c.hi, c.tol) {
				t.Errorf("Summarize(%v) = %+v; want n %d mean %g sd %g CI [%g, %g]",
					c.xs, s, c.n, c.mean, c.sd, c.lo, c.hi)
			}
		})
	}
}

func TestWelch(t *testing.T) {
	// Wikipedia, "Welch's t-test", examples 1 and 2 (A2 minus A1).
	a1 := []float64{27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4}
	a2 := []float64{27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4}
	b1 := []float64{17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8}
	b2 := []float64{21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8, 20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5, 21.5, 21.8}
	nan := math.NaN()
	cases := []struct {
		name                     string
		a, b                     []float64
		diff, lo, hi             float64
		t, df, p                 float64
		tolCI, tolT, tolDF, tolP float64
	}{
		// R 4: t.test(extra ~ group, data = sleep) prints t = -1.8608,
		// df = 17.776, p-value = 0.07939, 95 percent confidence interval
		// -3.3654832 0.2054832 (group 1 minus group 2).
		{"R sleep", sleep2, sleep1, -1.58, -3.3654832, 0.2054832, -1.8608, 17.776, 0.07939, 1e-6, 1e-4, 1e-3, 1e-5},
		// Wikipedia: t = 2.46, df = 24.9, p = 0.021 (interval not given).
		{"Wikipedia 1", a1, a2, 2.1666667, nan, nan, 2.46, 24.9, 0.021, -1, 0.01, 0.1, 0.001},
		// Wikipedia: t = 1.57, df = 9.9, p = 0.149.
		{"Wikipedia 2", b1, b2, 1.525, nan, nan, 1.57, 9.9, 0.149, -1, 0.01, 0.01, 0.001},
		// By hand: equal variances 2.5, n = 5: se = 1, t = 2, df = 8,
		// t(0.975, 8) = 2.306004, p = 0.080516 (any t table).
		{"by hand", []float64{1, 2, 3, 4, 5}, []float64{3, 4, 5, 6, 7}, 2, -0.306004, 4.306004, 2, 8, 0.080516, 1e-6, 1e-9, 1e-9, 1e-6},
		{"reversed", []float64{3, 4, 5, 6, 7}, []float64{1, 2, 3, 4, 5}, -2, -4.306004, 0.306004, -2, 8, 0.080516, 1e-6, 1e-9, 1e-9, 1e-6},
		{"constant equal", []float64{1, 1, 1}, []float64{1, 1}, 0, 0, 0, nan, nan, 1, 0, 0, 0, 0},
		{"constant different", []float64{1, 1, 1}, []float64{2, 2}, 1, 1, 1, nan, nan, 0, 0, 0, 0, 0},
		{"too small", []float64{1}, []float64{2, 3}, 1.5, nan, nan, nan, nan, nan, 0, 0, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Welch(c.a, c.b)
			ok := near(r.Diff, c.diff, 1e-6) && near(r.T, c.t, c.tolT) && near(r.DF, c.df, c.tolDF) && near(r.P, c.p, c.tolP)
			if c.tolCI >= 0 {
				ok = ok && near(r.Lo, c.lo, c.tolCI) && near(r.Hi, c.hi, c.tolCI)
			}
			if !ok {
				t.Errorf("Welch = %+v; want diff %g CI [%g, %g] t %g df %g p %g", r, c.diff, c.lo, c.hi, c.t, c.df, c.p)
			}
			if !math.IsNaN(r.Lo) && !(r.Lo <= r.Diff && r.Diff <= r.Hi) {
				t.Errorf("CI [%g, %g] does not contain %g", r.Lo, r.Hi, r.Diff)
			}
		})
	}
}

func TestPaired(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name         string
		a, b         []float64
		diff, lo, hi float64
		tt, df, p    float64
		tol          float64
	}{
		// R 4: t.test(sleep$extra[1:10], sleep$extra[11:20], paired = TRUE)
		// prints t = -4.0621, df = 9, p-value = 0.002833, 95 percent
		// confidence interval -2.4598858 -0.7001142, mean difference -1.58.
		{"R sleep", sleep2, sleep1, -1.58, -2.4598858, -0.7001142, -4.0621, 9, 0.002833, 1e-6},
		// By hand: d = 1, 2, 3: mean 2, sd 1, t(0.975, 2) = 4.302653,
		// t = 2·sqrt(3) = 3.464102, p = 0.074180 (any t table).
		{"by hand", []float64{1, 1, 1}, []float64{2, 3, 4}, 2, 2 - 4.302653/math.Sqrt(3), 2 + 4.302653/math.Sqrt(3), 3.464102, 2, 0.074180, 1e-6},
		{"NaN pairs dropped", []float64{1, nan, 1, 1}, []float64{2, 5, 3, 4}, 2, 2 - 4.302653/math.Sqrt(3), 2 + 4.302653/math.Sqrt(3), 3.464102, 2, 0.074180, 1e-6},
		{"unequal lengths", []float64{1, 1, 1, 9}, []float64{2, 3, 4}, 2, 2 - 4.302653/math.Sqrt(3), 2 + 4.302653/math.Sqrt(3), 3.464102, 2, 0.074180, 1e-6},
		{"constant shift", []float64{1, 2, 3}, []float64{2, 3, 4}, 1, 1, 1, nan, 2, 0, 1e-12},
		{"no change", []float64{1, 2, 3}, []float64{1, 2, 3}, 0, 0, 0, nan, 2, 1, 0},
		{"one pair", []float64{1}, []float64{2}, 1, nan, nan, nan, nan, nan, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Paired(c.a, c.b)
			if !near(r.Diff, c.diff, 1e-12) || !near(r.Lo, c.lo, c.tol) || !near(r.Hi, c.hi, c.tol) ||
				!near(r.T, c.tt, 1e-4) || !near(r.DF, c.df, 0) || !near(r.P, c.p, 1e-6) {
				t.Errorf("Paired = %+v; want diff %g CI [%g, %g] t %g df %g p %g", r, c.diff, c.lo, c.hi, c.tt, c.df, c.p)
			}
		})
	}
}

// borenstein returns n values with mean m and sample standard deviation s
// (n even): half at m - a, half at m + a.
func borenstein(n int, m, s float64) []float64 {
	a := s * math.Sqrt(float64(n-1)/float64(n))
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = m + a*float64(1-2*(i%2))
	}
	return xs
}

func TestHedgesG(t *testing.T) {
	// Lakens (2013), "Calculating and reporting effect sizes", Frontiers in
	// Psychology 4:863, Table 1: two movies rated by ten people each,
	// Cohen's d_s = 1.13, Hedges' g_s = 1.08.
	movie1 := []float64{9, 7, 8, 9, 8, 9, 9, 10, 9, 9}
	movie2 := []float64{9, 6, 7, 8, 7, 9, 8, 8, 8, 7}
	cases := []struct {
		name string
		a, b []float64
		want float64
		tol  float64
	}{
		{"Lakens 2013", movie2, movie1, 1.08, 0.005},
		{"Lakens reversed", movie1, movie2, -1.08, 0.005},
		// Borenstein, Hedges, Higgins & Rothstein (2009), Introduction to
		// Meta-Analysis, section 4.3: means 103 and 100, SDs 5.5 and 4.5,
		// n = 50 each: d = 0.5970, J = 0.9923, g = 0.5924.
		{"Borenstein 2009", borenstein(50, 100, 4.5), borenstein(50, 103, 5.5), 0.5924, 5e-5},
		// By hand: pooled SD sqrt(2.5), d = 2/sqrt(2.5) = 1.264911,
		// J = 1 - 3/31, g = 1.142500.
		{"by hand", []float64{1, 2, 3, 4, 5}, []float64{3, 4, 5, 6, 7}, 1.142500, 1e-6},
		{"NaN left out", []float64{1, 2, math.NaN(), 3, 4, 5}, []float64{3, 4, 5, 6, 7}, 1.142500, 1e-6},
		{"no spread", []float64{1, 1}, []float64{2, 2}, math.NaN(), 0},
		{"too small", []float64{1}, []float64{2, 3}, math.NaN(), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if g := HedgesG(c.a, c.b); !near(g, c.want, c.tol) {
				t.Errorf("HedgesG = %.6f; want %g ± %g", g, c.want, c.tol)
			}
		})
	}
}

// TestPairedTighterUnderCommonRandomNumbers shows why a comparison reports
// the paired interval: replication noise shared by both scenarios cancels
// in the pairs and hides the shift from Welch's test.
func TestPairedTighterUnderCommonRandomNumbers(t *testing.T) {
	a := []float64{0.50, 0.70, 0.40, 0.90, 0.60, 0.80}
	b := make([]float64, len(a))
	for i := range a {
		b[i] = a[i] + 0.05 + 0.01*float64(i%2)
	}
	w, p := Welch(a, b), Paired(a, b)
	if p.Hi-p.Lo >= (w.Hi-w.Lo)/5 {
		t.Errorf("paired CI %v..%v not much tighter than Welch's %v..%v", p.Lo, p.Hi, w.Lo, w.Hi)
	}
	if !(p.P < 0.001 && w.P > 0.05) {
		t.Errorf("paired p %v, Welch p %v: the shared noise should hide the shift from Welch only", p.P, w.P)
	}
}
