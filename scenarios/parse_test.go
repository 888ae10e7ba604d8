package scenarios

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// errCase is one bad input and where its first error must point.
type errCase struct {
	name  string
	src   string
	line  int
	field string
	msg   string // substring of the message
}

var parseErrorCases = []errCase{
	{"unknown top-level key", "name: x\nreplicatons: 3\n", 2, "replicatons", "unknown field; did you mean replications?"},
	{"unknown nested key", "name: x\nmodel:\n  roles:\n    cor: 0.7\n", 4, "model.roles.cor", "did you mean core?"},
	{"unknown key lists valid keys", "name: x\noutput:\n  pictures: 3\n", 3, "output.pictures", "valid keys here are measure_every, network_nodes"},
	{"unknown key in list item", "name: x\ninterventions:\n  - kind: seeding\n    strenght: 1\n", 4, "interventions.0.strenght", "did you mean strength?"},
	{"wrong type text for int", "name: x\npopulation:\n  people: many\n", 3, "population.people", `must be a whole number, got the text "many"`},
	{"wrong type float for int", "name: x\nticks: 1.5\n", 2, "ticks", "must be a whole number, got 1.5"},
	{"wrong type list for number", "name: x\nmodel:\n  turnover: [1]\n", 3, "model.turnover", "must be a number, got a list"},
	{"wrong type scalar for mapping", "name: x\nmodel: 5\n", 2, "model", "must be a mapping of keys to values, got 5"},
	{"wrong type yes for bool", "name: x\nmodel:\n  lpp: yes\n", 3, "model.lpp", `must be true or false, got the text "yes"`},
	{"wrong type number for text", "name: 2024\n", 1, "name", `must be text, got 2024 (write "2024" to use it as text)`},
	{"negative seed", "name: x\nseed: -1\n", 2, "seed", "must be a whole number from 0 up, got -1"},
	{"not a number", "name: x\nmodel:\n  turnover: .nan\n", 3, "model.turnover", "must be a finite number, got .nan"},
	{"mix rate out of range", "name: x\nmodel:\n  socialization_mix:\n    - {share: 0.5, rate: 0.1}\n    - {share: 0.5, rate: 1.5}\n", 5, "model.socialization_mix.1.rate", "must be between 0 and 1, got 1.5"},
	{"mix shares do not add up", "name: x\nmodel:\n  socialization_mix:\n    - {share: 0.5, rate: 0.1}\n    - {share: 0.6, rate: 0.9}\n", 3, "model.socialization_mix", "the shares must add up to 1, got 1.1"},
	{"mix unknown key", "name: x\nmodel:\n  socialization_mix:\n    - {share: 1, rat: 0.1}\n", 4, "model.socialization_mix.0.rat", "did you mean rate?"},
	{"null value", "name: x\nmodel:\n  turnover:\n", 3, "model.turnover", "has no value"},
	{"duplicate key", "name: x\nticks: 10\nticks: 20\n", 3, "ticks", "duplicate key; it is already given on line 2"},
	{"duplicate nested key", "name: x\nmodel:\n  roles:\n    core: 0.7\n    core: 0.8\n", 5, "model.roles.core", "duplicate key; it is already given on line 4"},
	{"probability out of range", "name: x\nmodel:\n  socialization: 1.5\n", 3, "model.socialization", "must be between 0 and 1, got 1.5"},
	{"count out of range", "name: x\npopulation:\n  people: 0\n", 3, "population.people", "must be at least 1, got 0"},
	{"dimensions too many", "name: x\nmodel:\n  dimensions: 300\n", 3, "model.dimensions", "must be at most 256, got 300"},
	{"empty name", "name: ''\n", 1, "name", "must not be empty"},
	{"roles out of order, located at the given key", "name: x\nmodel:\n  roles:\n    peripheral: 0.5\n", 4, "model.roles.active", "must be at least model.roles.peripheral (0.5), got 0.3"},
	{"units above people, located at people", "name: x\npopulation:\n  people: 4\n", 3, "population.units", "must be at most population.people (4), got 6"},
	{"stage thresholds", "name: x\nmodel:\n  stage:\n    mature: 0.9\n", 4, "model.stage.steward", "must be at least model.stage.mature (0.9), got 0.8"},
	{"motivation mean at 0", "name: x\nmodel:\n  engagement:\n    motivation_mean: 0\n", 4, "model.engagement.motivation_mean", "must be above 0 and below 1, got 0"},
	{"unknown intervention kind", "name: x\ninterventions:\n  - kind: micromanagement\n    strength: 0.5\n", 3, "interventions.0.kind",
		`unknown kind "micromanagement"; valid kinds are over_management, rewards, boundary_activity, legitimize_participation, support_team, seeding`},
	{"misspelt intervention kind", "name: x\ninterventions:\n  - kind: over_managment\n", 3, "interventions.0.kind",
		`unknown kind "over_managment"; did you mean over_management?`},
	{"missing intervention kind", "name: x\ninterventions:\n  - strength: 0.5\n", 3, "interventions.0.kind", "is required; valid kinds are over_management"},
	{"start after end", "name: x\ninterventions:\n  - kind: seeding\n    strength: 0.5\n    start: 50\n    end: 20\n", 5, "interventions.0.start", "start 50 is after end 20"},
	{"start after the run", "name: x\nticks: 100\ninterventions:\n  - kind: seeding\n    start: 150\n", 5, "interventions.0.start", "must be at most ticks (100), got 150"},
	{"strength out of range", "name: x\ninterventions:\n  - kind: seeding\n    strength: 2\n", 4, "interventions.0.strength", "must be between 0 and 1, got 2"},
	{"bad reward", "name: x\ninterventions:\n  - kind: rewards\n    reward: bonus\n", 4, "interventions.0.reward",
		`unknown reward "bonus"; valid rewards are individual_contribution, participation_recognition, penalizing_compensation`},
	{"misspelt reward", "name: x\ninterventions:\n  - kind: rewards\n    reward: participation_recogniton\n", 4, "interventions.0.reward",
		`unknown reward "participation_recogniton"; did you mean participation_recognition?`},
	{"missing reward, located at kind", "name: x\ninterventions:\n  - kind: rewards\n    strength: 1\n", 3, "interventions.0.reward", "is required for kind rewards"},
	{"reward on wrong kind", "name: x\ninterventions:\n  - kind: seeding\n    strength: 1\n    reward: individual_contribution\n", 5, "interventions.0.reward", "only applies to kind rewards, not seeding; remove it"},
	{"unknown community target", "name: x\ninterventions:\n  - kind: seeding\n    communities:\n      - c0\n      - experts\n", 6, "interventions.0.communities.1",
		`unknown community "experts"; communities are c0, c1, c2 (or their indices 0 to 2)`},
	{"community index out of range", "name: x\ninterventions:\n  - kind: seeding\n    communities: [0, 3]\n", 4, "interventions.0.communities.1", `unknown community "3"`},
	{"communities list too short", "name: x\ncommunities:\n  - name: a\n", 2, "communities", "lists 1 communities but population.communities is 3"},
	{"duplicate community name", "name: x\npopulation:\n  communities: 2\ncommunities:\n  - name: a\n  - name: a\n", 6, "communities.1.name", `"a" is already the name of community 0`},
	{"numeric community name", "name: x\npopulation:\n  communities: 1\ncommunities:\n  - name: '7'\n", 5, "communities.0.name", "must not be a number"},
	{"bad relationship", "name: x\npopulation:\n  communities: 1\ncommunities:\n  - relationship: official\n", 5, "communities.0.relationship",
		`unknown relationship "official"; valid relationships are unrecognized, bootlegged, legitimized, strategic, transformative`},
	{"domain beyond dimensions", "name: x\npopulation:\n  communities: 1\ncommunities:\n  - domain: {from: 0, to: 40}\n", 5, "communities.0.domain.to", "must be at most model.dimensions (30), got 40"},
	{"empty domain", "name: x\npopulation:\n  communities: 1\ncommunities:\n  - domain:\n      from: 10\n      to: 10\n", 6, "communities.0.domain.from", "must be below domain.to (10), got 10"},
	{"list expected", "name: x\ninterventions:\n  kind: seeding\n", 3, "interventions", "must be a list, got a mapping"},
	{"empty file", "", 1, "", "the file is empty"},
	{"comments only", "# nothing here\n", 1, "", "the file is empty"},
	{"null document", "~\n", 1, "", "the file holds no scenario"},
	{"not a mapping", "- name: x\n", 1, "", "must be a mapping of keys to values, got a list"},
	{"two documents", "name: x\n---\nname: y\n", 2, "", "a second YAML document starts here"},
	{"invalid YAML", "name: x\nmodel:\n  roles: [\n", 4, "", "invalid YAML"},
}

