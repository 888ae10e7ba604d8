package sweep

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/copsim/copsim/internal/echo"
	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/scenarios"
)

// planFile is the name of the plan in a sweep folder.
const planFile = "sweep.json"

func runFile(dir string, i int) string { return filepath.Join(dir, "runs", fmt.Sprintf("%07d.csv", i)) }
func seriesFile(dir string, i int) string {
	return filepath.Join(dir, "runs", fmt.Sprintf("%07d.ts.csv", i))
}

// readPlan reads a sweep folder's plan and checks that it describes a sweep
// within the bounds Load enforces, so that a damaged or hand-made
// sweep.json cannot ask merge for an impossible number of runs. Every
// error is an InputError: the folder given is not what it should be.
func readPlan(dir string) (*Plan, []byte, error) {
	name := filepath.Join(dir, planFile)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, nil, inputError(ErrNotSweepFolder, "%s: %v (no such folder)", dir, ErrNotSweepFolder)
	}
	fi, err := os.Stat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil, inputError(ErrNotSweepFolder, "%s: %v (it has no %s)", dir, ErrNotSweepFolder, planFile)
	case err != nil:
		return nil, nil, inputError(nil, "%s: cannot be read: %v", name, unwrapPath(err))
	case !fi.Mode().IsRegular():
		return nil, nil, inputError(nil, "%s: is not a regular file", name)
	case fi.Size() > maxPlanBytes:
		return nil, nil, inputError(nil, "%s: is %d bytes; a sweep plan is at most %d", name, fi.Size(), maxPlanBytes)
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, inputError(nil, "%s: cannot be read: %v", name, unwrapPath(err))
	}
	var p Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, nil, inputError(nil, "%s: is not a sweep plan written by copsim sweep (it is not valid JSON of that form)", name)
	}
	if msg := p.check(); msg != "" {
		return nil, nil, inputError(nil, "%s: is not a valid sweep plan: %s", name, msg)
	}
	return &p, b, nil
}

// maxPlanBytes bounds sweep.json: MaxCells values of at most
// MaxValueBytes each, twice (sets and values), and the rest.
const maxPlanBytes = 4*MaxCells*(MaxValueBytes+8) + MaxFileBytes

// check returns why a plan read from a file is not one Load could have
// made, or "".
func (p *Plan) check() string {
	switch {
	case len(p.Points) < 1 || len(p.Points) > MaxPoints:
		return fmt.Sprintf("it has %d points; a sweep has 1 to %d", len(p.Points), MaxPoints)
	case p.Replications < 1 || p.Replications > scenarios.MaxReplications:
		return fmt.Sprintf("it has %d replications; a sweep has 1 to %d", p.Replications, scenarios.MaxReplications)
	case len(p.Points)*p.Replications > MaxRuns:
		return fmt.Sprintf("it has %d runs; a sweep has at most %d", len(p.Points)*p.Replications, MaxRuns)
	case scenarios.CheckName(p.Name) != nil:
		return fmt.Sprintf("its name %s", scenarios.CheckName(p.Name))
	}
	for k, pt := range p.Points {
		if len(pt.Values) != len(p.Params) {
			return fmt.Sprintf("point %d has %d values for %d parameters", k, len(pt.Values), len(p.Params))
		}
	}
	return ""
}

// Prepare makes out a folder for the plan, or checks that it already is
// one (resuming). Shards of one sweep may share the folder. A folder that
// holds something else is refused with an InputError of kind
// ErrNotSweepFolder or ErrDifferentSweep.
func Prepare(out string, p *Plan) error {
	b, err := planBytes(p)
	if err != nil {
		return err
	}
	old, err := os.ReadFile(filepath.Join(out, planFile))
	switch {
	case err == nil:
		if !bytes.Equal(old, b) {
			return inputError(ErrDifferentSweep, "%s %v (its %s differs from this sweep); choose another --out", out, ErrDifferentSweep, planFile)
		}
	case errors.Is(err, fs.ErrNotExist):
		if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
			if _, err := os.Stat(filepath.Join(out, "runs")); err != nil {
				return inputError(ErrNotSweepFolder, "%s: exists and is %v; choose another --out", out, ErrNotSweepFolder)
			}
		}
		// runs/ first: a folder left by a Prepare killed before the plan
		// was written is then still recognised as a sweep folder.
		if err := os.MkdirAll(filepath.Join(out, "runs"), 0o755); err != nil {
			return err
		}
		results.RemoveTemps(out, everyFile)
		if err := results.WriteFileAtomic(filepath.Join(out, planFile), b); err != nil {
			return err
		}
	default:
		return err
	}
	return os.MkdirAll(filepath.Join(out, "runs"), 0o755)
}

