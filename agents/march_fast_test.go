package agents

import (
	"bytes"
	"context"
	"fmt"
	"testing"

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
