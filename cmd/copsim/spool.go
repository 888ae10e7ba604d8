package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/sim"
)

// spool holds a run's time series on disk while it runs, one file per
// replication (replications run at the same time, and the CSV is in
// replication order), so that the run keeps none of it in memory. The
// files live in a temporary folder that close removes, interrupted or not.
type spool struct {
	dir  string
	mu   sync.Mutex
	reps int
}

// spoolPrefix starts the name of a spool folder; the owner's process id
// follows, so that a later run can tell a folder whose owner was killed.
const spoolPrefix = "copsim-timeseries-"

func newSpool() (*spool, error) {
	results.RemoveStale(os.TempDir(), spoolPrefix)
	dir, err := results.MkdirTemp("", spoolPrefix)
	if err != nil {
		return nil, fmt.Errorf("a temporary folder for the time series: %w", err)
	}
	return &spool{dir: dir}, nil
}

func (s *spool) path(rep int) string { return filepath.Join(s.dir, fmt.Sprintf("%07d.csv", rep)) }

// writer is a sim.Options.Rows: rows of replication rep, as CSV records.
func (s *spool) writer(rep int) (sim.RowWriter, error) {
	f, err := os.Create(s.path(rep))
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.reps = max(s.reps, rep+1)
	s.mu.Unlock()
	bw := bufio.NewWriterSize(f, 1<<16)
	return &spoolFile{f: f, bw: bw, tw: results.NewWriter(bw, measure.RowColumns)}, nil
}

// writeTo writes timeseries.csv: the header, then each replication's rows.
func (s *spool) writeTo(w io.Writer) error {
	tw := results.NewWriter(w, measure.RowColumns)
	if err := tw.WriteHeader(); err != nil {
		return err
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for rep := 0; rep < s.reps; rep++ {
		f, err := os.Open(s.path(rep))
		if err != nil {
			return err
		}
		_, err = io.Copy(w, f)
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *spool) close() { os.RemoveAll(s.dir) }

type spoolFile struct {
	f  *os.File
	bw *bufio.Writer
	tw *results.Writer[measure.Row]
}

func (sf *spoolFile) WriteRows(rows []measure.Row) error {
	for i := range rows {
		if err := sf.tw.Write(&rows[i]); err != nil {
			return err
		}
	}
	return nil
}

func (sf *spoolFile) Close() error {
	err := sf.tw.Flush()
	if ferr := sf.bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := sf.f.Close(); err == nil {
		err = cerr
	}
	return err
}
