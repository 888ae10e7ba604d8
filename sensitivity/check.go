package sensitivity

import (
	"fmt"
	"math"
)

// Ishigami is the Ishigami-Homma function of three inputs in [-π, π],
// f = sin x1 + a sin² x2 + b x3⁴ sin x1, the field's standard test of
// sensitivity estimators: x3 matters only through its interaction with
// x1 (S1 = 0, ST > 0).
func Ishigami(a, b float64) func(x []float64) float64 {
	return func(x []float64) float64 {
		s1 := math.Sin(x[0])
		return s1 + a*math.Sin(x[1])*math.Sin(x[1]) + b*math.Pow(x[2], 4)*s1
	}
}

// IshigamiIndices are the Ishigami function's exact first-order and total
// indices (Ishigami & Homma 1990; Saltelli et al. 2010, Table 1).
func IshigamiIndices(a, b float64) (s1, st []float64) {
	pi4 := math.Pow(math.Pi, 4)
	v1 := 0.5 * (1 + b*pi4/5) * (1 + b*pi4/5)
	v2 := a * a / 8
	v13 := 8 * b * b * pi4 * pi4 / 225
	v := v1 + v2 + v13
	return []float64{v1 / v, v2 / v, 0}, []float64{(v1 + v13) / v, v2 / v, v13 / v}
}

// GFunction is Sobol's g-function of len(a) inputs in [0, 1],
// g = Π (|4x_i - 2| + a_i) / (1 + a_i): the larger a_i, the less input i
// matters.
func GFunction(a []float64) func(x []float64) float64 {
	return func(x []float64) float64 {
		g := 1.0
		for i, ai := range a {
			g *= (math.Abs(4*x[i]-2) + ai) / (1 + ai)
		}
		return g
	}
}

// GFunctionIndices are the g-function's exact indices: V_i = 1/(3(1+a_i)²),
// V = Π(1+V_i) - 1, S1_i = V_i/V, ST_i = V_i Π_{j≠i}(1+V_j)/V.
func GFunctionIndices(a []float64) (s1, st []float64) {
	vi := make([]float64, len(a))
	prod := 1.0
	for i, ai := range a {
		vi[i] = 1 / (3 * (1 + ai) * (1 + ai))
		prod *= 1 + vi[i]
	}
	v := prod - 1
	s1, st = make([]float64, len(a)), make([]float64, len(a))
	for i := range a {
		s1[i] = vi[i] / v
		st[i] = vi[i] * prod / (1 + vi[i]) / v
	}
	return s1, st
}

// CheckRow is one index of a test function: its exact value beside the
// estimate.
type CheckRow struct {
	Function string // "ishigami" or "g-function"
	Input    int    // 1-based, as the literature numbers them
	Index    string // "S1" or "ST"
	Exact    float64
	Estimate Index
}

// Pass reports whether the estimate's interval holds the exact value.
func (r CheckRow) Pass() bool { return r.Estimate.Contains(r.Exact) }

// The test functions of Check: Ishigami with a = 7, b = 0.1, and the
// g-function with the classic a = (0, 1, 4.5, 9, 99, 99, 99, 99).
var (
	ishigamiA, ishigamiB = 7.0, 0.1
	gA                   = []float64{0, 1, 4.5, 9, 99, 99, 99, 99}
)

// Check estimates the Sobol indices of the Ishigami function and of the
// g-function with n base points each and returns every index beside its
// exact value. The intervals are simultaneous: each is a bootstrap
// interval at level 1 - 0.05/(number of indices) (Bonferroni), so that
// all of them hold their exact values together with probability at least
// 95 % and a correct estimator fails the check about one time in twenty
// or less, whatever the number of indices.
func Check(n, boots int, seed uint64) ([]CheckRow, error) {
	type fn struct {
		name   string
		f      func([]float64) float64
		params []Param
		s1, st []float64
	}
	s1I, stI := IshigamiIndices(ishigamiA, ishigamiB)
	s1G, stG := GFunctionIndices(gA)
	fns := []fn{{name: "ishigami", f: Ishigami(ishigamiA, ishigamiB), s1: s1I, st: stI},
		{name: "g-function", f: GFunction(gA), s1: s1G, st: stG}}
	for i := 0; i < 3; i++ {
		fns[0].params = append(fns[0].params, Param{Name: fmt.Sprint("x", i+1), Low: -math.Pi, High: math.Pi})
	}
	for i := range gA {
		fns[1].params = append(fns[1].params, Param{Name: fmt.Sprint("x", i+1), Low: 0, High: 1})
	}
	indices := 0
	for _, f := range fns {
		indices += 2 * len(f.params)
	}
	level := 1 - 0.05/float64(indices)
	var rows []CheckRow
	for k, f := range fns {
		d, err := NewSobolDesign(n, len(f.params), seed+uint64(k))
		if err != nil {
			return nil, err
		}
		pts := d.Points()
		y := make([]float64, len(pts))
		x := make([]float64, len(f.params))
		for p, u := range pts {
			for i, pr := range f.params {
				x[i] = pr.At(u[i])
			}
			y[p] = f.f(x)
		}
		ix, err := d.Estimate(y, boots, level, seed+uint64(k))
		if err != nil {
			return nil, err
		}
		for i := range f.params {
			rows = append(rows, CheckRow{f.name, i + 1, "S1", f.s1[i], ix.S1[i]},
				CheckRow{f.name, i + 1, "ST", f.st[i], ix.ST[i]})
		}
	}
	return rows, nil
}
