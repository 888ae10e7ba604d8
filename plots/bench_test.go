package plots

import (
	"testing"
)

// BenchmarkWriteRun draws a run's figures, as `copsim run` does, for ten
// replications of 200 weeks in three communities, one figure at a time
// and two at a time.
func BenchmarkWriteRun(b *testing.B) {
	rows := synthetic(10, 200, false)
	net := smallNetwork()
	for _, w := range []int{1, 2} {
		b.Run(map[int]string{1: "workers=1", 2: "workers=2"}[w], func(b *testing.B) {
			for b.Loop() {
				if _, err := WriteRun(b.TempDir(), rows, net, Options{Title: "bench", Workers: w}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
