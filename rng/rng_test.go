package rng

import (
	"math"
	"testing"
)

func TestDeriveIndependentNeighbours(t *testing.T) {
	// Neighbouring keys must not give shifted copies of one stream: compare
	// the first 64 draws of agent a and agent a+1 for overlaps.
	a := Derive(1, 0, 10, 5, 0)
	b := Derive(1, 0, 11, 5, 0)
	seen := map[uint64]bool{}
	for i := 0; i < 64; i++ {
		seen[a.Uint64()] = true
	}
	for i := 0; i < 64; i++ {
		if seen[b.Uint64()] {
			t.Fatalf("streams of neighbouring agents overlap at draw %d", i)
		}
	}
}

func TestDeriveDeterministic(t *testing.T) {
	a, b := Derive(7, 1, 2, 3, 4), Derive(7, 1, 2, 3, 4)
	for i := 0; i < 10; i++ {
		if a.Uint64() != b.Uint64() {
			t.Fatal("same key gave different draws")
		}
	}
}

func TestDistributions(t *testing.T) {
	const n = 200000
	tests := []struct {
		name      string
		draw      func(s *Stream) float64
		mean, tol float64
	}{
		{"Float64", func(s *Stream) float64 { return s.Float64() }, 0.5, 0.005},
		{"Intn(10)", func(s *Stream) float64 { return float64(s.Intn(10)) }, 4.5, 0.03},
		{"Bernoulli(0.3)", func(s *Stream) float64 {
			if s.Bernoulli(0.3) {
				return 1
			}
			return 0
		}, 0.3, 0.005},
		{"Norm", func(s *Stream) float64 { return s.Norm() }, 0, 0.01},
		{"Gamma(2.5)", func(s *Stream) float64 { return s.Gamma(2.5) }, 2.5, 0.03},
		{"Gamma(0.4)", func(s *Stream) float64 { return s.Gamma(0.4) }, 0.4, 0.01},
		{"Beta(0.35,0.25)", func(s *Stream) float64 { return s.Beta(0.35, 0.25) }, 0.35, 0.005},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(42)
			sum := 0.0
			for i := 0; i < n; i++ {
				sum += tt.draw(&s)
			}
			if got := sum / n; math.Abs(got-tt.mean) > tt.tol {
				t.Errorf("mean %v, want %v ± %v", got, tt.mean, tt.tol)
			}
		})
	}
}

func TestIntnRange(t *testing.T) {
	s := New(3)
	counts := make([]int, 7)
	for i := 0; i < 70000; i++ {
		counts[s.Intn(7)]++
	}
	for v, c := range counts {
		if c < 9500 || c > 10500 {
			t.Errorf("value %d drawn %d times of 70000, want about 10000", v, c)
		}
	}
}

func BenchmarkDeriveAndDraw(b *testing.B) {
	var sink uint64
	for i := 0; i < b.N; i++ {
		s := Derive(1, 2, uint64(i), 4, 5)
		sink += s.Uint64()
	}
	_ = sink
}

func TestPrefixStreamsIndependent(t *testing.T) {
	p := NewPrefix(1, 2, 3, 4)
	a, b := p.Stream(10), p.Stream(11)
	seen := map[uint64]bool{}
	for i := 0; i < 64; i++ {
		seen[a.Uint64()] = true
	}
	for i := 0; i < 64; i++ {
		if seen[b.Uint64()] {
			t.Fatalf("streams of neighbouring agents overlap at draw %d", i)
		}
	}
	if NewPrefix(1, 2, 3, 4) != p || NewPrefix(1, 2, 3, 5) == p {
		t.Error("prefixes must be a function of their keys")
	}
	// Mean of first draws across agents: no bias from neighbouring ids.
	sum := 0.0
	for id := uint64(0); id < 100000; id++ {
		s := p.Stream(id)
		sum += s.Float64()
	}
	if m := sum / 100000; m < 0.495 || m > 0.505 {
		t.Errorf("mean of first draws %v, want 0.5", m)
	}
}
