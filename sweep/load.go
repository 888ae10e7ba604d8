package sweep

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/copsim/copsim/internal/echo"
	"github.com/copsim/copsim/internal/sat"
	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/stats"
)

// Design kinds.
const (
	factorial      = "factorial"
	latinHypercube = "latin_hypercube"
	sobol          = "sobol"  // Saltelli's design for Sobol indices (sensitivity)
	morris         = "morris" // Morris trajectories (sensitivity)
)

// designNoun names a sampled design in a sentence.
func designNoun(design string) string {
	switch design {
	case sobol:
		return "a Sobol design"
	case morris:
		return "a Morris design"
	}
	return "a Latin hypercube"
}

// sensitivityDesign reports whether a design is one whose runs give
// sensitivity indices (indices.csv).
func sensitivityDesign(design string) bool { return design == sobol || design == morris }

// Bounds of a sweep, checked by Load before anything is built or run.
// They keep a sweep within what one machine can hold and a folder can list;
// docs/sweeps.md states each one. Replications are bounded by
// scenarios.MaxReplications, like a scenario's.
const (
	// MaxFileBytes bounds the size of a sweep file (1 MiB).
	MaxFileBytes = 1 << 20
	// MaxDescriptionBytes bounds description, which is copied into
	// sweep.json.
	MaxDescriptionBytes = 10_000
	// MaxValueBytes bounds one value that a sweep varies (an item of
	// values or of a subexperiment): it is repeated in many points.
	MaxValueBytes = 100
	// MaxRangeValues bounds the values that one range {from, to, step}
	// gives.
	MaxRangeValues = 100_000
	// MaxPoints bounds the points of a design: the combinations of a
	// factorial (summed over subexperiments) or a Latin hypercube's samples.
	MaxPoints = 100_000
	// MaxRuns bounds the runs of a sweep: points × replications.
	MaxRuns = 1_000_000
	// MaxCells bounds points × parameters, the size of design.csv and
	// of the plan that every run of the sweep reads.
	MaxCells = 1_000_000
	// MaxNodes bounds the YAML values read from a sweep file, counting
	// the values behind an alias (*name) again at each use, so that a small
	// file cannot expand into a huge one.
	MaxNodes = 1_000_000
)

// maxErrors bounds the decoding problems reported for one file.
const maxErrors = 50

// Options are what the command line adds to a sweep file.
type Options struct {
	Sets         []string // extra fixed overrides (--set, --ticks)
	Seed         *uint64  // --seed
	Replications *int     // --reps
	Timeseries   bool
}

// Load reads and checks a sweep file and makes its plan. Every problem is
// reported as a *scenarios.Error with the file, line and field (in a
// scenarios.ErrorList).
//
// The file is read as strictly as a scenario: one YAML document, no
// unknown or duplicate key at any depth, no value of the wrong type, every
// number finite. The size of the design (points, runs) is counted and
// bounded before the design is built, and every value a sweep varies is
// checked against the base scenario before anything runs.
func Load(path string, opt Options) (*Plan, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	root, err := document(path, data)
	if err != nil {
		return nil, err
	}
	f, err := decode(path, root)
	if err != nil {
		return nil, err
	}
	return f.plan(path, opt)
}

// axis is one parameter of a design and the values it takes.
type axis struct {
	path   string
	kind   reflect.Kind
	line   int
	field  string
	values []string
	nodes  []*yaml.Node // the values as given in the file (nil for a range)
}

// builder turns a decoded sweep file into a plan, one step at a time.
// Each step checks part of the file and reports the first problem with
// its line; nothing is built before the design's size is known to be
// within bounds.
type builder struct {
	path string // the sweep file
	f    *sweepFile
	opt  Options
	p    *Plan
	sc   scenarios.Scenario // the base scenario with the fixed settings
	// sampled: the design samples each parameter within a range (a Latin
	// hypercube or a sensitivity design) rather than listing values.
	sampled bool
	// Where the replications were set, for an error about the runs:
	// replications:, or the parameters when the base scenario's count
	// stands, or --reps (line 0, no field).
	repsLine  int
	repsField string
	axes      []axis   // the parameters
	log       []bool   // a sampled design's parameters: log-uniform or not
	subs      [][]axis // each subexperiment's own parameters
	points    int      // the design's size
}

// bad is a problem at a line and field of the sweep file.
func (b *builder) bad(line int, field, format string, args ...any) error {
	return scenarios.ErrorList{{File: b.path, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}}
}

