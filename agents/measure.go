package agents

import (
	"math"
	"math/bits"
	"sync/atomic"
	"unsafe"

	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/sim"
)

// commAcc accumulates one community's measures: its counts (integers) and
// its sums (commSums, floating point). Measure keeps the counts per worker
// slot and the sums per measurement shard (see measureShard), and merges
// both into World.tot.
type commAcc struct {
	members, outsiders, peripheral, active, core, participants int
	internal, external, boundary, encounters, strongTies       int
	// insularity: members' live ties inside and outside, for "all" the
	// ties' expected inside count times N-1 under random mixing; imports
	// across boundaries; boundary-active members
	tieIn, tieOut                    int
	tieExpect                        int64
	imported, importedRight, bActive int
	affiliated                       int // everyone at any legitimacy (in "all": every person)
	hist                             [giniBins]int32
	plus, minus                      []int32 // per dimension, among members
	voluntary, mandated              int     // members who took part by choice / only as mandated
	commSums
}

// commSums are the floating-point sums of a community's measures: kept per
// measurement shard, in person order, and added up in shard order, so
// that they do not depend on the number of workers.
type commSums struct {
	know, knowCore, knowActive, knowPeripheral, motiv, ident float64
	tieW, tieWOut                                            float64 // members' live ties' weight, and outside
	motivAll                                                 float64 // the motivation of the affiliated, summed
}

// measureState is what measurement keeps beside the shards' accumulators:
// the affiliation counts for the random-mixing expectation of tie_ei,
// newcomers' careers per community over the run, and the organization's
// imports over the run.
type measureState struct {
	// affil counts the people affiliated (any legitimacy) with each
	// community, multi those affiliated with every pair, triple and
	// quadruple of communities some person holds, keyed by affilKey.
	affil []int32
	multi map[uint64]int32
	// per community, over the run: newcomers' memberships begun, how many
	// reached active, and their ticks from joining to active, summed (the
	// last two by atomic adds from the legitimacy phase)
	begun, reached, ticksToActive []int64
	// per community, divergence from the others: sum and count of pairs
	divSum []float64
	divN   []int
	// the organization's members' imports and member-weeks over measured
	// ticks after 0
	imported, importedRight, memberWeeks int64
}

func newMeasureState(C int) measureState {
	return measureState{
		affil: make([]int32, C), multi: map[uint64]int32{},
		begun: make([]int64, C), reached: make([]int64, C), ticksToActive: make([]int64, C),
		divSum: make([]float64, C), divN: make([]int, C),
	}
}

// reset zeroes the state for a new replication, keeping its memory.
func (ms *measureState) reset() {
	clear(ms.affil)
	clear(ms.multi)
	clear(ms.begun)
	clear(ms.reached)
	clear(ms.ticksToActive)
	clear(ms.divSum)
	clear(ms.divN)
	ms.imported, ms.importedRight, ms.memberWeeks = 0, 0, 0
}

// reachedActiveIn counts a newcomer's membership of c reaching active d
// ticks after joining. Integer atomic adds commute, so the totals do not
// depend on the order in which chunks run.
func (wd *World) reachedActiveIn(c int, d int32) {
	atomic.AddInt64(&wd.meas.reached[c], 1)
	atomic.AddInt64(&wd.meas.ticksToActive[c], int64(d))
}

// measureShard is how many people one measurement task covers. Its
// floating-point sums are added up in this order, person by person, then
// shard by shard: changing it changes the last bits of the outputs.
const measureShard = 64 * sim.ChunkSize

// slotAcc holds the integer counts one worker slot (see pool) makes during
// a tick's phases. Only integers are kept per slot, because their sums do
// not depend on which worker counted what; floating-point sums are kept per
// measurement shard and merged in shard order, which is what keeps results
// independent of the number of workers.
type slotAcc struct {
	// per community, every tick; int32 holds them because a slot counts at
	// most every membership, 4 x scenarios.MaxPeople
	liveMembers, liveCore, liveParticipants, liveCoreParticipants []int32
	newcomers                                                     []int  // per community, this tick
	arrivals, newMemberships                                      int    // over the run
	sink                                                          uint64 // what encounter read ahead, unused
}

// cacheLine is the bytes of a cache line (64 on the machines copsim runs
// on): counters that two workers write must not share one, or each write
// stalls the other worker (false sharing).
const cacheLine = 64

func newSlotAcc(C int) slotAcc {
	// One block per slot, padded by a cache line on each side, so that no
	// other slot's counters (or anything else written) share its lines.
	pad := cacheLine / 4
	live := make([]int32, pad+4*C+pad)[pad:]
	padInt := cacheLine / 8
	return slotAcc{
		liveMembers: live[:C:C], liveCore: live[C : 2*C : 2*C], liveParticipants: live[2*C : 3*C : 3*C],
		liveCoreParticipants: live[3*C : 4*C : 4*C],
		newcomers:            make([]int, padInt+C+padInt)[padInt : padInt+C : padInt+C],
	}
}

