package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/boombuler/barcode/qr"

	"github.com/copsim/copsim/class"
)

// teacherClient is an HTTP client with a cookie jar: the teacher's browser.
func teacherClient(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar}
}

// req sends one request; body, if not nil, is sent as JSON text.
func req(t *testing.T, c *http.Client, method, url, body string, hdr ...string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func decodeJSON[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("%v in %q", err, body)
	}
	return v
}

// startClassRun starts a class run as the teacher's button does.
func startClassRun(t *testing.T, base string, teacher *http.Client, query string) classState {
	t.Helper()
	code, body := req(t, teacher, "POST", base+"/api/classes?"+query, "")
	if code != http.StatusCreated {
		t.Fatalf("start a class run: %d %s", code, body)
	}
	return decodeJSON[classState](t, body)
}

type joined struct {
	Token string `json:"token"`
	pupilView
}

func joinAs(t *testing.T, base, code, name string) joined {
	t.Helper()
	b, _ := json.Marshal(joinBody{Code: code, Name: name})
	st, body := req(t, nil, "POST", base+"/api/join", string(b))
	if st != http.StatusCreated {
		t.Fatalf("join as %s: %d %s", name, st, body)
	}
	return decodeJSON[joined](t, body)
}

// TestClassRun drives a class run as a class would: the teacher starts it,
// three students join, two decide, the weeks run, the projector's stream
// shows the students, each phone's stream shows its own view only, and the
// end brings the debrief and the exports.
func TestClassRun(t *testing.T) {
	_, ts := newTestServer(t, Config{})
	teacher := teacherClient(t)
	st := startClassRun(t, ts.URL, teacher, "scenario=baseline&seed=3")
	if len(st.Code) != codeLen || st.Tick != 0 || st.Ended || len(st.Students) != 0 {
		t.Fatalf("new class run: %+v", st)
	}
	if !strings.HasSuffix(st.Join.URL, "/j/"+st.Code) || st.Join.Note == "" {
		t.Errorf("join address %+v: want the code in the QR's address and a note (the test server is on loopback)", st.Join)
	}
	api := ts.URL + "/api/classes/" + st.ID
	proj, stop := openStreamWith(t, teacher, api+"/events")
	defer stop()
	next(t, proj, "state")
	next(t, proj, "frame") // week 0

	ana := joinAs(t, ts.URL, strings.ToLower(st.Code[:3])+" "+st.Code[3:], "Ana")
	ben := joinAs(t, ts.URL, st.Code, "Ben 2")
	cem := joinAs(t, ts.URL, st.Code, "Cem")
	if ana.Name != "Ana" || ana.Community == "" || len(ana.Options) != 3 || ana.Token == ben.Token {
		t.Fatalf("Ana's view: %+v", ana.pupilView)
	}
	phone, stopPhone := openStream(t, ts.URL+"/api/s/"+ana.Token+"/events")
	defer stopPhone()
	if v := decodeJSON[pupilView](t, next(t, phone, "view").data); v.Name != "Ana" {
		t.Fatalf("Ana's stream shows %q", v.Name)
	}

	decide := func(tok, body string) pupilView {
		t.Helper()
		code, b := req(t, nil, "POST", ts.URL+"/api/s/"+tok+"/decide", body)
		if code != http.StatusOK {
			t.Fatalf("decide %s: %d %s", body, code, b)
		}
		return decodeJSON[pupilView](t, b)
	}
	decide(ana.Token, `{"takePart":"no","approach":"peer","share":"no"}`)
	v := decide(ana.Token, `{"takePart":"yes","approach":"core"}`) // the last one counts
	if v.Choice == nil || *v.Choice != (decisionBody{"yes", "core", "auto"}) {
		t.Fatalf("Ana's choice reads %+v", v.Choice)
	}
	decide(ben.Token, `{"takePart":"no","approach":"auto","share":"yes"}`)

	code, body := req(t, teacher, "POST", api+"/step", "")
	if code != http.StatusOK {
		t.Fatalf("step: %d %s", code, body)
	}
	f := decodeJSON[classFrame](t, next(t, proj, "frame").data)
	if f.Tick != 1 || len(f.Students) != 3 || f.Students[0].Name != "Ana" || f.Students[2].Name != "Cem" {
		t.Fatalf("projector frame: tick %d, students %+v", f.Tick, f.Students)
	}
	v = decodeJSON[pupilView](t, next(t, phone, "view").data)
	if v.Week != 1 || v.Name != "Ana" || len(v.Trajectory) != 2 || !v.Trajectory[1].Chosen ||
		v.Trajectory[1].TakePart != "yes" || v.Trajectory[1].Approach != "core" || v.Choice != nil || len(v.Outcome) == 0 {
		t.Fatalf("Ana's view after week 1: %+v", v)
	}
	if !v.TookPart {
		t.Errorf("Ana chose to take part but her view says she did not")
	}
	code, body = req(t, nil, "GET", ts.URL+"/api/s/"+cem.Token, "")
	if cv := decodeJSON[pupilView](t, body); code != 200 || cv.Name != "Cem" || cv.Trajectory[1].Chosen {
		t.Errorf("Cem, who chose nothing, reads %d %+v", code, cv)
	}

	// The event log holds exactly the decisions applied.
	code, body = req(t, teacher, "GET", api+"/events.log", "")
	if code != 200 {
		t.Fatalf("events.log: %d %s", code, body)
	}
	lg, err := class.ReadLog("events.log", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range lg.Events {
		if e.Kind == class.EventDecide {
			got = append(got, fmt.Sprintf("%d:%d:%s/%s/%s", e.Week, e.Student, e.TakePart, e.Approach, e.Share))
		}
	}
	if want := []string{"0:0:yes/core/auto", "0:1:no/auto/yes"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("decisions in the log %v, want %v", got, want)
	}

	// A switch and a slider from the teacher, more weeks, then the end.
	for _, q := range []string{"switch?kind=over_management&on=true&strength=0.8", "param?key=model.turnover&value=0.01", "speed?value=30", "step", "step", "step", "step"} {
		if code, body := req(t, teacher, "POST", api+"/"+q, ""); code != 200 {
			t.Fatalf("%s: %d %s", q, code, body)
		}
	}
	if code, body := req(t, teacher, "POST", api+"/end", ""); code != 200 || !decodeJSON[classState](t, body).Ended {
		t.Fatalf("end: %d %s", code, body)
	}
	d := decodeJSON[pupilView](t, next(t, phone, "debrief").data)
	if !d.Ended || len(d.Average) == 0 || d.Name != "Ana" || len(d.Options) != 0 || len(d.Trajectory) != 6 {
		t.Fatalf("Ana's debrief: %+v", d)
	}
	code, body = req(t, teacher, "GET", api+"/debrief", "")
	db := decodeJSON[debrief](t, body)
	if code != 200 || !db.Ended || len(db.Students) != 3 || len(db.Average) == 0 || db.Students[1].Name != "Ben 2" {
		t.Fatalf("debrief: %d %+v", code, db)
	}
	code, body = req(t, teacher, "GET", api+"/trajectories.csv", "")
	if code != 200 || !strings.HasPrefix(body, strings.Join(class.TrajectoryColumns, ",")+"\n") || strings.Count(body, "\n") != 1+3*6 {
		t.Errorf("trajectories.csv: %d %q", code, body)
	}
	code, body = req(t, teacher, "GET", api+"/timeseries.csv", "")
	if code != 200 || strings.Count(body, "\n") < 3 {
		t.Errorf("timeseries.csv: %d %q", code, body)
	}
	code, body = req(t, teacher, "GET", api+"/qr.svg", "")
	if code != 200 || !strings.HasPrefix(body, "<svg") {
		t.Errorf("qr.svg: %d %.60q", code, body)
	}
	// After the end: no more weeks, no more decisions, no more joins.
	if code, body := req(t, teacher, "POST", api+"/step", ""); code != http.StatusConflict {
		t.Errorf("step after the end: %d %s", code, body)
	}
	if code, body := req(t, nil, "POST", ts.URL+"/api/s/"+ben.Token+"/decide", `{"takePart":"yes"}`); code != http.StatusConflict {
		t.Errorf("decide after the end: %d %s", code, body)
	}
}

// openStreamWith opens an event stream with client c (the teacher's
// cookies).
func openStreamWith(t *testing.T, c *http.Client, url string) (chan sseEvent, func()) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("stream %s: %d %s", url, resp.StatusCode, b)
	}
	ch := make(chan sseEvent, 1024)
	go readEvents(t, resp.Body, ch)
	return ch, func() { resp.Body.Close() }
}

