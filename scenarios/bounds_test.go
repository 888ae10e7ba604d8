package scenarios

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
)

// TestEveryCountIsBounded sets each whole-number field in turn to the
// largest int and expects an error naming that field: no size escapes the
// bounds, whatever field is added to the schema later.
func TestEveryCountIsBounded(t *testing.T) {
	n := 0
	leaves(reflect.ValueOf(full()), "", func(path string, v reflect.Value) {
		if v.Kind() != reflect.Int {
			return
		}
		n++
		s := full()
		fieldByPath(reflect.ValueOf(&s).Elem(), path).SetInt(math.MaxInt)
		for _, e := range Errors(s.Validate()) {
			if e.Field == path {
				if !strings.Contains(e.Msg, "at most") {
					t.Errorf("%s: the message does not state the bound: %v", path, e)
				}
				return
			}
		}
		t.Errorf("%s = MaxInt gave no error for it: %v", path, s.Validate())
	})
	if n < 15 {
		t.Errorf("only %d whole-number fields checked; the walk is broken", n)
	}
}

// TestBoundsAreInclusive accepts every bound itself and refuses one more.
func TestBoundsAreInclusive(t *testing.T) {
	cases := []struct {
		field string
		max   int
		set   func(s *Scenario, x int)
	}{
		{"ticks", MaxTicks, func(s *Scenario, x int) { s.Ticks = x }},
		{"replications", MaxReplications, func(s *Scenario, x int) { s.Replications = x }},
		{"population.people", MaxPeople, func(s *Scenario, x int) { s.Population.People = x }},
		{"population.communities", MaxCommunities, func(s *Scenario, x int) { s.Population.Communities = x }},
		{"model.dimensions", MaxDimensions, func(s *Scenario, x int) { s.Model.Dimensions = x }},
		{"model.encounter.partners", MaxPartners, func(s *Scenario, x int) { s.Model.Encounter.Partners = x }},
		{"model.stage.window", MaxStageWindow, func(s *Scenario, x int) { s.Model.Stage.Window = x }},
		{"model.stage.min_members", MaxPeople, func(s *Scenario, x int) { s.Model.Stage.MinMembers = x }},
		{"output.network_nodes", MaxNetworkNodes, func(s *Scenario, x int) { s.Output.NetworkNodes = x }},
		{"output.measure_every", MaxTicks, func(s *Scenario, x int) { s.Output.MeasureEvery = x }},
		{"interventions.0.end", MaxTicks, func(s *Scenario, x int) { s.Interventions = []Intervention{{Kind: Seeding, Strength: 1, End: x}} }},
	}
	for _, c := range cases {
		s := Default()
		c.set(&s, c.max)
		if err := s.Validate(); err != nil {
			t.Errorf("%s = %d (the bound): %v", c.field, c.max, err)
		}
		s = Default()
		c.set(&s, c.max+1)
		errs := Errors(s.Validate())
		want := fmt.Sprintf("must be at most %d, got %d", c.max, c.max+1)
		if len(errs) == 0 || errs[0].Field != c.field || errs[0].Msg != want {
			t.Errorf("%s = %d: got %v, want %q", c.field, c.max+1, errs, want)
		}
	}
}

// TestProductsFit checks that the products of bounds the engine and the
// outputs form cannot overflow a 64-bit int (nor the int32 person indices).
func TestProductsFit(t *testing.T) {
	products := map[string][]int{
		"people×dimensions":              {MaxPeople, MaxDimensions},
		"people×communities":             {MaxPeople, MaxCommunities},
		"people×partners×ticks":          {MaxPeople, MaxPartners, MaxTicks},
		"ticks×replications×communities": {MaxTicks, MaxReplications, MaxCommunities},
	}
	for name, fs := range products {
		p := 1.0
		for _, f := range fs {
			p *= float64(f)
		}
		if p >= math.MaxInt64/2 {
			t.Errorf("%s = %g may overflow an int64", name, p)
		}
	}
	if MaxPeople*MaxPartners >= math.MaxInt32 {
		t.Errorf("people × partners does not fit an int32")
	}
}

