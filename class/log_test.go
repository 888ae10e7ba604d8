package class

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/scenarios"
)

var update = flag.Bool("update", false, "rewrite testdata/small.log from the run it records")

// smallLog is the run behind testdata/small.log: a 60-person baseline of
// 12 weeks with three students, a switch and a slider.
func smallLog(t testing.TB) *Run {
	t.Helper()
	sc, err := scenarios.Load("baseline", []string{"population.people=60", "ticks=12", "seed=7"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = r.Join("Ana")
	must(err)
	_, err = r.Join("Bo")
	must(err)
	for w := 0; w < 12; w++ {
		if w == 2 {
			_, err = r.Join("Chen")
			must(err)
		}
		if w == 4 {
			must(r.SetInterventions([]scenarios.Intervention{{Kind: "boundary_activity", Strength: 1, Start: 5}}))
		}
		if w == 6 {
			must(r.SetParameter("model.turnover", 0.02))
		}
		must(r.Decide(0, agents.Choice{TakePart: agents.DecideYes, Approach: agents.ApproachCore}))
		if w%2 == 0 {
			must(r.Decide(1, agents.Choice{TakePart: agents.DecideNo, Share: agents.DecideNo}))
		}
		if w >= 2 {
			must(r.Decide(2, agents.Choice{Approach: agents.ApproachOther, Share: agents.DecideYes}))
		}
		must(r.Step())
	}
	return r
}

// testdata/small.log is what the run writes today: the format has not
// moved (go test ./class -run TestSmallLog -update rewrites it after an
// intended change).
func TestSmallLog(t *testing.T) {
	r := smallLog(t)
	defer r.Close()
	var b bytes.Buffer
	if err := r.WriteLog(&b); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "small.log")
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("the log differs from %s (rewrite it with -update after an intended change)", path)
	}
	lg, err := ReadLog(path, bytes.NewReader(want))
	if err != nil {
		t.Fatal(err)
	}
	rr, err := Replay(context.Background(), lg)
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Close()
	var a, c bytes.Buffer
	r.WriteTrajectoriesCSV(&a)
	rr.WriteTrajectoriesCSV(&c)
	if !bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Error("the replay of testdata/small.log differs from the run")
	}
}

// Every way a log can be wrong is refused at its line, in a sentence.
func TestReadLogErrors(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("testdata", "small.log"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(good), "\n"), "\n")
	events := 0
	for k, l := range lines {
		if l == logEvents {
			events = k + 1 // the 1-based line of the events marker
		}
	}
	// edit replaces (or, with insert, puts before) line n (1-based).
	edit := func(n int, with string, insert bool) string {
		out := append([]string(nil), lines[:n-1]...)
		out = append(out, with)
		if insert {
			out = append(out, lines[n-1:]...)
		} else {
			out = append(out, lines[n:]...)
		}
		return strings.Join(out, "\n") + "\n"
	}
	ev := events + 1 // the first event's line: Ana joins
	for _, tc := range []struct {
		name, log string
		line      int
		want      string
	}{
		{"empty", "", 1, "empty file"},
		{"not a log", "name: x\n", 1, "not a class event log"},
		{"another version", edit(1, "# copsim class log 9", false), 1, "format 9"},
		{"no scenario line", edit(2, "scenario:", false), 2, "second line"},
		{"no events line", strings.Join(lines[:events-1], "\n") + "\n", events, "ends before"},
		{"bad scenario", edit(4, "nonsense_key: 1", true), 4, "nonsense_key"},
		{"bad json", edit(ev, "{week:0}", false), ev, "not an event"},
		{"two values", edit(ev, lines[ev-1]+" {}", false), ev, "more than one"},
		{"unknown field", edit(ev, `{"week":0,"event":"step","extra":1}`, false), ev, "unknown field"},
		{"unknown kind", edit(ev, `{"week":0,"event":"jump"}`, false), ev, "unknown event"},
		{"no week", edit(ev, `{"event":"step"}`, false), ev, `needs "week"`},
		{"field of another kind", edit(ev, `{"week":0,"event":"step","student":0}`, false), ev, `has no "student"`},
		{"missing field", edit(ev, `{"week":0,"event":"join","student":0,"name":"Ana","community":"c0"}`, false), ev, `needs "person"`},
		{"wrong week", edit(ev, `{"week":3,"event":"step"}`, true), ev, "week 3"},
		{"student out of order", edit(ev, `{"week":0,"event":"join","student":5,"name":"X","community":"c0","person":1}`, false), ev, "student 5 joins"},
		{"bad name", edit(ev, `{"week":0,"event":"join","student":0,"name":"<b>","community":"c0","person":1}`, false), ev, "name"},
		{"decide before join", edit(ev, `{"week":0,"event":"decide","student":0,"take_part":"yes","approach":"auto","share":"auto"}`, true), ev, "student 0 decides"},
		{"bad take_part", edit(ev+2, `{"week":0,"event":"decide","student":0,"take_part":"maybe","approach":"auto","share":"auto"}`, true), ev + 2, "take_part"},
		{"bad approach", edit(ev+2, `{"week":0,"event":"decide","student":0,"take_part":"yes","approach":"boss","share":"auto"}`, true), ev + 2, "approach"},
		{"all auto", edit(ev+2, `{"week":0,"event":"decide","student":0,"take_part":"auto","approach":"auto","share":"auto"}`, true), ev + 2, "decides something"},
		{"twice", edit(ev+2, lines[ev+1], true), ev + 3, "twice"},
		{"unknown key", edit(ev+2, `{"week":0,"event":"parameter","key":"model.lpp","value":1}`, true), ev + 2, "model.lpp"},
		{"blank line", edit(ev+2, "", true), ev + 2, "empty line"},
		{"beyond the weeks", string(good) + `{"week":12,"event":"step"}` + "\n", len(lines) + 1, "beyond"},
		{"too long", edit(ev, strings.Repeat("x", maxLogLine+1), false), ev, "longer than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadLog("class.log", strings.NewReader(tc.log))
			if err == nil {
				t.Fatal("accepted")
			}
			prefix := "class.log:" + itoa(tc.line) + ": "
			if !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want %q... saying %q", err, prefix, tc.want)
			}
		})
	}
}

