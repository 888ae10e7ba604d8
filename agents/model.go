package agents

import (
	"context"
	"sync"

	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// Model is a scenario made ready to run: its sizes checked against what the
// engine's types hold. It implements sim.Model: the engine asks it for a
// replication's world and steps the world's phases.
type Model struct {
	sc     scenarios.Scenario
	z      sizes
	ivs    []intervention
	worlds worldPool // worlds of finished replications, for reuse
	// march is set when the scenario is March's configuration, which
	// runs on the fast path (marchOnly)
	march *marchKernel
	// endOnly: the caller needs no time series (RunSummaries) and the
	// fast path measures only at tick 0 and at the end
	endOnly bool
}

// worldPool keeps the worlds of a model's finished replications, so that
// the next replication reuses their memory instead of allocating and
// zeroing its own (a March run is as short as its setup).
type worldPool struct {
	mu   sync.Mutex
	free []*World
}

func (p *worldPool) get() *World {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) == 0 {
		return nil
	}
	wd := p.free[len(p.free)-1]
	p.free = p.free[:len(p.free)-1]
	return wd
}

func (p *worldPool) put(wd *World) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.free = append(p.free, wd)
}

// New returns the model of sc, or an error, allocating nothing, when a size
// of sc does not fit the engine's types or the machine's address space
// (validation refuses such scenarios before; see scenarios/bounds.go).
func New(sc scenarios.Scenario) (*Model, error) {
	z, err := sizesOf(&sc)
	if err != nil {
		return nil, err
	}
	ivs, err := resolveInterventions(&sc, scenarios.KindNamed)
	if err != nil {
		return nil, err
	}
	md := &Model{sc: sc, z: z, ivs: ivs}
	if marchOnly(&md.sc) {
		md.march = newMarchKernel(&md.sc)
	}
	return md, nil
}

// Plan tells the engine the model's size and schedule.
func (md *Model) Plan() sim.Plan {
	sc := &md.sc
	every := sc.Output.MeasureEvery
	if md.endOnly {
		every = sc.Ticks + 1 // tick 0 and the last are measured all the same
	}
	return sim.Plan{
		Layout:       sim.Layout{Seed: sc.Seed, People: md.z.n, Groups: md.z.C, Purposes: int(purposeCount)},
		Replications: sc.Replications, Ticks: sc.Ticks, MeasureEvery: every,
		RowsPerMeasure: md.z.C + 1, NetworkNodes: sc.Output.NetworkNodes,
		MayEndEarly: sc.Model.StopAtEquilibrium,
	}
}

// Replicate builds the world of replication e.Rep() on engine e.
func (md *Model) Replicate(e *sim.Engine) (sim.Replication, error) {
	wd, err := newWorld(md, e, md.worlds.get())
	if err != nil {
		return nil, err
	}
	wd.pool = &md.worlds
	if md.march != nil {
		mr := newMarchRep(wd, md.march)
		mr.endOnly = md.endOnly
		return mr, nil
	}
	return wd, nil
}

// Release hands the world of a finished replication back to its model,
// for the next replication to reuse (sim.Releaser); sim.Run calls it once
// it is done with the world. A world of NewWorld is not pooled.
func (wd *World) Release() {
	if wd.pool != nil {
		wd.pool.put(wd)
	}
}

// Result is what a run of a scenario produces, with the scenario.
type Result struct {
	Scenario scenarios.Scenario
	*sim.Result
}

// Run runs every replication of sc on the engine (see sim.Run).
func Run(ctx context.Context, sc scenarios.Scenario, opt sim.Options) (*Result, error) {
	md, err := New(sc)
	if err != nil {
		return nil, err
	}
	res, err := sim.Run(ctx, md, opt)
	if err != nil {
		return nil, err
	}
	return &Result{Scenario: sc, Result: res}, nil
}

