package agents

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// BenchmarkTick measures one tick of the baseline scenario at several
// population sizes (communities grow with the population, about 100 people
// each up to 1 000 communities) and reports people-ticks per second. The
// world is warmed up first so that ties and roles are at steady state.
func BenchmarkTick(b *testing.B) {
	for _, people := range []int{1000, 100_000, 1_000_000} {
		for _, workers := range []int{1, runtime.NumCPU()} {
			b.Run(fmt.Sprintf("people=%d/workers=%d", people, workers), func(b *testing.B) {
				sc, err := scenarios.Load("baseline", []string{
					fmt.Sprintf("population.people=%d", people),
					fmt.Sprintf("population.units=%d", max(6, people/50)),
					fmt.Sprintf("population.communities=%d", min(1000, max(3, people/100))),
				})
				if err != nil {
					b.Fatal(err)
				}
				wd := mustWorld(b, &sc, 0, workers)
				defer wd.Close()
				warm := 30
				if people >= 1_000_000 {
					warm = 5
				}
				for i := 0; i < warm; i++ {
					wd.Step()
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					wd.Step()
				}
				b.ReportMetric(float64(people)*float64(b.N)/b.Elapsed().Seconds(), "people-ticks/s")
			})
		}
	}
}

// BenchmarkMeasure is the cost of phase 11 at 100 000 people.
func BenchmarkMeasure(b *testing.B) {
	sc, err := scenarios.Load("baseline", []string{"population.people=100000", "population.communities=1000", "population.units=2000"})
	if err != nil {
		b.Fatal(err)
	}
	wd := mustWorld(b, &sc, 0, runtime.NumCPU())
	defer wd.Close()
	for i := 0; i < 10; i++ {
		wd.Step()
	}
	b.ResetTimer()
	cpu0, ok := cpuTime()
	for i := 0; i < b.N; i++ {
		wd.Measure()
	}
	if cpu1, _ := cpuTime(); ok {
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkBaseline100k is one tick of the baseline scenario as it is (three
// communities) scaled to 100 000 people: the figure docs/benchmarks.md
// reports against the aim of 5 million people-ticks per second.
func BenchmarkBaseline100k(b *testing.B) {
	for _, workers := range []int{1, runtime.NumCPU()} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			sc, err := scenarios.Load("baseline", []string{"population.people=100000"})
			if err != nil {
				b.Fatal(err)
			}
			wd := mustWorld(b, &sc, 0, workers)
			defer wd.Close()
			for i := 0; i < 30; i++ {
				wd.Step()
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu0, ok := cpuTime()
			for i := 0; i < b.N; i++ {
				wd.Step()
			}
			b.ReportMetric(float64(sc.Population.People)*float64(b.N)/b.Elapsed().Seconds(), "people-ticks/s")
			if cpu1, _ := cpuTime(); ok {
				b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

// BenchmarkRunBaseline100k is a whole run as `copsim run baseline --set
// population.people=100000 --ticks 50 --reps 1` makes it (building the
// world, 50 ticks, measuring every tick, summaries), without the CLI's
// writing of tables: people-ticks per second of the model's own work.
func BenchmarkRunBaseline100k(b *testing.B) {
	sc, err := scenarios.Load("baseline", []string{"population.people=100000", "ticks=50", "replications=1"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0, ok := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := Run(context.Background(), sc, sim.Options{Workers: runtime.NumCPU()}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(sc.Population.People)*float64(sc.Ticks)*float64(b.N)/b.Elapsed().Seconds(), "people-ticks/s")
	if cpu1, _ := cpuTime(); ok {
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkWorldBytes builds a world of 1 000 000 people (the baseline
// scenario, communities and units scaled as in BenchmarkTick) and reports
// its live heap per person, as runtime.MemStats counts it after a
// collection, after a few ticks so that every lazily grown buffer is in.
func BenchmarkWorldBytes(b *testing.B) {
	const people = 1_000_000
	for i := 0; i < b.N; i++ {
		sc, err := scenarios.Load("baseline", []string{
			fmt.Sprintf("population.people=%d", people),
			fmt.Sprintf("population.units=%d", people/50),
			"population.communities=1000",
		})
		if err != nil {
			b.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		wd := mustWorld(b, &sc, 0, runtime.NumCPU())
		for t := 0; t < 2; t++ {
			wd.Step()
		}
		wd.Measure()
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/people, "bytes/person")
		runtime.KeepAlive(wd)
		wd.Close()
	}
}
