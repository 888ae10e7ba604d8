package sim

import (
	"context"
	"errors"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/scenarios"
)

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

// Result is everything a run of a scenario produces.
type Result struct {
	Scenario scenarios.Scenario
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

// keepStride is every how many measurements a streamed Run keeps one for
// figures (the first and the last of each replication are always kept).
func keepStride(sc *scenarios.Scenario) int64 {
	rows, _ := rowsOf(sc)
	all := satMul(rows, int64(max(sc.Replications, 1)))
	return max(1, (all+maxKeptRows-1)/maxKeptRows)
}

// keptRows is how many rows a streamed Run keeps at most.
func keptRows(sc *scenarios.Scenario) int64 {
	return satMul(keptPerRep(sc, keepStride(sc)), int64(max(sc.Replications, 1)))
}

// keptPerRep is how many rows a replication keeps at most with the given
// stride.
func keptPerRep(sc *scenarios.Scenario, stride int64) int64 {
	rows, measures := rowsOf(sc)
	return satMul(rows/measures, measures/stride+2)
}

// KeptRows reports every how many measured ticks a Run of sc that streams
// its rows keeps one in Result.Rows (1: all of them).
func KeptRows(sc scenarios.Scenario) int { return int(min(keepStride(&sc), math.MaxInt32)) }

// Run runs every replication of the scenario and returns their results in
// replication order. It stops early, with ctx's error, when ctx is done:
// within a chunk of people's time, even inside a tick.
func Run(ctx context.Context, sc scenarios.Scenario, opt Options) (*Result, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	if _, err := sizesOf(&sc); err != nil {
		return nil, err
	}
	reps := sc.Replications
	outer := min(workers, reps)
	inner := max(1, workers/outer)
	stride := int64(1)
	if opt.Rows != nil {
		stride = keepStride(&sc)
	}

	rows := make([][]measure.Row, reps)
	sums := make([]measure.Summary, reps)
	var net *measure.Network
	var done atomic.Int64
	total := int64(reps) * int64(sc.Ticks)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, outer)
	// stop carries ctx's cancellation, or another replication's failure,
	// into the phases of a tick, which check it between chunks: a long
	// tick does not delay Ctrl-C.
	stop := new(atomic.Bool)
	watched := make(chan struct{})
	defer close(watched)
	go func() {
		select {
		case <-ctx.Done():
			stop.Store(true)
		case <-watched:
		}
	}()
	for g := 0; g < outer; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			defer func() {
				if v := recover(); v != nil {
					errs[g] = newPanicError(v)
					stop.Store(true)
				}
			}()
			for !stop.Load() {
				rep := int(next.Add(1)) - 1
				if rep >= reps {
					return
				}
				rr := &repRun{ctx: ctx, sc: &sc, rep: rep, workers: inner, stop: stop, stride: stride, tick: func() {
					if opt.Progress != nil {
						opt.Progress(done.Add(1), total)
					}
				}}
				err := rr.open(opt.Rows)
				if err == nil {
					err = rr.run()
				}
				if err != nil {
					errs[g] = err
					stop.Store(true)
					return
				}
				rows[rep], sums[rep] = rr.rows, rr.sum
				if rep == 0 {
					net = rr.net
				}
			}
		}(g)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		// The failure, not the replications it stopped.
		if err != nil && !errors.Is(err, errStopped) {
			return nil, err
		}
	}
	res := &Result{Scenario: sc, Summaries: sums, Network: net}
	for _, r := range rows {
		res.Rows = append(res.Rows, r...)
	}
	return res, nil
}

