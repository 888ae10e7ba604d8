package web

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/class"
	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/scenarios"
)

// A class run is one simulation the whole class takes part in: the
// teacher's page (the projector) starts and steers it, and each student's
// phone plays one newcomer in it (package class holds the model side).
//
//	GET  /class/{id}                        the teacher's page (projector view)
//	GET  /j, /j/{code}                      the phone page: join with the code
//	POST /api/classes?scenario=&seed=&people=  start a class run (201; sets the teacher cookie)
//	POST /api/classes/{id}/claim            the teacher token (header X-Copsim-Teacher) for the cookie
//	GET  /api/classes/{id}                  the run's state (teacher)
//	GET  /api/classes/{id}/events           server-sent events for the projector (teacher)
//	GET  /api/classes/{id}/qr.svg           the join address as a QR code (teacher)
//	GET  /api/classes/{id}/debrief          every student's trajectory and the average newcomer's (teacher)
//	GET  /api/classes/{id}/{file}           trajectories.csv, timeseries.csv, events.log (teacher)
//	POST /api/classes/{id}/{action}         play, pause, step, speed, switch, param, end (teacher)
//	POST /api/join                          {"code", "name"}: a student joins (201, their token)
//	GET  /api/s/{token}                     the student's own view
//	GET  /api/s/{token}/events              server-sent events: the student's view each week
//	POST /api/s/{token}/decide              {"takePart", "approach", "share"} for the coming week
//
// Who may do what: the teacher is whoever holds the teacher token, a
// random 128-bit secret kept in an HttpOnly cookie limited to the run's
// API path (never in the page's address, which the projector shows); every
// teacher route answers 403 without it. A student is whoever holds their
// student token, another 128-bit secret the join answers and the phone
// keeps in its tab: it names one student of one run and reads only that
// student's view, so nothing a student sends reaches another's data. The
// six-letter join code lets only this class join; a client that tries
// many wrong codes is refused for a while.

// Class run limits.
const (
	MinWeekSeconds     = 1
	MaxWeekSeconds     = 120
	DefaultWeekSeconds = 15
	codeLetters        = "ABCDEFGHJKMNPQRSTUVWXYZ23456789" // no 0/O, 1/I/L
	codeLen            = 6
	maxClassStreams    = 4    // teacher streams per run
	maxPupilStreams    = 2    // streams per student (a phone and a reload)
	maxBody            = 1024 // a join or a decision
	maxJoinFailures    = 20   // wrong codes per client per window
	joinFailWindow     = 10 * time.Minute
	teacherHeader      = "X-Copsim-Teacher"
	teacherCookie      = "copsim_teacher"
	weekUnit           = time.Second
	pupilPoll          = 30 // seconds between a phone's requests
)

// classes are the server's class runs.
type classes struct {
	mu     sync.Mutex
	byID   map[string]*classRun
	byCode map[string]*classRun
	pupils map[string]*pupil // by student token
	fails  map[string]*failWindow
	// unit is the length of one "second per week" (tests shorten it).
	unit time.Duration
}

type failWindow struct {
	start time.Time
	n     int
}

func (c *classes) init() {
	c.byID = map[string]*classRun{}
	c.byCode = map[string]*classRun{}
	c.pupils = map[string]*pupil{}
	c.fails = map[string]*failWindow{}
	c.unit = weekUnit
}

// classRun is one class run: a class.Run stepped by a play loop, its
// teacher, its students and the streams watching it. Run is not safe for
// concurrent use: mu serializes every use of it.
type classRun struct {
	id, code, teacher string
	client            string
	srv               *Server
	join              joinInfo

	mu       sync.Mutex
	run      *class.Run
	p        setup
	sc       scenarios.Scenario
	schedule []scenarios.Intervention
	params   []paramChange
	initial  map[string]float64
	playing  bool
	running  bool // the play loop is alive
	ended    bool // finished, or ended by the teacher: the debrief
	closed   bool
	seconds  int // seconds per week
	wake     chan struct{}
	subs     map[chan []byte]struct{}
	pupils   map[int]*pupil       // by student id
	decided  map[int]decisionBody // students' choices for the coming week, as sent
	lastSeen time.Time
	last     []byte // the last frame, encoded
}

// pupil is one student's connection to a run.
type pupil struct {
	cr       *classRun
	id       int
	token    string
	name     string
	lastSeen time.Time // guarded by cr.mu
	away     bool      // released: the model plays their person
	subs     map[chan []byte]struct{}
}

// newCode returns a random join code of codeLen letters from codeLetters.
func newCode() string {
	var b [codeLen]byte
	var r [1]byte
	for i := 0; i < codeLen; {
		rand.Read(r[:])
		// 248 = 8*31: rejection keeps every letter equally likely.
		if int(r[0]) < 256/len(codeLetters)*len(codeLetters) {
			b[i] = codeLetters[int(r[0])%len(codeLetters)]
			i++
		}
	}
	return string(b[:])
}

// normCode reads a code as a student types it: any case, spaces and
// dashes ignored.
func normCode(s string) string {
	s = strings.ToUpper(s)
	s = strings.NewReplacer(" ", "", "-", "").Replace(s)
	return s
}