// plan checks the decoded file against the base scenario and the bounds,
// and builds the plan.
func (f *sweepFile) plan(path string, opt Options) (*Plan, error) {
	b := &builder{path: path, f: f, opt: opt}
	for _, step := range []func() error{
		b.header,      // name, description, base and the fixed settings
		b.settings,    // seed, replications, common random numbers, design
		b.parameters,  // the parameters' form and their values' count
		b.size,        // points, cells and runs within bounds
		b.checkValues, // every value against the base scenario
		b.build,       // the points
	} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return b.p, nil
}

// header reads the name, the description and the base scenario with the
// fixed settings, and starts the plan.
func (b *builder) header() error {
	f := b.f
	name := f.name.v
	if !f.name.ok {
		name = strings.TrimSuffix(filepath.Base(b.path), filepath.Ext(b.path))
		if err := scenarios.CheckName(name); err != nil {
			return b.bad(f.line, "name", "missing, and the file's name %q cannot stand in for it: it %v; add name: to the file", echo.Clip(name), err)
		}
	} else if err := scenarios.CheckName(name); err != nil {
		return b.bad(f.name.line, "name", "%v", err)
	}
	if len(f.description.v) > MaxDescriptionBytes {
		return b.bad(f.description.line, "description", "is %d bytes long; it may be at most %d", len(f.description.v), MaxDescriptionBytes)
	}
	base, err := b.basePath()
	if err != nil {
		return err
	}
	var fixed []string
	setLine := map[string]int{}
	for _, s := range f.set.v {
		fixed = append(fixed, s.key+"="+s.value)
		setLine[s.key] = s.line
	}
	fixed = append(fixed, b.opt.Sets...)
	sc, err := scenarios.Load(base, fixed)
	if err != nil {
		var e *scenarios.Error
		if errors.As(err, &e) && strings.HasPrefix(e.File, "--set ") {
			// An override from the sweep file: point at its line.
			if key, _, _ := strings.Cut(strings.TrimPrefix(e.File, "--set "), "="); setLine[key] > 0 {
				return b.bad(setLine[key], "set."+key, "%s", e.Msg)
			}
		}
		if errors.As(err, &e) && e.File == "" {
			return b.bad(f.base.line, "base", "%s", e.Msg)
		}
		return err
	}
	b.sc = sc
	b.p = &Plan{Copsim: results.Version, Name: name, Description: f.description.v, Base: base, Fixed: fixed,
		Design: factorial, Replications: sc.Replications, Seed: sc.Seed, CommonRandomNumbers: true,
		Timeseries: b.opt.Timeseries, Ticks: sc.Ticks, base: sc}
	return nil
}

// basePath is the base scenario as scenarios.Load takes it: a built-in
// name, or a file, relative to the sweep file when one is there.
func (b *builder) basePath() (string, error) {
	f := b.f
	if !f.base.ok || strings.TrimSpace(f.base.v) == "" {
		return "", b.bad(max(f.base.line, f.line), "base", "missing: name the scenario to sweep (a file or a built-in such as baseline)")
	}
	base := f.base.v
	if !filepath.IsAbs(base) {
		if rel := filepath.Join(filepath.Dir(b.path), base); fileExists(rel) {
			base = rel
		}
	}
	// A device or a pipe named as the base would be read forever or block.
	if fi, err := os.Stat(base); err == nil && !fi.IsDir() && !fi.Mode().IsRegular() {
		return "", b.bad(f.base.line, "base", "%s is not a regular file (it is a device, a pipe or a socket); name a scenario file or a built-in", echo.Clip(f.base.v))
	}
	return base, nil
}

