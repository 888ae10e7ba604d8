package sim

import (
	"math"
	"sort"
	"sync/atomic"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/rng"
	"github.com/copsim/copsim/scenarios"
)

// parallel runs f for 0..n-1, on the pool when there is one, with the
// slot of the worker that runs it (see pool). Once wd.stop is set it skips
// what is left, so a stop takes effect within a chunk's time.
func (wd *World) parallel(n int, f func(slot, i int)) {
	if wd.pool == nil || n <= 1 {
		for i := 0; i < n && !wd.stop.Load(); i++ {
			f(0, i)
		}
		return
	}
	wd.pool.run(n, f, &wd.next, wd.stop, &wd.done)
}

func (wd *World) chunkRange(ch int) (lo, hi int) {
	lo = ch * chunkSize
	return lo, min(lo+chunkSize, wd.n)
}

func (wd *World) beliefs(i int) (known, value []uint64) {
	return wd.known[i*wd.w : (i+1)*wd.w], wd.value[i*wd.w : (i+1)*wd.w]
}

// Step runs one tick: the eleven phases of docs/model.md, measurement aside.
func (wd *World) Step() {
	wd.tick++
	wd.refreshPrefixes()
	mp := wd.mp
	// 1. Environment: turbulence (March p4), then the interventions in force.
	if mp.Turbulence > 0 {
		r := rng.Derive(wd.seed, wd.rep, math.MaxUint64, uint64(wd.tick), purposeWorld)
		for d := 0; d < wd.m; d++ {
			if r.Float64() < mp.Turbulence {
				wd.reality[d/64] ^= 1 << (d % 64)
			}
		}
	}
	wd.applyInterventions()
	// 2. Engagement, actions and performance.
	for s := range wd.acc {
		wd.acc[s].clearLive()
	}
	wd.parallel(wd.chunks, wd.fEngage)
	if wd.stop.Load() {
		return
	}
	wd.collectParticipants()
	// 3. Mutual engagement: encounters and interpersonal learning.
	if mp.Network {
		copy(wd.snapKnown, wd.known)
		copy(wd.snapValue, wd.value)
		wd.parallel(wd.chunks, wd.fEncounter)
	}
	// 4. Socialization and 6. practice: each person's own beliefs.
	wd.parallel(wd.chunks, wd.fLearn)
	// 5. Repertoire learning: each community's code, from this tick's actions.
	wd.parallel(len(wd.comms), wd.fCode)
	// 7. Boundaries.
	if mp.Boundaries && len(wd.comms) > 1 && !wd.stop.Load() {
		copy(wd.snapKnown, wd.known)
		copy(wd.snapValue, wd.value)
		wd.parallel(wd.chunks, wd.fBoundary)
	}
	// 8. Legitimacy and 9. motivation and identity.
	wd.parallel(wd.chunks, wd.fUpdate)
	// 10. Turnover.
	clear(wd.newcomers)
	for s := range wd.acc {
		clear(wd.acc[s].newcomers)
	}
	wd.parallel(wd.chunks, wd.fTurnover)
	if wd.stop.Load() {
		return
	}
	for s := range wd.acc {
		for c, k := range wd.acc[s].newcomers {
			wd.newcomers[c] += k
		}
	}
	// 11. Measurement is the caller's (Measure), so that it can be thinned.
	if mp.StopAtEquilibrium && mp.Turnover == 0 && mp.Turbulence == 0 {
		wd.equilibrium = wd.atEquilibrium()
	}
}

// engageChunk is phase 2: every member decides whether to take part this
// tick; every person acts (March's coin flips for zero beliefs) and gets a
// performance in each community's domain.
func (wd *World) engageChunk(slot, ch int) {
	lo, hi := wd.chunkRange(ch)
	mp := wd.mp
	eg, mg := &mp.Engagement, &mp.Management
	a := &wd.acc[slot]
	for i := lo; i < hi; i++ {
		r := wd.stream(i, purposeEngage)
		wd.encN[i] = 0
		wd.learned[i] = 0
		k, v := wd.beliefs(i)
		act := wd.act[i*wd.w : (i+1)*wd.w]
		agents.Act(act, k, v, &r)
		lk := &wd.look[i]
		*lk = lookup{arrived: wd.arrived[i], memC: [maxMem]int16{-1, -1, -1, -1}}
		for s := 0; s < maxMem; s++ {
			j := i*maxMem + s
			c := int(wd.memC[j])
			if c < 0 {
				wd.part[j] = false
				continue
			}
			cm := &wd.comms[c]
			p := 1.0
			if mp.Motivation {
				e := &cm.eff
				timeEff := (1 - wd.load[i]*(1-mg.TimeGiven*e.legitimize)) * (1 - mg.Overhead*e.overManagement)
				extrinsic := e.individual*wd.legit[j] + e.recognition - mg.Penalty*e.penalty
				drive := eg.MotivationWeight*wd.motiv[i] + eg.IdentityWeight*wd.ident[j] +
					eg.ExtrinsicWeight*extrinsic + eg.ForcedWeight*e.overManagement
				p = agents.Engagement(timeEff, drive)
			}
			wd.part[j] = r.Bernoulli(p)
			wd.perf[j] = int32(agents.ActionScore(act, wd.reality, cm.domain))
			lk.legit[s], lk.perf[s], lk.memC[s] = wd.legit[j], int16(wd.perf[j]), int16(c)
			if wd.part[j] {
				lk.part |= 1 << s
			}
			role := wd.role(wd.legit[j])
			if role >= agents.Peripheral {
				a.liveMembers[c]++
				if role == agents.Core {
					a.liveCore[c]++
				}
				if wd.part[j] {
					a.liveParticipants[c]++
				}
			}
		}
	}
}

