package agents

// Role is a person's form of participation in one community, derived from
// their legitimacy there (Lave & Wenger 1991; Wenger, McDermott & Snyder 2002).
type Role uint8

// Roles from the outside in.
const (
	Outsider Role = iota
	Peripheral
	Active
	Core
)

var roleNames = [...]string{"outsider", "peripheral", "active", "core"}

func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return "unknown"
}

// RoleOf derives a role from legitimacy l with the thresholds of the
// scenario: peripheral from p, active from a, core from c (p <= a <= c).
func RoleOf(l, p, a, c float64) Role {
	switch {
	case l >= c:
		return Core
	case l >= a:
		return Active
	case l >= p:
		return Peripheral
	default:
		return Outsider
	}
}

// Stage is a community's stage of development (Wenger, McDermott & Snyder
// 2002), derived each tick from its state.
type Stage uint8

// Stages in the order a community usually passes through them.
const (
	Potential Stage = iota
	Coalescing
	Maturing
	Stewardship
	Transformation
	Dispersed
)

var stageNames = [...]string{"potential", "coalescing", "maturing", "stewardship", "transformation", "dispersed"}

func (s Stage) String() string {
	if int(s) < len(stageNames) {
		return stageNames[s]
	}
	return "unknown"
}

// Stages lists every stage in order, for legends and tables.
var Stages = []Stage{Potential, Coalescing, Maturing, Stewardship, Transformation, Dispersed}
