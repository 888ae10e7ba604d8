package agents

import (
	"context"

	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// Model is a scenario made ready to run: its sizes checked against what the
// engine's types hold. It implements sim.Model: the engine asks it for a
// replication's world and steps the world's phases.
type Model struct {
	sc  scenarios.Scenario
	z   sizes
	ivs []intervention
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
	return &Model{sc: sc, z: z, ivs: ivs}, nil
}

// Plan tells the engine the model's size and schedule.
func (md *Model) Plan() sim.Plan {
	sc := &md.sc
	return sim.Plan{
		Layout:       sim.Layout{Seed: sc.Seed, People: md.z.n, Groups: md.z.C, Purposes: int(purposeCount)},
		Replications: sc.Replications, Ticks: sc.Ticks, MeasureEvery: sc.Output.MeasureEvery,
		RowsPerMeasure: md.z.C + 1, NetworkNodes: sc.Output.NetworkNodes,
	}
}

// Replicate builds the world of replication e.Rep() on engine e.
func (md *Model) Replicate(e *sim.Engine) (sim.Replication, error) {
	wd, err := newWorld(md, e)
	if err != nil {
		return nil, err
	}
	return wd, nil
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
	wd, err := newWorld(md, e)
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