// reset zeroes every count for a new replication.
func (a *slotAcc) reset() {
	a.clearLive()
	clear(a.newcomers)
	a.arrivals, a.newMemberships = 0, 0
}

// clearLive zeroes the counts that engagement makes each tick.
func (a *slotAcc) clearLive() {
	clear(a.liveMembers)
	clear(a.liveCore)
	clear(a.liveParticipants)
	clear(a.liveCoreParticipants)
}

// newMeasureAcc returns the accumulators of one worker slot's counts or of
// the totals: one per community, then the organization ("all").
func newMeasureAcc(C, m int) []commAcc {
	a := make([]commAcc, C+1)
	for c := range a {
		a[c].plus = make([]int32, m)
		a[c].minus = make([]int32, m)
	}
	return a
}

func (a *commAcc) reset() {
	plus, minus := a.plus, a.minus
	clear(plus)
	clear(minus)
	*a = commAcc{plus: plus, minus: minus}
}

// shareAffiliation reports whether i and j belonged to some community in
// common, at any legitimacy, when this tick's encounters happened (see
// World.memMet). The E-I index groups people by affiliation: an encounter
// inside a community's practice is internal even when one of the two is
// still at its edge; only encounters across communities are external
// (Krackhardt & Stern 1988 group by unit; here the unit is the community
// one has joined).
func (wd *World) shareAffiliation(i, j int) bool {
	for s := 0; s < maxMem; s++ {
		if c := wd.memMet[i*maxMem+s]; c >= 0 && wd.metIn(j, c) {
			return true
		}
	}
	return false
}

// metIn reports whether person j belonged to community c when this tick's
// encounters happened.
func (wd *World) metIn(j int, c int16) bool {
	for s := 0; s < maxMem; s++ {
		if wd.memMet[j*maxMem+s] == c {
			return true
		}
	}
	return false
}

// keepMemberships records everyone's memberships as they are after this
// tick's encounters, before turnover replaces people: the E-I index
// classifies an encounter by who the two were when they met, not by who
// took their places since.
func (wd *World) keepMemberships() { copy(wd.memMet, wd.memC) }

// measureChunk is measurement shard sh's part of Measure: counts into
// the accumulators of the worker slot, sums into the shard's.
func (wd *World) measureChunk(slot, sh int) {
	lo := sh * measureShard
	hi := min(lo+measureShard, wd.n)
	acc, sums := wd.mcount[slot], wd.macc[sh]
	clear(sums)
	C := len(wd.comms)
	org, orgSum := &acc[C], &sums[C]
	tick := int32(wd.eng.Tick())
	window := int32(max(1, wd.mp.Stage.Window))
	var lt liveTies
	for i := lo; i < hi; i++ {
		// Ask ahead for what is read of others: two people on, the tie
		// partners' lookup lines.
		if i+2 < hi {
			prefetchTies(&wd.look[0], (*[maxTies]int32)(wd.tieTo[(i+2)*maxTies:]))
		}
		kn, v := wd.beliefs(i)
		know := Knowledge(kn, v, wd.reality, wd.all)
		motiv := wd.motiv[i]
		// What i brought in across boundaries this tick; a newcomer who
		// took i's place in turnover brought nothing yet.
		imp, impRight := 0, 0
		if wd.arrived[i] != tick {
			imp, impRight = int(wd.imported[i]), int(wd.importedRight[i])
		}
		lb := wd.lastBoundary[i]
		bActive := 0
		if lb > wd.arrived[i] && tick-lb < window {
			bActive = 1
		}
		best, took, ema, ident := Outsider, false, 0.0, 0.0
		tiesRead := false // lt holds i's live ties
		vol := false      // took part voluntarily in some community where a member
		for s := 0; s < maxMem; s++ {
			j := i*maxMem + s
			c := int(wd.memC[j])
			if c < 0 {
				continue
			}
			role := wd.role(wd.legit[j])
			ca, cs := &acc[c], &sums[c]
			ca.affiliated++
			cs.motivAll += motiv
			if role == Outsider {
				ca.outsiders++
				continue
			}
			best = max(best, role)
			took = took || wd.part[j]
			ema = math.Max(ema, wd.partEMA[j])
			ident = math.Max(ident, wd.ident[j])
			cm := &wd.comms[c]
			knowC := know // knowledge of the community's own domain
			if cm.domainFrom != 0 || cm.domainTo != wd.m {
				knowC = Knowledge(kn, v, wd.reality, cm.domain)
			}
			ca.countMember(role, wd.part[j], wd.partEMA[j])
			cs.addMember(role, knowC, motiv, wd.ident[j])
			ca.addTaking(wd.part[j], wd.part[j] && !wd.mand[j])
			vol = vol || (wd.part[j] && !wd.mand[j])
			ca.addBeliefs(kn, v, cm.domain)
			ca.imported += imp
			ca.importedRight += impRight
			ca.bActive += bActive
			if !tiesRead {
				lt.read(wd, i)
				tiesRead = true
			}
			for k := 0; k < lt.n; k++ {
				w := float64(lt.w[k])
				cs.tieW += w
				ps := lt.slotOf(k, c)
				if ps < 0 {
					ca.tieOut++
					cs.tieWOut += w
					continue
				}
				ca.tieIn++
				if lt.w[k] >= 0.2 && lt.member[k]&(1<<ps) != 0 {
					ca.strongTies++
				}
			}
		}
		org.affiliated++
		orgSum.motivAll += motiv
		if best == Outsider {
			org.outsiders++
		} else {
			org.countMember(best, took, ema)
			orgSum.addMember(best, know, motiv, ident)
			org.addTaking(took, vol)
			org.addBeliefs(kn, v, wd.all)
			org.imported += imp
			org.importedRight += impRight
			org.bActive += bActive
			if !tiesRead {
				lt.read(wd, i)
			}
			wd.orgTies(i, &lt, org, orgSum)
		}
		// The encounters of a chunk's people, once its people are done:
		// their memberships are still in cache.
		if (i+1)%sim.ChunkSize == 0 || i+1 == hi {
			wd.measureEncounters(i/sim.ChunkSize, acc)
		}
	}
}

