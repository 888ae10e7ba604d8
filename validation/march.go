package validation

import (
	"context"
	"fmt"
	"math"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// march runs the built-in march1991 scenario with the given settings
// added. Every call runs replications 0..n-1 of the scenario's seed, so two
// calls are paired replication by replication (common random numbers).
func march(ctx context.Context, p plan, set ...string) (*agents.Result, error) {
	sc, err := scenarios.Load("march1991", set)
	if err != nil {
		return nil, err
	}
	return agents.Run(ctx, sc, sim.Options{Workers: p.workers})
}

// knowledge returns each replication's code knowledge at the end of res,
// as score/m (repertoire_score) and share right (repertoire_knowledge);
// with equilibrium set, it fails if a replication did not reach it.
func knowledge(res *agents.Result, equilibrium bool) (score, share []float64, err error) {
	for _, s := range res.Summaries {
		if equilibrium && !s.Equilibrium {
			return nil, nil, fmt.Errorf("replication %d hit the tick cap before equilibrium", s.Rep)
		}
		score = append(score, s.RepertoireScore)
		share = append(share, s.RepertoireKnowledge)
	}
	return score, share, nil
}

// reps is the replications setting.
func reps(n int) string { return fmt.Sprintf("replications=%d", n) }

// recreation is March's (1991) Figure 1 as a public recreation following
// Rodan (2005) and Christensen (2015) gives it, 10,000 iterations per
// cell: equilibrium score/m by p1 = 0.1..0.9 (rows) and p2 = 0.1, 0.5,
// 0.9 (columns).
var recreation = [9][3]float64{
	{0.863, 0.954, 0.972},
	{0.817, 0.909, 0.940},
	{0.805, 0.869, 0.908},
	{0.802, 0.837, 0.874},
	{0.799, 0.811, 0.840},
	{0.803, 0.787, 0.807},
	{0.806, 0.768, 0.780},
	{0.809, 0.754, 0.756},
	{0.813, 0.742, 0.728},
}

var fig1P2 = []float64{0.1, 0.5, 0.9}

// fig1 is March's Figure 1: equilibrium code knowledge against the
// socialization rate p1 for three code learning rates p2.
func fig1(ctx context.Context, p plan) (*Result, error) {
	r := &Result{
		ID: "march-fig1", Name: "March (1991), Figure 1: socialization and code learning", Kind: Validation,
		Source:   "March (1991), Figure 1; values of a public recreation following Rodan (2005) and Christensen (2015), 10,000 iterations per cell",
		UnitName: "score/m (`repertoire_score`)",
		Unit: "score/m (`repertoire_score`): Σ code·reality / m, a wrong dimension counting −1 and a zero 0, " +
			"the measure public recreations report for Figure 1",
		AltUnit:      "share right",
		Replications: p.fig1Reps,
		Figure: Figure{Title: "March (1991), Figure 1", XLabel: "socialization rate p1",
			YLabel: "equilibrium code knowledge (score/m)"},
	}
	var score, share [9][3][]float64
	for i := range 9 {
		for j, p2 := range fig1P2 {
			res, err := march(ctx, p, fmt.Sprintf("model.socialization=0.%d", i+1),
				fmt.Sprintf("model.code_learning=%g", p2), reps(p.fig1Reps))
			if err != nil {
				return nil, err
			}
			if score[i][j], share[i][j], err = knowledge(res, true); err != nil {
				return nil, fmt.Errorf("p1=0.%d p2=%g: %w", i+1, p2, err)
			}
			r.Rows = append(r.Rows, row(fmt.Sprintf("p1 = 0.%d, p2 = %g", i+1, p2), Value,
				fmt.Sprintf("%.3f", recreation[i][j]), recreation[i][j], p.fig1Tol, score[i][j], share[i][j]))
		}
	}
	for _, d := range []struct {
		label, published string
		a, b             [2]int // cells (p1 index, p2 index)
	}{
		{"slow socialization ahead, p2 = 0.5: p1 = 0.1 minus p1 = 0.9", "> 0 (direction)", [2]int{0, 1}, [2]int{8, 1}},
		{"slow socialization ahead, p2 = 0.9: p1 = 0.1 minus p1 = 0.9", "> 0 (direction)", [2]int{0, 2}, [2]int{8, 2}},
		{"curves cross, p1 = 0.9: p2 = 0.1 minus p2 = 0.9", "> 0 (direction)", [2]int{8, 0}, [2]int{8, 2}},
	} {
		r.Rows = append(r.Rows, row(d.label, Above, d.published, 0, 0,
			diff(score[d.a[0]][d.a[1]], score[d.b[0]][d.b[1]]),
			diff(share[d.a[0]][d.a[1]], share[d.b[0]][d.b[1]])))
	}
	for j, p2 := range fig1P2 {
		s := Series{Name: fmt.Sprintf("p2 = %g", p2)}
		pub := Series{Name: fmt.Sprintf("recreation, p2 = %g", p2)}
		for i := range 9 {
			x := float64(i+1) / 10
			m, lo, hi := ci(score[i][j])
			s.add(x, m, lo, hi)
			pub.add(x, recreation[i][j], recreation[i][j], recreation[i][j])
		}
		r.Figure.Series = append(r.Figure.Series, s)
		r.Figure.Published = append(r.Figure.Published, pub)
	}
	return r, nil
}

// fig2 is March's Figure 2: a population of slow (p1 = 0.1) and fast (p1 =
// 0.9) learners against a uniform one at the same mean rate, p2 = 0.5.
func fig2(ctx context.Context, p plan) (*Result, error) {
	r := &Result{
		ID: "march-fig2", Name: "March (1991), Figure 2: heterogeneous learners", Kind: Validation,
		Source:       "March (1991), Figure 2: a mix of slow and fast learners ends with a better code than a uniform population",
		UnitName:     "score/m (`repertoire_score`)",
		Unit:         "score/m (`repertoire_score`) at equilibrium, as Figure 1",
		AltUnit:      "share right",
		Replications: p.fig2Reps,
		Figure: Figure{Title: "March (1991), Figure 2", XLabel: "share of fast learners (p1 = 0.9 among p1 = 0.1)",
			YLabel: "equilibrium code knowledge (score/m)"},
	}
	mixed := Series{Name: "mix of p1 = 0.1 and 0.9"}
	uniform := Series{Name: "everyone at the mean rate"}
	var half [2][2][]float64 // at a share of 0.5: uniform, mix; score/m, share right
	for k := 0; k <= 10; k++ {
		s := float64(k) / 10
		set := []string{"model.code_learning=0.5", reps(p.fig2Reps)}
		uni, err := march(ctx, p, append(set, fmt.Sprintf("model.socialization=%.2f", 0.1+0.8*s))...)
		if err != nil {
			return nil, err
		}
		us, uk, err := knowledge(uni, true)
		if err != nil {
			return nil, fmt.Errorf("share %.1f, uniform: %w", s, err)
		}
		ms, mk := us, uk // with one group the mix is the uniform population
		if k > 0 && k < 10 {
			mix, err := march(ctx, p, append(set, fmt.Sprintf(
				"model.socialization_mix=[{share: %.1f, rate: 0.1}, {share: %.1f, rate: 0.9}]", 1-s, s))...)
			if err != nil {
				return nil, err
			}
			if ms, mk, err = knowledge(mix, true); err != nil {
				return nil, fmt.Errorf("share %.1f, mix: %w", s, err)
			}
		}
		m, lo, hi := ci(us)
		uniform.add(s, m, lo, hi)
		m, lo, hi = ci(ms)
		mixed.add(s, m, lo, hi)
		if k == 5 {
			half = [2][2][]float64{{us, uk}, {ms, mk}}
		}
	}
	r.Rows = []Row{
		row("everyone at p1 = 0.5", Reported, "—", 0, 0, half[0][0], half[0][1]),
		row("half at p1 = 0.1, half at 0.9", Reported, "—", 0, 0, half[1][0], half[1][1]),
		row("the mix minus everyone at 0.5", Above, "> 0 (direction)", 0, 0,
			diff(half[1][0], half[0][0]), diff(half[1][1], half[0][1])),
	}
	r.Figure.Series = []Series{mixed, uniform}
	return r, nil
}

// fig2Spreads are the levels of model.socialization_spread of the
// distribution result. They stop at 0.2, where the slowest learners still
// let every replication reach equilibrium within the tick cap; at a spread
// of 1 about half do not (a rate near 0 takes thousands of periods).
var fig2Spreads = []float64{0, 0.02, 0.05, 0.1, 0.15, 0.2}

// fig2Spread extends Figure 2 from two kinds of learner to a distribution
// of rates (model.socialization_spread), without and with LPP, whose
// legitimacy scaling makes the rates people learn at a distribution even
// when everyone's p1 is the same.
func fig2Spread(ctx context.Context, p plan) (*Result, error) {
	r := &Result{
		ID: "march-fig2-spread", Name: "Beyond Figure 2: a distribution of learning rates, and LPP", Kind: Extension,
		Source:       "copsim's own finding: March's (1991) Figure 2 with each person's p1 drawn from a Beta distribution, without and with legitimacy-scaled learning (LPP)",
		UnitName:     "score/m (`repertoire_score`)",
		Unit:         "score/m (`repertoire_score`) at equilibrium, as Figures 1-2",
		AltUnit:      "share right",
		Replications: p.fig2Reps,
		Figure: Figure{Title: "A distribution of socialization rates (mean p1 = 0.5)",
			XLabel: "standard deviation of people's p1",
			YLabel: "equilibrium code knowledge (score/m)"},
	}
	type cell struct{ score, share []float64 }
	at := map[[2]float64]cell{} // (lpp 0/1, spread)
	for l, lpp := range []bool{false, true} {
		s := Series{Name: map[bool]string{false: "LPP off (March)", true: "LPP on"}[lpp]}
		for _, sp := range fig2Spreads {
			res, err := march(ctx, p, "model.code_learning=0.5", "model.socialization=0.5",
				fmt.Sprintf("model.socialization_spread=%g", sp), fmt.Sprintf("model.lpp=%t", lpp), reps(p.fig2Reps))
			if err != nil {
				return nil, err
			}
			score, share, err := knowledge(res, true)
			if err != nil {
				return nil, fmt.Errorf("lpp %t, spread %g: %w", lpp, sp, err)
			}
			at[[2]float64{float64(l), sp}] = cell{score, share}
			m, lo, hi := ci(score)
			// The spread's standard deviation of p1 at mean 0.5.
			s.add(math.Sqrt(0.25*sp/(1+sp)), m, lo, hi)
		}
		r.Figure.Series = append(r.Figure.Series, s)
	}
	top := fig2Spreads[len(fig2Spreads)-1]
	d := func(a, b [2]float64) ([]float64, []float64) {
		return diff(at[a].score, at[b].score), diff(at[a].share, at[b].share)
	}
	offSpread, offSpreadAlt := d([2]float64{0, top}, [2]float64{0, 0})
	onUniform, onUniformAlt := d([2]float64{1, 0}, [2]float64{0, 0})
	onSpread, onSpreadAlt := d([2]float64{1, top}, [2]float64{1, 0})
	r.Rows = []Row{
		row("LPP off, everyone at p1 = 0.5", Reported, "—", 0, 0, at[[2]float64{0, 0}].score, at[[2]float64{0, 0}].share),
		row(fmt.Sprintf("LPP off: spread %g minus none", top), Above, "> 0 (Figure 2's direction)", 0, 0, offSpread, offSpreadAlt),
		row("everyone at p1 = 0.5: LPP on minus off", Above, "> 0 (direction)", 0, 0, onUniform, onUniformAlt),
		row(fmt.Sprintf("LPP on: spread %g minus none", top), Reported, "—", 0, 0, onSpread, onSpreadAlt),
	}
	return r, nil
}

// fig34P3 is the turnover grid of Figures 3-4.
var fig34P3 = []float64{0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9}

// fig34 is March's Figures 3-4: code knowledge in period 20 against
// turnover p3, for fast and slow socialization, p2 = 0.5.
func fig34(ctx context.Context, p plan) (*Result, error) {
	r := &Result{
		ID: "march-fig34", Name: "March (1991), Figures 3-4: turnover against socialization", Kind: Validation,
		Source:   "March (1991), Figures 3-4: with fast socialization moderate turnover helps (an interior optimum); with slow socialization turnover hurts",
		UnitName: "share right (`repertoire_knowledge`)",
		Unit: "share right (`repertoire_knowledge`) in period 20, as Figures 3-5 are usually reported; " +
			"a code dimension still at zero counts as not right",
		AltUnit:      "score/m",
		Replications: p.fig34Reps,
		Figure: Figure{Title: "March (1991), Figures 3-4", XLabel: "turnover p3",
			YLabel: "code knowledge in period 20 (share right)"},
	}
	at := map[[2]float64][2][]float64{} // (p1, p3) -> share right, score/m
	for _, p1 := range []float64{0.9, 0.1} {
		name := map[float64]string{0.9: "fast socialization (p1 = 0.9)", 0.1: "slow socialization (p1 = 0.1)"}[p1]
		s := Series{Name: name}
		for _, p3 := range fig34P3 {
			res, err := march(ctx, p, fmt.Sprintf("model.socialization=%g", p1), "model.code_learning=0.5",
				fmt.Sprintf("model.turnover=%g", p3), "ticks=20", reps(p.fig34Reps))
			if err != nil {
				return nil, err
			}
			score, share, _ := knowledge(res, false)
			at[[2]float64{p1, p3}] = [2][]float64{share, score}
			m, lo, hi := ci(share)
			s.add(p3, m, lo, hi)
		}
		r.Figure.Series = append(r.Figure.Series, s)
	}
	for _, d := range []struct {
		label, published string
		p1, a, b         float64
	}{
		{"fast: p3 = 0.3 minus p3 = 0", "> 0 (moderate turnover helps)", 0.9, 0.3, 0},
		{"fast: p3 = 0.3 minus p3 = 0.9", "> 0 (too much hurts: an interior optimum)", 0.9, 0.3, 0.9},
		{"slow: p3 = 0 minus p3 = 0.1", "> 0 (turnover hurts)", 0.1, 0, 0.1},
		{"slow: p3 = 0.1 minus p3 = 0.3", "> 0 (more turnover hurts more)", 0.1, 0.1, 0.3},
	} {
		a, b := at[[2]float64{d.p1, d.a}], at[[2]float64{d.p1, d.b}]
		r.Rows = append(r.Rows, row(d.label, Above, d.published, 0, 0, diff(a[0], b[0]), diff(a[1], b[1])))
	}
	return r, nil
}

// fig5 is March's Figure 5: code knowledge over time when reality changes
// (p4 = 0.02), without and with turnover, p1 = p2 = 0.5.
func fig5(ctx context.Context, p plan) (*Result, error) {
	r := &Result{
		ID: "march-fig5", Name: "March (1991), Figure 5: turbulence, with and without turnover", Kind: Validation,
		Source:   "March (1991), Figure 5: in a changing world a code without turnover decays toward chance; with turnover it holds up",
		UnitName: "share right (`repertoire_knowledge`)",
		Unit: "share right (`repertoire_knowledge`), so that chance is 0.5 (in score/m chance is 0); " +
			"the code starts all zeros, share right 0",
		AltUnit:      "score/m",
		Replications: p.fig5Reps,
		Figure: Figure{Title: "March (1991), Figure 5", XLabel: "period",
			YLabel: "code knowledge (share right)", Guides: []Guide{{Y: 0.5, Label: "chance"}}},
	}
	// by[p3][tick] holds each replication's share right and score/m.
	by := map[float64]map[int][2][]float64{}
	for _, p3 := range []float64{0, 0.1} {
		res, err := march(ctx, p, "model.socialization=0.5", "model.code_learning=0.5",
			"model.turbulence=0.02", fmt.Sprintf("model.turnover=%g", p3),
			"ticks=200", "output.measure_every=10", reps(p.fig5Reps))
		if err != nil {
			return nil, err
		}
		ticks := map[int][2][]float64{}
		var order []int
		for _, row := range res.Rows {
			if row.Community != "all" {
				continue
			}
			v, ok := ticks[row.Tick]
			if !ok {
				order = append(order, row.Tick)
			}
			ticks[row.Tick] = [2][]float64{append(v[0], row.RepertoireKnowledge), append(v[1], row.RepertoireScore)}
		}
		for _, t := range []int{20, 200} {
			if len(ticks[t][0]) != p.fig5Reps {
				return nil, fmt.Errorf("p3=%g: %d replications measured in period %d, want %d", p3, len(ticks[t][0]), t, p.fig5Reps)
			}
		}
		by[p3] = ticks
		s := Series{Name: fmt.Sprintf("turnover p3 = %g", p3)}
		for _, t := range order {
			if len(ticks[t][0]) == p.fig5Reps { // the first replication's ticks come first
				m, lo, hi := ci(ticks[t][0])
				s.add(float64(t), m, lo, hi)
			}
		}
		r.Figure.Series = append(r.Figure.Series, s)
	}
	still, moving := by[0.0], by[0.1]
	r.Rows = []Row{
		row("p3 = 0: period 20 minus period 200", Above, "> 0 (the code decays)", 0, 0,
			diff(still[20][0], still[200][0]), diff(still[20][1], still[200][1])),
		row("p3 = 0: period 200", Value, "0.5 (chance)", 0.5, p.chanceTol, still[200][0], still[200][1]),
		row("p3 = 0.1: period 200 minus period 20", Value, "≈ 0 (the code holds up)", 0, p.holdTol,
			diff(moving[200][0], moving[20][0]), diff(moving[200][1], moving[20][1])),
		row("period 200: p3 = 0.1 minus p3 = 0", Above, "> 0 (turnover keeps the code ahead)", 0, 0,
			diff(moving[200][0], still[200][0]), diff(moving[200][1], still[200][1])),
	}
	return r, nil
}