// A log that reads well but that the run refuses (edited, or of another
// copsim) fails at the event's line.
func TestReplayRefusesEditedLog(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("testdata", "small.log"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, from, to, want string }{
		{"another person", `"name":"Ana","community":"c0","person":`, `"name":"Ana","community":"c0","person":1000`, "another copsim"},
		{"a bad switch", `"kind":"boundary_activity"`, `"kind":"no_such_kind"`, "interventions event"},
		{"a value out of range", `"key":"model.turnover","value":0.02`, `"key":"model.turnover","value":7`, "parameter event"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(string(good), tc.from, tc.to, 1)
			if bad == string(good) {
				t.Fatalf("%q is not in the log", tc.from)
			}
			lg, err := ReadLog("class.log", strings.NewReader(bad))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Replay(context.Background(), lg)
			if err == nil || !strings.HasPrefix(err.Error(), "class.log:") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("replay: %v, want an error at a line saying %q", err, tc.want)
			}
		})
	}
}

// FuzzReadLog: no input makes ReadLog panic, and a log it accepts writes
// back events it accepts again, the same.
func FuzzReadLog(f *testing.F) {
	good, err := os.ReadFile(filepath.Join("testdata", "small.log"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(logHeader + "\n" + logScenario + "\nname: x\n" + logEvents + "\n{\"week\":0,\"event\":\"step\"}\n"))
	f.Add([]byte(""))
	f.Add([]byte(logHeader + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lg, err := ReadLog("fuzz.log", bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.log:") {
				t.Fatalf("error without the file's name: %v", err)
			}
			return
		}
		var b bytes.Buffer
		y, err := scenarios.Marshal(lg.Scenario)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(logHeader + "\n" + logScenario + "\n")
		b.Write(y)
		b.WriteString(logEvents + "\n")
		for _, e := range lg.Events {
			if err := writeEvent(&b, e); err != nil {
				t.Fatal(err)
			}
		}
		again, err := ReadLog("fuzz.log", &b)
		if err != nil {
			t.Fatalf("a log written from an accepted one is refused: %v", err)
		}
		if len(again.Events) != len(lg.Events) {
			t.Fatalf("%d events, then %d", len(lg.Events), len(again.Events))
		}
		for k := range lg.Events {
			a, b := lg.Events[k], again.Events[k]
			a.Line, b.Line = 0, 0
			ja, _ := a.MarshalJSON()
			jb, _ := b.MarshalJSON()
			if !bytes.Equal(ja, jb) {
				t.Fatalf("event %d: %s, then %s", k, ja, jb)
			}
		}
	})
}
