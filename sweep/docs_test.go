package sweep

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// docsSection returns the text of docs/sweeps.md under heading ("## Keys")
// up to the next heading of that level.
func docsSection(t *testing.T, heading string) string {
	t.Helper()
	src, err := os.ReadFile("../docs/sweeps.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(src), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("docs/sweeps.md has no section %q", heading)
	}
	if i := strings.Index(after, "\n## "); i >= 0 {
		after = after[:i]
	}
	return after
}

// TestDocsKeys keeps docs/sweeps.md's table of keys in step with the
// loader: every key the loader accepts, at every depth, has a row, and
// every row is a key it accepts. When it fails after a change to the
// sweep file, update the table.
func TestDocsKeys(t *testing.T) {
	row := regexp.MustCompile("(?m)^\\| `([a-z0-9_.N]+)` \\|")
	var docs []string
	for _, m := range row.FindAllStringSubmatch(docsSection(t, "## Keys"), -1) {
		docs = append(docs, m[1])
	}
	var accepted []string
	accepted = append(accepted, sweepKeys...)
	for _, k := range paramKeys {
		accepted = append(accepted, "parameters.N."+k)
	}
	for _, k := range rangeKeys {
		accepted = append(accepted, "parameters.N.range."+k)
	}
	for _, k := range accepted {
		if !slices.Contains(docs, k) {
			t.Errorf("docs/sweeps.md has no row for %s, which a sweep file may hold", k)
		}
	}
	for _, k := range docs {
		if !slices.Contains(accepted, k) {
			t.Errorf("docs/sweeps.md documents %s, which the loader does not accept", k)
		}
	}
}

// TestDocsDesigns checks that every design the loader knows has a row in
// docs/sweeps.md's table of designs, and that the key table's design
// row names it.
func TestDocsDesigns(t *testing.T) {
	designs := docsSection(t, "## Designs")
	keys := docsSection(t, "## Keys")
	for _, d := range []string{factorial, latinHypercube, sobol, morris} {
		if !strings.Contains(designs, "| `"+d+"` |") {
			t.Errorf("docs/sweeps.md: the table of designs has no row for %s", d)
		}
		if !regexp.MustCompile("(?m)^\\| `design` \\|.*`" + d + "`").MatchString(keys) {
			t.Errorf("docs/sweeps.md: the design key's row does not name %s", d)
		}
	}
}

// TestDocsExamples loads every YAML example of docs/sweeps.md as a sweep
// file, as `copsim sweep` would.
func TestDocsExamples(t *testing.T) {
	src, err := os.ReadFile("../docs/sweeps.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(src), -1)
	if len(blocks) < 4 {
		t.Fatalf("found %d YAML examples, want at least 4", len(blocks))
	}
	for i, b := range blocks {
		path := filepath.Join(t.TempDir(), fmt.Sprintf("example%d.yaml", i+1))
		if err := os.WriteFile(path, []byte(b[1]), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(path, Options{}); err != nil {
			t.Errorf("example %d: %v\n%s", i+1, err, b[1])
		}
	}
}
