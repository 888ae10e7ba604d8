package agents

import (
	"unsafe"

	"github.com/copsim/copsim/sim"
)

// The encounter log holds this tick's encounters (for measurement, the
// classroom's pictures and a student's week), one log per chunk of people:
// a chunk is written by one worker at a time (encounters, then boundary
// encounters), so it appends to its own log without locks. A person's
// count is in World.encN; the entries name the person who sought them, so
// that no person needs an offset.
//
// A log is sized by what is used, about one entry per person at first, and
// grows by at least a quarter when a tick needs more (a rare allocation,
// as for this tick's participant lists), never beyond the most the chunk's
// people can record (encCap each), which is what EstimateMemory prices.

// encEntry is one encounter: the partner, the community it happened in,
// and who sought it (their index in the chunk) with encBoundary set when
// it crossed a community's boundary. Eight bytes.
type encEntry struct {
	to  int32
	c   int16
	who uint16
}

// encBoundary marks an encounter across a boundary in encEntry.who.
const encBoundary = 1 << 15

// A person's index in their chunk must fit beside encBoundary.
const _ = uint(encBoundary - sim.ChunkSize)

// person is the index in the chunk of who sought the encounter.
func (e encEntry) person() int { return int(e.who &^ encBoundary) }

// boundary reports whether the encounter crossed a community's boundary.
func (e encEntry) boundary() bool { return e.who&encBoundary != 0 }

// encLog is one chunk's encounters of the tick, in the order they were
// recorded. It is padded to a cache line: workers append to neighbouring
// chunks' logs at the same time.
type encLog struct {
	e []encEntry
	_ [cacheLine - unsafe.Sizeof([]encEntry(nil))]byte
}

// newEncLogs returns the logs of chunks chunks for n people, reusing the
// entries of old: empty, each with room for about one entry per person.
func newEncLogs(old []encLog, n, chunks int) []encLog {
	logs := old
	if cap(logs) < chunks {
		logs = make([]encLog, chunks)
	}
	logs = logs[:chunks]
	for ch := range logs {
		people := min(sim.ChunkSize, n-ch*sim.ChunkSize)
		if cap(logs[ch].e) < people {
			logs[ch].e = make([]encEntry, 0, people)
		}
		logs[ch].e = logs[ch].e[:0]
	}
	return logs
}

// growEncLog makes room for one more entry in chunk ch's log: by at least
// a quarter, at most to encCap entries per person of the chunk (a person
// records no more, so that is never short).
func (wd *World) growEncLog(ch int) {
	lg := &wd.encLog[ch]
	lo, hi := wd.eng.ChunkRange(ch)
	most := (hi - lo) * wd.encCap
	k := min(most, max(len(lg.e)+1, cap(lg.e)+cap(lg.e)/4))
	e := make([]encEntry, len(lg.e), k)
	copy(e, lg.e)
	lg.e = e
}

// clearEncounters empties the encounter log of everyone.
func (wd *World) clearEncounters() {
	clear(wd.encN)
	for ch := range wd.encLog {
		wd.encLog[ch].e = wd.encLog[ch].e[:0]
	}
}

// clearEncountersOf empties the encounter logs of the chunk of people lo
// to hi-1, for a new tick (engagement clears each person's count).
func (wd *World) clearEncountersOf(lo, hi int) {
	for ch := lo / sim.ChunkSize; ch*sim.ChunkSize < hi; ch++ {
		wd.encLog[ch].e = wd.encLog[ch].e[:0]
	}
}

// forgetEncounters removes person i's encounters of the tick from the log,
// for someone who took i's place between ticks.
func (wd *World) forgetEncounters(i int) {
	wd.encN[i] = 0
	lg := &wd.encLog[i/sim.ChunkSize]
	who := i % sim.ChunkSize
	k := 0
	for _, e := range lg.e {
		if e.person() != who {
			lg.e[k] = e
			k++
		}
	}
	lg.e = lg.e[:k]
}

// eachEncounter calls fn for every encounter of the tick, in the order of
// the people who sought them and, for each, in the order they were
// recorded.
//
// A chunk's log is not in that order: encounters interleave a few
// participants at a time, and boundary encounters append a second pass. A
// stable counting sort by person restores it, in the world's scratch (this
// is for pictures and tests, not for the tick).
func (wd *World) eachEncounter(fn func(i int, e encEntry)) {
	for ch := range wd.encLog {
		lo := ch * sim.ChunkSize
		es := wd.encLog[ch].e
		if !inPersonOrder(es) {
			es = wd.sortEncounters(es)
		}
		for _, e := range es {
			fn(lo+e.person(), e)
		}
	}
}

// sortEncounters returns a chunk's entries es sorted by the person who
// sought them, stably, in World.encSorted.
func (wd *World) sortEncounters(es []encEntry) []encEntry {
	if wd.encStart == nil {
		wd.encStart = make([]int32, sim.ChunkSize+1)
	}
	start := wd.encStart
	clear(start)
	for _, e := range es {
		start[e.person()+1]++
	}
	for p := 1; p < len(start); p++ {
		start[p] += start[p-1]
	}
	if cap(wd.encSorted) < len(es) {
		wd.encSorted = make([]encEntry, len(es))
	}
	sorted := wd.encSorted[:len(es)]
	for _, e := range es {
		sorted[start[e.person()]] = e
		start[e.person()]++
	}
	return sorted
}

// inPersonOrder reports whether es is in the order of the people who
// sought the encounters.
func inPersonOrder(es []encEntry) bool {
	for k := 1; k < len(es); k++ {
		if es[k].person() < es[k-1].person() {
			return false
		}
	}
	return true
}
