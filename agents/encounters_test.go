package agents

import (
	"fmt"
	"math"
	"testing"
)

// pickPartner draws partner q with weight (tie + eps) x visibility(L_q),
// counting only live ties to this tick's participants, never oneself
// (retried up to 4 times, then -1). The frequencies over many draws match
// the weights within 5 binomial standard deviations.
func TestPickPartnerWeights(t *testing.T) {
	const i, draws = 0, 200000
	tests := []struct {
		name string
		lpp  bool
		eps  float64
		ties map[int]float32 // i's live ties to participants
	}{
		{"strangers only", true, 0.1, nil},
		{"ties and strangers", true, 0.1, map[int]float32{2: 0.6, 4: 0.3}},
		{"ties only", true, 0, map[int]float32{1: 0.5, 3: 0.2}},
		{"no ties, no strangers: by visibility", true, 0, nil},
		{"without lpp everyone is equally visible", false, 0.1, map[int]float32{2: 0.6}},
	}
	legit := []float64{0.2, 0.9, 0.05, 0.5, 0.7} // person k; person 5 is a member absent this tick
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wd := tinyWorld(t, 8, 1, fmt.Sprintf("model.lpp=%v", tt.lpp), fmt.Sprintf("model.encounter.epsilon=%g", tt.eps))
			for k, l := range legit {
				member(wd, k, 0, 0, l, true)
			}
			member(wd, 5, 0, 0, 0.8, false)
			tie := 0
			for to, w := range tt.ties {
				wd.tieTo[i*maxTies+tie], wd.tieW[i*maxTies+tie], wd.tieGen[i*maxTies+tie] = int32(to), w, wd.arrived[to]
				tie++
			}
			// Ignored: a tie to a member who is absent, and a stale tie to
			// someone who has since been replaced (arrival changed).
			wd.tieTo[i*maxTies+tie], wd.tieW[i*maxTies+tie], wd.tieGen[i*maxTies+tie] = 5, 0.9, wd.arrived[5]
			tie++
			wd.tieTo[i*maxTies+tie], wd.tieW[i*maxTies+tie], wd.tieGen[i*maxTies+tie] = 1, 0.9, wd.arrived[1]+7
			settle(wd)

			weight := make([]float64, len(legit))
			total := 0.0
			for q, l := range legit {
				vis := 1.0
				if tt.lpp {
					vis = wd.mp.Encounter.VisibilityFloor + math.Pow(l, wd.mp.Encounter.Visibility)
				}
				eps := tt.eps
				if tt.eps == 0 && len(tt.ties) == 0 {
					eps = 1 // nothing to weigh: by visibility alone
				}
				weight[q] = (float64(tt.ties[q]) + eps) * vis
				total += weight[q]
			}
			self := weight[i] / total
			want := make([]float64, len(legit)) // chance that q is returned
			for q := range legit {
				if q != i {
					want[q] = weight[q] / total * (1 + self + self*self + self*self*self)
				}
			}
			none := math.Pow(self, 4)

			var ts tieSet
			wd.tiesToward(i, 0, &ts)
			r := wd.eng.Stream(i, purposeEncounter)
			got := make([]int, len(legit))
			missed := 0
			for range draws {
				q, s := wd.pickPartner(i, 0, &ts, &r)
				switch {
				case q < 0:
					missed++
				case q >= len(legit):
					t.Fatalf("drew %d, who does not take part", q)
				case s != 0:
					t.Fatalf("drew slot %d of %d, want 0", s, q)
				default:
					got[q]++
				}
			}
			if got[i] != 0 {
				t.Errorf("drew oneself %d times", got[i])
			}
			for q := range legit {
				within(t, fmt.Sprintf("partner %d", q), got[q], draws, want[q])
			}
			within(t, "no partner", missed, draws, none)
		})
	}
}

