package results

import (
	"bytes"
	"encoding/csv"
	"errors"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/copsim/copsim/measure"
)

func TestF(t *testing.T) {
	tests := []struct {
		x    float64
		want string
	}{{0.5, "0.5"}, {1.0 / 3, "0.3333333333333333"}, {math.NaN(), "NA"}, {-0.25, "-0.25"}, {2, "2"}}
	for _, tt := range tests {
		if got := F(tt.x); got != tt.want {
			t.Errorf("F(%v) = %q, want %q", tt.x, got, tt.want)
		}
	}
}

func TestTablesHaveOneFieldPerColumn(t *testing.T) {
	if n, m := len(TimeseriesRecord(measure.Row{})), len(TimeseriesHeader); n != m {
		t.Errorf("timeseries record has %d fields, header %d", n, m)
	}
	if n, m := len(SummaryRecord(measure.Summary{})), len(SummaryHeader); n != m {
		t.Errorf("summary record has %d fields, header %d", n, m)
	}
	var b bytes.Buffer
	if err := WriteTimeseries(&b, []measure.Row{{Rep: 1, Tick: 2, Community: "c0", Stage: "potential", KnowledgeMean: 0.5}}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[1], "1,2,c0,") || !strings.HasSuffix(lines[1], ",potential") {
		t.Errorf("timeseries csv:\n%s", b.String())
	}
	out := SummaryOutcomes(measure.Summary{KnowledgeMean: 0.7, MedianTicksToCore: math.NaN()})
	if out["knowledge_mean"] != 0.7 || !math.IsNaN(out["median_ticks_to_core"]) {
		t.Errorf("summary outcomes %v", out)
	}
	if _, ok := out["rep"]; ok {
		t.Error("rep is not an outcome")
	}
}

func TestWriteTimeseriesReadsBack(t *testing.T) {
	rows := []measure.Row{
		{Rep: 0, Tick: 1, Community: `a, "b"`, Stage: "potential", KnowledgeMean: 1.0 / 3, KnowledgeCore: math.NaN()},
		{Rep: 1, Tick: 2, Community: "c", Stage: "maturing", EIIndex: -1},
	}
	var b bytes.Buffer
	if err := WriteTimeseries(&b, rows); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{TimeseriesHeader, TimeseriesRecord(rows[0]), TimeseriesRecord(rows[1])}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("read back\n%q\nwant\n%q", got, want)
	}
	for i, tt := range []struct{ col, want string }{
		{"community", `a, "b"`}, {"knowledge_mean", "0.3333333333333333"}, {"knowledge_core", "NA"},
	} {
		k := slices.Index(TimeseriesHeader, tt.col)
		if got[1][k] != tt.want {
			t.Errorf("%d: %s = %q, want %q", i, tt.col, got[1][k], tt.want)
		}
	}
}

func TestSummaryOutcomesAreTheAveragedColumns(t *testing.T) {
	s := measure.Summary{Rep: 2, Seed: 9, FinalTick: 10, KnowledgeMean: 0.1 + 0.2, Members: 5}
	out := SummaryOutcomes(s)
	var want []string
	for _, c := range measure.SummaryColumns {
		if c.Aggregate == measure.MeanCI {
			want = append(want, c.Name)
		}
	}
	got := slices.Sorted(maps.Keys(out))
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("outcomes %q, want %q", got, want)
	}
	if out["knowledge_mean"] != 0.1+0.2 || out["members"] != 5 {
		t.Errorf("knowledge_mean %v, members %v", out["knowledge_mean"], out["members"])
	}
}

func TestAtomicWritesAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	final := filepath.Join(dir, "out")
	boom := errors.New("boom")
	err := Atomic(final, func(tmp string) error {
		os.WriteFile(filepath.Join(tmp, "half.csv"), []byte("x"), 0o644)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want boom", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Fatalf("a failed fill left %v behind", entries)
	}
	if err := Atomic(final, func(tmp string) error {
		return os.WriteFile(filepath.Join(tmp, "done.csv"), []byte("y"), 0o644)
	}); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(final, "done.csv")); err != nil || string(b) != "y" {
		t.Fatalf("final folder not complete: %v %q", err, b)
	}
	if err := Atomic(final, func(string) error { return nil }); !errors.Is(err, ErrExists) {
		t.Errorf("writing over an existing folder: %v, want ErrExists", err)
	}
}

// TestWriterWritesAsEncodingCSV checks the table writer against
// encoding/csv's, byte for byte, on text that needs quotes and text that
// does not, in chunks of every size the writer hands over.
func TestWriterWritesAsEncodingCSV(t *testing.T) {
	texts := []string{"", "c0", `\.`, `\.x`, " lead", "\tlead", "\u00a0nbsp", "trail ", "a,b", `say "hi"`,
		"two\nlines", "cr\r", "crlf\r\n", "é", `"`, ","}
	for _, n := range []int{0, 1, 7, 3000} {
		rows := benchRows(n)
		for i := range rows {
			rows[i].Community = texts[i%len(texts)]
			rows[i].Stage = texts[(i+3)%len(texts)]
		}
		var got, want bytes.Buffer
		if err := WriteTimeseries(&got, rows); err != nil {
			t.Fatal(err)
		}
		cw := csv.NewWriter(&want)
		cw.Write(TimeseriesHeader)
		for _, r := range rows {
			cw.Write(TimeseriesRecord(r))
		}
		cw.Flush()
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%d rows: the writer's CSV differs from encoding/csv's:\n%.300q\nwant\n%.300q", n, got.String(), want.String())
		}
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriterReportsWriteErrors(t *testing.T) {
	tw := NewWriter(failWriter{}, measure.RowColumns)
	rows := benchRows(2000) // more than a chunk: Write itself writes
	var err error
	for i := range rows {
		if err = tw.Write(&rows[i]); err != nil {
			break
		}
	}
	if err == nil {
		t.Error("Write of more than a chunk to a failing writer: no error")
	}
	if err := tw.Flush(); err == nil || err.Error() != "disk full" {
		t.Errorf("Flush: %v, want disk full", err)
	}
}
