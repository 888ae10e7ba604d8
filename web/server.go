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
//	GET  /api/sessions/{id}/timeseries.csv  the session's time series, as `copsim run` writes it
//	GET  /api/sessions/{id}/scenario.yaml   the session as a scenario file for `copsim run`
//	POST /api/sessions/{id}/{action}     play, pause, step, reset, speed, switch, param
//
// A bad parameter gets 400 with one sentence in plain text; a parameter a
// route does not take, or one given twice, is a bad parameter.
//
// The rules that keep a server bound to 0.0.0.0 safe for a class:
//
//   - Host: every request must name an IP address, localhost (or a name
//     under .localhost), this computer's name (or that name under .local),
//     or a name in Config.AllowedHosts; any other Host gets 403, so that a
//     site whose DNS name is re-pointed at this computer (DNS rebinding)
//     cannot use it.
//   - Origin: a request other than GET, HEAD or OPTIONS that a browser
//     marks as coming from another origin (Sec-Fetch-Site other than
//     same-origin or none, or else an Origin whose host is not the Host)
//     gets 403, so that another site's page cannot start sessions or press
//     switches (http.CrossOriginProtection).
//   - Limits: sessions at once (MaxSessions) and per client, one IP address
//     or IPv6 /64 (MaxPerClient); people per session (MaxPeople, at most
//     scenarios.MaxPeople); connections at once and per client; request
//     headers, bodies and the query string; HTTP timeouts that never cut an
//     event stream (it has a deadline per write).
//   - Expiry: a session ends after IdleTimeout without a request, or at once
//     when a write to its stream misses its deadline (nobody reads it).
//   - Failures: a panic in a session's simulation ends that session only
//     (logged, an "ended" event on its streams); one in a handler answers 500.
package web

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"runtime/debug"
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
	// MaxPerClient is the number of sessions one client (one remote IP
	// address) may hold at once (default 8, at most MaxSessions), so that
	// one machine cannot take every slot.
	MaxPerClient int
	// MaxPeople is the largest population a session may ask for (default
	// 1000, at most scenarios.MaxPeople).
	MaxPeople int
	// IdleTimeout ends a session that has had no request for this long
	// (default 10 minutes). An open page asks for its state every minute,
	// so only a closed or abandoned page lets its session expire; an open
	// event stream alone does not keep a session.
	IdleTimeout time.Duration
	// MaxDots caps the people drawn in the picture (default 300).
	MaxDots int
	// AllowedHosts are host names, besides IP addresses, localhost and this
	// computer's own name, under which the server may be reached. Any other
	// Host header is refused (DNS rebinding).
	AllowedHosts []string

	// MaxConns caps the connections open at once (default 512); further
	// connections wait to be accepted. MaxConnsPerClient caps those of one
	// remote IP address (default 64); further ones are closed at once.
	MaxConns, MaxConnsPerClient int
	// ReadHeaderTimeout, ReadTimeout (headers and body), WriteTimeout (one
	// response other than an event stream) and ConnIdleTimeout (a kept-alive
	// connection between requests) are the HTTP timeouts (defaults 10 s,
	// 30 s, 30 s, 2 min).
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, ConnIdleTimeout time.Duration
	// StreamWriteTimeout bounds one write to an event stream (default 30 s,
	// long enough for a browser on a loaded laptop): a page that stops
	// reading ends its session. Heartbeat is the interval
	// of comments on a quiet stream (default 15 s).
	StreamWriteTimeout, Heartbeat time.Duration
	// MaxBodyBytes caps a request body (default 4 KiB): the API takes its
	// parameters in the URL, so a body is never needed.
	MaxBodyBytes int64

	// MaxClassRuns caps the class runs at once (default 4): a class run
	// holds its students' streams and lives for a lesson. MaxStudents caps
	// the students of one run (default 60, class.Options.MaxStudents).
	MaxClassRuns, MaxStudents int
	// ClassWarmUp is how many weeks a class run's organization runs before
	// the class arrives (0, the default, for none; copsim serve sets
	// DefaultClassWarmUp): a young community has no core to approach.
	ClassWarmUp int
	// StudentIdle releases a student whose phone has made no request for
	// this long (default 5 minutes; an open phone page asks every 30
	// seconds): the token ends and the model plays their person.
	StudentIdle time.Duration
	// Listen is the address the server listens on (Serve sets it): it
	// tells the join address shown on the projector. Unset, the join
	// address is the teacher page's Host.
	Listen net.Addr

	// Now is the clock used for idle expiry (default time.Now); tests inject one.
	Now func() time.Time
	// Logf, if set, receives one line per session started or ended.
	Logf func(format string, args ...any)
}

