package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const cmdSweep = `name: t
base: baseline
set:
  population.people: 60
  ticks: 30
replications: 2
parameters:
  - path: model.socialization
    values: [0.1, 0.9]
  - path: model.turnover
    values: [0, 0.02]
`

func TestSweepBadInputWritesNothing(t *testing.T) {
	cases := []struct {
		name, file string
		args       []string
		want       string
	}{
		{"unknown path", strings.Replace(cmdSweep, "model.turnover", "model.turnovr", 1), nil, "sweep.yaml:10: parameters.1.path: model.turnovr: unknown parameter path"},
		{"empty range", strings.Replace(cmdSweep, "values: [0, 0.02]", "range: {from: 0, to: 0.02, step: -1}", 1), nil, "sweep.yaml:11: parameters.1.range: the range is empty"},
		{"reversed bounds", strings.Replace(cmdSweep, "values: [0, 0.02]", "range: {from: 0.02, to: 0, step: 0.01}", 1), nil, "sweep.yaml:11: parameters.1.range: bounds are reversed"},
		{"shard outside count", cmdSweep, []string{"--shard", "2/2"}, "shard 2 is outside its count"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "sweep.yaml")
			os.WriteFile(file, []byte(c.file), 0o644)
			out := filepath.Join(dir, "out")
			var stdout, stderr bytes.Buffer
			args := append([]string{"sweep", "-q", "-o", out}, c.args...)
			code := runMain(append(args, file), &stdout, &stderr)
			if code != exitBadInput {
				t.Errorf("exit %d, want %d", code, exitBadInput)
			}
			if !strings.Contains(stderr.String(), c.want) {
				t.Errorf("stderr %q lacks %q", stderr.String(), c.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("output folder written for bad input")
			}
		})
	}
}

// TestSweepRerunCommand checks that the rerun column repeats a run alone.
func TestSweepRerunCommand(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "sweep.yaml")
	os.WriteFile(file, []byte(cmdSweep), 0o644)
	out := filepath.Join(dir, "out")
	var stdout, stderr bytes.Buffer
	if code := runMain([]string{"sweep", "-q", "--no-plots", "-o", out, file}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	// Running again resumes: nothing to do, same results.
	first, _ := os.ReadFile(filepath.Join(out, "results.csv"))
	if code := runMain([]string{"sweep", "--no-plots", "-o", out, file}, &stdout, &stderr); code != exitOK || !strings.Contains(stdout.String(), "(8 done before, 0 now)") {
		t.Fatalf("second run: exit %d: %s %s", code, stdout.String(), stderr.String())
	}
	again, _ := os.ReadFile(filepath.Join(out, "results.csv"))
	if !bytes.Equal(first, again) {
		t.Error("results.csv changed on resume")
	}
	lines := strings.Split(strings.TrimSpace(string(first)), "\n")
	row := lines[6] // run 5: point 2, rep 1
	cmd := row[strings.LastIndex(row, ",copsim run ")+1:]
	fields := strings.Fields(cmd)[2:]
	rr := filepath.Join(dir, "rerun")
	if code := runMain(append([]string{"run", "-q", "--no-plots", "-o", rr}, fields...), &stdout, &stderr); code != exitOK {
		t.Fatalf("%s: exit %d: %s", cmd, code, stderr.String())
	}
	sum, _ := os.ReadFile(filepath.Join(rr, "summary.csv"))
	srow := strings.Split(strings.TrimSpace(string(sum)), "\n")[1]
	// summary.csv: rep,seed,final_tick,...; results.csv: run,point,rep,seed,2 params,final_tick,...
	want := strings.SplitN(srow, ",", 3)[2]
	got := strings.Join(strings.Split(row, ",")[6:6+strings.Count(want, ",")+1], ",")
	if got != want {
		t.Errorf("rerun %s\n gives %s\n sweep had %s", cmd, want, got)
	}
}
