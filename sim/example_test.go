package sim_test

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/sim"
)

// coins is a model of people who each flip a coin every tick: the smallest
// thing the engine can run. Package agents is copsim's real model.
type coins struct{ people int }

func (m coins) Plan() sim.Plan {
	return sim.Plan{
		Layout:       sim.Layout{Seed: 1, People: m.people, Groups: 1, Purposes: 1},
		Replications: 2, Ticks: 10, RowsPerMeasure: 1,
	}
}

func (m coins) Replicate(e *sim.Engine) (sim.Replication, error) {
	return &flips{e: e, heads: make([]int, m.people)}, nil
}

type flips struct {
	e     *sim.Engine
	heads []int
}

// Phases is the tick: one phase over chunks of people, in parallel, each
// person drawing from a stream of their own.
func (f *flips) Phases() []sim.Phase {
	return []sim.Phase{{Name: "flip", People: func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			r := f.e.Stream(i, 0)
			if r.Bernoulli(0.5) {
				f.heads[i]++
			}
		}
	}}}
}

func (f *flips) Measure() []measure.Row {
	sum := 0
	for _, h := range f.heads {
		sum += h
	}
	share := 0.0
	if f.e.Tick() > 0 {
		share = float64(sum) / float64(len(f.heads)*f.e.Tick())
	}
	return []measure.Row{{Tick: f.e.Tick(), Community: "all", ParticipationRate: share}}
}

func (f *flips) Done() bool { return false }
func (f *flips) Summarize(last []measure.Row) measure.Summary {
	return measure.Summary{ParticipationRate: last[0].ParticipationRate}
}
func (f *flips) Network(int) *measure.Network { return &measure.Network{} }

// Release makes flips a sim.Releaser: Run hands each replication back when
// it is done with it, here to count them (a model would keep its memory
// for the next replication).
func (f *flips) Release() { released.Add(1) }

var released atomic.Int64

// Run a model: two replications of ten ticks, measured at every tick.
func ExampleRun() {
	res, err := sim.Run(context.Background(), coins{people: 10_000}, sim.Options{Workers: 2})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(res.Rows), "rows,", released.Load(), "replications released")
	for _, s := range res.Summaries {
		fmt.Printf("heads %.2f\n", s.ParticipationRate)
	}
	// Output:
	// 22 rows, 2 replications released
	// heads 0.50
	// heads 0.50
}