// measureEncounters counts the encounters of chunk ch's people (by who
// sought them) into acc, for the E-I index and the boundary share. They
// are counts only, so their order does not matter.
func (wd *World) measureEncounters(ch int, acc []commAcc) {
	org := &acc[len(acc)-1]
	lo := ch * sim.ChunkSize
	es := wd.encLog[ch].e
	for k, e := range es {
		// Ask ahead for the memberships of the partner met a few on.
		if k+4 < len(es) {
			prefetch(unsafe.Pointer(&wd.memMet[int(es[k+4].to)*maxMem]))
		}
		i, pj, ctx, bnd := lo+e.person(), int(e.to), int(e.c), e.boundary()
		org.encounters++
		if bnd {
			org.boundary++
		}
		if wd.shareAffiliation(i, pj) {
			org.internal++
		} else {
			org.external++
		}
		acc[ctx].encounters++
		if bnd {
			acc[ctx].boundary++
		}
		// Only the communities of the two people can count this encounter.
		for s := 0; s < maxMem; s++ {
			if c := wd.memMet[i*maxMem+s]; c >= 0 {
				if wd.metIn(pj, c) {
					acc[c].internal++
				} else {
					acc[c].external++
				}
			}
			if c := wd.memMet[pj*maxMem+s]; c >= 0 && !wd.metIn(i, c) {
				acc[c].external++
			}
		}
	}
}

// liveTies are one person's live ties (those whose partner is still the
// person the tie was made with) with the partners' communities, read once
// per person: the partners are scattered in memory, and each community of
// the holder reads them again. What is read of a partner is in their
// lookup line, refreshed by publishChunk: one memory access per tie.
type liveTies struct {
	n      int
	to     [maxTies]int32
	w      [maxTies]float32
	mem    [maxTies][maxMem]int16
	member [maxTies]uint8 // bit s: the partner is at least peripheral in slot s
}

func (lt *liveTies) read(wd *World, i int) {
	lt.n = 0
	for t := i * maxTies; t < (i+1)*maxTies; t++ {
		to := wd.tieTo[t]
		if to < 0 {
			continue
		}
		lk := &wd.look[to]
		if wd.tieGen[t] != lk.arrived {
			continue
		}
		lt.to[lt.n], lt.w[lt.n] = to, wd.tieW[t]
		lt.mem[lt.n], lt.member[lt.n] = lk.memC, lk.member
		lt.n++
	}
}

// slotOf returns the membership slot of tie k's partner in c, or -1.
func (lt *liveTies) slotOf(k, c int) int {
	for s, pc := range lt.mem[k] {
		if int(pc) == c {
			return s
		}
	}
	return -1
}

// publishChunk refreshes, for the people of chunk ch, what measurement
// reads of tie partners in their lookup line (World.look): arrival,
// memberships and which of them are at least peripheral, as they are after
// the tick. Nothing reads the lookup between the end of a tick and the
// next engagement, which rebuilds it.
func (wd *World) publishChunk(_, ch int) {
	lo, hi := wd.eng.ChunkRange(ch)
	for i := lo; i < hi; i++ {
		lk := &wd.look[i]
		lk.arrived = wd.arrived[i]
		lk.member = 0
		for s := 0; s < maxMem; s++ {
			j := i*maxMem + s
			c := wd.memC[j]
			lk.memC[s] = c
			if c >= 0 && wd.role(wd.legit[j]) >= Peripheral {
				lk.member |= 1 << s
			}
		}
	}
}

