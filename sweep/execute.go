package sweep

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/sim"
)

// Status counts a sweep's runs.
type Status struct {
	Total   int // runs of the sweep
	InShard int // runs of this shard
	Skipped int // already done before this call
	Ran     int // done by this call
}

// RunOptions control Execute; none of them changes a result.
type RunOptions struct {
	Workers int // runs at once (at least 1)
	Shard   Shard
	// Progress, when set, is called after each run of this call finishes,
	// from the goroutine that ran it.
	Progress func(done, total int)
}

// Execute runs the shard's runs that are not done yet in out (prepared by
// Prepare), opt.Workers at once, recording each finished run atomically in
// out/runs. It stops at the first failure, or early with ctx's error; what
// finished stays recorded. Each run writes only its own files, so the
// folder is the same for any number of workers.
func Execute(ctx context.Context, out string, p *Plan, opt RunOptions) (Status, error) {
	// Temporaries of this shard's runs are left by a killed process; other
	// shards sharing the folder may be writing theirs.
	results.RemoveTemps(filepath.Join(out, "runs"), func(file string) bool {
		i, ok := runOfFile(file)
		return ok && opt.Shard.Has(i)
	})
	st, todo := pending(out, p, opt.Shard)
	var done atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, opt.Workers))
	for _, i := range todo {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			// Go waits for a free worker: the sweep may have been
			// stopped meanwhile.
			if err := gctx.Err(); err != nil {
				return err
			}
			if err := runOne(gctx, out, p, i); err != nil {
				return err
			}
			d := done.Add(1)
			if opt.Progress != nil {
				opt.Progress(int(d), len(todo))
			}
			return nil
		})
	}
	err := g.Wait()
	st.Ran = int(done.Load())
	if ctx.Err() != nil {
		return st, ctx.Err()
	}
	return st, err
}

// pending counts the shard's runs and lists those not done yet in out. A
// run counts as done only when its files hold what a run writes: an empty
// or damaged file (a crash, a full disk) is run again.
func pending(out string, p *Plan, shard Shard) (Status, []int) {
	st := Status{Total: p.Runs()}
	var todo []int
	for i := 0; i < p.Runs(); i++ {
		if !shard.Has(i) {
			continue
		}
		st.InShard++
		if checkRun(out, p, i) == nil {
			st.Skipped++
			continue
		}
		todo = append(todo, i)
	}
	return st, todo
}

// runOne runs run i and records it: the time series first (when asked
// for), then the results row, whose presence marks the run done.
func runOne(ctx context.Context, out string, p *Plan, i int) error {
	point, rep := i/p.Replications, i%p.Replications
	sc, err := p.scenarioOf(point, rep)
	if err != nil {
		return fmt.Errorf("run %d: %w", i, err)
	}
	if p.Timeseries {
		// A time series left by an earlier attempt must not stand beside
		// this attempt's results row.
		if err := os.Remove(seriesFile(out, i)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	res, err := agents.Run(ctx, sc, sim.Options{Workers: 1})
	if err != nil {
		return err
	}
	if p.Timeseries {
		var buf bytes.Buffer
		cw := csv.NewWriter(&buf)
		for _, r := range res.Rows {
			r.Rep = rep
			cw.Write(append([]string{strconv.Itoa(i), strconv.Itoa(point)}, results.TimeseriesRecord(r)...))
		}
		cw.Flush()
		if err := results.WriteFileAtomic(seriesFile(out, i), buf.Bytes()); err != nil {
			return err
		}
	}
	s := res.Summaries[0]
	rec := []string{strconv.Itoa(i), strconv.Itoa(point), strconv.Itoa(rep), strconv.FormatUint(sc.Seed, 10)}
	rec = append(rec, p.Points[point].Values...)
	rec = append(rec, results.Record(runColumns, &s)...)
	rec = append(rec, p.Rerun(point, rep))
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write(rec)
	cw.Flush()
	return results.WriteFileAtomic(runFile(out, i), buf.Bytes())
}
