// Package web is the classroom demo behind `copsim serve`: an HTTP server
// that runs one live simulation per browser session and streams it to a page
// embedded in the binary (plain JavaScript and SVG, no build step, nothing
// fetched from the network). It exists apart from cmd/copsim so that the
// sessions, their limits and the stream can be tested with httptest and in a
// real browser.
//
// Routes (everything else is 404; only the embedded assets are files):
//
//	GET  /                               the page
//	GET  /static/...                     embedded assets
//	GET  /api/meta                       built-in scenarios, intervention captions, limits
//	POST /api/sessions?scenario=&seed=&people=   start a session (201, JSON state)
//	GET  /api/sessions/{id}              the session's state (JSON)
//	GET  /api/sessions/{id}/events       server-sent events: "state" then one "frame" per tick
//	POST /api/sessions/{id}/{action}     play, pause, step, reset, speed, switch
//
// A bad parameter gets 400 with one sentence in plain text.
package web

import (
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/copsim/copsim/scenarios"
)

//go:embed static
var assets embed.FS

// Config sets the server's limits. Zero values take the defaults.
type Config struct {
	// MaxSessions is the number of simulations run at once (default 50).
	MaxSessions int
	// MaxPeople is the largest population a session may ask for (default 1000).
	MaxPeople int
	// IdleTimeout ends a session that has had no request and no open
	// stream for this long (default 10 minutes).
	IdleTimeout time.Duration
	// MaxDots caps the people drawn in the picture (default 300).
	MaxDots int
	// Now is the clock used for idle expiry (default time.Now); tests inject one.
	Now func() time.Time
	// Logf, if set, receives one line per session started or ended.
	Logf func(format string, args ...any)
}

// Defaults and bounds of the parameters.
const (
	DefaultMaxSessions = 50
	DefaultMaxPeople   = 1000
	DefaultIdleTimeout = 10 * time.Minute
	DefaultMaxDots     = 300
	MinPeople          = 20
	MinSpeed           = 1
	MaxSpeed           = 30
	DefaultSpeed       = 5
	maxStreams         = 4   // open event streams per session
	subBuffer          = 256 // frames queued per stream before it is dropped
)

// Server runs the sessions. Create it with New and stop it with Close.
type Server struct {
	cfg      Config
	mux      *http.ServeMux
	mu       sync.Mutex
	sessions map[string]*session
	closed   bool
	stop     chan struct{}
	done     chan struct{}
}

// New returns a server with cfg's limits and starts its idle sweeper.
func New(cfg Config) *Server {
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.MaxPeople <= 0 {
		cfg.MaxPeople = DefaultMaxPeople
	}
	cfg.MaxPeople = max(cfg.MaxPeople, MinPeople)
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.MaxDots <= 0 {
		cfg.MaxDots = DefaultMaxDots
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, sessions: map[string]*session{}, stop: make(chan struct{}), done: make(chan struct{})}
	s.routes()
	go s.sweeper()
	return s
}

func (s *Server) routes() {
	static, err := fs.Sub(assets, "static")
	if err != nil {
		panic(err)
	}
	files := http.StripPrefix("/static/", http.FileServerFS(static))
	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		page, _ := assets.ReadFile("static/index.html")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(page)
	})
	m.HandleFunc("GET /static/", func(w http.ResponseWriter, r *http.Request) {
		// No directory listings: only the embedded files themselves.
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})
	m.HandleFunc("GET /api/meta", s.handleMeta)
	m.HandleFunc("POST /api/sessions", s.handleCreate)
	m.HandleFunc("GET /api/sessions/{id}", s.handleState)
	m.HandleFunc("GET /api/sessions/{id}/events", s.handleEvents)
	m.HandleFunc("POST /api/sessions/{id}/{action}", s.handleControl)
	s.mux = m
}

// ServeHTTP serves the page, the assets and the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	s.mux.ServeHTTP(w, r)
}

// Close ends every session and stops the sweeper.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	all := make([]*session, 0, len(s.sessions))
	for id, se := range s.sessions {
		all = append(all, se)
		delete(s.sessions, id)
	}
	s.mu.Unlock()
	close(s.stop)
	<-s.done
	for _, se := range all {
		se.close()
	}
}

// Sessions is the number of sessions running.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// Sweep ends the sessions idle for longer than the idle timeout and returns
// how many it ended. The sweeper calls it periodically.
func (s *Server) Sweep() int {
	now := s.cfg.Now()
	var idle []*session
	s.mu.Lock()
	for id, se := range s.sessions {
		if se.idleSince(now) > s.cfg.IdleTimeout {
			idle = append(idle, se)
			delete(s.sessions, id)
		}
	}
	s.mu.Unlock()
	for _, se := range idle {
		se.close()
		s.logf("session %s ended after %s idle", se.id, s.cfg.IdleTimeout)
	}
	return len(idle)
}

