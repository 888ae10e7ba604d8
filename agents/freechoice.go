package agents

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/copsim/copsim/scenarios"
)

// Design is the schedule of the free-choice paradigm of Deci, Koestner &
// Ryan (1999) in weeks: the reward (an intervention) is in force from
// RewardStart to RewardEnd and then removed; free-choice persistence is
// each person's share of the weeks WindowStart to WindowEnd (inclusive) in
// which they took part voluntarily. See docs/calibration.md.
type Design struct {
	RewardStart, RewardEnd int
	WindowStart, WindowEnd int
	// Replications is the number of replications of each arm; the control
	// arm runs replication r on the same seed as the treated one (common
	// random numbers), so the two differ only by the reward and what
	// follows from it.
	Replications int
}

// DefaultDesign is the design docs/calibration.md reports: reward in
// weeks 20-100, persistence over weeks 101-140, 10 replications.
func DefaultDesign() Design {
	return Design{RewardStart: 20, RewardEnd: 100, WindowStart: 101, WindowEnd: 140, Replications: 10}
}

// FreeChoiceResult is one run of the paradigm.
type FreeChoiceResult struct {
	// Treated and Control are each person's free-choice persistence, the
	// replications one after another (person i of replication r is at
	// r*people+i in both, so the two are paired).
	Treated, Control []float64
	// D is Cohen's d over persons of all replications: (treated mean -
	// control mean) / pooled standard deviation.
	D float64
	// DReps is d in each replication; SE is the standard error of D over
	// replications, their standard deviation / sqrt(replications).
	DReps []float64
	SE    float64
}

// FreeChoice runs the free-choice paradigm on sc: a treated arm with iv in
// force over the design's reward period (iv's start and end are replaced)
// and a control arm without it, on the same seeds, with no other
// intervention and no turnover (the paradigm follows the same people, as
// a laboratory follows its subjects). It returns each person's
// persistence in both arms and Cohen's d. Replications run in parallel;
// the result does not depend on how many.
func FreeChoice(ctx context.Context, sc scenarios.Scenario, iv scenarios.Intervention, d Design) (*FreeChoiceResult, error) {
	if d.Replications < 1 || d.RewardStart < 1 || d.RewardEnd < d.RewardStart ||
		d.WindowStart <= d.RewardEnd || d.WindowEnd < d.WindowStart {
		return nil, fmt.Errorf("agents: free-choice design %+v: want 1 <= reward start <= end < window start <= end and replications >= 1", d)
	}
	sc.Ticks = d.WindowEnd
	sc.Model.Turnover = 0
	sc.Model.StopAtEquilibrium = false
	iv.Start, iv.End = d.RewardStart, d.RewardEnd
	treated, control := sc, sc
	treated.Interventions = []scenarios.Intervention{iv}
	control.Interventions = nil
	n := sc.Population.People
	res := &FreeChoiceResult{
		Treated: make([]float64, d.Replications*n), Control: make([]float64, d.Replications*n),
		DReps: make([]float64, d.Replications),
	}
	type job struct {
		sc  *scenarios.Scenario
		out []float64
		rep int
	}
	jobs := make(chan job)
	errs := make([]error, 2*d.Replications)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for jb := range jobs {
				k := jb.rep
				if jb.sc == &control {
					k += d.Replications
				}
				errs[k] = persistence(ctx, jb.sc, jb.rep, d, jb.out)
			}
		}()
	}
	for r := 0; r < d.Replications; r++ {
		jobs <- job{&treated, res.Treated[r*n : (r+1)*n], r}
		jobs <- job{&control, res.Control[r*n : (r+1)*n], r}
	}
	close(jobs)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for r := range res.DReps {
		res.DReps[r] = CohensD(res.Treated[r*n:(r+1)*n], res.Control[r*n:(r+1)*n])
	}
	res.D = CohensD(res.Treated, res.Control)
	if R := len(res.DReps); R > 1 {
		_, v := meanVar(res.DReps)
		res.SE = math.Sqrt(v / float64(R))
	}
	return res, nil
}

// persistence runs replication rep of sc and writes into out each person's
// share of the design's window weeks in which they took part voluntarily
// in some community.
func persistence(ctx context.Context, sc *scenarios.Scenario, rep int, d Design, out []float64) error {
	wd, err := NewWorld(sc, rep, 1)
	if err != nil {
		return err
	}
	defer wd.Close()
	clear(out)
	for t := 1; t <= d.WindowEnd; t++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		wd.Step()
		if t < d.WindowStart {
			continue
		}
		for i := range out {
			for s := 0; s < maxMem; s++ {
				j := i*maxMem + s
				if wd.memC[j] >= 0 && wd.part[j] && !wd.mand[j] {
					out[i]++
					break
				}
			}
		}
	}
	weeks := float64(d.WindowEnd - d.WindowStart + 1)
	for i := range out {
		out[i] /= weeks
	}
	return nil
}

// CohensD is (mean(a) - mean(b)) / pooled standard deviation; NaN when
// the pooled deviation is 0 or either sample has fewer than two values.
func CohensD(a, b []float64) float64 {
	if len(a) < 2 || len(b) < 2 {
		return math.NaN()
	}
	ma, va := meanVar(a)
	mb, vb := meanVar(b)
	na, nb := float64(len(a)), float64(len(b))
	pooled := math.Sqrt(((na-1)*va + (nb-1)*vb) / (na + nb - 2))
	if pooled == 0 {
		return math.NaN()
	}
	return (ma - mb) / pooled
}

// meanVar is the mean and the sample variance of x.
func meanVar(x []float64) (m, v float64) {
	for _, y := range x {
		m += y
	}
	m /= float64(len(x))
	for _, y := range x {
		v += (y - m) * (y - m)
	}
	if len(x) > 1 {
		v /= float64(len(x) - 1)
	}
	return m, v
}

// DeciTarget is one published effect the free-choice paradigm calibrates
// a term of the model against (docs/calibration.md).
type DeciTarget struct {
	Label string                 // the reward in words, with its term
	Short string                 // a figure's category
	Iv    scenarios.Intervention // the reward, as an intervention
	Key   string                 // the parameter that sets its effect on motivation
	D     float64                // Deci, Koestner & Ryan's (1999) free-choice d
}

// DeciTargets are the calibration targets of the reward and control terms:
// Deci, Koestner & Ryan's (1999) free-choice effect sizes, one per reward.
// The tests, the validation suite and the calibration search
// (internal/tools/calibrate) read this one list.
var DeciTargets = []DeciTarget{
	{"individual bonuses: performance-contingent (`crowding_out`)", "bonuses",
		scenarios.Intervention{Kind: scenarios.Rewards, Reward: scenarios.IndividualContribution, Strength: 1},
		"model.motivate.crowding_out", -0.28},
	{"counted in reviews: engagement-contingent (`review_crowding_out`)", "reviews",
		scenarios.Intervention{Kind: scenarios.Rewards, Reward: scenarios.ParticipationRecognition, Strength: 1},
		"model.motivate.review_crowding_out", -0.40},
	{"peer recognition: positive verbal feedback (`recognition`)", "recognition",
		scenarios.Intervention{Kind: scenarios.Rewards, Reward: scenarios.PeerRecognition, Strength: 1},
		"model.motivate.recognition", 0.33},
	{"over-management (`autonomy_loss`), by analogy with engagement-contingent control", "over-management",
		scenarios.Intervention{Kind: scenarios.OverManagement, Strength: 1},
		"model.motivate.autonomy_loss", -0.40},
}
