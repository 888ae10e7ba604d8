package compare

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/stats"
)

func TestRobustCount(t *testing.T) {
	nan := math.NaN()
	d := func(diff, lo, hi float64) stats.Difference { return stats.Difference{Diff: diff, Lo: lo, Hi: hi} }
	tests := []struct {
		name  string
		diffs []stats.Difference
		want  RobustCount
	}{
		{"clear up", []stats.Difference{d(0.2, 0.1, 0.3)}, RobustCount{Up: 1, ClearUp: 1}},
		{"up, interval across zero", []stats.Difference{d(0.2, -0.1, 0.5)}, RobustCount{Up: 1}},
		{"clear down", []stats.Difference{d(-0.2, -0.3, -0.1)}, RobustCount{Down: 1, ClearDown: 1}},
		{"down, interval across zero", []stats.Difference{d(-0.2, -0.4, 0.1)}, RobustCount{Down: 1}},
		{"interval touching zero is not clear", []stats.Difference{d(0.2, 0, 0.4), d(-0.2, -0.4, 0)}, RobustCount{Up: 1, Down: 1}},
		{"no difference", []stats.Difference{d(0, 0, 0)}, RobustCount{}},
		{"not measured", []stats.Difference{d(nan, nan, nan)}, RobustCount{}},
		{"mixed", []stats.Difference{d(1, 0.5, 1.5), d(1, -1, 3), d(-1, -2, -0.5), d(0, -1, 1), d(nan, nan, nan)},
			RobustCount{Up: 2, Down: 1, ClearUp: 1, ClearDown: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c RobustCount
			for _, x := range tt.diffs {
				c.count(x)
			}
			if c != tt.want {
				t.Errorf("got %+v, want %+v", c, tt.want)
			}
		})
	}
	if s := (RobustCount{Points: 8}).Share(6); s != 0.75 {
		t.Errorf("Share(6) of 8 = %v", s)
	}
	if s := (RobustCount{}).Share(0); !math.IsNaN(s) {
		t.Errorf("Share without points = %v, want NaN", s)
	}
}

func TestRobustSentences(t *testing.T) {
	part := outcome{key: "voluntary_participation", label: "voluntary participation"}
	tests := []struct {
		name      string
		c         RobustCount
		atDefault float64
		want      []string
		not       string
	}{
		{"robust decrease", RobustCount{Points: 50, Up: 3, Down: 47, ClearDown: 40}, -0.1,
			[]string{"Over-management lowered voluntary participation in 94 % of plausible settings (clearly, with the paired 95 % interval excluding zero, in 80 %).",
				"At the default parameters it lowered voluntary participation too."}, "not a robust finding"},
		{"majority but under the threshold", RobustCount{Points: 10, Up: 7, Down: 3, ClearUp: 2}, 0.1,
			[]string{"raised voluntary participation in 70 % of plausible settings",
				"At the default parameters it raised voluntary participation, a direction that holds in only 70 % of plausible settings: not a robust finding."}, ""},
		{"default against the majority", RobustCount{Points: 10, Up: 9, Down: 1, ClearUp: 9}, -0.01,
			[]string{"raised voluntary participation in 90 %", "At the default parameters it lowered voluntary participation, a direction that holds in only 10 %"}, ""},
		{"share rounded down", RobustCount{Points: 300, Down: 299}, -1,
			[]string{"in 99 % of plausible settings (clearly, with the paired 95 % interval excluding zero, in 0 %)", "too."}, "100 %"},
		{"exactly the threshold is robust", RobustCount{Points: 10, Up: 8, Down: 2}, 1, []string{"raised voluntary participation too."}, "not a robust"},
		{"tie", RobustCount{Points: 4, Up: 2, Down: 2}, 1, []string{"in 50 % of plausible settings and lowered it in as many; there is no majority direction.", "not a robust finding"}, ""},
		{"never a difference", RobustCount{Points: 5}, 0,
			[]string{"Over-management made no difference to voluntary participation in any of 5 plausible settings.", "At the default parameters it made no difference to voluntary participation."}, "robust"},
		{"not measured at the defaults", RobustCount{Points: 5, Down: 5}, math.NaN(), []string{"could not be measured"}, "too"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(robustSentences("over_management", part, tt.c, tt.atDefault), " ")
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q\nlacks %q", got, w)
				}
			}
			if tt.not != "" && strings.Contains(got, tt.not) {
				t.Errorf("%q\nshould not say %q", got, tt.not)
			}
		})
	}
}

func TestRobustVerdictsFollowKeyOutcomes(t *testing.T) {
	r := &RobustResult{Scenarios: []string{"baseline", "over_management"}}
	var rows []Row
	for _, o := range outcomes {
		r.Counts = append(r.Counts, RobustCount{Scenario: "over_management", Outcome: o.key, Points: 10, Down: 10})
		rows = append(rows, Row{Scenario: "over_management", Outcome: o.key, Paired: stats.Difference{Diff: -1}})
	}
	v := RobustVerdicts(r, rows)["over_management"]
	if len(v) != len(keyOutcomes) {
		t.Fatalf("%d verdicts for %d key outcomes", len(v), len(keyOutcomes))
	}
	for i, k := range keyOutcomes {
		if !strings.Contains(v[i], outcomeByKey(k).label) || !strings.Contains(v[i], "too.") {
			t.Errorf("verdict %d %q is not about %s at the defaults", i, v[i], k)
		}
	}
}

