package sat

import (
	"math"
	"testing"
)

func TestMul(t *testing.T) {
	tests := []struct{ a, b, want int64 }{
		{3, 4, 12}, {0, 5, 0}, {-1, 5, 0}, {5, -1, 0},
		{math.MaxInt64, 2, math.MaxInt64}, {1 << 32, 1 << 31, 1<<63 - 1}, {1 << 31, 1 << 31, 1 << 62},
	}
	for _, tt := range tests {
		if got := Mul(tt.a, tt.b); got != tt.want {
			t.Errorf("Mul(%d, %d) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestAdd(t *testing.T) {
	tests := []struct {
		xs   []int64
		want int64
	}{
		{nil, 0}, {[]int64{1, 2, 3}, 6}, {[]int64{5, -3}, 5},
		{[]int64{math.MaxInt64, 1}, math.MaxInt64}, {[]int64{math.MaxInt64 - 1, 1}, math.MaxInt64},
		{[]int64{math.MaxInt64 / 2, math.MaxInt64 / 2, 2}, math.MaxInt64},
	}
	for _, tt := range tests {
		if got := Add(tt.xs...); got != tt.want {
			t.Errorf("Add(%v) = %d, want %d", tt.xs, got, tt.want)
		}
	}
}

func TestInt(t *testing.T) {
	if got := Mul(math.MaxInt/2, 3); got != math.MaxInt {
		t.Errorf("Mul(MaxInt/2, 3) = %d", got)
	}
	if got := Add(math.MaxInt, 1); got != math.MaxInt {
		t.Errorf("Add(MaxInt, 1) = %d", got)
	}
	if got := Mul(6, 7); got != 42 {
		t.Errorf("Mul(6, 7) = %d", got)
	}
}
