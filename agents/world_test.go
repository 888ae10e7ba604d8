package agents

import (
	"testing"
	"unsafe"
)

// A person's public state is read once per partner in the hot loops: it
// must fill one cache line, no more (see World.look).
func TestLookupFillsOneCacheLine(t *testing.T) {
	if got := unsafe.Sizeof(lookup{}); got != cacheLine {
		t.Errorf("lookup is %d bytes, want %d (one cache line)", got, cacheLine)
	}
}
