package agents

import (
	"slices"
	"testing"

	"github.com/copsim/copsim/scenarios"
)

// studentWorld is a baseline world of 300 people stepped for warm ticks,
// with a student added to community c. The world is closed when the test
// ends.
func studentWorld(t *testing.T, warm, c, workers int, sets ...string) (*World, int) {
	t.Helper()
	sc, err := scenarios.Load("baseline", append([]string{"ticks=200", "replications=1"}, sets...))
	if err != nil {
		t.Fatal(err)
	}
	wd := mustWorld(t, &sc, 0, workers)
	t.Cleanup(wd.Close)
	for k := 0; k < warm; k++ {
		wd.Step()
	}
	p, err := wd.AddStudent(c)
	if err != nil {
		t.Fatal(err)
	}
	return wd, p
}

// A student who always takes part takes part, one who never does never
// does, whatever the model's draw, over-management's compliance included;
// left to the model, they sometimes do and sometimes not.
func TestSteerTakePart(t *testing.T) {
	for _, tc := range []struct {
		name       string
		take       Decision
		sets       []string
		wantAlways bool
		wantNever  bool
	}{
		{"yes", DecideYes, []string{"model.engagement.project_load=0.9"}, true, false},
		{"no", DecideNo, []string{"model.engagement.project_load=0.05"}, false, true},
		{"no under compulsory membership", DecideNo, []string{"interventions.0.kind=over_management", "interventions.0.strength=1"}, false, true},
		{"auto", DecideAuto, []string{"model.engagement.project_load=0.05"}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wd, p := studentWorld(t, 10, 0, 1, tc.sets...)
			took := 0
			const weeks = 60
			for k := 0; k < weeks; k++ {
				wd.Steer(p, Choice{TakePart: tc.take})
				wd.Step()
				if wd.PersonView(p).TookPart {
					took++
				}
			}
			if tc.wantAlways && took != weeks || tc.wantNever && took != 0 ||
				!tc.wantAlways && !tc.wantNever && (took == 0 || took == weeks) {
				t.Errorf("took part %d weeks of %d", took, weeks)
			}
		})
	}
}

// A student who approaches the core meets core participants, one who
// approaches peers meets participants below the core, one who approaches
// another community meets its participants (encounters across a
// boundary); the roles are those the partners had when they were drawn.
func TestSteerApproach(t *testing.T) {
	for _, tc := range []struct {
		approach Approach
		ok       func(wd *World, p, c, partner int, boundary bool) bool
	}{
		{ApproachCore, func(wd *World, p, c, q int, b bool) bool {
			s := wd.look[q].slotOf(c)
			return !b && s >= 0 && wd.look[q].legit[s] >= wd.mp.Roles.Core
		}},
		{ApproachPeer, func(wd *World, p, c, q int, b bool) bool {
			s := wd.look[q].slotOf(c)
			return !b && s >= 0 && wd.look[q].legit[s] < wd.mp.Roles.Core
		}},
		{ApproachOther, func(wd *World, p, c, q int, b bool) bool {
			return b && wd.look[q].slotOf(c) < 0
		}},
	} {
		t.Run(tc.approach.String(), func(t *testing.T) {
			const c = 1
			wd, p := studentWorld(t, 60, c, 2, "model.boundaries=false", "population.multi_membership=0")
			met, fits := 0, 0
			for k := 0; k < 40; k++ {
				wd.Steer(p, Choice{TakePart: DecideYes, Approach: tc.approach})
				wd.Step()
				if wd.fitsSome(p, c, tc.approach, tc.ok) {
					fits++
				}
				wd.Encounters(func(a, b int, boundary bool) {
					if a != p {
						return
					}
					met++
					if !tc.ok(wd, p, c, b, boundary) && wd.fitsSome(p, c, tc.approach, tc.ok) {
						t.Fatalf("week %d: met %d (boundary %v), not whom the student approached", wd.Tick(), b, boundary)
					}
				})
			}
			if met == 0 {
				t.Fatal("the student met nobody")
			}
			if fits == 0 {
				t.Fatal("nobody ever fitted the approach: the test tested nothing")
			}
		})
	}
}

// fitsSome reports whether someone taking part this tick fits a student's
// approach: when nobody does, the model's own draw stands.
func (wd *World) fitsSome(p, c int, a Approach, ok func(wd *World, p, c, partner int, boundary bool) bool) bool {
	for o := range wd.comms {
		if (o == c) == (a == ApproachOther) {
			continue
		}
		for _, q := range wd.comms[o].partPerson {
			if int(q) != p && ok(wd, p, c, int(q), o != c) {
				return true
			}
		}
	}
	return false
}

// A student who does not share teaches nobody: with one partner a week,
// no socialization, no practice and no boundary encounters, a learner's
// beliefs change only by what their partner teaches, and nobody who met
// the student (who knows everything) changes. The same student sharing
// teaches some, so that the test can fail.
func TestSteerShareNo(t *testing.T) {
	for _, rule := range []string{"adopt", "majority"} {
		for _, share := range []Decision{DecideNo, DecideYes} {
			t.Run(rule+"/"+share.String(), func(t *testing.T) {
				wd, p := studentWorld(t, 30, 0, 1, "model.encounter.partners=1", "model.socialization=0",
					"model.learning.exploration=0", "model.boundaries=false", "model.turbulence=0",
					"model.learning.rule="+rule, "model.learning.from_central=1", "model.learning.from_periphery=1",
					"population.people=120", "population.multi_membership=0", "model.turnover=0")
				kn, v := wd.beliefs(p)
				copy(kn, wd.all)
				copy(v, wd.reality)
				taught, metStudent := 0, 0
				for k := 0; k < 40; k++ {
					before := slices.Clone(wd.known)
					beforeV := slices.Clone(wd.value)
					wd.Steer(p, Choice{TakePart: DecideYes, Share: share})
					wd.Step()
					wd.Encounters(func(a, b int, _ bool) {
						if b != p {
							return
						}
						metStudent++
						lo, hi := a*wd.w, (a+1)*wd.w
						if !slices.Equal(before[lo:hi], wd.known[lo:hi]) || !slices.Equal(beforeV[lo:hi], wd.value[lo:hi]) {
							taught++
						}
					})
				}
				if metStudent == 0 {
					t.Fatal("nobody met the student")
				}
				if share == DecideNo && taught > 0 || share == DecideYes && taught == 0 {
					t.Errorf("share %v: %d of %d who met the student learned", share, taught, metStudent)
				}
			})
		}
	}
}

