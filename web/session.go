package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/scenarios"
)

// session is one browser's simulation: a world, the schedule of switches
// pressed so far, the measured history and the streams watching it.
type session struct {
	id     string
	client string // the remote IP address it is counted against
	srv    *Server

	mu       sync.Mutex
	p        setup
	sc       scenarios.Scenario
	world    *agents.World
	schedule []scenarios.Intervention
	params   []paramChange      // slider moves, in the order made
	initial  map[string]float64 // the sliders' values in the scenario as loaded
	history  [][]measure.Row    // one entry per tick, as sim.Run measures them
	playing  bool
	running  bool // the play loop is alive
	speed    int
	wake     chan struct{}
	subs     map[chan []byte]struct{}
	streams  int
	lastSeen time.Time
	closed   bool
	last     []byte // the last frame, encoded
}

// failedMsg answers a request to a session whose simulation has failed.
const failedMsg = "This simulation failed with an internal error (it is logged) and has ended; reload the page to start a new one, and please report it."

// endedMsg answers a request to a session that ended meanwhile.
const endedMsg = "This session has ended; reload the page to start a new one."

func newSession(srv *Server, id, client string, p setup, sc scenarios.Scenario) (se *session, err error) {
	se = &session{id: id, client: client, srv: srv, speed: DefaultSpeed, wake: make(chan struct{}, 1),
		subs: map[chan []byte]struct{}{}, lastSeen: srv.cfg.Now()}
	if msg := se.do(func() string { se.resetLocked(p, sc); return "" }); msg != "" {
		return nil, fmt.Errorf("%s", msg)
	}
	return se, nil
}

// do runs fn with the session locked and returns its message. A panic in
// the simulation ends this session only, never the server: it is logged
// with its stack, the session's streams get an "ended" event and close,
// the server forgets the session, and do returns failedMsg.
func (se *session) do(fn func() string) (msg string) {
	failed := false
	se.mu.Lock()
	defer func() {
		if v := recover(); v != nil {
			failed = true
			msg = failedMsg
			se.srv.logf("session %s failed: %v\n%s", se.id, v, debug.Stack())
			se.failLocked()
		}
		se.mu.Unlock()
		if failed {
			se.srv.forget(se)
		}
	}()
	if se.closed {
		return endedMsg
	}
	return fn()
}

// failLocked ends a session whose simulation panicked; its world may be in
// any state, so only what cannot fail is done.
func (se *session) failLocked() {
	se.closed = true
	se.playing = false
	msg := event("ended", map[string]string{"message": failedMsg})
	closeAll(se.subs, msg)
	func() {
		defer func() { recover() }()
		se.world.Close()
	}()
	se.poke()
}

// resetLocked starts the world again from tick 0.
func (se *session) resetLocked(p setup, sc scenarios.Scenario) {
	if se.world != nil {
		se.world.Close()
	}
	se.p, se.sc = p, sc
	w, err := agents.NewWorld(&se.sc, 0, 1)
	if err != nil {
		// Scenarios are validated within scenarios' bounds, which the
		// engine accepts: an error here is a bug.
		panic(err)
	}
	se.world = w
	se.schedule = append([]scenarios.Intervention(nil), sc.Interventions...)
	se.params = nil
	se.initial = paramValues(&se.sc)
	se.history = se.history[:0]
	se.playing = false
	se.measureLocked()
}

func (se *session) setup() setup {
	se.mu.Lock()
	defer se.mu.Unlock()
	return se.p
}

func (se *session) isClosed() bool {
	se.mu.Lock()
	defer se.mu.Unlock()
	return se.closed
}

func (se *session) touch(now time.Time) {
	se.mu.Lock()
	se.lastSeen = now
	se.mu.Unlock()
}

// idleSince is how long the session has had no request. An open stream
// does not count: a stream cannot tell a reader from a connection nobody
// reads, so the page asks for its state every minute instead.
func (se *session) idleSince(now time.Time) time.Duration {
	se.mu.Lock()
	defer se.mu.Unlock()
	return now.Sub(se.lastSeen)
}

