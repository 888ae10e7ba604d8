// Package class is a class run: one simulated organization that a class
// of students joins, each student playing a newcomer of one community and
// deciding, week by week, whether that person takes part, whom they
// approach and whether they share what they know (docs/model.md,
// "Students (class runs)"). A student who decides nothing is played by the
// model, so the run never waits on anyone.
//
// The package holds the model side only, without HTTP: the classroom
// server steps a Run from its play loop, as it steps a world for the
// single-user page. Everything that changes the run (a join, a week's
// decisions, a teacher's switch or slider) is recorded as an event, and
// the event log replays the run byte for byte (Replay, and `copsim run
// --replay`).
package class

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/scenarios"
)

// DefaultMaxStudents is the number of students a run takes when Options
// does not say.
const DefaultMaxStudents = 60

// MaxName is the longest name a student may choose, in characters.
const MaxName = 20

// Options are a class run's settings.
type Options struct {
	// MaxStudents caps the students who may join (default
	// DefaultMaxStudents).
	MaxStudents int
	// Workers steps the world on this many goroutines (default 1); the run
	// does not depend on it.
	Workers int
	// WarmUp is how many weeks the organization runs before the class
	// arrives (default 0, at most the scenario's weeks less one), so that
	// its communities have grown a core that students can approach: in
	// the baseline nobody reaches the core before about week 40. They are
	// ordinary weeks of the event log.
	WarmUp int
}

// Run is one class run: a world, its students and the event log. A Run is
// not safe for concurrent use: its caller serializes access.
type Run struct {
	opt      Options
	initial  scenarios.Scenario // as the run began: the log's header
	sc       scenarios.Scenario // as it stands: parameters and switches
	changes  []scenarios.Change // slider moves, as scenario changes
	world    *agents.World
	names    []string // community names
	students []*student
	events   []Event
	rows     []measure.Row
	avg      []newcomerSum // the model-played newcomers, by weeks since arrival
}

// student is one student's person, decisions and trajectory.
type student struct {
	id, person, community, joined int
	name                          string
	pending                       agents.Choice
	decided                       bool
	outcome                       []string
	traj                          []TrajectoryPoint
}

// New starts a class run of sc's first replication at week 0. sc must be
// valid (scenarios.Parse and Load validate).
func New(sc scenarios.Scenario, opt Options) (*Run, error) {
	if opt.MaxStudents <= 0 {
		opt.MaxStudents = DefaultMaxStudents
	}
	if opt.Workers <= 0 {
		opt.Workers = 1
	}
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	sc.Replications = 1
	w, err := agents.NewWorld(&sc, 0, opt.Workers)
	if err != nil {
		return nil, err
	}
	r := &Run{opt: opt, initial: sc, sc: sc, world: w, names: sc.CommunityNames()}
	r.rows = append(r.rows, w.Measure()...)
	for range min(opt.WarmUp, sc.Ticks-1) {
		if r.Done() {
			break
		}
		if err := r.Step(); err != nil {
			r.Close()
			return nil, err
		}
	}
	return r, nil
}

// Close stops the run's workers. The run must not be stepped after.
func (r *Run) Close() { r.world.Close() }

// Week is the number of weeks run so far.
func (r *Run) Week() int { return r.world.Tick() }

// Done reports whether the run has ended: its scenario's last week, or
// March's equilibrium for a scenario that stops there.
func (r *Run) Done() bool { return r.world.Tick() >= r.sc.Ticks || r.world.Done() }

// World is the run's world, for reading only (the community picture).
func (r *Run) World() *agents.World { return r.world }

// Scenario is the run as a scenario: the scenario it began with, the
// switches in force as its interventions and the slider moves as its
// changes. Students' decisions are not in it: they are in the event log.
func (r *Run) Scenario() scenarios.Scenario {
	sc := r.sc
	sc.Changes = append(slices.Clone(r.initial.Changes), r.changes...)
	sc.Interventions = slices.Clone(r.sc.Interventions)
	return sc
}

// CheckName returns nil for a name a student may take: 1 to MaxName
// characters, letters, digits, spaces and - _ . only, not only spaces.
// The error is a sentence for the student.
func CheckName(name string) error {
	n := utf8.RuneCountInString(name)
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("Please choose a name of 1 to %d characters.", MaxName)
	case n > MaxName:
		return fmt.Errorf("Your name has %d characters; please choose one of at most %d.", n, MaxName)
	case !utf8.ValidString(name):
		return fmt.Errorf("Your name may use only letters, digits, spaces and - _ . characters.")
	}
	for _, c := range name {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) && c != ' ' && c != '-' && c != '_' && c != '.' {
			return fmt.Errorf("Your name may use only letters, digits, spaces and - _ . characters, not %q.", c)
		}
	}
	return nil
}

