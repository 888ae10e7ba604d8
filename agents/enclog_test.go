package agents

import (
	"fmt"
	"slices"
	"testing"

	"github.com/copsim/copsim/sim"
)

// The encounter log keeps what record was given, person by person in the
// order recorded, at most encCap a person a tick, whatever the order in
// which people record (a phase appends a run in the order of people; a
// test may record in any order); it grows past its first size of one entry
// a person, but never past encCap a person, which EstimateMemory prices.
func TestEncounterLog(t *testing.T) {
	type rec struct {
		to, c    int
		boundary bool
	}
	const n = sim.ChunkSize + 88 // a full chunk and a short one
	for _, tc := range []struct {
		name  string
		calls func(encCap int) []int // the people who record, in order
	}{
		{"phases", func(encCap int) []int {
			// encounters, person by person, then boundary encounters
			var ps []int
			for i := range n {
				for range (i % encCap) + 1 {
					ps = append(ps, i)
				}
			}
			for i := 0; i < n; i += 3 {
				ps = append(ps, i)
			}
			return ps
		}},
		{"any order", func(encCap int) []int {
			var ps []int
			for k := range encCap + 3 {
				for i := range n {
					ps = append(ps, (i*7919+k*31)%n)
				}
			}
			return ps
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wd := tinyWorld(t, n, 3, "model.encounter.partners=2")
			want := make([][]rec, n)
			for k, i := range tc.calls(wd.encCap) {
				r := rec{to: (i + k + 1) % n, c: k % 3, boundary: k%4 == 3}
				wd.record(i, r.to, r.c, r.boundary)
				if len(want[i]) < wd.encCap {
					want[i] = append(want[i], r)
				}
			}
			total := 0
			for i := range n {
				total += len(want[i])
			}
			got := make([][]rec, n)
			last := -1
			wd.eachEncounter(func(i int, e encEntry) {
				if i < last {
					t.Fatalf("person %d after %d", i, last)
				}
				last = i
				got[i] = append(got[i], rec{int(e.to), int(e.c), e.boundary()})
			})
			for i := range n {
				if !slices.Equal(got[i], want[i]) {
					t.Fatalf("person %d: got %v, want %v", i, got[i], want[i])
				}
				if int(wd.encN[i]) != len(want[i]) {
					t.Fatalf("person %d: counted %d, want %d", i, wd.encN[i], len(want[i]))
				}
			}
			for ch := range wd.encLog {
				lo, hi := wd.eng.ChunkRange(ch)
				if c := cap(wd.encLog[ch].e); c > (hi-lo)*wd.encCap || c <= hi-lo {
					t.Errorf("chunk %d: room for %d entries, want more than its %d people and at most %d", ch, c, hi-lo, (hi-lo)*wd.encCap)
				}
			}
			// Someone who takes a person's place does not inherit their
			// encounters; the others keep theirs.
			wd.forgetEncounters(5)
			k := 0
			wd.eachEncounter(func(i int, e encEntry) {
				if i == 5 {
					t.Fatal("a forgotten encounter")
				}
				k++
			})
			if wd.encN[5] != 0 || k != total-len(want[5]) {
				t.Errorf("after forgetting person 5: count %d, %d encounters; want 0, %d", wd.encN[5], k, total-len(want[5]))
			}
			wd.clearEncounters()
			wd.eachEncounter(func(i int, e encEntry) { t.Fatal("an encounter after clearing") })
		})
	}
}

// EstimateMemory prices the encounter logs at their largest: a world whose
// every person records all they can holds no more than it says.
func TestEstimateMemoryPricesFullLogs(t *testing.T) {
	sc := smallScenario(t, "population.people=20000", "model.encounter.partners=32")
	got, z := heapOfWorld(t, &sc, func(wd *World) {
		for i := range wd.n {
			for k := 0; k < wd.encCap; k++ {
				wd.record(i, (i+k+1)%wd.n, 0, false)
			}
		}
	})
	built, largest := worldBytes(z, 1, false), worldBytes(z, 1, true)
	t.Logf("full logs: %d bytes; built %d, largest %d", got, built, largest)
	if got < built+int64(z.encounters)*4 {
		t.Errorf("full logs took %d bytes, want more than the %d of a new world and half of the entries", got, built)
	}
	if float64(got) > 1.05*float64(largest) {
		t.Errorf("full logs took %d bytes, more than the %d priced", got, largest)
	}
}

// TestEncountersInPersonOrder checks World.Encounters after real ticks, in
// which encounters interleave participants and boundary encounters append
// a second pass: people come in order, each with as many encounters as
// they recorded, the same ones the chunks' logs hold.
func TestEncountersInPersonOrder(t *testing.T) {
	sc := smallScenario(t, fmt.Sprintf("population.people=%d", 2*sim.ChunkSize+500), "population.communities=4",
		"model.encounter.partners=3", "model.encounter.boundary=0.3")
	wd := mustWorld(t, &sc, 0, 2)
	defer wd.Close()
	interleaved := false
	for tick := 0; tick < 5; tick++ {
		wd.Step()
		logged := map[encEntry]int{}
		for ch := range wd.encLog {
			interleaved = interleaved || !inPersonOrder(wd.encLog[ch].e)
			for _, e := range wd.encLog[ch].e {
				logged[encEntry{e.to, e.c, uint16(ch*sim.ChunkSize + e.person())}]++
			}
		}
		counts := make([]int, wd.n)
		last := -1
		wd.Encounters(func(a, b int, boundary bool) {
			if a < last {
				t.Fatalf("tick %d: person %d after %d", tick, a, last)
			}
			last = a
			counts[a]++
		})
		seen := 0
		wd.eachEncounter(func(i int, e encEntry) {
			k := encEntry{e.to, e.c, uint16(i)}
			if logged[k] == 0 {
				t.Fatalf("tick %d: person %d's encounter with %d is not in the logs", tick, i, e.to)
			}
			logged[k]--
			seen++
		})
		for i, n := range counts {
			if n != int(wd.encN[i]) {
				t.Fatalf("tick %d: person %d: %d encounters, encN %d", tick, i, n, wd.encN[i])
			}
		}
		if seen == 0 {
			t.Fatalf("tick %d: no encounters", tick)
		}
	}
	if !interleaved {
		t.Error("no chunk's log was out of person order: the test does not reach the sort")
	}
}
