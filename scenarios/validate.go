package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/copsim/copsim/internal/echo"
	"github.com/copsim/copsim/internal/spell"
)

// Validate checks the range of every field and the consistency between
// fields. It returns nil or an ErrorList whose errors have Field set (and no
// position: Parse adds that from the file).
func (s *Scenario) Validate() error {
	var c checker
	if err := CheckName(s.Name); err != nil {
		c.add("name", "%v; got %s", err, echo.Quote(s.Name))
	}
	if len(s.Description) > MaxDescriptionBytes {
		c.add("description", "must be at most %d bytes, got %d", MaxDescriptionBytes, len(s.Description))
	}
	c.within("ticks", s.Ticks, 1, MaxTicks)
	c.within("replications", s.Replications, 1, MaxReplications)

	p := s.Population
	okPeople := c.within("population.people", p.People, 1, MaxPeople)
	if c.within("population.units", p.Units, 1, MaxPeople) && okPeople && p.Units > p.People {
		c.add("population.units", "must be at most population.people (%d), got %d", p.People, p.Units).
			related = []string{"population.people"}
	}
	c.within("population.communities", p.Communities, 1, MaxCommunities)
	c.prob("population.multi_membership", p.MultiMembership)
	c.prob("population.unit_alignment", p.UnitAlignment)
	c.prob("population.initial_legitimacy", p.InitialLegitimacy)

	s.validateModel(&c)
	s.validateCommunities(&c)

	c.within("output.measure_every", s.Output.MeasureEvery, 1, MaxTicks)
	c.within("output.network_nodes", s.Output.NetworkNodes, 0, MaxNetworkNodes)

	s.validateInterventions(&c)
	s.validateChanges(&c)

	if len(c.errs) == 0 {
		return nil
	}
	return c.errs
}

