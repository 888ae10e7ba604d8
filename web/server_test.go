package web

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/copsim/copsim/scenarios"
)

// fakeClock is an injectable clock for idle expiry.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newTestServer(t *testing.T, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	s := New(cfg)
	ts := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); ts.Close() }) // sessions first: that ends the event streams
	return s, ts
}

func do(t *testing.T, method, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func create(t *testing.T, base, query string) state {
	t.Helper()
	code, body := do(t, "POST", base+"/api/sessions?"+query)
	if code != http.StatusCreated {
		t.Fatalf("create %q: %d %s", query, code, body)
	}
	var st state
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// oneSentence checks that a refusal is a single line ending with a full stop.
func oneSentence(t *testing.T, what, body string) {
	t.Helper()
	b := strings.TrimSuffix(body, "\n")
	if b == "" || strings.Contains(b, "\n") || !strings.HasSuffix(b, ".") {
		t.Errorf("%s: want one sentence, got %q", what, body)
	}
}

func TestBadParameters(t *testing.T) {
	_, ts := newTestServer(t, Config{MaxPeople: 500})
	st := create(t, ts.URL, "scenario=baseline&seed=2&people=100")
	sess := ts.URL + "/api/sessions/" + st.ID
	cases := []struct{ method, url, want string }{
		{"POST", ts.URL + "/api/sessions?scenario=nope", "Unknown scenario"},
		{"POST", ts.URL + "/api/sessions?scenario=../../etc/passwd", "Unknown scenario"},
		{"POST", ts.URL + "/api/sessions?seed=-1", "seed"},
		{"POST", ts.URL + "/api/sessions?seed=1.5", "seed"},
		{"POST", ts.URL + "/api/sessions?people=abc", "population size"},
		{"POST", ts.URL + "/api/sessions?people=501", "from 20 to 500"},
		{"POST", ts.URL + "/api/sessions?people=3", "population size"},
		{"POST", sess + "/speed?value=0", "speed"},
		{"POST", sess + "/speed?value=fast", "speed"},
		{"POST", sess + "/speed", "speed"},
		{"POST", sess + "/reset?people=100000", "population size"},
		{"POST", sess + "/switch?kind=dictatorship&on=true&strength=1", "Unknown intervention"},
		{"POST", sess + "/switch?kind=over_management&on=maybe&strength=1", "on=true or on=false"},
		{"POST", sess + "/switch?kind=over_management&on=true&strength=2", "strength"},
		{"POST", sess + "/switch?kind=over_management&on=true&strength=NaN", "strength"},
		{"POST", sess + "/switch?kind=over_management&on=true", "strength"},
		{"POST", sess + "/switch?kind=rewards&on=true&strength=0.5", "reward kind"},
		{"POST", sess + "/switch?kind=rewards&on=true&strength=0.5&reward=cash", "reward kind"},
		{"POST", sess + "/switch?kind=seeding&on=true&strength=0.5&reward=individual_contribution", "only applies"},
	}
	for _, c := range cases {
		code, body := do(t, c.method, c.url)
		if code != http.StatusBadRequest || !strings.Contains(body, c.want) {
			t.Errorf("%s %s: got %d %q, want 400 with %q", c.method, c.url, code, body, c.want)
		}
		oneSentence(t, c.url, body)
	}
	// The session is unchanged by the refusals.
	code, body := do(t, "GET", sess)
	var now state
	json.Unmarshal([]byte(body), &now)
	if code != 200 || now.People != 100 || now.Seed != 2 || len(now.Schedule) != 0 {
		t.Errorf("session changed by bad requests: %d %+v", code, now)
	}
	if code, _ := do(t, "POST", sess+"/explode"); code != http.StatusNotFound {
		t.Errorf("unknown action: got %d, want 404", code)
	}
	if code, _ := do(t, "GET", ts.URL+"/api/sessions/deadbeef"); code != http.StatusNotFound {
		t.Errorf("unknown session: got %d, want 404", code)
	}
}

func TestLimits(t *testing.T) {
	s, ts := newTestServer(t, Config{MaxSessions: 2, MaxPeople: 200})
	create(t, ts.URL, "")
	create(t, ts.URL, "people=200")
	code, body := do(t, "POST", ts.URL+"/api/sessions")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "limit of 2") {
		t.Errorf("third session: got %d %q, want 503", code, body)
	}
	oneSentence(t, "limit", body)
	if s.Sessions() != 2 {
		t.Errorf("sessions = %d, want 2", s.Sessions())
	}
	// The scenario's own population (300) is capped by --max-people.
	for _, st := range []string{"baseline"} {
		s2, ts2 := newTestServer(t, Config{MaxPeople: 150})
		got := create(t, ts2.URL, "scenario="+st)
		if got.People != 150 {
			t.Errorf("people = %d, want the cap 150", got.People)
		}
		_ = s2
	}
	var meta meta
	_, body = do(t, "GET", ts.URL+"/api/meta")
	json.Unmarshal([]byte(body), &meta)
	if meta.Limits.MaxPeople != 200 || meta.Limits.MaxSessions != 2 {
		t.Errorf("meta: %+v", meta.Limits)
	}
	// The switches are the registry's kinds, with their text and menus.
	var want []switchInfo
	for _, k := range scenarios.Kinds() {
		si := switchInfo{Kind: k.Name, Label: k.Label, Caption: k.Caption}
		for _, r := range k.Rewards {
			si.Rewards = append(si.Rewards, switchInfo{Kind: r.Name, Label: r.Label, Caption: r.Caption})
		}
		want = append(want, si)
	}
	if !reflect.DeepEqual(meta.Interventions, want) || len(want) == 0 {
		t.Errorf("meta's switches:\n%+v\nthe registry's:\n%+v", meta.Interventions, want)
	}
}

func TestIdleExpiry(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}
	s, ts := newTestServer(t, Config{IdleTimeout: 10 * time.Minute, Now: clock.Now})
	a := create(t, ts.URL, "people=50")
	b := create(t, ts.URL, "people=50")
	// b has a stream open but no request: a stream alone, which may be a
	// connection nobody reads, does not keep a session.
	ch, stop := openStream(t, ts.URL+"/api/sessions/"+b.ID+"/events")
	defer stop()
	next(t, ch, "state")
	clock.Add(9 * time.Minute)
	if n := s.Sweep(); n != 0 {
		t.Fatalf("swept %d sessions after 9 minutes", n)
	}
	do(t, "POST", ts.URL+"/api/sessions/"+a.ID+"/step") // a is used
	clock.Add(2 * time.Minute)
	if n := s.Sweep(); n != 1 {
		t.Fatalf("swept %d, want 1 (b)", n)
	}
	// b's stream ends with its session.
	for range ch {
	}
	// The page's periodic request keeps a.
	for range 3 {
		clock.Add(9 * time.Minute)
		if code, _ := do(t, "GET", ts.URL+"/api/sessions/"+a.ID); code != 200 {
			t.Fatalf("a's state: %d", code)
		}
		if n := s.Sweep(); n != 0 {
			t.Fatalf("swept %d sessions that were in use", n)
		}
	}
	clock.Add(11 * time.Minute)
	if n := s.Sweep(); n != 1 || s.Sessions() != 0 {
		t.Fatalf("swept %d, %d left; want a ended", n, s.Sessions())
	}
	code, body := do(t, "GET", ts.URL+"/api/sessions/"+a.ID)
	if code != http.StatusNotFound || !strings.Contains(body, "reload the page") {
		t.Errorf("expired session: got %d %q", code, body)
	}
	oneSentence(t, "expired", body)
}

