// Package sim is copsim's engine: it steps a model through its phases,
// over fixed chunks of people in parallel, with a random stream for every
// agent, tick and purpose, and runs a scenario's replications. It knows
// nothing of communities of practice: the model (package agents) hands it an
// ordered list of phases, and the engine decides only when and where each
// runs. That is the seam which keeps determinism and speed in one place and
// lets a modeller add a mechanism without touching scheduling.
//
// Determinism: people are cut into chunks of ChunkSize, whatever the number
// of workers; every draw comes from a stream keyed by (seed, replication,
// tick, purpose, agent); a phase writes only the state of the person (or
// group) it runs for and reads others' state from a snapshot taken before
// it; per-chunk sums are merged in chunk order by the phase's After. So the
// outputs are byte-identical for any number of workers.
package sim

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/copsim/copsim/rng"
)

// ChunkSize is how many people one task of a People phase covers. It is
// fixed, not derived from the number of workers, so that what a model sums
// per chunk and merges in chunk order does not depend on the workers.
const ChunkSize = 512

// Phase is one step of a tick, as a value: a model's tick is the ordered
// list of its phases, and a mechanism switched off is a phase left out of
// the list. Before and After run on the stepping goroutine; People runs
// over chunks of people and Groups once per group, both in parallel. A
// phase sets at most one of People and Groups.
type Phase struct {
	Name   string
	Before func()                 // e.g. a snapshot of what People reads
	People func(slot, lo, hi int) // people lo..hi-1, one chunk; slot as in Engine.Parallel
	Groups func(slot, g int)      // group g
	After  func()                 // e.g. merging per-slot counts
	// Shared lets a People phase without a Before run in the same pass
	// over each chunk as the People phase just before it (which must have
	// no After): the two run one after the other on a chunk while its
	// people are in cache. Set it only when neither reads what the other
	// writes for another person, so that the results are the same.
	Shared bool
}

// Layout is what the engine needs to know of a model's replication.
type Layout struct {
	Seed     uint64
	People   int // agents that People phases run over
	Groups   int // groups that Groups phases run over
	Purposes int // random-stream purposes, 0 to Purposes-1 (see Engine.Stream)
}

// Engine runs the phases of one replication. Its methods other than Step
// and Close may be called from inside phases.
type Engine struct {
	seed, rep uint64
	layout    Layout
	chunks    int
	tick      int
	workers   int
	pool      *pool
	next      atomic.Int64
	done      sync.WaitGroup
	// stop, once set, makes every phase skip its remaining chunks and Step
	// its remaining phases, so that cancelling takes effect inside a tick.
	stop     *atomic.Bool
	prefixes []rng.Prefix
}

// NewEngine returns the engine of replication rep with the given number of
// workers (at least 1; more than there are chunks or groups would idle, so
// they are not started). Stop is shared with the caller: once set, the
// engine does no more work; nil means never. Call Close when done.
func NewEngine(l Layout, rep, workers int, stop *atomic.Bool) (*Engine, error) {
	if l.People < 0 || l.Groups < 0 || l.Purposes < 1 {
		return nil, fmt.Errorf("sim: layout %+v: people and groups must be at least 0, purposes at least 1", l)
	}
	if stop == nil {
		stop = new(atomic.Bool)
	}
	chunks := (l.People + ChunkSize - 1) / ChunkSize
	workers = min(max(workers, 1), max(chunks, l.Groups, 1))
	e := &Engine{seed: l.Seed, rep: uint64(rep), layout: l, chunks: chunks, workers: workers,
		stop: stop, prefixes: make([]rng.Prefix, l.Purposes)}
	if workers > 1 {
		e.pool = newPool(workers)
	}
	e.refreshPrefixes()
	return e, nil
}

// Close stops the engine's workers.
func (e *Engine) Close() {
	if e.pool != nil {
		e.pool.close()
		e.pool = nil
	}
}

// Tick is the number of ticks stepped so far.
func (e *Engine) Tick() int { return e.tick }

// Seed and Rep are the run's seed and the replication's number, for
// streams a model derives itself (see rng.Derive).
func (e *Engine) Seed() uint64 { return e.seed }

// Rep is the replication's number.
func (e *Engine) Rep() uint64 { return e.rep }

