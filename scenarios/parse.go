package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/copsim/copsim/internal/echo"
	"github.com/copsim/copsim/internal/spell"
)

// Parse decodes a scenario file and validates the result. It starts from
// Default() and overlays the file: keys absent from the file keep their
// defaults, while the communities and interventions lists are taken whole
// from the file. Each list item starts from DefaultCommunity or
// DefaultIntervention.
//
// Decoding is strict: an empty file, more than one YAML document, an
// unknown key at any depth, a duplicate key, a null value or a value of the
// wrong type is refused. filename is only used in error messages.
//
// On failure Parse returns the zero Scenario and an ErrorList holding every
// decoding problem found, each with the file, line and field path. Range
// and consistency checks (Validate) run only once the file decodes, so that
// one mistake does not produce a cascade of follow-on errors.
func Parse(filename string, data []byte) (Scenario, error) {
	root, err := parseDocument(filename, data)
	if err != nil {
		return Scenario{}, err
	}
	return decodeTree(root, filename, nil, false)
}

// Marshal returns the resolved scenario as YAML in the order of the schema,
// every field included but empty lists and an empty reward. For a valid s,
// Parse(name, Marshal(s)) gives back s.
func Marshal(s Scenario) ([]byte, error) {
	return yaml.Dump(s, yaml.WithIndent(2), yaml.WithLineWidth(-1))
}

// parseDocument reads data as exactly one YAML document whose root is not
// null and returns that root node.
func parseDocument(file string, data []byte) (*yaml.Node, error) {
	l, err := yaml.NewLoader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	switch err := l.Load(&doc); {
	case errors.Is(err, io.EOF):
		return nil, ErrorList{{File: file, Line: 1, Msg: "the file is empty; a scenario needs at least one key, such as name"}}
	case err != nil:
		return nil, ErrorList{SyntaxError(file, data, err)}
	}
	var next yaml.Node
	switch err := l.Load(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, ErrorList{SyntaxError(file, data, err)}
	default:
		return nil, ErrorList{{File: file, Line: next.Line, Column: next.Column,
			Msg: "a second YAML document starts here; a scenario file holds exactly one document (remove the --- line and what follows, or split the file)"}}
	}
	if len(doc.Content) != 1 || isNull(doc.Content[0]) {
		return nil, ErrorList{{File: file, Line: max(doc.Line, 1), Msg: "the file holds no scenario; it needs at least one key, such as name"}}
	}
	return doc.Content[0], nil
}

// SyntaxError turns a YAML library error about data, read from file, into
// an Error at its position. Errors from the reader stage (bad encoding)
// carry only a byte offset. Copsim's other YAML files (sweeps) use it too.
func SyntaxError(file string, data []byte, err error) *Error {
	var le *yaml.LoadError
	if !errors.As(err, &le) {
		return &Error{File: file, Line: 1, Msg: "invalid YAML: " + err.Error()}
	}
	e := &Error{File: file, Line: le.Mark.Line, Column: le.Mark.Column, Msg: "invalid YAML: " + le.Message}
	if e.Line == 0 {
		i := min(max(le.Mark.Index, 0), len(data))
		e.Line = 1 + bytes.Count(data[:i], []byte("\n"))
	}
	return e
}

// decodeTree applies the overrides to root, decodes it over the defaults
// and validates the result. lineless drops positions that refer to text
// the user never saw (ApplySets works on generated YAML).
func decodeTree(root *yaml.Node, file string, sets []string, lineless bool) (Scenario, error) {
	d := &decoder{file: file, lineless: lineless, origin: map[*yaml.Node]string{}, locs: map[string]loc{}}
	if e := checkAliases(root, file, lineless); e != nil {
		return Scenario{}, ErrorList{e}
	}
	for _, set := range sets {
		if root.Kind != yaml.MappingNode {
			break // decoding reports that the file is not a mapping
		}
		if e := applySet(root, set, d.origin); e != nil {
			d.errs = append(d.errs, e)
		}
	}
	if len(d.errs) > 0 {
		return Scenario{}, d.errs
	}
	s := Default()
	d.decode(root, reflect.ValueOf(&s).Elem(), "")
	if len(d.errs) > 0 {
		sortErrors(d.errs)
		return Scenario{}, d.errs
	}
	if err := s.Validate(); err != nil {
		l := Errors(err)
		for _, e := range l {
			d.locate(e)
		}
		sortErrors(l)
		return Scenario{}, ErrorList(l)
	}
	return s, nil
}

// loc is where a value was given: a file position, or an override.
type loc struct {
	file      string
	line, col int
}

type decoder struct {
	file     string
	lineless bool
	origin   map[*yaml.Node]string // nodes made by --set, with the override's label
	locs     map[string]loc        // field path -> where its key (or list item) is
	errs     ErrorList
}