// orgTies counts member i's live ties lt for the "all" row (counts into
// org, weights into sum): inside when the partner shares some community
// with i (any legitimacy, as now), and, for the random-mixing expectation,
// how many others share one with i.
func (wd *World) orgTies(i int, lt *liveTies, org *commAcc, sum *commSums) {
	if lt.n == 0 {
		return
	}
	cs, k := wd.affiliations(i)
	for t := 0; t < lt.n; t++ {
		w := float64(lt.w[t])
		sum.tieW += w
		inside := false
		for x := 0; x < k && !inside; x++ {
			inside = lt.slotOf(t, int(cs[x])) >= 0
		}
		if inside {
			org.tieIn++
		} else {
			org.tieOut++
			sum.tieWOut += w
		}
	}
	org.tieExpect += int64(lt.n) * int64(wd.sharers(&cs, k)-1)
}

// shareCommunity reports whether i and j now hold memberships (any
// legitimacy) in some community in common.
func (wd *World) shareCommunity(i, j int) bool {
	for s := 0; s < maxMem; s++ {
		if c := wd.memC[i*maxMem+s]; c >= 0 {
			for t := 0; t < maxMem; t++ {
				if wd.memC[j*maxMem+t] == c {
					return true
				}
			}
		}
	}
	return false
}

// affiliations returns the communities person i is affiliated with (a
// membership at any legitimacy), in increasing order, and how many.
func (wd *World) affiliations(i int) (cs [maxMem]int16, k int) {
	for s := 0; s < maxMem; s++ {
		c := wd.memC[i*maxMem+s]
		if c < 0 {
			continue
		}
		x := k
		for ; x > 0 && cs[x-1] > c; x-- {
			cs[x] = cs[x-1]
		}
		cs[x] = c
		k++
	}
	return cs, k
}

// affilKey packs the communities of cs picked by mask, in order, 16 bits
// each (community + 1), into a key of measureState.multi.
func affilKey(cs *[maxMem]int16, mask int) uint64 {
	var key uint64
	for x := 0; x < maxMem; x++ {
		if mask&(1<<x) != 0 {
			key = key<<16 | (uint64(cs[x]) + 1)
		}
	}
	return key
}

// countAffiliations counts, in one pass over everyone, the people
// affiliated with each community and with each pair, triple and quadruple
// of communities that someone holds (at most 11 such sets per person).
// The map keeps its buckets between measurements, so that a steady state
// allocates nothing.
func (wd *World) countAffiliations() {
	ms := &wd.meas
	clear(ms.affil)
	clear(ms.multi)
	for i := 0; i < wd.n; i++ {
		cs, k := wd.affiliations(i)
		for x := 0; x < k; x++ {
			ms.affil[cs[x]]++
		}
		for mask := 3; mask < 1<<k; mask++ {
			if bits.OnesCount(uint(mask)) >= 2 {
				ms.multi[affilKey(&cs, mask)]++
			}
		}
	}
}

// sharers is how many people (the holder included) are affiliated with
// at least one of the k communities cs, by inclusion-exclusion over the
// counts of countAffiliations: |A∪B∪...| = Σ|A| - Σ|A∩B| + Σ|A∩B∩C| - ...
func (wd *World) sharers(cs *[maxMem]int16, k int) int {
	u := 0
	for mask := 1; mask < 1<<k; mask++ {
		size := bits.OnesCount(uint(mask))
		n := 0
		if size == 1 {
			n = int(wd.meas.affil[cs[bits.TrailingZeros(uint(mask))]])
		} else {
			n = int(wd.meas.multi[affilKey(cs, mask)])
		}
		if size%2 == 1 {
			u += n
		} else {
			u -= n
		}
	}
	return u
}

// addMember counts a member of the given role and adds their knowledge,
// motivation and identity.
func (ca *commAcc) addMember(role Role, know, motiv, ident float64, part bool, ema float64) {
	ca.countMember(role, part, ema)
	ca.commSums.addMember(role, know, motiv, ident)
}

// countMember counts a member of the given role, taking part this tick or
// not, with participation average ema.
func (ca *commAcc) countMember(role Role, part bool, ema float64) {
	ca.members++
	switch role {
	case Peripheral:
		ca.peripheral++
	case Active:
		ca.active++
	case Core:
		ca.core++
	}
	if part {
		ca.participants++
	}
	b := int(ema * giniBins)
	ca.hist[min(max(b, 0), giniBins-1)]++
}

// addMember adds a member's knowledge, motivation and identity, and their
// knowledge again to their role's.
func (cs *commSums) addMember(role Role, know, motiv, ident float64) {
	cs.know += know
	cs.motiv += motiv
	cs.ident += ident
	switch role {
	case Peripheral:
		cs.knowPeripheral += know
	case Active:
		cs.knowActive += know
	case Core:
		cs.knowCore += know
	}
}

// addTaking counts one member's participation as voluntary or, when they
// took part only as mandated, as mandated.
func (ca *commAcc) addTaking(took, voluntary bool) {
	switch {
	case voluntary:
		ca.voluntary++
	case took:
		ca.mandated++
	}
}

