package scenarios

import (
	"embed"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"
)

// library holds the built-in scenarios; each file's name is the
// scenario's name.
//
//go:embed library/*.yaml
var library embed.FS

// Info describes a built-in scenario.
type Info struct {
	Name string
	// Description states the question the scenario asks.
	Description string
}

// Builtins lists the built-in scenarios, sorted by name.
func Builtins() []Info {
	return slices.Clone(builtins())
}

var builtins = sync.OnceValue(func() []Info {
	entries, err := library.ReadDir("library")
	if err != nil {
		panic(err)
	}
	var infos []Info
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".yaml")
		data, _ := BuiltinSource(name)
		s, err := Parse(e.Name(), data)
		if err != nil {
			// The tests parse every built-in, so this is a build defect.
			panic(fmt.Sprintf("scenarios: built-in %s is invalid: %v", name, err))
		}
		infos = append(infos, Info{Name: name, Description: strings.TrimSpace(s.Description)})
	}
	slices.SortFunc(infos, func(a, b Info) int { return strings.Compare(a.Name, b.Name) })
	return infos
})

// BuiltinSource returns the YAML source of a built-in scenario, by name
// with or without ".yaml".
func BuiltinSource(name string) ([]byte, bool) {
	name = strings.TrimSuffix(name, ".yaml")
	if name == "" || strings.ContainsAny(name, `/\`) || name != path.Clean(name) {
		return nil, false
	}
	data, err := library.ReadFile("library/" + name + ".yaml")
	if err != nil {
		return nil, false
	}
	return data, true
}