func TestTextCaps(t *testing.T) {
	cases := map[string]func(*Scenario){
		"name":               func(s *Scenario) { s.Name = "../../../x" },
		"description":        func(s *Scenario) { s.Description = strings.Repeat("x", MaxDescriptionBytes+1) },
		"communities.0.name": func(s *Scenario) { s.Communities[0].Name = strings.Repeat("x", MaxNameBytes+1) },
		"interventions": func(s *Scenario) {
			s.Interventions = make([]Intervention, MaxInterventions+1)
		},
		"interventions.0.communities": func(s *Scenario) {
			s.Interventions[0].Communities = make([]string, MaxCommunities+1)
		},
	}
	for field, f := range cases {
		s := full()
		f(&s)
		errs := Errors(s.Validate())
		if len(errs) == 0 || errs[0].Field != field {
			t.Errorf("%s: got %v", field, errs)
		}
	}
	s := full()
	s.Description = strings.Repeat("x", MaxDescriptionBytes)
	if err := s.Validate(); err != nil {
		t.Errorf("a description of %d bytes: %v", MaxDescriptionBytes, err)
	}
}

// TestParseRefusesHugeNumbers: whole numbers given as floats or beyond 64
// bits are refused as such, never wrapped or rounded.
func TestParseRefusesHugeNumbers(t *testing.T) {
	cases := map[string]string{
		"ticks: 1e12":                      "ticks: must be a whole number, got 1e12",
		"ticks: 9223372036854775807":       "ticks: must be at most 1000000, got 9223372036854775807",
		"ticks: 99999999999999999999":      "ticks: must be a whole number, got 99999999999999999999, which is too large",
		"ticks: -99999999999999999999":     "ticks: must be a whole number, got -99999999999999999999, which is too large",
		"seed: 99999999999999999999":       "seed: must be a whole number from 0 up, got 99999999999999999999, which is too large",
		"model: {stage: {window: 1e12}}":   "model.stage.window: must be a whole number, got 1e12",
		"population: {communities: 1e8}":   "population.communities: must be a whole number, got 1e8",
		"population: {people: 2000000000}": "population.people: must be at most 10000000, got 2000000000",
	}
	for in, want := range cases {
		_, err := Parse("f.yaml", []byte("name: x\n"+in+"\n"))
		if err == nil || err.Error() != "f.yaml:2: "+want {
			t.Errorf("%s: got %v, want f.yaml:2: %s", in, err, want)
		}
	}
}

func TestReadFileRefuses(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("name: x\n"+strings.Repeat("#", MaxScenarioBytes)), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		dir:         "is a directory",
		fifo:        "is a named pipe (FIFO)",
		"/dev/zero": "is a device",
		big:         "a scenario file may hold at most 1048576",
	}
	for name, want := range cases {
		// A FIFO with no writer would block a plain open forever.
		_, err := Load(name, nil)
		if err == nil || !strings.HasPrefix(err.Error(), name+": ") || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", name, err, want)
		}
	}
	ok := filepath.Join(dir, "ok.yaml")
	if err := os.WriteFile(ok, []byte("name: x\n"+strings.Repeat("#", MaxScenarioBytes-9)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(ok, nil); err != nil {
		t.Errorf("a file of exactly the cap: %v", err)
	}
}

func TestAliasBudget(t *testing.T) {
	var bomb strings.Builder
	bomb.WriteString("name: x\ninterventions: [&iv {kind: boundary_activity, communities: [")
	bomb.WriteString(strings.Repeat("c0, ", 2000) + "c0]}")
	bomb.WriteString(strings.Repeat(", *iv", 2000) + "]\n")
	nested := "name: x\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 'b'; i <= 'j'; i++ {
		nested += fmt.Sprintf("%c: &%c [%s]\n", i, i, strings.Repeat(fmt.Sprintf("*%c, ", i-1), 9)+fmt.Sprintf("*%c", i-1))
	}
	for name, in := range map[string]string{
		"bomb":   bomb.String(),
		"nested": nested,
		"cycle":  "name: x\ninterventions: &a [*a]\n",
	} {
		_, err := Parse("f.yaml", []byte(in))
		if err == nil || !strings.Contains(err.Error(), "expand to more than 100000 YAML nodes") || !strings.HasPrefix(err.Error(), "f.yaml:") {
			t.Errorf("%s: got %.300v", name, err)
		}
	}
	// A few aliases, as people use them, are fine.
	ok := "name: x\nticks: &t 50\ninterventions:\n  - &iv {kind: seeding, start: *t}\n  - *iv\n"
	if _, err := Parse("f.yaml", []byte(ok)); err != nil {
		t.Error(err)
	}
}

