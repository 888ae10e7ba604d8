package experiment

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/results"
)

// Outcome describes one end-of-run outcome (a column of summary.csv).
type Outcome struct {
	Key   string // column name in summary.csv
	Label string // words for sentences and axes
	// Relative says whether differences are best told in per cent of the
	// reference (shares and other positive quantities); otherwise they are
	// told in the outcome's own units (the E-I index, March's score).
	Relative bool
}

// Outcomes lists the outcome columns of summary.csv in order.
var Outcomes = func() []Outcome {
	labels := map[string]string{
		"members": "members", "knowledge_mean": "mean knowledge", "knowledge_core": "the core's knowledge",
		"knowledge_peripheral": "the periphery's knowledge", "repertoire_knowledge": "the repertoire's knowledge",
		"repertoire_score": "the repertoire's March score", "org_knowledge": "the organization's knowledge",
		"diversity": "belief diversity", "divergence": "divergence between communities",
		"ei_index": "the E-I index", "boundary_share": "the share of boundary encounters",
		"participation_rate": "participation", "participation_gini": "participation inequality (Gini)",
		"core_share": "the core", "active_share": "the active group", "peripheral_share": "the periphery",
		"median_ticks_to_active": "newcomers' time to active", "median_ticks_to_core": "newcomers' time to core",
		"newcomer_access": "newcomer access", "knowledge_retained": "knowledge retained",
	}
	var out []Outcome
	for _, k := range results.SummaryHeader[4:] {
		l, ok := labels[k]
		if !ok {
			l = k
		}
		out = append(out, Outcome{Key: k, Label: l, Relative: k != "ei_index" && k != "repertoire_score"})
	}
	return out
}()

// KeyOutcomes are the outcomes the plain-language verdict talks about and
// the plots show, in order.
var KeyOutcomes = []string{"knowledge_mean", "repertoire_knowledge", "core_share", "participation_rate", "newcomer_access", "ei_index"}

func outcomeByKey(k string) Outcome {
	for _, o := range Outcomes {
		if o.Key == k {
			return o
		}
	}
	return Outcome{Key: k, Label: k}
}

// Row is one line of comparison.csv: one outcome of one scenario, and its
// difference from the reference (the first scenario).
type Row struct {
	Scenario string
	Outcome  string
	Describe
	Vs Difference // against the reference; zero value for the reference itself
	// Paired is the same difference taken replication by replication, which
	// the common random numbers of a comparison allow.
	Paired PairedDifference
	// RelDiff, RelLo, RelHi are Vs.Diff, Vs.Lo, Vs.Hi in per cent of the
	// reference's mean (NaN when that mean is 0 or NaN).
	RelDiff, RelLo, RelHi float64
	Reference             bool
}

// CompareHeader names the columns of comparison.csv.
var CompareHeader = []string{
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
	v := make([]float64, len(res.Summaries))
	for i, s := range res.Summaries {
		v[i] = results.SummaryOutcomes(s)[key]
	}
	return v
}

// CompareResults computes the comparison table: for each scenario, each
// outcome; differences are against res[0].
func CompareResults(res []*agents.Result) []Row {
	names := Names(res)
	var rows []Row
	for i, r := range res {
		for _, o := range Outcomes {
			ref := values(res[0], o.Key)
			v := values(r, o.Key)
			row := Row{Scenario: names[i], Outcome: o.Key, Describe: Summarize(v), Reference: i == 0}
			nan := math.NaN()
			row.RelDiff, row.RelLo, row.RelHi = nan, nan, nan
			if i > 0 {
				row.Vs = Compare(ref, v)
				row.Paired = Paired(ref, v)
				if m := Summarize(ref).Mean; m != 0 && !math.IsNaN(m) {
					s := 100 / math.Abs(m)
					row.RelDiff, row.RelLo, row.RelHi = row.Vs.Diff*s, row.Vs.Lo*s, row.Vs.Hi*s
				}
			} else {
				row.Vs = Difference{Diff: nan, Lo: nan, Hi: nan, T: nan, DF: nan, P: nan, G: nan}
				row.Paired = PairedDifference{Diff: nan, Lo: nan, Hi: nan, T: nan, P: nan}
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// WriteComparison writes comparison.csv.
func WriteComparison(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CompareHeader); err != nil {
		return err
	}
	F := results.F
	for _, r := range rows {
		rec := []string{r.Scenario, r.Outcome, strconv.Itoa(r.N), F(r.Mean), F(r.SD), F(r.Lo), F(r.Hi),
			strconv.FormatBool(r.Reference), F(r.Vs.Diff), F(r.Vs.Lo), F(r.Vs.Hi), F(r.RelDiff), F(r.RelLo), F(r.RelHi),
			F(r.Vs.G), F(r.Vs.T), F(r.Vs.DF), F(r.Vs.P), F(r.Paired.Lo), F(r.Paired.Hi), F(r.Paired.P)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