// TestClassRejections tries every refusal of the class routes: each
// answers its status with one sentence, and changes nothing.
func TestClassRejections(t *testing.T) {
	s, ts := newTestServer(t, Config{MaxStudents: 2, MaxClassRuns: 2})
	teacher := teacherClient(t)
	st := startClassRun(t, ts.URL, teacher, "scenario=baseline")
	other := startClassRun(t, ts.URL, teacherClient(t), "scenario=baseline&seed=2")
	api := ts.URL + "/api/classes/" + st.ID
	ana := joinAs(t, ts.URL, st.Code, "Ana")
	s.cl.mu.Lock()
	teacherTok := s.cl.byID[st.ID].teacher
	otherTok := s.cl.byID[other.ID].teacher
	s.cl.mu.Unlock()
	stranger := teacherClient(t)
	// Bob holds the other run's teacher cookie: it opens only that run.
	bob := teacherClient(t)
	if code, body := req(t, bob, "POST", ts.URL+"/api/classes/"+other.ID+"/claim", "", teacherHeader, otherTok); code != http.StatusNoContent {
		t.Fatalf("claim: %d %s", code, body)
	}
	long := `{"code":"` + st.Code + `","name":"` + strings.Repeat("x", 2000) + `"}`
	cases := []struct {
		name         string
		c            *http.Client
		method, path string
		body         string
		hdr          []string
		code         int
		says         string
	}{
		{"teacher route without the token", stranger, "GET", "/api/classes/" + st.ID, "", nil, 403, "Only the teacher"},
		{"teacher stream without the token", stranger, "GET", "/api/classes/" + st.ID + "/events", "", nil, 403, "Only the teacher"},
		{"teacher action without the token", stranger, "POST", "/api/classes/" + st.ID + "/play", "", nil, 403, "Only the teacher"},
		{"export without the token", stranger, "GET", "/api/classes/" + st.ID + "/events.log", "", nil, 403, "Only the teacher"},
		{"another run's teacher", bob, "POST", "/api/classes/" + st.ID + "/end", "", nil, 403, "Only the teacher"},
		{"a student's token as the teacher's", stranger, "POST", "/api/classes/" + st.ID + "/claim", "", []string{teacherHeader, ana.Token}, 403, "not the teacher token"},
		{"claim without a token", stranger, "POST", "/api/classes/" + st.ID + "/claim", "", nil, 403, "not the teacher token"},
		{"unknown run", teacher, "GET", "/api/classes/" + strings.Repeat("0", 32), "", nil, 404, "no such class run"},
		{"unknown action", teacher, "POST", "/api/classes/" + st.ID + "/reset", "", nil, 404, "Unknown action"},
		{"unknown file", teacher, "GET", "/api/classes/" + st.ID + "/secrets.txt", "", nil, 404, "Unknown file"},
		{"speed too slow", teacher, "POST", "/api/classes/" + st.ID + "/speed?value=500", "", nil, 400, "from 1 to 120"},
		{"speed twice", teacher, "POST", "/api/classes/" + st.ID + "/speed?value=5&value=6", "", nil, 400, "given 2 times"},
		{"unknown switch", teacher, "POST", "/api/classes/" + st.ID + "/switch?kind=magic&on=true", "", nil, 400, "Unknown intervention"},
		{"slider out of range", teacher, "POST", "/api/classes/" + st.ID + "/param?key=model.turnover&value=7", "", nil, 400, ""},
		{"scenario unknown", teacher, "POST", "/api/classes?scenario=nope", "", nil, 400, "Unknown scenario"},
		{"too many class runs", teacher, "POST", "/api/classes", "", nil, 503, "limit of 2 class runs"},
		{"join: not JSON", nil, "POST", "/api/join", `code=ABC`, nil, 400, "one JSON object"},
		{"join: unknown field", nil, "POST", "/api/join", `{"code":"` + st.Code + `","name":"Z","admin":true}`, nil, 400, "unknown field"},
		{"join: two objects", nil, "POST", "/api/join", `{"code":"` + st.Code + `","name":"Z"}{}`, nil, 400, "nothing after it"},
		{"join: body too long", nil, "POST", "/api/join", long, nil, 400, "longer than"},
		{"join: code malformed", nil, "POST", "/api/join", `{"code":"0OIL1!","name":"Zoe"}`, nil, 400, "join code is 6"},
		{"join: code unknown", nil, "POST", "/api/join", `{"code":"ZZZZZZ","name":"Zoe"}`, nil, 404, "No class run has the code"},
		{"join: empty name", nil, "POST", "/api/join", `{"code":"` + st.Code + `","name":"  "}`, nil, 400, "Please choose a name"},
		{"join: name with markup", nil, "POST", "/api/join", `{"code":"` + st.Code + `","name":"<b>x</b>"}`, nil, 400, "only letters, digits"},
		{"join: name too long", nil, "POST", "/api/join", `{"code":"` + st.Code + `","name":"` + strings.Repeat("é", 21) + `"}`, nil, 400, "at most 20"},
		{"join: name taken", nil, "POST", "/api/join", `{"code":"` + st.Code + `","name":"ANA"}`, nil, 400, "already called"},
		{"join: query parameter", nil, "POST", "/api/join?code=X", `{}`, nil, 400, "Unknown parameter"},
		{"decide: unknown token", nil, "POST", "/api/s/" + strings.Repeat("a", 32) + "/decide", `{"takePart":"yes"}`, nil, 404, "not in a class run"},
		{"decide: teacher's token as a student's", nil, "POST", "/api/s/" + teacherTok + "/decide", `{"takePart":"yes"}`, nil, 404, "not in a class run"},
		{"decide: bad take part", nil, "POST", "/api/s/" + ana.Token + "/decide", `{"takePart":"maybe"}`, nil, 400, "Taking part"},
		{"decide: bad approach", nil, "POST", "/api/s/" + ana.Token + "/decide", `{"approach":"boss"}`, nil, 400, "Whom to approach"},
		{"decide: bad share", nil, "POST", "/api/s/" + ana.Token + "/decide", `{"share":1}`, nil, 400, "JSON object"},
		{"decide: unknown field", nil, "POST", "/api/s/" + ana.Token + "/decide", `{"student":1,"takePart":"yes"}`, nil, 400, "unknown field"},
		{"decide: another student", nil, "POST", "/api/s/" + ana.Token + "/decide", `{"takePart":"yes","id":1}`, nil, 400, "unknown field"},
		{"student view: query", nil, "GET", "/api/s/" + ana.Token + "?student=1", "", nil, 400, "Unknown parameter"},
		{"cross-origin join", nil, "POST", "/api/join", `{"code":"` + st.Code + `","name":"Eve"}`, []string{"Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site"}, 403, "another site"},
		{"cross-origin decide", nil, "POST", "/api/s/" + ana.Token + "/decide", `{"takePart":"no"}`, []string{"Sec-Fetch-Site", "cross-site"}, 403, "another site"},
		{"cross-origin teacher action", teacher, "POST", "/api/classes/" + st.ID + "/end", "", []string{"Origin", "http://evil.example"}, 403, "another site"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, body := req(t, c.c, c.method, ts.URL+c.path, c.body, c.hdr...)
			if code != c.code || !strings.Contains(body, c.says) {
				t.Errorf("%d %q, want %d and %q", code, body, c.code, c.says)
			}
			oneSentence(t, c.name, body)
		})
	}
	// Nothing above changed the run: one student, undecided, not ended.
	code, body := req(t, teacher, "GET", api, "")
	if got := decodeJSON[classState](t, body); code != 200 || len(got.Students) != 1 || got.Decided != 0 || got.Ended || got.Playing {
		t.Errorf("after the refusals: %d %+v", code, got)
	}
	// The cap on students: the second fills the run, the third is refused.
	joinAs(t, ts.URL, st.Code, "Ben")
	code, body = req(t, nil, "POST", ts.URL+"/api/join", `{"code":"`+st.Code+`","name":"Cem"}`)
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "class is full") {
		t.Errorf("a third student: %d %s", code, body)
	}
	oneSentence(t, "full", body)
}