func (ca *commAcc) addBeliefs(known, value, domain []uint64) {
	for w, dm := range domain {
		k := known[w] & dm
		for x := k & value[w]; x != 0; x &= x - 1 {
			ca.plus[w*64+trailingZeros(x)]++
		}
		for x := k &^ value[w]; x != 0; x &= x - 1 {
			ca.minus[w*64+trailingZeros(x)]++
		}
	}
}

// merge adds o's counts and sums to ca's.
func (ca *commAcc) merge(o *commAcc) {
	ca.mergeCounts(o)
	ca.commSums.merge(&o.commSums)
}

// merge adds o's sums to cs's.
func (cs *commSums) merge(o *commSums) {
	cs.know += o.know
	cs.knowCore += o.knowCore
	cs.knowActive += o.knowActive
	cs.knowPeripheral += o.knowPeripheral
	cs.motiv += o.motiv
	cs.ident += o.ident
	cs.tieW += o.tieW
	cs.tieWOut += o.tieWOut
	cs.motivAll += o.motivAll
}

// mergeCounts adds o's counts to ca's.
func (ca *commAcc) mergeCounts(o *commAcc) {
	ca.members += o.members
	ca.outsiders += o.outsiders
	ca.peripheral += o.peripheral
	ca.active += o.active
	ca.core += o.core
	ca.participants += o.participants
	ca.internal += o.internal
	ca.external += o.external
	ca.boundary += o.boundary
	ca.encounters += o.encounters
	ca.strongTies += o.strongTies
	ca.tieIn += o.tieIn
	ca.tieOut += o.tieOut
	ca.tieExpect += o.tieExpect
	ca.imported += o.imported
	ca.importedRight += o.importedRight
	ca.bActive += o.bActive
	ca.affiliated += o.affiliated
	ca.voluntary += o.voluntary
	ca.mandated += o.mandated
	for b := range ca.hist {
		ca.hist[b] += o.hist[b]
	}
	for d := range ca.plus {
		ca.plus[d] += o.plus[d]
		ca.minus[d] += o.minus[d]
	}
}

// Measure is phase 11: the state of every community and of the whole
// organization at the current tick, as rows of the time series (the
// communities in order, then "all").
func (wd *World) Measure() []measure.Row {
	wd.countAffiliations()
	wd.eng.Parallel(wd.eng.Chunks(), wd.fPublish)
	for _, acc := range wd.mcount {
		for c := range acc {
			acc[c].reset()
		}
	}
	wd.eng.Parallel(len(wd.macc), wd.fMeasure)
	// Counts in any order; sums in shard order, from 0.
	tot := wd.tot
	for c := range tot {
		tot[c].reset()
	}
	for _, acc := range wd.mcount {
		for c := range tot {
			tot[c].mergeCounts(&acc[c])
		}
	}
	for _, sums := range wd.macc {
		for c := range tot {
			tot[c].commSums.merge(&sums[c])
		}
	}
	return wd.measureRows()
}

// measureRows is the rest of Measure once the totals of the tick are in
// World.tot (and the affiliations in measureState): the rows.
func (wd *World) measureRows() []measure.Row {
	C := len(wd.comms)
	tot := wd.tot
	wd.findCoordinators()
	ms := &wd.meas
	// sim.Run is done with a measurement's rows at the next; a world of
	// NewWorld's caller may keep them (the classroom page does).
	rows := wd.rows[:0]
	if wd.pool == nil {
		rows = make([]measure.Row, 0, C+1)
	}
	repK, repS := 0.0, 0.0
	orgDiv := wd.divergence()
	var begun, reached, ticks int64
	for c := range wd.comms {
		cm := &wd.comms[c]
		t := &tot[c]
		row := wd.baseRow(cm.name, t, cm.domainFrom, cm.domainTo)
		row.RepertoireKnowledge = Knowledge(cm.codeKnown, cm.codeValue, wd.reality, cm.domain)
		row.RepertoireScore = float64(Score(cm.codeKnown, cm.codeValue, wd.reality, cm.domain)) / float64(wd.m)
		row.Newcomers = wd.newcomers[c]
		row.Divergence = mean(ms.divSum[c], ms.divN[c])
		row.RelativeDiversity = relativeDiversity(t, &tot[C], cm.domainFrom, cm.domainTo)
		row.TieEIRandom = math.NaN()
		if t.tieIn+t.tieOut > 0 && wd.n > 1 {
			// Every member is affiliated with c: a random other is too
			// with probability (n_c - 1)/(N - 1).
			row.TieEIRandom = 1 - 2*float64(ms.affil[c]-1)/float64(wd.n-1)
		}
		row.NewcomerAccess = ratioNA(float64(ms.reached[c]), float64(ms.begun[c]))
		row.TicksToActive = ratioNA(float64(ms.ticksToActive[c]), float64(ms.reached[c]))
		begun += ms.begun[c]
		reached += ms.reached[c]
		ticks += ms.ticksToActive[c]
		cohesion := 0.0
		if t.members > 1 {
			cohesion = float64(t.strongTies) / float64(t.members*min(maxTies, t.members-1))
		}
		cm.stage = wd.classifyStage(cm, wd.eng.Tick(), t.members, cohesion, row.RepertoireKnowledge)
		row.Stage = cm.stage.String()
		repK += row.RepertoireKnowledge
		repS += row.RepertoireScore
		rows = append(rows, row)
	}
	ot := &tot[C]
	org := wd.baseRow("all", ot, 0, wd.m)
	org.RepertoireKnowledge = repK / float64(C)
	org.RepertoireScore = repS / float64(C)
	org.Divergence = orgDiv
	org.RelativeDiversity = math.NaN() // no rest of the organization to compare with
	org.TieEIRandom = math.NaN()
	if n := ot.tieIn + ot.tieOut; n > 0 && wd.n > 1 {
		org.TieEIRandom = 1 - 2*float64(ot.tieExpect)/(float64(n)*float64(wd.n-1))
	}
	org.NewcomerAccess = ratioNA(float64(reached), float64(begun))
	org.TicksToActive = ratioNA(float64(ticks), float64(reached))
	for _, k := range wd.newcomers {
		org.Newcomers += k
	}
	org.Stage = wd.orgStage()
	rows = append(rows, org)
	wd.rows = rows
	if org.KnowledgeMean > wd.peakKnow {
		wd.peakKnow = org.KnowledgeMean
	}
	if wd.eng.Tick() > 0 {
		ms.imported += int64(ot.imported)
		ms.importedRight += int64(ot.importedRight)
		ms.memberWeeks += int64(ot.members)
	}
	return rows
}

