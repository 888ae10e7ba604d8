package sim

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/copsim/copsim/measure"
)

// TestPoolRaisesChunkPanicOnCaller: a panic on a worker stops the other
// chunks and comes back on the goroutine that called run, as a PanicError
// with the worker's stack, where a recover can catch it.
func TestPoolRaisesChunkPanicOnCaller(t *testing.T) {
	p := newPool(1) // one worker: the chunks run in order, so the count is exact
	defer p.close()
	var next atomic.Int64
	var stop atomic.Bool
	var done sync.WaitGroup
	var ran atomic.Int64
	got := func() (v any) {
		defer func() { v = recover() }()
		p.run(1000, func(slot, i int) {
			ran.Add(1)
			if i == 3 {
				var s []int
				_ = s[i] // an index out of range, as a real bug would be
			}
		}, &next, &stop, &done)
		return nil
	}()
	pe, ok := got.(*PanicError)
	if !ok {
		t.Fatalf("run raised %v (%T), want a *PanicError", got, got)
	}
	if !strings.Contains(pe.Error(), "index out of range") || !strings.Contains(string(pe.Stack), "panic_test.go") {
		t.Errorf("PanicError lacks the panic or the worker's stack: %v\n%s", pe, pe.Stack)
	}
	if !stop.Load() || ran.Load() != 4 {
		t.Errorf("stop = %v after %d of 1000 chunks; want the chunks after the panic not run (4)", stop.Load(), ran.Load())
	}
}

// panicWriter panics when a replication's rows are written to it.
type panicWriter struct{}

func (panicWriter) WriteRows([]measure.Row) error { panic("row writer failed") }
func (panicWriter) Close() error                  { return nil }

// TestRunReturnsPanicAsError: a panic inside a replication ends the run
// with a PanicError instead of ending the process.
func TestRunReturnsPanicAsError(t *testing.T) {
	m := &walkers{people: 1500, groups: 3, reps: 4, ticks: 3}
	_, err := Run(context.Background(), m, Options{Workers: 2,
		Rows: func(rep int) (RowWriter, error) { return panicWriter{}, nil }})
	var pe *PanicError
	if !errors.As(err, &pe) || pe.Value != "row writer failed" || len(pe.Stack) == 0 {
		t.Fatalf("Run = %v, want a PanicError of the writer's panic with a stack", err)
	}
}