// RunSummaries is Run for a caller that needs no time series (a sweep that
// writes none, a validation table): the summaries and the network are
// Run's, byte for byte, and Rows holds only each replication's last
// measurement. March's configuration (see the fast path in march.go) is
// then measured only at tick 0 and at the end, keeping each tick that Run
// would measure only what the summaries read of it (the peak of knowledge,
// the member-weeks); other scenarios are measured as Run measures them.
// Options.Rows, if set, receives only what is measured.
func RunSummaries(ctx context.Context, sc scenarios.Scenario, opt sim.Options) (*Result, error) {
	md, err := New(sc)
	if err != nil {
		return nil, err
	}
	md.endOnly = md.march != nil
	res, err := sim.Run(ctx, md, opt)
	if err != nil {
		return nil, err
	}
	// The rows are by replication, then tick: keep each one's last
	// measurement (a replication measures at least tick 0).
	per := md.z.C + 1
	var last []measure.Row
	for k := 0; k+per <= len(res.Rows); k += per {
		end := k+per == len(res.Rows) || res.Rows[k+per].Rep != res.Rows[k].Rep
		if end {
			last = append(last, res.Rows[k:k+per]...)
		}
	}
	res.Rows = last
	return &Result{Scenario: sc, Result: res}, nil
}

// NewWorld builds replication rep of sc on an engine of its own with the
// given number of workers, to be stepped and measured by hand (the
// classroom page does). Call Close when done to stop its workers.
func NewWorld(sc *scenarios.Scenario, rep, workers int) (*World, error) {
	md, err := New(*sc)
	if err != nil {
		return nil, err
	}
	e, err := sim.NewEngine(md.Plan().Layout, rep, workers, nil)
	if err != nil {
		return nil, err
	}
	wd, err := newWorld(md, e, nil)
	if err != nil {
		e.Close()
		return nil, err
	}
	wd.ownEngine = true
	return wd, nil
}

// Phases is the ordered list of a tick's phases (docs/model.md, section
// 3). A mechanism that is switched off is a phase left out, so that the
// hot loops do not test for it. Measurement is not a phase: the engine
// measures after a tick when the scenario asks for it.
func (wd *World) Phases() []sim.Phase {
	mp := wd.mp
	var ps []sim.Phase
	add := func(p ...sim.Phase) { ps = append(ps, p...) }
	if len(wd.sc.Changes) > 0 {
		add(sim.Phase{Name: "parameter changes", Before: wd.applyChanges})
	}
	// Turbulence at rate 0 changes nothing, so a phase that a later change
	// may need can be there from the start.
	if _, most := wd.sc.ChangesTo("model.turbulence"); mp.Turbulence > 0 || most > 0 {
		add(sim.Phase{Name: "turbulence", Before: wd.turbulence})
	}
	add(sim.Phase{Name: "interventions", Before: wd.applyInterventions},
		sim.Phase{Name: "engagement", Before: wd.clearLive, People: wd.engage, After: wd.collectParticipants})
	if mp.Network {
		add(sim.Phase{Name: "encounters", Before: wd.snapshot, People: wd.encounter})
	}
	add(sim.Phase{Name: "socialization and practice", People: wd.learn},
		sim.Phase{Name: "repertoire", Groups: wd.learnCode})
	if mp.Management.ViewLearning > 0 {
		add(sim.Phase{Name: "management view", Before: wd.learnView})
	}
	if mp.Boundaries && len(wd.comms) > 1 {
		add(sim.Phase{Name: "boundary encounters", Before: wd.snapshot, People: wd.crossBoundaries})
	}
	// Legitimacy, participation, motivation and ties each write only their
	// own person's state and read nothing the others write: they share one
	// pass over each chunk, while its people are in cache.
	if mp.LPP {
		add(sim.Phase{Name: "legitimacy", People: wd.updateLegitimacy})
	}
	add(sim.Phase{Name: "participation record", People: wd.recordParticipation, Shared: mp.LPP})
	if mp.Motivation {
		add(sim.Phase{Name: "motivation and identity", People: wd.updateMotivation, Shared: true})
	}
	if mp.Network {
		add(sim.Phase{Name: "tie decay", People: wd.decayTies, Shared: true})
	}
	add(sim.Phase{Name: "turnover", Before: wd.clearNewcomers, People: wd.turnover, After: wd.countNewcomers})
	if mp.StopAtEquilibrium && (mp.Turnover == 0 && mp.Turbulence == 0 || len(wd.sc.Changes) > 0) {
		add(sim.Phase{Name: "equilibrium", Before: wd.checkEquilibrium})
	}
	return ps
}
