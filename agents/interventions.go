package agents

import (
	"math"

	"github.com/copsim/copsim/scenarios"
)

// effects are the interventions in force on one community at one tick,
// each a strength in [0,1] already scaled by the community's reach.
type effects struct {
	overManagement float64
	individual     float64 // rewards for individual contribution
	recognition    float64 // participation recognition
	penalty        float64 // penalizing compensation
	boundary       float64
	legitimize     float64
	support        float64
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
	for k, iv := range wd.sc.Interventions {
		if !iv.Active(wd.eng.Tick()) {
			continue
		}
		for _, c := range wd.targets[k] {
			cm := &wd.comms[c]
			s := iv.Strength * cm.reach
			e := &cm.eff
			// Same-kind effects add and cap at 1.
			var field *float64
			switch iv.Kind {
			case scenarios.OverManagement:
				field = &e.overManagement
			case scenarios.Rewards:
				switch iv.Reward {
				case scenarios.IndividualContribution:
					field = &e.individual
				case scenarios.ParticipationRecognition:
					field = &e.recognition
				case scenarios.PenalizingCompensation:
					field = &e.penalty
				}
			case scenarios.BoundaryActivity:
				field = &e.boundary
			case scenarios.LegitimizeParticipation:
				field = &e.legitimize
			case scenarios.SupportTeam:
				field = &e.support
			case scenarios.Seeding:
				// Tick 0 is the initial state, so a seeding at 0 acts at the first tick.
				if wd.eng.Tick() == max(iv.Start, 1) {
					wd.seedCommunity(c, iv.Strength)
				}
			}
			if field != nil {
				*field = math.Min(1, *field+s)
			}
		}
	}
}