func (s *Scenario) validateModel(c *checker) {
	m := s.Model
	c.within("model.dimensions", m.Dimensions, 1, MaxDimensions)
	c.prob("model.socialization", m.Socialization)
	validateMix(c, m.SocializationMix)
	validateSpread(c, &m)
	c.prob("model.code_learning", m.CodeLearning)
	c.prob("model.turnover", m.Turnover)
	c.prob("model.turbulence", m.Turbulence)

	e := m.Engagement
	c.nonNegative("model.engagement.motivation_weight", e.MotivationWeight)
	c.nonNegative("model.engagement.identity_weight", e.IdentityWeight)
	c.nonNegative("model.engagement.extrinsic_weight", e.ExtrinsicWeight)
	c.prob("model.engagement.forced_weight", e.ForcedWeight)
	c.prob("model.engagement.project_load", e.ProjectLoad)
	// A Beta distribution needs a mean strictly inside (0, 1) and a
	// positive concentration.
	if !(e.MotivationMean > 0 && e.MotivationMean < 1) {
		c.add("model.engagement.motivation_mean", "must be above 0 and below 1, got %v", e.MotivationMean)
	}
	if !(e.MotivationSpread > 0) || math.IsInf(e.MotivationSpread, 0) {
		c.add("model.engagement.motivation_spread", "must be above 0, got %v", e.MotivationSpread)
	}

	en := m.Encounter
	c.within("model.encounter.partners", en.Partners, 0, MaxPartners)
	c.nonNegative("model.encounter.epsilon", en.Epsilon)
	c.nonNegative("model.encounter.visibility", en.Visibility)
	c.nonNegative("model.encounter.visibility_floor", en.VisibilityFloor)
	c.prob("model.encounter.tie_gain", en.TieGain)
	c.prob("model.encounter.unit_tie_gain", en.UnitTieGain)
	c.prob("model.encounter.tie_decay", en.TieDecay)
	c.prob("model.encounter.boundary", en.Boundary)
	c.prob("model.encounter.outside", en.Outside)
	c.prob("model.encounter.cross_group", en.CrossGroup)

	l := m.Learning
	c.prob("model.learning.from_central", l.FromCentral)
	c.prob("model.learning.from_periphery", l.FromPeriphery)
	c.prob("model.learning.exploration", l.Exploration)
	c.prob("model.learning.explore_error", l.ExploreError)
	if !slices.Contains(LearningRules, l.Rule) {
		c.add("model.learning.rule", "unknown rule %s; %s", echo.Quote(l.Rule), suggestValue(l.Rule, LearningRules, "valid rules are"))
	}

	g := m.Legitimacy
	c.prob("model.legitimacy.gain", g.Gain)
	c.prob("model.legitimacy.decay", g.Decay)
	c.prob("model.legitimacy.competence_weight", g.CompetenceWeight)
	c.prob("model.legitimacy.access", g.Access)
	c.prob("model.legitimacy.closure", g.Closure)
	c.prob("model.legitimacy.strategic_closure", g.StrategicClosure)
	c.prob("model.legitimacy.momentum", g.Momentum)

	mo := m.Motivate
	c.prob("model.motivate.learning_gain", mo.LearningGain)
	c.prob("model.motivate.relax", mo.Relax)
	c.prob("model.motivate.crowding_out", mo.CrowdingOut)
	c.prob("model.motivate.autonomy_loss", mo.AutonomyLoss)
	c.prob("model.motivate.recognition", mo.Recognition)
	c.prob("model.motivate.review_crowding_out", mo.ReviewCrowdingOut)
	c.prob("model.motivate.identity_gain", mo.IdentityGain)
	c.prob("model.motivate.identity_decay", mo.IdentityDecay)

	// Roles partition legitimacy: 0 < peripheral <= active <= core <= 1.
	r := m.Roles
	okP, okA, okC := c.openProb("model.roles.peripheral", r.Peripheral),
		c.openProb("model.roles.active", r.Active), c.openProb("model.roles.core", r.Core)
	if okP && okA && r.Active < r.Peripheral {
		c.add("model.roles.active", "must be at least model.roles.peripheral (%v), got %v", r.Peripheral, r.Active).
			related = []string{"model.roles.peripheral"}
	}
	if okA && okC && r.Core < r.Active {
		c.add("model.roles.core", "must be at least model.roles.active (%v), got %v", r.Active, r.Core).
			related = []string{"model.roles.active"}
	}

	mg := m.Management
	c.prob("model.management.overhead", mg.Overhead)
	c.prob("model.management.agenda_rate", mg.AgendaRate)
	c.prob("model.management.knowledge", mg.Knowledge)
	c.prob("model.management.view_learning", mg.ViewLearning)
	c.prob("model.management.scrutiny_explore", mg.ScrutinyExplore)
	c.prob("model.management.time_given", mg.TimeGiven)
	c.prob("model.management.penalty", mg.Penalty)
	c.prob("model.management.support_access", mg.SupportAccess)
	c.prob("model.management.support_boundary", mg.SupportBoundary)
	c.prob("model.management.boundary_spanners", mg.BoundarySpanners)
	c.prob("model.management.boundary_events", mg.BoundaryEvents)
	c.prob("model.management.boundary_join", mg.BoundaryJoin)
	if c.within("model.management.seed_experts", mg.SeedExperts, 0, MaxPeople) && s.Population.People >= 1 && s.Population.People <= MaxPeople && mg.SeedExperts > s.Population.People {
		c.add("model.management.seed_experts", "must be at most population.people (%d), got %d", s.Population.People, mg.SeedExperts).
			related = []string{"population.people"}
	}

	st := m.Stage
	c.within("model.stage.min_members", st.MinMembers, 0, MaxPeople)
	c.within("model.stage.window", st.Window, 1, MaxStageWindow)
	c.prob("model.stage.coalesced", st.Coalesced)
	okM, okS := c.prob("model.stage.mature", st.Mature), c.prob("model.stage.steward", st.Steward)
	if okM && okS && st.Steward < st.Mature {
		c.add("model.stage.steward", "must be at least model.stage.mature (%v), got %v", st.Mature, st.Steward).
			related = []string{"model.stage.mature"}
	}
	c.prob("model.stage.decline", st.Decline)
}

// mixTolerance is how far the shares of model.socialization_mix may add up
// away from 1: enough for decimal fractions such as thirds written out
// (0.333333333333, ...), too little to hide a mistyped share.
const mixTolerance = 1e-9

// validateMix checks model.socialization_mix: at most MaxLearnerMix groups,
// each with a share above 0 and a rate in [0, 1], the shares adding up to
// 1. They are not normalised: a mix whose shares do not add up is more
// likely a mistake than a set of weights.
func validateMix(c *checker, mix []LearnerGroup) {
	if len(mix) > MaxLearnerMix {
		c.add("model.socialization_mix", "must have at most %d groups, got %d", MaxLearnerMix, len(mix))
		return
	}
	total, ok := 0.0, true
	for i, g := range mix {
		p := fmt.Sprintf("model.socialization_mix.%d.", i)
		if !(g.Share > 0 && g.Share <= 1) {
			c.add(p+"share", "must be above 0 and at most 1, got %v", g.Share)
			ok = false
		}
		total += g.Share
		c.prob(p+"rate", g.Rate)
	}
	if ok && len(mix) > 0 && math.Abs(total-1) > mixTolerance {
		c.add("model.socialization_mix", "the shares must add up to 1, got %v", total)
	}
}

// maxSocializationSpread bounds model.socialization_spread: at 100 the
// Beta's concentration is 0.01 and nearly every rate is already 0 or 1, so
// larger values would change nothing but the chance of underflow.
const maxSocializationSpread = 100

