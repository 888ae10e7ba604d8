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

// Warnings speak when the core or the active share lies below half or
// above one and a half times Wenger, McDermott & Snyder's band, and only then.
func TestWarnings(t *testing.T) {
	row := func(scenario, key string, mean float64) Row {
		return Row{Scenario: scenario, Outcome: key, Summary: stats.Summary{N: 10, Mean: mean}}
	}
	tests := []struct {
		name string
		rows []Row
		want []string // substrings, one per warning, in order
	}{
		{"typical", []Row{row("s", "core_share", 0.12), row("s", "active_share", 0.18)}, nil},
		{"just outside the band", []Row{row("s", "core_share", 0.051), row("s", "active_share", 0.299)}, nil},
		{"core far below", []Row{row("s", "core_share", 0.049), row("s", "active_share", 0.18)},
			[]string{"the core holds 4.9 % of members, far below the 10-15 %"}},
		{"core and active far above", []Row{row("s", "core_share", 0.30), row("s", "active_share", 0.31)},
			[]string{"the core holds 30 % of members, far above", "the active group holds 31 % of members, far above the 15-20 %"}},
		{"unmeasured", []Row{row("s", "core_share", math.NaN())}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Warnings(tt.rows)["s"]
			if len(got) != len(tt.want) {
				t.Fatalf("warnings %q, want %d", got, len(tt.want))
			}
			for k, w := range tt.want {
				if !strings.Contains(got[k], w) {
					t.Errorf("warning %q lacks %q", got[k], w)
				}
			}
		})
	}
}

// Verdicts end with a scenario's warnings; the reference gets no verdict.
func TestVerdictsWarn(t *testing.T) {
	rows := []Row{
		{Scenario: "baseline", Outcome: "core_share", Summary: stats.Summary{N: 10, Mean: 0.02}, Reference: true},
		{Scenario: "s", Outcome: "core_share", Summary: stats.Summary{N: 10, Mean: 0.4},
			Welch: stats.Difference{Diff: 0.38, Lo: 0.3, Hi: 0.45}, RelDiff: 1900, RelLo: 1500, RelHi: 2250},
	}
	v := Verdicts(rows)
	if _, ok := v["baseline"]; ok {
		t.Errorf("the reference has a verdict: %q", v["baseline"])
	}
	s := v["s"]
	if len(s) != 2 || !strings.HasPrefix(s[1], "Warning: in S the core holds 40 %") {
		t.Errorf("verdict %q, want the core's sentence then its warning", s)
	}
}