func TestOnlyEmbeddedAssets(t *testing.T) {
	_, ts := newTestServer(t, Config{})
	for _, p := range []string{"/", "/static/app.js", "/static/style.css"} {
		if code, _ := do(t, "GET", ts.URL+p); code != 200 {
			t.Errorf("GET %s: %d", p, code)
		}
	}
	bad := []string{
		"/static/../server.go", "/static/..%2fserver.go", "/static/%2e%2e/server.go",
		"/static/%2e%2e%2fserver.go", "/static/..%5cserver.go", "/../go.mod", "/static/../../go.mod",
		"/%2e%2e/%2e%2e/go.mod", "/server.go", "/web/server.go", "/go.mod", "/static/", "/static",
		"/static/../../../../etc/passwd", "/etc/passwd", "/static//etc/passwd", "/static/.%2e/server.go",
		"/index.html/../server.go",
	}
	for _, p := range bad {
		// A raw request line, so that neither the client nor httptest cleans the path.
		req := httptest.NewRequest("GET", "http://localhost"+p, nil)
		req.RequestURI = p
		rec := httptest.NewRecorder()
		s := New(Config{})
		s.ServeHTTP(rec, req)
		s.Close()
		body := rec.Body.String()
		leaked := strings.Contains(body, "package web") || strings.Contains(body, "module github.com") || strings.Contains(body, "root:")
		if leaked || (rec.Code == 200 && p != "/static/") {
			t.Errorf("GET %s: %d, leaked=%v", p, rec.Code, leaked)
		}
		// and over a real connection
		code, body := do(t, "GET", ts.URL+p)
		if strings.Contains(body, "package web") || strings.Contains(body, "module github.com") || strings.Contains(body, "root:") || code == 200 {
			t.Errorf("GET %s over HTTP: %d", p, code)
		}
	}
	code, body := do(t, "GET", ts.URL+"/static/")
	if code == 200 && strings.Contains(body, "app.js") {
		t.Errorf("directory listing served")
	}
}

// sseEvent is one parsed server-sent event.
type sseEvent struct{ name, data string }

// readEvents parses a text/event-stream strictly and sends its events.
func readEvents(t *testing.T, r io.Reader, out chan<- sseEvent) {
	defer close(out)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 8<<20)
	var ev sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.name != "" || ev.data != "" {
				out <- ev
			}
			ev = sseEvent{}
		case strings.HasPrefix(line, ":"):
		case strings.HasPrefix(line, "event: "):
			ev.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			if ev.data != "" {
				t.Errorf("multi-line data in one event")
			}
			ev.data = strings.TrimPrefix(line, "data: ")
		case strings.HasPrefix(line, "retry: "):
		default:
			t.Errorf("unexpected line in the stream: %q", line)
		}
	}
}

