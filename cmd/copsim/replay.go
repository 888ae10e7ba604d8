package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/copsim/copsim/class"
	"github.com/copsim/copsim/internal/echo"
	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/plots"
	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/scenarios"
)

// runReplay is `copsim run --replay LOG`: it reads a class run's event log
// (class.WriteLog, exported by `copsim serve --class`), makes the run
// again and writes what the class page exports for it (timeseries.csv,
// trajectories.csv, byte for byte) with summary.csv, the run as a
// scenario, a manifest and the figures. A bad log is refused with its
// file and line, exit code 2, and nothing is written.
func runReplay(f *runFlags, path string, stdout, stderr io.Writer) int {
	if len(f.fs.Args()) > 0 {
		return fail(stderr, usageError{fmt.Sprintf("--replay takes no SCENARIO (the log holds it), got %s", echo.Quote(f.fs.Arg(0)))})
	}
	for _, name := range []string{"set", "seed", "reps", "ticks"} {
		if f.fs.Changed(name) {
			return fail(stderr, usageError{fmt.Sprintf("--%s does not apply to --replay: the run is the one the log records", name)})
		}
	}
	started := time.Now()
	data, err := os.ReadFile(path)
	if err != nil {
		return fail(stderr, usageError{fmt.Sprintf("--replay: %v", err)})
	}
	lg, err := class.ReadLog(path, strings.NewReader(string(data)))
	if err != nil {
		return fail(stderr, badLog(err))
	}
	out := f.out
	if out == "" {
		out = defaultOut(lg.Scenario.Name+"-replay", started)
	}
	if _, err := os.Stat(out); err == nil {
		return fail(stderr, usageError{fmt.Sprintf("%s: output folder already exists; choose another --out or remove it", out)})
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	r, err := class.ReplayWith(ctx, lg, class.Options{Workers: f.workers})
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return runFailed(stderr, err)
		}
		return fail(stderr, badLog(err))
	}
	defer r.Close()
	sc := r.Scenario()
	man := results.NewManifest("run --replay", sc, f.workers, []string{"--replay " + path}, started)
	err = results.Atomic(out, func(dir string) error {
		fo := f.figures()
		fo.Title = sc.Name + " (class run)"
		return writeReplay(ctx, dir, r, man, !f.noPlots, fo)
	})
	if err != nil {
		return writeFail(stderr, err)
	}
	if !f.quiet {
		fmt.Fprintf(stdout, "%s: a class run of %d students replayed to week %d\nwritten to %s\n",
			sc.Name, len(r.Students()), r.Week(), out)
	}
	return exitOK
}

// badLog makes an error of the log the user's input (exit code 2),
// keeping a scenario's own errors as they are.
func badLog(err error) error {
	var se *scenarios.Error
	if errors.As(err, &se) {
		return err
	}
	return usageError{err.Error()}
}

// writeReplay fills an output folder with a replayed class run.
func writeReplay(ctx context.Context, dir string, r *class.Run, man results.Manifest, withPlots bool, fo plots.Options) error {
	rows := r.Rows()
	if withPlots {
		pdir := filepath.Join(dir, "plots")
		if err := os.Mkdir(pdir, 0o755); err != nil {
			return err
		}
		net := r.World().Network(r.Scenario().Output.NetworkNodes)
		if _, err := plots.WriteRunContext(ctx, pdir, rows, net, fo); err != nil {
			return err
		}
	}
	last := rows[len(rows)-len(r.Scenario().CommunityNames())-1:]
	sum := r.World().Summarize(last)
	y, err := scenarios.Marshal(man.Scenario)
	if err != nil {
		return err
	}
	for _, w := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{"timeseries.csv", r.WriteTimeseriesCSV},
		{"trajectories.csv", r.WriteTrajectoriesCSV},
		{"summary.csv", func(w io.Writer) error { return results.WriteSummary(w, []measure.Summary{sum}) }},
		{"scenario.yaml", func(w io.Writer) error {
			_, err := io.WriteString(w, "# The class run replayed, as a scenario: the teacher's switches as interventions and sliders as\n# changes. The students' decisions are not in it (they are in the log), so `copsim run` on this\n# file gives the run without them.\n"+string(y))
			return err
		}},
	} {
		if err := results.WriteFile(filepath.Join(dir, w.name), w.write); err != nil {
			return err
		}
	}
	man.Finished = time.Now().UTC()
	return results.WriteJSON(filepath.Join(dir, "manifest.json"), man)
}
