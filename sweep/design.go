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
