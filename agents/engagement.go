package agents

import (
	"math"
	"sort"
	"unsafe"

	"github.com/copsim/copsim/scenarios"
)

// engage is phase 2: every member decides whether to take part this
// tick, in two stages: voluntarily, by time and drive; failing that, as
// mandated, by compliance with compulsory membership under
// over-management. Every person acts (March's coin flips for zero beliefs)
// and gets a performance in each community's domain.
func (wd *World) engage(slot, lo, hi int) {
	a := &wd.acc[slot]
	wd.clearEncountersOf(lo, hi)
	for i := lo; i < hi; i++ {
		r := wd.eng.Stream(i, purposeEngage)
		wd.encN[i] = 0
		wd.learned[i] = 0
		wd.imported[i], wd.importedRight[i] = 0, 0
		k, v := wd.beliefs(i)
		act := wd.act[i*wd.w : (i+1)*wd.w]
		Act(act, k, v, &r)
		lk := &wd.look[i]
		*lk = lookup{arrived: wd.arrived[i], unit: wd.unit[i], memC: [maxMem]int16{-1, -1, -1, -1}}
		for s := 0; s < maxMem; s++ {
			j := i*maxMem + s
			c := int(wd.memC[j])
			wd.mand[j], wd.own[j] = false, 0
			if c < 0 {
				wd.part[j] = false
				continue
			}
			cm := &wd.comms[c]
			p, forced, own := wd.engageOdds(i, j, cm)
			wd.part[j] = r.Bernoulli(p)
			if wd.part[j] {
				wd.own[j] = own
			}
			// The second draw only where compliance is asked for, so that
			// without over-management the streams are those of one stage.
			if !wd.part[j] && forced > 0 {
				wd.part[j] = r.Bernoulli(forced)
				wd.mand[j] = wd.part[j]
			}
			if wd.students != nil {
				wd.steerPart(i, j, own)
			}
			wd.perf[j] = int16(ActionScore(act, wd.reality, cm.domain))
			lk.legit[s], lk.perf[s], lk.memC[s] = wd.legit[j], wd.perf[j], int16(c)
			if wd.part[j] {
				lk.part |= 1 << s
			}
			role := wd.role(wd.legit[j])
			if role >= Peripheral {
				a.liveMembers[c]++
				if role == Core {
					a.liveCore[c]++
				}
				if wd.part[j] {
					a.liveParticipants[c]++
					if role == Core {
						a.liveCoreParticipants[c]++
					}
				}
			}
		}
	}
}

// engageOdds is person i's chance to take part through membership j in
// community cm this tick, voluntarily (p) and, failing that, as mandated
// (forced), with the autonomous share of the drive of a voluntary
// participation (own).
func (wd *World) engageOdds(i, j int, cm *community) (p, forced float64, own float32) {
	mp := wd.mp
	if !mp.Motivation {
		return 1, 0, 1
	}
	eg, mg := &mp.Engagement, &mp.Management
	e := &cm.eff
	timeEff := (1 - wd.load[i]*(1-mg.TimeGiven*e[scenarios.LeverLegitimize])) * (1 - mg.Overhead*e[scenarios.LeverOverManagement])
	extrinsic := e[scenarios.LeverIndividualReward]*wd.legit[j] + e[scenarios.LeverRecognition] - mg.Penalty*e[scenarios.LeverPenalty]
	autonomous := eg.MotivationWeight*wd.motiv[i] + eg.IdentityWeight*wd.ident[j]
	drive := autonomous + eg.ExtrinsicWeight*extrinsic
	p, own = Engagement(timeEff, drive), 1
	if drive > autonomous {
		own = float32(autonomous / drive)
	}
	return p, Compliance(timeEff, eg.ForcedWeight, e[scenarios.LeverOverManagement]), own
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
	wd.placeParticipants()
	wd.countLive()
}

// placeParticipants lists each community's participants in membership
// order with their cumulative visibility.
func (wd *World) placeParticipants() {
	// A counting sort of the memberships that take part, by community:
	// count, place each community's run, then fill it in membership order.
	off := wd.partOff
	clear(off)
	for i := 0; i < wd.n; i++ {
		if !wd.takesPart(i) { // most people, most ticks
			continue
		}
		for j := i * maxMem; j < (i+1)*maxMem; j++ {
			if c := wd.memC[j]; c >= 0 && wd.part[j] {
				off[c+1]++
			}
		}
	}
	for c := range wd.comms {
		off[c+1] += off[c]
	}
	if total := off[len(wd.comms)]; total > len(wd.partPerson) {
		// More participants than ever before: the lists grow (at most to
		// every membership), by a quarter at least, so that growing is rare.
		k := min(len(wd.memC), max(total, len(wd.partPerson)+len(wd.partPerson)/4))
		wd.partPerson, wd.partSlot, wd.visCum, wd.guide = make([]int32, k), make([]uint8, k), make([]float64, k), make([]int32, k)
	}
	for c := range wd.comms {
		cm := &wd.comms[c]
		cm.partPerson = wd.partPerson[off[c]:off[c]:off[c+1]]
		cm.partSlot = wd.partSlot[off[c]:off[c]:off[c+1]]
		cm.visCum = wd.visCum[off[c]:off[c]:off[c+1]]
	}
	for i := 0; i < wd.n; i++ {
		if !wd.takesPart(i) {
			continue
		}
		for s := 0; s < maxMem; s++ {
			j := i*maxMem + s
			c := wd.memC[j]
			if c < 0 || !wd.part[j] {
				continue
			}
			cm := &wd.comms[c]
			total := 0.0
			if n := len(cm.visCum); n > 0 {
				total = cm.visCum[n-1]
			}
			cm.partPerson = append(cm.partPerson, int32(i))
			cm.partSlot = append(cm.partSlot, uint8(s))
			cm.visCum = append(cm.visCum, total+wd.visibility(wd.legit[j]))
		}
	}
	for c := range wd.comms {
		wd.comms[c].buildGuide(wd.guide[off[c]:off[c+1]])
	}
}

