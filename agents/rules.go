package agents

import (
	"math"
	"math/bits"

	"github.com/copsim/copsim/rng"
)

// Votes accumulates the superior group's actions per dimension for March's
// code learning; weights let central members count more.
type Votes struct {
	Plus, Minus []float64
}

// NewVotes returns empty votes over m dimensions.
func NewVotes(m int) Votes { return Votes{Plus: make([]float64, m), Minus: make([]float64, m)} }

// Reset clears the votes without allocating.
func (v Votes) Reset() {
	clear(v.Plus)
	clear(v.Minus)
}

// Add counts one action over the domain with the given weight.
func (v Votes) Add(act, domain []uint64, weight float64) {
	for w, dm := range domain {
		for x := dm; x != 0; x &= x - 1 {
			b := x & -x
			d := w*64 + bits.TrailingZeros64(b)
			if act[w]&b != 0 {
				v.Plus[d] += weight
			} else {
				v.Minus[d] += weight
			}
		}
	}
}

// LearnCode is March's (1991) code learning: on each domain dimension where
// the superior group's majority differs from the code, the code takes the
// majority with probability 1-(1-p2)^k, k = |majority - minority|. A tie
// changes nothing. It returns how many dimensions changed.
func LearnCode(codeKnown, codeValue, domain []uint64, v Votes, p2 float64, r *rng.Stream) int {
	changed := 0
	for w, dm := range domain {
		for x := dm; x != 0; x &= x - 1 {
			b := x & -x
			d := w*64 + bits.TrailingZeros64(b)
			plus, minus := v.Plus[d], v.Minus[d]
			if plus == minus {
				continue
			}
			majPlus := plus > minus
			if codeKnown[w]&b != 0 && (codeValue[w]&b != 0) == majPlus {
				continue
			}
			k := math.Abs(plus - minus)
			if r.Float64() < 1-math.Pow(1-p2, k) {
				codeKnown[w] |= b
				if majPlus {
					codeValue[w] |= b
				} else {
					codeValue[w] &^= b
				}
				changed++
			}
		}
	}
	return changed
}

// Recognition is how far a community recognises a member: agreement with
// its repertoire (communities recognise those who share their practice, the
// seed of insularity; Wenger 1998) mixed with competence in its domain.
func Recognition(agreement, competence, competenceWeight float64) float64 {
	return (1-competenceWeight)*agreement + competenceWeight*competence
}

// Legitimacy moves a member's legitimacy l: inward with participation,
// access and recognition, saturating at 1; outward with absence, in
// proportion to what there is to lose (Lave & Wenger 1991).
//
//	l' = l + gain*access*recognition*((1-momentum) + momentum*l)*(1-l)   if the member took part
//	l' = l - decay*l                                                    otherwise
//
// With momentum > 0 the way in speeds up as one moves in, which makes
// careers bimodal: most stay at the periphery, some go all the way in.
func Legitimacy(l float64, participated bool, gain, decay, access, recognition, momentum float64) float64 {
	if participated {
		l += gain * access * recognition * ((1 - momentum) + momentum*l) * (1 - l)
	} else {
		l -= decay * l
	}
	return clamp01(l)
}

// Motivation updates intrinsic motivation m (baseline base, the person's
// disposition) for one tick:
//
//	m' = m + relax*(base-m) + learn*learned*(1-m) + recog*(1-m)
//	       - crowd*m - autonomy*m
//
// learned is the number of dimensions the person got right this tick
// through the community; crowd and autonomy are the tick's crowding-out by
// individual rewards (Deci, Koestner & Ryan 1999) and autonomy loss under
// over-management; recog is the feedback of recognised participation.
func Motivation(m, base, relax, learn float64, learned int, recog, crowd, autonomy float64) float64 {
	m += relax*(base-m) + learn*float64(learned)*(1-m) + recog*(1-m) - crowd*m - autonomy*m
	return clamp01(m)
}

// Identity is a member's attachment to a community: up with each tick of
// participation as far as it was self-determined, decaying slowly
// otherwise (Wenger 1998, identity as belonging). own in [0,1] is the
// autonomous share of this tick's participation: the share of the drive
// that motivation and identity make up when the member took part
// voluntarily, 0 when they took part as mandated or not at all. Behaviour
// done for a reward or under a mandate is not internalised as one's own
// (Ryan & Deci 2000).
//
//	id' = clamp(id + gain*own*(1-id) - decay*(id + gain*own*(1-id)))
func Identity(id, own, gain, decay float64) float64 {
	id += gain * own * (1 - id)
	id -= decay * id
	return clamp01(id)
}

// Engagement is the probability of taking part voluntarily this tick:
// time x clamp(drive), drive the weighted sum of motivation, identity and
// extrinsic incentives.
func Engagement(timeEff, drive float64) float64 {
	return clamp01(timeEff) * clamp01(drive)
}

// Compliance is the probability that a member who did not take part
// voluntarily takes part as mandated: forced x e_over, within the time the
// member has (compulsory membership does not lift the project load).
func Compliance(timeEff, forced, over float64) float64 {
	return clamp01(timeEff) * clamp01(forced*over)
}

func clamp01(x float64) float64 {
	if x < 0 {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}