func (wd *World) baseRow(name string, t *commAcc, from, to int) measure.Row {
	row := measure.Row{
		Tick: wd.eng.Tick(), Community: name,
		Members: t.members, Outsiders: t.outsiders,
		Peripheral: t.peripheral, Active: t.active, Core: t.core,
		Encounters: t.encounters,
	}
	// A mean over nobody is missing (NA in the tables), not zero: a
	// community without a core has no core knowledge to plot.
	row.ParticipationRate = mean(float64(t.participants), t.members)
	row.ParticipationGini = giniOf(&t.hist)
	row.VoluntaryParticipation = mean(float64(t.voluntary), t.members)
	row.MandatedParticipation = mean(float64(t.mandated), t.members)
	row.KnowledgeMean = mean(t.know, t.members)
	row.KnowledgeCore = mean(t.knowCore, t.core)
	row.KnowledgeActive = mean(t.knowActive, t.active)
	row.KnowledgePeripheral = mean(t.knowPeripheral, t.peripheral)
	row.Motivation = mean(t.motiv, t.members)
	row.MotivationEveryone = mean(t.motivAll, t.affiliated)
	row.Identity = mean(t.ident, t.members)
	row.Diversity = diversityOf(t.plus[from:to], t.minus[from:to], t.members)
	row.MajorityKnowledge = wd.majorityKnowledge(t, from, to)
	row.EIIndex = math.NaN() // no encounters: undefined, not balanced
	if n := t.internal + t.external; n > 0 {
		row.EIIndex = float64(t.external-t.internal) / float64(n)
	}
	row.BoundaryShare = ratio(float64(t.boundary), float64(t.encounters))
	row.TieEI = math.NaN()
	if n := t.tieIn + t.tieOut; n > 0 {
		row.TieEI = float64(t.tieOut-t.tieIn) / float64(n)
	}
	row.OutsideTieShare = ratioNA(t.tieWOut, t.tieW)
	row.ImportedKnowledge = mean(float64(t.imported), t.members)
	row.ImportedRightShare = ratioNA(float64(t.importedRight), float64(t.imported))
	row.BoundaryActiveShare = mean(float64(t.bActive), t.members)
	return row
}

// relativeDiversity is the diversity of c's members' beliefs over that of
// the rest of the organization's members (org's counts less c's) on c's
// domain [from, to): above 1, c holds more views than the others; NaN
// when either group is empty or the rest all agree.
func relativeDiversity(c, org *commAcc, from, to int) float64 {
	rest := org.members - c.members
	if c.members == 0 || rest <= 0 || to <= from {
		return math.NaN()
	}
	inC := diversityOf(c.plus[from:to], c.minus[from:to], c.members)
	sum, n := 0.0, float64(rest)
	for d := from; d < to; d++ {
		p, q := float64(org.plus[d]-c.plus[d])/n, float64(org.minus[d]-c.minus[d])/n
		z := 1 - p - q
		sum += 1 - p*p - q*q - z*z
	}
	others := sum / float64(to-from) / (2.0 / 3)
	return ratioNA(inC, others)
}

