package agents

import (
	"errors"
	"fmt"
	"math"

	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/rng"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

const (
	maxMem   = 4   // community memberships per person
	maxTies  = 8   // ties a person keeps
	giniBins = 200 // histogram bins for the participation Gini
	tieFloor = 0.01
)

// Stream purposes: the last key of every draw, so that phases never share a stream.
const (
	purposeInit uint64 = iota + 1
	purposeEngage
	purposeEncounter
	purposeLearn
	purposeCode
	purposeBoundary
	purposeTurnover
	purposeWorld
	purposeSpanner
	purposeNewcomer
	purposeView
	purposeStudent
	purposeCount
)

type community struct {
	name         string
	relationship string
	reach        float64
	domain       []uint64
	domainFrom   int
	domainTo     int
	codeKnown    []uint64
	codeValue    []uint64
	codeScore    int
	eff          effects
	votes        Votes

	// this tick's participants: person and membership slot, with cumulative
	// visibility; views into the World's flat arrays of the same names
	partPerson []int32
	partSlot   []uint8
	visCum     []float64
	// guide[g] is where pickPartner's search of visCum starts for a draw
	// x with floor(x × guideScale) = g: a guide table (Chen and Asau's
	// method), so that a draw costs a step or two instead of a binary
	// search, and finds the same participant
	guide      []int32
	guideScale float64

	coreShare float64 // share of members at the core, last measured
	coreVoice float64 // share of this tick's participants at the core
	// closedness is how far the core has closed the community off this
	// tick (submodel 7.9): it narrows access for those the core does not
	// know, and turns members away from other communities (7.14).
	closedness  float64
	stage       Stage
	partHistory []float64 // participation rate per tick, ring of Stage.Window
	coordinator int32
	liveMembers int
	partSmooth  float64
}

// World is the state of one replication.
type World struct {
	sc   *scenarios.Scenario
	mp   *scenarios.Model
	m, w int
	n    int
	// eng runs the world's phases; ownEngine when NewWorld made it
	eng       *sim.Engine
	ownEngine bool
	sched     *sim.Schedule // the phases, for Step

	reality   []uint64
	all       []uint64 // mask of every dimension
	mgmtKnown []uint64 // management's view of the practice (mandated agenda)
	mgmtValue []uint64

	// people, one entry (or w words) each
	known, value []uint64
	// snap is everyone's beliefs as they stood before a phase in which
	// people learn from each other: a person's w known words, then their w
	// value words, side by side, so that reading a partner's beliefs costs
	// one memory access
	snap      []uint64
	act       []uint64
	unit      []int32
	load      []float64
	motiv     []float64
	motivBase []float64
	arrived   []int32
	spanU     []float64
	learned   []int32
	// rate is each person's socialization rate, drawn from
	// model.socialization_mix or model.socialization_spread when they are
	// created; nil without either (everyone socializes at
	// model.socialization)
	rate []float64
	// boundary encounters, for measurement only (crossBoundaries writes
	// them): belief dimensions changed and of them right this tick, and
	// the tick of the last one (-1 for none)
	imported, importedRight, lastBoundary []int32

	// memberships, maxMem slots per person
	memC     []int16
	memMet   []int16 // memC when this tick's encounters happened (keepMemberships)
	legit    []float64
	ident    []float64
	partEMA  []float64
	part     []bool
	mand     []bool    // took part as mandated (compliance), not voluntarily; read only where part
	own      []float32 // autonomous share of the drive of this tick's voluntary participation; 0 otherwise
	perf     []int16   // performance in the community's domain, within ±model.dimensions (see size.go)
	joined   []int32
	toActive []int32
	toCore   []int32

	// look is what others read of a person during a tick, packed into one
	// cache line and rebuilt by each person in phase 2, so that choosing and
	// learning from partners costs one memory access per partner, not five.
	// Measure refreshes what it reads of tie partners after the tick
	// (publish): arrival, memberships, legitimacy.
	look []lookup

	// ties, maxTies slots per person, owned by the person
	tieTo  []int32
	tieW   []float32
	tieGen []int32 // partner's arrival tick when the tie was made

	// encounters this tick, one log per chunk (enclog.go); encN counts each
	// person's in a byte, at most encCap, which sizesOf checks against
	// scenarios.MaxPartners
	encCap int
	encLog []encLog
	encN   []uint8
	// eachEncounter's scratch, made on its first call: where each person's
	// entries start, and a chunk's entries in the order of people
	encStart  []int32
	encSorted []encEntry

	// this tick's participants of every community, grouped by community
	// (partOff[c] to partOff[c+1]) in membership order: one allocation for
	// all communities, sized by memberships, not by communities x people
	partPerson []int32
	partSlot   []uint8
	visCum     []float64
	guide      []int32
	partOff    []int

	comms   []community
	closed  bool           // some community's closedness is above 0 this tick
	ivs     []intervention // the schedule, resolved once
	acc     []slotAcc      // per worker slot (see pool)
	mcount  [][]commAcc    // measurement's counts, per worker slot (only the integers)
	macc    [][]commSums   // measurement's sums, per shard
	tot     []commAcc      // Measure's totals, reused
	bestLeg []float64      // findCoordinators' scratch, per community

	meas        measureState // what measurement keeps between ticks
	equilibrium bool
	peakKnow    float64
	// newcomers' ticks from joining to active and to core, as histograms
	toActiveHist, toCoreHist []int64
	newcomers                []int // memberships begun by newcomers this tick, per community

	// rows is Measure's result, reused; scratch is Summarize's belief
	// counts (2m)
	rows    []measure.Row
	scratch []int

	// pool, when set, takes the world back once its replication is done
	// (Release), for the next one to reuse its memory
	pool *worldPool
	// march is the fast path's state when the world ran on it, kept for
	// reuse
	march *marchRep

	// students, nil until the first joins (steer.go): every hook tests
	// only this pointer, so that a world without students is untouched
	students *steering

	// phase functions, bound once so that the hot path does not allocate
	fEngage, fEncounter, fLearn, fCode, fBoundary, fUpdate, fTurnover, fMeasure, fPublish func(slot, i int)
}

// lookup is one person's public state for a tick (see World.look).
type lookup struct {
	legit   [maxMem]float64
	arrived int32
	unit    int32 // formal unit, read by strengthenTie beside arrived
	perf    [maxMem]int16
	memC    [maxMem]int16
	part    uint8 // bit s: took part through membership slot s
	// member, set only by Measure's publish: bit s, membership slot s is at
	// least peripheral
	member uint8
	_      [6]byte
}

// slotOf returns the membership slot in community c, or -1.
func (lk *lookup) slotOf(c int) int {
	for s := 0; s < maxMem; s++ {
		if int(lk.memC[s]) == c {
			return s
		}
	}
	return -1
}

// errStopped is returned by newWorld when the engine was stopped while it
// built the world.
var errStopped = errors.New("agents: stopped while building a world")

// newWorld builds replication e.Rep() of m on engine e, allocating
// everything a tick needs so that ticks allocate nothing. When old, a
// world of the same model that is done, is given, its memory is reused:
// every slice is zeroed as make would give it, so that the world is the
// same as one built afresh.
func newWorld(md *Model, e *sim.Engine, old *World) (*World, error) {
	z := md.z
	sc := &md.sc
	mp := &sc.Model
	n, m, w, C := z.n, z.m, z.w, z.C
	var o World
	if old != nil {
		o = *old
	}
	wd := &World{
		sc: sc, mp: mp, eng: e, m: m, w: w, n: n,
		reality: zeroed(o.reality, w), all: o.all,
		mgmtKnown: zeroed(o.mgmtKnown, w), mgmtValue: zeroed(o.mgmtValue, w),
		known: zeroed(o.known, z.words), value: zeroed(o.value, z.words),
		snap: zeroed(o.snap, 2*z.words), act: zeroed(o.act, z.words),
		unit: zeroed(o.unit, n), load: zeroed(o.load, n), motiv: zeroed(o.motiv, n),
		motivBase: zeroed(o.motivBase, n), arrived: zeroed(o.arrived, n), spanU: zeroed(o.spanU, n),
		learned: zeroed(o.learned, n),
		memC:    zeroed(o.memC, z.memberships), memMet: zeroed(o.memMet, z.memberships),
		legit: zeroed(o.legit, z.memberships), ident: zeroed(o.ident, z.memberships),
		partEMA: zeroed(o.partEMA, z.memberships), part: zeroed(o.part, z.memberships), mand: zeroed(o.mand, z.memberships),
		own: zeroed(o.own, z.memberships), perf: zeroed(o.perf, z.memberships),
		joined: zeroed(o.joined, z.memberships), toActive: zeroed(o.toActive, z.memberships), toCore: zeroed(o.toCore, z.memberships),
		look: zeroed(o.look, n), tieTo: zeroed(o.tieTo, z.ties), tieW: zeroed(o.tieW, z.ties), tieGen: zeroed(o.tieGen, z.ties),
		// this tick's participants: at most every membership, but about
		// one per person; placeParticipants grows them when needed
		partPerson: zeroed(o.partPerson, min(z.memberships, n)), partSlot: zeroed(o.partSlot, min(z.memberships, n)),
		visCum: zeroed(o.visCum, min(z.memberships, n)), guide: zeroed(o.guide, min(z.memberships, n)), partOff: zeroed(o.partOff, C+1),
		newcomers: zeroed(o.newcomers, C),
		bestLeg:   zeroed(o.bestLeg, C),
		rows:      o.rows,
		scratch:   o.scratch,
		march:     o.march,
	}
	if wd.all == nil {
		wd.all = Mask(w, 0, m)
	}
	if z.rates > 0 {
		wd.rate = zeroed(o.rate, z.rates)
	}
	wd.encCap = z.encCap
	wd.encLog = newEncLogs(o.encLog, n, z.chunks)
	wd.encN = zeroed(o.encN, n)
	// A career step is at most as many ticks as the last run had (see
	// advanceCareer): only that much of a reused histogram can be dirty.
	dirty := z.hist
	if old != nil {
		dirty = min(dirty, old.eng.Tick()+1)
	}
	wd.toActiveHist = zeroedPrefix(o.toActiveHist, z.hist, dirty)
	wd.toCoreHist = zeroedPrefix(o.toCoreHist, z.hist, dirty)
	wd.acc = o.acc
	if len(wd.acc) != e.Slots() {
		wd.acc = make([]slotAcc, e.Slots())
		for i := range wd.acc {
			wd.acc[i] = newSlotAcc(C)
		}
	}
	for i := range wd.acc {
		wd.acc[i].reset()
	}
	wd.mcount = o.mcount
	if len(wd.mcount) != e.Slots() {
		wd.mcount = make([][]commAcc, e.Slots())
		for i := range wd.mcount {
			wd.mcount[i] = newMeasureAcc(C, m)
		}
	}
	wd.macc = o.macc
	if len(wd.macc) != z.shards {
		wd.macc = make([][]commSums, z.shards)
		for i := range wd.macc {
			wd.macc[i] = make([]commSums, C+1)
		}
	}
	wd.tot = o.tot
	if wd.tot == nil {
		wd.tot = newMeasureAcc(C, m)
	}
	wd.meas = o.meas
	if wd.meas.affil == nil {
		wd.meas = newMeasureState(C)
	}
	wd.meas.reset()
	wd.imported, wd.importedRight, wd.lastBoundary = zeroed(o.imported, n), zeroed(o.importedRight, n), zeroed(o.lastBoundary, n)
	for i := range wd.lastBoundary {
		wd.lastBoundary[i] = -1
	}
	wd.initCommunities(z.window, o.comms)
	wd.ivs = md.ivs
	wd.fMeasure = wd.measureChunk
	wd.fPublish = wd.publishChunk
	wd.initPeople()
	wd.keepMemberships()
	if e.Stopped() {
		return nil, errStopped
	}
	return wd, nil
}

// zeroed returns old[:n] cleared when it can hold n elements, else a new
// slice: what make([]T, n) gives, without allocating on reuse.
func zeroed[T any](old []T, n int) []T {
	if cap(old) < n {
		return make([]T, n)
	}
	s := old[:n]
	clear(s)
	return s
}

// zeroedPrefix is zeroed for a slice of which only the first dirty
// elements can be non-zero.
func zeroedPrefix[T any](old []T, n, dirty int) []T {
	if cap(old) < n {
		return make([]T, n)
	}
	s := old[:n]
	clear(s[:min(dirty, n)])
	return s
}

// SetInterventions replaces the schedule of interventions from the next
// tick on (the classroom demo's switches). The scenario is copied, so the
// caller's is not changed; the list must be valid for the scenario.
func (wd *World) SetInterventions(ivs []scenarios.Intervention) error {
	sc := *wd.sc
	sc.Interventions = append([]scenarios.Intervention(nil), ivs...)
	resolved, err := resolveInterventions(&sc, scenarios.KindNamed)
	if err != nil {
		return err
	}
	wd.sc, wd.ivs = &sc, resolved
	wd.mp = &wd.sc.Model
	return nil
}

// Step runs one tick on the world's engine: the phases of Phases, in order.
func (wd *World) Step() {
	if wd.sched == nil {
		wd.sched, _ = wd.eng.Schedule(wd.Phases()) // Phases sets People or Groups, never both
	}
	wd.eng.Step(wd.sched)
	wd.clearSteering()
}

// Close stops the workers of the engine NewWorld made for the world.
func (wd *World) Close() {
	if wd.ownEngine {
		wd.eng.Close()
	}
}

// Tick is the number of ticks run so far.
func (wd *World) Tick() int { return wd.eng.Tick() }

// Done reports whether the run has reached March's equilibrium (see
// checkEquilibrium).
func (wd *World) Done() bool { return wd.equilibrium }

// initCommunities sets up the communities, reusing the memory of old (the
// communities of a world that is done) when it has as many.
func (wd *World) initCommunities(window int, old []community) {
	sc := wd.sc
	C := sc.Population.Communities
	names := sc.CommunityNames()
	if len(old) == C {
		wd.comms = old
	} else {
		wd.comms = make([]community, C)
	}
	for c := range wd.comms {
		from, to := sc.DomainOf(c)
		rel := scenarios.Legitimized
		if c < len(sc.Communities) && sc.Communities[c].Relationship != "" {
			rel = sc.Communities[c].Relationship
		}
		o := wd.comms[c]
		if o.domain == nil { // a world built afresh; a reused one is of the same model
			o.domain = Mask(wd.w, from, to)
		}
		votes := o.votes
		if len(votes.Plus) != wd.m {
			votes = NewVotes(wd.m)
		}
		votes.Reset()
		wd.comms[c] = community{
			name: names[c], relationship: rel, reach: reachOf(rel),
			domain: o.domain, domainFrom: from, domainTo: to,
			codeKnown: zeroed(o.codeKnown, wd.w), codeValue: zeroed(o.codeValue, wd.w),
			votes:       votes,
			partHistory: zeroed(o.partHistory, window),
			coordinator: -1,
		}
	}
}

func (wd *World) initPeople() {
	sc := wd.sc
	r := rng.Derive(wd.eng.Seed(), wd.eng.Rep(), math.MaxUint64, 0, purposeWorld)
	for w := range wd.reality {
		wd.reality[w] = r.Uint64() & wd.all[w]
	}
	// Management's view: right on a share Knowledge of the dimensions.
	for d := 0; d < wd.m; d++ {
		wi, b := d/64, uint64(1)<<(d%64)
		wd.mgmtKnown[wi] |= b
		truth := wd.reality[wi] & b
		if !r.Bernoulli(wd.mp.Management.Knowledge) {
			truth ^= b
		}
		wd.mgmtValue[wi] |= truth
	}
	// Each person draws from streams of their own and writes only their
	// own state, so people are set up in parallel, chunk by chunk, and a
	// stop takes effect between chunks.
	wd.eng.Parallel(wd.eng.Chunks(), func(_, ch int) {
		lo, hi := wd.eng.ChunkRange(ch)
		for i := lo; i < hi; i++ {
			ri := rng.Derive(wd.eng.Seed(), wd.eng.Rep(), uint64(i), 0, purposeInit)
			wd.unit[i] = int32(ri.Intn(sc.Population.Units))
			span := rng.Derive(wd.eng.Seed(), wd.eng.Rep(), uint64(i), 0, purposeSpanner)
			wd.spanU[i] = span.Float64()
			wd.newPerson(i, &ri, true)
		}
	})
}

// newPerson (re)initialises person i: random beliefs (March 1991), a
// disposition, and memberships. Founders start with some legitimacy;
// newcomers start as outsiders, at the edge of the periphery.
func (wd *World) newPerson(i int, r *rng.Stream, founder bool) {
	mp, pop := wd.mp, &wd.sc.Population
	k, v := wd.known[i*wd.w:(i+1)*wd.w], wd.value[i*wd.w:(i+1)*wd.w]
	RandomBeliefs(k, v, wd.m, r)
	if mp.Motivation {
		wd.motivBase[i] = r.Beta(mp.Engagement.MotivationMean, mp.Engagement.MotivationSpread)
		wd.load[i] = r.Beta(mp.Engagement.ProjectLoad, 0.2)
	} else {
		wd.motivBase[i], wd.load[i] = 1, 0
	}
	wd.motiv[i] = wd.motivBase[i]
	if founder {
		wd.arrived[i] = -1
	} else {
		wd.arrived[i] = int32(wd.eng.Tick())
	}
	for t := i * maxTies; t < (i+1)*maxTies; t++ {
		wd.tieTo[t], wd.tieW[t] = -1, 0
	}
	base := i * maxMem
	for s := 0; s < maxMem; s++ {
		wd.memC[base+s] = -1
		wd.part[base+s] = false
	}
	// First community: the unit's own with probability UnitAlignment.
	C := len(wd.comms)
	first := wd.pickCommunity(r)
	if r.Bernoulli(pop.UnitAlignment) {
		first = int(wd.unit[i]) % C
	}
	wd.join(i, 0, first, r, founder)
	for s := 1; s < maxMem && s < C && r.Bernoulli(pop.MultiMembership); s++ {
		c := wd.pickCommunity(r)
		for tries := 0; wd.slotOf(i, c) >= 0 && tries < 8; tries++ {
			c = wd.pickCommunity(r)
		}
		if wd.slotOf(i, c) < 0 {
			wd.join(i, s, c, r, founder)
		}
	}
	// Last, so that every draw above is the same with or without a mix.
	switch {
	case len(mp.SocializationMix) > 0:
		wd.rate[i] = learnerRate(mp.SocializationMix, r.Float64())
	case mp.SocializationSpread > 0:
		wd.rate[i] = r.Beta(mp.Socialization, mp.SocializationSpread)
	}
}

// learnerRate returns the rate of the group of mix that u, a uniform draw
// in [0, 1), falls in: group g with probability its share. Shares that add
// up to a little less than 1 (rounding) give the remainder to the last
// group. An empty mix has no rate: it returns NaN.
func learnerRate(mix []scenarios.LearnerGroup, u float64) float64 {
	if len(mix) == 0 {
		return math.NaN()
	}
	for _, g := range mix {
		u -= g.Share
		if u < 0 {
			return g.Rate
		}
	}
	return mix[len(mix)-1].Rate
}

func (wd *World) join(i, s, c int, r *rng.Stream, founder bool) {
	j := i*maxMem + s
	wd.memC[j] = int16(c)
	support := wd.comms[c].eff[scenarios.LeverSupport]
	switch {
	case !wd.mp.LPP:
		wd.legit[j] = 1
	case founder:
		wd.legit[j] = r.Float64() * wd.sc.Population.InitialLegitimacy
	case support > 0 && r.Bernoulli(support):
		// A support team brings newcomers in at the periphery, not outside
		// it: each newcomer with probability the team's strength there.
		wd.legit[j] = wd.mp.Roles.Peripheral
	default:
		wd.legit[j] = 0
	}
	wd.ident[j] = wd.legit[j]
	wd.partEMA[j] = 0
	wd.joined[j] = int32(wd.eng.Tick())
	wd.toActive[j], wd.toCore[j] = -1, -1
	if founder {
		wd.joined[j] = -1
	}
}

// pickCommunity draws a community in proportion to its share.
func (wd *World) pickCommunity(r *rng.Stream) int {
	cs := wd.sc.Communities
	if len(cs) == 0 {
		return r.Intn(len(wd.comms))
	}
	total := 0.0
	for _, c := range cs {
		total += c.Share
	}
	if total <= 0 {
		return r.Intn(len(wd.comms))
	}
	u := r.Float64() * total
	for c, x := range cs {
		u -= x.Share
		if u < 0 {
			return c
		}
	}
	return len(cs) - 1
}

// slotOf returns i's membership slot in community c, or -1.
func (wd *World) slotOf(i, c int) int {
	base := i * maxMem
	for s := 0; s < maxMem; s++ {
		if int(wd.memC[base+s]) == c {
			return s
		}
	}
	return -1
}

// weakestSlot returns an empty membership slot of i, or the one with the
// lowest legitimacy.
func (wd *World) weakestSlot(i int) int {
	base, best := i*maxMem, 0
	for s := 0; s < maxMem; s++ {
		if wd.memC[base+s] < 0 {
			return s
		}
		if wd.legit[base+s] < wd.legit[base+best] {
			best = s
		}
	}
	return best
}

func (wd *World) String() string {
	return fmt.Sprintf("world(rep %d, tick %d, %d people, %d communities)", wd.eng.Rep(), wd.eng.Tick(), wd.n, len(wd.comms))
}

func (wd *World) beliefs(i int) (known, value []uint64) {
	return wd.known[i*wd.w : (i+1)*wd.w], wd.value[i*wd.w : (i+1)*wd.w]
}

func (wd *World) role(l float64) Role {
	r := &wd.mp.Roles
	return RoleOf(l, r.Peripheral, r.Active, r.Core)
}

// SetParameters replaces the scenario's parameters from the next tick on
// (the classroom page's sliders), keeping the world's schedule of
// interventions. Mechanisms read rates as they go, so a new rate acts at
// once; what is drawn when a person arrives (project load, further
// memberships) acts on newcomers. The sizes of the world (people,
// communities, dimensions, ...) must stay as they are. sc must be valid.
func (wd *World) SetParameters(sc scenarios.Scenario) error {
	sc.Interventions, sc.Changes = wd.sc.Interventions, wd.sc.Changes
	now, err := sizesOf(wd.sc)
	if err != nil {
		return err
	}
	z, err := sizesOf(&sc)
	if err != nil {
		return err
	}
	if z != now {
		return errors.New("agents: SetParameters cannot change the sizes of a world (people, communities, dimensions, encounters per tick)")
	}
	resolved, err := resolveInterventions(&sc, scenarios.KindNamed)
	if err != nil {
		return err
	}
	wd.sc, wd.ivs = &sc, resolved
	wd.mp = &wd.sc.Model
	wd.sched = nil // the phases depend on the parameters (turbulence)
	return nil
}
