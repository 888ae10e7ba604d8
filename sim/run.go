package sim

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/scenarios"
)

// Options control how a scenario is run; none of them changes a result.
type Options struct {
	// Workers is the number of goroutines (0: the number of CPUs). They are
	// spread over replications first, then over the people of each.
	Workers int
	// Progress, if set, is called after every tick of every replication with
	// the ticks done and the ticks planned over all replications.
	Progress func(done, total int64)
}

// Result is everything a run of a scenario produces.
type Result struct {
	Scenario  scenarios.Scenario
	Rows      []Row     // by replication, then tick, then community ("all" last)
	Summaries []Summary // one per replication
	Network   *Network  // the first replication's last tick
}

// Run runs every replication of the scenario and returns their results in
// replication order. It stops early, with ctx's error, when ctx is done.
func Run(ctx context.Context, sc scenarios.Scenario, opt Options) (*Result, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	reps := sc.Replications
	outer := min(workers, reps)
	inner := max(1, workers/outer)

	rows := make([][]Row, reps)
	sums := make([]Summary, reps)
	var net *Network
	var done atomic.Int64
	total := int64(reps) * int64(sc.Ticks)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, outer)
	// stop carries ctx's cancellation into the phases of a tick, which
	// check it between chunks: a long tick does not delay Ctrl-C.
	stop := new(atomic.Bool)
	watched := make(chan struct{})
	defer close(watched)
	go func() {
		select {
		case <-ctx.Done():
			stop.Store(true)
		case <-watched:
		}
	}()
	for g := 0; g < outer; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for {
				rep := int(next.Add(1)) - 1
				if rep >= reps {
					return
				}
				r, s, n, err := runReplication(ctx, &sc, rep, inner, stop, func() {
					if opt.Progress != nil {
						opt.Progress(done.Add(1), total)
					}
				})
				if err != nil {
					errs[g] = err
					return
				}
				rows[rep], sums[rep] = r, s
				if rep == 0 {
					net = n
				}
			}
		}(g)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	res := &Result{Scenario: sc, Summaries: sums, Network: net}
	for _, r := range rows {
		res.Rows = append(res.Rows, r...)
	}
	return res, nil
}

// runReplication runs one replication to its tick cap or to March's
// equilibrium, measuring every Output.MeasureEvery ticks and at the end.
func runReplication(ctx context.Context, sc *scenarios.Scenario, rep, workers int, stop *atomic.Bool, tick func()) ([]Row, Summary, *Network, error) {
	wd, err := newWorld(sc, rep, workers, stop)
	if errors.Is(err, errStopped) {
		return nil, Summary{}, nil, ctx.Err()
	}
	if err != nil {
		return nil, Summary{}, nil, err
	}
	defer wd.Close()
	every := max(1, sc.Output.MeasureEvery)
	var rows []Row
	add := func(rs []Row) []Row {
		for k := range rs {
			rs[k].Rep = rep
		}
		rows = append(rows, rs...)
		return rs
	}
	last := add(wd.Measure())
	for wd.Tick() < sc.Ticks && !wd.Equilibrium() {
		if err := ctx.Err(); err != nil {
			return nil, Summary{}, nil, err
		}
		wd.Step()
		if stop.Load() {
			// The tick was cut short: its state is not a result.
			return nil, Summary{}, nil, ctx.Err()
		}
		tick()
		if wd.Tick()%every == 0 || wd.Tick() == sc.Ticks || wd.Equilibrium() {
			last = add(wd.Measure())
		}
	}
	var net *Network
	if rep == 0 {
		net = wd.Network(sc.Output.NetworkNodes)
	}
	return rows, wd.Summarize(last), net, nil
}

// Network samples up to max people, evenly spread over the population, with
// the ties among them.
func (wd *World) Network(maxNodes int) *Network {
	k := min(maxNodes, wd.n)
	net := &Network{Tick: wd.tick}
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
		node := Node{ID: i, Community: -1, Role: agents.Outsider.String()}
		kn, v := wd.beliefs(i)
		node.Knowledge = agents.Knowledge(kn, v, wd.reality, wd.all)
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
			net.Edges = append(net.Edges, Edge{A: a, B: b, Weight: float64(wd.tieW[t]),
				Boundary: node.Community != net.Nodes[b].Community})
		}
	}
	return net
}

func (wd *World) maxBoundary() float64 {
	m := 0.0
	for c := range wd.comms {
		m = max(m, wd.comms[c].eff.boundary)
	}
	return m
}
