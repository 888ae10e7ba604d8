package compare

import (
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// focusResult makes a result of sc whose participation is 0.3 everywhere,
// give or take a replication's noise, except in the communities of lifted
// (plus "all" when whole) between weeks from and to, where it is 0.6. Its
// end-of-run summaries show the same 0.3 whatever lifted says, as an
// intervention that has stopped leaves them.
func focusResult(sc scenarios.Scenario, from, to int, lifted []string, whole bool) *agents.Result {
	const reps = 4
	noise := []float64{-0.01, 0.012, -0.004, 0.006}
	up := map[string]bool{}
	for _, c := range lifted {
		up[c] = true
	}
	if whole {
		up["all"] = true
	}
	var rows []measure.Row
	var sums []measure.Summary
	for r := range reps {
		for t := 0; t <= sc.Ticks; t += 10 {
			for _, c := range append(sc.CommunityNames(), "all") {
				p := 0.3 + noise[r]
				if up[c] && t >= from && t <= to {
					p = 0.45 + noise[r]
				}
				rows = append(rows, measure.Row{Rep: r, Tick: t, Community: c, Members: 100, Core: 10,
					ParticipationRate: p, VoluntaryParticipation: p, KnowledgeMean: 0.5})
			}
		}
		// The end-of-run noise differs between scenarios (shifted by a
		// replication) so that the difference is not exactly zero.
		shift := 0
		if len(lifted) > 0 || whole {
			shift = 1
		}
		p := 0.3 + noise[(r+shift)%reps]
		sums = append(sums, measure.Summary{Rep: r, FinalTick: sc.Ticks, Members: 100,
			ParticipationRate: p, VoluntaryParticipation: p, KnowledgeMean: 0.5})
	}
	return &agents.Result{Scenario: sc, Result: &sim.Result{Rows: rows, Summaries: sums}}
}

// TestFocusedVerdicts checks that a report reads an intervention where and
// when it acts: an intervention on one community in weeks 50-120 that
// clearly raises participation there gets a clear verdict, though the
// end-of-run outcomes of the whole organization show no clear difference.
func TestFocusedVerdicts(t *testing.T) {
	base := scenarios.Default()
	base.Name, base.Ticks, base.Replications = "reference", 200, 4
	pr := Label("participation_rate")
	tests := []struct {
		name        string
		start, end  int
		communities []string
		want        []string // in report.html
		wantNot     []string
	}{
		{"one community, weeks 50-120", 50, 120, []string{"c1"}, []string{
			"where and when it acts: in c1, weeks 50–120",
			"Where and when it acts (in c1, weeks 50–120, mean over those weeks): Pilot raised " + pr + " by 50 %",
			"Where and when Pilot acts (in c1, weeks 50–120), it clearly changed voluntary participation +50 %.",
			"Pilot: no clear difference in " + pr,
			"weeks 50–120, mean over those weeks): Pilot: no clear difference in mean knowledge, the repertoire's knowledge,",
		}, nil},
		{"two communities by index, to the end", 50, 0, []string{"0", "c2"}, []string{
			"where and when it acts: in c0 and c2, weeks 50–200",
			"Pilot raised " + pr + " by 50 %",
		}, nil},
		{"whole organization, weeks 50-120", 50, 120, nil, []string{
			"where and when it acts: in the whole organization, weeks 50–120",
			"Pilot raised " + pr + " by 50 %",
		}, nil},
		{"everywhere, the whole run", 50, 0, nil, []string{"Pilot: no clear difference in " + pr},
			[]string{"where and when it acts: ", "Where and when it acts (", "Where and when Pilot"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := base
			sc.Name = "pilot"
			sc.Interventions = []scenarios.Intervention{{Kind: scenarios.OverManagement, Strength: 1,
				Start: tc.start, End: tc.end, Communities: tc.communities}}
			var lifted []string
			for _, i := range sc.Targets(sc.Interventions[0]) {
				lifted = append(lifted, sc.CommunityNames()[i])
			}
			whole := tc.communities == nil
			if whole {
				lifted = nil
			}
			to := tc.end
			if to == 0 {
				to = sc.Ticks
			}
			res := []*agents.Result{focusResult(base, 0, -1, nil, false), focusResult(sc, tc.start, to, lifted, whole)}
			dir := t.TempDir()
			mans := []results.Manifest{results.NewManifest("compare", base, 1, nil, time.Now()), results.NewManifest("compare", sc, 1, nil, time.Now())}
			if err := Write(dir, res, mans, WriteOptions{}); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(dir, "report.html"))
			if err != nil {
				t.Fatal(err)
			}
			report := html.UnescapeString(string(b))
			for _, w := range tc.want {
				if !strings.Contains(report, w) {
					t.Errorf("report lacks %q", w)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(report, w) {
					t.Errorf("report has %q", w)
				}
			}
		})
	}
}
