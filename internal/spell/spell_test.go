package spell

import (
	"fmt"
	"strings"
	"testing"
)

func TestNearest(t *testing.T) {
	flags := []string{"out", "seed", "reps", "ticks", "workers", "set", "quiet", "no-plots"}
	tests := []struct{ word, want string }{
		{"seed", "seed"},
		{"sed", "seed"},
		{"tick", "ticks"},
		{"Worker", "workers"},
		{"noplots", "no-plots"},
		{"bogus", ""},
		{"x", ""},
		{"ot", "out"},
		{"rep", "reps"},
		{strings.Repeat("s", 100), ""},
	}
	for _, tt := range tests {
		if got := Nearest(tt.word, flags); got != tt.want {
			t.Errorf("Nearest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"kitten", "sitting", 3}, {"flaw", "lawn", 2}, {"same", "same", 0},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Distance(tt.b, tt.a); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetric)", tt.b, tt.a, got, tt.want)
		}
	}
}

func ExampleNearest() {
	fmt.Println(Nearest("tiks", []string{"seed", "ticks", "workers"}))
	// Output: ticks
}
