package agents

import (
	"slices"
	"sort"
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
}

func (wd *World) tiesToward(i, c int, ts *tieSet) {
	ts.n, ts.sum = 0, 0
	for t := i * maxTies; t < (i+1)*maxTies; t++ {
		to := wd.tieTo[t]
		if to < 0 {
			continue
		}
		lk := &wd.look[to]
		if wd.tieGen[t] != lk.arrived {
			continue
		}
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
		k := sort.SearchFloat64s(cm.visCum, x)
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
	base := i * maxTies
	gain := float32(wd.mp.Encounter.TieGain)
	if wd.look[i].unit == wd.look[j].unit {
		gain = float32(wd.mp.Encounter.UnitTieGain)
	}
	weakest, free := -1, -1
	for t := base; t < base+maxTies; t++ {
		to := wd.tieTo[t]
		if to < 0 || wd.tieGen[t] != wd.look[to].arrived {
			if free < 0 {
				free = t
			}
			continue
		}
		if int(to) == j {
			wd.tieW[t] += gain * (1 - wd.tieW[t])
			return
		}
		if weakest < 0 || wd.tieW[t] < wd.tieW[weakest] {
			weakest = t
		}
	}
	slot := free
	if slot < 0 {
		if wd.tieW[weakest] >= gain {
			return
		}
		slot = weakest
	}
	wd.tieTo[slot], wd.tieW[slot], wd.tieGen[slot] = int32(j), gain, wd.look[j].arrived
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
// Partners are scattered in memory, and each is known only once the draw
// before it is made: a person's encounters wait on one memory access after
// another. So the start of the next person's encounters (their ties toward
// their first community and their first partner, see encounterStart) is
// computed before this person's, with that partner's lines prefetched,
// and the tie partners' lookup lines of the person after that are
// prefetched too: the waits overlap this person's work. Every draw is the
// same, in the same order on the same stream, as without the overlap.
func (wd *World) encounter(_, lo, hi int) {
	var a, b encounterStart
	cur, next := &a, &b
	wd.prefetchTiesOf(lo)
	wd.prefetchTiesOf(lo + 1)
	wd.startEncounters(lo, cur)
	for i := lo; i < hi; i++ {
		if i+2 < hi {
			wd.prefetchTiesOf(i + 2)
		}
		if i+1 < hi {
			wd.startEncounters(i+1, next)
		}
		wd.encounterFrom(i, cur)
		cur, next = next, cur
	}
}

// prefetchTiesOf asks for the lookup lines of person i's tie partners,
// when i takes part somewhere this tick (only participants read them).
func (wd *World) prefetchTiesOf(i int) {
	if i >= wd.n {
		return
	}
	for s := 0; s < maxMem; s++ {
		if wd.part[i*maxMem+s] {
			prefetchTies(&wd.look[0], (*[maxTies]int32)(wd.tieTo[i*maxTies:]))
			return
		}
	}
}

// encounterStart is the start of a person's encounters, computed one person
// ahead (see encounter).
type encounterStart struct {
	r     rng.Stream // the person's stream, after the draws below
	s     int        // first membership slot that takes part; maxMem for none
	ts    tieSet     // ties toward the participants of slot s's community
	drawn bool       // the first partner is drawn: pj, ps
	pj    int
	ps    int
}

func (wd *World) startEncounters(i int, st *encounterStart) {
	st.r = wd.eng.Stream(i, purposeEncounter)
	st.s, st.drawn = maxMem, false
	for s := 0; s < maxMem; s++ {
		if wd.part[i*maxMem+s] {
			st.s = s
			break
		}
	}
	if st.s == maxMem {
		return
	}
	c := int(wd.memC[i*maxMem+st.s])
	wd.tiesToward(i, c, &st.ts)
	// Without cross-group links the first draw of the stream is the first
	// partner's; with them it is a coin first, left to encounterFrom.
	if wd.mp.Encounter.CrossGroup > 0 || wd.mp.Encounter.Partners == 0 {
		return
	}
	st.pj, st.ps = wd.pickPartner(i, c, &st.ts, &st.r)
	st.drawn = true
	if st.pj >= 0 {
		prefetch(unsafe.Pointer(&wd.look[st.pj]))
		prefetch(unsafe.Pointer(&wd.snap[2*wd.w*st.pj]))
	}
}

// encounterFrom is person i's encounters, from what startEncounters
// computed of them.
func (wd *World) encounterFrom(i int, st *encounterStart) {
	if st.s == maxMem {
		return
	}
	k := wd.mp.Encounter.Partners
	cross := wd.mp.Encounter.CrossGroup
	majority := wd.mp.Learning.Rule == scenarios.RuleMajority
	r := st.r
	kn, v := wd.beliefs(i)
	var ts, other tieSet
	for s := st.s; s < maxMem; s++ {
		j := i*maxMem + s
		if !wd.part[j] {
			continue
		}
		c := int(wd.memC[j])
		cm := &wd.comms[c]
		tsc := &ts
		if s == st.s {
			tsc = &st.ts
		} else {
			wd.tiesToward(i, c, &ts)
		}
		var better [scenarios.MaxPartners]int32
		nb := 0
		for e := 0; e < k; e++ {
			pc := c
			var pj, ps int
			if s == st.s && e == 0 && st.drawn {
				pj, ps = st.pj, st.ps
			} else {
				// The draw is made only when cross-group links are on, so
				// that without them the streams are unchanged.
				if cross > 0 && r.Float64() < cross {
					pc = wd.otherCommunity(c, &r)
				}
				if pc == c {
					pj, ps = wd.pickPartner(i, c, tsc, &r)
				} else {
					wd.tiesToward(i, pc, &other)
					pj, ps = wd.pickPartner(i, pc, &other, &r)
				}
			}
			if wd.students != nil { // a student's approach (steer.go)
				pc, pj, ps = wd.steerPartner(i, c, pc, pj, ps, tsc, &r)
			}
			if pj < 0 {
				continue
			}
			lk := &wd.look[pj]
			if majority {
				if lk.perf[ps] > wd.perf[j] && wd.shares(pj) && !slices.Contains(better[:nb], int32(pj)) {
					better[nb] = int32(pj)
					nb++
				}
			} else {
				p := wd.learnRate(wd.legit[j], lk.legit[ps], int32(wd.perf[j]), int32(lk.perf[ps]))
				if !wd.shares(pj) {
					p = 0 // the draws are made all the same
				}
				sk, sv := wd.snapOf(pj)
				_, gained := Adopt(kn, v, sk, sv, cm.domain, wd.reality, p, &r)
				wd.learned[i] += int32(gained)
			}
			wd.strengthenTie(i, pj)
			wd.record(i, pj, pc, pc != c)
		}
		if nb > 0 {
			_, gained := adoptMajority(kn, v, wd.snap, wd.snap[wd.w:], 2*wd.w, better[:nb], cm.domain, wd.reality, wd.mp.Learning.FromCentral, &r)
			wd.learned[i] += int32(gained)
		}
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
