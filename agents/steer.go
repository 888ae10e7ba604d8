package agents

import (
	"errors"
	"fmt"
	"math"

	"github.com/copsim/copsim/rng"
)

// Students (docs/model.md, "Students (class runs)"): in a class run, some
// persons are played by students, who may decide for them, week by week,
// whether they take part, whom they approach and whether they share what
// they know. Each decision overrides one draw of the model and nothing
// else; a decision left to the model (the zero value) changes nothing.
// Without students none of the hooks below acts, and the world is the
// same, draw for draw, as one that never had any.

// Decision is a student's yes or no for one week; DecideAuto leaves it to
// the model.
type Decision uint8

// Decisions.
const (
	DecideAuto Decision = iota // the model decides, as for anyone else
	DecideYes
	DecideNo
)

var decisionNames = [...]string{"auto", "yes", "no"}

func (d Decision) String() string {
	if int(d) < len(decisionNames) {
		return decisionNames[d]
	}
	return fmt.Sprintf("Decision(%d)", uint8(d))
}

// ParseDecision reads "auto", "yes" or "no" (the empty string is "auto").
func ParseDecision(s string) (Decision, error) {
	if s == "" {
		return DecideAuto, nil
	}
	for d, n := range decisionNames {
		if s == n {
			return Decision(d), nil
		}
	}
	return DecideAuto, fmt.Errorf("a decision is auto, yes or no, not %.30q", s)
}

// Approach is whom a student seeks out in their encounters of one week.
type Approach uint8

// Approaches.
const (
	ApproachAuto  Approach = iota // partners drawn as for anyone (ties and visibility)
	ApproachCore                  // core members of their community
	ApproachPeer                  // members of their community who are not at its core
	ApproachOther                 // participants of another community
)

var approachNames = [...]string{"auto", "core", "peer", "other"}

func (a Approach) String() string {
	if int(a) < len(approachNames) {
		return approachNames[a]
	}
	return fmt.Sprintf("Approach(%d)", uint8(a))
}

// ParseApproach reads "auto", "core", "peer" or "other" (the empty string
// is "auto").
func ParseApproach(s string) (Approach, error) {
	if s == "" {
		return ApproachAuto, nil
	}
	for a, n := range approachNames {
		if s == n {
			return Approach(a), nil
		}
	}
	return ApproachAuto, fmt.Errorf("an approach is auto, core, peer or other, not %.30q", s)
}

// Choice is what a student decides for one week; the zero value lets the
// model decide.
type Choice struct {
	TakePart Decision // take part in their communities this week
	Approach Approach // whom to meet when they take part
	Share    Decision // let partners and the repertoire learn from them
}

// Valid reports whether every field of ch is one of its constants.
func (ch Choice) Valid() error {
	switch {
	case ch.TakePart > DecideNo:
		return fmt.Errorf("take part: %v is not auto, yes or no", ch.TakePart)
	case ch.Approach > ApproachOther:
		return fmt.Errorf("approach: %v is not auto, core, peer or other", ch.Approach)
	case ch.Share > DecideNo:
		return fmt.Errorf("share: %v is not auto, yes or no", ch.Share)
	}
	return nil
}

// steering is the state of a world's students; the World holds a nil
// *steering until the first student joins, and every hook tests only that.
type steering struct {
	choice  []Choice // per person: this tick's choice (zero for everyone else)
	student []bool   // per person: played by a student
	count   int      // students so far
}

// Steer sets the choice of student-played person for the coming tick only:
// World.Step clears it once the tick has run. A person who is no student
// is not steered (AddStudent makes students).
func (wd *World) Steer(person int, ch Choice) {
	st := wd.students
	if st == nil || person < 0 || person >= wd.n || !st.student[person] || ch.Valid() != nil {
		return
	}
	st.choice[person] = ch
}

// clearSteering forgets this tick's choices, after the tick.
func (wd *World) clearSteering() {
	if wd.students != nil {
		clear(wd.students.choice)
	}
}

// People is the number of persons in the world.
func (wd *World) People() int { return wd.n }

// IsStudent reports whether a student plays person.
func (wd *World) IsStudent(person int) bool {
	return wd.students != nil && person >= 0 && person < wd.n && wd.students.student[person]
}

// errNoPerson is AddStudent's error when every person is a student.
var errNoPerson = errors.New("agents: every person is already played by a student")

