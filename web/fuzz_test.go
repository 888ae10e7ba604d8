package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// FuzzRequest sends any request the HTTP layer can parse to a server that
// has one live session (SESSION in the input stands for its id) and checks
// that nothing panics, every refusal of ours is one sentence, and no limit
// is exceeded. Seeds: testdata/fuzz/FuzzRequest and the hostile corpus.
//
//	go test -run '^$' -fuzz FuzzRequest -fuzztime 2m ./web/
func FuzzRequest(f *testing.F) {
	files, _ := filepath.Glob("testdata/hostile-http/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, af := range ar.Files {
			if af.Name == "request" && !bytes.Contains(af.Data, []byte("{{repeat")) {
				f.Add([]byte(rawRequest(string(af.Data), "SESSION")))
			}
		}
	}
	const maxPeople, maxSessions, perClient = 60, 3, 2
	s := New(Config{MaxPeople: maxPeople, MaxSessions: maxSessions, MaxPerClient: perClient, MaxDots: 20})
	f.Cleanup(s.Close)
	base, msg := load(setup{Scenario: "baseline", Seed: 1, People: 20})
	if msg != "" {
		f.Fatal(msg)
	}
	done, cancel := context.WithCancel(context.Background())
	cancel() // an event stream writes its first events and returns

	f.Fuzz(func(t *testing.T, data []byte) {
		defer func() {
			s.mu.Lock()
			all := s.sessions
			s.sessions = map[string]*session{}
			s.mu.Unlock()
			for _, se := range all {
				se.close()
			}
		}()
		se, err := newSession(s, newID(), "192.0.2.1", setup{Scenario: "baseline", Seed: 1, People: 20}, base)
		if err != nil {
			t.Fatal(err)
		}
		s.mu.Lock()
		s.sessions[se.id] = se
		s.mu.Unlock()

		data = bytes.ReplaceAll(data, []byte("SESSION"), []byte(se.id))
		req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(data)))
		if err != nil {
			return // refused by the HTTP layer before any handler
		}
		req.RemoteAddr = "192.0.2.1:4000"
		req = req.WithContext(done)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)

		body := rec.Body.String()
		if rec.Code == http.StatusInternalServerError {
			t.Fatalf("500 for %q: %q", data, body)
		}
		if rec.Code == http.StatusBadRequest || rec.Code == http.StatusForbidden || rec.Code == http.StatusTooManyRequests {
			b := strings.TrimSuffix(body, "\n")
			if b == "" || strings.Contains(b, "\n") || !strings.HasSuffix(b, ".") || len(b) > 600 {
				t.Fatalf("%d for %q is not one short sentence: %q", rec.Code, data, body)
			}
		}
		if rec.Code == http.StatusCreated || (rec.Code == http.StatusOK && strings.HasPrefix(body, "{\"id\"")) {
			var st state
			if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil {
				t.Fatalf("state is not JSON: %v", err)
			}
			if st.People > maxPeople {
				t.Fatalf("a session of %d people, over the cap %d", st.People, maxPeople)
			}
		}
		s.mu.Lock()
		n := len(s.sessions)
		s.mu.Unlock()
		if n > perClient {
			t.Fatalf("%d sessions, over the caps", n)
		}
	})
}
