// Package scenarios defines what a copsim scenario is: the schema of a
// scenario file, its defaults, strict parsing with file-and-line errors,
// validation, command-line overrides, the built-in scenario library embedded
// in the binary, and the intervention registry (Kinds), which says what each
// kind of intervention is called, what a file may say about it and which
// lever of the model it moves. It exists so that the engine receives only
// scenarios that are complete and valid, and so that every user-facing error
// about input is produced in one place.
package scenarios

// Scenario is one fully resolved scenario: every field has a value after
// defaults, the file and any overrides are applied.
type Scenario struct {
	Name         string `yaml:"name" json:"name"`
	Description  string `yaml:"description" json:"description"`
	Ticks        int    `yaml:"ticks" json:"ticks"`
	Replications int    `yaml:"replications" json:"replications"`
	Seed         uint64 `yaml:"seed" json:"seed"`

	Population    Population     `yaml:"population" json:"population"`
	Communities   []Community    `yaml:"communities,omitempty" json:"communities,omitempty"`
	Model         Model          `yaml:"model" json:"model"`
	Output        Output         `yaml:"output" json:"output"`
	Interventions []Intervention `yaml:"interventions,omitempty" json:"interventions,omitempty"`
	// Changes set parameters from a given week on (see Change); none by
	// default.
	Changes []Change `yaml:"changes,omitempty" json:"changes,omitempty"`
}

// Population sets the size and the formal structure of the organization.
type Population struct {
	People int `yaml:"people" json:"people"`
	// Units is the number of formal units (teams, business units).
	Units int `yaml:"units" json:"units"`
	// Communities is the number of communities of practice.
	Communities int `yaml:"communities" json:"communities"`
	// MultiMembership is the probability that a person also belongs to a
	// second community (and, independently again, a third, ...).
	MultiMembership float64 `yaml:"multi_membership" json:"multi_membership"`
	// UnitAlignment is the probability that a person's first community is
	// the one aligned with their formal unit (unit u -> community u mod C);
	// otherwise it is drawn at random. 0 makes communities a pure "different
	// cut" across units; 1 makes them copies of units.
	UnitAlignment float64 `yaml:"unit_alignment" json:"unit_alignment"`
	// InitialLegitimacy is the upper bound of the uniform legitimacy that
	// founding members start with (newcomers arriving later start at 0).
	InitialLegitimacy float64 `yaml:"initial_legitimacy" json:"initial_legitimacy"`
}

// Relationship of a community to the official organization (Wenger 1998).
const (
	Unrecognized   = "unrecognized"
	Bootlegged     = "bootlegged"
	Legitimized    = "legitimized"
	Strategic      = "strategic"
	Transformative = "transformative"
)

// Relationships lists the valid relationships in order of institutional involvement.
var Relationships = []string{Unrecognized, Bootlegged, Legitimized, Strategic, Transformative}

// Community holds the optional per-community settings; the i-th entry
// describes community i.
type Community struct {
	Name         string `yaml:"name" json:"name"`
	Relationship string `yaml:"relationship" json:"relationship"`
	// Domain is the half-open range [From, To) of dimensions the community
	// is about; the zero value means all dimensions.
	Domain Domain `yaml:"domain" json:"domain"`
	// Share is the relative weight of the community when people are
	// assigned at random (default 1).
	Share float64 `yaml:"share" json:"share"`
}

// Domain is a half-open range of dimensions; To == 0 means "up to m".
type Domain struct {
	From int `yaml:"from" json:"from"`
	To   int `yaml:"to" json:"to"`
}

// Output controls what a run records.
type Output struct {
	// MeasureEvery records the time series every this many ticks (the last
	// tick is always recorded).
	MeasureEvery int `yaml:"measure_every" json:"measure_every"`
	// NetworkNodes caps the number of people drawn in the network picture.
	NetworkNodes int `yaml:"network_nodes" json:"network_nodes"`
}

