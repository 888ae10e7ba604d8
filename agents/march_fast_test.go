package agents

import (
	"bytes"
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// freshModel runs a Model with every replication built afresh and stepped
// by the general engine: the reference the reused worlds and the March
// fast path must match byte for byte.
type freshModel struct{ *Model }

func (f freshModel) Replicate(e *sim.Engine) (sim.Replication, error) {
	return newWorld(f.Model, e, nil)
}

// outputBytes runs m and returns every output a run writes: the time
// series and the summaries as copsim writes them, and the network picture.
func outputBytes(t *testing.T, m sim.Model, workers int) []byte {
	t.Helper()
	res, err := sim.Run(context.Background(), m, sim.Options{Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := results.WriteTimeseries(&b, res.Rows); err != nil {
		t.Fatal(err)
	}
	if err := results.WriteSummary(&b, res.Summaries); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "%+v\n", *res.Network)
	return b.Bytes()
}

// firstDiff describes where a and b first differ.
func firstDiff(a, b []byte) string {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			lo := max(0, i-80)
			return fmt.Sprintf("byte %d: %q\nwant %q", i, a[lo:min(len(a), i+80)], b[lo:min(len(b), i+80)])
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(a), len(b))
}

// A world reused for the next replication gives what a fresh one gives,
// for March, the baseline (LPP careers, networks, boundaries) and Fang.
func TestReusedWorldsMatchFresh(t *testing.T) {
	for _, c := range []struct {
		name string
		sets []string
	}{
		{"march1991", []string{"replications=6", "model.turnover=0.1", "ticks=60"}},
		{"baseline", []string{"replications=4", "ticks=30", "population.people=120"}},
		{"fang2010", []string{"replications=3", "ticks=20"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc, err := scenarios.Load(c.name, c.sets)
			if err != nil {
				t.Fatal(err)
			}
			md, err := New(sc)
			if err != nil {
				t.Fatal(err)
			}
			want := outputBytes(t, freshModel{md}, 1)
			for _, workers := range []int{1, 2} {
				if got := outputBytes(t, md, workers); !bytes.Equal(got, want) {
					t.Errorf("workers=%d: reused worlds differ from fresh ones at %s", workers, firstDiff(got, want))
				}
			}
		})
	}
}

// The March fast path gives, byte for byte, what the general engine gives,
// over March's parameters, sizes and people's own rates (the socialization
// mix and spread), with one worker and with two.
func TestMarchFastPathMatchesGeneral(t *testing.T) {
	type cfg struct {
		name string
		sets []string
	}
	cases := []cfg{
		{"as written", []string{"replications=4"}},
		{"fast socialization", []string{"replications=3", "model.socialization=0.9"}},
		{"slow code learning", []string{"replications=3", "model.code_learning=0.1", "ticks=150"}},
		{"code learning 1", []string{"replications=3", "model.code_learning=1", "model.socialization=0.5"}},
		{"turnover", []string{"replications=3", "model.turnover=0.1", "ticks=80"}},
		{"turbulence", []string{"replications=3", "model.turbulence=0.02", "ticks=80", "output.measure_every=7"}},
		{"turnover and turbulence", []string{"replications=3", "model.turnover=0.3", "model.turbulence=0.05", "ticks=60",
			"model.socialization=0.9", "population.unit_alignment=1"}},
		{"wide reality", []string{"replications=2", "model.dimensions=130", "ticks=120"}},
		{"one word exactly", []string{"replications=2", "model.dimensions=64", "model.turnover=0.05", "ticks=50"}},
		{"many people", []string{"replications=2", "population.people=1100", "ticks=25", "model.turnover=0.02"}},
		{"two measurement shards", []string{"replications=1", "population.people=33000", "ticks=3", "model.turnover=0.01"}},
		{"one person", []string{"replications=2", "population.people=1", "model.management.seed_experts=0", "ticks=20"}},
		{"no socialization", []string{"replications=2", "model.socialization=0", "ticks=30"}},
		{"measured rarely", []string{"replications=3", "output.measure_every=1000", "model.turnover=0.1", "ticks=300"}},
		{"no stop", []string{"replications=2", "model.stop_at_equilibrium=false", "ticks=200"}},
		{"socialization mix", []string{"replications=3", "model.turnover=0.1", "ticks=60"}},
		{"socialization spread", []string{"replications=3", "model.socialization=0.3", "model.socialization_spread=0.2",
			"model.turnover=0.1", "ticks=60"}},
		{"socialization spread to equilibrium", []string{"replications=3", "model.socialization_spread=0.5", "ticks=1500"}},
	}
	mix := []scenarios.LearnerGroup{{Share: 0.3, Rate: 0.9}, {Share: 0.7, Rate: 0.1}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc, err := scenarios.Load("march1991", c.sets)
			if err != nil {
				t.Fatal(err)
			}
			if c.name == "socialization mix" {
				sc.Model.SocializationMix = mix
				if err := sc.Validate(); err != nil {
					t.Fatal(err)
				}
			}
			md, err := New(sc)
			if err != nil {
				t.Fatal(err)
			}
			if md.march == nil {
				t.Fatal("not on the March fast path")
			}
			want := outputBytes(t, freshModel{md}, 1)
			for _, workers := range []int{1, 2} {
				if got := outputBytes(t, md, workers); !bytes.Equal(got, want) {
					t.Errorf("workers=%d: the fast path differs from the general engine at %s", workers, firstDiff(got, want))
				}
			}
		})
	}
}

