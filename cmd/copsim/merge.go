package main

import (
	"fmt"
	"io"
	"os"

	flag "github.com/spf13/pflag"

	"github.com/copsim/copsim/sweep"
)

func init() {
	register(&command{name: "merge", summary: "join the folders of a sweep's shards into one dataset", run: runMerge})
}

func runMerge(args []string, stdout, stderr io.Writer) int {
	// merge has flags of its own: run's would be accepted and ignored.
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	noPlots := fs.Bool("no-plots", false, "write data only, no figures")
	quiet := fs.BoolP("quiet", "q", false, "no summary on the terminal")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: copsim merge [flags] OUT DIR...

Joins the output folders of a sweep's shards (copsim sweep --shard) into a
new folder OUT whose results.csv, design.csv and timeseries.csv are
byte-identical to those of the same sweep run unsharded.

Flags:`)
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if code, ok := checkArgs("merge", fs.Args(), atLeast(2, "OUT and one or more shard folders"), stderr); !ok {
		return code
	}
	out, dirs := fs.Arg(0), fs.Args()[1:]
	if _, err := os.Stat(out); err == nil {
		return fail(stderr, usageError{fmt.Sprintf("%s: output folder already exists; choose another or remove it", out)})
	}
	p, err := sweep.Merge(out, dirs, !*noPlots)
	if err != nil {
		return fail(stderr, err)
	}
	if !*quiet {
		fmt.Fprintf(stdout, "%s: %d runs from %d folders merged into %s\n", p.Name, p.Runs(), len(dirs), out)
	}
	return exitOK
}