// Slots is the number of worker slots: Parallel passes each task a slot
// in 0..Slots()-1 that no task running at the same time has, so per-slot
// scratch needs no locks.
func (e *Engine) Slots() int { return e.workers }

// Chunks is the number of chunks of people.
func (e *Engine) Chunks() int { return e.chunks }

// ChunkRange returns the people of chunk ch, lo to hi-1.
func (e *Engine) ChunkRange(ch int) (lo, hi int) {
	lo = ch * ChunkSize
	return lo, min(lo+ChunkSize, e.layout.People)
}

// Stopped reports whether the engine was told to stop.
func (e *Engine) Stopped() bool { return e.stop.Load() }

// Stream returns the stream of agent id for a purpose at the current tick,
// keyed by (seed, replication, tick, purpose, id): no two agents, ticks or
// purposes share one, so the order in which workers run cannot change a
// draw.
func (e *Engine) Stream(id int, purpose uint64) rng.Stream {
	return e.prefixes[purpose].Stream(uint64(id))
}

// refreshPrefixes makes the tick's stream prefixes, before any phase runs,
// so that phases only read them.
func (e *Engine) refreshPrefixes() {
	for p := range e.prefixes {
		e.prefixes[p] = rng.NewPrefix(e.seed, e.rep, uint64(e.tick), uint64(p))
	}
}

// Parallel runs f(slot, i) for i in 0..n-1, on the workers when there are
// several, and returns when all are done. Once the engine is stopped it
// skips what is left, so a stop takes effect within one task's time. A
// panic in f comes back on the caller as a *PanicError.
func (e *Engine) Parallel(n int, f func(slot, i int)) {
	if e.pool == nil || n <= 1 {
		for i := 0; i < n && !e.stop.Load(); i++ {
			f(0, i)
		}
		return
	}
	e.pool.run(n, f, &e.next, e.stop, &e.done)
}

// Schedule is a list of phases made ready to run: built once, so that a
// tick allocates nothing.
type Schedule struct {
	phases []scheduled
	names  []string
}

// scheduled is one pass of a tick: a phase, or a run of shared phases.
type scheduled struct {
	before, after func()
	people        []func(slot, lo, hi int)
	task          func(slot, i int) // the parallel part as a task of Parallel
	n             int
}

// Schedule checks and binds the phases, in order, to the engine.
func (e *Engine) Schedule(phases []Phase) (*Schedule, error) {
	s := &Schedule{}
	for _, p := range phases {
		s.names = append(s.names, p.Name)
		if p.People != nil && p.Groups != nil {
			return nil, fmt.Errorf("sim: phase %q sets both People and Groups", p.Name)
		}
		if p.Shared {
			k := len(s.phases) - 1
			if p.People == nil || p.Before != nil || k < 0 || s.phases[k].people == nil || s.phases[k].after != nil {
				return nil, fmt.Errorf("sim: phase %q is shared but it, or the phase before it, is not a People phase that can share a pass", p.Name)
			}
			s.phases[k].people = append(s.phases[k].people, p.People)
			s.phases[k].after = p.After
			continue
		}
		sp := scheduled{before: p.Before, after: p.After}
		switch {
		case p.People != nil:
			sp.people, sp.n = []func(slot, lo, hi int){p.People}, e.chunks
		case p.Groups != nil:
			sp.n, sp.task = e.layout.Groups, p.Groups
		}
		s.phases = append(s.phases, sp)
	}
	for k := range s.phases {
		if people := s.phases[k].people; people != nil {
			s.phases[k].task = func(slot, ch int) {
				lo, hi := e.ChunkRange(ch)
				for _, f := range people {
					f(slot, lo, hi)
				}
			}
		}
	}
	return s, nil
}

// Names lists the schedule's phases in order, shared ones included.
func (s *Schedule) Names() []string { return slices.Clone(s.names) }

// Step runs one tick: the tick count and the streams advance, then each
// phase runs in order. Once the engine is stopped the rest of the tick is
// skipped (its state is then not a result).
func (e *Engine) Step(s *Schedule) {
	e.tick++
	e.refreshPrefixes()
	for k := range s.phases {
		if e.stop.Load() {
			return
		}
		p := &s.phases[k]
		if p.before != nil {
			p.before()
		}
		if p.task != nil {
			e.Parallel(p.n, p.task)
		}
		if p.after != nil && !e.stop.Load() {
			p.after()
		}
	}
}
