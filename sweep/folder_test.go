package sweep

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
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

// TestRunFileDamage damages run 1 in each way a crash, a full disk or a
// hand can, and checks that the run no longer counts as done, that merge
// refuses it with the file's name, that a resume runs it again and that the
// result equals the undamaged one.
func TestRunFileDamage(t *testing.T) {
	ref, p := doneSweep(t)
	if err := Assemble(ref, p, false); err != nil {
		t.Fatal(err)
	}
	row := mustRead(t, runFile(ref, 1))
	other := mustRead(t, runFile(ref, 2))
	series := mustRead(t, seriesFile(ref, 1))
	for _, tc := range []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"empty", "0000001.csv", nil, "is empty"},
		{"cut short", "0000001.csv", row[:len(row)/2], "cut short"},
		{"garbage", "0000001.csv", []byte("hello\n"), "columns"},
		{"two rows", "0000001.csv", append(append([]byte{}, row...), row...), "2 rows"},
		{"another run", "0000001.csv", other, "another run"},
		{"bad quote", "0000001.csv", []byte("\"1,2\n"), "not CSV"},
		{"empty series", "0000001.ts.csv", nil, "is empty"},
		{"garbage series", "0000001.ts.csv", []byte("a,b\n"), "not a row of run 1"},
		{"series of run 2", "0000001.ts.csv", mustRead(t, seriesFile(ref, 2)), "not a row of run 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, _ := doneSweep(t)
			if err := os.WriteFile(filepath.Join(out, "runs", tc.file), tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			err := checkRun(out, p, 1)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.file) {
				t.Fatalf("checkRun: %v, want an error naming %s and saying %q", err, tc.file, tc.want)
			}
			if m := missing(out, p); len(m) != 1 || m[0] != 1 {
				t.Errorf("missing = %v, want [1]", m)
			}
			_, err = Merge(filepath.Join(t.TempDir(), "m"), []string{out}, false)
			if err == nil || !strings.Contains(err.Error(), tc.file) {
				t.Errorf("merge: %v, want a refusal naming %s", err, tc.file)
			}
			if err := Assemble(out, p, false); err == nil {
				t.Error("assembled a sweep with a damaged run")
			}
			st, err := Execute(context.Background(), out, p, RunOptions{Workers: 1})
			if err != nil || st.Ran != 1 {
				t.Fatalf("resume: %+v, %v; want run 1 run again", st, err)
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
	if !bytes.Equal(series, mustRead(t, seriesFile(ref, 1))) {
		t.Fatal("reference changed")
	}
}

// TestStaleTemporaries leaves the temporaries of killed writes and checks
// that a resume removes its shard's, and only those, and that assembling
// removes the folder's.
func TestStaleTemporaries(t *testing.T) {
	out, p := doneSweep(t)
	runs := filepath.Join(out, "runs")
	mine := []string{".0000002.csv.tmp-1", ".0000002.ts.csv.tmp-2"}
	theirs := []string{".0000001.csv.tmp-3"}
	top := []string{".results.csv.tmp-4", ".timeseries.csv.tmp-5", ".manifest.json.tmp-6"}
	for _, n := range append(mine, theirs...) {
		os.WriteFile(filepath.Join(runs, n), []byte("x"), 0o644)
	}
	for _, n := range top {
		os.WriteFile(filepath.Join(out, n), []byte("x"), 0o644)
	}
	if _, err := Execute(context.Background(), out, p, RunOptions{Shard: Shard{0, 2}}); err != nil {
		t.Fatal(err)
	}
	for _, n := range mine {
		if _, err := os.Stat(filepath.Join(runs, n)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s of this shard left after the resume", n)
		}
	}
	for _, n := range theirs {
		if _, err := os.Stat(filepath.Join(runs, n)); err != nil {
			t.Errorf("%s of another shard removed: %v", n, err)
		}
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
