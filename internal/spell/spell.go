// Package spell finds the word a user probably meant, for "did you mean"
// hints in error messages about keys, flags and commands.
package spell

import "strings"

// Nearest returns the candidate closest to word by edit distance, ignoring
// case, when it is within two edits, or "" when none is. Of equally close
// candidates the first wins.
func Nearest(word string, candidates []string) string {
	if len(word) > 64 { // long garbage is not a typo; keep the cost bounded
		return ""
	}
	const limit = 2
	best, bestDist := "", limit+1
	w := strings.ToLower(word)
	for _, c := range candidates {
		if d := Distance(w, strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// Distance is the Levenshtein distance between a and b, in bytes.
func Distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
