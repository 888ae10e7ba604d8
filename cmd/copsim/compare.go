package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/compare"
	"github.com/copsim/copsim/internal/sat"
	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sweep"
)

func init() {
	register(&command{name: "compare", summary: "run scenarios with the same seeds and compare them (CSV, plots, HTML report)", run: runCompare})
}

// maxRobustPoints bounds --robustness: as many points as a sweep may have.
const maxRobustPoints = sweep.MaxPoints

func runCompare(args []string, stdout, stderr io.Writer) int {
	f := newRunFlags("compare", stderr)
	var robust, robustReps int
	f.fs.IntVar(&robust, "robustness", 0, "also run the comparison at N Latin-hypercube points of the uncertain parameters' plausible ranges (at least 2; docs/calibration.md)")
	f.fs.IntVar(&robustReps, "robustness-reps", 0, "replications per scenario at each robustness point (at least 2; default: the reference's)")
	f.fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: copsim compare [flags] A B [C...]

Each argument is a scenario file or a built-in name. Every scenario runs with
the first scenario's seed and number of replications (or --seed and --reps),
so replication r of each uses the same random numbers. The first scenario is
the reference. Writes comparison.csv, summary.csv, timeseries.csv,
manifest.json, plots/ and report.html into the output folder.

With --robustness N the comparison is run again at N points spread over the
plausible ranges of the uncertain calibration parameters (a Latin hypercube;
the ranges are in docs/calibration.md), each scenario keeping the parameters
it sets apart from the reference (its treatment). For each scenario and
outcome it counts the points where the difference from the reference keeps
its sign; robustness.csv and robustness_points.csv (the design) are written
beside the rest, and the report says how robust each difference is. It costs
N times the comparison's runs (with --robustness-reps replications each).

Flags:`)
		f.fs.PrintDefaults()
	}
	if code, ok := f.parse(args, atLeast(2, "two or more SCENARIOs to compare (YAML files or built-in names)"), stderr); !ok {
		return code
	}
	if err := checkRobustFlags(f, robust, robustReps); err != nil {
		return fail(stderr, err)
	}
	sets := f.overrides()
	var scs []scenarios.Scenario
	var errs []string
	for _, arg := range f.fs.Args() {
		sc, err := scenarios.Load(arg, sets)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		scs = append(scs, sc)
	}
	if len(errs) > 0 {
		fmt.Fprintf(stderr, "copsim: %s\n", strings.Join(errs, "\n"))
		return exitBadInput
	}
	notes := compare.Notes(scs) // before common random numbers replace seeds
	scs, err := compare.CommonRandomNumbers(scs)
	if err != nil {
		return fail(stderr, err)
	}
	if robust > 0 && robustReps == 0 && scs[0].Replications < 2 {
		return fail(stderr, usageError{fmt.Sprintf("--robustness needs at least 2 replications per point for a paired interval, and %s has %d; give --robustness-reps", f.fs.Arg(0), scs[0].Replications)})
	}
	started := time.Now()
	out := f.out
	if out == "" {
		out = defaultOut("compare-"+scs[0].Name+"-"+scs[1].Name, started)
	}
	if _, err := os.Stat(out); err == nil {
		return fail(stderr, usageError{fmt.Sprintf("%s: output folder already exists; choose another --out or remove it", out)})
	}
	est, err := estimateCompare(f.fs.Args(), scs, f.workers)
	if err == nil && robust > 0 {
		est, err = addRobustMemory(est, f.fs.Args(), scs, robustReps, f.workers)
	}
	if err == nil {
		err = f.checkMemory(fmt.Sprintf("comparing %d scenarios", len(scs)), est)
	}
	if err != nil {
		return fail(stderr, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if !f.noPlots {
		prepareHeap()
	}
	var res []*agents.Result
	var mans []results.Manifest
	for _, sc := range scs {
		r, code := f.simulate(ctx, sc, nil, stderr)
		if r == nil {
			return code
		}
		res = append(res, r)
		mans = append(mans, results.NewManifest("compare", sc, f.workers, sets, started))
	}
	var rob *compare.RobustResult
	if robust > 0 {
		var code int
		if rob, code = f.robustness(ctx, scs, robust, robustReps, stderr); rob == nil {
			return code
		}
	}
	err = results.Atomic(out, func(dir string) error {
		if err := compare.Write(dir, res, mans, compare.WriteOptions{Plots: !f.noPlots, Robust: rob, Notes: notes, Figures: f.figures()}); err != nil {
			return err
		}
		return ctx.Err() // interrupted while writing: keep nothing
	})
	if err != nil {
		return writeFail(stderr, err)
	}
	if !f.quiet {
		rows := compare.Table(res)
		verdicts := compare.Verdicts(rows)
		for n, vs := range compare.FocusVerdicts(compare.Foci(res)) {
			verdicts[n] = append(verdicts[n], vs...)
		}
		names := compare.Names(res)
		for _, n := range notes {
			fmt.Fprintf(stdout, "Note: %s\n", n)
		}
		fmt.Fprintf(stdout, "Compared with %s (%d replications each, same seeds):\n", names[0], scs[0].Replications)
		for _, n := range names[1:] {
			for _, s := range verdicts[n] {
				fmt.Fprintf(stdout, "  %s\n", s)
			}
		}
		if rob != nil {
			printRobustness(stdout, rob, rows)
		}
		fmt.Fprintf(stdout, "written to %s (open report.html)\n", out)
	}
	return exitOK
}

// checkRobustFlags checks --robustness and --robustness-reps before
// anything runs.
func checkRobustFlags(f *runFlags, points, reps int) error {
	switch {
	case f.fs.Changed("robustness") && (points < 2 || points > maxRobustPoints):
		return usageError{fmt.Sprintf("--robustness must be from 2 to %d points, got %d", maxRobustPoints, points)}
	case f.fs.Changed("robustness-reps") && !f.fs.Changed("robustness"):
		return usageError{"--robustness-reps is the replications of a robustness check: give --robustness N too"}
	case f.fs.Changed("robustness-reps") && (reps < 2 || reps > scenarios.MaxReplications):
		return usageError{fmt.Sprintf("--robustness-reps must be from 2 to %d (a paired interval needs two), got %d", scenarios.MaxReplications, reps)}
	}
	return nil
}

// addRobustMemory adds to a comparison's estimate what its robustness
// check holds besides: one run at a time, its rows streamed away (only a
// bounded sample and the summaries are kept), while the comparison's own
// results wait to be written.
func addRobustMemory(est int64, names []string, scs []scenarios.Scenario, reps, workers int) (int64, error) {
	var most int64
	for i, sc := range scs {
		if reps > 0 {
			sc.Replications = reps
		}
		e, err := agents.EstimateMemory(sc, workers)
		if err != nil {
			return 0, sizeInput(names[i], err)
		}
		most = max(most, e)
	}
	return sat.Add(est, most), nil
}

// robustness runs the robustness check with a progress bar. On failure it
// reports and returns a nil result and the exit code.
func (f *runFlags) robustness(ctx context.Context, scs []scenarios.Scenario, points, reps int, stderr io.Writer) (*compare.RobustResult, int) {
	r := reps
	if r == 0 {
		r = scs[0].Replications
	}
	var total int64
	for _, sc := range scs {
		total += int64(points) * int64(r) * int64(sc.Ticks)
	}
	bar := newProgress(stderr, f.quiet, fmt.Sprintf("robustness (%d points)", points), total)
	rob, err := compare.Robustness(ctx, scs, compare.RobustOptions{Points: points, Reps: reps, Workers: f.workers, Progress: bar.set})
	bar.done()
	if err != nil {
		return nil, runFailed(stderr, err)
	}
	return rob, exitOK
}

// printRobustness tells on the terminal how robust each difference is.
func printRobustness(w io.Writer, rob *compare.RobustResult, rows []compare.Row) {
	fmt.Fprintf(w, "Over %d plausible settings of %d uncertain parameters (%d replications each):\n", len(rob.Design), len(rob.Params), rob.Reps)
	verdicts := compare.RobustVerdicts(rob, rows)
	for _, n := range rob.Scenarios[1:] {
		for _, k := range rob.Kept[n] {
			fmt.Fprintf(w, "  (%s keeps its own %s = %s, its treatment)\n", n, k.Key, strconv.FormatFloat(k.Value, 'g', -1, 64))
		}
		for _, s := range verdicts[n] {
			fmt.Fprintf(w, "  %s\n", s)
		}
	}
}
