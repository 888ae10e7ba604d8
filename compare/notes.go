package compare

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/copsim/copsim/internal/echo"
	"github.com/copsim/copsim/scenarios"
)

// ignoredKeys are the settings a comparison expects its scenarios to
// differ in, or makes equal itself (common random numbers).
var ignoredKeys = map[string]bool{"name": true, "description": true, "seed": true, "replications": true,
	"output": true, "interventions": true}

// Mismatches lists the settings other than the interventions (and name,
// description, seed, replications and output) in which sc differs from
// the reference ref, as "key value (reference: value)", sorted by key.
// A comparison reads its differences as the effect of interventions; a
// scenario that also changes the population, the length of the run or a
// model parameter is compared on those too.
func Mismatches(ref, sc scenarios.Scenario) []string {
	a, b := flatten(ref), flatten(sc)
	// With different numbers of communities, population.communities says
	// so; the settings of communities only one of them has are not listed.
	shared := min(len(ref.CommunityNames()), len(sc.CommunityNames()))
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	var out []string
	for k := range keys {
		if ignoredKeys[strings.SplitN(k, ".", 2)[0]] || reflect.DeepEqual(a[k], b[k]) {
			continue
		}
		var c int
		if _, err := fmt.Sscanf(k, "communities.%d.", &c); err == nil && c >= shared {
			continue
		}
		out = append(out, fmt.Sprintf("%s %s (reference: %s)", k, show(b[k]), show(a[k])))
	}
	sort.Strings(out)
	return out
}

// flatten maps a scenario's settings to their dotted keys, as scenario
// files and --set name them (list items by index).
func flatten(sc scenarios.Scenario) map[string]any {
	sc.Communities = spelledOut(sc)
	var tree any
	b, _ := json.Marshal(sc) // a Scenario is plain data
	json.Unmarshal(b, &tree)
	out := map[string]any{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				walk(join(prefix, k), x)
			}
		case []any:
			if len(v) == 0 {
				out[prefix] = v
			}
			for i, x := range v {
				walk(join(prefix, fmt.Sprint(i)), x)
			}
		default:
			out[prefix] = v
		}
	}
	walk("", tree)
	return out
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

func show(v any) string {
	if v == nil {
		return "unset"
	}
	return echo.Clip(fmt.Sprint(v))
}

// maxMismatches is how many differing settings a note names.
const maxMismatches = 6

// Notes are the warnings about a comparison itself, before its results:
// scenarios that differ from the reference in more than interventions,
// and scenarios whose own seed or replications common random numbers
// replaced. given are the scenarios as loaded, before
// CommonRandomNumbers; the first is the reference.
func Notes(given []scenarios.Scenario) []string {
	if len(given) < 2 {
		return nil
	}
	ref := given[0]
	var out []string
	for _, sc := range given[1:] {
		if m := Mismatches(ref, sc); len(m) > 0 {
			more := ""
			if len(m) > maxMismatches {
				more = fmt.Sprintf(" and %d more", len(m)-maxMismatches)
				m = m[:maxMismatches]
			}
			out = append(out, fmt.Sprintf("%s differs from %s in more than its interventions: %s%s. Its differences are not the effect of interventions alone.",
				displayName(sc.Name), ref.Name, strings.Join(m, "; "), more))
		}
		if sc.Seed != ref.Seed {
			out = append(out, fmt.Sprintf("%s's own seed %d was replaced by the reference's %d, so that replication r of every scenario draws the same random numbers (common random numbers).",
				displayName(sc.Name), sc.Seed, ref.Seed))
		}
		if sc.Replications != ref.Replications {
			out = append(out, fmt.Sprintf("%s's own %d replications were replaced by the reference's %d.", displayName(sc.Name), sc.Replications, ref.Replications))
		}
	}
	return out
}

// spelledOut is every community's settings, defaults filled in, so that a
// file that lists its communities with their default settings does not
// differ from one that leaves them out.
func spelledOut(sc scenarios.Scenario) []scenarios.Community {
	names := sc.CommunityNames()
	out := make([]scenarios.Community, len(names))
	for c := range out {
		out[c] = scenarios.Community{Name: names[c], Relationship: scenarios.Legitimized, Share: 1}
		if c < len(sc.Communities) {
			given := sc.Communities[c]
			out[c].Domain = given.Domain
			if given.Relationship != "" {
				out[c].Relationship = given.Relationship
			}
			if given.Share != 0 {
				out[c].Share = given.Share
			}
		}
	}
	return out
}