func (s *Server) classRoutes(m *http.ServeMux) {
	page := func(name string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			b, _ := assets.ReadFile("static/" + name)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-cache")
			w.Write(b)
		}
	}
	m.HandleFunc("GET /class/{id}", page("class.html"))
	m.HandleFunc("GET /j", page("join.html"))
	m.HandleFunc("GET /j/{code}", page("join.html"))
	m.HandleFunc("POST /api/classes", s.handleClassCreate)
	m.HandleFunc("POST /api/classes/{id}/claim", s.handleClassClaim)
	m.HandleFunc("GET /api/classes/{id}", s.teacherOnly(s.handleClassState))
	m.HandleFunc("GET /api/classes/{id}/events", s.teacherOnly(s.handleClassEvents))
	m.HandleFunc("GET /api/classes/{id}/{file}", s.teacherOnly(s.handleClassFile))
	m.HandleFunc("POST /api/classes/{id}/{action}", s.teacherOnly(s.handleClassControl))
	m.HandleFunc("POST /api/join", s.handleJoin)
	m.HandleFunc("GET /api/s/{token}", s.pupilOnly(s.handlePupilState))
	m.HandleFunc("GET /api/s/{token}/events", s.pupilOnly(s.handlePupilEvents))
	m.HandleFunc("POST /api/s/{token}/decide", s.pupilOnly(s.handleDecide))
}

// ---------- creation and lifetime ----------

// ClassInfo is a class run as `copsim serve --class` announces it.
type ClassInfo struct {
	ID, Code string
	// Teacher is the teacher token: the teacher page's address carries it
	// once, in its fragment (TeacherPath), and trades it for a cookie.
	Teacher     string
	TeacherPath string // /class/ID#TOKEN
	JoinURL     string // what the QR code holds
	JoinBase    string // what students type, with /j
	Note        string // how to make the server reachable, if it is not
}

// StartClass starts a class run of a built-in scenario, as the teacher's
// button does, for `copsim serve --class`.
func (s *Server) StartClass(scenario string, seed uint64) (ClassInfo, error) {
	p, msg := s.parseSetup(map[string][]string{"scenario": {scenario}}, setup{Scenario: "baseline", Seed: seed})
	if msg != "" {
		return ClassInfo{}, errors.New(msg)
	}
	p.Seed = seed
	cr, msg := s.startClass(p, "command line", nil)
	if msg != "" {
		return ClassInfo{}, errors.New(msg)
	}
	return ClassInfo{ID: cr.id, Code: cr.code, Teacher: cr.teacher, TeacherPath: "/class/" + cr.id + "#" + cr.teacher,
		JoinURL: cr.join.URL, JoinBase: cr.join.Base + "/j", Note: cr.join.Note}, nil
}

// startClass builds and registers a class run, or says why not.
func (s *Server) startClass(p setup, client string, r *http.Request) (*classRun, string) {
	sc, msg := load(p)
	if msg != "" {
		return nil, msg
	}
	if full := s.classFull(); full != "" {
		return nil, full
	}
	run, err := class.New(sc, class.Options{MaxStudents: s.cfg.MaxStudents, WarmUp: s.cfg.ClassWarmUp})
	if err != nil {
		return nil, "The class run could not start: " + err.Error()
	}
	cr := &classRun{id: newID(), teacher: newID(), client: client, srv: s, run: run, p: p, sc: sc,
		schedule: append([]scenarios.Intervention(nil), sc.Interventions...), initial: paramValues(&sc),
		seconds: DefaultWeekSeconds, wake: make(chan struct{}, 1), subs: map[chan []byte]struct{}{},
		pupils: map[int]*pupil{}, decided: map[int]decisionBody{}, lastSeen: s.cfg.Now()}
	s.cl.mu.Lock()
	defer s.cl.mu.Unlock()
	if len(s.cl.byID) >= s.cfg.MaxClassRuns {
		return nil, s.classFullMsg()
	}
	for {
		cr.code = newCode()
		if s.cl.byCode[cr.code] == nil {
			break
		}
	}
	cr.join = s.joinAddress(r, cr.code)
	cr.last = event("frame", cr.frameLocked())
	s.cl.byID[cr.id] = cr
	s.cl.byCode[cr.code] = cr
	s.logf("class run %s (code %s) started for %s: %s, seed %d, %d people", cr.id, cr.code, client, p.Scenario, p.Seed, sc.Population.People)
	return cr, ""
}

func (s *Server) classFullMsg() string {
	return fmt.Sprintf("The server already runs its limit of %d class runs; end one (its teacher's End button) or start copsim serve with a higher --max-class-runs.", s.cfg.MaxClassRuns)
}

func (s *Server) classFull() string {
	s.cl.mu.Lock()
	defer s.cl.mu.Unlock()
	if s.closed {
		return "The server is shutting down."
	}
	if len(s.cl.byID) >= s.cfg.MaxClassRuns {
		return s.classFullMsg()
	}
	return ""
}

// ClassRuns is the number of class runs on the server.
func (s *Server) ClassRuns() int {
	s.cl.mu.Lock()
	defer s.cl.mu.Unlock()
	return len(s.cl.byID)
}

// forgetClass removes a class run and its students' tokens.
func (s *Server) forgetClass(cr *classRun) {
	s.cl.mu.Lock()
	defer s.cl.mu.Unlock()
	if s.cl.byID[cr.id] == cr {
		delete(s.cl.byID, cr.id)
		delete(s.cl.byCode, cr.code)
	}
	for tok, pu := range s.cl.pupils {
		if pu.cr == cr {
			delete(s.cl.pupils, tok)
		}
	}
}

func (s *Server) closeClasses() {
	s.cl.mu.Lock()
	var all []*classRun
	for _, cr := range s.cl.byID {
		all = append(all, cr)
	}
	s.cl.mu.Unlock()
	for _, cr := range all {
		s.forgetClass(cr)
		cr.close()
	}
}

