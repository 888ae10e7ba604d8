package sweep

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"go.yaml.in/yaml/v4"

	"github.com/copsim/copsim/internal/echo"
	"github.com/copsim/copsim/internal/spell"
	"github.com/copsim/copsim/scenarios"
)

// readFile reads a sweep file, refusing what is not a regular file
// (a device or a pipe would never end, or block) and what is too large.
func readFile(path string) ([]byte, error) {
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
	case fi.Size() > MaxFileBytes:
		return nil, bad("is %d bytes; a sweep file may hold at most %d (1 MiB)", fi.Size(), MaxFileBytes)
	}
	data, err := io.ReadAll(io.LimitReader(fh, MaxFileBytes+1))
	if err != nil {
		return nil, bad("cannot be read: %v", unwrapPath(err))
	}
	if len(data) > MaxFileBytes {
		return nil, bad("is more than %d bytes; a sweep file may hold at most %d (1 MiB)", MaxFileBytes, MaxFileBytes)
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

// document reads data as exactly one YAML document holding a mapping.
func document(file string, data []byte) (*yaml.Node, error) {
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
		return nil, scenarios.ErrorList{scenarios.SyntaxError(file, data, err)}
	}
	var next yaml.Node
	switch err := l.Load(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, scenarios.ErrorList{scenarios.SyntaxError(file, data, err)}
	default:
		return nil, one(max(next.Line, 1), "a second YAML document starts here; a sweep file holds exactly one document (remove the --- line and what follows, or split the file)")
	}
	if len(doc.Content) != 1 || isNullNode(deref(doc.Content[0])) {
		return nil, one(max(doc.Line, 1), "the file holds no sweep; it needs at least base and parameters")
	}
	return doc.Content[0], nil
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
	levels                  given[int]      // a Morris design's grid
	outcomes                given[[]string] // a sensitivity design's outcomes
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
	log            given[bool] // sampled log-uniformly (sensitivity designs)
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
// counted (MaxNodes).
type sweepDecoder struct {
	file  string
	nodes int
	over  bool
	errs  scenarios.ErrorList
}

func (d *sweepDecoder) fail(line int, field, format string, args ...any) {
	if len(d.errs) > maxErrors {
		return
	}
	e := &scenarios.Error{File: d.file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
	if len(d.errs) == maxErrors {
		e.Field, e.Msg = "", "too many errors; stopping here"
	}
	d.errs = append(d.errs, e)
}

// visit follows an alias and counts the node; it returns nil once the file
// has expanded past MaxNodes.
func (d *sweepDecoder) visit(n *yaml.Node) *yaml.Node {
	if d.over {
		return nil
	}
	if d.nodes++; d.nodes > MaxNodes {
		d.over = true
		d.errs = append(d.errs, &scenarios.Error{File: d.file, Line: n.Line,
			Msg: fmt.Sprintf("the file expands to more than %d YAML values (the values behind an alias count at each use); write the sweep out with fewer aliases", MaxNodes)})
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
		d.fail(n.Line, field, "must be a mapping of keys to values, got %s", scenarios.Describe(n))
		return false
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := d.visit(n.Content[i])
		if k == nil {
			return false
		}
		if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!null" {
			d.fail(k.Line, field, "keys must be plain names, got %s", scenarios.Describe(k))
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
		d.fail(n.Line, field, "must be a list, got %s", scenarios.Describe(n))
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
			hint = fmt.Sprintf(" (write %q to use it as text)", echo.Clip(n.Value))
		}
		d.fail(line, field, "must be text, got %s%s", scenarios.Describe(n), hint)
		return
	}
	*out = given[string]{n.Value, line, true}
}

func (d *sweepDecoder) whole(n *yaml.Node, field string, line int, out *given[int]) {
	var i int64
	switch {
	case n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int":
		d.fail(line, field, "must be a whole number, got %s", scenarios.Describe(n))
	case n.Decode(&i) != nil || i != int64(int(i)):
		d.fail(line, field, "must be a whole number, got %s, which is too large", echo.Clip(n.Value))
	default:
		*out = given[int]{int(i), line, true}
	}
}

func (d *sweepDecoder) unsigned(n *yaml.Node, field string, line int, out *given[uint64]) {
	var u uint64
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&u) != nil {
		d.fail(line, field, "must be a whole number from 0 to 18446744073709551615, got %s", scenarios.Describe(n))
		return
	}
	*out = given[uint64]{u, line, true}
}

func (d *sweepDecoder) boolean(n *yaml.Node, field string, line int, out *given[bool]) {
	var b bool
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
		d.fail(line, field, "must be true or false, got %s", scenarios.Describe(n))
		return
	}
	*out = given[bool]{b, line, true}
}

func (d *sweepDecoder) number(n *yaml.Node, field string, line int, out *given[float64]) {
	var x float64
	tag := n.ShortTag()
	switch {
	case n.Kind != yaml.ScalarNode || tag != "!!int" && tag != "!!float" || n.Decode(&x) != nil:
		d.fail(line, field, "must be a number, got %s", scenarios.Describe(n))
	case math.IsNaN(x) || math.IsInf(x, 0):
		d.fail(line, field, "must be a finite number, got %s", echo.Clip(n.Value))
	default:
		*out = given[float64]{x, line, true}
	}
}

// values reads a single value or a list of values that a sweep varies.
func (d *sweepDecoder) values(n *yaml.Node, field string, single bool) []*yaml.Node {
	scalar := func(v *yaml.Node, f string) bool {
		switch {
		case v.Kind != yaml.ScalarNode:
			d.fail(v.Line, f, "must be a single value, got %s", scenarios.Describe(v))
		case len(v.Value) > MaxValueBytes:
			d.fail(v.Line, f, "is %d bytes long; a value that a sweep varies may be at most %d", len(v.Value), MaxValueBytes)
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
		d.fail(n.Line, field, "must be %s, got %s", what, scenarios.Describe(n))
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
		"samples", "sample_seed", "levels", "outcomes", "common_random_numbers", "parameters", "subexperiments"}
	paramKeys = []string{"path", "values", "range"}
	rangeKeys = []string{"from", "to", "step", "log"}
)

// decode reads the tree of a sweep file into a sweepFile, reporting
// every problem of form (unknown and duplicate keys, wrong types) at once.
func decode(file string, root *yaml.Node) (*sweepFile, error) {
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
		case "levels":
			d.whole(v, key, line, &f.levels)
		case "outcomes":
			f.outcomes = given[[]string]{line: line, ok: true}
			d.sequence(v, key, func(i int, item *yaml.Node) {
				var o given[string]
				d.text(item, joinField(key, strconv.Itoa(i)), item.Line, &o)
				if o.ok {
					f.outcomes.v = append(f.outcomes.v, o.v)
				}
			})
		case "common_random_numbers":
			d.boolean(v, key, line, &f.crn)
		case "set":
			f.set = given[[]setting]{line: line, ok: true}
			d.mapping(v, key, nil, func(path string, k, v *yaml.Node) {
				field := joinField(key, path)
				switch {
				case v.Kind != yaml.ScalarNode:
					d.fail(k.Line, field, "must be a single value, got %s", scenarios.Describe(v))
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
							case "log":
								d.boolean(v, rf, k.Line, &ps.rng.v.log)
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

// suggest proposes the closest valid key, or lists them all.
func suggest(key string, all []string) string {
	if best := spell.Nearest(key, all); best != "" {
		return fmt.Sprintf("did you mean %s?", best)
	}
	return "valid keys here are " + strings.Join(all, ", ")
}