// Defaults and bounds of the parameters.
const (
	DefaultMaxSessions       = 50
	DefaultMaxPerClient      = 8
	DefaultMaxPeople         = 1000
	DefaultIdleTimeout       = 10 * time.Minute
	DefaultMaxDots           = 300
	DefaultMaxConns          = 512
	DefaultMaxConnsPerClient = 64
	DefaultMaxClassRuns      = 4
	DefaultMaxStudents       = 60
	DefaultClassWarmUp       = 104
	DefaultStudentIdle       = 5 * time.Minute
	MinPeople                = 20
	MinSpeed                 = 1
	MaxSpeed                 = 30
	DefaultSpeed             = 5
	maxStreams               = 4   // open event streams per session
	subBuffer                = 256 // frames queued per stream before it is dropped
	maxHeaderBytes           = 16 << 10
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
	hosts    []string // allowed host names besides IP addresses and localhost
	csrf     *http.CrossOriginProtection
	// beforeStep, if set, runs before every tick of every session (tests
	// use it to make a session fail).
	beforeStep func(id string)
	cl         classes // the class runs (class.go)
}

// New returns a server with cfg's limits and starts its idle sweeper.
// Limits above their bounds are lowered to them (the command line refuses
// them before).
func New(cfg Config) *Server {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defDur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&cfg.MaxSessions, DefaultMaxSessions)
	def(&cfg.MaxPerClient, DefaultMaxPerClient)
	cfg.MaxPerClient = min(cfg.MaxPerClient, cfg.MaxSessions)
	def(&cfg.MaxPeople, DefaultMaxPeople)
	cfg.MaxPeople = min(max(cfg.MaxPeople, MinPeople), scenarios.MaxPeople)
	defDur(&cfg.IdleTimeout, DefaultIdleTimeout)
	def(&cfg.MaxDots, DefaultMaxDots)
	def(&cfg.MaxConns, DefaultMaxConns)
	def(&cfg.MaxConnsPerClient, DefaultMaxConnsPerClient)
	def(&cfg.MaxClassRuns, DefaultMaxClassRuns)
	def(&cfg.MaxStudents, DefaultMaxStudents)
	defDur(&cfg.StudentIdle, DefaultStudentIdle)
	cfg.MaxConnsPerClient = min(cfg.MaxConnsPerClient, cfg.MaxConns)
	defDur(&cfg.ReadHeaderTimeout, 10*time.Second)
	defDur(&cfg.ReadTimeout, 30*time.Second)
	defDur(&cfg.WriteTimeout, 30*time.Second)
	defDur(&cfg.ConnIdleTimeout, 2*time.Minute)
	defDur(&cfg.StreamWriteTimeout, 30*time.Second)
	defDur(&cfg.Heartbeat, 15*time.Second)
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 4 << 10
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, sessions: map[string]*session{}, stop: make(chan struct{}), done: make(chan struct{})}
	s.cl.init()
	s.hosts = allowedHosts(cfg.AllowedHosts)
	s.csrf = http.NewCrossOriginProtection()
	s.csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plain(w, http.StatusForbidden, "This request came from a page on another site (its Origin or Sec-Fetch-Site header says so); only the copsim page itself may start sessions or press switches.")
	}))
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
	m.HandleFunc("GET /api/sessions/{id}/timeseries.csv", s.handleTimeseries)
	m.HandleFunc("GET /api/sessions/{id}/scenario.yaml", s.handleScenario)
	m.HandleFunc("POST /api/sessions/{id}/{action}", s.handleControl)
	s.classRoutes(m)
	s.mux = m
}

