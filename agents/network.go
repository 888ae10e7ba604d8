package agents

import (
	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/scenarios"
)

// Network samples up to max people, evenly spread over the population, with
// the ties among them.
func (wd *World) Network(maxNodes int) *measure.Network {
	k := min(maxNodes, wd.n)
	net := &measure.Network{Tick: wd.eng.Tick()}
	for c := range wd.comms {
		net.CommunityNames = append(net.CommunityNames, wd.comms[c].name)
	}
	if k <= 0 {
		return net
	}
	index := make(map[int]int, k)
	for s := 0; s < k; s++ {
		i := s * wd.n / k
		index[i] = len(net.Nodes)
		best := -1
		memberships := 0
		for t := 0; t < maxMem; t++ {
			j := i*maxMem + t
			if wd.memC[j] < 0 {
				continue
			}
			memberships++
			if best < 0 || wd.legit[j] > wd.legit[i*maxMem+best] {
				best = t
			}
		}
		node := measure.Node{ID: i, Community: -1, Role: Outsider.String()}
		kn, v := wd.beliefs(i)
		node.Knowledge = Knowledge(kn, v, wd.reality, wd.all)
		if best >= 0 {
			j := i*maxMem + best
			node.Community = int(wd.memC[j])
			node.Legitimacy = wd.legit[j]
			node.Role = wd.role(wd.legit[j]).String()
			node.Coordinator = wd.comms[node.Community].coordinator == int32(i)
		}
		node.Broker = memberships > 1 || wd.spanU[i] < wd.mp.Management.BoundarySpanners*wd.maxBoundary()
		net.Nodes = append(net.Nodes, node)
	}
	for a, node := range net.Nodes {
		i := node.ID
		for t := i * maxTies; t < (i+1)*maxTies; t++ {
			to := wd.tieTo[t]
			if to < 0 || wd.tieGen[t] != wd.arrived[to] {
				continue
			}
			b, ok := index[int(to)]
			if !ok {
				continue
			}
			net.Edges = append(net.Edges, measure.Edge{A: a, B: b, Weight: float64(wd.tieW[t]),
				Boundary: node.Community != net.Nodes[b].Community})
		}
	}
	return net
}

func (wd *World) maxBoundary() float64 {
	m := 0.0
	for c := range wd.comms {
		m = max(m, wd.comms[c].eff[scenarios.LeverBoundary])
	}
	return m
}

// Encounters calls fn for every encounter of the last tick, in the order
// the measurement counts them (by the person who sought it): a sought b,
// and boundary reports an encounter across a community boundary, the kind
// the boundary_share column counts. The classroom page draws these, so that
// its lines are the encounters the numbers count.
func (wd *World) Encounters(fn func(a, b int, boundary bool)) {
	wd.eachEncounter(func(i int, e encEntry) { fn(i, int(e.to), e.boundary()) })
}
