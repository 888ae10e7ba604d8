package sim

import (
	"context"
	"errors"
	"math"
	"runtime"
	"sync/atomic"
	"unsafe"

	"github.com/copsim/copsim/internal/sat"
	"github.com/copsim/copsim/measure"
	"golang.org/x/sync/errgroup"
)

// Model is what Run runs: a scenario made ready, which builds the state of
// each replication on an engine (package agents implements it).
type Model interface {
	Plan() Plan
	// Replicate builds replication e.Rep() on e, drawing only from e's
	// streams. It may use e.Parallel, and must stop early, with any error,
	// once e.Stopped().
	Replicate(e *Engine) (Replication, error)
}

// Replication is one replication's state, which the engine steps and
// measures.
type Replication interface {
	// Phases is the ordered list of phases of a tick.
	Phases() []Phase
	// Measure returns the rows of the current tick (they may be reused
	// after the next call).
	Measure() []measure.Row
	// Done reports whether the replication ended before its last tick.
	Done() bool
	// Summarize returns the end-of-run outcomes from the last rows.
	Summarize(last []measure.Row) measure.Summary
	// Network pictures the last tick with at most maxNodes people.
	Network(maxNodes int) *measure.Network
}

// Releaser is a Replication whose memory the model can reuse for a later
// replication: Run calls Release once it is done with the replication
// (after Summarize, and Network for the first), and uses it no more.
type Releaser interface {
	Release()
}

// Plan is what Run needs to know of a model.
type Plan struct {
	Layout
	Replications int
	Ticks        int // at most; a replication may be Done before
	MeasureEvery int // ticks between measurements (tick 0 and the last are always measured)
	// MayEndEarly says that a replication may be Done long before Ticks
	// (a run to equilibrium with a tick cap), so that Run does not reserve
	// rows for ticks it will likely never reach.
	MayEndEarly    bool
	RowsPerMeasure int // rows one measurement gives
	NetworkNodes   int // people in the first replication's network picture
}

// Options control how a scenario is run; none of them changes a result.
type Options struct {
	// Workers is the number of goroutines (0: the number of CPUs). They are
	// spread over replications first, then over the people of each.
	Workers int
	// Progress, if set, is called after every tick of every replication with
	// the ticks done and the ticks planned over all replications.
	Progress func(done, total int64)
	// Rows, if set, is called when a replication starts for a writer that
	// receives all its rows as they are measured, in tick order, and is
	// closed when the replication ends (writers of different replications
	// are used at the same time). Result.Rows then keeps only a bounded
	// sample of the measured ticks, enough to draw figures, so that a long
	// run does not hold its whole time series in memory (see KeptRows).
	Rows func(rep int) (RowWriter, error)
}

// RowWriter receives one replication's rows (see Options.Rows).
type RowWriter interface {
	WriteRows(rows []measure.Row) error
	Close() error
}

// Result is everything a run produces.
type Result struct {
	// Rows are by replication, then tick, then community ("all" last):
	// every measured tick, or, when Options.Rows streams them, a sample.
	Rows      []measure.Row
	Summaries []measure.Summary // one per replication
	Network   *measure.Network  // the first replication's last tick
}

// maxKeptRows bounds the rows a streamed Run keeps for figures: about
// 30 MB, and more points than a figure has pixels. Below it every
// measured tick is kept, so that figures of ordinary runs are unchanged.
var maxKeptRows int64 = 1 << 17

// rows is how many rows one replication measures at most, and the number
// of measurements they come in.
func (p *Plan) rows() (rows, measures int64) {
	every := int64(max(1, p.MeasureEvery))
	measures = sat.Add(int64(max(p.Ticks, 0))/every, 2) // tick 0, every measurement, the last tick
	return sat.Mul(measures, int64(max(p.RowsPerMeasure, 0))), measures
}

