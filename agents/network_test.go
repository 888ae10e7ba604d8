package agents

import (
	"testing"

	"github.com/copsim/copsim/measure"
)

// Network samples people evenly, each at their most legitimate community,
// with their live ties among the sample; ties to replaced people and to
// people outside the sample are left out.
func TestNetwork(t *testing.T) {
	wd := tinyWorld(t, 8, 2)
	for i := range 8 {
		member(wd, i, 0, i%2, 0.1*float64(i), false)
	}
	member(wd, 2, 1, 1, 0.9, false) // 2's best community is 1
	tie := func(i, k, to int, w float32, stale bool) {
		wd.tieTo[i*maxTies+k], wd.tieW[i*maxTies+k], wd.tieGen[i*maxTies+k] = int32(to), w, wd.arrived[to]
		if stale {
			wd.tieGen[i*maxTies+k]++
		}
	}
	tie(0, 0, 2, 0.5, false) // kept; boundary (0 in community 0, 2 at its best in 1)
	tie(0, 1, 4, 0.3, true)  // stale: left out
	tie(2, 0, 6, 0.7, false) // kept
	tie(4, 0, 1, 0.9, false) // 1 is not sampled: left out
	net := wd.Network(4)     // people 0, 2, 4, 6
	var ids []int
	for _, n := range net.Nodes {
		ids = append(ids, n.ID)
	}
	if len(ids) != 4 || ids[0] != 0 || ids[1] != 2 || ids[2] != 4 || ids[3] != 6 {
		t.Fatalf("sampled %v, want [0 2 4 6]", ids)
	}
	if n := net.Nodes[1]; n.Community != 1 || n.Legitimacy != 0.9 || n.Role != Core.String() {
		t.Errorf("person 2: community %d, legitimacy %g, role %s; want 1, 0.9, core", n.Community, n.Legitimacy, n.Role)
	}
	want := []measure.Edge{{A: 0, B: 1, Weight: 0.5, Boundary: true}, {A: 1, B: 3, Weight: float64(float32(0.7)), Boundary: true}}
	if len(net.Edges) != len(want) {
		t.Fatalf("edges %+v, want %+v", net.Edges, want)
	}
	for k := range want {
		if net.Edges[k] != want[k] {
			t.Errorf("edge %d: %+v, want %+v", k, net.Edges[k], want[k])
		}
	}
}