// sweepClasses ends the class runs nobody has used for the idle timeout
// and releases the students idle for StudentIdle; it returns the number
// of runs ended.
func (s *Server) sweepClasses(now time.Time) int {
	s.cl.mu.Lock()
	var all []*classRun
	for _, cr := range s.cl.byID {
		all = append(all, cr)
	}
	for client, f := range s.cl.fails {
		if now.Sub(f.start) > joinFailWindow {
			delete(s.cl.fails, client)
		}
	}
	s.cl.mu.Unlock()
	ended := 0
	for _, cr := range all {
		cr.mu.Lock()
		idle := now.Sub(cr.lastSeen) > s.cfg.IdleTimeout
		var gone []*pupil
		if !idle {
			for _, pu := range cr.pupils {
				if !pu.away && now.Sub(pu.lastSeen) > s.cfg.StudentIdle {
					gone = append(gone, pu)
				}
			}
			for _, pu := range gone {
				cr.releaseLocked(pu)
			}
			if len(gone) > 0 {
				cr.broadcastLocked("state", cr.stateLocked(false))
			}
		}
		cr.mu.Unlock()
		for _, pu := range gone {
			s.cl.mu.Lock()
			delete(s.cl.pupils, pu.token)
			s.cl.mu.Unlock()
			s.logf("class run %s: student %d (%s) released after %s without a request", cr.id, pu.id, pu.name, s.cfg.StudentIdle)
		}
		if idle {
			s.forgetClass(cr)
			cr.close()
			s.logf("class run %s ended after %s idle", cr.id, s.cfg.IdleTimeout)
			ended++
		}
	}
	return ended
}

// releaseLocked lets the model play a student's person from now on: their
// token ends, and so do their streams.
func (cr *classRun) releaseLocked(pu *pupil) {
	pu.away = true
	msg := event("released", map[string]string{"message": "You were away, so the model plays your person now. Join again to take part."})
	closeAll(pu.subs, msg)
	// A choice made before leaving goes too: the model plays them.
	if _, ok := cr.decided[pu.id]; ok && !cr.run.Done() {
		if err := cr.run.Decide(pu.id, agents.Choice{}); err != nil {
			panic(err) // a student the run gave us
		}
	}
	delete(cr.decided, pu.id)
}

func (cr *classRun) close() {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	if cr.closed {
		return
	}
	cr.closed = true
	cr.playing = false
	cr.closeStreamsLocked(nil)
	cr.run.Close()
	cr.poke()
}

// closeStreamsLocked ends every stream, after msg if one is given.
func (cr *classRun) closeStreamsLocked(msg []byte) {
	closeAll(cr.subs, msg)
	for _, pu := range cr.pupils {
		closeAll(pu.subs, msg)
	}
}

func (cr *classRun) poke() {
	select {
	case cr.wake <- struct{}{}:
	default:
	}
}

// classFailed answers a request to a class run whose simulation failed.
const classFailed = "This class run failed with an internal error (it is logged) and has ended; please report it."

// classEnded answers a request to a class run that is gone.
const classEnded = "This class run has ended."

// do runs fn with the run locked. A panic in the simulation ends this
// class run only: it is logged, its streams get an "ended" event, and the
// server forgets it.
func (cr *classRun) do(fn func() string) (msg string) {
	failed := false
	cr.mu.Lock()
	defer func() {
		if v := recover(); v != nil {
			failed = true
			msg = classFailed
			cr.srv.logf("class run %s failed: %v\n%s", cr.id, v, debug.Stack())
			cr.closed, cr.playing = true, false
			cr.closeStreamsLocked(event("ended", map[string]string{"message": classFailed}))
			cr.poke()
		}
		cr.mu.Unlock()
		if failed {
			cr.srv.forgetClass(cr)
		}
	}()
	if cr.closed {
		return classEnded
	}
	return fn()
}

// ---------- access ----------

// teacherOnly runs h for the holder of the run's teacher token (its
// cookie), and answers 404 for an unknown run and 403 otherwise.
func (s *Server) teacherOnly(h func(http.ResponseWriter, *http.Request, *classRun)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cr := s.classByID(w, r)
		if cr == nil {
			return
		}
		c, err := r.Cookie(teacherCookie)
		if err != nil || subtle.ConstantTimeCompare([]byte(c.Value), []byte(cr.teacher)) != 1 {
			plain(w, http.StatusForbidden, "Only the teacher who started this class run may do this (the teacher's page holds its token).")
			return
		}
		cr.touch(s.cfg.Now())
		h(w, r, cr)
	}
}

func (s *Server) classByID(w http.ResponseWriter, r *http.Request) *classRun {
	s.cl.mu.Lock()
	cr := s.cl.byID[r.PathValue("id")]
	s.cl.mu.Unlock()
	if cr == nil {
		plain(w, http.StatusNotFound, fmt.Sprintf("There is no such class run: it may have ended, or been idle for %s; start a new one from the main page.", s.cfg.IdleTimeout))
		return nil
	}
	return cr
}

func (cr *classRun) touch(now time.Time) {
	cr.mu.Lock()
	cr.lastSeen = now
	cr.mu.Unlock()
}

// pupilOnly runs h for the holder of a student token, or answers 404.
func (s *Server) pupilOnly(h func(http.ResponseWriter, *http.Request, *pupil)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := r.PathValue("token")
		s.cl.mu.Lock()
		pu := s.cl.pupils[tok]
		s.cl.mu.Unlock()
		if pu == nil || len(tok) != 32 {
			plain(w, http.StatusNotFound, "You are not in a class run any more: the run has ended, or you were away so long that the model plays your person now. Join again with the code on the projector.")
			return
		}
		now := s.cfg.Now()
		pu.cr.mu.Lock()
		pu.lastSeen, pu.cr.lastSeen = now, now
		pu.cr.mu.Unlock()
		h(w, r, pu)
	}
}

// setTeacherCookie gives the browser the teacher token, for this run's API
// only; scripts cannot read it and other sites' pages cannot send it.
func setTeacherCookie(w http.ResponseWriter, cr *classRun) {
	http.SetCookie(w, &http.Cookie{Name: teacherCookie, Value: cr.teacher, Path: "/api/classes/" + cr.id,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: 12 * 3600})
}

// ---------- teacher ----------

