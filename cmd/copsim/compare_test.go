package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/copsim/copsim/measure"
)

// small makes the commands' tests fast.
var small = []string{"--set", "population.people=60", "--ticks", "30", "--reps", "3", "--workers", "2", "-q"}

func TestCompareWritesReport(t *testing.T) {
	out := filepath.Join(t.TempDir(), "cmp")
	var stdout, stderr bytes.Buffer
	args := append([]string{"compare", "-o", out}, small...)
	args = append(args, "baseline", "over_management")
	if code := runMain(args, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, f := range []string{"comparison.csv", "summary.csv", "timeseries.csv", "manifest.json", "report.html", "plots/knowledge.png", "plots/outcomes.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	csv, _ := os.ReadFile(filepath.Join(out, "comparison.csv"))
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	outcomes := 0 // compared outcomes: summary columns averaged over replications
	for _, c := range measure.SummaryColumns {
		if c.Aggregate == measure.MeanCI {
			outcomes++
		}
	}
	if want := 1 + 2*outcomes; len(lines) != want {
		t.Errorf("comparison.csv has %d lines, want %d", len(lines), want)
	}
	if !strings.HasPrefix(lines[0], "scenario,outcome,n,mean,sd,ci_low,ci_high,reference,diff,diff_ci_low,diff_ci_high") {
		t.Errorf("header %q", lines[0])
	}
	html, _ := os.ReadFile(filepath.Join(out, "report.html"))
	for _, want := range []string{"data:image/png;base64,", "Over-management", "95 % CI", "Manifest", "What each scenario asks"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if bytes.Contains(html, []byte("http://")) || bytes.Contains(html, []byte("https://")) {
		t.Error("report.html refers to the network")
	}
}

func TestCompareBadInput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "cmp")
	var stdout, stderr bytes.Buffer
	code := runMain([]string{"compare", "-o", out, "-q", "baseline", "no_such_scenario"}, &stdout, &stderr)
	if code != exitBadInput {
		t.Fatalf("exit %d, want %d", code, exitBadInput)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("output folder written for bad input")
	}
	if code := runMain([]string{"compare", "-q", "baseline"}, &stdout, &stderr); code != exitBadInput {
		t.Errorf("one scenario: exit %d", code)
	}
}

func TestCompareRobustness(t *testing.T) {
	var outs [2][]byte
	for i, workers := range []string{"1", "3"} {
		out := filepath.Join(t.TempDir(), "cmp")
		var stdout, stderr bytes.Buffer
		// Founders up to full legitimacy: a core from the start, which a
		// closing core needs to close anything in so short a run.
		args := []string{"compare", "-o", out, "--set", "population.people=40", "--set", "population.initial_legitimacy=1",
			"--ticks", "20", "--reps", "2", "--workers", workers,
			"--no-plots", "--robustness", "3", "--robustness-reps", "2", "baseline", "insular_strategic"}
		if code := runMain(args, &stdout, &stderr); code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		for _, f := range []string{"robustness.csv", "robustness_points.csv"} {
			b, err := os.ReadFile(filepath.Join(out, f))
			if err != nil {
				t.Fatal(err)
			}
			outs[i] = append(outs[i], b...)
		}
		for _, want := range []string{"Over 3 plausible settings", "insular_strategic keeps its own model.legitimacy.closure = 0.9", "of plausible settings"} {
			if !strings.Contains(stdout.String(), want) {
				t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
			}
		}
		html, _ := os.ReadFile(filepath.Join(out, "report.html"))
		for _, want := range []string{"Robustness over the plausible ranges", "3 points of a Latin hypercube", "robustness_points.csv", "keeps it at every point"} {
			if !bytes.Contains(html, []byte(want)) {
				t.Errorf("report.html lacks %q", want)
			}
		}
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Error("robustness outputs depend on --workers")
	}
}

func TestCompareRobustnessBadFlags(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"one point", []string{"--robustness", "1"}, "--robustness must be from 2 to"},
		{"negative points", []string{"--robustness", "-4"}, "--robustness must be from 2 to"},
		{"too many points", []string{"--robustness", "100001"}, "--robustness must be from 2 to 100000 points"},
		{"not a number", []string{"--robustness", "many"}, `--robustness "many": not a valid value; want a whole number`},
		{"one replication", []string{"--robustness", "5", "--robustness-reps", "1"}, "--robustness-reps must be from 2 to"},
		{"reps without points", []string{"--robustness-reps", "4"}, "give --robustness N too"},
		{"reference with one replication", []string{"--robustness", "5", "--reps", "1"}, "needs at least 2 replications per point"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "cmp")
			var stdout, stderr bytes.Buffer
			args := append([]string{"compare", "-q", "-o", out}, c.args...)
			code := runMain(append(args, "baseline", "over_management"), &stdout, &stderr)
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
