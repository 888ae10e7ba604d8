// Package results writes what a copsim run produces: tidy CSV tables for R
// and pandas, a reproducibility manifest, and the output folder itself,
// written atomically. It exists so that every command (run, compare,
// sweep) writes the same formats in the same all-or-nothing way.
package results

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/scenarios"
)

// Version is copsim's version, written into every manifest.
const Version = "0.1.0"

// TimeseriesHeader names the columns of timeseries.csv, in order: the
// names of measure.RowColumns.
var TimeseriesHeader = measure.RowColumns.Names()

// SummaryHeader names the columns of summary.csv, in order: the names of
// measure.SummaryColumns.
var SummaryHeader = measure.SummaryColumns.Names()

// F formats a float for the tables: shortest round-trip form, NA for NaN
// (R's missing value, which pandas reads too).
func F(x float64) string { return measure.FormatFloat(x) }

// A Writer writes a table as CSV: a row of T per record, each field as its
// column formats it. It reuses its buffers, so writing a row allocates
// one string for all its fields.
type Writer[T any] struct {
	cw   *csv.Writer
	cols measure.Columns[T]
	buf  []byte
	ends []int
	rec  []string
}

// NewWriter returns a Writer of the columns cols to w.
func NewWriter[T any](w io.Writer, cols measure.Columns[T]) *Writer[T] {
	return &Writer[T]{cw: csv.NewWriter(w), cols: cols, ends: make([]int, len(cols)), rec: make([]string, len(cols))}
}

// WriteHeader writes the columns' names.
func (w *Writer[T]) WriteHeader() error { return w.cw.Write(w.cols.Names()) }

// Write writes the record of x.
func (w *Writer[T]) Write(x *T) error {
	w.buf = appendFields(w.buf[:0], w.ends, w.cols, x)
	split(w.rec, string(w.buf), w.ends)
	return w.cw.Write(w.rec)
}

// Flush writes any buffered data to the underlying io.Writer and reports
// any error that occurred during a Write or the Flush.
func (w *Writer[T]) Flush() error {
	w.cw.Flush()
	return w.cw.Error()
}

// appendFields appends x's fields to buf one after the other, recording
// where each ends.
func appendFields[T any](buf []byte, ends []int, cols measure.Columns[T], x *T) []byte {
	for i := range cols {
		buf = cols[i].Append(buf, x)
		ends[i] = len(buf)
	}
	return buf
}

// split cuts s at ends into rec.
func split(rec []string, s string, ends []int) {
	start := 0
	for i, e := range ends {
		rec[i] = s[start:e]
		start = e
	}
}

// Record returns the fields of x in the columns cols, as a table writes
// them; it serves tables that add fields of their own.
func Record[T any](cols measure.Columns[T], x *T) []string {
	var e [64]int
	var b [1024]byte
	ends := e[:0]
	if len(cols) <= len(e) {
		ends = e[:len(cols)]
	} else {
		ends = make([]int, len(cols))
	}
	buf := appendFields(b[:0], ends, cols, x)
	rec := make([]string, len(cols))
	split(rec, string(buf), ends)
	return rec
}

// TimeseriesRecord is one row of timeseries.csv.
func TimeseriesRecord(r measure.Row) []string { return Record(measure.RowColumns, &r) }

// SummaryRecord is one row of summary.csv.
func SummaryRecord(s measure.Summary) []string { return Record(measure.SummaryColumns, &s) }

// writeTable writes the header of cols and a record per element of xs.
func writeTable[T any](w io.Writer, cols measure.Columns[T], xs []T) error {
	tw := NewWriter(w, cols)
	if err := tw.WriteHeader(); err != nil {
		return err
	}
	for i := range xs {
		if err := tw.Write(&xs[i]); err != nil {
			return err
		}
	}
	return tw.Flush()
}

// WriteTimeseries writes the tidy time series: a row per (rep, tick, community).
func WriteTimeseries(w io.Writer, rows []measure.Row) error {
	return writeTable(w, measure.RowColumns, rows)
}

// SummaryOutcomes maps the outcome columns of summary.csv (those averaged
// over replications, measure.MeanCI) to their values, for statistics.
func SummaryOutcomes(s measure.Summary) map[string]float64 {
	out := make(map[string]float64, len(measure.SummaryColumns))
	for i := range measure.SummaryColumns {
		if c := &measure.SummaryColumns[i]; c.Aggregate == measure.MeanCI {
			out[c.Name] = c.Float(&s)
		}
	}
	return out
}

// WriteSummary writes summary.csv: a row per replication.
func WriteSummary(w io.Writer, sums []measure.Summary) error {
	return writeTable(w, measure.SummaryColumns, sums)
}

// Manifest records how a result was made, so that it can be made again.
type Manifest struct {
	Copsim    string             `json:"copsim_version"`
	Command   string             `json:"command"`
	Go        string             `json:"go_version"`
	Platform  string             `json:"platform"`
	Seed      uint64             `json:"seed"`
	Reps      int                `json:"replications"`
	Workers   int                `json:"workers"`
	Overrides []string           `json:"overrides,omitempty"`
	Started   time.Time          `json:"started"`
	Finished  time.Time          `json:"finished"`
	Scenario  scenarios.Scenario `json:"scenario"`
	// ScenarioYAML is the resolved scenario, ready to run again with
	// `copsim run`.
	ScenarioYAML string `json:"scenario_yaml"`
}

// NewManifest fills the fields that come from the environment.
func NewManifest(command string, sc scenarios.Scenario, workers int, overrides []string, started time.Time) Manifest {
	y, _ := scenarios.Marshal(sc)
	return Manifest{
		Copsim: Version, Command: command, Go: runtime.Version(),
		Platform: runtime.GOOS + "/" + runtime.GOARCH, Seed: sc.Seed, Reps: sc.Replications,
		Workers: workers, Overrides: overrides, Started: started.UTC(), Scenario: sc,
		ScenarioYAML: string(y),
	}
}

// WriteJSON writes v as indented JSON to path.
func WriteJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// WriteFile creates path and fills it with write.
func WriteFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ErrExists is returned when the output folder already exists.
var ErrExists = errors.New("output folder already exists")

// Atomic creates the folder final all at once: fill writes into a
// temporary sibling folder, which is renamed to final only when fill
// succeeds. An interrupted or failed run leaves no folder named final
// (a ".tmp-" sibling is removed on failure, and one left by a killed
// process is removed by the next Atomic of the same folder).
func Atomic(final string, fill func(dir string) error) error {
	if _, err := os.Stat(final); err == nil {
		return fmt.Errorf("%s: %w; choose another --out or remove it", final, ErrExists)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	prefix := "." + filepath.Base(final) + ".tmp-"
	RemoveStale(parent, prefix)
	tmp, err := MkdirTemp(parent, prefix)
	if err != nil {
		return err
	}
	if err := fill(tmp); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	return nil
}
