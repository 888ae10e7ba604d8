package agents

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// With motivation on, a member takes part with probability
// clamp(time_eff) x clamp(drive) (docs/model.md 7.2); the shares over many
// people match within 5 binomial standard deviations.
func TestEngageProbability(t *testing.T) {
	const n = 4000
	tests := []struct {
		name                        string
		load, motiv, ident, legit   float64
		over, ind, rec, pen, legitz float64
	}{
		{"no interventions", 0.3, 0.4, 0.2, 0.5, 0, 0, 0, 0, 0},
		{"over-management", 0.3, 0.4, 0.2, 0.5, 0.6, 0, 0, 0, 0},
		{"rewards", 0.5, 0.1, 0.1, 0.8, 0, 0.7, 0.4, 0.5, 0},
		{"legitimized time", 0.9, 0.5, 0.5, 0.5, 0, 0, 0, 0, 1},
		{"drive above 1 is clamped", 0.2, 1, 1, 1, 0, 0, 0, 0, 0},
		{"drive below 0 is clamped", 0.2, 0, 0, 0, 0, 0, 0, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wd := tinyWorld(t, n, 2, "model.motivation=true")
			e := &wd.comms[1].eff
			e[scenarios.LeverOverManagement], e[scenarios.LeverIndividualReward], e[scenarios.LeverRecognition], e[scenarios.LeverPenalty], e[scenarios.LeverLegitimize] = tt.over, tt.ind, tt.rec, tt.pen, tt.legitz
			for i := range n {
				wd.load[i], wd.motiv[i] = tt.load, tt.motiv
				member(wd, i, 2, 1, tt.legit, false)
				wd.ident[i*maxMem+2] = tt.ident
			}
			eg, mg := &wd.mp.Engagement, &wd.mp.Management
			timeEff := (1 - tt.load*(1-mg.TimeGiven*tt.legitz)) * (1 - mg.Overhead*tt.over)
			drive := eg.MotivationWeight*tt.motiv + eg.IdentityWeight*tt.ident +
				eg.ExtrinsicWeight*(tt.ind*tt.legit+tt.rec-mg.Penalty*tt.pen) + eg.ForcedWeight*tt.over
			p := math.Min(1, math.Max(0, timeEff)) * math.Min(1, math.Max(0, drive))

			wd.engage(0, 0, n)
			took := 0
			for i := range n {
				j := i*maxMem + 2
				if wd.part[j] {
					took++
				}
				if got := wd.look[i].part&(1<<2) != 0; got != wd.part[j] {
					t.Fatalf("person %d: lookup says part %v, membership %v", i, got, wd.part[j])
				}
				for s := 0; s < maxMem; s++ {
					if s != 2 && wd.part[i*maxMem+s] {
						t.Fatalf("person %d takes part through empty slot %d", i, s)
					}
				}
			}
			within(t, "participants", took, n, p)
			if got := int(wd.acc[0].liveParticipants[1]); got != took {
				t.Errorf("counted %d participants of community 1, want %d", got, took)
			}
		})
	}
}

// Without motivation every member takes part, outsiders included, and
// performance is the action's score on the community's domain.
func TestEngageWithoutMotivation(t *testing.T) {
	wd := tinyWorld(t, 6, 2, "model.motivation=false")
	for i := range 6 {
		member(wd, i, 0, i%2, float64(i)/10, false)
		if i < 3 {
			member(wd, i, 3, 1-i%2, 0, false)
		}
	}
	wd.engage(0, 0, 6)
	for j, c := range wd.memC {
		if got := wd.part[j]; got != (c >= 0) {
			t.Errorf("membership %d in community %d: takes part %v", j, c, got)
		}
		if c < 0 {
			continue
		}
		i := j / maxMem
		if want := int16(ActionScore(wd.act[i*wd.w:(i+1)*wd.w], wd.reality, wd.comms[c].domain)); wd.perf[j] != want {
			t.Errorf("membership %d: performance %d, want %d", j, wd.perf[j], want)
		}
	}
}

