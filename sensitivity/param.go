package sensitivity

import (
	"fmt"
	"math"
)

// Param is one input varied by a design: a name and a range, sampled
// uniformly, or log-uniformly for a rate that spans orders of magnitude.
type Param struct {
	Name      string
	Low, High float64
	Log       bool // log-uniform: Low and High must be above 0
}

// At maps u in [0, 1] onto the parameter's range.
func (p Param) At(u float64) float64 {
	if p.Log {
		return math.Exp(math.Log(p.Low) + u*(math.Log(p.High)-math.Log(p.Low)))
	}
	return p.Low + u*(p.High-p.Low)
}

// Check reports what is wrong with the parameter's range, or nil.
func (p Param) Check() error {
	switch {
	case math.IsNaN(p.Low) || math.IsNaN(p.High) || math.IsInf(p.Low, 0) || math.IsInf(p.High, 0):
		return fmt.Errorf("%s: the range must be finite, got %v to %v", p.Name, p.Low, p.High)
	case !(p.Low < p.High):
		return fmt.Errorf("%s: the range must run from low to a higher high, got %v to %v", p.Name, p.Low, p.High)
	case p.Log && p.Low <= 0:
		return fmt.Errorf("%s: a log-uniform range must lie above 0, got %v to %v", p.Name, p.Low, p.High)
	}
	return nil
}
