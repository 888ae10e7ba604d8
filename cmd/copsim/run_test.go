package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = runMain(args, &o, &e)
	return code, o.String(), e.String()
}

func TestRunWritesEveryOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "res")
	code, stdout, stderr := run(t, "run", "baseline", "--out", out, "--reps", "2", "--ticks", "20",
		"--set", "population.people=120", "--workers", "2")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "written to "+out) {
		t.Errorf("stdout does not say where: %q", stdout)
	}
	for _, f := range []string{"timeseries.csv", "summary.csv", "manifest.json", "report.html",
		"plots/roles.png", "plots/roles.svg", "plots/knowledge.png", "plots/insularity.png",
		"plots/stage.png", "plots/network.png"} {
		fi, err := os.Stat(filepath.Join(out, f))
		if err != nil || fi.Size() == 0 {
			t.Errorf("%s missing or empty", f)
		}
	}
	ts, _ := os.ReadFile(filepath.Join(out, "timeseries.csv"))
	lines := strings.Split(strings.TrimSpace(string(ts)), "\n")
	// 2 reps x 21 ticks (0..20) x (3 communities + all), plus the header.
	if len(lines) != 1+2*21*4 {
		t.Errorf("timeseries has %d lines, want %d", len(lines), 1+2*21*4)
	}
	for _, col := range []string{"rep", "tick", "community", "members", "peripheral", "active", "core",
		"participation_rate", "knowledge_mean", "knowledge_core", "knowledge_peripheral",
		"repertoire_knowledge", "repertoire_score", "diversity", "ei_index", "boundary_share", "newcomers", "stage"} {
		if !strings.Contains(lines[0], col) {
			t.Errorf("timeseries header lacks %s", col)
		}
	}
	man, _ := os.ReadFile(filepath.Join(out, "manifest.json"))
	for _, want := range []string{`"copsim_version"`, `"go_version"`, `"seed"`, `"population.people=120"`, `"started"`, `"finished"`, `"scenario_yaml"`} {
		if !bytes.Contains(man, []byte(want)) {
			t.Errorf("manifest lacks %s", want)
		}
	}
}

func TestRunOutputsIndependentOfWorkers(t *testing.T) {
	dir := t.TempDir()
	var want [][]byte
	for _, w := range []string{"1", "2", "8"} {
		out := filepath.Join(dir, "w"+w)
		if code, _, stderr := run(t, "run", "boundary_activity", "--out", out, "--reps", "3", "--ticks", "25",
			"--set", "population.people=700", "--workers", w, "-q"); code != exitOK {
			t.Fatalf("workers %s: exit %d: %s", w, code, stderr)
		}
		var got [][]byte
		for _, f := range []string{"timeseries.csv", "summary.csv", "plots/knowledge.png", "plots/network.svg"} {
			b, err := os.ReadFile(filepath.Join(out, f))
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, b)
		}
		if want == nil {
			want = got
			continue
		}
		for k := range got {
			if !bytes.Equal(got[k], want[k]) {
				t.Errorf("workers %s: output %d differs from workers 1", w, k)
			}
		}
	}
}

func TestBadInputExitsTwoAndWritesNothing(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("name: bad\nticks: 10\nmodel:\n  socialization: 1.5\n"), 0o644)
	unknown := filepath.Join(dir, "unknown.yaml")
	os.WriteFile(unknown, []byte("name: u\ninterventions:\n  - kind: micromanagement\n    strength: 0.5\n"), 0o644)
	order := filepath.Join(dir, "order.yaml")
	os.WriteFile(order, []byte("name: o\ninterventions:\n  - kind: seeding\n    start: 50\n    end: 20\n"), 0o644)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"out of range", []string{"run", bad}, "bad.yaml:4: model.socialization"},
		{"unknown kind", []string{"run", unknown}, "unknown.yaml:3"},
		{"start after end", []string{"run", order}, "order.yaml:4"},
		{"bad override", []string{"run", "baseline", "--set", "model.socialzation=0.9"}, "model.socialzation"},
		{"bad override value", []string{"run", "baseline", "--set", "model.turnover=high"}, "model.turnover"},
		{"no such scenario", []string{"run", "nonesuch"}, "nonesuch"},
		{"bad workers", []string{"run", "baseline", "--workers", "0"}, "--workers"},
		{"bad reps", []string{"run", "baseline", "--reps", "0"}, "replications"},
		{"dpi too low", []string{"run", "baseline", "--dpi", "10"}, "--dpi must be from 72 to 1200, got 10"},
		{"compare dpi too high", []string{"compare", "baseline", "seeding", "--dpi", "5000"}, "--dpi must be from 72"},
		{"plot titles not a bool", []string{"run", "baseline", "--plot-titles=maybe"}, "--plot-titles"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, "out-"+strings.ReplaceAll(tt.name, " ", "-"))
			code, _, stderr := run(t, append(tt.args, "--out", out)...)
			if code != exitBadInput {
				t.Errorf("exit %d, want 2 (stderr %q)", code, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q does not mention %q", stderr, tt.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("output folder written despite bad input")
			}
		})
	}
}