// settings reads the seed, the replications, common random numbers and
// the design, with what the command line overrides.
func (b *builder) settings() error {
	f, p := b.f, b.p
	if f.seed.ok {
		p.Seed = f.seed.v
	}
	if b.opt.Seed != nil {
		p.Seed = *b.opt.Seed
	}
	b.repsLine, b.repsField = f.params.line, "parameters"
	if f.replications.ok {
		p.Replications = f.replications.v
		b.repsLine, b.repsField = f.replications.line, "replications"
		if err := checkReplications(p.Replications); err != "" {
			return b.bad(f.replications.line, "replications", "%s", err)
		}
	}
	if b.opt.Replications != nil {
		if err := checkReplications(*b.opt.Replications); err != "" {
			return scenarios.ErrorList{{File: "--reps", Msg: err}}
		}
		p.Replications = *b.opt.Replications
		b.repsLine, b.repsField = 0, ""
	}
	if f.crn.ok {
		p.CommonRandomNumbers = f.crn.v
	}
	if f.design.ok {
		p.Design = f.design.v
		if !slices.Contains([]string{factorial, latinHypercube, sobol, morris}, p.Design) {
			return b.bad(f.design.line, "design", "must be %s, %s, %s or %s, got %q", factorial, latinHypercube, sobol, morris, echo.Clip(p.Design))
		}
	}
	if len(f.params.v) == 0 && len(f.subs.v) == 0 {
		return b.bad(max(f.params.line, f.line), "parameters", "missing: a sweep needs at least one parameter (path and values or range)")
	}
	b.sampled = p.Design != factorial
	least := 1 // samples: a Latin hypercube's points; a Sobol design's base points; Morris trajectories
	if sensitivityDesign(p.Design) {
		least = 2
	}
	noun := designNoun(p.Design)
	switch {
	case b.sampled && f.subs.ok:
		return b.bad(f.subs.line, "subexperiments", "are for factorial designs, not %s", noun)
	case b.sampled && !f.samples.ok:
		return b.bad(f.line, "samples", "missing: %s needs samples (%s, at least %d)", noun, samplesMeaning(p.Design), least)
	case b.sampled && f.samples.v < least:
		return b.bad(f.samples.line, "samples", "must be at least %d (%s), got %d", least, samplesMeaning(p.Design), f.samples.v)
	case b.sampled && f.samples.v > MaxPoints:
		return b.bad(f.samples.line, "samples", "must be at most %d (the most points a sweep may have), got %d", MaxPoints, f.samples.v)
	case !b.sampled && f.samples.ok:
		return b.bad(f.samples.line, "samples", "only a sampled design takes samples; add design: latin_hypercube, sobol or morris")
	case f.levels.ok && p.Design != morris:
		return b.bad(f.levels.line, "levels", "only a Morris design has levels; add design: morris or leave levels out")
	case f.levels.ok && (f.levels.v < 2 || f.levels.v%2 != 0 || f.levels.v > 100):
		return b.bad(f.levels.line, "levels", "must be an even number from 2 to 100 (4 is usual), got %d", f.levels.v)
	case f.outcomes.ok && !sensitivityDesign(p.Design):
		return b.bad(f.outcomes.line, "outcomes", "only a sensitivity design (sobol or morris) estimates indices of outcomes; every outcome is in results.csv anyway")
	}
	if sensitivityDesign(p.Design) {
		p.Samples, p.SampleSeed, p.Levels = f.samples.v, f.sampleSeed.v, 0
		if p.Design == morris {
			p.Levels = 4
			if f.levels.ok {
				p.Levels = f.levels.v
			}
		}
		p.Outcomes = f.outcomes.v
		if !f.outcomes.ok {
			p.Outcomes = indexOutcomes()
		}
		if len(p.Outcomes) == 0 {
			return b.bad(f.outcomes.line, "outcomes", "is empty: name at least one column of summary.csv, such as knowledge_mean")
		}
		for i, o := range p.Outcomes {
			if !slices.Contains(indexOutcomes(), o) {
				return b.bad(f.outcomes.line, fmt.Sprintf("outcomes.%d", i), "%q is not an outcome of summary.csv averaged over replications; %s", echo.Clip(o), suggest(o, indexOutcomes()))
			}
		}
	}
	return nil
}

// pointsPerSample is how many points of the design one sample gives.
func (b *builder) pointsPerSample() int {
	switch b.p.Design {
	case sobol:
		return len(b.axes) + 2
	case morris:
		return len(b.axes) + 1
	}
	return 1
}

// samplesMeaning says what samples counts in a sampled design.
func samplesMeaning(design string) string {
	switch design {
	case sobol:
		return "the base points N; the sweep runs N × (parameters + 2) points"
	case morris:
		return "the trajectories r; the sweep runs r × (parameters + 1) points"
	}
	return "the number of points"
}