// buildGuide fills guide, as long as the participant list, for
// pickPartner's draws: guide[g] is the first participant whose cumulative
// visibility reaches g / guideScale, with guideScale the number of
// participants over the total visibility.
func (cm *community) buildGuide(guide []int32) {
	cm.guide, cm.guideScale = guide, 0
	np := len(cm.visCum)
	if np == 0 || !(cm.visCum[np-1] > 0) {
		return
	}
	cm.guideScale = float64(np) / cm.visCum[np-1]
	k := 0
	for g := range guide {
		for k < np-1 && cm.visCum[k]*cm.guideScale < float64(g) {
			k++
		}
		guide[g] = int32(k)
	}
}

// searchVis returns the first participant whose cumulative visibility is
// x or more (len(visCum) for none), as sort.SearchFloat64s(visCum, x)
// does. The guide's start is never past it: rounded multiplication by a
// positive scale keeps order, so a visibility at or above x, scaled, is at
// or above x scaled, and so at or above its bucket's floor. From there, a
// step or two forward finds it.
func (cm *community) searchVis(x float64) int {
	np := len(cm.visCum)
	if cm.guideScale == 0 {
		return sort.SearchFloat64s(cm.visCum, x)
	}
	if x != x { // NaN: the search finds none
		return np
	}
	g := x * cm.guideScale
	if !(g >= 0) {
		g = 0
	}
	k := int(cm.guide[int(min(g, float64(np-1)))])
	for k < np && cm.visCum[k] < x {
		k++
	}
	return k
}

// takesPart reports whether person i takes part in some community this
// tick: their maxMem participation flags, read as one 4-byte word (aligned:
// a person's flags start at a multiple of 4).
func (wd *World) takesPart(i int) bool {
	return *(*uint32)(unsafe.Pointer(&wd.part[i*maxMem])) != 0
}

// maxMem is 4 in takesPart.
const _ = uint(maxMem - 4)
const _ = uint(4 - maxMem)

// countLive sums the workers' counts of this tick's members, core and
// participants per community, for closure and the stage classifier.
func (wd *World) countLive() {
	wd.closed = false
	for c := range wd.comms {
		members, core, parts, coreParts := 0, 0, 0, 0
		for s := range wd.acc {
			members += int(wd.acc[s].liveMembers[c])
			core += int(wd.acc[s].liveCore[c])
			parts += int(wd.acc[s].liveParticipants[c])
			coreParts += int(wd.acc[s].liveCoreParticipants[c])
		}
		cm := &wd.comms[c]
		cm.coreShare, cm.liveMembers = 0, members
		rate := 0.0
		if members > 0 {
			cm.coreShare = float64(core) / float64(members)
			rate = float64(parts) / float64(members)
		}
		cm.coreVoice = 0
		if parts > 0 {
			cm.coreVoice = float64(coreParts) / float64(parts)
		}
		cm.closedness = wd.closedness(cm)
		wd.closed = wd.closed || cm.closedness > 0
		// The trend is read on a smoothed rate so that a quiet week is not a decline.
		alpha := 1 / float64(len(cm.partHistory))
		if wd.eng.Tick() == 1 {
			cm.partSmooth = rate
		}
		cm.partSmooth += alpha * (rate - cm.partSmooth)
		cm.partHistory[wd.eng.Tick()%len(cm.partHistory)] = cm.partSmooth
	}
}

// clearLive zeroes the per-slot counts that engagement makes each tick.
func (wd *World) clearLive() {
	for s := range wd.acc {
		wd.acc[s].clearLive()
	}
}

// recordParticipation keeps each membership's recent participation, a
// moving average over model.stage.window ticks, from which the
// participation Gini is measured.
func (wd *World) recordParticipation(_, lo, hi int) {
	alpha := 1 / float64(max(1, wd.mp.Stage.Window))
	for j := lo * maxMem; j < hi*maxMem; j++ {
		if wd.memC[j] < 0 {
			continue
		}
		x := 0.0
		if wd.part[j] {
			x = 1
		}
		wd.partEMA[j] += alpha * (x - wd.partEMA[j])
	}
}
