package experiment

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"go.yaml.in/yaml/v4"

	"github.com/copsim/copsim/internal/spell"
	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/scenarios"
)

// Design kinds.
const (
	Factorial      = "factorial"
	LatinHypercube = "latin_hypercube"
)

// Bounds of a sweep, checked by LoadSweep before anything is built or run.
// They keep a sweep within what one machine can hold and a folder can list;
// docs/sweeps.md states each one. Replications are bounded by
// scenarios.MaxReplications, like a scenario's.
const (
	// MaxSweepFileBytes bounds the size of a sweep file (1 MiB).
	MaxSweepFileBytes = 1 << 20
	// MaxSweepDescriptionBytes bounds description, which is copied into
	// sweep.json.
	MaxSweepDescriptionBytes = 10_000
	// MaxSweepValueBytes bounds one value that a sweep varies (an item of
	// values or of a subexperiment): it is repeated in many points.
	MaxSweepValueBytes = 100
	// MaxRangeValues bounds the values that one range {from, to, step}
	// gives.
	MaxRangeValues = 100_000
	// MaxSweepPoints bounds the points of a design: the combinations of a
	// factorial (summed over subexperiments) or a Latin hypercube's samples.
	MaxSweepPoints = 100_000
	// MaxSweepRuns bounds the runs of a sweep: points × replications.
	MaxSweepRuns = 1_000_000
	// MaxSweepCells bounds points × parameters, the size of design.csv and
	// of the plan that every run of the sweep reads.
	MaxSweepCells = 1_000_000
	// MaxSweepNodes bounds the YAML values read from a sweep file, counting
	// the values behind an alias (*name) again at each use, so that a small
	// file cannot expand into a huge one.
	MaxSweepNodes = 1_000_000
)

// maxSweepErrors bounds the decoding problems reported for one file.
const maxSweepErrors = 50

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

// LoadSweep reads and checks a sweep file. Every problem is reported as a
// *scenarios.Error with the file, line and field (a scenarios.ErrorList).
//
// The file is read as strictly as a scenario: one YAML document, no
// unknown or duplicate key at any depth, no value of the wrong type, every
// number finite. The size of the design (points, runs) is counted and
// bounded before the design is built, and every value a sweep varies is
// checked against the base scenario before anything runs.
func LoadSweep(path string, opt Options) (*Plan, error) {
	data, err := readSweepFile(path)
	if err != nil {
		return nil, err
	}
	root, err := sweepDocument(path, data)
	if err != nil {
		return nil, err
	}
	f, err := decodeSweep(path, root)
	if err != nil {
		return nil, err
	}
	return f.plan(path, opt)
}

// readSweepFile reads a sweep file, refusing what is not a regular file
// (a device or a pipe would never end, or block) and what is too large.
func readSweepFile(path string) ([]byte, error) {
	bad := func(format string, args ...any) error {
		return scenarios.ErrorList{{File: path, Msg: fmt.Sprintf(format, args...)}}
	}
	// O_NONBLOCK: opening a pipe must not wait for a writer; the file is
	// then checked through the open descriptor, so that nothing can be
	// swapped in between.
	fh, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, bad("no such file")
	case errors.Is(err, fs.ErrPermission):
		return nil, bad("cannot be read: permission denied")
	case err != nil:
		return nil, bad("cannot be read: %v", unwrapPath(err))
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return nil, bad("cannot be read: %v", unwrapPath(err))
	}
	switch {
	case fi.IsDir():
		return nil, bad("is a folder, not a sweep file")
	case !fi.Mode().IsRegular():
		return nil, bad("is not a regular file (it is a device, a pipe or a socket); give a sweep file")
	case fi.Size() > MaxSweepFileBytes:
		return nil, bad("is %d bytes; a sweep file may hold at most %d (1 MiB)", fi.Size(), MaxSweepFileBytes)
	}
	data, err := io.ReadAll(io.LimitReader(fh, MaxSweepFileBytes+1))
	if err != nil {
		return nil, bad("cannot be read: %v", unwrapPath(err))
	}
	if len(data) > MaxSweepFileBytes {
		return nil, bad("is more than %d bytes; a sweep file may hold at most %d (1 MiB)", MaxSweepFileBytes, MaxSweepFileBytes)
	}
	return data, nil
}

