// Package results writes what a copsim run produces: tidy CSV tables for R
// and pandas, a reproducibility manifest, and the output folder itself,
// written atomically. It exists so that every command (run, compare,
// sweep) writes the same formats in the same all-or-nothing way.
package results

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"
	"unicode"
	"unicode/utf8"

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

// A Writer writes a table as CSV, as encoding/csv writes it (comma
// separated, "\n" line ends, a field quoted when it must be): a row of T
// per record, each field as its column formats it (see [AppendRecord]).
// It formats straight into a buffer of its own, which it hands to the
// underlying writer in pieces of about writerChunk bytes, so that writing
// a row allocates nothing.
type Writer[T any] struct {
	w    io.Writer
	cols measure.Columns[T]
	buf  []byte
	err  error
}

// writerChunk is about how much a Writer buffers before it writes: large
// enough that a file gets few system calls.
const writerChunk = 64 << 10

// NewWriter returns a Writer of the columns cols to w.
func NewWriter[T any](w io.Writer, cols measure.Columns[T]) *Writer[T] {
	return &Writer[T]{w: w, cols: cols}
}

// WriteHeader writes the columns' names.
func (w *Writer[T]) WriteHeader() error {
	w.reserve()
	w.buf = AppendHeader(w.buf, w.cols)
	return w.wrote()
}

// Write writes the record of x.
func (w *Writer[T]) Write(x *T) error {
	w.reserve()
	w.buf = AppendRecord(w.buf, w.cols, x)
	return w.wrote()
}

// reserve makes the buffer at the first record, small: a short table (a
// replication of March's model writes a few kB) should not touch a
// chunk's worth of fresh memory, which is slow to come by at the start of
// a process. It grows up to a chunk.
func (w *Writer[T]) reserve() {
	if w.buf == nil {
		w.buf = make([]byte, 0, 4<<10)
	}
}

// wrote writes the buffer once it holds a chunk.
func (w *Writer[T]) wrote() error {
	if len(w.buf) >= writerChunk {
		return w.Flush()
	}
	return w.err
}

// Flush writes any buffered data to the underlying io.Writer and reports
// any error that occurred during a Write or the Flush.
func (w *Writer[T]) Flush() error {
	if w.err == nil && len(w.buf) > 0 {
		_, w.err = w.w.Write(w.buf)
	}
	w.buf = w.buf[:0]
	return w.err
}

// AppendHeader appends the CSV record of the columns' names to dst.
func AppendHeader[T any](dst []byte, cols measure.Columns[T]) []byte {
	for i := range cols {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendField(dst, cols[i].Name)
	}
	return append(dst, '\n')
}

// AppendRecord appends the CSV record of x in the columns cols to dst,
// line end included, as a [Writer] writes it, and returns the extended
// buffer. Only a text column's field is checked for what needs quotes:
// numbers and flags never do.
func AppendRecord[T any](dst []byte, cols measure.Columns[T], x *T) []byte {
	for i := range cols {
		if i > 0 {
			dst = append(dst, ',')
		}
		c := &cols[i]
		start := len(dst)
		dst = c.Append(dst, x)
		if c.Kind() == measure.Text && fieldNeedsQuotes(dst[start:]) {
			dst = appendQuoted(dst[:start], string(dst[start:]))
		}
	}
	return append(dst, '\n')
}

// appendField appends field to dst as encoding/csv writes it: quoted when
// it must be.
func appendField(dst []byte, field string) []byte {
	if fieldNeedsQuotes([]byte(field)) {
		return appendQuoted(dst, field)
	}
	return append(dst, field...)
}

// fieldNeedsQuotes reports whether encoding/csv's Writer (comma, no CRLF)
// quotes field: when it holds a comma, a quote or a line end, starts with
// a space, or is `\.`.
func fieldNeedsQuotes(field []byte) bool {
	if len(field) == 0 {
		return false
	}
	if string(field) == `\.` {
		return true
	}
	for _, c := range field {
		if c == '\n' || c == '\r' || c == '"' || c == ',' {
			return true
		}
	}
	r1, _ := utf8.DecodeRune(field)
	return unicode.IsSpace(r1)
}

// appendQuoted appends field in quotes, its quotes doubled.
func appendQuoted(dst []byte, field string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(field); i++ {
		if field[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, field[i])
	}
	return append(dst, '"')
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
