package compare

import (
	"fmt"
	"math"
	"strings"

	"github.com/copsim/copsim/stats"
)

// goal is what a manager wants an intervention to do, read on one outcome.
type goal struct {
	Name    string // a column of the summary table
	Outcome string // a column of summary.csv
}

// goals are the columns of the executive summary, in order.
var goals = []goal{
	{"Voluntary participation", "voluntary_participation"},
	{"Learning", "knowledge_mean"},
	{"Openness (members across boundaries)", "boundary_active_share"},
	{"Newcomers getting in", "newcomer_access"},
}

// Mark is one cell of the executive summary: a scenario's effect on a goal.
type Mark struct {
	Symbol string // ▲ a clear rise, ▼ a clear fall, ○ no clear difference
	Size   string // the difference in everyday units, e.g. "+15 %"
}

// SummaryRow is one scenario's line of the executive summary.
type SummaryRow struct {
	Scenario string
	Marks    []Mark
	// Focus are the marks read where and when the scenario's
	// interventions act (see Focus), one line per focus.
	Focus []FocusMarks
}

// FocusMarks are a scenario's marks read in one focus.
type FocusMarks struct {
	Where string // as Focus.Where says it
	Marks []Mark
}

// Summary is the executive summary of a comparison: a mark per scenario
// (after the reference) and goal, and three to five sentences: for each
// goal, which scenario helped it most and which harmed it most, clearly;
// and how sure the marks are.
type Summary struct {
	Goals     []string
	Rows      []SummaryRow
	Sentences []string
}

// ExecutiveSummary reads the comparison table rows (see Table) for the
// report's first screen. A mark is clear when the 95 % interval of the
// difference excludes zero. With foci (see Foci), each scenario's marks are
// also read where and when its interventions act, and a sentence says
// what changed there.
func ExecutiveSummary(rows []Row, names []string, foci ...Focus) Summary {
	var s Summary
	at := map[[2]string]Row{}
	for _, r := range rows {
		at[[2]string{r.Scenario, r.Outcome}] = r
	}
	for _, g := range goals {
		s.Goals = append(s.Goals, g.Name)
	}
	for _, n := range names[1:] {
		sr := SummaryRow{Scenario: displayName(n)}
		for _, g := range goals {
			sr.Marks = append(sr.Marks, markOf(at[[2]string{n, g.Outcome}]))
		}
		for _, f := range foci {
			if f.Scenario != n {
				continue
			}
			fm := FocusMarks{Where: f.Where()}
			for _, g := range goals {
				fm.Marks = append(fm.Marks, markOf(focusRow(f, g.Outcome)))
			}
			sr.Focus = append(sr.Focus, fm)
		}
		s.Rows = append(s.Rows, sr)
	}
	for _, g := range goals {
		best, worst := "", ""
		var bestD, worstD float64
		for _, n := range names[1:] {
			r, ok := at[[2]string{n, g.Outcome}]
			if !ok || !clear(r) {
				continue
			}
			if d := r.Welch.Diff; d > bestD {
				best, bestD = n, d
			} else if d < worstD {
				worst, worstD = n, d
			}
		}
		word := lowerFirst(g.Name)
		switch {
		case best != "" && worst != "":
			s.Sentences = append(s.Sentences, fmt.Sprintf("For %s, %s did most good (%s) and %s most harm (%s).",
				word, displayName(best), markOf(at[[2]string{best, g.Outcome}]).Size, lowerFirst(displayName(worst)), markOf(at[[2]string{worst, g.Outcome}]).Size))
		case best != "":
			s.Sentences = append(s.Sentences, fmt.Sprintf("For %s, %s did most good (%s); none clearly harmed it.",
				word, displayName(best), markOf(at[[2]string{best, g.Outcome}]).Size))
		case worst != "":
			s.Sentences = append(s.Sentences, fmt.Sprintf("For %s, none clearly helped; %s did most harm (%s).",
				word, lowerFirst(displayName(worst)), markOf(at[[2]string{worst, g.Outcome}]).Size))
		default:
			s.Sentences = append(s.Sentences, fmt.Sprintf("For %s, no scenario made a clear difference.", word))
		}
	}
	for _, f := range foci {
		s.Sentences = append(s.Sentences, focusSentence(f))
	}
	s.Sentences = append(s.Sentences, fmt.Sprintf("▲ and ▼ mark differences from %s whose 95 %% interval excludes zero; ○ marks none that is clear. The numbers are the model's, not a forecast for any one organization (see the caveats below).", displayName(names[0])))
	return s
}

func clear(r Row) bool {
	return !math.IsNaN(r.Welch.Lo) && (r.Welch.Lo > 0 || r.Welch.Hi < 0)
}

func markOf(r Row) Mark {
	if math.IsNaN(r.Welch.Diff) {
		return Mark{"?", "not measured"}
	}
	size := signed(num(math.Abs(r.Welch.Diff)), r.Welch.Diff)
	if !math.IsNaN(r.RelDiff) {
		size = signed(pct(r.RelDiff), r.RelDiff) + " %"
	}
	switch {
	case !clear(r):
		return Mark{"○", size}
	case r.Welch.Diff > 0:
		return Mark{"▲", size}
	default:
		return Mark{"▼", size}
	}
}

func lowerFirst(s string) string {
	if s == "" || (len(s) > 1 && s[1] >= 'A' && s[1] <= 'Z') {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}

// focusRow is f's row of outcome key; a row of NaN differences when f
// has none.
func focusRow(f Focus, key string) Row {
	for _, r := range f.Rows {
		if r.Outcome == key {
			return r
		}
	}
	nan := math.NaN()
	return Row{Outcome: key, RelDiff: nan, Welch: stats.Difference{Diff: nan, Lo: nan, Hi: nan}}
}

// focusSentence says which goals a scenario changed clearly where and
// when its interventions act.
func focusSentence(f Focus) string {
	var changed []string
	for _, g := range goals {
		r := focusRow(f, g.Outcome)
		if clear(r) {
			m := markOf(r)
			changed = append(changed, fmt.Sprintf("%s %s", lowerFirst(g.Name), m.Size))
		}
	}
	who := displayName(f.Scenario)
	if len(changed) == 0 {
		return fmt.Sprintf("Where and when %s acts (%s), no goal changed clearly either.", who, f.Where())
	}
	return fmt.Sprintf("Where and when %s acts (%s), it clearly changed %s.", who, f.Where(), strings.Join(changed, ", "))
}
