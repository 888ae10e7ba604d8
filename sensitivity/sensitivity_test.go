package sensitivity

import (
	"math"
	"strings"
	"testing"
)

func TestParamAt(t *testing.T) {
	tests := []struct {
		name string
		p    Param
		u    float64
		want float64
	}{
		{"uniform, low end", Param{Low: 2, High: 6}, 0, 2},
		{"uniform, middle", Param{Low: 2, High: 6}, 0.5, 4},
		{"uniform, high end", Param{Low: 2, High: 6}, 1, 6},
		{"log-uniform, middle is the geometric mean", Param{Low: 0.001, High: 0.1, Log: true}, 0.5, 0.01},
		{"log-uniform, high end", Param{Low: 0.001, High: 0.1, Log: true}, 1, 0.1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.At(tt.u); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("At(%v) = %v, want %v", tt.u, got, tt.want)
			}
		})
	}
}

func TestParamCheck(t *testing.T) {
	tests := []struct {
		p    Param
		want string // "" for valid
	}{
		{Param{Name: "a", Low: 0, High: 1}, ""},
		{Param{Name: "a", Low: 1, High: 1}, "must run from low to a higher high"},
		{Param{Name: "a", Low: 2, High: 1}, "must run from low to a higher high"},
		{Param{Name: "a", Low: math.NaN(), High: 1}, "must be finite"},
		{Param{Name: "a", Low: 0, High: math.Inf(1)}, "must be finite"},
		{Param{Name: "a", Low: 0, High: 1, Log: true}, "must lie above 0"},
		{Param{Name: "a", Low: 0.01, High: 1, Log: true}, ""},
	}
	for _, tt := range tests {
		err := tt.p.Check()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%+v: %v, want valid", tt.p, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%+v: %v, want an error saying %q", tt.p, err, tt.want)
		}
	}
}

// AB_i is A with column i from B; the points run A, B, AB_1, ..., AB_k.
func TestSobolDesignPoints(t *testing.T) {
	const n, k = 16, 3
	d, err := NewSobolDesign(n, k, 7)
	if err != nil {
		t.Fatal(err)
	}
	pts := d.Points()
	if len(pts) != d.Len() || d.Len() != n*(k+2) {
		t.Fatalf("%d points, Len %d; want %d", len(pts), d.Len(), n*(k+2))
	}
	for i := 0; i < k; i++ {
		for j := 0; j < n; j++ {
			a, b, ab := pts[j], pts[n+j], pts[(2+i)*n+j]
			for c := 0; c < k; c++ {
				want := a[c]
				if c == i {
					want = b[c]
				}
				if ab[c] != want {
					t.Fatalf("AB_%d row %d column %d = %v, want %v", i+1, j, c, ab[c], want)
				}
			}
		}
	}
	again, _ := NewSobolDesign(n, k, 7)
	for p, x := range again.Points() {
		for c := range x {
			if x[c] != pts[p][c] {
				t.Fatal("the same seed gave another design")
			}
		}
	}
}

