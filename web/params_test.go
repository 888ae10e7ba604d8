package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// get fetches url and returns its status, body and headers.
func get(t *testing.T, url string) (int, []byte, http.Header) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.Bytes(), resp.Header
}

func TestParamRefusals(t *testing.T) {
	_, ts := newTestServer(t, Config{})
	st := create(t, ts.URL, "people=60")
	sess := ts.URL + "/api/sessions/" + st.ID
	for _, q := range []string{
		"key=model.dimensions&value=3",    // not a slider
		"key=model.turnover&value=0.5",    // above the slider's range
		"key=model.turnover&value=-0.001", // below
		"key=model.turnover&value=abc",
		"key=model.turnover&value=NaN",
		"key=model.turnover",
		"key=model.turnover&value=0.01&x=1",
	} {
		code, body := do(t, "POST", sess+"/param?"+q)
		if code != 400 {
			t.Errorf("%s: %d %s, want 400", q, code, body)
		}
		oneSentence(t, q, body)
	}
	code, body := do(t, "POST", sess+"/param?key=model.turnover&value=0.02")
	var s1 state
	if json.Unmarshal([]byte(body), &s1); code != 200 || s1.Params["model.turnover"] != 0.02 || len(s1.ParamLog) != 1 || s1.ParamLog[0].Tick != 1 {
		t.Errorf("a slider move: %d %s", code, body)
	}
}

// driver returns what a test presses on session sess: post sends an
// action (failing the test unless it succeeds), steps presses Step k times.
func driver(t *testing.T, sess string) (post func(q string), steps func(k int)) {
	post = func(q string) {
		t.Helper()
		if code, body := do(t, "POST", sess+q); code != 200 {
			t.Fatalf("%s: %d %s", q, code, body)
		}
	}
	steps = func(k int) {
		for range k {
			post("/step")
		}
	}
	return post, steps
}

// TestSlidersActLive: a slider moved during a run changes the numbers from
// the next week on, the same way for the same moves (a world stepped by
// hand with the same parameter changes at the same ticks gives the same
// rows), and the moves are recorded with their weeks.
func TestSlidersActLive(t *testing.T) {
	srv, ts := newTestServer(t, Config{})
	st := create(t, ts.URL, "scenario=baseline&seed=5&people=120")
	sess := ts.URL + "/api/sessions/" + st.ID
	post, steps := driver(t, sess)
	steps(6)
	post("/param?key=model.turnover&value=0.04")
	post("/param?key=model.turbulence&value=0.03")
	steps(5)
	post("/param?key=model.socialization&value=0.6")
	post("/param?key=model.engagement.project_load&value=0.8")
	steps(5)
	got := srv.sessions[st.ID].rows()
	_, body := do(t, "GET", sess)
	var now state
	json.Unmarshal([]byte(body), &now)
	want := []paramChange{{7, "model.turnover", 0.04}, {7, "model.turbulence", 0.03}, {12, "model.socialization", 0.6}, {12, "model.engagement.project_load", 0.8}}
	if fmt.Sprint(now.ParamLog) != fmt.Sprint(want) {
		t.Errorf("param log %v, want %v", now.ParamLog, want)
	}

	sc, err := scenarios.Load("baseline", []string{"seed=5", "population.people=120", "replications=1"})
	if err != nil {
		t.Fatal(err)
	}
	replay := func(moves bool) []string {
		sc := sc
		w, err := agents.NewWorld(&sc, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		var out []string
		rec := func() {
			for _, r := range w.Measure() {
				out = append(out, fmt.Sprintf("%+v", r))
			}
		}
		rec()
		for tick := 1; tick <= 16; tick++ {
			if moves && (tick == 7 || tick == 12) {
				for _, p := range want {
					if p.Tick == tick {
						s, _ := sliderNamed(p.Key)
						*s.field(&sc) = p.Value
					}
				}
				if err := w.SetParameters(sc); err != nil {
					t.Fatal(err)
				}
			}
			w.Step()
			rec()
		}
		return out
	}
	with, without := replay(true), replay(false)
	if len(got) != len(with) {
		t.Fatalf("session has %d rows, replay %d", len(got), len(with))
	}
	same := true
	for k := range got {
		g := fmt.Sprintf("%+v", got[k])
		if g != with[k] {
			t.Fatalf("row %d differs from the replay:\n session %s\n replay  %s", k, g, with[k])
		}
		same = same && g == without[k]
	}
	if same {
		t.Errorf("the sliders changed nothing")
	}
	for k := range got {
		if got[k].Tick < 7 && with[k] != without[k] {
			t.Fatalf("row %d (tick %d) changed before the move", k, got[k].Tick)
		}
	}
}

// TestExportReproduces: the session saved as a scenario runs, with
// `copsim run`'s engine, to the same time series byte for byte, after a
// slider moved before the first week, switches pressed and sliders moved
// during the run (written as the scenario's changes).
func TestExportReproduces(t *testing.T) {
	_, ts := newTestServer(t, Config{})
	st := create(t, ts.URL, "scenario=baseline&seed=11&people=100")
	sess := ts.URL + "/api/sessions/" + st.ID
	post, steps := driver(t, sess)
	post("/param?key=model.turnover&value=0.02")
	post("/param?key=population.multi_membership&value=0.4")
	steps(8)
	post("/switch?kind=boundary_activity&on=true&strength=0.7")
	steps(9)
	post("/switch?kind=boundary_activity&on=false")
	post("/switch?kind=rewards&on=true&strength=0.5&reward=peer_recognition")
	post("/param?key=model.code_learning&value=0.9")
	post("/param?key=model.turbulence&value=0.01")
	steps(3)
	post("/param?key=model.engagement.project_load&value=0.8")
	steps(3)

	code, csv, _ := get(t, sess+"/timeseries.csv")
	if code != 200 || !bytes.HasPrefix(csv, []byte(strings.Join(results.TimeseriesHeader, ","))) {
		t.Fatalf("timeseries.csv: %d %.200s", code, csv)
	}
	code, yaml, _ := get(t, sess+"/scenario.yaml")
	if code != 200 {
		t.Fatalf("scenario.yaml: %d\n%s", code, yaml)
	}
	sc, err := scenarios.Parse("session.yaml", yaml)
	if err != nil {
		t.Fatalf("the saved scenario does not parse: %v\n%s", err, yaml)
	}
	if sc.Model.Turnover != 0.02 || sc.Population.MultiMembership != 0.4 || len(sc.Interventions) != 2 || len(sc.Changes) != 3 {
		t.Fatalf("saved scenario: turnover %v, multi-membership %v, %d interventions, %d changes",
			sc.Model.Turnover, sc.Population.MultiMembership, len(sc.Interventions), len(sc.Changes))
	}
	res, err := agents.Run(context.Background(), sc, sim.Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	n := 24 * 4 // weeks 0-23, three communities and all
	if err := results.WriteTimeseries(&want, res.Rows[:n]); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(csv, want.Bytes()) {
		t.Fatalf("the session's timeseries.csv differs from copsim run of the saved scenario:\nsession %.300s\nrun     %.300s", csv, want.Bytes())
	}

}
