package class

import (
	"fmt"
	"math"

	"github.com/copsim/copsim/agents"
)

// TrajectoryPoint is where a person stood at the end of one week: for a
// student, their person; for AverageNewcomer, the mean over the
// model-played newcomers of the same age.
type TrajectoryPoint struct {
	Week  int // the run's week (AverageNewcomer: 0)
	Since int // weeks since the person joined
	// Legitimacy, Role and Knowledge are in the person's first community;
	// Knowledge is the share of its domain they get right. Role is that of
	// Legitimacy (for the average, of the mean legitimacy).
	Legitimacy float64
	Role       string
	Knowledge  float64
	Ties       float64 // live ties (for the average, their mean)
	TookPart   float64 // 1 if the person took part that week, else 0 (for the average, the share)
	N          int     // people averaged: 1 for a student
	// Choice is the student's decision applied that week and Chosen tells
	// whether they made one (false: the model played them).
	Choice agents.Choice
	Chosen bool
}

// point is student s's trajectory point now.
func (r *Run) point(s *student, ch agents.Choice, chosen bool) TrajectoryPoint {
	ps := r.world.PersonView(s.person)
	return TrajectoryPoint{Week: r.Week(), Since: r.Week() - s.joined, Legitimacy: ps.Legitimacy,
		Role: ps.Role.String(), Knowledge: ps.Knowledge, Ties: float64(ps.Ties), TookPart: b2f(ps.TookPart),
		N: 1, Choice: ch, Chosen: chosen}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// newcomerSum sums the model-played newcomers of one age.
type newcomerSum struct {
	legit, know, ties, part float64
	n                       int
}

// addNewcomers adds this week's model-played newcomers (people who arrived
// during the run, not students) to the sums of their age.
func (r *Run) addNewcomers() {
	w := r.world
	week := r.Week()
	for i := range w.People() {
		ps := w.PersonView(i)
		if ps.Student || ps.Arrived < 1 || ps.Community < 0 {
			continue
		}
		since := week - ps.Arrived
		for len(r.avg) <= since {
			r.avg = append(r.avg, newcomerSum{})
		}
		a := &r.avg[since]
		a.legit += ps.Legitimacy
		a.know += ps.Knowledge
		a.ties += float64(ps.Ties)
		a.part += b2f(ps.TookPart)
		a.n++
	}
}

// AverageNewcomer is the trajectory of the average model-played newcomer
// so far, by weeks since arrival: at each age, the mean over the people
// who arrived during the run by turnover and have been measured at that
// age (Since), with N of them. Ages nobody has reached are left out.
func (r *Run) AverageNewcomer() []TrajectoryPoint {
	rl := &r.sc.Model.Roles
	var out []TrajectoryPoint
	for k, a := range r.avg {
		if a.n == 0 {
			continue
		}
		n := float64(a.n)
		l := a.legit / n
		out = append(out, TrajectoryPoint{Since: k, Legitimacy: l,
			Role:      agents.RoleOf(l, rl.Peripheral, rl.Active, rl.Core).String(),
			Knowledge: a.know / n, Ties: a.ties / n, TookPart: a.part / n, N: a.n})
	}
	return out
}

// metBy counts, for every person met this week, the encounters others
// sought with them.
func (r *Run) metBy() map[int]int {
	want := make(map[int]bool, len(r.students))
	for _, s := range r.students {
		want[s.person] = true
	}
	met := make(map[int]int, len(r.students))
	r.world.Encounters(func(a, b int, _ bool) {
		if want[b] {
			met[b]++
		}
	})
	return met
}

// StudentView is what a student's phone shows.
type StudentView struct {
	Student
	Week   int  // the run's week
	Joined int  // the week they joined
	Done   bool // the run has ended
	// State is their person after the last week.
	State agents.PersonState
	Role  string // State.Role in words: outsider, peripheral, active, core
	// Options are the week's decisions with their consequences.
	Options []Option
	// Pending is what they decided for the coming week so far; Decided is
	// false when the model will play them.
	Pending agents.Choice
	Decided bool
	// Outcome is what happened to them last week, in short sentences.
	Outcome []string
	// Trajectory is where they stood at the end of each week since they
	// joined (the first point: as they joined).
	Trajectory []TrajectoryPoint
}

// Option is one decision of the week: a question and its choices.
type Option struct {
	Name     string // take_part, approach or share
	Question string
	Choices  []Alternative
}

// Alternative is one answer to an Option.
type Alternative struct {
	Value       string // as agents.ParseDecision or ParseApproach read it
	Label       string
	Consequence string // in plain words
}

// Student returns student id's view.
func (r *Run) Student(id int) (StudentView, error) {
	s, err := r.student(id)
	if err != nil {
		return StudentView{}, err
	}
	return r.view(s), nil
}

// Students returns every student's view, in the order they joined.
func (r *Run) Students() []StudentView {
	out := make([]StudentView, len(r.students))
	for k, s := range r.students {
		out[k] = r.view(s)
	}
	return out
}

func (r *Run) view(s *student) StudentView {
	ps := r.world.PersonView(s.person)
	v := StudentView{Student: r.studentInfo(s), Week: r.Week(), Joined: s.joined, Done: r.Done(), State: ps,
		Role: ps.Role.String(), Pending: s.pending, Decided: s.decided,
		Outcome: append([]string(nil), s.outcome...), Trajectory: append([]TrajectoryPoint(nil), s.traj...)}
	if !v.Done {
		v.Options = r.options(s, ps)
	}
	return v
}

// options are the week's three decisions for student s, whose person is
// ps, with what each does in the model, in plain words.
func (r *Run) options(s *student, ps agents.PersonState) []Option {
	c := r.names[s.community]
	load := loadWords(ps.Load)
	return []Option{
		{Name: "take_part", Question: fmt.Sprintf("Take part in %s this week?", c), Choices: []Alternative{
			{Value: "yes", Label: "Yes", Consequence: fmt.Sprintf("You make time for %s although your project work takes %s of your week. Taking part is how your standing there grows.", c, load)},
			{Value: "no", Label: "No", Consequence: fmt.Sprintf("You stay with your project work. Your standing in %s fades a little while you are away.", c)},
			{Value: "auto", Label: "Let it be", Consequence: fmt.Sprintf("The model decides, as for everyone else: with your load and motivation you would take part about %d weeks in 10.", int(math.Round(10*ps.EngageChance)))},
		}},
		{Name: "approach", Question: "Whom do you approach?", Choices: []Alternative{
			{Value: "core", Label: "A core member", Consequence: fmt.Sprintf("Core members of %s know their practice well: you may learn more from them, and a tie to the core helps when the core keeps to itself.", c)},
			{Value: "peer", Label: "A peer", Consequence: fmt.Sprintf("Members of %s who are not at its core: you learn what they know, which may be less.", c)},
			{Value: "other", Label: "Someone from another community", Consequence: fmt.Sprintf("You meet someone from another community: a tie across a boundary, and perhaps something %s does not know.", c)},
			{Value: "auto", Label: "Whoever comes", Consequence: "You meet whoever you would meet anyway: people you know, and those everyone sees."},
		}},
		{Name: "share", Question: "Share what you know?", Choices: []Alternative{
			{Value: "yes", Label: "Share", Consequence: fmt.Sprintf("People you meet can learn from you, and %s's shared know-how can take up what you do well.", c)},
			{Value: "no", Label: "Keep it to yourself", Consequence: fmt.Sprintf("Nobody learns from you, and %s's shared know-how does not take up your ideas.", c)},
			{Value: "auto", Label: "Let it be", Consequence: "You share, as everyone in the model does."},
		}},
	}
}

// loadWords says a project load in words, with its share.
func loadWords(load float64) string {
	pct := int(math.Round(100 * load))
	switch {
	case load >= 0.6:
		return fmt.Sprintf("most (%d %%)", pct)
	case load >= 0.35:
		return fmt.Sprintf("a good part (%d %%)", pct)
	default:
		return fmt.Sprintf("little (%d %%)", pct)
	}
}

// outcome is what happened to student s in the week just run, in short
// sentences: whether they took part, whom they met and what they learned,
// who met them, and how their standing moved.
func (r *Run) outcome(s *student, ch agents.Choice, chosen bool, before agents.PersonState, metBy int) []string {
	ps := r.world.PersonView(s.person)
	c := r.names[s.community]
	var out []string
	switch {
	case ps.TookPart && ps.Mandated:
		out = append(out, fmt.Sprintf("You took part in %s this week because it is compulsory.", c))
	case ps.TookPart && chosen && ch.TakePart == agents.DecideYes && ps.Load >= 0.5:
		out = append(out, fmt.Sprintf("You took part in %s this week although your project load is heavy.", c))
	case ps.TookPart && chosen && ch.TakePart == agents.DecideYes:
		out = append(out, fmt.Sprintf("You took part in %s this week.", c))
	case ps.TookPart:
		out = append(out, fmt.Sprintf("The model played you: you took part in %s this week.", c))
	case chosen && ch.TakePart == agents.DecideNo:
		out = append(out, fmt.Sprintf("You stayed away from %s this week.", c))
	default:
		out = append(out, fmt.Sprintf("The model played you: your project work kept you from %s this week.", c))
	}
	if ps.TookPart || ps.Encounters > 0 {
		out = append(out, r.meetings(s, ps, ch)...)
	}
	if ps.Learned > 0 {
		out = append(out, fmt.Sprintf("You learned %d %s this week.", ps.Learned, plural(ps.Learned, "thing", "things")))
	} else if ps.TookPart {
		out = append(out, "You learned nothing new this week.")
	}
	switch {
	case ch.Share == agents.DecideNo:
		out = append(out, "Nobody learned from you: you kept what you know to yourself.")
	case metBy > 0:
		out = append(out, fmt.Sprintf("%d %s came to you: what you know was open to them.", metBy, plural(metBy, "person", "people")))
	}
	switch {
	case ps.Role > before.Role:
		out = append(out, fmt.Sprintf("You moved in: you are now %s member of %s.", article(ps.Role.String()), c))
	case ps.Role < before.Role:
		out = append(out, fmt.Sprintf("You moved out: you are now %s of %s.", roleNoun(ps.Role), c))
	case fmt.Sprintf("%.2f", ps.Legitimacy) != fmt.Sprintf("%.2f", before.Legitimacy):
		verb := "grew"
		if ps.Legitimacy < before.Legitimacy {
			verb = "fell"
		}
		out = append(out, fmt.Sprintf("Your standing in %s %s from %.2f to %.2f.", c, verb, before.Legitimacy, ps.Legitimacy))
	}
	return out
}

// meetings says whom student s's person met this week and, when they
// chose whom to approach and nobody of that kind was there, that the
// model's draw stood.
func (r *Run) meetings(s *student, ps agents.PersonState, ch agents.Choice) []string {
	c := r.names[s.community]
	if ps.Encounters == 0 {
		return []string{"You met nobody this week."}
	}
	var names []string
	fits := false
	r.world.Encounters(func(a, b int, boundary bool) {
		if a != s.person {
			return
		}
		names = append(names, r.personName(b))
		o := r.world.PersonView(b)
		switch ch.Approach {
		case agents.ApproachCore:
			fits = fits || !boundary && o.Role == agents.Core
		case agents.ApproachPeer:
			fits = fits || !boundary && o.Role < agents.Core
		case agents.ApproachOther:
			fits = fits || boundary
		}
	})
	out := []string{fmt.Sprintf("You met %s.", list(counted(names)))}
	if !fits {
		switch ch.Approach {
		case agents.ApproachCore:
			out = append(out, fmt.Sprintf("No core member of %s was there for you, so you met whoever came.", c))
		case agents.ApproachPeer:
			out = append(out, fmt.Sprintf("No peer of %s was there for you, so you met whoever came.", c))
		case agents.ApproachOther:
			out = append(out, "Nobody from another community was there for you, so you met whoever came.")
		}
	}
	return out
}

// personName names person p: a student by their name, anyone else by
// community and number with their role, e.g. "c1-17 (a core member of c1)".
func (r *Run) personName(p int) string {
	for _, o := range r.students {
		if o.person == p {
			return o.name + " (a student)"
		}
	}
	ps := r.world.PersonView(p)
	if ps.Community < 0 {
		return fmt.Sprintf("person %d", p)
	}
	return fmt.Sprintf("%s-%d (%s of %s)", r.names[ps.Community], p, roleNoun(ps.Role), r.names[ps.Community])
}

func roleNoun(ro agents.Role) string {
	switch ro {
	case agents.Core:
		return "a core member"
	case agents.Active:
		return "an active member"
	case agents.Peripheral:
		return "a peripheral member"
	}
	return "an outsider"
}

func article(word string) string {
	if word != "" && (word[0] == 'a' || word[0] == 'o') {
		return "an " + word
	}
	return "a " + word
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// counted merges repeats, in order of first appearance: "x twice".
func counted(xs []string) []string {
	var out []string
	n := map[string]int{}
	for _, x := range xs {
		if n[x] == 0 {
			out = append(out, x)
		}
		n[x]++
	}
	for k, x := range out {
		switch n[x] {
		case 1:
		case 2:
			out[k] = x + " twice"
		default:
			out[k] = fmt.Sprintf("%s %d times", x, n[x])
		}
	}
	return out
}

func list(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	out := ""
	for k, x := range xs[:len(xs)-1] {
		if k > 0 {
			out += ", "
		}
		out += x
	}
	return out + " and " + xs[len(xs)-1]
}
