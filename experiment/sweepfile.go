package experiment

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/scenarios"
)

// Design kinds.
const (
	Factorial      = "factorial"
	LatinHypercube = "latin_hypercube"
)

// sweepFile is the schema of a sweep file.
type sweepFile struct {
	Name         string      `yaml:"name"`
	Description  string      `yaml:"description"`
	Base         string      `yaml:"base"`
	Set          yaml.Node   `yaml:"set"`
	Seed         *uint64     `yaml:"seed"`
	Replications *int        `yaml:"replications"`
	Design       string      `yaml:"design"`
	Samples      int         `yaml:"samples"`
	SampleSeed   uint64      `yaml:"sample_seed"`
	CRN          *bool       `yaml:"common_random_numbers"`
	Parameters   []paramSpec `yaml:"parameters"`
	Subexps      []yaml.Node `yaml:"subexperiments"`
}

type paramSpec struct {
	Path   string      `yaml:"path"`
	Values []yaml.Node `yaml:"values"`
	Range  *rangeSpec  `yaml:"range"`
}

type rangeSpec struct {
	From *float64 `yaml:"from"`
	To   *float64 `yaml:"to"`
	Step *float64 `yaml:"step"`
}

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
	// Bounds of each parameter of a Latin hypercube (for plots).
	Lower []float64 `json:"lower,omitempty"`
	Upper []float64 `json:"upper,omitempty"`

	base scenarios.Scenario
}

// Runs is the number of runs of the plan.
func (p *Plan) Runs() int { return len(p.Points) * p.Replications }

// Options are what the command line adds to a sweep file.
type Options struct {
	Sets         []string // extra fixed overrides (--set, --ticks)
	Seed         *uint64  // --seed
	Replications *int     // --reps
	Timeseries   bool
}

var lineRE = regexp.MustCompile(`line (\d+): (.*)`)

