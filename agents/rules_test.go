package agents

import (
	"fmt"
	"math"
	"testing"

	"github.com/copsim/copsim/rng"
)

// beliefsOf builds a one-word belief vector from a string of '+', '-', '0'.
func beliefsOf(s string) (known, value []uint64) {
	known, value = make([]uint64, 1), make([]uint64, 1)
	for d, c := range s {
		switch c {
		case '+':
			known[0] |= 1 << d
			value[0] |= 1 << d
		case '-':
			known[0] |= 1 << d
		}
	}
	return known, value
}

func stringOf(known, value []uint64, m int) string {
	b := make([]byte, m)
	for d := 0; d < m; d++ {
		switch {
		case known[0]&(1<<d) == 0:
			b[d] = '0'
		case value[0]&(1<<d) != 0:
			b[d] = '+'
		default:
			b[d] = '-'
		}
	}
	return string(b)
}

func TestTallyKnowledgeScore(t *testing.T) {
	tests := []struct {
		belief, reality string
		right, wrong    int
		knowledge       float64
		score           int
	}{
		{"++++", "++++", 4, 0, 1, 4},
		{"0000", "++++", 0, 0, 0, 0},
		{"+-0+", "++--", 1, 2, 0.25, -1},
		{"--00", "--++", 2, 0, 0.5, 2},
	}
	for _, tt := range tests {
		k, v := beliefsOf(tt.belief)
		_, r := beliefsOf(tt.reality)
		dom := Mask(1, 0, 4)
		right, wrong := Tally(k, v, r, dom)
		if right != tt.right || wrong != tt.wrong {
			t.Errorf("%s vs %s: tally %d/%d, want %d/%d", tt.belief, tt.reality, right, wrong, tt.right, tt.wrong)
		}
		if got := Knowledge(k, v, r, dom); got != tt.knowledge {
			t.Errorf("%s vs %s: knowledge %v, want %v", tt.belief, tt.reality, got, tt.knowledge)
		}
		if got := Score(k, v, r, dom); got != tt.score {
			t.Errorf("%s vs %s: score %v, want %v", tt.belief, tt.reality, got, tt.score)
		}
	}
}

func TestSocializeOneStepTowardCode(t *testing.T) {
	// With p = 1 every differing dimension moves exactly one step:
	// opposite -> 0, 0 -> code; a zero code leaves the belief alone.
	tests := []struct{ belief, code, want string }{
		{"-0+", "+++", "0++"},
		{"+0-", "---", "0--"},
		{"+-0", "000", "+-0"},
		{"+-0", "+-0", "+-0"},
	}
	for _, tt := range tests {
		k, v := beliefsOf(tt.belief)
		ck, cv := beliefsOf(tt.code)
		r := rng.New(1)
		Socialize(k, v, ck, cv, Mask(1, 0, 3), 1, &r)
		if got := stringOf(k, v, 3); got != tt.want {
			t.Errorf("socialize %s toward %s: %s, want %s", tt.belief, tt.code, got, tt.want)
		}
	}
}

func TestSocializeRate(t *testing.T) {
	// Each differing dimension moves with probability p1.
	moved, trials := 0, 0
	r := rng.New(2)
	for i := 0; i < 2000; i++ {
		k, v := beliefsOf("0000000000")
		ck, cv := beliefsOf("++++++++++")
		moved += Socialize(k, v, ck, cv, Mask(1, 0, 10), 0.3, &r)
		trials += 10
	}
	if got := float64(moved) / float64(trials); math.Abs(got-0.3) > 0.015 {
		t.Errorf("share moved %v, want 0.3", got)
	}
}

func TestSocializeRespectsDomain(t *testing.T) {
	k, v := beliefsOf("0000")
	ck, cv := beliefsOf("++++")
	r := rng.New(3)
	Socialize(k, v, ck, cv, Mask(1, 0, 2), 1, &r)
	if got := stringOf(k, v, 4); got != "++00" {
		t.Errorf("socialization outside the domain: %s, want ++00", got)
	}
}

func TestAdopt(t *testing.T) {
	// p = 1: the learner takes every non-zero belief of the source that
	// differs; the source's zeros teach nothing.
	k, v := beliefsOf("+-0+0")
	sk, sv := beliefsOf("-+0++")
	_, reality := beliefsOf("-++++")
	r := rng.New(4)
	changed, gained := Adopt(k, v, sk, sv, Mask(1, 0, 5), reality, 1, &r)
	if got := stringOf(k, v, 5); got != "-+0++" {
		t.Errorf("adopt: %s, want -+0++", got)
	}
	if changed != 3 || gained != 3 {
		t.Errorf("changed %d gained %d, want 3 and 3", changed, gained)
	}
	k, v = beliefsOf("+-0+0")
	if c, _ := Adopt(k, v, sk, sv, Mask(1, 0, 5), reality, 0, &r); c != 0 {
		t.Errorf("p = 0 changed %d dimensions", c)
	}
}

