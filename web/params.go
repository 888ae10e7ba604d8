package web

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/copsim/copsim/scenarios"
)

// slider is a model parameter the page lets the teacher move while the
// simulation runs, under its scenario key (docs/scenarios.md).
type slider struct {
	Key      string  `json:"key"`
	Label    string  `json:"label"`
	Caption  string  `json:"caption"` // one sentence, for the teacher to read out
	Min      float64 `json:"min"`
	Max      float64 `json:"max"`
	Step     float64 `json:"step"`
	Newcomer bool    `json:"newcomer"` // drawn when a person arrives: acts on newcomers
	field    func(sc *scenarios.Scenario) *float64
}

// sliders are the main parameters of the model, in the page's order. Their
// ranges are narrower than the scenario bounds where the full range would
// make the slider useless (turnover of 1 replaces everyone every week).
var sliders = []slider{
	{Key: "model.socialization", Label: "Learning from the community", Min: 0, Max: 1, Step: 0.01,
		Caption: "How fast members take up what their community holds to be right (March's p1).",
		field:   func(sc *scenarios.Scenario) *float64 { return &sc.Model.Socialization }},
	{Key: "model.code_learning", Label: "Community learning from members", Min: 0, Max: 1, Step: 0.01,
		Caption: "How fast the community's shared view learns from members who know better (March's p2).",
		field:   func(sc *scenarios.Scenario) *float64 { return &sc.Model.CodeLearning }},
	{Key: "model.turnover", Label: "Turnover", Min: 0, Max: 0.05, Step: 0.001,
		Caption: "Chance each week that a person leaves and a newcomer takes their place (March's p3).",
		field:   func(sc *scenarios.Scenario) *float64 { return &sc.Model.Turnover }},
	{Key: "model.turbulence", Label: "Turbulence", Min: 0, Max: 0.05, Step: 0.001,
		Caption: "Chance each week that each fact of the world changes, so what was right becomes wrong (March's p4).",
		field:   func(sc *scenarios.Scenario) *float64 { return &sc.Model.Turbulence }},
	{Key: "population.multi_membership", Label: "Several communities", Min: 0, Max: 1, Step: 0.05, Newcomer: true,
		Caption: "Chance that a person also belongs to another community; people joining from now on.",
		field:   func(sc *scenarios.Scenario) *float64 { return &sc.Population.MultiMembership }},
	{Key: "model.engagement.project_load", Label: "Project load", Min: 0.05, Max: 0.95, Step: 0.05, Newcomer: true,
		Caption: "Mean share of a person's time taken by project work; people joining from now on.",
		field:   func(sc *scenarios.Scenario) *float64 { return &sc.Model.Engagement.ProjectLoad }},
}

func sliderNamed(key string) (slider, bool) {
	for _, s := range sliders {
		if s.Key == key {
			return s, true
		}
	}
	return slider{}, false
}

func sliderKeys() []string {
	var out []string
	for _, s := range sliders {
		out = append(out, s.Key)
	}
	return out
}

// paramChange is one move of a slider: the parameter has value from tick
// Tick on.
type paramChange struct {
	Tick  int     `json:"tick"`
	Key   string  `json:"key"`
	Value float64 `json:"value"`
}

// parseParam reads a slider move: a known key and a number within the
// slider's range.
func parseParam(q url.Values) (slider, float64, string) {
	key := q.Get("key")
	s, ok := sliderNamed(key)
	if !ok {
		return s, 0, fmt.Sprintf("Unknown parameter %.60q; the sliders are %s.", key, strings.Join(sliderKeys(), ", "))
	}
	v := q.Get("value")
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || !(x >= s.Min && x <= s.Max) {
		return s, 0, fmt.Sprintf("The value of %s must be a number from %g to %g, got %.40q.", s.Key, s.Min, s.Max, v)
	}
	return s, x, ""
}

// paramValues are the sliders' current values in sc.
func paramValues(sc *scenarios.Scenario) map[string]float64 {
	out := make(map[string]float64, len(sliders))
	for _, s := range sliders {
		out[s.Key] = *s.field(sc)
	}
	return out
}

// setParam moves a slider. Before the first week the world is built again
// with the new value, so that the parameter holds from the start, as in a
// scenario file; later the world takes it from the next tick on.
func (se *session) setParam(s slider, x float64) string {
	return se.do(func() string {
		next := se.world.Tick() + 1
		if se.finishedLocked() || next > se.sc.Ticks {
			return fmt.Sprintf("The run has ended at week %d; press Reset to start again.", se.world.Tick())
		}
		sc := se.sc
		*s.field(&sc) = x
		sc.Interventions = se.schedule
		if err := sc.Validate(); err != nil {
			return "This value does not make a valid scenario: " + strings.TrimSpace(err.Error())
		}
		// A move replaces an earlier one of the same key at the same tick.
		se.params = slices.DeleteFunc(se.params, func(p paramChange) bool { return p.Key == s.Key && p.Tick == next })
		se.params = append(se.params, paramChange{Tick: next, Key: s.Key, Value: x})
		if se.world.Tick() == 0 {
			sched, params := se.schedule, se.params
			sc.Interventions = se.sc.Interventions
			se.resetLocked(se.p, sc)
			se.params = params
			if err := se.world.SetInterventions(sched); err != nil {
				return err.Error()
			}
			se.schedule = sched
		} else if err := se.world.SetParameters(sc); err != nil {
			return err.Error() // the world's sizes do not depend on the sliders: not expected
		}
		sc.Interventions = se.sc.Interventions
		se.sc = sc
		se.broadcastLocked("state", se.stateLocked(se.world.Tick() == 0))
		return ""
	})
}

// exportScenario is the session as a scenario file that `copsim run`
// reproduces exactly: the switches pressed are timed interventions, the
// parameters are those in force at the first week, and later slider moves
// are the scenario's changes.
func (se *session) exportScenario() (yaml []byte, msg string) {
	msg = se.do(func() string {
		sc := se.sc
		sc.Changes = nil
		for _, s := range sliders {
			// The value in force at week 1: the latest move at tick 1,
			// which rebuilt the world with it.
			*s.field(&sc) = se.initial[s.Key]
			for _, p := range se.params {
				if p.Key == s.Key && p.Tick <= 1 {
					*s.field(&sc) = p.Value
				}
			}
		}
		for _, p := range se.params {
			if p.Tick > 1 {
				sc.Changes = append(sc.Changes, scenarios.Change{Week: p.Tick, Key: p.Key, Value: p.Value})
			}
		}
		sc.Interventions = append([]scenarios.Intervention(nil), se.schedule...)
		sc.Name = sanitizeName(se.p.Scenario + "_session")
		sc.Description = strings.TrimSpace(sc.Description + " Saved from a classroom session at week " +
			strconv.Itoa(se.world.Tick()) + ", with the switches pressed as timed interventions and the slider moves as changes.")
		body, err := scenarios.Marshal(sc)
		if err != nil {
			return "The session could not be written as a scenario: " + err.Error()
		}
		yaml = append([]byte("# Saved by copsim serve. Run it with: copsim run <this file>\n"), body...)
		return ""
	})
	return yaml, msg
}

// sanitizeName keeps the characters a scenario name may have.
func sanitizeName(s string) string {
	if scenarios.CheckName(s) == nil {
		return s
	}
	return "classroom_session"
}
