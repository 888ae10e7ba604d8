package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	if want := 1 + 2*20; len(lines) != want {
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