func (d *decoder) where(n *yaml.Node) loc {
	if label, ok := d.origin[n]; ok {
		return loc{file: label}
	}
	if d.lineless {
		return loc{}
	}
	return loc{d.file, n.Line, n.Column}
}

func (d *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	if len(d.errs) > maxErrors {
		return
	}
	l := d.where(n)
	e := &Error{File: l.file, Line: l.line, Column: l.col, Field: path, Msg: fmt.Sprintf(format, args...)}
	if len(d.errs) == maxErrors {
		e.Field, e.Msg = "", "too many errors; stopping here"
	}
	d.errs = append(d.errs, e)
}

// locate fills the position of a validation error: the field itself, else
// a related field, else the nearest enclosing key given in the file.
func (d *decoder) locate(e *Error) {
	candidates := append([]string{e.Field}, e.related...)
	for _, p := range candidates {
		if l, ok := d.locs[p]; ok {
			e.File, e.Line, e.Column = l.file, l.line, l.col
			return
		}
	}
	for _, p := range candidates {
		for p != "" {
			p = parentPath(p)
			if l, ok := d.locs[p]; ok {
				e.File, e.Line, e.Column = l.file, l.line, l.col
				return
			}
		}
	}
	if !d.lineless {
		e.File = d.file
	}
}

func parentPath(p string) string {
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i]
	}
	return ""
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// deref follows aliases to the anchored node.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	n = deref(n)
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	n = deref(n)
	if isNull(n) {
		d.fail(n, path, "has no value; give one, or remove the key to keep the default")
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		d.mapping(n, v, path)
	case reflect.Slice:
		d.sequence(n, v, path)
	default:
		d.scalar(n, v, path, false)
	}
}

func (d *decoder) mapping(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "must be a mapping of keys to values, got %s", Describe(n))
		return
	}
	names, index := YAMLKeys(v.Type())
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := deref(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.fail(k, path, "keys must be plain names, got %s", Describe(k))
			continue
		}
		p := joinPath(path, echo.Clip(k.Value))
		if first, dup := seen[k.Value]; dup {
			d.fail(k, p, "duplicate key; it is already given%s", onLine(d.where(first)))
			continue
		}
		seen[k.Value] = k
		f, ok := index[k.Value]
		if !ok {
			d.fail(k, p, "unknown field; %s", suggest(k.Value, names))
			continue
		}
		// A value from an override is located there, not at the file's key.
		if label, ok := d.origin[val]; ok {
			d.locs[p] = loc{file: label}
		} else {
			d.locs[p] = d.where(k)
		}
		d.decode(val, v.Field(f), p)
	}
}

func onLine(l loc) string {
	switch {
	case l.line > 0:
		return fmt.Sprintf(" on line %d", l.line)
	case l.file != "":
		return " by " + l.file
	}
	return ""
}

func (d *decoder) sequence(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, path, "must be a list, got %s", Describe(n))
		return
	}
	if len(n.Content) == 0 {
		// nil rather than empty, so that files and Marshal agree.
		v.SetZero()
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		p := joinPath(path, strconv.Itoa(i))
		d.locs[p] = d.where(item)
		e := s.Index(i)
		switch e := e.Addr().Interface().(type) {
		case *Community:
			*e = DefaultCommunity(i)
		case *Intervention:
			*e = DefaultIntervention()
		}
		if e.Kind() == reflect.String {
			item = deref(item)
			if isNull(item) {
				d.fail(item, p, "has no value")
				continue
			}
			d.scalar(item, e, p, true)
			continue
		}
		d.decode(item, e, p)
	}
	v.Set(s)
}

