package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/compare"
	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/scenarios"
)

func init() {
	register(&command{name: "compare", summary: "run scenarios with the same seeds and compare them (CSV, plots, HTML report)", run: runCompare})
}

func runCompare(args []string, stdout, stderr io.Writer) int {
	f := newRunFlags("compare", stderr)
	f.fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: copsim compare [flags] A B [C...]

Each argument is a scenario file or a built-in name. Every scenario runs with
the first scenario's seed and number of replications (or --seed and --reps),
so replication r of each uses the same random numbers. The first scenario is
the reference. Writes comparison.csv, summary.csv, timeseries.csv,
manifest.json, plots/ and report.html into the output folder.

Flags:`)
		f.fs.PrintDefaults()
	}
	if code, ok := f.parse(args, atLeast(2, "two or more SCENARIOs to compare (YAML files or built-in names)"), stderr); !ok {
		return code
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
	scs, err := compare.CommonRandomNumbers(scs)
	if err != nil {
		return fail(stderr, err)
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
	if err == nil {
		err = f.checkMemory(fmt.Sprintf("comparing %d scenarios", len(scs)), est)
	}
	if err != nil {
		return fail(stderr, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
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
	err = results.Atomic(out, func(dir string) error {
		if err := compare.Write(dir, res, mans, !f.noPlots, nil); err != nil {
			return err
		}
		return ctx.Err() // interrupted while writing: keep nothing
	})
	if err != nil {
		return writeFail(stderr, err)
	}
	if !f.quiet {
		verdicts := compare.Verdicts(compare.Table(res))
		names := compare.Names(res)
		fmt.Fprintf(stdout, "Compared with %s (%d replications each, same seeds):\n", names[0], scs[0].Replications)
		for _, n := range names[1:] {
			for _, s := range verdicts[n] {
				fmt.Fprintf(stdout, "  %s\n", s)
			}
		}
		fmt.Fprintf(stdout, "written to %s (open report.html)\n", out)
	}
	return exitOK
}