// With no participant but oneself there is nobody to meet; a single
// participant who is someone else is met (a boundary encounter's case).
func TestPickPartnerTooFew(t *testing.T) {
	for _, parts := range [][]int{nil, {0}} {
		wd := tinyWorld(t, 4, 1)
		for _, k := range parts {
			member(wd, k, 0, 0, 0.5, true)
		}
		settle(wd)
		var ts tieSet
		wd.tiesToward(0, 0, &ts)
		r := wd.eng.Stream(0, purposeEncounter)
		for range 100 {
			if q, s := wd.pickPartner(0, 0, &ts, &r); q != -1 || s != -1 {
				t.Fatalf("participants %v: drew %d (slot %d), want -1", parts, q, s)
			}
		}
	}
	wd := tinyWorld(t, 4, 1)
	member(wd, 3, 0, 0, 0.5, true)
	settle(wd)
	var ts tieSet
	r := wd.eng.Stream(0, purposeEncounter)
	if q, s := wd.pickPartner(0, 0, &ts, &r); q != 3 || s != 0 {
		t.Errorf("the only participant is 3: drew %d (slot %d), want 3 (slot 0)", q, s)
	}
}

// strengthenTie makes a new tie at tie_gain, strengthens an existing one
// toward 1, replaces the weakest of a full set only if it is weaker than
// tie_gain, and treats a tie to a replaced person as a free slot.
func TestStrengthenTie(t *testing.T) {
	type tie struct {
		to  int32
		w   float32
		gen int32 // offset from the partner's arrival: nonzero is stale
	}
	full := func(w0 float32) []tie {
		ts := make([]tie, maxTies)
		for k := range ts {
			ts[k] = tie{int32(k + 2), 0.5, 0}
		}
		ts[5].w = w0
		return ts
	}
	const gain = float32(0.2)
	tests := []struct {
		name   string
		before []tie
		after  []tie // nil: unchanged
	}{
		{"first tie", nil, []tie{{1, gain, 0}}},
		{"strengthen", []tie{{3, 0.5, 0}, {1, 0.5, 0}}, []tie{{3, 0.5, 0}, {1, 0.5 + gain*(1-0.5), 0}}},
		{"first free slot", []tie{{3, 0.5, 0}, {-1, 0, 0}, {4, 0.5, 0}}, []tie{{3, 0.5, 0}, {1, gain, 0}, {4, 0.5, 0}}},
		{"full, weakest weaker than gain: replaced", full(0.1), func() []tie { ts := full(0.1); ts[5] = tie{1, gain, 0}; return ts }()},
		{"full, weakest as strong as gain: kept", full(gain), nil},
		{"stale tie to the same person is not strengthened", []tie{{3, 0.5, 0}, {1, 0.9, 7}}, []tie{{3, 0.5, 0}, {1, gain, 0}}},
		{"stale tie is a free slot in a full set", func() []tie { ts := full(0.5); ts[2].gen = 7; return ts }(),
			func() []tie { ts := full(0.5); ts[2] = tie{1, gain, 0}; return ts }()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wd := tinyWorld(t, 12, 1, "model.encounter.tie_gain=0.2", "model.encounter.unit_tie_gain=0.9")
			wd.unit[1] = 1 // another unit than 0's: tie_gain applies
			for p := range wd.arrived {
				wd.arrived[p] = int32(p % 3) // arrivals differ, so stale gens are told apart
			}
			settle(wd)
			set := func(ts []tie) {
				for k, x := range ts {
					gen := int32(0)
					if x.to >= 0 {
						gen = wd.arrived[x.to] + x.gen
					}
					wd.tieTo[k], wd.tieW[k], wd.tieGen[k] = x.to, x.w, gen
				}
			}
			set(tt.before)
			want := append([]int32(nil), wd.tieTo[:maxTies]...)
			wantW := append([]float32(nil), wd.tieW[:maxTies]...)
			wantG := append([]int32(nil), wd.tieGen[:maxTies]...)
			if tt.after != nil {
				set(tt.after)
				want, wantW, wantG = append(want[:0], wd.tieTo[:maxTies]...), append(wantW[:0], wd.tieW[:maxTies]...), append(wantG[:0], wd.tieGen[:maxTies]...)
				for k := range maxTies {
					wd.tieTo[k], wd.tieW[k], wd.tieGen[k] = -1, 0, 0
				}
				set(tt.before)
			}
			wd.strengthenTie(0, 1)
			for k := range maxTies {
				if wd.tieTo[k] != want[k] || wd.tieW[k] != wantW[k] || wd.tieGen[k] != wantG[k] {
					t.Errorf("tie %d: to %d weight %g gen %d; want to %d weight %g gen %d",
						k, wd.tieTo[k], wd.tieW[k], wd.tieGen[k], want[k], wantW[k], wantG[k])
				}
			}
			for k := maxTies; k < len(wd.tieTo); k++ {
				if wd.tieTo[k] != -1 {
					t.Fatalf("tie slot %d of another person written", k)
				}
			}
		})
	}
}

