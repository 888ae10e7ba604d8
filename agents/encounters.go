package agents

import (
	"slices"
	"unsafe"

	"github.com/copsim/copsim/rng"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// snapshot copies everyone's beliefs before a phase in which people learn
// from each other, so that what a partner teaches does not depend on
// whether the partner's own chunk has run yet.
func (wd *World) snapshot() {
	w, snap := wd.w, wd.snap
	if w == 1 {
		for i, k := range wd.known {
			snap[2*i], snap[2*i+1] = k, wd.value[i]
		}
		return
	}
	for i := 0; i < wd.n; i++ {
		copy(snap[2*w*i:], wd.known[w*i:w*(i+1)])
		copy(snap[2*w*i+w:], wd.value[w*i:w*(i+1)])
	}
}

// snapOf returns person p's beliefs in the snapshot.
func (wd *World) snapOf(p int) (known, value []uint64) {
	w := wd.w
	return wd.snap[2*w*p : 2*w*p+w], wd.snap[2*w*p+w : 2*w*(p+1)]
}

// tieSet is one person's ties toward this tick's participants of one
// community, weighted by visibility: read once per membership and tick, so
// that the k draws of a tick share it.
type tieSet struct {
	to     [maxTies]int32
	slot   [maxTies]uint8
	weight [maxTies]float64
	n      int
	sum    float64
	// live has bit t set when tie slot t is live (its partner is still
	// the person it was made with), toward c or not: for strengthenTie
	live uint8
}

func (wd *World) tiesToward(i, c int, ts *tieSet) {
	ts.n, ts.sum, ts.live = 0, 0, 0
	for t := i * maxTies; t < (i+1)*maxTies; t++ {
		to := wd.tieTo[t]
		if to < 0 {
			continue
		}
		lk := &wd.look[to]
		if wd.tieGen[t] != lk.arrived {
			continue
		}
		ts.live |= 1 << (t - i*maxTies)
		s := lk.slotOf(c)
		if s < 0 || lk.part&(1<<s) == 0 {
			continue
		}
		w := float64(wd.tieW[t]) * wd.visibility(lk.legit[s])
		ts.to[ts.n], ts.slot[ts.n], ts.weight[ts.n] = to, uint8(s), w
		ts.sum += w
		ts.n++
	}
}

// pickPartner draws a partner for person i among community c's
// participants with weight (tie + epsilon) x visibility (docs/model.md,
// encounters), ties as they stood at the start of the tick. It returns the
// partner and their membership slot, or -1.
func (wd *World) pickPartner(i, c int, ts *tieSet, r *rng.Stream) (int, int) {
	cm := &wd.comms[c]
	np := len(cm.partPerson)
	if np == 0 || np == 1 && int(cm.partPerson[0]) == i {
		return -1, -1
	}
	eps := wd.mp.Encounter.Epsilon
	vTotal := cm.visCum[np-1]
	tieSum := ts.sum
	for tries := 0; tries < 4; tries++ {
		total := tieSum + eps*vTotal
		if total <= 0 {
			total, tieSum, eps = vTotal, 0, 1
		}
		u := r.Float64() * total
		if u < tieSum {
			for k := 0; k < ts.n; k++ {
				if u < ts.weight[k] {
					return int(ts.to[k]), int(ts.slot[k])
				}
				u -= ts.weight[k]
			}
			continue
		}
		x := (u - tieSum) / eps
		k := cm.searchVis(x)
		if k < np && cm.visCum[k] == x {
			k++
		}
		if k >= np {
			k = np - 1
		}
		if j := int(cm.partPerson[k]); j != i {
			return j, int(cm.partSlot[k])
		}
	}
	return -1, -1
}

// strengthenTie makes or strengthens i's tie to j, faster when the two
// work in the same formal unit.
func (wd *World) strengthenTie(i, j int) {
	live := wd.liveTieSlots(i)
	wd.strengthenLive(i, j, &live)
}

// liveTieSlots returns i's live tie slots as tieSet.live has them.
func (wd *World) liveTieSlots(i int) uint8 {
	var live uint8
	for t := 0; t < maxTies; t++ {
		if to := wd.tieTo[i*maxTies+t]; to >= 0 && wd.tieGen[i*maxTies+t] == wd.look[to].arrived {
			live |= 1 << t
		}
	}
	return live
}

// strengthenLive is strengthenTie with i's live tie slots known (live,
// which it keeps up to date): encounters know them from tiesToward, so
// that a tie is not checked against its partner's lookup line again.
func (wd *World) strengthenLive(i, j int, live *uint8) {
	base := i * maxTies
	gain := float32(wd.mp.Encounter.TieGain)
	if wd.look[i].unit == wd.look[j].unit {
		gain = float32(wd.mp.Encounter.UnitTieGain)
	}
	weakest, free := -1, -1
	for t := 0; t < maxTies; t++ {
		if *live&(1<<t) == 0 {
			if free < 0 {
				free = t
			}
			continue
		}
		if int(wd.tieTo[base+t]) == j {
			wd.tieW[base+t] += gain * (1 - wd.tieW[base+t])
			return
		}
		if weakest < 0 || wd.tieW[base+t] < wd.tieW[base+weakest] {
			weakest = t
		}
	}
	slot := free
	if slot < 0 {
		if wd.tieW[base+weakest] >= gain {
			return
		}
		slot = weakest
	}
	wd.tieTo[base+slot], wd.tieW[base+slot], wd.tieGen[base+slot] = int32(j), gain, wd.look[j].arrived
	*live |= 1 << slot
}

// record adds an encounter that i sought to the log of i's chunk (see
// encLog); at most encCap a tick are kept.
func (wd *World) record(i, partner, c int, boundary bool) {
	if int(wd.encN[i]) >= wd.encCap {
		return
	}
	wd.encN[i]++
	ch := i / sim.ChunkSize
	who := uint16(i % sim.ChunkSize)
	if boundary {
		who |= encBoundary
	}
	lg := &wd.encLog[ch]
	if len(lg.e) == cap(lg.e) {
		wd.growEncLog(ch)
	}
	lg.e = append(lg.e, encEntry{to: int32(partner), c: int16(c), who: who})
}

// learnRate is the chance per dimension that a learner of legitimacy
// mine adopts the belief of a partner of legitimacy theirs: newcomers learn
// from old-timers at p_lpp, the core from the periphery at p_rev.
func (wd *World) learnRate(mine, theirs float64, myPerf, theirPerf int32) float64 {
	lp := &wd.mp.Learning
	if lp.RequireBetter && theirPerf <= myPerf {
		return 0
	}
	if wd.mp.LPP && theirs <= mine {
		return lp.FromPeriphery
	}
	return lp.FromCentral
}

// encounter is phase 3: each participant meets k partners among the
// community's participants (each, with model.encounter.cross_group,
// perhaps in another community) and learns from them, reading their
// beliefs from the snapshot taken before the phase: from each partner in
// turn, or, under the majority rule, from the majority view of the
// partners who perform better.
//
// Partners are scattered in memory, and each is known only once the draws
// before it are made: one person's encounters wait on one memory access
// after another. So encounter keeps encInFlight participants' encounters
// in progress at once and takes a step of each in turn: a step learns from
// the partner drawn at the last step, whose lines were asked for then, and
// draws the next partner, asking for its lines; a participant's tie
// partners' lines are asked for when the participant is taken up. The
// waits of one overlap the work of the others. Each person draws from their
// own stream, writes only their own state and reads only the snapshot and
// the lookup lines, which nobody writes in this phase: every draw is the
// same, in the same order, as one person after another.
func (wd *World) encounter(_, lo, hi int) {
	var flight [encInFlight]personEncounters
	next := wd.nextParticipant(lo, hi)
	busy := 0
	for k := range flight {
		flight[k].i = -1
		if next < hi {
			wd.takeUp(next, &flight[k])
			next = wd.nextParticipant(next+1, hi)
			busy++
		}
	}
	for busy > 0 {
		for k := range flight {
			pe := &flight[k]
			if pe.i < 0 || wd.stepEncounters(pe) {
				continue
			}
			if next < hi {
				wd.takeUp(next, pe)
				next = wd.nextParticipant(next+1, hi)
			} else {
				pe.i = -1
				busy--
			}
		}
	}
}

// encInFlight is how many participants' encounters encounter interleaves:
// enough that a partner's lines arrive while the others take their steps.
const encInFlight = 4

// personEncounters is one participant's encounters in progress: where
// they stand in the order of their draws, so that encounter can leave them
// while a partner's lines come from memory and take them up again.
type personEncounters struct {
	i     int // the participant; -1 for none
	r     rng.Stream
	kn, v []uint64 // their beliefs
	s     int      // membership slot in progress; -1 before the first
	c     int      // its community
	e     int      // partners drawn in slot s
	ts    tieSet   // ties toward c
	other tieSet   // ties toward another community (cross-group links)
	live  uint8    // i's live tie slots (tieSet.live), kept up to date
	// the partner drawn and not yet learnt from (pj >= 0): in community
	// pc, membership slot ps
	pj, ps, pc int
	better     [scenarios.MaxPartners]int32 // majority rule: the better partners of slot s
	nb         int
}

// nextParticipant returns the first person from i on, below hi, who takes
// part in some community this tick, or hi.
func (wd *World) nextParticipant(i, hi int) int {
	for ; i < hi; i++ {
		if wd.takesPart(i) {
			return i
		}
	}
	return hi
}

// takeUp starts participant i's encounters in pe, asking for the lookup
// lines of their tie partners, which their first step reads.
func (wd *World) takeUp(i int, pe *personEncounters) {
	pe.i, pe.r = i, wd.eng.Stream(i, purposeEncounter)
	pe.kn, pe.v = wd.beliefs(i)
	pe.s, pe.pj, pe.nb = -1, -1, 0
	prefetchTies(&wd.look[0], (*[maxTies]int32)(wd.tieTo[i*maxTies:]))
}

// stepEncounters takes one step of pe's encounters: it learns from the
// partner drawn at the last step, then draws partners, moving on to the
// next community where the participant takes part when one is done, until
// one is found, whose lines it asks for. It reports whether a partner is
// waiting: false when the participant's encounters are over.
func (wd *World) stepEncounters(pe *personEncounters) bool {
	if pe.pj >= 0 {
		wd.meet(pe)
		pe.pj = -1
	}
	k := wd.mp.Encounter.Partners
	cross := wd.mp.Encounter.CrossGroup
	i := pe.i
	for {
		if pe.s < 0 || pe.e == k {
			if pe.nb > 0 {
				cm := &wd.comms[pe.c]
				_, gained := adoptMajority(pe.kn, pe.v, wd.snap, wd.snap[wd.w:], 2*wd.w, pe.better[:pe.nb], cm.domain, wd.reality, wd.mp.Learning.FromCentral, &pe.r)
				wd.learned[i] += int32(gained)
			}
			pe.s++
			for pe.s < maxMem && !wd.part[i*maxMem+pe.s] {
				pe.s++
			}
			if pe.s == maxMem {
				return false
			}
			pe.c, pe.e, pe.nb = int(wd.memC[i*maxMem+pe.s]), 0, 0
			wd.tiesToward(i, pe.c, &pe.ts)
			pe.live = pe.ts.live
			continue
		}
		pe.e++
		c, pc := pe.c, pe.c
		// The draw is made only when cross-group links are on, so that
		// without them the streams are unchanged.
		if cross > 0 && pe.r.Float64() < cross {
			pc = wd.otherCommunity(c, &pe.r)
		}
		var pj, ps int
		if pc == c {
			pj, ps = wd.pickPartner(i, c, &pe.ts, &pe.r)
		} else {
			wd.tiesToward(i, pc, &pe.other)
			pe.live = pe.other.live
			pj, ps = wd.pickPartner(i, pc, &pe.other, &pe.r)
		}
		if wd.students != nil { // a student's approach (steer.go)
			pc, pj, ps = wd.steerPartner(i, c, pc, pj, ps, &pe.ts, &pe.r)
		}
		if pj < 0 {
			continue
		}
		pe.pj, pe.ps, pe.pc = pj, ps, pc
		prefetch(unsafe.Pointer(&wd.look[pj]))
		prefetch(unsafe.Pointer(&wd.snap[2*wd.w*pj]))
		return true
	}
}

// meet is pe's encounter with the partner drawn at its last step: learning
// from them (or, under the majority rule, counting them among the better),
// the tie between the two, and the record of the encounter.
func (wd *World) meet(pe *personEncounters) {
	i, pj, ps := pe.i, pe.pj, pe.ps
	j := i*maxMem + pe.s
	lk := &wd.look[pj]
	if wd.mp.Learning.Rule == scenarios.RuleMajority {
		if lk.perf[ps] > wd.perf[j] && wd.shares(pj) && !slices.Contains(pe.better[:pe.nb], int32(pj)) {
			pe.better[pe.nb] = int32(pj)
			pe.nb++
		}
	} else {
		p := wd.learnRate(wd.legit[j], lk.legit[ps], int32(wd.perf[j]), int32(lk.perf[ps]))
		if !wd.shares(pj) {
			p = 0 // the draws are made all the same
		}
		sk, sv := wd.snapOf(pj)
		_, gained := Adopt(pe.kn, pe.v, sk, sv, wd.comms[pe.c].domain, wd.reality, p, &pe.r)
		wd.learned[i] += int32(gained)
	}
	wd.strengthenLive(i, pj, &pe.live)
	wd.record(i, pj, pe.pc, pe.pc != pe.c)
}

// prefetchTiesOf asks for the lookup lines of person i's tie partners,
// when i takes part somewhere this tick (only participants read them).
func (wd *World) prefetchTiesOf(i int) {
	if i < wd.n && wd.takesPart(i) {
		prefetchTies(&wd.look[0], (*[maxTies]int32)(wd.tieTo[i*maxTies:]))
	}
}

// otherCommunity draws, uniformly, a community other than c that has
// participants this tick (up to 4 tries), or returns c if there is none.
func (wd *World) otherCommunity(c int, r *rng.Stream) int {
	C := len(wd.comms)
	if C < 2 {
		return c
	}
	for tries := 0; tries < 4; tries++ {
		o := r.Intn(C - 1)
		if o >= c {
			o++
		}
		if len(wd.comms[o].partPerson) > 0 {
			return o
		}
	}
	return c
}

// decayTies weakens every tie by model.encounter.tie_decay a tick and
// drops those that fall below tieFloor.
func (wd *World) decayTies(_, lo, hi int) {
	keep := float32(1 - wd.mp.Encounter.TieDecay)
	for t := lo * maxTies; t < hi*maxTies; t++ {
		if wd.tieTo[t] < 0 {
			continue
		}
		wd.tieW[t] *= keep
		if wd.tieW[t] < tieFloor {
			wd.tieTo[t], wd.tieW[t] = -1, 0
		}
	}
}