func (s *Server) handleClassCreate(w http.ResponseWriter, r *http.Request) {
	q, msg := query(r, "scenario", "seed", "people")
	if msg != "" {
		badRequest(w, msg)
		return
	}
	p, msg := s.parseSetup(q, setup{Scenario: "baseline", Seed: 1})
	if msg != "" {
		badRequest(w, msg)
		return
	}
	cr, msg := s.startClass(p, clientOf(r), r)
	if msg != "" {
		code := http.StatusBadRequest
		if strings.Contains(msg, "limit") || strings.Contains(msg, "shutting down") {
			code = http.StatusServiceUnavailable
		}
		plain(w, code, msg)
		return
	}
	setTeacherCookie(w, cr)
	st, msg := cr.state(false)
	if msg != "" {
		plain(w, http.StatusInternalServerError, msg)
		return
	}
	writeJSON(w, http.StatusCreated, st)
}

func (s *Server) handleClassClaim(w http.ResponseWriter, r *http.Request) {
	cr := s.classByID(w, r)
	if cr == nil {
		return
	}
	if _, msg := query(r); msg != "" {
		badRequest(w, msg)
		return
	}
	tok := r.Header.Get(teacherHeader)
	if subtle.ConstantTimeCompare([]byte(tok), []byte(cr.teacher)) != 1 {
		plain(w, http.StatusForbidden, "This is not the teacher token of this class run; use the address copsim serve printed.")
		return
	}
	cr.touch(s.cfg.Now())
	setTeacherCookie(w, cr)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleClassState(w http.ResponseWriter, r *http.Request, cr *classRun) {
	if _, msg := query(r); msg != "" {
		badRequest(w, msg)
		return
	}
	st, msg := cr.state(false)
	if msg != "" {
		plain(w, classCode(msg, http.StatusInternalServerError), msg)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// classCode is the status of a refusal by a class run.
func classCode(msg string, code int) int {
	switch msg {
	case classFailed:
		return http.StatusInternalServerError
	case classEnded:
		return http.StatusNotFound
	}
	return code
}

// classActions are the parameters each teacher action takes.
var classActions = map[string][]string{
	"play": nil, "pause": nil, "step": nil, "end": nil,
	"speed":  {"value"},
	"switch": {"kind", "on", "strength", "reward"},
	"param":  {"key", "value"},
}

func (s *Server) handleClassControl(w http.ResponseWriter, r *http.Request, cr *classRun) {
	action := r.PathValue("action")
	keys, known := classActions[action]
	if !known {
		plain(w, http.StatusNotFound, fmt.Sprintf("Unknown action %.40q; the actions are play, pause, step, speed, switch, param and end.", action))
		return
	}
	q, msg := query(r, keys...)
	if msg != "" {
		badRequest(w, msg)
		return
	}
	code := http.StatusConflict
	switch action {
	case "play":
		msg = cr.do(func() string { return cr.setPlayingLocked(true) })
	case "pause":
		msg = cr.do(func() string { return cr.setPlayingLocked(false) })
	case "step":
		msg = cr.do(func() string {
			if cr.ended {
				return cr.endedMsgLocked()
			}
			cr.playing = false
			cr.advanceLocked()
			return ""
		})
	case "end":
		msg = cr.do(func() string {
			if !cr.ended {
				cr.endLocked()
			}
			return ""
		})
	case "speed":
		v, m := intParam(q, "value", "time per week", MinWeekSeconds, MaxWeekSeconds, "seconds")
		if m != "" {
			msg, code = m, http.StatusBadRequest
			break
		}
		msg = cr.do(func() string { cr.seconds = v; cr.poke(); return "" })
	case "switch":
		sw, m := parseSwitch(q)
		if m != "" {
			msg, code = m, http.StatusBadRequest
			break
		}
		msg = cr.do(func() string {
			if cr.ended {
				return cr.endedMsgLocked()
			}
			sched := switchSchedule(cr.schedule, sw, cr.run.Week()+1)
			if err := cr.run.SetInterventions(sched); err != nil {
				return err.Error()
			}
			cr.schedule = sched
			return ""
		})
	case "param":
		sl, x, m := parseParam(q)
		if m != "" {
			msg, code = m, http.StatusBadRequest
			break
		}
		msg = cr.do(func() string {
			if cr.ended {
				return cr.endedMsgLocked()
			}
			if err := cr.run.SetParameter(sl.Key, x); err != nil {
				return err.Error()
			}
			cr.params = append(cr.params, paramChange{Tick: cr.run.Week() + 1, Key: sl.Key, Value: x})
			*sl.field(&cr.sc) = x
			return ""
		})
	}
	if msg == "" {
		msg = cr.do(func() string {
			st := cr.stateLocked(false)
			cr.broadcastLocked("state", st)
			writeJSON(w, http.StatusOK, st)
			return ""
		})
		if msg == "" {
			return
		}
	}
	plain(w, classCode(msg, code), msg)
}

func (cr *classRun) endedMsgLocked() string {
	return fmt.Sprintf("This class run has ended at week %d; the debrief is on every phone. Start a new class run from the main page.", cr.run.Week())
}

func (cr *classRun) setPlayingLocked(on bool) string {
	if on && cr.ended {
		return cr.endedMsgLocked()
	}
	cr.playing = on
	if on && !cr.running {
		cr.running = true
		go cr.loop()
	}
	cr.poke()
	return ""
}

// loop plays the run, one week every cr.seconds, until it is paused,
// ended or closed. Phones never hold it up: a student who has not chosen
// by then is played by the model.
func (cr *classRun) loop() {
	pace(cr.wake, func() (time.Duration, bool) {
		cr.mu.Lock()
		defer cr.mu.Unlock()
		if !cr.playing || cr.closed || cr.ended {
			cr.running = false
			return 0, false
		}
		return time.Duration(cr.seconds) * cr.srv.cl.unit, true
	}, func() {
		cr.do(func() string {
			if cr.playing {
				cr.advanceLocked()
			}
			return ""
		})
	})
}

// advanceLocked runs one week and sends the projector its frame and each
// phone its student's view.
func (cr *classRun) advanceLocked() {
	if cr.run.Done() {
		cr.endLocked()
		return
	}
	if err := cr.run.Step(); err != nil {
		panic(err) // the run's own state is broken: end this run only
	}
	clear(cr.decided)
	f := cr.frameLocked()
	cr.broadcastLocked("frame", f)
	if cr.run.Done() {
		cr.endLocked()
		return
	}
	cr.sendViewsLocked("view")
}

// endLocked ends the run: no more weeks, and the debrief on every page.
func (cr *classRun) endLocked() {
	cr.ended, cr.playing = true, false
	cr.poke()
	cr.broadcastLocked("state", cr.stateLocked(false))
	cr.sendViewsLocked("debrief")
	cr.srv.logf("class run %s ended at week %d with %d students", cr.id, cr.run.Week(), len(cr.pupils))
}

// ---------- what the projector gets ----------

// classMark is a student's person as the projector highlights it.
type classMark struct {
	ID         int    `json:"id"`
	Name       string `json:"name"`
	Person     int    `json:"person"`
	Community  int    `json:"community"`
	Legitimacy num    `json:"legitimacy"`
	Knowledge  num    `json:"knowledge"`
	Role       string `json:"role"`
	Away       bool   `json:"away"`    // released: the model plays them
	Decided    bool   `json:"decided"` // chose for the coming week
}

// classFrame is one week on the projector's stream.
type classFrame struct {
	frame
	Students []classMark `json:"students"`
	Decided  int         `json:"decided"`
	Ended    bool        `json:"ended"`
}

func (cr *classRun) marksLocked() []classMark {
	out := []classMark{}
	for _, v := range cr.run.Students() {
		pu := cr.pupils[v.ID]
		m := classMark{ID: v.ID, Name: v.Name, Person: v.Person, Community: v.State.Community,
			Legitimacy: round(v.State.Legitimacy, 1000), Knowledge: round(v.State.Knowledge, 100), Role: v.Role,
			Away: pu == nil || pu.away}
		_, m.Decided = cr.decided[v.ID]
		out = append(out, m)
	}
	return out
}

func (cr *classRun) frameLocked() classFrame {
	w := cr.run.World()
	var rows []measure.Row
	if all := cr.run.Rows(); len(all) > 0 {
		t := all[len(all)-1].Tick
		i := len(all)
		for i > 0 && all[i-1].Tick == t {
			i--
		}
		rows = all[i:]
	}
	f := classFrame{frame: makeFrame(w, rows, cr.sc.Seed, cr.srv.cfg.MaxDots), Students: cr.marksLocked(),
		Decided: len(cr.decided), Ended: cr.ended}
	f.Playing, f.Finished = cr.playing, cr.ended
	return f
}

// classState is the run as the teacher's page needs it.
type classState struct {
	ID          string                   `json:"id"`
	Code        string                   `json:"code"`
	Join        joinInfo                 `json:"join"`
	Scenario    string                   `json:"scenario"`
	Description string                   `json:"description"`
	Seed        uint64                   `json:"seed"`
	People      int                      `json:"people"`
	Ticks       int                      `json:"ticks"`
	Tick        int                      `json:"tick"`
	Playing     bool                     `json:"playing"`
	Ended       bool                     `json:"ended"`
	Seconds     int                      `json:"seconds"` // per week
	Communities []string                 `json:"communities"`
	Roles       scenarios.Roles          `json:"roles"`
	Schedule    []scenarios.Intervention `json:"schedule"`
	InForce     []scenarios.Intervention `json:"inForce"`
	Params      map[string]float64       `json:"params"`
	ParamLog    []paramChange            `json:"paramLog"`
	MaxStudents int                      `json:"maxStudents"`
	Students    []classMark              `json:"students"`
	Decided     int                      `json:"decided"`
	History     []frame                  `json:"history,omitempty"`
}

func (cr *classRun) state(withHistory bool) (st classState, msg string) {
	msg = cr.do(func() string { st = cr.stateLocked(withHistory); return "" })
	return st, msg
}

func (cr *classRun) stateLocked(withHistory bool) classState {
	st := classState{ID: cr.id, Code: cr.code, Join: cr.join, Scenario: cr.p.Scenario, Description: cr.sc.Description,
		Seed: cr.sc.Seed, People: cr.sc.Population.People, Ticks: cr.sc.Ticks, Tick: cr.run.Week(),
		Playing: cr.playing, Ended: cr.ended, Seconds: cr.seconds, Communities: cr.sc.CommunityNames(),
		Roles: cr.sc.Model.Roles, Schedule: append([]scenarios.Intervention{}, cr.schedule...),
		InForce: []scenarios.Intervention{}, Params: paramValues(&cr.sc), ParamLog: append([]paramChange{}, cr.params...),
		MaxStudents: cr.srv.cfg.MaxStudents, Students: cr.marksLocked(), Decided: len(cr.decided)}
	next := cr.run.Week() + 1
	for _, iv := range cr.schedule {
		if iv.Active(next) && !(iv.Kind == scenarios.Seeding && max(iv.Start, 1) < next) {
			st.InForce = append(st.InForce, iv)
		}
	}
	if withHistory {
		var f *frame
		for _, row := range cr.run.Rows() {
			if f == nil || f.Tick != row.Tick {
				st.History = append(st.History, frame{Tick: row.Tick})
				f = &st.History[len(st.History)-1]
			}
			f.Rows = append(f.Rows, toWire(row))
		}
	}
	return st
}

// broadcastLocked queues an event on every projector stream; a stream
// that has fallen too far behind is dropped (its page reconnects).
func (cr *classRun) broadcastLocked(name string, v any) {
	msg := event(name, v)
	if name == "frame" {
		cr.last = msg
	}
	fanOut(cr.subs, msg)
}

func (s *Server) handleClassEvents(w http.ResponseWriter, r *http.Request, cr *classRun) {
	if _, msg := query(r); msg != "" {
		badRequest(w, msg)
		return
	}
	var ch chan []byte
	var first []byte
	msg := cr.do(func() string {
		if len(cr.subs) >= maxClassStreams {
			return "This class run already has as many projector pages open as it may; close another."
		}
		first = append(event("state", cr.stateLocked(true)), cr.last...)
		ch = make(chan []byte, subBuffer)
		cr.subs[ch] = struct{}{}
		return ""
	})
	if msg != "" {
		plain(w, classCode(msg, http.StatusTooManyRequests), msg)
		return
	}
	defer func() {
		cr.mu.Lock()
		drop(cr.subs, ch)
		cr.mu.Unlock()
	}()
	s.stream(w, r, first, ch, func() { s.forgetClass(cr); cr.close() })
}

// stream writes first and then every message of ch as server-sent events,
// with the per-write deadline and heartbeat of handleEvents; stalled runs
// when a write misses its deadline (nobody reads).
func (s *Server) stream(w http.ResponseWriter, r *http.Request, first []byte, ch chan []byte, stalled func()) {
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	write := func(b []byte) bool {
		rc.SetWriteDeadline(time.Now().Add(s.cfg.StreamWriteTimeout))
		_, err := w.Write(b)
		if err == nil {
			err = rc.Flush()
		}
		if errors.Is(err, os.ErrDeadlineExceeded) && stalled != nil {
			stalled()
		}
		return err == nil
	}
	if !write(append([]byte("retry: 1000\n\n"), first...)) {
		return
	}
	beat := time.NewTicker(s.cfg.Heartbeat)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case msg, open := <-ch:
			if !open || !write(msg) {
				return
			}
		case <-beat.C:
			if !write([]byte(": ping\n\n")) {
				return
			}
		}
	}
}

func (s *Server) handleClassFile(w http.ResponseWriter, r *http.Request, cr *classRun) {
	if _, msg := query(r); msg != "" {
		badRequest(w, msg)
		return
	}
	var b bytes.Buffer
	var write func(io.Writer) error
	ctype := "text/csv; charset=utf-8"
	name := r.PathValue("file")
	switch name {
	case "trajectories.csv":
		write = func(w io.Writer) error { return cr.run.WriteTrajectoriesCSV(w) }
	case "timeseries.csv":
		write = func(w io.Writer) error { return cr.run.WriteTimeseriesCSV(w) }
	case "events.log":
		ctype = "text/plain; charset=utf-8"
		write = func(w io.Writer) error { return cr.run.WriteLog(w) }
	case "qr.svg":
		svg, err := qrSVG(cr.join.URL)
		if err != nil {
			plain(w, http.StatusInternalServerError, "The QR code could not be made: "+err.Error())
			return
		}
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(svg)
		return
	case "debrief":
		var d debrief
		msg := cr.do(func() string { d = cr.debriefLocked(); return "" })
		if msg != "" {
			plain(w, classCode(msg, http.StatusInternalServerError), msg)
			return
		}
		writeJSON(w, http.StatusOK, d)
		return
	default:
		plain(w, http.StatusNotFound, fmt.Sprintf("Unknown file %.40q; a class run has trajectories.csv, timeseries.csv, events.log, qr.svg and debrief.", name))
		return
	}
	var err error
	msg := cr.do(func() string { err = write(&b); return "" })
	if msg == "" && err != nil {
		msg = "The file could not be written: " + err.Error()
	}
	if msg != "" {
		plain(w, classCode(msg, http.StatusInternalServerError), msg)
		return
	}
	base := cr.p.Scenario + "_class_" + cr.code + "_"
	download(w, ctype, base+name, b.Bytes())
}

// debrief is the class's trajectories for the teacher's page.
type debrief struct {
	Week     int            `json:"week"`
	Ended    bool           `json:"ended"`
	Average  []pointWire    `json:"average"` // by weeks since joining
	Students []debriefEntry `json:"students"`
}

type debriefEntry struct {
	ID         int         `json:"id"`
	Name       string      `json:"name"`
	Community  string      `json:"community"`
	Role       string      `json:"role"`
	Joined     int         `json:"joined"`
	Trajectory []pointWire `json:"trajectory"`
}

func (cr *classRun) debriefLocked() debrief {
	d := debrief{Week: cr.run.Week(), Ended: cr.ended, Average: points(cr.run.AverageNewcomer()), Students: []debriefEntry{}}
	for _, v := range cr.run.Students() {
		d.Students = append(d.Students, debriefEntry{ID: v.ID, Name: v.Name, Community: v.Community, Role: v.Role,
			Joined: v.Joined, Trajectory: points(v.Trajectory)})
	}
	return d
}

// pointWire is a trajectory point as the pages read it.
type pointWire struct {
	Week       int    `json:"week"`
	Since      int    `json:"since"`
	Legitimacy num    `json:"legitimacy"`
	Role       string `json:"role"`
	Knowledge  num    `json:"knowledge"`
	Ties       num    `json:"ties"`
	TookPart   num    `json:"tookPart"`
	Chosen     bool   `json:"chosen"` // the student decided (false: the model played them)
	TakePart   string `json:"takePart,omitempty"`
	Approach   string `json:"approach,omitempty"`
	Share      string `json:"share,omitempty"`
}

func points(ps []class.TrajectoryPoint) []pointWire {
	out := make([]pointWire, len(ps))
	for k, p := range ps {
		out[k] = pointWire{Week: p.Week, Since: p.Since, Legitimacy: round(p.Legitimacy, 1000), Role: p.Role,
			Knowledge: round(p.Knowledge, 1000), Ties: round(p.Ties, 100), TookPart: round(p.TookPart, 1000), Chosen: p.Chosen}
		if p.Chosen {
			out[k].TakePart, out[k].Approach, out[k].Share = p.Choice.TakePart.String(), p.Choice.Approach.String(), p.Choice.Share.String()
		}
	}
	return out
}

// ---------- students ----------

// joinBody is what a phone sends to join.
type joinBody struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// decisionBody is a student's choice for the coming week: each of "auto"
// (the model decides; also when left out), "yes" or "no"; the approach
// "auto", "core", "peer" or "other".
type decisionBody struct {
	TakePart string `json:"takePart"`
	Approach string `json:"approach"`
	Share    string `json:"share"`
}

// readBody decodes one small JSON object strictly: no unknown field, no
// trailing data, at most maxBody bytes; the message is one sentence.
func readBody(r io.Reader, v any) string {
	b, err := io.ReadAll(io.LimitReader(r, maxBody+1))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return fmt.Sprintf("The request body is longer than %d bytes.", maxBody)
		}
		return "The request body could not be read."
	}
	if len(b) > maxBody {
		return fmt.Sprintf("The request body is longer than %d bytes; a join or a decision needs far less.", maxBody)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return "The request body must be one JSON object with only the expected fields: " + strings.TrimPrefix(err.Error(), "json: ") + "."
	}
	if dec.More() {
		return "The request body must be one JSON object, with nothing after it."
	}
	return ""
}