func TestParseErrors(t *testing.T) {
	for _, tc := range parseErrorCases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("test.yaml", []byte(tc.src))
			checkFirstError(t, err, "test.yaml", tc.line, tc.field, tc.msg)
		})
	}
}

// checkFirstError checks the type of err and the location and message of
// its first error, both as fields and as formatted text.
func checkFirstError(t *testing.T, err error, file string, line int, field, msg string) {
	t.Helper()
	var list ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("got %v (%T), want a non-empty ErrorList", err, err)
	}
	e := list[0]
	if e.File != file || e.Line != line || e.Field != field || !strings.Contains(e.Msg, msg) {
		t.Fatalf("got %s\n(file %q, line %d, field %q)\nwant file %q, line %d, field %q, message containing %q",
			err, e.File, e.Line, e.Field, file, line, field, msg)
	}
	var prefix []string
	if line > 0 {
		prefix = append(prefix, fmt.Sprintf("%s:%d", file, line))
	} else if file != "" {
		prefix = append(prefix, file)
	}
	if field != "" {
		prefix = append(prefix, field)
	}
	if want := strings.Join(append(prefix, e.Msg), ": "); e.Error() != want {
		t.Errorf("Error() = %q, want %q", e.Error(), want)
	}
	var first *Error
	if !errors.As(err, &first) || first != e {
		t.Errorf("errors.As did not find the first *Error")
	}
}