// marchOnly holds for March's configuration and for nothing that differs
// from it in a mechanism the fast path leaves out.
func TestMarchOnly(t *testing.T) {
	for _, c := range []struct {
		name string
		sets []string
		want bool
	}{
		{"march1991", nil, true},
		{"with turnover, turbulence, sizes", []string{"model.turnover=0.2", "model.turbulence=0.1", "model.dimensions=256",
			"population.people=5000", "model.stop_at_equilibrium=false", "output.measure_every=5"}, true},
		{"two communities", []string{"population.communities=2"}, false},
		{"lpp", []string{"model.lpp=true"}, false},
		{"network", []string{"model.network=true"}, false},
		{"boundaries", []string{"model.boundaries=true"}, false},
		{"motivation", []string{"model.motivation=true"}, false},
		{"learning from practice", []string{"model.learning.exploration=0.1"}, false},
		{"parameter changes", []string{"changes=[{week: 5, key: model.code_learning, value: 0.9}]"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc, err := scenarios.Load("march1991", c.sets)
			if err != nil {
				t.Fatal(err)
			}
			if got := marchOnly(&sc); got != c.want {
				t.Errorf("marchOnly = %v, want %v", got, c.want)
			}
		})
	}
	sc, err := scenarios.Load("march1991", nil)
	if err != nil {
		t.Fatal(err)
	}
	narrow := sc
	narrow.Communities = []scenarios.Community{{Name: "c0", Relationship: scenarios.Legitimized, Share: 1, Domain: scenarios.Domain{From: 5}}}
	withIv := sc
	withIv.Interventions = []scenarios.Intervention{{Kind: scenarios.BoundaryActivity, Strength: 0.5, Start: 1}}
	whole := sc
	whole.Communities = []scenarios.Community{{Name: "org", Relationship: scenarios.Legitimized, Share: 1}}
	for _, c := range []struct {
		name string
		sc   scenarios.Scenario
		want bool
	}{
		{"a narrower domain", narrow, false},
		{"an intervention", withIv, false},
		{"a named community about everything", whole, true},
	} {
		if got := marchOnly(&c.sc); got != c.want {
			t.Errorf("%s: marchOnly = %v, want %v", c.name, got, c.want)
		}
	}
	for _, name := range []string{"baseline", "fang2010"} {
		sc, err := scenarios.Load(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if marchOnly(&sc) {
			t.Errorf("%s: on the March fast path", name)
		}
	}
}

// RunSummaries gives Run's summaries, network and last rows, byte for
// byte, measuring March's configuration only at tick 0 and at the end.
func TestRunSummariesMatchesRun(t *testing.T) {
	for _, c := range []struct {
		name string
		sets []string
	}{
		{"march1991", []string{"replications=4"}},
		{"march1991", []string{"replications=3", "model.turnover=0.1", "ticks=90"}},
		{"march1991", []string{"replications=3", "model.turbulence=0.02", "model.turnover=0.05", "ticks=90", "output.measure_every=7"}},
		{"march1991", []string{"replications=2", "model.stop_at_equilibrium=false", "ticks=120", "output.measure_every=10"}},
		{"march1991", []string{"replications=2", "population.people=700", "model.turnover=0.02", "ticks=30"}},
		{"march1991", []string{"replications=2", "model.socialization_spread=0.3", "model.turnover=0.05", "ticks=60", "output.measure_every=3"}},
		{"baseline", []string{"replications=2", "ticks=20", "population.people=90"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc, err := scenarios.Load(c.name, c.sets)
			if err != nil {
				t.Fatal(err)
			}
			full, err := Run(context.Background(), sc, sim.Options{Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			var measured atomic.Int64
			ends, err := RunSummaries(context.Background(), sc, sim.Options{Workers: 2, Rows: func(int) (sim.RowWriter, error) {
				return countRows{&measured}, nil
			}})
			if err != nil {
				t.Fatal(err)
			}
			per := sc.Population.Communities + 1
			var last []measure.Row
			for k := 0; k < len(full.Rows); k += per {
				if k+per == len(full.Rows) || full.Rows[k+per].Rep != full.Rows[k].Rep {
					last = append(last, full.Rows[k:k+per]...)
				}
			}
			if got, want := fmt.Sprint(ends.Rows), fmt.Sprint(last); got != want {
				t.Errorf("last rows differ at %s", firstDiff([]byte(got), []byte(want)))
			}
			var a, b bytes.Buffer
			if err := results.WriteSummary(&a, ends.Summaries); err != nil {
				t.Fatal(err)
			}
			if err := results.WriteSummary(&b, full.Summaries); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&a, "%+v", *ends.Network)
			fmt.Fprintf(&b, "%+v", *full.Network)
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("summaries differ at %s", firstDiff(a.Bytes(), b.Bytes()))
			}
			// March is measured at tick 0 and the end only; others as Run.
			want := len(full.Rows)
			if c.name == "march1991" {
				want = 2 * per * sc.Replications
			}
			if got := measured.Load(); got != int64(want) {
				t.Errorf("%d rows measured, want %d", got, want)
			}
		})
	}
}

// countRows counts the rows a run streams (replications write at once).
type countRows struct{ n *atomic.Int64 }

func (c countRows) WriteRows(rows []measure.Row) error { c.n.Add(int64(len(rows))); return nil }
func (c countRows) Close() error                       { return nil }
