package scenarios

import (
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// leaves calls f with the dotted path and value of every scalar field of v.
func leaves(v reflect.Value, path string, f func(path string, v reflect.Value)) {
	switch v.Kind() {
	case reflect.Struct:
		names, index := YAMLKeys(v.Type())
		for _, n := range names {
			leaves(v.Field(index[n]), joinPath(path, n), f)
		}
	case reflect.Slice:
		for i := range v.Len() {
			leaves(v.Index(i), joinPath(path, strconv.Itoa(i)), f)
		}
	default:
		f(path, v)
	}
}

// full is a valid scenario with every list non-empty, so that leaves
// reaches every field of the schema.
func full() Scenario {
	s := Default()
	s.Population.Communities = 2
	s.Communities = []Community{DefaultCommunity(0), DefaultCommunity(1)}
	s.Interventions = []Intervention{{Kind: Seeding, Strength: 1, Communities: []string{"c1"}}}
	s.Model.SocializationMix = []LearnerGroup{{Share: 0.5, Rate: 0.1}, {Share: 0.5, Rate: 0.9}}
	s.Changes = []Change{{Week: 10, Key: "model.turnover", Value: 0.01}}
	return s
}

// TestEveryFieldIsChecked breaks each field in turn and expects an error
// naming exactly that field: a negative count, a NaN, an unknown name.
func TestEveryFieldIsChecked(t *testing.T) {
	if f := full(); f.Validate() != nil {
		err := f.Validate()
		t.Fatal(err)
	}
	exempt := []string{"description", "seed"} // free text; any uint64 is a seed
	n := 0
	leaves(reflect.ValueOf(full()), "", func(path string, _ reflect.Value) {
		if slices.Contains(exempt, path) {
			return
		}
		s := full()
		v := fieldByPath(reflect.ValueOf(&s).Elem(), path)
		switch v.Kind() {
		case reflect.Int:
			v.SetInt(-1)
		case reflect.Float64:
			v.SetFloat(math.NaN())
		case reflect.String:
			v.SetString("no such thing")
			if path == "name" || strings.HasSuffix(path, ".name") {
				v.SetString(" ")
			}
		case reflect.Bool:
			return // both values are valid
		default:
			t.Fatalf("%s: unexpected kind %s", path, v.Kind())
		}
		n++
		for _, e := range Errors(s.Validate()) {
			if e.Field == path {
				return
			}
		}
		t.Errorf("breaking %s gave no error for it: %v", path, s.Validate())
	})
	if n < 80 {
		t.Errorf("only %d fields checked; the walk is broken", n)
	}
}

func fieldByPath(v reflect.Value, path string) reflect.Value {
	for p := range splitPath(path) {
		if v.Kind() == reflect.Slice {
			i, _ := strconv.Atoi(p)
			v = v.Index(i)
			continue
		}
		_, index := YAMLKeys(v.Type())
		v = v.Field(index[p])
	}
	return v
}

func splitPath(path string) func(func(string) bool) {
	return func(yield func(string) bool) {
		start := 0
		for i := 0; i <= len(path); i++ {
			if i == len(path) || path[i] == '.' {
				if !yield(path[start:i]) {
					return
				}
				start = i + 1
			}
		}
	}
}

// TestValidateSocializationMix checks the rules of model.socialization_mix:
// shares above 0 adding up to 1 within mixTolerance, rates in [0, 1], at
// most MaxLearnerMix groups.
func TestValidateSocializationMix(t *testing.T) {
	g := func(share, rate float64) LearnerGroup { return LearnerGroup{Share: share, Rate: rate} }
	thirds := []LearnerGroup{g(1.0/3, 0.1), g(1.0/3, 0.5), g(1.0/3, 0.9)}
	tenths := make([]LearnerGroup, 10)
	for i := range tenths {
		tenths[i] = g(0.1, float64(i)/10) // the shares add up to 0.9999999999999999
	}
	many := make([]LearnerGroup, MaxLearnerMix+1)
	for i := range many {
		many[i] = g(1.0/MaxLearnerMix, 0.5) // the first MaxLearnerMix add up to 1
	}
	for _, tc := range []struct {
		name  string
		mix   []LearnerGroup
		field string // "" for valid
	}{
		{"empty", nil, ""},
		{"one group", []LearnerGroup{g(1, 0.3)}, ""},
		{"March's figure 2", []LearnerGroup{g(0.5, 0.1), g(0.5, 0.9)}, ""},
		{"thirds", thirds, ""},
		{"tenths", tenths, ""},
		{"rates at the ends", []LearnerGroup{g(0.5, 0), g(0.5, 1)}, ""},
		{"most groups", many[:MaxLearnerMix], ""},
		{"too many groups", many, "model.socialization_mix"},
		{"shares below 1", []LearnerGroup{g(0.5, 0.1), g(0.4, 0.9)}, "model.socialization_mix"},
		{"shares just off", []LearnerGroup{g(0.5, 0.1), g(0.5+1e-8, 0.9)}, "model.socialization_mix"},
		{"zero share", []LearnerGroup{g(1, 0.1), g(0, 0.9)}, "model.socialization_mix.1.share"},
		{"negative share", []LearnerGroup{g(1.5, 0.1), g(-0.5, 0.9)}, "model.socialization_mix.0.share"},
		{"NaN share", []LearnerGroup{g(math.NaN(), 0.1)}, "model.socialization_mix.0.share"},
		{"rate above 1", []LearnerGroup{g(1, 1.1)}, "model.socialization_mix.0.rate"},
		{"NaN rate", []LearnerGroup{g(1, math.NaN())}, "model.socialization_mix.0.rate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Default()
			s.Model.SocializationMix = tc.mix
			errs := Errors(s.Validate())
			switch {
			case tc.field == "" && len(errs) > 0:
				t.Fatalf("got %v, want no error", errs)
			case tc.field != "" && (len(errs) == 0 || errs[0].Field != tc.field):
				t.Fatalf("got %v, want an error on %s", errs, tc.field)
			}
		})
	}
}