// AddStudent turns a person of community into a fresh newcomer played by a
// student, and returns the person. The person is drawn uniformly among
// those who are not students, from the community's members below the
// active ring if it has any, else from its members, else from everyone,
// with a stream keyed by the tick and the number of students so far: the
// same world at the same tick gives the same person. The newcomer arrives
// as turnover's newcomers do (new beliefs, disposition and project load,
// no ties, legitimacy at the edge), in community only, and never leaves
// by turnover. It acts from the next tick on.
func (wd *World) AddStudent(community int) (person int, err error) {
	if community < 0 || community >= len(wd.comms) {
		return -1, fmt.Errorf("agents: no community %d (the world has %d)", community, len(wd.comms))
	}
	if wd.students == nil {
		wd.students = &steering{choice: make([]Choice, wd.n), student: make([]bool, wd.n)}
	}
	st := wd.students
	tick := uint64(wd.eng.Tick())
	r := rng.Derive(wd.eng.Seed(), wd.eng.Rep(), math.MaxUint64-uint64(st.count), tick, purposeStudent)
	person = -1
	for _, eligible := range []func(i int) bool{
		func(i int) bool {
			s := wd.slotOf(i, community)
			return s >= 0 && wd.role(wd.legit[i*maxMem+s]) < Active
		},
		func(i int) bool { return wd.slotOf(i, community) >= 0 },
		func(int) bool { return true },
	} {
		if person = wd.drawPerson(eligible, &r); person >= 0 {
			break
		}
	}
	if person < 0 {
		return -1, errNoPerson
	}
	rn := rng.Derive(wd.eng.Seed(), wd.eng.Rep(), uint64(person), tick, purposeStudent)
	wd.newPerson(person, &rn, false)
	base := person * maxMem
	for s := 0; s < maxMem; s++ {
		wd.memC[base+s], wd.part[base+s], wd.mand[base+s], wd.own[base+s] = -1, false, false, 0
	}
	wd.join(person, 0, community, &rn, false)
	wd.forgetEncounters(person)
	wd.learned[person] = 0
	wd.meas.begun[community]++
	st.student[person] = true
	st.choice[person] = Choice{}
	st.count++
	return person, nil
}

// drawPerson returns a uniform draw among the persons who are no students
// and are eligible, or -1 if there is none.
func (wd *World) drawPerson(eligible func(i int) bool, r *rng.Stream) int {
	st := wd.students
	k := 0
	for i := 0; i < wd.n; i++ {
		if !st.student[i] && eligible(i) {
			k++
		}
	}
	if k == 0 {
		return -1
	}
	pick := r.Intn(k)
	for i := 0; i < wd.n; i++ {
		if !st.student[i] && eligible(i) {
			if pick == 0 {
				return i
			}
			pick--
		}
	}
	return -1
}

// PersonState is one person as a student's phone shows them, after the
// last tick.
type PersonState struct {
	Person    int
	Student   bool // played by a student
	Community int  // the community of the person's first membership; -1 for none
	// Legitimacy and Role are the person's in Community; the role is the
	// ring of the community picture they are drawn in.
	Legitimacy float64
	Role       Role
	// Knowledge is the share of Community's domain the person gets right
	// (right beliefs over the domain's dimensions); KnowledgeAll over every
	// dimension.
	Knowledge, KnowledgeAll float64
	// Ties counts live ties; TiesCore to core members of Community,
	// TiesPeers to its other members, TiesOther to people outside it.
	Ties, TiesCore, TiesPeers, TiesOther int
	Memberships                          int     // communities the person belongs to
	Load                                 float64 // share of their time that project work takes
	Motivation                           float64
	// EngageChance is the model's chance that the person takes part in
	// Community next tick (by choice, or as mandated), at the conditions
	// of the last tick.
	EngageChance float64
	TookPart     bool // took part in Community last tick
	Mandated     bool // of which as mandated, not by choice
	Encounters   int  // encounters the person sought last tick
	Learned      int  // right beliefs the person gained last tick
	Arrived      int  // tick the person arrived; -1 for a founder
}

// PersonView returns person's state after the last tick.
func (wd *World) PersonView(person int) PersonState {
	i := person
	ps := PersonState{Person: i, Community: -1, Arrived: -1}
	if i < 0 || i >= wd.n {
		return ps
	}
	ps.Student = wd.IsStudent(i)
	ps.Load, ps.Motivation = wd.load[i], wd.motiv[i]
	ps.Encounters, ps.Learned, ps.Arrived = int(wd.encN[i]), int(wd.learned[i]), int(wd.arrived[i])
	kn, v := wd.beliefs(i)
	ps.KnowledgeAll = Knowledge(kn, v, wd.reality, wd.all)
	j := -1
	for s := 0; s < maxMem; s++ {
		if wd.memC[i*maxMem+s] >= 0 {
			ps.Memberships++
			if j < 0 {
				j = i*maxMem + s
			}
		}
	}
	c := -1
	if j >= 0 {
		c = int(wd.memC[j])
		cm := &wd.comms[c]
		ps.Community = c
		ps.Legitimacy, ps.Role = wd.legit[j], wd.role(wd.legit[j])
		ps.Knowledge = Knowledge(kn, v, wd.reality, cm.domain)
		ps.TookPart, ps.Mandated = wd.part[j], wd.part[j] && wd.mand[j]
		p, forced, _ := wd.engageOdds(i, j, cm)
		ps.EngageChance = p + (1-p)*forced
	}
	for t := i * maxTies; t < (i+1)*maxTies; t++ {
		to := wd.tieTo[t]
		if to < 0 || wd.tieGen[t] != wd.arrived[to] {
			continue
		}
		ps.Ties++
		s := -1
		if c >= 0 {
			s = wd.slotOf(int(to), c)
		}
		switch {
		case s < 0:
			ps.TiesOther++
		case wd.role(wd.legit[int(to)*maxMem+s]) == Core:
			ps.TiesCore++
		default:
			ps.TiesPeers++
		}
	}
	return ps
}