// A student who does not share gives the repertoire no vote: in a
// community whose participants are all students, the repertoire learns
// nothing when none shares, and learns when they do.
func TestSteerShareCode(t *testing.T) {
	for _, share := range []Decision{DecideNo, DecideYes} {
		t.Run(share.String(), func(t *testing.T) {
			wd := tinyWorld(t, 12, 1, "model.turbulence=0", "model.turnover=0")
			var ps []int
			for k := 0; k < 12; k++ {
				p, err := wd.AddStudent(0)
				if err != nil {
					t.Fatal(err)
				}
				ps = append(ps, p)
			}
			for k := 0; k < 20; k++ {
				for _, p := range ps {
					wd.Steer(p, Choice{TakePart: DecideYes, Share: share})
				}
				wd.Step()
			}
			n := Count(wd.comms[0].codeKnown)
			if share == DecideNo && n != 0 || share == DecideYes && n == 0 {
				t.Errorf("share %v: the repertoire holds %d beliefs", share, n)
			}
		})
	}
}

// A student never leaves by turnover; others do.
func TestStudentStays(t *testing.T) {
	wd, p := studentWorld(t, 0, 2, 1, "model.turnover=0.3", "population.people=100")
	arrived := wd.arrived[p]
	left := 0
	others := slices.Clone(wd.arrived)
	for k := 0; k < 30; k++ {
		wd.Step()
	}
	for i := range wd.n {
		if i != p && wd.arrived[i] != others[i] {
			left++
		}
	}
	if wd.arrived[p] != arrived || !wd.IsStudent(p) || wd.slotOf(p, 2) < 0 {
		t.Errorf("the student's person was replaced (arrived %d, then %d)", arrived, wd.arrived[p])
	}
	if left == 0 {
		t.Error("nobody left: turnover did not act")
	}
}

// AddStudent is deterministic given the world and its tick, for any number
// of workers; its person is a fresh newcomer of the community, below the
// active ring, and no person is given twice.
func TestAddStudentDeterministic(t *testing.T) {
	type added struct{ tick, person int }
	run := func(workers int) []added {
		sc := smallScenario(t, "population.people=200", "ticks=50")
		wd := mustWorld(t, &sc, 0, workers)
		defer wd.Close()
		var out []added
		for k := 0; k < 12; k++ {
			if k%3 == 0 {
				wd.Step()
			}
			c := k % 3
			p, err := wd.AddStudent(c)
			if err != nil {
				t.Fatal(err)
			}
			ps := wd.PersonView(p)
			if !ps.Student || ps.Community != c || ps.Memberships != 1 || ps.Role >= Active || ps.Arrived != wd.Tick() || ps.Ties != 0 {
				t.Fatalf("student %d: %+v, want a fresh newcomer of community %d", k, ps, c)
			}
			for _, a := range out {
				if a.person == p {
					t.Fatalf("person %d given twice", p)
				}
			}
			out = append(out, added{wd.Tick(), p})
		}
		return out
	}
	a, b, c := run(1), run(1), run(2)
	if !slices.Equal(a, b) || !slices.Equal(a, c) {
		t.Errorf("AddStudent differs between runs: %v, %v, %v (workers 2)", a, b, c)
	}
}

// Steer acts for the coming tick only, and only on students.
func TestSteerOneTickOnlyStudents(t *testing.T) {
	wd, p := studentWorld(t, 5, 0, 1)
	other := (p + 1) % wd.n
	wd.Steer(other, Choice{TakePart: DecideNo}) // no student: ignored
	wd.Steer(p, Choice{TakePart: DecideNo})
	if wd.students.choice[other] != (Choice{}) || wd.students.choice[p].TakePart != DecideNo {
		t.Fatalf("Steer: choices %v (student) and %v (not)", wd.students.choice[p], wd.students.choice[other])
	}
	wd.Step()
	if wd.students.choice[p] != (Choice{}) {
		t.Errorf("the choice outlived its tick: %v", wd.students.choice[p])
	}
}

// With students steering, a tick still allocates nothing.
func TestStepWithStudentsAllocatesNothing(t *testing.T) {
	wd, p := studentWorld(t, 20, 1, 2, "model.encounter.cross_group=0.2")
	q, err := wd.AddStudent(2)
	if err != nil {
		t.Fatal(err)
	}
	k := 0
	step := func() {
		k++
		wd.Steer(p, Choice{TakePart: DecideYes, Approach: Approach(1 + k%3), Share: DecideNo})
		wd.Steer(q, Choice{TakePart: DecideYes, Approach: Approach(1 + (k+1)%3)})
		wd.Step()
	}
	for range 5 {
		step()
	}
	if a := testing.AllocsPerRun(10, step); a != 0 {
		t.Errorf("%.1f allocations per tick with students, want 0", a)
	}
}