// TestJoinCodeGuessing: a client that tries many wrong codes is refused,
// even the right one, for a while; another client is not.
func TestJoinCodeGuessing(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1e9, 0)}
	s, ts := newTestServer(t, Config{Now: clock.Now, IdleTimeout: time.Hour})
	st := startClassRun(t, ts.URL, teacherClient(t), "")
	for i := 0; i < maxJoinFailures; i++ {
		if code, _ := req(t, nil, "POST", ts.URL+"/api/join", fmt.Sprintf(`{"code":"ZZZZ%c%c","name":"Eve"}`, codeLetters[i%7], codeLetters[i/7])); code != 404 {
			t.Fatalf("wrong code %d: %d", i, code)
		}
	}
	code, body := req(t, nil, "POST", ts.URL+"/api/join", `{"code":"`+st.Code+`","name":"Eve"}`)
	if code != http.StatusTooManyRequests {
		t.Fatalf("after %d wrong codes: %d %s", maxJoinFailures, code, body)
	}
	oneSentence(t, "guessing", body)
	if s.joinRefused("203.0.113.9", clock.Now(), false) {
		t.Errorf("another client is refused too")
	}
	clock.Add(joinFailWindow + time.Second)
	s.Sweep()
	joinAs(t, ts.URL, st.Code, "Eve")
}

