package scenarios_test

import (
	"fmt"

	"github.com/copsim/copsim/scenarios"
)

func ExampleParse() {
	src := []byte(`name: tight_control
description: Does tight control from week 50 hurt learning?
interventions:
  - kind: over_management
    strength: 0.6
    start: 50
`)
	s, err := scenarios.Parse("tight_control.yaml", src)
	if err != nil {
		fmt.Println(err)
		return
	}
	iv := s.Interventions[0]
	fmt.Println(s.Name, s.Ticks, s.Population.People)
	fmt.Println(iv.Kind, iv.Strength, iv.Active(49), iv.Active(50), s.Targets(iv))

	_, err = scenarios.Parse("typo.yaml", []byte("name: typo\nmodel:\n  socialization: 1.5\n  turnovr: 0.1\n"))
	fmt.Println(err)
	_, err = scenarios.Parse("range.yaml", []byte("name: range\nmodel:\n  socialization: 1.5\n"))
	fmt.Println(err)
	// Output:
	// tight_control 200 300
	// over_management 0.6 false true [0 1 2]
	// typo.yaml:4: model.turnovr: unknown field; did you mean turnover?
	// range.yaml:3: model.socialization: must be between 0 and 1, got 1.5
}

func ExampleLoad() {
	s, err := scenarios.Load("over_management", []string{"interventions.0.strength=0.5", "seed=7"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Name, s.Seed, s.Interventions[0].Strength)

	_, err = scenarios.Load("baseline", []string{"model.socialzation=0.9"})
	fmt.Println(err)
	_, err = scenarios.Load("baseline", []string{"population.people=0"})
	fmt.Println(err)
	// Output:
	// over_management 7 0.5
	// --set model.socialzation=0.9: model.socialzation: unknown field; did you mean socialization?
	// --set population.people=0: population.people: must be at least 1, got 0
}

func ExampleBuiltins() {
	for _, info := range scenarios.Builtins()[:2] {
		fmt.Println(info.Name)
	}
	// Output:
	// baseline
	// boundary_activity
}

// The intervention registry: every kind, what the page calls it and the
// lever it moves; the rewards kind moves the lever of its reward system.
func ExampleKinds() {
	for _, k := range scenarios.Kinds() {
		switch l, ok := k.Lever(&scenarios.Intervention{Kind: k.Name}); {
		case k.OneOff:
			fmt.Printf("%-26s %-18s acts once\n", k.Name, k.Label)
		case len(k.Rewards) > 0:
			fmt.Printf("%-26s %-18s by reward:\n", k.Name, k.Label)
			for _, r := range k.Rewards {
				fmt.Printf("  %-25s %-18s %v\n", r.Name, r.Label, r.Lever)
			}
		case ok:
			fmt.Printf("%-26s %-18s %v\n", k.Name, k.Label, l)
		}
	}
	// Output:
	// over_management            Over-management    over_management
	// rewards                    Rewards            by reward:
	//   individual_contribution   Individual bonuses individual_reward
	//   participation_recognition Counted in reviews recognition
	//   penalizing_compensation   Penalizing pay     penalty
	//   peer_recognition          Peer recognition   feedback
	// boundary_activity          Boundary activity  boundary
	// legitimize_participation   Time given         legitimize
	// support_team               Support team       support
	// seeding                    Seeding            acts once
}

func ExampleKindNamed() {
	k, _ := scenarios.KindNamed(scenarios.Rewards)
	iv := scenarios.Intervention{Kind: scenarios.Rewards, Reward: scenarios.ParticipationRecognition, Strength: 0.5}
	l, ok := k.Lever(&iv)
	fmt.Println(k.Label, l, ok)

	_, err := scenarios.Parse("typo.yaml", []byte("name: typo\ninterventions:\n  - kind: over_managment\n"))
	fmt.Println(err)
	// Output:
	// Rewards recognition true
	// typo.yaml:3: interventions.0.kind: unknown kind "over_managment"; did you mean over_management?
}
