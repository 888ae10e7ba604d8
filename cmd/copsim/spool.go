package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"

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
	removeStaleSpools(os.TempDir())
	dir, err := os.MkdirTemp("", fmt.Sprintf("%s%d-", spoolPrefix, os.Getpid()))
	if err != nil {
		return nil, fmt.Errorf("a temporary folder for the time series: %w", err)
	}
	return &spool{dir: dir}, nil
}

// removeStaleSpools removes the spool folders in tmp left by runs that were
// killed (kill -9 gives no chance to clean up): those whose owner process
// no longer exists. Folders of live runs, and names it cannot read, stay.
func removeStaleSpools(tmp string) {
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), spoolPrefix)
		if !ok || !e.IsDir() {
			continue
		}
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 || processAlive(pid) {
			continue
		}
		os.RemoveAll(filepath.Join(tmp, e.Name()))
	}
}

// processAlive reports whether a process with this id exists (signal 0
// checks without sending; EPERM means it exists but is not ours).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
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
	return &spoolFile{f: f, bw: bw, cw: csv.NewWriter(bw)}, nil
}

// writeTo writes timeseries.csv: the header, then each replication's rows.
func (s *spool) writeTo(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(results.TimeseriesHeader); err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
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
	cw *csv.Writer
}

func (sf *spoolFile) WriteRows(rows []sim.Row) error {
	for _, r := range rows {
		if err := sf.cw.Write(results.TimeseriesRecord(r)); err != nil {
			return err
		}
	}
	return nil
}

func (sf *spoolFile) Close() error {
	sf.cw.Flush()
	err := sf.cw.Error()
	if ferr := sf.bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := sf.f.Close(); err == nil {
		err = cerr
	}
	return err
}
