package plots

import (
	"cmp"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/copsim/copsim/measure"
)

// Limits on what one figure shows, so that any number of communities that
// validates still draws a readable figure in bounded time.
const (
	// maxPanels is the most panels of a small-multiple figure; beyond it
	// the smaller communities are summed into the last panel.
	maxPanels = 12
	// maxLines is the most community lines of a line chart; beyond it the
	// legend says how many smaller communities are left out.
	maxLines = 8
	// maxNameLen is the most characters of a community name in a legend.
	maxNameLen = 30
)

// largest splits the communities cs (none of them All) into the k with
// the most members on average over rows, kept in their order in cs, and
// the rest. Ties go to the earlier community, so the split is
// deterministic.
func largest(rows []measure.Row, cs []string, k int) (shown, rest []string) {
	if len(cs) <= k {
		return cs, nil
	}
	index := make(map[string]int, len(cs))
	for i, c := range cs {
		index[c] = i
	}
	sum := make([]float64, len(cs))
	n := make([]int, len(cs))
	for k := range rows {
		if i, ok := index[rows[k].Community]; ok {
			sum[i] += colMembers.Float(&rows[k])
			n[i]++
		}
	}
	mean := func(i int) float64 {
		if n[i] == 0 {
			return 0
		}
		return sum[i] / float64(n[i])
	}
	order := make([]int, len(cs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(mean(b), mean(a)) })
	keep := order[:k]
	slices.Sort(keep)
	kept := make(map[int]bool, k)
	for _, i := range keep {
		shown = append(shown, cs[i])
		kept[i] = true
	}
	for i, c := range cs {
		if !kept[i] {
			rest = append(rest, c)
		}
	}
	return shown, rest
}

// othersName is the community name of the summed rows of the communities
// left out; it cannot clash, as those rows are kept apart.
func othersName(n int) string { return fmt.Sprintf("%d other communities", n) }

// summedRows returns, for each replication and tick, one row of community
// name whose role counts are the sums over the communities in group
// (outsiders are left at zero: a sum of outsiders counts people many times).
func summedRows(rows []measure.Row, group []string, name string) []measure.Row {
	in := make(map[string]bool, len(group))
	for _, c := range group {
		in[c] = true
	}
	type key struct{ rep, tick int }
	at := map[key]int{}
	var out []measure.Row
	for _, r := range rows {
		if !in[r.Community] {
			continue
		}
		k := key{r.Rep, r.Tick}
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, measure.Row{Rep: r.Rep, Tick: r.Tick, Community: name})
		}
		s := &out[i]
		s.Members += r.Members
		s.Peripheral += r.Peripheral
		s.Active += r.Active
		s.Core += r.Core
	}
	return out
}

// shortName shortens a community name to maxNameLen characters for a
// legend or panel title.
func shortName(name string) string {
	if utf8.RuneCountInString(name) <= maxNameLen {
		return name
	}
	r := []rune(name)
	return string(r[:maxNameLen-1]) + "…"
}
