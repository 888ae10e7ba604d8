package agents

import (
	"math"
	"testing"
)

// The E-I index of a hand-built tick of encounters: external minus
// internal over all, where an encounter is internal to the organization
// when the two share a community, and counted by each community of the
// two: internal for i's communities that the partner also belongs to,
// external otherwise.
func TestMeasureEIIndex(t *testing.T) {
	wd := tinyWorld(t, 5, 3, "model.encounter.partners=2")
	// p0 {c0}, p1 {c0}, p2 {c1}, p3 {c0, c1}, p4 {c2}; legitimacy is no
	// matter (p1 is an outsider of c0).
	member(wd, 0, 0, 0, 0.5, true)
	member(wd, 1, 0, 0, 0, true)
	member(wd, 2, 0, 1, 0.5, true)
	member(wd, 3, 0, 0, 0.5, true)
	member(wd, 3, 1, 1, 0.5, true)
	member(wd, 4, 0, 2, 0.5, true)
	wd.keepMemberships()
	for _, e := range []struct {
		i, to, c int
		boundary bool
	}{
		{0, 1, 0, false}, // org I; c0 I
		{0, 2, 1, true},  // org E; c0 E (p0's), c1 E (p2's)
		{2, 3, 1, false}, // org I; c1 I (p2's), c0 E (p3's c0, which p2 lacks)
		{3, 4, 2, true},  // org E; c0 E, c1 E (p3's), c2 E (p4's)
		{1, 3, 0, false}, // org I; c0 I (p1's), c1 E (p3's c1, which p1 lacks)
	} {
		wd.record(e.i, e.to, e.c, e.boundary)
	}
	rows := wd.Measure()
	tests := []struct {
		row        int
		ei, share  float64
		encounters int
	}{
		{0, (3.0 - 2) / 5, 0, 2},       // c0: 2 internal, 3 external; hosts e1, e5
		{1, (3.0 - 1) / 4, 0.5, 2},     // c1: 1 internal, 3 external; hosts e2 (boundary), e3
		{2, 1, 1, 1},                   // c2: 1 external; hosts e4 (boundary)
		{3, (2.0 - 3) / 5, 2.0 / 5, 5}, // all: 3 internal, 2 external
	}
	for _, tt := range tests {
		r := rows[tt.row]
		if math.Abs(r.EIIndex-tt.ei) > 1e-12 || math.Abs(r.BoundaryShare-tt.share) > 1e-12 || r.Encounters != tt.encounters {
			t.Errorf("%s: E-I %g, boundary share %g, encounters %d; want %g, %g, %d",
				r.Community, r.EIIndex, r.BoundaryShare, r.Encounters, tt.ei, tt.share, tt.encounters)
		}
	}
	// Turnover replaces p2 by a newcomer of c2 after the encounters: they
	// are still classified by who met, so the E-I indices do not move.
	wd.memC[2*maxMem] = 2
	for k, r := range wd.Measure() {
		if r.EIIndex != rows[k].EIIndex {
			t.Errorf("%s: E-I %g after p2 was replaced, %g before", r.Community, r.EIIndex, rows[k].EIIndex)
		}
	}
}

// Without encounters the E-I index is undefined (NA), not 0 ("balanced").
func TestMeasureEIIndexWithoutEncounters(t *testing.T) {
	wd := tinyWorld(t, 4, 2)
	member(wd, 0, 0, 0, 0.5, true)
	member(wd, 1, 0, 1, 0.5, true)
	wd.keepMemberships()
	for _, r := range wd.Measure() {
		if !math.IsNaN(r.EIIndex) {
			t.Errorf("%s: E-I %g without encounters, want NaN", r.Community, r.EIIndex)
		}
	}
}

// diversityOf is 0 when everyone agrees and 1 for an even split of +1, -1
// and 0 on every dimension.
func TestDiversityOf(t *testing.T) {
	tests := []struct {
		name        string
		plus, minus []int32
		n           int
		want        float64
	}{
		{"all agree +1", []int32{9, 9}, []int32{0, 0}, 9, 0},
		{"all zero", []int32{0, 0}, []int32{0, 0}, 9, 0},
		{"even split", []int32{3, 3}, []int32{3, 3}, 9, 1},
		{"half split, half agree", []int32{3, 9}, []int32{3, 0}, 9, 0.5},
		{"two ways", []int32{5}, []int32{5}, 10, (1 - 0.25 - 0.25) / (2.0 / 3)},
		{"nobody", []int32{0}, []int32{0}, 0, 0},
		{"no dimension", nil, nil, 5, 0},
	}
	for _, tt := range tests {
		if got := diversityOf(tt.plus, tt.minus, tt.n); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: %g, want %g", tt.name, got, tt.want)
		}
	}
}

func TestGini(t *testing.T) {
	var equal, unequal [giniBins]int32
	equal[100] = 50
	unequal[0], unequal[giniBins-1] = 90, 10
	if g := giniOf(&equal); math.Abs(g) > 1e-9 {
		t.Errorf("equal participation: Gini %v, want 0", g)
	}
	if g := giniOf(&unequal); g < 0.85 || g > 0.91 {
		t.Errorf("10 %% do everything: Gini %v, want about 0.89", g)
	}
}

// histMedian is the middle duration of a histogram, the mean of the two
// middle ones for an even count, NaN when empty.
func TestHistMedian(t *testing.T) {
	tests := []struct {
		h    []int64
		want float64
	}{
		{[]int64{0, 0, 0}, math.NaN()},
		{[]int64{0, 1}, 1},
		{[]int64{1, 1, 1}, 1},
		{[]int64{1, 0, 1}, 1},
		{[]int64{2, 0, 0, 2}, 1.5},
		{[]int64{0, 3, 1}, 1},
		{[]int64{1, 0, 0, 0, 0, 4}, 5},
	}
	for _, tt := range tests {
		got := histMedian(tt.h)
		if got != tt.want && !(math.IsNaN(got) && math.IsNaN(tt.want)) {
			t.Errorf("%v: %g, want %g", tt.h, got, tt.want)
		}
	}
}

// divergence is the mean share of shared-domain dimensions on which two
// repertoires differ (a zero against a non-zero differs), over pairs.
func TestDivergence(t *testing.T) {
	wd := tinyWorld(t, 2, 3, "model.dimensions=10")
	for c := range wd.comms {
		copy(wd.comms[c].codeKnown, wd.all)
	}
	wd.comms[1].codeValue[0] ^= 0b11          // differs from 0 and 2 on 2 of 10
	wd.comms[2].codeKnown[0] &^= 0b1100000000 // zero on 2 where 0 and 1 are not
	wd.comms[2].domain = Mask(wd.w, 5, 10)    // shares 5 dimensions with each
	// pairs: (0,1) 2/10; (0,2) 2/5; (1,2) 2/5
	want := (0.2 + 0.4 + 0.4) / 3
	if got := wd.divergence(); math.Abs(got-want) > 1e-12 {
		t.Errorf("divergence %g, want %g", got, want)
	}
}
