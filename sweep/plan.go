// Package sweep runs copsim's parameter sweeps: a sweep file (a full
// factorial, subexperiments or a Latin hypercube over any scenario
// parameters) becomes a plan, whose runs are recorded in checksummed
// append-only record files in a sweep folder, so that a sweep resumes after a crash and splits into
// shards over a cluster's job array; assembling (or merging the shards'
// folders) gives results.csv, design.csv, timeseries.csv and the sweep's
// figures, byte-identical however the runs were split.
//
// It exists so that the bookkeeping of many runs (bounds, seeds, which run
// is done, what a damaged file means) lives in one place, apart from the
// engine that runs one scenario and the command line.
package sweep

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/plots"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/stats"
)

// Point is one combination of parameter values.
type Point struct {
	// Sets are the overrides (path=value) that make this point from the
	// base scenario, in the order of Plan.Params.
	Sets []string `json:"sets"`
	// Values holds the value of every parameter of Plan.Params at this
	// point (the base scenario's value where the point leaves it alone).
	Values []string `json:"values"`
}

// Plan is a sweep, fully resolved: everything needed to run it, and
// nothing that depends on how or where it runs. Shards of one sweep have
// byte-identical plans (sweep.json).
type Plan struct {
	Copsim       string   `json:"copsim_version"`
	Name         string   `json:"name"`
	Description  string   `json:"description,omitempty"`
	Base         string   `json:"base"`
	Fixed        []string `json:"fixed,omitempty"`
	Design       string   `json:"design"`
	Params       []string `json:"parameters"`
	Points       []Point  `json:"points"`
	Replications int      `json:"replications"`
	Seed         uint64   `json:"seed"`
	// CommonRandomNumbers gives replication r of every point the same
	// seed, so that points differ by their parameters, not by chance.
	CommonRandomNumbers bool   `json:"common_random_numbers"`
	Timeseries          bool   `json:"timeseries"`
	Ticks               int    `json:"ticks"`
	BaseYAML            string `json:"base_scenario_yaml"`
	// Bounds of each parameter of a sampled design (for plots).
	Lower []float64 `json:"lower,omitempty"`
	Upper []float64 `json:"upper,omitempty"`
	// Log marks the parameters sampled log-uniformly (nil when none is).
	Log []bool `json:"log,omitempty"`
	// A sensitivity design (sobol, morris): its samples (base points or
	// trajectories), the seed of its design, a Morris grid's levels and
	// the outcomes whose indices indices.csv gives.
	Samples    int      `json:"samples,omitempty"`
	SampleSeed uint64   `json:"sample_seed,omitempty"`
	Levels     int      `json:"levels,omitempty"`
	Outcomes   []string `json:"outcomes,omitempty"`
	// Figures are the figures' resolution and titles (the command line's
	// --dpi and --plot-titles); not part of the plan's record.
	Figures plots.Options `json:"-"`

	base   scenarios.Scenario
	points pointCache
}

// durableFigures are the figure options of a sweep's folder, whose files
// are flushed to disk: the folder is complete once its manifest says so,
// not when it is renamed into place.
func (p *Plan) durableFigures() plots.Options {
	o := p.Figures
	o.Sync = true
	return o
}

// Runs is the number of runs of the plan.
func (p *Plan) Runs() int { return len(p.Points) * p.Replications }

// planBytes is the canonical form of the plan, written as sweep.json.
func planBytes(p *Plan) ([]byte, error) {
	b, err := json.MarshalIndent(p, "", "  ")
	return append(b, '\n'), err
}

// scenarioOf is the scenario of one run: its point's scenario, built and
// validated once for all the point's replications, with the run's seed.
// Setting the seed alone needs no validation (any seed is valid), so the
// result equals applying the point's overrides, the seed and
// replications=1 to the base scenario at once.
func (p *Plan) scenarioOf(point, rep int) (scenarios.Scenario, error) {
	sc, err := p.points.get(point, func() (scenarios.Scenario, error) {
		sets := append(append([]string(nil), p.Points[point].Sets...), "replications=1")
		return scenarios.ApplySets(p.base, sets)
	})
	if err != nil {
		return scenarios.Scenario{}, err
	}
	sc.Seed = p.runSeed(point, rep)
	return sc, nil
}

// pointCache keeps the scenarios of the points run last. Runs go in point
// order, so the few points that the workers share at a time are built
// once; a bound keeps a sweep of many points from holding them all.
type pointCache struct {
	mu    sync.Mutex
	built map[int]*builtPoint
	order []int // the cached points, oldest first
}

// builtPoint is one point's scenario, built by the first run that needs it
// while the others wait.
type builtPoint struct {
	once sync.Once
	sc   scenarios.Scenario
	err  error
}

// maxCachedPoints bounds pointCache: far more than the points that the
// runs in flight belong to (at most one per worker, plus one).
const maxCachedPoints = 256

// get returns point k's scenario, built by build the first time. The
// scenario's lists are shared by every run of the point: runs only read
// their scenario.
func (c *pointCache) get(k int, build func() (scenarios.Scenario, error)) (scenarios.Scenario, error) {
	c.mu.Lock()
	b := c.built[k]
	if b == nil {
		if c.built == nil {
			c.built = map[int]*builtPoint{}
		}
		if len(c.order) == maxCachedPoints {
			delete(c.built, c.order[0])
			c.order = c.order[1:]
		}
		b = &builtPoint{}
		c.built[k] = b
		c.order = append(c.order, k)
	}
	c.mu.Unlock()
	b.once.Do(func() { b.sc, b.err = build() })
	return b.sc, b.err
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-=/:,+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Rerun is the command that repeats one run of the sweep alone: its
// summary.csv row equals the run's row in results.csv.
func (p *Plan) Rerun(point, rep int) string {
	if point < 0 || point >= len(p.Points) {
		return ""
	}
	var b strings.Builder
	b.WriteString("copsim run " + shellQuote(p.Base))
	for _, s := range p.Fixed {
		b.WriteString(" --set " + shellQuote(s))
	}
	for _, s := range p.Points[point].Sets {
		b.WriteString(" --set " + shellQuote(s))
	}
	fmt.Fprintf(&b, " --seed %d --reps 1", p.runSeed(point, rep))
	return b.String()
}

// resultsHeader names the columns of results.csv.
func (p *Plan) resultsHeader() []string {
	h := []string{"run", "point", "rep", "seed"}
	h = append(h, p.Params...)
	h = append(h, runColumns.Names()...)
	return append(h, "rerun")
}

// Scenario is the scenario of a point's first replication, as the sweep
// runs it (for estimates made before running).
func (p *Plan) Scenario(point int) (scenarios.Scenario, error) { return p.scenarioOf(point, 0) }

// runSeed is the seed of one run of a sweep: derived from the root seed and
// the replication (and the point, without common random numbers). Seeds
// are kept below 2^53 so that they survive any JSON or spreadsheet tool.
func (p *Plan) runSeed(point, rep int) uint64 {
	if p.CommonRandomNumbers {
		return stats.Mix(p.Seed, uint64(rep)) >> 11
	}
	return stats.Mix(p.Seed, uint64(rep), uint64(point)+1) >> 11
}

// runColumns are the summary's columns in a run's row of results.csv: the
// run and point stand for the replication and seed.
var runColumns = measure.SummaryColumns.Without("rep", "seed")