// TestStudentReleased: a phone that makes no request for StudentIdle is
// released (its token ends, the model plays the person, the projector
// shows them away); the run and the other students go on.
func TestStudentReleased(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1e9, 0)}
	s, ts := newTestServer(t, Config{Now: clock.Now, StudentIdle: time.Minute, IdleTimeout: time.Hour})
	teacher := teacherClient(t)
	st := startClassRun(t, ts.URL, teacher, "")
	ana := joinAs(t, ts.URL, st.Code, "Ana")
	ben := joinAs(t, ts.URL, st.Code, "Ben")
	req(t, nil, "POST", ts.URL+"/api/s/"+ana.Token+"/decide", `{"takePart":"yes"}`)
	clock.Add(45 * time.Second)
	req(t, nil, "GET", ts.URL+"/api/s/"+ben.Token, "") // Ben's phone is still there
	clock.Add(30 * time.Second)
	if n := s.Sweep(); n != 0 {
		t.Fatalf("Sweep ended %d runs", n)
	}
	code, body := req(t, nil, "GET", ts.URL+"/api/s/"+ana.Token, "")
	if code != 404 || !strings.Contains(body, "Join again") {
		t.Errorf("Ana after being away: %d %s", code, body)
	}
	if code, _ := req(t, nil, "GET", ts.URL+"/api/s/"+ben.Token, ""); code != 200 {
		t.Errorf("Ben was released too: %d", code)
	}
	code, body = req(t, teacher, "GET", ts.URL+"/api/classes/"+st.ID, "")
	got := decodeJSON[classState](t, body)
	if code != 200 || len(got.Students) != 2 || !got.Students[0].Away || got.Students[1].Away || got.Decided != 0 {
		t.Errorf("projector after the release: %+v", got.Students)
	}
	// Ana's pending choice went with her: the week plays her by the model.
	req(t, teacher, "POST", ts.URL+"/api/classes/"+st.ID+"/step", "")
	_, body = req(t, teacher, "GET", ts.URL+"/api/classes/"+st.ID+"/events.log", "")
	if strings.Contains(body, `"event":"decide"`) {
		t.Errorf("a released student's decision was applied:\n%s", body)
	}
}

