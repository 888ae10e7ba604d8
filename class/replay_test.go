package class

import (
	"bytes"
	"context"
	"testing"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/scenarios"
)

// drive plays a small class: joins, decisions, a switch and a slider.
func drive(t testing.TB, workers int) *Run {
	t.Helper()
	sc, err := scenarios.Load("baseline", []string{"ticks=30"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(sc, Options{Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"Ana", "Bo", "Chen"} {
		if _, err := r.Join(n); err != nil {
			t.Fatal(err)
		}
	}
	for w := 0; w < 30; w++ {
		switch w {
		case 3:
			if _, err := r.Join("Dee"); err != nil {
				t.Fatal(err)
			}
		case 5:
			if err := r.SetInterventions([]scenarios.Intervention{{Kind: "over_management", Strength: 1, Start: 6}}); err != nil {
				t.Fatal(err)
			}
		case 8:
			if err := r.SetParameter("model.turnover", 0.02); err != nil {
				t.Fatal(err)
			}
		}
		for id := range r.students {
			ch := agents.Choice{TakePart: agents.Decision((w + id) % 3), Approach: agents.Approach((w * (id + 1)) % 4), Share: agents.Decision(id % 3)}
			if err := r.Decide(id, ch); err != nil {
				t.Fatal(err)
			}
		}
		if err := r.Step(); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func exports(t testing.TB, r *Run) (ts, tr, lg []byte) {
	var a, b, c bytes.Buffer
	if err := r.WriteTimeseriesCSV(&a); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteTrajectoriesCSV(&b); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteLog(&c); err != nil {
		t.Fatal(err)
	}
	return a.Bytes(), b.Bytes(), c.Bytes()
}

// A driven run (joins, decisions, a switch, a slider) replays from its
// log byte for byte, on one worker or two: time series, trajectories and
// the log itself.
func TestReplayIsByteIdentical(t *testing.T) {
	r := drive(t, 1)
	defer r.Close()
	ts, tr, lg := exports(t, r)
	for _, workers := range []int{1, 2} {
		log, err := ReadLog("class.log", bytes.NewReader(lg))
		if err != nil {
			t.Fatal(err)
		}
		rr, err := ReplayWith(context.Background(), log, Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		ts2, tr2, lg2 := exports(t, rr)
		rr.Close()
		if !bytes.Equal(ts, ts2) || !bytes.Equal(tr, tr2) || !bytes.Equal(lg, lg2) {
			t.Errorf("workers %d: replay differs (timeseries %v, trajectories %v, log %v)", workers, bytes.Equal(ts, ts2), bytes.Equal(tr, tr2), bytes.Equal(lg, lg2))
		}
	}
	// A cancelled replay stops.
	log, err := ReadLog("class.log", bytes.NewReader(lg))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Replay(ctx, log); err != context.Canceled {
		t.Errorf("a cancelled replay: %v", err)
	}
}

// A warm-up runs the organization before the class arrives: the run
// starts at that week, the weeks are steps of the log, and the replay,
// even when asked for a warm-up of its own, reproduces the run.
func TestWarmUpIsPartOfTheLog(t *testing.T) {
	sc, err := scenarios.Load("baseline", []string{"ticks=40"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ warm, week int }{{0, 0}, {12, 12}, {40, 39}}
	for _, tt := range tests {
		r, err := New(sc, Options{WarmUp: tt.warm})
		if err != nil {
			t.Fatal(err)
		}
		if r.Week() != tt.week {
			t.Errorf("warm-up %d: the class arrives at week %d, want %d", tt.warm, r.Week(), tt.week)
		}
		if _, err := r.Join("Ana"); err != nil {
			t.Fatal(err)
		}
		if err := r.Step(); err != nil {
			t.Fatal(err)
		}
		ts, tr, lg := exports(t, r)
		r.Close()
		log, err := ReadLog("class.log", bytes.NewReader(lg))
		if err != nil {
			t.Fatal(err)
		}
		rr, err := ReplayWith(context.Background(), log, Options{WarmUp: 5})
		if err != nil {
			t.Fatal(err)
		}
		ts2, tr2, lg2 := exports(t, rr)
		rr.Close()
		if !bytes.Equal(ts, ts2) || !bytes.Equal(tr, tr2) || !bytes.Equal(lg, lg2) {
			t.Errorf("warm-up %d: replay differs", tt.warm)
		}
	}
}
