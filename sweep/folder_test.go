package sweep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/copsim/copsim/scenarios"
)

// doneSweep runs mergeSweep (with time series) into a new folder.
func doneSweep(t *testing.T) (string, *Plan) {
	t.Helper()
	p, err := Load(writeSweep(t, mergeSweep), Options{Timeseries: true})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	if err := Prepare(out, p); err != nil {
		t.Fatal(err)
	}
	if _, err := Execute(context.Background(), out, p, RunOptions{Workers: 2}); err != nil {
		t.Fatal(err)
	}
	return out, p
}

// recordSpan is where one record lies in a record file.
type recordSpan struct{ run, start, end int }

// recordFile returns the one record file of a sweep folder and its records.
func recordFile(t *testing.T, out string) (string, []recordSpan) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(out, "runs", recordPrefix+"*"+recordExt))
	if len(files) != 1 {
		t.Fatalf("%d record files in %s, want 1", len(files), out)
	}
	b := mustRead(t, files[0])
	var spans []recordSpan
	for off := len(recordMagic); off < len(b); {
		nl := bytes.IndexByte(b[off:], '\n')
		run, rowLen, seriesLen, _, ok := parseHeader(b[off : off+nl+1])
		if !ok {
			t.Fatalf("%s: bad header at %d", files[0], off)
		}
		end := off + nl + 1 + int(rowLen+seriesLen)
		spans = append(spans, recordSpan{run, off, end})
		off = end
	}
	return files[0], spans
}

// TestRecordDamage damages the record file in each way a kill, a crash, a
// full disk or a hand can, and checks that the runs it no longer holds
// whole count as not done, that merge and assembly refuse the folder, that
// a resume runs exactly those runs again and that the result equals the
// undamaged one.
func TestRecordDamage(t *testing.T) {
	ref, p := doneSweep(t)
	if err := Assemble(ref, p, false); err != nil {
		t.Fatal(err)
	}
	if _, spans := recordFile(t, ref); len(spans) != p.Runs() {
		t.Fatalf("%d records for %d runs", len(spans), p.Runs())
	}
	// Each damage leaves whole the records before the k-th.
	for _, tc := range []struct {
		name   string
		damage func(b []byte, spans []recordSpan) (damaged []byte, k int)
		want   string // in the problem of the first run lost, when not merely missing
	}{
		{"torn last record", func(b []byte, s []recordSpan) ([]byte, int) { return b[:s[len(s)-1].end-7], len(s) - 1 }, "cut short"},
		{"torn header", func(b []byte, s []recordSpan) ([]byte, int) { return b[:s[len(s)-1].start+3], len(s) - 1 }, ""},
		{"flipped byte", func(b []byte, s []recordSpan) ([]byte, int) { b[s[2].end-3] ^= 1; return b, 2 }, "checksum fails"},
		{"bad length", func(b []byte, s []recordSpan) ([]byte, int) {
			return append(b[:s[len(s)-1].start], []byte("R 1 99999999999999 0 00000000\n")...), len(s) - 1
		}, ""},
		// Within the bound of a record, past the end of the file: refused
		// before anything is allocated for it.
		{"huge length", func(b []byte, s []recordSpan) ([]byte, int) {
			last := s[len(s)-1]
			return append(b[:last.start], fmt.Appendf(nil, "R %d 500000000000 0 00000000\nabc", last.run)...), len(s) - 1
		}, "cut short"},
		{"another run's row", func(b []byte, s []recordSpan) ([]byte, int) {
			first, last := b[s[0].start:s[0].end], s[len(s)-1]
			nl := bytes.IndexByte(first, '\n')
			_, rowLen, _, _, _ := parseHeader(first[:nl+1])
			row, series := first[nl+1:nl+1+int(rowLen)], first[nl+1+int(rowLen):]
			return appendRecord(b[:last.start:last.start], last.run, row, series), len(s) - 1
		}, "another run"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, _ := doneSweep(t)
			file, spans := recordFile(t, out)
			b, k := tc.damage(mustRead(t, file), spans)
			if err := os.WriteFile(file, b, 0o644); err != nil {
				t.Fatal(err)
			}
			var miss []int
			for _, s := range spans[k:] {
				miss = append(miss, s.run)
			}
			slices.Sort(miss)
			// Not record files: ignored.
			os.WriteFile(filepath.Join(out, "runs", "notes.txt"), []byte("mine"), 0o644)
			os.WriteFile(filepath.Join(out, "runs", recordPrefix+"junk"+recordExt), []byte("hello\n"), 0o644)
			ix, err := readRuns(out, p)
			if err != nil {
				t.Fatal(err)
			}
			if m := ix.missing(); !slices.Equal(m, miss) {
				t.Fatalf("missing = %v, want %v", m, miss)
			}
			err = ix.problem(spans[k].run)
			if tc.want == "" && !errors.Is(err, fs.ErrNotExist) || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), file)) {
				t.Errorf("problem: %v, want %q", err, tc.want)
			}
			if _, err = Merge(filepath.Join(t.TempDir(), "m"), []string{out}, false); err == nil {
				t.Error("merged a sweep with a damaged run")
			}
			if err := Assemble(out, p, false); err == nil {
				t.Error("assembled a sweep with a damaged run")
			}
			st, err := Execute(context.Background(), out, p, RunOptions{Workers: 1})
			if err != nil || st.Ran != len(miss) {
				t.Fatalf("resume: %+v, %v; want %d runs run again", st, err, len(miss))
			}
			if err := Assemble(out, p, false); err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{"results.csv", "timeseries.csv"} {
				if !bytes.Equal(mustRead(t, filepath.Join(ref, f)), mustRead(t, filepath.Join(out, f))) {
					t.Errorf("%s after the resume differs from the undamaged sweep's", f)
				}
			}
		})
	}
}

