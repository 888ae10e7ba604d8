package scenarios

import (
	"fmt"
	"slices"
	"strconv"
)

// DefaultCommunity is the starting point of the i-th item of a scenario's
// communities list: named "c<i>", legitimized, the whole domain, share 1.
func DefaultCommunity(i int) Community {
	return Community{Name: fmt.Sprintf("c%d", i), Relationship: Legitimized, Share: 1}
}

// DefaultIntervention is the starting point of an item of a scenario's
// interventions list: full strength for the whole run, on every community.
// Kind has no default.
func DefaultIntervention() Intervention {
	return Intervention{Strength: 1}
}

// CommunitySettings returns the settings of every community: the
// communities list when given, else DefaultCommunity for each of
// population.communities.
func (s Scenario) CommunitySettings() []Community {
	if len(s.Communities) > 0 {
		return slices.Clone(s.Communities)
	}
	cs := make([]Community, max(s.Population.Communities, 0))
	for i := range cs {
		cs[i] = DefaultCommunity(i)
	}
	return cs
}

// CommunityNames returns the name of every community, in index order.
func (s Scenario) CommunityNames() []string {
	cs := s.CommunitySettings()
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
	}
	return names
}

// Targets returns the indices of the communities an intervention reaches,
// in ascending order: all of them when iv names none. Unknown names are
// skipped (Validate refuses them).
func (s Scenario) Targets(iv Intervention) []int {
	names := s.CommunityNames()
	if len(iv.Communities) == 0 {
		all := make([]int, len(names))
		for i := range all {
			all[i] = i
		}
		return all
	}
	var idx []int
	for _, t := range iv.Communities {
		if i := communityIndex(names, t); i >= 0 && !slices.Contains(idx, i) {
			idx = append(idx, i)
		}
	}
	slices.Sort(idx)
	return idx
}

// DomainOf returns the half-open range [from, to) of dimensions community
// c is about, with to == 0 resolved to model.dimensions.
func (s Scenario) DomainOf(c int) (from, to int) {
	m := s.Model.Dimensions
	if c < 0 || c >= len(s.Communities) {
		return 0, m
	}
	d := s.Communities[c].Domain
	if d.To == 0 {
		return d.From, m
	}
	return d.From, d.To
}

// communityIndex resolves a target, a name or a decimal index, to an
// index, or -1. Names win; Validate forbids names that are numbers anyway.
func communityIndex(names []string, t string) int {
	if i := slices.Index(names, t); i >= 0 {
		return i
	}
	i, err := strconv.Atoi(t)
	if err != nil || i < 0 || i >= len(names) || strconv.Itoa(i) != t {
		return -1
	}
	return i
}
