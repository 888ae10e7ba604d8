package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"time"

	flag "github.com/spf13/pflag"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/compare"
	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/plots"
	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

func init() {
	register(&command{name: "run", summary: "run a scenario's replications and write data and plots", run: runRun})
}

// runFlags are the flags shared by the commands that run scenarios.
type runFlags struct {
	out     string
	seed    uint64
	reps    int
	ticks   int
	workers int
	sets    []string
	quiet   bool
	noPlots bool
	// dpi and plotTitles are the figures' PNG resolution and whether they
	// carry titles.
	dpi        int
	plotTitles bool
	// maxMemory refuses a run whose estimate exceeds it (0: no limit)
	maxMemory byteSize
	fs        *flag.FlagSet
}

func newRunFlags(name string, stderr io.Writer) *runFlags {
	f := &runFlags{fs: flag.NewFlagSet(name, flag.ContinueOnError)}
	fs := f.fs
	fs.SetOutput(stderr)
	fs.StringVarP(&f.out, "out", "o", "", "output folder (default results/NAME-TIMESTAMP); must not exist")
	fs.Uint64Var(&f.seed, "seed", 0, "root random seed (default: the scenario's)")
	fs.IntVar(&f.reps, "reps", 0, "replications (default: the scenario's)")
	fs.IntVar(&f.ticks, "ticks", 0, "ticks per replication (default: the scenario's)")
	fs.IntVar(&f.workers, "workers", runtime.NumCPU(), "goroutines; results do not depend on it")
	fs.StringArrayVar(&f.sets, "set", nil, "override a parameter, KEY=VALUE, e.g. model.socialization=0.9 (repeatable)")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "no progress bar and no summary on the terminal")
	fs.BoolVar(&f.noPlots, "no-plots", false, "write data only, no figures")
	fs.IntVar(&f.dpi, "dpi", defaultDPI, "resolution of the PNG figures in dots per inch (300 for a journal; every figure is also written as SVG)")
	fs.BoolVar(&f.plotTitles, "plot-titles", true, "draw titles on the figures (--plot-titles=false for a paper: the report keeps the captions)")
	f.maxMemory = byteSize(availableMemory())
	fs.Var(&f.maxMemory, "max-memory", "refuse a run whose memory estimate exceeds this, e.g. 8GB (default: the memory available now; 0: no limit)")
	return f
}

// overrides turns the flags that change the scenario into --set overrides,
// so that they are validated exactly like the file.
func (f *runFlags) overrides() []string {
	sets := append([]string(nil), f.sets...)
	if f.fs.Changed("seed") {
		sets = append(sets, "seed="+strconv.FormatUint(f.seed, 10))
	}
	if f.fs.Changed("reps") {
		sets = append(sets, "replications="+strconv.Itoa(f.reps))
	}
	if f.fs.Changed("ticks") {
		sets = append(sets, "ticks="+strconv.Itoa(f.ticks))
	}
	return sets
}

// parse reads the flags and checks them and the number of arguments. It
// returns false, with the exit code, when the command should stop: after
// --help, or on bad input, which it has reported.
func (f *runFlags) parse(args []string, want arity, stderr io.Writer) (int, bool) {
	if code, ok := parseFlags(f.fs, args, stderr); !ok {
		return code, false
	}
	if code, ok := checkArgs(f.fs.Name(), f.fs.Args(), want, stderr); !ok {
		return code, false
	}
	if err := f.check(); err != nil {
		return fail(stderr, err), false
	}
	return exitOK, true
}

func (f *runFlags) check() error {
	if f.workers < 1 || f.workers > scenarios.MaxWorkers {
		return usageError{fmt.Sprintf("--workers must be from 1 to %d, got %d", scenarios.MaxWorkers, f.workers)}
	}
	if f.dpi < minDPI || f.dpi > maxDPI {
		return usageError{fmt.Sprintf("--dpi must be from %d to %d, got %d", minDPI, maxDPI, f.dpi)}
	}
	return nil
}