// parameters reads the parameters' and the subexperiments' form, and how
// many values each gives; nothing is checked against the scenario yet.
func (b *builder) parameters() error {
	for i, ps := range b.f.params.v {
		field := fmt.Sprintf("parameters.%d", i)
		if !ps.path.ok || ps.path.v == "" {
			return b.bad(ps.line, field+".path", "missing: the dotted path of the parameter, such as model.socialization")
		}
		a := axis{path: ps.path.v, line: ps.path.line, field: field}
		for _, o := range b.axes {
			if o.path == a.path {
				return b.bad(a.line, field+".path", "%s is swept twice (also on line %d)", echo.Clip(a.path), o.line)
			}
		}
		kind, err := kindOf(a.path)
		if err != nil {
			return b.bad(a.line, field+".path", "%v", err)
		}
		a.kind = kind
		if b.sampled {
			err = b.sampledAxis(&a, ps)
		} else {
			err = b.listedAxis(&a, ps)
		}
		if err != nil {
			return err
		}
		b.axes = append(b.axes, a)
	}
	for i, s := range b.f.subs.v {
		field := fmt.Sprintf("subexperiments.%d", i)
		var own []axis
		for _, sa := range s.axes {
			kind, err := kindOf(sa.path)
			if err != nil {
				return b.bad(sa.line, joinField(field, sa.path), "%v", err)
			}
			own = append(own, axis{path: sa.path, kind: kind, line: sa.line, field: joinField(field, sa.path), nodes: sa.values})
		}
		b.subs = append(b.subs, own)
	}
	return nil
}

// sampledAxis reads a Latin hypercube's parameter: a numeric range
// {from, to}, whose bounds go into the plan.
func (b *builder) sampledAxis(a *axis, ps paramSpec) error {
	field, r := a.field, ps.rng.v
	noun := designNoun(b.p.Design)
	switch {
	case ps.values.ok:
		return b.bad(ps.values.line, field+".values", "%s samples within bounds: give range {from, to} instead of values", noun)
	case !ps.rng.ok || !r.from.ok || !r.to.ok:
		return b.bad(max(ps.rng.line, ps.line), field+".range", "%s needs range {from, to} for each parameter", noun)
	case r.step.ok:
		return b.bad(r.step.line, field+".range.step", "%s samples continuously; leave out step", noun)
	case r.from.v > r.to.v:
		return b.bad(ps.rng.line, field+".range", "bounds are reversed: from %s is above to %s", results.F(r.from.v), results.F(r.to.v))
	case r.from.v == r.to.v:
		return b.bad(ps.rng.line, field+".range", "the range is empty: from and to are both %s", results.F(r.from.v))
	case !numeric(a.kind):
		return b.bad(a.line, field+".path", "%s is %s, not a number, so it cannot be sampled in %s", a.path, kindName(a.kind), noun)
	case r.log.v && r.from.v <= 0:
		return b.bad(r.log.line, field+".range.log", "a log-uniform range must lie above 0, got from %s", results.F(r.from.v))
	}
	if err := wholeBounds(a.kind, r.from.v, r.to.v); err != "" {
		return b.bad(ps.rng.line, field+".range", "%s", err)
	}
	a.line = ps.rng.line
	a.field = field + ".range"
	a.values = []string{formatValue(r.from.v, a.kind), formatValue(r.to.v, a.kind)}
	b.p.Lower = append(b.p.Lower, r.from.v)
	b.p.Upper = append(b.p.Upper, r.to.v)
	b.log = append(b.log, r.log.v)
	return nil
}

// listedAxis reads a factorial's parameter: a list of values, or a range
// {from, to, step} whose values are listed now.
func (b *builder) listedAxis(a *axis, ps paramSpec) error {
	field, r := a.field, ps.rng.v
	switch {
	case ps.values.ok && ps.rng.ok:
		return b.bad(ps.line, field, "give values or range, not both")
	case ps.values.ok:
		a.line, a.field, a.nodes = ps.values.line, field+".values", ps.values.v
	case ps.rng.ok:
		a.line, a.field = ps.rng.line, field+".range"
		if !r.from.ok || !r.to.ok || !r.step.ok {
			return b.bad(ps.rng.line, field+".range", "needs from, to and step, such as {from: 0.1, to: 0.9, step: 0.2}")
		}
		if !numeric(a.kind) {
			return b.bad(ps.rng.line, field+".range", "%s is %s, not a number, so it takes values, not a range", a.path, kindName(a.kind))
		}
		vals, err := rangeValues(a.kind, r.from.v, r.to.v, r.step.v)
		if err != "" {
			return b.bad(ps.rng.line, field+".range", "%s", err)
		}
		a.values = vals
	default:
		return b.bad(ps.line, field, "needs values (a list) or range {from, to, step}")
	}
	return nil
}

