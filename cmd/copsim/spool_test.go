package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/copsim/copsim/measure"
)

// The spool writes the same timeseries.csv whether its parts stay in
// memory or move to files, and it leaves no file behind; a part moves to a
// file only once the spool holds more than its limit.
func TestSpoolSpills(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	rows := func(rep int) []measure.Row {
		var r []measure.Row
		for tick := range 50 {
			r = append(r, measure.Row{Rep: rep, Tick: tick, Community: "all", Members: 10 + tick, KnowledgeMean: float64(tick) / 50})
		}
		return r
	}
	var want []byte
	for _, tc := range []struct {
		name  string
		limit float64 // in replications' time series
		files int
	}{
		{"in memory", 1000, 0},
		{"two spilled", 2.5, 2},
		{"all spilled", 0, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSpool()
			s.limit = int64(tc.limit * 4200) // a replication's series: about 4.2 kB
			for _, rep := range []int{2, 0, 3, 1} {
				w, err := s.writer(rep)
				if err != nil {
					t.Fatal(err)
				}
				r := rows(rep)
				if err := w.WriteRows(r[:20]); err != nil {
					t.Fatal(err)
				}
				if err := w.WriteRows(r[20:]); err != nil {
					t.Fatal(err)
				}
				if err := w.Close(); err != nil {
					t.Fatal(err)
				}
			}
			files, _ := filepath.Glob(filepath.Join(os.TempDir(), spoolPrefix+"*", "*.csv"))
			if len(files) != tc.files {
				t.Errorf("%d spool files, want %d", len(files), tc.files)
			}
			var buf bytes.Buffer
			if err := s.writeTo(&buf); err != nil {
				t.Fatal(err)
			}
			s.close()
			if want == nil {
				want = buf.Bytes()
				if n := bytes.Count(want, []byte("\n")); n != 201 || len(want) < 4*3800 || len(want) > 4*4600 {
					t.Fatalf("timeseries has %d lines and %d bytes, want 201 lines of about 4.2 kB a replication", n, len(want))
				}
			} else if !bytes.Equal(buf.Bytes(), want) {
				t.Error("timeseries differs from the one kept in memory")
			}
			if ents, _ := os.ReadDir(os.TempDir()); len(ents) != 0 {
				t.Errorf("left %v after close", ents)
			}
		})
	}
}
