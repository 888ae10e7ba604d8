package agents_test

import (
	"context"
	"fmt"
	"math"
	"slices"
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

func TestFang2010CommunityStructure(t *testing.T) {
	if agents.RaceDetector || testing.Short() {
		t.Skip("960 runs of fang2010: without -race and -short (make test does)")
	}
	// What copsim's own structure does to the curve. Boundary encounters
	// (informal meetings outside one's community, model.boundaries) link
	// even isolated subgroups; brokers (members of two communities) merge
	// them; ties (networks of practice) make people meet the same partners
	// again. Boundary encounters use the adopt rule, so require_better
	// keeps their learning from better performers, as the majority rule's.
	levels := []string{"0", "0.02", "0.1", "1"}
	variants := []struct{ name, sets string }{
		{"fang2010 (no structure)", ""},
		{"+ boundary encounters", "model.boundaries=true model.learning.require_better=true"},
		{"+ boundary encounters and 20 % brokers", "model.boundaries=true model.learning.require_better=true population.multi_membership=0.2"},
		{"+ ties", "model.encounter.tie_gain=0.2 model.encounter.unit_tie_gain=0.4"},
	}
	var b strings.Builder
	b.WriteString("| structure |")
	for _, x := range levels {
		fmt.Fprintf(&b, " cross_group %s |", x)
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(levels)) + "\n")
	curves := make([][]float64, len(variants))
	for v, vr := range variants {
		mean, se := fangCurve(t, levels, strings.Fields(vr.sets)...)
		curves[v] = mean
		fmt.Fprintf(&b, "| %s |", vr.name)
		for i := range levels {
			fmt.Fprintf(&b, " %.3f (%.3f to %.3f) |", mean[i], mean[i]-1.96*se[i], mean[i]+1.96*se[i])
		}
		b.WriteString("\n")
	}
	t.Logf("fang2010, knowledge_mean at tick 300 (95 %% intervals, %d replications each):\n%s", fangReps, b.String())

	plain, boundary, brokers, ties := curves[0], curves[1], curves[2], curves[3]
	// Boundary encounters all but close the gap of isolated subgroups.
	if boundary[0]-plain[0] < 0.2 {
		t.Errorf("boundary encounters lift isolated subgroups from %.3f only to %.3f", plain[0], boundary[0])
	}
	// Brokers flatten the curve: the organization is well mixed whatever
	// the cross-group links.
	lo, hi := slices.Min(brokers), slices.Max(brokers)
	if hi-lo > 0.03 || hi > plain[2]-0.02 {
		t.Errorf("with brokers the curve runs %.3f to %.3f; want it flat and below the plain peak %.3f", lo, hi, plain[2])
	}
	// Ties leave the curve as it is.
	for i := range levels {
		if math.Abs(ties[i]-plain[i]) > 0.02 {
			t.Errorf("cross_group %s: ties move knowledge from %.3f to %.3f", levels[i], plain[i], ties[i])
		}
	}
}
