package agents

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
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
	// Each community's, from the pairs it is in: c0 (0.2 + 0.4)/2, c1
	// the same, c2 (0.4 + 0.4)/2.
	for c, want := range []float64{0.3, 0.3, 0.4} {
		if got := wd.meas.divSum[c] / float64(wd.meas.divN[c]); math.Abs(got-want) > 1e-12 {
			t.Errorf("c%d: divergence %g, want %g", c, got, want)
		}
	}
	if rows := wd.Measure(); !near(rows[2].Divergence, 0.4) || !near(rows[3].Divergence, want) {
		t.Errorf("rows: c2 divergence %g, all %g; want 0.4, %g", rows[2].Divergence, rows[3].Divergence, want)
	}
	// One community has no other to diverge from.
	one := tinyWorld(t, 2, 1)
	for _, r := range one.Measure() {
		if !math.IsNaN(r.Divergence) || !math.IsNaN(r.RelativeDiversity) {
			t.Errorf("%s alone: divergence %g, relative diversity %g; want NaN", r.Community, r.Divergence, r.RelativeDiversity)
		}
	}
}

// near reports whether got equals want within 1e-12, NaN matching NaN.
func near(got, want float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) <= 1e-12
}

// tie makes a live tie from i to j of weight w in i's tie slot k.
func tie(wd *World, i, k, j int, w float32) {
	t := i*maxTies + k
	wd.tieTo[t], wd.tieW[t], wd.tieGen[t] = int32(j), w, wd.arrived[j]
}

// The tie E-I index, its random-mixing expectation and the outside tie
// share of a hand-built network, worked out by hand in the comments.
func TestMeasureTies(t *testing.T) {
	wd := tinyWorld(t, 6, 3)
	// Affiliations: c0 {p0, p1, p4}, c1 {p0, p2}, c2 {p3, p4, p5};
	// p2 and p5 are outsiders, so members are c0 {p0, p1, p4}, c1 {p0},
	// c2 {p3, p4} and, in all, p0, p1, p3, p4.
	member(wd, 0, 0, 0, 0.5, false)
	member(wd, 0, 1, 1, 0.5, false)
	member(wd, 1, 0, 0, 0.5, false)
	member(wd, 2, 0, 1, 0, false)
	member(wd, 3, 0, 2, 0.5, false)
	member(wd, 4, 0, 0, 0.5, false)
	member(wd, 4, 1, 2, 0.5, false)
	member(wd, 5, 0, 2, 0, false)
	tie(wd, 0, 0, 1, 0.5)
	tie(wd, 0, 1, 2, 0.25)
	tie(wd, 0, 2, 3, 0.25)
	tie(wd, 1, 0, 4, 0.5)
	tie(wd, 1, 1, 3, 0.9)
	wd.tieGen[1*maxTies+1] = 5 // made with someone turnover has since replaced: dead
	tie(wd, 3, 0, 5, 1)
	tie(wd, 4, 0, 0, 0.5)
	rows := wd.Measure()
	tests := []struct {
		ei, random, outside float64
	}{
		// c0: p0->p1 in, p0->p2 out, p0->p3 out, p1->p4 in, p4->p0 in;
		// out weight 0.5 of 2; 3 of 6 people in c0
		{(2.0 - 3) / 5, 1 - 2*2.0/5, 0.25},
		// c1: p0->p1 out, p0->p2 in (an outsider is affiliated), p0->p3 out
		{(2.0 - 1) / 3, 1 - 2*1.0/5, 0.75},
		// c2: p3->p5 in, p4->p0 out
		{0, 1 - 2*2.0/5, 0.5 / 1.5},
		// all: only p0->p3 shares no community. Others sharing one with
		// the holder: p0 |c0 ∪ c1| - 1 = 3 (3 ties), p1 2 (1 tie), p3 2
		// (1 tie), p4 |c0 ∪ c2| - 1 = 4 (1 tie): 17 of 6 ties x 5 others.
		{(1.0 - 5) / 6, 1 - 2*17.0/30, 0.25 / 3},
	}
	for k, tt := range tests {
		r := rows[k]
		if !near(r.TieEI, tt.ei) || !near(r.TieEIRandom, tt.random) || !near(r.OutsideTieShare, tt.outside) {
			t.Errorf("%s: tie E-I %g (random %g), outside share %g; want %g (%g), %g",
				r.Community, r.TieEI, r.TieEIRandom, r.OutsideTieShare, tt.ei, tt.random, tt.outside)
		}
	}
	// Pooled over the communities for the summary: 5 in, 5 out of 10
	// ties; 5 x 2 + 3 x 1 + 2 x 2 inside by chance of 10 x 5; outside
	// weight 0.5 + 0.75 + 0.5 of 2 + 1 + 1.5.
	s := wd.Summarize(rows)
	if !near(s.TieEI, 0) {
		t.Errorf("summary tie E-I %g, want 0", s.TieEI)
	}
	if want := 1 - 2*(5*2.0+3*1+2*2)/(10*5); !near(s.TieEIRandom, want) {
		t.Errorf("summary random tie E-I %g, want %g", s.TieEIRandom, want)
	}
	if want := 1.75 / 4.5; !near(s.OutsideTieShare, want) {
		t.Errorf("summary outside tie share %g, want %g", s.OutsideTieShare, want)
	}
}