func TestKeptSentence(t *testing.T) {
	if s := keptSentence("insular_strategic", nil); s != "" {
		t.Errorf("no kept parameters: %q", s)
	}
	got := keptSentence("insular_strategic", []Kept{{"model.legitimacy.closure", 0.9}})
	if want := "Insular strategic sets model.legitimacy.closure = 0.9 apart from the reference as its treatment, and keeps it at every point."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// tinyScenarios are a reference, the same scenario (whose differences
// must all be zero) and one whose treatment is an uncertain parameter.
func tinyScenarios(t *testing.T) []scenarios.Scenario {
	t.Helper()
	small := []string{"population.people=40", "ticks=20", "replications=2", "seed=5"}
	ref := smallScenarioWith(t, "baseline", small)
	same := smallScenarioWith(t, "baseline", small)
	same.Name = "same"
	eager := smallScenarioWith(t, "baseline", append(small, "model.learning.from_central=0.9"))
	eager.Name = "eager"
	return []scenarios.Scenario{ref, same, eager}
}

func smallScenarioWith(t *testing.T, name string, sets []string) scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Load(name, sets)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// tinyParams vary learning from the centre (the treatment of "eager")
// over a range that does not hold its value, and one more parameter.
var tinyParams = []scenarios.Uncertain{
	{Key: "model.legitimacy.closure", Low: 0.1, High: 0.3, Why: "test."},
	{Key: "model.learning.from_central", Low: 0.1, High: 0.4, Why: "test."},
}

func TestRobustnessEndToEnd(t *testing.T) {
	scs := tinyScenarios(t)
	var outs [][]byte
	var first *RobustResult
	for _, workers := range []int{1, 3} {
		var mu sync.Mutex
		var last, total int64
		r, err := Robustness(context.Background(), scs, RobustOptions{Points: 3, Params: tinyParams, Workers: workers,
			Progress: func(done, tot int64) {
				mu.Lock()
				last, total = max(last, done), tot
				mu.Unlock()
			}})
		if err != nil {
			t.Fatal(err)
		}
		if want := int64(3 * 3 * 2 * 20); total != want || last != want {
			t.Errorf("workers %d: progress ended at %d of %d, want %d of %d", workers, last, total, want, want)
		}
		dir := t.TempDir()
		if err := WriteRobustness(dir, r); err != nil {
			t.Fatal(err)
		}
		var b []byte
		for _, f := range []string{"robustness.csv", "robustness_points.csv"} {
			x, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			b = append(b, x...)
		}
		outs = append(outs, b)
		if first == nil {
			first = r
		} else if !reflect.DeepEqual(first, r) {
			t.Error("the result depends on the number of workers")
		}
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Error("robustness.csv or robustness_points.csv depends on the number of workers")
	}

	r := first
	if r.Reps != 2 || r.Seed != 5 || len(r.Design) != 3 || len(r.Scenarios) != 3 {
		t.Errorf("reps %d, seed %d, %d points, scenarios %v", r.Reps, r.Seed, len(r.Design), r.Scenarios)
	}
	for pt, vs := range r.Design {
		for k, v := range vs {
			if v < tinyParams[k].Low || v > tinyParams[k].High {
				t.Errorf("point %d: %s = %v outside its range", pt, tinyParams[k].Key, v)
			}
		}
	}
	if got := r.Kept["eager"]; !reflect.DeepEqual(got, []Kept{{"model.learning.from_central", 0.9}}) {
		t.Errorf("eager kept %v, want its from_central 0.9", got)
	}
	if len(r.Kept["same"]) != 0 {
		t.Errorf("same kept %v", r.Kept["same"])
	}
	if len(r.Counts) != 2*len(outcomes) {
		t.Fatalf("%d counts, want %d", len(r.Counts), 2*len(outcomes))
	}
	// The same scenario gets the reference's values at every point: no
	// difference anywhere. The eager one keeps its from_central, so it
	// learns faster (had it been given the point's value, it would equal
	// the reference).
	for _, c := range r.Counts {
		if c.Points != 3 {
			t.Errorf("%s %s: %d points", c.Scenario, c.Outcome, c.Points)
		}
		switch c.Scenario {
		case "same":
			if c.Up+c.Down != 0 {
				t.Errorf("same scenario moved %s: %+v", c.Outcome, c)
			}
		case "eager":
			if c.Outcome == "knowledge_mean" && c.Up != 3 {
				t.Errorf("eager learners raised mean knowledge at %d of 3 points: its treatment was not kept", c.Up)
			}
		}
	}
	csv := string(outs[0])
	for _, want := range []string{"scenario,outcome,points,up,down,clear_up,clear_down,share_up,share_down,share_clear_up,share_clear_down,kept\n",
		",model.learning.from_central=0.9\n", "point,key,value\n1,model.legitimacy.closure,"} {
		if !strings.Contains(csv, want) {
			t.Errorf("outputs lack %q", want)
		}
	}
}

func TestRobustnessBadOptions(t *testing.T) {
	scs := tinyScenarios(t)
	one := append([]scenarios.Scenario(nil), scs[:1]...)
	oneRep := append([]scenarios.Scenario(nil), scs...)
	oneRep[0].Replications = 1
	bad := []scenarios.Uncertain{{Key: "model.no_such", Low: 0, High: 1}}
	tests := []struct {
		name string
		scs  []scenarios.Scenario
		opt  RobustOptions
		want string
	}{
		{"one scenario", one, RobustOptions{Points: 3}, "at least one scenario"},
		{"one point", scs, RobustOptions{Points: 1}, "at least 2 points"},
		{"one replication", scs, RobustOptions{Points: 3, Reps: 1}, "at least 2 replications"},
		{"reference with one replication", oneRep, RobustOptions{Points: 3}, "at least 2 replications"},
		{"unknown key", scs, RobustOptions{Points: 3, Params: bad}, "model.no_such"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Robustness(context.Background(), tt.scs, tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one saying %q", err, tt.want)
			}
		})
	}
}
