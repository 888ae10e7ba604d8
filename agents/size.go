package agents

import (
	"fmt"
	"math"
	"math/bits"
	"unsafe"

	"github.com/copsim/copsim/internal/sat"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// The engine keeps some counters in narrow integers because they sit in the
// hot path (the lookup cache line, the encounter log). Validation bounds
// every size a user can set (scenarios/bounds.go); these constants fail to
// compile if a bound outgrows the type that holds it, and NewWorld checks
// the same at run time, so that a scenario which skipped validation is
// refused rather than wrapped.
const (
	// Community indices are int16 (memC, lookup.memC, encEntry.c).
	_ = uint(math.MaxInt16 - scenarios.MaxCommunities)
	// A person's encounters in one tick, at most Partners per membership
	// plus one across a boundary, are counted in a uint8 (encN).
	_ = uint(math.MaxUint8 - (scenarios.MaxPartners*maxMem + 1))
	// Performance in a domain, ActionScore within ±the number of
	// dimensions, is an int16 (perf, lookup.perf).
	_ = uint(math.MaxInt16 - scenarios.MaxDimensions)
	// People are int32 (partners, ties, coordinators), and so are ticks
	// (arrival, joining and career steps).
	_ = uint(math.MaxInt32 - scenarios.MaxPeople)
	_ = uint(math.MaxInt32 - scenarios.MaxTicks)
)

// mulInt returns a*b for non-negative a and b, and false when the product
// does not fit in an int (or an operand is negative).
func mulInt(a, b int) (int, bool) {
	if a < 0 || b < 0 {
		return 0, false
	}
	if a == 0 || b == 0 {
		return 0, true
	}
	if a > math.MaxInt/b {
		return 0, false
	}
	return a * b, true
}

// addInt returns a+b for non-negative a and b, and false when the sum does
// not fit in an int (or an operand is negative).
func addInt(a, b int) (int, bool) {
	if a < 0 || b < 0 || a > math.MaxInt-b {
		return 0, false
	}
	return a + b, true
}

// sizes are the lengths of everything a World allocates, computed once,
// with every product checked for overflow; NewWorld allocates from them and
// EstimateMemory prices them, so that the estimate follows the engine.
type sizes struct {
	n, C, m, w  int
	units       int
	words       int // n*w: one person's beliefs are w words
	memberships int // n*maxMem
	ties        int // n*maxTies
	encCap      int // encounters one person can make in a tick
	encounters  int // n*encCap
	chunks      int
	shards      int // measurement shards
	window      int // a community's participation history
	hist        int // ticks+1 (1 without LPP): newcomers' career histograms
	rates       int // n with a socialization mix or spread, else 0: people's own p1
}

// SizeError is a size of a scenario that the engine's types or the
// machine's address space cannot hold.
type SizeError struct {
	Field   string // as written in scenario files, e.g. "population.people"
	Problem string
}

func (e *SizeError) Error() string { return e.Field + ": " + e.Problem }

func sizeError(field string, format string, a ...any) error {
	return &SizeError{Field: field, Problem: fmt.Sprintf(format, a...)}
}

// sizesOf computes and checks the sizes of a World for sc. It repeats the
// checks of validation that the engine's memory safety depends on, so that
// a scenario built in code (or one that skipped validation) gets an error,
// not a wrapped size or a counter that silently overflows.
func sizesOf(sc *scenarios.Scenario) (sizes, error) {
	var z sizes
	p, mp := &sc.Population, &sc.Model
	z.n, z.C, z.m, z.units = p.People, p.Communities, mp.Dimensions, p.Units
	if len(mp.SocializationMix) > 0 || mp.SocializationSpread > 0 {
		z.rates = z.n
	}
	switch {
	case z.n < 1 || z.n > math.MaxInt32:
		return z, sizeError("population.people", "must be between 1 and %d (people are int32 indices), got %d", math.MaxInt32, z.n)
	case z.C < 1 || z.C > math.MaxInt16:
		return z, sizeError("population.communities", "must be between 1 and %d (communities are int16 indices), got %d", math.MaxInt16, z.C)
	case z.units < 1 || z.units > math.MaxInt32:
		return z, sizeError("population.units", "must be between 1 and %d (units are int32), got %d", math.MaxInt32, z.units)
	case z.m < 1 || z.m > scenarios.MaxDimensions:
		return z, sizeError("model.dimensions", "must be between 1 and %d, got %d", scenarios.MaxDimensions, z.m)
	case sc.Ticks < 0 || sc.Ticks > math.MaxInt32-1:
		return z, sizeError("ticks", "must be between 0 and %d (ticks are int32), got %d", math.MaxInt32-1, sc.Ticks)
	case mp.Encounter.Partners < 0:
		return z, sizeError("model.encounter.partners", "must be at least 0, got %d", mp.Encounter.Partners)
	case mp.Management.SeedExperts < 0:
		return z, sizeError("model.management.seed_experts", "must be at least 0, got %d", mp.Management.SeedExperts)
	}
	// A person's encounters in a tick: Partners per membership plus one
	// across a boundary, counted in a uint8 (encN).
	perMem, ok := mulInt(mp.Encounter.Partners, maxMem)
	if ok {
		z.encCap, ok = addInt(perMem, 1)
	}
	if !ok || z.encCap > math.MaxUint8 {
		return z, sizeError("model.encounter.partners", "must be at most %d (a person's encounters in a tick, %d per membership plus one, are counted in a byte), got %d",
			(math.MaxUint8-1)/maxMem, maxMem, mp.Encounter.Partners)
	}
	z.w = Words(z.m)
	z.window = max(1, mp.Stage.Window)
	// Careers are recorded only where legitimacy moves (advanceCareer, in
	// the legitimacy phase), and no career step takes longer than the run.
	z.hist = 1
	if mp.LPP {
		z.hist = sc.Ticks + 1
	}
	z.chunks = (z.n + sim.ChunkSize - 1) / sim.ChunkSize
	z.shards = (z.n + measureShard - 1) / measureShard
	// With n < 2^31 and the factors below at most a few hundred, these
	// cannot overflow a 64-bit int; they are checked all the same, so that
	// the class of bug is closed for 32-bit platforms and later changes.
	for _, x := range []struct {
		dst  *int
		a, b int
		what string
	}{
		{&z.words, z.n, z.w, "population.people × words of beliefs"},
		{&z.memberships, z.n, maxMem, "population.people × memberships"},
		{&z.ties, z.n, maxTies, "population.people × ties"},
		{&z.encounters, z.n, z.encCap, "population.people × encounters per tick"},
	} {
		if *x.dst, ok = mulInt(x.a, x.b); !ok {
			return z, sizeError("population.people", "%s (%d × %d) does not fit in memory", x.what, x.a, x.b)
		}
	}
	if _, ok := mulInt(z.C, z.window); !ok {
		return z, sizeError("model.stage.window", "communities × window (%d × %d) does not fit in memory", z.C, z.window)
	}
	return z, nil
}

// worldBytes is what a World for sizes z with the given (already clamped)
// number of workers holds, item by item as newWorld allocates it: at its
// largest when largest is set (the buffers that grow as a run needs them,
// this tick's participant lists and the encounter logs, at their most),
// else as newWorld builds it.
func worldBytes(z sizes, workers int, largest bool) int64 {
	n, w, C, m := int64(z.n), int64(z.w), int64(z.C), int64(z.m)
	mem, ties := int64(z.memberships), int64(z.ties)
	// this tick's participants: about one per person at first, at most
	// every membership; encounters: about one per person at first, at
	// most encCap each
	parts, enc := min(mem, n), n
	if largest {
		parts, enc = mem, int64(z.encounters)
	}
	perCommunity := sat.Add(
		int64(unsafe.Sizeof(community{})),
		8*3*w,                          // domain, codeKnown, codeValue
		8*2*m,                          // votes
		8*int64(z.window),              // partHistory
		8+8+8*2+int64(workers)*(3*4+8), // partOff, newcomers, bestLeg, slotAcc counts
	)
	acc := sat.Add(
		sat.Mul(sat.Mul(int64(workers)+1, C+1), int64(unsafe.Sizeof(commAcc{}))+2*4*m), // measurement's counts per worker slot, and totals
		sat.Mul(sat.Mul(int64(z.shards), C+1), int64(unsafe.Sizeof(commSums{}))),       // its sums per shard
	)
	return sat.Add(
		sat.Mul(n*w, 5*8), // known, value, their snapshots, act
		sat.Mul(n, 4+8+8+8+4+8+4+1+int64(unsafe.Sizeof(lookup{}))), // per person
		// per membership: memC, memMet, legit, ident, partEMA, part, mand,
		// own, perf, joined, toActive, toCore
		sat.Mul(mem, 2+2+8+8+8+1+1+4+2+4+4+4),
		sat.Mul(parts, 4+1+8+4), // this tick's participants, with the guide table
		sat.Mul(ties, 4+4+4),
		sat.Mul(enc, int64(unsafe.Sizeof(encEntry{}))),           // the encounter logs' entries
		sat.Mul(int64(z.chunks), int64(unsafe.Sizeof(encLog{}))), // and their heads
		sat.Mul(int64(z.hist), 2*8),
		sat.Mul(int64(z.rates), 8),
		sat.Mul(C, perCommunity),
		acc,
		8*4*w, // reality, masks, management's view
		sat.Add(sat.Mul(int64(2*bits.Len(uint(z.n))), 8*w), 4*m), // the March fast path's counters, if it runs
	)
}

// RowsMemory is about how many bytes the rows of a Run of sc take when all
// are kept (sim.Options.Rows unset).
func RowsMemory(sc scenarios.Scenario) (int64, error) {
	md, err := New(sc)
	if err != nil {
		return 0, err
	}
	return md.Plan().RowsMemory(), nil
}

// EstimateMemory is about how many bytes Run(sc, Options{Workers: workers,
// Rows: ...}) holds at its peak: the worlds of the replications that run at
// once, the rows it keeps for figures (see sim.Options.Rows) and the
// summaries. Add RowsMemory when the rows are not streamed. It is computed
// from the sizes newWorld allocates, so a caller can refuse a run that
// would not fit before starting it; it returns New's error for sizes the
// engine cannot hold. Go's heap can take up to about twice the live bytes
// (GOGC), which the estimate does not include.
func EstimateMemory(sc scenarios.Scenario, workers int) (int64, error) {
	md, err := New(sc)
	if err != nil {
		return 0, err
	}
	outer, inner := sim.Split(workers, sc.Replications)
	inner = min(inner, max(md.z.chunks, md.z.C))
	worlds := sat.Mul(int64(outer), worldBytes(md.z, inner, true))
	return sat.Add(worlds, md.Plan().ResultMemory(outer)), nil
}