func numeric(k reflect.Kind) bool { return k == reflect.Float64 || k == reflect.Int }

// size lists the plan's parameters and counts the design's points, cells
// and runs, refusing a design beyond the bounds before it is built.
func (b *builder) size() error {
	f, p := b.f, b.p
	p.Params = make([]string, 0, len(b.axes))
	for _, a := range b.axes {
		p.Params = append(p.Params, a.path)
	}
	for _, own := range b.subs {
		for _, a := range own {
			if !slices.Contains(p.Params, a.path) {
				p.Params = append(p.Params, a.path)
			}
		}
	}
	points, line, field := 0, f.params.line, "parameters"
	switch {
	case b.sampled:
		points, line, field = sat.Mul(f.samples.v, b.pointsPerSample()), f.samples.line, "samples"
	case len(b.subs) == 0:
		points = 1
		for _, a := range b.axes {
			points = sat.Mul(points, a.count())
		}
	default:
		line, field = f.subs.line, "subexperiments"
		for _, own := range b.subs {
			n := 1
			for _, a := range crossed(b.axes, own) {
				n = sat.Mul(n, a.count())
			}
			points = sat.Add(points, n)
		}
	}
	b.points = points
	if points > MaxPoints {
		return b.bad(line, field, "the design has %s points; a sweep may have at most %d: use fewer values or a larger step, or split the sweep", countText(points), MaxPoints)
	}
	if cells := sat.Mul(points, len(p.Params)); cells > MaxCells {
		return b.bad(line, field, "the design has %d points × %d parameters = %s values; a sweep may have at most %d: vary fewer parameters or use fewer points", points, len(p.Params), countText(cells), MaxCells)
	}
	if runs := sat.Mul(points, p.Replications); runs > MaxRuns {
		if b.repsLine == 0 && b.repsField == "" {
			return scenarios.ErrorList{{File: "--reps", Msg: fmt.Sprintf("the sweep would have %d points × %d replications = %s runs; a sweep may have at most %d: use fewer points or replications, or split the sweep", points, p.Replications, countText(runs), MaxRuns)}}
		}
		return b.bad(max(b.repsLine, f.line), b.repsField, "the sweep has %d points × %d replications = %s runs; a sweep may have at most %d: use fewer points or replications, or split the sweep", points, p.Replications, countText(runs), MaxRuns)
	}
	return nil
}

// checkValues checks every value of the design against the base scenario.
func (b *builder) checkValues() error {
	for i := range b.axes {
		if err := b.axes[i].check(b.path, b.sc); err != nil {
			return err
		}
	}
	for _, own := range b.subs {
		for i := range own {
			if err := own[i].check(b.path, b.sc); err != nil {
				return err
			}
		}
	}
	return nil
}

// build makes the plan's points, in a fixed order: a Latin hypercube's
// samples, or each design's combinations with the last parameter varying
// fastest.
func (b *builder) build() error {
	p := b.p
	y, err := scenarios.Marshal(b.sc)
	if err != nil {
		return err
	}
	p.BaseYAML = string(y)
	if b.sampled {
		if slices.Contains(b.log, true) {
			p.Log = b.log
		}
		var u [][]float64
		if sensitivityDesign(p.Design) {
			if u, err = p.unitPoints(); err != nil {
				return err
			}
		} else {
			u = stats.LatinHypercube(b.f.samples.v, len(b.axes), b.f.sampleSeed.v)
		}
		p.Points = make([]Point, 0, len(u))
		for _, row := range u {
			var pt Point
			for j, a := range b.axes {
				v := formatValue(p.param(j).At(row[j]), a.kind)
				pt.Sets = append(pt.Sets, a.path+"="+v)
				pt.Values = append(pt.Values, v)
			}
			p.Points = append(p.Points, pt)
		}
		return nil
	}
	baseTree, err := parseTree(y)
	if err != nil {
		return err
	}
	// Subexperiments: each is a factorial over its own values, crossed
	// with the main parameters it does not set.
	designs := [][]axis{b.axes}
	if len(b.subs) > 0 {
		designs = designs[:0]
		for _, own := range b.subs {
			designs = append(designs, crossed(b.axes, own))
		}
	}
	p.Points = make([]Point, 0, b.points)
	for _, s := range designs {
		lists := make([][]string, len(s))
		for i, a := range s {
			lists[i] = a.values
		}
		for _, combo := range crossProduct(lists) {
			pt := Point{Values: make([]string, len(p.Params))}
			set := map[string]string{}
			for i, a := range s {
				set[a.path] = combo[i]
			}
			for j, path := range p.Params {
				if v, ok := set[path]; ok {
					pt.Sets = append(pt.Sets, path+"="+v)
					pt.Values[j] = v
				} else {
					pt.Values[j] = valueAt(baseTree, path)
				}
			}
			p.Points = append(p.Points, pt)
		}
	}
	return nil
}

