package agents

import "unsafe"

// The lookup line is 64 bytes: prefetchTies computes a person's line as
// look + 64 × index.
const _ = uint(unsafe.Sizeof(lookup{}) - 64)
const _ = uint(64 - unsafe.Sizeof(lookup{}))

// maxTies is 8 in prefetchTies.
const _ = uint(maxTies - 8)
const _ = uint(8 - maxTies)

// prefetchTies asks the processor to bring the lookup lines of the people
// in to (those >= 0) into cache, without waiting for them: a person's ties
// are read a little later (see encounter), by then from cache.
//
//go:noescape
func prefetchTies(look *lookup, to *[maxTies]int32)

// prefetch asks the processor to bring the cache line at p into cache,
// without waiting for it.
//
//go:noescape
func prefetch(p unsafe.Pointer)