// validateSpread checks model.socialization_spread: 0 up to
// maxSocializationSpread, and not beside a mix, which would leave it unclear
// whose rate a person gets.
func validateSpread(c *checker, m *Model) {
	sp := m.SocializationSpread
	switch {
	case !(sp >= 0 && sp <= maxSocializationSpread):
		c.add("model.socialization_spread", "must be at least 0 and at most %v, got %v", maxSocializationSpread, sp)
	case sp > 0 && len(m.SocializationMix) > 0:
		c.add("model.socialization_spread", "cannot be combined with model.socialization_mix: give people either groups or a distribution of rates")
	}
}

func (s *Scenario) validateCommunities(c *checker) {
	if len(s.Communities) == 0 {
		return
	}
	if n := s.Population.Communities; n >= 1 && len(s.Communities) != n {
		c.add("communities", "lists %d communities but population.communities is %d; list all of them or none", len(s.Communities), n).
			related = []string{"population.communities"}
	}
	m := s.Model.Dimensions
	okM := m >= 1 && m <= MaxDimensions
	seen := map[string]int{}
	total, sharesOK := 0.0, true
	for i, cm := range s.Communities {
		p := fmt.Sprintf("communities.%d.", i)
		if c.text(p+"name", cm.Name) && c.short(p+"name", cm.Name) {
			if _, err := strconv.Atoi(cm.Name); err == nil {
				c.add(p+"name", "must not be a number, got %s (numbers refer to communities by index)", cm.Name)
			} else if j, dup := seen[cm.Name]; dup {
				c.add(p+"name", "%s is already the name of community %d; names must be unique", echo.Quote(cm.Name), j)
			}
			seen[cm.Name] = i
		}
		if !slices.Contains(Relationships, cm.Relationship) {
			c.add(p+"relationship", "unknown relationship %s; valid relationships are %s", echo.Quote(cm.Relationship), strings.Join(Relationships, ", "))
		}
		d := cm.Domain
		okFrom := c.within(p+"domain.from", d.From, 0, MaxDimensions)
		okTo := true
		if d.To < 0 {
			c.add(p+"domain.to", "must be at least 0 (0 means up to model.dimensions), got %d", d.To)
			okTo = false
		} else if !c.within(p+"domain.to", d.To, 0, MaxDimensions) {
			okTo = false
		} else if okM && d.To > m {
			c.add(p+"domain.to", "must be at most model.dimensions (%d), got %d", m, d.To).
				related = []string{"model.dimensions"}
			okTo = false
		}
		if okFrom && okTo && okM {
			if to := cmp0(d.To, m); d.From >= to {
				e := c.add(p+"domain.from", "must be below domain.to (%d), got %d", d.To, d.From)
				if d.To == 0 {
					e.Msg = fmt.Sprintf("must be below model.dimensions (%d) when domain.to is 0 (all), got %d", m, d.From)
				}
				e.related = []string{p + "domain.to"}
			}
		}
		if c.nonNegative(p+"share", cm.Share) {
			total += cm.Share
		} else {
			sharesOK = false
		}
	}
	switch {
	case sharesOK && math.IsInf(total, 0):
		c.add("communities", "the shares add up to more than the largest number; they are relative weights, so divide them all by the same number")
	case sharesOK && total == 0:
		c.add("communities", "at least one community needs a share above 0")
	}
}

func (s *Scenario) validateInterventions(c *checker) {
	if len(s.Interventions) > MaxInterventions {
		c.add("interventions", "must have at most %d items, got %d", MaxInterventions, len(s.Interventions))
		return
	}
	var names []string
	if n := s.Population.Communities; len(s.Communities) > 0 || n >= 1 && n <= MaxCommunities {
		// Never list the default names of an out-of-bounds count.
		names = s.CommunityNames()
	}
	index := make(map[string]bool, 2*len(names))
	for i, n := range names {
		index[n], index[strconv.Itoa(i)] = true, true
	}
	for i, iv := range s.Interventions {
		p := fmt.Sprintf("interventions.%d.", i)
		validateKind(c, p, iv)
		c.prob(p+"strength", iv.Strength)
		okStart := c.within(p+"start", iv.Start, 0, MaxTicks)
		okEnd := c.within(p+"end", iv.End, 0, MaxTicks)
		if okStart && okEnd && iv.End != 0 && iv.Start > iv.End {
			c.add(p+"start", "start %d is after end %d", iv.Start, iv.End).
				related = []string{p + "end"}
		}
		if okStart && s.Ticks >= 1 && s.Ticks <= MaxTicks && iv.Start > s.Ticks {
			c.add(p+"start", "must be at most ticks (%d), got %d", s.Ticks, iv.Start).
				related = []string{"ticks"}
		}
		if len(iv.Communities) > MaxCommunities {
			c.add(p+"communities", "must have at most %d items, got %d", MaxCommunities, len(iv.Communities))
			continue
		}
		for j, t := range iv.Communities {
			// A map, not communityIndex: a file may list many targets.
			if !index[t] {
				c.add(fmt.Sprintf("%scommunities.%d", p, j), "unknown community %s; communities are %s (or their indices 0 to %d)",
					echo.Quote(t), listNames(names), len(names)-1)
			}
		}
	}
}

