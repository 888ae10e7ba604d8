package agents

import (
	"math/bits"

	"github.com/copsim/copsim/rng"
)

// Beliefs over m dimensions are stored as two bitsets of W = ceil(m/64)
// words: Known (the belief is non-zero) and Value (the belief is +1; only
// meaningful where Known). Reality is a Value bitset with every dimension
// known. A domain is a mask of the dimensions a community is about.

// Words returns the number of 64-bit words for m dimensions.
func Words(m int) int { return (m + 63) / 64 }

// Mask returns a bitset of W words with bits [from, to) set.
func Mask(w, from, to int) []uint64 {
	mask := make([]uint64, w)
	for d := from; d < to; d++ {
		mask[d/64] |= 1 << (d % 64)
	}
	return mask
}

// Tally counts, over the dimensions of domain, the beliefs that match
// reality (right) and those that contradict it (wrong); the rest are zero.
func Tally(known, value, reality, domain []uint64) (right, wrong int) {
	for w := range domain {
		k := known[w] & domain[w]
		diff := value[w] ^ reality[w]
		right += bits.OnesCount64(k &^ diff)
		wrong += bits.OnesCount64(k & diff)
	}
	return right, wrong
}

// Knowledge is the share of domain dimensions a belief vector gets right.
func Knowledge(known, value, reality, domain []uint64) float64 {
	n := Count(domain)
	if n == 0 {
		return 0
	}
	right, _ := Tally(known, value, reality, domain)
	return float64(right) / float64(n)
}

// Score is March's performance of a belief vector (or code): the sum of
// belief x reality over the domain, zeros counting nothing.
func Score(known, value, reality, domain []uint64) int {
	right, wrong := Tally(known, value, reality, domain)
	return right - wrong
}

// Count is the number of set bits.
func Count(set []uint64) int {
	n := 0
	for _, w := range set {
		n += bits.OnesCount64(w)
	}
	return n
}

// Act writes into act the action of a person: their belief where it is
// non-zero, a fair coin where it is zero (March 1991). Every dimension of
// an action is known, so act is a Value bitset.
func Act(act, known, value []uint64, r *rng.Stream) {
	for w := range act {
		act[w] = value[w]&known[w] | r.Uint64()&^known[w]
	}
}

// ActionScore is the performance of an action over the domain: agreements
// with reality minus disagreements.
func ActionScore(act, reality, domain []uint64) int {
	agree, n := 0, 0
	for w := range domain {
		agree += bits.OnesCount64(^(act[w] ^ reality[w]) & domain[w])
		n += bits.OnesCount64(domain[w])
	}
	return 2*agree - n
}

// Adopt is interpersonal learning: on each dimension of domain where the
// source holds a non-zero belief that differs from the learner's, the
// learner takes it with probability p. It returns how many dimensions
// changed and how many of those now match reality.
func Adopt(known, value, srcKnown, srcValue, domain, reality []uint64, p float64, r *rng.Stream) (changed, gained int) {
	if p <= 0 {
		return 0, 0
	}
	for w := range domain {
		differ := srcKnown[w] & domain[w] & (^known[w] | (value[w] ^ srcValue[w]))
		for differ != 0 {
			b := differ & -differ
			differ ^= b
			if r.Float64() < p {
				known[w] |= b
				value[w] = value[w]&^b | srcValue[w]&b
				changed++
				if (srcValue[w]^reality[w])&b == 0 {
					gained++
				}
			}
		}
	}
	return changed, gained
}

// AdoptMajority is the learning rule of Fang, Lee & Schilling (2010): on
// each dimension of domain, the sources' majority view is the non-zero
// belief more of them hold (none on a tie, zeros abstaining); where the
// learner's belief differs from it, the learner takes it with probability
// p. Source s's beliefs are words s*w to (s+1)*w of srcKnown and srcValue,
// w = len(known). It returns how many dimensions changed and how many of
// those now match reality.
func AdoptMajority(known, value, srcKnown, srcValue []uint64, srcs []int32, domain, reality []uint64, p float64, r *rng.Stream) (changed, gained int) {
	return adoptMajority(known, value, srcKnown, srcValue, len(known), srcs, domain, reality, p, r)
}