// TestClassIdleAndCap: a class run nobody uses ends after the idle
// timeout and frees its slot; its students' tokens end with it.
func TestClassIdleAndCap(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1e9, 0)}
	s, ts := newTestServer(t, Config{Now: clock.Now, MaxClassRuns: 1, IdleTimeout: time.Minute})
	st := startClassRun(t, ts.URL, teacherClient(t), "")
	ana := joinAs(t, ts.URL, st.Code, "Ana")
	if code, _ := req(t, teacherClient(t), "POST", ts.URL+"/api/classes", ""); code != 503 {
		t.Fatalf("a second class run over the cap: %d", code)
	}
	clock.Add(2 * time.Minute)
	if n := s.Sweep(); n != 1 || s.ClassRuns() != 0 {
		t.Fatalf("Sweep ended %d, %d class runs left", n, s.ClassRuns())
	}
	if code, _ := req(t, nil, "GET", ts.URL+"/api/s/"+ana.Token, ""); code != 404 {
		t.Errorf("a student of an ended run: %d", code)
	}
	startClassRun(t, ts.URL, teacherClient(t), "")
}

// TestClassPlays: a playing run steps on its own, one week per "second"
// (shortened here), without waiting for any phone, and pauses.
func TestClassPlays(t *testing.T) {
	s, ts := newTestServer(t, Config{})
	s.cl.unit = time.Millisecond
	teacher := teacherClient(t)
	st := startClassRun(t, ts.URL, teacher, "")
	joinAs(t, ts.URL, st.Code, "Ana")
	api := ts.URL + "/api/classes/" + st.ID
	req(t, teacher, "POST", api+"/speed?value=1", "")
	req(t, teacher, "POST", api+"/play", "")
	week := func() int {
		_, body := req(t, teacher, "GET", api, "")
		return decodeJSON[classState](t, body).Tick
	}
	poll(t, "five weeks played", func() bool { return week() >= 5 })
	req(t, teacher, "POST", api+"/pause", "")
	w := week()
	s.cl.mu.Lock()
	cr := s.cl.byID[st.ID]
	s.cl.mu.Unlock()
	poll(t, "the play loop to stop", func() bool { cr.mu.Lock(); defer cr.mu.Unlock(); return !cr.running })
	if week() != w {
		t.Errorf("the run went on after the pause")
	}
}

