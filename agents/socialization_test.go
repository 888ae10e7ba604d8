package agents

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/copsim/copsim/scenarios"
)

// learn moves a participant one step toward the code on each dimension
// with probability p1 x L (p1 without LPP): with p1 = 1 and L = 1 a
// belief opposite to the code becomes 0, then the code's. Members who did
// not take part are not socialized.
func TestLearnSocializes(t *testing.T) {
	tests := []struct {
		name  string
		lpp   bool
		l     float64
		part  bool
		moves bool
	}{
		{"participant at the core", true, 1, true, true},
		{"absent", true, 1, false, false},
		{"outsider under lpp", true, 0, true, false},
		{"outsider without lpp", false, 0, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wd := tinyWorld(t, 1, 1, fmt.Sprintf("model.lpp=%v", tt.lpp), "model.socialization=1", "model.learning.exploration=0")
			cm := &wd.comms[0]
			copy(cm.codeKnown, wd.all)
			copy(cm.codeValue, wd.reality)
			kn, v := wd.beliefs(0)
			copy(kn, wd.all)
			for w := range v {
				v[w] = ^wd.reality[w] & wd.all[w] // wrong everywhere
			}
			member(wd, 0, 0, 0, tt.l, tt.part)
			wd.learn(0, 0, 1)
			right, wrong := Tally(kn, v, wd.reality, wd.all)
			if !tt.moves {
				if right != 0 || wrong != wd.m || wd.learned[0] != 0 {
					t.Fatalf("changed: %d right, %d wrong, learned %d", right, wrong, wd.learned[0])
				}
				return
			}
			if right != 0 || wrong != 0 || wd.learned[0] != 0 {
				t.Fatalf("first step: %d right, %d wrong, learned %d; want all zero", right, wrong, wd.learned[0])
			}
			wd.learn(0, 0, 1)
			if right, wrong = Tally(kn, v, wd.reality, wd.all); right != wd.m || wrong != 0 || int(wd.learned[0]) != wd.m {
				t.Fatalf("second step: %d right, %d wrong, learned %d; want %d right and learned", right, wrong, wd.learned[0], wd.m)
			}
		})
	}
}

// Practice: with probability exploration x (1 - scrutiny x e_over) a
// person tests one dimension and learns its truth; it is not counted as
// learned from the community.
func TestLearnExplores(t *testing.T) {
	for _, tt := range []struct {
		over float64
		want int // dimensions known afterwards
	}{{0, 1}, {1, 0}} {
		wd := tinyWorld(t, 1, 1, "model.learning.exploration=1", "model.learning.explore_error=0", "model.management.scrutiny_explore=1")
		wd.comms[0].eff[scenarios.LeverOverManagement] = tt.over
		member(wd, 0, 0, 0, 1, false)
		kn, v := wd.beliefs(0)
		clear(kn)
		clear(v)
		wd.learn(0, 0, 1)
		right, wrong := Tally(kn, v, wd.reality, wd.all)
		if right != tt.want || wrong != 0 || wd.learned[0] != 0 {
			t.Errorf("e_over %g: %d right, %d wrong, learned %d; want %d right", tt.over, right, wrong, wd.learned[0], tt.want)
		}
	}
}

// learnerRate picks group g when u falls in its share; shares a rounding
// short of 1 give the rest to the last group.
func TestLearnerRate(t *testing.T) {
	g := func(share, rate float64) scenarios.LearnerGroup {
		return scenarios.LearnerGroup{Share: share, Rate: rate}
	}
	fig2 := []scenarios.LearnerGroup{g(0.5, 0.1), g(0.5, 0.9)}
	short := []scenarios.LearnerGroup{g(0.3, 0.2), g(0.7-1e-12, 0.6)}
	for _, tt := range []struct {
		mix  []scenarios.LearnerGroup
		u    float64
		want float64
	}{
		{fig2, 0, 0.1},
		{fig2, 0.4999, 0.1},
		{fig2, 0.5, 0.9},
		{fig2, 0.9999, 0.9},
		{short, 0.29, 0.2},
		{short, 0.3, 0.6},
		{short, 1 - 1e-13, 0.6},
		{[]scenarios.LearnerGroup{g(1, 0.4)}, 0.7, 0.4},
	} {
		if got := learnerRate(tt.mix, tt.u); got != tt.want {
			t.Errorf("learnerRate(%v, %v) = %v, want %v", tt.mix, tt.u, got, tt.want)
		}
	}
	if got := learnerRate(nil, 0.5); !math.IsNaN(got) {
		t.Errorf("learnerRate(nil) = %v, want NaN", got)
	}
}

