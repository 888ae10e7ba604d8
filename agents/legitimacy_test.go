package agents

import (
	"math"
	"testing"

	"github.com/copsim/copsim/scenarios"
)

// access is access0 - closedness x (1 - sponsor) + support_access x
// e_support, clamped to [0, 1]; closedness is closure (+ strategic
// closure) x the core's share of this tick's participants.
func TestAccess(t *testing.T) {
	tests := []struct {
		name      string
		access0   float64
		coreVoice float64
		strategic bool
		sponsor   float64
		support   float64
		want      float64
	}{
		{"no core", 1, 0, false, 0, 0, 1},
		{"no core, strategic: nothing to close", 1, 0, true, 0, 0, 1},
		{"closure grows with the core", 1, 0.4, false, 0, 0, 1 - 0.5*0.4},
		{"a louder core", 1, 0.8, false, 0, 0, 1 - 0.5*0.8},
		{"strategic", 1, 0.4, true, 0, 0, 1 - (0.5+0.3)*0.4},
		{"sponsored by the core", 1, 0.4, true, 0.5, 0, 1 - (0.5+0.3)*0.4*0.5},
		{"fully sponsored", 1, 0.8, true, 1, 0, 1},
		{"support team", 0.6, 0.4, false, 0, 0.5, 0.6 - 0.5*0.4 + 0.2*0.5},
		{"clamped at 0", 0.2, 1, true, 0, 0, 0},
		{"clamped at 1", 1, 0, false, 0, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wd := tinyWorld(t, 1, 1)
			lg := &wd.mp.Legitimacy
			lg.Access, lg.Closure, lg.StrategicClosure = tt.access0, 0.5, 0.3
			wd.mp.Management.SupportAccess = 0.2
			cm := &wd.comms[0]
			cm.coreVoice, cm.eff[scenarios.LeverSupport] = tt.coreVoice, tt.support
			if tt.strategic {
				cm.relationship = scenarios.Strategic
			}
			cm.closedness = wd.closedness(cm)
			if got := wd.access(cm, tt.sponsor); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("access %g, want %g", got, tt.want)
			}
		})
	}
}

// sponsor is a person's strongest live tie to someone at the core of the
// community: ties to the active, to the core of another community, and to
// a departed partner's successor do not count.
func TestSponsor(t *testing.T) {
	wd := tinyWorld(t, 5, 2)
	member(wd, 0, 0, 0, 0.1, true)
	member(wd, 1, 0, 0, 0.9, true) // core of 0
	member(wd, 2, 0, 0, 0.4, true) // active in 0
	member(wd, 3, 0, 1, 0.9, true) // core of 1
	member(wd, 4, 0, 0, 0.9, true) // core of 0, but a successor
	settle(wd)
	tie := func(slot, to int, w float32, gen int32) {
		t := slot
		wd.tieTo[t], wd.tieW[t], wd.tieGen[t] = int32(to), w, gen
	}
	if got := wd.sponsor(0, 0); got != 0 {
		t.Fatalf("no ties: sponsor %g, want 0", got)
	}
	tie(0, 2, 0.9, wd.arrived[2])
	tie(1, 3, 0.8, wd.arrived[3])
	tie(2, 4, 0.7, wd.arrived[4]+1)
	tie(3, 1, 0.3, wd.arrived[1])
	if got := wd.sponsor(0, 0); math.Abs(got-0.3) > 1e-6 {
		t.Errorf("sponsor %g, want 0.3 (the tie to 1, the only live tie to 0's core)", got)
	}
	if got := wd.sponsor(0, 1); math.Abs(got-0.8) > 1e-6 {
		t.Errorf("sponsor in community 1: %g, want 0.8", got)
	}
}

