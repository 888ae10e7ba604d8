package sim

import (
	"fmt"
	"math"

	"github.com/copsim/copsim/measure"
)

// walkers is the smallest model that exercises the engine: people take a
// random step each tick (a People phase), each group sums its members (a
// Groups phase), and the run is Done once every group's mean has left
// [-limit, limit] (when limit > 0). It stands in for the real model in the
// engine's tests, so that they test scheduling, not communities.
type walkers struct {
	people, groups, reps, ticks, every int
	limit                              float64
	seed                               uint64
}

func (m *walkers) Plan() Plan {
	return Plan{
		Layout:       Layout{Seed: m.seed, People: m.people, Groups: m.groups, Purposes: 2},
		Replications: m.reps, Ticks: m.ticks, MeasureEvery: m.every,
		RowsPerMeasure: m.groups + 1,
	}
}

func (m *walkers) Replicate(e *Engine) (Replication, error) {
	w := &walk{m: m, e: e, x: make([]float64, m.people), sum: make([]float64, m.groups)}
	// The start is drawn in parallel, as a real model's initialisation is.
	e.Parallel(e.Chunks(), func(_, ch int) {
		lo, hi := e.ChunkRange(ch)
		for i := lo; i < hi; i++ {
			r := e.Stream(i, 0)
			w.x[i] = r.Float64()
		}
	})
	return w, nil
}

type walk struct {
	m      *walkers
	e      *Engine
	x, sum []float64
	order  []string // phases' hooks as they ran, when tracing
	trace  bool
}

func (w *walk) Phases() []Phase {
	return []Phase{
		{Name: "walk", Before: w.note("before walk"), People: w.step, After: w.note("after walk")},
		{Name: "sum", Groups: w.total, After: w.note("after sum")},
	}
}

func (w *walk) note(s string) func() {
	return func() {
		if w.trace {
			w.order = append(w.order, s)
		}
	}
}

func (w *walk) step(_, lo, hi int) {
	for i := lo; i < hi; i++ {
		r := w.e.Stream(i, 1)
		w.x[i] += r.Float64() - 0.5
	}
}

func (w *walk) total(_, g int) {
	s := 0.0
	for i := g; i < len(w.x); i += len(w.sum) {
		s += w.x[i]
	}
	w.sum[g] = s
}

func (w *walk) mean(g int) float64 {
	n := (len(w.x) - g + len(w.sum) - 1) / len(w.sum)
	return w.sum[g] / float64(n)
}

func (w *walk) Measure() []measure.Row {
	rows := make([]measure.Row, 0, len(w.sum)+1)
	all := 0.0
	for g := range w.sum {
		rows = append(rows, measure.Row{Tick: w.e.Tick(), Community: fmt.Sprint(g), KnowledgeMean: w.mean(g)})
		all += w.sum[g]
	}
	return append(rows, measure.Row{Tick: w.e.Tick(), Community: "all", KnowledgeMean: all / float64(len(w.x))})
}

func (w *walk) Done() bool {
	if w.m.limit <= 0 || w.e.Tick() == 0 {
		return false
	}
	for g := range w.sum {
		if math.Abs(w.mean(g)) <= w.m.limit {
			return false
		}
	}
	return true
}

func (w *walk) Summarize(last []measure.Row) measure.Summary {
	return measure.Summary{Rep: int(w.e.Rep()), FinalTick: w.e.Tick(), KnowledgeMean: last[len(last)-1].KnowledgeMean}
}

func (w *walk) Network(maxNodes int) *measure.Network {
	return &measure.Network{Tick: w.e.Tick()}
}