// keepStride is every how many measurements a streamed Run keeps one for
// figures (the first and the last of each replication are always kept).
func (p *Plan) keepStride() int64 {
	rows, _ := p.rows()
	all := sat.Mul(rows, int64(max(p.Replications, 1)))
	return max(1, (all+maxKeptRows-1)/maxKeptRows)
}

// keptPerRep is how many rows a replication keeps at most with the given
// stride.
func (p *Plan) keptPerRep(stride int64) int64 {
	rows, measures := p.rows()
	return sat.Mul(rows/measures, measures/stride+2)
}

// KeptRows reports every how many measured ticks a Run that streams its
// rows keeps one in Result.Rows (1: all of them).
func (p Plan) KeptRows() int { return int(min(p.keepStride(), math.MaxInt32)) }

// RowsMemory is about how many bytes the rows of Result.Rows take when Run
// keeps all of them (Options.Rows unset).
func (p Plan) RowsMemory() int64 {
	rows, _ := p.rows()
	return sat.Mul(sat.Mul(rows, int64(max(p.Replications, 0))), int64(unsafe.Sizeof(measure.Row{})))
}

// ResultMemory is about how many bytes a streamed Run holds beside its
// replications' state, with outer replications running at once: the rows
// it keeps for figures, each replication's last measurement, and the
// summaries.
func (p Plan) ResultMemory(outer int) int64 {
	kept := sat.Mul(sat.Mul(p.keptPerRep(p.keepStride()), int64(max(p.Replications, 1))), int64(unsafe.Sizeof(measure.Row{})))
	inFlight := sat.Mul(sat.Mul(int64(outer), int64(p.RowsPerMeasure)), 2*int64(unsafe.Sizeof(measure.Row{})))
	sums := sat.Mul(int64(max(p.Replications, 1)), int64(unsafe.Sizeof(measure.Summary{})))
	return sat.Add(kept, inFlight, sums)
}

// Split is how Run spreads workers: outer replications at once, each with
// inner workers over its people.
func Split(workers, replications int) (outer, inner int) {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	outer = min(workers, max(replications, 1))
	return outer, max(1, workers/outer)
}

// errStopped ends a replication abandoned because another one failed.
var errStopped = errors.New("sim: stopped")

// Run runs every replication of the model and returns their results in
// replication order. It stops early, with ctx's error, when ctx is done:
// within a chunk of people's time, even inside a tick.
func Run(ctx context.Context, m Model, opt Options) (*Result, error) {
	plan := m.Plan()
	reps := plan.Replications
	outer, inner := Split(opt.Workers, reps)
	stride := int64(1)
	if opt.Rows != nil {
		stride = plan.keepStride()
	}
	rows := make([][]measure.Row, reps)
	sums := make([]measure.Summary, reps)
	var net *measure.Network
	var done atomic.Int64
	total := int64(reps) * int64(plan.Ticks)
	progress := func() {
		if opt.Progress != nil {
			opt.Progress(done.Add(1), total)
		}
	}

	// stop carries ctx's cancellation, or a replication's failure (which
	// cancels gctx), into the phases of a tick, which check it between
	// chunks: a long tick does not delay Ctrl-C.
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(outer)
	stop := new(atomic.Bool)
	watched := make(chan struct{})
	go func() {
		select {
		case <-gctx.Done():
			stop.Store(true)
		case <-watched:
		}
	}()
	for rep := 0; rep < reps && !stop.Load(); rep++ {
		g.Go(func() (err error) {
			defer func() {
				if v := recover(); v != nil {
					err = newPanicError(v)
				}
			}()
			rr := &repRun{ctx: ctx, model: m, plan: &plan, rep: rep, workers: inner, stop: stop, stride: stride, tick: progress}
			if err := rr.open(opt.Rows); err != nil {
				return err
			}
			if err := rr.run(); err != nil {
				return err
			}
			rows[rep], sums[rep] = rr.rows, rr.sum
			if rep == 0 {
				net = rr.net
			}
			return nil
		})
	}
	err := g.Wait()
	close(watched)
	if cerr := ctx.Err(); cerr != nil {
		return nil, cerr
	}
	if err != nil {
		// The first failure: the replications it stopped return errStopped
		// only after the group has recorded it.
		return nil, err
	}
	res := &Result{Summaries: sums, Network: net}
	for _, r := range rows {
		res.Rows = append(res.Rows, r...)
	}
	return res, nil
}