// crossed is the design of a subexperiment: the main parameters it does not
// set, then its own.
func crossed(main, own []axis) []axis {
	var all []axis
	for _, a := range main {
		if !slices.ContainsFunc(own, func(o axis) bool { return o.path == a.path }) {
			all = append(all, a)
		}
	}
	return append(all, own...)
}

func (a *axis) count() int {
	if a.nodes != nil {
		return len(a.nodes)
	}
	return len(a.values)
}

// check checks every value of the axis against the base scenario, exactly
// as a run applies it (scenarios.ApplySets), and fills a.values from the
// file's nodes. A value given twice is checked once.
func (a *axis) check(file string, sc scenarios.Scenario) error {
	seen := map[string]bool{}
	apply := func(text string) error {
		if seen[text] {
			return nil
		}
		seen[text] = true
		_, err := scenarios.ApplySets(sc, []string{a.path + "=" + text})
		return err
	}
	if a.nodes == nil {
		for _, v := range a.values {
			if err := apply(v); err != nil {
				return valueError(file, a.line, a.field, a.path, v, err)
			}
		}
		return nil
	}
	list := strings.HasSuffix(a.field, ".values")
	a.values = make([]string, len(a.nodes))
	for i, n := range a.nodes {
		if err := apply(n.Value); err != nil {
			field := a.field
			if list {
				field = fmt.Sprintf("%s.%d", a.field, i)
			}
			return valueError(file, n.Line, field, a.path, n.Value, err)
		}
		a.values[i] = n.Value
	}
	return nil
}

// valueError reports a value that the base scenario refuses, with the
// scenario's reason.
func valueError(file string, line int, field, path, value string, err error) error {
	e := scenarios.Errors(err)[0]
	return scenarios.ErrorList{{File: file, Line: line, Field: field,
		Msg: fmt.Sprintf("%s=%s: %s", path, echo.Clip(value), strings.TrimPrefix(e.Field+": "+e.Msg, ": "))}}
}

// maxWhole bounds the numbers a range gives to a whole-number parameter:
// beyond it, float64 no longer holds every whole number.
const maxWhole = 1 << 53

// rangeValues lists the values of a range {from, to, step}, counting them
// first without converting a float that may not fit an int.
func rangeValues(kind reflect.Kind, from, to, step float64) ([]string, string) {
	if from > to {
		return nil, fmt.Sprintf("bounds are reversed: from %s is above to %s", results.F(from), results.F(to))
	}
	if !(step > 0) {
		return nil, fmt.Sprintf("the range is empty: step must be positive, got %s", results.F(step))
	}
	if err := wholeBounds(kind, from, to); err != "" {
		return nil, err
	}
	tooMany := func(count string) string {
		return fmt.Sprintf("gives %s values (from %s to %s in steps of %s); a range may give at most %d: use a larger step",
			count, results.F(from), results.F(to), results.F(step), MaxRangeValues)
	}
	q := (to - from) / step // +Inf when to-from overflows or step is tiny
	if !(q < MaxRangeValues) {
		if q < 1e15 {
			return nil, tooMany(strconv.FormatInt(int64(math.Floor(q+1e-9))+1, 10))
		}
		return nil, tooMany(fmt.Sprintf("more than %d", MaxRangeValues))
	}
	n := int(math.Floor(q+1e-9)) + 1
	if n > MaxRangeValues {
		return nil, tooMany(strconv.Itoa(n))
	}
	vals := make([]string, n)
	for k := range vals {
		v := from + float64(k)*step
		if math.IsInf(v, 0) || kind == reflect.Int && math.Abs(v) > maxWhole {
			return nil, fmt.Sprintf("the value %s past from %s lies outside the numbers a parameter can take; use smaller bounds", results.F(float64(k)*step), results.F(from))
		}
		vals[k] = formatValue(v, kind)
	}
	return vals, ""
}

