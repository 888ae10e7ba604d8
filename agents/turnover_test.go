package agents

import (
	"context"
	"math"
	"testing"

	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// A membership added by boundary activity starts where a newcomer's does
// (submodel 7.15): at the edge with LPP, at the periphery under a support
// team, and full without LPP. Legitimacy once was overwritten with 0 after
// joining, so that without LPP these members stayed outsiders for good.
func TestJoinAnotherStartsLikeANewcomer(t *testing.T) {
	tests := []struct {
		name    string
		lpp     bool
		support float64
		want    func(wd *World) float64
	}{
		{"lpp", true, 0, func(*World) float64 { return 0 }},
		{"lpp with support team", true, 0.5, func(wd *World) float64 { return wd.mp.Roles.Peripheral * 0.5 }},
		{"no lpp", false, 0, func(*World) float64 { return 1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := smallScenario(t, "population.multi_membership=0", "population.communities=3")
			sc.Model.LPP = tt.lpp
			wd := mustWorld(t, &sc, 0, 1)
			defer wd.Close()
			for c := range wd.comms {
				wd.comms[c].eff.boundary, wd.comms[c].eff.support = 1, tt.support
			}
			joined := 0
			for i := 0; i < wd.n; i++ {
				before := wd.memberships(i)
				r := wd.eng.Stream(i, purposeTurnover)
				wd.joinAnother(i, 1, &r)
				if wd.memberships(i) == before {
					continue // drew a community i already belongs to
				}
				joined++
				j := i*maxMem + before // the first free slot
				if got := wd.legit[j]; math.Abs(got-tt.want(wd)) > 1e-12 || wd.ident[j] != got {
					t.Fatalf("person %d joined at legitimacy %g, identity %g; want %g", i, got, wd.ident[j], tt.want(wd))
				}
				if wd.joined[j] != -1 {
					t.Errorf("person %d counted as a newcomer to the organization", i)
				}
			}
			if joined < wd.n/3 {
				t.Fatalf("only %d of %d joined another community", joined, wd.n)
			}
		})
	}
}

// Without LPP nobody is an outsider, also after boundary activity has
// added memberships for 200 ticks.
func TestNoOutsidersWithoutLPP(t *testing.T) {
	sc, err := scenarios.Load("boundary_activity", []string{"population.people=600", "ticks=200", "replications=1", "model.lpp=false"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), sc, sim.Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Rows {
		if r.Outsiders != 0 {
			t.Fatalf("tick %d, %s: %d outsiders without LPP", r.Tick, r.Community, r.Outsiders)
		}
	}
}

// memberships counts person i's memberships.
func (wd *World) memberships(i int) int {
	n := 0
	for s := 0; s < maxMem; s++ {
		if wd.memC[i*maxMem+s] >= 0 {
			n++
		}
	}
	return n
}
