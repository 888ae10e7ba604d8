package web

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/copsim/copsim/scenarios"
)

// poll waits for cond with a generous deadline: a hang guard, not a measure.
func poll(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after 30 s for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// serveReal runs s with web.Serve on a loopback listener (wrapped by wrap,
// if set) and returns its base URL; the server is stopped at the end.
func serveReal(t *testing.T, s *Server, wrap func(net.Listener) net.Listener) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if wrap != nil {
		ln = wrap(ln)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

func TestHostRule(t *testing.T) {
	s := New(Config{AllowedHosts: []string{"Class.Example", "pc42.school.lan:8080"}})
	defer s.Close()
	cases := []struct {
		host string
		ok   bool
	}{
		{"127.0.0.1:8080", true},
		{"10.1.2.3", true},
		{"[::1]:8080", true},
		{"[fe80::1%25eth0]:8080", true},
		{"localhost", true},
		{"LocalHost:8080", true},
		{"localhost.", true},
		{"app.localhost:8080", true},
		{"class.example:8080", true},
		{"CLASS.EXAMPLE.", true},
		{"pc42.school.lan", true},
		{"", false},
		{":8080", false},
		{"evil.example", false},
		{"evil.example:8080", false},
		{"localhost.evil.example", false},
		{"127.0.0.1.nip.io", false},
		{"0x7f.1", false},
		{"class.example.evil.example", false},
		{"xclass.example", false},
	}
	for _, c := range cases {
		if got := s.hostAllowed(c.host); got != c.ok {
			t.Errorf("hostAllowed(%q) = %v, want %v", c.host, got, c.ok)
		}
	}
}

// TestPerClientCap: one client's sessions are capped, and the cap is per
// remote address, not global.
func TestPerClientCap(t *testing.T) {
	s := New(Config{MaxSessions: 6, MaxPerClient: 2, MaxPeople: 100})
	defer s.Close()
	post := func(remote string) (int, string) {
		req := httptest.NewRequest("POST", "http://127.0.0.1/api/sessions?people=20", nil)
		req.RemoteAddr = remote
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	steps := []struct {
		remote string
		code   int
		want   string
	}{
		{"10.0.0.1:5000", 201, `"id"`},
		{"10.0.0.1:5001", 201, `"id"`},
		{"10.0.0.1:5002", 429, "the most one computer may"},
		{"10.0.0.2:5000", 201, `"id"`},
		{"[2001:db8::1]:5000", 201, `"id"`},
		{"[2001:db8::2]:5001", 201, `"id"`}, // the same /64
		{"[2001:db8::3]:5001", 429, "the most one computer may"},
		{"[::ffff:10.0.0.2]:5001", 201, `"id"`}, // 10.0.0.2 again
		{"10.0.0.9:5000", 503, "limit of 6"},
	}
	for i, st := range steps {
		code, body := post(st.remote)
		if code != st.code || !strings.Contains(body, st.want) {
			t.Errorf("step %d from %s: %d %q, want %d with %q", i, st.remote, code, body, st.code, st.want)
		}
	}
	if n := s.Sessions(); n != 6 {
		t.Errorf("%d sessions, want 6", n)
	}
}

// TestFailingSessionIsContained: a panic inside one session's simulation,
// on a request or in its play loop, ends that session with an "ended"
// event and a 500, and every other session goes on.
func TestFailingSessionIsContained(t *testing.T) {
	var logs strings.Builder
	var logMu sync.Mutex
	s := New(Config{MaxPeople: 100, Logf: func(f string, a ...any) {
		logMu.Lock()
		fmt.Fprintf(&logs, f+"\n", a...)
		logMu.Unlock()
	}})
	var bad sync.Map
	s.beforeStep = func(id string) {
		if _, ok := bad.Load(id); ok {
			panic("injected failure")
		}
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); ts.Close() })
	a := create(t, ts.URL, "people=40")
	b := create(t, ts.URL, "people=40")
	c := create(t, ts.URL, "people=40")
	ch, stop := openStream(t, ts.URL+"/api/sessions/"+a.ID+"/events")
	defer stop()
	next(t, ch, "state")
	bad.Store(a.ID, true)
	bad.Store(c.ID, true)

	// On a request: 500 with one sentence, the stream is told and ends.
	code, body := do(t, "POST", ts.URL+"/api/sessions/"+a.ID+"/step")
	if code != http.StatusInternalServerError || !strings.Contains(body, "failed with an internal error") {
		t.Errorf("failing step: %d %q", code, body)
	}
	oneSentence(t, "failed step", body)
	var msg struct{ Message string }
	json.Unmarshal([]byte(next(t, ch, "ended").data), &msg)
	if !strings.Contains(msg.Message, "failed") {
		t.Errorf("ended event: %q", msg.Message)
	}
	for range ch {
	}
	if code, _ := do(t, "GET", ts.URL+"/api/sessions/"+a.ID); code != http.StatusNotFound {
		t.Errorf("failed session still served: %d", code)
	}

	// In the play loop, a goroutine of its own: the process survives.
	if code, body := do(t, "POST", ts.URL+"/api/sessions/"+c.ID+"/play"); code != 200 {
		t.Fatalf("play: %d %s", code, body)
	}
	poll(t, "the failing session to end", func() bool { return s.Sessions() == 1 })

	// b is untouched.
	if code, body := do(t, "POST", ts.URL+"/api/sessions/"+b.ID+"/step"); code != 200 {
		t.Errorf("healthy session: %d %s", code, body)
	}
	logMu.Lock()
	defer logMu.Unlock()
	if strings.Count(logs.String(), "injected failure") != 2 || !strings.Contains(logs.String(), "goroutine") {
		t.Errorf("log lacks the failures with their stacks:\n%s", logs.String())
	}
}

// TestHandlerPanicIsContained: a panic in a handler answers 500 and the
// server goes on.
func TestHandlerPanicIsContained(t *testing.T) {
	s := New(Config{})
	defer s.Close()
	s.mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost/boom", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "internal error") {
		t.Errorf("panicking handler: %d %q", rec.Code, rec.Body.String())
	}
}

