package measure

import (
	"math"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// snake is the column name a struct field's name implies: KnowledgeMean is
// knowledge_mean, EIIndex is ei_index.
func snake(field string) string {
	r := []rune(field)
	var b strings.Builder
	for i, c := range r {
		if i > 0 && unicode.IsUpper(c) &&
			(unicode.IsLower(r[i-1]) || i+1 < len(r) && unicode.IsLower(r[i+1])) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{
		"Rep": "rep", "KnowledgeMean": "knowledge_mean", "EIIndex": "ei_index",
		"MedianTicksToCore": "median_ticks_to_core",
	} {
		if got := snake(in); got != want {
			t.Errorf("snake(%q) = %q, want %q", in, got, want)
		}
	}
}

// setField sets field i of *v to a value that no zero value formats as.
func setField(t *testing.T, v reflect.Value, i int) {
	f := v.Field(i)
	switch f.Kind() {
	case reflect.Int:
		f.SetInt(7)
	case reflect.Uint64:
		f.SetUint(7)
	case reflect.Float64:
		f.SetFloat(0.25)
	case reflect.Bool:
		f.SetBool(true)
	case reflect.String:
		f.SetString("x")
	default:
		t.Fatalf("%s.%s: a %s field has no kind of column", v.Type(), v.Type().Field(i).Name, f.Kind())
	}
}

// checkFields fails unless each field of T is read by exactly one column,
// the one its name implies, and each column reads a field.
func checkFields[T any](t *testing.T, cols Columns[T]) {
	t.Helper()
	var zero T
	typ := reflect.TypeOf(zero)
	read := make([]int, len(cols))
	for i := 0; i < typ.NumField(); i++ {
		name := typ.Field(i).Name
		var x T
		setField(t, reflect.ValueOf(&x).Elem(), i)
		var by []string
		for k := range cols {
			if cols[k].Format(&x) != cols[k].Format(&zero) {
				by = append(by, cols[k].Name)
				read[k]++
			}
		}
		if want := snake(name); len(by) != 1 || by[0] != want {
			t.Errorf("%s.%s is read by columns %q, want exactly [%q]: declare its column in measure/columns.go", typ.Name(), name, by, want)
		}
	}
	for k, n := range read {
		if n != 1 {
			t.Errorf("column %q reads %d fields of %s, want 1", cols[k].Name, n, typ.Name())
		}
	}
}

func TestEveryFieldHasItsColumn(t *testing.T) {
	t.Run("Row", func(t *testing.T) { checkFields(t, RowColumns) })
	t.Run("Summary", func(t *testing.T) { checkFields(t, SummaryColumns) })
}

var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

func checkDeclared[T any](t *testing.T, cols Columns[T]) {
	t.Helper()
	seen := map[string]bool{}
	for i := range cols {
		c := &cols[i]
		set := 0
		for _, ok := range []bool{c.int != nil, c.uint != nil, c.float != nil, c.bool != nil, c.text != nil} {
			if ok {
				set++
			}
		}
		switch {
		case set != 1:
			t.Errorf("column %q has %d accessors, want 1", c.Name, set)
		case !snakeCase.MatchString(c.Name):
			t.Errorf("column %q: the name is not snake_case", c.Name)
		case seen[c.Name]:
			t.Errorf("column %q is declared twice", c.Name)
		case c.Label == "" || c.Meaning == "" || strings.Contains(c.Meaning, "\n"):
			t.Errorf("column %q needs a label and a one-line meaning", c.Name)
		case c.Aggregate == MeanCI && c.Kind() != Int && c.Kind() != Float:
			t.Errorf("column %q: a %s cannot be averaged", c.Name, c.Kind())
		case c.Aggregate == MeanCI && c.Unit == NoUnit:
			t.Errorf("column %q: an outcome needs a unit", c.Name)
		}
		seen[c.Name] = true
	}
}

func TestColumnsAreWellFormed(t *testing.T) {
	t.Run("Row", func(t *testing.T) { checkDeclared(t, RowColumns) })
	t.Run("Summary", func(t *testing.T) { checkDeclared(t, SummaryColumns) })
}

func TestFormat(t *testing.T) {
	s := Summary{Rep: 3, Seed: math.MaxUint64, Equilibrium: true, KnowledgeMean: 1.0 / 3,
		MedianTicksToCore: math.NaN(), RepertoireScore: -0.25, Members: 120, KnowledgeVsPeak: 2}
	r := Row{Community: `a "quoted", name`, Stage: "maturing", EIIndex: 1e-7}
	tests := []struct {
		col   string
		want  string
		value float64
	}{
		{col: "rep", want: "3", value: 3},
		{col: "seed", want: "18446744073709551615", value: math.MaxUint64},
		{col: "equilibrium", want: "true", value: 1},
		{col: "knowledge_mean", want: "0.3333333333333333", value: 1.0 / 3},
		{col: "median_ticks_to_core", want: "NA", value: math.NaN()},
		{col: "repertoire_score", want: "-0.25", value: -0.25},
		{col: "members", want: "120", value: 120},
		{col: "knowledge_vs_peak", want: "2", value: 2},
	}
	for _, tt := range tests {
		c := SummaryColumns.Lookup(tt.col)
		if c == nil {
			t.Fatalf("no summary column %q", tt.col)
		}
		if got := c.Format(&s); got != tt.want {
			t.Errorf("%s: Format = %q, want %q", tt.col, got, tt.want)
		}
		if got := string(c.Append([]byte("x,"), &s)); got != "x,"+tt.want {
			t.Errorf("%s: Append = %q, want %q", tt.col, got, "x,"+tt.want)
		}
		if got := c.Float(&s); got != tt.value && !(math.IsNaN(got) && math.IsNaN(tt.value)) {
			t.Errorf("%s: Float = %v, want %v", tt.col, got, tt.value)
		}
	}
	for col, want := range map[string]string{"community": `a "quoted", name`, "stage": "maturing", "ei_index": "1e-07"} {
		if got := RowColumns.Lookup(col).Format(&r); got != want {
			t.Errorf("%s: Format = %q, want %q", col, got, want)
		}
	}
	if v := RowColumns.Lookup("stage").Float(&r); !math.IsNaN(v) {
		t.Errorf("a text column's Float is %v, want NaN", v)
	}
}

func TestColumns(t *testing.T) {
	if c := RowColumns.Lookup("no_such_column"); c != nil {
		t.Errorf("Lookup of an unknown name gave %q", c.Name)
	}
	got := SummaryColumns.Without("rep", "seed").Names()
	if want := SummaryColumns.Names()[2:]; !slices.Equal(got, want) {
		t.Errorf("Without(rep, seed) = %q, want %q", got, want)
	}
	if n := len(SummaryColumns.Without()); n != len(SummaryColumns) {
		t.Errorf("Without() kept %d of %d columns", n, len(SummaryColumns))
	}
}

func TestUnitRelative(t *testing.T) {
	for u, want := range map[Unit]bool{Count: true, Ticks: true, Share: true, Index: true, PerMemberTick: true, Signed: false, NoUnit: false} {
		if got := u.Relative(); got != want {
			t.Errorf("%q.Relative() = %v, want %v", u, got, want)
		}
	}
}

// documented returns the names in backticks in the first cell of each
// table row of the section of doc that starts with the line heading, up
// to the next heading.
func documented(t *testing.T, doc, heading string) []string {
	t.Helper()
	_, sec, ok := strings.Cut(doc, "\n"+heading)
	if !ok {
		t.Fatalf("no section %q", heading)
	}
	if end := strings.Index(sec, "\n#"); end >= 0 {
		sec = sec[:end]
	}
	var names []string
	code := regexp.MustCompile("`([^`]+)`")
	for _, line := range strings.Split(sec, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 3 || cells[0] != "" {
			continue
		}
		for _, m := range code.FindAllStringSubmatch(cells[1], -1) {
			names = append(names, m[1])
		}
	}
	return names
}

func checkDocumented[T any](t *testing.T, file, heading string, cols Columns[T]) {
	t.Helper()
	b, err := os.ReadFile("../" + file)
	if err != nil {
		t.Fatal(err)
	}
	docs := documented(t, string(b), heading)
	for _, n := range cols.Names() {
		if !slices.Contains(docs, n) {
			t.Errorf("%s, %s: column %q is not documented", file, heading, n)
		}
	}
	for _, n := range docs {
		if cols.Lookup(n) == nil {
			t.Errorf("%s, %s: documents %q, which is no column", file, heading, n)
		}
	}
}

// TestDocsListEveryColumn: the tables of the outputs in docs/model.md (and
// the README's of timeseries.csv) name every column, and only columns.
func TestDocsListEveryColumn(t *testing.T) {
	checkDocumented(t, "docs/model.md", "### timeseries.csv", RowColumns)
	checkDocumented(t, "docs/model.md", "### summary.csv", SummaryColumns)
	checkDocumented(t, "README.md", "Columns of `timeseries.csv`", RowColumns)
}

// TestAppendFloatIsShortestForm checks AppendFloat against strconv's
// shortest form, around the whole numbers it writes as integers.
func TestAppendFloatIsShortestForm(t *testing.T) {
	xs := []float64{0, math.Copysign(0, -1), 1, -1, 2, 0.5, -0.25, 1.0 / 3, 1e-7, 12345, -12345, 99999, 100000,
		999999, -999999, 1e6, -1e6, 1e6 + 1, 999999.5, 123456789, 1e21, 1e300, -1e300, math.MaxInt64,
		math.MinInt64, math.Inf(1), math.Inf(-1), math.SmallestNonzeroFloat64, math.Nextafter(1, 2), math.Nextafter(1e6, 0)}
	for i := -1000; i <= 1000; i++ {
		xs = append(xs, float64(i), float64(i)/50, float64(i)*997)
	}
	for _, x := range xs {
		want := strconv.FormatFloat(x, 'g', -1, 64)
		if got := string(AppendFloat([]byte("x"), x)); got != "x"+want {
			t.Errorf("AppendFloat(%v) = %q, want %q", x, got, "x"+want)
		}
		if got := FormatFloat(x); got != want {
			t.Errorf("FormatFloat(%v) = %q, want %q", x, got, want)
		}
	}
	if got := string(AppendFloat(nil, math.NaN())); got != "NA" {
		t.Errorf("AppendFloat(NaN) = %q, want NA", got)
	}
}

func BenchmarkAppendFloat(b *testing.B) {
	xs := []float64{0, 1, 50, 0.3326666666666668, 0.02, math.NaN(), 0.9862399999999998}
	var buf []byte
	for b.Loop() {
		for _, x := range xs {
			buf = AppendFloat(buf[:0], x)
		}
	}
}
