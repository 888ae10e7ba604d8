package class

import (
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/scenarios"
)

// small is a run of a small baseline (people, weeks); it is closed when
// the test ends.
func small(t testing.TB, people, weeks int, opt Options) *Run {
	t.Helper()
	sc, err := scenarios.Load("baseline", []string{"population.people=" + itoa(people), "ticks=" + itoa(weeks)})
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(sc, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r
}

func itoa(n int) string { return strconv.Itoa(n) }

// isSentence reports whether msg reads as a sentence for a student.
func isSentence(msg string) bool {
	return msg != "" && unicode.IsUpper([]rune(msg)[0]) && strings.HasSuffix(msg, ".")
}

func TestJoinNames(t *testing.T) {
	for _, tc := range []struct {
		name, want string // want: "" for accepted, else a part of the error
	}{
		{"Anna", ""},
		{"  Bo  ", ""},
		{"Jean-Luc_2.0", ""},
		{"Zoë Ølund", ""},
		{"", "1 to 20"},
		{"   ", "1 to 20"},
		{strings.Repeat("x", 21), "at most 20"},
		{strings.Repeat("é", 20), ""},
		{"<script>", "only letters"},
		{"a,b", "only letters"},
		{"tab\there", "only letters"},
		{"smile😀", "only letters"},
		{"\xff", "only letters"},
		{"ana", "already called"}, // Ana has joined
	} {
		r := small(t, 60, 10, Options{})
		if _, err := r.Join("Ana"); err != nil {
			t.Fatal(err)
		}
		s, err := r.Join(tc.name)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("Join(%q): %v", tc.name, err)
		case tc.want == "" && s.Name != strings.TrimSpace(tc.name):
			t.Errorf("Join(%q): name %q", tc.name, s.Name)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("Join(%q): error %v, want one saying %q", tc.name, err, tc.want)
		case err != nil && !isSentence(err.Error()):
			t.Errorf("Join(%q): %q is not a sentence", tc.name, err)
		}
	}
}

// Students go to the community with the fewest students, ties to the
// first; the class is capped; nobody joins a run that has ended.
func TestJoinPlacesAndCaps(t *testing.T) {
	r := small(t, 90, 2, Options{MaxStudents: 7})
	var got []string
	for k := 0; k < 7; k++ {
		s, err := r.Join("s" + itoa(k))
		if err != nil {
			t.Fatal(err)
		}
		if s.ID != k {
			t.Errorf("student %d got ID %d", k, s.ID)
		}
		got = append(got, s.Community)
	}
	names := r.initial.CommunityNames()
	want := []string{names[0], names[1], names[2], names[0], names[1], names[2], names[0]}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("communities %v, want %v", got, want)
	}
	if _, err := r.Join("late"); err == nil || !strings.Contains(err.Error(), "full") || !isSentence(err.Error()) {
		t.Errorf("an eighth student: %v", err)
	}
	r2 := small(t, 60, 2, Options{})
	r2.Step()
	r2.Step()
	if _, err := r2.Join("late"); err == nil || !strings.Contains(err.Error(), "ended") || !isSentence(err.Error()) {
		t.Errorf("joining an ended run: %v", err)
	}
	if err := r2.Step(); err == nil {
		t.Error("a step after the end was accepted")
	}
}

func TestDecide(t *testing.T) {
	r := small(t, 60, 3, Options{})
	ana, _ := r.Join("Ana")
	for _, tc := range []struct {
		student int
		ch      agents.Choice
		want    string
	}{
		{ana.ID, agents.Choice{TakePart: agents.DecideYes}, ""},
		{ana.ID, agents.Choice{}, ""},
		{1, agents.Choice{TakePart: agents.DecideYes}, "no student number 1"},
		{-1, agents.Choice{TakePart: agents.DecideYes}, "no student number -1"},
		{ana.ID, agents.Choice{Approach: 9}, "not a decision"},
		{ana.ID, agents.Choice{TakePart: 3}, "not a decision"},
		{ana.ID, agents.Choice{Share: 200}, "not a decision"},
	} {
		err := r.Decide(tc.student, tc.ch)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("Decide(%d, %v): %v", tc.student, tc.ch, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !isSentence(err.Error())):
			t.Errorf("Decide(%d, %v): %v, want a sentence saying %q", tc.student, tc.ch, err, tc.want)
		}
	}
}

// The last decision before a week runs is the one applied and logged; a
// decision handed back to the model logs nothing; decisions last one week.
func TestLastDecisionWins(t *testing.T) {
	r := small(t, 60, 5, Options{})
	ana, _ := r.Join("Ana")
	bo, _ := r.Join("Bo")
	r.Decide(ana.ID, agents.Choice{TakePart: agents.DecideNo})
	r.Decide(ana.ID, agents.Choice{TakePart: agents.DecideYes, Approach: agents.ApproachCore})
	r.Decide(bo.ID, agents.Choice{TakePart: agents.DecideYes})
	r.Decide(bo.ID, agents.Choice{})
	r.Step()
	r.Step()
	var decided []Event
	for _, e := range r.Events() {
		if e.Kind == EventDecide {
			decided = append(decided, e)
		}
	}
	if len(decided) != 1 || decided[0].Student != ana.ID || decided[0].TakePart != "yes" || decided[0].Approach != "core" || decided[0].Share != "auto" {
		t.Fatalf("decide events %+v, want Ana's last", decided)
	}
	v, _ := r.Student(ana.ID)
	if len(v.Trajectory) != 3 || !v.Trajectory[1].Chosen || v.Trajectory[2].Chosen || v.Trajectory[1].TookPart != 1 {
		t.Errorf("Ana's trajectory %+v: want week 1 chosen and taken part, week 2 played by the model", v.Trajectory)
	}
	if v.Decided || v.Pending != (agents.Choice{}) {
		t.Errorf("a decision outlived its week: %+v", v.Pending)
	}
}

