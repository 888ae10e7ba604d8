package main

import (
	"io"
	"os"
	"sync/atomic"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// progress is a bar on stderr when stderr is a terminal, nothing otherwise.
type progress struct {
	p    *mpb.Progress
	bar  *mpb.Bar
	last atomic.Int64
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func newProgress(w io.Writer, quiet bool, name string, total int64) *progress {
	pr := &progress{}
	if quiet || !isTerminal(w) {
		return pr
	}
	pr.p = mpb.New(mpb.WithOutput(w), mpb.WithWidth(40))
	pr.bar = pr.p.AddBar(total,
		mpb.PrependDecorators(decor.Name(name+" "), decor.CountersNoUnit("%d/%d ticks")),
		mpb.AppendDecorators(decor.Percentage(), decor.Name(" ETA "), decor.AverageETA(decor.ET_STYLE_GO)),
	)
	return pr
}

// set records that done of the planned ticks are finished; it is safe to
// call from many goroutines.
func (pr *progress) set(done, total int64) {
	if pr.bar == nil {
		return
	}
	for {
		last := pr.last.Load()
		if done <= last {
			return
		}
		if pr.last.CompareAndSwap(last, done) {
			pr.bar.SetCurrent(done)
			return
		}
	}
}

func (pr *progress) done() {
	if pr.p == nil {
		return
	}
	pr.bar.SetTotal(-1, true)
	pr.p.Wait()
}