// Without ties the tie measures are undefined, not 0.
func TestMeasureTiesWithoutTies(t *testing.T) {
	wd := tinyWorld(t, 4, 2)
	member(wd, 0, 0, 0, 0.5, false)
	member(wd, 1, 0, 1, 0.5, false)
	rows := wd.Measure()
	for _, r := range rows {
		if !math.IsNaN(r.TieEI) || !math.IsNaN(r.TieEIRandom) || !math.IsNaN(r.OutsideTieShare) {
			t.Errorf("%s without ties: tie E-I %g, random %g, outside share %g; want NaN", r.Community, r.TieEI, r.TieEIRandom, r.OutsideTieShare)
		}
	}
	if s := wd.Summarize(rows); !math.IsNaN(s.TieEI) || !math.IsNaN(s.TieEIRandom) || !math.IsNaN(s.OutsideTieShare) {
		t.Errorf("summary without ties: %g, %g, %g; want NaN", s.TieEI, s.TieEIRandom, s.OutsideTieShare)
	}
}

// sharers, by inclusion-exclusion over the counts of countAffiliations,
// is the number of people affiliated with at least one of a person's
// communities, as counting them one by one gives, for memberships of one
// to four communities drawn at random.
func TestSharersMatchesCounting(t *testing.T) {
	wd := tinyWorld(t, 200, 6)
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < wd.n; i++ {
		for s, c := range r.Perm(6)[:r.IntN(maxMem+1)] {
			member(wd, i, s, c, 0.5, false)
		}
	}
	wd.countAffiliations()
	for i := 0; i < wd.n; i++ {
		want := 0
		for j := 0; j < wd.n; j++ {
			if wd.shareCommunity(i, j) {
				want++
			}
		}
		cs, k := wd.affiliations(i)
		if got := wd.sharers(&cs, k); got != want {
			t.Fatalf("person %d in %v: %d sharers, want %d", i, cs[:k], got, want)
		}
	}
}

