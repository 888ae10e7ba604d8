package agents

import (
	"math/bits"
	"math/rand/v2"
	"testing"
)

// TestBeliefCounter checks the bit-sliced counts against one increment per
// set bit, for belief vectors of one to three words and up to 70 000 words
// added between flushes (counts past 1<<16).
func TestBeliefCounter(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		w, adds, flushes int
		density          float64
	}{
		{1, 0, 1, 0.5},
		{1, 1, 1, 1},
		{1, 1000, 3, 0.5},
		{2, 70000, 1, 0.9},
		{3, 257, 4, 0.1},
	} {
		bc := newBeliefCounter(tc.w)
		got, want := make([]int32, 64*tc.w), make([]int32, 64*tc.w)
		for f := 0; f < tc.flushes; f++ {
			for a := 0; a < tc.adds; a++ {
				x := make([]uint64, tc.w)
				for b := 0; b < 64*tc.w; b++ {
					if r.Float64() < tc.density {
						x[b/64] |= 1 << (b % 64)
					}
				}
				for i, word := range x {
					for ; word != 0; word &= word - 1 {
						want[i*64+bits.TrailingZeros64(word)]++
					}
				}
				bc.add(x)
			}
			bc.flush(got)
			for d := range want {
				if got[d] != want[d] {
					t.Fatalf("w=%d, %d adds, flush %d: dimension %d counted %d, want %d", tc.w, tc.adds, f, d, got[d], want[d])
				}
			}
		}
	}
}