// Model holds every mechanism parameter. The four March (1991) parameters
// sit at the top; each mechanism has its own group.
type Model struct {
	Dimensions    int     `yaml:"dimensions" json:"dimensions"`       // m
	Socialization float64 `yaml:"socialization" json:"socialization"` // March p1
	// SocializationMix gives people different socialization rates (March
	// 1991, Figure 2): each person draws one entry, with probability its
	// share, when they are created. Empty (the default) means everyone
	// socializes at Socialization.
	SocializationMix []LearnerGroup `yaml:"socialization_mix,omitempty" json:"socialization_mix,omitempty"`
	// SocializationSpread gives people socialization rates drawn from a
	// continuous distribution: each person draws their own p1 from a Beta
	// with mean Socialization and concentration 1/SocializationSpread when
	// they are created. 0 (the default) means everyone socializes at
	// Socialization; it cannot be combined with a mix.
	SocializationSpread float64 `yaml:"socialization_spread,omitempty" json:"socialization_spread,omitempty"`
	CodeLearning        float64 `yaml:"code_learning" json:"code_learning"` // March p2
	Turnover            float64 `yaml:"turnover" json:"turnover"`           // March p3
	Turbulence          float64 `yaml:"turbulence" json:"turbulence"`       // March p4
	// StopAtEquilibrium ends a run at March's equilibrium when turnover and
	// turbulence are zero.
	StopAtEquilibrium bool `yaml:"stop_at_equilibrium" json:"stop_at_equilibrium"`

	// Switches: with all four off the model is exactly March (1991).
	LPP        bool `yaml:"lpp" json:"lpp"`               // legitimacy dynamics and legitimacy-weighted learning
	Network    bool `yaml:"network" json:"network"`       // encounters and interpersonal learning
	Boundaries bool `yaml:"boundaries" json:"boundaries"` // cross-community encounters
	Motivation bool `yaml:"motivation" json:"motivation"` // voluntary engagement, motivation, identity

	Engagement Engagement `yaml:"engagement" json:"engagement"`
	Encounter  Encounter  `yaml:"encounter" json:"encounter"`
	Learning   Learning   `yaml:"learning" json:"learning"`
	Legitimacy Legitimacy `yaml:"legitimacy" json:"legitimacy"`
	Motivate   Motivate   `yaml:"motivate" json:"motivate"`
	Roles      Roles      `yaml:"roles" json:"roles"`
	Management Management `yaml:"management" json:"management"`
	Stage      Stage      `yaml:"stage" json:"stage"`
}

// LearnerGroup is one entry of Model.SocializationMix: a share of the
// population that socializes at Rate in place of Model.Socialization.
type LearnerGroup struct {
	// Share is the probability that a person belongs to the group; the
	// shares of a mix are above 0 and add up to 1.
	Share float64 `yaml:"share" json:"share"`
	Rate  float64 `yaml:"rate" json:"rate"` // the group's p1
}

// Engagement: P(take part) = time_eff * clamp(w_m*motivation + w_id*identity + w_ext*extrinsic + w_force*forced).
type Engagement struct {
	MotivationWeight float64 `yaml:"motivation_weight" json:"motivation_weight"`
	IdentityWeight   float64 `yaml:"identity_weight" json:"identity_weight"`
	ExtrinsicWeight  float64 `yaml:"extrinsic_weight" json:"extrinsic_weight"`
	// ForcedWeight scales compliance under mandated membership (over-management).
	ForcedWeight float64 `yaml:"forced_weight" json:"forced_weight"`
	// ProjectLoad is the mean share of a person's time taken by project work.
	ProjectLoad float64 `yaml:"project_load" json:"project_load"`
	// MotivationMean and MotivationSpread set the initial intrinsic motivation,
	// Beta-distributed with this mean and concentration 1/spread.
	MotivationMean   float64 `yaml:"motivation_mean" json:"motivation_mean"`
	MotivationSpread float64 `yaml:"motivation_spread" json:"motivation_spread"`
}

