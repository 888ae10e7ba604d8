package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const cmdSensitivity = `name: sa
base: baseline
set:
  population.people: 40
  ticks: 20
replications: 2
design: morris
samples: 3
outcomes: [knowledge_mean]
parameters:
  - path: model.socialization
    range: {from: 0.05, to: 0.9}
  - path: model.turnover
    range: {from: 0.001, to: 0.05, log: true}
`

func TestSensitivityRunsAndTells(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "sa.yaml")
	os.WriteFile(file, []byte(cmdSensitivity), 0o644)
	out := filepath.Join(dir, "out")
	var stdout, stderr bytes.Buffer
	if code := runMain([]string{"sensitivity", "--no-plots", "--workers", "2", "-o", out, file}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"knowledge_mean:", "]  model.turnover\n", "]  model.socialization\n", "mu_star", "(replications)\n", "noise_share"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
		}
	}
	if _, err := os.Stat(filepath.Join(out, "indices.csv")); err != nil {
		t.Error(err)
	}
}

func TestSensitivityBadInput(t *testing.T) {
	dir := t.TempDir()
	factorial := filepath.Join(dir, "f.yaml")
	os.WriteFile(factorial, []byte(cmdSweep), 0o644)
	sa := filepath.Join(dir, "sa.yaml")
	os.WriteFile(sa, []byte(cmdSensitivity), 0o644)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no file", nil, "needs one SA file"},
		{"a factorial design", []string{factorial}, "design factorial gives no indices"},
		{"check with a file", []string{"--check", sa}, "--check takes no file"},
		{"check with too few samples", []string{"--check", "--check-samples", "10"}, "--check-samples must be from 100"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, "out-"+strings.ReplaceAll(c.name, " ", "-"))
			var stdout, stderr bytes.Buffer
			code := runMain(append([]string{"sensitivity", "-q", "-o", out}, c.args...), &stdout, &stderr)
			if code != exitBadInput || !strings.Contains(stderr.String(), c.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr.String(), exitBadInput, c.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("output folder written for bad input")
			}
		})
	}
}

// The self-check passes: the estimators recover the test functions' exact
// indices (a broken estimator is caught by the sensitivity package's tests).
func TestSensitivityCheck(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runMain([]string{"sensitivity", "--check", "--check-samples", "2000"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "every index lies within its interval") || strings.Count(stdout.String(), " ok\n") != 22 {
		t.Errorf("stdout:\n%s", stdout.String())
	}
}
