package class_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/class"
	"github.com/copsim/copsim/scenarios"
)

// A student joins a run at week 100, takes part three weeks running, seeks out
// the core and keeps what she knows to herself; the run's event log then
// replays it exactly.
func ExampleRun() {
	sc, err := scenarios.Load("baseline", []string{"population.people=120", "ticks=110", "seed=3"})
	if err != nil {
		panic(err)
	}
	r, err := class.New(sc, class.Options{})
	if err != nil {
		panic(err)
	}
	defer r.Close()
	for r.Week() < 100 { // the communities form their cores
		r.Step()
	}
	ana, err := r.Join("Ana")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s is new in %s.\n", ana.Name, ana.Community)
	for r.Week() < 103 {
		r.Decide(ana.ID, agents.Choice{TakePart: agents.DecideYes, Approach: agents.ApproachCore, Share: agents.DecideNo})
		r.Step()
	}
	v, _ := r.Student(ana.ID)
	fmt.Printf("Week %d, %s (legitimacy %.2f):\n", v.Week, v.Role, v.State.Legitimacy)
	for _, s := range v.Outcome {
		fmt.Println(" ", s)
	}

	var logged, a, b bytes.Buffer
	r.WriteLog(&logged)
	lg, err := class.ReadLog("ana.log", &logged)
	if err != nil {
		panic(err)
	}
	again, err := class.Replay(context.Background(), lg)
	if err != nil {
		panic(err)
	}
	defer again.Close()
	r.WriteTrajectoriesCSV(&a)
	again.WriteTrajectoriesCSV(&b)
	fmt.Println("replayed exactly:", bytes.Equal(a.Bytes(), b.Bytes()))
	// Output:
	// Ana is new in c0.
	// Week 103, peripheral (legitimacy 0.05):
	//   You took part in c0 this week.
	//   You met c0-82 (a core member of c0) twice.
	//   You learned 1 thing this week.
	//   Nobody learned from you: you kept what you know to yourself.
	//   You moved in: you are now a peripheral member of c0.
	// replayed exactly: true
}
