package plots

import (
	"math"
	"slices"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/measure"
)

// All is the community name of the rows about the whole organization.
const All = "all"

// Communities returns the community names in rows: "all" first (when
// present), then the others in order of first appearance.
func Communities(rows []measure.Row) []string {
	var names []string
	seen := map[string]bool{}
	hasAll := false
	for _, r := range rows {
		if r.Community == All {
			hasAll = true
			continue
		}
		if !seen[r.Community] {
			seen[r.Community] = true
			names = append(names, r.Community)
		}
	}
	if hasAll {
		names = append([]string{All}, names...)
	}
	return names
}

// grid is one community's rows laid out by replication and tick: at[r][i]
// is the row of reps[r] at ticks[i], or nil where that replication has no
// row at that tick.
type grid struct {
	ticks []int
	reps  []int
	at    [][]*measure.Row
}

// gridOf lays out the rows of community by replication (ascending Rep) and
// tick (the sorted union of all replications' ticks). When a replication has
// several rows for one tick the last one wins.
func gridOf(rows []measure.Row, community string) grid {
	var ticks, reps []int
	for _, r := range rows {
		if r.Community == community {
			ticks = append(ticks, r.Tick)
			reps = append(reps, r.Rep)
		}
	}
	slices.Sort(ticks)
	ticks = slices.Compact(ticks)
	slices.Sort(reps)
	reps = slices.Compact(reps)
	g := grid{ticks: ticks, reps: reps, at: make([][]*measure.Row, len(reps))}
	for r := range g.at {
		g.at[r] = make([]*measure.Row, len(ticks))
	}
	for k := range rows {
		row := &rows[k]
		if row.Community != community {
			continue
		}
		r, _ := slices.BinarySearch(reps, row.Rep)
		i, _ := slices.BinarySearch(ticks, row.Tick)
		g.at[r][i] = row
	}
	return g
}

// carried returns at[r][i], or the replication's last row before ticks[i]
// when it has none at ticks[i] (carry forward), or nil before its first row.
func (g grid) carried(r, i int) *measure.Row {
	for ; i >= 0; i-- {
		if row := g.at[r][i]; row != nil {
			return row
		}
	}
	return nil
}

// xs returns the ticks as float64 for plotting.
func (g grid) xs() []float64 {
	xs := make([]float64, len(g.ticks))
	for i, t := range g.ticks {
		xs[i] = float64(t)
	}
	return xs
}

// Series gathers one quantity of one community across replications, ready
// for [Band]: ticks is the sorted union of the ticks at which any
// replication has a row for community, and values[r][i] is the value of the
// r-th replication (in ascending Rep order) at ticks[i].
//
// Replications of unequal length (March runs stop at equilibrium) and gaps
// are handled by carrying forward: a replication with no row at a tick takes
// the value of its last earlier row, so a run that reached equilibrium keeps
// contributing its final state to every later tick. Before a replication's
// first row its value is NaN, which Band leaves out.
func Series(rows []measure.Row, community string, value func(measure.Row) float64) (ticks []float64, values [][]float64) {
	g := gridOf(rows, community)
	return g.xs(), g.series(func(r *measure.Row) float64 { return value(*r) })
}

func (g grid) series(value func(*measure.Row) float64) [][]float64 {
	values := make([][]float64, len(g.reps))
	for r := range values {
		values[r] = make([]float64, len(g.ticks))
		for i := range g.ticks {
			if row := g.carried(r, i); row != nil {
				values[r][i] = value(row)
			} else {
				values[r][i] = math.NaN()
			}
		}
	}
	return values
}

// meanOf returns the mean across replications at each tick.
func (g grid) meanOf(value func(*measure.Row) float64) []float64 {
	m, _, _ := Band(g.series(value))
	if m == nil {
		m = []float64{}
	}
	return m
}

// StageNames returns the names of the development stages in order
// (agents.Stages).
func StageNames() []string {
	names := make([]string, len(agents.Stages))
	for i, s := range agents.Stages {
		names[i] = s.String()
	}
	return names
}

// modalStage returns, for each tick of g, the index in categories of the
// stage most replications are in (carrying forward like Series), or -1 when
// no replication has a stage there. Ties go to the stage that comes first in
// categories. Stage names not yet in categories are appended to it, in order
// of first appearance; the (possibly extended) categories are returned.
func (g grid) modalStage(categories []string) ([]int, []string) {
	modes := make([]int, len(g.ticks))
	counts := make([]int, len(categories))
	for i := range g.ticks {
		clear(counts)
		for r := range g.reps {
			row := g.carried(r, i)
			if row == nil {
				continue
			}
			stage := colStage.Format(row)
			if stage == "" {
				continue
			}
			k := slices.Index(categories, stage)
			if k < 0 {
				categories = append(categories, stage)
				counts = append(counts, 0)
				k = len(categories) - 1
			}
			counts[k]++
		}
		modes[i] = -1
		best := 0
		for k, n := range counts {
			if n > best {
				best, modes[i] = n, k
			}
		}
	}
	return modes, categories
}
