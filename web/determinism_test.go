package web

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// TestSessionMatchesRun: the same seed and the same schedule of switches
// give the same numbers as `copsim run` with those interventions, both in
// the session's own record and on the stream the page reads.
func TestSessionMatchesRun(t *testing.T) {
	for _, name := range []string{"baseline", "over_management"} {
		t.Run(name, func(t *testing.T) {
			srv, ts := newTestServer(t, Config{})
			st := create(t, ts.URL, fmt.Sprintf("scenario=%s&seed=7&people=150", name))
			sess := ts.URL + "/api/sessions/" + st.ID
			ch, stop := openStream(t, sess+"/events")
			defer stop()
			next(t, ch, "state")
			steps := func(k int) {
				for range k {
					if code, body := do(t, "POST", sess+"/step"); code != 200 {
						t.Fatalf("step: %d %s", code, body)
					}
				}
			}
			sw := func(q string) {
				if code, body := do(t, "POST", sess+"/switch?"+q); code != 200 {
					t.Fatalf("switch %s: %d %s", q, code, body)
				}
			}
			steps(5)
			sw("kind=over_management&on=true&strength=0.7")
			steps(6)
			sw("kind=rewards&on=true&strength=0.6&reward=participation_recognition")
			sw("kind=boundary_activity&on=true&strength=1")
			steps(4)
			sw("kind=over_management&on=true&strength=0.3") // a new strength
			steps(4)
			sw("kind=over_management&on=false")
			sw("kind=seeding&on=true&strength=1")
			steps(3)
			sw("kind=rewards&on=true&strength=0.6&reward=individual_contribution")
			steps(3)
			sw("kind=legitimize_participation&on=true&strength=0.5")
			sw("kind=support_team&on=true&strength=0.9")
			// some weeks played rather than stepped
			do(t, "POST", sess+"/speed?value=30")
			do(t, "POST", sess+"/play")
			for {
				var f frame
				json.Unmarshal([]byte(next(t, ch, "frame").data), &f)
				if f.Tick >= 30 {
					break
				}
			}
			do(t, "POST", sess+"/pause")
			_, body := do(t, "GET", sess)
			var now state
			json.Unmarshal([]byte(body), &now)
			se := srv.sessions[st.ID]
			got := se.rows()
			T := now.Tick
			if T < 30 || len(got) != (T+1)*4 {
				t.Fatalf("session at tick %d has %d rows", T, len(got))
			}

			// `copsim run` with the session's schedule as the scenario's interventions.
			sc, err := scenarios.Load(name, []string{"seed=7", "population.people=150", "replications=1"})
			if err != nil {
				t.Fatal(err)
			}
			sc.Interventions = now.Schedule
			if err := sc.Validate(); err != nil {
				t.Fatalf("the session's schedule is not a valid scenario: %v", err)
			}
			res, err := agents.Run(context.Background(), sc, sim.Options{Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			want := res.Rows[:len(got)]
			// and the switches mattered: without them the numbers differ.
			sc.Interventions = nil
			plain, err := agents.Run(context.Background(), sc, sim.Options{Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprintf("%+v", plain.Rows[len(got)-1]) == fmt.Sprintf("%+v", got[len(got)-1]) {
				t.Errorf("the switches changed nothing")
			}
			for k := range got {
				if a, b := fmt.Sprintf("%+v", got[k]), fmt.Sprintf("%+v", want[k]); a != b {
					t.Fatalf("tick %d %s differs from copsim run:\n session %s\n run     %s", got[k].Tick, got[k].Community, a, b)
				}
			}

			// The stream carries the same numbers: a fresh page's history.
			ch2, stop2 := openStream(t, sess+"/events")
			defer stop2()
			var hist struct {
				History []wireFrame `json:"history"`
			}
			json.Unmarshal([]byte(next(t, ch2, "state").data), &hist)
			if len(hist.History) != T+1 {
				t.Fatalf("history has %d ticks, want %d", len(hist.History), T+1)
			}
			for i, f := range hist.History {
				for c, r := range f.Rows {
					checkWire(t, r, &want[i*4+c])
				}
				if t.Failed() {
					t.Fatalf("stream tick %d differs from copsim run", f.Tick)
				}
			}
		})
	}
}