// parseJoin reads a join body: the code (any case, spaces ignored) must be
// codeLen letters of codeLetters; the name is checked by class.Join.
func parseJoin(r io.Reader) (joinBody, string) {
	var jb joinBody
	if msg := readBody(r, &jb); msg != "" {
		return jb, msg
	}
	jb.Code = normCode(jb.Code)
	if len(jb.Code) != codeLen || strings.Trim(jb.Code, codeLetters) != "" {
		return jb, fmt.Sprintf("A join code is %d letters and digits, as the projector shows it, got %.20q.", codeLen, jb.Code)
	}
	return jb, ""
}

// parseDecision reads a decision body into a choice.
func parseDecision(r io.Reader) (agents.Choice, decisionBody, string) {
	var db decisionBody
	var ch agents.Choice
	if msg := readBody(r, &db); msg != "" {
		return ch, db, msg
	}
	var err error
	if ch.TakePart, err = agents.ParseDecision(db.TakePart); err != nil {
		return ch, db, fmt.Sprintf("Taking part: %v.", err)
	}
	if ch.Approach, err = agents.ParseApproach(db.Approach); err != nil {
		return ch, db, fmt.Sprintf("Whom to approach: %v.", err)
	}
	if ch.Share, err = agents.ParseDecision(db.Share); err != nil {
		return ch, db, fmt.Sprintf("Sharing: %v.", err)
	}
	// As the run reads it: the empty string is "auto".
	db = decisionBody{ch.TakePart.String(), ch.Approach.String(), ch.Share.String()}
	return ch, db, ""
}