// Encounter: partners are drawn with weight (tie + eps) * visibility(L).
type Encounter struct {
	Partners int     `yaml:"partners" json:"partners"` // k per participant per tick
	Epsilon  float64 `yaml:"epsilon" json:"epsilon"`   // weight of strangers
	// Visibility is the exponent gamma of visibility(L) = floor + L^gamma.
	Visibility      float64 `yaml:"visibility" json:"visibility"`
	VisibilityFloor float64 `yaml:"visibility_floor" json:"visibility_floor"`
	TieGain         float64 `yaml:"tie_gain" json:"tie_gain"`
	// UnitTieGain replaces TieGain when the two work in the same formal
	// unit: colleagues who sit together build ties faster.
	UnitTieGain float64 `yaml:"unit_tie_gain" json:"unit_tie_gain"`
	TieDecay    float64 `yaml:"tie_decay" json:"tie_decay"`
	// Boundary is p_boundary: the chance per tick that a broker (member of
	// several communities) has an encounter in another community.
	Boundary float64 `yaml:"boundary" json:"boundary"`
	// Outside is the chance per tick that anyone taking part meets someone
	// of another community informally (corridors, projects, lunch).
	Outside float64 `yaml:"outside" json:"outside"`
	// CrossGroup is the chance that each of a participant's k partners
	// is drawn from another community instead of their own: the
	// cross-group linking probability of Fang, Lee & Schilling (2010).
	CrossGroup float64 `yaml:"cross_group" json:"cross_group"`
}

// Learning groups interpersonal learning and practice.
type Learning struct {
	FromCentral   float64 `yaml:"from_central" json:"from_central"`     // p_lpp
	FromPeriphery float64 `yaml:"from_periphery" json:"from_periphery"` // p_rev
	// RequireBetter makes learners adopt only from partners whose visible
	// performance this tick beats their own.
	RequireBetter bool    `yaml:"require_better" json:"require_better"`
	Exploration   float64 `yaml:"exploration" json:"exploration"`     // p_explore
	ExploreError  float64 `yaml:"explore_error" json:"explore_error"` // chance the test misleads
	// Rule is how people learn from this tick's partners: RuleAdopt (each
	// partner in turn) or RuleMajority (the majority view of the partners
	// who perform better, Fang, Lee & Schilling 2010).
	Rule string `yaml:"rule" json:"rule"`
}

// The learning rules of model.learning.rule.
const (
	RuleAdopt    = "adopt"
	RuleMajority = "majority"
)

// LearningRules lists the valid values of model.learning.rule.
var LearningRules = []string{RuleAdopt, RuleMajority}

// Legitimacy: L += a*part*access*recognition*(1-L) - b*(1-part)*L.
type Legitimacy struct {
	Gain  float64 `yaml:"gain" json:"gain"`   // a
	Decay float64 `yaml:"decay" json:"decay"` // b
	// CompetenceWeight mixes competence (domain knowledge) into recognition;
	// the rest is agreement with the community's repertoire.
	CompetenceWeight float64 `yaml:"competence_weight" json:"competence_weight"`
	// Access is the base openness of a community's core to newcomers.
	Access float64 `yaml:"access" json:"access"`
	// Closure is how strongly a large core closes itself: access falls by
	// closure * core share.
	Closure float64 `yaml:"closure" json:"closure"`
	// StrategicClosure is the extra closure of a strategic community.
	StrategicClosure float64 `yaml:"strategic_closure" json:"strategic_closure"`
	// Momentum makes moving inward easier the further in one already is:
	// the gain is scaled by (1 - momentum) + momentum*L (access to the
	// practice widens with legitimacy; Lave & Wenger 1991).
	Momentum float64 `yaml:"momentum" json:"momentum"`
}

