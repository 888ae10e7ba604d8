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

	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/scenarios"
)

// planFile is the name of the plan in a sweep folder.
const planFile = "sweep.json"

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

// everyFile accepts every file, for results.RemoveTemps.
func everyFile(string) bool { return true }