// joinFailed counts a wrong code of client and reports whether it is now
// over the limit.
func (s *Server) joinRefused(client string, now time.Time, failed bool) bool {
	s.cl.mu.Lock()
	defer s.cl.mu.Unlock()
	f := s.cl.fails[client]
	if f == nil || now.Sub(f.start) > joinFailWindow {
		if !failed {
			return false
		}
		f = &failWindow{start: now}
		s.cl.fails[client] = f
	}
	if failed {
		f.n++
	}
	return f.n >= maxJoinFailures
}

func (s *Server) handleJoin(w http.ResponseWriter, r *http.Request) {
	if _, msg := query(r); msg != "" {
		badRequest(w, msg)
		return
	}
	client, now := clientOf(r), s.cfg.Now()
	if s.joinRefused(client, now, false) {
		w.Header().Set("Retry-After", "600")
		plain(w, http.StatusTooManyRequests, "This phone has tried too many wrong codes; wait ten minutes, then type the code on the projector.")
		return
	}
	jb, msg := parseJoin(r.Body)
	if msg != "" {
		badRequest(w, msg)
		return
	}
	s.cl.mu.Lock()
	cr := s.cl.byCode[jb.Code]
	s.cl.mu.Unlock()
	if cr == nil {
		s.joinRefused(client, now, true)
		plain(w, http.StatusNotFound, fmt.Sprintf("No class run has the code %s; check the code on the projector.", jb.Code))
		return
	}
	var pu *pupil
	var view pupilView
	code := http.StatusBadRequest
	msg = cr.do(func() string {
		if cr.ended {
			code = http.StatusConflict
			return cr.endedMsgLocked()
		}
		if len(cr.pupils) >= cr.srv.cfg.MaxStudents {
			code = http.StatusServiceUnavailable
			return fmt.Sprintf("The class is full: this run takes %d students.", cr.srv.cfg.MaxStudents)
		}
		st, err := cr.run.Join(jb.Name)
		if err != nil {
			return err.Error()
		}
		pu = &pupil{cr: cr, id: st.ID, token: newID(), name: jb.Name, lastSeen: now, subs: map[chan []byte]struct{}{}}
		cr.pupils[pu.id] = pu
		cr.lastSeen = now
		view = cr.viewLocked(pu)
		cr.broadcastLocked("state", cr.stateLocked(false))
		return ""
	})
	if msg != "" {
		plain(w, classCode(msg, code), msg)
		return
	}
	s.cl.mu.Lock()
	s.cl.pupils[pu.token] = pu
	s.cl.mu.Unlock()
	s.logf("class run %s: student %d joined", cr.id, pu.id)
	writeJSON(w, http.StatusCreated, struct {
		Token string `json:"token"`
		pupilView
	}{pu.token, view})
}

