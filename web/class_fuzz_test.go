package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzClassBodies sends any body as a join and as a decision to a live
// class run (CODE in the input stands for its join code) and checks that
// nothing panics, the parsers accept only what the run can take, every
// refusal is one sentence with a 4xx status, and the run goes on.
// Seeds: testdata/fuzz/FuzzClassBodies.
//
//	go test -run '^$' -fuzz FuzzClassBodies -fuzztime 1m ./web/
func FuzzClassBodies(f *testing.F) {
	for _, s := range []string{
		`{"code":"CODE","name":"Ana"}`,
		`{"takePart":"yes","approach":"core","share":"no"}`,
		`{}`, `[]`, `null`, `{"code":"CODE","name":"<script>"}`,
		`{"takePart":"maybe"}`, `{"approach":"other"}{"share":"no"}`,
	} {
		f.Add([]byte(s))
	}
	s := New(Config{MaxStudents: 5, MaxDots: 20})
	f.Cleanup(s.Close)
	info, err := s.StartClass("baseline", 1)
	if err != nil {
		f.Fatal(err)
	}
	s.cl.mu.Lock()
	cr := s.cl.byID[info.ID]
	s.cl.mu.Unlock()
	post := func(path string, body []byte) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "http://127.0.0.1"+path, bytes.NewReader(body))
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		return rec
	}
	rec := post("/api/join", []byte(`{"code":"`+info.Code+`","name":"Seed"}`))
	if rec.Code != http.StatusCreated {
		f.Fatalf("join: %d %s", rec.Code, rec.Body)
	}
	var token string
	s.cl.mu.Lock()
	for tok := range s.cl.pupils {
		token = tok
	}
	s.cl.mu.Unlock()

	f.Fuzz(func(t *testing.T, data []byte) {
		body := bytes.ReplaceAll(data, []byte("CODE"), []byte(info.Code))
		if jb, msg := parseJoin(bytes.NewReader(body)); msg == "" {
			if len(jb.Code) != codeLen || strings.Trim(jb.Code, codeLetters) != "" {
				t.Fatalf("parseJoin accepted the code %q", jb.Code)
			}
		} else if !strings.HasSuffix(msg, ".") || strings.Contains(msg, "\n") {
			t.Fatalf("parseJoin: not one sentence: %q", msg)
		}
		if ch, db, msg := parseDecision(bytes.NewReader(body)); msg == "" {
			if err := ch.Valid(); err != nil {
				t.Fatalf("parseDecision accepted %+v: %v", ch, err)
			}
			if db.TakePart != ch.TakePart.String() || db.Approach != ch.Approach.String() || db.Share != ch.Share.String() {
				t.Fatalf("parseDecision: %+v does not read back as %+v", db, ch)
			}
		}
		for _, path := range []string{"/api/join", "/api/s/" + token + "/decide"} {
			rec := post(path, body)
			switch {
			case rec.Code == http.StatusOK || rec.Code == http.StatusCreated:
			case rec.Code >= 400 && rec.Code < 500 || rec.Code == http.StatusServiceUnavailable:
				if b := strings.TrimSuffix(rec.Body.String(), "\n"); !strings.HasSuffix(b, ".") || strings.Contains(b, "\n") {
					t.Fatalf("%s %q: not one sentence: %q", path, body, b)
				}
			default:
				t.Fatalf("%s %q: %d %s", path, body, rec.Code, rec.Body)
			}
		}
		if msg := cr.do(func() string { cr.advanceLocked(); return "" }); msg != "" && cr.run.Week() < 200 {
			t.Fatalf("the run failed: %s", msg)
		}
	})
}
