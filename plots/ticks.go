package plots

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// NiceTicks places about N labelled ticks at round values (1, 2 or 5 times
// a power of ten) with unlabelled minor ticks between them, and labels them
// with as many decimals as the step needs, the same for every label ("0",
// "20", "40" rather than plot.DefaultTicks' "0.00", "25.00", "50.00";
// "0.0", "0.5", "1.0"). N <= 0 means 5.
type NiceTicks struct{ N int }

var _ plot.Ticker = NiceTicks{}

// Ticks implements plot.Ticker.
func (t NiceTicks) Ticks(lo, hi float64) []plot.Tick {
	n := t.N
	if n <= 0 {
		n = 5
	}
	if !(hi > lo) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	var step, minor float64
	switch m := raw / mag; {
	case m < 1.5:
		step, minor = mag, mag/5
	case m < 3.5:
		step, minor = 2*mag, mag/2
	case m < 7.5:
		step, minor = 5*mag, mag
	default:
		step, minor = 10*mag, 2*mag
	}
	decimals := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	var ticks []plot.Tick
	eps := step * 1e-9
	for k := math.Ceil((lo - eps) / minor); k*minor <= hi+eps; k++ {
		v := k * minor
		if math.Abs(v) < eps {
			v = 0
		}
		label := ""
		if r := math.Remainder(v, step); math.Abs(r) < eps {
			label = strconv.FormatFloat(v, 'f', decimals, 64)
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	return ticks
}