// pupilView is what a phone shows: the student's own person, the week's
// decisions with their consequences, what happened last week, the
// trajectory so far and, at the end, the average newcomer's to compare.
type pupilView struct {
	Week        int             `json:"week"`
	Ticks       int             `json:"ticks"`
	Playing     bool            `json:"playing"`
	Ended       bool            `json:"ended"`
	Roles       scenarios.Roles `json:"roles"`
	ID          int             `json:"id"`
	Name        string          `json:"name"`
	Community   string          `json:"community"`
	Joined      int             `json:"joined"`
	Role        string          `json:"role"`
	Legitimacy  num             `json:"legitimacy"`
	Knowledge   num             `json:"knowledge"`
	Ties        int             `json:"ties"`
	TiesCore    int             `json:"tiesCore"`
	TiesPeers   int             `json:"tiesPeers"`
	TiesOther   int             `json:"tiesOther"`
	Load        num             `json:"load"`
	Memberships int             `json:"memberships"`
	TookPart    bool            `json:"tookPart"`
	Options     []optionWire    `json:"options"`
	Choice      *decisionBody   `json:"choice"` // what they chose for the coming week, if anything
	Outcome     []string        `json:"outcome"`
	Trajectory  []pointWire     `json:"trajectory"`
	Average     []pointWire     `json:"average,omitempty"`
}