// unwrapPath drops the operation and path that an *fs.PathError repeats.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// sweepDocument reads data as exactly one YAML document holding a mapping.
func sweepDocument(file string, data []byte) (*yaml.Node, error) {
	one := func(line int, format string, args ...any) error {
		return scenarios.ErrorList{{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}}
	}
	l, err := yaml.NewLoader(bytes.NewReader(data))
	if err != nil {
		return nil, one(1, "cannot be read as YAML")
	}
	var doc yaml.Node
	switch err := l.Load(&doc); {
	case errors.Is(err, io.EOF):
		return nil, one(1, "the file is empty; a sweep needs at least base and parameters")
	case err != nil:
		return nil, scenarios.ErrorList{syntaxError(file, data, err)}
	}
	var next yaml.Node
	switch err := l.Load(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, scenarios.ErrorList{syntaxError(file, data, err)}
	default:
		return nil, one(max(next.Line, 1), "a second YAML document starts here; a sweep file holds exactly one document (remove the --- line and what follows, or split the file)")
	}
	if len(doc.Content) != 1 || isNullNode(deref(doc.Content[0])) {
		return nil, one(max(doc.Line, 1), "the file holds no sweep; it needs at least base and parameters")
	}
	return doc.Content[0], nil
}

// syntaxError turns a YAML library error into an error at its position (a
// copy of the scenario parser's, which is unexported).
func syntaxError(file string, data []byte, err error) *scenarios.Error {
	var le *yaml.LoadError
	if !errors.As(err, &le) {
		return &scenarios.Error{File: file, Line: 1, Msg: "invalid YAML: " + err.Error()}
	}
	e := &scenarios.Error{File: file, Line: le.Mark.Line, Column: le.Mark.Column, Msg: "invalid YAML: " + le.Message}
	if e.Line == 0 {
		i := min(max(le.Mark.Index, 0), len(data))
		e.Line = 1 + bytes.Count(data[:i], []byte("\n"))
	}
	return e
}

// given is a value read from the file and the line of its key.
type given[T any] struct {
	v    T
	line int
	ok   bool
}

// sweepFile is a decoded sweep file, before any check against the base
// scenario.
type sweepFile struct {
	line                    int // of the first key
	name, description, base given[string]
	design                  given[string]
	seed, sampleSeed        given[uint64]
	replications, samples   given[int]
	crn                     given[bool]
	set                     given[[]setting]
	params                  given[[]paramSpec]
	subs                    given[[]subSpec]
}

type setting struct {
	key, value string
	line       int
}

type paramSpec struct {
	line   int // of the list item
	path   given[string]
	values given[[]*yaml.Node]
	rng    given[rangeSpec]
}

type rangeSpec struct {
	from, to, step given[float64]
}

type subSpec struct {
	line int
	axes []subAxis
}

type subAxis struct {
	path   string
	line   int // of the key
	values []*yaml.Node
}

// sweepDecoder walks the YAML tree of a sweep file by hand, so that every
// problem gets a line, a field and a sentence, and so that aliases are
// counted (MaxSweepNodes).
type sweepDecoder struct {
	file  string
	nodes int
	over  bool
	errs  scenarios.ErrorList
}

