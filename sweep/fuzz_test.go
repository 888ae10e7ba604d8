package sweep

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/copsim/copsim/scenarios"
)

// FuzzLoad checks that Load never panics or hangs, that every
// error it reports is a located scenarios.Error, and that a plan it accepts
// is within the documented bounds and well formed. The seed corpus in
// testdata/fuzz/FuzzLoad holds the examples and the hostile cases'
// sweep files.
func FuzzLoad(f *testing.F) {
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "fuzz.yaml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		p, err := Load(path, Options{})
		if err != nil {
			errs := scenarios.Errors(err)
			if _, ok := err.(scenarios.ErrorList); !ok || len(errs) == 0 {
				t.Fatalf("error of type %T: %v", err, err)
			}
			for _, e := range errs {
				if e.File == "" || e.Msg == "" {
					t.Errorf("badly located error %q", e.Error())
				}
				if e.File == path && e.Line < 1 && len(data) > 0 && len(data) <= MaxFileBytes {
					t.Errorf("error without a line: %q", e.Error())
				}
			}
			return
		}
		switch {
		case len(p.Points) < 1 || len(p.Points) > MaxPoints:
			t.Fatalf("plan with %d points", len(p.Points))
		case p.Replications < 1 || p.Replications > scenarios.MaxReplications:
			t.Fatalf("plan with %d replications", p.Replications)
		case p.Runs() > MaxRuns:
			t.Fatalf("plan with %d runs", p.Runs())
		case scenarios.CheckName(p.Name) != nil:
			t.Fatalf("plan named %q", p.Name)
		case p.check() != "":
			t.Fatalf("plan refused by readPlan: %s", p.check())
		}
		for k, pt := range p.Points {
			if len(pt.Values) != len(p.Params) {
				t.Fatalf("point %d has %d values for %d parameters", k, len(pt.Values), len(p.Params))
			}
		}
		if p.Rerun(0, 0) == "" {
			t.Fatal("no rerun command for the first run")
		}
	})
}

// FuzzRecords checks that reading a record file never panics, allocates
// by what a header claims or indexes a run whose record does not hold what
// the run writes. The seeds are a whole record file and damaged copies.
func FuzzRecords(f *testing.F) {
	p, err := Load(writeSweep(f, mergeSweep), Options{})
	if err != nil {
		f.Fatal(err)
	}
	// Records of the form a run writes, made without running (a fuzzing
	// build runs the model slowly).
	whole := []byte(recordMagic)
	for i := range p.Runs() {
		point, rep := i/p.Replications, i%p.Replications
		rec := []string{strconv.Itoa(i), strconv.Itoa(point), strconv.Itoa(rep), strconv.FormatUint(p.runSeed(point, rep), 10)}
		rec = append(rec, p.Points[point].Values...)
		for range runColumns {
			rec = append(rec, "1")
		}
		rec = append(rec, p.Rerun(point, rep))
		var row bytes.Buffer
		cw := csv.NewWriter(&row)
		cw.Write(rec)
		cw.Flush()
		whole = appendRecord(whole, i, row.Bytes(), nil)
	}
	dir := f.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "runs"), 0o755); err != nil {
		f.Fatal(err)
	}
	file := filepath.Join(dir, "runs", recordPrefix+"1"+recordExt)
	if err := os.WriteFile(file, whole, 0o644); err != nil {
		f.Fatal(err)
	}
	if ix, err := readRuns(dir, p); err != nil || len(ix.missing()) > 0 {
		f.Fatalf("the seed record file is not whole: %v", err)
	}
	f.Add(whole)
	f.Add(whole[:len(whole)/2])
	f.Add(append([]byte(recordMagic), "R 0 500000000000 0 00000000\n"...))
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ix, err := readRuns(dir, p)
		if err != nil {
			t.Fatal(err)
		}
		for i := range ix.at {
			if !ix.done(i) {
				continue
			}
			row, series, err := ix.read(i)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkRecord(p, i, row, series); err != nil {
				t.Fatalf("run %d indexed with a record that does not hold it: %v", i, err)
			}
		}
	})
}
