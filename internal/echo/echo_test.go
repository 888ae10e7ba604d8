package echo

import (
	"fmt"
	"strings"
	"testing"
)

func TestClipAndQuote(t *testing.T) {
	long := strings.Repeat("a", 50)
	tests := []struct{ in, clip, quote string }{
		{"kind", "kind", `"kind"`},
		{long, strings.Repeat("a", 40) + "…", `"` + strings.Repeat("a", 40) + `"…`},
		{"a\x1b[31mred", "a\x1b[31mred", `"a\x1b[31mred"`},
		// 39 bytes then a 2-byte character: cut before it, never inside.
		{strings.Repeat("b", 39) + "éé", strings.Repeat("b", 39) + "…", `"` + strings.Repeat("b", 39) + `"…`},
	}
	for _, tt := range tests {
		if got := Clip(tt.in); got != tt.clip {
			t.Errorf("Clip(%q) = %q, want %q", tt.in, got, tt.clip)
		}
		if got := Quote(tt.in); got != tt.quote {
			t.Errorf("Quote(%q) = %q, want %q", tt.in, got, tt.quote)
		}
	}
	if got := ClipTo("abcdef", 3); got != "abc…" {
		t.Errorf("ClipTo = %q", got)
	}
}

func ExampleQuote() {
	fmt.Println("unknown kind", Quote("over_managment"))
	fmt.Println("unknown key", Quote(strings.Repeat("x", 60)))
	// Output:
	// unknown kind "over_managment"
	// unknown key "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"…
}