func (s *Server) sweeper() {
	defer close(s.done)
	every := min(max(s.cfg.IdleTimeout/10, time.Second), 30*time.Second)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.Sweep()
		}
	}
}

func (s *Server) logf(format string, args ...any) {
	if s.cfg.Logf != nil {
		s.cfg.Logf(format, args...)
	}
}

// badRequest answers 400 with one sentence.
func badRequest(w http.ResponseWriter, msg string) {
	plain(w, http.StatusBadRequest, msg)
}

func plain(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	fmt.Fprintln(w, msg)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func newID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// lookup finds a live session and marks it used, or answers 404.
func (s *Server) lookup(w http.ResponseWriter, r *http.Request) *session {
	s.mu.Lock()
	se := s.sessions[r.PathValue("id")]
	s.mu.Unlock()
	if se == nil {
		plain(w, http.StatusNotFound, fmt.Sprintf("There is no such session: it may have ended after %s without use; reload the page to start a new one.", s.cfg.IdleTimeout))
		return nil
	}
	se.touch(s.cfg.Now())
	return se
}

// meta is what the page needs to build its controls.
type meta struct {
	Scenarios     []scenarioInfo `json:"scenarios"`
	Interventions []switchInfo   `json:"interventions"`
	Rewards       []switchInfo   `json:"rewards"`
	Limits        limits         `json:"limits"`
}

type scenarioInfo struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

type limits struct {
	MinPeople    int `json:"minPeople"`
	MaxPeople    int `json:"maxPeople"`
	MinSpeed     int `json:"minSpeed"`
	MaxSpeed     int `json:"maxSpeed"`
	DefaultSpeed int `json:"defaultSpeed"`
	MaxSessions  int `json:"maxSessions"`
}

func (s *Server) handleMeta(w http.ResponseWriter, r *http.Request) {
	m := meta{Limits: limits{MinPeople, s.cfg.MaxPeople, MinSpeed, MaxSpeed, DefaultSpeed, s.cfg.MaxSessions}}
	for _, b := range scenarios.Builtins() {
		m.Scenarios = append(m.Scenarios, scenarioInfo{b.Name, b.Description})
	}
	for _, k := range scenarios.InterventionKinds {
		m.Interventions = append(m.Interventions, Switches[k])
	}
	for _, k := range scenarios.RewardKinds {
		m.Rewards = append(m.Rewards, Switches[k])
	}
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	p, msg := s.parseSetup(r, setup{Scenario: "baseline", Seed: 1, People: 0})
	if msg != "" {
		badRequest(w, msg)
		return
	}
	sc, msg := load(p)
	if msg != "" {
		badRequest(w, msg)
		return
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		plain(w, http.StatusServiceUnavailable, "The server is shutting down.")
		return
	}
	if len(s.sessions) >= s.cfg.MaxSessions {
		s.mu.Unlock()
		w.Header().Set("Retry-After", "60")
		plain(w, http.StatusServiceUnavailable, fmt.Sprintf("The server already runs its limit of %d simulations; close another tab or try again when one has been idle for %s.", s.cfg.MaxSessions, s.cfg.IdleTimeout))
		return
	}
	se := newSession(s, newID(), p, sc)
	s.sessions[se.id] = se
	s.mu.Unlock()
	s.logf("session %s started: %s, seed %d, %d people", se.id, p.Scenario, p.Seed, sc.Population.People)
	writeJSON(w, http.StatusCreated, se.state(false))
}

func (s *Server) handleState(w http.ResponseWriter, r *http.Request) {
	se := s.lookup(w, r)
	if se == nil {
		return
	}
	writeJSON(w, http.StatusOK, se.state(false))
}

func (s *Server) handleControl(w http.ResponseWriter, r *http.Request) {
	se := s.lookup(w, r)
	if se == nil {
		return
	}
	var msg string
	code := http.StatusBadRequest
	switch r.PathValue("action") {
	case "play":
		se.play()
	case "pause":
		se.pause()
	case "step":
		msg = se.stepOnce()
		code = http.StatusConflict
	case "speed":
		v, m := intParam(r, "value", "speed", MinSpeed, MaxSpeed, "weeks per second")
		if m == "" {
			se.setSpeed(v)
		}
		msg = m
	case "reset":
		cur := se.setup()
		p, m := s.parseSetup(r, cur)
		if m != "" {
			msg = m
			break
		}
		sc, m := load(p)
		if m != "" {
			msg = m
			break
		}
		se.reset(p, sc)
	case "switch":
		sw, m := parseSwitch(r)
		if m != "" {
			msg = m
			break
		}
		msg = se.toggle(sw)
		if msg != "" {
			code = http.StatusConflict
		}
	default:
		plain(w, http.StatusNotFound, fmt.Sprintf("Unknown action %q; the actions are play, pause, step, reset, speed and switch.", r.PathValue("action")))
		return
	}
	if msg != "" {
		plain(w, code, msg)
		return
	}
	writeJSON(w, http.StatusOK, se.state(false))
}

// setup is what a reset may change.
type setup struct {
	Scenario string
	Seed     uint64
	People   int // 0: the scenario's own
}

func builtinNames() []string {
	var names []string
	for _, b := range scenarios.Builtins() {
		names = append(names, b.Name)
	}
	return names
}

func (s *Server) parseSetup(r *http.Request, p setup) (setup, string) {
	q := r.URL.Query()
	if q.Has("scenario") {
		name := q.Get("scenario")
		if !slices.Contains(builtinNames(), name) {
			return p, fmt.Sprintf("Unknown scenario %q; choose one of %s.", name, strings.Join(builtinNames(), ", "))
		}
		if name != p.Scenario {
			p.People = 0
		}
		p.Scenario = name
	}
	if q.Has("seed") {
		v := q.Get("seed")
		seed, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return p, fmt.Sprintf("The seed must be a whole number from 0 to 18446744073709551615, got %q.", v)
		}
		p.Seed = seed
	}
	if q.Has("people") {
		v, m := intParam(r, "people", "population size", MinPeople, s.cfg.MaxPeople, "people")
		if m != "" {
			return p, m
		}
		p.People = v
	}
	if p.People == 0 {
		// The scenario's own population, capped by the server's limit.
		sc, err := scenarios.Load(p.Scenario, nil)
		if err == nil {
			p.People = min(sc.Population.People, s.cfg.MaxPeople)
		}
	}
	return p, ""
}

