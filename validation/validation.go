package validation

import (
	"context"
	"fmt"
	"math"

	"github.com/copsim/copsim/stats"
)

// Options configure Run.
type Options struct {
	// Quick runs every result with few replications and loose tolerances,
	// enough to catch a broken mechanism in a test; the full suite is what
	// docs/validation.md reports.
	Quick bool
	// Workers is passed to the engine (0: the number of CPUs). Results do
	// not depend on it.
	Workers int
	// Progress, if set, is called with a result's name as it starts.
	Progress func(name string)
}

// Kind says whether a published pattern validates the model or was used to
// set its parameters.
type Kind int

const (
	// Validation: the model was not tuned to the result; reproducing it
	// is evidence that the model is right.
	Validation Kind = iota
	// Calibration: parameters were set to reach the pattern; matching it
	// shows that the calibration worked, not that the model is valid.
	Calibration
	// Extension: copsim's own result beyond a paper, with its mechanisms
	// added to the paper's setup; checked for direction and stability,
	// against no published value.
	Extension
)

// Result is one published result rerun in copsim.
type Result struct {
	// ID names the result's figure files and its prose in the page.
	ID   string
	Name string
	// Source is the citation of the published values.
	Source string
	Kind   Kind
	// Unit says which output column the rows are in, and why; UnitName
	// names it in a few words.
	Unit, UnitName string
	// AltUnit, if set, names a second unit each row also reports (Row.Alt),
	// to show that the finding does not depend on the unit.
	AltUnit string
	// Replications is the number of replications per cell.
	Replications int
	Rows         []Row
	Figure       Figure
}

// Pass reports whether every row passes.
func (r *Result) Pass() bool {
	for _, row := range r.Rows {
		if !row.Pass {
			return false
		}
	}
	return true
}

// Claim is what a row asserts about copsim's value.
type Claim int

const (
	// Value: copsim's mean lies within Tolerance of the published Target.
	Value Claim = iota
	// Range: copsim's mean lies in [Target, TargetHi], give or take
	// Tolerance.
	Range
	// Above: a direction; the whole 95 % interval lies above Target
	// (usually a difference above 0).
	Above
	// Reported: shown for context; nothing is claimed and the row passes.
	Reported
)

// Row is one published value (or direction) against copsim's.
type Row struct {
	Label string
	Claim Claim
	// Published is the published value as the page shows it.
	Published string
	// Target (and TargetHi for a Range) is the published value checked.
	Target, TargetHi float64
	// Mean is copsim's value; Lo and Hi its 95 % interval (a t-interval
	// over replications).
	Mean, Lo, Hi float64
	// Alt is Mean in the result's AltUnit (NaN without one).
	Alt float64
	// Diff is Mean - Target for a Value or Above row; for a Range row how
	// far Mean lies outside the range (0 inside it); NaN for Reported.
	Diff      float64
	Tolerance float64
	Pass      bool
}

// Report is the outcome of Run.
type Report struct {
	Quick   bool
	Results []Result
}

// Pass reports whether every result passes.
func (r *Report) Pass() bool {
	for i := range r.Results {
		if !r.Results[i].Pass() {
			return false
		}
	}
	return true
}

// Failures lists the rows that fail, one line each.
func (r *Report) Failures() []string {
	var out []string
	for _, res := range r.Results {
		for _, row := range res.Rows {
			if !row.Pass {
				out = append(out, fmt.Sprintf("%s: %s: copsim %.3f [%.3f, %.3f], published %s, tolerance %s",
					res.Name, row.Label, row.Mean, row.Lo, row.Hi, row.Published, tolerance(row)))
			}
		}
	}
	return out
}

// plan is the replications and tolerances of one mode.
type plan struct {
	workers                     int
	fig1Reps, fig2Reps          int
	fig34Reps, fig5Reps         int
	participationReps, deciReps int
	fangReps                    int
	fig1Tol, chanceTol, holdTol float64
	participationTol, deciTol   float64
}

var (
	full = plan{
		fig1Reps: 2000, fig2Reps: 400, fig34Reps: 1000, fig5Reps: 1000,
		participationReps: 20, deciReps: 40, fangReps: 200,
		fig1Tol: 0.01, chanceTol: 0.02, holdTol: 0.05,
		participationTol: 0.03, deciTol: 0.1,
	}
	// quick keeps the sampling error of each check well inside its
	// tolerance while a broken mechanism (no socialization, a code that
	// does not learn, turnover that brings nothing) moves the values by
	// several tolerances.
	quick = plan{
		fig1Reps: 100, fig2Reps: 100, fig34Reps: 200, fig5Reps: 100,
		participationReps: 10, deciReps: 10, fangReps: 30,
		fig1Tol: 0.04, chanceTol: 0.05, holdTol: 0.06,
		participationTol: 0.04, deciTol: 0.15,
	}
)

// Run runs the suite: March's (1991) Figures 1, 2, 3-4 and 5, then the
// calibration targets. Same options, same report, whatever the workers.
func Run(ctx context.Context, o Options) (*Report, error) {
	p := full
	if o.Quick {
		p = quick
	}
	p.workers = o.Workers
	rep := &Report{Quick: o.Quick}
	for _, s := range suite {
		if o.Progress != nil {
			o.Progress(s.name)
		}
		res, err := s.run(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("validation: %s: %w", s.name, err)
		}
		rep.Results = append(rep.Results, *res)
	}
	return rep, nil
}

// suite is every result, in the page's order.
var suite = []struct {
	name string
	run  func(context.Context, plan) (*Result, error)
}{
	{"March (1991), Figure 1", fig1},
	{"March (1991), Figure 2", fig2},
	{"Figure 2 with a distribution of rates", fig2Spread},
	{"March (1991), Figures 3-4", fig34},
	{"March (1991), Figure 5", fig5},
	{"Fang, Lee & Schilling (2010)", fang2010},
	{"Fang et al. with community structure", fangStructure},
	{"Participation structure", participation},
	{"Free-choice persistence", freeChoice},
}

// ci is the mean of xs and its 95 % t-interval (package stats, as every
// interval copsim reports).
func ci(xs []float64) (mean, lo, hi float64) {
	s := stats.Summarize(xs)
	return s.Mean, s.Lo, s.Hi
}

// check sets a row's difference and pass from its claim.
func (r Row) check() Row {
	switch r.Claim {
	case Value:
		r.Diff = r.Mean - r.Target
		r.Pass = math.Abs(r.Diff) <= r.Tolerance
	case Range:
		r.Diff = 0
		if r.Mean < r.Target {
			r.Diff = r.Mean - r.Target
		} else if r.Mean > r.TargetHi {
			r.Diff = r.Mean - r.TargetHi
		}
		r.Pass = math.Abs(r.Diff) <= r.Tolerance
	case Above:
		r.Diff = r.Mean - r.Target
		r.Pass = r.Lo > r.Target
	case Reported:
		r.Diff, r.Pass = math.NaN(), true
	}
	return r
}

// row builds a checked row from replications xs (and, for the AltUnit,
// alt; nil for none).
func row(label string, c Claim, published string, target, tol float64, xs, alt []float64) Row {
	r := Row{Label: label, Claim: c, Published: published, Target: target, Tolerance: tol, Alt: math.NaN()}
	r.Mean, r.Lo, r.Hi = ci(xs)
	if alt != nil {
		r.Alt, _, _ = ci(alt)
	}
	return r.check()
}

// diff returns a[i] - b[i]: paired differences of replications run on the
// same seeds, whose t-interval is the paired t-test's.
func diff(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for i := range a {
		out[i] = a[i] - b[i]
	}
	return out
}
