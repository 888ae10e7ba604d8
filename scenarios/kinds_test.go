package scenarios

import (
	"flag"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var writeDocs = flag.Bool("write-docs", false, "rewrite the generated tables of docs/scenarios.md from the registry")

// rewardNames lists the reward systems of every kind.
func rewardNames() []string {
	var names []string
	for _, k := range Kinds() {
		names = append(names, k.RewardNames()...)
	}
	return names
}

// oneSentence reports whether s is one sentence, as captions must be.
func oneSentence(s string) bool {
	return s != "" && strings.HasSuffix(s, ".") && !strings.Contains(s, ". ") && !strings.Contains(s, "\n")
}

// TestKinds checks the registry's invariants: names as scenario files write
// them, text for people, a lever for every kind that is not one-off,
// parameters that exist, and no lever that nothing moves.
func TestKinds(t *testing.T) {
	keys := map[string]bool{}
	leaves(reflect.ValueOf(full()), "", func(path string, _ reflect.Value) { keys[path] = true })
	snake := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	moved := map[Lever]bool{}
	seen := map[string]bool{}
	check := func(what, name, label, caption string, params []string) {
		if !snake.MatchString(name) || seen[name] {
			t.Errorf("%s %q: not a unique snake_case name", what, name)
		}
		seen[name] = true
		if label == "" || strings.TrimSpace(label) != label {
			t.Errorf("%s %s: label %q", what, name, label)
		}
		if !oneSentence(caption) {
			t.Errorf("%s %s: caption is not one sentence: %q", what, name, caption)
		}
		for _, p := range params {
			if !keys[p] {
				t.Errorf("%s %s: parameter %s is not a scenario key", what, name, p)
			}
		}
	}
	for _, k := range Kinds() {
		check("kind", k.Name, k.Label, k.Caption, k.Params)
		if got, ok := KindNamed(k.Name); !ok || got != k {
			t.Errorf("KindNamed(%q) = %v, %v", k.Name, got, ok)
		}
		if k.Lever == nil {
			t.Errorf("kind %s: no Lever func", k.Name)
			continue
		}
		ivs := []Intervention{{Kind: k.Name, Strength: 1}}
		if len(k.Rewards) > 0 {
			ivs = ivs[:0]
			for _, r := range k.Rewards {
				check("reward", r.Name, r.Label, r.Caption, r.Params)
				ivs = append(ivs, Intervention{Kind: k.Name, Reward: r.Name, Strength: 1})
			}
		}
		for _, iv := range ivs {
			s := Default()
			s.Interventions = []Intervention{iv}
			if err := s.Validate(); err != nil {
				t.Errorf("%+v: %v", iv, err)
			}
			l, ok := k.Lever(&iv)
			switch {
			case ok == k.OneOff:
				t.Errorf("%+v: Lever says %v, OneOff is %v", iv, ok, k.OneOff)
			case ok && !(l >= 0 && l < NumLevers):
				t.Errorf("%+v: lever %d out of range", iv, l)
			case ok:
				moved[l] = true
			}
			if r, found := k.Reward(iv.Reward); found && r.Lever != l {
				t.Errorf("%+v: Lever says %v, the reward system %v", iv, l, r.Lever)
			}
		}
	}
	for l := range NumLevers {
		if !moved[l] {
			t.Errorf("no kind moves lever %v", l)
		}
	}
	if _, ok := KindNamed("micromanagement"); ok {
		t.Errorf("KindNamed found an unknown kind")
	}
	if got := KindNames(); !slices.Equal(got, []string{OverManagement, Rewards, BoundaryActivity, LegitimizeParticipation, SupportTeam, Seeding}) {
		t.Errorf("the documented order changed: %v", got)
	}
}

func TestLeverString(t *testing.T) {
	tests := []struct {
		l    Lever
		want string
	}{
		{LeverOverManagement, "over_management"},
		{LeverIndividualReward, "individual_reward"},
		{LeverRecognition, "recognition"},
		{LeverPenalty, "penalty"},
		{LeverBoundary, "boundary"},
		{LeverLegitimize, "legitimize"},
		{LeverSupport, "support"},
		{NumLevers, fmt.Sprintf("Lever(%d)", NumLevers)},
		{-1, "Lever(-1)"},
	}
	for _, tt := range tests {
		if got := tt.l.String(); got != tt.want {
			t.Errorf("Lever(%d).String() = %q, want %q", int(tt.l), got, tt.want)
		}
	}
}

// TestKindsAreCopied: a caller's changes to the list do not reach the registry.
func TestKindsAreCopied(t *testing.T) {
	a := Kinds()
	a[0] = nil
	if Kinds()[0] == nil {
		t.Fatal("Kinds returns the registry itself")
	}
}

const (
	docsBegin = "<!-- The tables below are generated from the intervention registry (scenarios.Kinds, in scenarios/kinds.go) and checked by TestDocsKinds; after a change to the registry, run: go test ./scenarios -run TestDocsKinds -write-docs -->\n"
	docsEnd   = "<!-- end of the generated tables -->\n"
)

// kindsDoc is the generated part of docs/scenarios.md: a table of the
// kinds and one of each kind's reward systems.
func kindsDoc() string {
	code := func(names []string) string {
		q := make([]string, len(names))
		for i, n := range names {
			q[i] = "`" + n + "`"
		}
		return strings.Join(q, ", ")
	}
	var b strings.Builder
	b.WriteString(docsBegin)
	b.WriteString("\n| kind | label on the classroom page | what management does | lever it moves | parameters it uses |\n|---|---|---|---|---|\n")
	for _, k := range Kinds() {
		does, lever := k.Caption, "none (one-off)"
		switch {
		case len(k.Rewards) > 0:
			does += " `reward` is required."
			lever = "the reward system's (below)"
		case k.OneOff:
			does += " One-off: it acts at its `start` tick (tick 1 when `start` is 0); `end` is ignored."
		default:
			l, _ := k.Lever(&Intervention{Kind: k.Name})
			lever = "`" + l.String() + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", k.Name, k.Label, does, lever, code(k.Params))
	}
	for _, k := range Kinds() {
		if len(k.Rewards) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n| reward of `%s` | label | meaning | lever it moves | parameters it uses (beyond those of `%[1]s`) |\n|---|---|---|---|---|\n", k.Name)
		for _, r := range k.Rewards {
			fmt.Fprintf(&b, "| `%s` | %s | %s | `%s` | %s |\n", r.Name, r.Label, r.Caption, r.Lever, code(r.Params))
		}
	}
	b.WriteString("\n" + docsEnd)
	return b.String()
}

// TestDocsKinds keeps the tables of kinds in docs/scenarios.md generated
// from the registry, so that the docs cannot drift from it.
func TestDocsKinds(t *testing.T) {
	const file = "../docs/scenarios.md"
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(src)
	i, j := strings.Index(doc, docsBegin), strings.Index(doc, docsEnd)
	if i < 0 || j < i {
		t.Fatalf("%s has no generated tables of kinds between\n%s and\n%s", file, docsBegin, docsEnd)
	}
	want := doc[:i] + kindsDoc() + doc[j+len(docsEnd):]
	if want == doc {
		return
	}
	if *writeDocs {
		if err := os.WriteFile(file, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: the tables of kinds differ from the registry; run go test ./scenarios -run TestDocsKinds -write-docs. They should read:\n%s", file, kindsDoc())
}

// TestModelDocsKinds checks that the table of interventions in
// docs/model.md has one row per kind (and per reward system of a kind that
// has them), in the registry's order.
func TestModelDocsKinds(t *testing.T) {
	src, err := os.ReadFile("../docs/model.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(src)
	i := strings.Index(doc, "\n## Interventions\n")
	if i < 0 {
		t.Fatal("docs/model.md has no section ## Interventions")
	}
	sec := doc[i+1:]
	if j := strings.Index(sec, "\n## "); j >= 0 {
		sec = sec[:j]
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z0-9_]+)`(?:, `([a-z0-9_]+)`)? ")
	var got []string
	for _, m := range row.FindAllStringSubmatch(sec, -1) {
		got = append(got, strings.TrimSuffix(m[1]+" "+m[2], " "))
	}
	var want []string
	for _, k := range Kinds() {
		if len(k.Rewards) == 0 {
			want = append(want, k.Name)
		}
		for _, r := range k.Rewards {
			want = append(want, k.Name+" "+r.Name)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("docs/model.md's table of interventions has rows\n%q\nthe registry has\n%q", got, want)
	}
}

// TestNewKindIsOneEntry adds a kind to the registry, as a modeller would in
// kinds.go, and checks that validation, messages and the docs take it up
// with no other change (the model then reads the lever it moves).
func TestNewKindIsOneEntry(t *testing.T) {
	saved := kinds
	t.Cleanup(func() { kinds = saved })
	// The diff of adding a kind to kinds.go:
	kinds = append(kinds[:len(kinds):len(kinds)], &Kind{
		Name:    "mentoring",
		Label:   "Mentoring",
		Caption: "Core members are asked to coach newcomers.",
		Lever:   moves(LeverSupport),
		Params:  []string{"model.management.support_access"},
	})

	s, err := Parse("m.yaml", []byte("name: m\ninterventions:\n  - kind: mentoring\n    strength: 0.5\n"))
	if err != nil {
		t.Fatal(err)
	}
	k, ok := KindNamed(s.Interventions[0].Kind)
	if l, moves := k.Lever(&s.Interventions[0]); !ok || l != LeverSupport || !moves {
		t.Errorf("KindNamed(mentoring) = %v, %v; lever %v, %v", k, ok, l, moves)
	}
	tests := []struct{ src, want string }{
		{"name: m\ninterventions:\n  - kind: mentorin\n", "did you mean mentoring?"},
		{"name: m\ninterventions:\n  - kind: coaching\n", "support_team, seeding, mentoring"},
		{"name: m\ninterventions:\n  - kind: mentoring\n    reward: individual_contribution\n", "only applies to kind rewards, not mentoring"},
	}
	for _, tt := range tests {
		if _, err := Parse("m.yaml", []byte(tt.src)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want %q", tt.src, err, tt.want)
		}
	}
	if doc := kindsDoc(); !strings.Contains(doc, "| `mentoring` | Mentoring | Core members are asked to coach newcomers. | `support` |") {
		t.Errorf("the docs' table lacks the new kind:\n%s", doc)
	}
}