// An additive function's indices are known exactly: f = x1 + 2 x2 on
// [0,1]² has variances 1/12 and 4/12, so S1 = ST = 0.2 and 0.8.
func TestSobolAdditive(t *testing.T) {
	d, err := NewSobolDesign(2000, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	pts := d.Points()
	y := make([]float64, len(pts))
	for p, x := range pts {
		y[p] = x[0] + 2*x[1]
	}
	ix, err := d.Estimate(y, 300, 0.99, 3)
	if err != nil {
		t.Fatal(err)
	}
	// Saltelli's first-order estimator is noisier than Jansen's total one.
	for i, want := range []float64{0.2, 0.8} {
		for _, e := range []struct {
			name  string
			ix    Index
			width float64
		}{{"S1", ix.S1[i], 0.4}, {"ST", ix.ST[i], 0.15}} {
			if !e.ix.Contains(want) || e.ix.Hi-e.ix.Lo > e.width {
				t.Errorf("x%d %s: %.4f [%.4f, %.4f], want an interval narrower than %v holding %v", i+1, e.name, e.ix.Value, e.ix.Lo, e.ix.Hi, e.width, want)
			}
		}
	}
}

// The self-check recovers the exact indices of Ishigami and the
// g-function, and its intervals are narrow enough to catch an estimator
// that is wrong by a quarter.
func TestCheckRecoversExactIndices(t *testing.T) {
	rows, err := Check(4000, 400, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2*3+2*8 {
		t.Fatalf("%d rows, want 22", len(rows))
	}
	for _, r := range rows {
		t.Logf("%s x%d %s: exact %.4f, estimate %.4f [%.4f, %.4f]", r.Function, r.Input, r.Index, r.Exact, r.Estimate.Value, r.Estimate.Lo, r.Estimate.Hi)
		if !r.Pass() {
			t.Errorf("%s x%d %s: %.4f [%.4f, %.4f] misses the exact %.4f", r.Function, r.Input, r.Index, r.Estimate.Value, r.Estimate.Lo, r.Estimate.Hi, r.Exact)
		}
		if r.Estimate.Contains(r.Exact+0.25) || r.Estimate.Contains(r.Exact-0.25) {
			t.Errorf("%s x%d %s: the interval [%.4f, %.4f] would also pass an estimate off by 0.25", r.Function, r.Input, r.Index, r.Estimate.Lo, r.Estimate.Hi)
		}
	}
}

func TestEstimateRefusesBadInput(t *testing.T) {
	d, _ := NewSobolDesign(4, 2, 1)
	m, _ := NewMorrisDesign(4, 2, 4, 1)
	ok := func(n int) []float64 { return make([]float64, n) }
	nan := func(n int) []float64 { y := make([]float64, n); y[n-1] = math.NaN(); return y }
	tests := []struct {
		name string
		err  func() error
		want string
	}{
		{"sobol: too few outputs", func() error { _, err := d.Estimate(ok(3), 10, 0.95, 1); return err }, "3 outputs for a design of 16 points"},
		{"sobol: NaN", func() error { _, err := d.Estimate(nan(16), 10, 0.95, 1); return err }, "point 16) is NaN"},
		{"sobol: no resamples", func() error { _, err := d.Estimate(ok(16), 0, 0.95, 1); return err }, "at least 1 bootstrap"},
		{"sobol: level 1", func() error { _, err := d.Estimate(ok(16), 10, 1, 1); return err }, "between 0 and 1"},
		{"morris: too many outputs", func() error { _, err := m.Estimate(ok(13), 10, 0.95, 1); return err }, "13 outputs for a design of 12 points"},
		{"morris: NaN", func() error { _, err := m.Estimate(nan(12), 10, 0.95, 1); return err }, "is NaN"},
		{"sobol design: no input", func() error { _, err := NewSobolDesign(4, 0, 1); return err }, "at least one input"},
		{"sobol design: one point", func() error { _, err := NewSobolDesign(1, 2, 1); return err }, "at least 2 base points"},
		{"morris design: odd levels", func() error { _, err := NewMorrisDesign(4, 2, 3, 1); return err }, "must be even"},
		{"morris design: one trajectory", func() error { _, err := NewMorrisDesign(1, 2, 4, 1); return err }, "at least 2 trajectories"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

// Every Morris step stays on the grid and moves one input by ±Δ.
func TestMorrisDesignSteps(t *testing.T) {
	const r, k, levels = 20, 5, 4
	d, err := NewMorrisDesign(r, k, levels, 9)
	if err != nil {
		t.Fatal(err)
	}
	pts := d.Points()
	if len(pts) != r*(k+1) {
		t.Fatalf("%d points, want %d", len(pts), r*(k+1))
	}
	onGrid := func(v float64) bool {
		x := v * (levels - 1)
		return math.Abs(x-math.Round(x)) < 1e-9 && v >= -1e-12 && v <= 1+1e-12
	}
	for tr := 0; tr < r; tr++ {
		seen := map[int]bool{}
		for s := 1; s <= k; s++ {
			p := tr*(k+1) + s
			changed := -1
			for c := 0; c < k; c++ {
				if !onGrid(pts[p][c]) {
					t.Fatalf("point %d input %d = %v is off the grid", p, c, pts[p][c])
				}
				if diff := math.Abs(pts[p][c] - pts[p-1][c]); diff > 1e-12 {
					if changed >= 0 || math.Abs(diff-d.Delta) > 1e-12 {
						t.Fatalf("step %d of trajectory %d changes input %d by %v (already changed %d); want one input by Δ = %v", s, tr, c, diff, changed, d.Delta)
					}
					changed = c
				}
			}
			if changed < 0 || seen[changed] {
				t.Fatalf("step %d of trajectory %d moved input %d (moved before: %v)", s, tr, changed, seen[changed])
			}
			seen[changed] = true
		}
	}
}

// For a linear function every elementary effect is its coefficient: μ and
// μ* are the coefficient (in absolute value) and σ is 0.
func TestMorrisLinear(t *testing.T) {
	c := []float64{3, -2, 0, 0.5}
	d, err := NewMorrisDesign(10, len(c), 4, 2)
	if err != nil {
		t.Fatal(err)
	}
	pts := d.Points()
	y := make([]float64, len(pts))
	for p, x := range pts {
		for i := range c {
			y[p] += c[i] * x[i]
		}
	}
	ix, err := d.Estimate(y, 100, 0.95, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i := range c {
		if math.Abs(ix.Mu[i].Value-c[i]) > 1e-9 || math.Abs(ix.MuStar[i].Value-math.Abs(c[i])) > 1e-9 || ix.Sigma[i].Value > 1e-9 {
			t.Errorf("x%d: μ %v, μ* %v, σ %v; want %v, %v, 0", i+1, ix.Mu[i].Value, ix.MuStar[i].Value, ix.Sigma[i].Value, c[i], math.Abs(c[i]))
		}
	}
}

// Morris screens the g-function's inputs in the order of their importance:
// the smaller a_i, the larger μ*.
func TestMorrisRanksGFunction(t *testing.T) {
	d, err := NewMorrisDesign(50, len(gA), 4, 5)
	if err != nil {
		t.Fatal(err)
	}
	f := GFunction(gA)
	pts := d.Points()
	y := make([]float64, len(pts))
	for p, x := range pts {
		y[p] = f(x)
	}
	ix, err := d.Estimate(y, 200, 0.95, 5)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < 4; i++ {
		if ix.MuStar[i].Value >= ix.MuStar[i-1].Value {
			t.Errorf("μ* of x%d (a = %v) is %.3f, not below x%d's %.3f (a = %v)", i+1, gA[i], ix.MuStar[i].Value, i, ix.MuStar[i-1].Value, gA[i-1])
		}
	}
	if ix.MuStar[7].Value > 0.05*ix.MuStar[0].Value {
		t.Errorf("μ* of x8 (a = 99) is %.3f, want it negligible beside x1's %.3f", ix.MuStar[7].Value, ix.MuStar[0].Value)
	}
}
