package web

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
)

// lastFrame decodes the session's last frame as the stream sent it.
func lastFrame(t *testing.T, se *session) frame0 {
	t.Helper()
	se.mu.Lock()
	msg := se.last
	se.mu.Unlock()
	_, data, ok := bytes.Cut(msg, []byte("data: "))
	if !ok {
		t.Fatalf("not a frame event: %q", msg)
	}
	var f frame0
	if err := json.Unmarshal(bytes.TrimSpace(data), &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// frame0 is a frame as the page reads it, with the lines.
type frame0 struct {
	Tick               int              `json:"tick"`
	Rows               []map[string]any `json:"rows"`
	Nodes              [][5]float64     `json:"nodes"`
	Lines              [][3]int         `json:"lines"`
	Encounters         int              `json:"encounters"`
	BoundaryEncounters int              `json:"boundaryEncounters"`
}

// TestLinesAreEncounters: the picture's lines are the engine's encounters,
// each of the kind its legend says. When everyone is drawn, a frame's
// counts are the engine's (encounters and boundary_share of the "all"
// row); over many weeks the share of boundary lines drawn, a sample of at
// most maxLines a week, is the engine's share of boundary encounters within
// sampling error, without and with boundary activity, and when only some
// people are drawn.
func TestLinesAreEncounters(t *testing.T) {
	cases := []struct {
		scenario      string
		people, dots  int
		everyoneDrawn bool
		minShare      float64 // the engine's boundary share must reach this (the case tests something)
	}{
		{"baseline", 200, 300, true, 0},
		{"boundary_activity", 200, 300, true, 0.01},
		{"boundary_activity", 400, 150, false, 0.01},
	}
	for _, c := range cases {
		t.Run(c.scenario, func(t *testing.T) {
			srv := New(Config{MaxDots: c.dots})
			defer srv.Close()
			p := setup{Scenario: c.scenario, Seed: 3, People: c.people}
			sc, msg := load(p)
			if msg != "" {
				t.Fatal(msg)
			}
			se, err := newSession(srv, "t", "test", p, sc)
			if err != nil {
				t.Fatal(err)
			}
			defer se.close()
			var lines, bLines, enc, bEnc int
			var engEnc, engB float64
			for week := 1; week <= 150; week++ {
				if msg := se.stepOnce(); msg != "" {
					t.Fatal(msg)
				}
				f := lastFrame(t, se)
				all := f.Rows[len(f.Rows)-1]
				n, share := wireNum(all["encounters"]), wireNum(all["boundaryShare"])
				if math.IsNaN(share) {
					share = 0
				}
				engEnc += n
				engB += share * n
				enc += f.Encounters
				bEnc += f.BoundaryEncounters
				if c.everyoneDrawn {
					if f.Encounters != int(n) || f.BoundaryEncounters != int(math.Round(share*n)) {
						t.Fatalf("week %d: the frame counts %d encounters, %d across a boundary; the engine %v, %v",
							week, f.Encounters, f.BoundaryEncounters, n, share*n)
					}
				}
				if len(f.Lines) != min(maxLines, f.Encounters) {
					t.Fatalf("week %d: %d lines of %d encounters", week, len(f.Lines), f.Encounters)
				}
				ids := map[int]bool{}
				for _, nd := range f.Nodes {
					ids[int(nd[0])] = true
				}
				for _, l := range f.Lines {
					if !ids[l[0]] || !ids[l[1]] {
						t.Fatalf("week %d: line %v joins someone not drawn", week, l)
					}
					lines++
					bLines += l[2]
				}
			}
			pEng := engB / engEnc
			if !(engEnc > 0) || !(pEng >= c.minShare) {
				t.Fatalf("the engine's boundary share is %.4f, below %.2f: the case tests nothing", pEng, c.minShare)
			}
			pLines := float64(bLines) / float64(lines)
			se4 := 4*math.Sqrt(pEng*(1-pEng)/float64(lines)) + 1/float64(lines)
			t.Logf("engine %.0f encounters, boundary share %.4f; drawn from %d (%d boundary); %d lines, boundary share %.4f (±%.4f)",
				engEnc, pEng, enc, bEnc, lines, pLines, se4)
			if math.Abs(pLines-pEng) > se4 {
				t.Errorf("boundary lines are %.4f of the lines drawn, boundary encounters %.4f of the engine's (allowed ±%.4f)", pLines, pEng, se4)
			}
		})
	}
}