// recordParticipation moves each membership's participation average by
// 1/window toward 1 when it took part, toward 0 otherwise.
func TestRecordParticipation(t *testing.T) {
	wd := tinyWorld(t, 2, 1, "model.stage.window=4")
	member(wd, 0, 0, 0, 0.5, true)
	member(wd, 1, 0, 0, 0.5, false)
	wd.partEMA[0], wd.partEMA[maxMem] = 0.2, 0.2
	wd.recordParticipation(0, 0, 2)
	if got, want := wd.partEMA[0], 0.2+(1-0.2)/4; math.Abs(got-want) > 1e-15 {
		t.Errorf("took part: %g, want %g", got, want)
	}
	if got, want := wd.partEMA[maxMem], 0.2-0.2/4; math.Abs(got-want) > 1e-15 {
		t.Errorf("absent: %g, want %g", got, want)
	}
}

// visibility is floor + L^gamma with LPP, 1 without.
func TestVisibility(t *testing.T) {
	for _, tt := range []struct {
		lpp   bool
		gamma float64
		l     float64
		want  float64
	}{
		{true, 1, 0.5, 0.1 + 0.5},
		{true, 2, 0.5, 0.1 + 0.25},
		{true, 1, 0, 0.1},
		{false, 2, 0.5, 1},
	} {
		wd := tinyWorld(t, 2, 1, fmt.Sprintf("model.lpp=%v", tt.lpp), fmt.Sprintf("model.encounter.visibility=%g", tt.gamma),
			"model.encounter.visibility_floor=0.1")
		if got := wd.visibility(tt.l); math.Abs(got-tt.want) > 1e-15 {
			t.Errorf("%+v: %g", tt, got)
		}
	}
}

// Participation splits into voluntary and mandated: mandated only under
// over-management with compliance, and the two add up to the total in
// every row.
func TestVoluntaryAndMandatedParticipation(t *testing.T) {
	for _, tc := range []struct {
		name     string
		sets     []string
		over     bool
		mandated bool
	}{
		{"baseline", nil, false, false},
		{"over-management", nil, true, true},
		{"over-management without compliance", []string{"model.engagement.forced_weight=0"}, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := smallScenario(t, append([]string{"ticks=30", "replications=2"}, tc.sets...)...)
			if tc.over {
				sc.Interventions = []scenarios.Intervention{{Kind: scenarios.OverManagement, Strength: 1}}
			}
			res, err := Run(context.Background(), sc, sim.Options{Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			mand := 0.0
			for _, r := range res.Rows {
				if r.Members == 0 {
					continue
				}
				if d := r.VoluntaryParticipation + r.MandatedParticipation - r.ParticipationRate; math.Abs(d) > 1e-12 {
					t.Fatalf("tick %d %s: voluntary %v + mandated %v != participation %v", r.Tick, r.Community,
						r.VoluntaryParticipation, r.MandatedParticipation, r.ParticipationRate)
				}
				mand += r.MandatedParticipation
			}
			if (mand > 0) != tc.mandated {
				t.Errorf("mandated participation summed to %v, want it above 0: %v", mand, tc.mandated)
			}
		})
	}
}

// TestSearchVisMatchesBinarySearch checks that the guide table finds, for
// every draw, the participant a binary search of the cumulative
// visibilities finds: pickPartner's draws must not change.
func TestSearchVisMatchesBinarySearch(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	widths := []struct {
		name string
		vis  func() float64
	}{
		{"uniform", func() float64 { return 1 }},
		{"spread", func() float64 { return 0.05 + r.Float64() }},
		{"zeros among them", func() float64 {
			if r.IntN(3) == 0 {
				return 0
			}
			return r.Float64()
		}},
		{"one heavy", func() float64 {
			if r.IntN(50) == 0 {
				return 1000
			}
			return 0.001
		}},
		{"all zero", func() float64 { return 0 }},
	}
	for _, w := range widths {
		for _, np := range []int{1, 2, 3, 10, 257} {
			var cm community
			total := 0.0
			for k := 0; k < np; k++ {
				total += w.vis()
				cm.visCum = append(cm.visCum, total)
			}
			cm.buildGuide(make([]int32, np))
			xs := []float64{0, total, total * (1 + 1e-12), -1, math.Inf(1), math.NaN()}
			for k := 0; k < np; k++ {
				xs = append(xs, cm.visCum[k], math.Nextafter(cm.visCum[k], -1), math.Nextafter(cm.visCum[k], 2*total+1))
			}
			for d := 0; d < 2000; d++ {
				xs = append(xs, r.Float64()*total)
			}
			for _, x := range xs {
				if got, want := cm.searchVis(x), sort.SearchFloat64s(cm.visCum, x); got != want {
					t.Fatalf("%s, %d participants: searchVis(%v) = %d, binary search %d", w.name, np, x, got, want)
				}
			}
		}
	}
}