// scalar decodes a scalar into a string, bool, int, uint64 or float64.
// In lists of strings (community targets) whole numbers are accepted as
// text, since they name communities by index.
func (d *decoder) scalar(n *yaml.Node, v reflect.Value, path string, numbersAsText bool) {
	want := wanted[v.Kind()]
	if n.Kind != yaml.ScalarNode {
		d.fail(n, path, "must be %s, got %s", want, Describe(n))
		return
	}
	tag := n.ShortTag()
	wrong := func() {
		hint := ""
		if v.Kind() == reflect.String {
			hint = fmt.Sprintf(" (write %s to use it as text)", echo.Quote(n.Value))
		}
		d.fail(n, path, "must be %s, got %s%s", want, Describe(n), hint)
	}
	switch v.Kind() {
	case reflect.String:
		if tag != "!!str" && !(numbersAsText && tag == "!!int") {
			wrong()
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		var b bool
		if tag != "!!bool" || n.Decode(&b) != nil {
			wrong()
			return
		}
		v.SetBool(b)
	case reflect.Int:
		var i int64
		if tag == "!!float" && isDigits(n.Value) {
			// YAML reads a whole number beyond 64 bits as a float.
			d.fail(n, path, "must be %s, got %s, which is too large", want, echo.Clip(n.Value))
			return
		}
		if tag != "!!int" {
			wrong()
			return
		}
		if n.Decode(&i) != nil || v.OverflowInt(i) {
			d.fail(n, path, "must be %s, got %s, which is too large", want, echo.Clip(n.Value))
			return
		}
		v.SetInt(i)
	case reflect.Uint64:
		var u uint64
		if tag == "!!float" && isDigits(n.Value) || tag == "!!int" && n.Decode(&u) != nil && !strings.HasPrefix(n.Value, "-") {
			d.fail(n, path, "must be %s, got %s, which is too large", want, echo.Clip(n.Value))
			return
		}
		if tag != "!!int" || n.Decode(&u) != nil {
			wrong()
			return
		}
		v.SetUint(u)
	case reflect.Float64:
		var f float64
		if tag != "!!int" && tag != "!!float" || n.Decode(&f) != nil {
			wrong()
			return
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			d.fail(n, path, "must be a finite number, got %s", echo.Clip(n.Value))
			return
		}
		v.SetFloat(f)
	default:
		panic("scenarios: no decoder for " + v.Type().String())
	}
}

// wanted names each kind of scalar for "must be X" messages.
var wanted = map[reflect.Kind]string{
	reflect.String: "text", reflect.Bool: "true or false", reflect.Int: "a whole number",
	reflect.Uint64: "a whole number from 0 up", reflect.Float64: "a number",
}

// YAMLKeys lists the YAML keys of a struct type, in declaration order, and
// maps each to its field index. Copsim's other YAML files (sweeps) use it
// too.
func YAMLKeys(t reflect.Type) ([]string, map[string]int) {
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

// Describe names what a YAML node holds, for "must be X, got Y" messages,
// echoing the user's text clipped.
func Describe(n *yaml.Node) string {
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
			return "the text " + echo.Quote(n.Value)
		case "!!int", "!!float", "!!bool", "!!timestamp":
			return echo.Clip(n.Value)
		}
		return fmt.Sprintf("%s %s", echo.Clip(n.Tag), echo.Quote(n.Value))
	}
	return "an unsupported YAML node"
}

// suggest proposes the closest valid key, or lists them all.
func suggest(key string, all []string) string {
	if best := spell.Nearest(key, all); best != "" {
		return fmt.Sprintf("did you mean %s?", best)
	}
	return "valid keys here are " + strings.Join(all, ", ")
}

// isDigits reports whether s is a decimal whole number, signed or not.
func isDigits(s string) bool {
	s = strings.TrimLeft(s, "+-")
	return s != "" && strings.Trim(s, "0123456789_") == ""
}

// checkAliases refuses a tree whose aliases expand to more than
// MaxAliasNodes nodes, before anything walks it: the decoder follows
// aliases itself, so go-yaml's own alias budget does not protect it. The
// size of each anchored node is computed once, so the check is linear in
// the file however deep the nesting; an alias that contains itself counts
// as over budget.
func checkAliases(root *yaml.Node, file string, lineless bool) *Error {
	sizes := map[*yaml.Node]int{}
	const inProgress = -1
	var size func(n *yaml.Node) int
	size = func(n *yaml.Node) int {
		if n.Kind == yaml.AliasNode {
			if n.Alias == nil {
				return 1
			}
			n = n.Alias
		}
		switch s, ok := sizes[n]; {
		case ok && s == inProgress:
			return MaxAliasNodes + 1
		case ok:
			return s
		}
		sizes[n] = inProgress
		s := 1
		for _, c := range n.Content {
			s = min(s+size(c), MaxAliasNodes+1)
		}
		sizes[n] = s
		return s
	}
	expanded := 0
	var walk func(n *yaml.Node) *yaml.Node
	walk = func(n *yaml.Node) *yaml.Node {
		if n.Kind == yaml.AliasNode {
			if expanded += size(n); expanded > MaxAliasNodes {
				return n
			}
			return nil
		}
		for _, c := range n.Content {
			if bad := walk(c); bad != nil {
				return bad
			}
		}
		return nil
	}
	bad := walk(root)
	if bad == nil {
		return nil
	}
	e := &Error{File: file, Line: bad.Line, Column: bad.Column,
		Msg: fmt.Sprintf("the aliases (*name) of this file expand to more than %d YAML nodes (or an alias contains itself); write the values out, or use fewer aliases", MaxAliasNodes)}
	if lineless {
		e.Line, e.Column = 0, 0
	}
	return e
}
