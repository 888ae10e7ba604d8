package sim

import (
	"sync"
	"sync/atomic"
)

// pool is a fixed set of worker goroutines that run the chunks of a phase.
// Chunks are taken in any order, but each writes only its own state, so
// the order does not matter; the pool exists so that a tick starts no
// goroutines and allocates nothing.
type pool struct {
	jobs chan job
	wg   sync.WaitGroup
	size int
}

type job struct {
	f    func(int)
	n    int
	next *atomic.Int64
	done *sync.WaitGroup
}

func newPool(size int) *pool {
	p := &pool{jobs: make(chan job), size: size}
	for g := 0; g < size; g++ {
		go func() {
			for j := range p.jobs {
				for {
					i := int(j.next.Add(1)) - 1
					if i >= j.n {
						break
					}
					j.f(i)
				}
				j.done.Done()
			}
		}()
	}
	return p
}

// run calls f(0..n-1) across the workers and returns when all are done.
func (p *pool) run(n int, f func(int), next *atomic.Int64, done *sync.WaitGroup) {
	next.Store(0)
	k := min(p.size, n)
	done.Add(k)
	for g := 0; g < k; g++ {
		p.jobs <- job{f: f, n: n, next: next, done: done}
	}
	done.Wait()
}

func (p *pool) close() { close(p.jobs) }
