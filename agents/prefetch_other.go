//go:build !amd64

package agents

import "unsafe"

// prefetchTies does nothing on this architecture (see prefetch_amd64.go).
func prefetchTies(look *lookup, to *[maxTies]int32) {}

// prefetch does nothing on this architecture (see prefetch_amd64.go).
func prefetch(p unsafe.Pointer) {}