// LoadSweep reads and checks a sweep file. Every problem is reported as a
// *scenarios.Error with the file and line (a scenarios.ErrorList).
func LoadSweep(path string, opt Options) (*Plan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, scenarios.ErrorList{{File: path, Msg: err.Error()}}
	}
	bad := func(line int, field, format string, args ...any) error {
		return scenarios.ErrorList{{File: path, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}}
	}
	l, err := yaml.NewLoader(bytes.NewReader(data), yaml.WithKnownFields())
	if err != nil {
		return nil, bad(0, "", "%v", err)
	}
	var root yaml.Node
	if err := l.Load(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, bad(1, "", "the file is empty; a sweep needs at least base and parameters")
		}
		return nil, yamlError(path, err)
	}
	var f sweepFile
	if err := root.Load(&f, yaml.WithKnownFields()); err != nil {
		return nil, yamlError(path, err)
	}
	doc := &root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		doc = doc.Content[0]
	}
	at := func(keys ...string) int { return lineOf(doc, keys...) }

	if f.Base == "" {
		return nil, bad(at(), "base", "missing: name the scenario to sweep (a file or a built-in such as baseline)")
	}
	base := f.Base
	if !filepath.IsAbs(base) {
		if rel := filepath.Join(filepath.Dir(path), base); fileExists(rel) {
			base = rel
		}
	}
	var fixed []string
	if f.Set.Kind != 0 {
		if f.Set.Kind != yaml.MappingNode {
			return nil, bad(f.Set.Line, "set", "must be a mapping of parameter paths to values, such as population.people: 60")
		}
		for i := 0; i+1 < len(f.Set.Content); i += 2 {
			k, v := f.Set.Content[i], f.Set.Content[i+1]
			if v.Kind != yaml.ScalarNode {
				return nil, bad(v.Line, "set."+k.Value, "must be a single value")
			}
			fixed = append(fixed, k.Value+"="+v.Value)
		}
	}
	fixed = append(fixed, opt.Sets...)
	sc, err := scenarios.Load(base, fixed)
	if err != nil {
		var e *scenarios.Error
		if errors.As(err, &e) && strings.HasPrefix(e.File, "--set ") {
			// An override from the sweep file: point at its line.
			if key, _, _ := strings.Cut(strings.TrimPrefix(e.File, "--set "), "="); at("set", key) > 0 {
				return nil, bad(at("set", key), "set."+key, "%s", e.Msg)
			}
		}
		if errors.As(err, &e) && e.File == "" {
			return nil, bad(at("base"), "base", "%s", e.Msg)
		}
		return nil, err
	}
	p := &Plan{Copsim: results.Version, Name: f.Name, Description: f.Description, Base: base, Fixed: fixed,
		Design: f.Design, Replications: sc.Replications, Seed: sc.Seed, CommonRandomNumbers: true,
		Timeseries: opt.Timeseries, Ticks: sc.Ticks, base: sc}
	if p.Name == "" {
		p.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	if f.Seed != nil {
		p.Seed = *f.Seed
	}
	if opt.Seed != nil {
		p.Seed = *opt.Seed
	}
	if f.Replications != nil {
		p.Replications = *f.Replications
		if p.Replications < 1 {
			return nil, bad(at("replications"), "replications", "must be at least 1, got %d", p.Replications)
		}
	}
	if opt.Replications != nil {
		if *opt.Replications < 1 {
			return nil, scenarios.ErrorList{{File: "--reps", Msg: fmt.Sprintf("must be at least 1, got %d", *opt.Replications)}}
		}
		p.Replications = *opt.Replications
	}
	if f.CRN != nil {
		p.CommonRandomNumbers = *f.CRN
	}
	y, err := scenarios.Marshal(sc)
	if err != nil {
		return nil, err
	}
	p.BaseYAML = string(y)
	baseTree, err := parseTree(y)
	if err != nil {
		return nil, err
	}
	switch p.Design {
	case "":
		p.Design = Factorial
	case Factorial, LatinHypercube:
	default:
		return nil, bad(at("design"), "design", "must be %s or %s, got %q", Factorial, LatinHypercube, p.Design)
	}
	if len(f.Parameters) == 0 && len(f.Subexps) == 0 {
		return nil, bad(at(), "parameters", "missing: a sweep needs at least one parameter (path and values or range)")
	}

	// check applies path=value to the base scenario and reports a problem
	// at line.
	check := func(line int, field, path, value string) error {
		if _, err := scenarios.ApplySets(sc, []string{path + "=" + value}); err != nil {
			msgs := scenarios.Errors(err)
			return bad(line, field, "%s=%s: %s", path, value, strings.TrimPrefix(msgs[0].Field+": "+msgs[0].Msg, ": "))
		}
		return nil
	}
	type axis struct {
		path   string
		values []string
	}
	var axes []axis
	for i, ps := range f.Parameters {
		field := fmt.Sprintf("parameters.%d", i)
		line := at("parameters", strconv.Itoa(i))
		if ps.Path == "" {
			return nil, bad(line, field+".path", "missing: the dotted path of the parameter, such as model.socialization")
		}
		for _, a := range axes {
			if a.path == ps.Path {
				return nil, bad(line, field+".path", "%s is swept twice", ps.Path)
			}
		}
		kind, err := kindOf(ps.Path)
		if err != nil {
			return nil, bad(at("parameters", strconv.Itoa(i), "path"), field+".path", "%v", err)
		}
		if p.Design == LatinHypercube {
			if ps.Values != nil {
				return nil, bad(at("parameters", strconv.Itoa(i), "values"), field+".values", "a Latin hypercube samples within bounds: give range {from, to} instead of values")
			}
			r := ps.Range
			rl := at("parameters", strconv.Itoa(i), "range")
			if r == nil || r.From == nil || r.To == nil {
				return nil, bad(max(rl, line), field+".range", "a Latin hypercube needs range {from, to} for each parameter")
			}
			if r.Step != nil {
				return nil, bad(at("parameters", strconv.Itoa(i), "range", "step"), field+".range.step", "a Latin hypercube samples continuously; leave out step")
			}
			if *r.From > *r.To {
				return nil, bad(rl, field+".range", "bounds are reversed: from %s is above to %s", results.F(*r.From), results.F(*r.To))
			}
			if *r.From == *r.To {
				return nil, bad(rl, field+".range", "the range is empty: from and to are both %s", results.F(*r.From))
			}
			if kind != reflect.Float64 && kind != reflect.Int {
				return nil, bad(line, field+".path", "%s is not a number, so it cannot be sampled in a Latin hypercube", ps.Path)
			}
			for _, v := range []float64{*r.From, *r.To} {
				if err := check(rl, field+".range", ps.Path, formatValue(v, kind)); err != nil {
					return nil, err
				}
			}
			p.Params = append(p.Params, ps.Path)
			p.Lower = append(p.Lower, *r.From)
			p.Upper = append(p.Upper, *r.To)
			axes = append(axes, axis{path: ps.Path})
			continue
		}
		var vals []string
		switch {
		case ps.Values != nil && ps.Range != nil:
			return nil, bad(line, field, "give values or range, not both")
		case ps.Values != nil:
			if len(ps.Values) == 0 {
				return nil, bad(at("parameters", strconv.Itoa(i), "values"), field+".values", "the list of values is empty")
			}
			for j, v := range ps.Values {
				if v.Kind != yaml.ScalarNode {
					return nil, bad(v.Line, fmt.Sprintf("%s.values.%d", field, j), "must be a single value")
				}
				if err := check(v.Line, fmt.Sprintf("%s.values.%d", field, j), ps.Path, v.Value); err != nil {
					return nil, err
				}
				vals = append(vals, v.Value)
			}
		case ps.Range != nil:
			r := ps.Range
			rl := at("parameters", strconv.Itoa(i), "range")
			if r.From == nil || r.To == nil || r.Step == nil {
				return nil, bad(rl, field+".range", "needs from, to and step, such as {from: 0.1, to: 0.9, step: 0.2}")
			}
			if *r.From > *r.To {
				return nil, bad(rl, field+".range", "bounds are reversed: from %s is above to %s", results.F(*r.From), results.F(*r.To))
			}
			if !(*r.Step > 0) {
				return nil, bad(rl, field+".range", "the range is empty: step must be positive, got %s", results.F(*r.Step))
			}
			n := int(math.Floor((*r.To-*r.From)/(*r.Step)+1e-9)) + 1
			if n > 100000 {
				return nil, bad(rl, field+".range", "gives %d values; use a larger step", n)
			}
			for k := 0; k < n; k++ {
				v := formatValue(*r.From+float64(k)*(*r.Step), kind)
				if err := check(rl, field+".range", ps.Path, v); err != nil {
					return nil, err
				}
				vals = append(vals, v)
			}
		default:
			return nil, bad(line, field, "needs values (a list) or range {from, to, step}")
		}
		p.Params = append(p.Params, ps.Path)
		axes = append(axes, axis{path: ps.Path, values: vals})
	}

	if p.Design == LatinHypercube {
		if len(f.Subexps) > 0 {
			return nil, bad(at("subexperiments"), "subexperiments", "are for factorial designs, not a Latin hypercube")
		}
		if f.Samples < 1 {
			return nil, bad(at("samples"), "samples", "a Latin hypercube needs samples: the number of points (at least 1)")
		}
		u := LHS(f.Samples, len(axes), f.SampleSeed)
		for _, row := range u {
			var pt Point
			for j, a := range axes {
				kind, _ := kindOf(a.path)
				v := formatValue(p.Lower[j]+row[j]*(p.Upper[j]-p.Lower[j]), kind)
				pt.Sets = append(pt.Sets, a.path+"="+v)
				pt.Values = append(pt.Values, v)
			}
			p.Points = append(p.Points, pt)
		}
		return p, nil
	}
	if f.Samples != 0 {
		return nil, bad(at("samples"), "samples", "only a Latin hypercube design takes samples; add design: latin_hypercube")
	}

	// Subexperiments: each is a factorial over its own values, crossed
	// with the main parameters it does not set.
	type sub struct{ axes []axis }
	subs := []sub{{axes: axes}}
	if len(f.Subexps) > 0 {
		subs = nil
		for i, n := range f.Subexps {
			field := fmt.Sprintf("subexperiments.%d", i)
			if n.Kind != yaml.MappingNode || len(n.Content) == 0 {
				return nil, bad(n.Line, field, "must be a mapping of parameter paths to a value or a list of values")
			}
			var own []axis
			for k := 0; k+1 < len(n.Content); k += 2 {
				key, v := n.Content[k], n.Content[k+1]
				kf := field + "." + key.Value
				if _, err := kindOf(key.Value); err != nil {
					return nil, bad(key.Line, kf, "%v", err)
				}
				var vals []string
				switch v.Kind {
				case yaml.ScalarNode:
					vals = []string{v.Value}
				case yaml.SequenceNode:
					if len(v.Content) == 0 {
						return nil, bad(v.Line, kf, "the list of values is empty")
					}
					for _, e := range v.Content {
						if e.Kind != yaml.ScalarNode {
							return nil, bad(e.Line, kf, "must be a single value or a list of values")
						}
						vals = append(vals, e.Value)
					}
				default:
					return nil, bad(v.Line, kf, "must be a single value or a list of values")
				}
				for _, val := range vals {
					if err := check(v.Line, kf, key.Value, val); err != nil {
						return nil, err
					}
				}
				own = append(own, axis{path: key.Value, values: vals})
				if !contains(p.Params, key.Value) {
					p.Params = append(p.Params, key.Value)
				}
			}
			var all []axis
			for _, a := range axes {
				overridden := false
				for _, o := range own {
					overridden = overridden || o.path == a.path
				}
				if !overridden {
					all = append(all, a)
				}
			}
			subs = append(subs, sub{axes: append(all, own...)})
		}
	}
	for _, s := range subs {
		lists := make([][]string, len(s.axes))
		for i, a := range s.axes {
			lists[i] = a.values
		}
		for _, combo := range CrossProduct(lists) {
			pt := Point{Values: make([]string, len(p.Params))}
			set := map[string]string{}
			for i, a := range s.axes {
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
	if p.Runs() > 10_000_000 {
		return nil, bad(at(), "", "the sweep has %d runs; that is too many", p.Runs())
	}
	return p, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// yamlError turns a YAML decoding error into file:line errors.
func yamlError(path string, err error) error {
	var l scenarios.ErrorList
	for _, s := range strings.Split(err.Error(), "\n") {
		s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "yaml:"))
		if s == "" || strings.HasPrefix(s, "unmarshal errors") || strings.HasSuffix(s, "errors:") {
			continue
		}
		e := &scenarios.Error{File: path, Msg: s}
		if m := lineRE.FindStringSubmatch(s); m != nil {
			e.Line, _ = strconv.Atoi(m[1])
			e.Msg = m[2]
		}
		e.Msg = strings.ReplaceAll(e.Msg, "in type experiment.", "in ")
		l = append(l, e)
	}
	if len(l) == 0 {
		l = scenarios.ErrorList{{File: path, Msg: err.Error()}}
	}
	return l
}

// lineOf returns the line of the node at keys (mapping keys or list
// indices) under n, or of the deepest node found on the way.
func lineOf(n *yaml.Node, keys ...string) int {
	line := n.Line
	for _, k := range keys {
		next := child(n, k)
		if next == nil {
			return line
		}
		n = next
		line = n.Line
	}
	return line
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

// kindOf returns the kind of the scenario field at a dotted path, or an
// error saying which part of the path is wrong.
func kindOf(path string) (reflect.Kind, error) {
	t := reflect.TypeFor[scenarios.Scenario]()
	parts := strings.Split(path, ".")
	for i, part := range parts {
		sofar := strings.Join(parts[:i+1], ".")
		switch t.Kind() {
		case reflect.Struct:
			var names []string
			found := false
			for j := range t.NumField() {
				name, _, _ := strings.Cut(t.Field(j).Tag.Get("yaml"), ",")
				if name == "" || name == "-" {
					continue
				}
				names = append(names, name)
				if name == part {
					t = t.Field(j).Type
					found = true
					break
				}
			}
			if !found {
				return 0, fmt.Errorf("%s: unknown parameter path; %s has %s", sofar, orTop(strings.Join(parts[:i], ".")), strings.Join(names, ", "))
			}
		case reflect.Slice:
			if n, err := strconv.Atoi(part); err != nil || n < 0 {
				return 0, fmt.Errorf("%s: unknown parameter path; %s is a list and %q is not an index", sofar, strings.Join(parts[:i], "."), part)
			}
			t = t.Elem()
		default:
			return 0, fmt.Errorf("%s: unknown parameter path; %s is a single value", sofar, strings.Join(parts[:i], "."))
		}
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Slice, reflect.Map:
		return 0, fmt.Errorf("%s is a group of settings, not a single parameter", path)
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint64, reflect.Uint32:
		return reflect.Int, nil
	}
	return t.Kind(), nil
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
