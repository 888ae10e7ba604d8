package scenarios

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

func TestBuiltins(t *testing.T) {
	want := []string{"baseline", "boundary_activity", "fang2010", "insular_strategic", "legitimized_support", "march1991",
		"over_management", "penalizing_compensation", "rewards_individual", "rewards_recognition", "seeding"}
	var names []string
	for _, info := range Builtins() {
		names = append(names, info.Name)
		src, ok := BuiltinSource(info.Name)
		if !ok {
			t.Fatalf("%s: no source", info.Name)
		}
		if src2, ok := BuiltinSource(info.Name + ".yaml"); !ok || string(src2) != string(src) {
			t.Errorf("%s.yaml: not found by its file name", info.Name)
		}
		s, err := Parse(info.Name+".yaml", src)
		if err != nil {
			t.Fatalf("%s: %v", info.Name, err)
		}
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", info.Name, err)
		}
		if s.Name != info.Name {
			t.Errorf("%s: the file names the scenario %q", info.Name, s.Name)
		}
		if n := strings.Count(info.Description, ". ") + strings.Count(info.Description, "? ") + 1; n < 2 || n > 4 || !strings.Contains(info.Description, "?") {
			t.Errorf("%s: the description should ask its question in 2-4 sentences, got %d: %q", info.Name, n, info.Description)
		}
	}
	if !slices.Equal(names, want) {
		t.Errorf("built-ins %q, want %q", names, want)
	}
	for _, bad := range []string{"", "nosuch", "../parse.go", "library/baseline", "baseline.yml"} {
		if _, ok := BuiltinSource(bad); ok {
			t.Errorf("BuiltinSource(%q) found something", bad)
		}
	}
}

// TestBuiltinsAreMinimal keeps the built-ins readable: outside lists, a
// key is written only when it differs from the default. march1991 pins
// March's parameters on purpose.
func TestBuiltinsAreMinimal(t *testing.T) {
	defaults := map[string]string{}
	out, err := Marshal(Default())
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Load(out, &doc); err != nil {
		t.Fatal(err)
	}
	scalars(doc.Content[0], "", func(path, value string) { defaults[path] = value })
	for _, info := range Builtins() {
		if info.Name == "march1991" {
			continue
		}
		src, _ := BuiltinSource(info.Name)
		var doc yaml.Node
		if err := yaml.Load(src, &doc); err != nil {
			t.Fatal(err)
		}
		scalars(doc.Content[0], "", func(path, value string) {
			if d, ok := defaults[path]; ok && d == value && path != "name" {
				t.Errorf("%s: %s: %s is the default; leave it out", info.Name, path, value)
			}
		})
	}
}

// scalars calls f for every scalar under mappings, not inside lists.
func scalars(n *yaml.Node, path string, f func(path, value string)) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			scalars(n.Content[i+1], joinPath(path, n.Content[i].Value), f)
		}
	case yaml.ScalarNode:
		f(path, n.Value)
	}
}

func TestBuiltinContents(t *testing.T) {
	load := func(name string) Scenario {
		t.Helper()
		s, err := Load(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	base := load("baseline")
	if base.Population.Communities != 3 || base.Population.People != 300 || base.Ticks != 200 || base.Replications != 10 || len(base.Interventions) != 0 {
		t.Errorf("baseline: %+v", base)
	}
	single := map[string]Intervention{
		"over_management":         {Kind: OverManagement, Strength: 0.8, Start: 20},
		"rewards_individual":      {Kind: Rewards, Reward: IndividualContribution, Strength: 0.8, Start: 20},
		"rewards_recognition":     {Kind: Rewards, Reward: ParticipationRecognition, Strength: 0.8, Start: 20},
		"penalizing_compensation": {Kind: Rewards, Reward: PenalizingCompensation, Strength: 0.8, Start: 20},
		"boundary_activity":       {Kind: BoundaryActivity, Strength: 0.8, Start: 20},
		"seeding":                 {Kind: Seeding, Strength: 1, Start: 0, Communities: []string{"c0"}},
	}
	for name, iv := range single {
		s := load(name)
		if !reflect.DeepEqual(s.Interventions, []Intervention{iv}) {
			t.Errorf("%s: interventions %+v", name, s.Interventions)
		}
		s.Interventions, s.Name, s.Description = nil, base.Name, base.Description
		if !reflect.DeepEqual(s, base) {
			t.Errorf("%s differs from the baseline beyond its intervention", name)
		}
	}
	ls := load("legitimized_support")
	if len(ls.Interventions) != 2 || ls.Interventions[0].Kind != LegitimizeParticipation || ls.Interventions[1].Kind != SupportTeam {
		t.Errorf("legitimized_support: %+v", ls.Interventions)
	}
	is := load("insular_strategic")
	if is.Communities[0].Relationship != Strategic || is.Communities[1].Relationship != Legitimized ||
		is.Communities[2].Relationship != Legitimized || is.Model.Legitimacy.Closure != 0.9 {
		t.Errorf("insular_strategic: %+v %+v", is.Communities, is.Model.Legitimacy)
	}
	m := load("march1991")
	mm := m.Model
	if m.Population.People != 50 || m.Population.Units != 1 || m.Population.Communities != 1 || m.Population.MultiMembership != 0 ||
		mm.Dimensions != 30 || mm.Socialization != 0.1 || mm.CodeLearning != 0.5 || mm.Turnover != 0 || mm.Turbulence != 0 ||
		mm.LPP || mm.Network || mm.Boundaries || mm.Motivation || !mm.StopAtEquilibrium ||
		m.Ticks != 10000 || m.Replications != 80 || m.Output.NetworkNodes != 50 || !strings.Contains(m.Description, "March (1991)") && !strings.Contains(m.Description, "March's (1991)") {
		t.Errorf("march1991: %+v", m)
	}
}
