package compare

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
	"github.com/copsim/copsim/stats"
)

// RobustThreshold is the share of plausible settings below which a
// direction found at the default parameters is not a robust finding.
const RobustThreshold = 0.8

// RobustOptions control Robustness. Only Points, Reps and Params change
// the result.
type RobustOptions struct {
	Points int // points of the Latin hypercube (at least 2)
	Reps   int // replications per scenario and point (0: the reference's; at least 2)
	// Params are the parameters varied (nil: scenarios.UncertainParams).
	Params []scenarios.Uncertain
	// Workers are the engine's workers for each run (sim.Options.Workers).
	Workers int
	// Progress, if set, is called as runs advance with the ticks done and
	// the ticks planned over the whole check, from many goroutines at once
	// (as sim.Options.Progress is).
	Progress func(done, total int64)
}

// RobustCount is how often, over the points of a robustness check, one
// scenario moved one outcome in each direction from the reference.
type RobustCount struct {
	Scenario, Outcome string
	Points            int // points of the design
	// Up and Down count the points where the mean paired difference
	// (scenario − reference) was above and below zero; ClearUp and
	// ClearDown those where, besides, its paired 95 % interval excluded
	// zero. A point where the outcome could not be measured counts in
	// neither direction.
	Up, Down, ClearUp, ClearDown int
}

// Share is count's share of the points (NaN without points).
func (c RobustCount) Share(count int) float64 {
	if c.Points == 0 {
		return math.NaN()
	}
	return float64(count) / float64(c.Points)
}

// count adds one point's paired difference to c.
func (c *RobustCount) count(d stats.Difference) {
	switch {
	case d.Diff > 0:
		c.Up++
		if d.Lo > 0 {
			c.ClearUp++
		}
	case d.Diff < 0:
		c.Down++
		if d.Hi < 0 {
			c.ClearDown++
		}
	}
}

// Kept is a parameter a scenario sets differently from the reference: it
// is the scenario's treatment, so the scenario keeps its own value at
// every point of a robustness check.
type Kept struct {
	Key   string
	Value float64
}

// RobustResult is a robustness check of a comparison.
type RobustResult struct {
	Scenarios []string              // as Names: the reference first
	Params    []scenarios.Uncertain // the parameters varied, in the design's order
	Design    [][]float64           // Design[point][k] is Params[k]'s value at the point
	Reps      int                   // replications per scenario and point
	Seed      uint64                // the root seed of every run, and of the design
	Kept      map[string][]Kept     // by scenario: its treatment parameters
	// Counts are by scenario after the reference, in order, then by
	// outcome in summary.csv's order.
	Counts []RobustCount
}

// Count returns the count of a scenario and an outcome.
func (r *RobustResult) Count(scenario, outcome string) (RobustCount, bool) {
	for _, c := range r.Counts {
		if c.Scenario == scenario && c.Outcome == outcome {
			return c, true
		}
	}
	return RobustCount{}, false
}

// discardRows takes a run's streamed rows and drops them, so that
// sim.Run keeps only a bounded sample in memory: a robustness check needs
// the summaries alone.
type discardRows struct{}

func (discardRows) WriteRows([]measure.Row) error { return nil }
func (discardRows) Close() error                  { return nil }