// Motivate groups motivation and identity dynamics.
type Motivate struct {
	LearningGain float64 `yaml:"learning_gain" json:"learning_gain"` // per dimension learned
	Relax        float64 `yaml:"relax" json:"relax"`                 // pull back toward own baseline
	CrowdingOut  float64 `yaml:"crowding_out" json:"crowding_out"`   // per tick under individual rewards
	AutonomyLoss float64 `yaml:"autonomy_loss" json:"autonomy_loss"` // per tick under over-management
	Recognition  float64 `yaml:"recognition" json:"recognition"`     // per participating tick under peer recognition
	// ReviewCrowdingOut is the crowding-out per tick while community work
	// counts in performance reviews (an expected, engagement-contingent reward).
	ReviewCrowdingOut float64 `yaml:"review_crowding_out" json:"review_crowding_out"`
	IdentityGain      float64 `yaml:"identity_gain" json:"identity_gain"`
	IdentityDecay     float64 `yaml:"identity_decay" json:"identity_decay"`
}

// Roles derived from legitimacy: outsider < Peripheral <= peripheral < Active <= active < Core <= core.
type Roles struct {
	Peripheral float64 `yaml:"peripheral" json:"peripheral"`
	Active     float64 `yaml:"active" json:"active"`
	Core       float64 `yaml:"core" json:"core"`
}

// Management sets how far each intervention reaches into the mechanisms,
// per unit of the intervention's strength.
type Management struct {
	Overhead   float64 `yaml:"overhead" json:"overhead"`       // share of community time eaten by reporting
	AgendaRate float64 `yaml:"agenda_rate" json:"agenda_rate"` // chance per tick and dimension the repertoire is overwritten
	Knowledge  float64 `yaml:"knowledge" json:"knowledge"`     // share of dimensions management's view gets right at the start
	// ViewLearning is the chance per tick and dimension that management's
	// view adopts a reporting community's differing belief, times e_over.
	ViewLearning     float64 `yaml:"view_learning" json:"view_learning"`
	ScrutinyExplore  float64 `yaml:"scrutiny_explore" json:"scrutiny_explore"`   // cut in exploration under scrutiny
	TimeGiven        float64 `yaml:"time_given" json:"time_given"`               // share of project load lifted by legitimized time
	Penalty          float64 `yaml:"penalty" json:"penalty"`                     // extrinsic penalty for community time
	SupportAccess    float64 `yaml:"support_access" json:"support_access"`       // access added by a support team
	SupportBoundary  float64 `yaml:"support_boundary" json:"support_boundary"`   // boundary encounters added by a support team
	BoundarySpanners float64 `yaml:"boundary_spanners" json:"boundary_spanners"` // share of people made spanners
	BoundaryEvents   float64 `yaml:"boundary_events" json:"boundary_events"`     // cross-community encounter chance added
	BoundaryJoin     float64 `yaml:"boundary_join" json:"boundary_join"`         // chance per tick of joining another community
	SeedExperts      int     `yaml:"seed_experts" json:"seed_experts"`           // experts placed at the core by seeding
}

// Stage holds the thresholds of the development-stage classifier.
type Stage struct {
	MinMembers int     `yaml:"min_members" json:"min_members"` // below: dispersed
	Window     int     `yaml:"window" json:"window"`           // ticks over which the participation trend is read
	Coalesced  float64 `yaml:"coalesced" json:"coalesced"`     // tie density to leave "potential"
	Mature     float64 `yaml:"mature" json:"mature"`           // repertoire knowledge for "maturing"
	Steward    float64 `yaml:"steward" json:"steward"`         // repertoire knowledge for "stewardship"
	Decline    float64 `yaml:"decline" json:"decline"`         // relative fall in participation for "transformation"
}

// Intervention kinds: the names of the registry's entries (Kinds).
const (
	OverManagement          = "over_management"
	Rewards                 = "rewards"
	BoundaryActivity        = "boundary_activity"
	LegitimizeParticipation = "legitimize_participation"
	SupportTeam             = "support_team"
	Seeding                 = "seeding"
)

// Reward systems of the rewards intervention (Kind.Rewards).
const (
	IndividualContribution   = "individual_contribution"
	ParticipationRecognition = "participation_recognition"
	PenalizingCompensation   = "penalizing_compensation"
	PeerRecognition          = "peer_recognition"
)

