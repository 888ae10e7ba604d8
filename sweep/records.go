package sweep

import (
	"bufio"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/copsim/copsim/internal/echo"
	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/scenarios"
)

// Finished runs are recorded in append-only record files in runs/, one
// file per process that ran some (shards sharing a folder, and each
// resume, write their own): records-K.bin, or records-IofN-K.bin for shard
// I/N, K counting from 1. A file starts with recordMagic; each record is
// a header line
//
//	R <run> <row bytes> <series bytes> <CRC-32C, 8 hex digits>\n
//
// followed by the run's results row and its time series (CSV, as they go
// into results.csv and timeseries.csv). The checksum covers the header up
// to the checksum and both payloads. The records are written and synced in
// batches (what finished within a tenth of a second), so a sweep costs a
// few appends and syncs a second instead of a file, a sync and a rename per
// run. A file cut short by a kill or a crash ends in a torn
// record, or one whose checksum fails: the reader stops there and the runs
// from there on count as not done, to be run again.
const (
	recordMagic  = "copsim sweep records 1\n"
	recordPrefix = "records-"
	recordExt    = ".bin"
	// maxHeaderBytes bounds a record's header line.
	maxHeaderBytes = 64
)

// castagnoli is made on first use: a process that records no run (copsim
// run, say) does not pay for the table at start-up.
var castagnoli = sync.OnceValue(func() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) })

// appendRecord appends run's record, with its results row and time series,
// to b.
func appendRecord(b []byte, run int, row, series []byte) []byte {
	start := len(b)
	b = fmt.Appendf(b, "R %d %d %d ", run, len(row), len(series))
	crc := crc32.Update(0, castagnoli(), b[start:])
	crc = crc32.Update(crc, castagnoli(), row)
	crc = crc32.Update(crc, castagnoli(), series)
	b = fmt.Appendf(b, "%08x\n", crc)
	b = append(b, row...)
	return append(b, series...)
}

// recordWriter appends records to a new record file from a goroutine of its
// own: runs hand it their records and go on, and it writes and syncs them
// in batches.
type recordWriter struct {
	dir    string
	prefix string // of the file's name: records- and the shard
	recs   chan []byte
	done   chan error
	failed atomic.Bool // set when a write failed: the sweep should stop
}

// A batch of records is written and synced batchWindow after its first
// record arrived, or once it holds maxBatchBytes: a few syncs a second
// however short the runs, and a killed process loses at most the runs of
// the last window.
const (
	batchWindow   = 100 * time.Millisecond
	maxBatchBytes = 4 << 20
)

// newRecordWriter starts a writer of a record file in dir for shard; the
// file is created with the first record.
func newRecordWriter(dir string, shard Shard) *recordWriter {
	prefix := recordPrefix
	if shard.Count > 1 {
		prefix += fmt.Sprintf("%dof%d-", shard.Index, shard.Count)
	}
	w := &recordWriter{dir: dir, prefix: prefix, recs: make(chan []byte, 256), done: make(chan error, 1)}
	go func() { w.done <- w.loop() }()
	return w
}

// add queues a record; it is durable once close returns nil.
func (w *recordWriter) add(rec []byte) { w.recs <- rec }

// close writes and syncs what is queued and closes the file.
func (w *recordWriter) close() error {
	close(w.recs)
	return <-w.done
}

func (w *recordWriter) loop() error {
	var f *os.File
	var err error
	var batch []byte
	for rec := range w.recs {
		if err != nil {
			continue // drain: the runs must not block on a failed writer
		}
		// A batch is what arrives within batchWindow of its first
		// record (or until the runs are done).
		batch = append(batch[:0], rec...)
		window := time.NewTimer(batchWindow)
	more:
		for len(batch) < maxBatchBytes {
			select {
			case r, ok := <-w.recs:
				if !ok {
					break more
				}
				batch = append(batch, r...)
			case <-window.C:
				break more
			}
		}
		window.Stop()
		if f == nil {
			if f, err = w.create(); err != nil {
				w.failed.Store(true)
				continue
			}
		}
		if _, err = f.Write(batch); err == nil {
			err = f.Sync()
		}
		w.failed.Store(err != nil)
	}
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("recording runs in %s: %w", w.dir, err)
	}
	return nil
}

