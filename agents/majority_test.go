package agents

import (
	"fmt"
	"testing"

	"github.com/copsim/copsim/rng"
)

func TestAdoptMajority(t *testing.T) {
	// p = 1: on each dimension the learner takes the view more of the
	// sources hold; zeros abstain, ties teach nothing.
	tests := []struct {
		name    string
		learner string
		sources []string
		want    string
		changed int
	}{
		{"one source", "0-+0", []string{"++-0"}, "++-0", 3},
		{"majority wins", "0000", []string{"++--", "+-+-", "+++0"}, "+++-", 4},
		{"tie teaches nothing", "0-00", []string{"+-+0", "-+-0"}, "0-00", 0},
		{"zeros abstain", "-000", []string{"+000", "0000", "0000"}, "+000", 1},
		{"agreeing learner is unchanged", "+-+-", []string{"+-+-", "+-+-"}, "+-+-", 0},
	}
	_, reality := beliefsOf("++++")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, v := beliefsOf(tt.learner)
			var sk, sv []uint64
			srcs := make([]int32, len(tt.sources))
			for s, b := range tt.sources {
				k1, v1 := beliefsOf(b)
				sk, sv = append(sk, k1...), append(sv, v1...)
				srcs[s] = int32(s)
			}
			r := rng.New(7)
			changed, gained := AdoptMajority(k, v, sk, sv, srcs, Mask(1, 0, 4), reality, 1, &r)
			if got := stringOf(k, v, 4); got != tt.want || changed != tt.changed {
				t.Errorf("got %s (changed %d), want %s (changed %d)", got, changed, tt.want, tt.changed)
			}
			k0, v0 := beliefsOf(tt.learner)
			wantGained := 0
			for d := 0; d < 4; d++ {
				b := uint64(1) << d
				if (k[0]^k0[0]|v[0]^v0[0])&b != 0 && v[0]&b != 0 {
					wantGained++
				}
			}
			if gained != wantGained {
				t.Errorf("gained %d, want %d", gained, wantGained)
			}
		})
	}
	k, v := beliefsOf("0000")
	sk, sv := beliefsOf("++++")
	r := rng.New(7)
	if c, _ := AdoptMajority(k, v, sk, sv, []int32{0}, Mask(1, 0, 4), reality, 0, &r); c != 0 {
		t.Errorf("p = 0 changed %d dimensions", c)
	}
	if c, _ := AdoptMajority(k, v, sk, sv, nil, Mask(1, 0, 4), reality, 1, &r); c != 0 {
		t.Errorf("no sources changed %d dimensions", c)
	}
}

func ExampleAdoptMajority() {
	// Three better-performing partners; the learner takes their majority
	// view wherever it differs from its own.
	k, v := beliefsOf("0-0")
	var sk, sv []uint64
	for _, b := range []string{"++-", "+--", "-+0"} {
		k1, v1 := beliefsOf(b)
		sk, sv = append(sk, k1...), append(sv, v1...)
	}
	_, reality := beliefsOf("+++")
	r := rng.New(1)
	changed, gained := AdoptMajority(k, v, sk, sv, []int32{0, 1, 2}, Mask(1, 0, 3), reality, 1, &r)
	fmt.Println(stringOf(k, v, 3), changed, gained)
	// Output: ++- 3 2
}

func TestCrossGroupDraws(t *testing.T) {
	// Two communities of three, everyone taking part: with cross_group 0
	// every encounter stays in one's own community; with 1 every one goes
	// to the other; in between, about that share.
	for _, tt := range []struct {
		x      string
		lo, hi float64
	}{{"0", 0, 0}, {"0.3", 0.2, 0.4}, {"1", 1, 1}} {
		wd := tinyWorld(t, 6, 2, "model.encounter.cross_group="+tt.x, "model.encounter.partners=2")
		for i := 0; i < 6; i++ {
			member(wd, i, 0, i/3, 0.5, true)
		}
		settle(wd)
		cross, all := 0, 0
		for tick := 0; tick < 200; tick++ {
			wd.clearEncounters()
			wd.snapshot()
			wd.encounter(0, 0, 6)
			wd.eachEncounter(func(i int, e encEntry) {
				all++
				other := int(e.to)/3 != i/3
				if other != e.boundary() || other != (int(e.c) != i/3) {
					t.Fatalf("x=%s: encounter %d->%d in %d recorded as boundary %v", tt.x, i, e.to, e.c, e.boundary())
				}
				if other {
					cross++
				}
			})
		}
		share := float64(cross) / float64(all)
		if share < tt.lo || share > tt.hi {
			t.Errorf("cross_group=%s: share of encounters in the other community %.3f, want %v to %v", tt.x, share, tt.lo, tt.hi)
		}
	}
}