// Intervention is one management intervention in force from Start to End
// (inclusive, in ticks; End 0 means to the end of the run).
type Intervention struct {
	Kind string `yaml:"kind" json:"kind"` // the name of a registered Kind
	// Reward names one of the kind's reward systems (Kind.Rewards); empty
	// for a kind without them.
	Reward   string  `yaml:"reward,omitempty" json:"reward,omitempty"`
	Strength float64 `yaml:"strength" json:"strength"`
	Start    int     `yaml:"start" json:"start"`
	End      int     `yaml:"end" json:"end"`
	// Communities names the targets (names or indices as strings); empty means all.
	Communities []string `yaml:"communities,omitempty" json:"communities,omitempty"`
}

// Active reports whether the intervention is in force at tick t.
func (iv Intervention) Active(t int) bool {
	return t >= iv.Start && (iv.End == 0 || t <= iv.End)
}

// Default returns a scenario with every parameter at its documented default.
// The defaults are the baseline community model (docs/model.md).
func Default() Scenario {
	return Scenario{
		Name:         "unnamed",
		Ticks:        200,
		Replications: 10,
		Seed:         1,
		Population: Population{
			People:            300,
			Units:             6,
			Communities:       3,
			MultiMembership:   0.1,
			UnitAlignment:     0.3,
			InitialLegitimacy: 0.3,
		},
		Model: Model{
			Dimensions:    30,
			Socialization: 0.1,
			CodeLearning:  0.5,
			Turnover:      0.005,
			Turbulence:    0.002,
			LPP:           true,
			Network:       true,
			Boundaries:    true,
			Motivation:    true,
			Engagement: Engagement{
				MotivationWeight: 0.8,
				IdentityWeight:   0.6,
				ExtrinsicWeight:  0.3,
				ForcedWeight:     0.5,
				ProjectLoad:      0.3,
				MotivationMean:   0.2,
				MotivationSpread: 0.7,
			},
			Encounter: Encounter{
				Partners:        2,
				Epsilon:         0.1,
				Visibility:      1,
				VisibilityFloor: 0.1,
				TieGain:         0.2,
				UnitTieGain:     0.4,
				TieDecay:        0.02,
				Boundary:        0.05,
				Outside:         0.02,
			},
			Learning: Learning{
				FromCentral:   0.2,
				FromPeriphery: 0.05,
				Exploration:   0.05,
				ExploreError:  0.1,
				Rule:          RuleAdopt,
			},
			Legitimacy: Legitimacy{
				Gain:             0.05,
				Decay:            0.03,
				CompetenceWeight: 0.5,
				Access:           1,
				Closure:          0.5,
				StrategicClosure: 0.4,
				Momentum:         0.5,
			},
			Motivate: Motivate{
				LearningGain:      0.01,
				Relax:             0.02,
				CrowdingOut:       0.018,
				AutonomyLoss:      0.028,
				Recognition:       0.022,
				ReviewCrowdingOut: 0.04,
				IdentityGain:      0.02,
				IdentityDecay:     0.01,
			},
			Roles: Roles{Peripheral: 0.03, Active: 0.3, Core: 0.6},
			Management: Management{
				Overhead:         0.4,
				AgendaRate:       0.05,
				Knowledge:        0.6,
				ViewLearning:     0.02,
				ScrutinyExplore:  0.8,
				TimeGiven:        0.8,
				Penalty:          0.5,
				SupportAccess:    0.5,
				SupportBoundary:  0.1,
				BoundarySpanners: 0.1,
				BoundaryEvents:   0.1,
				BoundaryJoin:     0.002,
				SeedExperts:      5,
			},
			Stage: Stage{
				MinMembers: 3,
				Window:     10,
				Coalesced:  0.05,
				Mature:     0.6,
				Steward:    0.8,
				Decline:    0.25,
			},
		},
		Output: Output{MeasureEvery: 1, NetworkNodes: 300},
	}
}