func TestLearnCodeMajority(t *testing.T) {
	tests := []struct {
		name  string
		plus  float64
		minus float64
		code  string
		p2    float64
		want  string
	}{
		{"majority plus, p2 1", 3, 1, "0", 1, "+"},
		{"majority minus overrides code", 1, 4, "+", 1, "-"},
		{"tie changes nothing", 2, 2, "+", 1, "+"},
		{"code already majority", 5, 0, "+", 1, "+"},
		{"p2 0 learns nothing", 5, 0, "0", 0, "0"},
	}
	for _, tt := range tests {
		ck, cv := beliefsOf(tt.code)
		votes := NewVotes(1)
		votes.Plus[0], votes.Minus[0] = tt.plus, tt.minus
		r := rng.New(5)
		LearnCode(ck, cv, Mask(1, 0, 1), votes, tt.p2, &r)
		if got := stringOf(ck, cv, 1); got != tt.want {
			t.Errorf("%s: code %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestLearnCodeProbability(t *testing.T) {
	// The code takes the majority with probability 1-(1-p2)^k, k = |maj-min|.
	for _, k := range []int{1, 2, 3} {
		learned := 0
		r := rng.New(uint64(10 + k))
		const n = 20000
		for i := 0; i < n; i++ {
			ck, cv := beliefsOf("0")
			votes := NewVotes(1)
			votes.Plus[0] = float64(k)
			learned += LearnCode(ck, cv, Mask(1, 0, 1), votes, 0.3, &r)
		}
		want := 1 - math.Pow(0.7, float64(k))
		if got := float64(learned) / n; math.Abs(got-want) > 0.015 {
			t.Errorf("k=%d: learned %.3f of the time, want %.3f", k, got, want)
		}
	}
}

func TestVotesAdd(t *testing.T) {
	_, act := beliefsOf("+-+") // actions are value bits, every dimension known
	v := NewVotes(3)
	v.Add(act, Mask(1, 0, 3), 0.5)
	v.Add(act, Mask(1, 0, 2), 1)
	if v.Plus[0] != 1.5 || v.Minus[1] != 1.5 || v.Plus[2] != 0.5 {
		t.Errorf("votes %+v", v)
	}
}

func TestActFlipsCoinsOnlyForZeros(t *testing.T) {
	k, v := beliefsOf("+-00")
	act := make([]uint64, 1)
	plus := [4]int{}
	r := rng.New(6)
	for i := 0; i < 4000; i++ {
		Act(act, k, v, &r)
		for d := 0; d < 4; d++ {
			if act[0]&(1<<d) != 0 {
				plus[d]++
			}
		}
	}
	if plus[0] != 4000 || plus[1] != 0 {
		t.Errorf("non-zero beliefs must act as held: %v", plus)
	}
	for d := 2; d < 4; d++ {
		if math.Abs(float64(plus[d])/4000-0.5) > 0.03 {
			t.Errorf("dimension %d: coin came up + %d of 4000", d, plus[d])
		}
	}
}

func TestActionScore(t *testing.T) {
	_, act := beliefsOf("++--")
	_, reality := beliefsOf("+-+-")
	if got := ActionScore(act, reality, Mask(1, 0, 4)); got != 0 {
		t.Errorf("score %d, want 0", got)
	}
	if got := ActionScore(act, reality, Mask(1, 0, 1)); got != 1 {
		t.Errorf("score on one dimension %d, want 1", got)
	}
}

func TestExplore(t *testing.T) {
	k, v := beliefsOf("000")
	_, reality := beliefsOf("+-+")
	r := rng.New(7)
	if !Explore(k, v, reality, 1, 0, &r) || stringOf(k, v, 3) != "0-0" {
		t.Errorf("error-free test did not learn the truth: %s", stringOf(k, v, 3))
	}
	if Explore(k, v, reality, 0, 1, &r) || stringOf(k, v, 3) != "--0" {
		t.Errorf("a test that always misleads learned the truth: %s", stringOf(k, v, 3))
	}
}

func TestAgreement(t *testing.T) {
	tests := []struct {
		belief, code string
		want         float64
	}{
		{"+++", "+++", 1},
		{"+-0", "+++", 1.0 / 3},
		{"+-0", "000", 0.5},
		{"---", "+0+", 0},
	}
	for _, tt := range tests {
		k, v := beliefsOf(tt.belief)
		ck, cv := beliefsOf(tt.code)
		if got := Agreement(k, v, ck, cv, Mask(1, 0, 3)); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s vs code %s: %v, want %v", tt.belief, tt.code, got, tt.want)
		}
	}
}

func TestLegitimacy(t *testing.T) {
	tests := []struct {
		name                                 string
		l                                    float64
		part                                 bool
		gain, decay, access, recog, momentum float64
		want                                 float64
	}{
		{"participation moves inward", 0.5, true, 0.1, 0.05, 1, 1, 0, 0.55},
		{"absence moves outward", 0.5, false, 0.1, 0.05, 1, 1, 0, 0.475},
		{"closed access blocks the way in", 0.2, true, 0.1, 0.05, 0, 1, 0, 0.2},
		{"unrecognised practice blocks it too", 0.2, true, 0.1, 0.05, 1, 0, 0, 0.2},
		{"momentum slows the outsider", 0.0, true, 0.1, 0.05, 1, 1, 0.5, 0.05},
		{"momentum helps the insider", 0.8, true, 0.1, 0.05, 1, 1, 0.5, 0.8 + 0.1*0.9*0.2},
		{"never above 1", 1, true, 1, 0, 1, 1, 0, 1},
	}
	for _, tt := range tests {
		got := Legitimacy(tt.l, tt.part, tt.gain, tt.decay, tt.access, tt.recog, tt.momentum)
		if math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestMotivation(t *testing.T) {
	tests := []struct {
		name                   string
		m, base, relax, learn  float64
		learned                int
		recog, crowd, autonomy float64
		want                   float64
	}{
		{"relaxes toward disposition", 0.5, 0.3, 0.1, 0, 0, 0, 0, 0, 0.48},
		{"learning raises it", 0.5, 0.5, 0, 0.1, 2, 0, 0, 0, 0.6},
		{"crowding-out lowers it", 0.5, 0.5, 0, 0, 0, 0, 0.1, 0, 0.45},
		{"lost autonomy lowers it", 0.5, 0.5, 0, 0, 0, 0, 0, 0.2, 0.4},
		{"recognition raises it", 0.5, 0.5, 0, 0, 0, 0.1, 0, 0, 0.55},
	}
	for _, tt := range tests {
		got := Motivation(tt.m, tt.base, tt.relax, tt.learn, tt.learned, tt.recog, tt.crowd, tt.autonomy)
		if math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestIdentityAndEngagement(t *testing.T) {
	if got := Identity(0.5, 1, 0.2, 0); got != 0.6 {
		t.Errorf("identity with self-determined participation %v, want 0.6", got)
	}
	if got := Identity(0.5, 0.5, 0.2, 0); math.Abs(got-0.55) > 1e-12 {
		t.Errorf("identity with half-rewarded participation %v, want 0.55", got)
	}
	if got := Identity(0.5, 0, 0.2, 0.1); got != 0.45 {
		t.Errorf("identity without (or with mandated) participation %v, want 0.45", got)
	}
	for _, tc := range []struct{ timeEff, forced, over, want float64 }{
		{1, 0.5, 1, 0.5}, {0.5, 0.5, 1, 0.25}, {1, 0.5, 0, 0}, {1.2, 2, 1, 1}, {-0.1, 0.5, 1, 0},
	} {
		if got := Compliance(tc.timeEff, tc.forced, tc.over); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("Compliance(%v, %v, %v) = %v, want %v", tc.timeEff, tc.forced, tc.over, got, tc.want)
		}
	}
	if got := Engagement(0.5, 1.4); got != 0.5 {
		t.Errorf("engagement clamps drive: %v, want 0.5", got)
	}
	if got := Engagement(0.8, -0.2); got != 0 {
		t.Errorf("negative drive: %v, want 0", got)
	}
}

func TestRoleOf(t *testing.T) {
	for _, tt := range []struct {
		l    float64
		want Role
	}{{0, Outsider}, {0.03, Peripheral}, {0.29, Peripheral}, {0.3, Active}, {0.6, Core}, {1, Core}} {
		if got := RoleOf(tt.l, 0.03, 0.3, 0.6); got != tt.want {
			t.Errorf("RoleOf(%v) = %v, want %v", tt.l, got, tt.want)
		}
	}
}

func ExampleSocialize() {
	// A belief of -1 facing a code of +1 first loses its conviction.
	known, value := []uint64{0b01}, []uint64{0b00} // dimension 0: -1, dimension 1: 0
	codeKnown, codeValue := []uint64{0b11}, []uint64{0b11}
	r := rng.New(1)
	Socialize(known, value, codeKnown, codeValue, Mask(1, 0, 2), 1, &r)
	fmt.Printf("known %02b value %02b\n", known[0], value[0])
	// Output: known 10 value 10
}
