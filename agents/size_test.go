package agents

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

func smallScenario(t testing.TB, sets ...string) scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Load("baseline", append([]string{"population.people=100", "ticks=5", "replications=1"}, sets...))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// Scenarios built in code skip validation: the engine must refuse sizes
// it cannot hold with an error naming the field, never wrap, panic or
// allocate.
func TestNewWorldRefusesSizes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(sc *scenarios.Scenario)
		field string
	}{
		{"partners wrap encCap", func(sc *scenarios.Scenario) { sc.Model.Encounter.Partners = 4611686018427387904 }, "model.encounter.partners"},
		{"partners overflow a byte", func(sc *scenarios.Scenario) { sc.Model.Encounter.Partners = 64 }, "model.encounter.partners"},
		{"partners max int", func(sc *scenarios.Scenario) { sc.Model.Encounter.Partners = math.MaxInt }, "model.encounter.partners"},
		{"negative partners", func(sc *scenarios.Scenario) { sc.Model.Encounter.Partners = -1 }, "model.encounter.partners"},
		{"communities past int16", func(sc *scenarios.Scenario) { sc.Population.Communities = 40000 }, "population.communities"},
		{"communities 1e8", func(sc *scenarios.Scenario) { sc.Population.Communities = 100_000_000 }, "population.communities"},
		{"no community", func(sc *scenarios.Scenario) { sc.Population.Communities = 0 }, "population.communities"},
		{"people past int32", func(sc *scenarios.Scenario) { sc.Population.People = 1 << 40 }, "population.people"},
		{"no people", func(sc *scenarios.Scenario) { sc.Population.People = 0 }, "population.people"},
		{"ticks max int64", func(sc *scenarios.Scenario) { sc.Ticks = math.MaxInt64 }, "ticks"},
		{"ticks 1e12", func(sc *scenarios.Scenario) { sc.Ticks = 1_000_000_000_000 }, "ticks"},
		{"negative ticks", func(sc *scenarios.Scenario) { sc.Ticks = -1 }, "ticks"},
		{"dimensions", func(sc *scenarios.Scenario) { sc.Model.Dimensions = scenarios.MaxDimensions + 1 }, "model.dimensions"},
		{"units past int32", func(sc *scenarios.Scenario) { sc.Population.Units = 1 << 33 }, "population.units"},
		{"stage window x communities", func(sc *scenarios.Scenario) {
			sc.Population.Communities = 3
			sc.Model.Stage.Window = math.MaxInt / 2
		}, "model.stage.window"},
		{"seed experts", func(sc *scenarios.Scenario) { sc.Model.Management.SeedExperts = -5 }, "model.management.seed_experts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := smallScenario(t)
			tc.edit(&sc)
			wd, err := NewWorld(&sc, 0, 1)
			if err == nil {
				wd.Close()
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.field) {
				t.Errorf("error %q does not name %s", err, tc.field)
			}
			if _, err := EstimateMemory(sc, 1); err == nil {
				t.Error("EstimateMemory: no error")
			}
			if _, err := Run(context.Background(), sc, sim.Options{Workers: 2}); err == nil {
				t.Error("Run: no error")
			}
		})
	}
}

