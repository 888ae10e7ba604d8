package scenarios

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestLoadSetErrors(t *testing.T) {
	cases := []struct {
		name, set, field, msg string
	}{
		{"unknown field", "model.socialzation=0.9", "model.socialzation", "unknown field; did you mean socialization?"},
		{"unknown nested path", "model.nothing.here=1", "model.nothing", "unknown field"},
		{"wrong value type", "population.people=lots", "population.people", `must be a whole number, got the text "lots"`},
		{"float for int", "ticks=2.5", "ticks", "must be a whole number, got 2.5"},
		{"out of range", "model.socialization=1.5", "model.socialization", "must be between 0 and 1, got 1.5"},
		{"missing value", "seed=", "seed", "has no value"},
		{"no equals sign", "seed", "", "must have the form key=value"},
		{"empty path part", "model..turnover=0", "model..turnover", "has an empty part"},
		{"path through a value", "ticks.max=3", "ticks.max", `ticks is a single value, so it has no "max" inside`},
		{"index out of range", "interventions.1.kind=seeding", "interventions.1", "index 1 is out of range; interventions has 0 items (index 0 adds one)"},
		{"not an index", "communities.first.name=a", "communities.first", `communities is a list, and "first" is not an index`},
		{"bad intervention kind", "interventions.0.kind=bonus", "interventions.0.kind", `unknown kind "bonus"`},
		{"list for a number", "model.turnover=[1, 2]", "model.turnover", "must be a number, got a list"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// interventions exists (empty) so that the index cases are exact.
			_, err := Load("baseline", []string{"interventions=[]", tc.set})
			checkFirstError(t, err, "--set "+tc.set, 0, tc.field, tc.msg)
		})
	}
}

func TestLoadSetErrorInFile(t *testing.T) {
	// A value the file gives and no override touches is reported at its line
	// even when overrides are present.
	dir := t.TempDir()
	path := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(path, []byte("name: s\nmodel:\n  turnover: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path, []string{"seed=3"})
	checkFirstError(t, err, path, 3, "model.turnover", "must be between 0 and 1, got 3")
}

func TestLoadSets(t *testing.T) {
	s, err := Load("over_management.yaml", []string{
		"model.socialization=0.9",
		"population.people=1000",
		"interventions.0.strength=0.5",
		"interventions.1.kind=seeding",
		"interventions.1.communities=[c0, 2]",
		"seed=7",
		"model.learning.require_better=true",
		"description=Question: what if? #2",
		"communities.0.relationship=strategic",
		"communities.1.name=tools",
		"communities.2.domain.to=10",
	})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Load("over_management", nil)
	want.Model.Socialization = 0.9
	want.Population.People = 1000
	want.Interventions[0].Strength = 0.5
	want.Interventions = append(want.Interventions, Intervention{Kind: Seeding, Strength: 1, Communities: []string{"c0", "2"}})
	want.Seed = 7
	want.Model.Learning.RequireBetter = true
	want.Description = "Question: what if? #2"
	want.Communities = []Community{DefaultCommunity(0), DefaultCommunity(1), DefaultCommunity(2)}
	want.Communities[0].Relationship = Strategic
	want.Communities[1].Name = "tools"
	want.Communities[2].Domain.To = 10
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got  %+v\nwant %+v", s, want)
	}
}

func TestLoadSetThroughAlias(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.yaml")
	src := "name: a\ninterventions:\n  - &om {kind: over_management, strength: 0.5}\n  - *om\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(path, []string{"interventions.1.strength=0.2"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Interventions[0].Strength != 0.5 || s.Interventions[1].Strength != 0.2 {
		t.Errorf("an override through an alias changed the anchor: %+v", s.Interventions)
	}
}

func TestLoadPrefersFiles(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("baseline.yaml", []byte("name: mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load("baseline.yaml", nil)
	if err != nil || s.Name != "mine" {
		t.Errorf("got %q, %v; want the local file", s.Name, err)
	}
	s, err = Load("baseline", nil)
	if err != nil || s.Name != "baseline" {
		t.Errorf("got %q, %v; want the built-in", s.Name, err)
	}
	_, err = Load("nosuch", nil)
	if err == nil || err.Error() != "no file or built-in scenario named \"nosuch\"; run `copsim scenarios` to list them" {
		t.Errorf("got %v", err)
	}
	_, err = Load(dir, nil)
	if err == nil {
		t.Errorf("loading a directory succeeded")
	}
}

func TestApplySets(t *testing.T) {
	base := Default()
	s, err := ApplySets(base, []string{"model.turnover=0.1", "interventions.0.kind=support_team"})
	if err != nil {
		t.Fatal(err)
	}
	base.Model.Turnover = 0.1
	base.Interventions = []Intervention{{Kind: SupportTeam, Strength: 1}}
	if !reflect.DeepEqual(s, base) {
		t.Errorf("got %+v, want %+v", s, base)
	}
	if base.Interventions[0].Kind != SupportTeam || Default().Interventions != nil {
		t.Errorf("ApplySets changed its input")
	}

	_, err = ApplySets(Default(), []string{"model.turnover=2"})
	checkFirstError(t, err, "--set model.turnover=2", 0, "model.turnover", "must be between 0 and 1, got 2")

	// A problem in the scenario itself has no position to report.
	bad := Default()
	bad.Ticks = 0
	_, err = ApplySets(bad, nil)
	checkFirstError(t, err, "", 0, "ticks", "must be at least 1, got 0")
}
