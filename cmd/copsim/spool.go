package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/sim"
)

// spool holds a run's time series while it runs, one part per replication
// (replications run at the same time, and the CSV is in replication
// order). The parts stay in memory while they are small, as they are for
// most runs, which then create no file at all; once they hold more than
// spoolMemory together, each replication that writes more moves its part to
// a file in a temporary folder, so that a long run keeps its time series
// on disk, not in memory. close removes the folder, interrupted or not.
type spool struct {
	mu    sync.Mutex
	dir   string // the temporary folder, made at the first file
	parts []*spoolFile
	mem   int64 // bytes held in memory by all parts
	limit int64
}

// spoolPrefix starts the name of a spool folder; the owner's process id
// follows, so that a later run can tell a folder whose owner was killed.
const spoolPrefix = "copsim-timeseries-"

// spoolMemory bounds the time series a run keeps in memory (32 MiB).
const spoolMemory = 32 << 20

func newSpool() *spool { return &spool{limit: spoolMemory} }

func (s *spool) path(rep int) string { return filepath.Join(s.dir, fmt.Sprintf("%07d.csv", rep)) }

// writer is a sim.Options.Rows: rows of replication rep, as CSV records.
func (s *spool) writer(rep int) (sim.RowWriter, error) {
	sf := &spoolFile{s: s, rep: rep}
	sf.tw = results.NewWriter(sf, measure.RowColumns)
	s.mu.Lock()
	for len(s.parts) <= rep {
		s.parts = append(s.parts, nil)
	}
	s.parts[rep] = sf
	s.mu.Unlock()
	return sf, nil
}

// file creates the file of replication rep, and the spool's folder first.
func (s *spool) file(rep int) (*os.File, error) {
	s.mu.Lock()
	if s.dir == "" {
		results.RemoveStale(os.TempDir(), spoolPrefix)
		dir, err := results.MkdirTemp("", spoolPrefix)
		if err != nil {
			s.mu.Unlock()
			return nil, fmt.Errorf("a temporary folder for the time series: %w", err)
		}
		s.dir = dir
	}
	s.mu.Unlock()
	return os.Create(s.path(rep))
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
	for _, sf := range s.parts {
		if sf == nil {
			continue
		}
		if sf.f == nil {
			for _, c := range sf.mem {
				if _, err := w.Write(c); err != nil {
					return err
				}
			}
			continue
		}
		f, err := os.Open(sf.f.Name())
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

func (s *spool) close() {
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

// spoolFile is one replication's part of the spool: in memory, or, once
// the spool holds too much, in a file.
type spoolFile struct {
	s   *spool
	rep int
	tw  *results.Writer[measure.Row] // writes CSV into the spoolFile
	// mem holds the CSV text while the part is in memory, in the pieces
	// it came in (a few kB each): no copying as it grows.
	mem [][]byte
	f   *os.File
	bw  *bufio.Writer
}

func (sf *spoolFile) WriteRows(rows []measure.Row) error {
	for i := range rows {
		if err := sf.tw.Write(&rows[i]); err != nil {
			return err
		}
	}
	return nil
}

// Write takes the CSV text of sf.tw.
func (sf *spoolFile) Write(p []byte) (int, error) {
	if sf.f != nil {
		return sf.bw.Write(p)
	}
	sf.s.mu.Lock()
	sf.s.mem += int64(len(p))
	spill := sf.s.mem > sf.s.limit
	if spill {
		sf.s.mem -= int64(len(p))
		for _, c := range sf.mem {
			sf.s.mem -= int64(len(c))
		}
	}
	sf.s.mu.Unlock()
	if !spill {
		sf.mem = append(sf.mem, bytes.Clone(p))
		return len(p), nil
	}
	f, err := sf.s.file(sf.rep)
	if err != nil {
		return 0, err
	}
	sf.f, sf.bw = f, bufio.NewWriterSize(f, 1<<16)
	for _, c := range sf.mem {
		if _, err := sf.bw.Write(c); err != nil {
			return 0, err
		}
	}
	sf.mem = nil
	return sf.bw.Write(p)
}

func (sf *spoolFile) Close() error {
	err := sf.tw.Flush()
	if sf.f == nil {
		return err
	}
	if ferr := sf.bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := sf.f.Close(); err == nil {
		err = cerr
	}
	return err
}
