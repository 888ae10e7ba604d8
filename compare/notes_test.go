package compare

import (
	"strings"
	"testing"

	"github.com/copsim/copsim/scenarios"
)

func TestMismatches(t *testing.T) {
	load := func(name string, sets ...string) scenarios.Scenario {
		t.Helper()
		sc, err := scenarios.Load(name, sets)
		if err != nil {
			t.Fatal(err)
		}
		return sc
	}
	base := load("baseline")
	tests := []struct {
		name string
		sc   scenarios.Scenario
		want []string
	}{
		{"interventions, seed and replications only", load("over_management", "seed=9", "replications=3"), nil},
		{"communities spelled out with their defaults", load("baseline", "communities.0.name=c0", "communities.1.name=c1", "communities.2.name=c2"), nil},
		{"a treatment that is a parameter", load("insular_strategic"),
			[]string{"communities.0.relationship strategic (reference: legitimized)", "model.legitimacy.closure 0.9 (reference: 0.5)"}},
		{"population and ticks", load("baseline", "population.people=50", "ticks=10"),
			[]string{"population.people 50 (reference: 300)", "ticks 10 (reference: 200)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Mismatches(base, tt.sc)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestNotes(t *testing.T) {
	base, _ := scenarios.Load("baseline", nil)
	om, _ := scenarios.Load("over_management", []string{"seed=9", "replications=3"})
	m, _ := scenarios.Load("march1991", nil)
	notes := Notes([]scenarios.Scenario{base, om, m})
	want := []string{"Over-management's own seed 9 was replaced by the reference's 1",
		"Over-management's own 3 replications were replaced by the reference's 10",
		"March1991 differs from baseline in more than its interventions: ", " more. Its differences"}
	all := strings.Join(notes, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("notes lack %q:\n%s", w, all)
		}
	}
	if n := Notes([]scenarios.Scenario{base, base}); len(n) != 0 {
		t.Errorf("a scenario compared with itself: %q", n)
	}
}