// The PNG figures' resolution: 150 dpi by default (the golden figures'),
// from a screen's 72 to 1200, beyond which a 16 cm figure passes 7 500
// pixels a side.
const (
	defaultDPI = 150
	minDPI     = 72
	maxDPI     = 1200
)

// figures are the figure options the flags ask for: resolution, titles,
// and as many figures drawn at once as --workers.
func (f *runFlags) figures() plots.Options {
	return plots.Options{DPI: f.dpi, NoTitles: !f.plotTitles, Workers: f.workers}
}

// simulate runs a scenario with the flags' workers and a progress bar. On
// failure it reports and returns a nil result and the exit code.
// rows, if set, receives the time series as it is measured (sim.Options.Rows).
func (f *runFlags) simulate(ctx context.Context, sc scenarios.Scenario, rows func(int) (sim.RowWriter, error), stderr io.Writer) (*agents.Result, int) {
	bar := newProgress(stderr, f.quiet, sc.Name, int64(sc.Replications)*int64(sc.Ticks))
	res, err := agents.Run(ctx, sc, sim.Options{Workers: f.workers, Progress: bar.set, Rows: rows})
	bar.done()
	if err != nil {
		return nil, runFailed(stderr, err)
	}
	return res, exitOK
}

// runFailed reports a run that did not finish and returns its exit code:
// an interruption, with nothing written, or a failure.
func runFailed(stderr io.Writer, err error) int {
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "copsim: interrupted; nothing written")
		return exitInterrupted
	}
	return fail(stderr, err)
}

func defaultOut(name string, now time.Time) string {
	return filepath.Join("results", name+"-"+now.Format("20060102-150405"))
}