// validateKind checks an intervention's kind and the fields its kind
// decides on, from the registry.
func validateKind(c *checker, p string, iv Intervention) {
	if iv.Kind == "" {
		c.add(p+"kind", "is required; valid kinds are %s", kindList())
		return
	}
	k, ok := KindNamed(iv.Kind)
	if !ok {
		c.add(p+"kind", "unknown kind %s; %s", echo.Quote(iv.Kind), suggestValue(iv.Kind, KindNames(), "valid kinds are"))
		return
	}
	switch _, ok := k.Reward(iv.Reward); {
	case len(k.Rewards) == 0 && iv.Reward != "":
		c.add(p+"reward", "only applies to kind %s, not %s; remove it", rewardKindList(), k.Name)
	case len(k.Rewards) == 0 || ok:
	case iv.Reward == "":
		c.add(p+"reward", "is required for kind %s; valid rewards are %s", k.Name, strings.Join(k.RewardNames(), ", ")).
			related = []string{p + "kind"}
	default:
		c.add(p+"reward", "unknown reward %s; %s", echo.Quote(iv.Reward), suggestValue(iv.Reward, k.RewardNames(), "valid rewards are"))
	}
}

// rewardKindList names the kinds that take a reward, for a message.
func rewardKindList() string {
	var names []string
	for _, k := range kinds {
		if len(k.Rewards) > 0 {
			names = append(names, k.Name)
		}
	}
	return strings.Join(names, " or ")
}

// suggestValue proposes the closest valid value, or lists them all after
// intro.
func suggestValue(v string, all []string, intro string) string {
	if best := spell.Nearest(v, all); best != "" {
		return fmt.Sprintf("did you mean %s?", best)
	}
	return intro + " " + strings.Join(all, ", ")
}

// cmp0 returns x, or def when x is 0.
func cmp0(x, def int) int {
	if x == 0 {
		return def
	}
	return x
}

// checker collects validation errors. Its checks report whether the value
// passed, so that cross-field checks run only on values that are in range.
type checker struct {
	errs ErrorList
}

func (c *checker) add(field, format string, args ...any) *Error {
	e := &Error{Field: field, Msg: fmt.Sprintf(format, args...)}
	c.errs = append(c.errs, e)
	return e
}

func (c *checker) atLeast(field string, x, lo int) bool {
	if x < lo {
		c.add(field, "must be at least %d, got %d", lo, x)
		return false
	}
	return true
}

// within checks a whole number against its range [lo, hi]; hi is one of
// the bounds of bounds.go.
func (c *checker) within(field string, x, lo, hi int) bool {
	if !c.atLeast(field, x, lo) {
		return false
	}
	if x > hi {
		c.add(field, "must be at most %d, got %d", hi, x)
		return false
	}
	return true
}

// short checks the length of a name that is not a folder name.
func (c *checker) short(field, x string) bool {
	if len(x) > MaxNameBytes {
		c.add(field, "must be at most %d bytes, got %d", MaxNameBytes, len(x))
		return false
	}
	return true
}

// prob checks a probability or share: [0, 1]. Written so that NaN fails.
func (c *checker) prob(field string, x float64) bool {
	if !(x >= 0 && x <= 1) {
		c.add(field, "must be between 0 and 1, got %v", x)
		return false
	}
	return true
}

// openProb checks a threshold in (0, 1].
func (c *checker) openProb(field string, x float64) bool {
	if !(x > 0 && x <= 1) {
		c.add(field, "must be above 0 and at most 1, got %v", x)
		return false
	}
	return true
}

func (c *checker) nonNegative(field string, x float64) bool {
	if !(x >= 0) || math.IsInf(x, 0) {
		c.add(field, "must be a finite number of 0 or more, got %v", x)
		return false
	}
	return true
}

// text checks a name: not blank, one line.
func (c *checker) text(field, x string) bool {
	switch {
	case strings.TrimSpace(x) == "":
		c.add(field, "must not be empty")
		return false
	case strings.ContainsAny(x, "\n\r"):
		c.add(field, "must be a single line")
		return false
	}
	return true
}

// listNames lists community names for a message: the first ten, clipped,
// since a scenario may have a thousand.
func listNames(names []string) string {
	const most = 10
	l := make([]string, 0, most+1)
	for _, n := range names[:min(len(names), most)] {
		l = append(l, echo.Clip(n))
	}
	if len(names) > most {
		l = append(l, fmt.Sprintf("… (%d in all)", len(names)))
	}
	return strings.Join(l, ", ")
}
