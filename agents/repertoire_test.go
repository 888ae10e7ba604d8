package agents

import (
	"context"
	"fmt"
	"testing"

	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// learnCode learns from the superior participants only (performance above
// the code's score), their votes weighted by legitimacy under LPP.
func TestLearnCodeVotes(t *testing.T) {
	// Person: action everywhere +1 (true) or -1, legitimacy, performance.
	type voter struct {
		plus bool
		l    float64
		perf int16
		part bool
	}
	voters := []voter{
		{true, 0.9, 5, true},  // superior, heavy
		{false, 0.2, 5, true}, // superior, light
		{false, 0.3, 5, true}, // superior, light
		{false, 1, 0, true},   // not superior: does not vote
		{false, 1, 9, false},  // absent: does not vote
		{false, 1, 9, true},   // superior, but a member of another community
	}
	for _, tt := range []struct {
		lpp  bool
		plus bool // the code's value afterwards, on every dimension
	}{
		{true, true},   // 0.9 against 0.5
		{false, false}, // 1 against 2
	} {
		t.Run(fmt.Sprintf("lpp=%v", tt.lpp), func(t *testing.T) {
			wd := tinyWorld(t, len(voters), 2, fmt.Sprintf("model.lpp=%v", tt.lpp), "model.code_learning=1")
			for i, vt := range voters {
				c := 0
				if i == 5 {
					c = 1
				}
				member(wd, i, 1, c, vt.l, vt.part)
				wd.perf[i*maxMem+1] = vt.perf
				act := wd.act[i*wd.w : (i+1)*wd.w]
				for w := range act {
					act[w] = 0
					if vt.plus {
						act[w] = wd.all[w]
					}
				}
			}
			settle(wd)
			wd.learnCode(0, 0)
			cm := &wd.comms[0]
			for d := 0; d < wd.m; d++ {
				b := uint64(1) << (d % 64)
				if cm.codeKnown[d/64]&b == 0 || (cm.codeValue[d/64]&b != 0) != tt.plus {
					t.Fatalf("dimension %d: code known %v value %v, want %v", d, cm.codeKnown[d/64]&b != 0, cm.codeValue[d/64]&b != 0, tt.plus)
				}
			}
			if want := Score(cm.codeKnown, cm.codeValue, wd.reality, cm.domain); cm.codeScore != want {
				t.Errorf("code score %d, want %d", cm.codeScore, want)
			}
			if Count(wd.comms[1].codeKnown) != 0 {
				t.Error("community 1's code changed")
			}
		})
	}
}

// Nobody superior: the code stays; a mandated agenda at rate 1 then
// overwrites the domain with management's view.
func TestLearnCodeAgenda(t *testing.T) {
	for _, over := range []float64{0, 1} {
		wd := tinyWorld(t, 2, 1, "model.code_learning=1", "model.management.agenda_rate=1")
		member(wd, 0, 0, 0, 1, true)
		copy(wd.act[:wd.w], wd.all)
		settle(wd)
		wd.comms[0].eff[scenarios.LeverOverManagement] = over
		wd.learnCode(0, 0) // performance 0 is not above the empty code's 0
		cm := &wd.comms[0]
		if over == 0 {
			if Count(cm.codeKnown) != 0 {
				t.Errorf("no superior participant, yet the code learned %d dimensions", Count(cm.codeKnown))
			}
			continue
		}
		for w := range cm.codeKnown {
			if cm.codeKnown[w] != wd.all[w] || cm.codeValue[w] != wd.mgmtValue[w]&wd.all[w] {
				t.Errorf("agenda at rate 1: word %d is %x/%x, want management's %x", w, cm.codeKnown[w], cm.codeValue[w], wd.mgmtValue[w])
			}
		}
	}
}

// The mandated agenda's cost to the repertoire is not assumed: it depends
// on how good management's view is. Under over-management, the repertoire
// loses more to the agenda when management knows little than when it
// knows much (management's view learning from reports at its default).
func TestAgendaCostDependsOnManagementsView(t *testing.T) {
	if raceDetector {
		t.Skip("a statistical test of the model: run without -race (make test does)")
	}
	repertoire := func(sets ...string) float64 {
		sc := smallScenario(t, append([]string{"population.people=200", "ticks=100", "replications=40",
			"model.management.view_learning=0.02"}, sets...)...)
		sc.Interventions = []scenarios.Intervention{{Kind: scenarios.OverManagement, Strength: 1}}
		res, err := Run(context.Background(), sc, sim.Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		sum := 0.0
		for _, s := range res.Summaries {
			sum += s.RepertoireKnowledge
		}
		return sum / float64(len(res.Summaries))
	}
	cost := map[string]float64{}
	for _, k := range []string{"0.1", "1"} {
		with := repertoire("model.management.knowledge=" + k)
		without := repertoire("model.management.knowledge="+k, "model.management.agenda_rate=0")
		cost[k] = without - with
		t.Logf("management knowledge %s: repertoire knowledge %.3f with the agenda, %.3f without: cost %.3f", k, with, without, cost[k])
	}
	if cost["0.1"] <= cost["1"]+0.02 {
		t.Errorf("the agenda cost %.3f with a poor view and %.3f with a good one: want the poor view's clearly larger", cost["0.1"], cost["1"])
	}
}

// learnView copies a reporting community's differing beliefs into
// management's view at rate view_learning x e_over, and nothing from a
// community that does not report (no over-management) or holds no belief.
func TestLearnView(t *testing.T) {
	for _, tc := range []struct {
		name       string
		rate, over float64
		learns     bool
	}{
		{"reporting at rate 1", 1, 1, true},
		{"not reporting", 1, 0, false},
		{"never learning", 0, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wd := tinyWorld(t, 4, 1)
			wd.mp.Management.ViewLearning = tc.rate
			cm := &wd.comms[0]
			cm.eff[scenarios.LeverOverManagement] = tc.over
			before := append([]uint64(nil), wd.mgmtValue...)
			// The repertoire holds the opposite of management's view on
			// every dimension but the first, where it holds nothing.
			for w := range cm.codeKnown {
				cm.codeKnown[w] = wd.all[w]
				cm.codeValue[w] = ^wd.mgmtValue[w] & wd.all[w]
			}
			cm.codeKnown[0] &^= 1
			wd.learnView()
			for w := range wd.mgmtValue {
				want := before[w]
				if tc.learns {
					want = cm.codeValue[w]&cm.codeKnown[w] | before[w]&^cm.codeKnown[w]
				}
				if wd.mgmtValue[w]&wd.all[w] != want&wd.all[w] {
					t.Errorf("word %d: management's view %x, want %x", w, wd.mgmtValue[w], want)
				}
			}
		})
	}
}