// What a student reads: three decisions with their consequences before
// each week, and what happened after it, in sentences.
func TestStudentView(t *testing.T) {
	r := small(t, 120, 20, Options{})
	ana, _ := r.Join("Ana")
	bo, _ := r.Join("Bo")
	seen := map[string]bool{}
	for w := 0; w < 20; w++ {
		v, err := r.Student(ana.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Options) != 3 {
			t.Fatalf("week %d: %d options", w, len(v.Options))
		}
		for _, o := range v.Options {
			for _, a := range o.Choices {
				if !isSentence(a.Consequence) {
					t.Errorf("%s=%s: %q is not a sentence", o.Name, a.Value, a.Consequence)
				}
			}
		}
		r.Decide(ana.ID, agents.Choice{TakePart: agents.DecideYes, Approach: agents.ApproachCore, Share: agents.DecideNo})
		r.Decide(bo.ID, agents.Choice{TakePart: agents.DecideNo})
		if err := r.Step(); err != nil {
			t.Fatal(err)
		}
		v, _ = r.Student(ana.ID)
		for _, s := range v.Outcome {
			if !isSentence(s) {
				t.Errorf("week %d: %q is not a sentence", r.Week(), s)
			}
			seen[s] = true
		}
		if b, _ := r.Student(bo.ID); len(b.Outcome) == 0 || b.Outcome[0] != "You stayed away from "+bo.Community+" this week." {
			t.Errorf("Bo's outcome %q", b.Outcome)
		}
	}
	for _, want := range []string{"Nobody learned from you: you kept what you know to yourself.", "You met "} {
		found := false
		for s := range seen {
			found = found || strings.HasPrefix(s, want)
		}
		if !found {
			t.Errorf("no outcome says %q in %v", want, seen)
		}
	}
	if v, _ := r.Student(ana.ID); !v.Done || v.Options != nil {
		t.Errorf("after the last week: done %v, %d options", v.Done, len(v.Options))
	}
}

// The average newcomer is averaged over the people who arrived by turnover,
// by weeks since arrival, as the students' trajectories are measured.
func TestAverageNewcomer(t *testing.T) {
	sc, err := scenarios.Load("baseline", []string{"population.people=200", "ticks=40", "model.turnover=0.05"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for range 40 {
		r.Step()
	}
	avg := r.AverageNewcomer()
	if len(avg) < 30 {
		t.Fatalf("%d ages", len(avg))
	}
	if avg[0].Since != 0 || avg[0].N < 200 {
		t.Errorf("age 0: %+v; want the about 400 arrivals of 40 weeks at 5 %%", avg[0])
	}
	for k := 1; k < len(avg); k++ {
		if avg[k].N > avg[k-1].N {
			t.Errorf("age %d has more newcomers (%d) than age %d (%d)", avg[k].Since, avg[k].N, avg[k-1].Since, avg[k-1].N)
		}
	}
	if !(avg[20].Legitimacy > avg[0].Legitimacy) || !(avg[20].Ties > avg[0].Ties) {
		t.Errorf("newcomers did not move in: age 0 %+v, age 20 %+v", avg[0], avg[20])
	}
}

// Teacher actions are checked and logged.
func TestTeacherActions(t *testing.T) {
	r := small(t, 60, 10, Options{})
	if err := r.SetParameter("model.turnover", 2); err == nil {
		t.Error("turnover 2 accepted")
	}
	if err := r.SetParameter("model.nonsense", 0.1); err == nil {
		t.Error("an unknown key accepted")
	}
	if err := r.SetInterventions([]scenarios.Intervention{{Kind: "no_such_kind", Strength: 1, Start: 1}}); err == nil {
		t.Error("an unknown kind accepted")
	}
	if err := r.SetParameter("model.turnover", 0.02); err != nil {
		t.Fatal(err)
	}
	if err := r.SetInterventions([]scenarios.Intervention{{Kind: "over_management", Strength: 1, Start: 1}}); err != nil {
		t.Fatal(err)
	}
	ev := r.Events()
	if len(ev) != 2 || ev[0].Kind != EventParameter || ev[1].Kind != EventInterventions {
		t.Errorf("events %+v", ev)
	}
	sc := r.Scenario()
	if len(sc.Changes) != 1 || sc.Changes[0] != (scenarios.Change{Week: 1, Key: "model.turnover", Value: 0.02}) || len(sc.Interventions) != 1 {
		t.Errorf("the run as a scenario: changes %+v, interventions %+v", sc.Changes, sc.Interventions)
	}
}