// updateLegitimacy moves a participant's legitimacy in by gain x access x
// recognition x ((1-momentum) + momentum L) x (1-L), access 1 at the core,
// and an absent member's out by decay x L.
func TestUpdateLegitimacy(t *testing.T) {
	const gain, decay, momentum, wComp = 0.1, 0.03, 0.5, 0.5
	tests := []struct {
		name string
		l    float64
		part bool
		code bool // the code equals reality (else it is empty: agreement 0.5)
	}{
		{"peripheral participant, empty code", 0.1, true, false},
		{"active participant, agreeing code", 0.4, true, true},
		{"core participant: full access", 0.7, true, true},
		{"absent", 0.5, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wd := tinyWorld(t, 1, 1)
			lg := &wd.mp.Legitimacy
			lg.Gain, lg.Decay, lg.Momentum, lg.CompetenceWeight = gain, decay, momentum, wComp
			lg.Access, lg.Closure = 1, 0.5
			cm := &wd.comms[0]
			cm.coreVoice = 0.6
			cm.closedness = wd.closedness(cm) // access 0.7 below the core
			if tt.code {
				copy(cm.codeKnown, wd.all)
				copy(cm.codeValue, wd.reality)
			}
			kn, v := wd.beliefs(0)
			copy(kn, wd.all)
			copy(v, wd.reality) // right everywhere: competence 1
			member(wd, 0, 0, 0, tt.l, tt.part)
			want := tt.l - decay*tt.l
			if tt.part {
				access, agree := 0.7, 0.5
				if tt.l >= wd.mp.Roles.Core {
					access = 1
				}
				if tt.code {
					agree = 1
				}
				rec := (1-wComp)*agree + wComp*1
				want = tt.l + gain*access*rec*((1-momentum)+momentum*tt.l)*(1-tt.l)
			}
			wd.updateLegitimacy(0, 0, 1)
			if got := wd.legit[0]; math.Abs(got-want) > 1e-12 {
				t.Errorf("legitimacy %g, want %g", got, want)
			}
		})
	}
}

// advanceCareer records the tick a membership first becomes active and
// core, once; newcomers' durations go into the histograms, founders' and
// placed members' (joined -1) do not.
func TestAdvanceCareer(t *testing.T) {
	wd := tinyWorld(t, 3, 1)
	advance(t, wd, 5)
	member(wd, 0, 0, 0, 0.4, false) // newcomer who joined at tick 2, now active
	wd.joined[0] = 2
	member(wd, 1, 0, 0, 0.9, false) // newcomer who joined at tick 4, now core
	wd.joined[maxMem] = 4
	member(wd, 2, 0, 0, 0.9, false) // founder at the core
	for j := 0; j < 3*maxMem; j += maxMem {
		wd.advanceCareer(j)
	}
	check := func(when string, j int, active, core int32) {
		t.Helper()
		if wd.toActive[j] != active || wd.toCore[j] != core {
			t.Errorf("%s, membership %d: active at %d, core at %d; want %d, %d", when, j, wd.toActive[j], wd.toCore[j], active, core)
		}
	}
	hist := func(h []int64) map[int]int64 {
		m := map[int]int64{}
		for d, k := range h {
			if k != 0 {
				m[d] = k
			}
		}
		return m
	}
	check("tick 5", 0, 5, -1)
	check("tick 5", maxMem, 5, 5)
	check("tick 5", 2*maxMem, 5, 5)
	if got := hist(wd.toActiveHist); len(got) != 2 || got[3] != 1 || got[1] != 1 {
		t.Errorf("ticks to active %v, want {1:1 3:1}", got)
	}
	if got := hist(wd.toCoreHist); len(got) != 1 || got[1] != 1 {
		t.Errorf("ticks to core %v, want {1:1}", got)
	}
	// Later ticks record nothing again, until a step is first reached.
	advance(t, wd, 2)
	wd.legit[0] = 0.9
	for j := 0; j < 3*maxMem; j += maxMem {
		wd.advanceCareer(j)
	}
	check("tick 7", 0, 5, 7)
	check("tick 7", maxMem, 5, 5)
	if got := hist(wd.toActiveHist); len(got) != 2 || got[3] != 1 || got[1] != 1 {
		t.Errorf("tick 7: ticks to active %v, want {1:1 3:1}", got)
	}
	if got := hist(wd.toCoreHist); len(got) != 2 || got[1] != 1 || got[5] != 1 {
		t.Errorf("tick 7: ticks to core %v, want {1:1 5:1}", got)
	}
}