// Join adds a student called name, leading and trailing spaces removed.
// They play a fresh newcomer of the community with the fewest students
// (ties: the first), from the next week on. Errors are sentences for the
// student: a name that CheckName refuses or another student already has
// (in any case), a full class, a run that has ended.
func (r *Run) Join(name string) (Student, error) {
	name = strings.TrimSpace(name)
	if err := CheckName(name); err != nil {
		return Student{}, err
	}
	for _, s := range r.students {
		if strings.EqualFold(s.name, name) {
			return Student{}, fmt.Errorf("Someone in the class is already called %s; please choose another name.", name)
		}
	}
	if len(r.students) >= r.opt.MaxStudents {
		return Student{}, fmt.Errorf("The class is full: this run takes %d students.", r.opt.MaxStudents)
	}
	if r.Done() {
		return Student{}, fmt.Errorf("This run has ended at week %d; ask your teacher for the next one.", r.Week())
	}
	count := make([]int, len(r.names))
	for _, s := range r.students {
		count[s.community]++
	}
	c := 0
	for k := range count {
		if count[k] < count[c] {
			c = k
		}
	}
	person, err := r.world.AddStudent(c)
	if err != nil {
		return Student{}, fmt.Errorf("There is no room for another student in this run.")
	}
	s := &student{id: len(r.students), person: person, community: c, joined: r.Week(), name: name}
	r.students = append(r.students, s)
	r.events = append(r.events, Event{Week: r.Week(), Kind: EventJoin, Student: s.id, Name: name,
		Community: r.names[c], Person: person})
	s.traj = append(s.traj, r.point(s, agents.Choice{}, false))
	return r.studentInfo(s), nil
}

// Student is who a student is in the run, as Join tells them.
type Student struct {
	ID        int    // the student's number in the run, from 0 in the order they joined
	Name      string // the name they chose
	Community string // the community they are new in
	Person    int    // the person they play
}

func (r *Run) studentInfo(s *student) Student {
	return Student{ID: s.id, Name: s.name, Community: r.names[s.community], Person: s.person}
}

// Decide records student's choice for the coming week; the last decision
// before the week runs is the one applied. The zero Choice hands the week
// back to the model.
func (r *Run) Decide(student int, ch agents.Choice) error {
	s, err := r.student(student)
	if err != nil {
		return err
	}
	if err := ch.Valid(); err != nil {
		return fmt.Errorf("That is not a decision this page offers (%v).", err)
	}
	if r.Done() {
		return fmt.Errorf("This run has ended at week %d: there are no more weeks to decide.", r.Week())
	}
	s.pending, s.decided = ch, ch != agents.Choice{}
	return nil
}

func (r *Run) student(id int) (*student, error) {
	if id < 0 || id >= len(r.students) {
		return nil, fmt.Errorf("There is no student number %d in this run.", id)
	}
	return r.students[id], nil
}

// Step runs one week: the students' pending decisions are applied (and
// logged), the world steps and is measured, and each student's trajectory
// and what happened to them are recorded.
func (r *Run) Step() error {
	if r.Done() {
		return fmt.Errorf("the run has ended at week %d", r.Week())
	}
	applied := make([]agents.Choice, len(r.students))
	chosen := make([]bool, len(r.students))
	for _, s := range r.students {
		if s.decided {
			ch := s.pending
			r.events = append(r.events, Event{Week: r.Week(), Kind: EventDecide, Student: s.id,
				TakePart: ch.TakePart.String(), Approach: ch.Approach.String(), Share: ch.Share.String()})
			r.world.Steer(s.person, ch)
			applied[s.id], chosen[s.id] = ch, true
		}
		s.pending, s.decided = agents.Choice{}, false
	}
	r.events = append(r.events, Event{Week: r.Week(), Kind: EventStep})
	before := make([]agents.PersonState, len(r.students))
	for _, s := range r.students {
		before[s.id] = r.world.PersonView(s.person)
	}
	r.world.Step()
	r.rows = append(r.rows, r.world.Measure()...)
	met := r.metBy()
	for _, s := range r.students {
		p := r.point(s, applied[s.id], chosen[s.id])
		s.traj = append(s.traj, p)
		s.outcome = r.outcome(s, applied[s.id], chosen[s.id], before[s.id], met[s.person])
	}
	r.addNewcomers()
	return nil
}

// SetInterventions replaces the run's schedule of interventions (the
// teacher's switches), acting from the next week; ivs must make a valid
// scenario.
func (r *Run) SetInterventions(ivs []scenarios.Intervention) error {
	sc := r.sc
	sc.Interventions = slices.Clone(ivs)
	if err := sc.Validate(); err != nil {
		return err
	}
	if err := r.world.SetInterventions(sc.Interventions); err != nil {
		return err
	}
	r.sc = sc
	r.events = append(r.events, Event{Week: r.Week(), Kind: EventInterventions, Interventions: slices.Clone(ivs)})
	return nil
}

// SetParameter sets a parameter from the next week on (a teacher's
// slider): key is one of scenarios.ChangeableKeys, and the value must be
// within the parameter's bounds.
func (r *Run) SetParameter(key string, value float64) error {
	if r.Done() {
		return fmt.Errorf("the run has ended at week %d", r.Week())
	}
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return fmt.Errorf("%s: the value must be a number, got %v", key, value)
	}
	ch := scenarios.Change{Week: r.Week() + 1, Key: key, Value: value}
	sc := r.sc
	if err := ch.Apply(&sc); err != nil {
		return err
	}
	if err := sc.Validate(); err != nil {
		return err
	}
	if err := r.world.SetParameters(sc); err != nil {
		return err
	}
	r.sc = sc
	// A later move of the same key in the same week replaces the earlier.
	r.changes = slices.DeleteFunc(r.changes, func(c scenarios.Change) bool { return c.Key == key && c.Week == ch.Week })
	r.changes = append(r.changes, ch)
	r.events = append(r.events, Event{Week: r.Week(), Kind: EventParameter, Key: key, Value: value})
	return nil
}

// Rows is the run's time series so far, as `copsim run` measures it (a
// scenario's MeasureEvery aside: a class run measures every week).
func (r *Run) Rows() []measure.Row { return r.rows }

// Events is the run's event log so far.
func (r *Run) Events() []Event { return slices.Clone(r.events) }
