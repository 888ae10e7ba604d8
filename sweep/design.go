package sweep

// crossProduct returns every combination of one value from each list (a
// full factorial), the last list varying fastest. With no lists it returns
// one empty combination; with an empty list, none.
func crossProduct(lists [][]string) [][]string {
	out := [][]string{{}}
	for _, l := range lists {
		var next [][]string
		for _, prefix := range out {
			for _, v := range l {
				c := append(append([]string(nil), prefix...), v)
				next = append(next, c)
			}
		}
		out = next
	}
	return out
}

// splitmix64 is one step of SplitMix64, a good mixer of neighbouring
// integers into independent-looking ones.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// mix combines values into one well-mixed 64-bit number.
func mix(vals ...uint64) uint64 {
	h := uint64(0x636f7073696d) // "copsim"
	for _, v := range vals {
		h = splitmix64(h ^ splitmix64(v))
	}
	return h
}
