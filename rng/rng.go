// Package rng provides the random streams of the copsim engine. It exists so
// that every agent can draw from a stream of its own, derived from (seed,
// replication, agent, tick, purpose), which is what makes a run
// byte-identical whatever the number of workers: no stream is shared, so the
// order in which goroutines run cannot change any draw.
//
// Keys are mixed through SplitMix64 (Steele, Lea & Flood 2014) so that
// neighbouring keys give unrelated streams; each stream is a wyrand
// generator (Wang Yi), one 64-bit word of state, fast enough to create afresh
// for every agent at every tick.
package rng

import (
	"math"
	"math/bits"
)

// Stream is a small, fast pseudo-random generator. The zero value is a
// valid stream; use Derive to obtain an independent one.
type Stream struct {
	state uint64
}

// mix is SplitMix64's finalizer: a bijection with full avalanche.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

const golden = 0x9e3779b97f4a7c15

// Key folds a sequence of identifiers into one 64-bit key. Each step adds
// the golden ratio and mixes, so (a, b) and (b, a) differ and (a, b+1) is
// unrelated to (a, b).
func Key(parts ...uint64) uint64 {
	h := uint64(0x6a09e667f3bcc909)
	for _, p := range parts {
		h = mix(h + golden + p)
	}
	return h
}

// Derive returns the stream for a key built from (seed, a, b, c, d) without
// allocating; it is the hot-path form of New(Key(...)).
func Derive(seed, a, b, c, d uint64) Stream {
	h := mix(seed + golden)
	h = mix(h + golden + a)
	h = mix(h + golden + b)
	h = mix(h + golden + c)
	h = mix(h + golden + d)
	return Stream{state: h}
}

// New returns the stream seeded by key.
func New(key uint64) Stream { return Stream{state: mix(key)} }

// Uint64 returns a uniformly distributed 64-bit value (wyrand).
func (s *Stream) Uint64() uint64 {
	s.state += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(s.state, s.state^0xe7037ed1a0b428db)
	return hi ^ lo
}

// Float64 returns a uniform value in [0, 1).
func (s *Stream) Float64() float64 {
	return float64(s.Uint64()>>11) * (1.0 / (1 << 53))
}

// Bernoulli reports true with probability p.
func (s *Stream) Bernoulli(p float64) bool {
	if p <= 0 {
		return false
	}
	if p >= 1 {
		return true
	}
	return s.Float64() < p
}

// Intn returns a uniform value in [0, n) for n > 0 (Lemire's method, no
// modulo bias).
func (s *Stream) Intn(n int) int {
	if n <= 0 {
		panic("rng: Intn with n <= 0")
	}
	un := uint64(n)
	hi, lo := bits.Mul64(s.Uint64(), un)
	if lo < un {
		thresh := -un % un
		for lo < thresh {
			hi, lo = bits.Mul64(s.Uint64(), un)
		}
	}
	return int(hi)
}

// Norm returns a standard normal deviate (Box-Muller; one of the pair is
// discarded to keep the stream stateless between calls).
func (s *Stream) Norm() float64 {
	u1 := s.Float64()
	for u1 == 0 {
		u1 = s.Float64()
	}
	u2 := s.Float64()
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

// Gamma returns a Gamma(shape, 1) deviate (Marsaglia & Tsang 2000).
func (s *Stream) Gamma(shape float64) float64 {
	if shape < 1 {
		u := s.Float64()
		return s.Gamma(1+shape) * math.Pow(u, 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := s.Norm()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := s.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// Beta returns a Beta deviate with the given mean in (0,1) and spread in
// (0,1): the concentration a+b is 1/spread, so a smaller spread gives values
// closer to the mean. Mean 0 or 1 returns the mean itself.
func (s *Stream) Beta(mean, spread float64) float64 {
	if mean <= 0 || mean >= 1 || spread <= 0 {
		return mean
	}
	k := 1 / spread
	x := s.Gamma(mean * k)
	y := s.Gamma((1 - mean) * k)
	if x+y == 0 {
		return mean
	}
	return x / (x + y)
}

// Prefix is a key that every stream of one phase at one tick shares: the
// engine builds it once per phase and derives each agent's stream from it
// with a single mix, which is SplitMix64's own seeding step.
type Prefix uint64

// NewPrefix folds (seed, a, b, c) into a Prefix.
func NewPrefix(seed, a, b, c uint64) Prefix {
	h := mix(seed + golden)
	h = mix(h + golden + a)
	h = mix(h + golden + b)
	return Prefix(mix(h + golden + c))
}

// Stream returns the stream of agent id under the prefix.
func (p Prefix) Stream(id uint64) Stream {
	return Stream{state: mix(uint64(p) + golden*(id+1))}
}