// adoptMajority is AdoptMajority with source s's beliefs at words
// s*stride to s*stride+w of srcKnown and srcValue (the world's snapshot
// keeps a person's known and value words side by side: stride 2w).
func adoptMajority(known, value, srcKnown, srcValue []uint64, stride int, srcs []int32, domain, reality []uint64, p float64, r *rng.Stream) (changed, gained int) {
	if p <= 0 || len(srcs) == 0 {
		return 0, 0
	}
	w := stride
	for x := range domain {
		for d := domain[x]; d != 0; {
			b := d & -d
			d ^= b
			plus, minus := 0, 0
			for _, s := range srcs {
				at := int(s)*w + x
				if srcKnown[at]&b == 0 {
					continue
				}
				if srcValue[at]&b != 0 {
					plus++
				} else {
					minus++
				}
			}
			if plus == minus {
				continue
			}
			var mv uint64
			if plus > minus {
				mv = b
			}
			if known[x]&b != 0 && value[x]&b == mv {
				continue
			}
			if r.Float64() < p {
				known[x] |= b
				value[x] = value[x]&^b | mv
				changed++
				if (mv^reality[x])&b == 0 {
					gained++
				}
			}
		}
	}
	return changed, gained
}

// Socialize is March's (1991) socialization: on each dimension of domain
// where the code is non-zero and the belief differs, the belief moves one
// step toward the code (-1 -> 0 -> +1) with probability p. It returns how
// many dimensions moved.
func Socialize(known, value, codeKnown, codeValue, domain []uint64, p float64, r *rng.Stream) int {
	if p <= 0 {
		return 0
	}
	moved := 0
	for w := range domain {
		differ := codeKnown[w] & domain[w] & (^known[w] | (value[w] ^ codeValue[w]))
		for differ != 0 {
			b := differ & -differ
			differ ^= b
			if r.Float64() < p {
				if known[w]&b != 0 {
					known[w] &^= b // opposite belief: one step to zero
				} else {
					known[w] |= b
					value[w] = value[w]&^b | codeValue[w]&b
				}
				moved++
			}
		}
	}
	return moved
}

// Explore is practice: the person tests dimension d against reality and
// takes its true value, or, with probability errRate, the wrong one. It
// reports whether the belief now matches reality.
func Explore(known, value, reality []uint64, d int, errRate float64, r *rng.Stream) bool {
	w, b := d/64, uint64(1)<<(d%64)
	known[w] |= b
	truth := reality[w] & b
	if r.Float64() < errRate {
		truth ^= b
	}
	value[w] = value[w]&^b | truth
	return truth == reality[w]&b
}

// Agreement is the share of the code's non-zero domain dimensions on which
// the belief equals the code; it is 0.5 (no evidence either way) when the
// code is still empty.
func Agreement(known, value, codeKnown, codeValue, domain []uint64) float64 {
	agree, n := 0, 0
	for w := range domain {
		c := codeKnown[w] & domain[w]
		n += bits.OnesCount64(c)
		agree += bits.OnesCount64(c & known[w] &^ (value[w] ^ codeValue[w]))
	}
	if n == 0 {
		return 0.5
	}
	return float64(agree) / float64(n)
}

// RandomBeliefs draws each dimension uniformly from {-1, 0, +1} (March 1991).
func RandomBeliefs(known, value []uint64, m int, r *rng.Stream) {
	for w := range known {
		known[w], value[w] = 0, 0
	}
	for d := 0; d < m; d++ {
		w, b := d/64, uint64(1)<<(d%64)
		switch r.Intn(3) {
		case 1:
			known[w] |= b
			value[w] |= b
		case 2:
			known[w] |= b
		}
	}
}