// TestClaimTeacherToken: the address copsim serve --class prints carries
// the token; the page trades it for the cookie, which opens the run.
func TestClaimTeacherToken(t *testing.T) {
	s, ts := newTestServer(t, Config{})
	info, err := s.StartClass("baseline", 7)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(info.TeacherPath, "/class/"+info.ID+"#") || info.Teacher == "" || len(info.Code) != codeLen {
		t.Fatalf("StartClass: %+v", info)
	}
	teacher := teacherClient(t)
	if code, _ := req(t, teacher, "GET", ts.URL+"/api/classes/"+info.ID, ""); code != 403 {
		t.Fatalf("before the claim: %d", code)
	}
	if code, body := req(t, teacher, "POST", ts.URL+"/api/classes/"+info.ID+"/claim", "", teacherHeader, info.Teacher); code != 204 {
		t.Fatalf("claim: %d %s", code, body)
	}
	code, body := req(t, teacher, "GET", ts.URL+"/api/classes/"+info.ID, "")
	if code != 200 || decodeJSON[classState](t, body).Seed != 7 {
		t.Fatalf("after the claim: %d %s", code, body)
	}
	if code, body := req(t, nil, "GET", ts.URL+"/class/"+info.ID, ""); code != 200 || !strings.Contains(body, "class.js") {
		t.Errorf("teacher page: %d", code)
	}
	if code, body := req(t, nil, "GET", ts.URL+"/j/"+info.Code, ""); code != 200 || !strings.Contains(body, "join.js") {
		t.Errorf("phone page: %d", code)
	}
}

// TestJoinAddress: the join address follows the listening address.
func TestJoinAddress(t *testing.T) {
	r, _ := http.NewRequest("GET", "http://10.1.2.3:9000/", nil)
	cases := []struct {
		listen   net.Addr
		host     string
		url      string
		withNote bool
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}, "", "http://127.0.0.1:8080/j/ABCDEF", true},
		{&net.TCPAddr{IP: net.ParseIP("::1"), Port: 8080}, "", "http://[::1]:8080/j/ABCDEF", true},
		{&net.TCPAddr{IP: net.IPv4(192, 168, 1, 20), Port: 8081}, "", "http://192.168.1.20:8081/j/ABCDEF", false},
		{nil, "10.1.2.3:9000", "http://10.1.2.3:9000/j/ABCDEF", false},
		{nil, "localhost:9000", "http://localhost:9000/j/ABCDEF", true},
	}
	for _, c := range cases {
		s := &Server{cfg: Config{Listen: c.listen}}
		r.Host = c.host
		ji := s.joinAddress(r, "ABCDEF")
		if ji.URL != c.url || (ji.Note != "") != c.withNote {
			t.Errorf("listen %v host %q: %+v, want %s (note: %v)", c.listen, c.host, ji, c.url, c.withNote)
		}
	}
	// Every address: this computer's addresses on its networks, never
	// loopback (or, on a machine with none, loopback with the note).
	s := &Server{cfg: Config{Listen: &net.TCPAddr{IP: net.IPv4zero, Port: 8080}}}
	ji := s.joinAddress(r, "ABCDEF")
	lan := lanAddresses()
	if len(lan) > 0 && (ji.Note != "" || !strings.Contains(ji.URL, lan[0].String()) || len(ji.Others) != len(lan)-1) {
		t.Errorf("0.0.0.0 with %v: %+v", lan, ji)
	}
	for _, a := range lan {
		if a.IsLoopback() {
			t.Errorf("loopback %v among the LAN addresses", a)
		}
	}
}