// TestStaleTemporaries leaves the temporaries of killed writes of the
// assembled files and checks that assembling removes them.
func TestStaleTemporaries(t *testing.T) {
	out, p := doneSweep(t)
	top := []string{".results.csv.tmp-4", ".timeseries.csv.tmp-5", ".manifest.json.tmp-6"}
	for _, n := range top {
		os.WriteFile(filepath.Join(out, n), []byte("x"), 0o644)
	}
	if err := Assemble(out, p, false); err != nil {
		t.Fatal(err)
	}
	for _, n := range top {
		if _, err := os.Stat(filepath.Join(out, n)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s left after assembling", n)
		}
	}
}

// TestManifestMarksComplete checks that an assembled folder has a manifest
// naming its data files, and that an assembly that fails removes an older
// one, so that the folder no longer claims to be complete.
func TestManifestMarksComplete(t *testing.T) {
	out, p := doneSweep(t)
	if err := Assemble(out, p, false); err != nil {
		t.Fatal(err)
	}
	m := string(mustRead(t, filepath.Join(out, manifestFile)))
	for _, f := range []string{"results.csv", "design.csv", "timeseries.csv", `"complete": true`} {
		if !strings.Contains(m, f) {
			t.Errorf("manifest lacks %s:\n%s", f, m)
		}
	}
	// An assembly that fails half-way (a folder in the place of
	// timeseries.csv) leaves no manifest.
	os.Remove(filepath.Join(out, "timeseries.csv"))
	os.Mkdir(filepath.Join(out, "timeseries.csv"), 0o755)
	os.WriteFile(filepath.Join(out, "timeseries.csv", "x"), nil, 0o644)
	if err := Assemble(out, p, false); err == nil {
		t.Fatal("assembly over a folder succeeded")
	}
	if _, err := os.Stat(filepath.Join(out, manifestFile)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a failed assembly left %s: %v", manifestFile, err)
	}
}

// TestReadPlanRefuses checks that merge refuses a sweep.json that Load
// could not have written, before it counts or allocates runs.
func TestReadPlanRefuses(t *testing.T) {
	for _, tc := range []struct{ name, plan, want string }{
		{"not json", "{", "not valid JSON"},
		{"no points", `{"name":"x","replications":1,"points":[]}`, "0 points"},
		{"huge replications", `{"name":"x","replications":1000000000000,"points":[{"values":[]}]}`, "replications"},
		{"negative replications", `{"name":"x","replications":-1,"points":[{"values":[]}]}`, "replications"},
		{"too many runs", `{"name":"x","replications":100000,"points":[` + strings.Repeat(`{"values":[]},`, 20) + `{"values":[]}]}`, "runs"},
		{"bad name", `{"name":"../x","replications":1,"points":[{"values":[]}]}`, "name"},
		{"ragged", `{"name":"x","parameters":["a"],"replications":1,"points":[{"values":[]}]}`, "0 values for 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, planFile), []byte(tc.plan), 0o644)
			_, _, err := readPlan(dir)
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), planFile) {
				t.Errorf("readPlan: %v, want an error naming %s and saying %q", err, planFile, tc.want)
			}
		})
	}
	if _, _, err := readPlan(filepath.Join(t.TempDir(), "none")); !errors.Is(err, ErrNotSweepFolder) || !strings.Contains(err.Error(), "not a sweep folder") {
		t.Errorf("missing folder: %v", err)
	}
}

// TestDocsBounds keeps docs/sweeps.md in step with the bounds: each is
// named with its value.
func TestDocsBounds(t *testing.T) {
	b, err := os.ReadFile("../docs/sweeps.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for name, v := range map[string]int{
		"sweep.MaxFileBytes": MaxFileBytes, "sweep.MaxNodes": MaxNodes,
		"sweep.MaxDescriptionBytes": MaxDescriptionBytes, "sweep.MaxValueBytes": MaxValueBytes,
		"sweep.MaxRangeValues": MaxRangeValues, "sweep.MaxPoints": MaxPoints, "sweep.MaxCells": MaxCells,
		"sweep.MaxRuns": MaxRuns, "scenarios.MaxReplications": scenarios.MaxReplications,
	} {
		row := ""
		for _, line := range strings.Split(doc, "\n") {
			if strings.Contains(line, "`"+name+"`") {
				row = line
			}
		}
		if !regexp.MustCompile(`(^|[^0-9])` + strconv.Itoa(v) + `([^0-9]|$)`).MatchString(row) {
			t.Errorf("docs/sweeps.md: no table row names %s with its value %d", name, v)
		}
	}
}