func intParam(r *http.Request, key, what string, lo, hi int, unit string) (int, string) {
	v := r.URL.Query().Get(key)
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Sprintf("The %s must be a whole number from %d to %d %s, got %q.", what, lo, hi, unit, v)
	}
	return n, ""
}

// load builds the scenario of a session: one replication of a built-in with
// the session's seed and population.
func load(p setup) (scenarios.Scenario, string) {
	sets := []string{fmt.Sprintf("seed=%d", p.Seed), "replications=1"}
	if p.People > 0 {
		sets = append(sets, fmt.Sprintf("population.people=%d", p.People))
	}
	sc, err := scenarios.Load(p.Scenario, sets)
	if err != nil {
		return sc, "These settings do not make a valid scenario: " + strings.TrimSpace(err.Error())
	}
	return sc, ""
}

// switchReq is one press of an intervention switch.
type switchReq struct {
	Kind     string
	Reward   string
	On       bool
	Strength float64
}

func parseSwitch(r *http.Request) (switchReq, string) {
	q := r.URL.Query()
	sw := switchReq{Kind: q.Get("kind"), Reward: q.Get("reward")}
	if !slices.Contains(scenarios.InterventionKinds, sw.Kind) {
		return sw, fmt.Sprintf("Unknown intervention %q; the interventions are %s.", sw.Kind, strings.Join(scenarios.InterventionKinds, ", "))
	}
	switch q.Get("on") {
	case "true", "1":
		sw.On = true
	case "false", "0":
	default:
		return sw, fmt.Sprintf("The switch must be on=true or on=false, got %q.", q.Get("on"))
	}
	if sw.Kind == scenarios.Rewards {
		if sw.On && !slices.Contains(scenarios.RewardKinds, sw.Reward) {
			return sw, fmt.Sprintf("The rewards switch needs a reward kind, one of %s, got %q.", strings.Join(scenarios.RewardKinds, ", "), sw.Reward)
		}
	} else if sw.Reward != "" {
		return sw, fmt.Sprintf("A reward kind only applies to the rewards switch, not to %s.", sw.Kind)
	}
	sw.Strength = 1
	if q.Has("strength") || sw.On {
		v := q.Get("strength")
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || !(x >= 0 && x <= 1) {
			return sw, fmt.Sprintf("The strength must be a number from 0 to 1, got %q.", v)
		}
		sw.Strength = x
	}
	return sw, ""
}
