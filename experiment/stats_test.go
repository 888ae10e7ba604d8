package experiment

import (
	"math"
	"testing"
)

func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol
}

func TestSummarize(t *testing.T) {
	cases := []struct {
		name         string
		xs           []float64
		n            int
		mean, lo, hi float64
	}{
		// t(0.975, 4) = 2.776445, sd = sqrt(2.5), half-width 1.963243
		{"one to five", []float64{1, 2, 3, 4, 5}, 5, 3, 1.036757, 4.963243},
		{"NaN left out", []float64{1, math.NaN(), 2, 3, 4, 5}, 5, 3, 1.036757, 4.963243},
		// t(0.975, 1) = 12.706205, sd = sqrt(2)/... : {0, 2}: sd = 1.414214, hw = 12.706205
		{"two values", []float64{0, 2}, 2, 1, 1 - 12.706205, 1 + 12.706205},
		{"one value", []float64{7}, 1, 7, math.NaN(), math.NaN()},
		{"none", nil, 0, math.NaN(), math.NaN(), math.NaN()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := Summarize(c.xs)
			if d.N != c.n || !near(d.Mean, c.mean, 1e-9) || !near(d.Lo, c.lo, 1e-5) || !near(d.Hi, c.hi, 1e-5) {
				t.Errorf("Summarize(%v) = n %d mean %g CI [%g, %g]; want n %d mean %g CI [%g, %g]",
					c.xs, d.N, d.Mean, d.Lo, d.Hi, c.n, c.mean, c.lo, c.hi)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	// Wikipedia, "Welch's t-test", example 1 (A2 minus A1): t = 2.46,
	// df = 24.9, p = 0.021.
	a1 := []float64{27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4}
	a2 := []float64{27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4}
	cases := []struct {
		name              string
		a, b              []float64
		diff, lo, hi      float64
		t, df, p, g       float64
		tolT, tolDF, tolP float64
	}{
		// Equal variances 2.5, n = 5: se = 1, t = 2, df = 8,
		// t(0.975, 8) = 2.306004, p = 0.080516; d = 2/sqrt(2.5) = 1.264911,
		// J = 1 - 3/31, g = 1.142500.
		{"textbook", []float64{1, 2, 3, 4, 5}, []float64{3, 4, 5, 6, 7},
			2, -0.306004, 4.306004, 2, 8, 0.080516, 1.142500, 1e-9, 1e-9, 1e-5},
		{"reversed", []float64{3, 4, 5, 6, 7}, []float64{1, 2, 3, 4, 5},
			-2, -4.306004, 0.306004, -2, 8, 0.080516, -1.142500, 1e-9, 1e-9, 1e-5},
		{"welch wikipedia", a1, a2,
			2.1666667, math.NaN(), math.NaN(), 2.46, 24.9, 0.021, math.NaN(), 0.01, 0.1, 0.001},
		{"constant equal", []float64{1, 1, 1}, []float64{1, 1}, 0, 0, 0, math.NaN(), math.NaN(), 1, math.NaN(), 0, 0, 0},
		{"constant different", []float64{1, 1, 1}, []float64{2, 2}, 1, 1, 1, math.NaN(), math.NaN(), 0, math.NaN(), 0, 0, 0},
		{"too small", []float64{1}, []float64{2, 3}, 1.5, math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), 0, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Compare(c.a, c.b)
			ok := near(r.Diff, c.diff, 1e-6) && near(r.T, c.t, c.tolT) && near(r.DF, c.df, c.tolDF) && near(r.P, c.p, c.tolP)
			if !math.IsNaN(c.lo) || c.name == "too small" {
				ok = ok && near(r.Lo, c.lo, 1e-5) && near(r.Hi, c.hi, 1e-5)
			}
			if !math.IsNaN(c.g) || c.name != "welch wikipedia" {
				ok = ok && near(r.G, c.g, 1e-5)
			}
			if !ok {
				t.Errorf("Compare = %+v; want diff %g CI [%g, %g] t %g df %g p %g g %g", r, c.diff, c.lo, c.hi, c.t, c.df, c.p, c.g)
			}
			if !math.IsNaN(r.Lo) && !(r.Lo <= r.Diff && r.Diff <= r.Hi) {
				t.Errorf("CI [%g, %g] does not contain %g", r.Lo, r.Hi, r.Diff)
			}
		})
	}
}

func TestPaired(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name         string
		a, b         []float64
		diff, lo, hi float64
		p            float64
	}{
		// d = 1, 2, 3: mean 2, sd 1, se 1/sqrt(3), t(2, 0.975) = 4.302653
		{"textbook", []float64{1, 1, 1}, []float64{2, 3, 4}, 2, 2 - 4.302653/math.Sqrt(3), 2 + 4.302653/math.Sqrt(3), 0.0742},
		{"constant shift", []float64{1, 2, 3}, []float64{2, 3, 4}, 1, 1, 1, 0},
		{"no change", []float64{1, 2, 3}, []float64{1, 2, 3}, 0, 0, 0, 1},
		{"NaN pairs dropped", []float64{1, nan, 1, 1}, []float64{2, 5, 3, 4}, 2, 2 - 4.302653/math.Sqrt(3), 2 + 4.302653/math.Sqrt(3), 0.0742},
	}
	for _, tt := range tests {
		r := Paired(tt.a, tt.b)
		near := func(x, y, tol float64) bool { return math.Abs(x-y) <= tol }
		if !near(r.Diff, tt.diff, 1e-12) || !near(r.Lo, tt.lo, 1e-5) || !near(r.Hi, tt.hi, 1e-5) || !near(r.P, tt.p, 5e-4) {
			t.Errorf("%s: %+v, want diff %v CI [%v, %v] p %v", tt.name, r, tt.diff, tt.lo, tt.hi, tt.p)
		}
	}
	if r := Paired([]float64{1}, []float64{2}); !math.IsNaN(r.Lo) || !math.IsNaN(r.P) {
		t.Errorf("one pair: %+v, want NaN interval and p", r)
	}
}

func TestPairedTighterUnderCommonRandomNumbers(t *testing.T) {
	// Replication noise shared by both scenarios cancels in the pairs.
	a := []float64{0.50, 0.70, 0.40, 0.90, 0.60, 0.80}
	b := make([]float64, len(a))
	for i := range a {
		b[i] = a[i] + 0.05 + 0.01*float64(i%2)
	}
	w, p := Compare(a, b), Paired(a, b)
	if p.Hi-p.Lo >= (w.Hi-w.Lo)/5 {
		t.Errorf("paired CI %v..%v not much tighter than Welch's %v..%v", p.Lo, p.Hi, w.Lo, w.Hi)
	}
	if !(p.P < 0.001 && w.P > 0.05) {
		t.Errorf("paired p %v, Welch p %v: the shared noise should hide the shift from Welch only", p.P, w.P)
	}
}