// TestValidateSocializationSpread checks model.socialization_spread: 0 to
// 100, and never beside a mix.
func TestValidateSocializationSpread(t *testing.T) {
	mix := []LearnerGroup{{Share: 0.5, Rate: 0.1}, {Share: 0.5, Rate: 0.9}}
	for _, tc := range []struct {
		name   string
		spread float64
		mix    []LearnerGroup
		bad    bool
	}{
		{"none", 0, nil, false},
		{"none beside a mix", 0, mix, false},
		{"some", 0.5, nil, false},
		{"the most", 100, nil, false},
		{"negative", -0.1, nil, true},
		{"above the bound", 100.5, nil, true},
		{"NaN", math.NaN(), nil, true},
		{"infinite", math.Inf(1), nil, true},
		{"beside a mix", 0.5, mix, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Default()
			s.Model.SocializationSpread = tc.spread
			s.Model.SocializationMix = tc.mix
			errs := Errors(s.Validate())
			switch {
			case !tc.bad && len(errs) > 0:
				t.Fatalf("got %v, want no error", errs)
			case tc.bad && (len(errs) == 0 || errs[0].Field != "model.socialization_spread"):
				t.Fatalf("got %v, want an error on model.socialization_spread", errs)
			}
		})
	}
}

func TestValidateBoundaries(t *testing.T) {
	ok := []func(*Scenario){
		func(s *Scenario) { s.Model.Roles = Roles{Peripheral: 0.5, Active: 0.5, Core: 0.5} },
		func(s *Scenario) { s.Model.Roles.Core = 1 },
		func(s *Scenario) { s.Model.Dimensions = 256 },
		func(s *Scenario) { s.Model.Dimensions = 1 },
		func(s *Scenario) { s.Model.Encounter.Partners = 0 },
		func(s *Scenario) { s.Model.Management.SeedExperts = 0 },
		func(s *Scenario) { s.Interventions = []Intervention{{Kind: Seeding, Start: 200, End: 200}} },
		func(s *Scenario) { s.Interventions = []Intervention{{Kind: Seeding, Start: 5, End: 0}} },
		func(s *Scenario) { s.Interventions = []Intervention{{Kind: Seeding, Communities: []string{"2", "c0"}}} },
		func(s *Scenario) {
			s.Population.Communities = 1
			s.Communities = []Community{{Name: "x", Relationship: Bootlegged, Domain: Domain{From: 29}, Share: 1}}
		},
	}
	for i, f := range ok {
		s := Default()
		f(&s)
		if err := s.Validate(); err != nil {
			t.Errorf("case %d: %v", i, err)
		}
	}
	bad := map[string]func(*Scenario){
		"model.roles.peripheral":           func(s *Scenario) { s.Model.Roles.Peripheral = 0 },
		"model.roles.core":                 func(s *Scenario) { s.Model.Roles.Core = 0.2 },
		"model.dimensions":                 func(s *Scenario) { s.Model.Dimensions = 257 },
		"model.engagement.motivation_mean": func(s *Scenario) { s.Model.Engagement.MotivationMean = 1 },
		"model.management.seed_experts":    func(s *Scenario) { s.Model.Management.SeedExperts = 301 },
		"interventions.0.start":            func(s *Scenario) { s.Interventions = []Intervention{{Kind: Seeding, Start: 201}} },
		"communities": func(s *Scenario) {
			s.Population.Communities = 1
			s.Communities = []Community{{Name: "x", Relationship: Bootlegged, Share: 0}}
		},
		"communities.0.domain.from": func(s *Scenario) {
			s.Population.Communities = 1
			s.Communities = []Community{{Name: "x", Relationship: Bootlegged, Domain: Domain{From: 30}, Share: 1}}
		},
		"communities.0.name": func(s *Scenario) {
			s.Population.Communities = 1
			s.Communities = []Community{{Name: "a\nb", Relationship: Bootlegged, Share: 1}}
		},
	}
	for field, f := range bad {
		s := Default()
		f(&s)
		errs := Errors(s.Validate())
		if len(errs) == 0 || errs[0].Field != field {
			t.Errorf("%s: got %v", field, errs)
		}
	}
}

