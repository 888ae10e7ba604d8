// Package sat is saturating arithmetic on non-negative int64s: products and
// sums that stop at math.MaxInt64 instead of wrapping. Estimates of what an
// absurd scenario or sweep would take (memory, rows, runs) must come out
// huge, never small or negative, so that the refusal they feed is right.
package sat

import "math"

// Mul returns a*b, or math.MaxInt64 when the product does not fit; 0 when
// an operand is 0 or negative.
func Mul(a, b int64) int64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	if a > math.MaxInt64/b {
		return math.MaxInt64
	}
	return a * b
}

// Add returns the sum of xs (negative ones counted as 0), or
// math.MaxInt64 when it does not fit.
func Add(xs ...int64) int64 {
	var s int64
	for _, x := range xs {
		x = max(x, 0)
		if x > math.MaxInt64-s {
			return math.MaxInt64
		}
		s += x
	}
	return s
}
