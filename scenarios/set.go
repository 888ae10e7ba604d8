package scenarios

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/copsim/copsim/internal/echo"
	"go.yaml.in/yaml/v4"
)

// Load reads a scenario from a file or, when no file of that name exists,
// from the built-in library (the name with or without ".yaml"), applies the
// overrides in sets and validates the result.
//
// Each override has the form key=value, where key is a dotted path as in
// the file ("model.socialization", "interventions.0.strength") and value is
// read as a YAML scalar or flow collection ("0.9", "true", "[c0, c1]").
// Overrides are applied to the YAML tree before decoding, so they are
// checked exactly like the file; missing keys and list items (one past the
// end) are created. Errors about an override name it in place of the file:
// "--set model.socialzation=0.9: model.socialzation: unknown field; ...".
func Load(nameOrPath string, sets []string) (Scenario, error) {
	file, data, err := readScenario(nameOrPath)
	if err != nil {
		return Scenario{}, err
	}
	root, err := parseDocument(file, data)
	if err != nil {
		return Scenario{}, err
	}
	return decodeTree(root, file, sets, false)
}

// ApplySets applies overrides (see Load) to a scenario and validates the
// result. Errors about values not set by an override carry no position.
//
// It sets each field in place, through reflection, rather than writing the
// scenario out as YAML and reading it back: a sweep calls it once per
// value, and the round trip cost a full marshal and parse each time. The
// result, and the errors, are those of applying the overrides to
// Marshal(s) as Load applies them to a file (a test keeps the two equal).
func ApplySets(s Scenario, sets []string) (Scenario, error) {
	a := &setter{d: &decoder{lineless: true, origin: map[*yaml.Node]string{}, locs: map[string]loc{}}, base: s}
	out := cloneScenario(s)
	root := reflect.ValueOf(&out).Elem()

	// Read every override first: like a file, a scenario with a misspelt
	// key is not decoded at all.
	parsed := make([]parsedSet, len(sets))
	for i, set := range sets {
		ps, e := parseSet(set)
		if e != nil {
			a.d.errs = append(a.d.errs, e)
		}
		parsed[i] = ps
	}
	if len(a.d.errs) > 0 {
		return Scenario{}, a.d.errs
	}
	for i, ps := range parsed {
		// An override inside the value of an earlier one edits that
		// value's YAML ("model.roles={core: x}" then "model.roles.core=1"):
		// rare enough to leave to the YAML path.
		if slices.ContainsFunc(parsed[i+1:], func(later parsedSet) bool {
			return len(later.parts) > len(ps.parts) && isPrefix(ps.parts, later.parts)
		}) {
			return applySetsYAML(s, sets)
		}
	}
	for i, ps := range parsed {
		// A later override of the same field, or of a field around it,
		// replaces this one whole, as it replaces its YAML node: its path
		// is walked (an index out of range is still an error) but its
		// value is not read.
		replaced := slices.ContainsFunc(parsed[i+1:], func(later parsedSet) bool { return isPrefix(later.parts, ps.parts) })
		a.apply(root, ps, !replaced)
	}
	if len(a.d.errs) > 0 {
		return Scenario{}, a.d.errs
	}
	if err := out.Validate(); err != nil {
		l := Errors(err)
		for _, e := range l {
			a.locate(e)
		}
		return Scenario{}, ErrorList(l)
	}
	return out, nil
}

// applySetsYAML applies overrides as Load does, to the scenario written
// out as YAML, and reads it back.
func applySetsYAML(s Scenario, sets []string) (Scenario, error) {
	data, err := Marshal(s)
	if err != nil {
		return Scenario{}, err
	}
	root, err := parseDocument("", data)
	if err != nil {
		return Scenario{}, err
	}
	return decodeTree(root, "", sets, true)
}

// parsedSet is one override, read and checked against the schema.
type parsedSet struct {
	label string
	parts []string // the key's parts, list indices in canonical form
	val   *yaml.Node
}

