package scenarios

import (
	"fmt"
	"slices"
	"strings"
)

// Change sets one parameter from a week on. A scenario's parameters are
// those of its file until its first change; a change takes effect at the
// start of its week, before any mechanism of that week runs, and lasts
// until a later change of the same key. Changes let a saved classroom
// session, whose teacher moved sliders while it ran, be run again exactly.
type Change struct {
	Week  int     `yaml:"week" json:"week"` // 1 to ticks
	Key   string  `yaml:"key" json:"key"`   // one of ChangeableKeys
	Value float64 `yaml:"value" json:"value"`
}

// changeable are the parameters a Change may set. Each can move during a
// run without changing the world's sizes: rates read every week
// (socialization, code learning, turnover, turbulence) and two drawn when
// a person arrives, which a change therefore makes act on newcomers only.
var changeable = map[string]func(*Scenario) *float64{
	"model.socialization":           func(s *Scenario) *float64 { return &s.Model.Socialization },
	"model.code_learning":           func(s *Scenario) *float64 { return &s.Model.CodeLearning },
	"model.turnover":                func(s *Scenario) *float64 { return &s.Model.Turnover },
	"model.turbulence":              func(s *Scenario) *float64 { return &s.Model.Turbulence },
	"population.multi_membership":   func(s *Scenario) *float64 { return &s.Population.MultiMembership },
	"model.engagement.project_load": func(s *Scenario) *float64 { return &s.Model.Engagement.ProjectLoad },
}

// ChangeableKeys lists, sorted, the keys a Change may set.
func ChangeableKeys() []string {
	keys := make([]string, 0, len(changeable))
	for k := range changeable {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Apply sets c's parameter in s. It does not validate the value.
func (c Change) Apply(s *Scenario) error {
	f, ok := changeable[c.Key]
	if !ok {
		return fmt.Errorf("scenarios: %q cannot change during a run; the keys that can are %s", c.Key, strings.Join(ChangeableKeys(), ", "))
	}
	*f(s) = c.Value
	return nil
}

// ChangesTo reports whether s sets key at any week, and the largest value
// it sets it to.
func (s *Scenario) ChangesTo(key string) (changed bool, most float64) {
	for _, c := range s.Changes {
		if c.Key == key {
			if !changed || c.Value > most {
				most = c.Value
			}
			changed = true
		}
	}
	return changed, most
}

// validateChanges checks each change: a week within the run, a key that
// can change, a value valid for that key (checked by validating a copy of
// the scenario with it set), and no key set twice in one week.
func (s *Scenario) validateChanges(c *checker) {
	if len(s.Changes) > MaxChanges {
		c.add("changes", "must have at most %d items, got %d", MaxChanges, len(s.Changes))
		return
	}
	type at struct {
		week int
		key  string
	}
	seen := map[at]int{}
	for i, ch := range s.Changes {
		p := fmt.Sprintf("changes.%d.", i)
		okWeek := c.within(p+"week", ch.Week, 1, MaxTicks)
		if okWeek && s.Ticks >= 1 && s.Ticks <= MaxTicks && ch.Week > s.Ticks {
			c.add(p+"week", "must be at most ticks (%d), got %d", s.Ticks, ch.Week).related = []string{"ticks"}
		}
		f, ok := changeable[ch.Key]
		if !ok {
			c.add(p+"key", "%q cannot change during a run; %s", ch.Key,
				suggestValue(ch.Key, ChangeableKeys(), "the keys that can are"))
			continue
		}
		if j, dup := seen[at{ch.Week, ch.Key}]; dup && okWeek {
			c.add(p+"key", "changes.%d already sets %s in week %d", j, ch.Key, ch.Week)
		}
		seen[at{ch.Week, ch.Key}] = i
		// The value's own rules are the key's: validate a copy with it.
		cp := *s
		cp.Changes, cp.Interventions = nil, nil
		*f(&cp) = ch.Value
		var sub checker
		cp.validateModel(&sub)
		sub.prob("population.multi_membership", cp.Population.MultiMembership)
		for _, e := range sub.errs {
			if e.Field == ch.Key {
				c.add(p+"value", "%s: %s", ch.Key, e.Msg)
				break
			}
		}
	}
}
