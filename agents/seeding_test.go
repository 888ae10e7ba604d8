package agents

import (
	"testing"
)

// seedCommunity puts the round(seed_experts x strength) people who know
// most of the domain into the community at L = 1, identity 1, placed (not
// newcomers), and sets the repertoire to their majority belief, leaving it
// where they tie.
func TestSeedCommunity(t *testing.T) {
	const m = 6
	wd := tinyWorld(t, 10, 2, "model.dimensions=6", "model.management.seed_experts=5")
	advance(t, wd, 3)
	// Beliefs as +1/-1/0 relative to reality, per dimension; persons 7, 8, 9
	// know most (5, 5 and 4 right), the others at most 2 right.
	rel := map[int]string{
		9: "+++++0",
		8: "+++-+-+"[:6],
		7: "++--++",
		6: "++0000",
		5: "+00000",
	}
	for i := range wd.n {
		kn, v := wd.beliefs(i)
		clear(kn)
		clear(v)
		for d, ch := range rel[i] {
			b := uint64(1) << d
			switch ch {
			case '+':
				kn[0] |= b
				v[0] |= wd.reality[0] & b
			case '-':
				kn[0] |= b
				v[0] |= ^wd.reality[0] & b
			}
		}
		member(wd, i, 0, 1, 0.3, true)
	}
	member(wd, 8, 1, 0, 0.2, false) // already a member of 0: keeps the slot
	// Expected code, per dimension: majority of 9, 8, 7 relative to reality.
	// d0 +++ -> +, d1 +++ -> +, d2 ++- -> +, d3 +-- -> -, d4 +++ -> +, d5 0-+ -> tie.
	wantRel := "+++-+0"

	wd.seedCommunity(0, 0.6) // round(5 x 0.6) = 3 experts

	for i := range wd.n {
		s := wd.slotOf(i, 0)
		if i < 7 {
			if s >= 0 {
				t.Errorf("person %d, not among the 3 best, joined", i)
			}
			continue
		}
		if i == 8 && s != 1 {
			t.Errorf("person 8 moved from slot 1 to %d", s)
		}
		if s < 0 {
			t.Fatalf("expert %d not a member", i)
		}
		j := i*maxMem + s
		if wd.legit[j] != 1 || wd.ident[j] != 1 || wd.joined[j] != -1 || wd.toActive[j] != 3 || wd.toCore[j] != 3 {
			t.Errorf("expert %d: L %g, identity %g, joined %d, active %d, core %d; want 1, 1, placed at tick 3",
				i, wd.legit[j], wd.ident[j], wd.joined[j], wd.toActive[j], wd.toCore[j])
		}
		if wd.memC[i*maxMem] != 1 || wd.legit[i*maxMem] != 0.3 {
			t.Errorf("expert %d lost their membership of community 1", i)
		}
	}
	cm := &wd.comms[0]
	for d := range m {
		b := uint64(1) << d
		got := byte('0')
		if cm.codeKnown[0]&b != 0 {
			got = '-'
			if cm.codeValue[0]&b == wd.reality[0]&b {
				got = '+'
			}
		}
		if got != wantRel[d] {
			t.Errorf("code dimension %d: %c, want %c", d, got, wantRel[d])
		}
	}
	if Count(wd.comms[1].codeKnown) != 0 {
		t.Error("community 1's code changed")
	}
}

// A strength that rounds to no expert does nothing.
func TestSeedCommunityNone(t *testing.T) {
	wd := tinyWorld(t, 10, 1, "model.management.seed_experts=5")
	wd.seedCommunity(0, 0.09)
	for j, c := range wd.memC {
		if c >= 0 {
			t.Fatalf("membership %d made", j)
		}
	}
}