// ServeHTTP serves the page, the assets and the API. Before any route it
// refuses a Host that is not one of the server's names (so that a page
// whose name was re-pointed at this computer cannot use it), a
// state-changing request from another site's page, and a body over the
// cap; a panic in a handler answers 500 and is logged, and never ends the
// server.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.logf("internal error serving %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
			plain(w, http.StatusInternalServerError, "The server hit an internal error on this request (it is logged); please report it.")
		}
	}()
	if !s.hostAllowed(r.Host) {
		plain(w, http.StatusForbidden, fmt.Sprintf("This server does not answer to the host name %.100q: open it by its IP address or localhost, or start copsim serve with --allow-host for that name.", r.Host))
		return
	}
	if !strings.HasPrefix(r.URL.Path, "/") {
		// "*" (OPTIONS *) or a CONNECT target: no route takes one.
		plain(w, http.StatusBadRequest, fmt.Sprintf("The request target must be a path such as /api/meta, got %.40q.", r.RequestURI))
		return
	}
	if r.ContentLength > s.cfg.MaxBodyBytes {
		plain(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("A request body may have at most %d bytes; this server takes its parameters in the URL.", s.cfg.MaxBodyBytes))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	// A whole response (not a stream, which sets a deadline per write) must
	// be written within WriteTimeout. Recorders in tests do not support it.
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(s.cfg.WriteTimeout))
	s.csrf.Handler(s.mux).ServeHTTP(w, r)
}