func TestRefusesExistingOutput(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := run(t, "run", "baseline", "--out", out, "--ticks", "2", "--reps", "1")
	if code != exitBadInput || !strings.Contains(stderr, "already exists") {
		t.Errorf("exit %d, stderr %q; want 2 and 'already exists'", code, stderr)
	}
}

func TestValidateAndScenarios(t *testing.T) {
	code, stdout, _ := run(t, "validate", "baseline", "march1991")
	if code != exitOK || strings.Count(stdout, ": ok") != 2 {
		t.Errorf("validate built-ins: exit %d, %q", code, stdout)
	}
	bad := filepath.Join(t.TempDir(), "b.yaml")
	os.WriteFile(bad, []byte("name: b\nticks: -1\n"), 0o644)
	code, _, stderr := run(t, "validate", bad)
	if code != exitBadInput || !strings.Contains(stderr, "b.yaml:2: ticks") {
		t.Errorf("validate bad file: exit %d, %q", code, stderr)
	}
	code, stdout, _ = run(t, "scenarios")
	for _, name := range []string{"baseline", "over_management", "rewards_individual", "rewards_recognition",
		"penalizing_compensation", "boundary_activity", "insular_strategic", "legitimized_support", "seeding", "march1991"} {
		if !strings.Contains(stdout, name+"\n") {
			t.Errorf("scenarios does not list %s", name)
		}
	}
	if code, stdout, _ = run(t, "version"); code != exitOK || !strings.HasPrefix(stdout, "copsim ") {
		t.Errorf("version: %d %q", code, stdout)
	}
	if code, _, _ = run(t, "frobnicate"); code != exitBadInput {
		t.Errorf("unknown command exit %d, want 2", code)
	}
}

func TestHelpShowsEveryFlagWithDefault(t *testing.T) {
	code, _, stderr := run(t, "run", "--help")
	if code != exitOK {
		t.Fatalf("--help exit %d", code)
	}
	for _, flag := range []string{"--out", "--seed", "--reps", "--ticks", "--workers", "--set", "--quiet", "--no-plots"} {
		if !strings.Contains(stderr, flag) {
			t.Errorf("help lacks %s", flag)
		}
	}
}

// TestRunSummaryText pins the terminal summary of a run: participation
// split into voluntary and (when there is any) mandated, and insularity
// told by ties, boundary activity and imported knowledge under the summary
// columns' labels, not by the encounter E-I index.
func TestRunSummaryText(t *testing.T) {
	base := measure.Summary{KnowledgeMean: 0.8, RepertoireKnowledge: 0.9, VoluntaryParticipation: 0.375,
		CoreShare: 0.16, ActiveShare: 0.21, PeripheralShare: 0.63, OutsideTieShare: 0.125,
		BoundaryActiveShare: 0.07, ImportedKnowledge: 0.0081, EIIndex: -0.99}
	mandated := base
	mandated.VoluntaryParticipation, mandated.MandatedParticipation = 0.125, 0.2
	noTies := base
	noTies.OutsideTieShare = math.NaN()
	cases := []struct {
		name string
		reps []measure.Summary
		want string
	}{
		{"voluntary only", []measure.Summary{base, base}, `x: 2 replications (seed 7), mean over replications at the end:
  mean knowledge                           0.800
  the repertoire's knowledge               0.900
  voluntary participation                  0.375
  roles (core/active/peripheral)           16% / 21% / 63%
  the share of ties outside the community  0.125
  members active across boundaries         0.070
  knowledge imported across boundaries     0.0081 per member-week
written to out
`},
		{"mandated", []measure.Summary{base, mandated}, `x: 2 replications (seed 7), mean over replications at the end:
  mean knowledge                           0.800
  the repertoire's knowledge               0.900
  voluntary participation                  0.250
  mandated participation                   0.100
  roles (core/active/peripheral)           16% / 21% / 63%
  the share of ties outside the community  0.125
  members active across boundaries         0.070
  knowledge imported across boundaries     0.0081 per member-week
written to out
`},
		{"NA skipped, all NA told", []measure.Summary{noTies}, `x: 1 replications (seed 7), mean over replications at the end:
  mean knowledge                           0.800
  the repertoire's knowledge               0.900
  voluntary participation                  0.375
  roles (core/active/peripheral)           16% / 21% / 63%
  the share of ties outside the community  NA
  members active across boundaries         0.070
  knowledge imported across boundaries     0.0081 per member-week
written to out
`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			res := &agents.Result{Scenario: scenarios.Scenario{Name: "x", Seed: 7}, Result: &sim.Result{Summaries: c.reps}}
			printRunSummary(&b, res, "out")
			if b.String() != c.want {
				t.Errorf("summary\n%s\nwant\n%s", b.String(), c.want)
			}
		})
	}
	var b bytes.Buffer
	printRunSummary(&b, &agents.Result{Result: &sim.Result{Summaries: []measure.Summary{noTies, base}}}, "out")
	if !strings.Contains(b.String(), "outside the community  0.125\n") {
		t.Errorf("a replication without ties is not skipped:\n%s", b.String())
	}
}