func openStream(t *testing.T, url string) (chan sseEvent, func()) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("stream: %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	ch := make(chan sseEvent, 1024)
	go readEvents(t, resp.Body, ch)
	return ch, func() { resp.Body.Close() }
}

func next(t *testing.T, ch chan sseEvent, name string) sseEvent {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				t.Fatalf("stream ended waiting for %s", name)
			}
			if ev.name == name {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %s event", name)
		}
	}
}

func TestStreamFormat(t *testing.T) {
	_, ts := newTestServer(t, Config{MaxDots: 80})
	st := create(t, ts.URL, "people=80&seed=3")
	sess := ts.URL + "/api/sessions/" + st.ID
	ch, stop := openStream(t, sess+"/events")
	defer stop()
	first := next(t, ch, "state")
	var s0 state
	if err := json.Unmarshal([]byte(first.data), &s0); err != nil {
		t.Fatalf("state is not JSON: %v", err)
	}
	if s0.ID != st.ID || len(s0.History) != 1 || s0.History[0].Tick != 0 || len(s0.Communities) != 3 {
		t.Fatalf("first state: %+v", s0)
	}
	var f0 frame
	json.Unmarshal([]byte(next(t, ch, "frame").data), &f0) // the last frame, for the dots
	if f0.Tick != 0 || len(f0.Nodes) != 80 {
		t.Fatalf("initial frame: tick %d, %d nodes", f0.Tick, len(f0.Nodes))
	}
	for i := 1; i <= 3; i++ {
		if code, body := do(t, "POST", sess+"/step"); code != 200 {
			t.Fatalf("step: %d %s", code, body)
		}
		var f struct {
			Tick  int
			Rows  []map[string]any
			Nodes [][5]float64
			Lines [][3]int
		}
		if err := json.Unmarshal([]byte(next(t, ch, "frame").data), &f); err != nil {
			t.Fatal(err)
		}
		if f.Tick != i || len(f.Rows) != 4 || f.Rows[3]["community"] != "all" || len(f.Nodes) != 80 {
			t.Fatalf("frame %d: tick %d, %d rows", i, f.Tick, len(f.Rows))
		}
		for _, k := range []string{"members", "core", "active", "peripheral", "outsiders", "knowledge", "knowledgeCore", "knowledgePeripheral", "repertoire",
			"outsideTies", "boundaryActive", "participation", "voluntary", "mandated", "stage"} {
			if _, ok := f.Rows[0][k]; !ok {
				t.Errorf("frame lacks %s", k)
			}
		}
	}
	do(t, "POST", sess+"/switch?kind=boundary_activity&on=true&strength=0.5")
	var s1 state
	json.Unmarshal([]byte(next(t, ch, "state").data), &s1)
	if len(s1.InForce) != 1 || s1.InForce[0].Kind != "boundary_activity" || s1.InForce[0].Start != 4 {
		t.Errorf("state after switch: %+v", s1.InForce)
	}
	// play streams frames by itself
	do(t, "POST", sess+"/speed?value=30")
	do(t, "POST", sess+"/play")
	var f frame
	for f.Tick < 8 {
		json.Unmarshal([]byte(next(t, ch, "frame").data), &f)
	}
	do(t, "POST", sess+"/pause")
}

func TestSwitchSchedule(t *testing.T) {
	om := func(s float64, a, b int) scenarios.Intervention {
		return scenarios.Intervention{Kind: "over_management", Strength: s, Start: a, End: b}
	}
	sup := scenarios.Intervention{Kind: "support_team", Strength: 1, Start: 0}
	on := switchReq{Kind: "over_management", On: true, Strength: 0.5}
	off := switchReq{Kind: "over_management"}
	cases := []struct {
		name string
		in   []scenarios.Intervention
		sw   switchReq
		next int
		want []scenarios.Intervention
	}{
		{"on", nil, on, 5, []scenarios.Intervention{om(0.5, 5, 0)}},
		{"off closes", []scenarios.Intervention{om(0.8, 2, 0), sup}, off, 7, []scenarios.Intervention{om(0.8, 2, 6), sup}},
		{"off drops the future", []scenarios.Intervention{om(0.8, 20, 0)}, off, 7, []scenarios.Intervention{}},
		{"off at the first tick drops", []scenarios.Intervention{om(0.8, 0, 0)}, off, 1, []scenarios.Intervention{}},
		{"past stays", []scenarios.Intervention{om(0.8, 2, 4)}, on, 9, []scenarios.Intervention{om(0.8, 2, 4), om(0.5, 9, 0)}},
		{"strength change", []scenarios.Intervention{om(0.8, 2, 0)}, on, 9, []scenarios.Intervention{om(0.8, 2, 8), om(0.5, 9, 0)}},
	}
	for _, c := range cases {
		got := switchSchedule(c.in, c.sw, c.next)
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(c.want)
		if string(gb) != string(wb) {
			t.Errorf("%s: got %s, want %s", c.name, gb, wb)
		}
	}
}