func runRun(args []string, stdout, stderr io.Writer) int {
	f := newRunFlags("run", stderr)
	f.fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: copsim run [flags] SCENARIO\n       copsim run --replay LOG [--out DIR]\n\nSCENARIO is a YAML file or a built-in name (see `copsim scenarios`).\nWrites timeseries.csv, summary.csv, manifest.json and plots/ into the output folder.\n\nFlags:")
		f.fs.PrintDefaults()
	}
	replay := f.fs.String("replay", "", "replay a class run's event log (copsim serve --class) instead of running a SCENARIO")
	if code, ok := f.parse(args, arity{0, 1, "one SCENARIO (a YAML file or a built-in name)"}, stderr); !ok {
		return code
	}
	if *replay != "" {
		return runReplay(f, *replay, stdout, stderr)
	}
	if code, ok := checkArgs("run", f.fs.Args(), exactly(1, "one SCENARIO (a YAML file or a built-in name)"), stderr); !ok {
		return code
	}
	sets := f.overrides()
	sc, err := scenarios.Load(f.fs.Arg(0), sets)
	if err != nil {
		return fail(stderr, err)
	}
	started := time.Now()
	out := f.out
	if out == "" {
		out = defaultOut(sc.Name, started)
	}
	if _, err := os.Stat(out); err == nil {
		return fail(stderr, usageError{fmt.Sprintf("%s: output folder already exists; choose another --out or remove it", out)})
	}
	est, err := estimateRun(f.fs.Arg(0), sc, f.workers)
	if err == nil {
		err = f.checkMemory(fmt.Sprintf("%s (%d replications of %d people)", sc.Name, sc.Replications, sc.Population.People), est)
	}
	if err != nil {
		return fail(stderr, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	sp := newSpool()
	defer sp.close()
	if !f.noPlots {
		prepareHeap() // for the figures, whose allocations it pays for
	}
	res, code := f.simulate(ctx, sc, sp.writer, stderr)
	if res == nil {
		return code
	}
	man := results.NewManifest("run", sc, f.workers, sets, started)
	err = results.Atomic(out, func(dir string) error {
		fo := f.figures()
		fo.Title = res.Scenario.Name
		return writeRun(ctx, dir, res, sp.writeTo, man, !f.noPlots, fo)
	})
	if err != nil {
		return writeFail(stderr, err)
	}
	if !f.quiet {
		printRunSummary(stdout, res, out)
	}
	return exitOK
}

// writeRun fills an output folder with a run's tables (the time series
// from series), manifest and plots. The figures are drawn while the
// tables are written; the report, which embeds them, comes last.
func writeRun(ctx context.Context, dir string, res *agents.Result, series func(io.Writer) error, man results.Manifest, withPlots bool, fo plots.Options) error {
	plotted := make(chan error, 1)
	if withPlots {
		pdir := filepath.Join(dir, "plots")
		if err := os.Mkdir(pdir, 0o755); err != nil {
			return err
		}
		go func() {
			_, err := plots.WriteRunContext(ctx, pdir, res.Rows, res.Network, fo)
			plotted <- err
		}()
	} else {
		plotted <- nil
	}
	err := results.WriteFile(filepath.Join(dir, "timeseries.csv"), series)
	if err == nil {
		err = results.WriteFile(filepath.Join(dir, "summary.csv"), func(w io.Writer) error {
			return results.WriteSummary(w, res.Summaries)
		})
	}
	if perr := <-plotted; err == nil {
		err = perr
	}
	if err != nil {
		return err
	}
	man.Finished = time.Now().UTC()
	if err := results.WriteJSON(filepath.Join(dir, "manifest.json"), man); err != nil {
		return err
	}
	return compare.WriteRunReport(dir, res, man)
}

// summaryLines are the summary.csv columns the run's terminal summary
// tells, in order, under their labels in measure.SummaryColumns; "roles"
// is the line of the three role shares. Insularity is told by the measures
// that discriminate it (ties, boundary activity, imported knowledge): the
// encounter E-I index is about -1 by construction.
var summaryLines = []string{
	"knowledge_mean", "repertoire_knowledge",
	"voluntary_participation", "mandated_participation", "roles",
	"outside_tie_share", "boundary_active_share", "imported_knowledge",
}

func printRunSummary(w io.Writer, res *agents.Result, out string) {
	var labels, values []string
	for _, name := range summaryLines {
		if name == "roles" {
			var v [3]float64
			for i, c := range []string{"core_share", "active_share", "peripheral_share"} {
				v[i] = 100 * meanOver(res.Summaries, summaryColumn(c))
			}
			labels = append(labels, "roles (core/active/peripheral)")
			values = append(values, fmt.Sprintf("%.0f%% / %.0f%% / %.0f%%", v[0], v[1], v[2]))
			continue
		}
		c := summaryColumn(name)
		m := meanOver(res.Summaries, c)
		if name == "mandated_participation" && !(m > 0) {
			continue // nobody was mandated: all participation is voluntary
		}
		v := "NA"
		switch {
		case math.IsNaN(m):
		case c.Unit == measure.PerMemberTick:
			v = fmt.Sprintf("%.4f %s", m, c.Unit)
		default:
			v = fmt.Sprintf("%.3f", m)
		}
		labels = append(labels, c.Label)
		values = append(values, v)
	}
	width := 0
	for _, l := range labels {
		width = max(width, len(l))
	}
	fmt.Fprintf(w, "%s: %d replications (seed %d), mean over replications at the end:\n", res.Scenario.Name, len(res.Summaries), res.Scenario.Seed)
	for i, l := range labels {
		fmt.Fprintf(w, "  %-*s  %s\n", width, l, values[i])
	}
	fmt.Fprintf(w, "written to %s\n", out)
}

// summaryColumn returns the summary column called name; a name that is no
// column is a mistake in this file, found by its tests.
func summaryColumn(name string) *measure.Column[measure.Summary] {
	c := measure.SummaryColumns.Lookup(name)
	if c == nil {
		panic("copsim: no summary column " + name)
	}
	return c
}

// meanOver is the mean of column c over the replications that have a value
// (NaN when none has).
func meanOver(sums []measure.Summary, c *measure.Column[measure.Summary]) float64 {
	total, n := 0.0, 0
	for i := range sums {
		if x := c.Float(&sums[i]); !math.IsNaN(x) {
			total += x
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return total / float64(n)
}
