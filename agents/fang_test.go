package agents_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// fangReps is the replications per level of cross-group linking: enough
// for a standard error of about 0.003 on each mean.
const fangReps = 80

// fangCurve runs fang2010 at each level of model.encounter.cross_group
// (plus sets) and returns, per level, the mean of knowledge_mean at the
// last tick and its standard error.
func fangCurve(t *testing.T, levels []string, sets ...string) (mean, se []float64) {
	t.Helper()
	for _, x := range levels {
		sc, err := scenarios.Load("fang2010", append([]string{
			"model.encounter.cross_group=" + x, fmt.Sprintf("replications=%d", fangReps)}, sets...))
		if err != nil {
			t.Fatal(err)
		}
		res, err := agents.Run(context.Background(), sc, sim.Options{})
		if err != nil {
			t.Fatal(err)
		}
		k := make([]float64, len(res.Summaries))
		for r, s := range res.Summaries {
			k[r] = s.KnowledgeMean
		}
		m, e := meanSE(k)
		mean, se = append(mean, m), append(se, e)
	}
	return mean, se
}

// fangTable is the curve as docs/validation.md shows it.
func fangTable(levels []string, mean, se []float64) string {
	var b strings.Builder
	b.WriteString("| cross_group | knowledge_mean | 95 % interval | replications |\n|---|---|---|---|\n")
	for i, x := range levels {
		fmt.Fprintf(&b, "| %s | %.3f | %.3f to %.3f | %d |\n", x, mean[i], mean[i]-1.96*se[i], mean[i]+1.96*se[i], fangReps)
	}
	return b.String()
}

func TestFang2010InvertedU(t *testing.T) {
	if agents.RaceDetector || testing.Short() {
		t.Skip("560 runs of fang2010: without -race and -short (make test does)")
	}
	// Fang, Lee & Schilling (2010): long-run knowledge is highest at a
	// moderate cross-group linking probability. Isolated subgroups (0)
	// each settle on their own best, and cannot pass it on; a well-mixed
	// organization (1) converges before its diversity has been used.
	levels := []string{"0", "0.005", "0.02", "0.05", "0.1", "0.3", "1"}
	mean, se := fangCurve(t, levels)
	t.Logf("fang2010, knowledge_mean at tick 300:\n%s", fangTable(levels, mean, se))
	iso, mid, mixed := 0, 4, len(levels)-1
	diff := func(a, b int) (float64, float64) {
		return mean[a] - mean[b], math.Hypot(se[a], se[b])
	}
	for _, c := range []struct {
		than   int
		margin float64
	}{{iso, 0.2}, {mixed, 0.01}} {
		d, s := diff(mid, c.than)
		if d < c.margin || d < 3*s {
			t.Errorf("cross_group %s minus %s: %.4f (SE %.4f), want at least %.2f and 3 SE: no inverted U",
				levels[mid], levels[c.than], d, s, c.margin)
		}
	}
	best := 0
	for i := range mean {
		if mean[i] > mean[best] {
			best = i
		}
	}
	if best == iso || best == mixed {
		t.Errorf("knowledge peaks at cross_group %s, an end of the range", levels[best])
	}
}
