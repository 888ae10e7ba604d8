package compare

import (
	"math"
	"strings"
	"testing"

	"github.com/copsim/copsim/stats"
)

func TestExecutiveSummary(t *testing.T) {
	nan := math.NaN()
	row := func(sc, o string, diff, lo, hi, rel float64) Row {
		return Row{Scenario: sc, Outcome: o, Welch: stats.Difference{Diff: diff, Lo: lo, Hi: hi}, RelDiff: rel}
	}
	rows := []Row{
		row("a", "voluntary_participation", 0.05, 0.02, 0.08, 15),
		row("b", "voluntary_participation", -0.2, -0.25, -0.15, -70),
		row("a", "knowledge_mean", 0.01, -0.01, 0.03, 1.2),
		row("b", "knowledge_mean", -0.1, -0.15, -0.05, -12),
		row("a", "boundary_active_share", 0.2, 0.1, 0.3, 300),
		row("b", "boundary_active_share", 0.001, -0.01, 0.012, 1),
		row("a", "newcomer_access", nan, nan, nan, nan),
		row("b", "newcomer_access", 0, -0.01, 0.01, 0),
	}
	s := ExecutiveSummary(rows, []string{"ref", "a", "b"})
	want := []string{
		"For voluntary participation, A did most good (+15 %) and b most harm (−70 %).",
		"For learning, none clearly helped; b did most harm (−12 %).",
		"For openness (members across boundaries), A did most good (+300 %); none clearly harmed it.",
		"For newcomers getting in, no scenario made a clear difference.",
	}
	for i, w := range want {
		if s.Sentences[i] != w {
			t.Errorf("sentence %d:\n got %q\nwant %q", i, s.Sentences[i], w)
		}
	}
	if !strings.Contains(s.Sentences[4], "95 % interval excludes zero") {
		t.Errorf("last sentence %q", s.Sentences[4])
	}
	marks := func(r SummaryRow) string {
		var out []string
		for _, m := range r.Marks {
			out = append(out, m.Symbol+" "+m.Size)
		}
		return strings.Join(out, " | ")
	}
	if got, want := marks(s.Rows[0]), "▲ +15 % | ○ +1.2 % | ▲ +300 % | ? not measured"; got != want {
		t.Errorf("a: %s, want %s", got, want)
	}
	if got, want := marks(s.Rows[1]), "▼ −70 % | ▼ −12 % | ○ +1.0 % | ○ +0.0 %"; got != want {
		t.Errorf("b: %s, want %s", got, want)
	}
}
