package scenarios

import (
	"strconv"
	"strings"
)

// This file is the intervention registry: every kind of management
// intervention, with what people read about it (label, caption), what a
// scenario file may say about it (its reward systems) and what it does to
// the model (the lever it moves, or a one-off action). Validation, the
// classroom page and the docs read it, so a new kind is one entry here plus
// the model's handling of its lever.

// Lever is one effect an intervention moves: a strength in [0, 1] per
// community and tick, the sum of the strengths (times the community's
// reach) of the interventions in force on that community that move it,
// capped at 1. The model reads levers, never kind names.
type Lever int

// The levers, in the order of docs/model.md's table of interventions.
const (
	LeverOverManagement   Lever = iota // scrutiny, overhead, mandated agenda, forced membership
	LeverIndividualReward              // pay for individual contribution
	LeverRecognition                   // community work counted in performance reviews
	LeverPenalty                       // pay that punishes community time
	LeverBoundary                      // spanners, cross-community events, multiple membership
	LeverLegitimize                    // time given for community work
	LeverSupport                       // a support team: access, links between communities
	LeverFeedback                      // thanks and visible recognition among peers
	NumLevers                          // the number of levers, for arrays indexed by Lever
)

var leverNames = [NumLevers]string{
	LeverOverManagement:   "over_management",
	LeverIndividualReward: "individual_reward",
	LeverRecognition:      "recognition",
	LeverPenalty:          "penalty",
	LeverBoundary:         "boundary",
	LeverLegitimize:       "legitimize",
	LeverSupport:          "support",
	LeverFeedback:         "feedback",
}

// String returns the lever's snake_case name, as the docs write it.
func (l Lever) String() string {
	if l >= 0 && l < NumLevers {
		return leverNames[l]
	}
	return "Lever(" + strconv.Itoa(int(l)) + ")"
}

// Kind describes one kind of intervention. The registry's entries must not
// be modified.
type Kind struct {
	// Name is the kind as written in scenario files, e.g. "over_management".
	Name string
	// Label names the kind for people: "Over-management".
	Label string
	// Caption is one plain sentence saying what management does, for the
	// classroom page, reports and docs/scenarios.md.
	Caption string
	// Rewards lists the reward systems an intervention of this kind chooses
	// from in its reward field. When the list is empty the field is refused;
	// otherwise it is required and must name one of them.
	Rewards []*Reward
	// Lever returns the lever an intervention of this kind moves while in
	// force, and false for a one-off kind. It is called only on valid
	// interventions of this kind.
	Lever func(iv *Intervention) (Lever, bool)
	// OneOff marks a kind that acts once, at its start tick (max(start, 1),
	// since tick 0 is the initial state), instead of moving a lever while in
	// force; its end is ignored.
	OneOff bool
	// Params lists the scenario keys of the parameters that set how far the
	// kind reaches into the mechanisms (docs/model.md says how); a kind with
	// rewards lists those its reward systems share.
	Params []string
}

// Reward is one reward system of a kind that has them (see Kind.Rewards).
type Reward struct {
	Name    string   // as written in scenario files, e.g. "individual_contribution"
	Label   string   // for people: "Individual bonuses"
	Caption string   // one plain sentence, as Kind.Caption
	Lever   Lever    // the lever an intervention with this reward moves
	Params  []string // as Kind.Params, beyond those of its kind
}

// Reward returns the kind's reward system of that name.
func (k *Kind) Reward(name string) (*Reward, bool) {
	for _, r := range k.Rewards {
		if r.Name == name {
			return r, true
		}
	}
	return nil, false
}

// RewardNames lists the names of the kind's reward systems, in order.
func (k *Kind) RewardNames() []string {
	names := make([]string, len(k.Rewards))
	for i, r := range k.Rewards {
		names[i] = r.Name
	}
	return names
}

// moves is the Lever of a kind that always moves l.
func moves(l Lever) func(*Intervention) (Lever, bool) {
	return func(*Intervention) (Lever, bool) { return l, true }
}

// oneOff is the Lever of a one-off kind.
func oneOff(*Intervention) (Lever, bool) { return 0, false }