type optionWire struct {
	Name     string    `json:"name"`
	Question string    `json:"question"`
	Choices  []altWire `json:"choices"`
}

type altWire struct {
	Value       string `json:"value"`
	Label       string `json:"label"`
	Consequence string `json:"consequence"`
}

func (cr *classRun) viewLocked(pu *pupil) pupilView {
	sv, err := cr.run.Student(pu.id)
	if err != nil {
		panic(err) // a student the run gave us
	}
	ps := sv.State
	v := pupilView{Week: cr.run.Week(), Ticks: cr.sc.Ticks, Playing: cr.playing, Ended: cr.ended,
		Roles: cr.sc.Model.Roles, ID: sv.ID, Name: sv.Name, Community: sv.Community, Joined: sv.Joined,
		Role: sv.Role, Legitimacy: round(ps.Legitimacy, 1000), Knowledge: round(ps.Knowledge, 1000),
		Ties: ps.Ties, TiesCore: ps.TiesCore, TiesPeers: ps.TiesPeers, TiesOther: ps.TiesOther,
		Load: round(ps.Load, 100), Memberships: ps.Memberships, TookPart: ps.TookPart,
		Options: []optionWire{}, Outcome: append([]string{}, sv.Outcome...), Trajectory: points(sv.Trajectory)}
	for _, o := range sv.Options {
		if cr.ended {
			break // ended by the teacher: no more weeks to decide
		}
		ow := optionWire{Name: o.Name, Question: o.Question}
		for _, a := range o.Choices {
			ow.Choices = append(ow.Choices, altWire(a))
		}
		v.Options = append(v.Options, ow)
	}
	if db, ok := cr.decided[pu.id]; ok {
		v.Choice = &db
	}
	if cr.ended {
		v.Average = points(cr.run.AverageNewcomer())
	}
	return v
}

// sendViewsLocked sends each present student their own view.
func (cr *classRun) sendViewsLocked(name string) {
	for _, pu := range cr.pupils {
		if pu.away || len(pu.subs) == 0 {
			continue
		}
		msg := event(name, cr.viewLocked(pu))
		fanOut(pu.subs, msg)
	}
}

func (s *Server) handlePupilState(w http.ResponseWriter, r *http.Request, pu *pupil) {
	if _, msg := query(r); msg != "" {
		badRequest(w, msg)
		return
	}
	var v pupilView
	msg := pu.cr.do(func() string { v = pu.cr.viewLocked(pu); return "" })
	if msg != "" {
		plain(w, classCode(msg, http.StatusInternalServerError), msg)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) handlePupilEvents(w http.ResponseWriter, r *http.Request, pu *pupil) {
	if _, msg := query(r); msg != "" {
		badRequest(w, msg)
		return
	}
	cr := pu.cr
	var ch chan []byte
	var first []byte
	msg := cr.do(func() string {
		if pu.away {
			return "You were away, so the model plays your person now. Join again to take part."
		}
		if len(pu.subs) >= maxPupilStreams {
			return "Your class run is already open in two tabs; close one."
		}
		name := "view"
		if cr.ended {
			name = "debrief"
		}
		first = event(name, cr.viewLocked(pu))
		ch = make(chan []byte, 16)
		pu.subs[ch] = struct{}{}
		return ""
	})
	if msg != "" {
		plain(w, classCode(msg, http.StatusTooManyRequests), msg)
		return
	}
	defer func() {
		cr.mu.Lock()
		drop(pu.subs, ch)
		cr.mu.Unlock()
	}()
	s.stream(w, r, first, ch, nil)
}

func (s *Server) handleDecide(w http.ResponseWriter, r *http.Request, pu *pupil) {
	if _, msg := query(r); msg != "" {
		badRequest(w, msg)
		return
	}
	ch, db, msg := parseDecision(r.Body)
	if msg != "" {
		badRequest(w, msg)
		return
	}
	cr := pu.cr
	var v pupilView
	code := http.StatusBadRequest
	msg = cr.do(func() string {
		if cr.ended {
			code = http.StatusConflict
			return cr.endedMsgLocked()
		}
		if pu.away {
			code = http.StatusNotFound
			return "You were away, so the model plays your person now. Join again to take part."
		}
		if err := cr.run.Decide(pu.id, ch); err != nil {
			return err.Error()
		}
		if ch == (agents.Choice{}) {
			delete(cr.decided, pu.id) // all "auto": the model plays them
		} else {
			cr.decided[pu.id] = db
		}
		v = cr.viewLocked(pu)
		return ""
	})
	if msg != "" {
		plain(w, classCode(msg, code), msg)
		return
	}
	writeJSON(w, http.StatusOK, v)
}
