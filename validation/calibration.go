package validation

import (
	"context"
	"fmt"
	"math"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
	"github.com/copsim/copsim/stats"
)

// participation is the participation structure of Wenger, McDermott &
// Snyder (2002) in the baseline scenario at the end of its 200 weeks.
func participation(ctx context.Context, p plan) (*Result, error) {
	r := &Result{
		ID: "participation", Name: "Participation structure", Kind: Calibration,
		Source:   "Wenger, McDermott & Snyder (2002): a core of about 10-15 % of members, an active group of about 15-20 %, the rest peripheral (shares seen in practice, not a law)",
		UnitName: "share of memberships",
		Unit: "share of member memberships (`core_share`, `active_share`, `peripheral_share`: memberships at the peripheral threshold or above); " +
			"`outsider_share` is over all memberships",
		Replications: p.participationReps,
		Figure: Figure{Title: "Participation structure (baseline, week 200)", YLabel: "share",
			Categories: []string{"core", "active", "peripheral", "outsiders"}},
	}
	sc, err := scenarios.Load("baseline", []string{reps(p.participationReps)})
	if err != nil {
		return nil, err
	}
	res, err := agents.Run(ctx, sc, sim.Options{Workers: p.workers})
	if err != nil {
		return nil, err
	}
	var core, active, peripheral, outsiders []float64
	for _, s := range res.Summaries {
		core = append(core, s.CoreShare)
		active = append(active, s.ActiveShare)
		peripheral = append(peripheral, s.PeripheralShare)
		outsiders = append(outsiders, s.OutsiderShare)
	}
	rangeRow := func(label string, lo, hi float64, xs []float64) Row {
		rw := row(label, Range, fmt.Sprintf("%.2f-%.2f", lo, hi), lo, p.participationTol, xs, nil)
		rw.TargetHi = hi
		return rw.check()
	}
	r.Rows = []Row{
		rangeRow("core (`core_share`)", 0.10, 0.15, core),
		rangeRow("active (`active_share`)", 0.15, 0.20, active),
		row("peripheral (`peripheral_share`)", Reported, "the rest", 0, 0, peripheral, nil),
		row("outsiders at the edge (`outsider_share`, of all memberships)", Reported, "not given", 0, 0, outsiders, nil),
	}
	s := Series{Name: "copsim"}
	for i, rw := range r.Rows {
		s.add(float64(i), rw.Mean, rw.Lo, rw.Hi)
	}
	r.Figure.Series = []Series{s}
	pub := Series{Name: "Wenger et al. (2002)"}
	pub.add(0, 0.125, 0.10, 0.15)
	pub.add(1, 0.175, 0.15, 0.20)
	r.Figure.Published = []Series{pub}
	return r, nil
}

// freeChoice is the free-choice paradigm of Deci, Koestner & Ryan (1999)
// run in the model (agents.FreeChoice) for each reward.
func freeChoice(ctx context.Context, p plan) (*Result, error) {
	r := &Result{
		ID: "free-choice", Name: "Free-choice persistence after rewards", Kind: Calibration,
		Source:   "Deci, Koestner & Ryan (1999), meta-analysis: Cohen's d of free-choice persistence after each kind of reward",
		UnitName: "Cohen's d",
		Unit: "Cohen's d of persistence (each person's share of weeks 101-140 with voluntary participation), " +
			"rewarded against control on the same seeds, over persons of all replications; the interval from d's standard error over replications",
		Replications: p.deciReps,
		Figure:       Figure{Title: "Free-choice persistence (Deci et al. 1999)", YLabel: "Cohen's d"},
	}
	sc, err := scenarios.Load("baseline", nil)
	if err != nil {
		return nil, err
	}
	d := agents.DefaultDesign()
	d.Replications = p.deciReps
	s := Series{Name: "copsim"}
	pub := Series{Name: "published d"}
	for i, t := range agents.DeciTargets {
		res, err := agents.FreeChoice(ctx, sc, t.Iv, d)
		if err != nil {
			return nil, err
		}
		// The t-interval of d over replications has half-width t·SE, the
		// standard error FreeChoice reports.
		_, _, hi := ci(res.DReps)
		h := hi - stats.Summarize(res.DReps).Mean
		rw := Row{Label: t.Label, Claim: Value, Published: fmt.Sprintf("%+.2f", t.D), Target: t.D,
			Tolerance: p.deciTol, Mean: res.D, Lo: res.D - h, Hi: res.D + h, Alt: math.NaN()}
		r.Rows = append(r.Rows, rw.check())
		r.Figure.Categories = append(r.Figure.Categories, t.Short)
		s.add(float64(i), res.D, res.D-h, res.D+h)
		pub.add(float64(i), t.D, t.D, t.D)
	}
	r.Figure.Series = []Series{s}
	r.Figure.Published = []Series{pub}
	return r, nil
}