func (se *session) close() {
	se.mu.Lock()
	defer se.mu.Unlock()
	if se.closed {
		return
	}
	se.closed = true
	se.playing = false
	se.world.Close()
	closeAll(se.subs, nil)
	se.poke()
}

func (se *session) poke() {
	select {
	case se.wake <- struct{}{}:
	default:
	}
}

func (se *session) finishedLocked() bool {
	return se.world.Tick() >= se.sc.Ticks || se.world.Done()
}

func (se *session) play() string {
	return se.do(func() string {
		if se.finishedLocked() {
			return ""
		}
		se.playing = true
		if !se.running {
			se.running = true
			go se.loop()
		}
		se.poke()
		se.broadcastLocked("state", se.stateLocked(false))
		return ""
	})
}

func (se *session) pause() string {
	return se.do(func() string {
		se.playing = false
		se.poke()
		se.broadcastLocked("state", se.stateLocked(false))
		return ""
	})
}

func (se *session) setSpeed(v int) string {
	return se.do(func() string {
		se.speed = v
		se.poke()
		return ""
	})
}

func (se *session) stepOnce() string {
	return se.do(func() string {
		if se.finishedLocked() {
			return fmt.Sprintf("The run has ended at week %d; press Reset to start again.", se.world.Tick())
		}
		se.playing = false
		se.advanceLocked()
		return ""
	})
}

func (se *session) reset(p setup, sc scenarios.Scenario) string {
	return se.do(func() string {
		se.resetLocked(p, sc)
		se.poke()
		se.broadcastLocked("state", se.stateLocked(true))
		return ""
	})
}

// loop plays the simulation at the session's speed until paused, the
// session ends or its simulation fails.
func (se *session) loop() {
	pace(se.wake, func() (time.Duration, bool) {
		se.mu.Lock()
		defer se.mu.Unlock()
		if !se.playing || se.closed {
			se.running = false
			return 0, false
		}
		return time.Second / time.Duration(se.speed), true
	}, func() {
		se.do(func() string {
			if se.playing {
				se.advanceLocked()
			}
			return ""
		})
	})
}

// pace runs step once per interval that next gives, until next says to
// stop. A signal on wake (a speed change, a pause, a close) has next asked
// again at once, so that a change acts without waiting out the interval.
func pace(wake <-chan struct{}, next func() (time.Duration, bool), step func()) {
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for {
		interval, ok := next()
		if !ok {
			return
		}
		t.Reset(interval)
		select {
		case <-t.C:
		case <-wake:
			if !t.Stop() {
				<-t.C
			}
			continue
		}
		step()
	}
}

// advanceLocked runs one tick, measures it and sends the frame.
func (se *session) advanceLocked() {
	if se.finishedLocked() {
		se.playing = false
		se.broadcastLocked("state", se.stateLocked(false))
		return
	}
	if se.srv.beforeStep != nil {
		se.srv.beforeStep(se.id)
	}
	se.world.Step()
	se.measureLocked()
	if se.finishedLocked() {
		se.playing = false
		se.broadcastLocked("state", se.stateLocked(false))
	}
}

// measureLocked records the current tick, as sim.Run does, and streams it.
func (se *session) measureLocked() {
	rows := se.world.Measure()
	se.history = append(se.history, rows)
	f := se.frameLocked(rows)
	se.broadcastLocked("frame", f)
}

// timeseries writes the session's measured history as timeseries.csv.
func (se *session) timeseries(w io.Writer) string {
	var rows []measure.Row
	msg := se.do(func() string {
		for _, rs := range se.history {
			rows = append(rows, rs...)
		}
		return ""
	})
	if msg != "" {
		return msg
	}
	if err := results.WriteTimeseries(w, rows); err != nil {
		return "The time series could not be written: " + err.Error()
	}
	return ""
}

