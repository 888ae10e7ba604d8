package scenarios

import (
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestDocsReference keeps docs/scenarios.md in step with the schema: every
// key has a row, every row is a key, and the defaults agree with Default().
// When it fails after a change to the schema or a default, update the table.
func TestDocsReference(t *testing.T) {
	src, err := os.ReadFile("../docs/scenarios.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("^\\| `([a-z0-9_.N]+)` \\| ([^|]+) \\| ([^|]*) \\|")
	docs := map[string]string{} // path -> default column
	for _, line := range strings.Split(string(src), "\n") {
		if m := row.FindStringSubmatch(line); m != nil {
			docs[m[1]] = strings.TrimSpace(m[3])
		}
	}
	index := regexp.MustCompile(`\.\d+`)
	var paths []string
	leaves(reflect.ValueOf(full()), "", func(path string, v reflect.Value) {
		p := index.ReplaceAllString(path, ".N")
		if p == "interventions.N.communities.N" {
			p = "interventions.N.communities"
		}
		if slices.Contains(paths, p) {
			return
		}
		paths = append(paths, p)
		d, ok := docs[p]
		if !ok {
			t.Errorf("docs/scenarios.md has no row for %s", p)
			return
		}
		if strings.Contains(p, ".N") || v.Kind() == reflect.String && v.String() == "" {
			return // list items and empty text have described defaults
		}
		def := fieldByPath(reflect.ValueOf(Default()), path)
		if want := "`" + fmt.Sprint(def.Interface()) + "`"; d != want {
			t.Errorf("docs/scenarios.md: %s: the default is %s, but the table says %s", p, want, d)
		}
	})
	for p := range docs {
		if !slices.Contains(paths, p) && !slices.Contains([]string{"population", "communities", "model", "output", "interventions"}, p) &&
			!slices.Contains(KindNames(), p) && !slices.Contains(rewardNames(), p) {
			t.Errorf("docs/scenarios.md documents %s, which is not in the schema", p)
		}
	}
}

// TestDocsExamples parses every YAML example in docs/scenarios.md.
func TestDocsExamples(t *testing.T) {
	src, err := os.ReadFile("../docs/scenarios.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(src), -1)
	if len(blocks) < 2 {
		t.Fatalf("found %d YAML examples", len(blocks))
	}
	for i, b := range blocks {
		if _, err := Parse(fmt.Sprintf("example %d", i+1), []byte(b[1])); err != nil {
			t.Errorf("%v\n%s", err, b[1])
		}
	}
}
