package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/class"
	"github.com/copsim/copsim/scenarios"
)

// classRun drives a class run as the class page would (joins, decisions,
// a switch, a slider) and returns what the page exports: the time series,
// the trajectories and the event log.
func classRun(t *testing.T) (timeseries, trajectories, log []byte) {
	t.Helper()
	sc, err := scenarios.Load("baseline", []string{"population.people=90", "ticks=25", "seed=5"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := class.New(sc, class.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for w := 0; w < 25; w++ {
		if w < 4 {
			if _, err := r.Join("student " + string(rune('A'+w))); err != nil {
				t.Fatal(err)
			}
		}
		if w == 6 {
			if err := r.SetInterventions([]scenarios.Intervention{{Kind: "legitimize_participation", Strength: 1, Start: 7}}); err != nil {
				t.Fatal(err)
			}
		}
		if w == 9 {
			if err := r.SetParameter("model.socialization", 0.3); err != nil {
				t.Fatal(err)
			}
		}
		for id := range min(w+1, 4) {
			if (w+id)%3 == 0 {
				continue // played by the model this week
			}
			ch := agents.Choice{TakePart: agents.Decision(1 + (w+id)%2), Approach: agents.Approach((w + 2*id) % 4), Share: agents.Decision(id % 3)}
			if err := r.Decide(id, ch); err != nil {
				t.Fatal(err)
			}
		}
		if err := r.Step(); err != nil {
			t.Fatal(err)
		}
	}
	var a, b, c bytes.Buffer
	if err := r.WriteTimeseriesCSV(&a); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteTrajectoriesCSV(&b); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteLog(&c); err != nil {
		t.Fatal(err)
	}
	return a.Bytes(), b.Bytes(), c.Bytes()
}

// `copsim run --replay LOG` writes, byte for byte, the CSVs the class page
// exported for the run, with any number of workers.
func TestReplayMatchesTheClassExports(t *testing.T) {
	ts, tr, log := classRun(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "class.log")
	if err := os.WriteFile(path, log, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		flags []string
	}{
		{"1 worker", []string{"--workers", "1", "--no-plots"}},
		{"2 workers", []string{"--workers", "2", "--no-plots"}},
		{"figures", []string{"--workers", "2", "--dpi", "72"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
			code, stdout, stderr := run(t, append([]string{"run", "--replay", path, "--out", out}, tc.flags...)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(stdout, "4 students replayed to week 25") {
				t.Errorf("stdout %q", stdout)
			}
			for name, want := range map[string][]byte{"timeseries.csv": ts, "trajectories.csv": tr} {
				got, err := os.ReadFile(filepath.Join(out, name))
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("%s differs from the class page's export (%v)", name, err)
				}
			}
			files := []string{"summary.csv", "scenario.yaml", "manifest.json"}
			if tc.name == "figures" {
				files = append(files, "plots/roles.png", "plots/network.png")
			}
			for _, f := range files {
				if fi, err := os.Stat(filepath.Join(out, f)); err != nil || fi.Size() == 0 {
					t.Errorf("%s missing or empty", f)
				}
			}
			// The run as a scenario reads back, with its switch and slider.
			sc, err := scenarios.Load(filepath.Join(out, "scenario.yaml"), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(sc.Interventions) != 1 || len(sc.Changes) != 1 {
				t.Errorf("scenario.yaml: interventions %+v, changes %+v", sc.Interventions, sc.Changes)
			}
		})
	}
}

// A bad log, or bad arguments, exit 2 with a message at the log's line,
// and nothing is written.
func TestReplayRefuses(t *testing.T) {
	_, _, log := classRun(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.log", string(log))
	lines := strings.SplitAfter(string(log), "\n")
	events := 0
	for k, l := range lines {
		if l == "# events:\n" {
			events = k + 1
		}
	}
	edited := strings.Join(append(append(append([]string{}, lines[:events+1]...), `{"week":0,"event":"step","student":1}`+"\n"), lines[events+2:]...), "")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"garbage", []string{"--replay", write("garbage.log", "hello\n")}, "garbage.log:1: not a class event log"},
		{"bad event", []string{"--replay", write("bad.log", edited)}, "bad.log:" + strconv.Itoa(events+2) + `: a step event has no "student"`},
		{"edited person", []string{"--replay", write("person.log", strings.Replace(string(log), `"person":`, `"person":1`, 1))}, "another copsim"},
		{"missing", []string{"--replay", filepath.Join(dir, "nope.log")}, "nope.log"},
		{"with a scenario", []string{"--replay", good, "baseline"}, "no SCENARIO"},
		{"with --set", []string{"--replay", good, "--set", "seed=2"}, "--set does not apply"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, "out-"+strings.ReplaceAll(tc.name, " ", "-"))
			code, _, stderr := run(t, append([]string{"run", "--out", out}, tc.args...)...)
			if code != exitBadInput || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 saying %q", code, stderr, tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("an output folder was written")
			}
		})
	}
}