// Rows returns a copy of the session's measured history (for tests).
func (se *session) rows() []measure.Row {
	se.mu.Lock()
	defer se.mu.Unlock()
	var out []measure.Row
	for _, rs := range se.history {
		out = append(out, rs...)
	}
	return out
}

// toggle applies one switch from the next tick on: the schedule's
// intervals of that kind are closed at the current tick and, if the switch
// is on, a new open interval starts at the next.
func (se *session) toggle(sw switchReq) string {
	return se.do(func() string {
		next := se.world.Tick() + 1
		if se.finishedLocked() || next > se.sc.Ticks {
			return fmt.Sprintf("The run has ended at week %d; press Reset to start again.", se.world.Tick())
		}
		sched := switchSchedule(se.schedule, sw, next)
		if err := se.world.SetInterventions(sched); err != nil {
			return err.Error() // the switch was checked against the registry; not expected
		}
		se.schedule = sched
		se.broadcastLocked("state", se.stateLocked(false))
		return ""
	})
}

// switchSchedule returns the schedule after a switch pressed so that it
// acts from tick next on. Ticks before next are never changed, so the
// schedule stays a faithful record for `copsim run`.
func switchSchedule(sched []scenarios.Intervention, sw switchReq, next int) []scenarios.Intervention {
	out := make([]scenarios.Intervention, 0, len(sched)+1)
	for _, iv := range sched {
		if iv.Kind != sw.Kind || len(iv.Communities) > 0 {
			out = append(out, iv)
			continue
		}
		first := max(iv.Start, 1) // tick 0 is the initial state and is never stepped
		switch {
		case first >= next:
			// not begun yet: drop it
		case iv.End != 0 && iv.End < next:
			out = append(out, iv) // already over
		default:
			iv.End = next - 1
			out = append(out, iv)
		}
	}
	if sw.On {
		// parseSwitch has refused a reward for a kind without reward systems.
		out = append(out, scenarios.Intervention{Kind: sw.Kind, Reward: sw.Reward, Strength: sw.Strength, Start: next})
	}
	return out
}

// num is a float64 that is written as JSON null when it is not a number.
type num float64

func (x num) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// wireFields are the time-series columns the page reads, each under the
// key the page reads it by (static/app.js), in the order they are sent.
var wireFields = []struct {
	key string
	col *measure.Column[measure.Row]
}{
	{"community", wireColumn("community")},
	{"members", wireColumn("members")},
	{"outsiders", wireColumn("outsiders")},
	{"peripheral", wireColumn("peripheral")},
	{"active", wireColumn("active")},
	{"core", wireColumn("core")},
	{"knowledge", wireColumn("knowledge_mean")},
	{"knowledgeCore", wireColumn("knowledge_core")},
	{"knowledgeActive", wireColumn("knowledge_active")},
	{"knowledgePeripheral", wireColumn("knowledge_peripheral")},
	{"repertoire", wireColumn("repertoire_knowledge")},
	{"boundaryShare", wireColumn("boundary_share")},
	{"encounters", wireColumn("encounters")},
	{"outsideTies", wireColumn("outside_tie_share")},
	{"boundaryActive", wireColumn("boundary_active_share")},
	{"imported", wireColumn("imported_knowledge")},
	{"participation", wireColumn("participation_rate")},
	{"voluntary", wireColumn("voluntary_participation")},
	{"mandated", wireColumn("mandated_participation")},
	{"motivation", wireColumn("motivation")},
	{"stage", wireColumn("stage")},
}

// wireColumn returns the time-series column called name; a name that is
// no column is a mistake in this package, found when it is loaded.
func wireColumn(name string) *measure.Column[measure.Row] {
	c := measure.RowColumns.Lookup(name)
	if c == nil {
		panic("web: no time-series column " + name)
	}
	return c
}

// wireRow is one community's numbers at one tick, as the page reads them:
// a JSON object of wireFields.
type wireRow struct{ r measure.Row }