// allowedHosts normalizes the configured names and adds this computer's.
func allowedHosts(extra []string) []string {
	var out []string
	add := func(h string) {
		if h = normHost(h); h != "" && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	if name, err := os.Hostname(); err == nil && name != "" {
		add(name)
		if !strings.Contains(name, ".") {
			add(name + ".local") // mDNS, as laptops on one network see each other
		}
	}
	for _, h := range extra {
		add(h)
	}
	return out
}

// normHost lowercases a host name and drops a port, brackets and a final dot.
func normHost(h string) string {
	if hh, _, err := net.SplitHostPort(h); err == nil {
		h = hh
	}
	h = strings.TrimPrefix(strings.TrimSuffix(h, "]"), "[")
	return strings.TrimSuffix(strings.ToLower(h), ".")
}

// hostAllowed is the rule for the Host header: an IP address (which no
// other site's name can stand for), localhost, or an allowed name.
func (s *Server) hostAllowed(host string) bool {
	h := normHost(host)
	if h == "" {
		return false
	}
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	return slices.Contains(s.hosts, h)
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
	s.closeClasses()
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
	return len(idle) + s.sweepClasses(now)
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
	if se == nil || se.isClosed() {
		plain(w, http.StatusNotFound, fmt.Sprintf("There is no such session: it may have ended after %s without use; reload the page to start a new one.", s.cfg.IdleTimeout))
		return nil
	}
	se.touch(s.cfg.Now())
	return se
}

// meta is what the page needs to build its controls.
type meta struct {
	Scenarios     []scenarioInfo    `json:"scenarios"`
	Interventions []switchInfo      `json:"interventions"`
	Sliders       []slider          `json:"sliders"`
	Palette       map[string]string `json:"palette"`
	Limits        limits            `json:"limits"`
}

// switchInfo is an intervention switch as the page shows it, read from the
// intervention registry so that a new kind appears on the page without
// editing the page.
type switchInfo struct {
	Kind    string `json:"kind"`
	Label   string `json:"label"`
	Caption string `json:"caption"` // one sentence, for the teacher to read out
	// Rewards is the menu of a kind with reward systems; one is required
	// when the switch is turned on.
	Rewards []switchInfo `json:"rewards,omitempty"`
}

// switches lists the switches, one per intervention kind, in the
// registry's order.
func switches() []switchInfo {
	var out []switchInfo
	for _, k := range scenarios.Kinds() {
		si := switchInfo{Kind: k.Name, Label: k.Label, Caption: k.Caption}
		for _, r := range k.Rewards {
			si.Rewards = append(si.Rewards, switchInfo{Kind: r.Name, Label: r.Label, Caption: r.Caption})
		}
		out = append(out, si)
	}
	return out
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
	IdleSeconds  int `json:"idleSeconds"` // the page asks for its state well within this
}

func (s *Server) handleMeta(w http.ResponseWriter, r *http.Request) {
	m := meta{Limits: limits{MinPeople, s.cfg.MaxPeople, MinSpeed, MaxSpeed, DefaultSpeed, s.cfg.MaxSessions,
		int(s.cfg.IdleTimeout / time.Second)}}
	for _, b := range scenarios.Builtins() {
		m.Scenarios = append(m.Scenarios, scenarioInfo{b.Name, b.Description})
	}
	m.Interventions = switches()
	m.Sliders = sliders
	m.Palette = palette()
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	q, msg := query(r, "scenario", "seed", "people")
	if msg != "" {
		badRequest(w, msg)
		return
	}
	p, msg := s.parseSetup(q, setup{Scenario: "baseline", Seed: 1, People: 0})
	if msg != "" {
		badRequest(w, msg)
		return
	}
	client := clientOf(r)
	// Refuse before building a world, and again after (another request may
	// have taken the last slot meanwhile).
	if !s.admit(w, client) {
		return
	}
	sc, msg := load(p)
	if msg != "" {
		badRequest(w, msg)
		return
	}
	se, err := newSession(s, newID(), client, p, sc)
	if err != nil {
		s.logf("session for %s could not start: %v", client, err)
		plain(w, http.StatusInternalServerError, "The simulation failed to start (the error is logged); please report it.")
		return
	}
	s.mu.Lock()
	if !s.admitLocked(w, client) {
		s.mu.Unlock()
		se.close()
		return
	}
	s.sessions[se.id] = se
	s.mu.Unlock()
	s.logf("session %s started for %s: %s, seed %d, %d people", se.id, client, p.Scenario, p.Seed, sc.Population.People)
	st, msg := se.state(false)
	if msg != "" {
		plain(w, sessionCode(msg, http.StatusInternalServerError), msg)
		return
	}
	writeJSON(w, http.StatusCreated, st)
}

// clientOf is the client a session is counted against: its IP address, or
// for IPv6 its /64 network (one machine usually holds a whole /64).
// Headers such as X-Forwarded-For are not trusted.
func clientOf(r *http.Request) string {
	return clientKey(r.RemoteAddr)
}

func clientKey(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

func (s *Server) admit(w http.ResponseWriter, client string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.admitLocked(w, client)
}

// admitLocked checks the server's caps for one more session of client, or
// answers why not.
func (s *Server) admitLocked(w http.ResponseWriter, client string) bool {
	if s.closed {
		plain(w, http.StatusServiceUnavailable, "The server is shutting down.")
		return false
	}
	if len(s.sessions) >= s.cfg.MaxSessions {
		w.Header().Set("Retry-After", "60")
		plain(w, http.StatusServiceUnavailable, fmt.Sprintf("The server already runs its limit of %d simulations; close another tab or try again when one has been idle for %s.", s.cfg.MaxSessions, s.cfg.IdleTimeout))
		return false
	}
	n := 0
	for _, se := range s.sessions {
		if se.client == client {
			n++
		}
	}
	if n >= s.cfg.MaxPerClient {
		w.Header().Set("Retry-After", "60")
		plain(w, http.StatusTooManyRequests, fmt.Sprintf("This computer already runs %d simulations, the most one computer may; close another tab or wait until one has been idle for %s.", n, s.cfg.IdleTimeout))
		return false
	}
	return true
}

// forget removes a session that has failed.
func (s *Server) forget(se *session) {
	s.mu.Lock()
	if s.sessions[se.id] == se {
		delete(s.sessions, se.id)
	}
	s.mu.Unlock()
}

func (s *Server) handleState(w http.ResponseWriter, r *http.Request) {
	se := s.lookup(w, r)
	if se == nil {
		return
	}
	st, msg := se.state(false)
	if msg != "" {
		plain(w, sessionCode(msg, http.StatusInternalServerError), msg)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

func (s *Server) handleTimeseries(w http.ResponseWriter, r *http.Request) {
	se := s.lookup(w, r)
	if se == nil {
		return
	}
	if _, msg := query(r); msg != "" {
		badRequest(w, msg)
		return
	}
	var b bytes.Buffer
	if msg := se.timeseries(&b); msg != "" {
		plain(w, sessionCode(msg, http.StatusInternalServerError), msg)
		return
	}
	download(w, "text/csv; charset=utf-8", "timeseries.csv", b.Bytes())
}

func (s *Server) handleScenario(w http.ResponseWriter, r *http.Request) {
	se := s.lookup(w, r)
	if se == nil {
		return
	}
	if _, msg := query(r); msg != "" {
		badRequest(w, msg)
		return
	}
	body, msg := se.exportScenario()
	if msg != "" {
		plain(w, sessionCode(msg, http.StatusInternalServerError), msg)
		return
	}
	download(w, "application/yaml; charset=utf-8", se.setup().Scenario+"_session.yaml", body)
}

// download answers a file the browser saves under name.
func download(w http.ResponseWriter, ctype, name string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	w.Write(body)
}

// sessionCode is the status of a refusal: 500 for a failed simulation, 404
// for a session that ended meanwhile, otherwise code.
func sessionCode(msg string, code int) int {
	switch msg {
	case failedMsg:
		return http.StatusInternalServerError
	case endedMsg:
		return http.StatusNotFound
	}
	return code
}

// actionParams are the parameters each action takes.
var actionParams = map[string][]string{
	"play": nil, "pause": nil, "step": nil,
	"speed":  {"value"},
	"reset":  {"scenario", "seed", "people"},
	"switch": {"kind", "on", "strength", "reward"},
	"param":  {"key", "value"},
}

func (s *Server) handleControl(w http.ResponseWriter, r *http.Request) {
	action := r.PathValue("action")
	keys, known := actionParams[action]
	if !known {
		plain(w, http.StatusNotFound, fmt.Sprintf("Unknown action %.40q; the actions are play, pause, step, reset, speed, switch and param.", action))
		return
	}
	se := s.lookup(w, r)
	if se == nil {
		return
	}
	q, msg := query(r, keys...)
	if msg != "" {
		badRequest(w, msg)
		return
	}
	code := http.StatusBadRequest
	switch action {
	case "play":
		msg = se.play()
	case "pause":
		msg = se.pause()
	case "step":
		msg = se.stepOnce()
		code = http.StatusConflict
	case "speed":
		v, m := intParam(q, "value", "speed", MinSpeed, MaxSpeed, "weeks per second")
		if m == "" {
			m = se.setSpeed(v)
		}
		msg = m
	case "reset":
		cur := se.setup()
		p, m := s.parseSetup(q, cur)
		if m != "" {
			msg = m
			break
		}
		sc, m := load(p)
		if m != "" {
			msg = m
			break
		}
		msg = se.reset(p, sc)
	case "switch":
		sw, m := parseSwitch(q)
		if m != "" {
			msg = m
			break
		}
		msg = se.toggle(sw)
		code = http.StatusConflict
	case "param":
		sl, x, m := parseParam(q)
		if m != "" {
			msg = m
			break
		}
		msg = se.setParam(sl, x)
		code = http.StatusConflict
	}
	if msg == "" {
		var st state
		if st, msg = se.state(false); msg == "" {
			writeJSON(w, http.StatusOK, st)
			return
		}
	}
	plain(w, sessionCode(msg, code), msg)
}

// query parses the query string strictly: it must be well formed, name only
// the given parameters and each at most once, so that a typo or a second
// value is refused rather than ignored.
func query(r *http.Request, keys ...string) (url.Values, string) {
	if len(r.URL.RawQuery) > 1024 {
		return nil, "The query string is longer than 1024 bytes; no parameter needs that much."
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, fmt.Sprintf("The query string is malformed: %v.", err)
	}
	for k, vs := range q {
		if !slices.Contains(keys, k) {
			if len(keys) == 0 {
				return nil, fmt.Sprintf("Unknown parameter %.40q; this request takes none.", k)
			}
			return nil, fmt.Sprintf("Unknown parameter %.40q; the parameters here are %s.", k, strings.Join(keys, ", "))
		}
		if len(vs) > 1 {
			return nil, fmt.Sprintf("The parameter %s is given %d times; give it once.", k, len(vs))
		}
	}
	return q, ""
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

func (s *Server) parseSetup(q url.Values, p setup) (setup, string) {
	if q.Has("scenario") {
		name := q.Get("scenario")
		if !slices.Contains(builtinNames(), name) {
			return p, fmt.Sprintf("Unknown scenario %.40q; choose one of %s.", name, strings.Join(builtinNames(), ", "))
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
			return p, fmt.Sprintf("The seed must be a whole number from 0 to 18446744073709551615, got %.40q.", v)
		}
		p.Seed = seed
	}
	if q.Has("people") {
		v, m := intParam(q, "people", "population size", MinPeople, s.cfg.MaxPeople, "people")
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

func intParam(q url.Values, key, what string, lo, hi int, unit string) (int, string) {
	v := q.Get(key)
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Sprintf("The %s must be a whole number from %d to %d %s, got %.40q.", what, lo, hi, unit, v)
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

func parseSwitch(q url.Values) (switchReq, string) {
	sw := switchReq{Kind: q.Get("kind"), Reward: q.Get("reward")}
	k, ok := scenarios.KindNamed(sw.Kind)
	if !ok {
		return sw, fmt.Sprintf("Unknown intervention %.40q; the interventions are %s.", sw.Kind, strings.Join(scenarios.KindNames(), ", "))
	}
	switch q.Get("on") {
	case "true", "1":
		sw.On = true
	case "false", "0":
	default:
		return sw, fmt.Sprintf("The switch must be on=true or on=false, got %.40q.", q.Get("on"))
	}
	if len(k.Rewards) > 0 {
		if _, ok := k.Reward(sw.Reward); sw.On && !ok {
			return sw, fmt.Sprintf("The %s switch needs a reward kind, one of %s, got %.40q.", k.Name, strings.Join(k.RewardNames(), ", "), sw.Reward)
		}
	} else if sw.Reward != "" {
		var with []string
		for _, k := range scenarios.Kinds() {
			if len(k.Rewards) > 0 {
				with = append(with, k.Name)
			}
		}
		return sw, fmt.Sprintf("A reward kind only applies to the %s switch, not to %s.", strings.Join(with, " or "), sw.Kind)
	}
	sw.Strength = 1
	if q.Has("strength") || sw.On {
		v := q.Get("strength")
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || !(x >= 0 && x <= 1) {
			return sw, fmt.Sprintf("The strength must be a number from 0 to 1, got %.40q.", v)
		}
		sw.Strength = x
	}
	return sw, ""
}
