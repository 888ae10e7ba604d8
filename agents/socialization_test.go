package agents

import (
	"fmt"
	"testing"

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