func toWire(r measure.Row) wireRow { return wireRow{r} }

func (w wireRow) MarshalJSON() ([]byte, error) {
	b := append(make([]byte, 0, 512), '{')
	for i, f := range wireFields {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, f.key...)
		b = append(b, `":`...)
		switch f.col.Kind() {
		case measure.Text:
			q, err := json.Marshal(f.col.Format(&w.r))
			if err != nil {
				return nil, err
			}
			b = append(b, q...)
		case measure.Float:
			q, _ := num(f.col.Float(&w.r)).MarshalJSON()
			b = append(b, q...)
		default:
			b = f.col.Append(b, &w.r)
		}
	}
	return append(b, '}'), nil
}

// frame is one tick on the stream.
type frame struct {
	Tick  int       `json:"tick"`
	Rows  []wireRow `json:"rows"`
	Nodes [][5]num  `json:"nodes"` // id, community (-1: none), legitimacy, knowledge, flags (1 broker, 2 coordinator)
	Lines [][3]int  `json:"lines"` // id, id, 1 for an encounter across a community boundary
	// Encounters and BoundaryEncounters count this tick's encounters
	// between people drawn, of which Lines is a uniform sample of at most
	// maxLines, so that the share of boundary lines is, in expectation,
	// the share of boundary encounters.
	Encounters         int  `json:"encounters"`
	BoundaryEncounters int  `json:"boundaryEncounters"`
	Playing            bool `json:"playing"`
	Finished           bool `json:"finished"`
}

// maxLines caps the encounters drawn in one frame.
const maxLines = 120

// encounterLines returns the last tick's encounters between people in net
// as lines (at most maxLines, a uniform sample drawn by a generator seeded
// by the scenario's seed and the tick, so that a session replays the same
// picture), with the counts of the encounters they were drawn from.
func encounterLines(w *agents.World, net *measure.Network, seed uint64, tick int) (lines [][3]int, all, boundary int) {
	drawn := make(map[int]bool, len(net.Nodes))
	for _, n := range net.Nodes {
		drawn[n.ID] = true
	}
	w.Encounters(func(a, b int, bd bool) {
		if !drawn[a] || !drawn[b] {
			return
		}
		all++
		k := 0
		if bd {
			boundary++
			k = 1
		}
		lines = append(lines, [3]int{a, b, k})
	})
	if len(lines) > maxLines {
		r := rand.New(rand.NewPCG(seed, uint64(tick)))
		for i := 0; i < maxLines; i++ {
			j := i + r.IntN(len(lines)-i)
			lines[i], lines[j] = lines[j], lines[i]
		}
		lines = lines[:maxLines]
	}
	return lines, all, boundary
}

func round(x float64, k float64) num { return num(math.Round(x*k) / k) }

func (se *session) frameLocked(rows []measure.Row) frame {
	f := makeFrame(se.world, rows, se.sc.Seed, se.srv.cfg.MaxDots)
	f.Playing, f.Finished = se.playing, se.finishedLocked()
	return f
}

// makeFrame is the world's current tick as the picture and the charts
// read it: rows, at most maxDots people and the tick's encounters among
// them. A class run's frames are made the same way.
func makeFrame(w *agents.World, rows []measure.Row, seed uint64, maxDots int) frame {
	f := frame{Tick: w.Tick()}
	for _, r := range rows {
		f.Rows = append(f.Rows, toWire(r))
	}
	net := w.Network(maxDots)
	f.Nodes = make([][5]num, len(net.Nodes))
	for k, n := range net.Nodes {
		flags := 0
		if n.Broker {
			flags |= 1
		}
		if n.Coordinator {
			flags |= 2
		}
		f.Nodes[k] = [5]num{num(n.ID), num(n.Community), round(n.Legitimacy, 1000), round(n.Knowledge, 100), num(flags)}
	}
	if f.Tick > 0 {
		f.Lines, f.Encounters, f.BoundaryEncounters = encounterLines(w, net, seed, f.Tick)
	}
	return f
}

