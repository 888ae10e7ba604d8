package agents

import (
	"math"
	"math/bits"

	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/rng"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// The March fast path. A scenario that is March's (1991) model and
// nothing more (marchOnly) runs on kernels of its own: one pass over each
// chunk of people does engagement, socialization and the participation
// record; code learning counts the superior group's votes on bit-sliced
// counters; measurement counts beliefs on bit-sliced counters instead of
// bit by bit. Beliefs stay the World's bit planes (one word per 64
// dimensions for known and value, agreement by XOR and popcount), so the
// general engine's measurement, summary and network read the same state.
//
// Every random number is drawn from the stream, and in the order, the
// general engine draws it, so the outputs are byte-identical
// (TestMarchFastPathMatchesGeneral); that is why socialization and code
// learning still draw one number per dimension that may change: the
// streams of the general engine give one to each such dimension, in
// dimension order, and a bit-sliced mask of draws would be other numbers.
// What the fast path saves is everything March's configuration switches
// off: the per-membership loops, the participants' lists, the partners'
// lookup, the phases that do nothing, the bit-by-bit counts.

// marchOnly reports whether sc is March's configuration, which the fast
// path runs: one community, about every dimension; legitimate peripheral
// participation, networks, boundaries and motivation switched off; no
// interventions and no parameter changes during the run (the fast path's
// kernels hold rates taken at the start); no learning from one's own
// practice. Turnover,
// turbulence, people's own rates (the socialization mix or spread),
// stopping at equilibrium and every size may be anything.
func marchOnly(sc *scenarios.Scenario) bool {
	mp := &sc.Model
	from, to := sc.DomainOf(0)
	return sc.Population.Communities == 1 && from == 0 && to == mp.Dimensions &&
		!mp.LPP && !mp.Network && !mp.Boundaries && !mp.Motivation &&
		len(sc.Interventions) == 0 && len(sc.Changes) == 0 && mp.Learning.Exploration == 0
}

// marchKernel is what the fast path computes once per model.
type marchKernel struct {
	// codeThreshold[k] is code learning's chance 1-(1-p2)^k with a
	// majority of k votes, as a threshold on a draw's 53 bits (see
	// threshold53).
	codeThreshold []uint64
}

func newMarchKernel(sc *scenarios.Scenario) *marchKernel {
	p2 := sc.Model.CodeLearning
	k := &marchKernel{codeThreshold: make([]uint64, sc.Population.People+1)}
	for v := range k.codeThreshold {
		// As LearnCode computes it, so that the chance is the same float.
		k.codeThreshold[v] = threshold53(1 - math.Pow(1-p2, math.Abs(float64(v))))
	}
	return k
}

// threshold53 returns t such that, for a draw u of rng.Stream.Uint64,
// Float64() < p exactly when u>>11 < t: Float64 is (u>>11)·2⁻⁵³, exact,
// and p·2⁵³ is exact too, so the comparison moves to integers.
func threshold53(p float64) uint64 {
	switch {
	case p <= 0 || math.IsNaN(p):
		return 0
	case p >= 1:
		return 1 << 53
	}
	return uint64(math.Ceil(p * (1 << 53)))
}

// marchRep is a replication of March's configuration on the fast path: the
// World, with March's phases and measurement.
type marchRep struct {
	*World
	k *marchKernel
	// planes are two sets of bit-sliced counters, planeBits planes of w
	// words each: bit d of plane b is bit b of dimension d's count
	planes    []uint64
	planeBits int
	votes     []int32 // code learning's plus votes per dimension
	// endOnly: measured only at tick 0 and the end (RunSummaries); track
	// keeps what the summary reads of the ticks in between
	endOnly bool
}

func newMarchRep(wd *World, k *marchKernel) *marchRep {
	mr := wd.march
	if mr == nil {
		mr = &marchRep{}
		wd.march = mr
	}
	nb := bits.Len(uint(wd.n)) // counts up to n: the votes, a shard's beliefs
	*mr = marchRep{World: wd, k: k, planes: zeroed(mr.planes, 2*nb*wd.w), planeBits: nb, votes: zeroed(mr.votes, wd.m)}
	return mr
}

// Phases is March's tick: the phases of World.Phases that March's
// configuration keeps, fused where they read nothing of each other.
func (mr *marchRep) Phases() []sim.Phase {
	wd := mr.World
	mp := wd.mp
	var ps []sim.Phase
	if mp.Turbulence > 0 {
		ps = append(ps, sim.Phase{Name: "turbulence", Before: wd.turbulence})
	}
	ps = append(ps,
		sim.Phase{Name: "March: engagement, socialization, participation record", Before: wd.clearLive, People: mr.practice, After: wd.countLive},
		sim.Phase{Name: "March: repertoire", Before: mr.learnCode})
	// Without turnover the phase changes nothing: no draw (Bernoulli(0)),
	// no one joins another community without boundary activity, and the
	// memberships it keeps for the E-I index do not change.
	if mp.Turnover > 0 {
		ps = append(ps, sim.Phase{Name: "turnover", Before: wd.clearNewcomers, People: wd.turnover, After: wd.countNewcomers})
	}
	if mp.StopAtEquilibrium && mp.Turnover == 0 && mp.Turbulence == 0 {
		ps = append(ps, sim.Phase{Name: "equilibrium", Before: wd.checkEquilibrium})
	}
	if mr.endOnly {
		ps = append(ps, sim.Phase{Name: "March: what the summary reads of an unmeasured tick", Before: mr.track})
	}
	return ps
}

// track does, at a tick that Run would measure and RunSummaries does not,
// what Measure does there for the summary: the peak of the members' mean
// knowledge (knowledge_vs_peak) and the member-weeks (imported_knowledge;
// nothing is imported without boundaries). It runs last in the tick, when
// Done is known: the last tick is measured anyway.
func (mr *marchRep) track() {
	wd := mr.World
	t := wd.eng.Tick()
	if t%max(1, wd.sc.Output.MeasureEvery) != 0 || t == wd.sc.Ticks || wd.Done() {
		return
	}
	// The members' knowledge summed as measurement sums it: per shard in
	// person order, then the shards in order.
	total, members := 0.0, 0
	for sh := range wd.macc {
		lo := sh * measureShard
		hi := min(lo+measureShard, wd.n)
		sum := 0.0
		for i := lo; i < hi; i++ {
			best := Outsider
			for s := 0; s < maxMem; s++ {
				if j := i*maxMem + s; wd.memC[j] >= 0 {
					best = max(best, wd.role(wd.legit[j]))
				}
			}
			if best == Outsider {
				continue
			}
			kn, v := wd.beliefs(i)
			right, _ := Tally(kn, v, wd.reality, wd.all)
			sum += float64(right) / float64(wd.m)
			members++
		}
		total += sum
	}
	if k := mean(total, members); k > wd.peakKnow {
		wd.peakKnow = k
	}
	wd.meas.memberWeeks += int64(members)
}

// practice is, for people lo..hi-1, what engage, learn and
// recordParticipation do under March's configuration: everyone acts (coin
// flips for zero beliefs, a word at a time) and takes part in every
// community they belong to; then they move toward the code (p1); then
// their participation record moves.
func (mr *marchRep) practice(slot, lo, hi int) {
	wd := mr.World
	mp := wd.mp
	a := &wd.acc[slot]
	alpha := 1 / float64(max(1, mp.Stage.Window))
	cm := &wd.comms[0]
	for i := lo; i < hi; i++ {
		k, v := wd.beliefs(i)
		act := wd.act[i*wd.w : (i+1)*wd.w]
		r := wd.eng.Stream(i, purposeEngage)
		Act(act, k, v, &r)
		perf := int16(ActionScore(act, wd.reality, wd.all))
		member := false
		for s := 0; s < maxMem; s++ {
			j := i*maxMem + s
			wd.mand[j], wd.own[j] = false, 0
			c := int(wd.memC[j])
			if c < 0 {
				wd.part[j] = false
				continue
			}
			member = true
			// Without motivation everyone takes part: Bernoulli(1),
			// which draws nothing.
			wd.part[j], wd.own[j], wd.perf[j] = true, 1, perf
			role := wd.role(wd.legit[j])
			if role >= Peripheral {
				a.liveMembers[c]++
				a.liveParticipants[c]++
				if role == Core {
					a.liveCore[c]++
					a.liveCoreParticipants[c]++
				}
			}
			wd.partEMA[j] += alpha * (1 - wd.partEMA[j])
		}
		if !member {
			continue
		}
		p1 := mp.Socialization
		if wd.rate != nil {
			p1 = wd.rate[i]
		}
		rl := wd.eng.Stream(i, purposeLearn)
		socialize(k, v, cm.codeKnown, cm.codeValue, wd.all, p1, &rl)
	}
}

// socialize is Socialize with its draws compared as integers (see
// threshold53): the same draws, the same beliefs.
func socialize(known, value, codeKnown, codeValue, domain []uint64, p float64, r *rng.Stream) {
	if p <= 0 {
		return
	}
	t := threshold53(p)
	for w := range domain {
		differ := codeKnown[w] & domain[w] & (^known[w] | (value[w] ^ codeValue[w]))
		for differ != 0 {
			b := differ & -differ
			differ ^= b
			if r.Uint64()>>11 < t {
				if known[w]&b != 0 {
					known[w] &^= b
				} else {
					known[w] |= b
					value[w] = value[w]&^b | codeValue[w]&b
				}
			}
		}
	}
}

// learnCode is learnCode for March's one community: the superior group
// is everyone taking part who acted better than the code scores, each with
// one vote (no legitimacy weights without LPP), counted on bit-sliced
// counters; the code then takes each dimension's majority as LearnCode
// does, with the same draws.
func (mr *marchRep) learnCode() {
	wd := mr.World
	cm := &wd.comms[0]
	r := rng.Derive(wd.eng.Seed(), wd.eng.Rep(), uint64(wd.n), uint64(wd.eng.Tick()), purposeCode)
	cm.codeScore = Score(cm.codeKnown, cm.codeValue, wd.reality, wd.all)
	w := wd.w
	plus := mr.planes[:mr.planeBits*w]
	clear(plus)
	superior := 0
	for i := 0; i < wd.n; i++ {
		j := i * maxMem // March's one community is everyone's first
		if wd.memC[j] != 0 || !wd.part[j] || int(wd.perf[j]) <= cm.codeScore {
			continue
		}
		addPlane(plus, mr.planeBits, w, wd.act[i*w:(i+1)*w], wd.all)
		superior++
	}
	if superior > 0 {
		votes := mr.votes
		clear(votes)
		planeCounts(votes, plus, mr.planeBits, w)
		for x := 0; x < w; x++ {
			for dm := wd.all[x]; dm != 0; dm &= dm - 1 {
				b := dm & -dm
				p := int(votes[x*64+bits.TrailingZeros64(b)])
				mr.codeVote(cm, x, b, p, superior-p, &r)
			}
		}
	}
	cm.codeScore = Score(cm.codeKnown, cm.codeValue, wd.reality, wd.all)
}

// codeVote is LearnCode on one dimension (bit b of word x) with plus and
// minus votes.
func (mr *marchRep) codeVote(cm *community, x int, b uint64, plus, minus int, r *rng.Stream) {
	if plus == minus {
		return
	}
	majPlus := plus > minus
	if cm.codeKnown[x]&b != 0 && (cm.codeValue[x]&b != 0) == majPlus {
		return
	}
	k := plus - minus
	if k < 0 {
		k = -k
	}
	if r.Uint64()>>11 < mr.k.codeThreshold[k] {
		cm.codeKnown[x] |= b
		if majPlus {
			cm.codeValue[x] |= b
		} else {
			cm.codeValue[x] &^= b
		}
	}
}

// addPlane adds the bits of set within mask, word by word, to the
// bit-sliced counters planes (nb planes of w words): a ripple-carry add
// of one bit to 64 counters at once.
func addPlane(planes []uint64, nb, w int, set, mask []uint64) {
	for x := 0; x < w; x++ {
		carry := set[x] & mask[x]
		for b := 0; b < nb && carry != 0; b++ {
			at := b*w + x
			t := planes[at] & carry
			planes[at] ^= carry
			carry = t
		}
	}
}

// planeCounts adds to counts[d] the count of dimension d held in the
// bit-sliced counters planes (nb planes of w words), a set bit at a time.
func planeCounts(counts []int32, planes []uint64, nb, w int) {
	for b := 0; b < nb; b++ {
		for x := 0; x < w; x++ {
			for set := planes[b*w+x]; set != 0; set &= set - 1 {
				counts[x*64+bits.TrailingZeros64(set)] += 1 << b
			}
		}
	}
}

// Measure is World.Measure with March's accumulation (marchAccumulate).
func (mr *marchRep) Measure() []measure.Row {
	mr.marchAccumulate()
	return mr.World.measureRows()
}

// marchAccumulate fills the measurement shards as measureChunk does for
// March's configuration, in which no one has ties, encounters or imports:
// the same sums in the same order, the beliefs counted on bit-sliced
// counters.
func (mr *marchRep) marchAccumulate() {
	wd := mr.World
	ms := &wd.meas
	clear(ms.affil)
	clear(ms.multi)
	for i := 0; i < wd.n; i++ {
		if wd.memC[i*maxMem] >= 0 {
			ms.affil[wd.memC[i*maxMem]]++
		}
	}
	w, m := wd.w, wd.m
	nb := mr.planeBits
	// A shard at a time, in a worker slot's accumulators, added to
	// World.tot in shard order; with one shard its sums are the totals
	// (0 + x is x), so they go straight into World.tot.
	one := len(wd.macc) == 1
	tot := wd.tot
	for c := range tot {
		tot[c].reset()
	}
	for sh := range wd.macc {
		lo := sh * measureShard
		hi := min(lo+measureShard, wd.n)
		acc := wd.mcount[0]
		if one {
			acc = tot
		}
		for c := range acc {
			acc[c].reset()
		}
		ca, org := &acc[0], &acc[1]
		plus, minus := mr.planes[:nb*w], mr.planes[nb*w:2*nb*w]
		clear(plus)
		clear(minus)
		for i := lo; i < hi; i++ {
			kn, v := wd.beliefs(i)
			right, _ := Tally(kn, v, wd.reality, wd.all)
			know := float64(right) / float64(m)
			motiv := wd.motiv[i]
			best, took, ema, ident := Outsider, false, 0.0, 0.0
			vol := false
			for s := 0; s < maxMem; s++ {
				j := i*maxMem + s
				if wd.memC[j] < 0 {
					continue
				}
				role := wd.role(wd.legit[j])
				ca.affiliated++
				ca.motivAll += motiv
				if role == Outsider {
					ca.outsiders++
					continue
				}
				best = max(best, role)
				took = took || wd.part[j]
				ema = math.Max(ema, wd.partEMA[j])
				ident = math.Max(ident, wd.ident[j])
				ca.addMember(role, know, motiv, wd.ident[j], wd.part[j], wd.partEMA[j])
				ca.addTaking(wd.part[j], wd.part[j] && !wd.mand[j])
				vol = vol || (wd.part[j] && !wd.mand[j])
			}
			org.affiliated++
			org.motivAll += motiv
			if best == Outsider {
				org.outsiders++
				continue
			}
			org.addMember(best, know, motiv, ident, took, ema)
			org.addTaking(took, vol)
			// A member of the one community, about every dimension: their
			// beliefs count for it and for the organization alike.
			for x := 0; x < w; x++ {
				k := kn[x] & wd.all[x]
				addBit(plus, nb, w, x, k&v[x])
				addBit(minus, nb, w, x, k&^v[x])
			}
		}
		planeCounts(ca.plus, plus, nb, w)
		planeCounts(ca.minus, minus, nb, w)
		copy(org.plus, ca.plus)
		copy(org.minus, ca.minus)
		if !one {
			for c := range tot {
				tot[c].merge(&acc[c])
			}
		}
	}
}

// addBit adds one word of bits to the counters of word x.
func addBit(planes []uint64, nb, w, x int, carry uint64) {
	for b := 0; b < nb && carry != 0; b++ {
		at := b*w + x
		t := planes[at] & carry
		planes[at] ^= carry
		carry = t
	}
}
