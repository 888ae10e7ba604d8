package sim

import (
	"sync"
	"sync/atomic"
)

// pool is a fixed set of worker goroutines that run the chunks of a phase.
// Chunks are taken in any order, but each writes only its own state, so
// the order does not matter; the pool exists so that a tick starts no
// goroutines and allocates nothing.
//
// Each job of a run gets a slot of its own, 0 to size-1, that no other job
// of the run uses at the same time: the phases keep per-slot integer
// counters there (sums of integers do not depend on which slot counted
// what), so that the counters cost workers x communities, not chunks x
// communities.
//
// A panic in a chunk is caught on its worker, stops the other chunks and is
// raised again by run on the goroutine that called it, where the caller's
// own recover (a replication's, a web session's) can turn it into an
// error: a panic on a worker would otherwise end the process.
type pool struct {
	jobs  chan job
	wg    sync.WaitGroup
	size  int
	fault atomic.Pointer[PanicError]
}

type job struct {
	f    func(slot, i int)
	n    int
	slot int
	next *atomic.Int64
	stop *atomic.Bool
	done *sync.WaitGroup
}

func newPool(size int) *pool {
	p := &pool{jobs: make(chan job), size: size}
	for g := 0; g < size; g++ {
		go func() {
			for j := range p.jobs {
				p.do(j)
			}
		}()
	}
	return p
}

// do runs chunks of j until none is left or stop is set.
func (p *pool) do(j job) {
	defer j.done.Done()
	defer func() {
		if v := recover(); v != nil {
			p.fault.CompareAndSwap(nil, newPanicError(v))
			j.stop.Store(true)
		}
	}()
	for !j.stop.Load() {
		i := int(j.next.Add(1)) - 1
		if i >= j.n {
			break
		}
		j.f(j.slot, i)
	}
}

// run calls f(slot, 0..n-1) across the workers and returns when all are
// done, or, once stop is set, when the chunks under way are.
func (p *pool) run(n int, f func(slot, i int), next *atomic.Int64, stop *atomic.Bool, done *sync.WaitGroup) {
	next.Store(0)
	k := min(p.size, n)
	done.Add(k)
	for g := 0; g < k; g++ {
		p.jobs <- job{f: f, n: n, slot: g, next: next, stop: stop, done: done}
	}
	done.Wait()
	if pe := p.fault.Load(); pe != nil {
		panic(pe)
	}
}

func (p *pool) close() { close(p.jobs) }
