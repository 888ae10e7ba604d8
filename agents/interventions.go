package agents

import (
	"fmt"
	"math"

	"github.com/copsim/copsim/scenarios"
)

// effects are the interventions in force on one community at one tick: a
// strength in [0,1] per lever, already scaled by the community's reach.
// The model reads levers, never kinds (scenarios.Kinds maps each kind to
// the lever it moves), so a new kind that moves an existing lever needs no
// code here.
type effects [scenarios.NumLevers]float64

// oneOffs are the actions of the one-off kinds, done once, at tick
// max(start, 1), on each community the intervention targets.
var oneOffs = map[string]func(wd *World, c int, strength float64){
	scenarios.Seeding: (*World).seedCommunity,
}

// intervention is a scheduled intervention resolved once: its target
// communities, and the lever it moves or the action it does.
type intervention struct {
	scenarios.Intervention
	targets []int
	lever   scenarios.Lever
	moves   bool
	act     func(wd *World, c int, strength float64)
}

// resolveInterventions looks up, once, what each intervention of sc does,
// with kinds named by kindNamed (scenarios.KindNamed but in tests).
func resolveInterventions(sc *scenarios.Scenario, kindNamed func(string) (*scenarios.Kind, bool)) ([]intervention, error) {
	ivs := make([]intervention, 0, len(sc.Interventions))
	for k, iv := range sc.Interventions {
		kind, ok := kindNamed(iv.Kind)
		if !ok {
			return nil, fmt.Errorf("interventions[%d]: unknown kind %q", k, iv.Kind)
		}
		r := intervention{Intervention: iv, targets: sc.Targets(iv)}
		r.lever, r.moves = kind.Lever(&r.Intervention)
		if kind.OneOff {
			if r.act = oneOffs[kind.Name]; r.act == nil {
				return nil, fmt.Errorf("interventions[%d]: the model has no action for the one-off kind %q", k, iv.Kind)
			}
		}
		ivs = append(ivs, r)
	}
	return ivs, nil
}

// reachOf is how far management's interventions reach a community, by its
// relationship to the official organization (Wenger 1998): an unrecognized
// community is invisible to management, a bootlegged one visible to a few.
func reachOf(rel string) float64 {
	switch rel {
	case scenarios.Unrecognized:
		return 0.1
	case scenarios.Bootlegged:
		return 0.4
	case scenarios.Transformative:
		return 0.7
	default: // legitimized, strategic
		return 1
	}
}

// applyInterventions computes each community's effects for this tick and
// carries out one-off interventions (seeding) at their start.
func (wd *World) applyInterventions() {
	for c := range wd.comms {
		wd.comms[c].eff = effects{}
	}
	now := wd.eng.Tick()
	for k := range wd.ivs {
		iv := &wd.ivs[k]
		if !iv.Active(now) {
			continue
		}
		for _, c := range iv.targets {
			cm := &wd.comms[c]
			if iv.moves {
				// Effects on the same lever add and cap at 1.
				e := &cm.eff[iv.lever]
				*e = math.Min(1, *e+iv.Strength*cm.reach)
			}
			// Tick 0 is the initial state, so a one-off at 0 acts at the first
			// tick; its strength is not scaled by reach.
			if iv.act != nil && now == max(iv.Start, 1) {
				iv.act(wd, c, iv.Strength)
			}
		}
	}
}
