package scenarios

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// setPool mixes overrides that are valid, out of range, of the wrong type,
// misspelt, on list items (existing, new, out of range) and on whole groups.
var setPool = []string{
	"model.socialization=0.9", "model.socialization=2", "model.socialization=x", "model.socialzation=0.9",
	"ticks=50", "ticks=0", "ticks=1e12", "ticks=9223372036854775807", "ticks=", "ticks=[1]", "ticks={a: 1}",
	"replications=3", "seed=7", "seed=-1", "name=other", "name=../x", "name=", "name=\"2024\"", "name=2024",
	"description=Question: why?", "description=a # b", "population.people=50", "population.people=2000000000",
	"population.units=60", "population.communities=2", "population.communities=1", "population.communities=5000",
	"model.roles={core: 0.9}", "model.roles={core: 0.1}", "model.roles={peripheral: 0.5}", "model.roles.core=0.2",
	"model.roles.active=0.7", "model.roles=5", "model={dimensions: 10}", "model.dimensions=10", "model.dimensions=300",
	"model.encounter.partners=64", "model.stage.window=0", "model.stage={window: 5, mature: 0.9}",
	"model.lpp=false", "model.lpp=yes", "model.network=false",
	"interventions.0.kind=seeding", "interventions.0.kind=rewards", "interventions.0.reward=individual_contribution",
	"interventions.0.start=300", "interventions.0.start=5", "interventions.0.end=2", "interventions.0.strength=0.5",
	"interventions.0.communities=[c0, 1]", "interventions.0.communities=[c9]", "interventions.0.communities.0=c1",
	"interventions.0.communities.1=c2", "interventions.0.communities.0=", "interventions.1.kind=support_team",
	"interventions.2.kind=seeding", "interventions.00.kind=over_management", "interventions.x.kind=seeding",
	"interventions=[{kind: seeding}, {kind: support_team, start: 3}]", "interventions=[]", "interventions.0={kind: seeding}",
	"interventions.0={strength: 0.3}", "interventions.0=", "communities.0.name=tools", "communities.0.relationship=strategic",
	"communities=[{name: a}, {name: b}, {name: c}]", "communities=[{name: a}, {name: b}]", "communities.1={share: 0}",
	"communities.0.domain={from: 2, to: 5}", "communities.0.domain.to=40", "communities.3.name=d",
	"output.network_nodes=10", "output={measure_every: 2}", "a.b.c=1", "ticks.x=1", "communities.x=1", "=1", "x",
	"model..x=1", "model.management.seed_experts=1000", "model.roles.core=[0.9]", "model.encounter.epsilon=.nan",
}

// TestApplySetsMatchesYAMLPath compares the two paths over thousands of
// combinations of overrides on several starting scenarios: the same
// scenario when both succeed, an error from both otherwise, and the same
// error text for single overrides.
func TestApplySetsMatchesYAMLPath(t *testing.T) {
	bases := []Scenario{Default(), full()}
	for _, name := range []string{"baseline", "over_management", "insular_strategic", "seeding", "march1991"} {
		s, err := Load(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		bases = append(bases, s)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	n, ok := 0, 0
	check := func(base Scenario, sets []string) {
		t.Helper()
		n++
		want, werr := applySetsYAML(base, sets)
		got, gerr := ApplySets(base, sets)
		switch {
		case (werr == nil) != (gerr == nil):
			t.Errorf("%q: YAML path error %v, ApplySets error %v", sets, werr, gerr)
		case werr == nil:
			ok++
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%q: scenarios differ\ngot  %+v\nwant %+v", sets, got, want)
			}
		case len(sets) == 1 && werr.Error() != gerr.Error():
			t.Errorf("%q: errors differ\ngot  %v\nwant %v", sets, gerr, werr)
		}
	}
	for _, base := range bases {
		check(base, nil)
		for _, set := range setPool {
			check(base, []string{set})
		}
		for range 500 {
			sets := make([]string, 1+rng.IntN(4))
			for i := range sets {
				sets[i] = setPool[rng.IntN(len(setPool))]
			}
			check(base, sets)
		}
	}
	if ok < n/10 {
		t.Errorf("only %d of %d combinations succeed; the pool tests too little", ok, n)
	}
}

// FuzzApplySetsMatchesYAMLPath is the same comparison on fuzzed overrides.
func FuzzApplySetsMatchesYAMLPath(f *testing.F) {
	for i, s := range setPool {
		f.Add(s, setPool[(i*7+3)%len(setPool)])
	}
	base := full()
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, sets := range [][]string{{a}, {a, b}} {
			want, werr := applySetsYAML(base, sets)
			got, gerr := ApplySets(base, sets)
			switch {
			case (werr == nil) != (gerr == nil):
				t.Fatalf("%q: YAML path error %v, ApplySets error %v", sets, werr, gerr)
			case werr == nil && !reflect.DeepEqual(got, want):
				t.Fatalf("%q: scenarios differ\ngot  %+v\nwant %+v", sets, got, want)
			case werr != nil && len(sets) == 1 && werr.Error() != gerr.Error():
				t.Fatalf("%q: errors differ\ngot  %v\nwant %v", sets, gerr, werr)
			}
		}
	})
}

// BenchmarkApplySets compares one override, as a sweep applies it per
// value, by both paths.
func BenchmarkApplySets(b *testing.B) {
	base, err := Load("over_management", nil)
	if err != nil {
		b.Fatal(err)
	}
	sets := []string{"model.socialization=0.3", "interventions.0.strength=0.5"}
	for _, bm := range []struct {
		name string
		f    func(Scenario, []string) (Scenario, error)
	}{{"reflect", ApplySets}, {"yaml", applySetsYAML}} {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := bm.f(base, sets); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