// parseSet reads key=value and checks the key against the schema, with
// the messages of applySet.
func parseSet(set string) (parsedSet, *Error) {
	label := "--set " + set
	fail := func(field, format string, args ...any) (parsedSet, *Error) {
		return parsedSet{}, &Error{File: label, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	key, raw, ok := strings.Cut(set, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		return fail("", "must have the form key=value, for example model.socialization=0.9")
	}
	parts := strings.Split(key, ".")
	if slices.Contains(parts, "") {
		return fail(key, "has an empty part; keys are dotted paths such as model.roles.core or interventions.0.strength")
	}
	val, err := parseSetValue(raw)
	if err != nil {
		return fail(key, "%v", err)
	}
	typ := reflect.TypeFor[Scenario]()
	for i, part := range parts {
		path := strings.Join(parts[:i+1], ".")
		parent := strings.Join(parts[:i], ".")
		switch typ.Kind() {
		case reflect.Struct:
			names, index := YAMLKeys(typ)
			f, ok := index[part]
			if !ok {
				return fail(joinPath(parent, echo.Clip(part)), "unknown field; %s", suggest(part, names))
			}
			typ = typ.Field(f).Type
		case reflect.Slice:
			n, err := strconv.Atoi(part)
			if err != nil || n < 0 {
				return fail(path, "%s is a list, and %s is not an index (0, 1, ...)", parent, echo.Quote(part))
			}
			parts[i] = strconv.Itoa(n)
			typ = typ.Elem()
		default:
			return fail(path, "%s is a single value, so it has no %s inside", parent, echo.Quote(part))
		}
	}
	return parsedSet{label: label, parts: parts, val: val}, nil
}

// setter applies parsed overrides to a scenario and remembers where each
// field came from, to locate validation errors as decodeTree does.
type setter struct {
	d       *decoder
	base    Scenario   // the scenario before the overrides
	applied [][]string // the paths set, in order
}

// apply sets one override. Like the YAML path, a list item one past the
// end is added from its default, and a value that replaces a whole group
// or list item starts from that group's default, not from its old value.
func (a *setter) apply(root reflect.Value, ps parsedSet, read bool) {
	if read {
		mark(ps.val, a.d.origin, ps.label)
		a.applied = append(a.applied, ps.parts)
	}
	v, def := root, reflect.ValueOf(Default())
	for i, part := range ps.parts {
		path := strings.Join(ps.parts[:i+1], ".")
		last := i == len(ps.parts)-1
		if v.Kind() == reflect.Struct {
			_, index := YAMLKeys(v.Type())
			f := index[part]
			sf := v.Type().Field(f)
			v, def = v.Field(f), def.Field(f)
			// A list or reward left out of Marshal's YAML is created by
			// the override, so errors about it name the override.
			if strings.Contains(sf.Tag.Get("yaml"), ",omitempty") && v.IsZero() {
				if _, ok := a.d.locs[path]; !ok {
					a.d.locs[path] = loc{file: ps.label}
				}
			}
			if last && read {
				a.d.locs[path] = loc{file: ps.label}
				a.forget(path)
				if v.Kind() == reflect.Struct {
					v.Set(def)
				}
				a.d.decode(ps.val, v, path)
			}
			continue
		}
		n, _ := strconv.Atoi(part)
		if n > v.Len() {
			a.d.errs = append(a.d.errs, &Error{File: ps.label, Field: path,
				Msg: fmt.Sprintf("index %d is out of range; %s has %d items (index %d adds one)", n, parentPath(path), v.Len(), v.Len())})
			return
		}
		item := defaultItem(v.Type().Elem(), n)
		if n == v.Len() {
			v.Set(reflect.Append(v, item))
			a.d.locs[path] = loc{file: ps.label}
		}
		v, def = v.Index(n), item
		if last && read {
			a.d.locs[path] = loc{file: ps.label}
			a.forget(path)
			v.Set(item)
			if v.Kind() == reflect.String {
				// As sequence decodes the items of a list of text.
				if isNull(ps.val) {
					a.d.fail(ps.val, path, "has no value")
					return
				}
				a.d.scalar(deref(ps.val), v, path, true)
				return
			}
			a.d.decode(ps.val, v, path)
		}
	}
}

// forget drops the recorded positions inside path, which an override
// replaces whole.
func (a *setter) forget(path string) {
	for p := range a.d.locs {
		if strings.HasPrefix(p, path+".") {
			delete(a.d.locs, p)
		}
	}
}

// locate gives a validation error the position decodeTree would: the
// override that set the field (or a related one, or one around it), and
// no position when the first of those that exists came from the scenario
// itself.
func (a *setter) locate(e *Error) {
	candidates := append([]string{e.Field}, e.related...)
	try := func(p string) bool {
		if l, ok := a.d.locs[p]; ok {
			e.File = l.file
			return true
		}
		return a.inBase(p)
	}
	for _, p := range candidates {
		if try(p) {
			return
		}
	}
	for _, p := range candidates {
		for p != "" {
			if p = parentPath(p); try(p) {
				return
			}
		}
	}
}

// inBase reports whether path was present in Marshal(a.base) and was not
// replaced by an override.
func (a *setter) inBase(path string) bool {
	parts := strings.Split(path, ".")
	for _, q := range a.applied {
		if isPrefix(q, parts) {
			return false
		}
	}
	v := reflect.ValueOf(a.base)
	for _, part := range parts {
		switch v.Kind() {
		case reflect.Struct:
			_, index := YAMLKeys(v.Type())
			f, ok := index[part]
			if !ok {
				return false
			}
			sf := v.Type().Field(f)
			v = v.Field(f)
			if strings.Contains(sf.Tag.Get("yaml"), ",omitempty") && v.IsZero() {
				return false
			}
		case reflect.Slice:
			n, err := strconv.Atoi(part)
			if err != nil || n < 0 || n >= v.Len() {
				return false
			}
			v = v.Index(n)
		default:
			return false
		}
	}
	return true
}

// isPrefix reports whether the path p is q or a path inside q.
func isPrefix(p, q []string) bool {
	return len(p) <= len(q) && slices.Equal(p, q[:len(p)])
}

// defaultItem is the starting point of the n-th item of a list of t.
func defaultItem(t reflect.Type, n int) reflect.Value {
	switch t {
	case reflect.TypeFor[Community]():
		return reflect.ValueOf(DefaultCommunity(n))
	case reflect.TypeFor[Intervention]():
		return reflect.ValueOf(DefaultIntervention())
	}
	return reflect.Zero(t)
}

// cloneScenario copies s deeply, so that overrides leave it alone; empty
// lists become nil, as they do through Marshal and Parse.
func cloneScenario(s Scenario) Scenario {
	s.Communities = cloneOrNil(s.Communities)
	s.Model.SocializationMix = cloneOrNil(s.Model.SocializationMix)
	s.Interventions = cloneOrNil(s.Interventions)
	s.Changes = cloneOrNil(s.Changes)
	for i := range s.Interventions {
		s.Interventions[i].Communities = cloneOrNil(s.Interventions[i].Communities)
	}
	return s
}

func cloneOrNil[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}

// readScenario prefers an existing file to a built-in of the same name, so
// that a user's edited copy of "baseline.yaml" is the one that runs.
func readScenario(nameOrPath string) (file string, data []byte, err error) {
	switch _, err := os.Stat(nameOrPath); {
	case err == nil:
		data, err := ReadFile(nameOrPath)
		if err != nil {
			return "", nil, err
		}
		return nameOrPath, data, nil
	case !errors.Is(err, fs.ErrNotExist):
		return "", nil, ErrorList{{File: nameOrPath, Msg: pathless(err)}}
	}
	if data, ok := BuiltinSource(nameOrPath); ok {
		return "builtin:" + strings.TrimSuffix(nameOrPath, ".yaml") + ".yaml", data, nil
	}
	return "", nil, ErrorList{{Msg: fmt.Sprintf("no file or built-in scenario named %s; run `copsim scenarios` to list them", echo.Quote(nameOrPath))}}
}

// ReadFile reads a scenario (or sweep) file of at most MaxScenarioBytes.
// It refuses anything but a regular file, such as a directory, a FIFO or a
// device like /dev/zero, without blocking on it: the file is opened
// non-blocking and checked again once open, so that it cannot be swapped
// for a FIFO in between. Errors are an ErrorList naming the file.
func ReadFile(name string) ([]byte, error) {
	fail := func(format string, args ...any) ([]byte, error) {
		return nil, ErrorList{{File: name, Msg: fmt.Sprintf(format, args...)}}
	}
	if info, err := os.Stat(name); err != nil {
		return fail("%s", pathless(err))
	} else if !info.Mode().IsRegular() {
		return fail("is %s, not a regular file; give a scenario file", kindOf(info.Mode()))
	}
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return fail("%s", pathless(err))
	}
	defer f.Close()
	info, err := f.Stat()
	switch {
	case err != nil:
		return fail("%s", pathless(err))
	case !info.Mode().IsRegular():
		return fail("is %s, not a regular file; give a scenario file", kindOf(info.Mode()))
	case info.Size() > MaxScenarioBytes:
		return fail("is %d bytes; a scenario file may hold at most %d (1 MiB)", info.Size(), MaxScenarioBytes)
	}
	// The limit holds even if the file grows while it is read.
	data, err := io.ReadAll(io.LimitReader(f, MaxScenarioBytes+1))
	switch {
	case err != nil:
		return fail("%s", pathless(err))
	case len(data) > MaxScenarioBytes:
		return fail("is over %d bytes; a scenario file may hold at most %d (1 MiB)", MaxScenarioBytes, MaxScenarioBytes)
	}
	return data, nil
}

// kindOf names a file's type for "is X, not a regular file".
func kindOf(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// pathless drops the path from an *fs.PathError, since the error names
// the file already.
func pathless(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// applySet applies one key=value override to the mapping root, recording
// every node it creates in origin so that errors name the override.
func applySet(root *yaml.Node, set string, origin map[*yaml.Node]string) *Error {
	label := "--set " + set
	fail := func(field, format string, args ...any) *Error {
		return &Error{File: label, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	key, raw, ok := strings.Cut(set, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		return fail("", "must have the form key=value, for example model.socialization=0.9")
	}
	parts := strings.Split(key, ".")
	for _, p := range parts {
		if p == "" {
			return fail(key, "has an empty part; keys are dotted paths such as model.roles.core or interventions.0.strength")
		}
	}
	val, err := parseSetValue(raw)
	if err != nil {
		return fail(key, "%v", err)
	}
	mark(val, origin, label)

	// Walk the schema alongside the tree, so that a wrong path is refused
	// here with a precise message, and created nodes get the right kind.
	typ := reflect.TypeFor[Scenario]()
	cur := root
	for i, part := range parts {
		path := strings.Join(parts[:i+1], ".")
		parent := strings.Join(parts[:i], ".")
		last := i == len(parts)-1
		var slot **yaml.Node
		switch typ.Kind() {
		case reflect.Struct:
			names, index := YAMLKeys(typ)
			f, ok := index[part]
			if !ok {
				return fail(joinPath(parent, echo.Clip(part)), "unknown field; %s", suggest(part, names))
			}
			typ = typ.Field(f).Type
			if cur.Kind != yaml.MappingNode {
				return nil // the decoder reports the wrong kind of node
			}
			for j := 0; j+1 < len(cur.Content); j += 2 {
				if k := deref(cur.Content[j]); k.Kind == yaml.ScalarNode && k.Value == part {
					slot = &cur.Content[j+1]
					break
				}
			}
			if slot == nil {
				k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: part}
				origin[k] = label
				cur.Content = append(cur.Content, k, nil)
				slot = &cur.Content[len(cur.Content)-1]
			}
		case reflect.Slice:
			n, err := strconv.Atoi(part)
			if err != nil || n < 0 {
				return fail(path, "%s is a list, and %s is not an index (0, 1, ...)", parent, echo.Quote(part))
			}
			typ = typ.Elem()
			if cur.Kind != yaml.SequenceNode {
				return nil
			}
			if n > len(cur.Content) {
				return fail(path, "index %d is out of range; %s has %d items (index %d adds one)", n, parent, len(cur.Content), len(cur.Content))
			}
			if n == len(cur.Content) {
				cur.Content = append(cur.Content, nil)
			}
			slot = &cur.Content[n]
		default:
			return fail(path, "%s is a single value, so it has no %s inside", parent, echo.Quote(part))
		}
		switch child := *slot; {
		case last:
			*slot = val
		case child == nil || isNull(child):
			*slot = newContainer(typ)
			origin[*slot] = label
		case child.Kind == yaml.AliasNode:
			// Edit a copy, not the anchored original used elsewhere.
			*slot = copyNode(deref(child))
		}
		cur = *slot
	}
	return nil
}

// parseSetValue reads an override's value as YAML when it is a scalar or a
// flow collection; anything else ("Question: why?", "a # b") is taken as
// plain text, which is what a shell user means. Anchors, aliases and tags
// (&x, *x, !t) are refused rather than read: as YAML, "&x y" would silently
// become "y", and as text it would surprise whoever meant YAML.
func parseSetValue(raw string) (*yaml.Node, error) {
	if strings.TrimSpace(raw) == "" {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}, nil
	}
	// Whether the value starts with one (which YAML may not read at all,
	// "*x") or holds one inside a flow collection ("[&a x, *a]").
	if t := strings.TrimSpace(raw); strings.ContainsAny(t[:1], "&*!") {
		return nil, errSetSyntax
	}
	n := readSetValue(raw)
	if hasYAMLRefs(n) {
		return nil, errSetSyntax
	}
	return n, nil
}

// errSetSyntax is why a --set value with YAML references is refused.
var errSetSyntax = errors.New("YAML anchors, aliases and tags (&name, *name, !tag) are not allowed in --set values; quote the value (key='\"...\"') to use it as text")

func hasYAMLRefs(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode || n.Anchor != "" || n.Style&yaml.TaggedStyle != 0 {
		return true
	}
	return slices.ContainsFunc(n.Content, hasYAMLRefs)
}

// readSetValue reads raw as a YAML scalar or flow collection, else as text.
func readSetValue(raw string) *yaml.Node {
	text := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: raw}
	l, err := yaml.NewLoader(strings.NewReader(raw))
	if err != nil {
		return text
	}
	var doc yaml.Node
	if l.Load(&doc) != nil || len(doc.Content) != 1 || hasComments(&doc) {
		return text
	}
	var extra yaml.Node
	if l.Load(&extra) == nil {
		return text
	}
	n := doc.Content[0]
	if n.Kind != yaml.ScalarNode && n.Style&yaml.FlowStyle == 0 {
		return text
	}
	return n
}

func hasComments(n *yaml.Node) bool {
	if n.HeadComment != "" || n.LineComment != "" || n.FootComment != "" {
		return true
	}
	for _, c := range n.Content {
		if hasComments(c) {
			return true
		}
	}
	return false
}

// newContainer makes an empty node for a struct (mapping) or list.
func newContainer(t reflect.Type) *yaml.Node {
	if t.Kind() == reflect.Slice {
		return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	}
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
}

func mark(n *yaml.Node, origin map[*yaml.Node]string, label string) {
	origin[n] = label
	for _, c := range n.Content {
		mark(c, origin, label)
	}
}

// copyNode copies the tree under n; aliases inside stay aliases (applySet
// copies again at each alias it walks through).
func copyNode(n *yaml.Node) *yaml.Node {
	c := *n
	c.Anchor = ""
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, child := range n.Content {
		c.Content[i] = copyNode(child)
	}
	return &c
}