// Ties grow at unit_tie_gain between two people of the same formal unit.
func TestStrengthenTieSameUnit(t *testing.T) {
	wd := tinyWorld(t, 3, 1, "model.encounter.tie_gain=0.2", "model.encounter.unit_tie_gain=0.5")
	wd.unit[2] = 1
	settle(wd)
	wd.strengthenTie(0, 1)
	wd.strengthenTie(0, 2)
	wd.strengthenTie(0, 1)
	if wd.tieTo[0] != 1 || math.Abs(float64(wd.tieW[0])-0.75) > 1e-6 {
		t.Errorf("tie to a unit colleague: to %d weight %g, want to 1 weight 0.75 (0.5, then +0.5 x 0.5)", wd.tieTo[0], wd.tieW[0])
	}
	if wd.tieTo[1] != 2 || math.Abs(float64(wd.tieW[1])-0.2) > 1e-6 {
		t.Errorf("tie across units: to %d weight %g, want to 2 weight 0.2", wd.tieTo[1], wd.tieW[1])
	}
}

// decayTies weakens each tie by tie_decay and drops it below the floor,
// only for the people of its chunk.
func TestDecayTies(t *testing.T) {
	wd := tinyWorld(t, 3, 1, "model.encounter.tie_decay=0.02")
	ws := []float32{0.5, 0.0103, 0.0101, 1}
	for p := 0; p < 3; p++ {
		for k, w := range ws {
			wd.tieTo[p*maxTies+k], wd.tieW[p*maxTies+k] = int32((p+1)%3), w
		}
	}
	wd.decayTies(0, 1, 3)
	keep := float32(1 - 0.02)
	for k, w := range ws {
		if wd.tieW[k] != w || wd.tieTo[k] != 1 {
			t.Errorf("person 0, outside the chunk: tie %d changed to %g", k, wd.tieW[k])
		}
		for p := 1; p < 3; p++ {
			to, got := wd.tieTo[p*maxTies+k], wd.tieW[p*maxTies+k]
			switch want := w * keep; {
			case want < tieFloor && (to != -1 || got != 0):
				t.Errorf("person %d tie %d: weight %g to %d, want dropped (%g < %g)", p, k, got, to, want, tieFloor)
			case want >= tieFloor && (got != want || to != int32((p+1)%3)):
				t.Errorf("person %d tie %d: weight %g, want %g", p, k, got, want)
			}
		}
	}
	if wd.tieTo[1*maxTies+1] != int32(2) || wd.tieTo[1*maxTies+2] != -1 {
		t.Errorf("0.0103 decays to %g, kept; 0.0101 to %g, dropped: got %v", 0.0103*keep, 0.0101*keep, wd.tieTo[maxTies:2*maxTies])
	}
	for k := 4; k < maxTies; k++ {
		if wd.tieTo[maxTies+k] != -1 {
			t.Errorf("empty slot %d filled", k)
		}
	}
}

// learnRate is p_lpp from the more legitimate, p_rev from the less, and 0
// from a partner who did no better when require_better is on.
func TestLearnRate(t *testing.T) {
	tests := []struct {
		lpp, better       bool
		mine, theirs      float64
		myPerf, theirPerf int32
		want              float64
	}{
		{true, false, 0.2, 0.8, 0, 0, 0.2},
		{true, false, 0.8, 0.2, 0, 0, 0.05},
		{true, false, 0.5, 0.5, 0, 0, 0.05},
		{false, false, 0.8, 0.2, 0, 0, 0.2},
		{true, true, 0.2, 0.8, 3, 3, 0},
		{true, true, 0.2, 0.8, 3, 4, 0.2},
		{false, true, 0.8, 0.2, 5, 4, 0},
	}
	for _, tt := range tests {
		wd := tinyWorld(t, 2, 1, fmt.Sprintf("model.lpp=%v", tt.lpp), fmt.Sprintf("model.learning.require_better=%v", tt.better),
			"model.learning.from_central=0.2", "model.learning.from_periphery=0.05")
		if got := wd.learnRate(tt.mine, tt.theirs, tt.myPerf, tt.theirPerf); got != tt.want {
			t.Errorf("%+v: %g", tt, got)
		}
	}
}
