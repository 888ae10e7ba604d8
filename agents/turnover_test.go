package agents

import (
	"context"
	"fmt"
	"math"
	"slices"
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
		{"lpp with a full support team", true, 1, func(wd *World) float64 { return wd.mp.Roles.Peripheral }},
		{"no lpp", false, 0, func(*World) float64 { return 1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := smallScenario(t, "population.multi_membership=0", "population.communities=3")
			sc.Model.LPP = tt.lpp
			wd := mustWorld(t, &sc, 0, 1)
			defer wd.Close()
			for c := range wd.comms {
				wd.comms[c].eff[scenarios.LeverBoundary], wd.comms[c].eff[scenarios.LeverSupport] = 1, tt.support
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

// turnover with p3 = 1 replaces everyone by a newcomer: arrived now, new
// memberships at a newcomer's legitimacy, no ties; the newcomers are
// counted per community of their memberships. With p3 = 0 nothing changes.
func TestTurnover(t *testing.T) {
	for _, p3 := range []float64{0, 1} {
		t.Run(fmt.Sprint("p3=", p3), func(t *testing.T) {
			const n = 40
			wd := tinyWorld(t, n, 3, fmt.Sprint("model.turnover=", p3), "population.multi_membership=0.5",
				"model.management.boundary_join=0")
			advance(t, wd, 3)
			for i := range n {
				member(wd, i, 0, i%3, 0.7, true)
				wd.tieTo[i*maxTies] = int32((i + 1) % n)
			}
			known := append([]uint64(nil), wd.known...)
			wd.clearNewcomers()
			wd.turnover(0, 0, n)
			wd.countNewcomers()
			if p3 == 0 {
				for i := range n {
					if wd.memC[i*maxMem] != int16(i%3) || wd.legit[i*maxMem] != 0.7 || wd.tieTo[i*maxTies] < 0 || wd.arrived[i] != -1 {
						t.Fatalf("person %d changed without turnover", i)
					}
				}
				if !slices.Equal(known, wd.known) || wd.acc[0].arrivals != 0 || slices.Max(wd.newcomers) != 0 {
					t.Fatal("beliefs or counts changed without turnover")
				}
				return
			}
			want := make([]int, 3)
			for i := range n {
				if wd.arrived[i] != 3 {
					t.Errorf("person %d arrived at %d, want 3", i, wd.arrived[i])
				}
				for k := i * maxTies; k < (i+1)*maxTies; k++ {
					if wd.tieTo[k] != -1 {
						t.Errorf("person %d kept a tie", i)
					}
				}
				for s := range maxMem {
					j := i*maxMem + s
					if c := wd.memC[j]; c >= 0 {
						want[c]++
						if wd.legit[j] != 0 || wd.joined[j] != 3 || wd.toActive[j] != -1 || wd.part[j] {
							t.Errorf("membership %d: legitimacy %g, joined %d, active at %d, part %v; want a newcomer's",
								j, wd.legit[j], wd.joined[j], wd.toActive[j], wd.part[j])
						}
					}
				}
			}
			if !slices.Equal(wd.newcomers, want) {
				t.Errorf("newcomers per community %v, want %v", wd.newcomers, want)
			}
			if a := wd.acc[0]; a.arrivals != n || a.newMemberships != want[0]+want[1]+want[2] {
				t.Errorf("%d arrivals, %d memberships; want %d, %d", a.arrivals, a.newMemberships, n, want[0]+want[1]+want[2])
			}
		})
	}
}

// join sets a membership's start: founders at a uniform legitimacy below
// initial_legitimacy, newcomers at 0 (outsiders) or, under a support team,
// at roles.peripheral (the periphery) with probability e_support, and
// everyone at 1 without LPP; identity equals legitimacy; founders are not
// counted as newcomers.
func TestJoin(t *testing.T) {
	tests := []struct {
		name         string
		lpp, founder bool
		support      float64
		lo, hi       float64 // legitimacy in [lo, hi]
	}{
		{"founder", true, true, 0, 0, 0.2},
		{"newcomer", true, false, 0, 0, 0},
		{"newcomer with full support", true, false, 1, 0.03, 0.03},
		{"newcomer with half support", true, false, 0.5, 0, 0.03},
		{"founder without lpp", false, true, 0, 1, 1},
		{"newcomer without lpp", false, false, 0.5, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wd := tinyWorld(t, 50, 2, fmt.Sprint("model.lpp=", tt.lpp), "population.initial_legitimacy=0.2", "model.roles.peripheral=0.03")
			advance(t, wd, 4)
			wd.comms[1].eff[scenarios.LeverSupport] = tt.support
			r := wd.eng.Stream(0, purposeNewcomer)
			spread, atPeriphery := 0.0, 0
			for i := range wd.n {
				wd.join(i, 1, 1, &r, tt.founder)
				j := i*maxMem + 1
				l := wd.legit[j]
				if l < tt.lo || l > tt.hi || (tt.founder && tt.lpp && l >= tt.hi) || wd.memC[j] != 1 || wd.ident[j] != l {
					t.Fatalf("person %d: community %d, legitimacy %g, identity %g; want in [%g, %g]", i, wd.memC[j], l, wd.ident[j], tt.lo, tt.hi)
				}
				want := int32(4)
				if tt.founder {
					want = -1
				}
				if wd.joined[j] != want || wd.toActive[j] != -1 || wd.toCore[j] != -1 || wd.partEMA[j] != 0 {
					t.Fatalf("person %d: joined %d, careers %d %d; want joined %d", i, wd.joined[j], wd.toActive[j], wd.toCore[j], want)
				}
				spread = max(spread, l)
				if l == 0.03 {
					atPeriphery++
				} else if tt.lpp && !tt.founder && tt.support > 0 && l != 0 {
					t.Fatalf("person %d: legitimacy %g under a support team; want 0 or the periphery (0.03)", i, l)
				}
			}
			if tt.lpp && tt.support == 0.5 {
				within(t, "newcomers brought in at the periphery", atPeriphery, wd.n, 0.5)
			}
			if tt.founder && tt.lpp && spread < 0.15 {
				t.Errorf("founders' legitimacy at most %g: not uniform below 0.2", spread)
			}
		})
	}
}

// newPerson puts a person's first membership in the community aligned
// with their unit (unit mod C) with probability unit_alignment, and
// founders and newcomers apart by their arrival.
func TestNewPersonUnitAlignment(t *testing.T) {
	const n, C = 400, 3
	for _, align := range []float64{0, 1} {
		wd := tinyWorld(t, n, C, fmt.Sprint("population.unit_alignment=", align), "population.units=5")
		advance(t, wd, 2)
		aligned := 0
		for i := range n {
			r := wd.eng.Stream(i, purposeNewcomer)
			wd.newPerson(i, &r, i%2 == 0)
			if int(wd.memC[i*maxMem]) == int(wd.unit[i])%C {
				aligned++
			}
			if want := map[bool]int32{true: -1, false: 2}[i%2 == 0]; wd.arrived[i] != want {
				t.Fatalf("person %d (founder %v) arrived %d, want %d", i, i%2 == 0, wd.arrived[i], want)
			}
			if wd.memberships(i) != 1 {
				t.Fatalf("person %d has %d memberships without multi-membership", i, wd.memberships(i))
			}
		}
		if align == 1 && aligned != n {
			t.Errorf("alignment 1: %d of %d in their unit's community", aligned, n)
		}
		if align == 0 {
			within(t, "aligned by chance", aligned, n, 1.0/C)
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