// Robustness runs the comparison of scs (on common random numbers: see
// CommonRandomNumbers; the first is the reference) again at opt.Points
// points of a Latin hypercube over the plausible ranges of the uncertain
// parameters, seeded by the reference's seed. At each point every
// scenario runs opt.Reps replications with the point's values and the
// reference's seed, except for a parameter it sets differently from the
// reference (its treatment, which it keeps); for each scenario after the
// reference and each outcome it counts the points at which the paired
// difference from the reference went up or down, and clearly so.
//
// Points run one after another, each run on opt.Workers; the result is the
// same for any number of workers. Only each run's summaries are kept.
func Robustness(ctx context.Context, scs []scenarios.Scenario, opt RobustOptions) (*RobustResult, error) {
	if len(scs) < 2 {
		return nil, errors.New("robustness: needs a reference and at least one scenario to compare with it")
	}
	reps := opt.Reps
	if reps == 0 {
		reps = scs[0].Replications
	}
	if opt.Points < 2 {
		return nil, fmt.Errorf("robustness: needs at least 2 points, got %d", opt.Points)
	}
	if reps < 2 {
		return nil, fmt.Errorf("robustness: needs at least 2 replications per point for a paired interval, got %d", reps)
	}
	params := opt.Params
	if params == nil {
		params = scenarios.UncertainParams
	}
	ref := scs[0]
	r := &RobustResult{Scenarios: scenarioNames(scs), Params: params, Reps: reps, Seed: ref.Seed, Kept: map[string][]Kept{}}

	// A parameter a scenario sets apart from the reference is its
	// treatment.
	keep := make([][]bool, len(scs))
	for i, sc := range scs {
		keep[i] = make([]bool, len(params))
		for k, p := range params {
			rv, err := p.Value(ref)
			if err != nil {
				return nil, fmt.Errorf("robustness: %w", err)
			}
			v, err := p.Value(sc)
			if err != nil {
				return nil, fmt.Errorf("robustness: %w", err)
			}
			if i > 0 && v != rv {
				keep[i][k] = true
				r.Kept[r.Scenarios[i]] = append(r.Kept[r.Scenarios[i]], Kept{Key: p.Key, Value: v})
			}
		}
	}

	u := stats.LatinHypercube(opt.Points, len(params), ref.Seed)
	r.Design = make([][]float64, opt.Points)
	for pt := range u {
		r.Design[pt] = make([]float64, len(params))
		for k, p := range params {
			r.Design[pt][k] = p.At(u[pt][k])
		}
	}

	var total int64
	for _, sc := range scs {
		total += int64(opt.Points) * int64(reps) * int64(sc.Ticks)
	}
	var before int64 // ticks of the runs finished
	common := []string{"seed=" + strconv.FormatUint(ref.Seed, 10), "replications=" + strconv.Itoa(reps)}

	// vals[pt][i][o]: outcome o of scenario i at point pt, by replication.
	vals := make([][][][]float64, opt.Points)
	for pt := range r.Design {
		vals[pt] = make([][][]float64, len(scs))
		for i, sc := range scs {
			sets := append([]string(nil), common...)
			for k, p := range params {
				if !keep[i][k] {
					sets = append(sets, p.Set(r.Design[pt][k]))
				}
			}
			sc, err := scenarios.ApplySets(sc, sets)
			if err != nil {
				return nil, fmt.Errorf("robustness: point %d, %s: %w", pt+1, r.Scenarios[i], err)
			}
			o := sim.Options{Workers: opt.Workers, Rows: func(int) (sim.RowWriter, error) { return discardRows{}, nil }}
			if opt.Progress != nil {
				base := before
				o.Progress = func(done, _ int64) { opt.Progress(base+done, total) }
			}
			res, err := agents.Run(ctx, sc, o)
			if err != nil {
				return nil, err
			}
			before += int64(reps) * int64(sc.Ticks)
			vals[pt][i] = make([][]float64, len(outcomes))
			for oi, oc := range outcomes {
				vals[pt][i][oi] = values(res, oc.key)
			}
		}
	}

	for i := 1; i < len(scs); i++ {
		for oi, oc := range outcomes {
			c := RobustCount{Scenario: r.Scenarios[i], Outcome: oc.key, Points: opt.Points}
			for pt := range vals {
				c.count(stats.Paired(vals[pt][0][oi], vals[pt][i][oi]))
			}
			r.Counts = append(r.Counts, c)
		}
	}
	return r, nil
}

// robustHeader names the columns of robustness.csv.
var robustHeader = []string{"scenario", "outcome", "points", "up", "down", "clear_up", "clear_down",
	"share_up", "share_down", "share_clear_up", "share_clear_down", "kept"}

// keptText lists a scenario's treatment parameters as overrides, for
// robustness.csv ("model.legitimacy.closure=0.9"; several joined by ";").
func keptText(ks []Kept) string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = k.Key + "=" + strconv.FormatFloat(k.Value, 'g', -1, 64)
	}
	return strings.Join(s, ";")
}

// WriteRobustness writes a robustness check's tables into dir:
// robustness.csv (a row per scenario and outcome: the counts of RobustCount
// and their shares of the points, and the parameters the scenario kept)
// and robustness_points.csv (the design: point, key, value).
func WriteRobustness(dir string, r *RobustResult) error {
	F := results.F
	if err := results.WriteAtomic(filepath.Join(dir, "robustness.csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(robustHeader)
		for _, c := range r.Counts {
			cw.Write([]string{c.Scenario, c.Outcome, strconv.Itoa(c.Points),
				strconv.Itoa(c.Up), strconv.Itoa(c.Down), strconv.Itoa(c.ClearUp), strconv.Itoa(c.ClearDown),
				F(c.Share(c.Up)), F(c.Share(c.Down)), F(c.Share(c.ClearUp)), F(c.Share(c.ClearDown)),
				keptText(r.Kept[c.Scenario])})
		}
		cw.Flush()
		return cw.Error()
	}); err != nil {
		return err
	}
	return results.WriteAtomic(filepath.Join(dir, "robustness_points.csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"point", "key", "value"})
		for pt, vs := range r.Design {
			for k, v := range vs {
				cw.Write([]string{strconv.Itoa(pt + 1), r.Params[k].Key, strconv.FormatFloat(v, 'g', -1, 64)})
			}
		}
		cw.Flush()
		return cw.Error()
	})
}

