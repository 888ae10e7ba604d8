package main

import (
	"fmt"
	"io"
	"os"

	"github.com/copsim/copsim/experiment"
)

func init() {
	register(&command{name: "merge", summary: "join the folders of a sweep's shards into one dataset", run: runMerge})
}

func runMerge(args []string, stdout, stderr io.Writer) int {
	f := newRunFlags("merge", stderr)
	f.fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: copsim merge [--no-plots] OUT DIR...

Joins the output folders of a sweep's shards (copsim sweep --shard) into a
new folder OUT whose results.csv, design.csv and timeseries.csv are
byte-identical to those of the same sweep run unsharded.`)
	}
	if err := f.fs.Parse(args); err != nil {
		return parseFail(err)
	}
	if f.fs.NArg() < 2 {
		f.fs.Usage()
		return exitBadInput
	}
	out, dirs := f.fs.Arg(0), f.fs.Args()[1:]
	if _, err := os.Stat(out); err == nil {
		return fail(stderr, usageError{fmt.Sprintf("%s: output folder already exists; choose another or remove it", out)})
	}
	p, err := experiment.Merge(out, dirs, !f.noPlots)
	if err != nil {
		return fail(stderr, usageError{err.Error()})
	}
	if !f.quiet {
		fmt.Fprintf(stdout, "%s: %d runs from %d folders merged into %s\n", p.Name, p.Runs(), len(dirs), out)
	}
	return exitOK
}
