package agents

import (
	"context"
	"testing"

	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// BenchmarkMarchRun is one replication of the built-in march1991 scenario
// (50 people, 30 dimensions, run to equilibrium), measured every period as
// the scenario asks, on one worker: the unit of a March sweep. "general"
// is the general engine, "fast" the March fast path, in one run;
// "fast-end-only" is the fast path measured only at tick 0 and the end, as
// RunSummaries runs it when no time series is wanted. cpu-ns/op
// is the process's CPU time per replication (garbage collection included).
func BenchmarkMarchRun(b *testing.B) {
	sc, err := scenarios.Load("march1991", []string{"replications=1"})
	if err != nil {
		b.Fatal(err)
	}
	for _, path := range []string{"general", "fast", "fast-end-only"} {
		b.Run(path, func(b *testing.B) {
			md, err := New(sc)
			if err != nil {
				b.Fatal(err)
			}
			switch path {
			case "general":
				md.march = nil
			case "fast-end-only":
				md.endOnly = true
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu0, ok := cpuTime()
			for i := 0; i < b.N; i++ {
				if _, err := sim.Run(context.Background(), md, sim.Options{Workers: 1}); err != nil {
					b.Fatal(err)
				}
			}
			if cpu1, _ := cpuTime(); ok {
				b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}