// Knowledge imported across boundaries and boundary activity, per member,
// counted in every community where the learner is a member.
func TestMeasureImports(t *testing.T) {
	wd := tinyWorld(t, 5, 3)
	advance(t, wd, 20) // model.stage.window is 10
	// c0 {p0, p1}, c1 {p0, p2}, c2 {p3}; p4 is an outsider of c1.
	member(wd, 0, 0, 0, 0.5, false)
	member(wd, 0, 1, 1, 0.5, false)
	member(wd, 1, 0, 0, 0.5, false)
	member(wd, 2, 0, 1, 0.5, false)
	member(wd, 3, 0, 2, 0.5, false)
	member(wd, 4, 0, 1, 0, false)
	imports := []struct{ changed, right, last, arrived int32 }{
		{4, 3, 15, -1}, // active 5 ticks ago
		{2, 0, 10, -1}, // 10 ticks ago: outside the window
		{0, 0, -1, -1}, // never
		{0, 0, 18, 18}, // the encounter was their predecessor's
		{5, 5, 20, -1}, // an outsider: counts nowhere
	}
	for i, im := range imports {
		wd.imported[i], wd.importedRight[i], wd.lastBoundary[i], wd.arrived[i] = im.changed, im.right, im.last, im.arrived
	}
	rows := wd.Measure()
	nan := math.NaN()
	tests := []struct{ imported, right, active float64 }{
		{6.0 / 2, 3.0 / 6, 1.0 / 2}, // c0: p0, p1
		{4.0 / 2, 3.0 / 4, 1.0 / 2}, // c1: p0, p2
		{0, nan, 0},                 // c2: p3 imported nothing: no share of it
		{6.0 / 4, 3.0 / 6, 1.0 / 4}, // all: p0 to p3
	}
	for k, tt := range tests {
		r := rows[k]
		if !near(r.ImportedKnowledge, tt.imported) || !near(r.ImportedRightShare, tt.right) || !near(r.BoundaryActiveShare, tt.active) {
			t.Errorf("%s: imported %g (right %g), boundary active %g; want %g (%g), %g",
				r.Community, r.ImportedKnowledge, r.ImportedRightShare, r.BoundaryActiveShare, tt.imported, tt.right, tt.active)
		}
	}
	// A newcomer who took p1's place this tick brought nothing in.
	wd.arrived[1] = 20
	if r := wd.Measure()[0]; !near(r.ImportedKnowledge, 4.0/2) {
		t.Errorf("c0 after p1 was replaced: imported %g, want 2", r.ImportedKnowledge)
	}
	// Over the run: 6 + 4 + 4 imported in 3 x 4 member-weeks, 3 + 3 + 3 right.
	s := wd.Summarize(wd.Measure())
	if want := (6.0 + 4 + 4) / 12; !near(s.ImportedKnowledge, want) || !near(s.ImportedRightShare, 9.0/14) {
		t.Errorf("summary: imported %g (right %g), want %g (%g)", s.ImportedKnowledge, s.ImportedRightShare, want, 9.0/14)
	}
}

// Over a run without boundary encounters the imports' right share is NA.
func TestSummaryWithoutImports(t *testing.T) {
	wd := tinyWorld(t, 3, 2)
	advance(t, wd, 1)
	member(wd, 0, 0, 0, 0.5, false)
	s := wd.Summarize(wd.Measure())
	if s.ImportedKnowledge != 0 || !math.IsNaN(s.ImportedRightShare) {
		t.Errorf("imported %g (right %g), want 0 (NaN)", s.ImportedKnowledge, s.ImportedRightShare)
	}
}

// Newcomers' access and time to active per community, cumulative: a
// career step is counted when the legitimacy phase records it, the
// memberships begun when turnover does.
func TestMeasureNewcomerCareers(t *testing.T) {
	wd := tinyWorld(t, 4, 3)
	advance(t, wd, 7)
	member(wd, 0, 0, 0, 0.5, false) // active, joined at tick 2
	wd.joined[0] = 2
	member(wd, 1, 0, 0, 0.1, false) // peripheral, joined at tick 4
	wd.joined[maxMem] = 4
	member(wd, 2, 0, 1, 0.5, false) // active, a founder: no newcomer
	for j := 0; j < 3*maxMem; j += maxMem {
		wd.advanceCareer(j)
	}
	wd.acc[0].newcomers[0] = 2
	wd.acc[0].newcomers[2] = 1
	wd.countNewcomers()
	rows := wd.Measure()
	nan := math.NaN()
	tests := []struct{ access, ticks float64 }{
		{1.0 / 2, 5}, // c0: one of two reached active, after 5 ticks
		{nan, nan},   // c1: no newcomer began
		{0, nan},     // c2: one began, none got there
		{1.0 / 3, 5}, // all
	}
	for k, tt := range tests {
		r := rows[k]
		if !near(r.NewcomerAccess, tt.access) || !near(r.TicksToActive, tt.ticks) {
			t.Errorf("%s: newcomer access %g, ticks to active %g; want %g, %g", r.Community, r.NewcomerAccess, r.TicksToActive, tt.access, tt.ticks)
		}
	}
}

