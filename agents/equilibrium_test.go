package agents

import (
	"testing"

	"github.com/copsim/copsim/scenarios"
)

func TestAtEquilibriumDefinition(t *testing.T) {
	sc, err := scenarios.Load("march1991", []string{"population.people=2", "model.dimensions=4", "model.management.seed_experts=1"})
	if err != nil {
		t.Fatal(err)
	}
	wd := mustWorld(t, &sc, 0, 1)
	defer wd.Close()
	cm := &wd.comms[0]
	// Code = reality on all 4 dimensions, everyone agrees: equilibrium.
	copy(cm.codeKnown, wd.all)
	copy(cm.codeValue, wd.reality)
	for i := 0; i < 2; i++ {
		copy(wd.known[i*wd.w:], wd.all)
		copy(wd.value[i*wd.w:], wd.reality)
	}
	cm.codeScore = 4
	if !wd.atEquilibrium() {
		t.Fatal("full agreement with a perfect code is an equilibrium")
	}
	// A code that is 0 on one dimension and wrong on none: a person with a
	// zero belief there could beat it by a lucky flip (score 3 + 1 zero > 3).
	cm.codeKnown[0] &^= 1
	cm.codeScore = 3
	wd.known[0] &^= 1
	if wd.atEquilibrium() {
		t.Fatal("a person who could still beat the code by luck is not at equilibrium")
	}
	// Person 0 is opposite to the code on a non-zero dimension: not equilibrium.
	copy(cm.codeKnown, wd.all)
	cm.codeScore = 4
	wd.known[0] |= 1
	wd.value[0] ^= 1
	if wd.atEquilibrium() {
		t.Fatal("a belief differing from a non-zero code dimension is not equilibrium")
	}
}
