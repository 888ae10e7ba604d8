package compare

import (
	"math"
	"strings"
	"testing"

	"github.com/copsim/copsim/stats"
)

func TestSentence(t *testing.T) {
	know := outcomeByKey("knowledge_mean")
	ei := outcomeByKey("ei_index")
	nan := math.NaN()
	cases := []struct {
		name string
		o    outcome
		r    Row
		ref  float64
		want string
	}{
		{"lowered", know, Row{Summary: stats.Summary{N: 10, Mean: 0.88}, Welch: stats.Difference{Diff: -0.12, Lo: -0.15, Hi: -0.09}, RelDiff: -12, RelLo: -15, RelHi: -9}, 1,
			"Over-management lowered mean knowledge by 12 % (95 % CI 9.0–15 %)."},
		{"no clear difference", know, Row{Summary: stats.Summary{N: 10, Mean: 0.98}, Welch: stats.Difference{Diff: -0.02, Lo: -0.05, Hi: 0.01}, RelDiff: -2, RelLo: -5, RelHi: 1}, 1,
			"Over-management: no clear difference in mean knowledge (−2.0 %, 95 % CI −5.0 to +1.0 %)."},
		{"halved", outcomeByKey("core_share"), Row{Summary: stats.Summary{N: 10, Mean: 0.05}, Welch: stats.Difference{Diff: -0.05, Lo: -0.06, Hi: -0.04}, RelDiff: -50, RelLo: -60, RelHi: -40}, 0.1,
			"Over-management halved the core (−50 % (95 % CI 40–60 %))."},
		{"absolute", ei, Row{Summary: stats.Summary{N: 10, Mean: -0.5}, Welch: stats.Difference{Diff: 0.2, Lo: 0.1, Hi: 0.3}, RelDiff: nan}, -0.7,
			"Over-management raised the E-I index by 0.20 (95 % CI 0.10–0.30)."},
		{"one replication", know, Row{Summary: stats.Summary{N: 1, Mean: 0.5}, Welch: stats.Difference{Diff: -0.1, Lo: nan, Hi: nan}, RelDiff: -10}, 0.6,
			"fewer than two replications"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := sentence("over_management", c.o, c.r, c.ref)
			if !strings.Contains(got, c.want) {
				t.Errorf("sentence = %q; want %q", got, c.want)
			}
		})
	}
}
