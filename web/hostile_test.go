package web

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestHostileHTTP runs every case in testdata/hostile-http: a raw request
// sent over a real connection to a fresh server (with its timeouts and
// connection caps), and what must come back. A case is a txtar archive:
//
//	# What the case probes.
//	config max-sessions=2 max-per-client=1   (optional; see hostileConfig)
//	sessions 2                               (optional: sessions created first)
//	status 403                               (the status, or "closed": no response)
//	body another site                        (a regexp the body must match, case-insensitive)
//	sessions-after 0                         (optional: sessions left afterwards)
//	-- request --
//	POST /api/sessions HTTP/1.1
//	Host: evil.example
//
// The request's lines before the first empty one are sent with CRLF; in it
// {{id}} is the first session's id and {{repeat N text}} is text N times.
// After every case the server must still serve /api/meta.
func TestHostileHTTP(t *testing.T) {
	files, err := filepath.Glob("testdata/hostile-http/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 35 {
		t.Fatalf("%d hostile HTTP cases, want at least 35", len(files))
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Parallel()
			runHostile(t, file)
		})
	}
}

type hostileCase struct {
	config        map[string]string
	sessions      int
	status        string
	body          *regexp.Regexp
	sessionsAfter int // -1: not checked
	request       string
}

func parseHostile(t *testing.T, file string) hostileCase {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	c := hostileCase{config: map[string]string{}, sessionsAfter: -1}
	for i, line := range strings.Split(string(ar.Comment), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, _ := strings.Cut(line, " ")
		val = strings.TrimSpace(val)
		bad := func(err error) {
			if err != nil {
				t.Fatalf("%s:%d: %s: %v", file, i+1, key, err)
			}
		}
		switch key {
		case "config":
			for _, kv := range strings.Fields(val) {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					bad(fmt.Errorf("want key=value, got %q", kv))
				}
				c.config[k] = v
			}
		case "sessions":
			c.sessions, err = strconv.Atoi(val)
			bad(err)
		case "sessions-after":
			c.sessionsAfter, err = strconv.Atoi(val)
			bad(err)
		case "status":
			c.status = val
		case "body":
			c.body, err = regexp.Compile("(?i)" + val)
			bad(err)
		default:
			t.Fatalf("%s:%d: unknown directive %q", file, i+1, key)
		}
	}
	for _, f := range ar.Files {
		if f.Name == "request" {
			c.request = string(f.Data)
		}
	}
	if c.status == "" || c.request == "" {
		t.Fatalf("%s: a case needs a status line and a request file", file)
	}
	if c.status != "closed" && c.body == nil {
		t.Fatalf("%s: a case that expects a response needs a body regexp", file)
	}
	return c
}

// hostileConfig is the server of a case: small limits so that cases are
// quick, short timeouts so that none waits long.
func hostileConfig(t *testing.T, kv map[string]string) Config {
	cfg := Config{MaxPeople: 200, ReadHeaderTimeout: 2 * time.Second, ReadTimeout: 5 * time.Second}
	for k, v := range kv {
		n, err := strconv.Atoi(v)
		d, derr := time.ParseDuration(v)
		switch {
		case k == "max-sessions" && err == nil:
			cfg.MaxSessions = n
		case k == "max-per-client" && err == nil:
			cfg.MaxPerClient = n
		case k == "max-people" && err == nil:
			cfg.MaxPeople = n
		case k == "read-header-timeout" && derr == nil:
			cfg.ReadHeaderTimeout = d
		case k == "read-timeout" && derr == nil:
			cfg.ReadTimeout = d
		case k == "allow-host":
			cfg.AllowedHosts = append(cfg.AllowedHosts, v)
		default:
			t.Fatalf("config %s=%s: unknown key or bad value", k, v)
		}
	}
	return cfg
}

var repeatRE = regexp.MustCompile(`\{\{repeat (\d+) ([^}]*)\}\}`)

// rawRequest expands the placeholders and turns the head's line ends to CRLF.
func rawRequest(req, id string) string {
	req = strings.ReplaceAll(req, "{{id}}", id)
	req = repeatRE.ReplaceAllStringFunc(req, func(m string) string {
		sub := repeatRE.FindStringSubmatch(m)
		n, _ := strconv.Atoi(sub[1])
		return strings.Repeat(sub[2], n)
	})
	head, body, found := strings.Cut(req, "\n\n")
	head = strings.ReplaceAll(head, "\n", "\r\n")
	if !found {
		// No empty line: the head is sent unfinished (a slow client).
		return strings.TrimSuffix(head, "\r\n") + "\r\n"
	}
	return head + "\r\n\r\n" + body
}

func runHostile(t *testing.T, file string) {
	c := parseHostile(t, file)
	s := New(hostileConfig(t, c.config))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
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
	base := "http://" + ln.Addr().String()
	client := &http.Client{Timeout: 30 * time.Second}
	var id string
	for i := range c.sessions {
		resp, err := client.Post(base+"/api/sessions?people=20", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("setup session %d: %d %s", i, resp.StatusCode, b)
		}
		if i == 0 {
			id = regexp.MustCompile(`"id":"([0-9a-f]+)"`).FindStringSubmatch(string(b))[1]
		}
	}

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second)) // a hang guard, not a measure
	if _, err := io.WriteString(conn, rawRequest(c.request, id)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if c.status == "closed" {
		if err == nil {
			t.Fatalf("got %s, want the connection closed without a response", resp.Status)
		}
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatalf("the server neither answered nor closed the connection: %v", err)
		}
	} else {
		if err != nil {
			t.Fatalf("no response: %v", err)
		}
		var body []byte
		if resp.Header.Get("Content-Type") != "text/event-stream" {
			body, _ = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		}
		resp.Body.Close()
		if strconv.Itoa(resp.StatusCode) != c.status {
			t.Errorf("status %d, want %s (body %q)", resp.StatusCode, c.status, body)
		}
		if !c.body.Match(body) {
			t.Errorf("body %q does not match %q", body, c.body)
		}
		if resp.StatusCode == http.StatusInternalServerError {
			t.Errorf("internal error: %d %q", resp.StatusCode, body)
		}
	}

	// The server is still there for everyone else.
	resp, err = client.Get(base + "/api/meta")
	if err != nil {
		t.Fatalf("server gone after the case: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /api/meta after the case: %d", resp.StatusCode)
	}
	if c.sessionsAfter >= 0 && s.Sessions() != c.sessionsAfter {
		t.Errorf("%d sessions after the case, want %d", s.Sessions(), c.sessionsAfter)
	}
}