// With a mix, learn uses the person's own rate, not model.socialization.
func TestLearnUsesOwnRate(t *testing.T) {
	for _, tt := range []struct {
		sets  []string
		moves bool
	}{
		{[]string{"model.socialization=1"}, true},
		{[]string{"model.socialization=1", "model.socialization_mix=[{share: 1, rate: 0}]"}, false},
		{[]string{"model.socialization=0", "model.socialization_mix=[{share: 1, rate: 1}]"}, true},
	} {
		wd := tinyWorld(t, 1, 1, append([]string{"model.lpp=false", "model.learning.exploration=0"}, tt.sets...)...)
		cm := &wd.comms[0]
		copy(cm.codeKnown, wd.all)
		copy(cm.codeValue, wd.reality)
		kn, v := wd.beliefs(0)
		clear(kn) // unknown everywhere: one step to the code
		clear(v)
		member(wd, 0, 0, 0, 1, true)
		wd.learn(0, 0, 1)
		right, _ := Tally(kn, v, wd.reality, wd.all)
		if moved := right > 0; moved != tt.moves {
			t.Errorf("%v: %d dimensions learned, want moved=%v", tt.sets, right, tt.moves)
		}
	}
}

// Founders and newcomers alike draw their rate from the mix, in its
// proportions; without a mix no rate is kept.
func TestMixDrawsEveryone(t *testing.T) {
	if wd := tinyWorld(t, 10, 1); wd.rate != nil {
		t.Fatalf("a world without a mix keeps rates: %v", wd.rate)
	}
	const n = 4000
	wd := tinyWorld(t, n, 1, "model.socialization_mix=[{share: 0.3, rate: 0.2}, {share: 0.7, rate: 0.8}]", "model.turnover=1")
	count := func() (slow int) {
		for _, r := range wd.rate {
			switch r {
			case 0.2:
				slow++
			case 0.8:
			default:
				t.Fatalf("rate %v is not in the mix", r)
			}
		}
		return slow
	}
	founders := slices.Clone(wd.rate)
	if slow := count(); slow < n*0.3-150 || slow > n*0.3+150 {
		t.Errorf("%d of %d founders are slow, want about %d", slow, n, n*3/10)
	}
	wd.Step() // everyone leaves and is replaced
	if slow := count(); slow < n*0.3-150 || slow > n*0.3+150 {
		t.Errorf("%d of %d newcomers are slow, want about %d", slow, n, n*3/10)
	}
	if slices.Equal(founders, wd.rate) {
		t.Error("newcomers kept their predecessors' rates")
	}
}

// With a spread, founders and newcomers draw their own rates from a Beta
// with mean model.socialization and the standard deviation the docs give,
// √(p1(1−p1)·s/(1+s)).
func TestSpreadDrawsEveryone(t *testing.T) {
	const n = 4000
	for _, tt := range []struct {
		p1, spread float64
	}{
		{0.5, 0.25},
		{0.5, 1},
		{0.2, 0.5},
	} {
		wd := tinyWorld(t, n, 1, fmt.Sprintf("model.socialization=%g", tt.p1),
			fmt.Sprintf("model.socialization_spread=%g", tt.spread), "model.turnover=1")
		wantSD := math.Sqrt(tt.p1 * (1 - tt.p1) * tt.spread / (1 + tt.spread))
		check := func(who string) {
			mean, sd := stat.MeanStdDev(wd.rate, nil)
			// The standard error of the mean is sd/√n ≈ 0.006 at most.
			if math.Abs(mean-tt.p1) > 0.025 || math.Abs(sd-wantSD) > 0.025 {
				t.Errorf("p1 %g spread %g, %s: rates have mean %.3f sd %.3f, want %.3f and %.3f",
					tt.p1, tt.spread, who, mean, sd, tt.p1, wantSD)
			}
			for _, r := range wd.rate {
				if !(r >= 0 && r <= 1) {
					t.Fatalf("%s: rate %v outside [0, 1]", who, r)
				}
			}
		}
		check("founders")
		founders := slices.Clone(wd.rate)
		wd.Step() // everyone leaves and is replaced
		check("newcomers")
		if slices.Equal(founders, wd.rate) {
			t.Error("newcomers kept their predecessors' rates")
		}
	}
}
