package agents

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// busyScenario switches every mechanism and every intervention on, with
// more people than one chunk, so that every code path runs in parallel.
func busyScenario(t testing.TB) scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Load("baseline", []string{
		"population.people=1200", "ticks=40", "replications=3", "seed=11",
		"population.multi_membership=0.3", "model.turnover=0.02",
		"model.learning.require_better=false",
	})
	if err != nil {
		t.Fatal(err)
	}
	sc.Communities = []scenarios.Community{
		{Name: "design", Relationship: scenarios.Strategic, Share: 1},
		{Name: "ops", Relationship: scenarios.Legitimized, Share: 1, Domain: scenarios.Domain{From: 0, To: 20}},
		{Name: "guild", Relationship: scenarios.Bootlegged, Share: 2},
	}
	sc.Interventions = []scenarios.Intervention{
		{Kind: scenarios.OverManagement, Strength: 0.6, Start: 5, End: 30},
		{Kind: scenarios.Rewards, Reward: scenarios.IndividualContribution, Strength: 0.5, Start: 3},
		{Kind: scenarios.Rewards, Reward: scenarios.ParticipationRecognition, Strength: 0.5, Start: 10, Communities: []string{"ops"}},
		{Kind: scenarios.Rewards, Reward: scenarios.PenalizingCompensation, Strength: 0.3, Start: 20},
		{Kind: scenarios.BoundaryActivity, Strength: 0.8, Start: 1},
		{Kind: scenarios.LegitimizeParticipation, Strength: 0.5, Start: 1},
		{Kind: scenarios.SupportTeam, Strength: 0.5, Start: 15},
		{Kind: scenarios.Seeding, Strength: 1, Start: 0, Communities: []string{"guild"}},
	}
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	return sc
}

// fingerprint renders every number of a result, so that two results can
// be compared byte for byte.
func fingerprint(res *Result) []byte {
	var b bytes.Buffer
	for _, r := range res.Rows {
		fmt.Fprintf(&b, "%+v\n", r)
	}
	for _, s := range res.Summaries {
		fmt.Fprintf(&b, "%+v\n", s)
	}
	fmt.Fprintf(&b, "%+v\n", *res.Network)
	return b.Bytes()
}