// rewardSystems are the reward systems of the rewards kind.
var rewardSystems = []*Reward{
	{
		Name:    IndividualContribution,
		Label:   "Individual bonuses",
		Caption: "Bonuses for individual contributions, which can crowd out people's own motivation.",
		Lever:   LeverIndividualReward,
		Params:  []string{"model.motivate.crowding_out"},
	},
	{
		Name:    ParticipationRecognition,
		Label:   "Counted in reviews",
		Caption: "Time spent in the community counts in performance reviews, an expected reward that can crowd out people's own motivation.",
		Lever:   LeverRecognition,
		Params:  []string{"model.motivate.review_crowding_out"},
	},
	{
		Name:    PenalizingCompensation,
		Label:   "Penalizing pay",
		Caption: "Pay punishes time spent on community work instead of project work.",
		Lever:   LeverPenalty,
		Params:  []string{"model.management.penalty"},
	},
	{
		Name:    PeerRecognition,
		Label:   "Peer recognition",
		Caption: "Thanks and visible recognition among peers for taking part, with no pay attached.",
		Lever:   LeverFeedback,
		Params:  []string{"model.motivate.recognition"},
	},
}

// kinds is the registry, in the order Kinds documents.
var kinds = []*Kind{
	{
		Name:    OverManagement,
		Label:   "Over-management",
		Caption: "Management takes control: close scrutiny, reporting duties that eat members' time, an agenda imposed on the repertoire from above, compulsory membership and lost autonomy.",
		Lever:   moves(LeverOverManagement),
		Params: []string{"model.management.overhead", "model.management.agenda_rate", "model.management.knowledge",
			"model.management.scrutiny_explore", "model.engagement.forced_weight", "model.motivate.autonomy_loss"},
	},
	{
		Name:    Rewards,
		Label:   "Rewards",
		Caption: "Pay and appraisal reach community work, through one of the reward systems below.",
		Rewards: rewardSystems,
		Lever: func(iv *Intervention) (Lever, bool) {
			for _, r := range rewardSystems {
				if r.Name == iv.Reward {
					return r.Lever, true
				}
			}
			return 0, false
		},
		Params: []string{"model.engagement.extrinsic_weight"},
	},
	{
		Name:    BoundaryActivity,
		Label:   "Boundary activity",
		Caption: "Spanners, joint events and double memberships carry practice between communities.",
		Lever:   moves(LeverBoundary),
		Params:  []string{"model.management.boundary_spanners", "model.management.boundary_events", "model.management.boundary_join"},
	},
	{
		Name:    LegitimizeParticipation,
		Label:   "Time given",
		Caption: "People are given time for community work, taken off their project load.",
		Lever:   moves(LeverLegitimize),
		Params:  []string{"model.management.time_given"},
	},
	{
		Name:    SupportTeam,
		Label:   "Support team",
		Caption: "A support team brings resources, links communities and opens their cores to newcomers.",
		Lever:   moves(LeverSupport),
		Params:  []string{"model.management.support_access", "model.management.support_boundary", "model.roles.peripheral"},
	},
	{
		Name:    Seeding,
		Label:   "Seeding",
		Caption: "Recognised experts are put at the core of each community it targets, once, when it is switched on.",
		Lever:   oneOff,
		OneOff:  true,
		Params:  []string{"model.management.seed_experts"},
	},
}

// Kinds returns every intervention kind, in the order of docs/scenarios.md:
// over_management, rewards, boundary_activity, legitimize_participation,
// support_team, seeding. The order is stable; new kinds are added at the
// end. The slice is the caller's; the kinds are shared and must not be
// modified.
func Kinds() []*Kind {
	return append([]*Kind(nil), kinds...)
}

// KindNamed returns the kind of that name.
func KindNamed(name string) (*Kind, bool) {
	for _, k := range kinds {
		if k.Name == name {
			return k, true
		}
	}
	return nil, false
}

// KindNames lists the names of every kind, in the order of Kinds.
func KindNames() []string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.Name
	}
	return names
}

// kindList is KindNames for a message.
func kindList() string { return strings.Join(KindNames(), ", ") }
