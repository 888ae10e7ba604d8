// Package echo is how copsim repeats a user's own text in a message:
// clipped to what a reader can take in, cut at a character boundary, and
// quoted with control characters escaped. Scenario and sweep files, flags
// and the command line all echo text this one way, so that a 100 KB key
// or a terminal escape in a file name never reaches the terminal whole.
package echo

import (
	"strconv"
	"unicode/utf8"
)

// Max is how many bytes of the user's text a message repeats: enough to
// recognize it.
const Max = 40

// Clip shortens s to its first Max bytes, cut at a character boundary,
// and an ellipsis.
func Clip(s string) string { return ClipTo(s, Max) }

// ClipTo shortens s to at most n bytes, cut at a character boundary, and
// an ellipsis.
func ClipTo(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// Quote is Clip in double quotes, with control characters escaped (the
// ellipsis outside the quotes).
func Quote(s string) string {
	if len(s) <= Max {
		return strconv.Quote(s)
	}
	c := Clip(s)
	return strconv.Quote(c[:len(c)-len("…")]) + "…"
}
