package sweep

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
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
// Prepare), opt.Workers at once, recording the finished runs in a record
// file of its own in out/runs, synced in batches. It stops at the first
// failure, or early with ctx's error; what finished stays recorded. The
// runs' results do not depend on the number of workers or on which file
// records them.
func Execute(ctx context.Context, out string, p *Plan, opt RunOptions) (Status, error) {
	st, todo, err := pending(out, p, opt.Shard)
	if err != nil {
		return st, err
	}
	var done atomic.Int64
	rec := newRecordWriter(filepath.Join(out, "runs"), opt.Shard)
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
			if rec.failed.Load() {
				return errNotRecorded
			}
			r, err := runOne(gctx, p, i)
			if err != nil {
				return err
			}
			rec.add(r)
			d := done.Add(1)
			if opt.Progress != nil {
				opt.Progress(int(d), len(todo))
			}
			return nil
		})
	}
	err = g.Wait()
	// What finished is recorded, even when the sweep stops early.
	if rerr := rec.close(); rerr != nil && (err == nil || errors.Is(err, errNotRecorded) || ctx.Err() != nil) {
		return st, rerr
	}
	st.Ran = int(done.Load())
	if ctx.Err() != nil {
		return st, ctx.Err()
	}
	return st, err
}

// errNotRecorded stops a sweep whose record file cannot be written; the
// record writer's error says why.
var errNotRecorded = errors.New("runs cannot be recorded")

// pending counts the shard's runs and lists those not done yet in out. A
// run counts as done only when a whole record holds what the run writes: a
// record cut short or damaged (a crash, a full disk) is run again.
func pending(out string, p *Plan, shard Shard) (Status, []int, error) {
	st := Status{Total: p.Runs()}
	ix, err := readRuns(out, p)
	if err != nil {
		return st, nil, err
	}
	var todo []int
	for i := 0; i < p.Runs(); i++ {
		if !shard.Has(i) {
			continue
		}
		st.InShard++
		if ix.done(i) {
			st.Skipped++
			continue
		}
		todo = append(todo, i)
	}
	return st, todo, nil
}

// runOne runs run i and returns its record: its results row and, when the
// plan asks for it, its time series.
func runOne(ctx context.Context, p *Plan, i int) ([]byte, error) {
	point, rep := i/p.Replications, i%p.Replications
	sc, err := p.scenarioOf(point, rep)
	if err != nil {
		return nil, fmt.Errorf("run %d: %w", i, err)
	}
	run := agents.Run
	if !p.Timeseries {
		// Only the summaries are kept: the same bytes, measured less
		// often where the model can (March's configuration).
		run = agents.RunSummaries
	}
	res, err := run(ctx, sc, sim.Options{Workers: 1})
	if err != nil {
		return nil, err
	}
	var series bytes.Buffer
	if p.Timeseries {
		cw := csv.NewWriter(&series)
		for _, r := range res.Rows {
			r.Rep = rep
			cw.Write(append([]string{strconv.Itoa(i), strconv.Itoa(point)}, results.TimeseriesRecord(r)...))
		}
		cw.Flush()
	}
	s := res.Summaries[0]
	rec := []string{strconv.Itoa(i), strconv.Itoa(point), strconv.Itoa(rep), strconv.FormatUint(sc.Seed, 10)}
	rec = append(rec, p.Points[point].Values...)
	rec = append(rec, results.Record(runColumns, &s)...)
	rec = append(rec, p.Rerun(point, rep))
	var row bytes.Buffer
	cw := csv.NewWriter(&row)
	cw.Write(rec)
	cw.Flush()
	return appendRecord(nil, i, row.Bytes(), series.Bytes()), nil
}