func TestSetRefusesYAMLReferences(t *testing.T) {
	refused := []string{"name=&x y", "name=*x", "name=!!str x", "name=!x y", "interventions.0.communities=[&a c0, *a]",
		"model.roles={core: &c 0.9}", "name= &x y"}
	for _, set := range refused {
		_, err := ApplySets(Default(), []string{set})
		if err == nil || !strings.Contains(err.Error(), "anchors, aliases and tags") || !strings.HasPrefix(err.Error(), "--set "+set+": ") {
			t.Errorf("%s: got %v", set, err)
		}
	}
	taken := map[string]string{"name=\"&x y\"": "&x y", "name=a&b": "a&b", "name=a *b": "a *b", "name=a!": "a!"}
	for set, want := range taken {
		s, err := ApplySets(Default(), []string{set})
		if err != nil || s.Name != want {
			t.Errorf("%s: got %q, %v; want %q", set, s.Name, err, want)
		}
	}
}

// TestErrorsClipUserText: no error repeats a long key or value in full.
func TestErrorsClipUserText(t *testing.T) {
	long := strings.Repeat("k", 100_000)
	check := func(name string, err error) {
		t.Helper()
		if err == nil {
			t.Errorf("%s: no error", name)
			return
		}
		if msg := err.Error(); len(msg) > 600 || !strings.Contains(msg, "kkkk") || !strings.Contains(msg, "…") {
			t.Errorf("%s: the message is %d bytes: %.200s", name, len(msg), msg)
		}
	}
	for name, in := range map[string]string{
		"key":          long + ": 1\n",
		"nested key":   "model:\n  " + long + ": 1\n",
		"kind":         "interventions: [{kind: " + long + "}]\n",
		"reward":       "interventions: [{kind: rewards, reward: " + long + "}]\n",
		"target":       "interventions: [{kind: seeding, communities: [" + long + "]}]\n",
		"relationship": "population: {communities: 1}\ncommunities: [{relationship: " + long + "}]\n",
		"text as int":  "ticks: " + long + "\n",
		"name":         "name: " + long + "\n",
	} {
		_, err := Parse("f.yaml", []byte(in))
		check(name, err)
	}
	for name, set := range map[string]string{
		"set key":    long + "=1",
		"set value":  "ticks=" + long,
		"set nested": "model." + long + "=1",
		"set index":  "interventions." + long + "=1",
	} {
		_, err := ApplySets(Default(), []string{set})
		check(name, err)
	}
	_, err := Load(long, nil)
	check("load", err)
}

// TestValidateOutOfBoundsCheaply: Validate must not build anything sized by
// a count it is about to refuse (a list of 10^18 default community names).
func TestValidateOutOfBoundsCheaply(t *testing.T) {
	s := Default()
	s.Population.Communities = math.MaxInt
	s.Interventions = []Intervention{{Kind: Seeding, Strength: 1, Communities: []string{"c0"}}}
	errs := Errors(s.Validate())
	if len(errs) == 0 || errs[0].Field != "population.communities" {
		t.Errorf("got %v", errs)
	}
}

// TestUnknownTargetListsFewNames: the message about an unknown target does
// not list a thousand community names.
func TestUnknownTargetListsFewNames(t *testing.T) {
	s := Default()
	s.Population.Communities = MaxCommunities
	s.Interventions = []Intervention{{Kind: Seeding, Strength: 1, Communities: []string{"nope"}}}
	err := s.Validate()
	if err == nil || len(err.Error()) > 300 || !strings.Contains(err.Error(), "c0, c1,") || !strings.Contains(err.Error(), "(1000 in all)") {
		t.Errorf("got %.400v", err)
	}
}