// TestQRSVG: the SVG's dark modules are exactly the encoder's, inside the
// quiet zone.
func TestQRSVG(t *testing.T) {
	text := "http://192.168.1.20:8080/j/ABCDEF"
	svg, err := qrSVG(text)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := qr.Encode(text, qr.M, qr.Auto)
	n := code.Bounds().Dx()
	m := regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`).FindSubmatch(svg)
	if m == nil || string(m[1]) != strconv.Itoa(n+8) {
		t.Fatalf("viewBox %s, want %d", m, n+8)
	}
	got := make(map[[2]int]bool)
	for _, r := range regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`).FindAllSubmatch(svg, -1) {
		x, _ := strconv.Atoi(string(r[1]))
		y, _ := strconv.Atoi(string(r[2]))
		w, _ := strconv.Atoi(string(r[3]))
		for k := 0; k < w; k++ {
			if x+k < 4 || y < 4 || x+k >= n+4 || y >= n+4 {
				t.Fatalf("a module in the quiet zone at %d,%d", x+k, y)
			}
			got[[2]int{x + k - 4, y - 4}] = true
		}
	}
	dark := 0
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			r, _, _, _ := code.At(x, y).RGBA()
			if (r < 0x8000) != got[[2]int{x, y}] {
				t.Fatalf("module %d,%d differs", x, y)
			}
			if r < 0x8000 {
				dark++
			}
		}
	}
	if dark != len(got) || dark < n*n/4 {
		t.Errorf("%d dark modules drawn, %d in the code", len(got), dark)
	}
	if !bytes.HasSuffix(svg, []byte("</svg>")) {
		t.Errorf("unterminated svg")
	}
}

// TestJoinCodes: codes use only the unambiguous letters, and normCode
// reads what a student types.
func TestJoinCodes(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		c := newCode()
		if len(c) != codeLen || strings.Trim(c, codeLetters) != "" || strings.ContainsAny(c, "01OIL") {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
	}
	if len(seen) < 195 {
		t.Errorf("only %d distinct codes of 200", len(seen))
	}
	for in, want := range map[string]string{"abc def": "ABCDEF", "ab-c2-34": "ABC234", " Q7Z K3M ": "Q7ZK3M"} {
		if got := normCode(in); got != want {
			t.Errorf("normCode(%q) = %q, want %q", in, got, want)
		}
	}
}

// With a warm-up the organization has run before the class arrives: the
// run starts at that week, and the event log holds the weeks as steps, so
// that a replay reproduces them.
func TestClassWarmUp(t *testing.T) {
	for _, warm := range []int{0, 30} {
		_, ts := newTestServer(t, Config{ClassWarmUp: warm})
		teacher := teacherClient(t)
		st := startClassRun(t, ts.URL, teacher, "scenario=baseline&seed=3")
		if st.Tick != warm {
			t.Errorf("warm-up %d: the class run starts at week %d", warm, st.Tick)
		}
		code, body := req(t, teacher, "GET", ts.URL+"/api/classes/"+st.ID+"/events.log", "")
		if code != http.StatusOK {
			t.Fatalf("warm-up %d: the event log: %d %s", warm, code, body)
		}
		if n := strings.Count(body, `"event":"step"`); n != warm {
			t.Errorf("warm-up %d: %d steps in the log", warm, n)
		}
	}
}