// ratioNA is a/b, NaN when b is 0: a share of nothing is undefined.
func ratioNA(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

// mean is sum/n, NaN when n is 0.
func mean(sum float64, n int) float64 {
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// majorityKnowledge is the share of dimensions [from, to) on which the
// members' majority belief (zeros abstaining, a tie counting as not right)
// matches reality: what the group knows collectively, beside what its
// repertoire holds. NaN without members.
func (wd *World) majorityKnowledge(t *commAcc, from, to int) float64 {
	if t.members == 0 || to <= from {
		return math.NaN()
	}
	right := 0
	for d := from; d < to; d++ {
		truth := wd.reality[d/64]&(1<<(d%64)) != 0
		if (truth && t.plus[d] > t.minus[d]) || (!truth && t.minus[d] > t.plus[d]) {
			right++
		}
	}
	return float64(right) / float64(to-from)
}

// diversityOf is the mean Gini-Simpson index of beliefs in {-1,0,+1} per
// dimension, normalised by its maximum 2/3 so that 1 is an even split and
// 0 full agreement (premature convergence).
func diversityOf(plus, minus []int32, n int) float64 {
	if n == 0 || len(plus) == 0 {
		return 0
	}
	sum := 0.0
	for d := range plus {
		p, q := float64(plus[d])/float64(n), float64(minus[d])/float64(n)
		z := 1 - p - q
		sum += 1 - p*p - q*q - z*z
	}
	return sum / float64(len(plus)) / (2.0 / 3)
}

// giniOf is the Gini coefficient of members' recent participation, from
// its histogram (bin midpoints; exact up to 1/giniBins).
func giniOf(h *[giniBins]int32) float64 {
	n, sum, weighted := 0.0, 0.0, 0.0
	for b, c := range h {
		if c == 0 {
			continue
		}
		x := (float64(b) + 0.5) / giniBins
		cf := float64(c)
		// ranks n+1 .. n+c
		weighted += x * (cf*n + cf*(cf+1)/2)
		sum += x * cf
		n += cf
	}
	if sum == 0 || n == 0 {
		return 0
	}
	return 2*weighted/(n*sum) - (n+1)/n
}

// divergence is the mean share of shared-domain dimensions on which two
// communities' repertoires differ, over all pairs (NaN with fewer than two
// communities sharing dimensions); it leaves in measureState.divSum and
// divN each community's sum and count over the pairs it is in.
func (wd *World) divergence() float64 {
	C := len(wd.comms)
	ms := &wd.meas
	clear(ms.divSum)
	clear(ms.divN)
	sum, pairs := 0.0, 0
	for a := 0; a < C; a++ {
		for b := a + 1; b < C; b++ {
			ca, cb := &wd.comms[a], &wd.comms[b]
			diff, n := 0, 0
			for w := range ca.domain {
				shared := ca.domain[w] & cb.domain[w]
				n += popcount(shared)
				d := (ca.codeKnown[w] ^ cb.codeKnown[w]) | (ca.codeKnown[w] & cb.codeKnown[w] & (ca.codeValue[w] ^ cb.codeValue[w]))
				diff += popcount(d & shared)
			}
			if n > 0 {
				x := float64(diff) / float64(n)
				sum += x
				pairs++
				ms.divSum[a] += x
				ms.divSum[b] += x
				ms.divN[a]++
				ms.divN[b]++
			}
		}
	}
	return mean(sum, pairs)
}

// findCoordinators marks each community's most legitimate core member
// (-1 when it has no core), in one pass over the memberships.
func (wd *World) findCoordinators() {
	best := wd.bestLeg
	clear(best)
	for c := range wd.comms {
		wd.comms[c].coordinator = -1
	}
	for j, mc := range wd.memC {
		if mc < 0 || wd.role(wd.legit[j]) != Core || wd.legit[j] <= best[mc] {
			continue
		}
		best[mc] = wd.legit[j]
		wd.comms[mc].coordinator = int32(j / maxMem)
	}
}

// Summarize returns the end-of-run outcomes from the last measured rows.
func (wd *World) Summarize(last []measure.Row) measure.Summary {
	org := last[len(last)-1]
	s := measure.Summary{
		Rep: int(wd.eng.Rep()), Seed: wd.eng.Seed(), FinalTick: wd.eng.Tick(), Equilibrium: wd.equilibrium,
		KnowledgeMean: org.KnowledgeMean, KnowledgeCore: org.KnowledgeCore,
		KnowledgePeripheral: org.KnowledgePeripheral,
		RepertoireKnowledge: org.RepertoireKnowledge, RepertoireScore: org.RepertoireScore,
		Diversity: org.Diversity, Divergence: org.Divergence, EIIndex: org.EIIndex,
		BoundaryShare: org.BoundaryShare, ParticipationRate: org.ParticipationRate,
		VoluntaryParticipation: org.VoluntaryParticipation, MandatedParticipation: org.MandatedParticipation,
		ParticipationGini: org.ParticipationGini, Members: org.Members,
		BoundaryActiveShare: org.BoundaryActiveShare, Motivation: org.Motivation, MotivationEveryone: org.MotivationEveryone,
	}
	// Role shares over members' memberships, as in the field's reports of
	// a community (Wenger, McDermott & Snyder 2002), and outsiders' share
	// of all memberships.
	var per, act, core, out int
	relDiv, nRel := 0.0, 0
	for _, r := range last[:len(last)-1] {
		per += r.Peripheral
		act += r.Active
		core += r.Core
		out += r.Outsiders
		if !math.IsNaN(r.RelativeDiversity) {
			relDiv += r.RelativeDiversity
			nRel++
		}
	}
	if n := float64(per + act + core); n > 0 {
		s.PeripheralShare, s.ActiveShare, s.CoreShare = float64(per)/n, float64(act)/n, float64(core)/n
	}
	s.OutsiderShare = ratioNA(float64(out), float64(per+act+core+out))
	s.RelativeDiversity = mean(relDiv, nRel)
	s.TieEI, s.TieEIRandom, s.OutsideTieShare = wd.pooledTies()
	ms := &wd.meas
	s.ImportedKnowledge = ratioNA(float64(ms.imported), float64(ms.memberWeeks))
	s.ImportedRightShare = ratioNA(float64(ms.importedRight), float64(ms.imported))
	s.OrgKnowledge = wd.orgKnowledge()
	arrivals := 0
	for s := range wd.acc {
		arrivals += wd.acc[s].newMemberships
	}
	reached := 0
	for _, k := range wd.toActiveHist {
		reached += int(k)
	}
	s.MedianTicksToActive = histMedian(wd.toActiveHist)
	s.MedianTicksToCore = histMedian(wd.toCoreHist)
	s.NewcomerAccess = math.NaN()
	if arrivals > 0 {
		s.NewcomerAccess = float64(reached) / float64(arrivals)
	}
	s.KnowledgeVsPeak = ratio(org.KnowledgeMean, wd.peakKnow)
	return s
}

// pooledTies is the tie E-I index, its random-mixing expectation and the
// outside tie share of the last measurement, pooled over the communities
// (every member's ties counted in each community where they are a
// member): the organization's figure of how inward its communities are.
// The "all" row's figures count a tie outside only when the two share no
// community, which a tie never is while ties are made only in encounters
// inside a community and memberships end only with turnover.
func (wd *World) pooledTies() (ei, random, outside float64) {
	nan := math.NaN()
	in, out := 0, 0
	expect, w, wOut := 0.0, 0.0, 0.0
	for c := range wd.comms {
		t := &wd.tot[c]
		in += t.tieIn
		out += t.tieOut
		expect += float64(t.tieIn+t.tieOut) * float64(wd.meas.affil[c]-1)
		w += t.tieW
		wOut += t.tieWOut
	}
	n := in + out
	if n == 0 || wd.n < 2 {
		return nan, nan, ratioNA(wOut, w)
	}
	return float64(out-in) / float64(n), 1 - 2*expect/(float64(n)*float64(wd.n-1)), ratioNA(wOut, w)
}

// orgKnowledge is the share of dimensions on which the organization's
// majority belief (over everyone) is right.
func (wd *World) orgKnowledge() float64 {
	wd.scratch = zeroed(wd.scratch, 2*wd.m)
	plus, minus := wd.scratch[:wd.m], wd.scratch[wd.m:]
	for i := 0; i < wd.n; i++ {
		if i%sim.ChunkSize == 0 && wd.eng.Stopped() {
			return math.NaN() // the run is being abandoned
		}
		kn, v := wd.beliefs(i)
		for w := range kn {
			k := kn[w] & wd.all[w]
			for x := k & v[w]; x != 0; x &= x - 1 {
				plus[w*64+trailingZeros(x)]++
			}
			for x := k &^ v[w]; x != 0; x &= x - 1 {
				minus[w*64+trailingZeros(x)]++
			}
		}
	}
	right := 0
	for d := 0; d < wd.m; d++ {
		truth := wd.reality[d/64]&(1<<(d%64)) != 0
		if (truth && plus[d] > minus[d]) || (!truth && minus[d] > plus[d]) {
			right++
		}
	}
	return float64(right) / float64(wd.m)
}

// histMedian is the median of durations kept as a histogram (count per
// number of ticks), the mean of the two middle values for an even count;
// NaN when empty.
func histMedian(h []int64) float64 {
	n := 0
	for _, k := range h {
		n += int(k)
	}
	if n == 0 {
		return math.NaN()
	}
	// The k-th smallest value, 0-based.
	at := func(k int) int {
		for d, c := range h {
			if k < int(c) {
				return d
			}
			k -= int(c)
		}
		return len(h) - 1
	}
	if n%2 == 1 {
		return float64(at(n / 2))
	}
	return float64(at(n/2-1)+at(n/2)) / 2
}

func popcount(x uint64) int { return bits.OnesCount64(x) }

func trailingZeros(x uint64) int { return bits.TrailingZeros64(x) }