// repRun is one replication being run.
type repRun struct {
	ctx     context.Context
	model   Model
	plan    *Plan
	rep     int
	workers int
	stop    *atomic.Bool
	stride  int64 // keep every stride-th measurement in rows
	tick    func()
	w       RowWriter // nil: keep every row

	measured int64 // measurements so far
	rows     []measure.Row
	sum      measure.Summary
	net      *measure.Network
}

func (rr *repRun) open(rows func(rep int) (RowWriter, error)) error {
	if rows == nil {
		return nil
	}
	w, err := rows(rr.rep)
	rr.w = w
	return err
}

// add records one measurement: to the writer, if any, and to rows when it
// is kept.
func (rr *repRun) add(rs []measure.Row) error {
	for k := range rs {
		rs[k].Rep = rr.rep
	}
	if rr.w != nil {
		if err := rr.w.WriteRows(rs); err != nil {
			return err
		}
	}
	if rr.measured%rr.stride == 0 {
		rr.rows = append(rr.rows, rs...)
	}
	rr.measured++
	return nil
}

// run runs the replication to its last tick or until it is Done,
// measuring every MeasureEvery ticks and at the end.
func (rr *repRun) run() (err error) {
	if rr.w != nil {
		defer func() {
			if cerr := rr.w.Close(); err == nil {
				err = cerr
			}
		}()
	}
	p := rr.plan
	if rr.w != nil {
		// The bound is known: no doubling of a large slice on the way,
		// whose abandoned copies would add to the run's address space.
		// But a replication that may end long before its last tick
		// (March's runs stop at equilibrium, some 100 ticks into a cap of
		// 10 000) reserves at most 64 measurements' rows and grows.
		n := p.keptPerRep(rr.stride)
		if p.MayEndEarly {
			n = min(n, 64*int64(max(p.RowsPerMeasure, 1)))
		}
		rr.rows = make([]measure.Row, 0, n)
	}
	eng, err := NewEngine(p.Layout, rr.rep, rr.workers, rr.stop)
	if err != nil {
		return err
	}
	defer eng.Close()
	r, err := rr.model.Replicate(eng)
	if eng.Stopped() {
		return rr.stopped()
	}
	if err != nil {
		return err
	}
	sched, err := eng.Schedule(r.Phases())
	if err != nil {
		return err
	}
	every := max(1, p.MeasureEvery)
	last := r.Measure()
	if err := rr.add(last); err != nil {
		return err
	}
	lastKept := true
	for eng.Tick() < p.Ticks && !r.Done() {
		if rr.stop.Load() || rr.ctx.Err() != nil {
			return rr.stopped()
		}
		eng.Step(sched)
		if rr.stop.Load() {
			// The tick was cut short: its state is not a result.
			return rr.stopped()
		}
		rr.tick()
		if eng.Tick()%every == 0 || eng.Tick() == p.Ticks || r.Done() {
			last = r.Measure()
			lastKept = rr.measured%rr.stride == 0
			if err := rr.add(last); err != nil {
				return err
			}
		}
	}
	if !lastKept {
		// Figures end where the replication ended.
		rr.rows = append(rr.rows, last...)
	}
	if rr.rep == 0 {
		rr.net = r.Network(p.NetworkNodes)
	}
	rr.sum = r.Summarize(last)
	if rl, ok := r.(Releaser); ok {
		rl.Release()
	}
	return nil
}

// stopped is the error of a replication abandoned because stop was set:
// ctx's error, or errStopped when another replication failed.
func (rr *repRun) stopped() error {
	if err := rr.ctx.Err(); err != nil {
		return err
	}
	return errStopped
}
