package sim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/copsim/copsim/measure"
)

// fingerprint renders every number of a result, so that two results can
// be compared byte for byte.
func fingerprint(res *Result) []byte {
	var b bytes.Buffer
	for _, r := range res.Rows {
		fmt.Fprintf(&b, "%+v\n", r)
	}
	for _, s := range res.Summaries {
		fmt.Fprintf(&b, "%+v\n", s)
	}
	return b.Bytes()
}

// The same model and seed give byte-identical results for any number of
// workers, with replications run side by side and chunks in any order.
func TestRunIdenticalAcrossWorkers(t *testing.T) {
	m := &walkers{people: 5000, groups: 7, reps: 3, ticks: 20, seed: 3}
	var want []byte
	for _, workers := range []int{1, 2, 3, 8} {
		res, err := Run(context.Background(), m, Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if got := fingerprint(res); want == nil {
			want = got
		} else if !bytes.Equal(got, want) {
			t.Fatalf("workers=%d differ from workers=1", workers)
		}
	}
	m.seed++
	res, _ := Run(context.Background(), m, Options{Workers: 2})
	if bytes.Equal(fingerprint(res), want) {
		t.Error("another seed gave the same result")
	}
}

// Run measures tick 0, every MeasureEvery ticks and the last tick, and
// stops a replication that is Done.
func TestRunMeasuresAndStops(t *testing.T) {
	tests := []struct {
		name       string
		m          walkers
		wantTicks  []int
		finalTicks int
	}{
		{"every tick", walkers{people: 10, groups: 2, reps: 1, ticks: 3}, []int{0, 1, 2, 3}, 3},
		{"every 4, last kept", walkers{people: 10, groups: 2, reps: 1, ticks: 10, every: 4}, []int{0, 4, 8, 10}, 10},
		{"done at once", walkers{people: 10, groups: 2, reps: 1, ticks: 50, limit: 1e-9}, []int{0, 1}, 1},
		{"no ticks", walkers{people: 10, groups: 2, reps: 2, ticks: 0}, []int{0, 0}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Run(context.Background(), &tt.m, Options{Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			var ticks []int
			for _, r := range res.Rows {
				if r.Community == "all" {
					ticks = append(ticks, r.Tick)
				}
			}
			if !slices.Equal(ticks, tt.wantTicks) {
				t.Errorf("measured ticks %v, want %v", ticks, tt.wantTicks)
			}
			if s := res.Summaries[0]; s.FinalTick != tt.finalTicks {
				t.Errorf("final tick %d, want %d", s.FinalTick, tt.finalTicks)
			}
		})
	}
}

// Phases run in list order, each one's Before, parallel part and After in
// that order, and the stream prefixes move with the tick.
func TestStepRunsPhasesInOrder(t *testing.T) {
	m := &walkers{people: 2000, groups: 3, reps: 1, ticks: 2}
	e, err := NewEngine(m.Plan().Layout, 0, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	r, _ := m.Replicate(e)
	w := r.(*walk)
	w.trace = true
	s, err := e.Schedule(w.Phases())
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Names(); !slices.Equal(got, []string{"walk", "sum"}) {
		t.Errorf("names %v", got)
	}
	r0 := e.Stream(0, 1)
	before := r0.Uint64()
	e.Step(s)
	want := []string{"before walk", "after walk", "after sum"}
	if !slices.Equal(w.order, want) || e.Tick() != 1 {
		t.Errorf("order %v at tick %d, want %v at 1", w.order, e.Tick(), want)
	}
	if r1 := e.Stream(0, 1); r1.Uint64() == before {
		t.Error("the stream of tick 1 is the stream of tick 0")
	}
	got := 0.0
	for g := range w.sum {
		got += w.sum[g]
	}
	sum := 0.0
	for _, x := range w.x {
		sum += x
	}
	if diff := got - sum; diff > 1e-9 || diff < -1e-9 {
		t.Errorf("groups sum to %g, people to %g: a Groups phase missed someone", got, sum)
	}
}

func TestScheduleRefusesAmbiguousPhase(t *testing.T) {
	e, _ := NewEngine(Layout{People: 10, Groups: 2, Purposes: 1}, 0, 1, nil)
	defer e.Close()
	_, err := e.Schedule([]Phase{{Name: "both", People: func(_, _, _ int) {}, Groups: func(_, _ int) {}}})
	if err == nil {
		t.Fatal("a phase with both People and Groups was accepted")
	}
}

func TestNewEngineRefusesLayout(t *testing.T) {
	for _, l := range []Layout{{People: -1, Purposes: 1}, {Groups: -1, Purposes: 1}, {People: 1}} {
		if _, err := NewEngine(l, 0, 1, nil); err == nil {
			t.Errorf("%+v accepted", l)
		}
	}
}

// Once stop is set, a tick's phases skip their chunks and the rest of the
// tick: nobody's state changes, which is what lets Ctrl-C end a run inside
// a long tick.
func TestStopSkipsChunks(t *testing.T) {
	m := &walkers{people: 5000, groups: 3, reps: 1, ticks: 5}
	for _, workers := range []int{1, 3} {
		stop := new(atomic.Bool)
		e, _ := NewEngine(m.Plan().Layout, 0, workers, stop)
		r, _ := m.Replicate(e)
		w := r.(*walk)
		s, _ := e.Schedule(w.Phases())
		e.Step(s)
		x, sum := slices.Clone(w.x), slices.Clone(w.sum)
		stop.Store(true)
		w.trace = true
		e.Step(s)
		if !slices.Equal(x, w.x) || !slices.Equal(sum, w.sum) || len(w.order) != 0 {
			t.Errorf("workers %d: a stopped tick changed state or ran hooks %v", workers, w.order)
		}
		e.Close()
	}
}

// Cancelling the context during a replication's first tick ends Run with
// the context's error before that tick finishes.
func TestCancelInsideTick(t *testing.T) {
	m := &walkers{people: 20000, groups: 3, reps: 2, ticks: 3}
	ctx, cancel := context.WithCancel(context.Background())
	var ticks atomic.Int64
	_, err := Run(ctx, m, Options{Workers: 2, Rows: func(int) (RowWriter, error) {
		cancel() // before the world is built
		return &collect{}, nil
	}, Progress: func(int64, int64) { ticks.Add(1) }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if n := ticks.Load(); n != 0 {
		t.Errorf("%d ticks completed after cancel", n)
	}
}

// collect is a RowWriter that keeps what it is given.
type collect struct {
	mu     sync.Mutex
	rows   []measure.Row
	closed bool
}

func (c *collect) WriteRows(rs []measure.Row) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rows = append(c.rows, rs...)
	return nil
}

func (c *collect) Close() error { c.closed = true; return nil }

// Streamed rows are the rows Run returns otherwise; Result.Rows keeps a
// sample whose first and last tick of every replication are present.
func TestStreamedRows(t *testing.T) {
	m := &walkers{people: 700, groups: 4, reps: 3, ticks: 40}
	plain, err := Run(context.Background(), m, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int64{1 << 17, 200, 1} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			old := maxKeptRows
			maxKeptRows = limit
			defer func() { maxKeptRows = old }()
			var mu sync.Mutex
			got := map[int]*collect{}
			res, err := Run(context.Background(), m, Options{Workers: 2, Rows: func(rep int) (RowWriter, error) {
				mu.Lock()
				defer mu.Unlock()
				got[rep] = &collect{}
				return got[rep], nil
			}})
			if err != nil {
				t.Fatal(err)
			}
			var all []measure.Row
			for rep := range m.reps {
				if !got[rep].closed {
					t.Errorf("rep %d: writer not closed", rep)
				}
				all = append(all, got[rep].rows...)
			}
			if !slices.Equal(all, plain.Rows) {
				t.Fatal("streamed rows differ from Run's rows")
			}
			if !slices.Equal(res.Summaries, plain.Summaries) {
				t.Error("summaries differ")
			}
			p := m.Plan()
			stride := p.keepStride()
			if limit >= 1<<17 {
				if stride != 1 || !slices.Equal(res.Rows, plain.Rows) {
					t.Errorf("stride %d: a small run must keep every row", stride)
				}
				return
			}
			if stride == 1 || len(res.Rows) >= len(plain.Rows) {
				t.Fatalf("stride %d, kept %d of %d rows", stride, len(res.Rows), len(plain.Rows))
			}
			if bound := p.keptPerRep(stride) * int64(m.reps); int64(len(res.Rows)) > bound {
				t.Errorf("kept %d rows, bound %d", len(res.Rows), bound)
			}
			first, last := map[int]bool{}, map[int]bool{}
			for _, r := range res.Rows {
				first[r.Rep] = first[r.Rep] || r.Tick == 0
				last[r.Rep] = last[r.Rep] || r.Tick == m.ticks
			}
			for rep := range m.reps {
				if !first[rep] || !last[rep] {
					t.Errorf("rep %d: first tick kept %v, last %v", rep, first[rep], last[rep])
				}
			}
		})
	}
}

// A tick of a model whose phases allocate nothing allocates nothing.
func TestStepAllocatesNothing(t *testing.T) {
	m := &walkers{people: 3000, groups: 3, reps: 1, ticks: 5}
	for _, workers := range []int{1, 2} {
		e, _ := NewEngine(m.Plan().Layout, 0, workers, nil)
		r, _ := m.Replicate(e)
		s, _ := e.Schedule(r.Phases())
		if a := testing.AllocsPerRun(20, func() { e.Step(s) }); a != 0 {
			t.Errorf("workers=%d: %.1f allocations per tick, want 0", workers, a)
		}
		e.Close()
	}
}

// Split gives each replication running at once its share of the workers.
func TestSplit(t *testing.T) {
	tests := []struct{ workers, reps, outer, inner int }{
		{8, 2, 2, 4}, {2, 8, 2, 1}, {3, 2, 2, 1}, {1, 1, 1, 1}, {4, 0, 1, 4},
	}
	for _, tt := range tests {
		if o, i := Split(tt.workers, tt.reps); o != tt.outer || i != tt.inner {
			t.Errorf("Split(%d, %d) = %d, %d; want %d, %d", tt.workers, tt.reps, o, i, tt.outer, tt.inner)
		}
	}
}

// Shared phases run one after the other on each chunk, in one pass, and
// keep their names; a phase that cannot share a pass is refused.
func TestSharedPhases(t *testing.T) {
	e, _ := NewEngine(Layout{People: 1000, Groups: 1, Purposes: 1}, 0, 1, nil)
	defer e.Close()
	var got []string
	f := func(name string) func(slot, lo, hi int) {
		return func(slot, lo, hi int) { got = append(got, fmt.Sprintf("%s %d-%d", name, lo, hi)) }
	}
	s, err := e.Schedule([]Phase{
		{Name: "a", People: f("a")},
		{Name: "b", People: f("b"), Shared: true},
		{Name: "c", People: f("c"), Shared: true, After: func() { got = append(got, "after c") }},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.Step(s)
	want := []string{"a 0-512", "b 0-512", "c 0-512", "a 512-1000", "b 512-1000", "c 512-1000", "after c"}
	if !slices.Equal(got, want) || !slices.Equal(s.Names(), []string{"a", "b", "c"}) {
		t.Errorf("ran %v as %v, want %v as [a b c]", got, s.Names(), want)
	}
	people := func(int, int, int) {}
	for _, bad := range [][]Phase{
		{{Name: "first", People: people, Shared: true}},
		{{Name: "groups", Groups: func(int, int) {}}, {Name: "b", People: people, Shared: true}},
		{{Name: "a", People: people, After: func() {}}, {Name: "b", People: people, Shared: true}},
		{{Name: "a", People: people}, {Name: "b", People: people, Before: func() {}, Shared: true}},
	} {
		if _, err := e.Schedule(bad); err == nil {
			t.Errorf("%s after %s: shared phase accepted", bad[len(bad)-1].Name, bad[0].Name)
		}
	}
}
