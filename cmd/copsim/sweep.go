package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/copsim/copsim/sweep"
)

func init() {
	register(&command{name: "sweep", summary: "run a parameter sweep (factorial or Latin hypercube); resumable and shardable", run: runSweep})
}

// planFlags are the flags of the commands that run a sweep plan: the run
// flags, and the time series and sharding of a sweep.
type planFlags struct {
	*runFlags
	timeseries *bool
	shardSpec  *string
	shards     *int
}

func newPlanFlags(name string, stderr io.Writer) *planFlags {
	f := &planFlags{runFlags: newRunFlags(name, stderr)}
	f.timeseries = f.fs.Bool("timeseries", false, "also write timeseries.csv (a row per run, tick and community)")
	f.shardSpec = f.fs.String("shard", "", "run only shard I/N of the runs (I from 0), or auto: from SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX")
	f.shards = f.fs.Int("shards", 0, "the shard count for --shard auto (needed with JOB_COMPLETION_INDEX)")
	return f
}

// load reads the sweep file with the command line's overrides, and the
// shard to run.
func (f *planFlags) load(file string) (*sweep.Plan, sweep.Shard, error) {
	shard, err := sweep.ParseShard(*f.shardSpec, *f.shards, os.Getenv)
	if err != nil {
		return nil, shard, err
	}
	opt := sweep.Options{Sets: append([]string(nil), f.sets...), Timeseries: *f.timeseries}
	if f.fs.Changed("ticks") {
		opt.Sets = append(opt.Sets, "ticks="+strconv.Itoa(f.ticks))
	}
	if f.fs.Changed("seed") {
		opt.Seed = &f.seed
	}
	if f.fs.Changed("reps") {
		opt.Replications = &f.reps
	}
	plan, err := sweep.Load(file, opt)
	if plan != nil {
		plan.Figures = f.figures()
	}
	return plan, shard, err
}

func runSweep(args []string, stdout, stderr io.Writer) int {
	f := newPlanFlags("sweep", stderr)
	f.fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: copsim sweep [flags] SWEEP.yaml

Runs every point of the sweep file's design, replications times each, and
writes results.csv (a row per run), design.csv, sweep.json and plots/ into
the output folder. Finished runs are recorded in runs/ as they finish (in
batches flushed to disk), so the same command resumes an interrupted sweep. With --shard only a part of the
runs is done; join the shards' folders with copsim merge. See
examples/sweep-*.yaml and docs/cluster.md.

Flags:`)
		f.fs.PrintDefaults()
	}
	if code, ok := f.parse(args, exactly(1, "one SWEEP file"), stderr); !ok {
		return code
	}
	plan, shard, err := f.load(f.fs.Arg(0))
	if err != nil {
		return fail(stderr, err)
	}
	return f.runPlan(f.fs.Arg(0), plan, shard, stdout, stderr)
}

// runPlan runs a loaded sweep plan (file is the sweep file, for memory
// estimates): the shard's runs, recorded as they finish, then, when the
// shard is the whole sweep, the assembled dataset.
func (f *runFlags) runPlan(file string, plan *sweep.Plan, shard sweep.Shard, stdout, stderr io.Writer) int {
	est, err := estimateSweep(file, plan, f.workers)
	if err == nil {
		err = f.checkMemory(fmt.Sprintf("sweep %s (%d runs at once)", plan.Name, min(f.workers, plan.Runs())), est)
	}
	if err != nil {
		return fail(stderr, err)
	}
	out := f.out
	if out == "" {
		out = filepath.Join("results", "sweep-"+plan.Name)
	}
	if err := sweep.Prepare(out, plan); err != nil {
		return fail(stderr, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	started := time.Now()
	inShard := 0
	for i := 0; i < plan.Runs(); i++ {
		if shard.Has(i) {
			inShard++
		}
	}
	bar := newProgress(stderr, f.quiet, plan.Name, int64(inShard))
	st, err := sweep.Execute(ctx, out, plan, sweep.RunOptions{Workers: f.workers, Shard: shard,
		Progress: func(done, total int) { bar.set(int64(done)+int64(inShard-total), int64(inShard)) }})
	bar.done()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			fmt.Fprintf(stderr, "copsim: interrupted; %d of %d runs are recorded in %s; run the same command again to resume\n",
				st.Skipped+st.Ran, st.InShard, out)
			return exitInterrupted
		}
		return fail(stderr, err)
	}
	if !f.quiet {
		fmt.Fprintf(stdout, "%s: %d points x %d replications = %d runs; shard %s: %d runs (%d done before, %d now) in %s\n",
			plan.Name, len(plan.Points), plan.Replications, plan.Runs(), shard, st.InShard, st.Skipped, st.Ran,
			time.Since(started).Round(time.Millisecond))
	}
	if shard.Count > 1 {
		if !f.quiet {
			fmt.Fprintf(stdout, "shard %s recorded in %s; when every shard is done: copsim merge OUT %s ...\n", shard, out, out)
		}
		return exitOK
	}
	if err := sweep.Assemble(out, plan, !f.noPlots); err != nil {
		return fail(stderr, err)
	}
	if !f.quiet {
		fmt.Fprintf(stdout, "written to %s (results.csv; the rerun column repeats any run alone, e.g.\n  %s)\n", out, plan.Rerun(0, 0))
	}
	return exitOK
}