func TestCommunityHelpers(t *testing.T) {
	s := Default()
	if got := s.CommunityNames(); !slices.Equal(got, []string{"c0", "c1", "c2"}) {
		t.Errorf("default names %q", got)
	}
	if got := s.Targets(Intervention{Kind: Seeding}); !slices.Equal(got, []int{0, 1, 2}) {
		t.Errorf("default targets %v", got)
	}
	if got := s.Targets(Intervention{Kind: Seeding, Communities: []string{"c2", "0", "2"}}); !slices.Equal(got, []int{0, 2}) {
		t.Errorf("targets %v", got)
	}
	if from, to := s.DomainOf(1); from != 0 || to != 30 {
		t.Errorf("default domain %d-%d", from, to)
	}

	s.Communities = []Community{
		{Name: "tools", Relationship: Strategic, Share: 1, Domain: Domain{From: 5}},
		{Name: "data", Relationship: Legitimized, Share: 1, Domain: Domain{From: 0, To: 10}},
		{Name: "ops", Relationship: Legitimized, Share: 1},
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := s.CommunityNames(); !slices.Equal(got, []string{"tools", "data", "ops"}) {
		t.Errorf("names %q", got)
	}
	if got := s.Targets(Intervention{Communities: []string{"ops", "1"}}); !slices.Equal(got, []int{1, 2}) {
		t.Errorf("targets %v", got)
	}
	for c, want := range [][2]int{{5, 30}, {0, 10}, {0, 30}} {
		if from, to := s.DomainOf(c); from != want[0] || to != want[1] {
			t.Errorf("DomainOf(%d) = %d, %d, want %v", c, from, to, want)
		}
	}
	cs := s.CommunitySettings()
	cs[0].Name = "changed"
	if s.Communities[0].Name != "tools" {
		t.Errorf("CommunitySettings shares the scenario's list")
	}
}

func TestLearningRuleSuggests(t *testing.T) {
	for _, tt := range []struct{ set, want string }{
		{"model.learning.rule=majorty", "model.learning.rule: unknown rule \"majorty\"; did you mean majority?"},
		{"model.learning.rule=zzz", "model.learning.rule: unknown rule \"zzz\"; valid rules are adopt, majority"},
		{"model.encounter.cross_group=1.5", "model.encounter.cross_group: must be"},
	} {
		_, err := Load("baseline", []string{tt.set})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("--set %s: error %v, want it to contain %q", tt.set, err, tt.want)
		}
	}
}