func TestDeterministicAcrossWorkers(t *testing.T) {
	sc := busyScenario(t)
	var want []byte
	for _, workers := range []int{1, 2, 8} {
		res, err := Run(context.Background(), sc, sim.Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		got := fingerprint(res)
		if want == nil {
			want = got
			continue
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("workers=%d gave a different result than workers=1", workers)
		}
	}
}

func TestWorldWorkersIdentical(t *testing.T) {
	// Within one replication: parallel phases over chunks must not change a draw.
	sc := busyScenario(t)
	w1, w4 := mustWorld(t, &sc, 0, 1), mustWorld(t, &sc, 0, 4)
	defer w1.Close()
	defer w4.Close()
	for tick := 0; tick < 25; tick++ {
		w1.Step()
		w4.Step()
		a, b := fmt.Sprint(w1.Measure()), fmt.Sprint(w4.Measure())
		if a != b {
			t.Fatalf("tick %d: 1 and 4 workers differ", tick+1)
		}
	}
}

func TestSeedChangesResult(t *testing.T) {
	sc := busyScenario(t)
	sc.Replications = 1
	a, _ := Run(context.Background(), sc, sim.Options{Workers: 1})
	sc.Seed++
	b, _ := Run(context.Background(), sc, sim.Options{Workers: 1})
	if bytes.Equal(fingerprint(a), fingerprint(b)) {
		t.Fatal("different seeds gave the same result")
	}
}

func TestInvariants(t *testing.T) {
	sc := busyScenario(t)
	wd := mustWorld(t, &sc, 0, 2)
	defer wd.Close()
	for tick := 0; tick < sc.Ticks; tick++ {
		wd.Step()
		for j, l := range wd.legit {
			if l < 0 || l > 1 || math.IsNaN(l) {
				t.Fatalf("tick %d: legitimacy[%d] = %v outside [0,1]", wd.eng.Tick(), j, l)
			}
		}
		for i, m := range wd.motiv {
			if m < 0 || m > 1 {
				t.Fatalf("tick %d: motivation[%d] = %v outside [0,1]", wd.eng.Tick(), i, m)
			}
		}
		for _, r := range wd.Measure() {
			checkRow(t, r)
		}
	}
}

func checkRow(t *testing.T, r measure.Row) {
	t.Helper()
	if r.Peripheral+r.Active+r.Core != r.Members {
		t.Fatalf("%s tick %d: roles %d+%d+%d do not add up to %d members", r.Community, r.Tick, r.Peripheral, r.Active, r.Core, r.Members)
	}
	unit := map[string]float64{
		"participation_rate": r.ParticipationRate, "participation_gini": r.ParticipationGini,
		"knowledge_mean": r.KnowledgeMean, "knowledge_core": r.KnowledgeCore,
		"knowledge_peripheral": r.KnowledgePeripheral, "repertoire_knowledge": r.RepertoireKnowledge,
		"diversity": r.Diversity, "divergence": r.Divergence, "boundary_share": r.BoundaryShare,
		"majority_knowledge": r.MajorityKnowledge,
	}
	// Means over an empty group are missing, and only then.
	for name, empty := range map[string]int{"knowledge_core": r.Core, "knowledge_peripheral": r.Peripheral,
		"knowledge_mean": r.Members, "participation_rate": r.Members, "majority_knowledge": r.Members} {
		if x := unit[name]; math.IsNaN(x) != (empty == 0) {
			t.Fatalf("%s tick %d: %s = %v with %d in the group", r.Community, r.Tick, name, x, empty)
		}
		if empty == 0 {
			delete(unit, name)
		}
	}
	for name, x := range unit {
		if x < -1e-12 || x > 1+1e-12 || math.IsNaN(x) {
			t.Fatalf("%s tick %d: %s = %v outside [0,1]", r.Community, r.Tick, name, x)
		}
	}
	// The E-I index is undefined without encounters, and only then for the
	// organization (a community also counts its members' encounters
	// elsewhere).
	if math.IsNaN(r.EIIndex) && r.Encounters > 0 || r.Community == "all" && !math.IsNaN(r.EIIndex) && r.Encounters == 0 {
		t.Fatalf("%s tick %d: ei_index = %v with %d encounters", r.Community, r.Tick, r.EIIndex, r.Encounters)
	}
	for name, x := range map[string]float64{"ei_index": r.EIIndex, "repertoire_score": r.RepertoireScore} {
		if x < -1 || x > 1 || math.IsNaN(x) && name != "ei_index" {
			t.Fatalf("%s tick %d: %s = %v outside [-1,1]", r.Community, r.Tick, name, x)
		}
	}
}

func TestRolesEmergeNotAssigned(t *testing.T) {
	// Everyone starts below the active threshold; any core is made by the dynamics.
	sc, err := scenarios.Load("baseline", []string{"replications=4", "ticks=150"})
	if err != nil {
		t.Fatal(err)
	}
	wd := mustWorld(t, &sc, 0, 1)
	defer wd.Close()
	for _, l := range wd.legit {
		if l >= sc.Model.Roles.Active {
			t.Fatalf("initial legitimacy %v already active", l)
		}
	}
	res, err := Run(context.Background(), sc, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var core, act, per float64
	for _, s := range res.Summaries {
		core += s.CoreShare / 4
		act += s.ActiveShare / 4
		per += s.PeripheralShare / 4
	}
	// Wenger, McDermott & Snyder (2002): core ~10-15 %, active ~15-20 %, the rest peripheral.
	if core < 0.06 || core > 0.2 || act < 0.1 || act > 0.3 || per < 0.5 {
		t.Errorf("role shares core %.2f, active %.2f, peripheral %.2f; want roughly 0.12/0.2/0.68", core, act, per)
	}
}

func TestStopAtEquilibrium(t *testing.T) {
	sc, err := scenarios.Load("march1991", []string{"replications=3"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), sc, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Summaries {
		if !s.Equilibrium || s.FinalTick >= sc.Ticks {
			t.Errorf("rep %d: stopped at tick %d, equilibrium %v", s.Rep, s.FinalTick, s.Equilibrium)
		}
	}
	// With turnover, runs go to the cap.
	sc.Model.Turnover = 0.01
	sc.Ticks = 50
	res, err = Run(context.Background(), sc, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Summaries {
		if s.Equilibrium || s.FinalTick != 50 {
			t.Errorf("with turnover: stopped at %d, equilibrium %v; want the cap 50", s.FinalTick, s.Equilibrium)
		}
	}
}

func TestContextCancel(t *testing.T) {
	sc := busyScenario(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, sc, sim.Options{Workers: 2}); err == nil {
		t.Fatal("a cancelled run returned no error")
	}
}

func TestSetInterventionsMatchesSchedule(t *testing.T) {
	// Switching an intervention on mid-run equals scheduling it from that tick.
	sc, _ := scenarios.Load("baseline", []string{"replications=1", "ticks=30", "population.people=200"})
	iv := scenarios.Intervention{Kind: scenarios.OverManagement, Strength: 0.7, Start: 11}
	live := mustWorld(t, &sc, 0, 1)
	defer live.Close()
	for live.Tick() < 10 {
		live.Step()
	}
	mustSet(t, live, []scenarios.Intervention{iv})
	for live.Tick() < 30 {
		live.Step()
	}
	planned := sc
	planned.Interventions = []scenarios.Intervention{iv}
	wd := mustWorld(t, &planned, 0, 1)
	defer wd.Close()
	for wd.Tick() < 30 {
		wd.Step()
	}
	if a, b := fmt.Sprint(live.Measure()), fmt.Sprint(wd.Measure()); a != b {
		t.Fatal("switching on at tick 11 differs from scheduling start: 11")
	}
}

func TestWideRealities(t *testing.T) {
	// Beliefs span several words: m not a multiple of 64, and the maximum.
	for _, m := range []int{65, 100, 256} {
		t.Run(fmt.Sprint(m), func(t *testing.T) {
			sc, err := scenarios.Load("boundary_activity", []string{
				fmt.Sprintf("model.dimensions=%d", m), "population.people=300", "ticks=30", "replications=2",
			})
			if err != nil {
				t.Fatal(err)
			}
			sc.Communities = []scenarios.Community{
				{Name: "a", Relationship: scenarios.Legitimized, Share: 1, Domain: scenarios.Domain{From: 0, To: m / 2}},
				{Name: "b", Relationship: scenarios.Legitimized, Share: 1, Domain: scenarios.Domain{From: m / 3, To: m}},
				{Name: "c", Relationship: scenarios.Legitimized, Share: 1},
			}
			res, err := Run(context.Background(), sc, sim.Options{Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res.Rows {
				checkRow(t, r)
			}
			last := res.Rows[len(res.Rows)-1]
			if last.RepertoireKnowledge <= 0 || last.KnowledgeMean <= 0.34 {
				t.Errorf("m=%d: nothing learned (repertoire %.2f, members %.2f)", m, last.RepertoireKnowledge, last.KnowledgeMean)
			}
		})
	}
}

func TestStepAllocatesNothing(t *testing.T) {
	// At steady state a tick allocates nothing, with or without workers.
	for _, workers := range []int{1, 2} {
		sc := busyScenario(t)
		wd := mustWorld(t, &sc, 0, workers)
		for i := 0; i < 10; i++ {
			wd.Step()
		}
		if a := testing.AllocsPerRun(10, wd.Step); a != 0 {
			t.Errorf("workers=%d: %.1f allocations per tick, want 0", workers, a)
		}
		wd.Close()
	}
	// So do cross-group links and the majority rule (fang2010).
	sc, err := scenarios.Load("fang2010", []string{"model.encounter.cross_group=0.3", "model.boundaries=true"})
	if err != nil {
		t.Fatal(err)
	}
	wd := mustWorld(t, &sc, 0, 2)
	defer wd.Close()
	for i := 0; i < 10; i++ {
		wd.Step()
	}
	if a := testing.AllocsPerRun(10, wd.Step); a != 0 {
		t.Errorf("fang2010: %.1f allocations per tick, want 0", a)
	}
}