func TestParseReportsAllDecodingErrors(t *testing.T) {
	src := "name: x\nticks: many\nmodel:\n  lpp: 1\n  roles:\n    core: high\nbogus: 1\n"
	_, err := Parse("multi.yaml", []byte(src))
	var got []string
	for _, e := range Errors(err) {
		got = append(got, fmt.Sprintf("%d %s", e.Line, e.Field))
	}
	want := []string{"2 ticks", "4 model.lpp", "6 model.roles.core", "7 bogus"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got errors %q, want %q\n%v", got, want, err)
	}
}

func TestParseReportsAllValidationErrors(t *testing.T) {
	src := "name: x\nticks: 0\nmodel:\n  turnover: 2\n  turbulence: -1\n"
	_, err := Parse("multi.yaml", []byte(src))
	var got []string
	for _, e := range Errors(err) {
		got = append(got, fmt.Sprintf("%d %s", e.Line, e.Field))
	}
	want := []string{"2 ticks", "4 model.turnover", "5 model.turbulence"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got errors %q, want %q\n%v", got, want, err)
	}
}

func TestParseKeepsDefaults(t *testing.T) {
	src := `
name: partial
model:
  roles:
    core: 0.7
  encounter:
    partners: 4
interventions:
  - kind: support_team
`
	got, err := Parse("partial.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := Default()
	want.Name = "partial"
	want.Model.Roles.Core = 0.7
	want.Model.Encounter.Partners = 4
	want.Interventions = []Intervention{{Kind: SupportTeam, Strength: 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestParseListItemDefaults(t *testing.T) {
	src := "name: x\npopulation:\n  communities: 2\ncommunities:\n  - relationship: strategic\n  - name: tools\n    share: 2\n"
	s, err := Parse("x.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []Community{
		{Name: "c0", Relationship: Strategic, Share: 1},
		{Name: "tools", Relationship: Legitimized, Share: 2},
	}
	if !reflect.DeepEqual(s.Communities, want) {
		t.Errorf("got %+v, want %+v", s.Communities, want)
	}
}

func TestParseAliases(t *testing.T) {
	src := `
name: x
interventions:
  - &om {kind: over_management, strength: 0.5, start: 10}
  - *om
`
	s, err := Parse("x.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Interventions) != 2 || !reflect.DeepEqual(s.Interventions[1], s.Interventions[0]) {
		t.Errorf("got %+v", s.Interventions)
	}
}

func TestRoundTrip(t *testing.T) {
	rich := Default()
	rich.Name = "rich: a name that needs quoting"
	rich.Description = "Line one.\nLine two, with 'quotes' and \"more\".\n"
	rich.Seed = 1<<64 - 1
	rich.Communities = []Community{
		{Name: "yes", Relationship: Strategic, Share: 0.5, Domain: Domain{From: 3, To: 10}},
		{Name: "c1", Relationship: Bootlegged, Share: 1e-9},
		{Name: "0x10", Relationship: Unrecognized, Share: 1},
	}
	rich.Interventions = []Intervention{
		{Kind: Rewards, Reward: PenalizingCompensation, Strength: 0.1, Start: 3, End: 9, Communities: []string{"yes", "2"}},
		{Kind: Seeding, Strength: 1},
	}
	rich.Model.Learning.RequireBetter = true
	rich.Model.Turnover = 1.0 / 3
	scenarios := []Scenario{Default(), rich}
	for _, info := range Builtins() {
		s, err := Load(info.Name, nil)
		if err != nil {
			t.Fatal(err)
		}
		scenarios = append(scenarios, s)
	}
	for _, s := range scenarios {
		if err := s.Validate(); err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		out, err := Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse("marshalled.yaml", out)
		if err != nil {
			t.Fatalf("%s: %v\n%s", s.Name, err, out)
		}
		if !reflect.DeepEqual(back, s) {
			t.Errorf("%s: round trip changed the scenario\ngot  %+v\nwant %+v\n%s", s.Name, back, s, out)
		}
	}
}

// TestRoundTripText covers text that YAML must quote or escape.
func TestRoundTripText(t *testing.T) {
	texts := []string{"- a", "#x", "&a", "*a", "!t", "%x", "@x", "`x", "'", "\"", "a\tb", "trailing ", " leading",
		"\u0085x", "x\u2028y", "\u00a0", "yes", "null", "~", "0o17", "1e3", ".inf", "a: b", "{a}", "[a]", "? x", "|", ">", "\x7f", "\ufeffbom", "\x01",
		"ok\n\nmore\n", "\n", "x\r\ny", " \n ", "\t", "<<"}
	for _, txt := range texts {
		s := Default()
		s.Description = txt
		if txt != "\n" && txt != " \n " && txt != "ok\n\nmore\n" && txt != "x\r\ny" {
			s.Name = "n" + txt
			s.Population.Communities = 1
			s.Communities = []Community{{Name: "c" + txt, Relationship: Strategic, Share: 1}}
			s.Interventions = []Intervention{{Kind: Seeding, Strength: 1, Communities: []string{"c" + txt}}}
		}
		if err := s.Validate(); err != nil {
			t.Logf("%q: %v", txt, err)
			continue
		}
		out, err := Marshal(s)
		if err != nil {
			t.Errorf("%q: %v", txt, err)
			continue
		}
		back, err := Parse("x.yaml", out)
		if err != nil {
			t.Errorf("%q: %v\n%s", txt, err, out)
			continue
		}
		if !reflect.DeepEqual(back, s) {
			t.Errorf("%q: got %q %q", txt, back.Name, back.Description)
		}
	}
}
