package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/copsim/copsim/sensitivity"
)

func init() {
	register(&command{name: "sensitivity", summary: "global sensitivity analysis (Sobol indices or Morris screening) on the sweep machinery; --check tests the estimators", run: runSensitivity})
}

func runSensitivity(args []string, stdout, stderr io.Writer) int {
	f := newPlanFlags("sensitivity", stderr)
	check := f.fs.Bool("check", false, "estimate the indices of the Ishigami function and Sobol's g-function and compare them with their exact values; fails if any lies outside its interval")
	checkSamples := f.fs.Int("check-samples", 4000, "base points of each test function's Sobol design for --check")
	f.fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: copsim sensitivity [flags] SA.yaml
       copsim sensitivity --check

Runs a global sensitivity analysis: a sweep file whose design is sobol
(first-order and total Sobol indices) or morris (elementary effects), run,
resumed, sharded and merged as any sweep, and writes indices.csv beside the
sweep's outputs (docs/sweeps.md, "Sensitivity designs"). --check tests the
estimators against functions whose indices are known exactly.

Flags:`)
		f.fs.PrintDefaults()
	}
	if code, ok := f.parse(args, atLeast(0, ""), stderr); !ok {
		return code
	}
	if *check {
		if f.fs.NArg() != 0 {
			return fail(stderr, usageError{"sensitivity --check takes no file"})
		}
		if *checkSamples < 100 || *checkSamples > 1_000_000 {
			return fail(stderr, usageError{fmt.Sprintf("--check-samples must be from 100 to 1000000, got %d", *checkSamples)})
		}
		return runCheck(*checkSamples, stdout)
	}
	if f.fs.NArg() != 1 {
		return fail(stderr, usageError{"sensitivity needs one SA file (a sweep file with design: sobol or morris), or --check"})
	}
	file := f.fs.Arg(0)
	plan, shard, err := f.load(file)
	if err != nil {
		return fail(stderr, err)
	}
	if !plan.Sensitivity() {
		return fail(stderr, usageError{fmt.Sprintf("%s: design %s gives no indices; a sensitivity analysis needs design: sobol or morris (or run it with copsim sweep)", file, plan.Design)})
	}
	if code := f.runPlan(file, plan, shard, stdout, stderr); code != exitOK || shard.Count > 1 || f.quiet {
		return code
	}
	out := f.out
	if out == "" {
		out = filepath.Join("results", "sweep-"+plan.Name)
	}
	if err := printIndices(stdout, filepath.Join(out, "indices.csv")); err != nil {
		return fail(stderr, err)
	}
	return exitOK
}

// runCheck prints the test functions' indices beside their exact values.
func runCheck(n int, stdout io.Writer) int {
	rows, err := sensitivity.Check(n, 1000, 1)
	if err != nil {
		fmt.Fprintln(stdout, "copsim:", err)
		return exitFailure
	}
	failed := 0
	fmt.Fprintf(stdout, "Sobol indices of two test functions, %d base points each; simultaneous 95 %% intervals (bootstrap, Bonferroni over %d indices)\n", n, len(rows))
	fmt.Fprintf(stdout, "%-11s %-5s %-5s %8s %9s  %-21s %s\n", "function", "input", "index", "exact", "estimate", "interval", "")
	for _, r := range rows {
		verdict := "ok"
		if !r.Pass() {
			verdict = "OUTSIDE"
			failed++
		}
		fmt.Fprintf(stdout, "%-11s x%-4d %-5s %8.4f %9.4f  [%8.4f, %8.4f]  %s\n", r.Function, r.Input, r.Index, r.Exact, r.Estimate.Value, r.Estimate.Lo, r.Estimate.Hi, verdict)
	}
	if failed > 0 {
		fmt.Fprintf(stdout, "%d of %d indices lie outside their intervals: the estimators are broken\n", failed, len(rows))
		return exitFailure
	}
	fmt.Fprintf(stdout, "every index lies within its interval\n")
	return exitOK
}

// printIndices tells, for each outcome of indices.csv, the parameters in
// order of their total index (Sobol) or μ* (Morris).
func printIndices(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	type entry struct {
		param, text string
		v           float64
	}
	byOutcome := map[string][]entry{}
	var order []string
	for _, r := range rows[1:] {
		if len(r) != 7 || (r[3] != "ST" && r[3] != "mu_star" && r[3] != "noise_share") {
			continue
		}
		if _, ok := byOutcome[r[1]]; !ok {
			order = append(order, r[1])
		}
		v, _ := strconv.ParseFloat(r[4], 64)
		short := func(s string) string {
			x, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return s // NA
			}
			return strconv.FormatFloat(x, 'f', 3, 64)
		}
		text := fmt.Sprintf("%-8s %7s  %s", r[3], short(r[4]), r[2])
		if r[3] != "noise_share" {
			text = fmt.Sprintf("%-8s %7s  [%s, %s]  %s", r[3], short(r[4]), short(r[5]), short(r[6]), r[2])
		}
		byOutcome[r[1]] = append(byOutcome[r[1]], entry{r[2], text, v})
	}
	for _, o := range order {
		es := byOutcome[o]
		sort.SliceStable(es, func(a, b int) bool {
			if (es[a].param == "(replications)") != (es[b].param == "(replications)") {
				return es[b].param == "(replications)"
			}
			return es[a].v > es[b].v
		})
		fmt.Fprintf(w, "%s:\n", o)
		for _, e := range es {
			fmt.Fprintf(w, "  %s\n", e.text)
		}
	}
	return nil
}