func (d *sweepDecoder) fail(line int, field, format string, args ...any) {
	if len(d.errs) > maxSweepErrors {
		return
	}
	e := &scenarios.Error{File: d.file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
	if len(d.errs) == maxSweepErrors {
		e.Field, e.Msg = "", "too many errors; stopping here"
	}
	d.errs = append(d.errs, e)
}

// visit follows an alias and counts the node; it returns nil once the file
// has expanded past MaxSweepNodes.
func (d *sweepDecoder) visit(n *yaml.Node) *yaml.Node {
	if d.over {
		return nil
	}
	if d.nodes++; d.nodes > MaxSweepNodes {
		d.over = true
		d.errs = append(d.errs, &scenarios.Error{File: d.file, Line: n.Line,
			Msg: fmt.Sprintf("the file expands to more than %d YAML values (the values behind an alias count at each use); write the sweep out with fewer aliases", MaxSweepNodes)})
		return nil
	}
	return deref(n)
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func isNullNode(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// mapping calls each for every key of the mapping n, in order, after
// refusing a key that is not text, a key given twice, a key not in keys
// (when keys is not nil) and a key without a value.
func (d *sweepDecoder) mapping(n *yaml.Node, field string, keys []string, each func(key string, k, v *yaml.Node)) bool {
	if n.Kind != yaml.MappingNode {
		d.fail(n.Line, field, "must be a mapping of keys to values, got %s", describe(n))
		return false
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := d.visit(n.Content[i])
		if k == nil {
			return false
		}
		if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!null" {
			d.fail(k.Line, field, "keys must be plain names, got %s", describe(k))
			continue
		}
		p := joinField(field, k.Value)
		if first, dup := seen[k.Value]; dup {
			d.fail(k.Line, p, "duplicate key; it is already given on line %d", first)
			continue
		}
		seen[k.Value] = k.Line
		if keys != nil && !slices.Contains(keys, k.Value) {
			d.fail(k.Line, p, "unknown field; %s", suggest(k.Value, keys))
			continue
		}
		v := d.visit(n.Content[i+1])
		if v == nil {
			return false
		}
		if isNullNode(v) {
			d.fail(k.Line, p, "has no value; give one, or remove the key")
			continue
		}
		each(k.Value, k, v)
	}
	return true
}

// sequence calls each for every item of the list n.
func (d *sweepDecoder) sequence(n *yaml.Node, field string, each func(i int, v *yaml.Node)) {
	if n.Kind != yaml.SequenceNode {
		d.fail(n.Line, field, "must be a list, got %s", describe(n))
		return
	}
	for i, item := range n.Content {
		v := d.visit(item)
		if v == nil {
			return
		}
		if isNullNode(v) {
			d.fail(v.Line, joinField(field, strconv.Itoa(i)), "has no value")
			continue
		}
		each(i, v)
	}
}

func joinField(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}

func (d *sweepDecoder) text(n *yaml.Node, field string, line int, out *given[string]) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		hint := ""
		if n.Kind == yaml.ScalarNode {
			hint = fmt.Sprintf(" (write %q to use it as text)", clip(n.Value))
		}
		d.fail(line, field, "must be text, got %s%s", describe(n), hint)
		return
	}
	*out = given[string]{n.Value, line, true}
}

func (d *sweepDecoder) whole(n *yaml.Node, field string, line int, out *given[int]) {
	var i int64
	switch {
	case n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int":
		d.fail(line, field, "must be a whole number, got %s", describe(n))
	case n.Decode(&i) != nil || i != int64(int(i)):
		d.fail(line, field, "must be a whole number, got %s, which is too large", clip(n.Value))
	default:
		*out = given[int]{int(i), line, true}
	}
}

func (d *sweepDecoder) unsigned(n *yaml.Node, field string, line int, out *given[uint64]) {
	var u uint64
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&u) != nil {
		d.fail(line, field, "must be a whole number from 0 to 18446744073709551615, got %s", describe(n))
		return
	}
	*out = given[uint64]{u, line, true}
}

func (d *sweepDecoder) boolean(n *yaml.Node, field string, line int, out *given[bool]) {
	var b bool
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
		d.fail(line, field, "must be true or false, got %s", describe(n))
		return
	}
	*out = given[bool]{b, line, true}
}

func (d *sweepDecoder) number(n *yaml.Node, field string, line int, out *given[float64]) {
	var x float64
	tag := n.ShortTag()
	switch {
	case n.Kind != yaml.ScalarNode || tag != "!!int" && tag != "!!float" || n.Decode(&x) != nil:
		d.fail(line, field, "must be a number, got %s", describe(n))
	case math.IsNaN(x) || math.IsInf(x, 0):
		d.fail(line, field, "must be a finite number, got %s", clip(n.Value))
	default:
		*out = given[float64]{x, line, true}
	}
}