// Members' mean motivation beside everyone's: per community everyone
// affiliated at any legitimacy, in all every person.
func TestMeasureMotivationEveryone(t *testing.T) {
	wd := tinyWorld(t, 4, 2)
	member(wd, 0, 0, 0, 0.5, false)
	member(wd, 1, 0, 0, 0, false) // an outsider of c0
	member(wd, 3, 0, 1, 0.5, false)
	copy(wd.motiv, []float64{0.8, 0.2, 0.5, 0.4}) // p2 belongs nowhere
	rows := wd.Measure()
	tests := []struct{ members, everyone float64 }{
		{0.8, 0.5},
		{0.4, 0.4},
		{0.6, 1.9 / 4},
	}
	for k, tt := range tests {
		r := rows[k]
		if !near(r.Motivation, tt.members) || !near(r.MotivationEveryone, tt.everyone) {
			t.Errorf("%s: motivation %g, everyone's %g; want %g, %g", r.Community, r.Motivation, r.MotivationEveryone, tt.members, tt.everyone)
		}
	}
	s := wd.Summarize(rows)
	if !near(s.Motivation, 0.6) || !near(s.MotivationEveryone, 1.9/4) {
		t.Errorf("summary motivation %g, everyone's %g; want 0.6, %g", s.Motivation, s.MotivationEveryone, 1.9/4)
	}
}

// The role shares are over members, the outsiders' over all memberships.
func TestSummaryShares(t *testing.T) {
	wd := tinyWorld(t, 2, 2)
	nan := math.NaN()
	tests := []struct {
		name                           string
		rows                           []measure.Row
		core, active, outsider, relDiv float64
	}{
		{"two communities", []measure.Row{
			{Peripheral: 5, Active: 3, Core: 2, Outsiders: 10, RelativeDiversity: 0.5},
			{Peripheral: 5, Active: 3, Core: 2, RelativeDiversity: nan},
			{Community: "all"},
		}, 4.0 / 20, 6.0 / 20, 10.0 / 30, 0.5},
		{"outsiders only", []measure.Row{
			{Outsiders: 4, RelativeDiversity: nan}, {Outsiders: 1, RelativeDiversity: nan}, {Community: "all"},
		}, 0, 0, 1, nan},
		{"nobody", []measure.Row{
			{RelativeDiversity: nan}, {RelativeDiversity: nan}, {Community: "all"},
		}, 0, 0, nan, nan},
	}
	for _, tt := range tests {
		s := wd.Summarize(tt.rows)
		if !near(s.CoreShare, tt.core) || !near(s.ActiveShare, tt.active) || !near(s.OutsiderShare, tt.outsider) || !near(s.RelativeDiversity, tt.relDiv) {
			t.Errorf("%s: core %g, active %g, outsiders %g, relative diversity %g; want %g, %g, %g, %g", tt.name,
				s.CoreShare, s.ActiveShare, s.OutsiderShare, s.RelativeDiversity, tt.core, tt.active, tt.outsider, tt.relDiv)
		}
	}
}

