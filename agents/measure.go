package agents

import (
	"math"
	"math/bits"

	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/sim"
)

// commAcc accumulates one community's measures over one chunk of people.
type commAcc struct {
	members, outsiders, peripheral, active, core, participants int
	know, knowCore, knowActive, knowPeripheral, motiv, ident   float64
	internal, external, boundary, encounters, strongTies       int
	hist                                                       [giniBins]int32
	plus, minus                                                []int32 // per dimension, among members
	voluntary, mandated                                        int     // members who took part by choice / only as mandated
}

// measureShard is how many people one measurement task covers: larger
// than a chunk, because its accumulators hold a histogram and belief
// counts for every community, and merging them costs shards x communities.
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
	newcomers                                                     []int // per community, this tick
	arrivals, newMemberships                                      int   // over the run
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

// clearLive zeroes the counts that engagement makes each tick.
func (a *slotAcc) clearLive() {
	clear(a.liveMembers)
	clear(a.liveCore)
	clear(a.liveParticipants)
	clear(a.liveCoreParticipants)
}

// newMeasureAcc returns the accumulators of one measurement shard: one per
// community, then the organization ("all").
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

// isMember reports whether person i is a member (peripheral or more) of c.
func (wd *World) isMember(i, c int) bool {
	s := wd.slotOf(i, c)
	return s >= 0 && wd.role(wd.legit[i*maxMem+s]) >= Peripheral
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

func (wd *World) measureChunk(_, sh int) {
	lo := sh * measureShard
	hi := min(lo+measureShard, wd.n)
	acc := wd.macc[sh]
	for c := range acc {
		acc[c].reset()
	}
	C := len(wd.comms)
	org := &acc[C]
	for i := lo; i < hi; i++ {
		kn, v := wd.beliefs(i)
		know := Knowledge(kn, v, wd.reality, wd.all)
		best, took, ema, ident := Outsider, false, 0.0, 0.0
		vol := false // took part voluntarily in some community where a member
		for s := 0; s < maxMem; s++ {
			j := i*maxMem + s
			c := int(wd.memC[j])
			if c < 0 {
				continue
			}
			role := wd.role(wd.legit[j])
			ca := &acc[c]
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
			ca.addMember(role, knowC, wd.motiv[i], wd.ident[j], wd.part[j], wd.partEMA[j])
			ca.addTaking(wd.part[j], wd.part[j] && !wd.mand[j])
			vol = vol || (wd.part[j] && !wd.mand[j])
			ca.addBeliefs(kn, v, cm.domain)
			for t := i * maxTies; t < (i+1)*maxTies; t++ {
				if to := wd.tieTo[t]; to >= 0 && wd.tieW[t] >= 0.2 && wd.tieGen[t] == wd.arrived[to] && wd.isMember(int(to), c) {
					ca.strongTies++
				}
			}
		}
		if best == Outsider {
			org.outsiders++
		} else {
			org.addMember(best, know, wd.motiv[i], ident, took, ema)
			org.addTaking(took, vol)
			org.addBeliefs(kn, v, wd.all)
		}
		// Encounters initiated by i, for the E-I index and boundary share.
		for e := i * wd.encCap; e < i*wd.encCap+int(wd.encN[i]); e++ {
			pj, ctx, bnd := int(wd.encTo[e]), int(wd.encC[e]), wd.encB[e]
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
}

func (ca *commAcc) addMember(role Role, know, motiv, ident float64, part bool, ema float64) {
	ca.members++
	ca.know += know
	ca.motiv += motiv
	ca.ident += ident
	switch role {
	case Peripheral:
		ca.peripheral++
		ca.knowPeripheral += know
	case Active:
		ca.active++
		ca.knowActive += know
	case Core:
		ca.core++
		ca.knowCore += know
	}
	if part {
		ca.participants++
	}
	b := int(ema * giniBins)
	ca.hist[min(max(b, 0), giniBins-1)]++
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

func (ca *commAcc) merge(o *commAcc) {
	ca.members += o.members
	ca.outsiders += o.outsiders
	ca.peripheral += o.peripheral
	ca.active += o.active
	ca.core += o.core
	ca.participants += o.participants
	ca.know += o.know
	ca.knowCore += o.knowCore
	ca.knowActive += o.knowActive
	ca.knowPeripheral += o.knowPeripheral
	ca.motiv += o.motiv
	ca.ident += o.ident
	ca.internal += o.internal
	ca.external += o.external
	ca.boundary += o.boundary
	ca.encounters += o.encounters
	ca.strongTies += o.strongTies
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
	wd.eng.Parallel(len(wd.macc), wd.fMeasure)
	C := len(wd.comms)
	tot := wd.tot
	for c := range tot {
		tot[c].reset()
	}
	for sh := range wd.macc {
		for c := range tot {
			tot[c].merge(&wd.macc[sh][c])
		}
	}
	wd.findCoordinators()
	rows := make([]measure.Row, 0, C+1)
	repK, repS := 0.0, 0.0
	for c := range wd.comms {
		cm := &wd.comms[c]
		t := &tot[c]
		row := wd.baseRow(cm.name, t, cm.domainFrom, cm.domainTo)
		row.RepertoireKnowledge = Knowledge(cm.codeKnown, cm.codeValue, wd.reality, cm.domain)
		row.RepertoireScore = float64(Score(cm.codeKnown, cm.codeValue, wd.reality, cm.domain)) / float64(wd.m)
		row.Newcomers = wd.newcomers[c]
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
	org := wd.baseRow("all", &tot[C], 0, wd.m)
	org.RepertoireKnowledge = repK / float64(C)
	org.RepertoireScore = repS / float64(C)
	org.Divergence = wd.divergence()
	for _, k := range wd.newcomers {
		org.Newcomers += k
	}
	org.Stage = wd.orgStage()
	rows = append(rows, org)
	if org.KnowledgeMean > wd.peakKnow {
		wd.peakKnow = org.KnowledgeMean
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
	row.Identity = mean(t.ident, t.members)
	row.Diversity = diversityOf(t.plus[from:to], t.minus[from:to], t.members)
	row.MajorityKnowledge = wd.majorityKnowledge(t, from, to)
	row.EIIndex = math.NaN() // no encounters: undefined, not balanced
	if n := t.internal + t.external; n > 0 {
		row.EIIndex = float64(t.external-t.internal) / float64(n)
	}
	row.BoundaryShare = ratio(float64(t.boundary), float64(t.encounters))
	return row
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
// communities' repertoires differ, over all pairs.
func (wd *World) divergence() float64 {
	C := len(wd.comms)
	if C < 2 {
		return 0
	}
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
				sum += float64(diff) / float64(n)
				pairs++
			}
		}
	}
	return ratio(sum, float64(pairs))
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
	}
	// Role shares over memberships, as in the field's reports of a community.
	var per, act, core int
	for _, r := range last[:len(last)-1] {
		per += r.Peripheral
		act += r.Active
		core += r.Core
	}
	if n := float64(per + act + core); n > 0 {
		s.PeripheralShare, s.ActiveShare, s.CoreShare = float64(per)/n, float64(act)/n, float64(core)/n
	}
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
	s.KnowledgeRetained = ratio(org.KnowledgeMean, wd.peakKnow)
	return s
}

// orgKnowledge is the share of dimensions on which the organization's
// majority belief (over everyone) is right.
func (wd *World) orgKnowledge() float64 {
	plus, minus := make([]int, wd.m), make([]int, wd.m)
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