// missing lists the runs not recorded in dir, or recorded in a file that
// does not hold what a run writes.
func missing(dir string, p *Plan) []int {
	var miss []int
	for i := 0; i < p.Runs(); i++ {
		if checkRun(dir, p, i) != nil {
			miss = append(miss, i)
		}
	}
	return miss
}

// checkRun reports whether run i is recorded in dir: its results row (and,
// when the plan asks for one, its time series) present and whole, naming
// the run, point, replication and seed that the plan gives it. A run not
// recorded at all gives an error that wraps fs.ErrNotExist.
func checkRun(dir string, p *Plan, i int) error {
	point, rep := i/p.Replications, i%p.Replications
	name := runFile(dir, i)
	b, err := readRunFile(name)
	if err != nil {
		return err
	}
	want := len(p.resultsHeader())
	head := []string{strconv.Itoa(i), strconv.Itoa(point), strconv.Itoa(rep), strconv.FormatUint(p.runSeed(point, rep), 10)}
	recs, err := csvRecords(b)
	switch {
	case err != nil:
		return fmt.Errorf("%s: is damaged (%s)", name, err)
	case len(recs) != 1:
		return fmt.Errorf("%s: is damaged (it holds %d rows; a run file holds 1)", name, len(recs))
	case len(recs[0]) != want:
		return fmt.Errorf("%s: is damaged (its row has %d columns; this sweep's have %d)", name, len(recs[0]), want)
	case !slices.Equal(recs[0][:4], head):
		return fmt.Errorf("%s: belongs to another run (it starts %s, run %d starts %s)", name, echo.Clip(strings.Join(recs[0][:4], ",")), i, strings.Join(head, ","))
	case !slices.Equal(recs[0][4:4+len(p.Params)], p.Points[point].Values):
		return fmt.Errorf("%s: belongs to another sweep (its parameter values differ from point %d's)", name, point)
	}
	if !p.Timeseries {
		return nil
	}
	name = seriesFile(dir, i)
	if b, err = readRunFile(name); err != nil {
		return err
	}
	if recs, err = csvRecords(b); err != nil {
		return fmt.Errorf("%s: is damaged (%s)", name, err)
	}
	for k, r := range recs {
		if len(r) != len(results.TimeseriesHeader)+2 || r[0] != head[0] || r[1] != head[1] {
			return fmt.Errorf("%s: is damaged (row %d is not a row of run %d's time series)", name, k+1, i)
		}
	}
	return nil
}

// readRunFile reads a file of runs/, refusing what a run cannot have
// written: not a regular file, empty, or not ended by a line break (cut
// short).
func readRunFile(name string) ([]byte, error) {
	fi, err := os.Lstat(name)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s: %w", name, unwrapPath(err))
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%s: is not a regular file", name)
	case fi.Size() == 0:
		return nil, fmt.Errorf("%s: is empty (a run cut short)", name)
	case fi.Size() > maxRunFileBytes:
		return nil, fmt.Errorf("%s: is %d bytes, more than a run writes", name, fi.Size())
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, unwrapPath(err))
	}
	if len(b) == 0 || b[len(b)-1] != '\n' {
		return nil, fmt.Errorf("%s: is cut short (it does not end with a line break)", name)
	}
	return b, nil
}

// maxRunFileBytes bounds a file of runs/: a time series of MaxTicks rows
// for MaxCommunities communities (plus a total) at most 1 KB each.
const maxRunFileBytes = int64(scenarios.MaxTicks) * (scenarios.MaxCommunities + 1) * 1024

func csvRecords(b []byte) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("not CSV at line %d", pe.Line)
		}
		return nil, errors.New("not CSV")
	}
	return recs, nil
}

// runOfFile is the run a file of runs/ belongs to (0000012.csv or
// 0000012.ts.csv).
func runOfFile(name string) (int, bool) {
	digits, _, ok := strings.Cut(name, ".")
	if !ok || len(digits) != 7 {
		return 0, false
	}
	i, err := strconv.Atoi(digits)
	return i, err == nil
}

// everyFile accepts every file, for results.RemoveTemps.
func everyFile(string) bool { return true }
