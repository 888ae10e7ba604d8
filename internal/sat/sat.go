// Package sat is saturating arithmetic on non-negative integers: products
// and sums that stop at the type's largest value instead of wrapping. Estimates of what an
// absurd scenario or sweep would take (memory, rows, runs) must come out
// huge, never small or negative, so that the refusal they feed is right.
package sat

import "unsafe"

// Integer is the types sat counts in.
type Integer interface{ ~int | ~int64 }

// largest is the largest value of T.
func largest[T Integer]() T {
	half := T(1) << (8*unsafe.Sizeof(T(0)) - 2)
	return half - 1 + half
}

// Mul returns a*b, or T's largest value when the product does not fit; 0
// when an operand is 0 or negative.
func Mul[T Integer](a, b T) T {
	if a <= 0 || b <= 0 {
		return 0
	}
	if m := largest[T](); a > m/b {
		return m
	}
	return a * b
}

// Add returns the sum of xs (negative ones counted as 0), or T's largest
// value when it does not fit.
func Add[T Integer](xs ...T) T {
	var s T
	m := largest[T]()
	for _, x := range xs {
		x = max(x, 0)
		if x > m-s {
			return m
		}
		s += x
	}
	return s
}
