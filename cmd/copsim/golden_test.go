package main

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/copsim/copsim/scenarios"
)

// The golden tests pin every output of every built-in scenario at a small
// size, byte for byte, so that a change meant to leave the model alone (a
// refactor, a speed-up, hardening) is proved to do so. When a change is meant
// to alter results, regenerate them with
//
//	make golden
//
// and say in the commit why the numbers moved.
var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const goldenDir = "testdata/golden"

// goldenRunArgs sizes each built-in scenario so that the whole set runs in
// seconds. march1991 keeps its own population (it is March's) and stops at
// equilibrium; fang2010 keeps its own population (it is Fang, Lee &
// Schilling's).
func goldenRunArgs(name string) []string {
	args := []string{"--reps", "2", "--workers", "2", "-q"}
	switch name {
	case "march1991":
		return append(args, "--reps", "3")
	case "fang2010":
		return append(args, "--ticks", "40")
	}
	return append(args, "--ticks", "24", "--set", "population.people=150")
}

// goldenFiles lists the files of an output folder that are pinned as text;
// every figure is pinned by its hash. Manifests and reports carry times and
// are left out.
var goldenText = []string{"timeseries.csv", "summary.csv", "comparison.csv", "results.csv"}

// checkGolden compares the outputs in dir with testdata/golden/name, or
// rewrites them with -update.
func checkGolden(t *testing.T, name, dir string) {
	t.Helper()
	want := filepath.Join(goldenDir, name)
	got := map[string][]byte{}
	for _, f := range goldenText {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err == nil {
			got[f] = b
		}
	}
	if len(got) == 0 {
		t.Fatalf("%s: no output to compare in %s", name, dir)
	}
	got["figures.sha256"] = figureHashes(t, dir)
	if *updateGolden {
		if err := os.RemoveAll(want); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(want, 0o755); err != nil {
			t.Fatal(err)
		}
		for f, b := range got {
			if err := os.WriteFile(filepath.Join(want, f), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	entries, err := os.ReadDir(want)
	if err != nil {
		t.Fatalf("%s: no golden files (run `make golden` once): %v", name, err)
	}
	for _, e := range entries {
		if _, ok := got[e.Name()]; !ok {
			t.Errorf("%s: %s is golden but was not written", name, e.Name())
		}
	}
	for f, b := range got {
		w, err := os.ReadFile(filepath.Join(want, f))
		if err != nil {
			t.Errorf("%s: %s written but not golden", name, f)
			continue
		}
		if !bytes.Equal(b, w) {
			t.Errorf("%s: %s differs from %s (first difference: %s); if the change is meant, run `make golden`",
				name, f, filepath.Join(want, f), firstDiff(w, b))
		}
	}
}

// figureHashes lists every figure under dir/plots with its SHA-256, one per
// line, in name order.
func figureHashes(t *testing.T, dir string) []byte {
	t.Helper()
	var lines []string
	root := filepath.Join(dir, "plots")
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, p)
		lines = append(lines, fmt.Sprintf("%x  %s", sha256.Sum256(b), filepath.ToSlash(rel)))
		return nil
	})
	sort.Strings(lines)
	return []byte(strings.Join(lines, "\n") + "\n")
}

// firstDiff describes where two outputs part, as line number and both lines.
func firstDiff(want, got []byte) string {
	wl := strings.Split(string(want), "\n")
	gl := strings.Split(string(got), "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d: want %.120q, got %.120q", i+1, w, g)
		}
	}
	return "none"
}

func TestGoldenRuns(t *testing.T) {
	for _, info := range scenarios.Builtins() {
		name := info.Name
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "out")
			args := append([]string{"run", name, "--out", out}, goldenRunArgs(name)...)
			if code, _, stderr := run(t, args...); code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			checkGolden(t, "run-"+name, out)
		})
	}
}

func TestGoldenCompare(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	args := []string{"compare", "--out", out, "--reps", "2", "--ticks", "24", "--workers", "2", "-q",
		"--set", "population.people=150"}
	for _, info := range scenarios.Builtins() {
		// The reproductions of published models are not interventions on
		// the baseline organization.
		if info.Name != "march1991" && info.Name != "fang2010" {
			args = append(args, info.Name)
		}
	}
	if code, _, stderr := run(t, args...); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	checkGolden(t, "compare", out)
}

func TestGoldenSweep(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "sweep.yaml")
	sweep := `name: golden
base: baseline
set:
  population.people: 80
  ticks: 20
seed: 42
replications: 2
parameters:
  - path: model.socialization
    values: [0.1, 0.9]
  - path: model.turnover
    range: {from: 0, to: 0.02, step: 0.01}
`
	if err := os.WriteFile(file, []byte(sweep), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if code, _, stderr := run(t, "sweep", "-q", "--workers", "2", "-o", out, file); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	checkGolden(t, "sweep", out)
}
