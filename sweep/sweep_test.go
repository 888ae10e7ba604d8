package sweep

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/copsim/copsim/scenarios"
)

func TestCrossProduct(t *testing.T) {
	cases := []struct {
		lists [][]string
		want  int
	}{
		{nil, 1},
		{[][]string{{"a", "b"}}, 2},
		{[][]string{{"a", "b"}, {"1", "2", "3"}}, 6},
		{[][]string{{"a", "b"}, {"1", "2", "3"}, {"x", "y", "z", "w"}}, 24},
		{[][]string{{"a"}, {}}, 0},
	}
	for _, c := range cases {
		got := crossProduct(c.lists)
		if len(got) != c.want {
			t.Errorf("crossProduct(%v) has %d combinations, want %d", c.lists, len(got), c.want)
		}
	}
	got := crossProduct([][]string{{"a", "b"}, {"1", "2"}})
	if strings.Join(got[1], "") != "a2" || strings.Join(got[2], "") != "b1" {
		t.Errorf("order: %v (the last list must vary fastest)", got)
	}
}

func writeSweep(t testing.TB, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "sweep.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const smallHead = `name: t
base: baseline
set:
  population.people: 60
  ticks: 30
replications: 2
`

func TestLoadDesigns(t *testing.T) {
	cases := []struct {
		name   string
		body   string
		points int
		params string
	}{
		{"factorial", `parameters:
  - path: model.socialization
    values: [0.1, 0.5, 0.9]
  - path: model.turnover
    range: {from: 0, to: 0.02, step: 0.01}
`, 9, "model.socialization,model.turnover"},
		{"range rounding", `parameters:
  - path: model.socialization
    range: {from: 0.1, to: 0.7, step: 0.1}
`, 7, "model.socialization"},
		{"subexperiments", `parameters:
  - path: model.socialization
    values: [0.2, 0.8]
subexperiments:
  - model.turnover: [0.01, 0.03]
  - model.code_learning: 0.9
    model.socialization: 0.5
`, 2*2 + 1, "model.socialization,model.turnover,model.code_learning"},
		{"latin hypercube", `design: latin_hypercube
samples: 12
sample_seed: 3
parameters:
  - path: model.socialization
    range: {from: 0.1, to: 0.9}
  - path: population.people
    range: {from: 40, to: 80}
`, 12, "model.socialization,population.people"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Load(writeSweep(t, smallHead+c.body), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Points) != c.points || strings.Join(p.Params, ",") != c.params {
				t.Fatalf("%d points over %v; want %d over %s", len(p.Points), p.Params, c.points, c.params)
			}
			for _, pt := range p.Points {
				if len(pt.Values) != len(p.Params) {
					t.Fatalf("point %v lacks values", pt)
				}
			}
			if c.name == "range rounding" && p.Points[2].Values[0] != "0.3" {
				t.Errorf("third value %q, want 0.3", p.Points[2].Values[0])
			}
			if c.name == "latin hypercube" {
				for _, pt := range p.Points {
					if strings.Contains(pt.Values[1], ".") {
						t.Errorf("population.people sampled as %q; want a whole number", pt.Values[1])
					}
				}
			}
		})
	}
}

func TestLoadBadInput(t *testing.T) {
	cases := []struct {
		name, body string
		line       int
		msg        string
	}{
		{"unknown parameter path", `parameters:
  - path: model.socialisation
    values: [0.1]
`, 8, "unknown parameter path"},
		{"unknown key", `parameters:
  - path: model.socialization
    valeus: [0.1]
`, 9, "valeus"},
		{"empty values", `parameters:
  - path: model.socialization
    values: []
`, 9, "empty"},
		{"empty range", `parameters:
  - path: model.socialization
    range: {from: 0.1, to: 0.5, step: 0}
`, 9, "the range is empty"},
		{"reversed bounds", `parameters:
  - path: model.socialization
    range: {from: 0.9, to: 0.1, step: 0.1}
`, 9, "bounds are reversed"},
		{"sobol with one base point", `design: sobol
samples: 1
parameters:
  - path: model.socialization
    range: {from: 0.1, to: 0.9}
`, 8, "must be at least 2"},
		{"levels outside a Morris design", `design: sobol
samples: 4
levels: 4
parameters:
  - path: model.socialization
    range: {from: 0.1, to: 0.9}
`, 9, "only a Morris design has levels"},
		{"odd levels", `design: morris
samples: 4
levels: 3
parameters:
  - path: model.socialization
    range: {from: 0.1, to: 0.9}
`, 9, "must be an even number"},
		{"unknown outcome", `design: sobol
samples: 4
outcomes: [knowledge_meen]
parameters:
  - path: model.socialization
    range: {from: 0.1, to: 0.9}
`, 9, "did you mean knowledge_mean"},
		{"outcomes of a Latin hypercube", `design: latin_hypercube
samples: 4
outcomes: [knowledge_mean]
parameters:
  - path: model.socialization
    range: {from: 0.1, to: 0.9}
`, 9, "only a sensitivity design"},
		{"log-uniform from 0", `design: sobol
samples: 4
parameters:
  - path: model.socialization
    range: {from: 0, to: 0.9, log: true}
`, 11, "must lie above 0"},
		{"sobol design too large", `design: sobol
samples: 40000
parameters:
  - path: model.socialization
    range: {from: 0.1, to: 0.9}
`, 8, "at most 100000"},
		{"reversed LHS bounds", `design: latin_hypercube
samples: 4
parameters:
  - path: model.socialization
    range: {from: 0.9, to: 0.1}
`, 11, "bounds are reversed"},
		{"value out of range", `parameters:
  - path: model.socialization
    values: [0.5, 1.5]
`, 9, "model.socialization=1.5"},
		{"bad design", `design: random
parameters:
  - path: model.socialization
    values: [0.5]
`, 7, "must be factorial, latin_hypercube, sobol or morris"},
		{"bad fixed set", `parameters:
  - path: model.socialization
    values: [0.5]
`, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := smallHead + c.body
			if c.name == "bad fixed set" {
				body = strings.Replace(body, "ticks: 30", "tics: 30", 1)
				c.line, c.msg = 5, "tics"
			}
			path := writeSweep(t, body)
			_, err := Load(path, Options{})
			if err == nil {
				t.Fatal("accepted")
			}
			var e *scenarios.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not a *scenarios.Error", err, err)
			}
			if e.File != path || e.Line != c.line || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("got %q (line %d); want %s:%d and %q", err, e.Line, path, c.line, c.msg)
			}
		})
	}
}

func TestParseShard(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	cases := []struct {
		spec   string
		shards int
		env    func(string) string
		want   Shard
		bad    string
	}{
		{"", 0, env(), Shard{}, ""},
		{"1/4", 0, env(), Shard{1, 4}, ""},
		{"4/4", 0, env(), Shard{}, "outside its count"},
		{"-1/4", 0, env(), Shard{}, "outside its count"},
		{"1/0", 0, env(), Shard{}, "at least 1"},
		{"x", 0, env(), Shard{}, "must be I/N"},
		{"auto", 0, env("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_COUNT", "4", "SLURM_ARRAY_TASK_MIN", "0"), Shard{3, 4}, ""},
		{"auto", 0, env("SLURM_ARRAY_TASK_ID", "5", "SLURM_ARRAY_TASK_COUNT", "4", "SLURM_ARRAY_TASK_MIN", "2"), Shard{3, 4}, ""},
		{"auto", 0, env("SLURM_ARRAY_TASK_ID", "4", "SLURM_ARRAY_TASK_COUNT", "4"), Shard{}, "outside its count"},
		{"auto", 3, env("JOB_COMPLETION_INDEX", "2"), Shard{2, 3}, ""},
		{"auto", 0, env("JOB_COMPLETION_INDEX", "2"), Shard{}, "--shards N"},
		{"auto", 0, env(), Shard{}, "neither"},
	}
	for _, c := range cases {
		got, err := ParseShard(c.spec, c.shards, c.env)
		if c.bad != "" {
			if err == nil || !strings.Contains(err.Error(), c.bad) {
				t.Errorf("ParseShard(%q, %d) = %v, %v; want error with %q", c.spec, c.shards, got, err, c.bad)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseShard(%q, %d) = %v, %v; want %v", c.spec, c.shards, got, err, c.want)
		}
	}
}

const mergeSweep = smallHead + `parameters:
  - path: model.socialization
    values: [0.1, 0.9]
  - path: model.turnover
    values: [0, 0.02]
`

// TestMergeEqualsUnsharded runs a sweep whole and in three shards, merges
// the shards, and compares the datasets byte for byte.
func TestMergeEqualsUnsharded(t *testing.T) {
	p, err := Load(writeSweep(t, mergeSweep), Options{Timeseries: true})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole")
	if err := Prepare(whole, p); err != nil {
		t.Fatal(err)
	}
	if _, err := Execute(context.Background(), whole, p, RunOptions{Workers: 2}); err != nil {
		t.Fatal(err)
	}
	if err := Assemble(whole, p, true); err != nil {
		t.Fatal(err)
	}
	var shards []string
	for i := 0; i < 3; i++ {
		d := filepath.Join(dir, "shard", string(rune('0'+i)))
		if err := Prepare(d, p); err != nil {
			t.Fatal(err)
		}
		st, err := Execute(context.Background(), d, p, RunOptions{Workers: 1 + i%2, Shard: Shard{i, 3}})
		if err != nil {
			t.Fatal(err)
		}
		if st.Ran != st.InShard || st.InShard < 2 {
			t.Fatalf("shard %d: %+v", i, st)
		}
		shards = append(shards, d)
	}
	if _, err := Merge(filepath.Join(dir, "merged"), shards[:2], false); err == nil || !strings.Contains(err.Error(), "finish every shard") {
		t.Errorf("merge of two of three shards: %v", err)
	}
	merged := filepath.Join(dir, "merged")
	if _, err := Merge(merged, shards, true); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"results.csv", "design.csv", "timeseries.csv", planFile} {
		a, err1 := os.ReadFile(filepath.Join(whole, f))
		b, err2 := os.ReadFile(filepath.Join(merged, f))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between the unsharded and the merged sweep (%v, %v)", f, err1, err2)
		}
	}
	if lines := bytes.Count(mustRead(t, filepath.Join(whole, "results.csv")), []byte("\n")); lines != 1+p.Runs() {
		t.Errorf("results.csv has %d lines, want %d", lines, 1+p.Runs())
	}
	if _, err := os.Stat(filepath.Join(whole, "plots", "heatmap.png")); err != nil {
		t.Error(err)
	}
}

func mustRead(t *testing.T, p string) []byte {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestResumeAfterCrash interrupts a sweep, leaves a torn temporary file
// as a kill -9 would, and resumes: only the missing runs run and the
// result equals an uninterrupted sweep.
func TestResumeAfterCrash(t *testing.T) {
	p, err := Load(writeSweep(t, mergeSweep), Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ref := filepath.Join(dir, "ref")
	Prepare(ref, p)
	if _, err := Execute(context.Background(), ref, p, RunOptions{Workers: 2}); err != nil {
		t.Fatal(err)
	}
	if err := Assemble(ref, p, false); err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(dir, "out")
	Prepare(out, p)
	ctx, cancel := context.WithCancel(context.Background())
	st, err := Execute(ctx, out, p, RunOptions{Workers: 1, Progress: func(done, total int) {
		if done == 3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || st.Ran != 3 {
		t.Fatalf("interrupted sweep: %+v, %v", st, err)
	}
	// A torn write from a killed process: a record cut short.
	file, _ := recordFile(t, out)
	f, _ := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	f.Write(appendRecord(nil, 5, []byte("5,1,1,12,x\n"), nil)[:20])
	f.Close()
	if err := Assemble(out, p, false); err == nil {
		t.Fatal("assembled an unfinished sweep")
	}
	if _, err := os.Stat(filepath.Join(out, "results.csv")); err == nil {
		t.Fatal("results.csv written for an unfinished sweep")
	}
	if err := Prepare(out, p); err != nil {
		t.Fatal(err)
	}
	st, err = Execute(context.Background(), out, p, RunOptions{Workers: 2})
	if err != nil || st.Skipped != 3 || st.Ran != p.Runs()-3 {
		t.Fatalf("resumed: %+v, %v", st, err)
	}
	if err := Assemble(out, p, false); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(mustRead(t, filepath.Join(ref, "results.csv")), mustRead(t, filepath.Join(out, "results.csv"))) {
		t.Error("resumed results.csv differs from the uninterrupted one")
	}
	// Another sweep must not resume into this folder.
	q, _ := Load(writeSweep(t, strings.Replace(mergeSweep, "0.9]", "0.8]", 1)), Options{})
	if err := Prepare(out, q); !errors.Is(err, ErrDifferentSweep) {
		t.Errorf("different sweep in the same folder: %v", err)
	}
	// Nor into a folder that holds something else.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644)
	if err := Prepare(other, p); !errors.Is(err, ErrNotSweepFolder) || !strings.Contains(err.Error(), "exists and is not a sweep folder") {
		t.Errorf("folder of other files: %v", err)
	}
}

const sensitivityHead = `name: sa
base: baseline
set:
  population.people: 40
  ticks: 20
replications: 2
outcomes: [knowledge_mean, participation_rate]
parameters:
  - path: model.socialization
    range: {from: 0.05, to: 0.9}
  - path: model.motivate.crowding_out
    range: {from: 0.005, to: 0.05, log: true}
`

// A sensitivity design is a sweep: its runs assemble into indices.csv,
// the same for any number of workers, with one noise share and the
// method's indices per parameter for each outcome.
func TestSensitivitySweep(t *testing.T) {
	tests := []struct {
		design  string
		points  int // samples 3: Sobol 3 x (2+2), Morris 3 x (2+1)
		indices []string
	}{
		{"sobol", 12, []string{"S1", "ST"}},
		{"morris", 9, []string{"mu_star", "mu", "sigma"}},
	}
	for _, tt := range tests {
		t.Run(tt.design, func(t *testing.T) {
			p, err := Load(writeSweep(t, sensitivityHead+"design: "+tt.design+"\nsamples: 3\n"), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Points) != tt.points {
				t.Fatalf("%d points, want %d", len(p.Points), tt.points)
			}
			if p.Log == nil || p.Log[0] || !p.Log[1] {
				t.Errorf("log %v, want [false true]", p.Log)
			}
			var out [2][]byte
			for i, workers := range []int{1, 2} {
				dir := filepath.Join(t.TempDir(), "sa")
				if err := Prepare(dir, p); err != nil {
					t.Fatal(err)
				}
				if _, err := Execute(context.Background(), dir, p, RunOptions{Workers: workers}); err != nil {
					t.Fatal(err)
				}
				if err := Assemble(dir, p, i == 0); err != nil {
					t.Fatal(err)
				}
				out[i] = mustRead(t, filepath.Join(dir, "indices.csv"))
				if i == 0 {
					if html := mustRead(t, filepath.Join(dir, "report.html")); !bytes.Contains(html, []byte("Mean knowledge: ")) || !bytes.Contains(html, []byte("data:image/png;base64,")) {
						t.Errorf("report.html lacks the sentences or the figures")
					}
					for _, f := range []string{"indices_knowledge_mean.png", "indices_knowledge_mean.svg", "indices_participation_rate.svg"} {
						if _, err := os.Stat(filepath.Join(dir, "plots", f)); err != nil {
							t.Errorf("figure: %v", err)
						}
					}
				}
			}
			if !bytes.Equal(out[0], out[1]) {
				t.Error("indices.csv depends on the number of workers")
			}
			// Sharded over two jobs and merged, the same indices.
			var shards []string
			for i := 0; i < 2; i++ {
				d := filepath.Join(t.TempDir(), "shard")
				if err := Prepare(d, p); err != nil {
					t.Fatal(err)
				}
				if _, err := Execute(context.Background(), d, p, RunOptions{Workers: 1, Shard: Shard{i, 2}}); err != nil {
					t.Fatal(err)
				}
				shards = append(shards, d)
			}
			merged := filepath.Join(t.TempDir(), "merged")
			if _, err := Merge(merged, shards, false); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(mustRead(t, filepath.Join(merged, "indices.csv")), out[0]) {
				t.Error("indices.csv of the merged shards differs from the unsharded sweep's")
			}
			lines := strings.Split(strings.TrimSpace(string(out[0])), "\n")
			if want := 1 + 2*(1+2*len(tt.indices)); len(lines) != want {
				t.Fatalf("indices.csv has %d lines, want %d:\n%s", len(lines), want, out[0])
			}
			if lines[0] != "method,outcome,parameter,index,value,ci_low,ci_high" {
				t.Errorf("header %q", lines[0])
			}
			for _, ix := range tt.indices {
				if !strings.Contains(string(out[0]), tt.design+",knowledge_mean,model.motivate.crowding_out,"+ix+",") {
					t.Errorf("no %s of crowding_out on knowledge_mean:\n%s", ix, out[0])
				}
			}
			if !strings.Contains(lines[1], ",(replications),noise_share,") {
				t.Errorf("first row %q, want the noise share", lines[1])
			}
		})
	}
}

// Every example sweep file of the repository loads: the files README and
// docs/sweeps.md point users to stay valid as the schema moves.
func TestExamplesLoad(t *testing.T) {
	files, err := filepath.Glob("../examples/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no example files found: %v", err)
	}
	for _, f := range files {
		if _, err := Load(f, Options{}); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestIndexSentences(t *testing.T) {
	dir := t.TempDir()
	csvText := `method,outcome,parameter,index,value,ci_low,ci_high
sobol,knowledge_mean,(replications),noise_share,0.4,NA,NA
sobol,knowledge_mean,model.socialization,S1,0.5,0.4,0.6
sobol,knowledge_mean,model.socialization,ST,0.6,0.5,0.7
sobol,knowledge_mean,model.turnover,S1,0.2,0.1,0.3
sobol,knowledge_mean,model.turnover,ST,0.3,0.2,0.4
sobol,knowledge_mean,model.legitimacy.closure,S1,0.01,0,0.02
sobol,knowledge_mean,model.legitimacy.closure,ST,0.01,0,0.02
sobol,core_share,(replications),noise_share,0.01,NA,NA
sobol,core_share,model.socialization,ST,0,0,0
sobol,core_share,model.turnover,ST,0,0,0
sobol,core_share,model.legitimacy.closure,ST,0,0,0
`
	if err := os.WriteFile(filepath.Join(dir, "indices.csv"), []byte(csvText), 0o644); err != nil {
		t.Fatal(err)
	}
	p := &Plan{Design: sobol, Outcomes: []string{"knowledge_mean", "core_share"}}
	got, err := IndexSentences(p, dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Mean knowledge: driven mostly by socialization and turnover; legitimacy.closure hardly matters. Replication noise is 40 % of the variation between points: more replications per point would sharpen this.",
		"The core: no parameter moves it.",
	}
	if len(got) != len(want) {
		t.Fatalf("got %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sentence %d:\n got %q\nwant %q", i, got[i], want[i])
		}
	}
}

// TestRunScenarioBuiltOnce checks that a run's scenario, made from its
// point's scenario built once, equals applying the point's overrides, the
// run's seed and replications=1 to the base scenario in one go, for every
// run of each example sweep (factorial, subexperiments, Latin hypercube),
// and that the replications of a point share one build.
func TestRunScenarioBuiltOnce(t *testing.T) {
	files, _ := filepath.Glob("../examples/sweep-*.yaml")
	if len(files) < 3 {
		t.Fatalf("found %d example sweeps", len(files))
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			p, err := Load(file, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for point := range p.Points {
				for rep := range min(p.Replications, 3) {
					got, err := p.scenarioOf(point, rep)
					if err != nil {
						t.Fatal(err)
					}
					sets := append(append([]string(nil), p.Points[point].Sets...),
						"seed="+strconv.FormatUint(p.runSeed(point, rep), 10), "replications=1")
					want, err := scenarios.ApplySets(p.base, sets)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("run (%d, %d): the scenario differs from applying %v at once", point, rep, sets)
					}
				}
			}
		})
	}
	builds := 0
	var c pointCache
	for range 5 {
		c.get(7, func() (scenarios.Scenario, error) { builds++; return scenarios.Default(), nil })
	}
	if builds != 1 {
		t.Errorf("a point built %d times, want once", builds)
	}
}
