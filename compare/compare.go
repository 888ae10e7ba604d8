// Package compare runs the what-if question of copsim: several scenarios
// on common random numbers, compared outcome by outcome with the first (the
// reference). It makes the comparison table (comparison.csv), the
// plain-language verdicts, the comparison figures and a self-contained
// HTML report, and the report of a single run.
//
// It exists so that what a comparison means (which outcomes, their words,
// how sure a difference is) lives in one place, apart from the engine that
// runs the scenarios and the command line that wires them together.
package compare

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/stats"
)

// CommonRandomNumbers gives every scenario the reference's (the first's)
// seed and replications, so that replication r of each runs on the same
// random numbers and the scenarios differ by their settings, not by luck.
func CommonRandomNumbers(scs []scenarios.Scenario) ([]scenarios.Scenario, error) {
	if len(scs) == 0 {
		return nil, nil
	}
	common := []string{"seed=" + strconv.FormatUint(scs[0].Seed, 10), "replications=" + strconv.Itoa(scs[0].Replications)}
	out := append([]scenarios.Scenario(nil), scs...)
	for i := 1; i < len(out); i++ {
		sc, err := scenarios.ApplySets(out[i], common)
		if err != nil {
			return nil, err
		}
		out[i] = sc
	}
	return out, nil
}

// outcome describes one end-of-run outcome (a column of summary.csv).
type outcome struct {
	key   string // column name in summary.csv
	label string // words for sentences and axes
	// relative says whether differences are best told in per cent of the
	// reference (shares and other positive quantities); otherwise they are
	// told in the outcome's own units (the E-I index, March's score).
	relative bool
}

// outcomes lists the outcome columns of summary.csv in order: those
// averaged over replications, as measure declares them.
var outcomes = func() []outcome {
	var out []outcome
	for _, c := range measure.SummaryColumns {
		if c.Aggregate == measure.MeanCI {
			out = append(out, outcome{key: c.Name, label: c.Label, relative: c.Unit.Relative()})
		}
	}
	return out
}()

// keyOutcomes are the outcomes the plain-language verdict talks about and
// the plots show, in order. Insularity is the last three: the share of
// members' ties outside their community, the knowledge they import across
// boundaries, and the share of them active across boundaries (the
// encounter E-I index is about -1 by construction and is left to the
// full table).
var keyOutcomes = []string{"knowledge_mean", "repertoire_knowledge", "core_share", "participation_rate", "newcomer_access",
	"outside_tie_share", "imported_knowledge", "boundary_active_share"}

func outcomeByKey(k string) outcome {
	for _, o := range outcomes {
		if o.key == k {
			return o
		}
	}
	return outcome{key: k, label: k}
}

// Label is the words for an outcome column of summary.csv in sentences and
// on axes ("mean knowledge" for knowledge_mean); an unknown column is its
// own label.
func Label(column string) string { return outcomeByKey(column).label }

// Row is one line of comparison.csv: one outcome of one scenario, and its
// difference from the reference (the first scenario).
type Row struct {
	Scenario string
	Outcome  string
	stats.Summary
	// Welch is the difference from the reference by Welch's test, which
	// does not lean on the pairing; G is Hedges' g of that difference.
	Welch stats.Difference
	G     float64
	// Paired is the same difference taken replication by replication,
	// which the common random numbers of a comparison allow.
	Paired stats.Difference
	// RelDiff, RelLo, RelHi are Welch.Diff, Welch.Lo, Welch.Hi in per cent
	// of the reference's mean (NaN when that mean is 0 or NaN).
	RelDiff, RelLo, RelHi float64
	Reference             bool // the reference's rows: every difference is NaN
}

// header names the columns of comparison.csv.
var header = []string{
	"scenario", "outcome", "n", "mean", "sd", "ci_low", "ci_high", "reference",
	"diff", "diff_ci_low", "diff_ci_high", "diff_pct", "diff_pct_ci_low", "diff_pct_ci_high",
	"hedges_g", "welch_t", "welch_df", "p_value",
	"paired_ci_low", "paired_ci_high", "paired_p_value",
}

// Names returns the scenarios' names, made unique by a suffix "#k" where
// the same name appears more than once.
func Names(res []*agents.Result) []string {
	names := make([]string, len(res))
	seen := map[string]int{}
	for i, r := range res {
		n := r.Scenario.Name
		seen[n]++
		if seen[n] > 1 {
			n = fmt.Sprintf("%s#%d", n, seen[n])
		}
		names[i] = n
	}
	return names
}

// values returns one outcome of every replication of res.
func values(res *agents.Result, key string) []float64 {
	col := measure.SummaryColumns.Lookup(key)
	v := make([]float64, len(res.Summaries))
	for i := range res.Summaries {
		v[i] = col.Float(&res.Summaries[i])
	}
	return v
}

// Table computes the comparison table: for each scenario, each outcome;
// differences are against res[0].
func Table(res []*agents.Result) []Row {
	names := Names(res)
	nan := math.NaN()
	none := stats.Difference{Diff: nan, Lo: nan, Hi: nan, T: nan, DF: nan, P: nan}
	var rows []Row
	for i, r := range res {
		for _, o := range outcomes {
			ref := values(res[0], o.key)
			v := values(r, o.key)
			row := Row{Scenario: names[i], Outcome: o.key, Summary: stats.Summarize(v), Reference: i == 0,
				Welch: none, G: nan, Paired: none, RelDiff: nan, RelLo: nan, RelHi: nan}
			if i > 0 {
				row.Welch = stats.Welch(ref, v)
				row.G = stats.HedgesG(ref, v)
				row.Paired = stats.Paired(ref, v)
				if m := stats.Summarize(ref).Mean; m != 0 && !math.IsNaN(m) {
					s := 100 / math.Abs(m)
					row.RelDiff, row.RelLo, row.RelHi = row.Welch.Diff*s, row.Welch.Lo*s, row.Welch.Hi*s
				}
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// writeTable writes comparison.csv.
func writeTable(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	F := results.F
	for _, r := range rows {
		rec := []string{r.Scenario, r.Outcome, strconv.Itoa(r.N), F(r.Mean), F(r.SD), F(r.Lo), F(r.Hi),
			strconv.FormatBool(r.Reference), F(r.Welch.Diff), F(r.Welch.Lo), F(r.Welch.Hi), F(r.RelDiff), F(r.RelLo), F(r.RelHi),
			F(r.G), F(r.Welch.T), F(r.Welch.DF), F(r.Welch.P), F(r.Paired.Lo), F(r.Paired.Hi), F(r.Paired.P)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