// relativeDiversity divides a community's diversity by that of the rest
// of the organization's members on its domain (the organization's counts
// less the community's).
func TestRelativeDiversity(t *testing.T) {
	acc := func(members int, plus, minus []int32) *commAcc {
		return &commAcc{members: members, plus: plus, minus: minus}
	}
	nan := math.NaN()
	tests := []struct {
		name   string
		c, org *commAcc
		want   float64
	}{
		// c splits 1/1 (0.75), the rest 1/1 as well
		{"as diverse", acc(2, []int32{1}, []int32{1}), acc(4, []int32{2}, []int32{2}), 1},
		// c agrees (0), the rest splits
		{"converged", acc(2, []int32{2}, []int32{0}), acc(4, []int32{3}, []int32{1}), 0},
		// c splits 1/1 (0.75); the rest, 3 of 4 at +1 and 1 at zero:
		// (1 - 9/16 - 1/16)/(2/3) = 0.5625
		{"more diverse", acc(2, []int32{1}, []int32{1}), acc(6, []int32{4}, []int32{1}), 0.75 / 0.5625},
		{"the rest agrees", acc(2, []int32{1}, []int32{1}), acc(4, []int32{3}, []int32{1}), nan},
		{"no members", acc(0, []int32{0}, []int32{0}), acc(4, []int32{3}, []int32{1}), nan},
		{"no one else", acc(2, []int32{1}, []int32{1}), acc(2, []int32{1}, []int32{1}), nan},
	}
	for _, tt := range tests {
		if got := relativeDiversity(tt.c, tt.org, 0, 1); !near(got, tt.want) {
			t.Errorf("%s: %g, want %g", tt.name, got, tt.want)
		}
	}
}

// TestMeasuringDoesNotSteer checks that measurement only reads the world:
// a run measured every 7 ticks has, at the ticks it measures, the rows of
// the same run measured every tick (stage, coordinator and ties' published
// lookups are outputs; the model keeps per tick what it needs itself).
func TestMeasuringDoesNotSteer(t *testing.T) {
	for _, name := range []string{"baseline", "insular_strategic", "over_management", "boundary_activity", "fang2010"} {
		t.Run(name, func(t *testing.T) {
			run := func(every int) []measure.Row {
				sc, err := scenarios.Load(name, []string{"population.people=600", "ticks=45", "replications=2",
					fmt.Sprintf("output.measure_every=%d", every)})
				if err != nil {
					t.Fatal(err)
				}
				res, err := Run(context.Background(), sc, sim.Options{Workers: 2})
				if err != nil {
					t.Fatal(err)
				}
				return res.Rows
			}
			all, some := run(1), run(7)
			byKey := map[string]measure.Row{}
			for _, r := range all {
				byKey[fmt.Sprint(r.Rep, r.Tick, r.Community)] = r
			}
			if len(some) == 0 || len(some) >= len(all) {
				t.Fatalf("%d rows measured every 7 ticks, %d every tick", len(some), len(all))
			}
			for _, r := range some {
				want, ok := byKey[fmt.Sprint(r.Rep, r.Tick, r.Community)]
				if !ok {
					t.Fatalf("rep %d tick %d %s: not measured every tick", r.Rep, r.Tick, r.Community)
				}
				if fmt.Sprintf("%v", r) != fmt.Sprintf("%v", want) {
					t.Errorf("rep %d tick %d %s:\nevery 7: %v\nevery 1: %v", r.Rep, r.Tick, r.Community, r, want)
				}
			}
		})
	}
}

// With several measurement shards, measurement's counts (kept per worker
// slot) and sums (kept per shard) give the same rows for any number of
// workers, and measuring a tick twice gives the same rows: nothing of a
// measurement is left in the accumulators for the next.
func TestMeasureShardsAcrossWorkers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds worlds of 70 000 people")
	}
	sc := smallScenario(t, "population.people=70000", "population.communities=40", "population.units=200",
		"population.multi_membership=0.4", "model.boundaries=true")
	var worlds []*World
	for _, workers := range []int{1, 2, 3} {
		wd := mustWorld(t, &sc, 0, workers)
		defer wd.Close()
		worlds = append(worlds, wd)
	}
	if z := worlds[0].macc; len(z) != 3 {
		t.Fatalf("%d measurement shards, want 3", len(z))
	}
	for tick := 0; tick < 3; tick++ {
		var want string
		for k, wd := range worlds {
			wd.Step()
			got := fmt.Sprint(wd.Measure())
			if again := fmt.Sprint(wd.Measure()); again != got {
				t.Fatalf("tick %d, %d workers: a second measurement differs", tick+1, wd.eng.Slots())
			}
			if k == 0 {
				want = got
			} else if got != want {
				t.Fatalf("tick %d: %d workers differ from 1", tick+1, wd.eng.Slots())
			}
		}
	}
}