// The hooks. Each is called where the model makes the draw it overrides,
// behind a test of wd.students, and is small enough to be inlined there.

// steerPart overrides person i's engagement in membership j (submodel
// 7.2) by their student's decision: the model's draws are made before it,
// so that the person's stream moves as it would have.
func (wd *World) steerPart(i, j int, own float32) {
	switch wd.students.choice[i].TakePart {
	case DecideYes:
		if !wd.part[j] || wd.mand[j] {
			wd.part[j], wd.mand[j], wd.own[j] = true, false, own
		}
	case DecideNo:
		wd.part[j], wd.mand[j], wd.own[j] = false, false, 0
	}
}

// shares reports whether person i lets others learn from them this tick:
// a student who chose not to share teaches no partner (7.5, 7.14) and
// gives the repertoire no vote (7.8).
func (wd *World) shares(i int) bool {
	return wd.students == nil || wd.students.choice[i].Share != DecideNo
}

// exempt reports whether person i is kept from leaving by turnover (7.15):
// a student's person stays for the whole class run.
func (wd *World) exempt(i int) bool {
	return wd.students != nil && wd.students.student[i]
}

// steerPartner replaces the partner the model drew for person i, taking
// part in community c, when their student chose whom to approach
// (submodel 7.4): a core participant of c, a participant of c not at its
// core, or a participant of another community; pc, pj and ps are the
// model's draw (community, partner, partner's slot), kept when the student
// left it to the model or nobody fits. Partners within c are drawn as the
// model draws them, by ties and visibility, among those who fit.
func (wd *World) steerPartner(i, c, pc, pj, ps int, ts *tieSet, r *rng.Stream) (int, int, int) {
	switch wd.students.choice[i].Approach {
	case ApproachCore, ApproachPeer:
		core := wd.students.choice[i].Approach == ApproachCore
		if qj, qs := wd.pickAmong(i, c, core, ts, r); qj >= 0 {
			return c, qj, qs
		}
	case ApproachOther:
		if o := wd.otherCommunity(c, r); o != c {
			var other tieSet
			wd.tiesToward(i, o, &other)
			if qj, qs := wd.pickPartner(i, o, &other, r); qj >= 0 {
				return o, qj, qs
			}
		}
	}
	return pc, pj, ps
}

// pickAmong is pickPartner restricted to community c's participants at its
// core (core) or not (!core): weight (tie + epsilon) x visibility. It
// returns -1 when none fits.
func (wd *World) pickAmong(i, c int, core bool, ts *tieSet, r *rng.Stream) (int, int) {
	cm := &wd.comms[c]
	fits := func(k int) bool {
		p := int(cm.partPerson[k])
		return p != i && (wd.look[p].legit[cm.partSlot[k]] >= wd.mp.Roles.Core) == core
	}
	vis := func(k int) float64 {
		if k == 0 {
			return cm.visCum[0]
		}
		return cm.visCum[k] - cm.visCum[k-1]
	}
	tieSum, visSum := 0.0, 0.0
	for k := 0; k < ts.n; k++ {
		if (ts.to[k] != int32(i)) && (wd.look[ts.to[k]].legit[ts.slot[k]] >= wd.mp.Roles.Core) == core {
			tieSum += ts.weight[k]
		}
	}
	for k := range cm.partPerson {
		if fits(k) {
			visSum += vis(k)
		}
	}
	if visSum <= 0 {
		return -1, -1
	}
	eps := wd.mp.Encounter.Epsilon
	total := tieSum + eps*visSum
	if total <= 0 {
		total, tieSum, eps = visSum, 0, 1
	}
	u := r.Float64() * total
	if u < tieSum {
		for k := 0; k < ts.n; k++ {
			if (ts.to[k] != int32(i)) && (wd.look[ts.to[k]].legit[ts.slot[k]] >= wd.mp.Roles.Core) == core {
				if u < ts.weight[k] {
					return int(ts.to[k]), int(ts.slot[k])
				}
				u -= ts.weight[k]
			}
		}
		u = tieSum // rounding: fall through to the last fitting participant
	}
	x := (u - tieSum) / eps
	last := -1
	for k := range cm.partPerson {
		if !fits(k) {
			continue
		}
		last = k
		if x < vis(k) {
			break
		}
		x -= vis(k)
	}
	return int(cm.partPerson[last]), int(cm.partSlot[last])
}