// smallBuffers makes every accepted connection's send buffer small, so
// that a client that does not read blocks the server's writes soon.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(4096)
	}
	return c, err
}

// TestStreamThatDoesNotReadEndsSession: a client that opens the stream and
// never reads it loses its session once a write misses its deadline,
// instead of holding a slot for ever.
func TestStreamThatDoesNotReadEndsSession(t *testing.T) {
	s := New(Config{MaxPeople: 300, MaxDots: 300, StreamWriteTimeout: 50 * time.Millisecond})
	base := serveReal(t, s, func(ln net.Listener) net.Listener { return smallBuffers{ln} })
	st := create(t, base, "people=300")
	d := net.Dialer{Control: nil}
	conn, err := d.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.(*net.TCPConn).SetReadBuffer(4096)
	fmt.Fprintf(conn, "GET /api/sessions/%s/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", st.ID)
	// Frames of 300 dots are several kilobytes: step until the writes block.
	poll(t, "the unread session to end", func() bool {
		code, _ := do(t, "POST", base+"/api/sessions/"+st.ID+"/step")
		if code == http.StatusConflict { // the run ended first: start it again
			do(t, "POST", base+"/api/sessions/"+st.ID+"/reset")
		}
		return code == http.StatusNotFound
	})
	if s.Sessions() != 0 {
		t.Errorf("%d sessions left", s.Sessions())
	}
}

// TestStreamOutlivesRequestTimeouts: the read and write timeouts of
// requests do not cut an event stream, and shutting down ends it.
func TestStreamOutlivesRequestTimeouts(t *testing.T) {
	const short = 100 * time.Millisecond
	s := New(Config{ReadHeaderTimeout: short, ReadTimeout: short, WriteTimeout: short, MaxPeople: 100})
	base := serveReal(t, s, nil)
	st := create(t, base, "people=40")
	ch, stop := openStream(t, base+"/api/sessions/"+st.ID+"/events")
	defer stop()
	next(t, ch, "state")
	next(t, ch, "frame") // tick 0
	// Let every request timeout pass (this asserts nothing about time:
	// a slower machine only lets more of it pass).
	time.Sleep(5 * short)
	for i := 1; i <= 3; i++ {
		if code, body := do(t, "POST", base+"/api/sessions/"+st.ID+"/step"); code != 200 {
			t.Fatalf("step: %d %s", code, body)
		}
		var f frame
		json.Unmarshal([]byte(next(t, ch, "frame").data), &f)
		if f.Tick != i {
			t.Fatalf("frame tick %d, want %d", f.Tick, i)
		}
	}
	s.Close()
	for range ch {
	}
}

// TestConnectionCaps: a client over its connection cap is closed at once;
// a connection over the global cap waits until one is free.
func TestConnectionCaps(t *testing.T) {
	dial := func(t *testing.T, base string) net.Conn {
		t.Helper()
		c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(30 * time.Second)) // hang guard
		t.Cleanup(func() { c.Close() })
		return c
	}
	get := func(c net.Conn) (int, error) {
		fmt.Fprintf(c, "GET /api/meta HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	t.Run("per client", func(t *testing.T) {
		s := New(Config{MaxConns: 10, MaxConnsPerClient: 2})
		base := serveReal(t, s, nil)
		c1, c2 := dial(t, base), dial(t, base)
		for _, c := range []net.Conn{c1, c2} {
			if code, err := get(c); code != 200 {
				t.Fatalf("within the cap: %d %v", code, err)
			}
		}
		c3 := dial(t, base)
		if _, err := get(c3); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("third connection of one client: %v, want closed", err)
		}
		c1.Close()
		poll(t, "a freed slot", func() bool {
			code, _ := get(dial(t, base))
			return code == 200
		})
	})
	t.Run("global", func(t *testing.T) {
		s := New(Config{MaxConns: 2, MaxConnsPerClient: 2})
		base := serveReal(t, s, nil)
		c1, c2 := dial(t, base), dial(t, base)
		for _, c := range []net.Conn{c1, c2} {
			if code, err := get(c); code != 200 {
				t.Fatalf("within the cap: %d %v", code, err)
			}
		}
		c3 := dial(t, base)
		var served atomic.Bool
		done := make(chan struct{})
		go func() {
			defer close(done)
			if code, _ := get(c3); code == 200 {
				served.Store(true)
			}
		}()
		c1.Close()
		<-done
		if !served.Load() {
			t.Errorf("the waiting connection was not served once a slot was free")
		}
	})
}

// TestMaxPeopleBound: a server limit above scenarios.MaxPeople is lowered
// to it, so no client can ask for more.
func TestMaxPeopleBound(t *testing.T) {
	s := New(Config{MaxPeople: 2_000_000_000})
	defer s.Close()
	if s.cfg.MaxPeople != scenarios.MaxPeople {
		t.Errorf("MaxPeople = %d, want %d", s.cfg.MaxPeople, scenarios.MaxPeople)
	}
}
