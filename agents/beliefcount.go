package agents

import "math/bits"

// beliefCounter counts, for each dimension, how many of the belief words
// added to it have the dimension's bit set. It is a vertical (bit-sliced)
// counter: plane p holds bit p of every dimension's count, so adding a
// person's words costs a carry through a few planes, not an increment per
// dimension, and measurement adds a word per member and community.
type beliefCounter struct {
	w      int
	planes []uint64 // word x of plane p at p*w+x
	used   int      // planes in use: counts so far are below 1<<used
}

// maxPlanes bounds a count between flushes below 1<<maxPlanes.
const maxPlanes = 32

func newBeliefCounter(w int) beliefCounter {
	return beliefCounter{w: w, planes: make([]uint64, maxPlanes*w)}
}

// add counts the set bits of x, w words.
func (bc *beliefCounter) add(x []uint64) {
	for i, carry := range x[:bc.w] {
		for p := 0; carry != 0; p++ {
			at := p*bc.w + i
			carry, bc.planes[at] = bc.planes[at]&carry, bc.planes[at]^carry
			bc.used = max(bc.used, p+1)
		}
	}
}

// flush adds the counts to counts (64 per word) and clears the counter.
func (bc *beliefCounter) flush(counts []int32) {
	for p := 0; p < bc.used; p++ {
		for i := 0; i < bc.w; i++ {
			at := p*bc.w + i
			for x := bc.planes[at]; x != 0; x &= x - 1 {
				counts[i*64+bits.TrailingZeros64(x)] += 1 << p
			}
			bc.planes[at] = 0
		}
	}
	bc.used = 0
}