// The largest valid sizes fit the engine's types.
func TestNewWorldAcceptsBounds(t *testing.T) {
	sc := smallScenario(t)
	sc.Model.Encounter.Partners = scenarios.MaxPartners
	sc.Model.Dimensions = scenarios.MaxDimensions
	sc.Population.Communities = 40
	z, err := sizesOf(&sc)
	if err != nil {
		t.Fatal(err)
	}
	if z.encCap > math.MaxUint8 {
		t.Fatalf("encCap %d", z.encCap)
	}
	for _, tc := range []struct {
		name string
		edit func(sc *scenarios.Scenario)
	}{
		{"people", func(sc *scenarios.Scenario) { sc.Population.People = scenarios.MaxPeople }},
		{"communities", func(sc *scenarios.Scenario) { sc.Population.Communities = scenarios.MaxCommunities }},
		{"ticks", func(sc *scenarios.Scenario) { sc.Ticks = scenarios.MaxTicks }},
		{"window", func(sc *scenarios.Scenario) { sc.Model.Stage.Window = scenarios.MaxStageWindow }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := smallScenario(t)
			tc.edit(&sc)
			if _, err := sizesOf(&sc); err != nil {
				t.Fatal(err)
			}
			if _, err := EstimateMemory(sc, 2); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// heapOf is the live heap that build leaves behind.
func heapOf(build func() any) (int64, any) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := build()
	runtime.GC()
	runtime.ReadMemStats(&after)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc), v
}

// heapOfWorld is the heap a world of sc takes (one worker), once fill has
// put in it what the test needs, and sc's sizes.
func heapOfWorld(t *testing.T, sc *scenarios.Scenario, fill func(*World)) (int64, sizes) {
	t.Helper()
	z, err := sizesOf(sc)
	if err != nil {
		t.Fatal(err)
	}
	got, v := heapOf(func() any {
		wd, err := NewWorld(sc, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		fill(wd)
		return wd
	})
	runtime.KeepAlive(v)
	return got, z
}

// EstimateMemory follows what NewWorld really allocates.
func TestEstimateMemoryMatchesHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("builds worlds of 200 000 people")
	}
	for _, tc := range []struct {
		name string
		sets []string
	}{
		{"people", []string{"population.people=200000"}},
		{"communities", []string{"population.people=20000", "population.communities=1000", "population.units=1000"}},
		{"dimensions", []string{"population.people=50000", "model.dimensions=256", "model.encounter.partners=32"}},
		{"window", []string{"population.people=1000", "population.communities=1000", "population.units=1000", "model.stage.window=10000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := smallScenario(t, tc.sets...)
			got, z := heapOfWorld(t, &sc, func(*World) {})
			want := worldBytes(z, 1, false)
			r := float64(got) / float64(want)
			t.Logf("NewWorld took %d bytes, estimated %d (ratio %.3f)", got, want, r)
			if r < 0.8 || r > 1.25 {
				t.Errorf("NewWorld took %d bytes, estimated %d (ratio %.2f)", got, want, r)
			}
		})
	}
}

// Per-community memory does not grow with the people: 30 000 communities
// of a thousand people cost about what their own state needs, not a slot
// per person in each (which took 390 MB and 105 s for 3 ticks).
func TestCommunitiesCostPerCommunity(t *testing.T) {
	bytesOf := func(C int) int64 {
		sc := smallScenario(t, "population.people=1000", "population.units=10")
		sc.Population.Communities = C
		got, v := heapOf(func() any {
			wd, err := NewWorld(&sc, 0, 1)
			if err != nil {
				t.Fatal(err)
			}
			wd.Step()
			return wd
		})
		runtime.KeepAlive(v)
		return got
	}
	const C = 30000
	small, large := bytesOf(3), bytesOf(C)
	t.Logf("%d bytes per community", (large-small)/C)
	if per := (large - small) / C; per > 8192 {
		t.Errorf("%d bytes per community, want at most 8192 (independent of the 1 000 people)", per)
	}
}

// sameRows compares rows or summaries, whose NaNs make == fail, as text.
func sameRows[T any](a, b []T) bool {
	return fmt.Sprintf("%+v", a) == fmt.Sprintf("%+v", b)
}

// Once the engine is stopped, building a world stops too: a huge
// population does not delay Ctrl-C.
func TestBuildingStopsWhenStopped(t *testing.T) {
	sc := smallScenario(t, "population.people=5000")
	md, err := New(sc)
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 3} {
		stop := new(atomic.Bool)
		stop.Store(true)
		e, err := sim.NewEngine(md.Plan().Layout, 0, workers, stop)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := newWorld(md, e, nil); !errors.Is(err, errStopped) {
			t.Errorf("workers %d: building with stop set: %v, want errStopped", workers, err)
		}
		e.Close()
	}
}