// wholeBounds refuses bounds of a whole-number parameter that float64
// cannot count in steps of 1.
func wholeBounds(kind reflect.Kind, lo, hi float64) string {
	if kind == reflect.Int && (math.Abs(lo) > maxWhole || math.Abs(hi) > maxWhole) {
		return fmt.Sprintf("bounds of a whole-number parameter must be between -%d and %d, got from %s to %s", int64(maxWhole), int64(maxWhole), results.F(lo), results.F(hi))
	}
	return ""
}

// checkReplications returns why n replications are refused, or "".
func checkReplications(n int) string {
	switch {
	case n < 1:
		return fmt.Sprintf("must be at least 1, got %d", n)
	case n > scenarios.MaxReplications:
		return fmt.Sprintf("must be at most %d, got %d", scenarios.MaxReplications, n)
	}
	return ""
}

func kindName(k reflect.Kind) string {
	switch k {
	case reflect.Float64, reflect.Int:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "text"
	}
	return "a " + k.String()
}

func countText(n int) string {
	if n == math.MaxInt {
		return fmt.Sprintf("more than %d", math.MaxInt)
	}
	return strconv.Itoa(n)
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

func parseTree(data []byte) (*yaml.Node, error) {
	var root yaml.Node
	if err := yaml.Load(data, &root); err != nil {
		return nil, err
	}
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		return root.Content[0], nil
	}
	return &root, nil
}

// valueAt is the scalar text at a dotted path of a scenario tree, or NA.
func valueAt(root *yaml.Node, path string) string {
	n := root
	for _, k := range strings.Split(path, ".") {
		if n = child(n, k); n == nil {
			return "NA"
		}
	}
	if n.Kind != yaml.ScalarNode {
		return "NA"
	}
	return n.Value
}

func child(n *yaml.Node, k string) *yaml.Node {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				return n.Content[i+1]
			}
		}
	case yaml.SequenceNode:
		if i, err := strconv.Atoi(k); err == nil && i >= 0 && i < len(n.Content) {
			return n.Content[i]
		}
	}
	return nil
}

// kindOf returns the kind of the scenario field at a dotted path, or an
// error saying which part of the path is wrong.
func kindOf(path string) (reflect.Kind, error) {
	t := reflect.TypeFor[scenarios.Scenario]()
	parts := strings.Split(path, ".")
	for i, part := range parts {
		sofar := echo.Clip(strings.Join(parts[:i+1], "."))
		switch t.Kind() {
		case reflect.Struct:
			names, index := scenarios.YAMLKeys(t)
			f, ok := index[part]
			if !ok {
				return 0, fmt.Errorf("%s: unknown parameter path; %s", sofar, suggestPath(part, strings.Join(parts[:i], "."), names))
			}
			t = t.Field(f).Type
		case reflect.Slice:
			if n, err := strconv.Atoi(part); err != nil || n < 0 {
				return 0, fmt.Errorf("%s: unknown parameter path; %s is a list and %q is not an index", sofar, strings.Join(parts[:i], "."), echo.Clip(part))
			}
			t = t.Elem()
		default:
			return 0, fmt.Errorf("%s: unknown parameter path; %s is a single value", sofar, strings.Join(parts[:i], "."))
		}
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Slice, reflect.Map:
		return 0, fmt.Errorf("%s is a group of settings, not a single parameter", echo.Clip(path))
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint64, reflect.Uint32:
		return reflect.Int, nil
	}
	return t.Kind(), nil
}

// suggestPath proposes the closest key of a group, or lists the group's
// keys.
func suggestPath(part, parent string, names []string) string {
	if s := suggest(part, names); strings.HasPrefix(s, "did you mean") {
		return s
	}
	return fmt.Sprintf("%s has %s", orTop(parent), strings.Join(names, ", "))
}

func orTop(s string) string {
	if s == "" {
		return "a scenario"
	}
	return s
}

// formatValue writes a number for --set: integers for integer fields,
// otherwise the shortest form after rounding away floating-point noise
// (0.1+0.2 gives 0.3).
func formatValue(v float64, kind reflect.Kind) string {
	if kind == reflect.Int {
		return strconv.FormatInt(int64(math.Round(v)), 10)
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	return strconv.FormatFloat(r, 'g', -1, 64)
}