// state is the session as the page needs it after a control.
type state struct {
	ID          string                   `json:"id"`
	Scenario    string                   `json:"scenario"`
	Description string                   `json:"description"`
	Seed        uint64                   `json:"seed"`
	People      int                      `json:"people"`
	Ticks       int                      `json:"ticks"`
	Tick        int                      `json:"tick"`
	Playing     bool                     `json:"playing"`
	Finished    bool                     `json:"finished"`
	Speed       int                      `json:"speed"`
	Communities []string                 `json:"communities"`
	Roles       scenarios.Roles          `json:"roles"`
	Schedule    []scenarios.Intervention `json:"schedule"`
	InForce     []scenarios.Intervention `json:"inForce"` // at the next tick
	Params      map[string]float64       `json:"params"`  // the sliders' values at the next tick
	ParamLog    []paramChange            `json:"paramLog"`
	History     []frame                  `json:"history,omitempty"`
}

// state is the session's state, or a message if it has ended.
func (se *session) state(withHistory bool) (st state, msg string) {
	msg = se.do(func() string {
		st = se.stateLocked(withHistory)
		return ""
	})
	return st, msg
}

func (se *session) stateLocked(withHistory bool) state {
	st := state{ID: se.id, Scenario: se.p.Scenario, Description: se.sc.Description, Seed: se.sc.Seed,
		People: se.sc.Population.People, Ticks: se.sc.Ticks, Tick: se.world.Tick(), Playing: se.playing,
		Finished: se.finishedLocked(), Speed: se.speed, Communities: se.sc.CommunityNames(),
		Roles: se.sc.Model.Roles, Schedule: append([]scenarios.Intervention{}, se.schedule...),
		InForce: []scenarios.Intervention{}, Params: paramValues(&se.sc),
		ParamLog: append([]paramChange{}, se.params...)}
	next := se.world.Tick() + 1
	for _, iv := range se.schedule {
		if iv.Active(next) && !(iv.Kind == scenarios.Seeding && max(iv.Start, 1) < next) {
			st.InForce = append(st.InForce, iv)
		}
	}
	if withHistory {
		// The charts' history: numbers only, no dots.
		for _, rs := range se.history {
			f := frame{Tick: rs[0].Tick}
			for _, r := range rs {
				f.Rows = append(f.Rows, toWire(r))
			}
			st.History = append(st.History, f)
		}
	}
	return st
}

// event encodes one server-sent event.
func event(name string, v any) []byte {
	var b bytes.Buffer
	data, err := json.Marshal(v)
	if err != nil {
		data, _ = json.Marshal(map[string]string{"error": err.Error()})
	}
	fmt.Fprintf(&b, "event: %s\ndata: %s\n\n", name, data)
	return b.Bytes()
}

// broadcastLocked queues an event on every stream; a stream that has
// fallen too far behind is dropped (its page reconnects and gets the
// history again).
func (se *session) broadcastLocked(name string, v any) {
	msg := event(name, v)
	if name == "frame" {
		se.last = msg
	}
	fanOut(se.subs, msg)
}

// subscribe opens a stream: its first event is the full state with history
// (and the last frame, for the dots), then every event from then on.
func (se *session) subscribe() (ch chan []byte, first []byte, msg string) {
	msg = se.do(func() string {
		if len(se.subs) >= maxStreams {
			return "This session already has as many open streams as it may; close another tab showing it."
		}
		first = event("state", se.stateLocked(true))
		first = append(first, se.last...)
		ch = make(chan []byte, subBuffer)
		se.subs[ch] = struct{}{}
		se.streams++
		return ""
	})
	return ch, first, msg
}

func (se *session) unsubscribe(ch chan []byte, now time.Time) {
	se.mu.Lock()
	defer se.mu.Unlock()
	drop(se.subs, ch)
	se.streams--
	se.lastSeen = now
}