// floorPct is a share in whole per cent, rounded down so that a share
// short of all the points never reads as 100 %.
func floorPct(share float64) string {
	return strconv.Itoa(int(math.Floor(100*share + 1e-9)))
}

// robustSentences say in plain language how robust a scenario's effect
// on an outcome is: the majority direction over the plausible settings and
// its share (and the share where it is clear), then the direction at the
// default parameters (atDefault: the comparison's mean paired difference)
// with a warning when that direction holds in under RobustThreshold of
// the points.
func robustSentences(scenario string, o outcome, c RobustCount, atDefault float64) []string {
	who := displayName(scenario)
	var out []string
	switch {
	case c.Points == 0:
		return []string{fmt.Sprintf("%s: no plausible settings were run for %s.", who, o.label)}
	case c.Up == 0 && c.Down == 0:
		out = append(out, fmt.Sprintf("%s made no difference to %s in any of %d plausible settings.", who, o.label, c.Points))
	case c.Up == c.Down:
		out = append(out, fmt.Sprintf("%s raised %s in %s %% of plausible settings and lowered it in as many; there is no majority direction.",
			who, o.label, floorPct(c.Share(c.Up))))
	default:
		verb, n, clear := "raised", c.Up, c.ClearUp
		if c.Down > c.Up {
			verb, n, clear = "lowered", c.Down, c.ClearDown
		}
		out = append(out, fmt.Sprintf("%s %s %s in %s %% of plausible settings (clearly, with the paired 95 %% interval excluding zero, in %s %%).",
			who, verb, o.label, floorPct(c.Share(n)), floorPct(c.Share(clear))))
	}
	var verb string
	var n int
	switch {
	case math.IsNaN(atDefault):
		return append(out, fmt.Sprintf("At the default parameters %s could not be measured.", o.label))
	case atDefault == 0:
		return append(out, fmt.Sprintf("At the default parameters it made no difference to %s.", o.label))
	case atDefault > 0:
		verb, n = "raised", c.Up
	default:
		verb, n = "lowered", c.Down
	}
	share := c.Share(n)
	if share < RobustThreshold {
		return append(out, fmt.Sprintf("At the default parameters it %s %s, a direction that holds in only %s %% of plausible settings: not a robust finding.",
			verb, o.label, floorPct(share)))
	}
	return append(out, fmt.Sprintf("At the default parameters it %s %s too.", verb, o.label))
}

// RobustVerdicts says in plain language, for each scenario after the
// reference (by name, as in Names), how robust its effect on each key
// outcome is; rows are the comparison's table (Table) at the default
// parameters, whose paired differences give the direction there.
func RobustVerdicts(r *RobustResult, rows []Row) map[string][]string {
	out := map[string][]string{}
	for _, k := range keyOutcomes {
		for _, c := range r.Counts {
			if c.Outcome != k {
				continue
			}
			atDefault := math.NaN()
			for _, row := range rows {
				if row.Scenario == c.Scenario && row.Outcome == k {
					atDefault = row.Paired.Diff
				}
			}
			out[c.Scenario] = append(out[c.Scenario], strings.Join(robustSentences(c.Scenario, outcomeByKey(k), c, atDefault), " "))
		}
	}
	return out
}

// keptSentence says which parameters a scenario kept as its treatment.
func keptSentence(scenario string, ks []Kept) string {
	if len(ks) == 0 {
		return ""
	}
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = fmt.Sprintf("%s = %s", k.Key, strconv.FormatFloat(k.Value, 'g', -1, 64))
	}
	it := "it"
	if len(ks) > 1 {
		it = "them"
	}
	return fmt.Sprintf("%s sets %s apart from the reference as its treatment, and keeps %s at every point.", displayName(scenario), strings.Join(s, ", "), it)
}

// scenarioNames are the scenarios' names made unique as Names makes them.
func scenarioNames(scs []scenarios.Scenario) []string {
	res := make([]*agents.Result, len(scs))
	for i := range scs {
		res[i] = &agents.Result{Scenario: scs[i]}
	}
	return Names(res)
}
