package agents

import (
	"fmt"
	"math/bits"
	"testing"
)

// turbulence flips each dimension of reality with probability p4 a tick:
// over many dimensions and ticks the flips match within 5 binomial
// standard deviations; at p4 = 1 every dimension, and nothing beyond m,
// flips.
func TestTurbulence(t *testing.T) {
	for _, p4 := range []float64{0.01, 0.3, 1} {
		t.Run(fmt.Sprint("p4=", p4), func(t *testing.T) {
			const ticks = 1000
			wd := tinyWorld(t, 1, 1, "model.dimensions=250", fmt.Sprint("model.turbulence=", p4))
			flips := 0
			for range ticks {
				advance(t, wd, 1)
				before := append([]uint64(nil), wd.reality...)
				wd.turbulence()
				for w := range before {
					d := before[w] ^ wd.reality[w]
					if d&^wd.all[w] != 0 {
						t.Fatalf("flipped a bit beyond m in word %d", w)
					}
					flips += bits.OnesCount64(d)
				}
			}
			within(t, "flips", flips, ticks*wd.m, p4)
		})
	}
}
