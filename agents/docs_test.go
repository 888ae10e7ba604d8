package agents

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// modelDoc is docs/model.md, which names the function that carries out
// each submodel and lists the phases of a tick.
const modelDoc = "../docs/model.md"

var (
	docFunc  = regexp.MustCompile("`([A-Za-z_][A-Za-z0-9_]*)` in (agents/[a-z_]+\\.go)")
	docPhase = regexp.MustCompile(`phase "([^"]+)"`)
	docRef   = regexp.MustCompile("\\[`([A-Za-z_][A-Za-z0-9_]*)`\\]")
	docStep  = regexp.MustCompile(`^\d+\. \*\*"([^"]+)"\*\*`)
)

// declared returns, per file of package agents (tests left out), the
// functions and methods it declares.
func declared(t *testing.T) map[string][]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	decl := map[string][]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range af.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				decl["agents/"+f] = append(decl["agents/"+f], fd.Name.Name)
			}
		}
	}
	return decl
}

// allPhases returns the names of the phases of a tick with every mechanism
// on, and of a tick that may stop at March's equilibrium.
func allPhases(t *testing.T) (busy, march []string) {
	t.Helper()
	names := func(sets ...string) []string {
		sc := smallScenario(t, sets...)
		wd := mustWorld(t, &sc, 0, 1)
		defer wd.Close()
		var ns []string
		for _, p := range wd.Phases() {
			ns = append(ns, p.Name)
		}
		return ns
	}
	on := []string{"model.network=true", "model.boundaries=true", "model.lpp=true", "model.motivation=true"}
	busy = names(append(on, "model.turbulence=0.01", "model.turnover=0.01",
		"changes=[{week: 2, key: model.turnover, value: 0.02}]")...)
	march = names("model.network=false", "model.boundaries=false", "model.lpp=false", "model.motivation=false",
		"model.turbulence=0", "model.turnover=0", "model.stop_at_equilibrium=true")
	return busy, march
}

// Every submodel of section 7 names, on one "Carried out by:" line, the
// functions that carry it out, each in the file that declares it, and the
// phases of World.Phases they run in; the table of interventions names
// functions that exist. So the docs cannot drift from the code.
func TestModelDocNamesFunctions(t *testing.T) {
	b, err := os.ReadFile(modelDoc)
	if err != nil {
		t.Fatal(err)
	}
	decl := declared(t)
	busy, march := allPhases(t)
	phases := append(slices.Clone(busy), march...)
	anywhere := map[string]bool{}
	for _, fs := range decl {
		for _, f := range fs {
			anywhere[f] = true
		}
	}
	lines := strings.Split(string(b), "\n")
	section, carried := "", map[string]int{}
	for n, ln := range lines {
		switch {
		case strings.HasPrefix(ln, "## "):
			section = ""
		case strings.HasPrefix(ln, "### 7."):
			section = ln
			carried[section] = 0
		}
		for _, m := range docRef.FindAllStringSubmatch(ln, -1) {
			if !anywhere[m[1]] {
				t.Errorf("%s:%d: [`%s`] is no function of package agents", modelDoc, n+1, m[1])
			}
		}
		if !strings.HasPrefix(ln, "Carried out by:") {
			continue
		}
		if section == "" {
			t.Errorf("%s:%d: a \"Carried out by\" line outside the submodels", modelDoc, n+1)
			continue
		}
		carried[section]++
		fs := docFunc.FindAllStringSubmatch(ln, -1)
		if len(fs) == 0 {
			t.Errorf("%s:%d: %q names no function in a file of agents/", modelDoc, n+1, section)
		}
		for _, f := range fs {
			if _, ok := decl[f[2]]; !ok {
				t.Errorf("%s:%d: no file %s", modelDoc, n+1, f[2])
			} else if !slices.Contains(decl[f[2]], f[1]) {
				t.Errorf("%s:%d: %s declares no function %s", modelDoc, n+1, f[2], f[1])
			}
		}
		for _, p := range docPhase.FindAllStringSubmatch(ln, -1) {
			if !slices.Contains(phases, p[1]) {
				t.Errorf("%s:%d: no phase %q in World.Phases (%q)", modelDoc, n+1, p[1], busy)
			}
		}
	}
	if len(carried) < 19 {
		t.Errorf("found %d submodels in section 7, want 19", len(carried))
	}
	for s, k := range carried {
		if k != 1 {
			t.Errorf("%s: %d \"Carried out by\" lines, want 1", s, k)
		}
	}
}

// Section 3 lists the phases in the order of World.Phases: the list, cut
// to the phases of a tick, is that tick's list.
func TestModelDocListsPhases(t *testing.T) {
	b, err := os.ReadFile(modelDoc)
	if err != nil {
		t.Fatal(err)
	}
	in := false
	var listed []string
	for _, ln := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(ln, "## ") {
			in = strings.HasPrefix(ln, "## 3.")
		}
		if m := docStep.FindStringSubmatch(ln); in && m != nil {
			listed = append(listed, m[1])
		}
	}
	busy, march := allPhases(t)
	for _, tick := range [][]string{busy, march} {
		var cut []string
		for _, p := range listed {
			if slices.Contains(tick, p) {
				cut = append(cut, p)
			}
		}
		if !slices.Equal(cut, tick) {
			t.Errorf("section 3 lists %q;\nWorld.Phases is %q", listed, tick)
		}
	}
	seen := map[string]bool{}
	for _, p := range append(busy, march...) {
		seen[p] = true
	}
	if len(listed) != len(seen) {
		t.Errorf("section 3 lists %d phases %q, World.Phases has %d", len(listed), listed, len(seen))
	}
}