// values reads a single value or a list of values that a sweep varies.
func (d *sweepDecoder) values(n *yaml.Node, field string, single bool) []*yaml.Node {
	scalar := func(v *yaml.Node, f string) bool {
		switch {
		case v.Kind != yaml.ScalarNode:
			d.fail(v.Line, f, "must be a single value, got %s", describe(v))
		case len(v.Value) > MaxSweepValueBytes:
			d.fail(v.Line, f, "is %d bytes long; a value that a sweep varies may be at most %d", len(v.Value), MaxSweepValueBytes)
		default:
			return true
		}
		return false
	}
	if single && n.Kind == yaml.ScalarNode {
		if scalar(n, field) {
			return []*yaml.Node{n}
		}
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		what := "a list of values"
		if single {
			what = "a single value or a list of values"
		}
		d.fail(n.Line, field, "must be %s, got %s", what, describe(n))
		return nil
	}
	if len(n.Content) == 0 {
		d.fail(n.Line, field, "the list of values is empty")
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	d.sequence(n, field, func(i int, v *yaml.Node) {
		if scalar(v, joinField(field, strconv.Itoa(i))) {
			out = append(out, v)
		}
	})
	return out
}

var (
	sweepKeys = []string{"name", "description", "base", "set", "seed", "replications", "design",
		"samples", "sample_seed", "common_random_numbers", "parameters", "subexperiments"}
	paramKeys = []string{"path", "values", "range"}
	rangeKeys = []string{"from", "to", "step"}
)

// decodeSweep reads the tree of a sweep file into a sweepFile, reporting
// every problem of form (unknown and duplicate keys, wrong types) at once.
func decodeSweep(file string, root *yaml.Node) (*sweepFile, error) {
	d := &sweepDecoder{file: file}
	f := &sweepFile{line: root.Line}
	root = d.visit(root)
	if root == nil {
		return nil, d.errs
	}
	if root.Kind == yaml.MappingNode && len(root.Content) > 0 {
		f.line = root.Content[0].Line
	}
	d.mapping(root, "", sweepKeys, func(key string, k, v *yaml.Node) {
		line := k.Line
		switch key {
		case "name":
			d.text(v, key, line, &f.name)
		case "description":
			d.text(v, key, line, &f.description)
		case "base":
			d.text(v, key, line, &f.base)
		case "design":
			d.text(v, key, line, &f.design)
		case "seed":
			d.unsigned(v, key, line, &f.seed)
		case "sample_seed":
			d.unsigned(v, key, line, &f.sampleSeed)
		case "replications":
			d.whole(v, key, line, &f.replications)
		case "samples":
			d.whole(v, key, line, &f.samples)
		case "common_random_numbers":
			d.boolean(v, key, line, &f.crn)
		case "set":
			f.set = given[[]setting]{line: line, ok: true}
			d.mapping(v, key, nil, func(path string, k, v *yaml.Node) {
				field := joinField(key, path)
				switch {
				case v.Kind != yaml.ScalarNode:
					d.fail(k.Line, field, "must be a single value, got %s", describe(v))
				case strings.ContainsAny(path, "= \t"):
					d.fail(k.Line, field, "is not a parameter path; paths are dotted names such as population.people")
				default:
					f.set.v = append(f.set.v, setting{key: path, value: v.Value, line: k.Line})
				}
			})
		case "parameters":
			f.params = given[[]paramSpec]{line: line, ok: true}
			d.sequence(v, key, func(i int, item *yaml.Node) {
				field := joinField(key, strconv.Itoa(i))
				ps := paramSpec{line: item.Line}
				d.mapping(item, field, paramKeys, func(key string, k, v *yaml.Node) {
					pf := joinField(field, key)
					switch key {
					case "path":
						d.text(v, pf, k.Line, &ps.path)
					case "values":
						ps.values = given[[]*yaml.Node]{d.values(v, pf, false), k.Line, true}
					case "range":
						ps.rng = given[rangeSpec]{line: k.Line, ok: true}
						d.mapping(v, pf, rangeKeys, func(key string, k, v *yaml.Node) {
							rf := joinField(pf, key)
							switch key {
							case "from":
								d.number(v, rf, k.Line, &ps.rng.v.from)
							case "to":
								d.number(v, rf, k.Line, &ps.rng.v.to)
							case "step":
								d.number(v, rf, k.Line, &ps.rng.v.step)
							}
						})
					}
				})
				f.params.v = append(f.params.v, ps)
			})
		case "subexperiments":
			f.subs = given[[]subSpec]{line: line, ok: true}
			d.sequence(v, key, func(i int, item *yaml.Node) {
				field := joinField(key, strconv.Itoa(i))
				s := subSpec{line: item.Line}
				ok := d.mapping(item, field, nil, func(path string, k, v *yaml.Node) {
					s.axes = append(s.axes, subAxis{path: path, line: k.Line, values: d.values(v, joinField(field, path), true)})
				})
				if ok && len(item.Content) == 0 {
					d.fail(item.Line, field, "is empty; give the parameters it sets, such as model.turnover: [0.01, 0.03]")
				}
				f.subs.v = append(f.subs.v, s)
			})
		}
	})
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	return f, nil
}

// describe names what a node holds, for "must be X, got Y" messages (a
// copy of the scenario parser's).
func describe(n *yaml.Node) string {
	n = deref(n)
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "nothing"
		case "!!str":
			return fmt.Sprintf("the text %q", clip(n.Value))
		case "!!int", "!!float", "!!bool", "!!timestamp":
			return clip(n.Value)
		}
		return fmt.Sprintf("%s %s", clip(n.Tag), clip(n.Value))
	}
	return "an unsupported YAML node"
}