// create makes the next record file of the writer's shard, durably named
// in its folder. Another process of the same shard may take a number at
// the same time: creating the file exclusively leaves it the next one.
func (w *recordWriter) create() (*os.File, error) {
	var f *os.File
	var err error
	for k := 1; ; k++ {
		f, err = os.OpenFile(filepath.Join(w.dir, fmt.Sprintf("%s%d%s", w.prefix, k, recordExt)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	_, err = f.WriteString(recordMagic)
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = results.SyncDir(w.dir)
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return f, nil
}

// recordLoc is where a run's record lies: its file and the offset of its
// results row, whose time series follows it.
type recordLoc struct {
	file      int32 // index in runIndex.files; -1 when not recorded
	rowLen    int32
	seriesLen int64
	off       int64
}

// runIndex says which runs of a plan a sweep folder records, and where.
type runIndex struct {
	files []string
	at    []recordLoc
	// bad says why a run's record was refused (another run's or another
	// sweep's content under its number), for the messages.
	bad map[int]error
}

// readRuns indexes the runs recorded in dir/runs, each from the first
// whole record of it that holds what the plan's run writes. The rest of a
// file after a torn or damaged record is ignored; a file that is not a
// record file at all is ignored.
func readRuns(dir string, p *Plan) (*runIndex, error) {
	ix := &runIndex{at: make([]recordLoc, p.Runs()), bad: map[int]error{}}
	for i := range ix.at {
		ix.at[i].file = -1
	}
	entries, err := os.ReadDir(filepath.Join(dir, "runs"))
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, recordPrefix) || !strings.HasSuffix(name, recordExt) || !e.Type().IsRegular() {
			continue
		}
		path := filepath.Join(dir, "runs", name)
		if err := ix.readFile(path, int32(len(ix.files)), p); err != nil {
			return nil, err
		}
		ix.files = append(ix.files, path)
	}
	return ix, nil
}

func (ix *runIndex) readFile(path string, file int32, p *Plan) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	size := fi.Size()
	r := bufio.NewReaderSize(f, 1<<16)
	magic := make([]byte, len(recordMagic))
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != recordMagic {
		return nil
	}
	off := int64(len(recordMagic))
	var payload []byte
	for {
		head, err := r.ReadSlice('\n')
		if err != nil || len(head) > maxHeaderBytes {
			return nil // the end, or a torn or damaged header
		}
		run, rowLen, seriesLen, crc, ok := parseHeader(head)
		if !ok || rowLen > maxRunFileBytes || seriesLen > maxRunFileBytes {
			return nil
		}
		hlen := int64(len(head))
		sum := crc32.Update(0, castagnoli(), head[:len(head)-9])
		known := run >= 0 && run < len(ix.at) && ix.at[run].file < 0
		// A length past the end of the file is a record cut short (or a
		// damaged header): nothing is allocated for it.
		short := off+hlen+rowLen+seriesLen > size
		if !short {
			payload = slices.Grow(payload[:0], int(rowLen+seriesLen))[:rowLen+seriesLen]
			_, err = io.ReadFull(r, payload)
		}
		if short || err != nil {
			if known {
				ix.bad[run] = fmt.Errorf("%s: run %d: its record is cut short (the process was stopped while writing it)", path, run)
			}
			return nil
		}
		if crc32.Update(sum, castagnoli(), payload) != crc {
			if known {
				ix.bad[run] = fmt.Errorf("%s: run %d: its record is damaged (its checksum fails); nothing after it is read", path, run)
			}
			return nil
		}
		if known {
			if err := checkRecord(p, run, payload[:rowLen], payload[rowLen:]); err != nil {
				ix.bad[run] = fmt.Errorf("%s: %w", path, err)
			} else {
				delete(ix.bad, run)
				ix.at[run] = recordLoc{file: file, rowLen: int32(rowLen), seriesLen: seriesLen, off: off + hlen}
			}
		}
		off += hlen + rowLen + seriesLen
	}
}

// parseHeader reads "R run rowLen seriesLen crc\n".
func parseHeader(h []byte) (run int, rowLen, seriesLen int64, crc uint32, ok bool) {
	f := strings.Fields(string(h))
	if len(f) != 5 || f[0] != "R" || len(f[4]) != 8 {
		return
	}
	var err [4]error
	run, err[0] = strconv.Atoi(f[1])
	rowLen, err[1] = strconv.ParseInt(f[2], 10, 64)
	seriesLen, err[2] = strconv.ParseInt(f[3], 10, 64)
	var c uint64
	c, err[3] = strconv.ParseUint(f[4], 16, 32)
	return run, rowLen, seriesLen, uint32(c), errors.Join(err[:]...) == nil && rowLen >= 0 && seriesLen >= 0
}

// done reports whether run i is recorded.
func (ix *runIndex) done(i int) bool { return ix.at[i].file >= 0 }

// missing lists the runs not recorded.
func (ix *runIndex) missing() []int {
	var miss []int
	for i := range ix.at {
		if !ix.done(i) {
			miss = append(miss, i)
		}
	}
	return miss
}