func (wd *World) role(l float64) agents.Role {
	r := &wd.mp.Roles
	return agents.RoleOf(l, r.Peripheral, r.Active, r.Core)
}

// visibility is how visible a member of legitimacy l is to partners
// choosing whom to meet: core members are seen more.
func (wd *World) visibility(l float64) float64 {
	if !wd.mp.LPP {
		return 1
	}
	e := &wd.mp.Encounter
	if e.Visibility == 1 {
		return e.VisibilityFloor + l
	}
	return e.VisibilityFloor + math.Pow(l, e.Visibility)
}

// collectParticipants lists each community's participants in person order
// with their cumulative visibility, and updates the per-tick counts that
// closure and the stage classifier read.
func (wd *World) collectParticipants() {
	// A counting sort of the memberships that take part, by community:
	// count, place each community's run, then fill it in membership order.
	off := wd.partOff
	clear(off)
	for j, c := range wd.memC {
		if c >= 0 && wd.part[j] {
			off[c+1]++
		}
	}
	for c := range wd.comms {
		off[c+1] += off[c]
		cm := &wd.comms[c]
		cm.partPerson = wd.partPerson[off[c]:off[c]:off[c+1]]
		cm.partSlot = wd.partSlot[off[c]:off[c]:off[c+1]]
		cm.visCum = wd.visCum[off[c]:off[c]:off[c+1]]
	}
	for j, c := range wd.memC {
		if c < 0 || !wd.part[j] {
			continue
		}
		cm := &wd.comms[c]
		total := 0.0
		if n := len(cm.visCum); n > 0 {
			total = cm.visCum[n-1]
		}
		cm.partPerson = append(cm.partPerson, int32(j/maxMem))
		cm.partSlot = append(cm.partSlot, uint8(j%maxMem))
		cm.visCum = append(cm.visCum, total+wd.visibility(wd.legit[j]))
	}
	for c := range wd.comms {
		members, core, parts := 0, 0, 0
		for s := range wd.acc {
			members += int(wd.acc[s].liveMembers[c])
			core += int(wd.acc[s].liveCore[c])
			parts += int(wd.acc[s].liveParticipants[c])
		}
		cm := &wd.comms[c]
		cm.coreShare, cm.liveMembers = 0, members
		rate := 0.0
		if members > 0 {
			cm.coreShare = float64(core) / float64(members)
			rate = float64(parts) / float64(members)
		}
		// The trend is read on a smoothed rate so that a quiet week is not a decline.
		alpha := 1 / float64(len(cm.partHistory))
		if wd.tick == 1 {
			cm.partSmooth = rate
		}
		cm.partSmooth += alpha * (rate - cm.partSmooth)
		cm.partHistory[wd.tick%len(cm.partHistory)] = cm.partSmooth
	}
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
	if np < 2 {
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

// strengthenTie makes or strengthens i's tie to j.
func (wd *World) strengthenTie(i, j int) {
	base := i * maxTies
	gain := float32(wd.mp.Encounter.TieGain)
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

func (wd *World) record(i, partner, c int, boundary bool) {
	n := int(wd.encN[i])
	if n >= wd.encCap {
		return
	}
	e := i*wd.encCap + n
	wd.encTo[e], wd.encC[e], wd.encB[e] = int32(partner), int16(c), boundary
	wd.encN[i]++
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

// encounterChunk is phase 3: each participant meets k partners among the
// community's participants and learns from them (reading their beliefs
// from the snapshot taken before the phase).
func (wd *World) encounterChunk(_, ch int) {
	lo, hi := wd.chunkRange(ch)
	k := wd.mp.Encounter.Partners
	for i := lo; i < hi; i++ {
		r := wd.stream(i, purposeEncounter)
		kn, v := wd.beliefs(i)
		var ts tieSet
		for s := 0; s < maxMem; s++ {
			j := i*maxMem + s
			if !wd.part[j] {
				continue
			}
			c := int(wd.memC[j])
			cm := &wd.comms[c]
			wd.tiesToward(i, c, &ts)
			for e := 0; e < k; e++ {
				pj, ps := wd.pickPartner(i, c, &ts, &r)
				if pj < 0 {
					continue
				}
				lk := &wd.look[pj]
				p := wd.learnRate(wd.legit[j], lk.legit[ps], wd.perf[j], int32(lk.perf[ps]))
				_, gained := agents.Adopt(kn, v, wd.snapKnown[pj*wd.w:(pj+1)*wd.w], wd.snapValue[pj*wd.w:(pj+1)*wd.w], cm.domain, wd.reality, p, &r)
				wd.learned[i] += int32(gained)
				wd.strengthenTie(i, pj)
				wd.record(i, pj, c, false)
			}
		}
	}
}

// learnChunk is phases 4 and 6: socialization into each community's
// repertoire (March p1, scaled by legitimacy) and learning from one's own
// practice (exploration, cut by management scrutiny).
func (wd *World) learnChunk(_, ch int) {
	lo, hi := wd.chunkRange(ch)
	mp := wd.mp
	for i := lo; i < hi; i++ {
		r := wd.stream(i, purposeLearn)
		kn, v := wd.beliefs(i)
		before, _ := agents.Tally(kn, v, wd.reality, wd.all)
		scrutiny := 0.0
		for s := 0; s < maxMem; s++ {
			j := i*maxMem + s
			c := int(wd.memC[j])
			if c < 0 {
				continue
			}
			cm := &wd.comms[c]
			scrutiny = max(scrutiny, cm.eff.overManagement)
			if !wd.part[j] {
				continue
			}
			p := mp.Socialization
			if mp.LPP {
				p *= wd.legit[j]
			}
			agents.Socialize(kn, v, cm.codeKnown, cm.codeValue, cm.domain, p, &r)
		}
		after, _ := agents.Tally(kn, v, wd.reality, wd.all)
		if after > before {
			wd.learned[i] += int32(after - before)
		}
		pe := mp.Learning.Exploration * (1 - mp.Management.ScrutinyExplore*scrutiny)
		if pe > 0 && r.Float64() < pe {
			agents.Explore(kn, v, wd.reality, r.Intn(wd.m), mp.Learning.ExploreError, &r)
		}
	}
}

// codeCommunity is phase 5 for community c: March's code learning from
// the superior group among this tick's participants, votes weighted by
// legitimacy; then a mandated agenda, if any, overwrites parts of it.
func (wd *World) codeCommunity(_, c int) {
	cm := &wd.comms[c]
	r := rng.Derive(wd.seed, wd.rep, uint64(wd.n+c), uint64(wd.tick), purposeCode)
	cm.codeScore = agents.Score(cm.codeKnown, cm.codeValue, wd.reality, cm.domain)
	cm.votes.Reset()
	superior := 0
	for idx, p := range cm.partPerson {
		i := int(p)
		j := i*maxMem + int(cm.partSlot[idx])
		if int(wd.perf[j]) <= cm.codeScore {
			continue
		}
		weight := 1.0
		if wd.mp.LPP {
			weight = wd.legit[j]
		}
		cm.votes.Add(wd.act[i*wd.w:(i+1)*wd.w], cm.domain, weight)
		superior++
	}
	if superior > 0 {
		agents.LearnCode(cm.codeKnown, cm.codeValue, cm.domain, cm.votes, wd.mp.CodeLearning, &r)
	}
	if om := cm.eff.overManagement; om > 0 {
		rate := wd.mp.Management.AgendaRate * om
		for d := cm.domainFrom; d < cm.domainTo; d++ {
			if r.Float64() < rate {
				wi, b := d/64, uint64(1)<<(d%64)
				cm.codeKnown[wi] |= b
				cm.codeValue[wi] = cm.codeValue[wi]&^b | wd.mgmtValue[wi]&b
			}
		}
	}
	cm.codeScore = agents.Score(cm.codeKnown, cm.codeValue, wd.reality, cm.domain)
}

// boundaryChunk is phase 7: brokers (members taking part in several
// communities, and boundary spanners) and anyone at a cross-community
// event meet a participant of a community they are not taking part in,
// and learn from them.
func (wd *World) boundaryChunk(_, ch int) {
	lo, hi := wd.chunkRange(ch)
	mp := wd.mp
	C := len(wd.comms)
	for i := lo; i < hi; i++ {
		parts, main := 0, -1
		var e effects
		for s := 0; s < maxMem; s++ {
			j := i*maxMem + s
			if !wd.part[j] {
				continue
			}
			parts++
			if main < 0 || wd.legit[j] > wd.legit[i*maxMem+main] {
				main = s
			}
			ce := &wd.comms[wd.memC[j]].eff
			e.boundary = max(e.boundary, ce.boundary)
			e.support = max(e.support, ce.support)
		}
		if parts == 0 {
			continue
		}
		pb := mp.Management.BoundaryEvents*e.boundary + mp.Management.SupportBoundary*e.support
		if parts > 1 || wd.spanU[i] < mp.Management.BoundarySpanners*e.boundary {
			pb += mp.Encounter.Boundary
		}
		if pb <= 0 {
			continue
		}
		r := wd.stream(i, purposeBoundary)
		if !r.Bernoulli(pb) {
			continue
		}
		// A community i is not taking part in, uniformly.
		c2 := -1
		for tries := 0; tries < 4 && c2 < 0; tries++ {
			c := r.Intn(C)
			if s := wd.slotOf(i, c); (s < 0 || !wd.part[i*maxMem+s]) && len(wd.comms[c].partPerson) > 0 {
				c2 = c
			}
		}
		if c2 < 0 {
			continue
		}
		cm := &wd.comms[c2]
		k := sort.SearchFloat64s(cm.visCum, r.Float64()*cm.visCum[len(cm.visCum)-1])
		k = min(k, len(cm.partPerson)-1)
		pj, ps := int(cm.partPerson[k]), int(cm.partSlot[k])
		if pj == i {
			continue
		}
		mine := 0.0
		if s := wd.slotOf(i, c2); s >= 0 {
			mine = wd.legit[i*maxMem+s]
		}
		lk := &wd.look[pj]
		p := wd.learnRate(mine, lk.legit[ps], wd.perf[i*maxMem+main], int32(lk.perf[ps]))
		kn, v := wd.beliefs(i)
		_, gained := agents.Adopt(kn, v, wd.snapKnown[pj*wd.w:(pj+1)*wd.w], wd.snapValue[pj*wd.w:(pj+1)*wd.w], cm.domain, wd.reality, p, &r)
		wd.learned[i] += int32(gained)
		wd.record(i, pj, c2, true)
	}
}

// updateChunk is phases 8 and 9: legitimacy, motivation and identity, and
// the decay of ties.
func (wd *World) updateChunk(_, ch int) {
	lo, hi := wd.chunkRange(ch)
	mp := wd.mp
	lg, mo := &mp.Legitimacy, &mp.Motivate
	alpha := 1 / float64(max(1, mp.Stage.Window))
	for i := lo; i < hi; i++ {
		kn, v := wd.beliefs(i)
		var e effects
		took := false
		for s := 0; s < maxMem; s++ {
			j := i*maxMem + s
			c := int(wd.memC[j])
			if c < 0 {
				continue
			}
			cm := &wd.comms[c]
			part := wd.part[j]
			took = took || part
			e.overManagement = max(e.overManagement, cm.eff.overManagement)
			e.individual = max(e.individual, cm.eff.individual)
			e.recognition = max(e.recognition, cm.eff.recognition)
			if mp.LPP {
				access := 1.0
				if wd.role(wd.legit[j]) < agents.Core {
					closure := lg.Closure * cm.coreShare
					if cm.relationship == scenarios.Strategic {
						closure += lg.StrategicClosure
					}
					access = clamp01(lg.Access - closure + mp.Management.SupportAccess*cm.eff.support)
				}
				rec := 0.0
				if part {
					agree := agents.Agreement(kn, v, cm.codeKnown, cm.codeValue, cm.domain)
					comp := agents.Knowledge(kn, v, wd.reality, cm.domain)
					rec = agents.Recognition(agree, comp, lg.CompetenceWeight)
				}
				wd.legit[j] = agents.Legitimacy(wd.legit[j], part, lg.Gain, lg.Decay, access, rec, lg.Momentum)
				role := wd.role(wd.legit[j])
				if role >= agents.Active && wd.toActive[j] < 0 {
					wd.toActive[j] = int32(wd.tick)
					if wd.joined[j] >= 0 {
						wd.reachedAfter(wd.toActiveHist, int32(wd.tick)-wd.joined[j])
					}
				}
				if role == agents.Core && wd.toCore[j] < 0 {
					wd.toCore[j] = int32(wd.tick)
					if wd.joined[j] >= 0 {
						wd.reachedAfter(wd.toCoreHist, int32(wd.tick)-wd.joined[j])
					}
				}
			}
			x := 0.0
			if part {
				x = 1
			}
			wd.partEMA[j] += alpha * (x - wd.partEMA[j])
			if mp.Motivation {
				wd.ident[j] = agents.Identity(wd.ident[j], part, mo.IdentityGain, mo.IdentityDecay)
			}
		}
		if mp.Motivation {
			recog := 0.0
			if took {
				recog = mo.Recognition * e.recognition
			}
			wd.motiv[i] = agents.Motivation(wd.motiv[i], wd.motivBase[i], mo.Relax, mo.LearningGain, int(wd.learned[i]),
				recog, mo.CrowdingOut*e.individual, mo.AutonomyLoss*e.overManagement)
		}
		if mp.Network {
			keep := float32(1 - mp.Encounter.TieDecay)
			for t := i * maxTies; t < (i+1)*maxTies; t++ {
				if wd.tieTo[t] < 0 {
					continue
				}
				wd.tieW[t] *= keep
				if wd.tieW[t] < tieFloor {
					wd.tieTo[t], wd.tieW[t] = -1, 0
				}
			}
		}
	}
}

// reachedAfter counts a newcomer's career step d ticks after joining. The
// histogram is shared by all chunks; integer atomic adds commute, so the
// counts do not depend on the order in which chunks run, and nothing is
// allocated.
func (wd *World) reachedAfter(hist []int64, d int32) {
	atomic.AddInt64(&hist[min(int(d), len(hist)-1)], 1)
}

// turnoverChunk is phase 10 (March p3): each person leaves with
// probability p3 and is replaced by a newcomer who arrives as an outsider.
// Those who stay may join one more community under boundary activity
// (multi-membership).
func (wd *World) turnoverChunk(slot, ch int) {
	lo, hi := wd.chunkRange(ch)
	a := &wd.acc[slot]
	join := wd.mp.Management.BoundaryJoin
	for i := lo; i < hi; i++ {
		r := wd.stream(i, purposeTurnover)
		if !r.Bernoulli(wd.mp.Turnover) {
			if join > 0 {
				wd.joinAnother(i, join, &r)
			}
			continue
		}
		rn := wd.stream(i, purposeNewcomer)
		wd.newPerson(i, &rn, false)
		a.arrivals++
		for s := 0; s < maxMem; s++ {
			if c := wd.memC[i*maxMem+s]; c >= 0 {
				a.newcomers[c]++
				a.newMemberships++
			}
		}
	}
}

// joinAnother lets person i join, with probability rate times the boundary
// activity they are exposed to, one more community they do not yet belong
// to, entering it as an outsider.
func (wd *World) joinAnother(i int, rate float64, r *rng.Stream) {
	exposure, free := 0.0, -1
	for s := 0; s < maxMem; s++ {
		c := wd.memC[i*maxMem+s]
		if c < 0 {
			if free < 0 {
				free = s
			}
			continue
		}
		exposure = max(exposure, wd.comms[c].eff.boundary)
	}
	if exposure == 0 || free < 0 || !r.Bernoulli(rate*exposure) {
		return
	}
	c := r.Intn(len(wd.comms))
	if wd.slotOf(i, c) >= 0 {
		return
	}
	wd.join(i, free, c, r, false)
	wd.legit[i*maxMem+free] = 0
	wd.ident[i*maxMem+free] = 0
	wd.joined[i*maxMem+free] = -1 // not a newcomer to the organization
}

// atEquilibrium is March's equilibrium: no one differs from a non-zero
// code dimension, and no one could beat the code even with lucky coin flips.
func (wd *World) atEquilibrium() bool {
	for i := 0; i < wd.n; i++ {
		kn, v := wd.beliefs(i)
		for s := 0; s < maxMem; s++ {
			j := i*maxMem + s
			c := int(wd.memC[j])
			if c < 0 {
				continue
			}
			cm := &wd.comms[c]
			for w := range cm.domain {
				if cm.codeKnown[w]&cm.domain[w]&(^kn[w]|(v[w]^cm.codeValue[w])) != 0 {
					return false
				}
			}
			right, wrong := agents.Tally(kn, v, wd.reality, cm.domain)
			zeros := agents.Count(cm.domain) - right - wrong
			if right-wrong+zeros > cm.codeScore {
				return false
			}
		}
	}
	return true
}

func clamp01(x float64) float64 {
	return max(0, math.Min(1, x))
}
