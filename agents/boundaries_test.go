package agents

import (
	"fmt"
	"math"
	"testing"

	"github.com/copsim/copsim/scenarios"
)

// crossBoundaries gives a participant a boundary encounter with chance
// pb = (outside + boundary_events x B + support_boundary x S (+ p_boundary
// for a broker or spanner)) x (1 - closedness of the person's main
// community), in a community drawn uniformly among the C (up to 4
// tries) that the person is not taking part in; it is recorded as a
// boundary encounter there. The shares over many people match within 5
// binomial standard deviations.
func TestCrossBoundariesChance(t *testing.T) {
	const n, C = 3000, 3
	tests := []struct {
		name     string
		outside  float64
		b, s     float64 // effects on community 0
		parts    int     // communities each person takes part in: 0..parts-1
		spanner  bool
		closed   float64 // closedness of community 0
		pb       float64
		wantNone bool
	}{
		{"nothing going on", 0, 0, 0, 1, false, 0, 0, true},
		{"informal contacts", 0.1, 0, 0, 1, false, 0, 0.1, false},
		{"cross-community events", 0, 1, 0, 1, false, 0, 0.3, false},
		{"support team", 0, 0, 0.5, 1, false, 0, 0.2 * 0.5, false},
		{"spanner", 0, 0.5, 0, 1, true, 0, 0.3*0.5 + 0.25, false},
		{"broker", 0, 0, 0, 2, false, 0, 0.25, false},
		{"closed community", 0.1, 1, 0, 1, false, 0.6, (0.1 + 0.3) * 0.4, false},
		{"closed shut", 0.1, 1, 0, 1, false, 1, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wd := tinyWorld(t, n+1, C, "model.encounter.boundary=0.25", "model.management.boundary_events=0.3",
				"model.management.support_boundary=0.2", "model.management.boundary_spanners=1")
			wd.comms[0].eff[scenarios.LeverBoundary], wd.comms[0].eff[scenarios.LeverSupport] = tt.b, tt.s
			wd.mp.Encounter.Outside, wd.comms[0].closedness = tt.outside, tt.closed
			for i := range n {
				for c := range tt.parts {
					member(wd, i, c, c, 0.5, true)
				}
				member(wd, i, 3, C-1, 0.5, false) // a member of the last community, absent
				wd.spanU[i] = 1
				if tt.spanner {
					wd.spanU[i] = 0
				}
			}
			// Someone to meet in every community; also a non-participant
			// who must never have a boundary encounter.
			for c := range C {
				member(wd, n, c, c, 0.5, true)
			}
			member(wd, 0, 0, 0, 0.5, false)
			if tt.parts > 1 {
				member(wd, 0, 1, 1, 0.5, false)
			}
			settle(wd)
			wd.crossBoundaries(0, 0, n)
			met := 0
			wd.eachEncounter(func(i int, e encEntry) {
				if i == 0 {
					t.Fatal("a person taking part nowhere crossed a boundary")
				}
				if c := int(e.c); c < tt.parts || !e.boundary() || e.to != n {
					t.Fatalf("person %d met %d in community %d (boundary %v); want %d, boundary, a community beyond %d",
						i, e.to, c, e.boundary(), n, tt.parts-1)
				}
				met++
			})
			for i := range n {
				if wd.encN[i] > 1 {
					t.Fatalf("person %d crossed %d times", i, wd.encN[i])
				}
			}
			p := tt.pb * (1 - math.Pow(float64(tt.parts)/C, 4))
			within(t, fmt.Sprintf("boundary encounters (pb %g)", tt.pb), met, n-1, p)
		})
	}
}

// A participant learns from the boundary partner: with p_lpp = 1 and an
// outsider's legitimacy, i takes the partner's beliefs on the other
// community's domain, and only there.
func TestCrossBoundariesLearns(t *testing.T) {
	wd := tinyWorld(t, 2, 2, "model.encounter.boundary=1", "model.learning.from_central=1",
		"model.learning.require_better=false", "model.dimensions=20", "model.management.boundary_spanners=0")
	wd.comms[1].domain = Mask(wd.w, 10, 20)
	member(wd, 0, 0, 0, 0.5, true)
	member(wd, 0, 1, 1, 0.5, false) // a member of 1 who is absent: pb counts one participation
	member(wd, 1, 0, 1, 0.9, true)
	wd.mp.Encounter.Boundary, wd.mp.Management.BoundaryEvents = 0, 1
	wd.comms[0].eff[scenarios.LeverBoundary] = 1
	kn, v := crossOnce(t, wd)
	if right, wrong := Tally(kn, v, wd.reality, wd.all); right != 10 || wrong != 0 || wd.learned[0] != 10 {
		t.Errorf("learned %d right, %d wrong (counted %d); want the 10 of community 1's domain", right, wrong, wd.learned[0])
	}
	if got := Knowledge(kn, v, wd.reality, wd.comms[1].domain); got != 1 {
		t.Errorf("knowledge of community 1's domain %g, want 1", got)
	}
}

// A member of a closed community discounts what it hears outside (not
// invented here): each dimension is adopted with p x (1 - closedness).
// The encounter makes or strengthens a tie to the partner.
func TestCrossBoundariesNotInventedHere(t *testing.T) {
	const m = 256
	for _, closed := range []float64{0, 0.5, 0.9} {
		t.Run(fmt.Sprint("closedness ", closed), func(t *testing.T) {
			wd := tinyWorld(t, 2, 2, "model.learning.from_central=1", "model.learning.require_better=false",
				fmt.Sprintf("model.dimensions=%d", m), "model.management.boundary_spanners=0")
			wd.mp.Encounter.Boundary, wd.mp.Encounter.Outside, wd.mp.Management.BoundaryEvents = 0, 0, 1
			wd.comms[0].eff[scenarios.LeverBoundary], wd.comms[0].closedness = 1, closed
			member(wd, 0, 0, 0, 0.5, true)
			member(wd, 1, 0, 1, 0.9, true)
			kn, v := crossOnce(t, wd)
			right, _ := Tally(kn, v, wd.reality, wd.all)
			within(t, "dimensions adopted", right, m, 1-closed)
			if wd.tieTo[0] != 1 || wd.tieGen[0] != wd.arrived[1] {
				t.Errorf("tie slot 0: to %d gen %d; want a tie to the boundary partner 1", wd.tieTo[0], wd.tieGen[0])
			}
		})
	}
}

// crossOnce sets up a boundary encounter of person 0 (who knows nothing)
// with person 1 (who is right everywhere), then runs the phase tick after
// tick until 0 has crossed once: the 4 tries may all draw 0's own
// community, and closure may lower the chance. It returns 0's beliefs.
func crossOnce(t *testing.T, wd *World) (known, value []uint64) {
	t.Helper()
	settle(wd)
	sk, sv := wd.snapOf(1)
	copy(sk, wd.all)
	copy(sv, wd.reality)
	known, value = wd.beliefs(0)
	clear(known)
	clear(value)
	for tries := 0; wd.encN[0] == 0; tries++ {
		if tries == 200 {
			t.Fatal("no boundary encounter in 200 ticks")
		}
		advance(t, wd, 1)
		wd.crossBoundaries(0, 0, 1)
	}
	return known, value
}