// repRun is one replication being run.
type repRun struct {
	ctx     context.Context
	sc      *scenarios.Scenario
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
// is kept (or when keep says it must be).
func (rr *repRun) add(rs []measure.Row, keep bool) error {
	for k := range rs {
		rs[k].Rep = rr.rep
	}
	if rr.w != nil {
		if err := rr.w.WriteRows(rs); err != nil {
			return err
		}
	}
	if keep || rr.measured%rr.stride == 0 {
		rr.rows = append(rr.rows, rs...)
	}
	rr.measured++
	return nil
}

// run runs the replication to its tick cap or to March's equilibrium,
// measuring every Output.MeasureEvery ticks and at the end.
func (rr *repRun) run() (err error) {
	if rr.w != nil {
		defer func() {
			if cerr := rr.w.Close(); err == nil {
				err = cerr
			}
		}()
	}
	sc := rr.sc
	if rr.w != nil {
		// The bound is known: no doubling of a large slice on the way.
		rr.rows = make([]measure.Row, 0, keptPerRep(sc, rr.stride))
	}
	wd, err := newWorld(sc, rr.rep, rr.workers, rr.stop)
	if errors.Is(err, errStopped) {
		return rr.stopped()
	}
	if err != nil {
		return err
	}
	defer wd.Close()
	every := max(1, sc.Output.MeasureEvery)
	last := wd.Measure()
	if err := rr.add(last, false); err != nil {
		return err
	}
	lastKept := true
	for wd.Tick() < sc.Ticks && !wd.Equilibrium() {
		if rr.stop.Load() || rr.ctx.Err() != nil {
			return rr.stopped()
		}
		wd.Step()
		if rr.stop.Load() {
			// The tick was cut short: its state is not a result.
			return rr.stopped()
		}
		rr.tick()
		if wd.Tick()%every == 0 || wd.Tick() == sc.Ticks || wd.Equilibrium() {
			last = wd.Measure()
			lastKept = rr.measured%rr.stride == 0
			if err := rr.add(last, false); err != nil {
				return err
			}
		}
	}
	if !lastKept {
		// Figures end where the replication ended.
		rr.rows = append(rr.rows, last...)
	}
	if rr.rep == 0 {
		rr.net = wd.Network(sc.Output.NetworkNodes)
	}
	rr.sum = wd.Summarize(last)
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

// Network samples up to max people, evenly spread over the population, with
// the ties among them.
func (wd *World) Network(maxNodes int) *measure.Network {
	k := min(maxNodes, wd.n)
	net := &measure.Network{Tick: wd.tick}
	for c := range wd.comms {
		net.CommunityNames = append(net.CommunityNames, wd.comms[c].name)
	}
	if k <= 0 {
		return net
	}
	index := make(map[int]int, k)
	for s := 0; s < k; s++ {
		i := s * wd.n / k
		index[i] = len(net.Nodes)
		best := -1
		memberships := 0
		for t := 0; t < maxMem; t++ {
			j := i*maxMem + t
			if wd.memC[j] < 0 {
				continue
			}
			memberships++
			if best < 0 || wd.legit[j] > wd.legit[i*maxMem+best] {
				best = t
			}
		}
		node := measure.Node{ID: i, Community: -1, Role: agents.Outsider.String()}
		kn, v := wd.beliefs(i)
		node.Knowledge = agents.Knowledge(kn, v, wd.reality, wd.all)
		if best >= 0 {
			j := i*maxMem + best
			node.Community = int(wd.memC[j])
			node.Legitimacy = wd.legit[j]
			node.Role = wd.role(wd.legit[j]).String()
			node.Coordinator = wd.comms[node.Community].coordinator == int32(i)
		}
		node.Broker = memberships > 1 || wd.spanU[i] < wd.mp.Management.BoundarySpanners*wd.maxBoundary()
		net.Nodes = append(net.Nodes, node)
	}
	for a, node := range net.Nodes {
		i := node.ID
		for t := i * maxTies; t < (i+1)*maxTies; t++ {
			to := wd.tieTo[t]
			if to < 0 || wd.tieGen[t] != wd.arrived[to] {
				continue
			}
			b, ok := index[int(to)]
			if !ok {
				continue
			}
			net.Edges = append(net.Edges, measure.Edge{A: a, B: b, Weight: float64(wd.tieW[t]),
				Boundary: node.Community != net.Nodes[b].Community})
		}
	}
	return net
}

func (wd *World) maxBoundary() float64 {
	m := 0.0
	for c := range wd.comms {
		m = max(m, wd.comms[c].eff.boundary)
	}
	return m
}