// clip shortens text quoted in a message, so that a huge value is not
// echoed in full.
func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	cut := 37
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// suggest proposes the closest valid key, or lists them all.
func suggest(key string, all []string) string {
	if best := spell.Nearest(key, all); best != "" {
		return fmt.Sprintf("did you mean %s?", best)
	}
	return "valid keys here are " + strings.Join(all, ", ")
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

// plan checks the decoded file against the base scenario and the bounds,
// and builds the plan.
func (f *sweepFile) plan(path string, opt Options) (*Plan, error) {
	bad := func(line int, field, format string, args ...any) error {
		return scenarios.ErrorList{{File: path, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}}
	}
	name := f.name.v
	if !f.name.ok {
		name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		if err := scenarios.CheckName(name); err != nil {
			return nil, bad(f.line, "name", "missing, and the file's name %q cannot stand in for it: it %v; add name: to the file", clip(name), err)
		}
	} else if err := scenarios.CheckName(name); err != nil {
		return nil, bad(f.name.line, "name", "%v", err)
	}
	if len(f.description.v) > MaxSweepDescriptionBytes {
		return nil, bad(f.description.line, "description", "is %d bytes long; it may be at most %d", len(f.description.v), MaxSweepDescriptionBytes)
	}
	if !f.base.ok || strings.TrimSpace(f.base.v) == "" {
		return nil, bad(max(f.base.line, f.line), "base", "missing: name the scenario to sweep (a file or a built-in such as baseline)")
	}
	base := f.base.v
	if !filepath.IsAbs(base) {
		if rel := filepath.Join(filepath.Dir(path), base); fileExists(rel) {
			base = rel
		}
	}
	// A device or a pipe named as the base would be read forever or block.
	if fi, err := os.Stat(base); err == nil && !fi.IsDir() && !fi.Mode().IsRegular() {
		return nil, bad(f.base.line, "base", "%s is not a regular file (it is a device, a pipe or a socket); name a scenario file or a built-in", clip(f.base.v))
	}
	var fixed []string
	setLine := map[string]int{}
	for _, s := range f.set.v {
		fixed = append(fixed, s.key+"="+s.value)
		setLine[s.key] = s.line
	}
	fixed = append(fixed, opt.Sets...)
	sc, err := scenarios.Load(base, fixed)
	if err != nil {
		var e *scenarios.Error
		if errors.As(err, &e) && strings.HasPrefix(e.File, "--set ") {
			// An override from the sweep file: point at its line.
			if key, _, _ := strings.Cut(strings.TrimPrefix(e.File, "--set "), "="); setLine[key] > 0 {
				return nil, bad(setLine[key], "set."+key, "%s", e.Msg)
			}
		}
		if errors.As(err, &e) && e.File == "" {
			return nil, bad(f.base.line, "base", "%s", e.Msg)
		}
		return nil, err
	}
	p := &Plan{Copsim: results.Version, Name: name, Description: f.description.v, Base: base, Fixed: fixed,
		Design: Factorial, Replications: sc.Replications, Seed: sc.Seed, CommonRandomNumbers: true,
		Timeseries: opt.Timeseries, Ticks: sc.Ticks, base: sc}
	if f.seed.ok {
		p.Seed = f.seed.v
	}
	if opt.Seed != nil {
		p.Seed = *opt.Seed
	}
	repsLine, repsField := f.params.line, "parameters"
	if f.replications.ok {
		p.Replications = f.replications.v
		repsLine, repsField = f.replications.line, "replications"
		if err := checkReplications(p.Replications); err != "" {
			return nil, bad(f.replications.line, "replications", "%s", err)
		}
	}
	if opt.Replications != nil {
		if err := checkReplications(*opt.Replications); err != "" {
			return nil, scenarios.ErrorList{{File: "--reps", Msg: err}}
		}
		p.Replications = *opt.Replications
		repsLine, repsField = 0, ""
	}
	if f.crn.ok {
		p.CommonRandomNumbers = f.crn.v
	}
	if f.design.ok {
		p.Design = f.design.v
		if p.Design != Factorial && p.Design != LatinHypercube {
			return nil, bad(f.design.line, "design", "must be %s or %s, got %q", Factorial, LatinHypercube, clip(p.Design))
		}
	}
	if len(f.params.v) == 0 && len(f.subs.v) == 0 {
		return nil, bad(max(f.params.line, f.line), "parameters", "missing: a sweep needs at least one parameter (path and values or range)")
	}
	lhs := p.Design == LatinHypercube
	switch {
	case lhs && f.subs.ok:
		return nil, bad(f.subs.line, "subexperiments", "are for factorial designs, not a Latin hypercube")
	case lhs && !f.samples.ok:
		return nil, bad(f.line, "samples", "missing: a Latin hypercube needs samples, the number of points (at least 1)")
	case lhs && f.samples.v < 1:
		return nil, bad(f.samples.line, "samples", "must be at least 1, got %d", f.samples.v)
	case lhs && f.samples.v > MaxSweepPoints:
		return nil, bad(f.samples.line, "samples", "must be at most %d (the most points a sweep may have), got %d", MaxSweepPoints, f.samples.v)
	case !lhs && f.samples.ok:
		return nil, bad(f.samples.line, "samples", "only a Latin hypercube design takes samples; add design: latin_hypercube")
	}

	// The parameters' form, and how many values each gives: nothing is
	// checked against the scenario or built before the design's size is
	// known to be within bounds.
	var axes []axis
	for i, ps := range f.params.v {
		field := fmt.Sprintf("parameters.%d", i)
		if !ps.path.ok || ps.path.v == "" {
			return nil, bad(ps.line, field+".path", "missing: the dotted path of the parameter, such as model.socialization")
		}
		a := axis{path: ps.path.v, line: ps.path.line, field: field}
		for _, b := range axes {
			if b.path == a.path {
				return nil, bad(a.line, field+".path", "%s is swept twice (also on line %d)", clip(a.path), b.line)
			}
		}
		kind, err := kindOf(a.path)
		if err != nil {
			return nil, bad(a.line, field+".path", "%v", err)
		}
		a.kind = kind
		numeric := kind == reflect.Float64 || kind == reflect.Int
		r := ps.rng.v
		if lhs {
			switch {
			case ps.values.ok:
				return nil, bad(ps.values.line, field+".values", "a Latin hypercube samples within bounds: give range {from, to} instead of values")
			case !ps.rng.ok || !r.from.ok || !r.to.ok:
				return nil, bad(max(ps.rng.line, ps.line), field+".range", "a Latin hypercube needs range {from, to} for each parameter")
			case r.step.ok:
				return nil, bad(r.step.line, field+".range.step", "a Latin hypercube samples continuously; leave out step")
			case r.from.v > r.to.v:
				return nil, bad(ps.rng.line, field+".range", "bounds are reversed: from %s is above to %s", results.F(r.from.v), results.F(r.to.v))
			case r.from.v == r.to.v:
				return nil, bad(ps.rng.line, field+".range", "the range is empty: from and to are both %s", results.F(r.from.v))
			case !numeric:
				return nil, bad(a.line, field+".path", "%s is %s, not a number, so it cannot be sampled in a Latin hypercube", a.path, kindName(kind))
			}
			if err := wholeBounds(kind, r.from.v, r.to.v); err != "" {
				return nil, bad(ps.rng.line, field+".range", "%s", err)
			}
			a.line = ps.rng.line
			a.field = field + ".range"
			a.values = []string{formatValue(r.from.v, kind), formatValue(r.to.v, kind)}
			p.Lower = append(p.Lower, r.from.v)
			p.Upper = append(p.Upper, r.to.v)
			axes = append(axes, a)
			continue
		}
		switch {
		case ps.values.ok && ps.rng.ok:
			return nil, bad(ps.line, field, "give values or range, not both")
		case ps.values.ok:
			a.line, a.field, a.nodes = ps.values.line, field+".values", ps.values.v
		case ps.rng.ok:
			a.line, a.field = ps.rng.line, field+".range"
			if !r.from.ok || !r.to.ok || !r.step.ok {
				return nil, bad(ps.rng.line, field+".range", "needs from, to and step, such as {from: 0.1, to: 0.9, step: 0.2}")
			}
			if !numeric {
				return nil, bad(ps.rng.line, field+".range", "%s is %s, not a number, so it takes values, not a range", a.path, kindName(kind))
			}
			vals, err := rangeValues(kind, r.from.v, r.to.v, r.step.v)
			if err != "" {
				return nil, bad(ps.rng.line, field+".range", "%s", err)
			}
			a.values = vals
		default:
			return nil, bad(ps.line, field, "needs values (a list) or range {from, to, step}")
		}
		axes = append(axes, a)
	}
	var subs [][]axis
	for i, s := range f.subs.v {
		field := fmt.Sprintf("subexperiments.%d", i)
		var own []axis
		for _, sa := range s.axes {
			kind, err := kindOf(sa.path)
			if err != nil {
				return nil, bad(sa.line, joinField(field, sa.path), "%v", err)
			}
			own = append(own, axis{path: sa.path, kind: kind, line: sa.line, field: joinField(field, sa.path), nodes: sa.values})
		}
		subs = append(subs, own)
	}

	// The design's size, counted before it is built.
	params := make([]string, 0, len(axes))
	for _, a := range axes {
		params = append(params, a.path)
	}
	for _, own := range subs {
		for _, a := range own {
			if !slices.Contains(params, a.path) {
				params = append(params, a.path)
			}
		}
	}
	points, pointsLine, pointsField := 0, f.params.line, "parameters"
	switch {
	case lhs:
		points, pointsLine, pointsField = f.samples.v, f.samples.line, "samples"
	case len(subs) == 0:
		points = 1
		for _, a := range axes {
			points = satMul(points, a.count())
		}
	default:
		pointsLine, pointsField = f.subs.line, "subexperiments"
		for _, own := range subs {
			n := 1
			for _, a := range crossed(axes, own) {
				n = satMul(n, a.count())
			}
			points = satAdd(points, n)
		}
	}
	if points > MaxSweepPoints {
		return nil, bad(pointsLine, pointsField, "the design has %s points; a sweep may have at most %d: use fewer values or a larger step, or split the sweep", countText(points), MaxSweepPoints)
	}
	if cells := satMul(points, len(params)); cells > MaxSweepCells {
		return nil, bad(pointsLine, pointsField, "the design has %d points × %d parameters = %s values; a sweep may have at most %d: vary fewer parameters or use fewer points", points, len(params), countText(cells), MaxSweepCells)
	}
	if runs := satMul(points, p.Replications); runs > MaxSweepRuns {
		if repsLine == 0 && repsField == "" {
			return nil, scenarios.ErrorList{{File: "--reps", Msg: fmt.Sprintf("the sweep would have %d points × %d replications = %s runs; a sweep may have at most %d: use fewer points or replications, or split the sweep", points, p.Replications, countText(runs), MaxSweepRuns)}}
		}
		return nil, bad(max(repsLine, f.line), repsField, "the sweep has %d points × %d replications = %s runs; a sweep may have at most %d: use fewer points or replications, or split the sweep", points, p.Replications, countText(runs), MaxSweepRuns)
	}

	// Every value, checked against the base scenario.
	for i := range axes {
		if err := axes[i].check(path, sc); err != nil {
			return nil, err
		}
	}
	for _, own := range subs {
		for i := range own {
			if err := own[i].check(path, sc); err != nil {
				return nil, err
			}
		}
	}

	p.Params = params
	y, err := scenarios.Marshal(sc)
	if err != nil {
		return nil, err
	}
	p.BaseYAML = string(y)
	if lhs {
		u := LHS(f.samples.v, len(axes), f.sampleSeed.v)
		p.Points = make([]Point, 0, len(u))
		for _, row := range u {
			var pt Point
			for j, a := range axes {
				v := formatValue(p.Lower[j]+row[j]*(p.Upper[j]-p.Lower[j]), a.kind)
				pt.Sets = append(pt.Sets, a.path+"="+v)
				pt.Values = append(pt.Values, v)
			}
			p.Points = append(p.Points, pt)
		}
		return p, nil
	}
	baseTree, err := parseTree(y)
	if err != nil {
		return nil, err
	}
	// Subexperiments: each is a factorial over its own values, crossed
	// with the main parameters it does not set.
	designs := [][]axis{axes}
	if len(subs) > 0 {
		designs = designs[:0]
		for _, own := range subs {
			designs = append(designs, crossed(axes, own))
		}
	}
	p.Points = make([]Point, 0, points)
	for _, s := range designs {
		lists := make([][]string, len(s))
		for i, a := range s {
			lists[i] = a.values
		}
		for _, combo := range CrossProduct(lists) {
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
	return p, nil
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
		Msg: fmt.Sprintf("%s=%s: %s", path, clip(value), strings.TrimPrefix(e.Field+": "+e.Msg, ": "))}}
}

// structFields lists the YAML keys of a struct type, in declaration order,
// and maps each to its field index.
func structFields(t reflect.Type) ([]string, map[string]int) {
	names := make([]string, 0, t.NumField())
	index := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		names = append(names, name)
		index[name] = i
	}
	return names, index
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

// satMul and satAdd count a design's size without overflow: a result that
// does not fit an int is math.MaxInt.
func satMul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a > math.MaxInt/b {
		return math.MaxInt
	}
	return a * b
}

func satAdd(a, b int) int {
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
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
		sofar := clip(strings.Join(parts[:i+1], "."))
		switch t.Kind() {
		case reflect.Struct:
			names, index := structFields(t)
			f, ok := index[part]
			if !ok {
				return 0, fmt.Errorf("%s: unknown parameter path; %s", sofar, suggestPath(part, strings.Join(parts[:i], "."), names))
			}
			t = t.Field(f).Type
		case reflect.Slice:
			if n, err := strconv.Atoi(part); err != nil || n < 0 {
				return 0, fmt.Errorf("%s: unknown parameter path; %s is a list and %q is not an index", sofar, strings.Join(parts[:i], "."), clip(part))
			}
			t = t.Elem()
		default:
			return 0, fmt.Errorf("%s: unknown parameter path; %s is a single value", sofar, strings.Join(parts[:i], "."))
		}
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Slice, reflect.Map:
		return 0, fmt.Errorf("%s is a group of settings, not a single parameter", clip(path))
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
