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
	if _, err := w.Write(results.AppendHeader(nil, measure.RowColumns)); err != nil {
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
	// mem holds the CSV text while the part is in memory, in chunks that
	// rows are formatted into directly and that are never copied as the
	// part grows; the last is being filled.
	mem [][]byte
	f   *os.File
	bw  *bufio.Writer
	buf []byte // a record's text, once in a file
}

// Chunks of a part in memory start small (a replication of March's model
// is a few kB) and double up to spoolChunkMax; a chunk is closed when
// less than spoolRecordRoom is left, about twice a record of
// timeseries.csv, so that a record seldom outgrows its chunk.
const (
	spoolChunkMin   = 8 << 10
	spoolChunkMax   = 256 << 10
	spoolRecordRoom = 1 << 10
)

func (sf *spoolFile) WriteRows(rows []measure.Row) error {
	if sf.f != nil {
		for i := range rows {
			sf.buf = results.AppendRecord(sf.buf[:0], measure.RowColumns, &rows[i])
			if _, err := sf.bw.Write(sf.buf); err != nil {
				return err
			}
		}
		return nil
	}
	n := 0
	for i := range rows {
		last := len(sf.mem) - 1
		if last < 0 || cap(sf.mem[last])-len(sf.mem[last]) < spoolRecordRoom {
			size := spoolChunkMin
			if last >= 0 {
				size = min(2*cap(sf.mem[last]), spoolChunkMax)
			}
			sf.mem = append(sf.mem, make([]byte, 0, size))
			last++
		}
		before := len(sf.mem[last])
		sf.mem[last] = results.AppendRecord(sf.mem[last], measure.RowColumns, &rows[i])
		n += len(sf.mem[last]) - before
	}
	return sf.account(n)
}

// account adds n bytes of this part to what the spool holds in memory;
// past the spool's limit, the part moves to a file.
func (sf *spoolFile) account(n int) error {
	sf.s.mu.Lock()
	sf.s.mem += int64(n)
	spill := sf.s.mem > sf.s.limit
	if spill {
		for _, c := range sf.mem {
			sf.s.mem -= int64(len(c))
		}
	}
	sf.s.mu.Unlock()
	if !spill {
		return nil
	}
	f, err := sf.s.file(sf.rep)
	if err != nil {
		return err
	}
	sf.f, sf.bw = f, bufio.NewWriterSize(f, 1<<16)
	for _, c := range sf.mem {
		if _, err := sf.bw.Write(c); err != nil {
			return err
		}
	}
	sf.mem = nil
	return nil
}

func (sf *spoolFile) Close() error {
	if sf.f == nil {
		return nil
	}
	err := sf.bw.Flush()
	if cerr := sf.f.Close(); err == nil {
		err = cerr
	}
	return err
}
