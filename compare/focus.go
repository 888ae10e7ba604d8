package compare

import (
	"fmt"
	"math"
	"strings"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/plots"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/stats"
)

// Focus is where and when a scenario's interventions act, and its key
// outcomes read there and then against the reference's over the same weeks
// and communities. The end-of-run, whole-organization verdicts miss an
// intervention that acts on one community for a few weeks; a focus reads
// the time series where it acts.
type Focus struct {
	Scenario string // the scenario's name, as in Names
	// From and To are the weeks (ticks) the interventions are in force,
	// both included.
	From, To int
	// Communities are the communities they reach; nil for the whole
	// organization.
	Communities []string
	// Rows are the outcomes averaged over those weeks in those
	// communities, one per outcome of focusOutcomes, with their
	// differences from the reference, as in Table.
	Rows []Row
}

// Where says in words where and when a focus is read, e.g. "in c1, weeks
// 50–120".
func (f Focus) Where() string {
	where := "in the whole organization"
	if len(f.Communities) > 0 {
		where = "in " + andList(f.Communities)
	}
	return fmt.Sprintf("%s, weeks %d–%d", where, f.From, f.To)
}

// focusOutcomes are read in a focus: the key outcomes and the executive
// summary's goals.
var focusOutcomes = func() []string {
	out := append([]string(nil), keyOutcomes...)
	for _, g := range goals {
		found := false
		for _, k := range out {
			found = found || k == g.Outcome
		}
		if !found {
			out = append(out, g.Outcome)
		}
	}
	return out
}()

// rowValue reads outcome key from a row of the time series; the core's
// share of members is not a column and is computed. NaN when the row has
// no such value.
func rowValue(key string, r *measure.Row) float64 {
	if key == "core_share" {
		if r.Members == 0 {
			return math.NaN()
		}
		return float64(r.Core) / float64(r.Members)
	}
	c := measure.RowColumns.Lookup(key)
	if c == nil {
		return math.NaN()
	}
	return c.Float(r)
}

// Foci finds, for each scenario after the first (the reference), the
// distinct places and times its interventions act when that is narrower
// than the whole run in the whole organization: an intervention that
// reaches only some communities, or stops before the run ends. For each it
// reads the key outcomes as the mean over those weeks in those communities,
// replication by replication, and compares them with the reference's over
// the same weeks and communities. A focus whose communities the reference
// lacks is left out. The result is in scenario order, then in the order
// the interventions are listed.
func Foci(res []*agents.Result) []Focus {
	if len(res) < 2 {
		return nil
	}
	names := Names(res)
	var out []Focus
	for i, r := range res[1:] {
		sc := r.Scenario
		seen := map[string]bool{}
		for _, iv := range sc.Interventions {
			f, ok := focusOf(sc, iv)
			if !ok {
				continue
			}
			key := f.Where()
			if seen[key] {
				continue
			}
			seen[key] = true
			f.Scenario = names[i+1]
			if f.Rows = focusRows(res[0], r, f); f.Rows != nil {
				out = append(out, f)
			}
		}
	}
	return out
}

// focusOf is the window and targets of iv in sc, and whether they are
// narrower than the whole run in the whole organization.
func focusOf(sc scenarios.Scenario, iv scenarios.Intervention) (Focus, bool) {
	to := sc.Ticks
	if iv.End > 0 && iv.End < to {
		to = iv.End
	}
	f := Focus{From: iv.Start, To: to}
	names := sc.CommunityNames()
	targets := sc.Targets(iv)
	if len(targets) < len(names) {
		for _, c := range targets {
			f.Communities = append(f.Communities, names[c])
		}
	}
	narrower := f.Communities != nil || to < sc.Ticks
	return f, narrower && f.From <= f.To && (f.Communities == nil || len(targets) > 0)
}

// windowValues is, per replication of res, the mean of outcome key over
// the rows of f's weeks and communities (the "all" rows when f names
// none); NaN for a replication without such rows. ok is false when no
// replication has any.
func windowValues(res *agents.Result, f Focus, key string) (v []float64, ok bool) {
	in := map[string]bool{}
	for _, c := range f.Communities {
		in[c] = true
	}
	if len(in) == 0 {
		in[plots.All] = true
	}
	sum := make([]float64, len(res.Summaries))
	n := make([]int, len(res.Summaries))
	for i := range res.Rows {
		r := &res.Rows[i]
		if r.Tick < f.From || r.Tick > f.To || !in[r.Community] || r.Rep < 0 || r.Rep >= len(sum) {
			continue
		}
		if x := rowValue(key, r); !math.IsNaN(x) {
			sum[r.Rep] += x
			n[r.Rep]++
		}
	}
	v = make([]float64, len(sum))
	for i := range v {
		v[i] = math.NaN()
		if n[i] > 0 {
			v[i], ok = sum[i]/float64(n[i]), true
		}
	}
	return v, ok
}

// focusRows compares sc with ref in f, outcome by outcome; nil when either
// has no rows there.
func focusRows(ref, sc *agents.Result, f Focus) []Row {
	var rows []Row
	for _, k := range focusOutcomes {
		a, okA := windowValues(ref, f, k)
		b, okB := windowValues(sc, f, k)
		if !okA || !okB {
			return nil
		}
		rows = append(rows, difference(f.Scenario, k, a, b))
	}
	return rows
}

// difference is the row of scenario's values v of outcome key against the
// reference's ref, as in Table.
func difference(scenario, key string, ref, v []float64) Row {
	nan := math.NaN()
	row := Row{Scenario: scenario, Outcome: key, Summary: stats.Summarize(v),
		Welch: stats.Welch(ref, v), G: stats.HedgesG(ref, v), Paired: stats.Paired(ref, v), RelDiff: nan, RelLo: nan, RelHi: nan}
	if m := stats.Summarize(ref).Mean; m != 0 && !math.IsNaN(m) {
		s := 100 / math.Abs(m)
		row.RelDiff, row.RelLo, row.RelHi = row.Welch.Diff*s, row.Welch.Lo*s, row.Welch.Hi*s
	}
	return row
}

// FocusVerdicts says in plain language, for each scenario's name, how it
// changed the key outcomes where and when its interventions act: per
// focus, a sentence for each key outcome it changed clearly, led by where
// and when, and one naming the outcomes it did not.
func FocusVerdicts(foci []Focus) map[string][]string {
	out := map[string][]string{}
	for _, f := range foci {
		lead := fmt.Sprintf("Where and when it acts (%s, mean over those weeks): ", f.Where())
		var unclear []string
		for _, k := range keyOutcomes {
			r := focusRow(f, k)
			if !clear(r) {
				unclear = append(unclear, outcomeByKey(k).label)
				continue
			}
			out[f.Scenario] = append(out[f.Scenario], lead+sentence(f.Scenario, outcomeByKey(k), r, r.Mean-r.Welch.Diff))
		}
		if len(unclear) > 0 {
			out[f.Scenario] = append(out[f.Scenario], fmt.Sprintf("%s%s: no clear difference in %s.", lead, displayName(f.Scenario), andList(unclear)))
		}
	}
	return out
}

// andList joins words as "a, b and c".
func andList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