// problem says why run i is not recorded; a run of which no record was
// found at all gives an error that wraps fs.ErrNotExist.
func (ix *runIndex) problem(i int) error {
	if ix.done(i) {
		return nil
	}
	if err := ix.bad[i]; err != nil {
		return err
	}
	return fmt.Errorf("run %d: no whole record of it in runs/: %w", i, fs.ErrNotExist)
}

// read returns run i's results row and time series.
func (ix *runIndex) read(i int) (row, series []byte, err error) {
	l := ix.at[i]
	if l.file < 0 {
		return nil, nil, ix.problem(i)
	}
	f, err := os.Open(ix.files[l.file])
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	b := make([]byte, int64(l.rowLen)+l.seriesLen)
	if _, err := f.ReadAt(b, l.off); err != nil {
		return nil, nil, err
	}
	return b[:l.rowLen], b[l.rowLen:], nil
}

// copyTo writes the results rows (series false) or the time series of
// every run, in run order, to w, reading each record file once in order
// where it can.
func (ix *runIndex) copyTo(w io.Writer, series bool) error {
	files := make([]*os.File, len(ix.files))
	defer func() {
		for _, f := range files {
			if f != nil {
				f.Close()
			}
		}
	}()
	var buf []byte
	for i, l := range ix.at {
		if l.file < 0 {
			return ix.problem(i)
		}
		if files[l.file] == nil {
			f, err := os.Open(ix.files[l.file])
			if err != nil {
				return err
			}
			files[l.file] = f
		}
		off, n := l.off, int64(l.rowLen)
		if series {
			off, n = off+n, l.seriesLen
		}
		buf = slices.Grow(buf[:0], int(n))[:n]
		if _, err := files[l.file].ReadAt(buf, off); err != nil {
			return err
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// checkRecord checks that a record holds what run i of the plan writes: one
// whole CSV row naming the run, point, replication and seed that the plan
// gives it and the point's values and, when the plan asks for one, a time
// series of the run's rows.
func checkRecord(p *Plan, i int, row, series []byte) error {
	point, rep := i/p.Replications, i%p.Replications
	want := len(p.resultsHeader())
	head := []string{strconv.Itoa(i), strconv.Itoa(point), strconv.Itoa(rep), strconv.FormatUint(p.runSeed(point, rep), 10)}
	if len(row) == 0 || row[len(row)-1] != '\n' {
		return fmt.Errorf("run %d: its row is cut short (it does not end with a line break)", i)
	}
	recs, err := csvRecords(row)
	switch {
	case err != nil:
		return fmt.Errorf("run %d: its row is damaged (%s)", i, err)
	case len(recs) != 1:
		return fmt.Errorf("run %d: its record holds %d rows; a run's holds 1", i, len(recs))
	case len(recs[0]) != want:
		return fmt.Errorf("run %d: its row has %d columns; this sweep's have %d", i, len(recs[0]), want)
	case !slices.Equal(recs[0][:4], head):
		return fmt.Errorf("run %d: its record belongs to another run (it starts %s, run %d starts %s)", i, echo.Clip(strings.Join(recs[0][:4], ",")), i, strings.Join(head, ","))
	case !slices.Equal(recs[0][4:4+len(p.Params)], p.Points[point].Values):
		return fmt.Errorf("run %d: its record belongs to another sweep (its parameter values differ from point %d's)", i, point)
	}
	if !p.Timeseries {
		if len(series) > 0 {
			return fmt.Errorf("run %d: its record holds a time series; this sweep has none", i)
		}
		return nil
	}
	if len(series) == 0 || series[len(series)-1] != '\n' {
		return fmt.Errorf("run %d: its time series is missing or cut short", i)
	}
	if recs, err = csvRecords(series); err != nil {
		return fmt.Errorf("run %d: its time series is damaged (%s)", i, err)
	}
	for k, r := range recs {
		if len(r) != len(results.TimeseriesHeader)+2 || r[0] != head[0] || r[1] != head[1] {
			return fmt.Errorf("run %d: its time series is damaged (row %d is not a row of run %d's time series)", i, k+1, i)
		}
	}
	return nil
}

// maxRunFileBytes bounds a record's row or time series: a time series of
// MaxTicks rows for MaxCommunities communities (plus a total) at most 1 KB
// each.
const maxRunFileBytes = int64(scenarios.MaxTicks) * (scenarios.MaxCommunities + 1) * 1024

// writeRecords writes one record file in dir/runs holding every run that
// ix indexes, in run order (for merge).
func (ix *runIndex) writeTo(runsDir string) error {
	w := newRecordWriter(runsDir, Shard{})
	var err error
	for i := range ix.at {
		var row, series []byte
		if row, series, err = ix.read(i); err != nil {
			break
		}
		w.add(appendRecord(nil, i, row, series))
	}
	if cerr := w.close(); err == nil {
		err = cerr
	}
	return err
}
